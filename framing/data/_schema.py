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
from ..errors import FramingError, UnknownTaskError
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
        """The same schema with only the tasks ``names``, in that order (raises for an unknown task)."""
        tasks = tuple(self.task(name) for name in names)
        polar = self.polar if self.polar is not None and self.polar.task in names else None
        return Schema(tasks=tasks, span_types=self.span_types, name=self.name, description=self.description,
                      sentences_file=self.sentences_file, articles_file=self.articles_file, polar=polar)

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
        if issues:
            raise CorpusError(issues)
        return cls(
            tasks=tuple(tasks),
            span_types=tuple(span_types),
            polar=polar,
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
