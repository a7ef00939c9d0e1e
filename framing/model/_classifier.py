""":class:`FramingClassifier`: one framing task as a scikit-learn classifier over raw sentences.

The classifier owns the whole recipe of one task: the feature union (or a
shared, already fitted one), the L2 logistic regression, the per-task choice
of feature blocks and the temperature, both chosen by grouped cross-validation
inside the training data. Probabilities are
``softmax((X @ coef_.T + intercept_) / temperature_)``: the model stays
linear, so every score decomposes exactly into coefficient x value.
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .._compat import HasMethods, Interval, StrOptions, _fit_context, output_config
from .._util import label_index
from ..features import StringInputMixin, check_ngram_range, make_features, shared_analysis, texts_of, transform_in_batches
from ..features._analysis import _TRAINING_MEMO
from ..lexicon._lexicon import Lexicon
from ..report._evidence import top_contributions

logger = logging.getLogger(__name__)

__all__ = ["FramingClassifier", "TaskHead", "BLOCK_CHOICES", "SELECTABLE_BLOCKS", "ABSENT_CLASS_LOGIT", "softmax", "relative_coef"]

#: Logit given to a declared class that never occurs in the training data.
ABSENT_CLASS_LOGIT = -30.0

#: Feature blocks a task may use: the union's blocks each choice keeps (None: every block). The first
#: three are chosen among per task by inner cross-validation (``block_selection=True``); ``"voice"``, the
#: quotation and source structure alone, is fixed for tasks whose class follows from it (attribution).
BLOCK_CHOICES = {"all": None, "lexicon": "not-ngrams", "ngrams": ("word", "char"), "voice": ("voice",)}

#: The choices ``block_selection=True`` compares.
SELECTABLE_BLOCKS = ("all", "lexicon", "ngrams")

#: Inner cross-validation folds of at most this many sentences are kept for reuse while training.
FOLD_MEMO_MAX_SENTENCES = 20_000

#: Names of the n-gram transformers of a feature union (the other blocks count as "lexicon").
NGRAM_BLOCKS = ("word", "char")

#: While training, fold blocks of at most this many columns keep their rows for folds whose block is fitted alike.
ROW_MEMO_MAX_COLUMNS = 256


@dataclass
class TaskHead:
    """The fitted weights of one task: ``softmax((X @ coef.T + intercept) / temperature)``."""

    name: str
    classes: tuple[Any, ...]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    temperature: float = 1.0


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax (computed in place on a shifted copy)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


def relative_coef(coef: np.ndarray, temperature: float) -> np.ndarray:
    """``(n_classes, n_features)``: each class's weights minus the mean of the other classes', over T.

    A feature value times this is its contribution to the class's logit
    relative to the other classes, so a feature that raises every class
    equally counts 0.
    """
    if coef.shape[0] > 1:
        others = (coef.sum(axis=0, keepdims=True) - coef) / (coef.shape[0] - 1)
        coef = coef - others
    return np.ascontiguousarray(coef / temperature)


def _mean_log_loss(logits: np.ndarray, y_index: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Mean (weighted) negative log-likelihood of the true classes under ``softmax(logits)``."""
    probabilities = softmax(logits)
    losses = -np.log(np.clip(probabilities[np.arange(len(y_index)), y_index], 1e-12, None))
    if sample_weight is None:
        return float(losses.mean())
    return float(np.average(losses, weights=sample_weight))


def fit_temperature(logits: np.ndarray, y_index: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """The temperature in [0.05, 20] that minimises the log-loss of ``softmax(logits / T)`` (6 decimals)."""
    from scipy.optimize import minimize_scalar

    def negative_log_likelihood(log_temperature: float) -> float:
        return _mean_log_loss(logits / math.exp(log_temperature), y_index, sample_weight)

    result = minimize_scalar(negative_log_likelihood, bounds=(math.log(0.05), math.log(20.0)), method="bounded")
    return float(round(math.exp(result.x), 6))


def _oof_score(logits: np.ndarray, y_index: np.ndarray, sample_weight: np.ndarray | None) -> tuple[float, float]:
    """(-log-loss, macro-F1 over the classes present) of out-of-fold logits: larger is better.

    Log-loss comes first: with few positive examples per fold, macro-F1 of the
    argmax moves by whole sentences and picks choices by noise.
    """
    from sklearn.metrics import f1_score

    predicted = logits.argmax(axis=1)
    present = np.unique(y_index)
    f1 = f1_score(y_index, predicted, labels=present, average="macro", zero_division=0, sample_weight=sample_weight)
    return -_mean_log_loss(logits, y_index, sample_weight), float(f1)


def select_blocks(oof_logits: dict[str, np.ndarray], y_index: np.ndarray,
                  sample_weight: np.ndarray | None = None) -> str:
    """The block choice whose out-of-fold logits score best (:func:`_oof_score`); the first wins ties."""
    # max() keeps the first of equal scores: "all" (listed first) wins ties.
    return max(oof_logits, key=lambda blocks: _oof_score(oof_logits[blocks], y_index, sample_weight))


def _union(features):
    """The fitted union behind ``features`` (unwrapping a FrozenEstimator)."""
    return features.estimator if isinstance(features, FrozenEstimator) else features


def block_scales(features, blocks: str) -> np.ndarray:
    """Per-column scale (1 or 0) that keeps only the chosen feature blocks of a fitted union."""
    union = _union(features)
    scales = [np.full(len(transformer.get_feature_names_out()), 1.0 if _keeps(blocks, name) else 0.0)
              for name, transformer in union.transformer_list]
    return np.concatenate(scales)


def _keeps(blocks: str, name: str) -> bool:
    """Whether the block choice ``blocks`` keeps the union's transformer ``name``."""
    kept = BLOCK_CHOICES[blocks]
    if kept is None:
        return True
    if kept == "not-ngrams":
        return name not in NGRAM_BLOCKS
    return name in kept


def _block_fingerprint(transformer) -> tuple | None:
    """The class and pickled state of a fitted block (None when it does not pickle): equal ones transform alike."""
    try:
        state = pickle.dumps(transformer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a block that does not pickle is transformed every time, as before
        return None
    return (type(transformer).__module__, type(transformer).__qualname__, hashlib.sha256(state).digest())


def _memo_block_rows(memo: dict, transformer, texts: list[str]) -> sp.csr_matrix:
    """``transformer.transform(texts)``, from the rows of a block with the same fitted state when one was seen.

    The folds of different tasks fit some blocks to the same state (the voice
    block learns a tagger only from PolNeAR's spans: every fold without them
    is rules alone), and a row depends on its text alone.
    """
    key = _block_fingerprint(transformer)
    if key is None:
        return sp.csr_matrix(transformer.transform(texts))
    row_of, matrix = memo.setdefault("block_rows", {}).get(key, ({}, None))
    missing = list(dict.fromkeys(text for text in texts if text not in row_of))
    if missing:
        new_rows = sp.csr_matrix(transformer.transform(missing))
        offset = 0 if matrix is None else matrix.shape[0]
        row_of = {**row_of, **{text: offset + position for position, text in enumerate(missing)}}
        matrix = new_rows if matrix is None else sp.vstack([matrix, new_rows], format="csr")
        memo["block_rows"][key] = (row_of, matrix)
    return matrix[np.fromiter((row_of[text] for text in texts), dtype=np.intp, count=len(texts))]


def _fold_transform(union, texts: list[str], candidates: Sequence[str]) -> sp.csr_matrix:
    """``transform_in_batches(union, texts)`` as the fold's block choices see it.

    A block that none of ``candidates`` keeps is scaled to 0 before any fit or
    score, so it is left empty here (same columns, no entries). While
    training, narrow blocks (at most :data:`ROW_MEMO_MAX_COLUMNS` columns)
    reuse the rows of an equal block fitted in another fold. Unions the fast
    path of :func:`framing.features.transform_union` does not cover are
    transformed as they are.
    """
    from sklearn import get_config

    plain = (type(union) is FeatureUnion and union.n_jobs in (None, 1)
             and get_config().get("transform_output", "default") == "default"
             and output_config(union).get("transform", "default") == "default"
             and not any(isinstance(transformer, str) for _, transformer in union.transformer_list))
    if not plain:
        return transform_in_batches(union, texts)
    memo = _TRAINING_MEMO.get()
    weights = union.transformer_weights or {}
    blocks = []
    for name, transformer in union.transformer_list:
        width = len(transformer.get_feature_names_out())
        if not any(_keeps(choice, name) for choice in candidates):
            block = sp.csr_matrix((len(texts), width), dtype=np.float64)
        elif memo is not None and width <= ROW_MEMO_MAX_COLUMNS:
            block = _memo_block_rows(memo, transformer, texts)
        else:
            block = transformer.transform(texts)
        if not sp.issparse(block):
            return transform_in_batches(union, texts)
        weight = weights.get(name)
        blocks.append(block if weight is None else block * weight)
    if not blocks:
        return transform_in_batches(union, texts)
    return sp.hstack(blocks).tocsr()


def _scale_columns(X, scales: np.ndarray):
    if np.all(scales == 1.0):
        return X
    return sp.csr_matrix(X @ sp.diags(scales))


def _fit_linear(X, y_index: np.ndarray, n_classes: int, sample_weight: np.ndarray | None, *, C: float,
                class_weight, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """``(coef (k, n_features), intercept (k,))`` of an L2 logistic regression over class indices.

    A class absent from ``y_index`` gets zero weights and the logit
    :data:`ABSENT_CLASS_LOGIT`; with a single class present it wins everywhere.
    """
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((n_classes, X.shape[1]))
    intercept = np.full(n_classes, ABSENT_CLASS_LOGIT)
    present = np.unique(y_index)
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return coef, intercept
    # newton-cg solves the same L2 objective as lbfgs, ~15x faster on these wide sparse matrices.
    estimator = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, solver="newton-cg", random_state=0)
    # One BLAS thread: multi-threaded dot products sum in an order that depends on the thread count, and the
    # last digits of the weights (and so the model files) would change from one machine or run to the next.
    with _one_blas_thread():
        estimator.fit(X, y_index, sample_weight=sample_weight)
    fitted = list(estimator.classes_)
    if len(fitted) == 2:
        # Binary LR has one row: the logit of the second class. Split it symmetrically.
        w, b = estimator.coef_[0], estimator.intercept_[0]
        rows = {fitted[0]: (-w / 2, -b / 2), fitted[1]: (w / 2, b / 2)}
    else:
        rows = {c: (estimator.coef_[k], estimator.intercept_[k]) for k, c in enumerate(fitted)}
    for class_index, (w, b) in rows.items():
        coef[class_index] = w
        intercept[class_index] = b
    return coef, intercept


@lru_cache(maxsize=1)
def _threadpool_controller():
    # Finding the loaded BLAS libraries costs milliseconds; one controller per process does it once.
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread():
    """A context in which BLAS runs on one thread (``threadpool_limits(limits=1)``, with a cached controller)."""
    return _threadpool_controller().limit(limits=1)


def _frozen_rows(union, texts: list[str]) -> sp.csr_matrix:
    """``transform_in_batches(union, texts)`` of a fitted, shared union; while training, each text transformed once.

    The tasks of a run share one frozen union and overlap in their sentences
    (the seeds label every task, the frame tasks share theirs): within
    :func:`framing.features.shared_analysis` the rows of every text seen so far
    are kept (for the most recent union only) and each task's matrix is taken
    from them. A row depends on its text alone, so the matrix is the same.
    """
    memo = _TRAINING_MEMO.get()
    if memo is None:
        return transform_in_batches(union, texts)
    kept = memo.get("frozen")
    if kept is None or kept[0] is not union:
        kept = memo["frozen"] = (union, {}, None)
    _, row_of, matrix = kept
    missing = list(dict.fromkeys(text for text in texts if text not in row_of))
    if missing:
        new_rows = transform_in_batches(union, missing)
        offset = 0 if matrix is None else matrix.shape[0]
        for position, text in enumerate(missing):
            row_of[text] = offset + position
        matrix = new_rows if matrix is None else sp.vstack([matrix, new_rows], format="csr")
        memo["frozen"] = (union, row_of, matrix)
    return matrix[np.fromiter((row_of[text] for text in texts), dtype=np.intp, count=len(texts))]


class FramingClassifier(StringInputMixin, ClassifierMixin, BaseEstimator):
    """One framing task as a scikit-learn classifier over raw sentences.

    ``X`` is a sequence of sentence strings, or of objects with a ``text``
    attribute (such as :class:`framing.LabeledSentence`): their ``spans``
    feed the lexicon harvesting and their ``article`` (else ``id``) is the
    group of the inner cross-validation, so that sentences of one article
    never sit on both sides of an inner split. Plain strings are their own
    groups. ``fit(X, y, groups=...)`` gives the groups instead, and ``cv``
    the splits themselves.

    Parameters
    ----------
    C : float, default=1.0
        Inverse L2 regularisation strength of the logistic regression.
    word_ngram_range, char_ngram_range : (int, int), default=(1, 2) and (3, 5)
        N-gram lengths of the word and character (``char_wb``-like) TF-IDF blocks.
    char_min_df : int, default=2
        Document frequency a character n-gram needs to be kept.
    harvest : bool, default=True
        Add the terms of labelled cue spans seen in ``fit`` to the lexicon features.
    lexicon_weight, ngram_weight : float, default=1.0
        Weights of the lexicon/pattern blocks and of the n-gram blocks in the union.
    calibration : {"temperature"} or None, default="temperature"
        Fit a temperature on out-of-fold logits of the inner cross-validation.
    calibration_folds : int, default=5
        Folds of the inner (grouped) cross-validation; fewer when there are fewer groups.
    cv : int, cross-validation splitter, iterable of splits or None, default=None
        The inner cross-validation that chooses the blocks and the temperature.
        ``None``: ``calibration_folds`` grouped folds (:class:`~sklearn.model_selection.GroupKFold`
        over the groups). An int: that many grouped folds (fewer when there are
        fewer groups). A splitter (such as ``StratifiedGroupKFold(3)``) is called
        as ``cv.split(X, y, groups)``; an iterable gives ``(train, test)`` index
        arrays. Each sentence may be in at most one test fold; a sentence in none
        is left out of the block choice and the temperature.
    class_weight : "balanced", dict or None, default="balanced"
        As in :class:`~sklearn.linear_model.LogisticRegression`.
    max_iter : int, default=2000
        Iterations of the newton-cg solver.
    block_selection : bool or {"all", "lexicon", "ngrams", "voice"}, default=True
        True: choose, by inner cross-validation, whether the task uses all
        features, only the lexicon/pattern blocks or only the n-grams. False
        means "all"; a name fixes the choice (``"voice"``: only the quotation
        and source structure of the ``voice`` block).
    lexicon : framing.Lexicon or None, default=None
        The lexicon of the default feature union (``None``: the bundled one).
    features : transformer or None, default=None
        ``None`` builds the default union (:func:`framing.features.make_features`)
        from the parameters above and fits it on ``X``. An already fitted union
        wrapped in :class:`sklearn.frozen.FrozenEstimator` is used as it is (not
        refitted, and shared by :func:`~sklearn.base.clone`): that is how several
        tasks trained on different sentences share one feature extraction (see
        :meth:`framing.Model.from_classifiers`). An unfitted union is cloned and
        fitted on ``X``. The inner cross-validation always fits a fresh clone of
        the union inside each fold, so neither the block choice nor the
        temperature sees features learned from the held-out sentences.
    classes : sequence or None, default=None
        The classes, in column order. ``None``: the sorted distinct labels of
        ``y``. A declared class absent from ``y`` gets zero weights and a logit
        of -30. Labels match classes by value *and* type (``1`` is not ``True``).

    Attributes
    ----------
    classes_ : ndarray
        The classes, in the column order of :meth:`predict_proba`.
    features_ : FeatureUnion
        The fitted feature union (the one inside ``features`` when it is frozen).
    coef_ : ndarray of shape (n_classes, n_features)
        One row per class, also for two classes (the binary logit is split
        symmetrically: ``coef_[1] == -coef_[0]``).
    intercept_ : ndarray of shape (n_classes,)
    temperature_ : float
        Logits are divided by this before the softmax (1.0 without calibration).
    blocks_ : str
        The feature blocks used: ``"all"``, ``"lexicon"`` or ``"ngrams"``.

    Examples
    --------
    >>> from framing import FramingClassifier
    >>> X = ["The corrupt regime lied.", "Talks began on Monday.", "The puppet regime lied again.",
    ...      "Delegates met in Geneva."]
    >>> clf = FramingClassifier(calibration=None, block_selection=False).fit(X, [True, False, True, False])
    >>> clf.classes_.tolist(), clf.predict(["The regime lied."]).tolist()
    ([False, True], [True])
    """

    _parameter_constraints: dict = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "word_ngram_range": [tuple, list],
        "char_ngram_range": [tuple, list],
        "char_min_df": [Interval(Integral, 1, None, closed="left")],
        "harvest": ["boolean"],
        "lexicon_weight": [Interval(Real, 0, None, closed="left")],
        "ngram_weight": [Interval(Real, 0, None, closed="left")],
        "calibration": [StrOptions({"temperature"}), None],
        "calibration_folds": [Interval(Integral, 2, None, closed="left")],
        "cv": ["cv_object"],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "block_selection": ["boolean", StrOptions(set(BLOCK_CHOICES))],
        "lexicon": [Lexicon, None],
        "features": [HasMethods(["fit", "transform", "get_feature_names_out"]), None],
        "classes": [tuple, list, None],
    }

    def __init__(self, *, C=1.0, word_ngram_range=(1, 2), char_ngram_range=(3, 5), char_min_df=2, harvest=True,
                 lexicon_weight=1.0, ngram_weight=1.0, calibration="temperature", calibration_folds=5, cv=None,
                 class_weight="balanced", max_iter=2000, block_selection=True, lexicon=None, features=None,
                 classes=None):
        self.C = C
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.char_min_df = char_min_df
        self.harvest = harvest
        self.lexicon_weight = lexicon_weight
        self.ngram_weight = ngram_weight
        self.calibration = calibration
        self.calibration_folds = calibration_folds
        self.cv = cv
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.block_selection = block_selection
        self.lexicon = lexicon
        self.features = features
        self.classes = classes

    # ------------------------------------------------------------------ fitting
    def new_features(self) -> FeatureUnion:
        """An unfitted feature union: the default one from the parameters, or a clone of ``features``."""
        if self.features is None:
            check_ngram_range(self.word_ngram_range, "word_ngram_range")
            check_ngram_range(self.char_ngram_range, "char_ngram_range")
            weights = {
                "lexicon": self.lexicon_weight, "attribution": self.lexicon_weight, "hedging": self.lexicon_weight,
                "shape": self.lexicon_weight, "word": self.ngram_weight, "char": self.ngram_weight,
            }
            return make_features(lexicon=self.lexicon, word_ngram_range=tuple(self.word_ngram_range),
                                 char_ngram_range=tuple(self.char_ngram_range), char_min_df=self.char_min_df,
                                 harvest=self.harvest, transformer_weights=weights)
        return clone(_union(self.features))

    def _class_indices(self, y: Sequence[Any]) -> tuple[tuple[Any, ...], np.ndarray]:
        if self.classes is not None:
            classes = tuple(self.classes)
            if len(classes) < 1:
                raise ValueError("classes must list at least one class")
        else:
            distinct: list[Any] = []
            for value in y:
                if label_index(value, distinct) < 0:
                    distinct.append(value)
            classes = tuple(sorted(distinct, key=lambda v: (type(v).__name__, v)))
        indices = np.asarray([label_index(value, classes) for value in y], dtype=np.intp)
        bad = [y[i] for i in np.flatnonzero(indices < 0)[:5]]
        if bad:
            raise ValueError(f"labels {bad!r} are not among the classes {list(classes)}")
        return classes, indices

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, groups=None) -> FramingClassifier:
        """Fit the features (unless frozen), choose blocks and temperature by inner CV, fit the weights.

        Parameters
        ----------
        X : sequence of str or of objects with a ``text`` attribute
        y : sequence of labels, one per item of ``X``
        sample_weight : array-like of shape (n_samples,), optional
            Per-sentence weights of the logistic regression, the block choice
            and the temperature.
        groups : array-like of shape (n_samples,), optional
            The group of each sentence (an article id, say) for the inner
            cross-validation: a group never sits on both sides of a split.
            ``None``: each item's ``article``, else its ``id``, else itself.

        Returns
        -------
        self
        """
        # The inner folds refit the features on overlapping sentences: tokenise each one once.
        with shared_analysis():
            return self._fit(X, y, sample_weight, groups)

    def _fit(self, X, y, sample_weight, groups) -> FramingClassifier:
        items = list(X) if not isinstance(X, str) else X
        texts = texts_of(items)
        y = list(y)
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} sentences but y has {len(y)} labels")
        if not texts:
            raise ValueError("cannot fit on 0 sentences")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float64)
            if sample_weight.shape != (len(texts),) or not np.all(np.isfinite(sample_weight)) or np.any(sample_weight < 0):
                raise ValueError(f"sample_weight must be {len(texts)} finite non-negative numbers, got shape {sample_weight.shape}")
        if groups is not None:
            groups = list(groups)
            if len(groups) != len(texts):
                raise ValueError(f"groups must give one group per sentence ({len(texts)}), got {len(groups)}")
        classes, y_index = self._class_indices(y)
        if isinstance(self.features, FrozenEstimator):
            union = _union(self.features)
            check_is_fitted(union)
            X_all = _frozen_rows(union, texts)
        else:
            union = self.new_features().fit(items)
            X_all = transform_in_batches(union, texts)

        fixed = self.block_selection if isinstance(self.block_selection, str) else "all"
        blocks, temperature = fixed, 1.0
        if self.calibration == "temperature" or self.block_selection is True:
            oof = self._out_of_fold_logits(items, y_index, len(classes), sample_weight, groups)
            if oof is not None:
                oof, tested = oof
                tested_y = y_index if tested is None else y_index[tested]
                tested_weight = sample_weight if sample_weight is None or tested is None else sample_weight[tested]
                if tested is not None:
                    oof = {name: logits[tested] for name, logits in oof.items()}
                blocks = select_blocks(oof, tested_y, tested_weight)
                if self.calibration == "temperature":
                    temperature = fit_temperature(oof[blocks], tested_y, tested_weight)
                logger.debug("blocks %s, temperature %.3f", blocks, temperature)
        scales = block_scales(union, blocks)
        coef, intercept = _fit_linear(_scale_columns(X_all, scales), y_index, len(classes), sample_weight,
                                      C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        # (X * s) @ w == X @ (s * w): the weights score unscaled features, so scoring never needs the blocks.
        # Weights are kept at float16 precision (what a saved model stores, the 14 frame heads being what
        # brought the default model folder over its 5 MB), so a model scores the same before and after a
        # save/load round trip; the rounding (relative 5e-4 per weight) moves a probability by about 1e-4.
        self.coef_ = (coef * scales).astype(np.float16).astype(np.float64)
        self.intercept_ = intercept
        self.temperature_ = temperature
        self.blocks_ = blocks
        self.classes_ = _as_array(classes)
        self.features_ = union
        return self

    def _inner_splits(self, items: list[Any], y_index: np.ndarray, groups: list[Any] | None) -> list[tuple[np.ndarray, np.ndarray]]:
        """The ``(train rows, test rows)`` of the inner cross-validation (see ``cv``); fewer than 2 groups: none."""
        from sklearn.model_selection import GroupKFold, check_cv

        if groups is None:
            groups = [getattr(item, "article", None) or getattr(item, "id", None) or str(i) for i, item in enumerate(items)]
        # Codes in sorted order (by type, then value; for strings the order they always had): the default folds stay those
        # of the models trained before cv= and groups= existed.
        unique_groups = sorted(set(groups), key=lambda group: (type(group).__name__, group))
        codes = {group: code for code, group in enumerate(unique_groups)}
        group_codes = np.asarray([codes[g] for g in groups])
        dummy = np.zeros(len(items))
        if self.cv is None or isinstance(self.cv, Integral):
            n_splits = min(self.calibration_folds if self.cv is None else int(self.cv), len(unique_groups))
            if n_splits < 2:
                return []
            return list(GroupKFold(n_splits=n_splits).split(dummy, groups=group_codes))
        splits = [(np.asarray(train), np.asarray(test))
                  for train, test in check_cv(self.cv, y_index, classifier=True).split(dummy, y_index, group_codes)]
        return splits

    def _out_of_fold_logits(self, items: list[Any], y_index: np.ndarray, n_classes: int,
                            sample_weight: np.ndarray | None, groups: list[Any] | None = None):
        """``({blocks: out-of-fold logits}, tested rows or None)`` over the inner folds, or None without folds.

        The features (vocabulary, harvested lexicon terms) and the weights are
        refitted inside each fold; one feature fit per fold serves every block
        choice. ``tested`` is a boolean mask of the rows some fold tested, or
        None when every row was tested (as with the default grouped folds).
        """
        splits = self._inner_splits(items, y_index, groups)
        if not splits:
            return None
        times_tested = np.zeros(len(items), dtype=np.intp)
        for _, test_rows in splits:
            np.add.at(times_tested, test_rows, 1)
        if np.any(times_tested > 1):
            raise ValueError("cv must put each sentence in at most one test fold (out-of-fold logits choose the blocks "
                             f"and the temperature); sentence {int(np.argmax(times_tested > 1))} is tested "
                             f"{int(times_tested.max())} times")
        if not np.any(times_tested):
            raise ValueError("cv gave no test rows: the blocks and the temperature need out-of-fold logits")
        candidates = self._candidate_blocks()
        logits = {blocks: np.zeros((len(items), n_classes)) for blocks in candidates}
        for train_rows, test_rows in splits:
            fold_union, X_train, X_test = self._fold_features(items, train_rows, test_rows)
            fold_weight = None if sample_weight is None else sample_weight[train_rows]
            for blocks in candidates:
                scales = block_scales(fold_union, blocks)
                coef, intercept = _fit_linear(_scale_columns(X_train, scales), y_index[train_rows], n_classes,
                                              fold_weight, C=self.C, class_weight=self.class_weight,
                                              max_iter=self.max_iter)
                logits[blocks][test_rows] = np.asarray(X_test @ (coef * scales).T) + intercept
        tested = times_tested > 0
        return logits, (None if tested.all() else tested)

    def _features_key(self) -> tuple:
        """What the features fitted in a fold depend on besides the fold's sentences (objects kept alive by the memo)."""
        if self.features is not None:
            return ("union", id(_union(self.features)))
        return ("params", tuple(self.word_ngram_range), tuple(self.char_ngram_range), self.char_min_df, self.harvest,
                self.lexicon_weight, self.ngram_weight, id(self.lexicon))

    def _candidate_blocks(self) -> tuple[str, ...]:
        """The block choices the inner cross-validation compares (one when ``block_selection`` fixes it)."""
        if self.block_selection is True:
            return SELECTABLE_BLOCKS
        return (self.block_selection if isinstance(self.block_selection, str) else "all",)

    def _fold_features(self, items: list[Any], train_rows: np.ndarray, test_rows: np.ndarray):
        """The features fitted on the fold's training items, and both sides transformed (for :meth:`_candidate_blocks`).

        While training (:func:`framing.features.shared_analysis`), a fold seen
        before -- the same feature definition and the same sentences on each
        side, as when several tasks are labelled on the same sentences --
        reuses that fit: it is the same computation. Folds of more than
        :data:`FOLD_MEMO_MAX_SENTENCES` sentences are not kept (memory).
        """
        memo = _TRAINING_MEMO.get()
        candidates = self._candidate_blocks()
        fold_items = [items[i] for i in train_rows]
        test_items = [items[i] for i in test_rows]
        key = None
        if memo is not None and len(items) <= FOLD_MEMO_MAX_SENTENCES:
            key = (self._features_key(), tuple(candidates), tuple(map(id, fold_items)), tuple(map(id, test_items)))
            found = memo.setdefault("folds", {}).get(key)
            if found is not None:
                return found[:3]
        fold_union = self.new_features().fit(fold_items)
        X_train = _fold_transform(fold_union, texts_of(fold_items), candidates)
        X_test = _fold_transform(fold_union, texts_of(test_items), candidates)
        if key is not None:
            # The items, the lexicon and the union are kept with the entry, so that their ids stay theirs.
            memo["folds"][key] = (fold_union, X_train, X_test, fold_items, test_items, self.lexicon, self.features)
        return fold_union, X_train, X_test

    # ------------------------------------------------------------------ prediction
    def transform_features(self, X) -> sp.csr_matrix:
        """The feature matrix (CSR, one row per sentence) this classifier scores."""
        check_is_fitted(self, "coef_")
        return transform_in_batches(self.features_, texts_of(X))

    def _logits(self, X) -> np.ndarray:
        return (np.asarray(X @ self.coef_.T) + self.intercept_) / self.temperature_

    def decision_function(self, X) -> np.ndarray:
        """Calibrated logits: ``(n, n_classes)``, or ``(n,)`` for two classes (class 1 minus class 0)."""
        logits = self._logits(self.transform_features(X))
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, ``(n, n_classes)``, columns in ``classes_`` order."""
        return softmax(self._logits(self.transform_features(X)))

    def predict_log_proba(self, X) -> np.ndarray:
        return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sentence."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the feature columns (``hedge:reportedly``, ``word:kyiv regime``, ...)."""
        check_is_fitted(self, "coef_")
        return self.features_.get_feature_names_out()

    # ------------------------------------------------------------------ evidence
    def relative_coef(self) -> np.ndarray:
        """``(n_classes, n_features)``: each class's weights minus the mean of the others', over T."""
        check_is_fitted(self, "coef_")
        return relative_coef(self.coef_, self.temperature_)

    def contributions(self, X, classes=None) -> sp.csr_matrix:
        """Exact per-feature contributions, a CSR matrix ``(n, n_features)``.

        Entry ``(i, j)`` is ``X[i, j] * relative_coef()[c_i, j]``: feature
        ``j``'s contribution to the logit of class ``c_i`` relative to the
        other classes (their mean), divided by the temperature. ``c_i`` is the
        predicted class, or ``classes[i]`` (class labels) when given. A row's
        sum plus the class's relative intercept is the class's relative logit.
        """
        matrix = self.transform_features(X)
        class_rows = self._class_rows(matrix, classes)
        relative = self.relative_coef()
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        data = matrix.data * relative[class_rows[rows], matrix.indices]
        return sp.csr_matrix((data, matrix.indices.copy(), matrix.indptr.copy()), shape=matrix.shape)

    def top_contributions(self, X, top: int = 5, classes=None) -> list[list[tuple[str, float]]]:
        """Per sentence, the ``top`` features that raise its class's logit most: ``[(name, contribution)]``."""
        matrix = self.transform_features(X)
        class_rows = self._class_rows(matrix, classes)
        return top_contributions(matrix, self.relative_coef(), class_rows, top, self.get_feature_names_out())

    def _class_rows(self, matrix, classes) -> np.ndarray:
        if classes is None:
            return self._logits(matrix).argmax(axis=1)
        known = list(self.classes_.tolist())
        rows = np.asarray([label_index(c, known) for c in classes], dtype=np.intp)
        if len(rows) != matrix.shape[0] or np.any(rows < 0):
            raise ValueError(f"classes must give one of {known} per sentence")
        return rows

    # ------------------------------------------------------------------ plain data
    def to_head(self, name: str) -> TaskHead:
        """The fitted weights as a :class:`TaskHead` (what a saved model stores)."""
        check_is_fitted(self, "coef_")
        return TaskHead(name, tuple(self.classes_.tolist()), self.coef_, self.intercept_, self.temperature_)

    @classmethod
    def from_head(cls, head: TaskHead, features, blocks: str = "all", **params: Any) -> FramingClassifier:
        """A fitted classifier from saved weights and a fitted feature union (wrapped frozen)."""
        frozen = features if isinstance(features, FrozenEstimator) else FrozenEstimator(features)
        classifier = cls(features=frozen, classes=tuple(head.classes), **params)
        classifier.classes_ = _as_array(head.classes)
        classifier.coef_ = head.coef
        classifier.intercept_ = head.intercept
        classifier.temperature_ = head.temperature
        classifier.blocks_ = blocks
        classifier.features_ = _union(features)
        return classifier


def _as_array(classes: Sequence[Any]) -> np.ndarray:
    """Classes as a 1-D array (object dtype unless they are all bools or all strings)."""
    if all(isinstance(c, bool) for c in classes) or all(isinstance(c, str) for c in classes):
        return np.asarray(classes)
    array = np.empty(len(classes), dtype=object)
    array[:] = list(classes)
    return array
