"""An article's evidence gathered chunk by chunk while it is scored: top contributions, top terms, top sentences.

:class:`ArticleEvidence` is what :meth:`framing.Model.score` fills as it
scores each chunk of units; its ``finish()`` gives the arrays a
:class:`framing.report.ScoredArticle` holds (the feature names are looked up
only when a report's evidence is first read).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..report._evidence import LazyMapping, TermTotals, row_entries, stacked_top_contribution_arrays, top_positive_arrays

__all__ = ["ArticleEvidence"]


def _evidence_classes(classes: tuple[Any, ...]) -> list[int]:
    """The classes a report shows evidence for: all but ``False`` of a binary task."""
    return [index for index, cls in enumerate(classes) if not (classes == (False, True) and cls is False)]


class ArticleEvidence:
    """The evidence of one article, gathered chunk by chunk from each chunk's feature rows.

    Per unit, the top contributions to its most probable class of every task;
    per class, the totals behind the top terms (summed in row order across
    chunks, so chunking changes no digit) and the most probable scored units
    with their own contributions (a running top ``evidence``, ties to the
    earlier unit). No feature matrix is kept once its chunk is added: only the
    per-column totals and the stored entries of the kept top units, ranked in
    one go at the end and turned into lists of names on first read.
    """

    def __init__(self, tasks, classes, stacked, first_row, feature_names, evidence: int):
        self.tasks, self.classes, self.feature_names = tasks, classes, feature_names
        self.stacked, self.first_row = stacked, first_row
        self.evidence = max(int(evidence), 0)
        self.n_terms = max(self.evidence, 5)
        self.wanted = {task: _evidence_classes(classes[task]) for task in tasks}
        self.keys = [(task, c) for task in tasks for c in self.wanted[task]]
        self.totals = TermTotals()
        self.columns: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.top: dict[tuple[str, int], list[tuple[int, float]]] = {key: [] for key in self.keys}
        self.rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, offset: int, X, probabilities: Mapping[str, np.ndarray], scored: np.ndarray) -> None:
        """Take the evidence of units ``offset ..`` from their feature rows ``X`` (``scored``: rows not boilerplate)."""
        row_of_class = [self.first_row[task] + probabilities[task].argmax(axis=1) for task in self.tasks]
        columns, values = stacked_top_contribution_arrays(X, self.stacked, row_of_class, self.evidence)
        self.columns.append(columns)
        self.values.append(values)
        if not len(scored):
            return
        weights = {(task, c): probabilities[task][scored, c] for task, c in self.keys}
        self.totals.add(*row_entries(X, scored), weights)
        for key, column in weights.items():
            chance = 1.0 / len(self.classes[key[0]])
            order = np.argsort(-column, kind="stable")[:self.evidence]
            new = [(offset + int(scored[i]), float(column[i])) for i in order if column[i] >= chance]
            if not new:
                continue
            kept = sorted(self.top[key] + new, key=lambda item: (-item[1], item[0]))[:self.evidence]
            self.top[key] = kept
            for row, _ in kept:
                if row not in self.rows:
                    span = slice(X.indptr[row - offset], X.indptr[row - offset + 1])
                    self.rows[row] = (X.indices[span].copy(), X.data[span].copy())

    def finish(self) -> dict[str, Any]:
        """The arrays of :class:`ScoredArticle` (per-unit evidence refers to only the feature names it uses)."""
        width, n_tasks = self.evidence, len(self.tasks)
        columns = np.concatenate([np.zeros((n_tasks, 0, width), np.int64), *self.columns], axis=1)
        values = np.concatenate([np.zeros((n_tasks, 0, width)), *self.values], axis=1)
        used = np.unique(columns[columns >= 0]) if n_tasks else np.zeros(0, np.intp)
        local = np.where(columns >= 0, np.searchsorted(used, columns), -1).astype(np.int32)
        names = np.asarray(self.feature_names)
        present = self.totals.columns
        key_rows = np.asarray([self.first_row[task] + c for task, c in self.keys], dtype=np.intp)
        # One gather of every wanted class's relative coefficients at the article's columns: a term's total
        # is its column total times that, a top unit's contribution its stored value times that.
        relative = self.stacked[key_rows[:, None], present[None, :]] if len(present) else np.zeros((len(self.keys), 0))
        terms = _ranked_terms(self.totals, self.keys, relative, self.n_terms)
        sentences = _ranked_sentences(self.top, self.rows, self.keys, present, relative, self.evidence)
        return {
            "evidence_names": np.asarray([str(name) for name in names[used]], dtype=object),
            "evidence_columns": {task: local[t] for t, task in enumerate(self.tasks)},
            "evidence_values": {task: values[t] for t, task in enumerate(self.tasks)},
            "top_sentences": LazyMapping(_NamedSentences(self.tasks, self.wanted, self.top, *sentences, names[present])),
            "top_terms": LazyMapping(_NamedTerms(self.tasks, self.wanted, *terms, names[present])),
        }


def _ranked_terms(totals: TermTotals, keys, relative: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Per key, the positions (among ``totals.columns``) and values of its ``top`` largest positive terms."""
    if not len(totals.columns) or not keys:
        return np.full((len(keys), top), -1, dtype=np.intp), np.zeros((len(keys), top))
    products = np.stack([totals.sums[key] for key in keys]) * relative
    n_columns = products.shape[1]
    groups = np.repeat(np.arange(len(keys)), n_columns)
    positions, values = top_positive_arrays(products.ravel(), groups, len(keys), top)
    return np.where(positions >= 0, positions - np.arange(len(keys))[:, None] * n_columns, -1), values


def _ranked_sentences(top, rows, keys, present: np.ndarray, relative: np.ndarray,
                      width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per kept (key, unit), in key order, the positions (among ``present``) and values of its top contributions."""
    pairs = [(k, row) for k, key in enumerate(keys) for row, _ in top[key]]
    if not pairs or width == 0:
        return np.full((len(pairs), width), -1, dtype=np.intp), np.zeros((len(pairs), width))
    lengths = np.asarray([len(rows[row][0]) for _, row in pairs], dtype=np.intp)
    columns = np.concatenate([rows[row][0] for _, row in pairs])
    stored = np.concatenate([rows[row][1] for _, row in pairs])
    at = np.searchsorted(present, columns)
    of_key = np.repeat(np.asarray([k for k, _ in pairs], dtype=np.intp), lengths)
    contribution = relative[of_key, at] * stored
    groups = np.repeat(np.arange(len(pairs)), lengths)
    positions, values = top_positive_arrays(contribution, groups, len(pairs), width)
    return np.where(positions >= 0, at[np.maximum(positions, 0)], -1), values


class _NamedTerms:
    """``build`` of the lazy ``top_terms``: holds only the ranked arrays and the article's feature names.

    A plain object rather than a closure, so that what a report holds is only these arrays (a function
    would also hold its module's globals).
    """

    __slots__ = ("tasks", "wanted", "positions", "values", "names")

    def __init__(self, tasks, wanted, positions: np.ndarray, values: np.ndarray, names: np.ndarray):
        self.tasks, self.wanted, self.positions, self.values, self.names = tasks, wanted, positions, values, names

    def __call__(self) -> dict:
        result, k = {}, 0
        for task in self.tasks:
            result[task] = {}
            for c in self.wanted[task]:
                result[task][c] = self._features(k)
                k += 1
        return result

    def _features(self, k: int) -> list[tuple[str, float]]:
        names = self.names
        return [(str(names[p]), v) for p, v in zip(self.positions[k].tolist(), self.values[k].tolist()) if p >= 0]


class _NamedSentences(_NamedTerms):
    """``build`` of the lazy ``top_sentences``: ``{task: {class: [(unit, probability, features)]}}``."""

    __slots__ = ("top",)

    def __init__(self, tasks, wanted, top, positions: np.ndarray, values: np.ndarray, names: np.ndarray):
        super().__init__(tasks, wanted, positions, values, names)
        self.top = {key: list(items) for key, items in top.items()}

    def __call__(self) -> dict:
        result, k = {}, 0
        for task in self.tasks:
            result[task] = {}
            for c in self.wanted[task]:
                entries = []
                for row, probability in self.top[(task, c)]:
                    entries.append((row, probability, self._features(k)))
                    k += 1
                result[task][c] = entries
        return result

