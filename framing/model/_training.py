"""Training: labelled sentences (or a corpus folder) to a :class:`~framing.Model`, through one loop.

:func:`train` and :func:`framing.model.train_recipe` both end in :func:`fit_run`:
one feature union (:func:`build_features`) is fitted once on every sentence of
the run, then one :class:`FramingClassifier` per task on the sentences that
label it with a positive weight, and a boilerplate head on the site furniture.
A recipe differs only in what it hands the loop: its sources' sentences, one
weight array per task, its :class:`TrainingConfig` and the schema's axis.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import FeatureUnion

from .._util import class_key, same_label
from .._version import __version__
from ..data import Corpus, CorpusError, CorpusIssue, LabeledSentence, Schema, infer_schema, read_corpus
from ..data._reading import _check_labels
from ..errors import UnknownTaskError
from ..features import check_ngram_range, make_features, shared_analysis
from ..features._stance import StanceFeatures, axis_document, load_axis
from ..lexicon._lexicon import Lexicon
from ._classifier import BLOCK_CHOICES, FramingClassifier
from ._model import Model

__all__ = ["TrainingConfig", "train", "fit_run", "FittedRun", "build_features", "training_metadata", "Progress"]

#: ``progress(done, total, message)``: called as each step starts (``total`` may be None).
Progress = Callable[[int, "int | None", str], None]

#: The key of :func:`train`'s ``sample_weight`` mapping that weighs the boilerplate head's sentences.
BOILERPLATE_HEAD = "boilerplate"

#: The fields of :class:`TrainingConfig` that are :class:`FramingClassifier` parameters of the same name.
_CLASSIFIER_FIELDS = ("C", "word_ngram_range", "char_ngram_range", "char_min_df", "harvest", "calibration",
                      "calibration_folds", "class_weight", "max_iter", "lexicon_weight", "ngram_weight", "block_selection")


def _check_int(name: str, value: Any, low: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, Integral) or isinstance(value, bool) or value < low:
        allowed = f"an integer >= {low}" + (" or None" if allow_none else "")
        raise ValueError(f"training option {name}={value!r} is not allowed; allowed: {allowed}")


def _task_blocks(value: Any) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = tuple(sorted((str(task), blocks) for task, blocks in items))
    except (TypeError, ValueError):
        raise ValueError(f"training option task_blocks={value!r} is not allowed; allowed: a mapping of task name "
                         f"to one of {sorted(BLOCK_CHOICES)}") from None
    for task, blocks in pairs:
        if blocks not in BLOCK_CHOICES:
            raise ValueError(f"training option task_blocks: task {task!r} has unknown blocks {blocks!r}; "
                             f"available: {sorted(BLOCK_CHOICES)}")
    return pairs


def _check_ngram_range(name: str, value: Any) -> None:
    try:
        check_ngram_range(value, name)
    except ValueError:
        raise ValueError(f"training option {name}={value!r} is not allowed; allowed: a pair (low, high) of integers "
                         f"with 1 <= low <= high") from None


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of :func:`train` and of a recipe's ``config`` (all plain data, saved with the model).

    ``C``, the n-gram ranges, ``char_min_df``, ``harvest``, the calibration,
    ``class_weight``, ``max_iter``, the block weights and ``block_selection``
    are :class:`FramingClassifier` parameters of the same names. The others
    shape the shared feature union or the boilerplate head:

    word_min_df : int
        Documents a word n-gram must occur in to be kept.
    word_max_features, char_max_features : int or None
        Cap on the word / character n-gram vocabulary (None: no cap).
    harvest_min_count : int
        Labelled cue spans a term needs before it is harvested into the lexicon block.
    boilerplate_negatives_every : int
        When the run has several sources (a recipe), the boilerplate head learns from
        every sentence of the sources that mark boilerplate, and from every n-th content
        sentence of the other sources (0: none of them). One source: every sentence.
    boilerplate_negative_weight : float
        The weight of those sampled sentences of the other sources.
    task_blocks : mapping of task to block choice
        Tasks whose feature blocks are fixed instead of chosen by
        ``block_selection`` (see :data:`framing.model._classifier.BLOCK_CHOICES`).
        The default gives ``attribution`` the lexicon, pattern and voice blocks
        without the n-grams, so that a unit's attribution follows from the cue and
        source phrase found (the voice stage's structure and the attribution
        patterns), not from the sentence's n-grams: on PolNeAR dev this beat the
        voice block alone (named vs anonymous macro-F1 0.770 against 0.736).
        Given as a dict; stored as sorted pairs.

    Examples
    --------
    >>> config = TrainingConfig(C=0.5)
    >>> TrainingConfig.from_dict(config.to_dict()) == config
    True
    >>> TrainingConfig(word_min_df=0)
    Traceback (most recent call last):
    ...
    ValueError: training option word_min_df=0 is not allowed; allowed: an integer >= 1
    """

    C: float = 1.0
    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (3, 5)
    word_min_df: int = 1
    char_min_df: int = 2
    word_max_features: int | None = None
    char_max_features: int | None = None
    harvest: bool = True
    harvest_min_count: int = 1
    lexicon_weight: float = 1.0
    ngram_weight: float = 1.0
    calibration: str | None = "temperature"
    calibration_folds: int = 5
    class_weight: str | None = "balanced"
    max_iter: int = 2000
    block_selection: bool | str = True
    boilerplate_negatives_every: int = 20
    boilerplate_negative_weight: float = 1.0
    task_blocks: tuple[tuple[str, str], ...] = (("attribution", "lexicon"),)

    def __post_init__(self) -> None:
        object.__setattr__(self, "task_blocks", _task_blocks(self.task_blocks))
        # The fields FramingClassifier also checks are checked there (when it is fitted); these shape the
        # union and the boilerplate sample before any classifier exists, so a bad value fails here, early.
        if self.calibration not in ("temperature", None):
            raise ValueError(f"unknown calibration {self.calibration!r}; available: ['temperature', None]")
        _check_ngram_range("word_ngram_range", self.word_ngram_range)
        _check_ngram_range("char_ngram_range", self.char_ngram_range)
        _check_int("word_min_df", self.word_min_df, 1)
        _check_int("char_min_df", self.char_min_df, 1)
        _check_int("word_max_features", self.word_max_features, 1, allow_none=True)
        _check_int("char_max_features", self.char_max_features, 1, allow_none=True)
        _check_int("harvest_min_count", self.harvest_min_count, 1)
        _check_int("boilerplate_negatives_every", self.boilerplate_negatives_every, 0)
        weight = self.boilerplate_negative_weight
        if not isinstance(weight, Real) or isinstance(weight, bool) or not math.isfinite(weight) or weight < 0:
            raise ValueError(f"training option boilerplate_negative_weight={weight!r} is not allowed; "
                             f"allowed: a finite number >= 0")

    def to_dict(self) -> dict[str, Any]:
        """Every field, as JSON-ready plain data (the n-gram ranges as lists)."""
        data = dataclasses.asdict(self)
        data["word_ngram_range"] = list(self.word_ngram_range)
        data["char_ngram_range"] = list(self.char_ngram_range)
        data["task_blocks"] = dict(self.task_blocks)
        return data

    def task_params(self, task: str) -> dict[str, Any]:
        """The :class:`FramingClassifier` keyword arguments for ``task`` (its fixed blocks, if it has them)."""
        params = self.classifier_params()
        fixed = dict(self.task_blocks).get(task)
        if fixed is not None:
            params["block_selection"] = fixed
        return params

    def classifier_params(self) -> dict[str, Any]:
        """The :class:`FramingClassifier` keyword arguments of this configuration."""
        params = {name: getattr(self, name) for name in _CLASSIFIER_FIELDS}
        params["word_ngram_range"] = tuple(self.word_ngram_range)
        params["char_ngram_range"] = tuple(self.char_ngram_range)
        return params

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingConfig:
        """The configuration of :meth:`to_dict`'s plain data; fields left out keep their defaults."""
        data = dict(data)
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"unknown training option(s) {unknown}; available: {sorted(known)}")
        for key in ("word_ngram_range", "char_ngram_range"):
            if isinstance(data.get(key), list):
                data[key] = tuple(data[key])
        return cls(**data)


def build_features(config: TrainingConfig, lexicon: Lexicon | None = None,
                   axis: Mapping[str, Any] | None = None) -> FeatureUnion:
    """The unfitted feature union of a training run: the default blocks, plus ``stance`` when there is an axis.

    Examples
    --------
    >>> union = build_features(TrainingConfig(word_min_df=2))
    >>> [name for name, _ in union.transformer_list], union.get_params()["word__min_df"]
    (['lexicon', 'attribution', 'hedging', 'shape', 'voice', 'word', 'char'], 2)
    """
    weights = None
    if (config.lexicon_weight, config.ngram_weight) != (1.0, 1.0):
        # Weights of 1 are left out: a union without weights computes the same, and saves as the default model does.
        weights = {"lexicon": config.lexicon_weight, "attribution": config.lexicon_weight, "hedging": config.lexicon_weight,
                   "shape": config.lexicon_weight, "voice": config.lexicon_weight, "stance": config.lexicon_weight,
                   "word": config.ngram_weight, "char": config.ngram_weight}
    union = make_features(lexicon=lexicon, word_ngram_range=tuple(config.word_ngram_range),
                          char_ngram_range=tuple(config.char_ngram_range), char_min_df=config.char_min_df,
                          harvest=config.harvest, transformer_weights=weights)
    union.set_params(word__min_df=config.word_min_df, word__max_features=config.word_max_features,
                     char__max_features=config.char_max_features, lexicon__harvest_min_count=config.harvest_min_count)
    if axis is not None:
        # Stance toward each side of the schema's axis (a lexicon-and-pattern block, not n-grams).
        union.transformer_list.append(("stance", StanceFeatures(axis=dict(axis))))
    return union


@dataclass
class FittedRun:
    """What :func:`fit_run` fitted: the shared union, one classifier per task, the boilerplate head (or None)."""

    features: FeatureUnion
    classifiers: dict[str, FramingClassifier]
    boilerplate: FramingClassifier | None

    @property
    def blocks(self) -> dict[str, str]:
        """The feature blocks each task chose (``metadata["feature_blocks"]``)."""
        return {task: classifier.blocks_ for task, classifier in self.classifiers.items()}


def _check_weights(values: Any, n: int, what: str) -> np.ndarray:
    weights = np.asarray(list(values), dtype=np.float64)
    if weights.shape != (n,):
        raise ValueError(f"{what} must give one weight per training sentence ({n}), got {weights.shape[0]}")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(f"{what} must be finite and non-negative")
    return weights


def _weights(sample_weight, n: int, tasks: Sequence[str]) -> tuple[dict[str, np.ndarray | None], np.ndarray | None]:
    """``({task: weights or None}, boilerplate head weights or None)`` of :func:`train`'s ``sample_weight``."""
    if sample_weight is None:
        return {task: None for task in tasks}, None
    if isinstance(sample_weight, Mapping):
        unknown = [key for key in sample_weight if key not in tasks and key != BOILERPLATE_HEAD]
        if unknown:
            raise UnknownTaskError(unknown[0] if len(unknown) == 1 else unknown, [*tasks, BOILERPLATE_HEAD])
        per_task = {task: None if sample_weight.get(task) is None
                    else _check_weights(sample_weight[task], n, f"sample_weight[{task!r}]") for task in tasks}
        head = sample_weight.get(BOILERPLATE_HEAD)
        return per_task, None if head is None else _check_weights(head, n, f"sample_weight[{BOILERPLATE_HEAD!r}]")
    weights = _check_weights(sample_weight, n, "sample_weight")
    return {task: weights for task in tasks}, weights


def trained_rows(sentences: Sequence[LabeledSentence], task: str, weights: np.ndarray | None) -> list[int]:
    """Indices of the sentences that train ``task``: content, labelled, and weighted above 0."""
    return [i for i, s in enumerate(sentences)
            if not s.boilerplate and task in s.labels and (weights is None or weights[i] > 0)]


def boilerplate_rows(sentences: Sequence[LabeledSentence], config: TrainingConfig, weights: np.ndarray | None,
                     origins: Sequence[str] | None) -> tuple[list[int], np.ndarray | None]:
    """``(rows, weights)`` of the boilerplate head.

    Without ``origins`` every sentence. With them (a recipe: each sentence's
    source), every sentence of the sources that mark boilerplate, then every
    ``boilerplate_negatives_every``-th content sentence of the others at
    ``boilerplate_negative_weight``: site furniture is labelled in a few
    sources only, and real sentences from the rest teach the head what
    content looks like beyond their sites.
    """
    if origins is None:
        rows = list(range(len(sentences))) if weights is None else [i for i in range(len(sentences)) if weights[i] > 0]
        return rows, None if weights is None else weights[rows]
    marking = {origins[i] for i, s in enumerate(sentences) if s.boilerplate}
    own = [i for i in range(len(sentences)) if origins[i] in marking]
    every = config.boilerplate_negatives_every
    others = [i for i, s in enumerate(sentences) if origins[i] not in marking and not s.boilerplate][::every] if every else []
    base = np.ones(len(sentences)) if weights is None else weights
    rows = own + others
    row_weights = np.concatenate([base[own], base[others] * float(config.boilerplate_negative_weight)])
    kept = row_weights > 0
    return [row for row, keep in zip(rows, kept) if keep], row_weights[kept]


def fit_run(schema: Schema, sentences: Sequence[LabeledSentence], config: TrainingConfig, *,
            task_weights: Mapping[str, np.ndarray | None] | None = None, boilerplate_weights: np.ndarray | None = None,
            origins: Sequence[str] | None = None, lexicon: Lexicon | None = None, axis: Mapping[str, Any] | None = None,
            boilerplate: bool = True, notify: Callable[[str], None] | None = None) -> FittedRun:
    """Fit the shared features on every sentence, then one classifier per task of ``schema`` and the boilerplate head.

    The one training loop behind :func:`train` and :func:`framing.model.train_recipe`.

    Parameters
    ----------
    schema : Schema
        The tasks to train, in order.
    sentences : sequence of LabeledSentence
        Every sentence shapes the features; a task trains on the content
        sentences that carry its label and weigh more than 0 for it.
    config : TrainingConfig
    task_weights : mapping of task to array or None, optional
        Per-task weights, one per sentence (a missing task or None: all 1).
    boilerplate_weights : array, optional
        Weights of the boilerplate head (None: all 1).
    origins : sequence of str, optional
        The source of each sentence, for the boilerplate head's sample (see
        :func:`boilerplate_rows`); None: one source.
    lexicon : Lexicon, optional
    axis : mapping, optional
        The stance axis (:func:`framing.features.load_axis`): adds the ``stance`` block.
    boilerplate : bool, default=True
        Train the boilerplate head when some sentence is boilerplate.
    notify : callable, optional
        ``notify(message)`` as each step starts.

    Returns
    -------
    FittedRun

    Examples
    --------
    >>> from framing import LabeledSentence, Schema
    >>> schema = Schema.from_dict({"tasks": {"loaded": {"type": "binary", "classes": [False, True]}}})
    >>> run = fit_run(schema, [LabeledSentence("The regime lied.", {"loaded": True}, article="a"),
    ...                        LabeledSentence("Talks began.", {"loaded": False}, article="b")],
    ...               TrainingConfig(calibration=None, block_selection=False))
    >>> sorted(run.classifiers), run.boilerplate is None, run.blocks
    (['loaded'], True, {'loaded': 'all'})
    """
    task_weights = dict(task_weights or {})

    def step(message: str) -> None:
        if notify is not None:
            notify(message)

    step("features")
    # Every task's inner folds refit the features on the same sentences: tokenise each one once.
    with shared_analysis():
        union = build_features(config, lexicon, axis).fit(list(sentences))
        frozen = FrozenEstimator(union)
        params = config.classifier_params()
        classifiers: dict[str, FramingClassifier] = {}
        for task in schema.tasks:
            step(f"task {task.name}")
            weights = task_weights.get(task.name)
            rows = trained_rows(sentences, task.name, weights)
            if not rows:
                raise ValueError(f"task {task.name!r} has no training labels (no content sentence labels it with a weight > 0)")
            classifier = FramingClassifier(lexicon=lexicon, features=frozen, classes=task.classes,
                                           **config.task_params(task.name))
            classifier.fit([sentences[i] for i in rows], [sentences[i].labels[task.name] for i in rows],
                           sample_weight=None if weights is None else weights[rows])
            classifiers[task.name] = classifier
        head = None
        if boilerplate and any(s.boilerplate for s in sentences):
            step("boilerplate")
            rows, weights = boilerplate_rows(sentences, config, boilerplate_weights, origins)
            head_params = {**params, "calibration": None, "block_selection": False}
            head = FramingClassifier(lexicon=lexicon, features=frozen, classes=(False, True), **head_params)
            head.fit([sentences[i] for i in rows], [bool(sentences[i].boilerplate) for i in rows], sample_weight=weights)
    return FittedRun(union, classifiers, head)


def n_steps(schema: Schema, sentences: Sequence[LabeledSentence], boilerplate: bool = True) -> int:
    """The number of ``progress`` steps of a run: features, each task, the boilerplate head if any."""
    return 1 + len(schema.tasks) + (1 if boilerplate and any(s.boilerplate for s in sentences) else 0)


def notifier(progress: Progress | None, total: int) -> Callable[[str], None]:
    """``notify(message)`` that calls ``progress(done, total, message)`` with ``done`` counting from 0."""
    done = iter(range(total))

    def notify(message: str) -> None:
        if progress is not None:
            progress(next(done), total, message)

    return notify


def _prepare(data, schema: Schema | None) -> tuple[Schema, list[LabeledSentence], Corpus | None]:
    """``(schema, sentences, corpus)`` of the training data.

    A corpus folder must label every task of its schema (validated by
    :func:`read_corpus`); in-memory sentences may leave tasks out (partial labels).
    """
    if isinstance(data, (str, Path)):
        corpus = read_corpus(data)
        return schema or corpus.schema, corpus.sentences, corpus
    if isinstance(data, Corpus):
        return schema or data.schema, data.sentences, data
    sentences = list(data)
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, LabeledSentence):
            raise TypeError(f"training item {index} must be a framing.LabeledSentence, got {type(sentence).__name__}")
    # One rule for sentences and tables (framing.data.infer_schema): booleans make a binary task, strings a
    # multiclass task (sorted by name; pass a Schema when the order or the poles matter); a task with a single
    # class, or booleans mixed with other labels, is a TableError (a CorpusError) naming the task.
    schema = schema or infer_schema(sentences)
    issues: list[CorpusIssue] = []
    for index, sentence in enumerate(sentences):
        _check_labels(sentence.labels, schema, "<training data>", index + 1, issues, partial=True)
    if issues:
        raise CorpusError(issues)
    return schema, sentences, None


def schema_axis(schema_file: str | Path) -> dict[str, Any] | None:
    """The axis a ``schema.json`` names in its ``"axis"`` field (read relative to it), or None."""
    from ..data._recipe import axis_file

    path = axis_file(schema_file)
    return None if path is None else load_axis(path)


def _resolve_axis(axis, corpus: Corpus | None) -> dict[str, Any] | None:
    if axis is False:
        return None
    if axis is None:
        # A corpus read from a folder: the axis its schema.json names (a Corpus built in memory may have no file).
        schema_file = Path(corpus.root) / "schema.json" if corpus is not None and corpus.root is not None else None
        return schema_axis(schema_file) if schema_file is not None and schema_file.is_file() else None
    if not isinstance(axis, (str, Path, Mapping)):
        raise TypeError(f"axis must be a path to an axis file, an axis (framing.features.load_axis), None or False; "
                        f"got {type(axis).__name__}")
    return axis_document(axis)


def resolve_tasks(tasks: str | Sequence[str] | None, schema: Schema) -> Schema:
    """``schema`` restricted to ``tasks`` (one name or several; None: all), or :class:`UnknownTaskError`.

    Examples
    --------
    >>> schema = Schema.from_dict({"tasks": {"loaded": {"type": "binary", "classes": [False, True]},
    ...                                      "hedged": {"type": "binary", "classes": [False, True]}}})
    >>> resolve_tasks("loaded", schema).task_names
    ('loaded',)
    """
    if tasks is None:
        return schema
    names = [tasks] if isinstance(tasks, str) else list(tasks)
    unknown = [t for t in names if t not in schema.task_names]
    if unknown:
        raise UnknownTaskError(unknown[0] if len(unknown) == 1 and isinstance(tasks, str) else unknown, schema.task_names)
    return schema.restricted(names)


def train(
    data,
    tasks: str | Sequence[str] | None = None,
    schema: Schema | None = None,
    lexicon: Lexicon | None = None,
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
    sample_weight: Sequence[float] | Mapping[str, Sequence[float]] | None = None,
    axis: str | Path | Mapping[str, Any] | bool | None = None,
    **options: Any,
) -> Model:
    """Train a framing model: one :class:`FramingClassifier` per task over one shared feature union.

    Parameters
    ----------
    data : path, Corpus or iterable of LabeledSentence
        A corpus folder (validated first; errors carry the validator's
        messages; every sentence must label every task) or labelled sentences,
        which may be *partially* labelled: a sentence whose ``labels`` lacks a
        task does not train that task (it still shapes the shared features).
    tasks : str or sequence of str, optional
        Train only this task or these tasks of the schema (default: all).
    schema : Schema, optional
        Tasks and classes, in order. Without it, classes are inferred from the
        labels and multiclass classes sorted by name; pass a schema when the
        order or the poles (``Schema.polar``) matter.
    lexicon : Lexicon, optional
        The lexicon to use instead of the bundled one (see :func:`framing.load_lexicon`).
    config : TrainingConfig, optional
        Hyper-parameters; keyword ``options`` override single fields.
    progress : callable, optional
        Called as ``progress(done, total, message)`` as each step starts.
    sample_weight : sequence of float, or mapping of task to sequence, optional
        Non-negative weights, one per training sentence in the order of
        ``data`` (of ``corpus.sentences`` for a corpus). A sequence weighs
        every task's and the boilerplate head's logistic regression, block
        choice and temperature. A mapping gives each task its own weights
        (key ``"boilerplate"``: the boilerplate head's); a task it leaves out
        weighs every sentence 1. A sentence weighing 0 for a task does not
        train it. ``None``: all weigh 1. (For per-source weights:
        ``[weights[s.source] for s in sentences]``.)
    axis : path, mapping, None or False, optional
        The stance axis (a file, or one read by :func:`framing.features.load_axis`):
        adds the ``stance`` feature block. ``None`` (default): the axis the
        corpus folder's ``schema.json`` names, if any (``labeled/`` names one,
        so ``framing.train("labeled/")`` has the blocks of the bundled model).
        ``False``: no stance block.

    Returns
    -------
    Model

    Raises
    ------
    UnknownTaskError
        A task of ``tasks`` (or a key of ``sample_weight``) the schema does not have.

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
    schema = resolve_tasks(tasks, schema)
    if not sentences:
        raise ValueError("no training sentences")
    task_weights, boilerplate_weights = _weights(sample_weight, len(sentences), schema.task_names)
    if not any(not s.boilerplate for s in sentences):
        raise ValueError("every training sentence is marked boilerplate")
    axis = _resolve_axis(axis, corpus)
    notify = notifier(progress, n_steps(schema, sentences))
    run = fit_run(schema, sentences, config, task_weights=task_weights, boilerplate_weights=boilerplate_weights,
                  lexicon=lexicon, axis=axis, notify=notify)
    return model_of_run(run, schema, sentences, config, corpus=corpus, task_weights=task_weights)


def model_of_run(run: FittedRun, schema: Schema, sentences: Sequence[LabeledSentence], config: TrainingConfig, *,
                 corpus: Corpus | None = None, task_weights: Mapping[str, np.ndarray | None] | None = None,
                 extra_metadata: Mapping[str, Any] | None = None) -> Model:
    """The :class:`Model` of a fitted run, with :func:`training_metadata` (updated by ``extra_metadata``)."""
    metadata = training_metadata(schema, sentences, run.features, config, corpus, task_weights)
    metadata["feature_blocks"] = run.blocks
    metadata.update(extra_metadata or {})
    return Model.from_classifiers(schema, run.classifiers, boilerplate=run.boilerplate, metadata=metadata)


def machine_fingerprint() -> dict[str, str]:
    """The processor and the BLAS kernel that training ran on (recorded with a model, compared by rebuild checks).

    Examples
    --------
    >>> sorted(machine_fingerprint())
    ['blas', 'cpu']
    """
    from threadpoolctl import threadpool_info

    # numpy and scipy may each bring their own BLAS: list every one, in a stable order.
    blas_text = "; ".join(sorted({" ".join(str(info.get(key, "")) for key in ("internal_api", "version", "architecture")).strip()
                                  for info in threadpool_info() if info.get("user_api") == "blas"}))
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), cpu)
    except OSError:  # not Linux: the platform's own name will do
        pass
    return {"cpu": cpu, "blas": blas_text or "unknown"}


def training_metadata(schema: Schema, sentences: Sequence[LabeledSentence], features, config: TrainingConfig,
                      corpus: Corpus | None, task_weights: Mapping[str, np.ndarray | None] | None = None) -> dict[str, Any]:
    """Versions, data and lexicon digests, class counts and the complete configuration of a run (saved with the model).

    ``class_counts`` counts, per task, the content sentences that train it
    (labelled, weighing more than 0 in ``task_weights``).
    """
    if corpus is not None:
        data_hash = corpus.digest()
    else:
        hasher = hashlib.sha256()
        for sentence in sentences:
            hasher.update(json.dumps(sentence.to_record(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        data_hash = hasher.hexdigest()
    lexicon_records = features.named_transformers["lexicon"].lexicon_
    task_weights = task_weights or {}
    counts = {}
    for task in schema.tasks:
        rows = [sentences[i] for i in trained_rows(sentences, task.name, task_weights.get(task.name))]
        counts[task.name] = {class_key(c): sum(1 for s in rows if same_label(s.labels[task.name], c)) for c in task.classes}
    return {
        "framing_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        # The fitted weights depend on the CPU's floating-point kernels in their last digits (and, through the
        # solver's stopping rule, a little more): a rebuild is byte for byte only on the same kind of machine.
        "machine": machine_fingerprint(),
        "training_data_sha256": data_hash,
        "lexicon_sha256": Lexicon.from_records(lexicon_records).digest(),
        "n_training_sentences": len(sentences),
        "n_content_sentences": sum(1 for s in sentences if not s.boilerplate),
        "n_articles": len({s.article for s in sentences if s.article}),
        "class_counts": counts,
        "config": config.to_dict(),
        # Reserved for an evaluation summary; framing.train does not evaluate.
        "evaluation": None,
    }
