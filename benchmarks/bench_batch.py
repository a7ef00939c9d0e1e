"""Batch-scoring benchmark: ``Model.score_many`` throughput against ``n_jobs`` and peak memory while streaming.

Usage::

    python benchmarks/bench_batch.py                      # defaults: 200 articles, n_jobs 1 and 2; memory at 50 and 500
    python benchmarks/bench_batch.py --n 1000 --jobs 1,2,4 --memory-n 200,2000
    python benchmarks/bench_batch.py --model models/mine --articles-dir some/texts/

Every measurement runs in a fresh subprocess (so peak RSS is that run's
own), which loads the model, then streams synthetic news-like articles
(deterministic; about 2,500 characters each, or the ``.txt`` files of
``--articles-dir`` cycled) from a generator through ``score_many`` and
consumes each report at once, as a real pipeline writing JSON Lines would.
While it runs, a sampler thread records the resident memory of the process
and of its worker processes every 20 ms (from ``/proc``, or ``psutil`` if
installed; elsewhere only the parent's ``ru_maxrss``).

Prints one JSON document: per ``n_jobs`` the wall time, articles/s,
characters/s and speed-up over ``n_jobs=1``; per streamed size the peak RSS
of the parent and of parent plus workers, so that flat memory shows as equal
peaks for very different input sizes. Timings depend on the machine; no
threshold is asserted here.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_SUBJECTS = ["The delegation", "Kyiv", "Moscow", "The Kremlin", "Washington", "Officials", "Analysts", "Sources close to the talks",
             "The corrupt regime", "European leaders", "Rubio", "Umerov", "Zelensky", "Putin", "The envoy", "Critics"]
_VERBS = ["said", "reportedly rejected", "welcomed", "may accept", "denied", "claimed", "warned", "suggested",
          "insisted", "confirmed", "appeared to back", "condemned"]
_OBJECTS = ["the peace plan", "the 28-point proposal", "new sanctions", "the ceasefire", "security guarantees",
            "the talks in Florida", "a prisoner exchange", "the energy deal", "territorial concessions", "the aid package"]
_TAILS = ["on Sunday", "according to officials", "in a statement", "after hours of talks", "analysts say",
          "despite objections", "by 19.3%", "for the first time", "", ""]
_HEADLINES = ["Talks stall in Florida", "Envoys meet again", "Kremlin rejects plan", "Sanctions bite", "Advertisement",
              "Share this article", "Subscribe to our newsletter"]


def synthetic_articles(n: int | None, seed: int = 0, target_chars: int = 2500) -> Iterator[str]:
    """Deterministic news-like articles, generated lazily (``n=None``: endless)."""
    rng = random.Random(seed)
    for _ in (itertools.count() if n is None else range(n)):
        lines = [rng.choice(_HEADLINES)]
        size = len(lines[0])
        while size < target_chars:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                tail = rng.choice(_TAILS)
                sentences.append(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}{' ' + tail if tail else ''}.")
            paragraph = " ".join(sentences)
            if rng.random() < 0.15:
                paragraph = f'"{paragraph}" {rng.choice(_SUBJECTS)} said.'
            lines.append(paragraph)
            size += len(paragraph) + 1
        yield "\n".join(lines)


def folder_articles(folder: str, n: int | None) -> Iterator[str]:
    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        raise SystemExit(f"no .txt files in {folder}")
    cycled = itertools.cycle(paths)
    for _ in (itertools.count() if n is None else range(n)):
        yield next(cycled).read_text(encoding="utf-8", errors="replace")


# ---------------------------------------------------------------------- memory sampling


def _rss_linux(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children_linux(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    result, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            result.append(child)
            stack.append(child)
    return result


class MemorySampler(threading.Thread):
    """Peak RSS of this process and of this process plus its descendants."""

    def __init__(self, interval: float = 0.02):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_main = 0
        self.peak_total = 0
        self.samples = 0
        self.method = "none"
        self._stop_event = threading.Event()
        try:
            import psutil  # type: ignore

            self._process = psutil.Process()
            self.method = "psutil"
        except ImportError:
            self._process = None
            if os.path.exists("/proc/self/status"):
                self.method = "procfs"

    def sample(self) -> None:
        if self.method == "psutil":
            import psutil  # type: ignore

            main = self._process.memory_info().rss
            total = main
            for child in self._process.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
        elif self.method == "procfs":
            pid = os.getpid()
            main = _rss_linux(pid)
            total = main + sum(_rss_linux(child) for child in _children_linux(pid))
        else:
            return
        self.samples += 1
        self.peak_main = max(self.peak_main, main)
        self.peak_total = max(self.peak_total, total)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.sample()


# ---------------------------------------------------------------------- one measurement (in a subprocess)


def measure(args: argparse.Namespace) -> dict[str, object]:
    import resource

    import framing

    model = framing.load(args.model)
    baseline_sampler = MemorySampler()
    baseline_sampler.sample()
    texts = folder_articles(args.articles_dir, args.n) if args.articles_dir else synthetic_articles(args.n, seed=args.seed)
    counted = {"articles": 0, "chars": 0}

    def counting(iterable):
        for text in iterable:
            counted["articles"] += 1
            counted["chars"] += len(text)
            yield text

    sampler = MemorySampler()
    sampler.start()
    digest = hashlib.sha256()
    units = 0
    start = time.perf_counter()
    first_result = None
    for report in model.score_many(counting(texts), n_jobs=args.n_jobs, chunk_size=args.chunk_size):
        if first_result is None:
            first_result = time.perf_counter() - start
        units += report.n_units
        digest.update(repr(report.slant_index).encode())  # consume the report, keep nothing
    elapsed = time.perf_counter() - start
    sampler.stop()
    return {
        "n_jobs": args.n_jobs,
        "chunk_size": args.chunk_size,
        "articles": counted["articles"],
        "characters": counted["chars"],
        "units": units,
        "seconds": round(elapsed, 3),
        "seconds_to_first_report": round(first_result or 0.0, 3),
        "articles_per_second": round(counted["articles"] / elapsed, 2) if elapsed else None,
        "characters_per_second": round(counted["chars"] / elapsed) if elapsed else None,
        "rss_after_model_load_mb": round(baseline_sampler.peak_main / 2**20, 1),
        "peak_rss_main_mb": round(sampler.peak_main / 2**20, 1),
        "peak_rss_with_workers_mb": round(sampler.peak_total / 2**20, 1),
        "ru_maxrss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "memory_samples": sampler.samples,
        "memory_method": sampler.method,
        "output_digest": digest.hexdigest()[:16],
    }


def run_child(args: argparse.Namespace, n: int, n_jobs: int) -> dict[str, object]:
    command = [sys.executable, os.path.abspath(__file__), "--child", "--n", str(n), "--n-jobs", str(n_jobs),
               "--chunk-size", str(args.chunk_size), "--seed", str(args.seed)]
    if args.model:
        command += ["--model", args.model]
    if args.articles_dir:
        command += ["--articles-dir", args.articles_dir]
    print(f"bench_batch: n={n} n_jobs={n_jobs} ...", file=sys.stderr, flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"measurement failed (n={n}, n_jobs={n_jobs}):\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles per throughput run (default 200)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated n_jobs values (default 1,2)")
    parser.add_argument("--chunk-size", type=int, default=16, help="articles per worker task (default 16)")
    parser.add_argument("--memory-n", default="50,500",
                        help="comma-separated stream sizes for the memory runs at n_jobs=1 and the largest n_jobs (default 50,500)")
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--articles-dir", default=None, help="score the .txt files of this folder (cycled) instead of synthetic articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n-jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(measure(args)))
        return 0

    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    throughput = [run_child(args, args.n, n_jobs) for n_jobs in jobs]
    base = next((r for r in throughput if r["n_jobs"] == 1), None)
    for record in throughput:
        record["speedup_vs_1_job"] = round(base["seconds"] / record["seconds"], 2) if base else None
    digests = {r["output_digest"] for r in throughput}

    memory = []
    sizes = [int(n) for n in args.memory_n.split(",") if n.strip()]
    for n_jobs in sorted({1, max(jobs)}):
        for n in sizes:
            record = next((r for r in throughput if r["n_jobs"] == n_jobs and r["articles"] == n), None) or run_child(args, n, n_jobs)
            memory.append({key: record[key] for key in ("n_jobs", "articles", "characters", "seconds", "rss_after_model_load_mb",
                                                        "peak_rss_main_mb", "peak_rss_with_workers_mb", "memory_method")})
    growth = {}
    for n_jobs in sorted({1, max(jobs)}):
        runs = sorted((r for r in memory if r["n_jobs"] == n_jobs), key=lambda r: r["articles"])
        if len(runs) >= 2:
            small, large = runs[0], runs[-1]
            growth[str(n_jobs)] = {
                "articles": [small["articles"], large["articles"]],
                "peak_rss_main_mb": [small["peak_rss_main_mb"], large["peak_rss_main_mb"]],
                "peak_rss_with_workers_mb": [small["peak_rss_with_workers_mb"], large["peak_rss_with_workers_mb"]],
                "main_mb_per_1000_articles": round((large["peak_rss_main_mb"] - small["peak_rss_main_mb"])
                                                   / (large["articles"] - small["articles"]) * 1000, 2),
            }

    import framing

    print(json.dumps({
        "benchmark": "score_many",
        "framing_version": framing.__version__,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "model": args.model or "bundled default",
        "articles": args.articles_dir or "synthetic (~2,500 characters each)",
        "chunk_size": args.chunk_size,
        "throughput": throughput,
        "same_output_for_every_n_jobs": len(digests) == 1,
        "memory": memory,
        "memory_growth": growth,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
