"""The contract of a labelled corpus: its schema (tasks, classes, poles, span types) and the records it holds.

A corpus is a folder::

    schema.json        tasks, classes, span types (the contract)
    articles.jsonl     one record per article (id, path, outlet, date, labels, ...)
    articles/ID.txt    the article texts
    sentences.jsonl    one record per unit, as produced by ``framing.text.segment``

Every downstream component reads task names and classes from the schema: a
user's corpus may declare other tasks and classes and everything follows.
Reading and validating a folder is :mod:`._reading`, writing to it :mod:`._writing`,
labelled tables :mod:`._tables`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from .._util import same_label
from ..errors import FramingError, UnknownFrameError, UnknownTaskError
from ._io import json_error_message

PathLike = Union[str, "os.PathLike[str]"]

SENTENCE_FIELDS = ("id", "article", "position", "start", "end", "text", "labels", "spans", "boilerplate", "note")
REQUIRED_SENTENCE_FIELDS = ("id", "article", "text", "labels")
ARTICLE_FIELDS = ("id", "path", "outlet", "outlet_evidence", "date", "date_evidence", "labels", "justification")
TASK_TYPES = ("binary", "multiclass")

class CorpusError(FramingError, ValueError):
    """Raised when a corpus or schema does not validate; ``issues`` lists every problem."""

    def __init__(self, issues: Sequence[CorpusIssue]):
        self.issues = list(issues)
        shown = "\n".join(str(issue) for issue in self.issues[:20])
        more = f"\n... and {len(self.issues) - 20} more" if len(self.issues) > 20 else ""
        super().__init__(f"{len(self.issues)} corpus error(s):\n{shown}{more}")


@dataclass(frozen=True)
class CorpusIssue:
    """One validation problem, located by file, line and field."""

    file: str
    line: int | None
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        value = repr(self.value)
        if len(value) > 80:
            value = value[:77] + "..."
        field_part = f" field '{self.field}'" if self.field else ""
        if self.value is None and not self.field:
            return f"{where}: {self.message}"
        return f"{where}:{field_part} {self.message} (value: {value})"


@dataclass(frozen=True)
class TaskSpec:
    """One task of a schema: its name, type, ordered classes and definitions."""

    name: str
    type: str
    classes: tuple[Any, ...]
    definition: str = ""
    class_definitions: tuple[tuple[str, str], ...] = ()

    @property
    def is_binary(self) -> bool:
        return self.type == "binary"


#: Before schemas declared ``polar``, a multiclass task of this name was the polar one (first and last class).
LEGACY_POLAR_TASK = "slant"


@dataclass(frozen=True)
class PolarSpec:
    """The polar task of a schema and its two poles: the slant index is ``P(positive) - P(negative)``.

    In ``schema.json``: ``"polar": {"task": "slant", "negative": "pro_russia", "positive": "pro_ukraine"}``.
    """

    task: str
    negative: Any
    positive: Any

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "negative": self.negative, "positive": self.positive}


@dataclass(frozen=True)
class FrameSet:
    """A named group of binary tasks that a report reads together as one multi-label frame profile.

    In ``schema.json`` (under ``"frame_sets"``)::

        "policy": {"definition": "...", "frames": {"economic": "frame_economic", ...},
                   "frame_order": ["economic", ...]}

    ``frames`` maps each frame name to a binary task of the schema;
    ``frame_order`` (optional, written by :meth:`to_dict`) keeps the declared
    order where a JSON writer sorts object keys, as ``task_order`` does for tasks.

    Examples
    --------
    >>> policy = FrameSet("policy", ("economic", "political"), ("frame_economic", "frame_political"))
    >>> policy.task_of("political")
    'frame_political'
    >>> policy.task_of("economy")
    Traceback (most recent call last):
    ...
    framing.errors.UnknownFrameError: unknown frame 'economy' of frame set 'policy'; available: ['economic', 'political']
    """

    name: str
    frames: tuple[str, ...]
    tasks: tuple[str, ...]
    definition: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "frames", tuple(self.frames))
        object.__setattr__(self, "tasks", tuple(self.tasks))
        if len(self.frames) != len(self.tasks):
            raise ValueError(f"frame set {self.name!r}: {len(self.frames)} frames but {len(self.tasks)} tasks; "
                             f"each frame needs exactly one task")
        for kind, names in (("frame", self.frames), ("task", self.tasks)):
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"frame set {self.name!r}: duplicate {kind} name(s) {repeated}; each {kind} once")

    def task_of(self, frame: str) -> str:
        """The binary task of ``frame`` (:class:`~framing.errors.UnknownFrameError` naming the frames otherwise)."""
        if frame not in self.frames:
            raise UnknownFrameError(frame, self.frames, frame_set=self.name)
        return self.tasks[self.frames.index(frame)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of this set (the value under its name in ``frame_sets``)."""
        return {"definition": self.definition, "frames": dict(zip(self.frames, self.tasks)),
                "frame_order": list(self.frames)}


@dataclass(frozen=True)
class Schema:
    """The contract of a corpus: its tasks (in order), classes and span types.

    Examples
    --------
    >>> schema = Schema.from_dict({"tasks": {"biased": {"type": "binary", "classes": [False, True]}}})
    >>> schema.task_names, schema.classes("biased")
    (('biased',), (False, True))
    """

    tasks: tuple[TaskSpec, ...]
    span_types: tuple[str, ...] = ("loaded", "hedge", "attribution_cue", "source")
    name: str = "corpus"
    description: str = ""
    sentences_file: str = "sentences.jsonl"
    articles_file: str = "articles.jsonl"
    #: The polar task and its poles; ``None`` when the schema has none (see :attr:`polarity`).
    polar: PolarSpec | None = None
    #: Named groups of binary tasks read together as a multi-label frame profile (see :class:`FrameSet`).
    frame_sets: tuple[FrameSet, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame_sets", tuple(self.frame_sets))
        issues: list[CorpusIssue] = []
        _check_frame_sets(self.frame_sets, self.tasks, "schema", issues)
        if issues:
            raise CorpusError(issues)

    def frame_set(self, name: str) -> FrameSet:
        """The frame set called ``name`` (:class:`~framing.errors.UnknownFrameError` naming the available sets).

        Examples
        --------
        >>> schema = Schema.from_dict({"tasks": {"frame_economic": {"type": "binary", "classes": [False, True]}},
        ...                            "frame_sets": {"policy": {"frames": {"economic": "frame_economic"}}}})
        >>> schema.frame_set("policy").tasks, sorted(schema.frame_tasks)
        (('frame_economic',), ['frame_economic'])
        >>> schema.frame_set("generic")
        Traceback (most recent call last):
        ...
        framing.errors.UnknownFrameError: unknown frame set 'generic'; available: ['policy']
        """
        for frame_set in self.frame_sets:
            if frame_set.name == name:
                return frame_set
        raise UnknownFrameError(name, [f.name for f in self.frame_sets], kind="frame set")

    @property
    def frame_tasks(self) -> frozenset[str]:
        """Every task that belongs to a frame set."""
        return frozenset(task for frame_set in self.frame_sets for task in frame_set.tasks)

    @property
    def polarity(self) -> PolarSpec | None:
        """The declared :attr:`polar` spec, else the legacy default, else None.

        Schemas written before ``polar`` existed had a multiclass task named
        ``slant`` whose first and last classes were the poles; they keep that meaning.
        """
        if self.polar is not None:
            return self.polar if self.polar.task in self.task_names else None
        for task in self.tasks:
            if task.name == LEGACY_POLAR_TASK and task.type == "multiclass" and len(task.classes) >= 2:
                return PolarSpec(task.name, task.classes[0], task.classes[-1])
        return None

    def restricted(self, names: Sequence[str]) -> Schema:
        """The same schema with only the tasks ``names``, in that order (raises for an unknown task).

        A frame set keeps the frames whose task remains, and is dropped when none does.
        """
        tasks = tuple(self.task(name) for name in names)
        polar = self.polar if self.polar is not None and self.polar.task in names else None
        frame_sets = []
        for frame_set in self.frame_sets:
            kept = [(frame, task) for frame, task in zip(frame_set.frames, frame_set.tasks) if task in names]
            if kept:
                frame_sets.append(FrameSet(frame_set.name, tuple(f for f, _ in kept), tuple(t for _, t in kept),
                                           frame_set.definition))
        return Schema(tasks=tasks, span_types=self.span_types, name=self.name, description=self.description,
                      sentences_file=self.sentences_file, articles_file=self.articles_file, polar=polar,
                      frame_sets=tuple(frame_sets))

    @property
    def task_names(self) -> tuple[str, ...]:
        return tuple(task.name for task in self.tasks)

    def task(self, name: str) -> TaskSpec:
        for task in self.tasks:
            if task.name == name:
                return task
        raise UnknownTaskError(name, self.task_names)

    def classes(self, name: str) -> tuple[Any, ...]:
        return self.task(name).classes

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "name": self.name,
            "description": self.description,
            "sentences": self.sentences_file,
            "articles": self.articles_file,
            "span_types": list(self.span_types),
            # JSON writers may sort object keys: the order of tasks is kept explicitly.
            "task_order": list(self.task_names),
            **({"polar": self.polar.to_dict()} if self.polar is not None else {}),
            **({"frame_sets": {f.name: f.to_dict() for f in self.frame_sets}} if self.frame_sets else {}),
            "tasks": {
                task.name: {
                    "type": task.type,
                    "classes": list(task.classes),
                    "definition": task.definition,
                    "class_definitions": dict(task.class_definitions),
                }
                for task in self.tasks
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], file: str = "schema") -> Schema:
        """Build a schema from its JSON form; raise :class:`CorpusError` listing every problem."""
        issues: list[CorpusIssue] = []
        if not isinstance(data, Mapping):
            raise CorpusError([CorpusIssue(file, None, "", type(data).__name__, "schema must be a JSON object")])
        raw_tasks = data.get("tasks")
        if not isinstance(raw_tasks, Mapping) or not raw_tasks:
            raise CorpusError([CorpusIssue(file, None, "tasks", raw_tasks, "schema needs a non-empty object 'tasks'")])
        tasks = []
        for name, spec in raw_tasks.items():
            where = f"tasks.{name}"
            if not isinstance(spec, Mapping):
                issues.append(CorpusIssue(file, None, where, spec, "task must be an object"))
                continue
            task_type = spec.get("type", "multiclass")
            if task_type not in TASK_TYPES:
                issues.append(CorpusIssue(file, None, f"{where}.type", task_type, f"allowed: {list(TASK_TYPES)}"))
                continue
            classes = spec.get("classes")
            if not isinstance(classes, list) or len(classes) < 2:
                issues.append(CorpusIssue(file, None, f"{where}.classes", classes, "need a list of at least 2 classes"))
                continue
            if task_type == "binary" and classes != [False, True]:
                issues.append(CorpusIssue(file, None, f"{where}.classes", classes, "binary tasks take [false, true]"))
                continue
            if task_type == "multiclass" and not all(isinstance(c, str) and c for c in classes):
                issues.append(CorpusIssue(file, None, f"{where}.classes", classes, "multiclass classes must be non-empty strings"))
                continue
            if len(set(map(repr, classes))) != len(classes):
                issues.append(CorpusIssue(file, None, f"{where}.classes", classes, "classes must be unique"))
                continue
            class_definitions = spec.get("class_definitions", {}) or {}
            tasks.append(
                TaskSpec(
                    name=str(name),
                    type=task_type,
                    classes=tuple(classes),
                    definition=str(spec.get("definition", "")),
                    class_definitions=tuple((str(k), str(v)) for k, v in class_definitions.items()),
                )
            )
        order = data.get("task_order")
        if order is not None:
            if not isinstance(order, list) or sorted(map(str, order)) != sorted(task.name for task in tasks):
                issues.append(CorpusIssue(file, None, "task_order", order, f"must list each task once: {sorted(t.name for t in tasks)}"))
            else:
                by_name = {task.name: task for task in tasks}
                tasks = [by_name[name] for name in order]
        span_types = data.get("span_types", {"loaded": "", "hedge": "", "attribution_cue": "", "source": ""})
        if isinstance(span_types, Mapping):
            span_types = tuple(span_types)
        elif isinstance(span_types, list):
            span_types = tuple(span_types)
        else:
            issues.append(CorpusIssue(file, None, "span_types", span_types, "must be an object or a list"))
            span_types = ()
        polar = _parse_polar(data.get("polar"), tasks, file, issues)
        frame_sets = _parse_frame_sets(data.get("frame_sets"), file, issues)
        _check_frame_sets(frame_sets, tasks, file, issues)
        if issues:
            raise CorpusError(issues)
        return cls(
            tasks=tuple(tasks),
            span_types=tuple(span_types),
            polar=polar,
            frame_sets=tuple(frame_sets),
            name=str(data.get("name", "corpus")),
            description=str(data.get("description", "")),
            sentences_file=str(data.get("sentences", "sentences.jsonl")),
            articles_file=str(data.get("articles", "articles.jsonl")),
        )


def _parse_polar(raw: Any, tasks: Sequence[TaskSpec], file: str, issues: list[CorpusIssue]) -> PolarSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"task", "negative", "positive"}:
        issues.append(CorpusIssue(file, None, "polar", raw, "must be an object with keys 'task', 'negative', 'positive'"))
        return None
    by_name = {task.name: task for task in tasks}
    task = by_name.get(raw["task"])
    if task is None:
        issues.append(CorpusIssue(file, None, "polar.task", raw["task"], f"unknown task; available: {sorted(by_name)}"))
        return None
    for pole in ("negative", "positive"):
        if not any(same_label(raw[pole], c) for c in task.classes):
            issues.append(CorpusIssue(file, None, f"polar.{pole}", raw[pole],
                                      f"not a class of {task.name!r}; allowed: {list(task.classes)}"))
            return None
    if same_label(raw["negative"], raw["positive"]):
        issues.append(CorpusIssue(file, None, "polar", raw, "the two poles must differ"))
        return None
    return PolarSpec(task.name, raw["negative"], raw["positive"])


def _parse_frame_sets(raw: Any, file: str, issues: list[CorpusIssue]) -> list[FrameSet]:
    """The declared frame sets, structurally checked (their tasks are checked by :func:`_check_frame_sets`)."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        issues.append(CorpusIssue(file, None, "frame_sets", raw,
                                  "must be an object {set name: {'definition': str, 'frames': {frame: task}}}"))
        return []
    frame_sets = []
    for name, spec in raw.items():
        where = f"frame_sets.{name}"
        if not isinstance(spec, Mapping):
            issues.append(CorpusIssue(file, None, where, spec, "must be an object with keys 'definition', 'frames'"))
            continue
        unknown = sorted(set(spec) - {"definition", "frames", "frame_order"})
        if unknown:
            issues.append(CorpusIssue(file, None, where, unknown, "unknown keys; allowed: ['definition', 'frame_order', 'frames']"))
            continue
        frames = spec.get("frames")
        if not isinstance(frames, Mapping) or not frames:
            issues.append(CorpusIssue(file, None, f"{where}.frames", frames,
                                      "a frame set needs a non-empty object {frame name: binary task}"))
            continue
        bad = [frame for frame, task in frames.items() if not (isinstance(frame, str) and frame and isinstance(task, str))]
        if bad:
            issues.append(CorpusIssue(file, None, f"{where}.frames.{bad[0]}", frames[bad[0]],
                                      "frame names and their tasks must be non-empty strings"))
            continue
        order = spec.get("frame_order")
        names = list(frames)
        if order is not None:
            if not isinstance(order, list) or len(order) != len(set(map(str, order))):
                issues.append(CorpusIssue(file, None, f"{where}.frame_order", order,
                                          f"duplicate frame names; must list each frame once: {names}"))
                continue
            if sorted(map(str, order)) != sorted(names):
                issues.append(CorpusIssue(file, None, f"{where}.frame_order", order, f"must list each frame once: {names}"))
                continue
            names = [str(frame) for frame in order]
        first: dict[str, str] = {}
        for frame in names:
            if frames[frame] in first:
                issues.append(CorpusIssue(file, None, f"{where}.frames.{frame}", frames[frame],
                                          f"task already belongs to {where}.frames.{first[frames[frame]]}; "
                                          f"a task belongs to one frame of one set"))
            first.setdefault(frames[frame], frame)
        if len(first) < len(names):
            continue
        frame_sets.append(FrameSet(str(name), tuple(names), tuple(frames[f] for f in names), str(spec.get("definition", ""))))
    return frame_sets


def _check_frame_sets(frame_sets: Sequence[FrameSet], tasks: Sequence[TaskSpec], file: str,
                      issues: list[CorpusIssue]) -> None:
    """Every frame names a binary task of the schema, and no task belongs to two frames or sets."""
    by_name = {task.name: task for task in tasks}
    binary = sorted(name for name, task in by_name.items() if task.is_binary)
    owner: dict[str, str] = {}
    names = [frame_set.name for frame_set in frame_sets]
    for repeated in sorted({n for n in names if names.count(n) > 1}):
        issues.append(CorpusIssue(file, None, f"frame_sets.{repeated}", repeated, "frame set declared twice; each name once"))
    for frame_set in frame_sets:
        if not frame_set.frames:
            issues.append(CorpusIssue(file, None, f"frame_sets.{frame_set.name}.frames", {},
                                      "a frame set needs a non-empty object {frame name: binary task}"))
        for frame, task in zip(frame_set.frames, frame_set.tasks):
            where = f"frame_sets.{frame_set.name}.frames.{frame}"
            if task not in by_name:
                issues.append(CorpusIssue(file, None, where, task, f"unknown task; allowed: the binary tasks {binary}"))
            elif not by_name[task].is_binary:
                issues.append(CorpusIssue(file, None, where, task,
                                          f"task is {by_name[task].type}, a frame needs a binary task; allowed: {binary}"))
            elif task in owner:
                issues.append(CorpusIssue(file, None, where, task, f"task already belongs to {owner[task]}; "
                                                                   f"a task belongs to one frame of one set"))
            else:
                owner[task] = f"frame_sets.{frame_set.name}.frames.{frame}"


@dataclass(frozen=True)
class Span:
    """A cue span inside a sentence: offsets relative to the sentence text."""

    start: int
    end: int
    type: str
    text: str = ""


@dataclass(frozen=True)
class LabeledSentence:
    """One labelled sentence.

    Only ``text`` and ``labels`` are needed to train; ``article`` groups
    sentences for cross-validation and ``source`` (the outlet) allows grouping
    by outlet.

    Examples
    --------
    >>> s = LabeledSentence(text="Kyiv regime falls.", labels={"loaded": True}, article="a1")
    >>> s.labels["loaded"], s.boilerplate
    (True, False)
    """

    text: str
    labels: Mapping[str, Any]
    article: str | None = None
    source: str | None = None
    id: str | None = None
    position: int | None = None
    start: int | None = None
    end: int | None = None
    spans: tuple[Span, ...] = ()
    boilerplate: bool = False
    note: str = ""

    def to_record(self) -> dict[str, Any]:
        """The JSON Lines record of this sentence, fields in the documented order."""
        return {
            "id": self.id,
            "article": self.article,
            "position": self.position,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "labels": dict(self.labels),
            "spans": [{"start": s.start, "end": s.end, "type": s.type, "text": s.text} for s in self.spans],
            "boilerplate": self.boilerplate,
            "note": self.note,
        }


@dataclass(frozen=True)
class Article:
    """Metadata of one article of the corpus."""

    id: str
    path: str
    outlet: str = "unknown"
    outlet_evidence: str = ""
    date: str | None = None
    date_evidence: str = ""
    labels: Mapping[str, Any] = field(default_factory=dict)
    justification: str = ""

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "outlet": self.outlet,
            "outlet_evidence": self.outlet_evidence,
            "date": self.date,
            "date_evidence": self.date_evidence,
            "labels": dict(self.labels),
            "justification": self.justification,
        }


@dataclass
class Corpus:
    """A validated corpus in memory."""

    root: Path
    schema: Schema
    articles: dict[str, Article]
    sentences: list[LabeledSentence]
    texts: dict[str, str]

    def counts(self, include_boilerplate: bool = True) -> dict[str, dict[Any, int]]:
        """Per task, the number of sentences of each class (schema order)."""
        counts: dict[str, dict[Any, int]] = {}
        for task in self.schema.tasks:
            per_class = {cls: 0 for cls in task.classes}
            for sentence in self.sentences:
                if sentence.boilerplate and not include_boilerplate:
                    continue
                per_class[sentence.labels[task.name]] += 1
            counts[task.name] = per_class
        return counts

    def digest(self) -> str:
        """SHA-256 of the schema and every sentence record: identifies the training data."""
        hasher = hashlib.sha256()
        hasher.update(json.dumps(self.schema.to_dict(), sort_keys=True).encode("utf-8"))
        for sentence in self.sentences:
            hasher.update(json.dumps(sentence.to_record(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        return hasher.hexdigest()


def load_schema(path: PathLike) -> Schema:
    """Read ``schema.json`` (or the ``schema.json`` inside a corpus folder).

    Raises
    ------
    CorpusError
        With file and field for malformed JSON or an invalid declaration.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "schema.json"
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CorpusError([CorpusIssue(str(path), None, "", None, f"file is not UTF-8 ({error.reason} at byte {error.start})")]) from None
    except FileNotFoundError:
        raise CorpusError([CorpusIssue(str(path), None, "", None, "schema file not found")]) from None
    except json.JSONDecodeError as error:
        raise CorpusError([CorpusIssue(str(path), error.lineno, "", error.doc[error.pos:error.pos + 20],
                                       json_error_message(error))]) from None
    return Schema.from_dict(data, file=str(path))
