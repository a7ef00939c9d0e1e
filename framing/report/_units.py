"""The units of an article report: one frozen :class:`SentenceScore` per unit, stored as a :class:`SentenceTable`.

A report on a huge text keeps one row of arrays per unit (probabilities, the
boilerplate decision, cues as flat tuples, evidence as column indices) and
builds a :class:`SentenceScore` only when a unit is read.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._util import class_key, is_boilerplate
from ..text import Unit
from ._evidence import contribution_list
from ._voice import speaker_name

__all__ = ["SentenceScore", "SentenceTable", "CUE_FIELDS", "cue_records", "cue_tuples", "voice_fields"]


@dataclass(frozen=True)
class SentenceScore:
    """One unit of an article with its scores (frozen: assigning an attribute raises ``FrozenInstanceError``).

    Attributes
    ----------
    index, start, end : int
        Position among the article's units and character offsets into the article.
    text, kind : str
        The unit and its kind (``sentence`` or ``line``).
    boilerplate : float
        Probability that the unit is site furniture (excluded from scores when >= 0.5), as the model decided
        it once: the boilerplate head with the shape prior of :mod:`framing.report._boilerplate`. It is the
        number :meth:`framing.Model.predict_proba` gives for ``"boilerplate"`` (the head alone is
        ``model.classifiers["boilerplate"].predict_proba``).
    labels : dict
        Most probable class per task.
    probabilities : dict
        ``{task: {class: probability}}``.
    evidence : dict
        ``{task: [(feature, contribution), ...]}`` for the most probable class, largest first.
    cues : list of dict
        Lexicon cues with offsets inside the unit (``start``, ``end``, ``type``, ``term``, ``category``, ``in_quote``).
    voice : str
        Whose words the unit is: ``"author"``, ``"quoted"`` (wholly inside direct quotation) or ``"mixed"``.
    speaker, speaker_kind : str or None
        For quoted and mixed units, who the quoted words are by (the source phrase; a pronoun is named by
        what it refers back to) and whether that source is ``"named"`` or ``"anonymous"``; None when the
        unit quotes nobody or the speaker was not found.
    sources : list of dict
        The source phrases the unit itself attributes words to (``text``, ``kind``, ``start``, ``end``).
    quoted : list of [start, end]
        Direct-quotation spans inside the unit.
    """

    index: int
    start: int
    end: int
    text: str
    kind: str
    boilerplate: float
    labels: dict[str, Any]
    probabilities: dict[str, dict[str, float]]
    evidence: Mapping[str, list[tuple[str, float]]]
    cues: list[dict[str, Any]] = field(default_factory=list)
    voice: str = "author"
    speaker: str | None = None
    speaker_kind: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    quoted: list[list[int]] = field(default_factory=list)

    #: Frozen dataclasses hash their fields, which hold dictionaries: unhashable, like the list of units.
    __hash__ = None

    @property
    def is_boilerplate(self) -> bool:
        return is_boilerplate(self.boilerplate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "boilerplate": round(self.boilerplate, 6),
            "labels": {task: value for task, value in self.labels.items()},
            "probabilities": {t: {c: round(p, 6) for c, p in ps.items()} for t, ps in self.probabilities.items()},
            "evidence": {t: [[name, round(value, 6)] for name, value in items] for t, items in self.evidence.items()},
            "cues": self.cues,
            "voice": self.voice,
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "sources": self.sources,
            "quoted": self.quoted,
        }


#: A cue as stored in a :class:`SentenceTable` (a dict per cue would cost more memory than the text).
CUE_FIELDS = ("start", "end", "type", "term", "category", "in_quote")


def _stacked(arrays: dict[str, np.ndarray]) -> tuple[np.ndarray | None, list[tuple[str, int, int]]]:
    """``(one array with every task's columns side by side, [(task, first column, end column), ...])``."""
    bounds, start = [], 0
    for task, array in arrays.items():
        bounds.append((task, start, start + array.shape[1]))
        start += array.shape[1]
    return (np.hstack(list(arrays.values())) if arrays else None), bounds


def _split_row(stacked: tuple[np.ndarray | None, list[tuple[str, int, int]]], row: int) -> list[tuple[str, list]]:
    """``[(task, that task's values in row ``row``), ...]`` of a :func:`_stacked` array: one ``tolist`` per row.

    >>> _split_row(_stacked({"a": np.array([[1, 2]]), "b": np.array([[3]])}), 0)
    [('a', [1, 2]), ('b', [3])]
    """
    array, bounds = stacked
    values = array[row].tolist() if array is not None else []
    return [(task, values[start:end]) for task, start, end in bounds]


class SentenceTable(Sequence):
    """The units of a report: a read-only sequence of :class:`SentenceScore` stored as arrays.

    A report on a huge text keeps one row of numbers per unit instead of a
    dozen small dictionaries; a :class:`SentenceScore` is built when its index
    is read and kept (weakly) for as long as anything holds it, so reading an
    index twice gives the same object and iterating a huge report keeps memory
    flat. Indexing (negative indices too), slicing (a list), ``len``,
    iteration and ``==`` against any sequence of units behave as for a list;
    there is no item assignment, and the units are frozen. It pickles as
    itself (its arrays), not as a list of units.
    """

    def __init__(self, units: Sequence[Unit], classes: dict[str, tuple[Any, ...]],
                 probabilities: dict[str, np.ndarray], boilerplate: np.ndarray, cues: Sequence[tuple],
                 evidence_names: np.ndarray, evidence_columns: dict[str, np.ndarray],
                 evidence_values: dict[str, np.ndarray], voices: Sequence[Any] | None = None):
        self._units = list(units)
        self._voices = None if voices is None else list(voices)
        self._classes = classes
        self._probabilities = probabilities
        self._boilerplate = np.asarray(boilerplate, dtype=np.float64)
        self._cues = list(cues)
        self._names = np.asarray(evidence_names, dtype=object)
        self._evidence_columns = evidence_columns
        self._evidence_values = evidence_values
        self._setup()

    def _setup(self) -> None:
        self._keys = {task: [class_key(c) for c in cs] for task, cs in self._classes.items()}
        self._rows = None  # see _row_arrays
        self._built: weakref.WeakValueDictionary[int, SentenceScore] = weakref.WeakValueDictionary()

    def __getstate__(self) -> dict[str, Any]:
        # Only the stored arrays: the derived columns and the cache of built units are rebuilt on loading.
        derived = ("_keys", "_rows", "_built")
        return {name: value for name, value in self.__dict__.items() if name not in derived}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._setup()

    def __len__(self) -> int:
        return len(self._units)

    def _row_arrays(self) -> tuple:
        """The arrays units are built from, made on the first unit built (a report read for its scores never needs them).

        A unit reads one row of every task: each kind of array is stacked over the tasks once, so that building a
        unit indexes one row per kind, not one per task (the default model has 22 tasks).
        """
        if self._rows is None:
            best = (np.column_stack([p.argmax(axis=1) for p in self._probabilities.values()]) if self._probabilities
                    else np.zeros((len(self._units), 0), dtype=int))
            self._rows = (best, _stacked(self._probabilities), _stacked(self._evidence_columns),
                          _stacked(self._evidence_values))
        return self._rows

    def _row(self, row: int) -> SentenceScore:
        built = self._built.get(row)
        if built is not None:
            return built
        unit = self._units[row]
        best, probabilities, columns, values = self._row_arrays()
        labels = {task: self._classes[task][index] for task, index in zip(self._probabilities, best[row].tolist())}
        per_task = {task: dict(zip(self._keys[task], p)) for task, p in _split_row(probabilities, row)}
        evidence = {task: contribution_list(c, v, self._names)
                    for (task, c), (_, v) in zip(_split_row(columns, row), _split_row(values, row))}
        cues = [dict(zip(CUE_FIELDS, cue)) for cue in cue_records(self._cues[row])]
        built = SentenceScore(row, unit.start, unit.end, unit.text, unit.kind, float(self._boilerplate[row]), labels,
                              per_task, evidence, cues, **voice_fields(None if self._voices is None else self._voices[row]))
        self._built[row] = built
        return built

    def records(self, stop: int | None = None) -> list[dict[str, Any]]:
        """``[unit.to_dict() for unit in self[:stop]]``, made from the arrays without building the units.

        What :meth:`ArticleReport.to_dict` writes: every probability and contribution of the rows is rounded
        at once (``np.round`` to 6 decimals, the value ``round(p, 6)`` gives), one row per kind of array is
        read per unit, and no :class:`SentenceScore` is made (tests check the two are equal).
        """
        n = len(self) if stop is None else min(len(self), max(0, stop))
        best, (probabilities, bounds), (columns, column_bounds), (values, _) = self._row_arrays()
        probability_rows = np.round(probabilities[:n], 6).tolist() if probabilities is not None else [[]] * n
        value_rows = (np.round(values[:n].astype(np.float64), 6).tolist() if values is not None else [[]] * n)
        best_rows = best[:n].tolist()
        # Per task, what every row reads: its classes and class keys, and where its columns are.
        label_plan = [self._classes[task] for task in self._probabilities]
        probability_plan = [(task, self._keys[task], start, end) for task, start, end in bounds]
        evidence_rows = _evidence_rows(columns, column_bounds, value_rows, self._names, n)
        tasks = list(self._probabilities)
        voices = self._voices
        records = []
        for row in range(n):
            unit = self._units[row]
            p = probability_rows[row]
            voice = voice_fields(None if voices is None else voices[row])
            records.append({
                "index": row,
                "start": unit.start,
                "end": unit.end,
                "text": unit.text,
                "kind": unit.kind,
                "boilerplate": round(float(self._boilerplate[row]), 6),
                "labels": dict(zip(tasks, [classes[index] for classes, index in zip(label_plan, best_rows[row])])),
                "probabilities": {task: dict(zip(keys, p[start:end])) for task, keys, start, end in probability_plan},
                "evidence": evidence_rows[row],
                "cues": [dict(zip(CUE_FIELDS, cue)) for cue in cue_records(self._cues[row])],
                "voice": voice.get("voice", "author"),
                "speaker": voice.get("speaker"),
                "speaker_kind": voice.get("speaker_kind"),
                "sources": voice.get("sources", []),
                "quoted": voice.get("quoted", []),
            })
        return records

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(row) for row in range(*index.indices(len(self)))]
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
            raise TypeError(f"sentence indices must be integers or slices, not {type(index).__name__}")
        row = int(index)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f"sentence index {index} out of range for {len(self)} units")
        return self._row(row)

    def __iter__(self):
        return (self._row(row) for row in range(len(self)))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # equal to a list of the same units, which is not hashable either

    def __repr__(self) -> str:
        return f"SentenceTable({len(self)} units)"

    # Column access for the report's own summaries: no SentenceScore objects needed.
    def boilerplate_array(self) -> np.ndarray:
        """P(boilerplate) of every unit (a read-only view)."""
        view = self._boilerplate.view()
        view.flags.writeable = False
        return view

    def voice_rows(self) -> list[Any]:
        """Per unit, its :class:`framing.voice.UnitVoice` (None for every unit when the voices are not known)."""
        return list(self._voices) if self._voices is not None else [None] * len(self._units)

    def cue_rows(self) -> list[tuple]:
        """Per unit, its cues as one flat tuple (see :data:`CUE_FIELDS`)."""
        return list(self._cues)

    def texts(self) -> list[str]:
        return [unit.text for unit in self._units]

    def true_probabilities(self, tasks: Sequence[str]) -> np.ndarray:
        """``(n_units, len(tasks))``: every unit's P(True) of each of the binary ``tasks`` (a new array)."""
        columns = [self._probabilities[task][:, self._classes[task].index(True)] for task in tasks]
        return np.column_stack(columns) if columns else np.zeros((len(self._units), 0))

    def offsets_and_texts(self) -> list[tuple[int, str]]:
        """``(start, text)`` of every unit: its offset in the article and its words."""
        return [(unit.start, unit.text) for unit in self._units]


def _evidence_rows(columns: np.ndarray | None, bounds: list[tuple[str, int, int]], value_rows: list[list[float]],
                   names: np.ndarray, n: int) -> list[dict[str, list[list[Any]]]]:
    """Each of the first ``n`` rows' ``{task: [[feature name, contribution], ...]}`` (padding dropped).

    The names of all rows are looked up in one take, and each task's list is a slice of its row's pairs: a task's
    entries come first and its padding (column -1) after them, as :func:`top_positive_arrays` ranks them. A table
    with padding anywhere else is read entry by entry.
    """
    names_list = [str(name) for name in names.tolist()]
    if columns is None or not bounds:
        return [{} for _ in range(n)]
    columns = columns[:n]
    valid = columns >= 0
    starts = [start for _, start, _ in bounds]
    # A valid entry right after padding is untidy, unless it opens the next task's block.
    after_padding = valid[:, 1:] & ~valid[:, :-1]
    after_padding[:, [start - 1 for start in starts[1:] if start > 0]] = False
    if any(end <= start for _, start, end in bounds) or after_padding.any():
        column_rows = columns.tolist()
        return [{task: [[names_list[column], value] for column, value in zip(c[start:end], v[start:end]) if column >= 0]
                 for task, start, end in bounds} for c, v in zip(column_rows, value_rows)]
    counts = np.add.reduceat(valid, starts, axis=1, dtype=np.intp).tolist()
    name_rows = np.asarray([*names_list, None], dtype=object)[columns].tolist()
    rows = []
    for name_row, value_row, count_row in zip(name_rows, value_rows, counts):
        pairs = [[name, value] for name, value in zip(name_row, value_row)]
        rows.append({task: pairs[start:start + count] for (task, start, _), count in zip(bounds, count_row)})
    return rows


def voice_fields(voice) -> dict[str, Any]:
    """A unit's voice as :class:`SentenceScore` fields (the defaults without a voice)."""
    if voice is None:
        return {}
    speaker = voice.speaker
    return {
        "voice": voice.voice,
        "speaker": None if speaker is None else speaker_name(speaker),
        "speaker_kind": None if speaker is None else speaker.kind,
        "sources": [{"text": m.text, "kind": m.kind, "start": m.start, "end": m.end} for m in voice.sources],
        "quoted": [[start, end] for start, end in voice.quoted],
    }


def cue_tuples(cues: Sequence[dict[str, Any]]) -> tuple:
    """One unit's cues as one flat tuple, the fields of :data:`CUE_FIELDS` cue after cue (compact)."""
    return tuple(cue[name] for cue in cues for name in CUE_FIELDS)


def cue_records(flat: tuple) -> list[tuple]:
    width = len(CUE_FIELDS)
    return [flat[i:i + width] for i in range(0, len(flat), width)]
