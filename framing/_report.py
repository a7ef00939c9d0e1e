"""Article reports: aggregate sentence probabilities into scores, with the evidence behind them.

Only sentences whose boilerplate probability is below one half are scored.
For every task the report gives each class's *share* (the mean probability
over scored sentences); binary tasks also get a *rate* (the share of
``True``). The *slant index* is ``mean(P(last class) - P(first class))`` over
scored sentences for the slant task, in [-1, 1]: with the default schema,
-1 is wholly pro-Russia and +1 wholly pro-Ukraine. Evidence is exact: for a
linear model a feature's contribution to a class is its coefficient (minus
the mean coefficient of the other classes) times its value, divided by the
task's temperature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .text import segment

__all__ = ["SentenceScore", "ArticleReport", "build_report", "sentence_cues", "CUE_TYPES"]

#: Lexicon name -> highlight type.
CUE_TYPES = {
    "loaded": "loaded",
    "naming": "naming",
    "hedge": "hedge",
    "booster": "booster",
    "attribution": "attribution_cue",
    "source": "source",
    "org": "source",
}

BOILERPLATE_THRESHOLD = 0.5


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    evidence : dict
        ``{task: [(feature, contribution), ...]}`` for the most probable class.
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
    evidence: dict[str, list[tuple[str, float]]]
    cues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_boilerplate(self) -> bool:
        return self.boilerplate >= BOILERPLATE_THRESHOLD

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
    top_sentences: dict[str, dict[str, list[dict[str, Any]]]]
    top_terms: dict[str, dict[str, list[tuple[str, float]]]]
    model: dict[str, Any] = field(default_factory=dict)

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
            "classes": {t: [_key(c) for c in cs] for t, cs in self.classes.items()},
            "shares": self.shares,
            "rates": self.rates,
            "slant_task": self.slant_task,
            "slant_index": self.slant_index,
            "dominant": {t: self.dominant(t) for t in self.tasks},
            "top_sentences": self.top_sentences,
            "top_terms": {t: {c: [[n, round(v, 6)] for n, v in items] for c, items in cs.items()} for t, cs in self.top_terms.items()},
            "sentences": [s.to_dict() for s in self.sentences],
            "model": self.model,
        }

    def summary(self) -> str:
        """A short plain-text summary for terminals."""
        n_left_out = self.n_units - self.n_sentences
        lines = [f"{self.n_sentences} scored sentence{'' if self.n_sentences == 1 else 's'} "
                 f"({n_left_out} boilerplate unit{'' if n_left_out == 1 else 's'} left out)"]
        if self.slant_index is not None:
            negative, positive = self.classes[self.slant_task][0], self.classes[self.slant_task][-1]
            lines.append(f"slant index {self.slant_index:+.2f}  (-1 = {negative}, +1 = {positive})")
        for task, rate in self.rates.items():
            lines.append(f"{task} rate {rate:.2f}")
        for task in self.tasks:
            if task in self.rates:
                continue
            shares = sorted(self.shares[task].items(), key=lambda item: -item[1])[:3]
            lines.append(f"{task}: " + ", ".join(f"{c} {p:.2f}" for c, p in shares))
        for task, by_class in self.top_terms.items():
            for cls, items in by_class.items():
                # Layout features (shape:*) say where a sentence sits, not how it is worded: no evidence to show.
                names = [name for name, _ in items if not name.startswith("shape:")][:5]
                if names and (task in self.rates and cls == "true" or task == self.slant_task and cls != _key(self.classes[task][len(self.classes[task]) // 2])):
                    lines.append(f"top {task}={cls} evidence: " + ", ".join(names))
        lines.extend(self._cue_lines())
        if self.slant_task is not None:
            for cls in (self.classes[self.slant_task][0], self.classes[self.slant_task][-1]):
                top = self.top_sentences.get(self.slant_task, {}).get(_key(cls)) or []
                if top:
                    text = top[0]["text"]
                    text = text if len(text) <= 160 else text[:157] + "..."
                    lines.append(f"most {cls} sentence (#{top[0]['index']}, p={top[0]['probability']:.2f}): {text}")
        return "\n".join(lines)

    def _cue_lines(self, per_type: int = 5) -> list[str]:
        """The lexicon cues found in the scored sentences, most frequent first, one line per cue type."""
        from collections import Counter

        counts: dict[str, Counter] = {}
        for sentence in self.sentences:
            if sentence.boilerplate >= BOILERPLATE_THRESHOLD:
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


def sentence_cues(model, text: str) -> list[dict[str, Any]]:
    """Lexicon cues in one unit with character offsets relative to it."""
    from ._features import analyze

    lexicon_features = model.features.named_transformers["lexicon"]
    offsets = analyze(text).offsets
    # One cue per (start, end, type): "seemingly" matches both "seem*" and "seemingly", "White House"
    # may be both a source and an organisation. An exact term wins over a wildcard one.
    cues: dict[tuple[int, int, str], dict[str, Any]] = {}
    for entry, first, end, in_quote in lexicon_features._matches(text):
        cue_type = CUE_TYPES.get(entry.lexicon)
        if cue_type is None or entry.category in ("conditional",):
            continue
        key = (offsets[first][0], offsets[end - 1][1], cue_type)
        if key in cues and not (cues[key]["term"].endswith("*") and not entry.term.endswith("*")):
            continue
        cues[key] = {
            "start": key[0],
            "end": key[1],
            "type": cue_type,
            "term": entry.term,
            "category": entry.category,
            "in_quote": bool(in_quote),
        }
    return list(cues.values())


def _evidence_terms(model, X_scored, task: str, class_index: int, weights: np.ndarray, top: int) -> list[tuple[str, float]]:
    if X_scored.shape[0] == 0:
        return []
    # Each sentence's contribution is weighted by its probability of the class.
    totals = np.asarray(X_scored.T @ weights).ravel() * model.relative_coef(task)[class_index]
    if top < len(totals):
        # Only the few largest are needed: partition first, then sort those (stable, by index on ties).
        candidates = np.sort(np.argpartition(-totals, top)[:top + 1])
        order = candidates[np.argsort(-totals[candidates], kind="stable")][:top]
    else:
        order = np.argsort(-totals, kind="stable")[:top]
    names = model.feature_names
    return [(str(names[i]), float(totals[i])) for i in order if totals[i] > 0]


def _top_per_row(model, X, task: str, class_per_row: np.ndarray, top: int) -> list[list[tuple[str, float]]]:
    """Each row's ``top`` positive contributions to its own class, for every row at once.

    Same result as :meth:`Model.contributions` row by row, computed with one
    gather and one sort over all stored values of ``X`` (CSR).
    """
    n_rows = X.shape[0]
    if top <= 0 or X.nnz == 0:
        return [[] for _ in range(n_rows)]
    rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
    contribution = model.relative_coef(task)[class_per_row[rows], X.indices] * X.data
    # Within each row, largest first; ties keep column order (as the stable per-row sort does).
    # Only positive contributions are evidence: drop the rest before sorting.
    positive = np.flatnonzero(contribution > 0)
    order = positive[np.lexsort((-contribution[positive], rows[positive]))]
    # Sorted by row: an entry's rank in its row is its position minus where the row's run starts.
    sorted_rows = rows[order]
    run_start = np.searchsorted(sorted_rows, sorted_rows, side="left")
    keep = order[np.arange(len(order)) - run_start < top]
    names = model.feature_names
    result: list[list[tuple[str, float]]] = [[] for _ in range(n_rows)]
    for row, column, value in zip(rows[keep].tolist(), X.indices[keep].tolist(), contribution[keep].tolist()):
        result[row].append((str(names[column]), value))
    return result


def build_report(model, text: str, evidence: int = 3) -> ArticleReport:
    """Segment ``text`` and score it with ``model`` (used by :meth:`Model.score`)."""
    from ._model import BOILERPLATE

    units = segment(text)
    tasks = model.tasks
    classes = {task: model.classes(task) for task in tasks}
    slant_task = "slant" if "slant" in tasks and len(classes["slant"]) >= 2 else None
    metadata = {
        "framing_version": model.metadata.get("framing_version"),
        "training_data_sha256": model.metadata.get("training_data_sha256"),
        "lexicon_sha256": model.metadata.get("lexicon_sha256"),
    }
    if not units:
        empty_shares = {task: {_key(c): 0.0 for c in classes[task]} for task in tasks}
        return ArticleReport([], tasks, classes, empty_shares,
                             {t: 0.0 for t in tasks if classes[t] == (False, True)}, slant_task, None,
                             {t: {} for t in tasks}, {t: {} for t in tasks}, metadata)

    texts = [unit.text for unit in units]
    X = model.features.transform(texts).tocsr()
    probabilities = model._all_probabilities(X)
    if BOILERPLATE in probabilities:
        boilerplate = probabilities[BOILERPLATE][:, list(model.heads[BOILERPLATE].classes).index(True)]
    else:
        boilerplate = np.zeros(len(units))
    scored_rows = np.flatnonzero(boilerplate < BOILERPLATE_THRESHOLD)

    def row_contributions(row: int, task: str, class_index: int) -> list[tuple[str, float]]:
        # Slicing the CSR arrays directly: a scipy row slice per call costs more than the rest of the report.
        span = slice(X.indptr[row], X.indptr[row + 1])
        return model._top_contributions(X.indices[span], X.data[span], task, class_index, evidence)

    best_class = {task: probabilities[task].argmax(axis=1) for task in tasks}
    why_by_task = {task: _top_per_row(model, X, task, best_class[task], evidence) for task in tasks}
    sentences = []
    for row, unit in enumerate(units):
        labels, per_task, why = {}, {}, {}
        for task in tasks:
            p = probabilities[task][row]
            best = int(best_class[task][row])
            labels[task] = classes[task][best]
            per_task[task] = {_key(c): float(v) for c, v in zip(classes[task], p)}
            why[task] = why_by_task[task][row]
        sentences.append(SentenceScore(row, unit.start, unit.end, unit.text, unit.kind, float(boilerplate[row]),
                                       labels, per_task, why, sentence_cues(model, unit.text)))

    X_scored = X[scored_rows]
    shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    top_sentences: dict[str, dict[str, list[dict[str, Any]]]] = {}
    top_terms: dict[str, dict[str, list[tuple[str, float]]]] = {}
    slant_index = None
    for task in tasks:
        p = probabilities[task][scored_rows]
        mean = p.mean(axis=0) if len(scored_rows) else np.zeros(len(classes[task]))
        shares[task] = {_key(c): float(v) for c, v in zip(classes[task], mean)}
        if classes[task] == (False, True):
            rates[task] = float(mean[1])
        if task == slant_task and len(scored_rows):
            slant_index = float(np.clip((p[:, -1] - p[:, 0]).mean(), -1.0, 1.0))
        top_sentences[task], top_terms[task] = {}, {}
        for class_index, cls in enumerate(classes[task]):
            if classes[task] == (False, True) and cls is False:
                continue
            column = p[:, class_index] if len(scored_rows) else np.zeros(0)
            order = np.argsort(-column, kind="stable")[:evidence]
            top_sentences[task][_key(cls)] = [
                {
                    "index": int(scored_rows[i]),
                    "text": units[scored_rows[i]].text,
                    "probability": round(float(column[i]), 6),
                    "features": [[n, round(v, 6)] for n, v in row_contributions(int(scored_rows[i]), task, class_index)],
                }
                for i in order if column[i] >= 1.0 / len(classes[task])
            ]
            top_terms[task][_key(cls)] = _evidence_terms(model, X_scored, task, class_index, column, top=max(evidence, 5))
    return ArticleReport(sentences, tasks, classes, shares, rates, slant_task, slant_index, top_sentences, top_terms, metadata)
