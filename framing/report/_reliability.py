"""When is a task's score a finding? One rule, applied to measured out-of-domain skill.

A model's ``metadata["evaluation"]`` (copied from its recipe, where
``python -m benchmarks.record_evaluation`` writes it from a benchmark run)
holds, per task, the ranking quality measured on labelled data the task was
not trained on: ROC AUC on a held-out *source* (leave-one-source-out) where
two or more sources label the task, and on held-out *articles* of the seed
corpus. A measurement speaks for the shipped model when its training side is
at least as large as the held-out side (``representative``): holding out the
192 seed sentences says how the model does on news it never saw; training on
those 192 alone and testing on 7,000 Wikipedia sentences says how little 192
sentences teach, which is not the shipped model. A task is **reliable** when
the worst representative AUC is at least :data:`MIN_AUC`; reports show an
unreliable task as "not reliable (measured ...)" instead of a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MIN_AUC", "assess", "summarise", "unreliable_note"]

#: ROC AUC (macro over classes for multiclass tasks) a task needs on data it never saw: 0.5 is chance.
MIN_AUC = 0.65
RULE = f"worst representative held-out ROC AUC >= {MIN_AUC} (training side at least as large as the held-out side)"


def assess(measurements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Reliability of one task from its measurements ``[{"protocol", "roc_auc", "macro_f1", "n", "representative"}, ...]``.

    Examples
    --------
    >>> assess([{"protocol": "train on A; test on B", "roc_auc": 0.81, "macro_f1": 0.7, "n": 100},
    ...         {"protocol": "train on B; test on A", "roc_auc": 0.52, "macro_f1": 0.4, "n": 50}])["reliable"]
    False
    >>> assess([{"protocol": "train on A; test on B", "roc_auc": 0.81, "macro_f1": 0.7, "n": 100},
    ...         {"protocol": "train on B; test on A", "roc_auc": 0.52, "macro_f1": 0.4, "n": 5000,
    ...          "representative": False}])["reliable"]
    True
    >>> assess([])["reliable"]
    False
    """
    usable = [m for m in measurements if m.get("roc_auc") is not None and m.get("representative", True)]
    if not usable:
        return {"reliable": False, "metric": "ROC AUC", "value": float("nan"), "protocol": "not measured",
                "measurements": list(measurements), "rule": RULE}
    worst = min(usable, key=lambda m: m["roc_auc"])
    return {
        "reliable": bool(worst["roc_auc"] >= MIN_AUC),
        "metric": "ROC AUC",
        "value": float(worst["roc_auc"]),
        "protocol": str(worst["protocol"]),
        "measurements": [dict(m) for m in measurements],
        "rule": RULE,
    }


def summarise(per_task: Mapping[str, Sequence[Mapping[str, Any]]], provenance: Mapping[str, Any]) -> dict[str, Any]:
    """The ``evaluation`` section of a recipe: provenance plus :func:`assess` of every task."""
    return {**dict(provenance), "tasks": {task: assess(items) for task, items in per_task.items()}}


def unreliable_note(info: Mapping[str, Any]) -> str:
    """How reports name an unreliable task: ``"not reliable (measured ROC AUC 0.522, <protocol>)"``.

    Examples
    --------
    >>> unreliable_note({"reliable": False, "metric": "ROC AUC", "value": 0.5221, "protocol": "test on B"})
    'not reliable (measured ROC AUC 0.522, test on B)'
    """
    return f"not reliable (measured {info.get('metric', '?')} {info.get('value', float('nan')):.3f}, {info.get('protocol', '')})"
