"""Frame benchmarks (issue #21): Policy Frames as one binary task per frame, and the generic news frames.

Three jobs, each returning ``{"rows", "details", "notes"}`` like the jobs of
:mod:`benchmarks._quality`:

``run_frames_own``
    The project's multi-label frame labels (``labeled/frames.jsonl``, codebook
    §7.1), leave one source out: train on three of anno-lexical, BABE,
    PolNeAR and ukraine-news-bias (plus the extra training sets of the
    design), test on the fourth. ROC AUC of every frame on each held-out
    source and on the four held-out sources pooled (each sentence predicted
    by the model that did not see its source), and the macro mean over frames.
``run_frames_frac``
    FrAC's 131 news-article sentences, after training on everything else
    (the project labels and FrAC's reader comments): ROC AUC per FrAC code and
    macro-F1 of the single code predicted as the argmax over the codes.
``run_frames_nfc``
    The Narrative Frames Corpus, one article = one document, five folds
    grouped by outlet (``GroupKFold``, no shuffling): ROC AUC of the five
    generic frames.

The model is :func:`framing.train` with a :class:`~framing.Schema` of binary
tasks ``frame_<name>``; everything it learns from labels (vocabulary, harvested
terms, classifiers, temperature) is fitted on the training side of each split.
Next to it, on the same sentences and weights, the plain baseline of
:func:`framing.evaluate`: TF-IDF word 1-2 grams + ``char_wb`` 2-5 grams (one
union fitted, unsupervised, on the training texts) and one
``LogisticRegression(class_weight="balanced")`` per frame.

Mappings
--------
FrAC codes (Media Frames Corpus numbering) name one frame each, except the
merged codes 5 (legality + crime and punishment) and 6 (political + policy
prescription and evaluation). As *training* data a FrAC sentence is positive
for its code's frame(s) (``merged="both"``; ``merged="unlabelled"`` leaves the
two frames of a merged code out of that sentence's labels), negative for the
frames of the other codes FrAC uses, and unlabelled for the frames FrAC has no
code for (capacity, quality of life, external regulation: FrAC files those
under "other"). As a *test*, a code's score is the largest probability of its
frames, and code 15 ("other") scores the ``frame_none`` head when the design
has one, else ``1 - max`` over the frames.

The seed corpus's single-label ``frame`` task (``labeled/``) gives, per
sentence, one positive frame; ``other`` gives no positive frame. With
``seed_negatives=True`` the sentence is also a negative for every other frame.
FrAC's one sentence without a ``type`` is used by neither side.

Design
------
:data:`DEFAULT_DESIGN` is the design measured best in
``benchmarks/frames_experiments.md`` (n-gram blocks only, ``C=3``, word
unigrams, temperature scaling; the seed frames and FrAC added to training).
Every option can be overridden per call, e.g. ``run_frames_own(ctx,
seeds=False, frac=False)`` for the project's labels alone.

No text of the external data reaches the results: only counts and scores.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._quality import Context, Skipped, _r, _row

logger = logging.getLogger(__name__)

__all__ = [
    "FRAC_CODES",
    "NFC_FRAMES",
    "DEFAULT_DESIGN",
    "frame_names",
    "frame_schema",
    "binary_frame_labels",
    "project_sentences",
    "seed_sentences",
    "frac_sentences",
    "nfc_documents",
    "holdout_probabilities",
    "frame_aucs",
    "run_frames_own",
    "run_frames_frac",
    "run_frames_nfc",
]

#: Prefix of the binary task of each frame; ``frame_none`` is the "no frame at all" head.
PREFIX = "frame_"
NONE_TASK = "frame_none"

#: FrAC's codes (Media Frames Corpus numbers) and the frames of the project's codebook each one covers.
FRAC_CODES: dict[int, tuple[str, ...]] = {
    1: ("economic",),
    3: ("morality",),
    4: ("fairness_and_equality",),
    5: ("legality_constitutionality_jurisprudence", "crime_and_punishment"),
    6: ("political", "policy_prescription_and_evaluation"),
    8: ("security_and_defense",),
    9: ("health_and_safety",),
    11: ("cultural_identity",),
    12: ("public_opinion",),
    15: (),
}
FRAC_FILE = Path("frac") / "final_gold_single.csv"
#: The FrAC sentences the leave-one-source-out job adds to every training side (it never tests on FrAC).
FRAC_OWN_TYPES = ("article", "comment")

#: The Narrative Frames Corpus's generic frames: column -> name.
NFC_FRAMES = {"RE": "resolution", "HI": "human_interest", "CO": "conflict", "MO": "moral", "EC": "economic"}
NFC_FILE = Path("narrative-frames") / "articles_metadata.tsv"

#: A held-out source counts for a frame's macro mean (and its worst AUC) with at least this many positives.
MIN_POSITIVES = 5

#: The measured design (benchmarks/frames_experiments.md); the run_* functions take keyword overrides of it.
#: ``block_selection="ngrams"``: the lexicon, pattern and shape blocks lower every frame's held-out AUC
#: (macro 0.64 with them, 0.73 without), and the inner cross-validation that chooses blocks cannot see
#: that, since its folds mix the sources. Temperature scaling keeps each model's ranking but makes the
#: four held-out models' probabilities comparable (pooled AUC) and the heads comparable (FrAC argmax).
DEFAULT_DESIGN: dict[str, Any] = {
    "config": {"calibration": "temperature", "block_selection": "ngrams", "C": 3.0, "word_ngram_range": (1, 1)},
    "seeds": True,
    "seed_negatives": True,
    "frac": True,
    "merged": "both",
    "none_head": False,
    "extra_weight": 1.0,
}

SYSTEMS = ("model", "tfidf")


# ---------------------------------------------------------------------- labels


def frame_names(corpus_dir: str | Path) -> tuple[str, ...]:
    """The Policy Frames of the codebook: the seed schema's ``frame`` classes without ``other``.

    Examples
    --------
    >>> names = frame_names(Path(__file__).resolve().parent.parent / "labeled")
    >>> len(names), names[0], "other" in names
    (14, 'economic', False)
    """
    from framing.data import Schema

    schema = Schema.from_dict(json.loads((Path(corpus_dir) / "schema.json").read_text(encoding="utf-8")))
    return tuple(c for c in schema.classes("frame") if c != "other")


def frame_schema(frames: Sequence[str], none_head: bool = False):
    """A :class:`framing.Schema` with one binary task ``frame_<name>`` per frame (and ``frame_none``).

    Examples
    --------
    >>> frame_schema(["economic", "political"], none_head=True).task_names
    ('frame_economic', 'frame_political', 'frame_none')
    """
    from framing.data import Schema, TaskSpec

    names = [PREFIX + f for f in frames] + ([NONE_TASK] if none_head else [])
    return Schema(tasks=tuple(TaskSpec(name, "binary", (False, True)) for name in names), name="frames")


def binary_frame_labels(present: Sequence[str], frames: Sequence[str], coded: Sequence[str] | None = None,
                        unlabelled: Sequence[str] = (), none_head: bool = False) -> dict[str, bool]:
    """The binary labels of one sentence: True for the frames ``present``, False for the other ``coded`` ones.

    ``coded`` (default: every frame) are the frames the annotation decided on;
    ``unlabelled`` ones are left out even when present.

    Examples
    --------
    >>> binary_frame_labels(["economic"], ["economic", "political", "morality"], coded=["economic", "political"])
    {'frame_economic': True, 'frame_political': False}
    >>> binary_frame_labels([], ["economic"], none_head=True)
    {'frame_economic': False, 'frame_none': True}
    """
    coded = frames if coded is None else coded
    labels = {PREFIX + f: f in present for f in frames if f in coded and f not in unlabelled}
    if none_head:
        labels[NONE_TASK] = not present
    return labels


def project_sentences(ctx: Context, frames: Sequence[str], none_head: bool = False) -> list:
    """``labeled/frames.jsonl`` as binary frame labels; ``source`` the data set, ``article`` the grouping key."""
    import framing
    from framing.datasets import DatasetMissing, frame_label_sentences

    try:
        items = frame_label_sentences(ctx.data_root, Path(ctx.corpus) / "frames.jsonl")
    except DatasetMissing as missing:
        raise Skipped(str(missing)) from None
    except FileNotFoundError as missing:
        raise Skipped(f"frame labels: {missing}") from None
    unknown = sorted({f for s in items for f in s.labels["frames"]} - set(frames))
    if unknown:
        raise ValueError(f"frame labels name frames the codebook does not have: {unknown}")
    return [framing.LabeledSentence(s.text, binary_frame_labels(s.labels["frames"], frames, none_head=none_head),
                                    article=s.article, source=s.source, id=s.id) for s in items]


def seed_sentences(ctx: Context, frames: Sequence[str], negatives: bool = True, none_head: bool = False) -> list:
    """The seed corpus's single-label ``frame`` units (boilerplate left out) as binary frame labels."""
    import framing

    corpus = framing.read_corpus(ctx.corpus)
    out = []
    for s in corpus.sentences:
        frame = s.labels.get("frame")
        if s.boilerplate or frame is None:
            continue
        present = [frame] if frame in frames else []
        coded = frames if negatives else present
        labels = binary_frame_labels(present, frames, coded=coded, none_head=none_head and negatives)
        if labels:
            out.append(framing.LabeledSentence(s.text, labels, article=f"seeds:{s.article}", source="seeds", id=s.id))
    return out


def _frac_rows(data_root: str) -> list[dict[str, str]]:
    path = Path(data_root) / FRAC_FILE
    if not path.is_file():
        raise Skipped(f"FrAC: file not found: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def frac_sentences(ctx: Context, frames: Sequence[str], types: Sequence[str] = ("comment",), merged: str = "both",
                   none_head: bool = False) -> list:
    """FrAC sentences of the given ``type`` (``article``, ``comment``) as binary labels (see the module docstring)."""
    import framing

    if merged not in ("both", "unlabelled"):
        raise ValueError(f"merged must be 'both' or 'unlabelled', got {merged!r}")
    coded = [f for code_frames in FRAC_CODES.values() for f in code_frames]
    out = []
    for row in _frac_rows(ctx.data_root):
        if row["type"] not in types:
            continue
        present = FRAC_CODES[int(row["label"])]
        left_out = present if merged == "unlabelled" and len(present) > 1 else ()
        labels = binary_frame_labels(present, frames, coded=coded, unlabelled=left_out, none_head=none_head)
        out.append(framing.LabeledSentence(row["sentence"], labels, article=f"frac:{row['id']}", source="frac",
                                           id=f"frac:{row['id']}"))
    return out


def frac_codes(ctx: Context, types: Sequence[str] = ("article",)) -> tuple[list[str], np.ndarray]:
    """Texts and gold FrAC codes of the FrAC sentences of the given ``type``."""
    rows = [row for row in _frac_rows(ctx.data_root) if row["type"] in types]
    return [row["sentence"] for row in rows], np.asarray([int(row["label"]) for row in rows])


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


# ---------------------------------------------------------------------- training and scoring


def _weights(train: Sequence[Any], tasks: Sequence[str], extra_weight: float) -> dict[str, np.ndarray] | None:
    """Per-task sample weights: 1 for the project's labels, ``extra_weight`` for seeds and FrAC."""
    if extra_weight == 1.0:
        return None
    base = np.asarray([extra_weight if s.source in ("seeds", "frac") else 1.0 for s in train])
    return {task: base for task in tasks}


def holdout_probabilities(train: Sequence[Any], test_texts: Sequence[str], schema, config: Mapping[str, Any],
                          extra_weight: float = 1.0, baseline: bool = True) -> dict[str, np.ndarray]:
    """P(frame present) of every test text: ``{system: (n_test, n_tasks)}``, tasks in ``schema`` order.

    ``model`` is :func:`framing.train` on ``train``; ``tfidf`` the plain
    baseline on the same labelled sentences and weights (module docstring).

    Examples
    --------
    >>> import framing
    >>> train = [framing.LabeledSentence(t, {"frame_economic": e}) for t, e in
    ...          [("Prices rose.", True), ("Talks began.", False), ("Jobs were lost.", True), ("Envoys met.", False)]]
    >>> p = holdout_probabilities(train, ["Prices fell."], frame_schema(["economic"]), {"calibration": None})
    >>> sorted(p), p["model"].shape
    (['model', 'tfidf'], (1, 1))
    """
    from sklearn.linear_model import LogisticRegression

    import framing
    from framing.evaluation._baselines import make_tfidf_pipeline

    tasks = list(schema.task_names)
    weights = _weights(train, tasks, extra_weight)
    config = framing.TrainingConfig.from_dict({**framing.TrainingConfig().to_dict(), **dict(config)})
    model = framing.train(list(train), schema=schema, config=config, sample_weight=weights)
    predicted = model.predict_all(list(test_texts))
    out = {"model": np.column_stack([predicted[task][:, 1] for task in tasks])}
    if not baseline:
        return out
    union = make_tfidf_pipeline().fit([s.text for s in train])
    X_train, X_test = union.transform([s.text for s in train]), union.transform(list(test_texts))
    columns = []
    for task in tasks:
        rows = [i for i, s in enumerate(train) if task in s.labels]
        y = np.asarray([bool(train[i].labels[task]) for i in rows])
        if len(set(y.tolist())) < 2:
            columns.append(np.full(len(test_texts), float(y.mean()) if len(y) else 0.0))
            continue
        classifier = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0)
        classifier.fit(X_train[rows], y, sample_weight=None if weights is None else weights[task][rows])
        columns.append(classifier.predict_proba(X_test)[:, 1])
    out["tfidf"] = np.column_stack(columns)
    return out


def frame_aucs(y: np.ndarray, proba: np.ndarray, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``{name: {"auc", "positives"}}`` per column; the AUC is None when a column has one class only.

    Examples
    --------
    >>> frame_aucs(np.array([[1, 0], [0, 0], [1, 0]]), np.array([[.9, .2], [.1, .3], [.6, .1]]), ["a", "b"])
    {'a': {'auc': 1.0, 'positives': 2}, 'b': {'auc': None, 'positives': 0}}
    """
    from sklearn.metrics import roc_auc_score

    out = {}
    for k, name in enumerate(names):
        positives = int(y[:, k].sum())
        auc = roc_auc_score(y[:, k], proba[:, k]) if 0 < positives < len(y) else None
        out[name] = {"auc": _r(auc) if auc is not None else None, "positives": positives}
    return out


def _macro(aucs: Mapping[str, Mapping[str, Any]], min_positives: int = MIN_POSITIVES) -> tuple[float | None, int]:
    """Mean AUC over the frames with at least ``min_positives`` positives, and how many frames that is."""
    values = [a["auc"] for a in aucs.values() if a["auc"] is not None and a["positives"] >= min_positives]
    return (_r(float(np.mean(values))) if values else None), len(values)


def _design(overrides: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(overrides) - set(DEFAULT_DESIGN))
    if unknown:
        raise ValueError(f"unknown design option(s) {unknown}; available: {sorted(DEFAULT_DESIGN)}")
    return {**DEFAULT_DESIGN, **overrides}


def _extras(ctx: Context, frames: Sequence[str], design: Mapping[str, Any], frac_types: Sequence[str]) -> list:
    extras = []
    if design["seeds"]:
        extras += seed_sentences(ctx, frames, negatives=design["seed_negatives"], none_head=design["none_head"])
    if design["frac"] and frac_types:
        extras += frac_sentences(ctx, frames, types=frac_types, merged=design["merged"], none_head=design["none_head"])
    return extras


def _describe(design: Mapping[str, Any], frac_types: Sequence[str]) -> str:
    parts = []
    if design["seeds"]:
        parts.append("seed frames" + ("" if design["seed_negatives"] else " (positives only)"))
    if design["frac"] and frac_types:
        parts.append(f"FrAC {'+'.join(frac_types)} sentences (merged codes: {design['merged']})")
    weight = f" at weight {design['extra_weight']:g}" if parts and design["extra_weight"] != 1.0 else ""
    return ("+ " + " + ".join(parts) + weight) if parts else ""


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return _r(float(np.mean(kept))) if kept else None


def _value(value: float | None) -> dict[str, Any]:
    return {"value": value, "ci": None}


# ---------------------------------------------------------------------- 1. the project's labels, leave one source out


def _require(ctx: Context, *relative: str) -> None:
    """Skip (the runner's one-line reason) when the corpus or a data folder is not there."""
    for name in relative:
        if not (Path(ctx.data_root) / name).exists():
            raise Skipped(f"frames: {name} is not in {ctx.data_root}")
    if not (Path(ctx.corpus) / "schema.json").is_file():
        raise Skipped(f"frames: no corpus schema at {ctx.corpus}")


def run_frames_own(ctx: Context, **design: Any) -> dict[str, Any]:
    """Leave one source out on ``labeled/frames.jsonl``: per-frame ROC AUC, per held-out source and pooled."""
    _require(ctx, "frac", "anno-lexical")
    design = _design(design)
    frames = frame_names(ctx.corpus)
    schema = frame_schema(frames, design["none_head"])
    sentences = project_sentences(ctx, frames, none_head=design["none_head"])
    extras = _extras(ctx, frames, design, frac_types=FRAC_OWN_TYPES)
    notes = []
    if ctx.quick:
        sentences = sentences[::4]
        notes.append(f"quick mode: every 4th labelled sentence ({len(sentences)})")
    sources = sorted({s.source for s in sentences})
    tasks = [PREFIX + f for f in frames]
    y = np.asarray([[s.labels[t] for t in tasks] for s in sentences], dtype=int)
    pooled = {name: np.zeros(y.shape) for name in SYSTEMS}
    per_source: dict[str, Any] = {}
    for source in sources:
        test = np.asarray([i for i, s in enumerate(sentences) if s.source == source])
        train = [s for s in sentences if s.source != source] + extras
        proba = holdout_probabilities(train, [sentences[i].text for i in test], schema, design["config"],
                                      design["extra_weight"])
        per_source[source] = {"n_train": len(train), "n_test": len(test), "systems": {}}
        for name in SYSTEMS:
            pooled[name][test] = proba[name][:, :len(tasks)]
            per_source[source]["systems"][name] = frame_aucs(y[test], proba[name][:, :len(tasks)], frames)
        logger.info("frames: held out %s", source)
    pooled_aucs = {name: frame_aucs(y, pooled[name], frames) for name in SYSTEMS}
    macros = {source: {name: _macro(info["systems"][name]) for name in SYSTEMS} for source, info in per_source.items()}
    worst = {name: {frame: _worst(per_source, name, frame) for frame in frames} for name in SYSTEMS}
    protocol = f"leave one source out ({len(sources)} sources) {_describe(design, FRAC_OWN_TYPES)}".strip()
    benchmark = "frames: project labels (frames_v1)"
    rows = [
        _row(benchmark, protocol, "pooled held-out predictions: macro ROC AUC over frames", len(y),
             {name: _value(_macro(pooled_aucs[name], 1)[0]) for name in SYSTEMS}),
        _row(benchmark, protocol, "mean over held-out sources of their macro ROC AUC", len(y),
             {name: _value(_mean([macros[source][name][0] for source in sources])) for name in SYSTEMS}),
    ]
    for source in sources:
        rows.append(_row(benchmark, protocol, f"held out {source}: macro ROC AUC over the {macros[source]['model'][1]} "
                         f"frames with >= {MIN_POSITIVES} positives", per_source[source]["n_test"],
                         {name: _value(macros[source][name][0]) for name in SYSTEMS}))
    for frame in frames:
        rows.append(_row(benchmark, protocol, f"{frame}: ROC AUC (pooled)", len(y),
                         {name: _value(pooled_aucs[name][frame]["auc"]) for name in SYSTEMS}))
    for frame in frames:
        rows.append(_row(benchmark, protocol, f"{frame}: worst held-out source's ROC AUC", len(y),
                         {name: _value(worst[name][frame]["auc"] if worst[name][frame] else None) for name in SYSTEMS}))
    from framing.report._reliability import MIN_AUC  # the project's rule: worst representative held-out AUC

    reliable = sorted(f for f, w in worst["model"].items() if w is not None and w["auc"] >= MIN_AUC)
    notes.append(f"worst held-out source's AUC: over the sources with >= {MIN_POSITIVES} positives of the frame "
                 f"whose training side is at least as large as the held-out side; >= {MIN_AUC} for "
                 f"{len(reliable)} of {len(frames)} frames (model)")
    details = {"design": design, "n_sentences": len(y), "n_extra_training": len(extras),
               "positives": dict(zip(frames, y.sum(axis=0).tolist())), "pooled": pooled_aucs,
               "held_out": per_source, "worst": worst, "reliable_frames": reliable}
    return {"rows": rows, "details": details, "notes": notes}


def _worst(per_source: Mapping[str, Any], system: str, frame: str) -> dict[str, Any] | None:
    """The lowest AUC of ``frame`` over the representative held-out sources with enough positives, or None."""
    values = [(info["systems"][system][frame]["auc"], source) for source, info in per_source.items()
              if info["systems"][system][frame]["auc"] is not None
              and info["systems"][system][frame]["positives"] >= MIN_POSITIVES and info["n_train"] >= info["n_test"]]
    if not values:
        return None
    auc, source = min(values)
    return {"auc": auc, "held_out": source}


# ---------------------------------------------------------------------- 2. FrAC article sentences


def code_scores(proba: np.ndarray, tasks: Sequence[str], codes: Sequence[int]) -> np.ndarray:
    """``(n, len(codes))`` scores of FrAC codes from per-task probabilities (module docstring).

    Examples
    --------
    >>> tasks = ["frame_economic", "frame_political", "frame_policy_prescription_and_evaluation"]
    >>> code_scores(np.array([[0.2, 0.7, 0.4]]), tasks, [1, 6, 15]).round(2).tolist()
    [[0.2, 0.7, 0.3]]
    """
    index = {task: k for k, task in enumerate(tasks)}
    frame_columns = [index[PREFIX + f] for code in codes for f in FRAC_CODES[code]]
    columns = []
    for code in codes:
        members = [index[PREFIX + f] for f in FRAC_CODES[code]]
        if members:
            columns.append(proba[:, members].max(axis=1))
        elif NONE_TASK in index:
            columns.append(proba[:, index[NONE_TASK]])
        else:
            columns.append(1.0 - proba[:, frame_columns].max(axis=1))
    return np.column_stack(columns)


def run_frames_frac(ctx: Context, **design: Any) -> dict[str, Any]:
    """Train on the project labels (+ FrAC comments, seeds as designed); test on FrAC's news-article sentences."""
    _require(ctx, "frac")
    from sklearn.metrics import f1_score

    design = _design({"frac": True, **design})
    frames = frame_names(ctx.corpus)
    schema = frame_schema(frames, design["none_head"])
    train = project_sentences(ctx, frames, none_head=design["none_head"]) + _extras(ctx, frames, design, ("comment",))
    texts, gold = frac_codes(ctx, ("article",))
    if not texts:
        raise Skipped("FrAC: no sentence of type 'article'")
    proba = holdout_probabilities(train, texts, schema, design["config"], design["extra_weight"])
    codes = sorted(FRAC_CODES)
    y = np.column_stack([gold == code for code in codes]).astype(int)
    names = [str(code) for code in codes]
    benchmark = "frames: FrAC news-article sentences"
    protocol = f"train on the project labels {_describe(design, ('comment',))}; test on FrAC articles".replace("  ", " ")
    rows, details = [], {"design": design, "n_train": len(train), "n_test": len(texts),
                         "support": {str(c): int((gold == c).sum()) for c in codes}, "systems": {}}
    for name in SYSTEMS:
        scores = code_scores(proba[name], list(schema.task_names), codes)
        aucs = frame_aucs(y, scores, names)
        predicted = np.asarray(codes)[scores.argmax(axis=1)]
        frame_codes = [c for c in codes if FRAC_CODES[c]]
        only_frames = code_scores(proba[name], list(schema.task_names), frame_codes)
        framed = gold != 15
        predicted_frames = np.asarray(frame_codes)[only_frames.argmax(axis=1)]
        details["systems"][name] = {
            "auc": aucs,
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
    for key, label in metrics:
        n = int((gold != 15).sum()) if key == "macro_f1_framed" else len(gold)
        rows.append(_row(benchmark, protocol, label, n, {s: _value(details["systems"][s][key]) for s in SYSTEMS}))
    for code, name in zip(codes, names):
        label = "+".join(FRAC_CODES[code]) or "other"
        rows.append(_row(benchmark, protocol, f"code {code} ({label}): ROC AUC", len(gold),
                         {s: _value(details["systems"][s]["auc"][name]["auc"]) for s in SYSTEMS}))
    notes = ["a code's score is the largest probability of its frames; code 15 scores "
             + ("the frame_none head" if design["none_head"] else "1 - the largest frame probability")]
    return {"rows": rows, "details": details, "notes": notes}


# ---------------------------------------------------------------------- 3. Narrative Frames Corpus, article level


def run_frames_nfc(ctx: Context, config: Mapping[str, Any] | None = None, n_splits: int = 5) -> dict[str, Any]:
    """Narrative Frames Corpus: an article is one document; 5 folds grouped by outlet; ROC AUC of 5 generic frames."""
    _require(ctx, "narrative-frames")
    from sklearn.model_selection import GroupKFold

    import framing

    articles = nfc_documents(ctx)
    if ctx.quick:
        articles = articles[::3]
    names = list(NFC_FRAMES.values())
    schema = frame_schema(names)
    y = np.asarray([[a["frames"][n] for n in names] for a in articles], dtype=int)
    documents = [framing.LabeledSentence(a["text"], binary_frame_labels([n for n in names if a["frames"][n]], names),
                                         article=f"nfc:{a['id']}", source=a["outlet"], id=f"nfc:{a['id']}")
                 for a in articles]
    groups = [a["outlet"] for a in articles]
    proba = {name: np.zeros(y.shape) for name in SYSTEMS}
    config = dict(DEFAULT_DESIGN["config"] if config is None else config)
    folds = list(GroupKFold(n_splits=n_splits).split(np.zeros(len(articles)), groups=groups))
    for train_rows, test_rows in folds:
        fold = holdout_probabilities([documents[i] for i in train_rows], [documents[i].text for i in test_rows],
                                     schema, config)
        for name in SYSTEMS:
            proba[name][test_rows] = fold[name]
    aucs = {name: frame_aucs(y, proba[name], names) for name in SYSTEMS}
    benchmark = "frames: Narrative Frames Corpus (articles)"
    protocol = f"GroupKFold({n_splits}) by outlet ({len(set(groups))} outlets); one article = one document"
    rows = [_row(benchmark, protocol, "macro ROC AUC over the 5 generic frames", len(articles),
                 {name: _value(_macro(aucs[name], 1)[0]) for name in SYSTEMS})]
    for frame in names:
        rows.append(_row(benchmark, protocol, f"{frame}: ROC AUC", len(articles),
                         {name: _value(aucs[name][frame]["auc"]) for name in SYSTEMS}))
    details = {"config": config, "n_articles": len(articles), "n_outlets": len(set(groups)),
               "positives": dict(zip(names, y.sum(axis=0).tolist())), "auc": aucs}
    return {"rows": rows, "details": details, "notes": ["outlet names normalised (case, spaces, punctuation)"]}
