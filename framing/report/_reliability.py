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

What every view shows as a *finding* is decided once, by :func:`finding_status`:
a task's number is a finding unless the model's evaluation found the task
unreliable, and the slant axis's number (the polar task: its index and its
shares) is not one when the article mentions no actor of the axis ("does not
apply", which says more than "not reliable" and so wins over it). Summaries,
``score``, ``compare``, ``profile``, the HTML pages and ``--json`` (which keeps
the numbers and carries the status next to them) all ask this function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MIN_AUC", "assess", "summarise", "unreliable_note", "FINDING", "DOES_NOT_APPLY", "finding_status",
           "is_finding", "task_statuses", "short_status", "slant_status", "reliability_status", "TARGET_STANCE",
           "SLANT", "axis_reliability"]

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


#: The status of a number that may be presented as a finding.
FINDING = "finding"
#: The status of the slant axis for an article that mentions no actor of either side.
DOES_NOT_APPLY = "does not apply (no actor of the axis mentioned)"


def _field(source: Any, name: str) -> Any:
    """``source[name]`` of a report record (a mapping) or ``source.name`` of an :class:`ArticleReport`."""
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


#: The reliability key of stance toward named actors (``ArticleReport.actor_stance``).
TARGET_STANCE = "target_stance"
#: The reliability key of the model's own axis: its axis stance and the slant index built from it.
SLANT = "slant"


def reliability_status(info: Mapping[str, Any] | None) -> str:
    """``"finding"`` or ``"not reliable (measured ...)"`` for one reliability entry (no entry: a finding).

    Examples
    --------
    >>> reliability_status({"reliable": False, "metric": "ROC AUC", "value": 0.6, "protocol": "held out"})
    'not reliable (measured ROC AUC 0.600, held out)'
    >>> reliability_status(None)
    'finding'
    """
    info = info or {}
    return FINDING if info.get("reliable", True) else unreliable_note(info)


def axis_reliability(reliability: Mapping[str, Any], axis_name: str, measured: bool) -> dict[str, Any] | None:
    """The reliability entry that applies to the axis stance and slant index built from mentions.

    The model's own axis: its ``"slant"`` measurement. An axis passed at scoring (``measured`` False) was
    never measured: the ``"target_stance"`` measurement applies, with a ``note`` saying so. None when the
    model has neither entry (nothing measured: the views treat it as a finding, like any unmeasured task).

    Examples
    --------
    >>> axis_reliability({"target_stance": {"reliable": True, "value": 0.8}}, "us_parties", False)["note"]
    "the axis 'us_parties' has no measurement of its own: the target-stance measurement applies"
    """
    if measured:
        info = reliability.get(SLANT)
        return None if info is None else dict(info)
    return {**dict(reliability.get(TARGET_STANCE) or {}),
            "note": f"the axis {axis_name!r} has no measurement of its own: the target-stance measurement applies"}


def slant_status(source: Any) -> str:
    """The status of a report's slant index (and axis stance): :data:`DOES_NOT_APPLY` when ``slant_note`` is set,
    else the reliability of ``slant_reliability`` when the report has one (slant from mentions), else that of
    its polar task ``slant_task``.

    Examples
    --------
    >>> slant_status({"slant_task": "slant", "slant_note": None, "reliability": {"slant": {"reliable": False, "value": 0.5}},
    ...               "slant_reliability": {"reliable": True}})
    'finding'
    """
    if _field(source, "slant_note"):
        return DOES_NOT_APPLY
    override = _field(source, "slant_reliability")
    if override is not None:
        return reliability_status(override)
    return reliability_status((_field(source, "reliability") or {}).get(_field(source, "slant_task")))


def finding_status(source: Any, task: str) -> str:
    """Whether ``task``'s number in a report is a finding: ``"finding"``, ``"not reliable (measured ...)"`` or
    :data:`DOES_NOT_APPLY`.

    ``source`` is an :class:`~framing.report.ArticleReport`, its JSON record
    (``to_dict()``, one line of ``framing score --json``) or any mapping with
    ``reliability`` (``{task: {"reliable": bool, ...}}``), ``slant_task`` and
    ``slant_note``. The polar task (``slant_task``) stands for the slant axis
    (:func:`slant_status`): when the article mentions no actor of it
    (``slant_note`` is set) the axis does not apply, whatever the model's
    reliability; a slant built from mentions carries its own
    ``slant_reliability`` (see :func:`axis_reliability`).

    Examples
    --------
    >>> record = {"slant_task": "slant", "slant_note": None,
    ...           "reliability": {"frame": {"reliable": False, "metric": "ROC AUC", "value": 0.43, "protocol": "held out"}}}
    >>> finding_status(record, "loaded")
    'finding'
    >>> finding_status(record, "frame")
    'not reliable (measured ROC AUC 0.430, held out)'
    >>> finding_status({**record, "slant_note": "no actor"}, "slant")
    'does not apply (no actor of the axis mentioned)'
    """
    if task is not None and task == _field(source, "slant_task"):
        return slant_status(source)
    return reliability_status((_field(source, "reliability") or {}).get(task))


def is_finding(source: Any, task: str) -> bool:
    """``finding_status(source, task) == "finding"``.

    Examples
    --------
    >>> is_finding({"reliability": {"frame": {"reliable": False}}}, "frame")
    False
    """
    return finding_status(source, task) == FINDING


def task_statuses(source: Any) -> dict[str, str]:
    """``{task: finding_status(source, task)}`` for every task of a report or record (what ``--json`` carries).

    Examples
    --------
    >>> task_statuses({"tasks": ["a", "b"], "reliability": {"b": {"reliable": False, "value": 0.5}}})["a"]
    'finding'
    """
    return {task: finding_status(source, task) for task in _field(source, "tasks") or ()}


def short_status(status: str) -> str:
    """The status as a table cell: ``"not reliable"`` or ``"does not apply"`` (a finding gives ``""``).

    Examples
    --------
    >>> short_status(DOES_NOT_APPLY), short_status("not reliable (measured ROC AUC 0.522, x)"), short_status(FINDING)
    ('does not apply', 'not reliable', '')
    """
    if status == FINDING:
        return ""
    return status.split(" (", 1)[0]
