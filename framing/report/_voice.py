"""Whose words the scores are: the author's own rates, the quoted speakers' rates, and who the speakers are.

The views' words for them are here too (:func:`voice_lines`, :func:`speaker_text`, ...): every view leads with
the author's voice.

The model scores every unit as a whole (``rates``). The voice stage says which
units, or which parts of a unit, are direct quotation; here the scored units are
split by voice: a unit in the author's words counts for the author, a unit wholly
inside quotation for its speaker, and a unit that mixes both counts with each part
scored alone (``She added: "…"`` gives the author ``She added: "…"`` and the
speaker the quoted words). This only reads what the model computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._util import class_key
from ._frames import without_frames
from ._reliability import FINDING, finding_status, short_status

__all__ = ["VoiceSplit", "column_means", "shares_and_rates", "speakers_of", "split_by_voice", "speaker_name", "AUTHOR_VOICE",
           "VOICE_NOTE", "SPEAKERS_LISTED", "rates_text", "quoted_counts", "speaker_text", "voice_lines", "quoted_words"]


def speaker_name(mention) -> str:
    """How a report names a speaker: the source phrase, or for a pronoun the phrase it refers back to.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> speaker_name(SimpleNamespace(text="he", antecedent="Mick Lynch"))
    'Mick Lynch'
    """
    antecedent = getattr(mention, "antecedent", None)
    return antecedent or mention.text


class VoiceSplit:
    """Per-task probability rows of the author's words and of the quoted words of an article's scored units."""

    def __init__(self, author: dict[str, np.ndarray], quoted: dict[str, np.ndarray], quoted_units: list[int]):
        self.author = author
        self.quoted = quoted
        #: The unit index of each quoted row (same order as the rows of ``quoted``).
        self.quoted_units = quoted_units


def split_by_voice(tasks: Sequence[str], probabilities: Mapping[str, np.ndarray], scored_rows: np.ndarray,
                   voices: Sequence[Any] | None, part_rows: np.ndarray,
                   part_probabilities: Mapping[str, Mapping[str, np.ndarray]]) -> VoiceSplit:
    """The scored units' probabilities split into the author's words and the quoted words.

    Without voices every scored unit is the author's.
    """
    if voices is None:
        author = {task: probabilities[task][scored_rows] for task in tasks}
        empty = {task: probabilities[task][:0] for task in tasks}
        return VoiceSplit(author, empty, [])
    part_index = {int(row): k for k, row in enumerate(part_rows)}
    author_rows, quoted_units, quoted_parts = [], [], []
    for row in scored_rows.tolist():
        voice = voices[row].voice
        if voice == "author":
            author_rows.append(("unit", row))
        elif voice == "quoted":
            quoted_units.append(row)
            quoted_parts.append(("unit", row))
        else:
            k = part_index[row]
            author_rows.append(("part", k))
            quoted_units.append(row)
            quoted_parts.append(("part", k))

    def gather(rows, part: str) -> dict[str, np.ndarray]:
        out = {}
        of_part = np.asarray([kind == "part" for kind, _ in rows], dtype=bool)
        at = np.asarray([i for _, i in rows], dtype=np.intp)
        for task in tasks:
            full, parts = probabilities[task], part_probabilities.get(part, {}).get(task)
            if not rows:
                out[task] = np.zeros((0, full.shape[1]))
            elif not of_part.any():
                out[task] = full[at]
            else:
                # The parts' rows follow the units' in one array, so that one take copies every row in order.
                out[task] = np.concatenate([full, parts])[np.where(of_part, at + len(full), at)]
        return out

    return VoiceSplit(gather(author_rows, "author"), gather(quoted_parts, "quoted"), quoted_units)


def shares_and_rates(tasks: Sequence[str], classes: Mapping[str, tuple[Any, ...]],
                     rows: Mapping[str, np.ndarray]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """``({task: {class: mean probability}}, {binary task: mean P(True)})`` over ``rows``; empty without rows."""
    shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    present = [task for task in tasks if len(rows[task])]
    for task, mean in zip(present, column_means([rows[task] for task in present])):
        shares[task] = {class_key(c): float(v) for c, v in zip(classes[task], mean)}
        if classes[task] == (False, True):
            rates[task] = float(mean[1])
    return shares, rates


def column_means(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each 2-D array's mean over its rows, taken in one pass over the arrays side by side when they can be.

    A mean over axis 0 adds each column's values row after row, so side by side every column gets the sums
    (and the means) it gets alone; arrays of different lengths or types are averaged one by one.

    Examples
    --------
    >>> [m.tolist() for m in column_means([np.array([[0.25, 0.75], [0.5, 0.5]]), np.array([[1.0], [0.0]])])]
    [[0.375, 0.625], [0.5]]
    """
    if len(arrays) < 2 or len({(len(a), a.dtype) for a in arrays}) > 1:
        return [a.mean(axis=0) for a in arrays]
    means = np.hstack(arrays).mean(axis=0)
    return np.split(means, np.cumsum([a.shape[1] for a in arrays])[:-1])


def speakers_of(voices: Sequence[Any] | None, split: VoiceSplit, tasks: Sequence[str],
                classes: Mapping[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The quoted speakers, most quoted first: name, kind, the units they speak in and their rates there.

    A quotation whose speaker the voice stage could not find is listed under ``"speaker": None``.
    """
    if voices is None or not split.quoted_units:
        return []
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for position, unit in enumerate(split.quoted_units):
        speaker = voices[unit].speaker
        key = (None, None) if speaker is None else (speaker_name(speaker), speaker.kind)
        groups.setdefault(key, []).append(position)
    speakers = []
    for (name, kind), positions in groups.items():
        rows = {task: split.quoted[task][positions] for task in tasks}
        shares, rates = shares_and_rates(tasks, classes, rows)
        speakers.append({"speaker": name, "kind": kind, "units": [split.quoted_units[p] for p in positions],
                         "rates": rates, "shares": shares})
    # Most quoted first; ties by first appearance, so the order is the same on every run.
    speakers.sort(key=lambda item: (-len(item["units"]), item["units"][0]))
    return speakers


# ---------------------------------------------------------------------- what the views say of voices

#: How every view names the rates over the author's own words.
AUTHOR_VOICE = "author's own words"
#: The one line that says which rate is which.
VOICE_NOTE = ("which rate is which: author's own words = outside quotation marks; quoted = inside them; "
              "all other numbers = all words")


def _get(source: Any, name: str) -> Any:
    """``source[name]`` of a report record or ``source.name`` of an :class:`~framing.report.ArticleReport`."""
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def rates_text(source: Any, rates: Mapping[str, float]) -> str:
    """``"loaded rate 0.12, hedged rate 0.05"``; a task whose number is not a finding gives its short status.

    Examples
    --------
    >>> record = {"reliability": {"hedged": {"reliable": False, "value": 0.5}}}
    >>> rates_text(record, {"loaded": 0.123, "hedged": 0.2})
    'loaded rate 0.12, hedged: not reliable'
    """
    parts = []
    for task, rate in rates.items():
        status = finding_status(source, task)
        parts.append(f"{task} rate {rate:.2f}" if status == FINDING else f"{task}: {short_status(status)}")
    return ", ".join(parts)


def quoted_counts(source: Any) -> tuple[int, int]:
    """``(quoted units, named speakers found)`` of a report or record (a quote whose speaker was not found counts
    as a unit, not as a speaker).

    Examples
    --------
    >>> quoted_counts({"speakers": [{"speaker": "Mick Lynch", "units": [2, 3]}, {"speaker": None, "units": [7]}]})
    (3, 1)
    """
    speakers = _get(source, "speakers") or []
    return sum(len(s.get("units") or []) for s in speakers), sum(1 for s in speakers if s.get("speaker"))


def speaker_text(speaker: Mapping[str, Any]) -> str:
    """``"Mick Lynch (named, 2 units)"``; ``"speaker not found (1 unit)"`` for a quote nobody was linked to.

    Examples
    --------
    >>> speaker_text({"speaker": "an insider", "kind": "anonymous", "units": [4]})
    'an insider (anonymous, 1 unit)'
    """
    n = len(speaker.get("units") or [])
    units = f"{n} unit{'' if n == 1 else 's'}"
    if not speaker.get("speaker"):
        return f"speaker not found ({units})"
    kind = speaker.get("kind") or "kind unknown"
    return f"{speaker['speaker']} ({kind}, {units})"


#: Speakers named in a one-line list; the rest are counted.
SPEAKERS_LISTED = 5


def voice_lines(source: Any) -> list[str]:
    """The author's rates, the quoted rates with their speakers, and which rate is which: the lines views lead with.

    ``source`` is an :class:`~framing.report.ArticleReport` or its record. Empty for a report without
    ``author_rates`` (written before reports had voices). A task whose number is not a finding gives its
    status (:func:`rates_text`).

    Examples
    --------
    >>> record = {"rates": {"loaded": 0.4}, "author_rates": {"loaded": 0.1}, "quoted_rates": {"loaded": 0.8},
    ...           "speakers": [{"speaker": "Mick Lynch", "kind": "named", "units": [1, 2]}]}
    >>> for line in voice_lines(record):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    author's own words: loaded rate 0.10
    quoted (2 units, 1 speaker): loaded rate 0.80
    speakers: Mick Lynch (named, 2 units)
    which rate is which: author's own words = outside quotation marks; quoted = inside them; all other numbers = all words
    """
    author = _get(source, "author_rates") or {}
    if not author and not _get(source, "speakers"):
        return []
    # A frame set's tasks are read as its profile, not as one rate each (see framing.report._frames).
    author = without_frames(source, author)
    lines = [f"{AUTHOR_VOICE}: " + (rates_text(source, author) or "no rate")]
    units, named = quoted_counts(source)
    quoted = without_frames(source, _get(source, "quoted_rates") or {})
    if units:
        lines.append(f"quoted ({units} unit{'' if units == 1 else 's'}, {named} speaker{'' if named == 1 else 's'}): "
                     + (rates_text(source, quoted) or "no rate"))
        speakers = _get(source, "speakers") or []
        listed = "; ".join(speaker_text(s) for s in speakers[:SPEAKERS_LISTED])
        more = len(speakers) - SPEAKERS_LISTED
        lines.append("speakers: " + listed + (f"; and {more} more" if more > 0 else ""))
    else:
        lines.append("quoted: no direct quotation found")
    lines.append(VOICE_NOTE)
    return lines


def quoted_words(sentence: Mapping[str, Any]) -> str:
    """The quoted words of a unit record: its quotation spans joined by " … " (the whole unit when it is all quoted).

    Examples
    --------
    >>> quoted_words({"text": 'She added: "We are tired."', "voice": "mixed", "quoted": [[12, 25]]})
    'We are tired.'
    """
    text = sentence.get("text") or ""
    spans = [text[start:end].strip() for start, end in sentence.get("quoted") or []]
    if not any(spans) and sentence.get("voice") == "quoted":
        return text.strip()
    return " … ".join(span for span in spans if span)
