"""Grouped cross-validation of the framing recipe against simple baselines.

:func:`evaluate` splits a labelled corpus into folds by article (or by outlet),
and for every fold trains everything that learns from labels on the training
part only: :func:`framing.train` (so the harvested lexicon terms, the n-gram
vocabularies, the classifiers and the temperature are all fold-internal) and
each baseline. Every content sentence is predicted exactly once, by the fold
that holds it out; metrics are computed on these pooled out-of-fold
predictions.

Systems compared on the same folds
----------------------------------
``model``
    :func:`framing.train` with the given :class:`~framing.TrainingConfig`.
``majority``
    :class:`sklearn.dummy.DummyClassifier` (``strategy="prior"``): always the
    training fold's most frequent class, probabilities = class frequencies.
``lexicon``
    framing's own lexicon, attribution, hedging and shape transformers
    (the feature union of :func:`framing.train` with the word and character
    n-grams dropped; harvesting of cue spans still on) and a
    :class:`~sklearn.linear_model.LogisticRegression` with the model's ``C``
    and class weights.
``tfidf``
    A plain scikit-learn pipeline: ``TfidfVectorizer`` word 1-2 grams plus
    ``TfidfVectorizer`` ``char_wb`` 2-5 grams and
    ``LogisticRegression(class_weight="balanced")``.

Metrics (per task and system)
-----------------------------
- macro-F1 over the classes that occur in the gold labels of the evaluated
  sentences (a class with no gold sentence is listed with support 0 but not
  averaged; predicting it still costs recall elsewhere), accuracy, and
  per-class precision, recall, F1 and support (``sklearn.metrics``);
- the confusion matrix (rows gold, columns predicted, schema class order);
- a 95% confidence interval of macro-F1 from :func:`scipy.stats.bootstrap`
  with ``method="percentile"``, resampling *sentences* with replacement
  (paired: gold and prediction are resampled together), ``bootstrap``
  resamples, seeded with ``random_state``. Sentences of one article are not
  independent, so with few articles the interval is optimistic;
- for each baseline, the paired bootstrap CI of the *difference*
  ``macro-F1(model) - macro-F1(baseline)`` on the same resamples;
- calibration: the multi-class Brier score (mean over sentences of
  ``sum_k (p_k - y_k)^2``, range 0-2; for a binary task this is twice the
  usual binary Brier score) and the expected calibration error of the
  top-class probability with 10 equal-width bins.

Learning curve
--------------
For each fraction (0.25, 0.5, 0.75) of each training fold a seeded random
subset of its sentences trains a model (and the TF-IDF baseline) that
predicts the full test fold; the pooled macro-F1 is reported against the
mean number of training sentences, with fraction 1.0 taken from the main
run. Temperature scaling never changes which class is most probable, so these
extra models are trained with ``calibration=None``: their macro-F1 is what a
calibrated model would get.

Article level
-------------
When the corpus has article labels (``articles.jsonl``, ``labels`` of an
article, e.g. ``slant``) each held-out article's predicted class is the
argmax of the *mean sentence probabilities* over its evaluated
(non-boilerplate) sentences -- the same aggregation as the shares of
:class:`framing.ArticleReport` -- compared with its label, per system. For the
schema's polar task (:attr:`framing.Schema.polarity`) the mean
``P(positive pole) - P(negative pole)`` -- the report's slant index -- is
given too.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._util import BOILERPLATE, label_index, polar_index
from .._util import class_key as _class_key
from .._version import __version__
from ..data._corpus import Corpus, LabeledSentence, Schema
from ..features._features import shared_analysis
from ..model import _training
from ..model._classifier import FramingClassifier
from ..model._training import TrainingConfig, _prepare

logger = logging.getLogger(__name__)

__all__ = [
    "evaluate",
    "evaluate_holdout",
    "EvaluationResult",
    "TaskEvaluation",
    "SystemScores",
    "classification_scores",
    "macro_f1",
    "expected_calibration_error",
    "make_tfidf_pipeline",
    "BASELINES",
    "LEARNING_CURVE_FRACTIONS",
    "ECE_BINS",
]

#: Baselines :func:`evaluate` knows, in table order.
BASELINES = ("majority", "lexicon", "tfidf")

#: Fractions of each training fold used for the learning curve (1.0 is the main run).
LEARNING_CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)

#: Bins of the expected calibration error.
ECE_BINS = 10

#: The name of the evaluated system in every table.
MODEL = "model"

#: With at most this many groups, ``n_splits=None`` means leave-one-group-out.
MAX_LOGO_GROUPS = 10

Progress = Callable[..., None] | None


# ====================================================================== metrics


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


def _brier(y_true: np.ndarray, probabilities: np.ndarray, n_classes: int) -> float:
    """Multi-class Brier score ``mean(sum_k (p_k - y_k)^2)`` (sklearn's, unscaled)."""
    from sklearn.metrics import brier_score_loss

    try:
        return float(brier_score_loss(y_true, probabilities, labels=list(range(n_classes)), scale_by_half=False))
    except TypeError:  # scikit-learn < 1.7 has no multi-class Brier score
        onehot = np.eye(n_classes)[np.asarray(y_true)]
        return float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1)))


def _bootstrap_ci(arrays: Sequence[np.ndarray], statistic: Callable[..., np.ndarray], n_resamples: int,
                  random_state: int) -> list[float] | None:
    """Percentile bootstrap CI (95%) with scipy, resampling sentences, paired over ``arrays``."""
    if n_resamples <= 0 or len(arrays[0]) < 2:
        return None
    from scipy import stats

    options = dict(paired=True, vectorized=True, n_resamples=n_resamples, confidence_level=0.95,
                   method="percentile", batch=max(1, min(n_resamples, 2_000_000 // max(len(arrays[0]), 1))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate resamples (all equal) are expected on tiny data
        try:
            result = stats.bootstrap(tuple(arrays), statistic, rng=np.random.default_rng(random_state), **options)
        except TypeError:  # scipy < 1.15 takes random_state
            result = stats.bootstrap(tuple(arrays), statistic, random_state=np.random.default_rng(random_state), **options)
    low, high = result.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    return [float(low), float(high)]


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
        brier=_brier(y_true, probabilities, n_classes) if len(y_true) else float("nan"),
        ece=expected_calibration_error(y_true, probabilities),
    )


# ====================================================================== baselines


def make_tfidf_pipeline() -> Any:
    """The plain TF-IDF features: word 1-2 grams + ``char_wb`` 2-5 grams (unsupervised).

    Used with ``LogisticRegression(class_weight="balanced")`` as the
    ``tfidf`` baseline and by the speed benchmark.

    Examples
    --------
    >>> union = make_tfidf_pipeline().fit(["The talks stalled.", "Envoys met again."])
    >>> union.transform(["The envoys stalled."]).shape[0]
    1
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
    ])


def _lexicon_features(config: TrainingConfig, train_sentences: Sequence[LabeledSentence]):
    """framing's features without the n-grams, fitted on the training fold (harvesting its spans)."""
    union = FramingClassifier(**config.classifier_params()).new_features()
    union.set_params(word="drop", char="drop")
    return union.fit(list(train_sentences))


def _fit_proba(X_train, y_train: np.ndarray, X_test, n_classes: int, C: float, class_weight: str | None,
               max_iter: int) -> np.ndarray:
    """Logistic regression probabilities over all ``n_classes`` columns (absent classes get 0)."""
    present = np.unique(y_train)
    out = np.zeros((X_test.shape[0], n_classes))
    if len(present) == 0:
        out[:] = 1.0 / n_classes
        return out
    if len(present) == 1:
        out[:, present[0]] = 1.0
        return out
    from sklearn.linear_model import LogisticRegression

    estimator = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning on unscaled count features is harmless here
        estimator.fit(X_train, y_train)
    out[:, estimator.classes_] = estimator.predict_proba(X_test)
    return out


def _majority_proba(y_train: np.ndarray, n_test: int, n_classes: int) -> np.ndarray:
    from sklearn.dummy import DummyClassifier

    out = np.zeros((n_test, n_classes))
    if len(y_train) == 0:
        out[:] = 1.0 / n_classes
        return out
    dummy = DummyClassifier(strategy="prior").fit(np.zeros((len(y_train), 1)), y_train)
    out[:, dummy.classes_] = dummy.predict_proba(np.zeros((n_test, 1)))
    return out


# ====================================================================== results


@dataclass
class TaskEvaluation:
    """Evaluation of one task.

    Attributes
    ----------
    name : str
    classes : list of str
        Class keys in schema order (``"false"``/``"true"`` for binary tasks).
    n_sentences : int
        Evaluated (non-boilerplate) sentences.
    support : dict
        Gold sentences per class.
    systems : dict
        ``{"model" | baseline: SystemScores}``.
    learning_curve : list of dict
        ``{"fraction", "n_train", "model", "tfidf"}``: mean training-set size
        and pooled macro-F1 per system (``tfidf`` only when that baseline runs).
    articles : dict or None
        Article-level results when the corpus has article labels for the
        task: ``{"method", "n_articles", "systems": {name: {"accuracy",
        "macro_f1"}}, "items": [{"article", "gold", "n_sentences",
        "predicted": {system: class}, "index": float or None}]}``.
    """

    name: str
    classes: list[str]
    n_sentences: int
    support: dict[str, int]
    systems: dict[str, SystemScores]
    learning_curve: list[dict[str, Any]] = field(default_factory=list)
    articles: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classes": self.classes,
            "n_sentences": self.n_sentences,
            "support": self.support,
            "systems": {name: scores.to_dict() for name, scores in self.systems.items()},
            "learning_curve": [
                {k: (_round(v) if isinstance(v, float) else v) for k, v in point.items()} for point in self.learning_curve
            ],
            "articles": self.articles,
        }


@dataclass
class EvaluationResult:
    """Cross-validated scores of the framing recipe and its baselines.

    Attributes
    ----------
    tasks : dict
        ``{task: TaskEvaluation}`` in schema order.
    systems : list of str
        ``["model", *baselines]``.
    group_by : str or None
        ``"article"``, ``"source"`` or None (sentence-level stratified folds).
    splitter : str
        How folds were made, e.g. ``"LeaveOneGroupOut"``, ``"GroupKFold(n_splits=5)"``.
    folds : list of dict
        Per fold: ``n_train``, ``n_test`` (evaluated sentences), ``test_groups``.
    n_sentences, n_boilerplate, n_groups : int
        Evaluated sentences, boilerplate sentences excluded, distinct groups.
    corpus : str or None
        Corpus folder, when given as a path or Corpus.
    config : dict
        The :class:`TrainingConfig` of the model.
    bootstrap : dict
        ``{"n_resamples", "method", "unit", "confidence_level", "random_state"}``.
    random_state : int
    seconds : float
        Wall time of the evaluation.
    notes : list of str
        Caveats worth printing (few groups, skipped steps).
    predictions : dict
        Not serialised: ``{task: {"index", "y_true", "proba": {system: array}}}``
        with ``index`` the position of each evaluated sentence in the input.
    """

    tasks: dict[str, TaskEvaluation]
    systems: list[str]
    group_by: str | None
    splitter: str
    folds: list[dict[str, Any]]
    n_sentences: int
    n_boilerplate: int
    n_groups: int
    corpus: str | None
    config: dict[str, Any]
    bootstrap: dict[str, Any]
    random_state: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    predictions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dictionary of everything but the raw predictions.

        Top-level keys: ``framing_version``, ``corpus``, ``group_by``,
        ``splitter``, ``n_folds``, ``folds``, ``n_sentences``,
        ``n_boilerplate``, ``n_groups``, ``systems``, ``bootstrap``,
        ``config``, ``random_state``, ``seconds``, ``notes``, ``summary``
        (``{task: {system: macro_f1}}``) and ``tasks`` (``{task:
        TaskEvaluation.to_dict()}``; see :class:`TaskEvaluation` and
        :class:`SystemScores` for their fields). Binary classes appear as
        ``"false"``/``"true"``; non-finite numbers as ``null``.
        """
        return {
            "framing_version": __version__,
            "corpus": self.corpus,
            "group_by": self.group_by,
            "splitter": self.splitter,
            "n_folds": len(self.folds),
            "folds": self.folds,
            "n_sentences": self.n_sentences,
            "n_boilerplate": self.n_boilerplate,
            "n_groups": self.n_groups,
            "systems": list(self.systems),
            "bootstrap": self.bootstrap,
            "config": self.config,
            "random_state": self.random_state,
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
            "summary": {task: {name: _round(scores.macro_f1) for name, scores in evaluation.systems.items()}
                        for task, evaluation in self.tasks.items()},
            "tasks": {name: evaluation.to_dict() for name, evaluation in self.tasks.items()},
        }

    def format_table(self, details: bool = True) -> str:
        """A readable terminal table: per task, macro-F1 with 95% CI of the model and baselines, then details."""
        lines = []
        grouping = {"article": "article", "source": "outlet", None: "sentence (stratified)"}.get(self.group_by, str(self.group_by))
        lines.append(
            f"{self.n_sentences} sentences evaluated ({self.n_boilerplate} boilerplate excluded), "
            f"{self.n_groups} groups by {grouping}; {self.splitter}, {len(self.folds)} folds"
        )
        n_resamples = self.bootstrap.get("n_resamples", 0)
        ci_note = f"95% CI: percentile bootstrap over sentences, {n_resamples} resamples" if n_resamples else "no CI"
        lines.append(f"macro-F1 of out-of-fold predictions ({ci_note})")
        lines.append("")
        width = max([4] + [len(t) for t in self.tasks])
        cell = 19
        header = "task".ljust(width) + "  " + "".join(name.ljust(cell) for name in self.systems) + "n"
        lines.append(header)
        lines.append("-" * len(header))
        for task, evaluation in self.tasks.items():
            row = task.ljust(width) + "  "
            for name in self.systems:
                scores = evaluation.systems.get(name)
                row += (_format_score(scores) if scores else "-").ljust(cell)
            lines.append(row + str(evaluation.n_sentences))
        if not details:
            return "\n".join(lines)
        for task, evaluation in self.tasks.items():
            lines += ["", f"== {task} " + "=" * max(0, 60 - len(task))]
            model = evaluation.systems[MODEL]
            lines.append("class".ljust(42) + "support  precision  recall  f1")
            for cls in evaluation.classes:
                m = model.per_class[cls]
                lines.append(f"{cls[:40]:<42}{m['support']:>7}  {m['precision']:>9.3f}  {m['recall']:>6.3f}  {m['f1']:.3f}")
            lines.append("confusion (rows gold, columns predicted, class order above):")
            for cls, row in zip(evaluation.classes, model.confusion_matrix):
                lines.append(f"  {cls[:24]:<26}" + " ".join(f"{v:>5}" for v in row))
            calibration = ", ".join(
                f"{name} {scores.brier:.3f}/{scores.ece:.3f}" for name, scores in evaluation.systems.items()
                if math.isfinite(scores.brier)
            )
            lines.append(f"calibration Brier/ECE: {calibration}")
            gains = [
                f"vs {name} {scores.model_gain['macro_f1']:+.3f}" + (
                    f" [{scores.model_gain['ci'][0]:+.3f}, {scores.model_gain['ci'][1]:+.3f}]" if scores.model_gain.get("ci") else "")
                for name, scores in evaluation.systems.items() if scores.model_gain
            ]
            if gains:
                lines.append("model gain in macro-F1 (paired bootstrap): " + "; ".join(gains))
            if len(model.fold_macro_f1) > 1:
                lines.append("model macro-F1 per fold: " + " ".join(f"{v:.2f}" for v in model.fold_macro_f1))
            if evaluation.learning_curve:
                points = []
                for point in evaluation.learning_curve:
                    text = f"{point['n_train']:.0f}: {_fmt(point.get(MODEL))}"
                    if "tfidf" in point:
                        text += f" (tfidf {_fmt(point['tfidf'])})"
                    points.append(text)
                lines.append("learning curve (training sentences: model macro-F1): " + ", ".join(points))
            if evaluation.articles:
                articles = evaluation.articles
                scores = ", ".join(
                    f"{name} {s['accuracy']:.2f}" for name, s in articles["systems"].items() if s.get("accuracy") is not None
                )
                lines.append(f"article level ({articles['n_articles']} articles, {articles['method']}): accuracy {scores}")
                for item in articles["items"][:20]:
                    index = f", index {item['index']:+.2f}" if item.get("index") is not None else ""
                    lines.append(f"  {item['article'][:40]:<42}gold {item['gold']:<14} model {item['predicted'].get(MODEL)}{index}")
        if self.notes:
            lines += ["", *[f"note: {note}" for note in self.notes]]
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.3f}"


def _format_score(scores: SystemScores) -> str:
    if not math.isfinite(scores.macro_f1):
        return "-"
    if scores.macro_f1_ci:
        return f"{scores.macro_f1:.3f} [{scores.macro_f1_ci[0]:.2f},{scores.macro_f1_ci[1]:.2f}]"
    return f"{scores.macro_f1:.3f}"


# ====================================================================== folds


def _groups(sentences: Sequence[LabeledSentence], group_by: str | None) -> list[str]:
    groups = []
    for index, sentence in enumerate(sentences):
        fallback = sentence.id or f"#{index}"
        if group_by == "article":
            groups.append(f"article:{sentence.article}" if sentence.article else f"sentence:{fallback}")
        elif group_by == "source":
            # A sentence without an outlet falls back to its article so that it is still grouped.
            if sentence.source:
                groups.append(f"source:{sentence.source}")
            else:
                groups.append(f"article:{sentence.article}" if sentence.article else f"sentence:{fallback}")
        else:
            groups.append(f"sentence:{fallback}")
    return groups


def _make_folds(sentences: Sequence[LabeledSentence], content: np.ndarray, groups: Sequence[str],
                group_by: str | None, n_splits: int | None, stratify_on: Sequence[Any],
                random_state: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """Folds as (train rows, test rows) over all sentences; test rows are content sentences only."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut, StratifiedKFold

    group_array = np.asarray(groups, dtype=object)
    unique = sorted(set(group_array[content].tolist()))
    if group_by is None:
        k = n_splits or 5
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
        label = f"StratifiedKFold(n_splits={k}, shuffle=True)"
        y = np.asarray([repr(v) for v in stratify_on], dtype=object)
        split = splitter.split(np.zeros(len(content)), y)
    else:
        if len(unique) < 2:
            raise ValueError(f"cross-validation grouped by {group_by} needs at least 2 groups, found {len(unique)}")
        code_of = {g: k for k, g in enumerate(unique)}
        codes = np.asarray([code_of[g] for g in group_array[content]], dtype=int)
        if n_splits is None and len(unique) <= MAX_LOGO_GROUPS:
            splitter, label = LeaveOneGroupOut(), "LeaveOneGroupOut"
        else:
            k = n_splits or 5
            if k > len(unique):
                raise ValueError(f"n_splits={k} is more than the {len(unique)} groups (by {group_by})")
            splitter, label = GroupKFold(n_splits=k), f"GroupKFold(n_splits={k})"
        split = splitter.split(np.zeros(len(content)), None, codes)
    folds = []
    all_rows = np.arange(len(sentences))
    for _, test_positions in split:
        test_rows = content[test_positions]
        if group_by is None:
            train_rows = np.setdiff1d(all_rows, test_rows)
        else:
            test_groups = set(group_array[test_rows].tolist())
            # Boilerplate sentences of a held-out group are left out of training too.
            train_rows = all_rows[~np.isin(group_array, list(test_groups))]
            leaked = test_groups & set(group_array[train_rows].tolist())
            if leaked:
                raise RuntimeError(f"groups {sorted(leaked)[:5]} are on both sides of a split")
        folds.append((train_rows, np.sort(test_rows)))
    return folds, label


# ====================================================================== core


@dataclass
class _FoldOutput:
    fold: int
    test_rows: np.ndarray
    proba: dict[str, dict[str, np.ndarray]]  # task -> system -> (n_test, n_classes)
    curve: dict[float, dict[str, dict[str, np.ndarray]]]  # fraction -> task -> system -> proba
    n_train: int
    curve_n_train: dict[float, int]
    notes: list[str]


def _run_fold(fold: int, sentences: Sequence[LabeledSentence], train_rows: np.ndarray, test_rows: np.ndarray,
              schema: Schema, tasks: Sequence[str], baselines: Sequence[str], fractions: Sequence[float],
              config: TrainingConfig, random_state: int, notify: Callable[[str], None]) -> _FoldOutput:
    train_sentences = [sentences[i] for i in train_rows]
    train_content = [s for s in train_sentences if not s.boilerplate]
    test_texts = [sentences[i].text for i in test_rows]
    specs = [schema.task(t) for t in tasks]
    notes: list[str] = []
    proba: dict[str, dict[str, np.ndarray]] = {t: {} for t in tasks}

    notify("training the model")
    model = _training.train(train_sentences, tasks=list(tasks), schema=schema, config=config)
    predicted = model.predict_all(test_texts)
    for task in tasks:
        proba[task][MODEL] = predicted[task]

    y_train = {spec.name: np.asarray([spec.classes.index(s.labels[spec.name]) for s in train_content], dtype=int)
               for spec in specs}
    if baselines:
        notify("baselines")
    for baseline in baselines:
        if baseline == "majority":
            for spec in specs:
                proba[spec.name][baseline] = _majority_proba(y_train[spec.name], len(test_rows), len(spec.classes))
        elif baseline == "lexicon":
            union = _lexicon_features(config, train_sentences)
            X_train, X_test = union.transform([s.text for s in train_content]), union.transform(test_texts)
            for spec in specs:
                proba[spec.name][baseline] = _fit_proba(X_train, y_train[spec.name], X_test, len(spec.classes),
                                                        config.C, config.class_weight, config.max_iter)
        elif baseline == "tfidf":
            _tfidf_proba(train_content, test_texts, specs, y_train, proba, "tfidf")
    curve: dict[float, dict[str, dict[str, np.ndarray]]] = {}
    curve_n: dict[float, int] = {}
    rng = np.random.default_rng([random_state, fold])
    for fraction in fractions:
        if fraction >= 1.0:
            continue
        size = max(2, int(round(fraction * len(train_sentences))))
        subset_rows = np.sort(rng.permutation(len(train_sentences))[:size])
        subset = [train_sentences[i] for i in subset_rows]
        subset_content = [s for s in subset if not s.boilerplate]
        curve_n[fraction] = len(subset_content)
        curve[fraction] = {t: {} for t in tasks}
        notify(f"learning curve {fraction:g}")
        try:
            sub_model = _training.train(subset, tasks=list(tasks), schema=schema,
                                     config=TrainingConfig.from_dict({**config.to_dict(), "calibration": None}))
        except ValueError as error:
            notes.append(f"learning curve at {fraction:g} skipped in fold {fold + 1}: {error}")
            del curve[fraction]
            continue
        predicted = sub_model.predict_all(test_texts)
        for task in tasks:
            curve[fraction][task][MODEL] = predicted[task]
        if "tfidf" in baselines:
            y_sub = {spec.name: np.asarray([spec.classes.index(s.labels[spec.name]) for s in subset_content], dtype=int)
                     for spec in specs}
            _tfidf_proba(subset_content, test_texts, specs, y_sub, curve[fraction], "tfidf")
    return _FoldOutput(fold, test_rows, proba, curve, len(train_content), curve_n, notes)


def _tfidf_proba(train_content: Sequence[LabeledSentence], test_texts: Sequence[str], specs, y_train, out, name: str) -> None:
    texts = [s.text for s in train_content]
    if not texts:
        for spec in specs:
            out[spec.name][name] = _majority_proba(np.zeros(0, dtype=int), len(test_texts), len(spec.classes))
        return
    union = make_tfidf_pipeline()
    try:
        X_train = union.fit_transform(texts)
    except ValueError:  # empty vocabulary
        for spec in specs:
            out[spec.name][name] = _majority_proba(y_train[spec.name], len(test_texts), len(spec.classes))
        return
    X_test = union.transform(list(test_texts))
    for spec in specs:
        out[spec.name][name] = _fit_proba(X_train, y_train[spec.name], X_test, len(spec.classes), 1.0, "balanced", 2000)


def _evaluate_folds(sentences: list[LabeledSentence], schema: Schema, corpus: Corpus | None,
                    folds: list[tuple[np.ndarray, np.ndarray]], splitter: str, group_by: str | None,
                    groups: Sequence[str], tasks: Sequence[str], baselines: Sequence[str], learning_curve: bool,
                    bootstrap: int, random_state: int, config: TrainingConfig, progress: Progress,
                    n_jobs: int, started: float, notes: list[str]) -> EvaluationResult:
    fractions = LEARNING_CURVE_FRACTIONS if learning_curve else ()
    steps_per_fold = 1 + (1 if baselines else 0) + sum(1 for f in fractions if f < 1.0)
    total = steps_per_fold * len(folds)
    state = {"done": 0}

    def report(message: str) -> None:
        if progress is not None:
            progress(state["done"], total, message)

    outputs: list[_FoldOutput] = []
    if n_jobs == 1 or len(folds) == 1:
        for k, (train_rows, test_rows) in enumerate(folds):
            def notify(stage: str, k: int = k) -> None:
                report(f"fold {k + 1}/{len(folds)}: {stage}")
                state["done"] += 1

            outputs.append(_run_fold(k, sentences, train_rows, test_rows, schema, tasks, baselines, fractions, config,
                                     random_state, notify))
            logger.info("fold %d/%d done", k + 1, len(folds))
    else:
        from joblib import Parallel, delayed

        report(f"{len(folds)} folds in parallel")
        jobs = (delayed(_run_fold)(k, sentences, train_rows, test_rows, schema, tasks, baselines, fractions, config,
                                   random_state, _no_notify) for k, (train_rows, test_rows) in enumerate(folds))
        for output in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
            outputs.append(output)
            state["done"] += steps_per_fold
            report(f"fold {output.fold + 1} done ({len(outputs)}/{len(folds)})")
        outputs.sort(key=lambda o: o.fold)
    state["done"] = total
    report("scoring")
    for output in outputs:
        notes.extend(output.notes)

    systems = [MODEL, *baselines]
    test_rows = np.concatenate([o.test_rows for o in outputs])
    order = np.argsort(test_rows, kind="stable")
    test_rows = test_rows[order]
    fold_of = np.concatenate([np.full(len(o.test_rows), o.fold) for o in outputs])[order]
    result_tasks: dict[str, TaskEvaluation] = {}
    predictions: dict[str, dict[str, Any]] = {}
    for t_index, task in enumerate(tasks):
        spec = schema.task(task)
        y_true = np.asarray([spec.classes.index(sentences[i].labels[task]) for i in test_rows], dtype=int)
        stacked = {name: np.vstack([o.proba[task][name] for o in outputs])[order] for name in systems}
        seed = random_state + t_index
        scores = {name: classification_scores(y_true, stacked[name], spec.classes, bootstrap, seed) for name in systems}
        present = sorted(set(y_true.tolist()))
        predicted = {name: stacked[name].argmax(axis=1) for name in systems}
        if len(outputs) > 1:
            for name in systems:
                scores[name].fold_macro_f1 = []
                for o in outputs:
                    in_fold = fold_of == o.fold
                    fold_labels = sorted(set(y_true[in_fold].tolist()))
                    scores[name].fold_macro_f1.append(float(macro_f1(y_true[in_fold], predicted[name][in_fold], fold_labels)))
        for name in baselines:
            gain = float(macro_f1(y_true, predicted[MODEL], present) - macro_f1(y_true, predicted[name], present))
            ci = _bootstrap_ci(
                [y_true, predicted[MODEL], predicted[name]],
                lambda y, a, b, axis=-1, labels=present: macro_f1(y, a, labels, axis=axis) - macro_f1(y, b, labels, axis=axis),
                bootstrap, seed)
            scores[name].model_gain = {"macro_f1": gain, "ci": ci}
        curve = []
        for fraction in fractions:
            if fraction >= 1.0:
                point = {"fraction": 1.0, "n_train": float(np.mean([o.n_train for o in outputs]))}
                for name in (MODEL, "tfidf"):
                    if name in systems:
                        point[name] = float(macro_f1(y_true, predicted[name], present))
                curve.append(point)
                continue
            done = [o for o in outputs if fraction in o.curve]
            if len(done) != len(outputs):
                continue
            point = {"fraction": float(fraction), "n_train": float(np.mean([o.curve_n_train[fraction] for o in done]))}
            for name in (MODEL, "tfidf"):
                if all(name in o.curve[fraction][task] for o in done):
                    curve_proba = np.vstack([o.curve[fraction][task][name] for o in done])[order]
                    point[name] = float(macro_f1(y_true, curve_proba.argmax(axis=1), present))
            curve.append(point)
        classes = [_class_key(c) for c in spec.classes]
        result_tasks[task] = TaskEvaluation(
            name=task,
            classes=classes,
            n_sentences=len(y_true),
            support={c: int(np.sum(y_true == k)) for k, c in enumerate(classes)},
            systems=scores,
            learning_curve=curve,
            articles=_article_level(corpus, sentences, test_rows, y_true, stacked, spec, systems),
        )
        predictions[task] = {"index": test_rows, "y_true": y_true, "proba": stacked, "fold": fold_of}

    group_array = np.asarray(groups, dtype=object)
    fold_info = [
        {
            "fold": o.fold + 1,
            "n_train": int(o.n_train),
            "n_test": int(len(o.test_rows)),
            "test_groups": sorted({str(g) for g in group_array[o.test_rows]}) if group_by is not None else None,
        }
        for o in outputs
    ]
    content = [i for i, s in enumerate(sentences) if not s.boilerplate]
    return EvaluationResult(
        tasks=result_tasks,
        systems=systems,
        group_by=group_by,
        splitter=splitter,
        folds=fold_info,
        n_sentences=len(test_rows),
        n_boilerplate=len(sentences) - len(content),
        n_groups=len({groups[i] for i in content}),
        corpus=str(corpus.root) if corpus is not None else None,
        config=config.to_dict(),
        bootstrap={"n_resamples": int(bootstrap), "method": "percentile", "unit": "sentence",
                   "confidence_level": 0.95, "random_state": random_state},
        random_state=random_state,
        seconds=time.perf_counter() - started,
        notes=notes,
        predictions=predictions,
    )


def _no_notify(message: str) -> None:
    return None


def _article_level(corpus: Corpus | None, sentences: Sequence[LabeledSentence], rows: np.ndarray,
                   y_true: np.ndarray, stacked: Mapping[str, np.ndarray], spec, systems: Sequence[str]) -> dict[str, Any] | None:
    """Per held-out article with a label for this task: argmax of mean sentence probabilities vs the label."""
    if corpus is None:
        return None
    labelled = {a.id: a.labels[spec.name] for a in corpus.articles.values() if spec.name in a.labels}
    if not labelled:
        return None
    by_article: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        article = sentences[row].article
        if article in labelled:
            by_article.setdefault(article, []).append(position)
    if not by_article:
        return None
    polarity = corpus.schema.polarity
    poles = None
    if polarity is not None and polarity.task == spec.name:
        poles = (label_index(polarity.negative, spec.classes), label_index(polarity.positive, spec.classes))
    items = []
    gold_index, predicted_index = [], {name: [] for name in systems}
    for article in sorted(by_article):
        positions = by_article[article]
        gold = labelled[article]
        if gold not in spec.classes:
            continue
        gold_index.append(spec.classes.index(gold))
        predicted = {}
        for name in systems:
            mean = stacked[name][positions].mean(axis=0)
            best = int(mean.argmax())
            predicted_index[name].append(best)
            predicted[name] = _class_key(spec.classes[best])
        model_mean = stacked[MODEL][positions].mean(axis=0)
        items.append({
            "article": article,
            "gold": _class_key(gold),
            "n_sentences": len(positions),
            "predicted": predicted,
            "index": round(float(polar_index(model_mean, *poles)), 6) if poles else None,
        })
    if not items:
        return None
    from sklearn.metrics import accuracy_score, f1_score

    gold_array = np.asarray(gold_index)
    summary = {}
    for name in systems:
        pred = np.asarray(predicted_index[name])
        summary[name] = {
            "accuracy": round(float(accuracy_score(gold_array, pred)), 6),
            "macro_f1": round(float(f1_score(gold_array, pred, labels=sorted(set(gold_index)), average="macro",
                                             zero_division=0)), 6),
        }
    return {
        "method": "argmax of mean sentence probabilities over the article's evaluated sentences",
        "n_articles": len(items),
        "systems": summary,
        "items": items,
    }


def _config(config) -> TrainingConfig:
    if config is None:
        return TrainingConfig()
    if isinstance(config, TrainingConfig):
        return config
    if isinstance(config, Mapping):
        return TrainingConfig.from_dict({**TrainingConfig().to_dict(), **config})
    raise TypeError(f"config must be a TrainingConfig or a dict of its fields, got {type(config).__name__}")


def _check_arguments(tasks, schema: Schema, baselines, group_by, bootstrap, n_jobs) -> tuple[list[str], list[str]]:
    if tasks is None:
        task_list = list(schema.task_names)
    else:
        if isinstance(tasks, str):
            tasks = [tasks]
        task_list = list(tasks)
        unknown = [t for t in task_list if t not in schema.task_names]
        if unknown:
            raise KeyError(f"unknown task(s) {unknown}; available: {list(schema.task_names)}")
    if BOILERPLATE in task_list:
        raise KeyError(f"{BOILERPLATE!r} is not an evaluated task")
    if isinstance(baselines, str):
        baselines = [baselines]
    baseline_list = list(baselines or ())
    unknown = [b for b in baseline_list if b not in BASELINES]
    if unknown:
        raise ValueError(f"unknown baseline(s) {unknown}; available: {list(BASELINES)}")
    if group_by not in ("article", "source", None):
        raise ValueError(f"group_by must be 'article', 'source' or None, got {group_by!r}")
    if not isinstance(bootstrap, int) or isinstance(bootstrap, bool) or bootstrap < 0:
        raise ValueError(f"bootstrap must be an int >= 0, got {bootstrap!r}")
    if not isinstance(n_jobs, int) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero int, got {n_jobs!r}")
    return task_list, [b for b in BASELINES if b in baseline_list]


def evaluate(
    data,
    tasks: Sequence[str] | None = None,
    group_by: str | None = "article",
    n_splits: int | None = None,
    baselines: Sequence[str] = BASELINES,
    learning_curve: bool = True,
    bootstrap: int = 1000,
    random_state: int = 0,
    config: Any | None = None,
    progress: Progress = None,
    schema: Schema | None = None,
    n_jobs: int = 1,
) -> EvaluationResult:
    """Cross-validate the framing recipe, grouped by article or outlet, against baselines.

    Parameters
    ----------
    data : path, Corpus or iterable of LabeledSentence
        The labelled data (read and validated like :func:`framing.train`).
        Boilerplate sentences are used for training (the boilerplate head)
        but never evaluated.
    tasks : sequence of str, optional
        Tasks to evaluate (default: every task of the schema).
    group_by : {"article", "source", None}, default="article"
        Keep each article (``"article"``) or each outlet (``"source"``) on
        one side of every split. A sentence without an article (or outlet)
        is its own group (falls back to its article). ``None`` makes
        sentence-level ``StratifiedKFold`` folds, stratified on the first task.
    n_splits : int, optional
        Number of folds. ``None``: leave-one-group-out with at most 10
        groups, else ``GroupKFold(5)`` (5 stratified folds when ``group_by``
        is None).
    baselines : sequence of str, default=("majority", "lexicon", "tfidf")
        Baselines to run on the same folds (see the module docstring).
    learning_curve : bool, default=True
        Also train on 25/50/75% of each training fold (seeded subsets).
    bootstrap : int, default=1000
        Resamples of the percentile bootstrap over sentences (0: no CIs).
    random_state : int, default=0
        Seeds the bootstrap, the learning-curve subsets and stratified folds.
    config : TrainingConfig or dict, optional
        Hyper-parameters of the model trained in each fold (a dict overrides
        fields of the default :class:`~framing.model._training.TrainingConfig`).
    progress : callable, optional
        Called as ``progress(done, total, message)`` as each step starts.
    schema : Schema, optional
        Needed only for sentences whose classes cannot be inferred.
    n_jobs : int, default=1
        Folds run in this many worker processes (joblib); -1 uses every core.

    Returns
    -------
    EvaluationResult
        ``result.format_table()`` for a terminal, ``result.to_dict()`` for JSON.

    Raises
    ------
    CorpusError
        When a corpus path does not validate.
    KeyError
        For an unknown task.
    ValueError
        For fewer than 2 groups, more folds than groups, or bad arguments.

    Examples
    --------
    >>> import framing
    >>> data = [framing.LabeledSentence(text, {"loaded": loaded}, article=f"a{i % 3}")
    ...         for i, (text, loaded) in enumerate([("The regime lied.", True), ("Talks began.", False),
    ...                                             ("Thugs attacked.", True), ("Envoys met.", False)] * 3)]
    >>> result = framing.evaluate(data, baselines=("majority",), learning_curve=False, bootstrap=0,
    ...                           config={"calibration": None})
    >>> result.splitter, len(result.folds), sorted(result.tasks["loaded"].systems)
    ('LeaveOneGroupOut', 3, ['majority', 'model'])
    """
    started = time.perf_counter()
    config = _config(config)
    schema, sentences, corpus = _prepare(data, schema)
    sentences = list(sentences)
    task_list, baseline_list = _check_arguments(tasks, schema, baselines, group_by, bootstrap, n_jobs)
    content = np.asarray([i for i, s in enumerate(sentences) if not s.boilerplate], dtype=int)
    if len(content) == 0:
        raise ValueError("no content (non-boilerplate) sentences to evaluate")
    groups = _groups(sentences, group_by)
    notes: list[str] = []
    stratify_on = [sentences[i].labels[task_list[0]] for i in content]
    folds, splitter = _make_folds(sentences, content, groups, group_by, n_splits, stratify_on, random_state)
    n_groups = len({groups[i] for i in content})
    if group_by is not None and n_groups <= MAX_LOGO_GROUPS:
        notes.append(f"only {n_groups} groups: scores vary a lot with the held-out {group_by}, and the sentence "
                     "bootstrap ignores that sentences of one group are correlated")
    logger.info("evaluating %s on %d sentences, %s", task_list, len(content), splitter)
    # Every fold, baseline and learning-curve point tokenises the same sentences: once is enough.
    with shared_analysis():
        return _evaluate_folds(sentences, schema, corpus, folds, splitter, group_by, groups, task_list, baseline_list,
                               learning_curve, bootstrap, random_state, config, progress, n_jobs, started, notes)


def evaluate_holdout(
    train_data,
    test_data,
    tasks: Sequence[str] | None = None,
    baselines: Sequence[str] = BASELINES,
    learning_curve: bool = True,
    bootstrap: int = 1000,
    random_state: int = 0,
    config: Any | None = None,
    progress: Progress = None,
    schema: Schema | None = None,
) -> EvaluationResult:
    """Train on one data set and evaluate on another (a fixed train/test split).

    Same systems, metrics and result as :func:`evaluate`, with one fold.
    ``result.predictions[task]["index"]`` indexes the test sentences.

    Examples
    --------
    >>> import framing
    >>> train = [framing.LabeledSentence("The regime lied.", {"loaded": True}),
    ...          framing.LabeledSentence("Talks began.", {"loaded": False})] * 2
    >>> test = [framing.LabeledSentence("The regime met.", {"loaded": True})]
    >>> r = evaluate_holdout(train, test, baselines=(), learning_curve=False, bootstrap=0,
    ...                      config={"calibration": None})
    >>> r.splitter, r.n_sentences
    ('holdout', 1)
    """
    started = time.perf_counter()
    config = _config(config)
    schema, train_sentences, _ = _prepare(train_data, schema)
    _, test_sentences, test_corpus = _prepare(test_data, schema)
    train_sentences, test_sentences = list(train_sentences), list(test_sentences)
    task_list, baseline_list = _check_arguments(tasks, schema, baselines, "article", bootstrap, 1)
    sentences = train_sentences + test_sentences
    n_train = len(train_sentences)
    train_rows = np.arange(n_train)
    test_rows = np.asarray([n_train + i for i, s in enumerate(test_sentences) if not s.boilerplate], dtype=int)
    if len(test_rows) == 0:
        raise ValueError("no content (non-boilerplate) test sentences to evaluate")
    groups = ["train"] * n_train + ["test"] * len(test_sentences)
    result = _evaluate_folds(sentences, schema, test_corpus, [(train_rows, test_rows)], "holdout", None, groups,
                             task_list, baseline_list, learning_curve, bootstrap, random_state, config, progress, 1,
                             started, [])
    for prediction in result.predictions.values():
        prediction["index"] = prediction["index"] - n_train
    result.n_boilerplate = sum(1 for s in test_sentences if s.boilerplate)
    result.n_groups = 2
    result.folds[0]["test_groups"] = None
    return result
