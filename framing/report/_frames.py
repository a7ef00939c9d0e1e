"""Frame profiles: a frame set's binary tasks read together as one multi-label profile of the article.

A *frame set* (:class:`framing.FrameSet`: ``name``, ``frames``, ``tasks``) names a group of the model's
binary tasks, one per frame (the shipped model has one, ``"policy"``: the Policy Frames Codebook). A
sentence's frame probabilities are independent: they do not sum to 1. Over the article's content units
(boilerplate left out; the author's and the quoted units alike), with ``p[i, f]`` unit ``i``'s
probability of frame ``f``:

* ``share[f] = sum_i p[i, f] / sum_g sum_i p[i, g]`` (0 for an empty article): how the article's framing
  divides among the frames of the set (the shares sum to 1);
* ``presence[f] = frame_presence(p)[f]``: the probability that the article puts the frame forward at all,
  aggregated by :data:`PRESENCE_METHOD` (see :func:`frame_presence`);
* ``present[f] = presence[f] >= 0.5``.

A frame's number is a finding when its task is (:func:`framing.report._reliability.finding_status`);
an unreliable frame is left out of every finding and named once, with its measured skill, in a
"not reliable" line. The functions here read an :class:`~framing.report.ArticleReport` or its JSON
record alike (``to_dict()["frames"]``), so the summary, ``compare``, ``profile`` and the HTML pages
say the same thing; nothing here prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._reliability import FINDING

if TYPE_CHECKING:
    from ..data import FrameSet

__all__ = ["PRESENCE_METHOD", "PRESENCE_METHODS", "PRESENT_AT", "frame_presence", "frame_shares", "frame_set_profile",
           "checked_frame_sets", "frame_set_name", "frames_row_name", "frames_cell", "frame_sets_in_order",
           "FRAMES_PROFILE_NOTE",
           "frame_tasks", "frame_entries", "without_frames", "reliable_frames", "unreliable_frames", "frames_line",
           "frames_not_reliable_line", "present_frames", "frame_measured"]

#: How :func:`frame_presence` aggregates the units' probabilities of a frame into the article's (chosen by
#: measurement in the frames benchmark, ``frames/articles``).
PRESENCE_METHOD = "top2_mean"
#: The aggregation methods :func:`frame_presence` knows.
PRESENCE_METHODS = ("mean", "max", "top2_mean", "noisy_or")
#: A frame is present in an article when its presence is at least this.
PRESENT_AT = 0.5
#: Frames a summary line names at most.
FRAMES_SHOWN = 5


def _probability_matrix(p: Any) -> np.ndarray:
    array = np.asarray(p, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"frame probabilities must be an array of shape (n_units, n_frames), got shape {array.shape}")
    return array


def frame_presence(p: np.ndarray, method: str = PRESENCE_METHOD) -> np.ndarray:
    """The probability that the article puts each frame forward, from its units' probabilities ``p``.

    Parameters
    ----------
    p : ndarray of shape (n_units, n_frames)
        Each content unit's probability of each frame (independent: a row need not sum to 1).
    method : {"mean", "max", "top2_mean", "noisy_or"}, default=PRESENCE_METHOD
        ``"mean"``: the mean over the units; ``"max"``: the largest; ``"top2_mean"``: the mean of the two
        largest (the single unit's value when there is one); ``"noisy_or"``: ``1 - prod(1 - p)``, the
        probability that at least one unit carries the frame if the units were independent.

    Returns
    -------
    ndarray of shape (n_frames,)
        In [0, 1]; zeros for an article without content units.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.7, 0.2], [0.1, 0.3]])
    >>> frame_presence(p).round(3).tolist()
    [0.8, 0.25]
    >>> frame_presence(p, "noisy_or").round(3).tolist()
    [0.973, 0.496]
    >>> frame_presence(np.zeros((0, 2)), "max").tolist()
    [0.0, 0.0]
    >>> frame_presence(p, "median")
    Traceback (most recent call last):
    ...
    ValueError: unknown presence method 'median': use one of 'mean', 'max', 'top2_mean', 'noisy_or'
    """
    if method not in PRESENCE_METHODS:
        allowed = ", ".join(repr(m) for m in PRESENCE_METHODS)
        raise ValueError(f"unknown presence method {method!r}: use one of {allowed}")
    p = _probability_matrix(p)
    n_units = p.shape[0]
    if n_units == 0:
        return np.zeros(p.shape[1])
    if method == "mean":
        return p.mean(axis=0)
    if method == "max":
        return p.max(axis=0)
    if method == "noisy_or":
        return 1.0 - np.prod(1.0 - np.clip(p, 0.0, 1.0), axis=0)
    if n_units == 1:
        return p[0].copy()
    return np.partition(p, n_units - 2, axis=0)[-2:].mean(axis=0)


def frame_shares(p: np.ndarray) -> np.ndarray:
    """How the article's framing divides among the frames: each frame's summed probability over all frames'.

    Examples
    --------
    >>> frame_shares(np.array([[0.9, 0.1], [0.7, 0.3]])).round(3).tolist()
    [0.8, 0.2]
    >>> frame_shares(np.zeros((0, 3))).tolist()
    [0.0, 0.0, 0.0]
    """
    sums = _probability_matrix(p).sum(axis=0)
    total = float(sums.sum())
    return sums / total if total > 0 else np.zeros_like(sums)


def frame_set_profile(frames: Sequence[str], tasks: Sequence[str], p: np.ndarray, statuses: Mapping[str, str],
                      top_sentences: Mapping[str, Any], top_terms: Mapping[str, Any],
                      method: str = PRESENCE_METHOD) -> dict[str, Any]:
    """One frame set's entry of ``ArticleReport.to_dict()["frames"]``: ``{"method", "frames", "present"}``.

    ``p`` holds the content units' probabilities of ``tasks`` (columns in the set's order), ``statuses``
    each task's :func:`~framing.report._reliability.finding_status`, and ``top_sentences`` / ``top_terms``
    the report's (``{task: {"true": [...]}}``). ``"frames"`` is one dict per frame, strongest first (share
    descending, then the set's order); ``"present"`` the frames that are findings and present.

    Examples
    --------
    >>> entry = frame_set_profile(("economic", "political"), ("frame_economic", "frame_political"),
    ...                           np.array([[0.9, 0.2], [0.6, 0.1]]), {"frame_economic": "finding"}, {}, {})
    >>> [(f["frame"], round(f["share"], 3), round(f["presence"], 3), f["present"]) for f in entry["frames"]]
    [('economic', 0.833, 0.75, True), ('political', 0.167, 0.15, False)]
    >>> entry["present"], entry["method"]
    (['economic'], 'top2_mean')
    """
    p = _probability_matrix(p)
    shares = frame_shares(p)
    presence = frame_presence(p, method)
    order = sorted(range(len(frames)), key=lambda f: (-shares[f], f))
    entries = []
    for f in order:
        task = tasks[f]
        sentences = ((top_sentences.get(task) or {}).get("true")) or []
        terms = ((top_terms.get(task) or {}).get("true")) or []
        entries.append({
            "frame": frames[f],
            "task": task,
            "share": float(shares[f]),
            "presence": float(presence[f]),
            "present": bool(presence[f] >= PRESENT_AT),
            "status": statuses.get(task, FINDING),
            "sentences": [{"index": s["index"], "text": s["text"], "probability": s["probability"]} for s in sentences],
            "terms": [[str(name), round(float(value), 6)] for name, value in terms],
        })
    present = [e["frame"] for e in entries if e["present"] and e["status"] == FINDING]
    return {"method": method, "frames": entries, "present": present}


def checked_frame_sets(frame_sets: Mapping[str, FrameSet] | Sequence[FrameSet] | None,
                       classes: Mapping[str, tuple[Any, ...]]) -> dict[str, FrameSet]:
    """``{name: FrameSet}`` of ``frame_sets`` (a mapping, or a sequence of sets named by their ``name``), each
    checked: every task of a set is a binary task of the article's scores (``classes``: ``{task: classes}``).

    Examples
    --------
    >>> from framing import FrameSet
    >>> list(checked_frame_sets([FrameSet("policy", ("economic",), ("frame_economic",))], {"frame_economic": (False, True)}))
    ['policy']
    >>> checked_frame_sets({"p": FrameSet("p", ("economic",), ("frame_economic",))}, {"loaded": (False, True)})
    Traceback (most recent call last):
    ...
    ValueError: frame set 'p' names task 'frame_economic', which the article's scores do not have (tasks: loaded)
    """
    if not frame_sets:
        return {}
    named = dict(frame_sets) if isinstance(frame_sets, Mapping) else {frame_set.name: frame_set for frame_set in frame_sets}
    for name, frame_set in named.items():
        for task in frame_set.tasks:
            if task not in classes:
                raise ValueError(f"frame set {name!r} names task {task!r}, which the article's scores do not have "
                                 f"(tasks: {', '.join(classes)})")
            if tuple(classes[task]) != (False, True):
                raise ValueError(f"frame set {name!r} names task {task!r}, which is not binary "
                                 f"(classes {list(classes[task])}; a frame is a task with classes [False, True])")
    return named


def frame_set_name(frame_sets: Mapping[str, Any], frame_set: str | None) -> str:
    """The name of the set ``frame_set`` picks among ``frame_sets``: None picks the only one.

    Examples
    --------
    >>> frame_set_name({"policy": None}, None)
    'policy'
    >>> frame_set_name({"policy": None, "generic": None}, None)
    Traceback (most recent call last):
    ...
    ValueError: this report has several frame sets (policy, generic): name one
    >>> frame_set_name({"policy": None}, "generic")
    Traceback (most recent call last):
    ...
    ValueError: unknown frame set 'generic': this report's frame sets are 'policy'
    """
    names = list(frame_sets)
    if frame_set is None:
        if not names:
            raise ValueError("this report has no frame sets: its model has none")
        if len(names) > 1:
            raise ValueError(f"this report has several frame sets ({', '.join(names)}): name one")
        return names[0]
    if frame_set not in frame_sets:
        available = ", ".join(repr(name) for name in names) or "none"
        raise ValueError(f"unknown frame set {frame_set!r}: this report's frame sets are {available}")
    return frame_set


def frame_entries(source: Any) -> dict[str, dict[str, Any]]:
    """``{set name: {"method", "frames", "present"}}`` of a report (:attr:`ArticleReport.frame_profiles`) or of
    its record (``to_dict()["frames"]``); ``{}`` without frame sets.

    Examples
    --------
    >>> frame_entries({"frames": {"policy": {"frames": [], "present": []}}})
    {'policy': {'frames': [], 'present': []}}
    >>> frame_entries({"tasks": ["loaded"]})
    {}
    """
    if isinstance(source, Mapping):
        return dict(source.get("frames") or {})
    return dict(getattr(source, "frame_profiles", None) or {})


def frame_tasks(source: Any) -> frozenset[str]:
    """Every task that belongs to a frame set of a report, a record or a mapping ``{name: FrameSet}``.

    The views read these tasks as frame profiles, not as one rate each.

    Examples
    --------
    >>> sorted(frame_tasks({"frames": {"policy": {"frames": [{"frame": "economic", "task": "frame_economic"}]}}}))
    ['frame_economic']
    """
    sets = getattr(source, "frame_sets", None)
    if sets is not None and not isinstance(source, Mapping):
        return frozenset(task for frame_set in sets.values() for task in frame_set.tasks)
    return frozenset(frame["task"] for entry in frame_entries(source).values() for frame in entry.get("frames") or [])


def without_frames(source: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (``{task: ...}``, e.g. rates) without the tasks of ``source``'s frame sets.

    Examples
    --------
    >>> record = {"frames": {"policy": {"frames": [{"frame": "economic", "task": "frame_economic"}]}}}
    >>> without_frames(record, {"loaded": 0.2, "frame_economic": 0.4})
    {'loaded': 0.2}
    """
    skip = frame_tasks(source)
    return {task: value for task, value in values.items() if task not in skip}


def reliable_frames(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The frames of a set's entry whose numbers are findings, strongest first."""
    return [frame for frame in entry.get("frames") or [] if frame.get("status", FINDING) == FINDING]


def unreliable_frames(entry: Mapping[str, Any], source: Any = None) -> list[dict[str, Any]]:
    """The frames of a set's entry whose numbers are not findings: in the schema's order of ``source``'s tasks
    (a report or record; the same order from one article to the next), else as the entry lists them."""
    unreliable = [frame for frame in entry.get("frames") or [] if frame.get("status", FINDING) != FINDING]
    tasks = source.get("tasks") if isinstance(source, Mapping) else getattr(source, "tasks", None)
    position = {task: i for i, task in enumerate(tasks or ())}
    return sorted(unreliable, key=lambda frame: position.get(frame.get("task"), len(position)))


def present_frames(entry: Mapping[str, Any], top: int | None = None) -> list[dict[str, Any]]:
    """The reliable frames the article puts forward (``present``), strongest first, at most ``top``."""
    present = [frame for frame in reliable_frames(entry) if frame.get("present")]
    return present if top is None else present[:max(0, top)]


def frame_measured(source: Any, task: str) -> str:
    """A frame task's measured skill in a few words, ``"ROC AUC 0.53"`` (``"not measured"`` without a number).

    Examples
    --------
    >>> frame_measured({"reliability": {"frame_morality": {"reliable": False, "metric": "ROC AUC", "value": 0.5349}}},
    ...                "frame_morality")
    'ROC AUC 0.53'
    >>> frame_measured({"reliability": {}}, "frame_morality")
    'not measured'
    """
    reliability = source.get("reliability") if isinstance(source, Mapping) else getattr(source, "reliability", None)
    info = (reliability or {}).get(task) or {}
    value = info.get("value")
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "not measured"
    return f"{info.get('metric', 'ROC AUC')} {value:.2f}"


def frames_line(name: str, entry: Mapping[str, Any], n_sentences: int, limit: int = FRAMES_SHOWN) -> str:
    """``"frames (policy): economic 0.41 present, political 0.22 present, health_and_safety 0.12"``.

    The reliable frames, those present first (strongest first) and then the others by share, at most
    ``limit``; the number is the frame's share of the article's framing.

    Examples
    --------
    >>> entry = {"frames": [
    ...     {"frame": "economic", "share": 0.41, "present": True, "status": "finding"},
    ...     {"frame": "capacity", "share": 0.3, "present": True, "status": "not reliable (measured ...)"},
    ...     {"frame": "health", "share": 0.17, "present": False, "status": "finding"},
    ...     {"frame": "political", "share": 0.12, "present": True, "status": "finding"}]}
    >>> frames_line("policy", entry, 4)
    'frames (policy): economic 0.41 present, political 0.12 present, health 0.17'
    >>> frames_line("policy", entry, 0)
    'frames (policy): no scored sentence'
    """
    head = f"frames ({name}): "
    reliable = reliable_frames(entry)
    if not reliable:
        return head + "none reliable"
    if not n_sentences:
        return head + "no scored sentence"
    ordered = [f for f in reliable if f.get("present")] + [f for f in reliable if not f.get("present")]
    return head + ", ".join(f"{f['frame']} {f['share']:.2f}" + (" present" if f.get("present") else "")
                            for f in ordered[:max(1, limit)])


def frames_not_reliable_line(source: Any, entry: Mapping[str, Any], name: str | None = None) -> str | None:
    """``"frames not reliable: capacity_and_resources (ROC AUC 0.53), ..."``, or None when every frame is a finding.

    ``source`` (a report or record) gives the measured skill; ``name``, when given, names the set
    (``"frames (policy) not reliable: ..."``) for views that list several things in one place.

    Examples
    --------
    >>> record = {"reliability": {"frame_morality": {"reliable": False, "metric": "ROC AUC", "value": 0.534}}}
    >>> entry = {"frames": [{"frame": "morality", "task": "frame_morality", "status": "not reliable (...)"}]}
    >>> frames_not_reliable_line(record, entry)
    'frames not reliable: morality (ROC AUC 0.53)'
    """
    unreliable = unreliable_frames(entry, source)
    if not unreliable:
        return None
    head = "frames not reliable" if name is None else f"frames ({name}) not reliable"
    return head + ": " + ", ".join(f"{f['frame']} ({frame_measured(source, f['task'])})" for f in unreliable)


#: Present frames a comparison cell names at most.
FRAMES_COMPARED = 3


def frames_row_name(name: str) -> str:
    """The compare row of a frame set: ``"frames (policy)"``."""
    return f"frames ({name})"


def frames_cell(record: Mapping[str, Any], name: str, top: int = FRAMES_COMPARED) -> str:
    """One article's cell of a frame set's compare row: its present reliable frames, strongest first.

    ``"none present"`` when no reliable frame is present, ``"n/a"`` without scored sentences (or without
    the set) and ``"not reliable"`` when no frame of the set is a finding.

    Examples
    --------
    >>> record = {"n_sentences": 3, "frames": {"policy": {"frames": [
    ...     {"frame": "economic", "present": True, "status": "finding"},
    ...     {"frame": "morality", "present": True, "status": "not reliable (measured ...)"},
    ...     {"frame": "political", "present": True, "status": "finding"}]}}}
    >>> frames_cell(record, "policy")
    'economic, political'
    """
    entry = frame_entries(record).get(name)
    if entry is None or not record.get("n_sentences"):
        return "n/a"
    if not reliable_frames(entry):
        return "not reliable"
    present = present_frames(entry, top)
    return ", ".join(frame["frame"] for frame in present) if present else "none present"


#: What a profile's frame columns are (under the table).
FRAMES_PROFILE_NOTE = ("top frames: the frames with the largest mean share of the articles' framing, and in brackets "
                       "the fraction of the articles where the frame is present (presence >= 0.5)")


def frame_sets_in_order(record: Mapping[str, Any]) -> tuple[dict[str, list[tuple[str, str]]], dict[str, str]]:
    """A record's frame sets as ``{name: [(frame, task), ...]}`` in the order of its tasks (its profiles list the
    frames strongest first), and each set's presence method."""
    position = {task: i for i, task in enumerate(record.get("tasks") or ())}
    sets, methods = {}, {}
    for name, entry in frame_entries(record).items():
        frames = sorted(entry.get("frames") or [], key=lambda f: position.get(f["task"], len(position)))
        sets[name] = [(f["frame"], f["task"]) for f in frames]
        methods[name] = entry.get("method")
    return sets, methods
