"""Quality benchmarks: the project's own corpus and three external human-labelled data sets.

Each ``run_*`` function takes a :class:`Context` and returns a JSON-ready
dict ``{"rows": [...], "details": {...}, "notes": [...]}``; ``rows`` feed the
Markdown table (one row per benchmark, protocol and metric, with a value per
system). A missing data set raises :class:`Skipped` with a one-line reason.

No text from the external data ends up in the results: only scores, counts
and the names of the systems.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = [
    "Context",
    "Skipped",
    "run_seed",
    "run_babe_stratified",
    "run_babe_outlet",
    "run_weasel",
    "run_polnear",
    "run_transfer",
    "babe_sentences",
]

REPO = Path(__file__).resolve().parent.parent
SYSTEMS = ("model", "majority", "lexicon", "tfidf")


class Skipped(Exception):
    """A benchmark cannot run here (missing data); the message is the one-line reason."""


@dataclass(frozen=True)
class Context:
    """What every benchmark needs to know (plain data, picklable for worker processes)."""

    data_root: str
    quick: bool = False
    corpus: str = str(REPO / "labeled")
    random_state: int = 0

    @property
    def bootstrap(self) -> int:
        return 200 if self.quick else 1000


# ---------------------------------------------------------------------- helpers


def _value(scores: Any) -> dict[str, Any]:
    """``{"value", "ci"}`` of a SystemScores' macro-F1."""
    return {"value": _r(scores.macro_f1), "ci": [_r(v) for v in scores.macro_f1_ci] if scores.macro_f1_ci else None}


def _r(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 4)


def _row(benchmark: str, protocol: str, metric: str, n: int, values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"benchmark": benchmark, "protocol": protocol, "metric": metric, "n": int(n), "values": values}


def _macro_rows(result, benchmark: str, protocol: str, positive: str | None = None) -> list[dict[str, Any]]:
    """Rows of macro-F1 (with CI) and, for a binary task, F1 of the positive class, for every system."""
    rows = []
    for task, evaluation in result.tasks.items():
        rows.append(_row(benchmark, protocol, f"{task}: macro-F1", evaluation.n_sentences,
                         {name: _value(scores) for name, scores in evaluation.systems.items()}))
        if positive is not None:
            rows.append(_row(benchmark, protocol, f"{task}: F1 of {positive}", evaluation.n_sentences,
                             {name: {"value": _r(scores.per_class["true"]["f1"]), "ci": None}
                              for name, scores in evaluation.systems.items()}))
    return rows


def _details(result, keep_groups: bool = False) -> dict[str, Any]:
    """The evaluation as a dict; fold group names of external data (URLs, file names) are dropped."""
    details = result.to_dict()
    if not keep_groups:
        for fold in details["folds"]:
            fold.pop("test_groups", None)
    return details


def _subsample_groups(items: Sequence[Any], n_groups: int, seed: int, key=lambda item: item.group) -> list[Any]:
    groups = sorted({key(item) for item in items})
    if len(groups) <= n_groups:
        return list(items)
    chosen = set(random.Random(seed).sample(groups, n_groups))
    return [item for item in items if key(item) in chosen]


def _load(loader, ctx: Context, **kwargs):
    from ._datasets import DatasetMissing

    try:
        return loader(ctx.data_root, **kwargs)
    except DatasetMissing as missing:
        raise Skipped(str(missing)) from None


def _binary_schema(task: str):
    from framing.data import Schema, TaskSpec

    return Schema(tasks=(TaskSpec(task, "binary", (False, True)),))


# ---------------------------------------------------------------------- seed corpus


def run_seed(ctx: Context) -> dict[str, Any]:
    """framing.evaluate on the project's labelled corpus, grouped by article (the shipped recipe)."""
    import framing

    corpus_dir = Path(ctx.corpus)
    sentences_file = corpus_dir / "sentences.jsonl"
    if not sentences_file.is_file() or not sentences_file.read_text(encoding="utf-8").strip():
        raise Skipped(f"seed corpus: no labelled sentences yet in {sentences_file}")
    corpus = framing.read_corpus(corpus_dir)
    options: dict[str, Any] = {}
    notes = []
    if ctx.quick:
        options = {"config": {"calibration": None}, "learning_curve": False}
        notes.append("quick mode: no temperature calibration, no learning curve")
    result = framing.evaluate(corpus, bootstrap=ctx.bootstrap, random_state=ctx.random_state, **options)
    protocol = f"{result.splitter} by article ({result.n_groups} articles)"
    return {
        "rows": _macro_rows(result, "seed corpus (labeled/)", protocol),
        "details": _details(result, keep_groups=True),
        "table": result.format_table(),
        "notes": notes + result.notes,
    }


# ---------------------------------------------------------------------- BABE


def _word_spans(text: str, words: Sequence[str]):
    """Every whole-word, case-insensitive occurrence of the annotators' biased words as ``loaded`` spans."""
    from framing.data import Span

    spans, taken = [], []
    for word in words:
        word = word.strip()
        if not word:
            continue
        for match in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE):
            start, end = match.span()
            if any(start < e and end > s for s, e in taken):
                continue
            taken.append((start, end))
            spans.append(Span(start, end, "loaded", text[start:end]))
    return tuple(sorted(spans, key=lambda s: s.start))


def babe_sentences(items) -> list:
    """BABE rows as LabeledSentence: task ``biased``, article = news link, source = outlet, biased words as spans."""
    import framing

    return [
        framing.LabeledSentence(item.text, {"biased": bool(item.label)}, article=item.group, source=item.outlet,
                                id=f"babe-{k}", spans=_word_spans(item.text, item.extra.get("biased_words", ())))
        for k, item in enumerate(items)
    ]


def _babe(ctx: Context):
    from ._datasets import load_babe

    items = _load(load_babe, ctx)
    notes = []
    if ctx.quick:
        items = random.Random(ctx.random_state).sample(items, min(400, len(items)))
        notes.append(f"quick mode: {len(items)} random sentences")
    sentences = babe_sentences(items)
    n_spans = sum(len(s.spans) for s in sentences)
    notes.append(f"{n_spans} biased-word spans found in the texts (harvested into the lexicon inside each training fold)")
    return sentences, notes


def _babe_config(ctx: Context) -> dict[str, Any]:
    return {"calibration": None}


def run_babe_stratified(ctx: Context) -> dict[str, Any]:
    """BABE, 5-fold stratified CV over sentences (the protocol of the BABE paper)."""
    import framing

    sentences, notes = _babe(ctx)
    result = framing.evaluate(sentences, schema=_binary_schema("biased"), group_by=None, n_splits=5,
                              config=_babe_config(ctx), learning_curve=not ctx.quick, bootstrap=ctx.bootstrap,
                              random_state=ctx.random_state)
    notes.append("model trained without temperature calibration (macro-F1 is unaffected; Brier/ECE are of the "
                 "uncalibrated model)")
    return {"rows": _macro_rows(result, "BABE", "5-fold stratified", positive="biased"),
            "details": _details(result), "notes": notes}


def run_babe_outlet(ctx: Context) -> dict[str, Any]:
    """BABE, 5-fold CV grouped by outlet: no outlet in both training and test data."""
    import framing

    sentences, notes = _babe(ctx)
    n_outlets = len({s.source for s in sentences})
    result = framing.evaluate(sentences, schema=_binary_schema("biased"), group_by="source", n_splits=min(5, n_outlets),
                              config=_babe_config(ctx), learning_curve=False, bootstrap=ctx.bootstrap,
                              random_state=ctx.random_state)
    folds = f"{len(result.folds)}-fold grouped by outlet ({result.n_groups} outlets)"
    return {"rows": _macro_rows(result, "BABE", folds, positive="biased"),
            "details": _details(result), "notes": notes}


# ---------------------------------------------------------------------- wiki-weasel


def run_weasel(ctx: Context) -> dict[str, Any]:
    """Wikipedia weasel/hedge sentences, 5-fold CV (duplicate texts kept in one fold)."""
    import framing

    from ._datasets import load_weasel

    items = _load(load_weasel, ctx)
    notes = ["no learning curve (time); model trained without temperature calibration"]
    if ctx.quick:
        items = random.Random(ctx.random_state).sample(items, min(400, len(items)))
        notes.append(f"quick mode: {len(items)} random sentences")
    sentences = [framing.LabeledSentence(item.text, {"uncertain": bool(item.label)}, article=item.group, id=f"w{k}")
                 for k, item in enumerate(items)]
    result = framing.evaluate(sentences, schema=_binary_schema("uncertain"), group_by="article", n_splits=5,
                              config={"calibration": None}, learning_curve=False, bootstrap=ctx.bootstrap,
                              random_state=ctx.random_state)
    return {"rows": _macro_rows(result, "wiki-weasel", "5-fold (duplicates grouped)", positive="uncertain"),
            "details": _details(result), "notes": notes}


# ---------------------------------------------------------------------- PolNeAR


def _collapse(proba: np.ndarray, columns: Sequence[Sequence[int]]) -> np.ndarray:
    """Sum probability columns into coarser classes (renormalised)."""
    out = np.stack([proba[:, list(group)].sum(axis=1) for group in columns], axis=1)
    totals = out.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    return out / totals


def run_polnear(ctx: Context) -> dict[str, Any]:
    """PolNeAR: train on the train split, evaluate on dev (attribution named/anonymous/none per unit)."""
    import framing
    from framing.evaluation._evaluate import classification_scores, evaluate_holdout

    from ._datasets import POLNEAR_LABELS, load_polnear

    train_items = _load(load_polnear, ctx, split="train")
    dev_items = _load(load_polnear, ctx, split="dev")
    notes = ["labels derived from the BRAT spans by benchmarks/_datasets.py (first annotator of each article); "
             "model trained without temperature calibration"]
    if ctx.quick:
        train_items = _subsample_groups(train_items, 40, ctx.random_state)
        dev_items = _subsample_groups(dev_items, 10, ctx.random_state)
        notes.append(f"quick mode: {len(train_items)} train and {len(dev_items)} dev units")

    from framing.datasets._polnear import polnear_sentences

    # The units with their gold Source / Cue / Content spans: the voice block's tagger learns from the training
    # side's spans (the test side's spans are never read by the model).
    by_unit: dict[tuple[str, str], tuple] = {}
    for sentence in polnear_sentences(Path(ctx.data_root), splits=("train", "dev")):
        by_unit.setdefault((sentence.article.split(":", 2)[2], sentence.text), sentence.spans)

    def convert(items, prefix):
        sentences = []
        for k, item in enumerate(items):
            sentences.append(framing.LabeledSentence(item.text, {"attribution": item.label}, article=item.group,
                                                     source=item.outlet, id=f"{prefix}{k}",
                                                     spans=by_unit.get((item.group, item.text), ())))
        return sentences

    from framing.data import Schema, TaskSpec

    schema = Schema(tasks=(TaskSpec("attribution", "multiclass", tuple(POLNEAR_LABELS)),))
    result = evaluate_holdout(convert(train_items, "t"), convert(dev_items, "d"), schema=schema,
                              config={"calibration": None}, learning_curve=False, bootstrap=ctx.bootstrap,
                              random_state=ctx.random_state)
    n_train_articles = len({item.group for item in train_items})
    n_dev_articles = len({item.group for item in dev_items})
    protocol = f"train ({n_train_articles} articles) -> dev ({n_dev_articles} articles)"
    rows = _macro_rows(result, "PolNeAR", protocol)
    prediction = result.predictions["attribution"]
    y_true, index = prediction["y_true"], prediction["index"]
    classes = schema.classes("attribution")
    none = classes.index("none")
    attributed = [classes.index("named"), classes.index("anonymous")]
    # present / absent: named + anonymous vs none
    y_present = (y_true != none).astype(int)
    present_scores = {
        name: classification_scores(y_present, _collapse(proba, [[none], attributed]), (False, True),
                                    ctx.bootstrap, ctx.random_state)
        for name, proba in prediction["proba"].items()
    }
    rows.append(_row("PolNeAR", protocol, "attribution present: F1", len(y_true),
                     {name: {"value": _r(s.per_class["true"]["f1"]), "ci": None} for name, s in present_scores.items()}))
    rows.append(_row("PolNeAR", protocol, "attribution present/absent: macro-F1", len(y_true),
                     {name: _value(s) for name, s in present_scores.items()}))
    # named vs anonymous, on units whose own text holds the Source span and whose gold label is one of the two
    has_source = np.asarray([dev_items[i].extra.get("has_source_span", False) for i in index], dtype=bool)
    keep = has_source & (y_true != none)
    y_kind = (y_true[keep] == classes.index("anonymous")).astype(int)
    kind_scores = {
        name: classification_scores(y_kind, _collapse(proba[keep], [[attributed[0]], [attributed[1]]]),
                                    ("named", "anonymous"), ctx.bootstrap, ctx.random_state)
        for name, proba in prediction["proba"].items()
    }
    rows.append(_row("PolNeAR", protocol, "named vs anonymous (units with a Source span): macro-F1", int(keep.sum()),
                     {name: _value(s) for name, s in kind_scores.items()}))
    notes.append("named vs anonymous: argmax of P(named) vs P(anonymous) on dev units that contain a Source span "
                 "and carry an attribution, whatever the system predicted for none")
    details = _details(result)
    details["present_absent"] = {name: s.to_dict() for name, s in present_scores.items()}
    details["named_vs_anonymous"] = {name: s.to_dict() for name, s in kind_scores.items()}
    return {"rows": rows, "details": details, "notes": notes}


# ---------------------------------------------------------------------- transfer


def run_transfer(ctx: Context) -> dict[str, Any]:
    """The shipped model, unchanged, on BABE (loaded vs biased), wiki-weasel (hedged vs uncertain), PolNeAR dev."""
    import framing
    from framing.evaluation._evaluate import classification_scores

    from ._datasets import DatasetMissing, load_babe, load_polnear, load_weasel

    model = framing.load()
    rows, details, notes, missing = [], {}, [], []
    plans = [
        ("BABE", load_babe, {}, "loaded", lambda item: bool(item.label), "loaded vs biased"),
        ("wiki-weasel", load_weasel, {}, "hedged", lambda item: bool(item.label), "hedged vs uncertain"),
        ("PolNeAR dev", load_polnear, {"split": "dev"}, "attribution", lambda item: item.label, "attribution vs derived labels"),
    ]
    for name, loader, kwargs, task, gold, metric in plans:
        try:
            items = loader(ctx.data_root, **kwargs)
        except DatasetMissing as error:
            missing.append(str(error))
            continue
        if task not in model.tasks:
            notes.append(f"{name}: the shipped model has no {task!r} task")
            continue
        if ctx.quick:
            items = random.Random(ctx.random_state).sample(items, min(300, len(items)))
        classes = model.classes(task)
        labels = [gold(item) for item in items]
        if any(label not in classes for label in labels):
            notes.append(f"{name}: labels do not match the classes of {task!r}")
            continue
        y_true = np.asarray([classes.index(label) for label in labels])
        proba = model.predict_proba([item.text for item in items], task)
        scores = classification_scores(y_true, proba, classes, ctx.bootstrap, ctx.random_state)
        rows.append(_row(f"transfer: {name}", "shipped model, unchanged", f"{metric}: macro-F1", len(items),
                         {"model": _value(scores)}))
        if classes == (False, True):
            rows.append(_row(f"transfer: {name}", "shipped model, unchanged", f"{metric}: F1 of true", len(items),
                             {"model": {"value": _r(scores.per_class["true"]["f1"]), "ci": None}}))
        details[name] = scores.to_dict()
    if not rows:
        raise Skipped("transfer: " + ("; ".join(missing) if missing else "nothing to evaluate"))
    notes += [f"skipped: {m}" for m in missing]
    details["model"] = {
        "n_training_sentences": model.metadata.get("n_training_sentences"),
        "training_data_sha256": model.metadata.get("training_data_sha256"),
        "framing_version": model.metadata.get("framing_version"),
    }
    return {"rows": rows, "details": details, "notes": notes}
