"""Whose words the scores are: the author's own rates, the quoted speakers' rates, and who the speakers are.

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

__all__ = ["VoiceSplit", "shares_and_rates", "speakers_of", "split_by_voice", "speaker_name"]


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
        for task in tasks:
            full, parts = probabilities[task], part_probabilities.get(part, {}).get(task)
            columns = full.shape[1]
            out[task] = (np.stack([full[i] if kind == "unit" else parts[i] for kind, i in rows])
                         if rows else np.zeros((0, columns)))
        return out

    return VoiceSplit(gather(author_rows, "author"), gather(quoted_parts, "quoted"), quoted_units)


def shares_and_rates(tasks: Sequence[str], classes: Mapping[str, tuple[Any, ...]],
                     rows: Mapping[str, np.ndarray]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """``({task: {class: mean probability}}, {binary task: mean P(True)})`` over ``rows``; empty without rows."""
    shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    for task in tasks:
        p = rows[task]
        if not len(p):
            continue
        mean = p.mean(axis=0)
        shares[task] = {class_key(c): float(v) for c, v in zip(classes[task], mean)}
        if classes[task] == (False, True):
            rates[task] = float(mean[1])
    return shares, rates


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
