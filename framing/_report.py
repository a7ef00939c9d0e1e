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

from ._reliability import unreliable_note
from ._scoring import CUE_TYPES, ScoredSentences
from ._util import BOILERPLATE_THRESHOLD, bootstrap_interval, class_key, is_boilerplate, label_index, polar_index
from .corpus import PolarSpec
from .text import Unit

__all__ = ["SentenceScore", "ArticleReport", "build_report", "CUE_TYPES"]


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

    @property
    def n_sentences(self) -> int:
        """Number of scored (non-boilerplate) units."""
        return sum(1 for s in self.sentences if not s.is_boilerplate)

    @property
    def scored(self) -> list[SentenceScore]:
        return [s for s in self.sentences if not s.is_boilerplate]

    def dominant(self, task: str) -> str | None:
        """The class with the largest share, or None for an empty article."""
        shares = self.shares.get(task) or {}
        if not shares or self.n_sentences == 0:
            return None
        return max(shares, key=lambda c: (shares[c], c))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dictionary (binary classes as "true"/"false")."""
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
            "sentences": [s.to_dict() for s in self.sentences],
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
        for sentence in self.sentences:
            if sentence.is_boilerplate:
                continue
            # Overlapping matches of one type ("is expected", "expected to") are one cue: merge them.
            spans: dict[str, list[list[int]]] = {}
            for cue in sorted(sentence.cues, key=lambda c: (c["start"], c["end"])):
                merged = spans.setdefault(cue["type"], [])
                if merged and cue["start"] < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], cue["end"])
                else:
                    merged.append([cue["start"], cue["end"]])
            for cue_type, intervals in spans.items():
                for start, end in intervals:
                    counts.setdefault(cue_type, Counter())[sentence.text[start:end].lower()] += 1
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


class _LazyEvidence:
    """What an article report computes only when its evidence is read."""

    def __init__(self, scored: ScoredSentences, units: Sequence[Unit], scored_rows: np.ndarray,
                 best_class: dict[str, np.ndarray], evidence: int):
        self.scored, self.units, self.scored_rows = scored, units, scored_rows
        self.best_class, self.evidence = best_class, evidence
        self._why: dict[str, list[list[tuple[str, float]]]] = {}

    def why(self, task: str) -> list[list[tuple[str, float]]]:
        """Every unit's top contributions to its most probable class of ``task``."""
        if task not in self._why:
            self._why[task] = self.scored.top_contributions(task, self.best_class[task], self.evidence)
        return self._why[task]

    def sentence_evidence(self, row: int) -> dict[str, list[tuple[str, float]]]:
        return {task: self.why(task)[row] for task in self.scored.tasks}

    def _evidence_classes(self, task: str) -> list[int]:
        classes = self.scored.classes[task]
        return [index for index, cls in enumerate(classes) if not (classes == (False, True) and cls is False)]

    def top_sentences(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        scored, rows, evidence = self.scored, self.scored_rows, self.evidence
        result: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for task in scored.tasks:
            classes = scored.classes[task]
            p = scored.probabilities[task][rows]
            result[task] = {}
            for class_index in self._evidence_classes(task):
                column = p[:, class_index] if len(rows) else np.zeros(0)
                order = np.argsort(-column, kind="stable")[:evidence]
                result[task][class_key(classes[class_index])] = [
                    {
                        "index": int(rows[i]),
                        "text": self.units[rows[i]].text,
                        "probability": round(float(column[i]), 6),
                        "features": [[n, round(v, 6)] for n, v in
                                     scored.row_contributions(int(rows[i]), task, class_index, evidence)],
                    }
                    for i in order if column[i] >= 1.0 / len(classes)
                ]
        return result

    def top_terms(self) -> dict[str, dict[str, list[tuple[str, float]]]]:
        scored, rows = self.scored, self.scored_rows
        result: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for task in scored.tasks:
            classes = scored.classes[task]
            p = scored.probabilities[task][rows]
            wanted = self._evidence_classes(task)
            if len(rows):
                terms = scored.class_evidence_terms(rows, task, {c: p[:, c] for c in wanted}, top=max(self.evidence, 5))
            else:
                terms = {c: [] for c in wanted}
            result[task] = {class_key(classes[c]): terms[c] for c in wanted}
        return result


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
    ``slant_note`` says why.
    """
    reliability = dict(reliability or {})
    tasks = scored.tasks
    classes = {task: scored.classes[task] for task in tasks}
    metadata = dict(model_info or {})
    if polar is not None and polar.task not in tasks:
        polar = None
    slant_task = polar.task if polar is not None else None
    poles = None
    if polar is not None:
        poles = (label_index(polar.negative, classes[slant_task]), label_index(polar.positive, classes[slant_task]))
    if not units:
        empty_shares = {task: {class_key(c): 0.0 for c in classes[task]} for task in tasks}
        return ArticleReport([], tasks, classes, empty_shares,
                             {t: 0.0 for t in tasks if classes[t] == (False, True)}, slant_task, None,
                             {t: {} for t in tasks}, {t: {} for t in tasks}, metadata, polar, reliability=reliability)

    probabilities = scored.probabilities
    boilerplate = scored.boilerplate
    scored_rows = np.flatnonzero(boilerplate < BOILERPLATE_THRESHOLD)

    best_class = {task: probabilities[task].argmax(axis=1) for task in tasks}
    # Evidence is computed on first access (most callers of score() read the scores only), all
    # rows of a task at once; the result is the same whenever it is computed.
    lazy = _LazyEvidence(scored, units, scored_rows, best_class, evidence)
    # Converted to Python numbers once per task, not once per sentence and class.
    keys = {task: [class_key(c) for c in classes[task]] for task in tasks}
    rows_as_lists = {task: probabilities[task].tolist() for task in tasks}
    best_as_lists = {task: best_class[task].tolist() for task in tasks}
    boilerplate_list = boilerplate.tolist()
    sentences = []
    for row, unit in enumerate(units):
        labels = {task: classes[task][best_as_lists[task][row]] for task in tasks}
        per_task = {task: dict(zip(keys[task], rows_as_lists[task][row])) for task in tasks}
        sentences.append(SentenceScore(row, unit.start, unit.end, unit.text, unit.kind, float(boilerplate_list[row]),
                                       labels, per_task, LazyMapping(partial(lazy.sentence_evidence, row)),
                                       scored.cues[row]))

    shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    slant_index = slant_interval = slant_note = None
    mentions = scored.side_mentions()
    for task in tasks:
        p = probabilities[task][scored_rows]
        mean = p.mean(axis=0) if len(scored_rows) else np.zeros(len(classes[task]))
        shares[task] = {class_key(c): float(v) for c, v in zip(classes[task], mean)}
        if classes[task] == (False, True):
            rates[task] = float(mean[1])
        if task == slant_task and len(scored_rows):
            slant_index, slant_interval, slant_note = _slant(p, poles, None if mentions is None else mentions[scored_rows])
    top_sentences = LazyMapping(lazy.top_sentences)
    top_terms = LazyMapping(lazy.top_terms)
    return ArticleReport(sentences, tasks, classes, shares, rates, slant_task, slant_index, top_sentences, top_terms,
                         metadata, polar, slant_interval=slant_interval, slant_note=slant_note, reliability=reliability)
