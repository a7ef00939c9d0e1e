"""Stance toward a mentioned actor (issue 20): the target-stance classifier next to plain TF-IDF baselines.

Measured, every number next to two baselines trained on the same sentences
(TF-IDF word 1-2 grams + ``LogisticRegression(class_weight="balanced")``):

- ``tfidf_blind``: the sentence alone (target-blind);
- ``tfidf_windows``: the sentence with the mention replaced by a mask, plus
  the ±6 tokens left and right of it as two more bags.

Measurements:

1. NewsMTSC ``devtest_rw`` / ``devtest_mt`` macro-F1, trained on NewsMTSC
   train alone and on NewsMTSC train plus the project's own labels.
2. The project's own labels, leave one source out (train on NewsMTSC train
   and the other sources' labels; the NewsMTSC articles of a held-out
   NewsMTSC label are left out of training too): per side (``russia``,
   ``ukraine``) macro one-vs-rest ROC AUC (over the classes present) and
   macro-F1 of the held-out source, and both pooled over the sources.
   Not-actor mentions are trained on (as neutral) but not measured.
3. Grouped 5-fold cross-validation on NewsMTSC train (the tuning protocol).
4. Speed: featurise + predict, mentions per second on one core after
   :meth:`TargetStanceClassifier.from_plain`.

``python -m benchmarks._target [--data DIR] [--skip-cv]`` prints the results and
writes ``benchmarks/results/target/latest.json`` (scores and counts only).
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CLASSES", "SIDES", "OWN_SOURCES", "DEFAULT_PARAMS", "make_baseline", "macro_auc", "macro_f1",
           "run_newsmtsc", "run_leave_one_source_out", "run_newsmtsc_cv", "run_speed", "run_all", "main"]

logger = logging.getLogger(__name__)

CLASSES = ("unfavourable", "neutral", "favourable")
SIDES = ("russia", "ukraine")
OWN_SOURCES = ("anno-lexical", "ukraine-news-bias", "polnear", "newsmtsc", "babe")
#: The classifier's hyper-parameters as chosen by grouped cross-validation on NewsMTSC train.
DEFAULT_PARAMS: dict[str, Any] = {"C": 1.0, "window": 6, "min_df": 2}
BASELINES = ("tfidf_blind", "tfidf_windows")
WINDOW = 6
RESULTS = Path(__file__).resolve().parent / "results" / "target" / "latest.json"


# --- baselines ---------------------------------------------------------------------------------------------------


def _window_texts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(masked sentence, left window, right window) as space-joined normalised tokens."""
    from framing.text import normalise_token, token_spans

    spans = token_spans(text)
    words = [normalise_token(text[s:e]) for s, e in spans]
    inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start] or [0]
    i0, i1 = inside[0], inside[-1]
    masked = words[:i0] + ["TARGETMASK"] + words[i1 + 1:]
    return " ".join(masked), " ".join(words[max(0, i0 - WINDOW):i0]), " ".join(words[i1 + 1:i1 + 1 + WINDOW])


class _Baseline:
    """TF-IDF + logistic regression over the sentence (``blind``) or the masked sentence and two windows."""

    def __init__(self, kind: str):
        if kind not in BASELINES:
            raise ValueError(f"unknown baseline {kind!r}; allowed: {BASELINES}")
        self.kind = kind

    def _bags(self, items) -> list[list[str]]:
        if self.kind == "tfidf_blind":
            return [[m.text for m in items]]
        parts = [_window_texts(m.text, m.start, m.end) for m in items]
        return [[p[k] for p in parts] for k in range(3)]

    def fit(self, items, y, sample_weight=None):
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        bags = self._bags(items)
        self.vectorisers_ = [TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\S+" if self.kind != "tfidf_blind"
                                             else r"(?u)\b\w\w+\b", sublinear_tf=True, min_df=1) for _ in bags]
        matrix = sp.hstack([v.fit_transform(b) for v, b in zip(self.vectorisers_, bags)]).tocsr()
        self.model_ = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000).fit(matrix, y, sample_weight=sample_weight)
        return self

    def predict_proba(self, items) -> np.ndarray:
        import scipy.sparse as sp

        matrix = sp.hstack([v.transform(b) for v, b in zip(self.vectorisers_, self._bags(items))]).tocsr()
        proba = np.zeros((len(items), len(CLASSES)))
        proba[:, self.model_.classes_] = self.model_.predict_proba(matrix)
        return proba


def make_baseline(kind: str) -> _Baseline:
    """A baseline by name (:data:`BASELINES`); fitted on mentions and class indices."""
    return _Baseline(kind)


# --- metrics -----------------------------------------------------------------------------------------------------


def macro_f1(y: np.ndarray, proba: np.ndarray) -> float | None:
    """Macro-F1 of the argmax over the classes present in ``y`` or predicted."""
    from sklearn.metrics import f1_score

    if len(y) == 0:
        return None
    return float(f1_score(y, proba.argmax(axis=1), average="macro", zero_division=0))


def macro_auc(y: np.ndarray, proba: np.ndarray) -> float | None:
    """Mean one-vs-rest ROC AUC over the classes that have both positive and negative items in ``y``.

    Examples
    --------
    >>> macro_auc(np.array([0, 1, 1]), np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.1, 0.9, 0.0]]))
    1.0
    """
    from sklearn.metrics import roc_auc_score

    scores = [roc_auc_score(y == k, proba[:, k]) for k in range(len(CLASSES)) if 0 < (y == k).sum() < len(y)]
    return float(np.mean(scores)) if scores else None


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


# --- data --------------------------------------------------------------------------------------------------------


def _index(labels: Sequence[str]) -> np.ndarray:
    return np.asarray([CLASSES.index(label) for label in labels], dtype=np.int64)


def _newsmtsc_split(root, split: str):
    from framing.datasets import newsmtsc_targets
    from framing.features._target import Mention

    targets = newsmtsc_targets(root, split)
    return [Mention(t.text, t.start, t.end, t.voice == "quoted") for t in targets], _index([t.stance for t in targets])


def _fit_all(items, y, sample_weight=None, params=None) -> dict[str, Any]:
    from framing.model._target import TargetStanceClassifier

    models: dict[str, Any] = {"target_stance": TargetStanceClassifier(**(params or DEFAULT_PARAMS))}
    models.update({name: make_baseline(name) for name in BASELINES})
    for name, model in models.items():
        model.fit(items, y if name != "target_stance" else np.asarray(CLASSES)[y], sample_weight=sample_weight)
    return models


# --- measurements ------------------------------------------------------------------------------------------------


def run_newsmtsc(root, labels_file=None, params=None) -> dict[str, Any]:
    """Macro-F1 on ``devtest_rw`` and ``devtest_mt`` of the classifier and both baselines, per training set."""
    from framing.model._target import target_training_items

    tests = {split: _newsmtsc_split(root, split) for split in ("devtest_rw", "devtest_mt")}
    out: dict[str, Any] = {}
    for name, sources in (("newsmtsc_train", ("newsmtsc",)), ("newsmtsc_train+own_labels", ("newsmtsc", "targets"))):
        items, y, _, _ = target_training_items(root, labels_file, sources=sources)
        started = time.perf_counter()
        models = _fit_all(items, _index(y), params=params)
        fitted = time.perf_counter() - started
        out[name] = {"n_train": len(items), "fit_seconds": round(fitted, 1)}
        for split, (test_items, test_y) in tests.items():
            proba = {model: m.predict_proba(test_items) for model, m in models.items()}
            out[name][split] = {model: _r(macro_f1(test_y, p)) for model, p in proba.items()}
            out[name][split]["macro_auc"] = {model: _r(macro_auc(test_y, p)) for model, p in proba.items()}
            out[name][split]["n"] = len(test_items)
    return out


def _side_scores(y: np.ndarray, proba: np.ndarray) -> dict[str, Any]:
    return {"n": int(len(y)), "auc": _r(macro_auc(y, proba)) if len(y) else None, "macro_f1": _r(macro_f1(y, proba))}


def run_leave_one_source_out(root, labels_file=None, params=None) -> dict[str, Any]:
    """Own labels, one source held out at a time: per side AUC and macro-F1 of the classifier and the baselines."""
    from framing.datasets import target_label_items
    from framing.model._target import target_training_items

    items, labels, groups, origins = target_training_items(root, labels_file, sources=("newsmtsc", "targets"))
    own = target_label_items(root, labels_file)
    offset = int((origins == "newsmtsc").sum())
    if len(items) - offset != len(own):
        raise RuntimeError("the own labels do not line up with target_training_items")
    y = _index(labels)
    sides = np.asarray([""] * offset + [item.side for item in own])
    measured = np.asarray([False] * offset + [not item.not_actor for item in own])
    pooled: dict[str, dict[str, list]] = {m: {side: [[], []] for side in SIDES} for m in ("target_stance",) + BASELINES}
    out: dict[str, Any] = {"sources": {}}
    for source in OWN_SOURCES:
        held = origins == "targets:" + source
        if not held.any():
            continue
        held_groups = set(groups[held])
        train = ~held & ~np.isin(groups, list(held_groups))
        test = held & measured
        models = _fit_all([items[i] for i in np.where(train)[0]], y[train], params=params)
        test_items = [items[i] for i in np.where(test)[0]]
        record: dict[str, Any] = {"n_train": int(train.sum()), "n_test": int(test.sum())}
        for name, model in models.items():
            proba = model.predict_proba(test_items)
            record[name] = {}
            for side in SIDES:
                on_side = sides[test] == side
                record[name][side] = _side_scores(y[test][on_side], proba[on_side])
                pooled[name][side][0].append(y[test][on_side])
                pooled[name][side][1].append(proba[on_side])
        out["sources"][source] = record
    out["pooled"] = {name: {side: _side_scores(np.concatenate(parts[0]), np.concatenate(parts[1]))
                            for side, parts in by_side.items()} for name, by_side in pooled.items()}
    return out


def run_newsmtsc_cv(root, params=None, folds: int = 5) -> dict[str, Any]:
    """Grouped (by article) k-fold macro-F1 on NewsMTSC train: the protocol the hyper-parameters were chosen by."""
    from sklearn.model_selection import GroupKFold

    from framing.model._target import target_training_items

    items, labels, groups, _ = target_training_items(root, sources=("newsmtsc",))
    y = _index(labels)
    scores: dict[str, list[float]] = {}
    for train, test in GroupKFold(folds).split(items, y, groups):
        models = _fit_all([items[i] for i in train], y[train], params=params)
        for name, model in models.items():
            scores.setdefault(name, []).append(macro_f1(y[test], model.predict_proba([items[i] for i in test])))
    return {name: {"macro_f1": _r(np.mean(v)), "sd": _r(np.std(v))} for name, v in scores.items()} | {"folds": folds}


def run_speed(model, items, repeats: int = 3) -> dict[str, Any]:
    """Mentions per second, featurise + predict, after a ``to_plain`` / ``from_plain`` round trip (best of ``repeats``).

    One call over ``items``: sentences with several mentions are analysed once (as when an article is scored).
    """
    from framing.model._target import TargetStanceClassifier

    plain = TargetStanceClassifier.from_plain(*model.to_plain())
    difference = float(np.abs(plain.predict_proba(items) - model.predict_proba(items)).max())
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        plain.predict_proba(items)
        best = min(best, time.perf_counter() - started)
    return {"mentions": len(items), "seconds": round(best, 3), "mentions_per_second": round(len(items) / best),
            "max_abs_difference_after_from_plain": difference}


def run_all(root, labels_file=None, cv: bool = True) -> dict[str, Any]:
    """Every measurement of this module, as one JSON-ready dict."""
    from framing.model._target import TargetStanceClassifier, target_training_items

    results: dict[str, Any] = {"params": DEFAULT_PARAMS, "python": platform.python_version()}
    results["newsmtsc_devtest"] = run_newsmtsc(root, labels_file)
    results["own_labels_leave_one_source_out"] = run_leave_one_source_out(root, labels_file)
    if cv:
        results["newsmtsc_train_grouped_cv"] = run_newsmtsc_cv(root)
    items, labels, _, _ = target_training_items(root, labels_file)
    model = TargetStanceClassifier(**DEFAULT_PARAMS).fit(items, labels)
    test_items, _ = _newsmtsc_split(root, "devtest_rw")
    test_mt, _ = _newsmtsc_split(root, "devtest_mt")
    results["speed"] = run_speed(model, test_items + test_mt)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    from framing.datasets import DatasetMissing, resolve_data_root

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="external data folder (default $FRAMING_DATA or ../shared/data)")
    parser.add_argument("--labels", default=None, help="target label file (default labeled/targets.jsonl)")
    parser.add_argument("--skip-cv", action="store_true", help="leave out the grouped CV on NewsMTSC train")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    try:
        results = run_all(resolve_data_root(args.data), args.labels, cv=not args.skip_cv)
    except DatasetMissing as error:
        print(f"skipped: {error}")
        return 0
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# --- jobs of the benchmark runner (python -m benchmarks --only stance) ----------------------------------------------


def _recipe_params() -> dict[str, Any]:
    """The shipped recipe's classifier parameters (what the benchmark measures is what ships)."""
    from framing.model._recipe import load_recipe

    from ._quality import REPO

    section = load_recipe(REPO / "models" / "recipe-default.json").target_stance or {}
    return dict(section.get("params") or DEFAULT_PARAMS)


def _measured(measure, ctx) -> dict[str, Any]:
    """``measure(data root, the project's target labels, the recipe's parameters)``; a missing data set skips the job."""
    from framing.datasets import DatasetMissing

    from ._quality import REPO, Skipped

    try:
        return measure(ctx.data_root, REPO / "labeled" / "targets.jsonl", params=_recipe_params())
    except DatasetMissing as error:
        raise Skipped(str(error)) from None


def _job_rows(benchmark: str, protocol: str, metric: str, n: int, values: dict[str, Any]) -> dict[str, Any]:
    from ._quality import _row

    return _row(benchmark, protocol, metric, n, {("model" if name == "target_stance" else name): {"value": value, "ci": None}
                                                 for name, value in values.items()})


def run_stance_newsmtsc(ctx) -> dict[str, Any]:
    """Job ``stance/newsmtsc``: devtest_rw and devtest_mt macro-F1 (and macro AUC) next to the TF-IDF baselines."""
    details = _measured(run_newsmtsc, ctx)
    rows = []
    for training, result in details.items():
        for split in ("devtest_rw", "devtest_mt"):
            scores = result[split]
            rows.append(_job_rows(f"stance: NewsMTSC {split}", f"trained on {training}", "macro_f1", scores["n"],
                                  {name: scores[name] for name in ("target_stance", *BASELINES)}))
            rows.append(_job_rows(f"stance: NewsMTSC {split}", f"trained on {training}", "macro_auc", scores["n"],
                                  scores["macro_auc"]))
    return {"rows": rows, "details": details}


def run_stance_loso(ctx) -> dict[str, Any]:
    """Job ``stance/own-loso``: the project's target labels, one source held out at a time, per side."""
    details = _measured(run_leave_one_source_out, ctx)
    rows = []
    for source, record in details["sources"].items():
        for side in SIDES:
            n = record["target_stance"][side]["n"]
            if n:
                rows.append(_job_rows(f"stance: own labels, held out {source}", f"stance toward {side}",
                                      "macro_auc", n, {name: record[name][side]["auc"] for name in ("target_stance", *BASELINES)}))
    for side in SIDES:
        pooled = details["pooled"]
        rows.append(_job_rows("stance: own labels, every source held out in turn", f"stance toward {side}, pooled",
                              "macro_auc", pooled["target_stance"][side]["n"],
                              {name: pooled[name][side]["auc"] for name in ("target_stance", *BASELINES)}))
    return {"rows": rows, "details": details}
