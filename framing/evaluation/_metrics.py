"""Scores of out-of-fold predictions: macro-F1 with a bootstrap interval, per-class metrics, calibration."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._compat import multiclass_brier
from .._util import bootstrap_interval
from .._util import class_key as _class_key

__all__ = ["ECE_BINS", "SystemScores", "classification_scores", "expected_calibration_error", "macro_f1"]

#: Bins of the expected calibration error.
ECE_BINS = 10


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[int], axis: int = -1) -> np.ndarray:
    """Macro-F1 over ``labels``, vectorised over leading axes (the bootstrap statistic).

    Equal to ``sklearn.metrics.f1_score(y_true, y_pred, labels=labels,
    average="macro", zero_division=0)`` for 1-d input, but computed for a
    whole batch of resamples at once. Per class ``F1 = 2 tp / (2 tp + fp +
    fn)`` (0 when the denominator is 0), as scikit-learn computes it.

    Examples
    --------
    >>> float(macro_f1(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), labels=[0, 1]))
    0.7333333333333334
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    scores = []
    for label in labels:
        is_true, is_pred = y_true == label, y_pred == label
        tp = np.sum(is_true & is_pred, axis=axis)
        denominator = np.sum(is_true, axis=axis) + np.sum(is_pred, axis=axis)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores.append(np.where(denominator > 0, 2.0 * tp / np.maximum(denominator, 1), 0.0))
    return np.mean(scores, axis=0)


def expected_calibration_error(y_true: np.ndarray, probabilities: np.ndarray, n_bins: int = ECE_BINS) -> float:
    """Expected calibration error of the top-class probability, equal-width bins.

    ``ECE = sum_b (n_b / n) * |accuracy_b - mean confidence_b|`` where bin
    ``b`` holds the sentences whose highest probability falls in
    ``((b-1)/n_bins, b/n_bins]`` (the first bin includes 0).
    scikit-learn has no ECE (``calibration_curve`` drops empty bins and the
    counts), hence this function.

    Examples
    --------
    >>> expected_calibration_error(np.array([0, 1]), np.array([[0.9, 0.1], [0.6, 0.4]]))
    0.35
    """
    probabilities = np.asarray(probabilities, dtype=float)
    if len(probabilities) == 0:
        return float("nan")
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == np.asarray(y_true)).astype(float)
    bins = np.clip(np.ceil(confidence * n_bins - 1e-9).astype(int) - 1, 0, n_bins - 1)  # 0.7 -> (0.6, 0.7]
    total = 0.0
    for b in range(n_bins):
        members = bins == b
        if members.any():
            total += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return round(float(total), 12)


def _bootstrap_ci(arrays: Sequence[np.ndarray], statistic: Callable[..., np.ndarray], n_resamples: int,
                  random_state: int) -> list[float] | None:
    """95% percentile bootstrap interval of ``statistic``, resampling sentences, paired over ``arrays``."""
    interval = bootstrap_interval(arrays, 0.95, n_resamples, random_state, statistic=statistic)
    return None if interval is None else list(interval)


@dataclass
class SystemScores:
    """Scores of one system on one task (pooled out-of-fold predictions).

    Attributes
    ----------
    macro_f1 : float
        Macro-F1 over the classes present in the gold labels.
    macro_f1_ci : list of float or None
        ``[low, high]``: 95% percentile bootstrap interval over sentences.
    accuracy : float
    per_class : dict
        ``{class: {"precision", "recall", "f1", "support"}}`` for every schema class.
    confusion_matrix : list of list of int
        Rows gold, columns predicted, in schema class order.
    brier : float
        Multi-class Brier score (0 best, 2 worst).
    ece : float
        Expected calibration error of the top-class probability, 10 bins.
    fold_macro_f1 : list of float
        Macro-F1 of each fold on its own (spread across folds).
    model_gain : dict or None
        Baselines only: ``{"macro_f1": model minus this, "ci": [low, high]}``
        from a paired bootstrap on the same resamples.
    """

    macro_f1: float
    macro_f1_ci: list[float] | None
    accuracy: float
    per_class: dict[str, dict[str, float]]
    confusion_matrix: list[list[int]]
    brier: float
    ece: float
    fold_macro_f1: list[float] = field(default_factory=list)
    model_gain: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": _round(self.macro_f1),
            "macro_f1_ci": None if self.macro_f1_ci is None else [_round(v) for v in self.macro_f1_ci],
            "accuracy": _round(self.accuracy),
            "per_class": {c: {k: (_round(v) if k != "support" else int(v)) for k, v in m.items()} for c, m in self.per_class.items()},
            "confusion_matrix": self.confusion_matrix,
            "brier": _round(self.brier),
            "ece": _round(self.ece),
            "fold_macro_f1": [_round(v) for v in self.fold_macro_f1],
            "model_gain": None if self.model_gain is None else {
                "macro_f1": _round(self.model_gain["macro_f1"]),
                "ci": None if self.model_gain.get("ci") is None else [_round(v) for v in self.model_gain["ci"]],
            },
        }


def _round(value: Any, digits: int = 6) -> Any:
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits)


def classification_scores(y_true: Sequence[int], probabilities: np.ndarray, classes: Sequence[Any],
                          bootstrap: int = 1000, random_state: int = 0) -> SystemScores:
    """Score class-index predictions: macro-F1 with bootstrap CI, per-class metrics, calibration.

    Parameters
    ----------
    y_true : sequence of int
        Gold class indices into ``classes``.
    probabilities : ndarray, shape (n, len(classes))
        Predicted probabilities; the prediction is the argmax.
    classes : sequence
        Class values (only used to name the per-class entries).
    bootstrap : int, default=1000
        Bootstrap resamples for the CI (0 disables it).
    random_state : int, default=0
        Seed of the bootstrap.

    Returns
    -------
    SystemScores

    Examples
    --------
    >>> s = classification_scores([0, 0, 1, 1], np.array([[.9, .1], [.4, .6], [.2, .8], [.3, .7]]),
    ...                           (False, True), bootstrap=0)
    >>> round(s.macro_f1, 4), s.confusion_matrix
    (0.7333, [[1, 1], [0, 2]])
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    y_true = np.asarray(y_true, dtype=int)
    probabilities = np.asarray(probabilities, dtype=float)
    n_classes = len(classes)
    y_pred = probabilities.argmax(axis=1) if len(probabilities) else np.zeros(0, dtype=int)
    present = sorted(set(y_true.tolist()))
    all_labels = list(range(n_classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=all_labels, zero_division=0) if len(y_true) else (np.zeros(n_classes),) * 4
    score = float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)) if present else float("nan")
    per_class = {
        _class_key(c): {"precision": float(precision[k]), "recall": float(recall[k]), "f1": float(f1[k]), "support": int(support[k])}
        for k, c in enumerate(classes)
    }
    ci = _bootstrap_ci([y_true, y_pred], lambda y, p, axis=-1: macro_f1(y, p, present, axis=axis), bootstrap, random_state)
    return SystemScores(
        macro_f1=score,
        macro_f1_ci=ci,
        accuracy=float(accuracy_score(y_true, y_pred)) if len(y_true) else float("nan"),
        per_class=per_class,
        confusion_matrix=confusion_matrix(y_true, y_pred,
                                          labels=all_labels).tolist() if len(y_true) else [[0] * n_classes for _ in classes],
        brier=multiclass_brier(y_true, probabilities, n_classes) if len(y_true) else float("nan"),
        ece=expected_calibration_error(y_true, probabilities),
    )

