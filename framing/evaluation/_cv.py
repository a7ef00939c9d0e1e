"""Grouped folds, the per-fold model runs, and the pooling of out-of-fold predictions into scores.

A sentence counts for a task only when it carries that task's label (as in
:func:`framing.train`): each task is scored on its own labelled, held-out
content sentences, and its baselines train on the labelled content sentences
of each training fold.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._util import class_key as _class_key
from .._util import label_index, polar_index
from ..data import Corpus, LabeledSentence, Schema
from ..model import _training
from ..model._training import TrainingConfig
from ._baselines import make_baseline, out_of_fold_proba
from ._metrics import _bootstrap_ci, classification_scores, macro_f1
from ._results import MODEL, EvaluationResult, TaskEvaluation

logger = logging.getLogger(__name__)

__all__ = ["LEARNING_CURVE_FRACTIONS", "MAX_LOGO_GROUPS", "make_folds", "groups_of", "evaluate_folds"]

#: Fractions of each training fold used for the learning curve (1.0 is the main run).
LEARNING_CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)

#: With at most this many groups, ``n_splits=None`` means leave-one-group-out.
MAX_LOGO_GROUPS = 10

Progress = Callable[..., None] | None


def groups_of(sentences: Sequence[LabeledSentence], group_by: str | None) -> list[str]:
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


def make_folds(sentences: Sequence[LabeledSentence], content: np.ndarray, groups: Sequence[str],
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


@dataclass
class _FoldOutput:
    fold: int
    test_rows: np.ndarray
    proba: dict[str, np.ndarray]  # task -> model probabilities of every test row, (n_test, n_classes)
    curve: dict[float, dict[str, np.ndarray]]  # fraction -> task -> model probabilities of every test row
    curve_rows: dict[float, np.ndarray]  # fraction -> the training rows of the subset
    n_train: int
    curve_n_train: dict[float, int]
    notes: list[str]


def _run_fold(fold: int, sentences: Sequence[LabeledSentence], train_rows: np.ndarray, test_rows: np.ndarray,
              schema: Schema, tasks: Sequence[str], fractions: Sequence[float], config: TrainingConfig,
              random_state: int, notify: Callable[[str], None], axis: Mapping[str, Any] | None = None) -> _FoldOutput:
    """Train the model on one training fold (and on its learning-curve subsets); predict the test fold."""
    train_sentences = [sentences[i] for i in train_rows]
    test_texts = [sentences[i].text for i in test_rows]
    notes: list[str] = []
    notify("training the model")
    # The axis (as framing.train gives a corpus folder) adds the stance block: the model evaluated is the one trained.
    model = _training.train(train_sentences, tasks=list(tasks), schema=schema, config=config, axis=axis or False)
    predicted = model.predict_all(test_texts)
    proba = {task: predicted[task] for task in tasks}
    curve: dict[float, dict[str, np.ndarray]] = {}
    curve_rows: dict[float, np.ndarray] = {}
    curve_n: dict[float, int] = {}
    rng = np.random.default_rng([random_state, fold])
    for fraction in fractions:
        if fraction >= 1.0:
            continue
        size = max(2, int(round(fraction * len(train_sentences))))
        subset_positions = np.sort(rng.permutation(len(train_sentences))[:size])
        subset = [train_sentences[i] for i in subset_positions]
        notify(f"learning curve {fraction:g}")
        try:
            sub_model = _training.train(subset, tasks=list(tasks), schema=schema, axis=axis or False,
                                        config=TrainingConfig.from_dict({**config.to_dict(), "calibration": None}))
        except ValueError as error:
            notes.append(f"learning curve at {fraction:g} skipped in fold {fold + 1}: {error}")
            continue
        curve_rows[fraction] = train_rows[subset_positions]
        curve_n[fraction] = sum(1 for s in subset if not s.boilerplate)
        predicted = sub_model.predict_all(test_texts)
        curve[fraction] = {task: predicted[task] for task in tasks}
    n_train = sum(1 for s in train_sentences if not s.boilerplate)
    return _FoldOutput(fold, test_rows, proba, curve, curve_rows, n_train, curve_n, notes)


def _no_notify(message: str) -> None:
    return None


def _run_folds(sentences, schema, folds, tasks, fractions, config, random_state, n_jobs, report, state,
               steps_per_fold, axis=None) -> list[_FoldOutput]:
    outputs: list[_FoldOutput] = []
    if n_jobs == 1 or len(folds) == 1:
        for k, (train_rows, test_rows) in enumerate(folds):
            def notify(stage: str, k: int = k) -> None:
                report(f"fold {k + 1}/{len(folds)}: {stage}")
                state["done"] += 1

            outputs.append(_run_fold(k, sentences, train_rows, test_rows, schema, tasks, fractions, config,
                                     random_state, notify, axis))
            logger.info("fold %d/%d done", k + 1, len(folds))
        return outputs
    from joblib import Parallel, delayed

    report(f"{len(folds)} folds in parallel")
    jobs = (delayed(_run_fold)(k, sentences, train_rows, test_rows, schema, tasks, fractions, config,
                               random_state, _no_notify, axis) for k, (train_rows, test_rows) in enumerate(folds))
    for output in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
        outputs.append(output)
        state["done"] += steps_per_fold
        report(f"fold {output.fold + 1} done ({len(outputs)}/{len(folds)})")
    outputs.sort(key=lambda o: o.fold)
    return outputs


def _task_folds(labelled_rows: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``folds`` as positions into ``labelled_rows`` (a task's labelled content rows, sorted)."""
    return [(np.flatnonzero(np.isin(labelled_rows, train)), np.flatnonzero(np.isin(labelled_rows, test)))
            for train, test in folds]


def evaluate_folds(sentences: list[LabeledSentence], schema: Schema, corpus: Corpus | None,
                   folds: list[tuple[np.ndarray, np.ndarray]], splitter: str, group_by: str | None,
                   groups: Sequence[str], tasks: Sequence[str], baselines: Sequence[str], learning_curve: bool,
                   bootstrap: int, random_state: int, config: TrainingConfig, progress: Progress,
                   n_jobs: int, started: float, notes: list[str], axis: Mapping[str, Any] | None = None) -> EvaluationResult:
    """Run every fold, then score each task on its labelled held-out sentences against the baselines."""
    fractions = LEARNING_CURVE_FRACTIONS if learning_curve else ()
    steps_per_fold = 1 + sum(1 for f in fractions if f < 1.0)
    total = steps_per_fold * len(folds) + (1 if baselines else 0)
    state = {"done": 0}

    def report(message: str) -> None:
        if progress is not None:
            progress(state["done"], total, message)

    outputs = _run_folds(sentences, schema, folds, tasks, fractions, config, random_state, n_jobs, report, state,
                         steps_per_fold, axis)
    state["done"] = steps_per_fold * len(folds)
    for output in outputs:
        notes.extend(output.notes)
    if baselines:
        report("baselines")
    systems = [MODEL, *baselines]
    test_rows = np.concatenate([o.test_rows for o in outputs])
    order = np.argsort(test_rows, kind="stable")
    test_rows = test_rows[order]
    fold_of_row = dict(zip(test_rows.tolist(), np.concatenate([np.full(len(o.test_rows), o.fold) for o in outputs])[order].tolist()))
    content = np.asarray([i for i, s in enumerate(sentences) if not s.boilerplate], dtype=int)
    curve_fractions = [f for f in fractions if f < 1.0 and all(f in o.curve for o in outputs)]
    result_tasks: dict[str, TaskEvaluation] = {}
    predictions: dict[str, dict[str, Any]] = {}
    for t_index, task in enumerate(tasks):
        spec = schema.task(task)
        n_classes = len(spec.classes)
        # The task's evaluated rows: held-out content sentences that carry its label.
        is_labelled = np.asarray([task in sentences[i].labels for i in test_rows], dtype=bool)
        rows = test_rows[is_labelled]
        y_true = np.asarray([spec.classes.index(sentences[i].labels[task]) for i in rows], dtype=int)
        fold_of = np.asarray([fold_of_row[i] for i in rows.tolist()], dtype=int)
        stacked = {MODEL: np.vstack([o.proba[task] for o in outputs])[order][is_labelled]}
        # Baselines train on the labelled content sentences of each training fold (cross_val_predict over them).
        labelled_content = np.asarray([i for i in content if task in sentences[i].labels], dtype=int)
        items = [sentences[i] for i in labelled_content]
        y_all = np.asarray([spec.classes.index(s.labels[task]) for s in items], dtype=int)
        task_folds = _task_folds(labelled_content, folds)
        evaluated = np.flatnonzero(np.isin(labelled_content, rows))
        inputs = {"majority": np.zeros((len(items), 1)), "lexicon": items, "tfidf": [s.text for s in items]}
        for name in baselines:
            X = inputs[name]  # the lexicon block harvests the cue spans of the LabeledSentence objects
            stacked[name] = out_of_fold_proba(make_baseline(name, config), X, y_all, task_folds, n_classes)[evaluated]
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
            if fraction not in curve_fractions:
                continue
            point = {"fraction": float(fraction), "n_train": float(np.mean([o.curve_n_train[fraction] for o in outputs]))}
            curve_proba = np.vstack([o.curve[fraction][task] for o in outputs])[order][is_labelled]
            point[MODEL] = float(macro_f1(y_true, curve_proba.argmax(axis=1), present))
            if "tfidf" in baselines:
                subset_folds = _task_folds(labelled_content, [(o.curve_rows[fraction], test) for o, (_, test) in zip(outputs, folds)])
                tfidf = out_of_fold_proba(make_baseline("tfidf", config), inputs["tfidf"], y_all, subset_folds, n_classes)[evaluated]
                point["tfidf"] = float(macro_f1(y_true, tfidf.argmax(axis=1), present))
            curve.append(point)
        classes = [_class_key(c) for c in spec.classes]
        result_tasks[task] = TaskEvaluation(
            name=task,
            classes=classes,
            n_sentences=len(y_true),
            support={c: int(np.sum(y_true == k)) for k, c in enumerate(classes)},
            systems=scores,
            learning_curve=curve,
            articles=_article_level(corpus, sentences, rows, y_true, stacked, spec, systems),
        )
        predictions[task] = {"index": rows, "y_true": y_true, "proba": stacked, "fold": fold_of}
    state["done"] = total
    report("scoring")
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
