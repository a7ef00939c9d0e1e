"""Which spans of a sentence are actor mentions whose stance the model scores.

A report can answer "what is the wording's stance toward X?" only for
mentions the model scored, and it must answer for any person or
organisation a user names after the fact. So the model scores, with every
article, every *candidate mention* of each unit:

* each side's actor terms of the axis (``Axis``: "the Kremlin", "Kyiv",
  "Russian", acronyms such as "EU" matched case-sensitively), with the side;
* the naming variants of the axis that set a stance ("special military
  operation", "Kiev regime"), with their lean;
* every run of capitalised words (names of people, organisations, places:
  "Mick Lynch", "Ministry of Defence", "Ursula von der Leyen"), with
  lower-case joiners inside a name kept ("of", "von", "der") and a
  sentence-initial function word left out ("The", "But", "In");
* the spans of spellings the caller asks for (``framing score --actor``),
  matched by :func:`framing.text.spelling_spans`, as the report matches them.

Spans that overlap keep the first found in that order: an axis actor
inside a longer capitalised run ("Russian Defence Ministry") is scored once,
as the axis's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..text import normalise_token, spelling_spans
from ._analysis import analyze
from ._stance import Axis, _AxisMatcher, _variants

__all__ = ["Candidate", "MentionFinder", "capitalised_runs"]

#: Lower-case words that may stand inside a name ("Ministry of Defence", "Ursula von der Leyen").
_NAME_JOINERS = frozenset({"of", "von", "der", "van", "de", "del", "la", "al", "bin", "for"})
#: Capitalised words that are not names when they stand alone (months and days are dates, not actors).
_NOT_NAMES = frozenset({"i", "mr", "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday",
                        "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
                        "august", "september", "october", "november", "december"}) | ENGLISH_STOP_WORDS


#: A one-word actor term that is a demonym ("Russian", "Ukrainian", "European"): it names an actor with its noun.
_DEMONYM = re.compile(r"[a-z]+(?:ian|ean|an|ish|ese)$")


def _with_head_noun(analysis, first: int, stop: int, starts: set[int]) -> int:
    """``stop``, one token further when a demonym is followed by its noun ("Russian forces", "Ukrainian President").

    The actor a demonym modifies is the noun phrase, and that is how the labels the stance model learns from
    mark it: "Russian forces" is one mention, not "Russian" followed by context.
    """
    if stop - first != 1 or stop >= len(analysis.tokens) or not _DEMONYM.fullmatch(analysis.tokens[first]):
        return stop
    following = analysis.raw[stop]
    if stop in starts or not following.isalpha() or analysis.tokens[stop] in _NOT_NAMES:
        return stop
    return stop + 1


@dataclass(frozen=True)
class Candidate:
    """One span to score: unit-relative character offsets, the axis side (or ``""``) and a naming lean (or ``""``)."""

    start: int
    end: int
    side: str = ""
    naming: str = ""


def capitalised_runs(text: str) -> list[tuple[int, int]]:
    """Character spans of the runs of capitalised words in ``text`` (candidate names).

    Examples
    --------
    >>> text = "The union leader Mick Lynch met the Ministry of Defence and Ursula von der Leyen on Monday."
    >>> [text[s:e] for s, e in capitalised_runs(text)]
    ['Mick Lynch', 'Ministry of Defence', 'Ursula von der Leyen']
    """
    analysis = analyze(text)
    raw, offsets = analysis.raw, analysis.offsets
    names = list(map(_is_name_word, raw))
    runs: list[tuple[int, int]] = []
    position, n = 0, len(raw)
    for first in compress(range(n), names):
        if first < position:  # inside the run before
            continue
        last = first
        position = first + 1
        while position < n:
            if names[position]:
                last = position
                position += 1
            elif raw[position] in _NAME_JOINERS:
                ahead = position
                while ahead < n and raw[ahead] in _NAME_JOINERS:
                    ahead += 1
                if ahead < n and names[ahead]:
                    position = ahead
                else:
                    break
            else:
                break
        runs.append((offsets[first][0], offsets[last][1]))
    return runs


@lru_cache(maxsize=1 << 15)
def _is_name_word(raw: str) -> bool:
    """Whether a token as written may be part of a name: capitalised, and not in ``_NOT_NAMES`` once normalised."""
    return raw[:1].isupper() and normalise_token(raw) not in _NOT_NAMES


class MentionFinder:
    """The candidate mentions of units, for one axis (or none) and the caller's spellings.

    Parameters
    ----------
    axis : dict or None
        The axis as plain data (:func:`framing.features.load_axis`).
    spellings : sequence of str
        Extra spellings to score wherever they occur (any case, whole words).

    Examples
    --------
    >>> axis = {"name": "x", "poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                                "positive": {"label": "B", "actors": ["Borduria"]}},
    ...         "naming": [{"term": "junta", "leans": "pro_a", "sets_stance": True}]}
    >>> text = "The Borduria junta accused Atlantis and Jane Roe of lying, the unions said."
    >>> [(text[c.start:c.end], c.side, c.naming) for c in MentionFinder(axis, ["the unions"]).find(text)]
    [('Atlantis', 'negative', ''), ('Borduria', 'positive', ''), ('junta', '', 'pro_a'), ('Jane Roe', '', ''), \
('the unions', '', '')]
    """

    def __init__(self, axis=None, spellings: Sequence[str] = ()):
        self.axis = axis
        self.spellings = tuple(spellings)
        self._axis = Axis(axis) if axis is not None else None
        self._matcher = _AxisMatcher(self._axis) if self._axis is not None else None
        stance_setting = set()
        for entry in (axis or {}).get("naming", []):
            if entry.get("sets_stance"):
                stance_setting.add(str(entry.get("term")))
        self._naming_terms = self._stance_setting_terms(stance_setting)

    def _stance_setting_terms(self, raw_terms: set[str]) -> frozenset[str]:
        if self._axis is None:
            return frozenset()
        wanted = {variant for raw in raw_terms for variant in _variants(raw)}
        return frozenset(term for term, _ in self._axis.naming if term in wanted)

    def find(self, text: str) -> list[Candidate]:
        """The candidates of one unit, in the order of the module docstring, overlaps removed."""
        return [Candidate(*candidate) for candidate in self._find_tuples(text)]

    def _find_tuples(self, text: str) -> list[tuple[int, int, str, str]]:
        # What find() gives, as (start, end, side, naming) tuples: scoring reads them without building Candidates.
        found: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return not taken or all(end <= a or start >= b for a, b in taken)

        if self._matcher is not None:
            analysis = analyze(text)
            offsets = analysis.offsets
            sides, naming = self._matcher.match(analysis)
            starts = {first for spans in sides.values() for first, _ in spans}
            for key, spans in sides.items():
                for first, stop in spans:
                    stop = _with_head_noun(analysis, first, stop, starts)
                    start, end = offsets[first][0], offsets[stop - 1][1]
                    if free(start, end):
                        found.append((start, end, key, ""))
                        taken.append((start, end))
            entries = self._matcher.naming_entries
            for index, first, stop in naming:
                entry = entries[index]
                if entry.term not in self._naming_terms:
                    continue
                # A naming variant is evidence of its own even where it contains an actor ("Kiev regime").
                found.append((offsets[first][0], offsets[stop - 1][1], "", entry.category))
        for start, end in capitalised_runs(text):
            if free(start, end):
                found.append((start, end, "", ""))
                taken.append((start, end))
        if self.spellings:
            for start, end in spelling_spans(text, self.spellings):
                if free(start, end):
                    found.append((start, end, "", ""))
                    taken.append((start, end))
        return found

