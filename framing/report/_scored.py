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

__all__ = ["ScoredSentences", "ScoredArticle", "MentionTable", "CUE_TYPES", "row_entries", "ranked_features",
           "mention_columns"]

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


#: Column order of a mention's stance probabilities (``framing.STANCE_CLASSES``; repeated here: the report
#: imports neither the model nor the features).
STANCE_COLUMNS = ("unfavourable", "neutral", "favourable")


@dataclass(frozen=True, eq=False)
class MentionTable:
    """The candidate mentions of one article with the stance the model gave each: plain arrays, one row a mention.

    Built by :meth:`framing.Model.score` (the names, the axis's actor terms and
    naming variants, and the spellings asked for with ``actors=``) and read by
    the report (:meth:`framing.report.ArticleReport.actor_stance`,
    :attr:`~framing.report.ArticleReport.axis_stance`, the slant index). The
    constructor takes lists or arrays and stores arrays; every column has one
    entry per mention.

    Attributes
    ----------
    row : ndarray of int
        The unit (index into the article's units) the mention is in.
    start, end : ndarray of int
        Character offsets of the mention in the **article** text.
    text : ndarray of str (object)
        The mention as written.
    quoted : ndarray of bool
        Inside a direct quotation or reported speech (someone else's words, not the author's).
    side : ndarray of str (object)
        The axis side the mention names (``"negative"``, ``"positive"``, a third party's key) or ``""``.
    naming : ndarray of str (object)
        The lean of a naming variant (``"pro_russia"``) or ``""``.
    probabilities : ndarray (m, 3)
        P(unfavourable), P(neutral), P(favourable) toward the mention (:data:`STANCE_COLUMNS`).

    Examples
    --------
    >>> table = MentionTable.from_lists(row=[0, 1], start=[0, 30], end=[6, 35], text=["Borduria", "Kyiv"],
    ...                                 probabilities=[[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    >>> len(table), table.quoted.tolist(), table.side.tolist()
    (2, [False, False], ['', ''])
    >>> len(MentionTable.empty())
    0
    """

    row: np.ndarray
    start: np.ndarray
    end: np.ndarray
    text: np.ndarray
    quoted: np.ndarray
    side: np.ndarray
    naming: np.ndarray
    probabilities: np.ndarray

    def __post_init__(self):
        columns = {
            "row": np.asarray(self.row, dtype=np.intp).reshape(-1),
            "start": np.asarray(self.start, dtype=np.intp).reshape(-1),
            "end": np.asarray(self.end, dtype=np.intp).reshape(-1),
            "text": _object_column(self.text),
            "quoted": np.asarray(self.quoted, dtype=bool).reshape(-1),
            "side": _object_column(self.side),
            "naming": _object_column(self.naming),
        }
        n = len(columns["row"])
        probabilities = np.asarray(self.probabilities, dtype=np.float64)
        if probabilities.size == 0:
            probabilities = probabilities.reshape(0, len(STANCE_COLUMNS))
        for name, column in columns.items():
            if len(column) != n:
                raise ValueError(f"MentionTable: column {name!r} has {len(column)} entries, 'row' has {n}")
        if probabilities.shape != (n, len(STANCE_COLUMNS)):
            raise ValueError(f"MentionTable: probabilities must have shape ({n}, {len(STANCE_COLUMNS)}), "
                             f"got {probabilities.shape}")
        for name, column in {**columns, "probabilities": probabilities}.items():
            object.__setattr__(self, name, column)

    @classmethod
    def from_lists(cls, row: Sequence[int], start: Sequence[int], end: Sequence[int], text: Sequence[str],
                   quoted: Sequence[bool] | None = None, side: Sequence[str] | None = None,
                   naming: Sequence[str] | None = None,
                   probabilities: Sequence[Sequence[float]] | None = None) -> MentionTable:
        """A table from plain lists; ``quoted`` defaults to all False, ``side`` and ``naming`` to ``""``,
        ``probabilities`` to all neutral."""
        n = len(row)
        return cls(row, start, end, text,
                   [False] * n if quoted is None else quoted,
                   [""] * n if side is None else side,
                   [""] * n if naming is None else naming,
                   np.tile([0.0, 1.0, 0.0], (n, 1)) if probabilities is None else probabilities)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple], probabilities: Sequence[Sequence[float]] | np.ndarray) -> MentionTable:
        """A table from one tuple per mention, ``(row, start, end, text, quoted, side, naming)``, and the stance rows.

        Examples
        --------
        >>> table = MentionTable.from_rows([(0, 4, 8, "Kyiv", False, "positive", "")], [[0.1, 0.2, 0.7]])
        >>> table.side.tolist(), table.probabilities.shape
        (['positive'], (1, 3))
        """
        columns = list(zip(*rows)) if len(rows) else [()] * 7
        return cls(*columns, probabilities)

    @classmethod
    def empty(cls) -> MentionTable:
        """A table of no mentions (an article that names nobody)."""
        return cls.from_lists([], [], [], [])

    @classmethod
    def concatenate(cls, tables: Sequence[MentionTable]) -> MentionTable:
        """The rows of ``tables`` one after the other (chunks of a long article; offsets already the article's)."""
        if not tables:
            return cls.empty()
        return cls(*(np.concatenate([getattr(t, name) for t in tables]) for name in _MENTION_FIELDS))

    def __len__(self) -> int:
        return len(self.row)

    def __repr__(self) -> str:
        return f"MentionTable({len(self)} mentions)"


_MENTION_FIELDS = ("row", "start", "end", "text", "quoted", "side", "naming", "probabilities")


def _object_column(values) -> np.ndarray:
    """Strings as a 1-D object array (numpy's fixed-width str dtype would cut longer strings added later)."""
    column = np.empty(len(values), dtype=object)
    column[:] = [str(value) for value in values]
    return column


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
    mentions : MentionTable or None
        Every candidate mention with its stance; None when the model has no target-stance component (the
        report then keeps the sentence-based slant index).
    axis : dict or None
        The axis document the mentions' ``side`` and ``naming`` refer to (the model's own, or the one passed
        to :meth:`framing.Model.score` with ``axis=``).
    axis_measured : bool
        Whether the model's evaluation measured this axis (its own axis: True). An axis passed with ``axis=``
        has no measurement of its own, so the target-stance reliability applies to it.
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
    mentions: MentionTable | None = None
    axis: dict[str, Any] | None = None
    axis_measured: bool = True

    def __len__(self) -> int:
        return len(self.boilerplate)
