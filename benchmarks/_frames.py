"""Frame benchmarks (issue #21): the Policy Frames heads of the shipped recipe, and the generic news frames.

Four jobs (group ``frames``), each returning ``{"rows", "details", "notes"}``
like the jobs of :mod:`benchmarks._quality`:

``frames/own`` (:func:`run_frames_own`)
    The project's multi-label frame labels (recipe source ``frame-labels``,
    ``labeled/frames.jsonl``), leave one source out: train on three of
    anno-lexical, BABE, PolNeAR and ukraine-news-bias plus the recipe's other
    frame sources (the seed frames and FrAC, always on the training side),
    test on the fourth. Per frame and held-out source: ROC AUC, macro-F1 at
    0.5, positives, n and the training rows; the four held-out sources pooled
    (each sentence predicted by the model that did not see its source); the
    macro means. When the label file holds units of round frames_v2 (enriched
    by keyword screens for four thin frames), the same scores on the frames_v1
    units alone (the unbiased sample) are reported too.
``frames/frac`` (:func:`run_frames_frac`)
    FrAC's 131 news-article sentences, after training on everything else:
    ROC AUC per FrAC code and macro-F1 of the code predicted as the argmax.
``frames/articles`` (:func:`run_frames_articles`)
    Article-level presence. Every unit of each PolNeAR (train) and
    ukraine-news-bias article that has frame-labelled sentences is scored
    (:func:`framing.segment`, then the frame heads of the fold that held that
    source out); the article carries a frame when one of its labelled
    sentences does. Each :func:`framing.report._frames.frame_presence` method
    and the share rank the articles, by macro ROC AUC over the frames with at
    least :data:`MIN_POSITIVES` positive articles. Also the zero-shot check on
    the Narrative Frames Corpus (heads trained on every frame source; the
    generic frames mapped to Policy Frames by :data:`NFC_POLICY_FRAMES`, fixed
    before looking).
``frames/nfc`` (:func:`run_frames_nfc`)
    The Narrative Frames Corpus, one article = one document, five folds
    grouped by outlet: ROC AUC of the five generic frames (research only:
    no generic frame set ships).

How the frame heads are trained
-------------------------------
As the shipped model trains them: the recipe ``models/recipe-default.json``
(:func:`framing.data.load_recipe`) gives the schema's frame set ``policy``
(its binary tasks ``frame_<name>``), the sources that weigh one of those
tasks (``seeds``, ``frame-labels``, ``frac``), their weights and the
configuration (:func:`framing.model._recipe.recipe_config`, whose
``task_blocks`` give the frame tasks the n-gram blocks), and
:func:`framing.model._recipe.fit_task_classifiers` fits the shared features
and the frame heads on the training side only (``boilerplate=False``, the
recipe's word lists and axis). A training sentence whose text (case and
spacing aside) is also a held-out sentence is dropped from the training side.

Next to it, on the same sentences and weights, the plain baseline of
:func:`framing.evaluate`: TF-IDF word 1-2 grams + ``char_wb`` 2-5 grams (one
union fitted, unsupervised, on the training texts) and one
``LogisticRegression(class_weight="balanced")`` per frame.

FrAC as a test
--------------
A code's score is the largest probability of its frames (codes 5 and 6 name
two frames each); code 15 ("other") scores ``1 - max`` over the frames.

No text of the external data reaches the results: only counts and scores.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from framing.report._frames import PRESENCE_METHODS  # the aggregations ``frames/articles`` compares

from ._quality import Context, Skipped, _r, _row

logger = logging.getLogger(__name__)

__all__ = [
    "RECIPE",
    "FRAME_SET",
    "NFC_FRAMES",
    "NFC_POLICY_FRAMES",
    "PRESENCE_METHODS",
    "FrameTraining",
    "frame_training",
    "fit_frame_heads",
    "frame_probabilities",
    "tfidf_probabilities",
    "frame_scores",
    "code_scores",
    "article_scores",
    "nfc_documents",
    "run_frames_own",
    "run_frames_frac",
    "run_frames_articles",
    "run_frames_nfc",
]

REPO = Path(__file__).resolve().parent.parent
RECIPE = REPO / "models" / "recipe-default.json"
#: The frame set of the shipped schema these jobs measure.
FRAME_SET = "policy"
#: The recipe sources of the project's frame labels and of FrAC.
OWN_SOURCE = "frame-labels"
FRAC_SOURCE = "frac"
#: The ids of round frames_v2's units (``source``, ``id``), relative to the corpus folder.
V2_UNITS = Path("annotations") / "frames_v2" / "units.jsonl"

#: A held-out source (or article set) counts for a frame's macro mean and worst AUC with at least this many positives.
MIN_POSITIVES = 5
#: The sources whose labelled sentences come from whole articles the data folder holds.
ARTICLE_SOURCES = ("polnear", "ukraine-news-bias")

#: The Narrative Frames Corpus's generic frames: column -> name.
NFC_FRAMES = {"RE": "resolution", "HI": "human_interest", "CO": "conflict", "MO": "moral", "EC": "economic"}
NFC_FILE = Path("narrative-frames") / "articles_metadata.tsv"
#: The Policy Frames each generic frame is read from in the zero-shot check (a unit's score: the largest of them).
#: Fixed in the research round before any NFC number was looked at (benchmarks/frames_experiments.md §3).
NFC_POLICY_FRAMES: dict[str, tuple[str, ...]] = {
    "resolution": ("policy_prescription_and_evaluation",),
    "human_interest": ("health_and_safety", "quality_of_life"),
    "conflict": ("political",),
    "moral": ("morality",),
    "economic": ("economic",),
}
#: ``frames/nfc`` trains article-level heads with :func:`framing.train` (one document per article), in the
#: configuration the research measured best for them (benchmarks/frames_experiments.md §3).
NFC_CONFIG: dict[str, Any] = {"calibration": "temperature", "block_selection": "ngrams", "C": 3.0,
                              "word_ngram_range": (1, 1)}

SYSTEMS = ("model", "tfidf")


# ---------------------------------------------------------------------- the recipe's frame training


@dataclass(frozen=True)
class FrameTraining:
    """What trains the frame heads: the recipe's frame sources, weights and configuration.

    ``pairs`` are ``(source name, sentence)`` of the sources that weigh a frame
    task; ``frames`` and ``tasks`` follow the frame set's order.
    """

    recipe: Any
    schema: Any
    frames: tuple[str, ...]
    tasks: tuple[str, ...]
    weights: Mapping[str, Mapping[str, float]]
    config: Mapping[str, Any]
    lexicon: Any
    pairs: list

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.weights)


def frame_training(ctx: Context, recipe_path: str | Path = RECIPE) -> FrameTraining:
    """The recipe's frame set and frame sources, read from ``ctx.data_root`` (:class:`Skipped` when data is absent).

    In quick mode the configuration drops the temperature calibration (a
    functional check, not a measurement).
    """
    from framing.datasets import DatasetMissing
    from framing.model._recipe import load_recipe, recipe_config, recipe_lexicon, recipe_sentences

    recipe = load_recipe(recipe_path)
    schema = recipe.schema
    if not schema.frame_sets:
        raise Skipped(f"frames: the schema of {recipe_path} has no frame set")
    frame_set = schema.frame_set(FRAME_SET)
    tasks = tuple(frame_set.tasks)
    weights = {source.name: dict(source.weights) for source in recipe.sources
               if any(source.weights.get(task, 0) > 0 for task in tasks)}
    others = [source.name for source in recipe.sources if source.name not in weights]
    config = recipe_config(recipe).to_dict()
    if ctx.quick:
        config["calibration"] = None
    try:
        pairs = recipe_sentences(recipe, ctx.data_root, exclude=others)
        lexicon = recipe_lexicon(recipe, ctx.data_root)
    except DatasetMissing as missing:
        raise Skipped(f"frames: {missing}") from None
    except FileNotFoundError as missing:
        raise Skipped(f"frames: {missing}") from None
    if ctx.quick:
        # Every 4th sentence of the large sources, the seeds whole: a check that every step runs.
        pairs = [pair for k, pair in enumerate(pairs) if pair[0] == "seeds" or k % 4 == 0]
    return FrameTraining(recipe=recipe, schema=schema, frames=tuple(frame_set.frames), tasks=tasks, weights=weights,
                         config=config, lexicon=lexicon, pairs=pairs)


def _text_key(text: str) -> str:
    """The text as compared between the two sides: case and runs of white space aside.

    >>> _text_key("  The  Plan\\nfailed. ") == _text_key("the plan failed.")
    True
    """
    return " ".join(text.lower().split())


def without_texts(pairs: Sequence[tuple[str, Any]], texts: Sequence[str]) -> tuple[list, int]:
    """``pairs`` without the sentences whose text is one of ``texts`` (case and spacing aside), and how many went.

    Examples
    --------
    >>> import framing
    >>> pairs = [("a", framing.LabeledSentence("Prices rose.", {})), ("b", framing.LabeledSentence("Talks", {}))]
    >>> kept, dropped = without_texts(pairs, ["prices  rose."])
    >>> [name for name, _ in kept], dropped
    (['b'], 1)
    """
    held_out = {_text_key(t) for t in texts}
    kept = [(name, s) for name, s in pairs if _text_key(s.text) not in held_out]
    return kept, len(pairs) - len(kept)


def _training_rows(training: FrameTraining, pairs: Sequence[tuple[str, Any]]) -> dict[str, int]:
    """Training sentences of each frame task (labelled, from a source weighing it)."""
    from framing.model._recipe import task_rows

    return {task: len(task_rows(pairs, task, training.weights)) for task in training.tasks}


def fit_frame_heads(training: FrameTraining, train_pairs: Sequence[tuple[str, Any]]):
    """``(features, {task: classifier})``: the recipe's training loop for the frame tasks on ``train_pairs``."""
    from framing.model._recipe import fit_task_classifiers

    features, classifiers, _ = fit_task_classifiers(list(train_pairs), training.schema, training.weights,
                                                    training.config, tasks=list(training.tasks),
                                                    lexicon=training.lexicon, boilerplate=False,
                                                    axis=training.recipe.axis)
    return features, classifiers


def frame_probabilities(features, classifiers: Mapping[str, Any], tasks: Sequence[str],
                        texts: Sequence[str]) -> np.ndarray:
    """``(n, len(tasks))``: P(frame present) of each text, from one feature extraction for every head."""
    from framing.features._union import transform_in_batches
    from framing.model._classifier import softmax

    if not texts:
        return np.zeros((0, len(tasks)))
    X = transform_in_batches(features, list(texts))
    columns = []
    for task in tasks:
        classifier = classifiers[task]
        present = list(classifier.classes_).index(True)
        columns.append(softmax(classifier._logits(X))[:, present])
    return np.column_stack(columns)


def tfidf_probabilities(training: FrameTraining, train_pairs: Sequence[tuple[str, Any]],
                        texts: Sequence[str]) -> np.ndarray:
    """The plain baseline's ``(n, len(tasks))`` probabilities, trained on the same rows and weights as the heads."""
    from sklearn.linear_model import LogisticRegression

    from framing.evaluation._baselines import make_tfidf_pipeline
    from framing.model._recipe import recipe_run, task_rows

    used, _, _ = recipe_run(list(train_pairs), training.weights, list(training.tasks), boilerplate=False)
    union = make_tfidf_pipeline().fit([s.text for s in used])
    X_test = union.transform(list(texts))
    columns = []
    for task in training.tasks:
        rows = task_rows(train_pairs, task, training.weights)
        y = np.asarray([bool(s.labels[task]) for s, _ in rows], dtype=int)
        if len(set(y.tolist())) < 2:
            columns.append(np.full(len(texts), float(y.mean()) if len(y) else 0.0))
            continue
        classifier = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0)
        classifier.fit(union.transform([s.text for s, _ in rows]), y, sample_weight=np.asarray([w for _, w in rows]))
        columns.append(classifier.predict_proba(X_test)[:, 1])
    return np.column_stack(columns)


def _labels(items: Sequence[Any], tasks: Sequence[str]) -> np.ndarray:
    """``(n, len(tasks))`` 0/1 gold labels (every item labels every task)."""
    return np.asarray([[bool(s.labels[task]) for task in tasks] for s in items], dtype=int)


# ---------------------------------------------------------------------- scores


def frame_scores(y: np.ndarray, proba: np.ndarray, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``{name: {"auc", "macro_f1", "positives", "n"}}`` per column; AUC and F1 are None when a column has one class.

    ``macro_f1`` is the mean F1 of present and absent with the frame called present at probability 0.5.

    Examples
    --------
    >>> scores = frame_scores(np.array([[1, 0], [0, 0], [1, 0]]), np.array([[.9, .2], [.1, .3], [.6, .1]]), ["a", "b"])
    >>> scores["a"], scores["b"]["auc"]
    ({'auc': 1.0, 'macro_f1': 1.0, 'positives': 2, 'n': 3}, None)
    """
    from sklearn.metrics import f1_score, roc_auc_score

    out = {}
    for k, name in enumerate(names):
        positives = int(y[:, k].sum())
        both = 0 < positives < len(y)
        auc = roc_auc_score(y[:, k], proba[:, k]) if both else None
        f1 = f1_score(y[:, k], proba[:, k] >= 0.5, average="macro", labels=[0, 1], zero_division=0) if both else None
        out[name] = {"auc": _r(auc), "macro_f1": _r(f1), "positives": positives, "n": int(len(y))}
    return out


def _macro(scores: Mapping[str, Mapping[str, Any]], min_positives: int = MIN_POSITIVES) -> tuple[float | None, int]:
    """Mean AUC over the frames with at least ``min_positives`` positives, and how many frames that is.

    >>> _macro({"a": {"auc": 0.8, "positives": 9}, "b": {"auc": 0.6, "positives": 2}, "c": {"auc": None, "positives": 0}})
    (0.8, 1)
    """
    values = [a["auc"] for a in scores.values() if a["auc"] is not None and a["positives"] >= min_positives]
    return (_r(float(np.mean(values))) if values else None), len(values)


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return _r(float(np.mean(kept))) if kept else None


def _value(value: float | None) -> dict[str, Any]:
    return {"value": value, "ci": None}


def _values(by_system: Mapping[str, float | None]) -> dict[str, dict[str, Any]]:
    return {name: _value(by_system[name]) for name in SYSTEMS}


def _representative(n_train: int, n: int, positives: int) -> bool:
    """The spec's rule for a held-out measurement that speaks for the shipped model (§7)."""
    return n_train >= n and positives >= MIN_POSITIVES


# ---------------------------------------------------------------------- 1. the project's labels, leave one source out


def _unit_key(sentence: Any) -> tuple[str, str]:
    """``(data set, id within it)`` of a frame-labelled sentence, as ``units.jsonl`` of a round names it."""
    source, unit_id = str(sentence.source), str(sentence.id)
    prefix = f"{source}:"
    return source, unit_id[len(prefix):] if unit_id.startswith(prefix) else unit_id


def v2_units(corpus: str | Path) -> set[tuple[str, str]]:
    """``(source, id)`` of the units of round frames_v2 (empty when the round does not exist)."""
    path = Path(corpus) / V2_UNITS
    if not path.is_file():
        return set()
    units = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            try:
                units.add((str(record["source"]), str(record["id"])))
            except KeyError as missing:
                raise ValueError(f"{path}:{number}: field {missing} is missing") from None
    return units


def _held_out_scores(training: FrameTraining, test: Sequence[Any], proba: Mapping[str, np.ndarray],
                     n_train: Mapping[str, int]) -> dict[str, Any]:
    y = _labels(test, training.tasks)
    systems = {name: frame_scores(y, proba[name], training.frames) for name in SYSTEMS}
    for frame, task in zip(training.frames, training.tasks):
        scores = systems["model"][frame]
        scores["representative"] = _representative(n_train[task], scores["n"], scores["positives"])
    return {"n_test": len(test), "systems": systems}


def run_frames_own(ctx: Context) -> dict[str, Any]:
    """Leave one source of ``frame-labels`` out: per-frame ROC AUC and macro-F1, per held-out source and pooled."""
    training = frame_training(ctx)
    own = [s for name, s in training.pairs if name == OWN_SOURCE]
    if not own:
        raise Skipped(f"frames: the recipe source {OWN_SOURCE!r} gave no sentence")
    sources = sorted({s.source for s in own})
    extras = sorted(name for name in training.sources if name != OWN_SOURCE)
    second_round = v2_units(ctx.corpus)
    in_v2 = np.asarray([_unit_key(s) in second_round for s in own])
    y = _labels(own, training.tasks)
    pooled = {name: np.zeros(y.shape) for name in SYSTEMS}
    per_source: dict[str, Any] = {}
    per_source_v1: dict[str, Any] = {}
    for source in sources:
        test_rows = np.asarray([i for i, s in enumerate(own) if s.source == source])
        test = [own[i] for i in test_rows]
        rest = [(name, s) for name, s in training.pairs if not (name == OWN_SOURCE and s.source == source)]
        train_pairs, dropped = without_texts(rest, [s.text for s in test])
        features, classifiers = fit_frame_heads(training, train_pairs)
        texts = [s.text for s in test]
        proba = {"model": frame_probabilities(features, classifiers, training.tasks, texts),
                 "tfidf": tfidf_probabilities(training, train_pairs, texts)}
        n_train = _training_rows(training, train_pairs)
        for name in SYSTEMS:
            pooled[name][test_rows] = proba[name]
        trained_on = sorted({s.source for name, s in train_pairs if name == OWN_SOURCE})
        per_source[source] = {**_held_out_scores(training, test, proba, n_train), "n_train": n_train,
                              "trained_on": trained_on + extras, "dropped_duplicates": dropped}
        v1_rows = np.flatnonzero(~in_v2[test_rows])
        if in_v2[test_rows].any() and len(v1_rows):
            per_source_v1[source] = {**_held_out_scores(training, [test[i] for i in v1_rows],
                                                        {n: p[v1_rows] for n, p in proba.items()}, n_train),
                                     "n_train": n_train}
        logger.info("frames/own: held out %s (%d training sentences dropped as duplicates)", source, dropped)
    pooled_scores = {name: frame_scores(y, pooled[name], training.frames) for name in SYSTEMS}
    macros = {source: {name: _macro(info["systems"][name]) for name in SYSTEMS} for source, info in per_source.items()}
    worst = {name: {f: _worst(per_source, name, f, t) for f, t in zip(training.frames, training.tasks)} for name in SYSTEMS}
    protocol = f"leave one source out of {OWN_SOURCE} ({len(sources)} sources); + {' + '.join(extras)} in training"
    benchmark = "frames: the project's frame labels"
    rows = [
        _row(benchmark, protocol, "pooled held-out predictions: macro ROC AUC over frames", len(y),
             _values({name: _macro(pooled_scores[name], 1)[0] for name in SYSTEMS})),
        _row(benchmark, protocol, "mean over held-out sources of their macro ROC AUC", len(y),
             _values({name: _mean([macros[source][name][0] for source in sources]) for name in SYSTEMS})),
    ]
    for source in sources:
        rows.append(_row(benchmark, protocol, f"held out {source}: macro ROC AUC over the {macros[source]['model'][1]} "
                         f"frames with >= {MIN_POSITIVES} positives", per_source[source]["n_test"],
                         _values({name: macros[source][name][0] for name in SYSTEMS})))
    for frame in training.frames:
        rows.append(_row(benchmark, protocol, f"{frame}: ROC AUC (pooled)", len(y),
                         _values({name: pooled_scores[name][frame]["auc"] for name in SYSTEMS})))
    for frame in training.frames:
        rows.append(_row(benchmark, protocol, f"{frame}: worst representative held-out source's ROC AUC", len(y),
                         _values({name: (worst[name][frame] or {}).get("auc") for name in SYSTEMS})))
    notes = []
    if per_source_v1:
        v1_macros = {source: _macro(info["systems"]["model"])[0] for source, info in per_source_v1.items()}
        rows.append(_row(benchmark, protocol + "; frames_v1 units only", "mean over held-out sources of their macro "
                         "ROC AUC", int((~in_v2).sum()),
                         {"model": _value(_mean(list(v1_macros.values()))),
                          "tfidf": _value(_mean([_macro(i["systems"]["tfidf"])[0] for i in per_source_v1.values()]))}))
        notes.append(f"{int(in_v2.sum())} held-out units come from round frames_v2 (keyword-screened for thin frames); "
                     "details.held_out_v1 scores the frames_v1 units alone")
    from framing.report._reliability import MIN_AUC

    reliable = [f for f in training.frames if worst["model"][f] is not None and worst["model"][f]["auc"] >= MIN_AUC]
    notes.append(f"a held-out source is representative for a frame when its training side is at least as large and "
                 f"it has >= {MIN_POSITIVES} positives of the frame; worst representative AUC >= {MIN_AUC} for "
                 f"{len(reliable)} of {len(training.frames)} frames (model)")
    if ctx.quick:
        notes.append("quick mode: every 4th sentence of the large sources, no calibration")
    details = {
        "recipe": str(RECIPE.relative_to(REPO)), "frame_set": FRAME_SET, "frames": list(training.frames),
        "frame_tasks": list(training.tasks), "sources": {name: dict(w) for name, w in training.weights.items()},
        "config": dict(training.config), "n_sentences": len(y),
        "n_v2_units": int(in_v2.sum()),
        "positives": {f: {source: int(y[[s.source == source for s in own], k].sum()) for source in sources}
                      for k, f in enumerate(training.frames)},
        "pooled": pooled_scores, "held_out": per_source, "held_out_v1": per_source_v1, "worst": worst,
        "reliable_frames": reliable,
    }
    return {"rows": rows, "details": details, "notes": notes}


def _worst(per_source: Mapping[str, Any], system: str, frame: str, task: str) -> dict[str, Any] | None:
    """The lowest AUC of ``frame`` over the representative held-out sources, or None."""
    values = []
    for source, info in per_source.items():
        scores = info["systems"][system][frame]
        if scores["auc"] is not None and _representative(info["n_train"][task], scores["n"], scores["positives"]):
            values.append((scores["auc"], source))
    if not values:
        return None
    auc, source = min(values)
    return {"auc": auc, "held_out": source}


# ---------------------------------------------------------------------- 2. FrAC article sentences


def frac_code(labels: Mapping[str, Any], codes: Mapping[int, Sequence[str]], frame_of: Mapping[str, str]) -> int:
    """The FrAC code a sentence's binary frame labels come from: the code whose frames are exactly the present ones.

    ``frame_of`` maps each frame task to its frame (the frame set's ``tasks`` to its ``frames``).

    Examples
    --------
    >>> codes, frame_of = {1: ("economic",), 5: ("legality", "crime"), 15: ()}, {"f_l": "legality", "f_c": "crime"}
    >>> frac_code({"f_l": True, "f_c": True}, codes, frame_of), frac_code({"f_l": False, "f_c": False}, codes, frame_of)
    (5, 15)
    """
    present = {frame_of[task] for task, value in labels.items() if task in frame_of and value}
    for code, frames in codes.items():
        if set(frames) == present:
            return code
    raise ValueError(f"FrAC labels name frames no single code has: {sorted(present)}")


def code_scores(proba: np.ndarray, frames: Sequence[str], codes: Sequence[int],
                code_frames: Mapping[int, Sequence[str]]) -> np.ndarray:
    """``(n, len(codes))`` scores of FrAC codes from per-frame probabilities (module docstring).

    Examples
    --------
    >>> frames = ["economic", "political", "policy"]
    >>> code_scores(np.array([[0.2, 0.7, 0.4]]), frames, [1, 6, 15], {1: ("economic",), 6: ("political", "policy"),
    ...             15: ()}).round(2).tolist()
    [[0.2, 0.7, 0.3]]
    """
    index = {frame: k for k, frame in enumerate(frames)}
    frame_columns = [index[f] for code in codes for f in code_frames[code]]
    columns = []
    for code in codes:
        members = [index[f] for f in code_frames[code]]
        columns.append(proba[:, members].max(axis=1) if members else 1.0 - proba[:, frame_columns].max(axis=1))
    return np.column_stack(columns)


def run_frames_frac(ctx: Context) -> dict[str, Any]:
    """Train on every frame source except FrAC's news-article sentences; test on those (131)."""
    from sklearn.metrics import f1_score

    from framing.datasets import FRAC_CODES, frac_sentences

    training = frame_training(ctx)
    article_ids = {s.id for s in frac_sentences(ctx.data_root, types=("article",))}
    test = [s for name, s in training.pairs if name == FRAC_SOURCE and s.id in article_ids]
    if not test:
        raise Skipped("FrAC: no sentence of type 'article' among the recipe's FrAC sentences")
    rest = [(name, s) for name, s in training.pairs if not (name == FRAC_SOURCE and s.id in article_ids)]
    train_pairs, dropped = without_texts(rest, [s.text for s in test])
    features, classifiers = fit_frame_heads(training, train_pairs)
    texts = [s.text for s in test]
    proba = {"model": frame_probabilities(features, classifiers, training.tasks, texts),
             "tfidf": tfidf_probabilities(training, train_pairs, texts)}
    code_frames = dict(FRAC_CODES)
    codes = sorted(code_frames)
    frame_of = dict(zip(training.tasks, training.frames))
    gold = np.asarray([frac_code(s.labels, code_frames, frame_of) for s in test])
    y = np.column_stack([gold == code for code in codes]).astype(int)
    names = [str(code) for code in codes]
    frame_codes = [c for c in codes if code_frames[c]]
    framed = gold != 15
    benchmark = "frames: FrAC news-article sentences"
    protocol = (f"train on {' + '.join(sorted(training.sources))} without FrAC's article sentences; "
                "test on FrAC's article sentences")
    details: dict[str, Any] = {"n_train": len(train_pairs), "n_test": len(test), "dropped_duplicates": dropped,
                               "support": {str(c): int((gold == c).sum()) for c in codes}, "systems": {}}
    for name in SYSTEMS:
        scores = code_scores(proba[name], training.frames, codes, code_frames)
        aucs = frame_scores(y, scores, names)
        predicted = np.asarray(codes)[scores.argmax(axis=1)]
        only_frames = code_scores(proba[name], training.frames, frame_codes, code_frames)
        predicted_frames = np.asarray(frame_codes)[only_frames.argmax(axis=1)]
        details["systems"][name] = {
            "auc": {code: {"auc": a["auc"], "positives": a["positives"]} for code, a in aucs.items()},
            "macro_auc": _macro(aucs, 1)[0],
            "macro_f1": _r(f1_score(gold, predicted, labels=codes, average="macro", zero_division=0)),
            "macro_f1_framed": _r(f1_score(gold[framed], predicted_frames[framed], labels=frame_codes,
                                           average="macro", zero_division=0)),
            "accuracy": _r(float(np.mean(predicted == gold))),
        }
    metrics = [("macro_auc", "macro ROC AUC over the 10 codes (one vs rest)"),
               ("macro_f1", "macro-F1, argmax over the 10 codes"),
               ("macro_f1_framed", "macro-F1 over the 9 frame codes, sentences not coded 15"),
               ("accuracy", "accuracy, argmax over the 10 codes")]
    rows = []
    for key, label in metrics:
        n = int(framed.sum()) if key == "macro_f1_framed" else len(gold)
        rows.append(_row(benchmark, protocol, label, n, _values({s: details["systems"][s][key] for s in SYSTEMS})))
    for code, name in zip(codes, names):
        label = "+".join(code_frames[code]) or "other"
        rows.append(_row(benchmark, protocol, f"code {code} ({label}): ROC AUC", len(gold),
                         _values({s: details["systems"][s]["auc"][name]["auc"] for s in SYSTEMS})))
    notes = ["a code's score is the largest probability of its frames; code 15 scores 1 - the largest frame probability"]
    if ctx.quick:
        notes.append("quick mode: every 4th sentence of the large sources, no calibration")
    return {"rows": rows, "details": details, "notes": notes}


# ---------------------------------------------------------------------- 3. article-level presence


def article_scores(proba: np.ndarray, methods: Sequence[str] = PRESENCE_METHODS) -> dict[str, np.ndarray]:
    """``{method: (k,)}``: one article's score per frame by each presence method, and ``"share"``.

    ``proba`` is ``(n_units, k)``; the methods are those of
    :func:`framing.report._frames.frame_presence` (the one aggregation the
    reports use) and the share is :func:`framing.report._frames.frame_shares`.

    Examples
    --------
    >>> scores = article_scores(np.array([[0.9, 0.1], [0.7, 0.3]]))
    >>> scores["max"].tolist(), scores["share"].round(2).tolist()
    ([0.9, 0.3], [0.8, 0.2])
    """
    from framing.report._frames import frame_presence, frame_shares

    out = {method: np.asarray(frame_presence(proba, method=method), dtype=float) for method in methods}
    out["share"] = np.asarray(frame_shares(proba), dtype=float)
    return out


def _article_texts(data_root: str, keys: Sequence[str]) -> dict[str, str]:
    """The full text of each labelled article: ``polnear:<split>/<stem>``, ``ukraine-news-bias:<article>``.

    A ukraine-news-bias article is its stored sentences in order, one a line.
    """
    texts = {}
    for key in keys:
        source, name = key.split(":", 1)
        if source == "polnear":
            split, stem = name.split("/", 1)
            path = Path(data_root) / "polnear" / "data" / split / "text" / f"{stem}.txt"
            texts[key] = path.read_text(encoding="utf-8")
        elif source == "ukraine-news-bias":
            path = Path(data_root) / "ukraine-news-bias" / "articles" / f"{name}.json"
            sentences = json.loads(path.read_text(encoding="utf-8"))["sentences"]
            texts[key] = "\n".join(str(s["content"]).strip() for s in sorted(sentences, key=lambda s: s["position_in_article"]))
        else:
            raise ValueError(f"no full articles for source {source!r}; available: {', '.join(ARTICLE_SOURCES)}")
    return texts


def _unit_texts(text: str) -> list[str]:
    import framing

    return [unit.text for unit in framing.segment(text) if unit.text.strip()]


def _per_article(features, classifiers: Mapping[str, Any], tasks: Sequence[str],
                 units: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """``(n_units, len(tasks))`` probabilities of each article's units, from one feature extraction for all."""
    proba = frame_probabilities(features, classifiers, tasks, [t for article in units for t in article])
    bounds = np.cumsum([0, *(len(article) for article in units)])
    return [proba[start:end] for start, end in zip(bounds[:-1], bounds[1:])]


def _ranking(gold: np.ndarray, scores: Mapping[str, np.ndarray], names: Sequence[str]) -> dict[str, Any]:
    """Per method: per-frame AUC, the macro over frames with >= MIN_POSITIVES positive articles, and how the
    reports' ``present`` (score >= 0.5) does on those frames: the mean F1 of *present* and the share of
    articles called present (gold: ``gold_rate``). The share is no probability: it has no ``present``.
    """
    from sklearn.metrics import f1_score

    counted = [k for k in range(gold.shape[1]) if MIN_POSITIVES <= gold[:, k].sum() < len(gold)]
    out = {}
    for method, values in scores.items():
        per_frame = frame_scores(gold, values, names)
        macro, n_frames = _macro(per_frame)
        out[method] = {"macro_auc": macro, "n_frames": n_frames,
                       "auc": {f: {"auc": s["auc"], "positives": s["positives"]} for f, s in per_frame.items()}}
        if method in PRESENCE_METHODS and counted:
            out[method]["present_f1"] = _r(float(np.mean([f1_score(gold[:, k], values[:, k] >= 0.5, zero_division=0)
                                                          for k in counted])))
            out[method]["present_rate"] = _r(float(np.mean(values[:, counted] >= 0.5)))
            out[method]["gold_rate"] = _r(float(np.mean(gold[:, counted])))
    return out


def _best(ranking: Mapping[str, Mapping[str, Any]], metric: str) -> str:
    """The presence method with the highest ``metric`` (``"macro_auc"`` or ``"present_f1"``) in a ranking.

    >>> _best({"mean": {"macro_auc": 0.8}, "max": {"macro_auc": 0.7}, "share": {"macro_auc": 0.9}}, "macro_auc")
    'mean'
    """
    return max((m for m in PRESENCE_METHODS if m in ranking), key=lambda m: ranking[m].get(metric) or -1.0)


def _methods() -> tuple[str, ...]:
    return (*PRESENCE_METHODS, "share")


def run_frames_articles(ctx: Context) -> dict[str, Any]:
    """Article-level presence on PolNeAR and ukraine-news-bias articles, and the NFC zero-shot check, per method."""
    from scipy.stats import spearmanr

    training = frame_training(ctx)
    own = [s for name, s in training.pairs if name == OWN_SOURCE]
    methods = _methods()
    gold_rows, score_rows, origin = [], {m: [] for m in methods}, []
    details: dict[str, Any] = {"sources": {}}
    for source in ARTICLE_SOURCES:
        labelled = [s for s in own if s.source == source]
        if not labelled:
            continue
        keys = sorted({s.article for s in labelled})
        if ctx.quick:
            keys = keys[::4]
        texts = _article_texts(ctx.data_root, keys)
        units = {key: _unit_texts(texts[key]) for key in keys}
        rest = [(name, s) for name, s in training.pairs if not (name == OWN_SOURCE and s.source == source)]
        held_out_texts = [s.text for s in labelled] + [t for key in keys for t in units[key]]
        train_pairs, dropped = without_texts(rest, held_out_texts)
        features, classifiers = fit_frame_heads(training, train_pairs)
        for key, p in zip(keys, _per_article(features, classifiers, training.tasks, [units[k] for k in keys])):
            for method, values in article_scores(p).items():
                score_rows[method].append(values)
            gold_rows.append(_labels([s for s in labelled if s.article == key], training.tasks).max(axis=0))
            origin.append(source)
        counts = [sum(1 for s in labelled if s.article == key) for key in keys]
        gold_frames = np.vstack(gold_rows[-len(keys):]).sum(axis=1)
        lengths = [len(units[key]) for key in keys]
        details["sources"][source] = {
            "n_articles": len(keys), "n_units": sum(lengths), "dropped_duplicates": dropped,
            "labelled_sentences_per_article": {"mean": _r(float(np.mean(counts))), "max": int(max(counts))},
            # The gold grows with the number of labelled sentences; a method whose score grows with the
            # article's length is favoured as far as that number follows the length.
            "spearman_labelled_sentences_vs_gold_frames": _r(spearmanr(counts, gold_frames).statistic),
            "spearman_units_vs_labelled_sentences": _r(spearmanr(lengths, counts).statistic),
        }
        logger.info("frames/articles: %s, %d articles", source, len(keys))
    if not gold_rows:
        raise Skipped("frames/articles: no frame-labelled sentence from PolNeAR or ukraine-news-bias")
    gold = np.vstack(gold_rows)
    scores = {m: np.vstack(rows) for m, rows in score_rows.items()}
    origin_array = np.asarray(origin)
    details["pooled"] = _ranking(gold, scores, training.frames)
    details["positives"] = dict(zip(training.frames, gold.sum(axis=0).tolist()))
    for source in details["sources"]:
        rows = origin_array == source
        details["sources"][source]["ranking"] = _ranking(gold[rows], {m: s[rows] for m, s in scores.items()},
                                                         training.frames)
    benchmark = "frames: article-level presence"
    protocol = ("PolNeAR train + ukraine-news-bias articles with labelled sentences, every unit scored by the heads "
                "of the fold that held the source out")
    rows = []
    for method in methods:
        pooled = details["pooled"][method]
        rows.append(_row(benchmark, protocol, f"{method}: macro ROC AUC over the {pooled['n_frames']} frames with "
                         f">= {MIN_POSITIVES} positive articles", len(gold), {"model": _value(pooled["macro_auc"])}))
        for source in details["sources"]:
            ranking = details["sources"][source]["ranking"][method]
            rows.append(_row(benchmark, protocol, f"{method}, {source} only: macro ROC AUC ({ranking['n_frames']} "
                             f"frames)", int((origin_array == source).sum()), {"model": _value(ranking["macro_auc"])}))
    details["best_method"] = _best(details["pooled"], "macro_auc")
    details["best_method_present_f1"] = _best(details["pooled"], "present_f1")
    notes = [f"best presence method by the pooled macro AUC: {details['best_method']}; by the F1 of present "
             f"(score >= 0.5): {details['best_method_present_f1']}",
             "gold: an article carries a frame when one of its labelled sentences does; its other sentences are "
             "unlabelled, so a negative article may still carry the frame, and the gold follows how much of the "
             "article carries it (a random sample of its sentences), which favours the mean"]
    nfc = _nfc_zero_shot(ctx, training)
    if nfc is not None:
        details["nfc_zero_shot"] = nfc
        nfc["best_method"] = _best(nfc["ranking"], "macro_auc")
        nfc["best_method_present_f1"] = _best(nfc["ranking"], "present_f1")
        notes.append(f"NFC zero-shot (gold: the whole article judged): best presence method by the macro AUC "
                     f"{nfc['best_method']}, by the F1 of present {nfc['best_method_present_f1']}")
        nfc_protocol = ("heads trained on every frame source; generic frames read from Policy Frames "
                        "(NFC_POLICY_FRAMES); every unit of each article scored")
        for method in methods:
            ranking = nfc["ranking"][method]
            rows.append(_row("frames: NFC zero-shot (articles)", nfc_protocol, f"{method}: macro ROC AUC over the 5 "
                             "generic frames", nfc["n_articles"], {"model": _value(ranking["macro_auc"])}))
    else:
        notes.append("NFC zero-shot check skipped: the Narrative Frames Corpus is not in the data folder")
    if ctx.quick:
        notes.append("quick mode: every 4th article and every 4th sentence of the large sources, no calibration")
    return {"rows": rows, "details": details, "notes": notes}


def _nfc_zero_shot(ctx: Context, training: FrameTraining) -> dict[str, Any] | None:
    """The frame heads trained on every frame source, read as NFC's generic frames at article level."""
    try:
        articles = nfc_documents(ctx)
    except Skipped:
        return None
    if ctx.quick:
        articles = articles[::10]
    names = list(NFC_FRAMES.values())
    features, classifiers = fit_frame_heads(training, training.pairs)
    index = {frame: k for k, frame in enumerate(training.frames)}
    columns = [[index[f] for f in NFC_POLICY_FRAMES[name]] for name in names]
    gold = np.asarray([[a["frames"][n] for n in names] for a in articles], dtype=int)
    score_rows: dict[str, list[np.ndarray]] = {m: [] for m in _methods()}
    units = [_unit_texts(article["text"]) for article in articles]
    n_units = sum(len(u) for u in units)
    for p in _per_article(features, classifiers, training.tasks, units):
        generic = np.column_stack([p[:, c].max(axis=1) for c in columns])
        for method, values in article_scores(generic).items():
            score_rows[method].append(values)
    scores = {m: np.vstack(rows) for m, rows in score_rows.items()}
    return {"n_articles": len(articles), "n_units": n_units, "positives": dict(zip(names, gold.sum(axis=0).tolist())),
            "mapping": {k: list(v) for k, v in NFC_POLICY_FRAMES.items()}, "ranking": _ranking(gold, scores, names)}


# ---------------------------------------------------------------------- 4. Narrative Frames Corpus, article level


def _outlet_key(name: str) -> str:
    """One spelling per outlet: the corpus writes ``"The Huffington Post"`` and ``"thehuffingtonpost"``.

    >>> _outlet_key("The Huffington Post") == _outlet_key("thehuffingtonpost")
    True
    """
    return re.sub(r"[^a-z0-9]", "", name.lower())


def nfc_documents(ctx: Context) -> list[dict[str, Any]]:
    """The Narrative Frames Corpus's labelled articles: ``{"id", "outlet", "text", "frames": {name: bool}}``.

    An article whose row has no frame columns (one in the published file) is
    left out; a stray ``)`` after a boolean (one cell) is ignored.
    """
    path = Path(ctx.data_root) / NFC_FILE
    if not path.is_file():
        raise Skipped(f"Narrative Frames Corpus: file not found: {path}")
    csv.field_size_limit(1 << 30)
    articles = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cells = {column: (row.get(column) or "").strip().rstrip(")") for column in NFC_FRAMES}
            if not all(value in ("True", "False") for value in cells.values()):
                continue
            articles.append({"id": row["ID"], "outlet": _outlet_key(row["source"]), "text": row["text"],
                             "frames": {NFC_FRAMES[c]: value == "True" for c, value in cells.items()}})
    return articles


def _nfc_probabilities(train: Sequence[Any], test_texts: Sequence[str], names: Sequence[str],
                       config: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """``{system: (n_test, len(names))}`` for article documents: :func:`framing.train` and the plain baseline."""
    from sklearn.linear_model import LogisticRegression

    import framing
    from framing.data import Schema, TaskSpec
    from framing.evaluation._baselines import make_tfidf_pipeline

    tasks = [f"frame_{name}" for name in names]
    schema = Schema(tasks=tuple(TaskSpec(task, "binary", (False, True)) for task in tasks), name="generic-frames")
    full = framing.TrainingConfig.from_dict({**framing.TrainingConfig().to_dict(), **dict(config)})
    model = framing.train(list(train), schema=schema, config=full)
    predicted = model.predict_all(list(test_texts))
    out = {"model": np.column_stack([predicted[task][:, list(schema.classes(task)).index(True)] for task in tasks])}
    union = make_tfidf_pipeline().fit([s.text for s in train])
    X_train, X_test = union.transform([s.text for s in train]), union.transform(list(test_texts))
    columns = []
    for task in tasks:
        y = np.asarray([bool(s.labels[task]) for s in train], dtype=int)
        classifier = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0).fit(X_train, y)
        columns.append(classifier.predict_proba(X_test)[:, 1])
    out["tfidf"] = np.column_stack(columns)
    return out


def run_frames_nfc(ctx: Context, config: Mapping[str, Any] | None = None, n_splits: int = 5) -> dict[str, Any]:
    """Narrative Frames Corpus: an article is one document; 5 folds grouped by outlet; ROC AUC of 5 generic frames."""
    from sklearn.model_selection import GroupKFold

    import framing

    articles = nfc_documents(ctx)
    if not (Path(ctx.corpus) / "schema.json").is_file():
        raise Skipped(f"frames: no corpus schema at {ctx.corpus}")
    if ctx.quick:
        articles = articles[::3]
    names = list(NFC_FRAMES.values())
    y = np.asarray([[a["frames"][n] for n in names] for a in articles], dtype=int)
    documents = [framing.LabeledSentence(a["text"], {f"frame_{n}": a["frames"][n] for n in names},
                                         article=f"nfc:{a['id']}", source=a["outlet"], id=f"nfc:{a['id']}")
                 for a in articles]
    groups = [a["outlet"] for a in articles]
    proba = {name: np.zeros(y.shape) for name in SYSTEMS}
    config = dict(NFC_CONFIG if config is None else config)
    if ctx.quick:
        config["calibration"] = None
    folds = list(GroupKFold(n_splits=n_splits).split(np.zeros(len(articles)), groups=groups))
    for train_rows, test_rows in folds:
        fold = _nfc_probabilities([documents[i] for i in train_rows], [documents[i].text for i in test_rows], names,
                                  config)
        for name in SYSTEMS:
            proba[name][test_rows] = fold[name]
    scores = {name: frame_scores(y, proba[name], names) for name in SYSTEMS}
    benchmark = "frames: Narrative Frames Corpus (articles)"
    protocol = f"GroupKFold({n_splits}) by outlet ({len(set(groups))} outlets); one article = one document"
    rows = [_row(benchmark, protocol, "macro ROC AUC over the 5 generic frames", len(articles),
                 _values({name: _macro(scores[name], 1)[0] for name in SYSTEMS}))]
    for frame in names:
        rows.append(_row(benchmark, protocol, f"{frame}: ROC AUC", len(articles),
                         _values({name: scores[name][frame]["auc"] for name in SYSTEMS})))
    details = {"config": config, "n_articles": len(articles), "n_outlets": len(set(groups)),
               "positives": dict(zip(names, y.sum(axis=0).tolist())), "auc": scores}
    return {"rows": rows, "details": details, "notes": ["outlet names normalised (case, spaces, punctuation); "
                                                        "research only: no generic frame set ships"]}

