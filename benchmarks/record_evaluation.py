"""Write a transfer benchmark run's per-task skill into the recipe, so the trained model carries it.

Usage (after ``python -m benchmarks --only loso indomain --out benchmarks/results/transfer``,
``python -m benchmarks --only stance axis --out benchmarks/results/stance`` and
``python -m benchmarks --only frames --out benchmarks/results/frames``)::

    python -m benchmarks.record_evaluation benchmarks/results/transfer/latest.json \
        [benchmarks/results/stance/latest.json benchmarks/results/frames/latest.json ...] models/recipe-default.json

Several results files may be given (the recipe last): their benchmarks are read together, a later
file's job replacing an earlier one's of the same name.

For every task the recipe's model learns (its ``tasks``, else every schema task) it collects the
held-out measurements of the run -- leave-one-source-out (``loso/<task>/<source>``) and leave-one-seed-
article-out (``indomain/seeds``); for the tasks of a frame set, the held-out sources of the project's
frame labels (``frames/own``) -- and stores :func:`framing.report._reliability.summarise`
of them as the recipe's ``evaluation``. :func:`framing.model._recipe.train_recipe`
copies it into ``metadata["evaluation"]``, and reports flag the tasks it
finds unreliable. Nothing is estimated here: every number is one the run measured.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from framing._util import atomic_write
from framing.report._reliability import summarise

#: A held-out source speaks for a frame only with at least this many positives of it (spec §7).
MIN_POSITIVES = 5


def measurements(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``{task: [{"protocol", "roc_auc", "macro_f1", "n"}, ...]}`` from a transfer run's JSON."""
    per_task: dict[str, list[dict[str, Any]]] = {}
    for name, outcome in sorted(results["benchmarks"].items()):
        if outcome.get("status") != "ok":
            continue
        details = outcome["result"]["details"]
        parts = name.split("/")
        if parts[0] == "loso" and len(parts) == 3:
            task, source = parts[1], parts[2]
            protocol = next((row["protocol"] for row in outcome["result"]["rows"]), f"test on {source}")
            per_task.setdefault(task, []).append({
                "protocol": f"leave one source out: {protocol}", "roc_auc": details["framing"].get("roc_auc"),
                "macro_f1": details["framing"].get("macro_f1"), "n": details.get("n_test"),
                "n_train": details.get("n_train"),
                "representative": details.get("n_train", 0) >= details.get("n_test", 0),
            })
        elif name in ("indomain/seeds", "indomain/seeds-large"):
            for task, scores in details["tasks"].items():
                per_task.setdefault(task, []).append({
                    "protocol": "leave one seed article out (other articles + the task's other sources)",
                    "roc_auc": scores.get("roc_auc"), "macro_f1": scores.get("macro_f1"), "n": None,
                    "representative": True,
                })
    per_task.update(stance_measurements(results))
    frames = frame_measurements(results)
    # A frame task is measured by the frames benchmark only (spec: one measurement per held-out source of the
    # project's frame labels), not by a transfer job that happened to train it.
    per_task = {task: items for task, items in per_task.items() if task not in frames}
    per_task.update(frames)
    return per_task


def frame_measurements(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``{frame task: [one measurement per held-out source], ...}`` from a run's ``frames/own`` job.

    Each measurement: ``{"protocol", "roc_auc", "macro_f1", "n", "n_train", "positives", "representative"}``,
    representative when the training side is at least as large as the held-out side and the held-out
    side has at least 5 positives of the frame. When the label file held units of round frames_v2
    (keyword-screened), the same measurement on the frames_v1 units alone is added (the rule takes the worst).

    Examples
    --------
    >>> scores = {"auc": 0.71, "macro_f1": 0.6, "n": 400, "positives": 25}
    >>> run = {"benchmarks": {"frames/own": {"status": "ok", "result": {"details": {
    ...     "frames": ["economic"], "frame_tasks": ["frame_economic"], "held_out_v1": {},
    ...     "held_out": {"babe": {"trained_on": ["polnear", "seeds"], "n_train": {"frame_economic": 900},
    ...                           "systems": {"model": {"economic": scores}}}}}}}}}
    >>> frame_measurements(run)["frame_economic"][0]["representative"]
    True
    """
    outcome = results["benchmarks"].get("frames/own")
    if outcome is None or outcome.get("status") != "ok":
        return {}
    details = outcome["result"]["details"]
    found: dict[str, list[dict[str, Any]]] = {}
    for key, suffix in (("held_out", ""), ("held_out_v1", " (frames_v1 units only)")):
        for source, info in sorted((details.get(key) or {}).items()):
            trained_on = info.get("trained_on") or details["held_out"][source]["trained_on"]
            for frame, task in zip(details["frames"], details["frame_tasks"]):
                scores = info["systems"]["model"][frame]
                n_train = info["n_train"][task]
                found.setdefault(task, []).append({
                    "protocol": f"leave one source out of the project's frame labels: train on "
                                f"{' + '.join(trained_on)}; test on {source}{suffix}",
                    "roc_auc": scores["auc"], "macro_f1": scores["macro_f1"], "n": scores["n"], "n_train": n_train,
                    "positives": scores["positives"],
                    "representative": n_train >= scores["n"] and scores["positives"] >= MIN_POSITIVES,
                })
    return found


def stance_measurements(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``target_stance`` (stance toward a mention) and ``slant`` (the axis built from it) from a run's stance jobs.

    ``target_stance``: NewsMTSC devtest macro AUC (trained on NewsMTSC train and the project's labels) and the
    project's labels with one source held out, per side. ``slant``: the per-side held-out measurements (the
    poles' actors are what the slant is built from) and the ukraine-news-bias articles' AUC. Either replaces
    what the sentence task of that name measured.
    """
    benchmarks = {name: outcome for name, outcome in results["benchmarks"].items() if outcome.get("status") == "ok"}
    stance: list[dict[str, Any]] = []
    slant: list[dict[str, Any]] = []
    newsmtsc = benchmarks.get("stance/newsmtsc")
    if newsmtsc is not None:
        result = newsmtsc["result"]["details"]["newsmtsc_train+own_labels"]
        for split in ("devtest_rw", "devtest_mt"):
            stance.append({"protocol": f"NewsMTSC {split} (trained on NewsMTSC train + the project's labels)",
                           "roc_auc": result[split]["macro_auc"]["target_stance"],
                           "macro_f1": result[split]["target_stance"], "n": result[split]["n"],
                           "n_train": result["n_train"], "representative": True})
    loso = benchmarks.get("stance/own-loso")
    if loso is not None:
        for source, record in loso["result"]["details"]["sources"].items():
            for side, scores in record["target_stance"].items():
                if not scores["n"] or scores["auc"] is None:
                    continue
                entry = {"protocol": f"leave one source out: the project's target labels of {source}, stance toward {side}",
                         "roc_auc": scores["auc"], "macro_f1": scores["macro_f1"], "n": scores["n"],
                         "n_train": record["n_train"],
                         # A handful of held-out mentions says little: at least 30, and a training side as large.
                         "representative": scores["n"] >= 30 and record["n_train"] >= scores["n"]}
                stance.append(entry)
                slant.append(dict(entry))
    ukraine = benchmarks.get("axis/ukraine")
    if ukraine is not None and ukraine["result"]["details"].get("roc_auc_pro_west") is not None:
        details = ukraine["result"]["details"]
        slant.append({"protocol": "ukraine-news-bias articles, their target labels held out: article slant vs the crowd "
                                  "(pro-West over pro-Russia)", "roc_auc": details["roc_auc_pro_west"], "macro_f1": None,
                      "n": details["axis_applies"], "representative": True})
    found = {}
    if stance:
        found["target_stance"] = stance
    if slant:
        found["slant"] = slant
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    results_paths, recipe_path = [Path(a) for a in argv[:-1]], Path(argv[-1])
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in results_paths]
    results = {**runs[0], "benchmarks": {name: outcome for run in runs for name, outcome in run["benchmarks"].items()}}
    recipe = json.loads(recipe_path.read_text(encoding="utf-8"))
    # The tasks the recipe's model learns: an entry of a task it no longer has (the old `frame`) goes.
    tasks = list(recipe.get("tasks") or
                 json.loads((recipe_path.parent / recipe["schema"]).read_text(encoding="utf-8"))["tasks"])
    found = measurements(results)
    per_task = {task: found.get(task, []) for task in tasks}
    if "target_stance" in found:
        per_task["target_stance"] = found["target_stance"]
    recipe["evaluation"] = summarise(per_task, {
        "results": ", ".join(str(path) for path in results_paths),
        "git_commit": ", ".join(sorted({str(run.get("git_commit")) for run in runs})),
        "date": ", ".join(str(run.get("date")) for run in runs),
        "command": "; ".join(str(run.get("command")) for run in runs),
    })
    atomic_write(recipe_path, json.dumps(recipe, indent=2, ensure_ascii=False) + "\n", mode=0o644)
    for task, info in recipe["evaluation"]["tasks"].items():
        print(f"{task}: {'reliable' if info['reliable'] else 'NOT reliable'} ({info['metric']} {info['value']:.3f}, "
              f"{info['protocol']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
