"""The benchmark runner behind ``python -m benchmarks``.

Two phases:

1. *parallel*: the quality benchmarks and the memory measurement (which only
   reads peak memory, not time) run as independent jobs in a process pool,
   one job per core (``--jobs``, default ``min(2, CPUs)``), each
   single-threaded;
2. *alone*: the timing measurements (throughput, training time, CLI start)
   then run one after another, each in a fresh subprocess pinned to one core,
   with nothing else of ours running. (With ``--quick``, a functional check
   whose numbers are not for comparison, every job shares the pool.)

Results go to ``OUT/latest.json`` and ``OUT/latest.md`` (``quick.json`` and
``quick.md`` with ``--quick``, so that a quick check never overwrites the
full results). A missing data set skips its benchmark with one line on
stderr; it is never a failure. The exit code is 1 when a benchmark raised an
error, else 0.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import _axis, _frames, _quality, _speed, _target, _transfer, _voice
from ._quality import Context, Skipped

__all__ = ["main", "JOBS", "select_jobs", "machine_info"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent / "results"

QUALITY_GROUPS = ("seed", "babe", "weasel", "polnear", "frames", "stance", "axis", "transfer", "loso", "indomain")
SPEED_GROUPS = ("throughput", "memory", "size", "training", "recipe-training", "evaluate-time", "cli", "big-text")
ALIASES = {"quality": QUALITY_GROUPS, "speed": SPEED_GROUPS}


@dataclass(frozen=True)
class Job:
    """One unit of work: ``name`` is unique, ``group`` is what ``--only`` selects."""

    name: str
    group: str
    section: str  # "quality" or "speed"
    function: Callable[..., dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    parallel: bool = True
    cost: float = 1.0  # rough minutes, for scheduling the longest first


# ---------------------------------------------------------------------- speed jobs (module level: picklable)


def speed_throughput(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.run_in_subprocess("throughput", {**params, "corpus": ctx.corpus, "data": ctx.data_root})


def speed_recipe_training(ctx: Context, **params: Any) -> dict[str, Any]:
    from framing.model._recipe import check_files, load_recipe

    try:
        check_files(load_recipe(REPO / "models" / "recipe-default.json"), ctx.data_root)
    except Exception as error:  # a source missing or changed: nothing comparable to measure
        raise Skipped(f"the recipe's data is not usable at {ctx.data_root}: {error}") from None
    return _speed.run_in_subprocess("recipe_training", {**params, "data": ctx.data_root})


def speed_evaluate(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.run_in_subprocess("evaluate", {**params, "corpus": ctx.corpus})


def speed_big_text(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.big_text(**params)


def speed_memory(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.run_in_subprocess("memory", {**params, "corpus": ctx.corpus})


def speed_training(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.run_in_subprocess("training", {**params, "corpus": ctx.corpus})


def speed_size(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.model_size()


def speed_cli(ctx: Context, **params: Any) -> dict[str, Any]:
    return _speed.cli_start(**params)


def build_jobs(quick: bool) -> list[Job]:
    """Every job of a full (or quick) run, in report order."""
    jobs = [
        Job("seed", "seed", "quality", _quality.run_seed, cost=8),
        Job("babe/stratified", "babe", "quality", _quality.run_babe_stratified, cost=5),
        Job("babe/outlet", "babe", "quality", _quality.run_babe_outlet, cost=3),
        Job("weasel", "weasel", "quality", _quality.run_weasel, cost=4),
        Job("polnear", "polnear", "quality", _quality.run_polnear, cost=5),
        Job("voice", "polnear", "quality", _voice.run_voice, cost=4),
        Job("frames/own", "frames", "quality", _frames.run_frames_own, cost=5),
        Job("frames/frac", "frames", "quality", _frames.run_frames_frac, cost=1),
        Job("frames/articles", "frames", "quality", _frames.run_frames_articles, cost=3),
        Job("frames/nfc", "frames", "quality", _frames.run_frames_nfc, cost=6),
        Job("stance/newsmtsc", "stance", "quality", _target.run_stance_newsmtsc, cost=4),
        Job("stance/own-loso", "stance", "quality", _target.run_stance_loso, cost=6),
        Job("axis/ukraine", "axis", "quality", _axis.run_axis_ukraine, cost=3),
        Job("axis/seeds", "axis", "quality", _axis.run_axis_seeds, cost=2),
        Job("transfer", "transfer", "quality", _quality.run_transfer, cost=1),
        *[Job(f"loso/{task}/{source}", "loso", "quality", _transfer.run_loso, {"task": task, "source": source}, cost=4)
          for task, source in _transfer.loso_jobs()],
        *[Job(f"indomain/{name}", "indomain", "quality", _transfer.run_indomain, {"name": name}, cost=c)
          for name, c in (("babe", 12), ("weasel", 3), ("polnear", 4), ("ukraine", 3), ("seeds", 3), ("seeds-large", 20))],
        Job("memory", "memory", "speed", speed_memory,
            {"n_articles": 100, "words": 150} if quick else {"n_articles": 10000, "words": 250}, cost=6),
        Job("throughput", "throughput", "speed", speed_throughput,
            {"n_sentences": 300, "repeats": 1, "n_articles": 5} if quick else
            {"n_sentences": 5000, "repeats": 3, "n_articles": 100}, parallel=False),
        Job("size", "size", "speed", speed_size, parallel=False),
    ]
    points = [(200, None), (500, None)] if quick else [(1000, "temperature"), (1000, None), (10000, None), (100000, None)]
    for n, calibration in points:
        suffix = "" if calibration else "-uncalibrated"
        jobs.append(Job(f"training/{n}{suffix}", "training", "speed", speed_training,
                        {"n": n, "calibration": calibration}, parallel=False))
    jobs.append(Job("recipe-training", "recipe-training", "speed", speed_recipe_training, parallel=False, cost=5))
    jobs.append(Job("evaluate-time", "evaluate-time", "speed", speed_evaluate, {"quick": quick}, parallel=False, cost=2))
    jobs.append(Job("cli", "cli", "speed", speed_cli, {"repeats": 1 if quick else 5}, parallel=False))
    jobs.append(Job("big-text", "big-text", "speed", speed_big_text, {"megabytes": 1.0 if quick else 10.0}, parallel=False))
    return jobs


JOBS = build_jobs(quick=False)


def select_jobs(jobs: Sequence[Job], only: Sequence[str] | None) -> list[Job]:
    """The jobs named by ``--only`` (groups, ``quality``/``speed``, or job names); all when None."""
    if not only:
        return list(jobs)
    wanted = set()
    known = {job.group for job in jobs} | {job.name for job in jobs} | set(ALIASES)
    for name in only:
        for part in name.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in known:
                raise SystemExit(f"benchmarks: unknown benchmark {part!r}; available: {', '.join(sorted(known))}")
            wanted.update(ALIASES.get(part, (part,)))
    return [job for job in jobs if job.group in wanted or job.name in wanted]


# ---------------------------------------------------------------------- machine and provenance


def machine_info() -> dict[str, Any]:
    """Platform, CPUs and memory of this machine."""
    memory_gb = None
    try:
        import psutil

        memory_gb = round(psutil.virtual_memory().total / 1024 ** 3, 1)
    except ImportError:
        try:
            with open("/proc/meminfo") as handle:
                for line in handle:
                    if line.startswith("MemTotal:"):
                        memory_gb = round(int(line.split()[1]) / 1024 ** 2, 1)
                        break
        except OSError:
            pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpu_model = None
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": cpu_model or platform.processor() or None,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "memory_gb": memory_gb,
    }


def git_commit() -> str | None:
    """``git rev-parse HEAD`` of the repository, or None (no git, or no commit yet)."""
    try:
        completed = subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(REPO), capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = completed.stdout.strip()
    return commit if completed.returncode == 0 and len(commit) >= 7 else None


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for module in ("framing", "sklearn", "numpy", "scipy"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:
            versions[module] = None
    return versions


# ---------------------------------------------------------------------- execution


def execute(job_name: str, function: Callable[..., dict[str, Any]], ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Run one job; never raises: ``{"status": "ok" | "skipped" | "error", ...}``."""
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    try:
        result = function(ctx, **params)
        status: dict[str, Any] = {"status": "ok", "result": result}
    except Skipped as skipped:
        status = {"status": "skipped", "reason": str(skipped)}
    except Exception as error:  # a failing benchmark is reported, the others still run
        status = {"status": "error", "reason": f"{type(error).__name__}: {error}",
                  "traceback": traceback.format_exc(limit=8)}
    status["seconds"] = round(time.perf_counter() - started, 2)
    status["job"] = job_name
    return status


def _progress_bar(total: int, quiet: bool):
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the bench extra
        return None
    return tqdm(total=total, file=sys.stderr, unit="job", disable=quiet, dynamic_ncols=True,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}] {postfix}")


class _Reporter:
    """Progress bar and one-line messages on stderr."""

    def __init__(self, total: int, quiet: bool):
        self.bar = _progress_bar(total, quiet)
        self.quiet = quiet
        self.running: list[str] = []
        self.reasons_shown: set = set()

    def write(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def start(self, name: str) -> None:
        self.running.append(name)
        self._refresh()

    def done(self, outcome: dict[str, Any]) -> None:
        name = outcome["job"]
        if name in self.running:
            self.running.remove(name)
        if outcome["status"] == "skipped" and outcome["reason"] not in self.reasons_shown:
            self.reasons_shown.add(outcome["reason"])
            self.write(f"skipped {name}: {outcome['reason']}")
        elif outcome["status"] == "error":
            self.write(f"error in {name}: {outcome['reason']}")
        if self.bar is not None:
            self.bar.update(1)
        self._refresh()

    def _refresh(self) -> None:
        if self.bar is not None:
            self.bar.set_description_str("running " + ", ".join(self.running) if self.running else "benchmarks")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(jobs: Sequence[Job], ctx: Context, workers: int, quiet: bool = False) -> dict[str, dict[str, Any]]:
    """Run the jobs (parallel phase, then the timing phase alone); outcomes by job name, in job order."""
    reporter = _Reporter(len(jobs), quiet)
    outcomes: dict[str, dict[str, Any]] = {}
    # Quick runs are checks, not measurements: everything shares the pool.
    parallel = sorted([job for job in jobs if job.parallel or ctx.quick], key=lambda job: -job.cost)
    alone = [job for job in jobs if not (job.parallel or ctx.quick)]
    try:
        if parallel and workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(parallel)), mp_context=get_context("spawn")) as pool:
                futures = {}
                for job in parallel:
                    futures[pool.submit(execute, job.name, job.function, ctx, job.params)] = job
                for job in parallel[:workers]:
                    reporter.start(job.name)
                queued = parallel[workers:]
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes[outcome["job"]] = outcome
                    reporter.done(outcome)
                    if queued:
                        reporter.start(queued.pop(0).name)
        else:
            for job in parallel:
                reporter.start(job.name)
                outcome = execute(job.name, job.function, ctx, job.params)
                outcomes[job.name] = outcome
                reporter.done(outcome)
        for job in alone:
            reporter.start(job.name)
            outcome = execute(job.name, job.function, ctx, job.params)
            outcomes[job.name] = outcome
            reporter.done(outcome)
    finally:
        reporter.close()
    return {job.name: outcomes[job.name] for job in jobs if job.name in outcomes}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure framing's quality (own corpus, BABE, wiki-weasel, PolNeAR, transfer) and its speed and "
                    "memory; write OUT/latest.json and OUT/latest.md (quick.* with --quick).",
    )
    parser.add_argument("--data", metavar="PATH", default=None,
                        help="folder with the external data sets (default: $FRAMING_DATA, else ../shared/data "
                             "from the working directory)")
    parser.add_argument("--out", metavar="DIR", default=str(DEFAULT_OUT), help="where the results go (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="small subsets and few repeats (under 2 minutes)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help=f"run only these: {', '.join(QUALITY_GROUPS + SPEED_GROUPS)}, or quality / speed")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="parallel workers for the quality benchmarks and the memory run (default: min(2, CPUs))")
    parser.add_argument("--corpus", metavar="DIR", default=str(REPO / "labeled"),
                        help="the project's labelled corpus (default: labeled/)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from ._datasets import available_datasets, resolve_data_root
    from ._markdown import render

    args = parse_args(argv)
    started = time.perf_counter()
    # Absolute, so that the worker processes and the timing subprocesses find it whatever their folder.
    data_root = resolve_data_root(args.data).absolute()
    ctx = Context(data_root=str(data_root), quick=args.quick, corpus=str(Path(args.corpus).resolve()))
    jobs = select_jobs(build_jobs(args.quick), args.only)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = args.jobs if args.jobs is not None else max(1, min(2, usable))
    print(f"benchmarks: {len(jobs)} job(s), data from {data_root} "
          f"({', '.join(k for k, v in available_datasets(data_root).items() if v) or 'no data sets found'})"
          f"{', quick mode' if args.quick else ''}", file=sys.stderr)
    outcomes = run(jobs, ctx, workers, quiet=args.quiet)
    document = {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "git_commit": git_commit(),
        "versions": _versions(),
        "command": " ".join(["python -m benchmarks", *(list(argv) if argv is not None else sys.argv[1:])]),
        "quick": bool(args.quick),
        "data_root": str(data_root),
        "workers": workers,
        "seconds": round(time.perf_counter() - started, 1),
        "benchmarks": outcomes,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "quick" if args.quick else "latest"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render(document), encoding="utf-8")
    failed = [name for name, outcome in outcomes.items() if outcome["status"] == "error"]
    print(f"benchmarks: wrote {json_path} and {md_path} in {document['seconds']:.0f} s"
          + (f"; errors in {', '.join(failed)}" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
