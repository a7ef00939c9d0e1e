"""Write a transfer benchmark run's per-task skill into the recipe, so the trained model carries it.

Usage (after ``python -m benchmarks --only loso indomain --out benchmarks/results/transfer``)::

    python -m benchmarks.record_evaluation benchmarks/results/transfer/latest.json models/recipe-default.json

For every task of the recipe it collects the held-out measurements of the
run -- leave-one-source-out (``loso/<task>/<source>``) and leave-one-seed-
article-out (``indomain/seeds``) -- and stores :func:`framing.report._reliability.summarise`
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
    return per_task


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    results_path, recipe_path = Path(argv[0]), Path(argv[1])
    results = json.loads(results_path.read_text(encoding="utf-8"))
    recipe = json.loads(recipe_path.read_text(encoding="utf-8"))
    tasks = list(json.loads((recipe_path.parent / recipe["schema"]).read_text(encoding="utf-8"))["tasks"])
    found = measurements(results)
    per_task = {task: found.get(task, []) for task in tasks}
    recipe["evaluation"] = summarise(per_task, {
        "results": str(results_path), "git_commit": results.get("git_commit"), "date": results.get("date"),
        "command": results.get("command"),
    })
    atomic_write(recipe_path, json.dumps(recipe, indent=2, ensure_ascii=False) + "\n", mode=0o644)
    for task, info in recipe["evaluation"]["tasks"].items():
        print(f"{task}: {'reliable' if info['reliable'] else 'NOT reliable'} ({info['metric']} {info['value']:.3f}, "
              f"{info['protocol']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
