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

__all__ = ["MEASUREMENTS", "run_in_subprocess", "model_size", "cli_start", "single_core_env"]

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


def _plain_pipeline(args: dict[str, Any]):
    """The plain TF-IDF + logistic regression pipeline for one task, trained on the corpus (or made-up text)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from framing._evaluate import make_tfidf_pipeline

    from ._synthetic import sentences as synthetic

    schema, labelled = _labelled_sentences(args.get("corpus", str(REPO / "labeled")))
    task = "loaded"
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
    pipeline = make_pipeline(make_tfidf_pipeline(), LogisticRegression(class_weight="balanced", max_iter=2000))
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
        model.score(text)
    per_article = []
    for text in texts[3:]:
        started = time.perf_counter()
        model.score(text)
        per_article.append(time.perf_counter() - started)
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
    from framing.corpus import load_schema

    from ._synthetic import sentences

    schema = load_schema(Path(corpus) / "schema.json") if (Path(corpus) / "schema.json").is_file() else None
    if schema is None:
        from framing.corpus import Schema, TaskSpec

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
    from framing._evaluate import make_tfidf_pipeline

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


MEASUREMENTS = {"throughput": measure_throughput, "memory": measure_memory, "training": measure_training}


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
