"""Transfer benchmarks of the default recipe: leave one source out, and in-domain splits.

Every experiment trains with the shipped recipe (``models/recipe-default.json``:
its sources, weights, lexicon word lists and configuration) on some sentences
and tests on others that share no article (or, for leave-one-source-out, no
source) with them. Everything learned from data (vocabulary, idf, harvested
lexicon terms, weights) is fitted on the training side only. Next to it, a
plain word + character TF-IDF and logistic regression is trained on exactly
the same sentences with the same weights.

Calibration and block choice are switched off here: temperature scaling does
not change the ranking (ROC AUC) or the most probable class (F1), so the
numbers are those of the shipped configuration at a fraction of the cost.

Experiments (each a benchmark job, ``python -m benchmarks --only loso indomain``):

``loso/<task>/<source>``
    Train ``task`` on every recipe source that labels it except ``source``;
    test on ``source``.
``indomain/babe``
    BABE, 5-fold stratified: the recipe's ``loaded`` sources plus BABE's
    training folds; test on the held-out fold (and BABE alone, for the old row).
``indomain/weasel``
    wiki-weasel, 5 folds grouped by sentence: weasel training folds plus seeds.
``indomain/polnear``
    PolNeAR: train split plus seeds; test on the dev split.
``indomain/ukraine``
    ukraine-news-bias, 5 folds grouped by article (+ seeds): sentence AUCs and article Spearman.
``indomain/seeds``, ``indomain/seeds-large``
    Leave one seed article out: the other four plus every other source of the task, for the
    tasks with little other data (stances, slant, frame), and for the others (loaded, hedged,
    attribution: five retrainings on ~50,000 sentences, about 20 minutes).

The tasks of the schema's frame sets (``frame_<name>``) are left to ``benchmarks/_frames.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._quality import Context, Skipped, _r, _row

__all__ = ["loso_jobs", "run_loso", "run_indomain", "RECIPE"]

RECIPE = Path(__file__).resolve().parent.parent / "models" / "recipe-default.json"
NO_CALIBRATION = {"calibration": None, "block_selection": False}


def _recipe():
    from framing.model._recipe import load_recipe

    return load_recipe(RECIPE)


def _pairs(recipe, ctx: Context, exclude: Sequence[str] = ()):
    from framing.datasets import DatasetMissing
    from framing.model._recipe import recipe_sentences

    try:
        return recipe_sentences(recipe, ctx.data_root, exclude=exclude)
    except DatasetMissing as missing:
        raise Skipped(str(missing)) from None


def _tfidf_proba(train_texts, y_index, weights, test_texts, n_classes: int) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    pipeline = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
        LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, solver="newton-cg"),
    )
    pipeline.fit(train_texts, y_index, logisticregression__sample_weight=weights)
    proba = np.zeros((len(test_texts), n_classes))
    proba[:, pipeline.classes_] = pipeline.predict_proba(test_texts)
    return proba


def _scores(task, y_index: np.ndarray, proba: np.ndarray) -> dict[str, float | None]:
    """ROC AUC and macro-F1; for attribution also 'present' F1 and named-vs-anonymous macro-F1."""
    from sklearn.metrics import f1_score, roc_auc_score

    classes = list(task.classes)
    predicted = proba.argmax(axis=1)
    present = sorted(set(y_index.tolist()))
    out: dict[str, float | None] = {
        "macro_f1": f1_score(y_index, predicted, labels=present, average="macro", zero_division=0),
    }
    if len(classes) == 2:
        out["roc_auc"] = roc_auc_score(y_index, proba[:, 1]) if len(present) == 2 else None
        out["f1_true"] = f1_score(y_index, predicted, pos_label=1, average="binary", zero_division=0)
    elif len(present) > 1:
        aucs = [roc_auc_score(y_index == k, proba[:, k]) for k in present]
        out["roc_auc"] = float(np.mean(aucs))
    if set(classes) >= {"named", "anonymous", "none"}:
        none = classes.index("none")
        gold_present = y_index != none
        p_present = 1.0 - proba[:, none]
        out["present_f1"] = f1_score(gold_present, p_present > 0.5, zero_division=0)
        out["present_auc"] = roc_auc_score(gold_present, p_present) if 0 < gold_present.sum() < len(gold_present) else None
        named, anonymous = classes.index("named"), classes.index("anonymous")
        rows = gold_present
        if rows.any():
            choice = np.where(proba[rows, named] >= proba[rows, anonymous], named, anonymous)
            out["named_vs_anonymous_f1"] = f1_score(y_index[rows], choice, labels=[named, anonymous], average="macro",
                                                    zero_division=0)
    return {key: _r(value) if value is not None else None for key, value in out.items()}


def _experiment(recipe, task_name: str, train_pairs, test_items, weights, lexicon) -> dict[str, Any]:
    """Fit the recipe's features + classifier for one task on ``train_pairs``; score both systems on ``test_items``."""
    from framing.model._recipe import fit_task_classifiers, task_rows

    task = recipe.schema.task(task_name)
    config = {**recipe.config, **NO_CALIBRATION}
    union, classifiers, _ = fit_task_classifiers(train_pairs, recipe.schema, weights, config, tasks=[task_name],
                                                 lexicon=lexicon, boilerplate=False, axis=recipe.axis)
    classifier = classifiers[task_name]
    test_texts = [s.text for s in test_items]
    y_test = np.asarray([list(task.classes).index(s.labels[task_name]) for s in test_items])
    framing_proba = classifier.predict_proba(test_texts)
    rows = task_rows(train_pairs, task_name, weights)
    y_train = np.asarray([list(task.classes).index(s.labels[task_name]) for s, _ in rows])
    tfidf_proba = _tfidf_proba([s.text for s, _ in rows], y_train, np.asarray([w for _, w in rows]), test_texts,
                               len(task.classes))
    return {
        "n_train": len(rows), "n_test": len(test_items),
        "framing": _scores(task, y_test, framing_proba),
        "tfidf": _scores(task, y_test, tfidf_proba),
        "features": int(len(union.get_feature_names_out())),
    }


def _weights(recipe) -> dict[str, dict[str, float]]:
    return {source.name: dict(source.weights) for source in recipe.sources}


def _frame_tasks(recipe) -> frozenset:
    """The tasks of the schema's frame sets: ``benchmarks/_frames.py`` measures them (leave one label source out)."""
    return frozenset(getattr(recipe.schema, "frame_tasks", frozenset()))


def loso_jobs(recipe=None) -> list[tuple[str, str]]:
    """``(task, held-out source)`` for every task labelled by at least two of the recipe's sources (frame tasks aside)."""
    recipe = recipe or _recipe()
    jobs = []
    for task in recipe.schema.task_names:
        if task in _frame_tasks(recipe):
            continue
        sources = [s.name for s in recipe.sources if s.weights.get(task, 0) > 0]
        if len(sources) >= 2:
            jobs += [(task, source) for source in sources]
    return jobs


def _rows_of(benchmark: str, protocol: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for metric in result["framing"]:
        rows.append(_row(benchmark, protocol, metric, result["n_test"],
                         {"model": {"value": result["framing"][metric], "ci": None},
                          "tfidf": {"value": result["tfidf"].get(metric), "ci": None}}))
    return rows


def run_loso(ctx: Context, task: str, source: str) -> dict[str, Any]:
    """Train ``task`` on the recipe without ``source``; test on ``source``."""
    from framing.model._recipe import recipe_lexicon

    recipe = _recipe()
    pairs = _pairs(recipe, ctx)
    test_items = [s for name, s in pairs if name == source and not s.boilerplate and task in s.labels]
    train_pairs = [(name, s) for name, s in pairs if name != source]
    if ctx.quick:
        train_pairs, test_items = train_pairs[::20], test_items[::10]
    result = _experiment(recipe, task, train_pairs, test_items, _weights(recipe), recipe_lexicon(recipe, ctx.data_root))
    trained_on = sorted({name for name, s in train_pairs if task in s.labels})
    protocol = f"train on {' + '.join(trained_on)}; test on {source}"
    return {"rows": _rows_of(f"leave-one-source-out: {task}", protocol, result), "details": result, "notes": []}


def _folds(items, n_splits: int, stratify: bool, seed: int):
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    if stratify:
        y = [str(s.labels) for s in items]
        return list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(np.zeros(len(items)), y))
    groups = [s.article for s in items]
    return list(GroupKFold(n_splits=n_splits).split(np.zeros(len(items)), groups=groups))


def _pooled(results: list[dict[str, Any]], key: str) -> dict[str, float | None]:
    metrics = results[0][key]
    return {m: _r(float(np.mean([r[key][m] for r in results if r[key][m] is not None]))) for m in metrics}


def run_indomain(ctx: Context, name: str) -> dict[str, Any]:
    """In-domain splits: ``babe`` (5-fold stratified), ``weasel`` (5-fold grouped), ``polnear`` (train -> dev)."""
    from framing.model._recipe import recipe_lexicon

    recipe = _recipe()
    weights = _weights(recipe)
    pairs = _pairs(recipe, ctx)
    lexicon = recipe_lexicon(recipe, ctx.data_root)
    rows, details = [], {}
    if name == "ukraine":
        return _run_ukraine(ctx, recipe, weights, pairs, lexicon)
    if name == "seeds":
        return _run_seeds(ctx, recipe, weights, pairs, lexicon)
    if name == "seeds-large":
        small = set(_small_tasks(recipe, weights, pairs)) | _frame_tasks(recipe)
        large = [t for t in recipe.schema.task_names if t not in small]
        return _run_seeds(ctx, recipe, weights, pairs, lexicon, tasks=large)
    if name == "polnear":
        train_pairs = [(n, s) for n, s in pairs if not (n == "polnear" and s.article.startswith("polnear:dev:"))]
        train_pairs = [(n, s) for n, s in train_pairs if n in ("polnear", "seeds")]
        test_items = [s for n, s in pairs if n == "polnear" and s.article.startswith("polnear:dev:")]
        if ctx.quick:
            train_pairs, test_items = train_pairs[::20], test_items[::10]
        result = _experiment(recipe, "attribution", train_pairs, test_items, weights, lexicon)
        rows += _rows_of("in-domain: PolNeAR dev", "train split + seeds; test on dev (84 articles)", result)
        details["polnear"] = result
        return {"rows": rows, "details": details, "notes": []}
    source, task, stratify, variants = {
        "babe": ("babe", "loaded", True, {"recipe": None, "babe only": ("babe",)}),
        "weasel": ("wiki-weasel", "hedged", False, {"recipe": None}),
    }[name]
    items = [s for n, s in pairs if n == source]
    others = [(n, s) for n, s in pairs if n != source and weights.get(n, {}).get(task, 0) > 0]
    if ctx.quick:
        items, others = items[::10], others[::50]
    folds = _folds(items, 5, stratify, ctx.random_state)
    for variant, only in variants.items():
        results = []
        for train_rows, test_rows in folds:
            train_pairs = [(source, items[i]) for i in train_rows]
            if only is None:
                train_pairs += others
            results.append(_experiment(recipe, task, train_pairs, [items[i] for i in test_rows], weights, lexicon))
        pooled = {"n_test": len(items), "framing": _pooled(results, "framing"), "tfidf": _pooled(results, "tfidf")}
        protocol = ("5-fold stratified" if stratify else "5-fold grouped") + (
            f"; training folds + {' + '.join(sorted({n for n, _ in others}))}" if only is None else f"; {source} only")
        rows += _rows_of(f"in-domain: {source}", protocol + " (mean over folds)", pooled)
        details[variant] = {"folds": results, "mean": pooled}
    return {"rows": rows, "details": details, "notes": []}


def _article_slant(proba: np.ndarray, negative: int, positive: int, mentions: np.ndarray) -> float | None:
    """Mean P(positive pole) - P(negative pole) over the sentences that mention a side; None when none does."""
    if not mentions.any():
        return None
    return float(np.mean(proba[mentions, positive] - proba[mentions, negative]))


def _crowd_article_ratios(data_root: str) -> dict[str, float]:
    """The data set's own article-level ratios: pro-West minus pro-Russia (average vote)."""
    import json

    ratios = {}
    for path in sorted((Path(data_root) / "ukraine-news-bias" / "articles").glob("article_*.json")):
        bias = json.loads(path.read_text(encoding="utf-8"))["bias"]
        ratios[f"ukraine-news-bias:{path.stem}"] = float(bias["pro-west"]["avg"]) - float(bias["pro-russia"]["avg"])
    return ratios


def _run_ukraine(ctx: Context, recipe, weights, pairs, lexicon) -> dict[str, Any]:
    """ukraine-news-bias, 5 folds grouped by article (+ seeds in training): sentence AUCs and article Spearman."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    from framing.features._stance import Axis
    from framing.model._recipe import fit_task_classifiers, task_rows

    task = recipe.schema.task("slant")
    classes = list(task.classes)
    negative, positive = classes.index("pro_russia"), classes.index("pro_ukraine")
    items = [s for n, s in pairs if n == "ukraine-news-bias"]
    seeds = [(n, s) for n, s in pairs if n == "seeds"]
    folds = _folds(items, 5, False, ctx.random_state)
    proba = {"framing": np.zeros((len(items), len(classes))), "tfidf": np.zeros((len(items), len(classes)))}
    config = {**recipe.config, **NO_CALIBRATION}
    for train_rows, test_rows in folds:
        train_pairs = [("ukraine-news-bias", items[i]) for i in train_rows] + seeds
        _, classifiers, _ = fit_task_classifiers(train_pairs, recipe.schema, weights, config, tasks=["slant"],
                                                 lexicon=lexicon, boilerplate=False, axis=recipe.axis)
        test_texts = [items[i].text for i in test_rows]
        proba["framing"][test_rows] = classifiers["slant"].predict_proba(test_texts)
        rows = task_rows(train_pairs, "slant", weights)
        y_train = np.asarray([classes.index(s.labels["slant"]) for s, _ in rows])
        proba["tfidf"][test_rows] = _tfidf_proba([s.text for s, _ in rows], y_train, np.asarray([w for _, w in rows]),
                                                 test_texts, len(classes))
    y = np.asarray([classes.index(s.labels["slant"]) for s in items])
    axis = Axis(recipe.axis)
    mentions = np.asarray([sum(axis.mentions(s.text).values()) > 0 for s in items])
    crowd = _crowd_article_ratios(ctx.data_root)
    articles = sorted({s.article for s in items})
    rows, details = [], {}
    for system, p in proba.items():
        scores = {
            "pro_russia_auc": _r(roc_auc_score(y == negative, p[:, negative])),
            "pro_ukraine_auc": _r(roc_auc_score(y == positive, p[:, positive])),
        }
        predicted, gold, own = [], [], []
        for article in articles:
            index = np.asarray([s.article == article for s in items])
            value = _article_slant(p[index], negative, positive, mentions[index])
            if value is None:
                continue
            predicted.append(value)
            gold.append(crowd.get(article, 0.0))
            own.append(float(np.mean(y[index] == positive) - np.mean(y[index] == negative)))
        scores["article_spearman_crowd_ratio"] = _r(spearmanr(predicted, gold).statistic)
        scores["article_spearman_sentence_votes"] = _r(spearmanr(predicted, own).statistic)
        scores["articles_with_a_side"] = len(predicted)
        details[system] = scores
    for metric in details["framing"]:
        rows.append(_row("in-domain: ukraine-news-bias", "5 folds grouped by article; training folds + seeds", metric,
                         len(items), {("model" if system == "framing" else system): {"value": details[system][metric], "ci": None}
                                      for system in details}))
    details["n_articles"] = len(articles)
    details["label_counts"] = {c: int(np.sum(y == k)) for k, c in enumerate(classes)}
    return {"rows": rows, "details": details, "notes": ["sentence labels: framing.datasets._sources.ukraine_news_labels"]}


#: Tasks whose other recipe sources are small enough to retrain once per held-out seed article.
def _small_tasks(recipe, weights, pairs, limit: int = 5000) -> list[str]:
    """Tasks whose other recipe sources are small enough to retrain once per held-out seed article."""
    from framing.model._recipe import task_rows

    others = [(name, s) for name, s in pairs if name != "seeds"]
    return [task for task in recipe.schema.task_names
            if task not in _frame_tasks(recipe) and len(task_rows(others, task, weights)) <= limit]


def _run_seeds(ctx: Context, recipe, weights, pairs, lexicon, tasks: Sequence[str] | None = None) -> dict[str, Any]:
    """Leave one seed article out, for the tasks with little other data (stances, slant, frame).

    Training: the other four seed articles plus every other recipe source of
    the task. Also the article-level slant of each held-out article.
    """
    from framing.features._stance import Axis
    from framing.model._recipe import fit_task_classifiers

    seeds = [s for n, s in pairs if n == "seeds" and not s.boilerplate]
    articles = sorted({s.article for s in seeds})
    tasks = list(tasks) if tasks is not None else _small_tasks(recipe, weights, pairs)
    config = {**recipe.config, **NO_CALIBRATION}
    proba = {t: np.zeros((len(seeds), len(recipe.schema.classes(t)))) for t in tasks}
    for article in articles:
        test_rows = [i for i, s in enumerate(seeds) if s.article == article]
        train_pairs = [(n, s) for n, s in pairs if not (n == "seeds" and s.article == article)]
        _, classifiers, _ = fit_task_classifiers(train_pairs, recipe.schema, weights, config, tasks=tasks,
                                                 lexicon=lexicon, boilerplate=False, axis=recipe.axis)
        for task in tasks:
            proba[task][test_rows] = classifiers[task].predict_proba([seeds[i].text for i in test_rows])
    rows, details = [], {"tasks": {}, "articles": {}}
    for task in tasks:
        spec = recipe.schema.task(task)
        y = np.asarray([list(spec.classes).index(s.labels[task]) for s in seeds])
        scores = _scores(spec, y, proba[task])
        details["tasks"][task] = scores
        for metric, value in scores.items():
            rows.append(_row(f"seeds, leave one article out: {task}", "other seed articles + the task's other sources",
                             metric, len(seeds), {"model": {"value": value, "ci": None}}))
    polar = recipe.schema.polarity
    if polar is not None and polar.task in tasks:
        classes = list(recipe.schema.classes(polar.task))
        negative, positive = classes.index(polar.negative), classes.index(polar.positive)
        axis = Axis(recipe.axis) if recipe.axis else None
        mentions = np.asarray([sum(axis.mentions(s.text).values()) > 0 for s in seeds]) if axis is not None \
            else np.ones(len(seeds), dtype=bool)
        for article in articles:
            index = np.asarray([s.article == article for s in seeds])
            details["articles"][article] = _r(_article_slant(proba[polar.task][index], negative, positive, mentions[index]))
    return {"rows": rows, "details": details, "notes": ["article slant: mean P(positive) - P(negative) over sentences "
                                                        "that mention an actor of the axis"]}
