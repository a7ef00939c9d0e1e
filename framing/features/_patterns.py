"""Rule-based pattern blocks with fixed named columns: attribution, hedging and layout (shape)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from numbers import Integral
from operator import itemgetter

import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval
from ..lexicon._lexicon import GroupedMatcher, Lexicon, LexiconEntry, load_lexicon
from ._analysis import analyze, texts_of, training, training_rows
from ._base import CsrParts, _NamedFeatures, dense_parts, parts_matrix

__all__ = ["AttributionFeatures", "HedgeFeatures", "ShapeFeatures", "pattern_names"]

_ASCII_DIGIT = re.compile(r"[0-9]")
#: Text that _URL can match contains one of these (a cheap test first: _URL backtracks at every position).
_URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|gr|ua|ru|uk)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|org|net|gr|ua|ru|uk)\b", re.IGNORECASE)

_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i"})
_FIRST_PERSON = frozenset({"i", "we", "our", "us", "my", "me"})
_SECOND_PERSON = frozenset({"you", "your", "yours"})
_MODALS = frozenset({"may", "might", "could"})
_FUTURE = frozenset({"will", "shall"})
_CAPITALISED_STOP = frozenset(
    {"The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "In", "On", "At",
     "As", "But", "And", "However", "According", "Earlier", "Meanwhile", "Despite", "After", "Before", "Another",
     "One", "Some", "Any", "If", "When", "Due", "For", "Additionally", "Essentially", "Simultaneously", "Later",
     "Initially", "To", "You", "Your", "Our", "His", "Her", "Their"}
)


_COLON_SPEAKER = re.compile(r"^[A-Z][\w’'.\- ]{1,40}(?:\([^)]{1,30}\))?:\s")
_DASH_SOURCE = re.compile(r"\s[–—-]\s*[A-Z][\w.]{1,20}$")


def _window(positions: Sequence[int], targets: Sequence[int], width: int) -> bool:
    if not positions or not targets:
        return False
    return any(abs(p - t) <= width for p in positions for t in targets)


class _PatternFeatures(_NamedFeatures):
    """Base for rule-based pattern features with a fixed list of named columns."""

    _names: tuple[str, ...] = ()

    def fit(self, X, y=None) -> _NamedFeatures:
        self._check_params()
        texts_of(X)
        self.feature_names_ = list(self._names)
        self.n_features_in_ = 1
        return self

    def _memo_key(self) -> tuple:
        """What this block's rows depend on besides the text (its class, parameters and learned state)."""
        records = tuple(tuple(record) for record in getattr(self, "lexicon_", ()))
        return (type(self).__name__, getattr(self, "window", None), records)

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        return parts_matrix(self._csr_parts(texts_of(X)), len(self.feature_names_))

    def _csr_parts(self, texts: list[str]) -> CsrParts:
        """The rows of ``texts`` as :data:`~framing.features._base.CsrParts` (for a fitted block)."""
        # The key spells out the learned lexicon, which costs more than a few rows: built only while training.
        cache = training_rows(self._memo_key()) if training() else None
        if cache is None:
            rows = [self._row(text) for text in texts]
        else:
            # Training: the same text gives the same row in every fold (nothing here is learned from labels).
            rows = []
            for text in texts:
                row = cache.get(text)
                if row is None:
                    row = cache[text] = self._row(text)
                rows.append(row)
        return dense_parts(rows, len(self.feature_names_))


#: Which entries each cue group of the pattern features matches, and the lexicons they come from.
_CUE_GROUPS = ("cue", "vague", "org", "hedge", "booster")
_CUE_LEXICONS = ("attribution", "source", "org", "hedge", "booster")


def _cue_group(entry: LexiconEntry) -> str | None:
    if entry.lexicon == "attribution":
        return "cue"
    if entry.lexicon == "source":
        return "vague"
    if entry.lexicon == "org":
        return "org"
    if entry.lexicon == "hedge" and entry.category not in ("conditional",):
        return "hedge"
    if entry.lexicon == "booster":
        return "booster"
    return None


@lru_cache(maxsize=8)
def _cue_matcher(records: tuple[tuple[str, ...], ...]) -> GroupedMatcher:
    # Keyed by the learned records, so the attribution and hedging blocks of a model share one matcher
    # (and its per-sentence results): each sentence is matched once for both.
    groups: dict[str, list[LexiconEntry]] = {name: [] for name in _CUE_GROUPS}
    for entry in Lexicon.from_records(records):
        group = _cue_group(entry)
        if group is not None:
            groups[group].append(entry)
    return GroupedMatcher(groups)


class _LexiconPatternFeatures(_PatternFeatures):
    def _matchers(self) -> GroupedMatcher:
        cached = self.__dict__.get("_matcher_cache")
        if cached is None:
            check_is_fitted(self, "lexicon_")
            # An empty learned lexicon means no cues, not "use the bundled lexicon".
            cached = _cue_matcher(tuple(tuple(record) for record in self.lexicon_))
            self.__dict__["_matcher_cache"] = cached
        return cached

    def fit(self, X, y=None) -> _NamedFeatures:
        super().fit(X, y)
        lexicon = self.lexicon if self.lexicon is not None else load_lexicon()
        self.lexicon_ = lexicon.to_records(_CUE_LEXICONS)
        self.__dict__.pop("_matcher_cache", None)
        return self


class AttributionFeatures(_LexiconPatternFeatures):
    """Who carries the claim: cue verbs, named or vague sources near them, quotations.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Source of the cue verbs, vague-source nouns and organisation names;
        ``None`` means the bundled lexicons.
    window : int, default=6
        How many tokens a source may stand from a cue to count as near it.

    Examples
    --------
    >>> f = AttributionFeatures().fit(["x"])
    >>> row = f.transform(["Kushner will fly, according to a senior US official."]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("attr:vague_near_cue")])
    1.0
    """

    _names = (
        "attr:cue", "attr:cue_loaded", "attr:according_to", "attr:named_near_cue", "attr:org_near_cue",
        "attr:pronoun_near_cue", "attr:vague_near_cue", "attr:vague_source", "attr:org", "attr:person_name",
        "attr:quote_marks", "attr:quote_share", "attr:starts_in_quote", "attr:ends_in_quote",
        "attr:colon_speaker", "attr:dash_source", "attr:first_person", "attr:first_person_in_quote",
    )

    _parameter_constraints: dict = {"lexicon": [Lexicon, None], "window": [Interval(Integral, 0, None, closed="left")]}

    def __init__(self, lexicon=None, window=6):
        self.lexicon = lexicon
        self.window = window

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        matcher = self._matchers()
        tokens, raw = analysis.tokens, analysis.raw
        found = matcher.match(tokens)
        cues, cue_entries = found["cue"], matcher.groups["cue"]
        in_quote = analysis.in_quote
        quotes = analysis.has_quote_marks
        n = len(tokens)
        if cues:
            cue_positions = [start for _, start, _ in cues if not in_quote[start]]
            categories = [cue_entries[index].category for index, _, _ in cues]
            loaded_cues, according = categories.count("loaded_cue"), categories.count("according_to")
        else:
            cue_positions, loaded_cues, according = [], 0, 0
        vague = [start for _, start, _ in found["vague"]]
        orgs = [start for _, start, _ in found["org"]]
        # Only the few capitalised tokens (and pronouns, first person) are visited, not every token.
        names = [position for position in compress(range(n), map(str.isupper, map(itemgetter(0), raw)))
                 if raw[position] not in _CAPITALISED_STOP and not (quotes and in_quote[position])]
        person_name = any(names[k + 1] == names[k] + 1 for k in range(len(names) - 1))
        pronouns = [p for p in compress(range(n), map(_PRONOUNS.__contains__, tokens)) if not in_quote[p]] \
            if cue_positions else []
        n_tokens = max(n, 1)
        quoted = sum(in_quote) if quotes else 0
        first_person = [] if _FIRST_PERSON.isdisjoint(tokens) else \
            list(compress(range(n), map(_FIRST_PERSON.__contains__, tokens)))
        stripped = text.strip()
        # Each pattern needs its literal character: the cheap test first.
        colon_speaker = (":" in stripped and _COLON_SPEAKER.match(stripped) is not None
                         and len(stripped.split(":")[0].split()) <= 5)
        dash_source = ("-" in stripped or "–" in stripped or "—" in stripped) and _DASH_SOURCE.search(stripped) is not None
        width = self.window
        return [
            float(len(cues)),
            float(loaded_cues),
            float(according),
            float(_window(cue_positions, names, width)),
            float(_window(cue_positions, orgs, width)),
            float(_window(cue_positions, pronouns, 3)),
            float(_window(cue_positions, vague, width)),
            float(len(vague)),
            float(len(orgs)),
            float(person_name),
            float(analysis.has_quote_marks),
            quoted / n_tokens,
            float(bool(analysis.in_quote) and analysis.in_quote[0]),
            float(bool(analysis.in_quote) and analysis.in_quote[-1]),
            float(colon_speaker),
            float(dash_source),
            float(bool(first_person)),
            float(any(analysis.in_quote[p] for p in first_person)),
        ]


class HedgeFeatures(_LexiconPatternFeatures):
    """Epistemic hedging patterns, split by author's voice and quotation.

    Examples
    --------
    >>> f = HedgeFeatures().fit(["x"])
    >>> row = f.transform(["The talks are expected to be difficult."]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("hedge:expected_to")])
    1.0
    """

    _names = (
        "hedge:any", "hedge:any@quote", "hedge:modal", "hedge:modal@quote", "hedge:expected_to",
        "hedge:future", "hedge:conditional", "hedge:vague_attribution", "hedge:booster", "hedge:density",
    )

    _parameter_constraints: dict = {"lexicon": [Lexicon, None]}

    def __init__(self, lexicon=None):
        self.lexicon = lexicon

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        found = self._matchers().match(analysis.tokens)
        tokens, in_quote = analysis.tokens, analysis.in_quote
        hedges = found["hedge"]
        author = sum(1 for _, start, _ in hedges if not in_quote[start])
        # Each count visits only the tokens it counts.
        modals = [in_quote[p] for p in compress(range(len(tokens)), map(_MODALS.__contains__, tokens))]
        modal_quote = sum(modals)
        modal_author = len(modals) - modal_quote
        expected = (sum(1 for p in range(len(tokens) - 1) if tokens[p] == "expected" and tokens[p + 1] == "to")
                    if "expected" in tokens else 0)
        future = sum(map(_FUTURE.__contains__, tokens))
        conditional = tokens.count("would")
        vague = bool(found["vague"])
        according = "according" in tokens
        boosters = len(found["booster"])
        return [
            float(author),
            float(len(hedges) - author),
            float(modal_author),
            float(modal_quote),
            float(expected),
            float(future),
            float(conditional),
            float(vague and according),
            float(boosters),
            author / max(len(tokens), 1) * 10.0,
        ]


class ShapeFeatures(_PatternFeatures):
    """Layout cues that separate headlines, captions and site furniture from body sentences.

    Examples
    --------
    >>> f = ShapeFeatures().fit(["x"])
    >>> row = f.transform(["Related Posts"]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("shape:line")])
    1.0
    """

    _names = (
        "shape:line", "shape:log_tokens", "shape:short", "shape:digits", "shape:non_latin", "shape:url",
        "shape:question", "shape:exclamation", "shape:title_case", "shape:first_person", "shape:second_person",
    )

    def __init__(self):
        pass

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        raw, tokens = analysis.raw, analysis.tokens
        capitalised = sum(map(str.isupper, map(itemgetter(0), raw))) / max(len(raw), 1)
        if text.isascii():
            # Every character is below U+0080: no letter is non-Latin, and the digits are 0-9.
            non_latin, digits = 0.0, _ASCII_DIGIT.search(text) is not None
        else:
            letters = [c for c in text if c.isalpha()]
            non_latin = sum(1 for c in letters if ord(c) > 0x24F) / max(len(letters), 1)
            digits = any(c.isdigit() for c in text)
        end = text.rstrip()
        return [
            float(analysis.is_line),
            math.log1p(len(tokens)),
            float(len(tokens) <= 4),
            float(digits),
            non_latin,
            float(_URL_HINT.search(text) is not None and _URL.search(text) is not None),
            float(end.endswith("?")),
            float(end.endswith("!")),
            float(capitalised > 0.6 and len(raw) >= 3),
            float(not _FIRST_PERSON.isdisjoint(tokens) and not analysis.has_quote_marks),
            float(not _SECOND_PERSON.isdisjoint(tokens)),
        ]


def pattern_names() -> frozenset:
    """Column names of the fixed pattern transformers, which term columns must not reuse."""
    return frozenset(AttributionFeatures._names + HedgeFeatures._names + ShapeFeatures._names)
