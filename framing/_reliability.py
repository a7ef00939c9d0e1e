"""When is a task's score a finding? One rule, applied to measured out-of-domain skill.

A model's ``metadata["evaluation"]`` (copied from its recipe, where
``python -m benchmarks.record_evaluation`` writes it from a benchmark run)
holds, per task, the ranking quality measured on labelled data the task was
not trained on: ROC AUC on a held-out *source* (leave-one-source-out) where
two or more sources label the task, else on held-out *articles* of the seed
corpus. A task is **reliable** when the worst of those AUCs is at least
:data:`MIN_AUC`; reports show an unreliable task as "not reliable (measured
...)" instead of a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MIN_AUC", "assess", "summarise"]

#: ROC AUC (macro over classes for multiclass tasks) a task needs on data it never saw: 0.5 is chance.
MIN_AUC = 0.65


def assess(measurements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Reliability of one task from its measurements ``[{"protocol", "roc_auc", "macro_f1", "n"}, ...]``.

    Examples
    --------
    >>> assess([{"protocol": "train on A; test on B", "roc_auc": 0.81, "macro_f1": 0.7, "n": 100},
    ...         {"protocol": "train on B; test on A", "roc_auc": 0.52, "macro_f1": 0.4, "n": 50}])["reliable"]
    False
    >>> assess([])["reliable"]
    False
    """
    usable = [m for m in measurements if m.get("roc_auc") is not None]
    if not usable:
        return {"reliable": False, "metric": "ROC AUC", "value": float("nan"), "protocol": "not measured",
                "measurements": list(measurements), "rule": f"worst held-out ROC AUC >= {MIN_AUC}"}
    worst = min(usable, key=lambda m: m["roc_auc"])
    return {
        "reliable": bool(worst["roc_auc"] >= MIN_AUC),
        "metric": "ROC AUC",
        "value": float(worst["roc_auc"]),
        "protocol": str(worst["protocol"]),
        "measurements": [dict(m) for m in measurements],
        "rule": f"worst held-out ROC AUC >= {MIN_AUC}",
    }


def summarise(per_task: Mapping[str, Sequence[Mapping[str, Any]]], provenance: Mapping[str, Any]) -> dict[str, Any]:
    """The ``evaluation`` section of a recipe: provenance plus :func:`assess` of every task."""
    return {**dict(provenance), "tasks": {task: assess(items) for task, items in per_task.items()}}
