"""Scored sentences: what a model hands to a report (probabilities, exact contributions, cues).

:class:`ScoredSentences` is the public boundary between the model and
everything downstream (:mod:`framing.report._report`, the HTML and profiles): it
holds plain arrays and names, never the model itself, so data flows one way:
text -> sentences -> features -> probabilities -> report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._util import BOILERPLATE
from ..features._features import analyze
from ._boilerplate import adjust_boilerplate
from ._evidence import top_contributions

__all__ = ["ScoredSentences", "sentence_cues", "CUE_TYPES", "row_entries", "ranked_features"]

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


def sentence_cues(lexicon_features, text: str) -> list[dict[str, Any]]:
    """Lexicon cues in one unit with character offsets relative to it.

    ``lexicon_features`` is a fitted :class:`framing.features.LexiconFeatures`.
    """
    offsets = analyze(text).offsets
    # One cue per (start, end, type): "seemingly" matches both "seem*" and "seemingly", "White House"
    # may be both a source and an organisation. An exact term wins over a wildcard one.
    cues: dict[tuple[int, int, str], dict[str, Any]] = {}
    for entry, first, end, in_quote in lexicon_features.matches(text):
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


def row_entries(X, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(columns, values, row_of_value)`` of the stored entries of CSR ``X``'s ``rows``, in row order.

    Row order is the order in which ``X[rows].T @ w`` sums them.
    """
    starts = X.indptr[rows]
    lengths = X.indptr[np.asarray(rows) + 1] - starts
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return X.indices[positions], X.data[positions], np.repeat(np.arange(len(rows)), lengths)


def ranked_features(values: np.ndarray, columns: np.ndarray, feature_names: Sequence[str],
                    top: int) -> list[tuple[str, float]]:
    """The ``top`` positive ``values``, largest first (ties in order), as ``(name of columns[i], value)``."""
    positive = np.flatnonzero(values > 0)
    order = positive[np.argsort(-values[positive], kind="stable")[:top]]
    return [(str(feature_names[columns[i]]), float(values[i])) for i in order]


def mention_columns(feature_names: Sequence[str]) -> np.ndarray:
    """Indices of the ``stance:<side>:mention`` columns among ``feature_names``."""
    return np.asarray([i for i, name in enumerate(feature_names)
                       if str(name).startswith("stance:") and str(name).endswith(":mention")], dtype=np.intp)


@dataclass
class ScoredSentences:
    """Every task's probabilities for a batch of sentences, with what explains them.

    Attributes
    ----------
    texts : list of str
    tasks : tuple of str
        The model's tasks in schema order (the boilerplate head, when there is
        one, is in ``classes`` and ``probabilities`` but not here).
    classes : dict
        ``{task: classes}`` in column order.
    probabilities : dict
        ``{task: ndarray (n, n_classes)}``.
    X : scipy.sparse.csr_matrix
        The feature rows.
    feature_names : ndarray of str
    relative_coef : mapping
        ``{task: ndarray (n_classes, n_features)}``: a feature value times this
        is its exact contribution to a class's logit relative to the other
        classes, over the temperature.
    cues : list of list of dict
        Per sentence, the lexicon cues with character offsets (see :func:`sentence_cues`).
    """

    texts: list[str]
    tasks: tuple[str, ...]
    classes: dict[str, tuple[Any, ...]]
    probabilities: dict[str, np.ndarray]
    X: sp.csr_matrix
    feature_names: np.ndarray
    relative_coef: Mapping[str, np.ndarray]
    cues: list[list[dict[str, Any]]] = field(default_factory=list)
    #: Columns of the ``stance:<side>:mention`` features (None: found from ``feature_names`` when needed).
    mention_columns: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def boilerplate(self) -> np.ndarray:
        """P(boilerplate) per sentence: the head's probability with the shape prior of :mod:`framing.report._boilerplate`.

        Zeros when the model has no boilerplate head.
        """
        if BOILERPLATE not in self.probabilities:
            return np.zeros(len(self.texts))
        return adjust_boilerplate(self.probabilities[BOILERPLATE][:, list(self.classes[BOILERPLATE]).index(True)], self.texts)

    def side_mentions(self) -> np.ndarray | None:
        """Per sentence, how many actors of the slant axis's sides it mentions; None without a stance block.

        Read from the ``stance:<side>:mention`` feature columns, so it costs no extra pass over the text.
        """
        columns = self.mention_columns if self.mention_columns is not None else mention_columns(self.feature_names)
        if len(columns) == 0:
            return None
        if self.X is None or len(self.texts) == 0:
            return np.zeros(len(self.texts))
        return np.asarray(self.X[:, columns].sum(axis=1)).ravel()

    def top_contributions(self, task: str, class_per_row: np.ndarray, top: int) -> list[list[tuple[str, float]]]:
        """Each sentence's ``top`` positive contributions to its class ``class_per_row[i]``."""
        return top_contributions(self.X, self.relative_coef[task], class_per_row, top, self.feature_names)

    def row_contributions(self, row: int, task: str, class_index: int, top: int) -> list[tuple[str, float]]:
        """One sentence's ``top`` positive contributions to ``class_index``, largest first."""
        if top <= 0:
            return []
        # Slicing the CSR arrays directly: a scipy row slice per call costs more than the rest of a report.
        span = slice(self.X.indptr[row], self.X.indptr[row + 1])
        columns, values = self.X.indices[span], self.X.data[span]
        if len(columns) == 0:
            return []
        return ranked_features(self.relative_coef[task][class_index, columns] * values, columns, self.feature_names, top)

    def evidence_terms(self, rows: Sequence[int], task: str, class_index: int, weights: np.ndarray,
                       top: int) -> list[tuple[str, float]]:
        """The features that contribute most to ``class_index`` over ``rows``, each row weighted.

        A feature's total is ``sum over rows of value x weight`` times its
        relative coefficient; the ``top`` largest positive totals, largest
        first (ties in column order).
        """
        return self.class_evidence_terms(rows, task, {class_index: weights}, top)[class_index]

    def class_evidence_terms(self, rows: Sequence[int], task: str, weights: Mapping[int, np.ndarray],
                             top: int) -> dict[int, list[tuple[str, float]]]:
        """:meth:`evidence_terms` for several classes of one task at once (``{class_index: row weights}``)."""
        if len(rows) == 0 or top <= 0:
            return {class_index: [] for class_index in weights}
        columns, values, row_of_value = row_entries(self.X, np.asarray(rows, dtype=np.intp))
        # Only the columns present in these rows can have a non-zero total.
        present, slot = np.unique(columns, return_inverse=True)
        relative = self.relative_coef[task]
        result = {}
        for class_index, row_weights in weights.items():
            sums = np.bincount(slot, weights=values * np.asarray(row_weights, dtype=np.float64)[row_of_value],
                               minlength=len(present))
            result[class_index] = ranked_features(sums * relative[class_index, present], present, self.feature_names, top)
        return result
