"""Training: labelled sentences (or a corpus folder) to a :class:`~framing.Model`.

One :class:`FramingClassifier` per task is fitted over one shared feature union,
fitted once on all training sentences; a boilerplate head learns site furniture.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.frozen import FrozenEstimator

from .._util import class_key, same_label
from .._version import __version__
from ..data._corpus import Corpus, CorpusError, CorpusIssue, LabeledSentence, Schema, _check_labels, infer_schema, read_corpus
from ..errors import UnknownTaskError
from ..features._features import shared_analysis
from ..lexicon._lexicon import Lexicon
from ._classifier import FramingClassifier
from ._model import Model

__all__ = ["TrainingConfig", "train", "training_metadata", "Progress"]

#: ``progress(done, total, message)``: called as each step starts (``total`` may be None).
Progress = Callable[[int, "int | None", str], None]


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of :func:`train` (all plain data, saved with the model).

    The fields are :class:`FramingClassifier` parameters of the same names.
    """

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
    block_selection: bool | str = True

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

    def classifier_params(self) -> dict[str, Any]:
        """The :class:`FramingClassifier` keyword arguments of this configuration."""
        params = self.to_dict()
        params["word_ngram_range"] = tuple(self.word_ngram_range)
        params["char_ngram_range"] = tuple(self.char_ngram_range)
        return params

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


def _infer_schema(sentences: Sequence[LabeledSentence]) -> Schema:
    # One rule for sentences and tables (framing.data._corpus.infer_schema): booleans make a binary task, strings a
    # multiclass task (sorted by name; pass a Schema when the order or the poles matter); a task with a single
    # class, or booleans mixed with other labels, is a TableError (a CorpusError) naming the task.
    return infer_schema(sentences)


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
    schema = schema or _infer_schema(sentences)
    issues: list[CorpusIssue] = []
    for index, sentence in enumerate(sentences):
        _check_labels(sentence.labels, schema, "<training data>", index + 1, issues, partial=True)
    if issues:
        raise CorpusError(issues)
    return schema, sentences, None


def _weights(sample_weight, n: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    weights = np.asarray(list(sample_weight), dtype=np.float64)
    if weights.shape != (n,):
        raise ValueError(f"sample_weight must give one weight per training sentence ({n}), got {weights.shape[0]}")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be finite and non-negative")
    return weights


def train(
    data,
    tasks: Sequence[str] | None = None,
    schema: Schema | None = None,
    lexicon: Lexicon | None = None,
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
    sample_weight: Sequence[float] | None = None,
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
    tasks : sequence of str, optional
        Train only these tasks of the schema (default: all).
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
    sample_weight : sequence of float, optional
        One non-negative weight per training sentence, in the order of
        ``data`` (of ``corpus.sentences`` for a corpus): each task's and the
        boilerplate head's logistic regression, block choice and temperature
        weigh the sentences they train on by it. ``None``: all weigh 1. (For
        per-source weights: ``[weights[s.source] for s in sentences]``.)

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
    if config.calibration not in ("temperature", None):
        raise ValueError(f"unknown calibration {config.calibration!r}; available: ['temperature', None]")
    schema, sentences, corpus = _prepare(data, schema)
    if tasks is not None:
        unknown = [t for t in tasks if t not in schema.task_names]
        if unknown:
            raise UnknownTaskError(unknown, schema.task_names)
        schema = schema.restricted(tasks)
    if not sentences:
        raise ValueError("no training sentences")
    weights = _weights(sample_weight, len(sentences))
    if not any(not s.boilerplate for s in sentences):
        raise ValueError("every training sentence is marked boilerplate")
    n_steps = 1 + len(schema.tasks) + (1 if any(s.boilerplate for s in sentences) else 0)
    step = iter(range(n_steps))

    def notify(message: str) -> None:
        if progress is not None:
            progress(next(step), n_steps, message)

    params = config.classifier_params()
    # Every task's inner folds refit the features on the same sentences: tokenise each one once.
    with shared_analysis():
        return _train(schema, sentences, corpus, config, params, lexicon, weights, notify)


def _train(schema, sentences, corpus, config, params, lexicon, weights, notify) -> Model:
    notify("features")
    union = FramingClassifier(lexicon=lexicon, **params).new_features().fit(sentences)
    frozen = FrozenEstimator(union)

    classifiers: dict[str, FramingClassifier] = {}
    blocks: dict[str, str] = {}
    for task in schema.tasks:
        notify(f"task {task.name}")
        rows = [i for i, s in enumerate(sentences) if not s.boilerplate and task.name in s.labels]
        if not rows:
            raise ValueError(f"task {task.name!r} has no training labels")
        classifier = FramingClassifier(lexicon=lexicon, features=frozen, classes=task.classes, **params)
        classifier.fit([sentences[i] for i in rows], [sentences[i].labels[task.name] for i in rows],
                       sample_weight=None if weights is None else weights[rows])
        classifiers[task.name] = classifier
        blocks[task.name] = classifier.blocks_

    boilerplate = None
    if any(s.boilerplate for s in sentences):
        notify("boilerplate")
        boilerplate_params = {**params, "calibration": None, "block_selection": False}
        boilerplate = FramingClassifier(lexicon=lexicon, features=frozen, classes=(False, True), **boilerplate_params)
        boilerplate.fit(sentences, [bool(s.boilerplate) for s in sentences], sample_weight=weights)

    metadata = training_metadata(schema, sentences, union, config, corpus)
    metadata["feature_blocks"] = blocks
    return Model.from_classifiers(schema, classifiers, boilerplate=boilerplate, metadata=metadata)


def training_metadata(schema: Schema, sentences: Sequence[LabeledSentence], features, config: TrainingConfig,
                      corpus: Corpus | None) -> dict[str, Any]:
    """Versions, data and lexicon digests and class counts of a training run (saved with the model)."""
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
            task.name: {class_key(c): sum(1 for s in content if task.name in s.labels and same_label(s.labels[task.name], c))
                        for c in task.classes}
            for task in schema.tasks
        },
        "config": config.to_dict(),
        # Reserved for an evaluation summary; framing.train does not evaluate.
        "evaluation": None,
    }
