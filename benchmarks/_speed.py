"""Speed and memory benchmarks, each measured in a fresh subprocess pinned to one CPU.

Run a single measurement by hand with::

    python -m benchmarks._speed throughput '{"n_sentences": 5000}'

which prints one JSON object. The runner (``python -m benchmarks``) starts
these subprocesses with ``OMP_NUM_THREADS=1`` (and the OpenBLAS/MKL
equivalents) and pins them to one core with ``os.sched_setaffinity`` where
available, so that "per core" numbers mean what they say.

All text is made up by :mod:`benchmarks._synthetic` (distinct sentences, so
that per-text caches do not flatter the numbers), except that the plain
TF-IDF pipeline and the training-time runs use the project's own labelled
corpus when it has sentences.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["MEASUREMENTS", "run_in_subprocess", "model_size", "cli_start", "big_text", "single_core_env"]

REPO = Path(__file__).resolve().parent.parent
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS")


def single_core_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in THREAD_VARIABLES:
        env[name] = "1"
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _pin_to_one_core() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    cpu = cpus[-1]
    os.sched_setaffinity(0, {cpu})
    return cpu


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024


def _current_rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        try:
            import psutil

            return psutil.Process().memory_info().rss / (1024 * 1024)
        except Exception:  # pragma: no cover - neither /proc nor psutil
            return None


def _labelled_sentences(corpus: str):
    """Content sentences of the project's corpus, or None when it has none."""
    path = Path(corpus) / "sentences.jsonl"
    if not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return None, None
    import framing

    data = framing.read_corpus(corpus)
    return data.schema, data.sentences


def _recipe_task_rows(data_root: str | None, task: str):
    """``(texts, labels, weights)`` of the shipped recipe's rows for ``task``, or None without the data."""
    if not data_root or not Path(data_root).is_dir():
        return None
    from framing.model._recipe import load_recipe, recipe_sentences, task_rows

    recipe = load_recipe(REPO / "models" / "recipe-default.json")
    try:
        pairs = recipe_sentences(recipe, data_root)
    except Exception:  # a source missing: fall back to the corpus
        return None
    weights = {source.name: dict(source.weights) for source in recipe.sources}
    rows = task_rows(pairs, task, weights)
    return [s.text for s, _ in rows], [s.labels[task] for s, _ in rows], [w for _, w in rows]


def _plain_pipeline(args: dict[str, Any]):
    """The plain TF-IDF + logistic regression pipeline for one task, trained on the shipped model's data.

    With the external data (``args["data"]``) it is trained on the recipe's
    ``loaded`` rows, with their weights: the same sentences the shipped model's
    ``loaded`` head learns from, so its vocabulary is as large as the model's.
    Without it, on the project's corpus (or made-up text).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from framing.evaluation._evaluate import make_tfidf_pipeline

    from ._synthetic import sentences as synthetic

    task = "loaded"
    pipeline = make_pipeline(make_tfidf_pipeline(), LogisticRegression(class_weight="balanced", max_iter=2000))
    recipe_rows = _recipe_task_rows(args.get("data"), task)
    if recipe_rows is not None:
        texts, y, weights = recipe_rows
        pipeline.fit(texts, [str(label) for label in y], logisticregression__sample_weight=weights)
        return pipeline, f"the shipped recipe's {task!r} rows ({len(texts)} sentences, with their weights)"
    schema, labelled = _labelled_sentences(args.get("corpus", str(REPO / "labeled")))
    if labelled and schema is not None and task in schema.task_names:
        content = [s for s in labelled if not s.boilerplate]
        texts, y = [s.text for s in content], [s.labels[task] for s in content]
        source = f"labeled/ ({len(texts)} sentences, task {task})"
    else:
        texts = synthetic(2000, seed=7)
        y = [i % 2 == 0 for i in range(len(texts))]
        source = "2000 made-up sentences with alternating labels"
    if len(set(y)) < 2:
        y = [i % 2 == 0 for i in range(len(texts))]
    pipeline.fit(texts, y)
    return pipeline, source


def measure_throughput(args: dict[str, Any]) -> dict[str, Any]:
    """Sentences/s of ``predict_all`` (every task) vs the plain pipeline (one task); articles/s of ``score``."""
    import framing

    from ._synthetic import articles, sentences

    n_sentences = int(args.get("n_sentences", 5000))
    repeats = int(args.get("repeats", 3))
    n_articles = int(args.get("n_articles", 100))
    words = int(args.get("words", 600))
    model = framing.load()
    pipeline, source = _plain_pipeline(args)
    warm = sentences(200, seed=99)
    model.predict_all(warm)
    pipeline.predict_proba(warm)
    framing_rates, plain_rates = [], []
    for repeat in range(repeats):
        batch = sentences(n_sentences, seed=1000 + repeat)  # fresh text each repeat: no cache hits
        started = time.perf_counter()
        model.predict_all(batch)
        framing_rates.append(n_sentences / (time.perf_counter() - started))
        started = time.perf_counter()
        pipeline.predict_proba(batch)
        plain_rates.append(n_sentences / (time.perf_counter() - started))
    texts = list(articles(n_articles + 3, words=words, seed=3))
    for text in texts[:3]:
        model.score(text).to_dict()
    per_article, per_article_full = [], []
    for text in texts[3:]:
        started = time.perf_counter()
        model.score(text)
        per_article.append(time.perf_counter() - started)
    for text in texts[3:]:
        # The whole report as JSON data: every unit's evidence, the top sentences and terms.
        started = time.perf_counter()
        model.score(text).to_dict()
        per_article_full.append(time.perf_counter() - started)
    total_words = sum(len(t.split()) for t in texts[3:])
    return {
        "n_sentences": n_sentences,
        "repeats": repeats,
        "framing_sentences_per_s": round(statistics.median(framing_rates), 1),
        "plain_sentences_per_s": round(statistics.median(plain_rates), 1),
        "framing_tasks": list(model.tasks),
        "plain_pipeline": "TfidfVectorizer(word 1-2) + TfidfVectorizer(char_wb 2-5) + LogisticRegression, 1 task",
        "plain_trained_on": source,
        "n_articles": n_articles,
        "mean_words_per_article": round(total_words / n_articles, 1),
        "articles_per_s": round(n_articles / sum(per_article), 2),
        "median_ms_per_article": round(1000 * statistics.median(per_article), 1),
        "articles_per_s_with_to_dict": round(n_articles / sum(per_article_full), 2),
        "median_ms_per_article_with_to_dict": round(1000 * statistics.median(per_article_full), 1),
        "model_features": int(model._stacked_coef.shape[0]),
    }


def measure_memory(args: dict[str, Any]) -> dict[str, Any]:
    """Peak resident memory while streaming articles through ``score_many`` (reports consumed at once)."""
    import framing

    from ._synthetic import articles

    n = int(args.get("n_articles", 10000))
    words = int(args.get("words", 250))
    baseline = _peak_rss_mb()
    model = framing.load()
    model.score(next(articles(1, words=words, seed=11)))
    after_load = _peak_rss_mb()
    checkpoints = sorted({max(1, n // 10), max(1, n // 2), n})
    peaks = {}
    started = time.perf_counter()
    n_sentences = 0
    for count, report in enumerate(model.score_many(articles(n, words=words, seed=12)), start=1):
        n_sentences += report.n_units
        if count in checkpoints:
            peaks[str(count)] = round(_peak_rss_mb(), 1)
    seconds = time.perf_counter() - started
    return {
        "n_articles": n,
        "words_per_article": words,
        "units_scored": n_sentences,
        "rss_before_model_mb": round(baseline, 1),
        "peak_rss_after_load_mb": round(after_load, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "peak_rss_at": peaks,
        "current_rss_end_mb": None if _current_rss_mb() is None else round(_current_rss_mb(), 1),
        "seconds": round(seconds, 1),
        "articles_per_s": round(n / seconds, 2),
        "method": "resource.getrusage(RUSAGE_SELF).ru_maxrss in a fresh process, n_jobs=1",
    }


def _training_data(n: int, corpus: str, seed: int = 0):
    """``n`` labelled sentences: the project's corpus cycled, or made-up sentences with random labels."""
    import random

    schema, labelled = _labelled_sentences(corpus)
    if labelled:
        data = [labelled[i % len(labelled)] for i in range(n)]
        return schema, data, f"labeled/ ({len(labelled)} sentences) repeated to {n}"
    import framing
    from framing.data import load_schema

    from ._synthetic import sentences

    schema = load_schema(Path(corpus) / "schema.json") if (Path(corpus) / "schema.json").is_file() else None
    if schema is None:
        from framing.data import Schema, TaskSpec

        schema = Schema(tasks=(TaskSpec("loaded", "binary", (False, True)),))
    rng = random.Random(seed)
    pool = sentences(min(n, 5000), seed=21)
    data = [
        framing.LabeledSentence(pool[i % len(pool)], {t.name: rng.choice(t.classes) for t in schema.tasks},
                                article=f"a{i // 25}")
        for i in range(n)
    ]
    return schema, data, f"{len(pool)} made-up sentences with random labels, repeated to {n}"


def measure_training(args: dict[str, Any]) -> dict[str, Any]:
    """Wall time of ``framing.train`` (every task of the schema) and of the plain pipeline (one task)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    import framing
    from framing.evaluation._evaluate import make_tfidf_pipeline

    n = int(args["n"])
    calibration = args.get("calibration", "temperature")
    schema, data, source = _training_data(n, args.get("corpus", str(REPO / "labeled")))
    started = time.perf_counter()
    model = framing.train(data, schema=schema, calibration=calibration)
    framing_seconds = time.perf_counter() - started
    texts = [s.text for s in data if not s.boilerplate]
    task = schema.task_names[0]
    y = [s.labels[task] for s in data if not s.boilerplate]
    plain_seconds = None
    if len(set(map(repr, y))) >= 2:
        started = time.perf_counter()
        make_pipeline(make_tfidf_pipeline(), LogisticRegression(class_weight="balanced", max_iter=2000)).fit(texts, y)
        plain_seconds = time.perf_counter() - started
    return {
        "n": n,
        "calibration": calibration,
        "tasks": list(model.tasks),
        "framing_seconds": round(framing_seconds, 2),
        "plain_seconds": None if plain_seconds is None else round(plain_seconds, 2),
        "plain_task": task,
        "n_features": int(model._stacked_coef.shape[0]),
        "data": source,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def measure_recipe_training(args: dict[str, Any]) -> dict[str, Any]:
    """Wall time of training the shipped recipe vs the plain pipeline trained per task on the same rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from framing.evaluation._evaluate import make_tfidf_pipeline
    from framing.model._recipe import load_recipe, recipe_sentences, task_rows, train_recipe

    data_root = args["data"]
    recipe = load_recipe(REPO / "models" / "recipe-default.json")
    started = time.perf_counter()
    pairs = recipe_sentences(recipe, data_root)
    load_seconds = time.perf_counter() - started
    weights = {source.name: dict(source.weights) for source in recipe.sources}
    plain = {}
    for task in recipe.schema.task_names:
        rows = task_rows(pairs, task, weights)
        texts, y = [s.text for s, _ in rows], [str(s.labels[task]) for s, _ in rows]
        started = time.perf_counter()
        make_pipeline(make_tfidf_pipeline(), LogisticRegression(class_weight="balanced", max_iter=2000)).fit(
            texts, y, logisticregression__sample_weight=[w for _, w in rows])
        plain[task] = {"n": len(rows), "seconds": round(time.perf_counter() - started, 2)}
    plain_seconds = sum(item["seconds"] for item in plain.values())
    started = time.perf_counter()
    model = train_recipe(recipe, data_root)
    framing_seconds = time.perf_counter() - started
    return {
        "framing_seconds": round(framing_seconds, 1),
        "reading_sources_seconds": round(load_seconds, 1),
        "plain_seconds": round(plain_seconds, 1),
        "ratio": round((framing_seconds - load_seconds) / plain_seconds, 2),
        "plain_per_task": plain,
        "n_features": int(model.n_features),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "method": "framing: train_recipe(models/recipe-default.json) (reads the sources, then every task with its block "
                  "choice and temperature); plain: TfidfVectorizer word 1-2 + char_wb 2-5 + LogisticRegression per task "
                  "on the same rows and weights, sources already read; ratio = (framing - reading) / plain",
    }


def measure_evaluate(args: dict[str, Any]) -> dict[str, Any]:
    """Wall time of ``framing.evaluate`` on the project's corpus with its defaults (what ``framing evaluate labeled/`` runs)."""
    import framing

    corpus = args.get("corpus", str(REPO / "labeled"))
    # --quick: a functional check only (no baselines, curve, calibration or block choice).
    options = ({"baselines": ("majority",), "learning_curve": False, "bootstrap": 0,
                "config": {"calibration": None, "block_selection": False}} if args.get("quick") else {})
    started = time.perf_counter()
    result = framing.evaluate(corpus, **options)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "splitter": result.splitter, "n_folds": len(result.folds),
            "tasks": list(result.tasks), "options": "defaults" if not options else "quick check (not the defaults)",
            "peak_rss_mb": round(_peak_rss_mb(), 1)}


MEASUREMENTS = {"throughput": measure_throughput, "memory": measure_memory, "training": measure_training,
                "recipe_training": measure_recipe_training, "evaluate": measure_evaluate}


def run_in_subprocess(name: str, args: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process pinned to one core; return its JSON result."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks._speed", name, json.dumps(args)],
        cwd=str(REPO), env=single_core_env(), capture_output=True, text=True, timeout=timeout,
    )
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit code {completed.returncode}"]
        raise RuntimeError(f"{name} measurement failed: {tail[0]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- in-process measurements


def model_size(path: Path | None = None) -> dict[str, Any]:
    """Bytes on disk of the bundled model folder and its number of features."""
    folder = path or REPO / "models" / "default"
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}
    result: dict[str, Any] = {"path": str(folder.relative_to(REPO)) if folder.is_relative_to(REPO) else str(folder),
                              "bytes": sum(files.values()), "files": files}
    try:
        import framing

        model = framing.load(folder)
        result["n_features"] = int(model._stacked_coef.shape[0])
        result["n_training_sentences"] = model.metadata.get("n_training_sentences")
    except Exception as error:  # the size is still worth reporting
        result["load_error"] = str(error)
    return result


def _framing_command() -> list[str]:
    script = Path(sys.executable).parent / "framing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "framing"]


def cli_start(repeats: int = 5, words: int = 600) -> dict[str, Any]:
    """Median wall time of ``framing --help`` and of ``framing score`` on one article (fresh processes)."""
    from ._synthetic import articles

    command = _framing_command()
    env = single_core_env()
    results: dict[str, Any] = {"command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command)),
                               "repeats": repeats}
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "article.txt"
        article.write_text(next(articles(1, words=words, seed=42)), encoding="utf-8")
        for label, extra in (("help", ["--help"]), ("score_one_article", ["score", "--quiet", str(article)])):
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                completed = subprocess.run(command + extra, env=env, capture_output=True, text=True, cwd=folder)
                times.append(time.perf_counter() - started)
                if completed.returncode != 0:
                    raise RuntimeError(f"`framing {' '.join(extra[:1])}` failed: {completed.stderr.strip()[-200:]}")
            results[f"{label}_median_s"] = round(statistics.median(times), 3)
            results[f"{label}_all_s"] = [round(t, 3) for t in times]
    return results


_CHILD_PEAK = """
import resource, subprocess, sys, time
started = time.perf_counter()
completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(completed.returncode, seconds, peak, repr(completed.stderr[-300:]))
"""


def big_text(megabytes: float = 10.0) -> dict[str, Any]:
    """``framing score`` on one made-up text of ``megabytes`` MB: wall time and peak memory of the command.

    Each command runs in its own fresh wrapper process, whose
    ``RUSAGE_CHILDREN`` peak is the command's own.
    """
    from ._synthetic import articles

    command = _framing_command()
    env = single_core_env()
    result: dict[str, Any] = {"megabytes": megabytes}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        size = 0
        with open(path, "w", encoding="utf-8") as handle:
            for text in articles(10 ** 7, words=600, seed=8):
                handle.write(text + "\n\n")
                size += len(text.encode("utf-8")) + 2
                if size >= megabytes * 1e6:
                    break
        result["bytes"] = size
        page = Path(folder) / "big.html"
        for label, extra in (("summary", []), ("json_and_html", ["--json", "--html", str(page)])):
            completed = subprocess.run([sys.executable, "-c", _CHILD_PEAK, *command, "score", *extra, str(path)],
                                       env=env, capture_output=True, text=True, cwd=folder)
            code, seconds, peak, stderr = completed.stdout.split(" ", 3)
            if code != "0":
                raise RuntimeError(f"framing score {' '.join(extra)} failed: {stderr}")
            peak_mb = int(peak) / (1024 * 1024) if platform.system() == "Darwin" else int(peak) / 1024
            result[label] = {"seconds": round(float(seconds), 1), "peak_rss_mb": round(peak_mb, 1)}
        result["json_and_html"]["html_bytes"] = page.stat().st_size
    return result


def main(argv: Sequence[str]) -> int:
    name = argv[0]
    args = json.loads(argv[1]) if len(argv) > 1 else {}
    cpu = _pin_to_one_core()
    result = MEASUREMENTS[name](args)
    result["pinned_cpu"] = cpu
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
