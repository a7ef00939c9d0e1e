"""The framing model: shared features, one linear classifier per task, training.

Features are extracted once per batch and every task's logits come from one
sparse-times-dense product with the stacked coefficient matrix. Probabilities
are a softmax of the logits divided by a per-task temperature fitted by
grouped cross-validation inside the training data (temperature scaling keeps
the model linear, so every score decomposes exactly into coefficient x value).
"""

from __future__ import annotations

import logging
import math
import platform
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._version import __version__
from .corpus import Corpus, LabeledSentence, Schema, TaskSpec, read_corpus

logger = logging.getLogger(__name__)

__all__ = ["Model", "TaskHead", "train", "TrainingConfig", "BOILERPLATE"]

#: Name of the auxiliary head that recognises site furniture.
BOILERPLATE = "boilerplate"

#: Logit given to a declared class that never occurs in the training data.
ABSENT_CLASS_LOGIT = -30.0


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of :func:`train` (all plain data, saved with the model)."""

    C: float = 1.0
    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (3, 5)
    char_min_df: int = 2
    harvest: bool = True
    calibration: str | None = "temperature"
    calibration_folds: int = 5
    class_weight: str | None = "balanced"
    max_iter: int = 2000
    lexicon_weight: float = 1.0
    ngram_weight: float = 1.0
    block_selection: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "C": self.C,
            "word_ngram_range": list(self.word_ngram_range),
            "char_ngram_range": list(self.char_ngram_range),
            "char_min_df": self.char_min_df,
            "harvest": self.harvest,
            "calibration": self.calibration,
            "calibration_folds": self.calibration_folds,
            "class_weight": self.class_weight,
            "max_iter": self.max_iter,
            "lexicon_weight": self.lexicon_weight,
            "ngram_weight": self.ngram_weight,
            "block_selection": self.block_selection,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingConfig:
        data = dict(data)
        for key in ("word_ngram_range", "char_ngram_range"):
            if key in data:
                data[key] = tuple(data[key])
        unknown = sorted(set(data) - set(cls().to_dict()))
        if unknown:
            raise ValueError(f"unknown training option(s) {unknown}; available: {sorted(cls().to_dict())}")
        return cls(**data)


@dataclass
class TaskHead:
    """A fitted linear classifier for one task: ``softmax((X @ coef.T + intercept) / temperature)``."""

    name: str
    classes: tuple[Any, ...]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    temperature: float = 1.0


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


class Model:
    """A trained framing model. Create one with :func:`framing.train` or :func:`framing.load`.

    Attributes
    ----------
    schema : Schema
        Tasks and classes the model was trained on.
    features : sklearn.pipeline.FeatureUnion
        The fitted feature extractor shared by every task.
    metadata : dict
        Versions, training-data hash, lexicon digest, evaluation summary.
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
            raise KeyError(f"unknown task {task!r}; available: {list(self.tasks)}")
        return self.heads[task]

    @property
    def feature_names(self) -> np.ndarray:
        if self._feature_names is None:
            self._feature_names = self.features.get_feature_names_out()
        return self._feature_names

    def __repr__(self) -> str:
        return f"Model(tasks={list(self.tasks)}, n_features={self._stacked_coef.shape[0]})"

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
        """The feature matrix (sparse, one row per sentence)."""
        return self.features.transform(self._check_sentences(sentences))

    def _all_probabilities(self, X) -> dict[str, np.ndarray]:
        logits = np.asarray(X @ self._stacked_coef) + self._stacked_intercept
        result = {}
        for name in self._order:
            start, end = self._bounds[name]
            result[name] = _softmax(logits[:, start:end] / self.heads[name].temperature)
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
        X = self.features.transform(texts)
        start, end = self._bounds[task]
        logits = np.asarray(X @ self._stacked_coef[:, start:end]) + self._stacked_intercept[start:end]
        return _softmax(logits / head.temperature)

    def predict(self, sentences: Sequence[str], task: str) -> list[Any]:
        """The most probable class of each sentence."""
        classes = self.classes(task)
        return [classes[i] for i in self.predict_proba(sentences, task).argmax(axis=1)]

    def predict_all(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """Probabilities for every task (and the boilerplate head) from one feature extraction."""
        texts = self._check_sentences(sentences)
        if not texts:
            return {name: np.zeros((0, len(self.heads[name].classes))) for name in self._order}
        return self._all_probabilities(self.features.transform(texts))

    def relative_coef(self, task: str) -> np.ndarray:
        """``(n_classes, n_features)``: each class's weights minus the mean of the other classes', over T.

        A feature value times this is its contribution to the class's logit
        relative to the other classes, so a feature that raises every class
        equally counts 0. Computed once per task and kept.
        """
        if task not in self._relative:
            head = self.heads[task] if task == BOILERPLATE and task in self.heads else self._head(task)
            coef = head.coef
            if len(head.classes) > 1:
                others = (coef.sum(axis=0, keepdims=True) - coef) / (len(head.classes) - 1)
                coef = coef - others
            self._relative[task] = np.ascontiguousarray(coef / head.temperature)
        return self._relative[task]

    def _top_contributions(self, columns: np.ndarray, values: np.ndarray, task: str, class_index: int,
                           top: int) -> list[tuple[str, float]]:
        if len(columns) == 0 or top <= 0:
            return []
        contribution = self.relative_coef(task)[class_index, columns] * values
        order = np.argsort(-contribution, kind="stable")[:top]
        names = self.feature_names
        return [(str(names[columns[i]]), float(contribution[i])) for i in order if contribution[i] > 0]

    def contributions(self, X_row, task: str, class_index: int, top: int = 5) -> list[tuple[str, float]]:
        """The features that raise ``class_index``'s logit most for one feature row (coefficient x value / T)."""
        row = X_row.tocsr() if hasattr(X_row, "tocsr") else X_row
        return self._top_contributions(row.indices, row.data, task, class_index, top)

    def explain(self, sentence: str, task: str, top: int = 5) -> dict[str, Any]:
        """Why a sentence got its label: predicted class, probabilities and top contributing features.

        Examples
        --------
        >>> import framing
        >>> why = framing.load().explain("The corrupt Kyiv regime refused.", "loaded")
        >>> sorted(why)
        ['class', 'features', 'probabilities', 'task']
        """
        head = self._head(task)
        X = self.features.transform(self._check_sentences([sentence]))
        start, end = self._bounds[task]
        logits = np.asarray(X @ self._stacked_coef[:, start:end]) + self._stacked_intercept[start:end]
        probabilities = _softmax(logits / head.temperature)[0]
        best = int(probabilities.argmax())
        return {
            "task": task,
            "class": head.classes[best],
            "probabilities": {_class_key(c): float(p) for c, p in zip(head.classes, probabilities)},
            "features": self.contributions(X[0], task, best, top),
        }

    # ------------------------------------------------------------------ articles
    def score(self, text: str, evidence: int = 3):
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
        from ._report import build_report

        if not isinstance(text, str):
            raise TypeError(f"score() expects the article text as str, got {type(text).__name__}")
        return build_report(self, text, evidence=evidence)

    def score_many(self, texts: Iterable[str], n_jobs: int = 1, chunk_size: int = 64, evidence: int = 3) -> Iterator[Any]:
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
        from ._batch import score_stream

        yield from score_stream(self, texts, n_jobs=n_jobs, chunk_size=chunk_size, evidence=evidence)

    def cues(self, text: str) -> list[dict[str, Any]]:
        """Lexicon cues found in a sentence, with character offsets, for highlighting."""
        from ._report import sentence_cues

        return sentence_cues(self, text)

    def save(self, path: str | Path) -> Path:
        """Save as a folder of JSON plus ``.npz`` (no pickle), atomically."""
        from ._persist import save_model

        return save_model(self, path)


def _class_key(value: Any) -> str:
    """JSON key for a class: ``true``/``false`` for binary classes, the name otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------------- training


def _infer_schema(sentences: Sequence[LabeledSentence]) -> Schema:
    # Multiclass classes are sorted by name: deterministic, but not meaningful. The
    # slant index uses the first and last class as its poles, so pass a Schema (or
    # train from a corpus folder) when the class order matters.
    values: dict[str, set] = {}
    for sentence in sentences:
        for task, value in sentence.labels.items():
            values.setdefault(task, set()).add(value)
    tasks = []
    for task, seen in values.items():
        if seen <= {True, False} and all(isinstance(v, bool) for v in seen):
            tasks.append(TaskSpec(task, "binary", (False, True)))
        else:
            tasks.append(TaskSpec(task, "multiclass", tuple(sorted(map(str, seen)))))
    if not tasks:
        raise ValueError("no labels found in the training sentences")
    return Schema(tasks=tuple(tasks))


def _make_union(config: TrainingConfig, lexicon):
    from ._features import make_features

    weights = {
        "lexicon": config.lexicon_weight, "attribution": config.lexicon_weight, "hedging": config.lexicon_weight,
        "shape": config.lexicon_weight, "word": config.ngram_weight, "char": config.ngram_weight,
    }
    return make_features(
        lexicon=lexicon,
        word_ngram_range=config.word_ngram_range,
        char_ngram_range=config.char_ngram_range,
        char_min_df=config.char_min_df,
        harvest=config.harvest,
        transformer_weights=weights,
    )


def _fit_head(X, y: Sequence[Any], classes: tuple[Any, ...], config: TrainingConfig, name: str) -> TaskHead:
    from sklearn.linear_model import LogisticRegression

    n_features = X.shape[1]
    coef = np.zeros((len(classes), n_features))
    intercept = np.full(len(classes), ABSENT_CLASS_LOGIT)
    present = [c for c in classes if any(value == c and type(value) is type(c) for value in y)]
    if len(present) == 1:
        intercept[classes.index(present[0])] = 0.0
        return TaskHead(name, classes, coef, intercept)
    if not present:
        raise ValueError(f"task {name!r} has no training labels")
    # Encode classes as their index so that bools and strings mix safely.
    y_index = np.asarray([classes.index(value) for value in y])
    # newton-cg solves the same L2 objective as lbfgs, ~15x faster on these wide sparse matrices.
    estimator = LogisticRegression(C=config.C, class_weight=config.class_weight, max_iter=config.max_iter,
                                   solver="newton-cg", random_state=0)
    estimator.fit(X, y_index)
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
    return TaskHead(name, classes, coef, intercept)


def _logits(head: TaskHead, X) -> np.ndarray:
    return np.asarray(X @ head.coef.T) + head.intercept


def _mean_log_loss(logits: np.ndarray, y_index: np.ndarray) -> float:
    """Mean negative log-likelihood of the true classes under ``softmax(logits)``."""
    probabilities = _softmax(logits)
    return float(-np.log(np.clip(probabilities[np.arange(len(y_index)), y_index], 1e-12, None)).mean())


def _fit_temperature(logits: np.ndarray, y_index: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    def negative_log_likelihood(log_temperature: float) -> float:
        return _mean_log_loss(logits / math.exp(log_temperature), y_index)

    result = minimize_scalar(negative_log_likelihood, bounds=(math.log(0.05), math.log(20.0)), method="bounded")
    return float(round(math.exp(result.x), 6))


def _prepare(data, schema: Schema | None) -> tuple[Schema, list[LabeledSentence], Corpus | None]:
    corpus = None
    if isinstance(data, (str, Path)):
        corpus = read_corpus(data)
        return schema or corpus.schema, corpus.sentences, corpus
    if isinstance(data, Corpus):
        return schema or data.schema, data.sentences, data
    sentences = list(data)
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, LabeledSentence):
            raise TypeError(f"training item {index} must be a framing.LabeledSentence, got {type(sentence).__name__}")
    schema = schema or _infer_schema(sentences)
    from .corpus import CorpusError, CorpusIssue, _check_labels

    issues: list[CorpusIssue] = []
    for index, sentence in enumerate(sentences):
        _check_labels(sentence.labels, schema, "<training data>", index + 1, issues)
    if issues:
        raise CorpusError(issues)
    return schema, sentences, None


def train(
    data,
    tasks: Sequence[str] | None = None,
    schema: Schema | None = None,
    lexicon=None,
    config: TrainingConfig | None = None,
    progress: Callable[[str], None] | None = None,
    **options: Any,
) -> Model:
    """Train a framing model.

    Parameters
    ----------
    data : path, Corpus or iterable of LabeledSentence
        A corpus folder (validated first; errors carry the validator's
        messages) or labelled sentences.
    tasks : sequence of str, optional
        Train only these tasks of the schema (default: all).
    schema : Schema, optional
        Tasks and classes, in order. Without it, classes are inferred from the
        labels and multiclass classes sorted by name; pass a schema when the
        order matters (the slant index takes the first and last class of
        ``slant`` as its poles).
    lexicon : Lexicon, optional
        The lexicon to use instead of the bundled one (see :func:`framing.load_lexicon`).
    config : TrainingConfig, optional
        Hyper-parameters; keyword ``options`` override single fields.
    progress : callable, optional
        Called with a short message as each step starts (the CLI's progress bar).

    Returns
    -------
    Model

    Examples
    --------
    >>> import framing
    >>> data = [framing.LabeledSentence("The regime lied.", {"loaded": True}, article="a"),
    ...         framing.LabeledSentence("Talks began on Monday.", {"loaded": False}, article="b")]
    >>> model = framing.train(data, calibration=None)
    >>> model.tasks, model.classes("loaded")
    (('loaded',), (False, True))
    """
    config = config or TrainingConfig()
    if options:
        config = TrainingConfig.from_dict({**config.to_dict(), **options})
    schema, sentences, corpus = _prepare(data, schema)
    if tasks is not None:
        unknown = [t for t in tasks if t not in schema.task_names]
        if unknown:
            raise KeyError(f"unknown task(s) {unknown}; available: {list(schema.task_names)}")
        schema = Schema(tasks=tuple(schema.task(t) for t in tasks), span_types=schema.span_types, name=schema.name,
                        description=schema.description)
    if not sentences:
        raise ValueError("no training sentences")
    notify = progress or (lambda message: None)
    content = [s for s in sentences if not s.boilerplate]
    if not content:
        raise ValueError("every training sentence is marked boilerplate")

    notify("features")
    features = _make_union(config, lexicon).fit(sentences)
    X_all = features.transform([s.text for s in sentences])
    content_rows = np.asarray([i for i, s in enumerate(sentences) if not s.boilerplate])
    X = X_all[content_rows]
    groups = [s.article or s.id or str(i) for i, s in enumerate(content)]

    if config.calibration not in ("temperature", None):
        raise ValueError(f"unknown calibration {config.calibration!r}; available: ['temperature', None]")
    choices: dict[str, tuple[str, float]] = {task.name: ("all", 1.0) for task in schema.tasks}
    if config.calibration == "temperature" or config.block_selection:
        notify("inner cross-validation")
        choices = _inner_cross_validation(content, schema.tasks, groups, config, lexicon)

    heads: dict[str, TaskHead] = {}
    for task in schema.tasks:
        notify(f"task {task.name}")
        y = [s.labels[task.name] for s in content]
        blocks, temperature = choices[task.name]
        scales = _block_scales(features, blocks)
        head = _fit_head_on_blocks(_scale_columns(X, scales), y, task, config, scales)
        head.temperature = temperature if config.calibration == "temperature" else 1.0
        heads[task.name] = head

    if any(s.boilerplate for s in sentences):
        notify("boilerplate")
        boilerplate_classes = (False, True)
        heads[BOILERPLATE] = _fit_head(X_all, [s.boilerplate for s in sentences], boilerplate_classes, config, BOILERPLATE)

    metadata = training_metadata(schema, sentences, features, config, corpus)
    metadata["feature_blocks"] = {task.name: choices[task.name][0] for task in schema.tasks}
    return Model(schema, features, heads, metadata)


#: Feature blocks a task head may use; chosen per task by inner cross-validation.
#: Values: (scale of the lexicon and pattern blocks, scale of the n-gram blocks).
BLOCK_CHOICES = {"all": (1.0, 1.0), "lexicon": (1.0, 0.0), "ngrams": (0.0, 1.0)}
NGRAM_BLOCKS = ("word", "char")


def _block_scales(features, blocks: str) -> np.ndarray:
    """Per-column scale (1 or 0) that keeps only the chosen feature blocks of a fitted union."""
    lexicon_scale, ngram_scale = BLOCK_CHOICES[blocks]
    scales = [np.full(len(transformer.get_feature_names_out()), ngram_scale if name in NGRAM_BLOCKS else lexicon_scale)
              for name, transformer in features.transformer_list]
    return np.concatenate(scales)


def _scale_columns(X, scales: np.ndarray):
    from scipy import sparse

    if np.all(scales == 1.0):
        return X
    return sparse.csr_matrix(X @ sparse.diags(scales))


def _fit_head_on_blocks(X_scaled, y: Sequence[Any], task: TaskSpec, config: TrainingConfig, scales: np.ndarray) -> TaskHead:
    """Fit a head on ``X_scaled = _scale_columns(X, scales)`` and fold the scaling into its weights.

    ``(X * s) @ w == X @ (s * w)``: the head then scores unscaled features, so
    scoring never needs to know which blocks a task uses.
    """
    head = _fit_head(X_scaled, y, task.classes, config, task.name)
    head.coef = head.coef * scales
    return head


def _oof_score(logits: np.ndarray, y_index: np.ndarray) -> tuple[float, float]:
    """(-log-loss, macro-F1 over the classes present) of out-of-fold logits: larger is better.

    Log-loss comes first: with few positive examples per fold, macro-F1 of the
    argmax moves by whole sentences and picks choices by noise.
    """
    from sklearn.metrics import f1_score

    predicted = logits.argmax(axis=1)
    present = np.unique(y_index)
    f1 = f1_score(y_index, predicted, labels=present, average="macro", zero_division=0)
    return -_mean_log_loss(logits, y_index), float(f1)


def _inner_cross_validation(content: Sequence[LabeledSentence], tasks: Sequence[TaskSpec], groups: Sequence[str],
                            config: TrainingConfig, lexicon) -> dict[str, tuple[str, float]]:
    """Choose each task's feature blocks and fit its temperature on out-of-fold logits.

    Grouped folds over the training data only. Features (vocabulary, harvested
    lexicon terms) and weights are refitted inside each fold, so neither choice
    sees a logit computed from a sentence's own label. One feature fit per fold
    is shared by every task and block choice. Returns ``{task: (blocks, temperature)}``.
    """
    from sklearn.model_selection import GroupKFold

    candidates = tuple(BLOCK_CHOICES) if config.block_selection else ("all",)
    unique_groups = sorted(set(groups))
    n_splits = min(config.calibration_folds, len(unique_groups))
    if n_splits < 2:
        return {task.name: ("all", 1.0) for task in tasks}
    group_codes = np.asarray([unique_groups.index(g) for g in groups])
    y_index = {task.name: np.asarray([task.classes.index(s.labels[task.name]) for s in content]) for task in tasks}
    logits = {(task.name, blocks): np.zeros((len(content), len(task.classes))) for task in tasks for blocks in candidates}
    for train_rows, test_rows in GroupKFold(n_splits=n_splits).split(np.zeros(len(content)), groups=group_codes):
        fold_sentences = [content[i] for i in train_rows]
        fold_features = _make_union(config, lexicon).fit(fold_sentences)
        X_train = fold_features.transform([s.text for s in fold_sentences])
        X_test = fold_features.transform([content[i].text for i in test_rows])
        for blocks in candidates:
            scales = _block_scales(fold_features, blocks)
            X_train_scaled = _scale_columns(X_train, scales)
            for task in tasks:
                head = _fit_head_on_blocks(X_train_scaled, [s.labels[task.name] for s in fold_sentences], task, config, scales)
                logits[task.name, blocks][test_rows] = _logits(head, X_test)
    choices = {}
    for task in tasks:
        # max() keeps the first of equal scores: "all" wins ties.
        best = max(candidates, key=lambda blocks: _oof_score(logits[task.name, blocks], y_index[task.name]))
        temperature = _fit_temperature(logits[task.name, best], y_index[task.name])
        logger.debug("task %s: blocks %s, temperature %.3f", task.name, best, temperature)
        choices[task.name] = (best, temperature)
    return choices


def training_metadata(schema: Schema, sentences: Sequence[LabeledSentence], features, config: TrainingConfig,
                      corpus: Corpus | None) -> dict[str, Any]:
    import hashlib
    import json

    import sklearn

    from ._lexicon import Lexicon

    if corpus is not None:
        data_hash = corpus.digest()
    else:
        hasher = hashlib.sha256()
        for sentence in sentences:
            hasher.update(json.dumps(sentence.to_record(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        data_hash = hasher.hexdigest()
    lexicon_records = features.named_transformers["lexicon"].lexicon_
    content = [s for s in sentences if not s.boilerplate]
    return {
        "framing_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "training_data_sha256": data_hash,
        "lexicon_sha256": Lexicon.from_records(lexicon_records).digest(),
        "n_training_sentences": len(sentences),
        "n_content_sentences": len(content),
        "n_articles": len({s.article for s in sentences if s.article}),
        "class_counts": {
            task.name: {_class_key(c): sum(1 for s in content if s.labels[task.name] == c and type(s.labels[task.name]) is type(c))
                         for c in task.classes}
            for task in schema.tasks
        },
        "config": config.to_dict(),
        "evaluation": None,
    }
