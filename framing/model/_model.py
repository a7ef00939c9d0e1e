"""The framing model: a multi-task container of :class:`FramingClassifier` sharing one feature union.

Features are extracted once per batch and every task's logits come from one
sparse-times-dense product with the stacked coefficient matrix. Probabilities
are a softmax of the logits divided by a per-task temperature fitted by
grouped cross-validation inside the training data (temperature scaling keeps
the model linear, so every score decomposes exactly into coefficient x value).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.frozen import FrozenEstimator

from .._util import BOILERPLATE, class_key, same_label
from ..data._corpus import Schema
from ..errors import UnknownTaskError
from ..features._features import transform_in_batches
from ..parallel._batch import score_stream
from ..report._report import ArticleReport, build_report, build_report_in_chunks
from ..report._scored import ScoredSentences, mention_columns, sentence_cues
from ..text import segment
from ._classifier import FramingClassifier, TaskHead, relative_coef, softmax
from ._persist import malformed_as_format_error, read_model, save_model

logger = logging.getLogger(__name__)

__all__ = ["Model", "TaskHead", "load", "BOILERPLATE"]

#: Units of one text scored at a time: a longer text is scored in chunks of this many (same report, bounded memory).
SCORE_CHUNK_UNITS = 1024



class Model:
    """A trained framing model: one fitted :class:`FramingClassifier` per task over one shared feature union.

    Create one with :func:`framing.train`, :func:`framing.load` or
    :meth:`Model.from_classifiers`.

    Attributes
    ----------
    schema : Schema
        Tasks and classes the model was trained on.
    features : sklearn.pipeline.FeatureUnion
        The fitted feature extractor shared by every task.
    classifiers : dict
        ``{task: FramingClassifier}``, plus ``"boilerplate"`` when the model has that head.
    heads : dict
        ``{task: TaskHead}``: the same weights as plain data (what a saved model stores).
    metadata : dict
        Versions, training-data hash, lexicon digest; ``metadata["evaluation"]`` is reserved (None).
    """

    def __init__(self, schema: Schema, features, heads: Mapping[str, TaskHead], metadata: dict[str, Any] | None = None):
        self.schema = schema
        self.features = features
        self.heads = dict(heads)
        self.metadata = dict(metadata or {})
        missing = [name for name in schema.task_names if name not in self.heads]
        if missing:
            raise ValueError(f"model has no classifier for task(s) {missing}")
        order = list(schema.task_names) + ([BOILERPLATE] if BOILERPLATE in self.heads else [])
        self._order = order
        self._stacked_coef = np.vstack([self.heads[name].coef for name in order]).T.copy()
        self._stacked_intercept = np.concatenate([self.heads[name].intercept for name in order])
        bounds, position = {}, 0
        for name in order:
            width = len(self.heads[name].classes)
            bounds[name] = (position, position + width)
            position += width
        self._bounds = bounds
        self._feature_names: np.ndarray | None = None
        self._relative: dict[str, np.ndarray] = {}
        self._classifiers: dict[str, FramingClassifier] = {}

    @classmethod
    def from_classifiers(cls, schema: Schema, classifiers: Mapping[str, FramingClassifier],
                         boilerplate: FramingClassifier | None = None,
                         metadata: dict[str, Any] | None = None) -> Model:
        """A model from fitted classifiers that share one fitted feature union.

        Parameters
        ----------
        schema : Schema
            The tasks, in order; ``classifiers`` must hold exactly these.
        classifiers : mapping of str to FramingClassifier
            Fitted, each with the same ``features_`` object (pass the same
            ``FrozenEstimator`` as ``features=`` to each, see
            :class:`FramingClassifier`), and with the schema's classes in the
            schema's order (pass ``classes=schema.classes(task)``).
        boilerplate : FramingClassifier, optional
            The auxiliary head with classes ``(False, True)`` that recognises site furniture.
        metadata : dict, optional

        Returns
        -------
        Model
            Scores with one feature extraction and one sparse product for all
            tasks; its probabilities equal each classifier's ``predict_proba``.
        """
        named = dict(classifiers)
        unknown = sorted(set(named) - set(schema.task_names))
        missing = [task for task in schema.task_names if task not in named]
        if unknown or missing:
            raise ValueError(f"classifiers must be given for exactly the schema's tasks {list(schema.task_names)}; "
                             f"missing {missing}, not in the schema {unknown}")
        if boilerplate is not None:
            named[BOILERPLATE] = boilerplate
        features = None
        heads = {}
        for name, classifier in named.items():
            if not hasattr(classifier, "coef_"):
                raise ValueError(f"the classifier of {name!r} is not fitted")
            if features is None:
                features = classifier.features_
            elif classifier.features_ is not features:
                raise ValueError(f"the classifier of {name!r} has its own features; every classifier must share one "
                                 "fitted feature union (pass the same FrozenEstimator as features=)")
            head = classifier.to_head(name)
            expected = (False, True) if name == BOILERPLATE else schema.classes(name)
            if len(head.classes) != len(expected) or not all(map(same_label, head.classes, expected)):
                raise ValueError(f"classes of {name!r} are {list(head.classes)}; the schema needs {list(expected)} "
                                 f"in that order (pass classes= to the classifier)")
            heads[name] = head
        model = cls(schema, features, heads, metadata)
        model._classifiers = named
        return model

    # ------------------------------------------------------------------ introspection
    @property
    def tasks(self) -> tuple[str, ...]:
        """Task names in schema order."""
        return self.schema.task_names

    def classes(self, task: str) -> tuple[Any, ...]:
        """Classes of ``task``, in the column order of :meth:`predict_proba`."""
        return self._head(task).classes

    def _head(self, task: str) -> TaskHead:
        # The auxiliary boilerplate head is reachable by name but not listed among the tasks.
        if not isinstance(task, str) or task not in self.heads:
            raise UnknownTaskError(task, self.tasks)
        return self.heads[task]

    @property
    def classifiers(self) -> dict[str, FramingClassifier]:
        """``{task: fitted FramingClassifier}`` (built on first use for a loaded model; they share :attr:`features`)."""
        if len(self._classifiers) != len(self.heads):
            frozen = FrozenEstimator(self.features)
            blocks = self.metadata.get("feature_blocks") or {}
            self._classifiers = {name: FramingClassifier.from_head(head, frozen, blocks=blocks.get(name, "all"))
                                 for name, head in self.heads.items()}
        return dict(self._classifiers)

    @property
    def feature_names(self) -> np.ndarray:
        if self._feature_names is None:
            self._feature_names = self.features.get_feature_names_out()
        return self._feature_names

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return int(self._stacked_coef.shape[0])

    def __repr__(self) -> str:
        return f"Model(tasks={list(self.tasks)}, n_features={self.n_features})"

    # ------------------------------------------------------------------ prediction
    @staticmethod
    def _check_sentences(sentences) -> list[str]:
        if isinstance(sentences, str):
            raise TypeError("sentences must be a list of str, got a single str; wrap it in a list or use score() for an article")
        texts = []
        for index, sentence in enumerate(sentences):
            if not isinstance(sentence, str):
                raise TypeError(f"sentence {index} must be str, got {type(sentence).__name__}")
            texts.append(sentence)
        return texts

    def transform(self, sentences: Sequence[str]):
        """The feature matrix (sparse CSR, one row per sentence)."""
        return transform_in_batches(self.features, self._check_sentences(sentences))

    def _probabilities(self, X) -> dict[str, np.ndarray]:
        logits = np.asarray(X @ self._stacked_coef) + self._stacked_intercept
        result = {}
        for name in self._order:
            start, end = self._bounds[name]
            result[name] = softmax(logits[:, start:end] / self.heads[name].temperature)
        return result

    def predict_proba(self, sentences: Sequence[str], task: str) -> np.ndarray:
        """Class probabilities, shape ``(n_sentences, n_classes)``, columns in ``classes(task)`` order.

        Examples
        --------
        >>> import framing
        >>> model = framing.load()
        >>> p = model.predict_proba(["Analysts say talks may fail.", "Rubio met Umerov."], "hedged")
        >>> p.shape, bool(abs(p.sum(axis=1) - 1).max() < 1e-9)
        ((2, 2), True)
        """
        head = self._head(task)
        texts = self._check_sentences(sentences)
        if not texts:
            return np.zeros((0, len(head.classes)))
        X = transform_in_batches(self.features, texts)
        start, end = self._bounds[task]
        logits = np.asarray(X @ self._stacked_coef[:, start:end]) + self._stacked_intercept[start:end]
        return softmax(logits / head.temperature)

    def predict(self, sentences: Sequence[str], task: str) -> list[Any]:
        """The most probable class of each sentence."""
        classes = self.classes(task)
        return [classes[i] for i in self.predict_proba(sentences, task).argmax(axis=1)]

    def predict_all(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """Probabilities for every task (and the boilerplate head) from one feature extraction."""
        texts = self._check_sentences(sentences)
        if not texts:
            return {name: np.zeros((0, len(self.heads[name].classes))) for name in self._order}
        return self._probabilities(transform_in_batches(self.features, texts))

    def relative_coef(self, task: str) -> np.ndarray:
        """``(n_classes, n_features)``: each class's weights minus the mean of the other classes', over T.

        A feature value times this is its contribution to the class's logit
        relative to the other classes, so a feature that raises every class
        equally counts 0. Computed once per task and kept.
        """
        if task not in self._relative:
            head = self._head(task)
            self._relative[task] = relative_coef(head.coef, head.temperature)
        return self._relative[task]

    def score_sentences(self, sentences: Sequence[str], cues: bool = True) -> ScoredSentences:
        """Every task's probabilities for ``sentences`` with the features, exact contributions and cues.

        The public structure that reports are built from (one feature
        extraction, one sparse product for all tasks).
        """
        texts = self._check_sentences(sentences)
        X = transform_in_batches(self.features, texts) if texts else None
        if X is None:
            probabilities = {name: np.zeros((0, len(self.heads[name].classes))) for name in self._order}
        else:
            probabilities = self._probabilities(X)
        lexicon = self.features.named_transformers["lexicon"] if cues else None
        return ScoredSentences(
            texts=texts,
            tasks=self.tasks,
            classes={name: self.heads[name].classes for name in self._order},
            probabilities=probabilities,
            X=X,
            feature_names=self.feature_names,
            relative_coef={name: self.relative_coef(name) for name in self._order},
            cues=[sentence_cues(lexicon, text) for text in texts] if lexicon is not None else [[] for _ in texts],
            mention_columns=self._mention_columns(),
        )

    def _mention_columns(self) -> np.ndarray:
        # Found once per model: scanning every feature name per article would cost more than scoring it.
        if "_mentions" not in self.__dict__:
            self.__dict__["_mentions"] = mention_columns(self.feature_names)
        return self.__dict__["_mentions"]

    def contributions(self, X_row, task: str, class_index: int, top: int = 5) -> list[tuple[str, float]]:
        """The features that raise ``class_index``'s logit most for one feature row (coefficient x value / T)."""
        row = X_row.tocsr() if hasattr(X_row, "tocsr") else X_row
        if row.nnz == 0 or top <= 0:
            return []
        contribution = self.relative_coef(task)[class_index, row.indices] * row.data
        order = np.argsort(-contribution, kind="stable")[:top]
        names = self.feature_names
        return [(str(names[row.indices[i]]), float(contribution[i])) for i in order if contribution[i] > 0]

    def explain(self, sentence: str, task: str, evidence: int = 5, *, top: int | None = None) -> dict[str, Any]:
        """Why a sentence got its label: predicted class, probabilities and top contributing features.

        Parameters
        ----------
        sentence : str
        task : str
        evidence : int, default=5
            How many features to list (the same name as in :meth:`score`).
        top : int, optional
            Deprecated alias of ``evidence``.

        Examples
        --------
        >>> import framing
        >>> why = framing.load().explain("The corrupt Kyiv regime refused.", "loaded")
        >>> sorted(why)
        ['class', 'features', 'probabilities', 'task']
        """
        if top is not None:
            import warnings

            warnings.warn("explain(top=) is deprecated; use evidence=", DeprecationWarning, stacklevel=2)
            evidence = top
        head = self._head(task)
        X = self.transform([sentence])
        start, end = self._bounds[task]
        logits = np.asarray(X @ self._stacked_coef[:, start:end]) + self._stacked_intercept[start:end]
        probabilities = softmax(logits / head.temperature)[0]
        best = int(probabilities.argmax())
        return {
            "task": task,
            "class": head.classes[best],
            "probabilities": {class_key(c): float(p) for c, p in zip(head.classes, probabilities)},
            "features": self.contributions(X[0], task, best, evidence),
        }

    # ------------------------------------------------------------------ articles
    def score(self, text: str, evidence: int = 3) -> ArticleReport:
        """Score an article: segment, drop boilerplate, score every sentence, aggregate with evidence.

        Parameters
        ----------
        text : str
            The article (plain text; HTML markup is not stripped).
        evidence : int, default=3
            How many sentences and features to keep as evidence per score.

        Returns
        -------
        ArticleReport

        Examples
        --------
        >>> import framing
        >>> report = framing.load().score("")
        >>> report.n_sentences, report.slant_index
        (0, None)
        """
        if not isinstance(text, str):
            raise TypeError(f"score() expects the article text as str, got {type(text).__name__}")
        units = segment(text)
        if len(units) > SCORE_CHUNK_UNITS:
            # A huge text: no feature matrix of the whole text is ever held (the report is the same).
            return build_report_in_chunks(units, lambda texts, cues: self.score_sentences(texts, cues=cues),
                                          SCORE_CHUNK_UNITS, polar=self.schema.polarity, evidence=evidence,
                                          model_info=self._report_metadata(), reliability=self.reliability())
        scored = self.score_sentences([unit.text for unit in units])
        return build_report(units, scored, polar=self.schema.polarity, evidence=evidence,
                            model_info=self._report_metadata(), reliability=self.reliability())

    def reliability(self) -> dict[str, dict[str, Any]]:
        """Measured out-of-domain skill per task, from ``metadata["evaluation"]`` (empty when not measured).

        ``{task: {"reliable": bool, "metric": str, "value": float, "protocol": str, ...}}``; see
        :func:`framing.report._reliability.assess` for the rule.
        """
        evaluation = self.metadata.get("evaluation") or {}
        return {task: dict(info) for task, info in (evaluation.get("tasks") or {}).items() if task in self.tasks}

    def _report_metadata(self) -> dict[str, Any]:
        return {
            "framing_version": self.metadata.get("framing_version"),
            "training_data_sha256": self.metadata.get("training_data_sha256"),
            "lexicon_sha256": self.metadata.get("lexicon_sha256"),
        }

    def score_many(self, texts: Iterable[str], n_jobs: int = 1, chunk_size: int = 64,
                   evidence: int = 3) -> Iterator[ArticleReport]:
        """Score many articles lazily, in input order, with bounded memory.

        Parameters
        ----------
        texts : iterable of str
            Consumed lazily; at most ``n_jobs * chunk_size`` articles are held at once.
        n_jobs : int, default=1
            Worker processes (joblib, loky backend); 1 scores in this process.
        chunk_size : int, default=64
            Articles per task sent to a worker.

        Yields
        ------
        ArticleReport
        """
        yield from score_stream(self, texts, n_jobs=n_jobs, chunk_size=chunk_size, evidence=evidence)

    def cues(self, text: str) -> list[dict[str, Any]]:
        """Lexicon cues found in a sentence, with character offsets, for highlighting."""
        return sentence_cues(self.features.named_transformers["lexicon"], text)

    def save(self, path: str | Path) -> Path:
        """Save as a folder of JSON plus ``.npz`` (no pickle), atomically."""
        return save_model(self, path)


# ---------------------------------------------------------------------- loading

#: Scored once at load time so that a model that cannot score fails here, as a ModelFormatError.
_SMOKE_TEST = 'Officials reportedly said: "The regime may fail," according to 2 U.S. sources.'


def load(path: str | Path | None = None) -> Model:
    """Load a saved model; with no path, the bundled default model.

    Parameters
    ----------
    path : path-like, optional
        A folder written by :meth:`Model.save` or ``framing train``.

    Raises
    ------
    ModelFormatError
        For a missing folder or file, unexpected files (a pickle, say),
        malformed JSON, arrays of the wrong shape or dtype, a symlink leading
        outside the folder, or an incompatible format version.

    Examples
    --------
    >>> import framing
    >>> framing.load().tasks  # doctest: +NORMALIZE_WHITESPACE
    ('loaded', 'hedged', 'attribution', 'stance_russia', 'stance_ukraine', 'stance_us', 'stance_europe', 'slant',
     'frame')
    >>> framing.load("no/such/model")
    Traceback (most recent call last):
    ...
    framing.model._persist.ModelFormatError: model folder not found: no/such/model
    """
    if path is None:
        with resources.as_file(resources.files("framing.model.default")) as folder:
            return _load_folder(Path(folder))
    return _load_folder(Path(path))


def _load_folder(folder: Path) -> Model:
    parts = read_model(folder)
    with malformed_as_format_error(folder):
        model = Model(*parts)
        model.predict_all([_SMOKE_TEST])
    return model
