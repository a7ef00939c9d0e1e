"""The stance of a sentence toward one mentioned actor: one linear model over :class:`framing.features.TargetFeatures`.

:class:`TargetStanceClassifier` is a multinomial logistic regression (lbfgs)
over the features of a mention relative to its sentence, with an optional
temperature fitted on out-of-fold logits of the training data. After
:meth:`TargetStanceClassifier.to_plain` / :meth:`TargetStanceClassifier.from_plain`
(a JSON document and numeric or ``<U`` arrays, for an ``.npz`` read with
``allow_pickle=False``) it scores with numpy alone: the feature analysis, a
vocabulary lookup and the coefficient matrix.

:func:`target_training_items` assembles what it learns from: NewsMTSC train
(US political news, any person) and the project's own stance labels toward
the actors of the Russia–Ukraine axis (``labeled/targets.jsonl``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..features._target import BLOCKS, DEFAULT_BLOCKS, Mention, TargetFeatures, mention_of
from ._classifier import fit_temperature, relative_coef, softmax

__all__ = ["STANCE_CLASSES", "TargetStanceClassifier", "target_training_items", "source_weights",
           "PLAIN_FORMAT", "DEFAULT_SOURCE_WEIGHTS"]

logger = logging.getLogger(__name__)

#: The stance classes, in the column order of every probability array.
STANCE_CLASSES = ("unfavourable", "neutral", "favourable")
#: The ``format`` of :meth:`TargetStanceClassifier.to_plain` documents.
PLAIN_FORMAT = "framing.target_stance/1"
#: Sample weight of each training source (:func:`source_weights`): NewsMTSC train, and the project's own labels.
DEFAULT_SOURCE_WEIGHTS = MappingProxyType({"newsmtsc": 1.0, "targets": 1.0})
_CALIBRATION_FOLDS = 5


def _stance_index(y: Sequence[Any]) -> np.ndarray:
    index = {name: k for k, name in enumerate(STANCE_CLASSES)}
    out = np.empty(len(y), dtype=np.int64)
    for i, label in enumerate(y):
        if isinstance(label, (int, np.integer)) and not isinstance(label, bool) and 0 <= label < len(STANCE_CLASSES):
            out[i] = int(label)
        elif label in index:
            out[i] = index[label]
        else:
            raise ValueError(f"y[{i}] is {label!r}; allowed: {', '.join(STANCE_CLASSES)} (or their indices 0-2)")
    return out


class TargetStanceClassifier:
    """Stance toward a mention: P(unfavourable), P(neutral), P(favourable) from one linear model.

    Parameters
    ----------
    C : float, default=1.0
        Inverse L2 strength of the logistic regression.
    window : int, default=6
        Tokens each side of the mention that count as near it (:class:`framing.features.TargetFeatures`).
    min_df : int, default=2
        Training mentions a feature needs to be kept.
    blocks : tuple of str, default=DEFAULT_BLOCKS
        The feature blocks.
    class_weight : "balanced" or None, default="balanced"
    max_iter : int, default=3000
    calibrate : bool, default=False
        Fit a temperature on out-of-fold logits of the training data (grouped by ``groups`` when given).

    Attributes
    ----------
    features_ : TargetFeatures
    coef_ : ndarray of shape (3, n_features)
    intercept_ : ndarray of shape (3,)
    temperature_ : float

    Examples
    --------
    >>> items = [("Critics slammed Smith.", 16, 21), ("Fans praised Smith.", 13, 18),
    ...          ("Smith met Jones.", 0, 5), ("Voters condemned Lee.", 17, 20),
    ...          ("Crowds cheered Lee.", 15, 18), ("Lee visited Ohio.", 0, 3)]
    >>> y = ["unfavourable", "favourable", "neutral"] * 2
    >>> model = TargetStanceClassifier(min_df=1, C=10.0).fit(items, y)
    >>> model.predict_proba([("Critics slammed Jones.", 16, 21)]).argmax(axis=1)
    array([0])
    >>> doc, arrays = model.to_plain()
    >>> again = TargetStanceClassifier.from_plain(doc, arrays)
    >>> bool(np.allclose(again.predict_proba(items), model.predict_proba(items), atol=1e-12))
    True
    """

    def __init__(self, *, C: float = 1.0, window: int = 6, min_df: int = 2, blocks: Sequence[str] = DEFAULT_BLOCKS,
                 class_weight: str | None = "balanced", max_iter: int = 3000, calibrate: bool = False):
        self.C = C
        self.window = window
        self.min_df = min_df
        self.blocks = blocks
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.calibrate = calibrate

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"C": self.C, "window": self.window, "min_df": self.min_df, "blocks": tuple(self.blocks),
                "class_weight": self.class_weight, "max_iter": self.max_iter, "calibrate": self.calibrate}

    def _check_params(self) -> None:
        if not isinstance(self.C, (int, float)) or isinstance(self.C, bool) or not self.C > 0:
            raise ValueError(f"C must be a number > 0, got {self.C!r}")
        if self.class_weight not in ("balanced", None):
            raise ValueError(f"class_weight must be 'balanced' or None, got {self.class_weight!r}")
        if not isinstance(self.max_iter, int) or isinstance(self.max_iter, bool) or self.max_iter < 1:
            raise ValueError(f"max_iter must be an int >= 1, got {self.max_iter!r}")

    # --- fitting ---------------------------------------------------------------------------------------------

    def _fit_linear(self, matrix, y_index: np.ndarray, sample_weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.linear_model import LogisticRegression

        from ._classifier import _one_blas_thread

        model = LogisticRegression(C=float(self.C), class_weight=self.class_weight, max_iter=self.max_iter,
                                   solver="lbfgs")
        # One BLAS thread, as for every head: a multi-threaded sum's order (and so the weights' last digits and
        # the model files) would depend on the thread count.
        with _one_blas_thread():
            model.fit(matrix, y_index, sample_weight=sample_weight)
        # The weights are kept at float32 precision, as they are saved (half the size of a model folder's
        # largest array), so that a loaded classifier scores exactly as the fitted one.
        coef = np.ascontiguousarray(model.coef_.astype(np.float32), dtype=np.float64)
        return coef, np.asarray(model.intercept_, dtype=np.float64)

    def fit(self, items: Sequence[Any], y: Sequence[Any], sample_weight: Sequence[float] | None = None,
            groups: Sequence[Any] | None = None) -> TargetStanceClassifier:
        """Fit the features' vocabulary and the logistic regression (and the temperature when ``calibrate``).

        Parameters
        ----------
        items : sequence of mentions
            :class:`framing.features.Mention`, ``(text, start, end[, quoted])`` tuples or objects with those attributes.
        y : sequence of str
            Stance classes (:data:`STANCE_CLASSES`); all three must occur.
        sample_weight : sequence of float, optional
        groups : sequence, optional
            Article keys: the calibration folds keep an article together.
        """
        self._check_params()
        mentions = [mention_of(item) for item in items]
        y_index = _stance_index(list(y))
        if len(y_index) != len(mentions):
            raise ValueError(f"{len(mentions)} items but {len(y_index)} labels")
        missing = [STANCE_CLASSES[k] for k in range(len(STANCE_CLASSES)) if not (y_index == k).any()]
        if missing:
            raise ValueError(f"every stance class must occur in the training labels; missing: {', '.join(missing)}")
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if weights is not None and weights.shape != (len(mentions),):
            raise ValueError(f"sample_weight must have one weight per item ({len(mentions)}), got shape {weights.shape}")
        self.features_ = TargetFeatures(window=self.window, min_df=self.min_df, blocks=tuple(self.blocks)).fit(mentions)
        matrix = self.features_.transform(mentions)
        self.coef_, self.intercept_ = self._fit_linear(matrix, y_index, weights)
        self.temperature_ = 1.0
        if self.calibrate:
            self.temperature_ = self._fit_temperature(mentions, y_index, weights, groups)
        self._prepare()
        return self

    def _fit_temperature(self, mentions: list[Mention], y_index: np.ndarray, weights: np.ndarray | None,
                         groups: Sequence[Any] | None) -> float:
        """The temperature of out-of-fold logits (features refitted per fold: nothing of a fold's test part is seen)."""
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        if groups is not None:
            folds = GroupKFold(_CALIBRATION_FOLDS).split(mentions, y_index, np.asarray(groups))
        else:
            folds = StratifiedKFold(_CALIBRATION_FOLDS, shuffle=True, random_state=0).split(mentions, y_index)
        logits = np.zeros((len(mentions), len(STANCE_CLASSES)))
        for train, test in folds:
            fold = TargetFeatures(window=self.window, min_df=self.min_df, blocks=tuple(self.blocks))
            part = fold.fit_transform([mentions[i] for i in train])
            coef, intercept = self._fit_linear(part, y_index[train], None if weights is None else weights[train])
            logits[test] = fold.transform([mentions[i] for i in test]) @ coef.T + intercept
        return fit_temperature(logits, y_index, weights)

    # --- scoring (numpy only) ---------------------------------------------------------------------------------

    def _prepare(self) -> None:
        # Column-major per class: one gather per class in _logits.
        self._coef_rows = [np.ascontiguousarray(row) for row in self.coef_]

    def _fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ValueError("this TargetStanceClassifier is not fitted yet; call fit(items, y) first")

    def decision_function(self, items: Sequence[Any]) -> np.ndarray:
        """Logits ``(n, 3)`` over the temperature, in :data:`STANCE_CLASSES` order."""
        self._fitted()
        return self._logits(*self.features_.transform_coo(items))

    def _logits(self, rows: np.ndarray, columns: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
        logits = np.empty((n, len(STANCE_CLASSES)))
        for k, coef in enumerate(self._coef_rows):
            logits[:, k] = np.bincount(rows, weights=values * coef[columns], minlength=n) + self.intercept_[k]
        return logits / self.temperature_

    def _predict_proba_spans(self, spans: Sequence[tuple[str, int, int, bool]]) -> np.ndarray:
        """:meth:`predict_proba` of ``(text, start, end, quoted)`` tuples of a str, two ints and a bool (no checks)."""
        self._fitted()
        return softmax(self._logits(*self.features_._transform_spans_coo(spans)))

    def predict_proba(self, items: Sequence[Any]) -> np.ndarray:
        """``(n, 3)`` probabilities in :data:`STANCE_CLASSES` order (rows sum to 1)."""
        return softmax(self.decision_function(items))

    def predict(self, items: Sequence[Any]) -> np.ndarray:
        """The most probable class of each mention (a ``<U`` array of :data:`STANCE_CLASSES` names)."""
        return np.asarray(STANCE_CLASSES)[self.predict_proba(items).argmax(axis=1)]

    def contributions(self, item: Any, top: int = 5) -> list[tuple[str, float]]:
        """The ``top`` features that raise the most probable class's logit most, relative to the other classes.

        A value is the feature's (weighted) value times its class weight minus
        the mean of the other classes' weights, over the temperature; only
        positive contributions are listed, largest first.
        """
        self._fitted()
        rows, columns, values, _ = self.features_.transform_coo([item])
        logits = self.decision_function([item])[0]
        best = int(logits.argmax())
        relative = relative_coef(self.coef_, self.temperature_)[best]
        scores = values * relative[columns]
        names = self._feature_names()
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], names[columns[i]]))
        return [(str(names[columns[i]]), float(scores[i])) for i in order[:top] if scores[i] > 0]

    def _feature_names(self) -> np.ndarray:
        if getattr(self, "_names", None) is None:
            self._names = self.features_.get_feature_names_out()
        return self._names

    # --- plain persistence ------------------------------------------------------------------------------------

    def to_plain(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """``(json_dict, arrays)``: parameters and temperature as JSON; feature names (``<U``), coef and intercept."""
        self._fitted()
        params = self.get_params()
        params["blocks"] = list(params["blocks"])
        document = {"format": PLAIN_FORMAT, "classes": list(STANCE_CLASSES), "params": params,
                    "fold_names": bool(self.features_.fold_names), "temperature": float(self.temperature_),
                    "n_features": int(self.coef_.shape[1])}
        arrays = {"feature_names": self._feature_names().astype(str), "coef": self.coef_.astype(np.float32),
                  "intercept": self.intercept_.copy()}
        return document, arrays

    @classmethod
    def from_plain(cls, document: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> TargetStanceClassifier:
        """Rebuild a fitted classifier from :meth:`to_plain` output (no scikit-learn estimator is fitted or read)."""
        found = document.get("format") if isinstance(document, Mapping) else document
        if found != PLAIN_FORMAT:
            raise ValueError(f"not a target-stance document: format {found!r}, expected {PLAIN_FORMAT!r}")
        if list(document.get("classes", ())) != list(STANCE_CLASSES):
            raise ValueError(f"target-stance classes {document.get('classes')!r}, expected {list(STANCE_CLASSES)}")
        for name in ("feature_names", "coef", "intercept"):
            if name not in arrays:
                raise ValueError(f"target-stance arrays: {name!r} is missing")
        names, coef, intercept = (np.asarray(arrays[k]) for k in ("feature_names", "coef", "intercept"))
        if names.dtype.kind != "U" or coef.dtype.kind != "f" or intercept.dtype.kind != "f":
            raise ValueError("target-stance arrays: feature_names must be <U strings, coef and intercept floats")
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ValueError("target-stance arrays: coef or intercept holds NaN or infinite values")
        n_features = int(document.get("n_features", -1))
        if names.shape != (n_features,) or coef.shape != (len(STANCE_CLASSES), n_features) or intercept.shape != (len(STANCE_CLASSES),):
            raise ValueError(f"target-stance arrays: shapes feature_names {names.shape}, coef {coef.shape}, intercept "
                             f"{intercept.shape} do not fit {n_features} features and {len(STANCE_CLASSES)} classes")
        params = dict(document["params"])
        params["blocks"] = tuple(params["blocks"])
        unknown = [b for b in params["blocks"] if b not in BLOCKS]
        if unknown:
            raise ValueError(f"target-stance document: unknown feature blocks {unknown}")
        model = cls(**params)
        model.features_ = TargetFeatures(window=model.window, min_df=model.min_df, blocks=model.blocks,
                                         fold_names=bool(document.get("fold_names", True)))
        model.features_._set_vocabulary([str(name) for name in names])
        model.coef_ = np.ascontiguousarray(coef, dtype=np.float64)
        model.intercept_ = np.asarray(intercept, dtype=np.float64)
        model.temperature_ = float(document["temperature"])
        model._names = names
        model._prepare()
        return model


# --- training items ----------------------------------------------------------------------------------------------

_TRAINING_SOURCES = ("newsmtsc", "targets")
_NOT_ACTOR = ("neutral", "drop")


def target_training_items(root: str | Path, labels_file: str | Path | None = None,
                          sources: Sequence[str] = _TRAINING_SOURCES, not_actor: str = "neutral",
                          ) -> tuple[list[Mention], np.ndarray, np.ndarray, np.ndarray]:
    """What the stance model learns from: NewsMTSC train and the project's own target labels.

    Parameters
    ----------
    root : str or path-like
        The external data folder (:func:`framing.datasets.resolve_data_root`).
    labels_file : str or path-like, optional
        The project's target labels (default ``labeled/targets.jsonl``, see
        :func:`framing.datasets.target_label_items`).
    sources : tuple of {"newsmtsc", "targets"}
        NewsMTSC train (every target of every sentence) and/or the project's own labels.
    not_actor : {"neutral", "drop"}, default="neutral"
        What to do with an own label whose mention does not denote the actor
        ("Russian" of a language, "Ukraine" as a place): ``"neutral"`` keeps it
        as a neutral item (it is labelled neutral, and the model scores every
        capitalised name of an article, where such uses must come out
        neutral); ``"drop"`` leaves it out.

    Returns
    -------
    items : list of Mention
        ``quoted`` is True for a NewsMTSC mention inside quotation marks and
        for an own label whose ``voice`` is ``"quoted"``.
    y : ndarray of str
        The stance classes.
    groups : ndarray of str
        Article keys for grouped cross-validation: ``newsmtsc:<article>`` for
        NewsMTSC (also for the own labels of NewsMTSC sentences, so that a
        sentence labelled twice stays in one fold), else the article or the
        sentence of the own label's source.
    item_sources : ndarray of str
        ``"newsmtsc"`` for NewsMTSC train, ``"targets:<source>"`` for an own label.

    Raises
    ------
    DatasetMissing
        A data folder or file is absent.
    ValueError
        An unknown source or ``not_actor`` value, or a malformed file.
    """
    from ..datasets import target_label_items
    from ..datasets._newsmtsc import _read
    from ..datasets._project_labels import _group

    unknown = [s for s in sources if s not in _TRAINING_SOURCES]
    if unknown or isinstance(sources, str) or not sources:
        raise ValueError(f"sources must be a non-empty tuple of {_TRAINING_SOURCES}, got {sources!r}")
    if not_actor not in _NOT_ACTOR:
        raise ValueError(f"not_actor must be one of {_NOT_ACTOR}, got {not_actor!r}")
    items: list[Mention] = []
    labels: list[str] = []
    groups: list[str] = []
    origins: list[str] = []
    newsmtsc = _read(root, "train")
    line_group = {item.id.rsplit(":", 1)[0]: group for item, group in newsmtsc}
    if "newsmtsc" in sources:
        for item, group in newsmtsc:
            items.append(Mention(item.text, item.start, item.end, item.voice == "quoted"))
            labels.append(item.stance)
            groups.append("newsmtsc:" + group)
            origins.append("newsmtsc")
    if "targets" in sources:
        dropped = 0
        for item in target_label_items(root, labels_file):
            if item.not_actor and not_actor == "drop":
                dropped += 1
                continue
            stance = "neutral" if item.not_actor else item.stance
            if stance not in STANCE_CLASSES:
                raise ValueError(f"target label {item.source} {item.id!r}: stance {item.stance!r}; allowed: {', '.join(STANCE_CLASSES)}")
            items.append(Mention(item.text, item.start, item.end, item.voice == "quoted"))
            labels.append(stance)
            if item.source == "newsmtsc" and item.id in line_group:
                groups.append("newsmtsc:" + line_group[item.id])
            else:
                groups.append(_group(item.source, item.id))
            origins.append("targets:" + item.source)
        logger.info("target labels: %d not-actor items dropped", dropped)
    return items, np.asarray(labels, dtype=str), np.asarray(groups, dtype=str), np.asarray(origins, dtype=str)


def source_weights(item_sources: Sequence[str], weights: Mapping[str, float] = DEFAULT_SOURCE_WEIGHTS) -> np.ndarray:
    """Sample weights by training source: ``weights["newsmtsc"]`` and ``weights["targets"]`` (every own-label source),
    or a per-source key such as ``"targets:polnear"`` that wins over ``"targets"``.

    Examples
    --------
    >>> source_weights(["newsmtsc", "targets:babe", "targets:polnear"], {"newsmtsc": 1.0, "targets": 2.0, "targets:polnear": 0.5})
    array([1. , 2. , 0.5])
    """
    out = np.empty(len(item_sources))
    for i, origin in enumerate(item_sources):
        key = origin if origin in weights else origin.split(":", 1)[0]
        if key not in weights:
            raise ValueError(f"no weight for training source {origin!r}; weights given for {sorted(weights)}")
        out[i] = float(weights[key])
    return out
