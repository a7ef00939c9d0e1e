"""What a model hands downstream: scored sentences (with their features) and a scored article (arrays only).

Data flows one way: text -> sentences -> features -> probabilities -> report.

* :class:`ScoredSentences` is what :meth:`framing.Model.score_sentences`
  returns for a batch of sentences: probabilities, the boilerplate decision,
  cues and the feature matrix with the exact contributions it explains.
* :class:`ScoredArticle` is what :meth:`framing.Model.score` hands
  :func:`framing.report._report.build_report`: every unit's probabilities,
  its boilerplate decision, cues, actor mentions and evidence, as finished
  arrays. It holds no feature matrix, so a report holds none either.

Neither holds the model, and nothing here imports :mod:`framing.features` or
:mod:`framing.model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._util import BOILERPLATE
from ._boilerplate import adjust_boilerplate
from ._evidence import TermTotals, ranked_features, row_entries, top_contributions

__all__ = ["ScoredSentences", "ScoredArticle", "CUE_TYPES", "row_entries", "ranked_features", "mention_columns"]

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


def mention_columns(feature_names: Sequence[str]) -> np.ndarray:
    """Indices of the ``stance:<side>:mention`` columns among ``feature_names``.

    Examples
    --------
    >>> mention_columns(["word:kyiv", "stance:russia:mention", "stance:russia:praise"]).tolist()
    [1]
    """
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
        ``{task: ndarray (n, n_classes)}``; under ``"boilerplate"`` the
        decision of :attr:`boilerplate` (not the head alone).
    X : scipy.sparse.csr_matrix
        The feature rows.
    feature_names : ndarray of str
    relative_coef : mapping
        ``{task: ndarray (n_classes, n_features)}``: a feature value times this
        is its exact contribution to a class's logit relative to the other
        classes, over the temperature.
    cues : list of list of dict
        Per sentence, the lexicon cues with character offsets (see :meth:`framing.Model.cues`).
    mention_columns : ndarray of int, optional
        Columns of the ``stance:<side>:mention`` features (None: found from ``feature_names`` when needed).
    boilerplate : ndarray
        P(boilerplate) per sentence as decided once by the model: the head's
        probability with the shape prior of :mod:`framing.report._boilerplate`
        (zeros when the model has no boilerplate head). Left out (None), it is
        decided here once from ``probabilities["boilerplate"]``, taken as the head's.
    """

    texts: list[str]
    tasks: tuple[str, ...]
    classes: dict[str, tuple[Any, ...]]
    probabilities: dict[str, np.ndarray]
    X: sp.csr_matrix
    feature_names: np.ndarray
    relative_coef: Mapping[str, np.ndarray]
    cues: list[list[dict[str, Any]]] = field(default_factory=list)
    mention_columns: np.ndarray | None = None
    boilerplate: np.ndarray | None = None

    def __post_init__(self):
        if self.boilerplate is None:
            if BOILERPLATE not in self.probabilities:
                self.boilerplate = np.zeros(len(self.texts))
            else:
                true = list(self.classes[BOILERPLATE]).index(True)
                self.boilerplate = adjust_boilerplate(self.probabilities[BOILERPLATE][:, true], self.texts)

    def __len__(self) -> int:
        return len(self.texts)

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
        totals = TermTotals()
        totals.add(*row_entries(self.X, np.asarray(rows, dtype=np.intp)), weights)
        relative = self.relative_coef[task]
        return {class_index: totals.ranked(class_index, relative[class_index], self.feature_names, top)
                for class_index in weights}


@dataclass(frozen=True)
class ScoredArticle:
    """One article's units as the model scored them: finished arrays, no feature matrix.

    Built by :meth:`framing.Model.score` (in chunks of bounded size for a long
    text, each unit featurised once) and read by
    :func:`framing.report._report.build_report`. ``n`` is the number of units.

    Attributes
    ----------
    tasks : tuple of str
    classes : dict
        ``{task: classes}`` in column order.
    probabilities : dict
        ``{task: ndarray (n, n_classes)}``.
    boilerplate : ndarray (n,)
        P(boilerplate) per unit, decided once (head and shape prior).
    cues : list of list of dict
        Per unit, its lexicon cues with offsets inside the unit.
    side_mentions : ndarray (n,) or None
        Actors of the slant axis mentioned per unit; None without a stance block.
    evidence_names : ndarray of str
        The feature names that per-unit evidence refers to (only those).
    evidence_columns, evidence_values : dict
        ``{task: ndarray (n, evidence)}``: each unit's top positive
        contributions to its most probable class, largest first, as indices
        into ``evidence_names`` and contributions (-1 and 0 pad a shorter list).
    top_sentences : dict
        ``{task: {class_index: [(unit, probability, [(feature, contribution), ...]), ...]}}``.
    top_terms : dict
        ``{task: {class_index: [(feature, total contribution), ...]}}`` over the scored units.
    voices : list of framing.voice.UnitVoice or None
        Whose words each unit is (None: not known, every unit counts as the author's).
    part_rows : ndarray of int
        The units that mix quotation and the author's words.
    part_probabilities : dict
        ``{"author": {task: ndarray (len(part_rows), n_classes)}, "quoted": {...}}``: those units' two parts
        scored alone.
    """

    tasks: tuple[str, ...]
    classes: dict[str, tuple[Any, ...]]
    probabilities: dict[str, np.ndarray]
    boilerplate: np.ndarray
    cues: list[list[dict[str, Any]]]
    side_mentions: np.ndarray | None
    evidence_names: np.ndarray
    evidence_columns: dict[str, np.ndarray]
    evidence_values: dict[str, np.ndarray]
    top_sentences: dict[str, dict[int, list[tuple[int, float, list[tuple[str, float]]]]]]
    top_terms: dict[str, dict[int, list[tuple[str, float]]]]
    voices: list[Any] | None = None
    part_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    part_probabilities: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.boilerplate)
