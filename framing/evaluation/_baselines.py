"""The baselines as scikit-learn pipelines, and their out-of-fold probabilities through ``cross_val_predict``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from ..model._classifier import FramingClassifier
from ..model._training import TrainingConfig

__all__ = ["BASELINES", "make_tfidf_pipeline", "make_baseline", "out_of_fold_proba"]

#: Baselines :func:`framing.evaluate` knows, in table order.
BASELINES = ("majority", "lexicon", "tfidf")


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
    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
    ])


class _LogisticOrPrior(ClassifierMixin, BaseEstimator):
    """``LogisticRegression``, or the class prior when the training fold holds a single class.

    A logistic regression cannot be fitted on one class; a baseline then
    predicts that class with probability 1, as ``DummyClassifier(strategy="prior")`` does.
    """

    def __init__(self, C=1.0, class_weight=None, max_iter=100):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X, y):
        if len(np.unique(y)) < 2:
            estimator = DummyClassifier(strategy="prior")
        else:
            estimator = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning on unscaled count features is harmless here
            self.estimator_ = estimator.fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)


def make_baseline(name: str, config: TrainingConfig) -> Any:
    """The scikit-learn estimator of a baseline: raw sentences (or LabeledSentence objects) in, probabilities out.

    ``majority`` is ``DummyClassifier(strategy="prior")``; ``lexicon`` is
    framing's union without the n-gram blocks (harvesting the training
    fold's cue spans) and a logistic regression with the model's ``C``, class
    weights and ``max_iter``; ``tfidf`` is :func:`make_tfidf_pipeline` and
    ``LogisticRegression(class_weight="balanced")``.

    Examples
    --------
    >>> make_baseline("tfidf", TrainingConfig()).fit(["Thugs lied.", "Talks began."], [1, 0]).predict_proba(["Thugs"]).shape
    (1, 2)
    """
    if name == "majority":
        return DummyClassifier(strategy="prior")
    if name == "lexicon":
        features = FramingClassifier(**config.classifier_params()).new_features()
        features.set_params(word="drop", char="drop")
        return Pipeline([("features", features),
                         ("classifier", _LogisticOrPrior(config.C, config.class_weight, config.max_iter))])
    if name == "tfidf":
        return Pipeline([("features", make_tfidf_pipeline()), ("classifier", _LogisticOrPrior(1.0, "balanced", 2000))])
    raise ValueError(f"unknown baseline {name!r}; available: {list(BASELINES)}")


def out_of_fold_proba(estimator, X: Sequence[Any], y: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]],
                      n_classes: int) -> np.ndarray:
    """Probabilities over all ``n_classes`` columns of each row of ``X``, predicted by the fold that holds it out.

    ``y`` holds class indices; a class absent from ``y`` gets probability 0,
    as does a class absent from one training fold (``cross_val_predict``
    pads those). Rows that no fold tests (a fixed train/test split) stay 0.

    Examples
    --------
    >>> folds = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    >>> out_of_fold_proba(DummyClassifier(), np.zeros((4, 1)), np.array([0, 1, 1, 1]), folds, 3).tolist()
    [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]
    """
    from sklearn.model_selection import cross_val_predict

    y = np.asarray(y, dtype=int)
    present = np.unique(y)
    out = np.zeros((len(y), n_classes))
    tested = np.concatenate([test for _, test in folds]) if folds else np.zeros(0, dtype=int)
    if len(tested) == len(y) and np.array_equal(np.sort(tested), np.arange(len(y))):
        with warnings.catch_warnings():
            # A class missing from one training fold is expected with few groups: its column is padded with 0.
            warnings.filterwarnings("ignore", "Number of classes in training fold", RuntimeWarning)
            out[:, present] = cross_val_predict(estimator, X, y, cv=list(folds), method="predict_proba")
        return out
    # A fixed split (evaluate_holdout) tests only part of X, which cross_val_predict refuses: fit each fold alone.
    for train, test in folds:
        fitted = clone(estimator).fit([X[i] for i in train] if isinstance(X, list) else X[train], y[train])
        out[np.ix_(test, fitted.classes_)] = fitted.predict_proba([X[i] for i in test] if isinstance(X, list) else X[test])
    return out
