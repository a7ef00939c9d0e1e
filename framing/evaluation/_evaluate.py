"""Grouped cross-validation of the framing recipe against simple baselines.

:func:`evaluate` splits a labelled corpus into folds by article (or by outlet),
and for every fold trains everything that learns from labels on the training
part only: :func:`framing.train` (so the harvested lexicon terms, the n-gram
vocabularies, the classifiers and the temperature are all fold-internal) and
each baseline. Every content sentence is predicted exactly once, by the fold
that holds it out; metrics are computed on these pooled out-of-fold
predictions. A sentence counts for a task only when it carries that task's
label, as in :func:`framing.train`.

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

Each baseline is a scikit-learn estimator (``Pipeline`` for the last two, see
:func:`~framing.evaluation._baselines.make_baseline`) whose out-of-fold
probabilities come from ``sklearn.model_selection.cross_val_predict`` with
``cv`` the evaluation's folds.

Metrics (per task and system)
-----------------------------
- macro-F1 over the classes that occur in the gold labels of the evaluated
  sentences (a class with no gold sentence is listed with support 0 but not
  averaged; predicting it still costs recall elsewhere), accuracy, and
  per-class precision, recall, F1 and support (``sklearn.metrics``);
- the confusion matrix (rows gold, columns predicted, schema class order);
- a 95% confidence interval of macro-F1 from the package's one bootstrap
  (:func:`framing._util.bootstrap_interval`, percentile method, the resamples
  ``scipy.stats.bootstrap`` draws), resampling *sentences* with replacement
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
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._util import BOILERPLATE
from ..data import Schema
from ..errors import UnknownTaskError
from ..features import shared_analysis
from ..model._training import TrainingConfig, _prepare, _resolve_axis
from ._baselines import BASELINES, make_tfidf_pipeline
from ._cv import LEARNING_CURVE_FRACTIONS, MAX_LOGO_GROUPS, Progress, evaluate_folds, groups_of, make_folds
from ._metrics import ECE_BINS, SystemScores, classification_scores, expected_calibration_error, macro_f1
from ._results import EvaluationResult, TaskEvaluation

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
            tasks = [tasks]  # one task's name, not the letters of one
        task_list = list(tasks)
        unknown = [t for t in task_list if t not in schema.task_names]
        if unknown:
            raise UnknownTaskError(unknown[0] if len(unknown) == 1 else unknown, schema.task_names)
    if BOILERPLATE in task_list:
        # The boilerplate head is trained, never evaluated as a task.
        raise UnknownTaskError(BOILERPLATE, schema.task_names)
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
    axis: Any = None,
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
    axis : path, mapping, None or False, default=None
        The slant axis whose stance block the models get, as in :func:`framing.train`: None takes the axis
        a corpus folder's ``schema.json`` names (so the model evaluated is the one ``framing.train`` builds
        from that folder); False: no stance block.

    Returns
    -------
    EvaluationResult
        ``result.format_table()`` for a terminal, ``result.to_dict()`` for JSON.

    Raises
    ------
    CorpusError
        When a corpus path does not validate.
    UnknownTaskError
        For an unknown task (a ``KeyError``), naming it and the available ones.
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
    axis = _resolve_axis(axis, corpus)
    content = np.asarray([i for i, s in enumerate(sentences) if not s.boilerplate], dtype=int)
    if len(content) == 0:
        raise ValueError("no content (non-boilerplate) sentences to evaluate")
    groups = groups_of(sentences, group_by)
    notes: list[str] = []
    # A sentence without the first task's label is a stratum of its own.
    stratify_on = [sentences[i].labels.get(task_list[0]) for i in content]
    folds, splitter = make_folds(sentences, content, groups, group_by, n_splits, stratify_on, random_state)
    n_groups = len({groups[i] for i in content})
    if group_by is not None and n_groups <= MAX_LOGO_GROUPS:
        notes.append(f"only {n_groups} groups: scores vary a lot with the held-out {group_by}, and the sentence "
                     "bootstrap ignores that sentences of one group are correlated")
    logger.info("evaluating %s on %d sentences, %s", task_list, len(content), splitter)
    # Every fold, baseline and learning-curve point tokenises the same sentences: once is enough.
    with shared_analysis():
        return evaluate_folds(sentences, schema, corpus, folds, splitter, group_by, groups, task_list, baseline_list,
                               learning_curve, bootstrap, random_state, config, progress, n_jobs, started, notes, axis)


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
    result = evaluate_folds(sentences, schema, test_corpus, [(train_rows, test_rows)], "holdout", None, groups,
                             task_list, baseline_list, learning_curve, bootstrap, random_state, config, progress, 1,
                             started, [])
    for prediction in result.predictions.values():
        prediction["index"] = prediction["index"] - n_train
    result.n_boilerplate = sum(1 for s in test_sentences if s.boilerplate)
    result.n_groups = 2
    result.folds[0]["test_groups"] = None
    return result
