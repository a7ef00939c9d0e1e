"""Article reports: aggregate sentence probabilities into scores, with the evidence behind them.

Only sentences whose boilerplate probability is below one half are scored.
For every task the report gives each class's *share* (the mean probability
over scored sentences); binary tasks also get a *rate* (the share of
``True``). The *slant index* is ``mean(P(positive pole) - P(negative pole))``
over scored sentences for the schema's polar task (:attr:`framing.Schema.polarity`),
in [-1, 1]: with the default schema, -1 is wholly pro-Russia and +1 wholly
pro-Ukraine. Evidence is exact: for a
linear model a feature's contribution to a class is its coefficient (minus
the mean coefficient of the other classes) times its value, divided by the
task's temperature.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from .._util import BOILERPLATE, BOILERPLATE_THRESHOLD, bootstrap_interval, class_key, is_boilerplate, label_index, polar_index
from ..data._corpus import PolarSpec
from ..text import Unit
from ._evidence import contribution_list, top_contribution_arrays
from ._reliability import unreliable_note
from ._scored import CUE_TYPES, ScoredSentences, ranked_features, row_entries

__all__ = ["SentenceScore", "SentenceTable", "ArticleReport", "build_report", "build_report_in_chunks", "CUE_TYPES"]


@dataclass
class SentenceScore:
    """One unit of an article with its scores.

    Attributes
    ----------
    index, start, end : int
        Position among the article's units and character offsets into the article.
    text, kind : str
        The unit and its kind (``sentence`` or ``line``).
    boilerplate : float
        Probability that the unit is site furniture (excluded from scores when >= 0.5).
    labels : dict
        Most probable class per task.
    probabilities : dict
        ``{task: {class: probability}}``.
    evidence : mapping
        ``{task: [(feature, contribution), ...]}`` for the most probable class
        (in a report from :meth:`framing.Model.score`, computed on first access).
    cues : list of dict
        Lexicon cues with offsets inside the unit (``start``, ``end``, ``type``, ``term``, ``category``, ``in_quote``).
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
        }


@dataclass
class ArticleReport:
    """Scores of one article and the evidence behind them (see the module docstring)."""

    sentences: list[SentenceScore]
    tasks: tuple[str, ...]
    classes: dict[str, tuple[Any, ...]]
    shares: dict[str, dict[str, float]]
    rates: dict[str, float]
    slant_task: str | None
    slant_index: float | None
    #: ``{task: {class: [sentence, ...]}}`` and ``{task: {class: [(feature, total), ...]}}``: the evidence
    #: behind each class's share (in a report from :meth:`framing.Model.score`, computed on first access).
    top_sentences: Mapping[str, dict[str, list[dict[str, Any]]]]
    top_terms: Mapping[str, dict[str, list[tuple[str, float]]]]
    model: dict[str, Any] = field(default_factory=dict)
    #: The polar task and its poles (``slant_index`` is mean P(positive) - P(negative)); None without one.
    polar: PolarSpec | None = None
    #: 95% bootstrap interval of ``slant_index`` over the sentences it averages; None when there is no index.
    slant_interval: tuple[float, float] | None = None
    #: Why there is no slant index (e.g. no actor of either side is mentioned), or None.
    slant_note: str | None = None
    #: ``{task: {"reliable": bool, "metric", "value", "protocol", ...}}``: the model's measured out-of-domain
    #: skill per task (from its metadata); a task marked unreliable is not presented as a finding.
    reliability: dict[str, dict[str, Any]] = field(default_factory=dict)

    def is_reliable(self, task: str) -> bool:
        """False when the model's own evaluation found ``task`` near chance on data it never saw."""
        return bool(self.reliability.get(task, {}).get("reliable", True))

    def reliability_note(self, task: str) -> str:
        """``"not reliable (measured ...)"`` for an unreliable task, else ``""``."""
        info = self.reliability.get(task) or {}
        if info.get("reliable", True):
            return ""
        return unreliable_note(info)

    @property
    def n_units(self) -> int:
        return len(self.sentences)

    def _boilerplate_values(self) -> list[float]:
        if isinstance(self.sentences, SentenceTable):
            return self.sentences.boilerplate_array().tolist()
        return [s.boilerplate for s in self.sentences]

    @property
    def n_sentences(self) -> int:
        """Number of scored (non-boilerplate) units."""
        return sum(1 for p in self._boilerplate_values() if not is_boilerplate(p))

    @property
    def scored(self) -> list[SentenceScore]:
        return [s for s in self.sentences if not s.is_boilerplate]

    def dominant(self, task: str) -> str | None:
        """The class with the largest share, or None for an empty article."""
        shares = self.shares.get(task) or {}
        if not shares or self.n_sentences == 0:
            return None
        return max(shares, key=lambda c: (shares[c], c))

    def to_dict(self, max_sentences: int | None = None) -> dict[str, Any]:
        """A JSON-serialisable dictionary (binary classes as "true"/"false").

        Parameters
        ----------
        max_sentences : int, optional
            Keep only the first this many units under ``"sentences"`` (``n_units``
            still counts them all): for a page or a preview of a huge text.
        """
        units = self.sentences if max_sentences is None else self.sentences[:max(0, max_sentences)]
        return {
            "n_units": self.n_units,
            "n_sentences": self.n_sentences,
            "tasks": list(self.tasks),
            "classes": {t: [class_key(c) for c in cs] for t, cs in self.classes.items()},
            "shares": self.shares,
            "rates": self.rates,
            "slant_task": self.slant_task,
            "polar": self.polar.to_dict() if self.polar is not None else None,
            "slant_index": self.slant_index,
            "slant_interval": list(self.slant_interval) if self.slant_interval is not None else None,
            "slant_note": self.slant_note,
            "reliability": self.reliability,
            "dominant": {t: self.dominant(t) for t in self.tasks},
            "top_sentences": {t: dict(cs) for t, cs in self.top_sentences.items()},
            "top_terms": {t: {c: [[n, round(v, 6)] for n, v in items] for c, items in cs.items()} for t, cs in self.top_terms.items()},
            "sentences": [s.to_dict() for s in units],
            "model": self.model,
        }

    def _poles(self) -> tuple[Any, ...]:
        """(negative, positive) classes of the polar task, or () without one."""
        if self.polar is None:
            return ()
        return (self.polar.negative, self.polar.positive)

    def summary(self) -> str:
        """A short plain-text summary for terminals."""
        n_left_out = self.n_units - self.n_sentences
        lines = [f"{self.n_sentences} scored sentence{'' if self.n_sentences == 1 else 's'} "
                 f"({n_left_out} boilerplate unit{'' if n_left_out == 1 else 's'} left out)"]
        poles = self._poles()
        if self.slant_note and poles:
            lines.append(f"slant index: none ({self.slant_note})")
        elif self.slant_task is not None and not self.is_reliable(self.slant_task):
            lines.append(f"slant index: {self.reliability_note(self.slant_task)}")
        elif self.slant_index is not None and poles:
            negative, positive = poles
            interval = (f"; 95% interval {self.slant_interval[0]:+.2f} to {self.slant_interval[1]:+.2f}"
                        if self.slant_interval is not None else "")
            lines.append(f"slant index {self.slant_index:+.2f}  (-1 = {negative}, +1 = {positive}){interval}")
        for task, rate in self.rates.items():
            note = self.reliability_note(task)
            lines.append(f"{task}: {note}" if note else f"{task} rate {rate:.2f}")
        for task in self.tasks:
            if task in self.rates:
                continue
            note = self.reliability_note(task)
            if note:
                lines.append(f"{task}: {note}")
                continue
            shares = sorted(self.shares[task].items(), key=lambda item: -item[1])[:3]
            lines.append(f"{task}: " + ", ".join(f"{c} {p:.2f}" for c, p in shares))
        pole_keys = [class_key(pole) for pole in poles]
        for task, by_class in self.top_terms.items():
            for cls, items in by_class.items():
                # Layout features (shape:*) say where a sentence sits, not how it is worded: no evidence to show.
                names = [name for name, _ in items if not name.startswith("shape:")][:5]
                # Binary tasks: the evidence for true; the polar task: the evidence for each pole.
                if not self.is_reliable(task) or task == self.slant_task and self.slant_index is None:
                    continue
                if names and (task in self.rates and cls == "true" or task == self.slant_task and cls in pole_keys):
                    lines.append(f"top {task}={cls} evidence: " + ", ".join(names))
        lines.extend(self._cue_lines())
        if self.slant_task is not None and self.slant_index is not None and self.is_reliable(self.slant_task):
            for cls in poles:
                top = self.top_sentences.get(self.slant_task, {}).get(class_key(cls)) or []
                if top:
                    text = top[0]["text"]
                    text = text if len(text) <= 160 else text[:157] + "..."
                    lines.append(f"most {cls} sentence (#{top[0]['index']}, p={top[0]['probability']:.2f}): {text}")
        return "\n".join(lines)

    def _cue_lines(self, per_type: int = 5) -> list[str]:
        """The lexicon cues found in the scored sentences, most frequent first, one line per cue type."""
        counts: dict[str, Counter] = {}
        if isinstance(self.sentences, SentenceTable):
            # Straight from the stored columns: no SentenceScore objects for a summary.
            rows = zip(self.sentences.texts(), self.sentences.cue_rows(), self._boilerplate_values())
            units = ((text, [(cue[0], cue[1], cue[2]) for cue in _cue_records(cues)], p) for text, cues, p in rows)
        else:
            units = ((s.text, [(c["start"], c["end"], c["type"]) for c in s.cues], s.boilerplate) for s in self.sentences)
        for text, cues, boilerplate in units:
            if is_boilerplate(boilerplate):
                continue
            # Overlapping matches of one type ("is expected", "expected to") are one cue: merge them.
            spans: dict[str, list[list[int]]] = {}
            for start, end, cue_type in sorted(cues, key=lambda c: (c[0], c[1])):
                merged = spans.setdefault(cue_type, [])
                if merged and start < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            for cue_type, intervals in spans.items():
                for start, end in intervals:
                    counts.setdefault(cue_type, Counter())[text[start:end].lower()] += 1
        lines = []
        for cue_type in ("loaded", "naming", "hedge", "booster", "attribution_cue", "source"):
            if counts.get(cue_type):
                # Ties in alphabetical order, so the line is the same on every run.
                common = sorted(counts[cue_type].items(), key=lambda item: (-item[1], item[0]))[:per_type]
                lines.append(f"{cue_type} cues: " + ", ".join(f"{w} ({n})" if n > 1 else w for w, n in common))
        return lines


#: Resamples of the slant index's bootstrap interval (fixed seed: the same article gives the same interval).
SLANT_BOOTSTRAP = 200
NO_ACTOR_NOTE = "the axis does not apply: no actor of either side is mentioned"


def _slant(p: np.ndarray, poles: tuple[int, int], mentions: np.ndarray | None) -> tuple[float | None, tuple | None, str | None]:
    """Slant index over the scored sentences that mention a side (all of them without a stance block)."""
    rows = np.arange(len(p)) if mentions is None else np.flatnonzero(mentions > 0)
    if len(rows) == 0:
        return None, None, NO_ACTOR_NOTE if mentions is not None else None
    values = polar_index(p[rows], *poles)
    index = float(np.clip(values.mean(), -1.0, 1.0))
    interval = bootstrap_interval(values, level=0.95, n_resamples=SLANT_BOOTSTRAP, seed=0)
    if interval is None:
        return index, None, None
    return index, (round(interval[0], 6), round(interval[1], 6)), None


class LazyMapping(Mapping):
    """A read-only mapping computed by ``compute()`` on first access (then kept).

    It compares equal to the dict it computes, and pickles as that plain dict,
    so a report sent between processes carries its values, not the feature
    matrix behind them.
    """

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], dict]):
        self._compute = compute
        self._value: dict | None = None

    def _dict(self) -> dict:
        if self._value is None:
            self._value = self._compute()
            self._compute = None
        return self._value

    def __getitem__(self, key):
        return self._dict()[key]

    def __iter__(self):
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __repr__(self) -> str:
        return repr(self._dict())

    def __reduce__(self):
        return (dict, (self._dict(),))


#: A cue as stored in a :class:`SentenceTable` (a dict per cue would cost more memory than the text).
_CUE_FIELDS = ("start", "end", "type", "term", "category", "in_quote")


class SentenceTable(Sequence):
    """The units of a report stored as arrays; each :class:`SentenceScore` is built when it is read.

    A report on a huge text keeps one row of numbers per unit instead of a
    dozen small dictionaries. Indexing, slicing, ``len`` and iteration behave
    like a list of :class:`SentenceScore` (which is what it pickles as).
    """

    def __init__(self, units: Sequence[Unit], classes: dict[str, tuple[Any, ...]],
                 probabilities: dict[str, np.ndarray], boilerplate: np.ndarray, cues: list[tuple],
                 evidence_of: Callable[[int], dict[str, list[tuple[str, float]]]]):
        self._units = list(units)
        self._classes = classes
        self._keys = {task: [class_key(c) for c in cs] for task, cs in classes.items()}
        self._probabilities = probabilities
        self._best = {task: p.argmax(axis=1) for task, p in probabilities.items()}
        self._boilerplate = np.asarray(boilerplate, dtype=np.float64)
        self._cues = cues
        self._evidence_of = evidence_of

    def __len__(self) -> int:
        return len(self._units)

    def _row(self, row: int) -> SentenceScore:
        unit = self._units[row]
        labels = {task: self._classes[task][int(best[row])] for task, best in self._best.items()}
        per_task = {task: dict(zip(self._keys[task], p[row].tolist())) for task, p in self._probabilities.items()}
        cues = [dict(zip(_CUE_FIELDS, cue)) for cue in _cue_records(self._cues[row])]
        return SentenceScore(row, unit.start, unit.end, unit.text, unit.kind, float(self._boilerplate[row]), labels,
                             per_task, LazyMapping(partial(self._evidence_of, row)), cues)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(row) for row in range(*index.indices(len(self)))]
        row = index.__index__()
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f"sentence index {index} out of range for {len(self)} units")
        return self._row(row)

    def __iter__(self):
        return (self._row(row) for row in range(len(self)))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # mutable-looking sequence, like a list

    def __repr__(self) -> str:
        return f"SentenceTable({len(self)} units)"

    def __reduce__(self):
        return (list, (list(self),))

    # Column access for the report's own summaries: no SentenceScore objects needed.
    def boilerplate_array(self) -> np.ndarray:
        return self._boilerplate

    def cue_rows(self) -> list[tuple]:
        """Per unit, its cues as one flat tuple (see :data:`_CUE_FIELDS`)."""
        return self._cues

    def texts(self) -> list[str]:
        return [unit.text for unit in self._units]


def _cue_tuples(cues: Sequence[dict[str, Any]]) -> tuple:
    """One unit's cues as one flat tuple, the fields of :data:`_CUE_FIELDS` cue after cue (compact)."""
    return tuple(cue[name] for cue in cues for name in _CUE_FIELDS)


def _cue_records(flat: tuple) -> list[tuple]:
    width = len(_CUE_FIELDS)
    return [flat[i:i + width] for i in range(0, len(flat), width)]


class _Evidence:
    """What a report computes only when its evidence is read (subclasses say where the contributions come from)."""

    def __init__(self, tasks: tuple[str, ...], classes: dict[str, tuple[Any, ...]], probabilities: dict[str, np.ndarray],
                 units: Sequence[Unit], scored_rows: np.ndarray, evidence: int):
        self.tasks, self.classes, self.probabilities = tasks, classes, probabilities
        self.units, self.scored_rows, self.evidence = units, scored_rows, evidence

    @property
    def n_terms(self) -> int:
        """How many top terms each class lists."""
        return max(self.evidence, 5)

    def _evidence_classes(self, task: str) -> list[int]:
        classes = self.classes[task]
        return [index for index, cls in enumerate(classes) if not (classes == (False, True) and cls is False)]

    def _top_rows(self, task: str, class_index: int) -> list[tuple[int, float]]:
        """(unit, probability) of the ``evidence`` scored units most probably of the class (at least chance)."""
        rows = self.scored_rows
        column = self.probabilities[task][rows, class_index] if len(rows) else np.zeros(0)
        order = np.argsort(-column, kind="stable")[:self.evidence]
        return [(int(rows[i]), float(column[i])) for i in order if column[i] >= 1.0 / len(self.classes[task])]

    def _row_features(self, task: str, class_index: int, row: int) -> list[tuple[str, float]]:  # pragma: no cover
        raise NotImplementedError

    def top_sentences(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        result: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for task in self.tasks:
            result[task] = {}
            for class_index in self._evidence_classes(task):
                result[task][class_key(self.classes[task][class_index])] = [
                    {
                        "index": row,
                        "text": self.units[row].text,
                        "probability": round(probability, 6),
                        "features": [[n, round(v, 6)] for n, v in self._row_features(task, class_index, row)],
                    }
                    for row, probability in self._top_rows(task, class_index)
                ]
        return result


class _LazyEvidence(_Evidence):
    """Evidence from the feature matrix of the whole article, kept in its :class:`ScoredSentences`."""

    def __init__(self, scored: ScoredSentences, units: Sequence[Unit], scored_rows: np.ndarray,
                 best_class: dict[str, np.ndarray], evidence: int):
        super().__init__(scored.tasks, scored.classes, scored.probabilities, units, scored_rows, evidence)
        self.scored, self.best_class = scored, best_class
        self._why: dict[str, list[list[tuple[str, float]]]] = {}

    def why(self, task: str) -> list[list[tuple[str, float]]]:
        """Every unit's top contributions to its most probable class of ``task``."""
        if task not in self._why:
            self._why[task] = self.scored.top_contributions(task, self.best_class[task], self.evidence)
        return self._why[task]

    def sentence_evidence(self, row: int) -> dict[str, list[tuple[str, float]]]:
        return {task: self.why(task)[row] for task in self.tasks}

    def _row_features(self, task: str, class_index: int, row: int) -> list[tuple[str, float]]:
        return self.scored.row_contributions(row, task, class_index, self.evidence)

    def top_terms(self) -> dict[str, dict[str, list[tuple[str, float]]]]:
        scored, rows = self.scored, self.scored_rows
        result: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for task in self.tasks:
            wanted = self._evidence_classes(task)
            if len(rows):
                p = scored.probabilities[task][rows]
                terms = scored.class_evidence_terms(rows, task, {c: p[:, c] for c in wanted}, top=self.n_terms)
            else:
                terms = {c: [] for c in wanted}
            result[task] = {class_key(self.classes[task][c]): terms[c] for c in wanted}
        return result


class _ChunkedEvidence(_Evidence):
    """Evidence gathered chunk by chunk, keeping arrays instead of the feature matrix (for huge texts).

    It gives exactly what :class:`_LazyEvidence` gives: per-unit evidence as
    ``(n_units, evidence)`` column and value arrays, the class totals of the
    top terms summed in the same order (``np.add.at`` adds one stored value
    after another, as ``np.bincount`` does), and the top sentences' features
    from their own chunk's rows.
    """

    def __init__(self, tasks, classes, probabilities, units, scored_rows, evidence: int, feature_names: np.ndarray,
                 relative_coef: Mapping[str, np.ndarray]):
        super().__init__(tasks, classes, probabilities, units, scored_rows, evidence)
        self.feature_names, self.relative_coef = feature_names, relative_coef
        n = len(units)
        self.why_columns = {task: np.full((n, evidence), -1, dtype=np.int32) for task in tasks}
        self.why_values = {task: np.zeros((n, evidence)) for task in tasks}
        n_features = len(feature_names)
        self.sums = {task: {c: np.zeros(n_features) for c in self._evidence_classes(task)} for task in tasks}
        self.is_scored = np.zeros(n, dtype=bool)
        self.is_scored[scored_rows] = True
        self.wanted = {(task, c, row) for task in tasks for c in self._evidence_classes(task)
                       for row, _ in self._top_rows(task, c)}
        self.row_features: dict[tuple[str, int, int], list[tuple[str, float]]] = {}

    def add(self, offset: int, chunk: ScoredSentences) -> None:
        """Take the evidence of units ``offset .. offset + len(chunk)`` from their feature rows."""
        X = chunk.X
        rows = np.arange(offset, offset + len(chunk))
        for task in self.tasks:
            best = self.probabilities[task][rows].argmax(axis=1)
            columns, values = top_contribution_arrays(X, chunk.relative_coef[task], best, self.evidence)
            self.why_columns[task][rows] = columns
            self.why_values[task][rows] = values
        local = np.flatnonzero(self.is_scored[rows])
        if len(local):
            columns, values, row_of_value = row_entries(X, local)
            for task in self.tasks:
                p = self.probabilities[task][offset + local]
                for class_index, sums in self.sums[task].items():
                    np.add.at(sums, columns, values * p[:, class_index][row_of_value])
        for task, class_index, row in self.wanted:
            if offset <= row < offset + len(chunk):
                self.row_features[(task, class_index, row)] = chunk.row_contributions(row - offset, task, class_index,
                                                                                      self.evidence)

    def sentence_evidence(self, row: int) -> dict[str, list[tuple[str, float]]]:
        return {task: contribution_list(self.why_columns[task][row].tolist(), self.why_values[task][row].tolist(),
                                        self.feature_names)
                for task in self.tasks}

    def _row_features(self, task: str, class_index: int, row: int) -> list[tuple[str, float]]:
        return self.row_features[(task, class_index, row)]

    def top_terms(self) -> dict[str, dict[str, list[tuple[str, float]]]]:
        every_column = np.arange(len(self.feature_names))
        return {task: {class_key(self.classes[task][class_index]):
                       ranked_features(sums * self.relative_coef[task][class_index], every_column, self.feature_names,
                                       self.n_terms)
                       for class_index, sums in self.sums[task].items()}
                for task in self.tasks}


def _aggregate(tasks, classes, probabilities, scored_rows, mentions, slant_task, poles):
    """Shares, rates and the slant index of the scored units."""
    shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    slant_index = slant_interval = slant_note = None
    for task in tasks:
        p = probabilities[task][scored_rows]
        mean = p.mean(axis=0) if len(scored_rows) else np.zeros(len(classes[task]))
        shares[task] = {class_key(c): float(v) for c, v in zip(classes[task], mean)}
        if classes[task] == (False, True):
            rates[task] = float(mean[1])
        if task == slant_task and len(scored_rows):
            slant_index, slant_interval, slant_note = _slant(p, poles, None if mentions is None else mentions[scored_rows])
    return shares, rates, slant_index, slant_interval, slant_note


def _polar_setup(polar: PolarSpec | None, tasks, classes):
    if polar is not None and polar.task not in tasks:
        polar = None
    slant_task = polar.task if polar is not None else None
    poles = None
    if polar is not None:
        poles = (label_index(polar.negative, classes[slant_task]), label_index(polar.positive, classes[slant_task]))
    return polar, slant_task, poles


def _empty_report(tasks, classes, slant_task, metadata, polar, reliability) -> ArticleReport:
    empty_shares = {task: {class_key(c): 0.0 for c in classes[task]} for task in tasks}
    return ArticleReport([], tasks, classes, empty_shares, {t: 0.0 for t in tasks if classes[t] == (False, True)},
                         slant_task, None, {t: {} for t in tasks}, {t: {} for t in tasks}, metadata, polar,
                         reliability=reliability)


def build_report(units: Sequence[Unit], scored: ScoredSentences, polar: PolarSpec | None = None, evidence: int = 3,
                 model_info: dict[str, Any] | None = None,
                 reliability: dict[str, dict[str, Any]] | None = None) -> ArticleReport:
    """Aggregate the scored units of one article into a report (used by :meth:`framing.Model.score`).

    ``units`` are the article's units (:func:`framing.segment`), ``scored``
    their :class:`ScoredSentences` (same order), ``polar`` the schema's polar
    task and poles (:attr:`framing.Schema.polarity`), if any, and
    ``reliability`` the model's measured skill per task (see :attr:`ArticleReport.reliability`).
    The slant index averages the scored sentences that mention an actor of
    the axis (when the model has a stance block); with none, it is None and
    ``slant_note`` says why. The evidence (per-sentence features, top
    sentences and terms) is computed when first read.
    """
    reliability = dict(reliability or {})
    tasks = scored.tasks
    classes = {task: scored.classes[task] for task in tasks}
    metadata = dict(model_info or {})
    polar, slant_task, poles = _polar_setup(polar, tasks, classes)
    if not units:
        return _empty_report(tasks, classes, slant_task, metadata, polar, reliability)
    probabilities = scored.probabilities
    boilerplate = scored.boilerplate
    scored_rows = np.flatnonzero(boilerplate < BOILERPLATE_THRESHOLD)
    best_class = {task: probabilities[task].argmax(axis=1) for task in tasks}
    lazy = _LazyEvidence(scored, units, scored_rows, best_class, evidence)
    sentences = SentenceTable(units, classes, {task: probabilities[task] for task in tasks}, boilerplate,
                              [_cue_tuples(cues) for cues in scored.cues], lazy.sentence_evidence)
    shares, rates, slant_index, slant_interval, slant_note = _aggregate(
        tasks, classes, probabilities, scored_rows, scored.side_mentions(), slant_task, poles)
    return ArticleReport(sentences, tasks, classes, shares, rates, slant_task, slant_index,
                         LazyMapping(lazy.top_sentences), LazyMapping(lazy.top_terms), metadata, polar,
                         slant_interval=slant_interval, slant_note=slant_note, reliability=reliability)


def build_report_in_chunks(units: Sequence[Unit], score_chunk: Callable[[list[str], bool], ScoredSentences],
                           chunk_size: int, polar: PolarSpec | None = None, evidence: int = 3,
                           model_info: dict[str, Any] | None = None,
                           reliability: dict[str, dict[str, Any]] | None = None) -> ArticleReport:
    """:func:`build_report` for a huge text, with memory bounded by the chunk, not the text.

    ``score_chunk(texts, cues)`` scores a list of units (what
    :meth:`framing.Model.score_sentences` does). Two passes over chunks of
    ``chunk_size`` units: the first keeps the probabilities, cues and actor
    mentions (the boilerplate prior and the scored units depend on all of
    them), the second the evidence; no feature matrix outlives its chunk.
    The report equals the one :func:`build_report` makes from one pass.
    """
    from ._boilerplate import adjust_boilerplate

    reliability = dict(reliability or {})
    metadata = dict(model_info or {})
    texts = [unit.text for unit in units]
    chunks = [(start, texts[start:start + chunk_size]) for start in range(0, len(texts), chunk_size)]
    parts, cues, mentions, head = [], [], [], []
    tasks = classes = feature_names = relative = None
    for _, chunk_texts in chunks:
        chunk = score_chunk(chunk_texts, True)
        tasks, classes, feature_names, relative = chunk.tasks, chunk.classes, chunk.feature_names, chunk.relative_coef
        parts.append(chunk.probabilities)
        cues.extend(_cue_tuples(c) for c in chunk.cues)
        side = chunk.side_mentions()
        mentions.append(side)
        if BOILERPLATE in chunk.probabilities:
            head.append(chunk.probabilities[BOILERPLATE][:, list(chunk.classes[BOILERPLATE]).index(True)])
    if tasks is None:
        raise ValueError("build_report_in_chunks needs at least one unit")
    probabilities = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    boilerplate = adjust_boilerplate(np.concatenate(head), texts) if head else np.zeros(len(texts))
    side_mentions = None if mentions[0] is None else np.concatenate(mentions)
    task_classes = {task: classes[task] for task in tasks}
    polar, slant_task, poles = _polar_setup(polar, tasks, task_classes)
    scored_rows = np.flatnonzero(boilerplate < BOILERPLATE_THRESHOLD)
    task_probabilities = {task: probabilities[task] for task in tasks}
    gathered = _ChunkedEvidence(tasks, task_classes, task_probabilities, units, scored_rows, evidence, feature_names,
                                relative)
    for start, chunk_texts in chunks:
        gathered.add(start, score_chunk(chunk_texts, False))
    sentences = SentenceTable(units, task_classes, task_probabilities, boilerplate, cues, gathered.sentence_evidence)
    shares, rates, slant_index, slant_interval, slant_note = _aggregate(
        tasks, task_classes, probabilities, scored_rows, side_mentions, slant_task, poles)
    return ArticleReport(sentences, tasks, task_classes, shares, rates, slant_task, slant_index,
                         gathered.top_sentences(), gathered.top_terms(), metadata, polar,
                         slant_interval=slant_interval, slant_note=slant_note, reliability=reliability)
