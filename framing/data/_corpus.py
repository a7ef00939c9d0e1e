"""The labelled corpus: schema, sentences, articles; reading, validating and atomic writing.

A corpus is a folder::

    schema.json        tasks, classes, span types (the contract)
    articles.jsonl     one record per article (id, path, outlet, date, labels, ...)
    articles/ID.txt    the article texts
    sentences.jsonl    one record per unit, as produced by ``framing.text.segment``

Every downstream component reads task names and classes from the schema: a
user's corpus may declare other tasks and classes and everything follows.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from .._util import atomic_write, iter_jsonl, same_label
from ..errors import FramingError, UnknownTaskError

logger = logging.getLogger(__name__)

__all__ = [
    "TaskSpec",
    "Schema",
    "PolarSpec",
    "Span",
    "LabeledSentence",
    "Article",
    "Corpus",
    "CorpusIssue",
    "CorpusError",
    "ArticleConflictError",
    "load_schema",
    "read_corpus",
    "validate_corpus",
    "write_jsonl_atomic",
    "append_sentences",
    "register_article",
    "corpus_lock",
    "TableError",
    "read_table",
    "read_articles",
    "infer_task",
    "infer_schema",
    "yes_no",
]

PathLike = Union[str, "os.PathLike[str]"]

SENTENCE_FIELDS = ("id", "article", "position", "start", "end", "text", "labels", "spans", "boilerplate", "note")
REQUIRED_SENTENCE_FIELDS = ("id", "article", "text", "labels")
ARTICLE_FIELDS = ("id", "path", "outlet", "outlet_evidence", "date", "date_evidence", "labels", "justification")
TASK_TYPES = ("binary", "multiclass")


class ArticleConflictError(FramingError, ValueError):
    """Raised by :func:`register_article` when the id is taken by an article with another text."""


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
                                       f"malformed JSON: {error.msg}")]) from None
    return Schema.from_dict(data, file=str(path))


def _read_exact_text(path: Path) -> str:
    """A UTF-8 text file exactly as stored: no newline translation, so offsets into it stay valid."""
    # read_text() would turn \r\n into \n and shift every offset after it.
    return path.read_bytes().decode("utf-8")


def _iter_jsonl(path: Path, issues: list[CorpusIssue]) -> Iterator[tuple[int, dict[str, Any]]]:
    # Read bytes and decode per line, so that one bad line is reported with its
    # number instead of aborting the whole file.
    with open(path, "rb") as handle:
        for line_number, record, error in iter_jsonl(handle):
            if isinstance(error, UnicodeDecodeError):
                issues.append(CorpusIssue(str(path), line_number, "", record[:60].decode("utf-8", "replace").strip(),
                                          f"line is not UTF-8 ({error.reason} at byte {error.start}); save the file as UTF-8"))
                continue
            if isinstance(error, json.JSONDecodeError):
                issues.append(CorpusIssue(str(path), line_number, "", record.strip()[:60],
                                          f"malformed JSON: {error.msg} at column {error.colno}"))
                continue
            if error is not None:
                issues.append(CorpusIssue(str(path), line_number, "", record.strip()[:60], "malformed JSON: nested too deeply"))
                continue
            if not isinstance(record, dict):
                issues.append(CorpusIssue(str(path), line_number, "", record, "each line must be a JSON object"))
                continue
            yield line_number, record


def _check_labels(labels: Any, schema: Schema, file: str, line: int, issues: list[CorpusIssue],
                  partial: bool = False) -> bool:
    """Check one sentence's labels against the schema; ``partial`` allows tasks to be absent."""
    if not isinstance(labels, Mapping):
        issues.append(CorpusIssue(file, line, "labels", labels, "labels must be an object {task: class}"))
        return False
    ok = True
    for task_name in labels:
        if task_name not in schema.task_names:
            issues.append(CorpusIssue(file, line, f"labels.{task_name}", task_name, f"unknown task; available: {list(schema.task_names)}"))
            ok = False
    for task in schema.tasks:
        if task.name not in labels:
            if partial:
                continue
            issues.append(CorpusIssue(file, line, f"labels.{task.name}", None,
                                      f"missing label for declared task; allowed: {list(task.classes)}"))
            ok = False
            continue
        value = labels[task.name]
        # bool is a subclass of int: require exact types so that 1 is not taken for True.
        if not any(same_label(value, cls) for cls in task.classes):
            issues.append(CorpusIssue(file, line, f"labels.{task.name}", value, f"unknown class; allowed: {list(task.classes)}"))
            ok = False
    return ok


def _check_spans(spans: Any, text: str, schema: Schema, file: str, line: int, issues: list[CorpusIssue]) -> tuple[Span, ...]:
    if spans is None:
        return ()
    if not isinstance(spans, list):
        issues.append(CorpusIssue(file, line, "spans", spans, "spans must be a list"))
        return ()
    result = []
    for index, span in enumerate(spans):
        where = f"spans[{index}]"
        if not isinstance(span, Mapping):
            issues.append(CorpusIssue(file, line, where, span, "span must be an object {start, end, type, text}"))
            continue
        start, end, span_type = span.get("start"), span.get("end"), span.get("type")
        if span_type not in schema.span_types:
            issues.append(CorpusIssue(file, line, f"{where}.type", span_type, f"unknown span type; allowed: {list(schema.span_types)}"))
            continue
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            issues.append(CorpusIssue(file, line, f"{where}.start", (start, end), "start and end must be integers"))
            continue
        if not 0 <= start < end <= len(text):
            issues.append(CorpusIssue(file, line, f"{where}.start", (start, end),
                                      f"span offsets outside the sentence; allowed: 0 <= start < end <= {len(text)}"))
            continue
        span_text = span.get("text")
        if span_text is not None and span_text != text[start:end]:
            issues.append(CorpusIssue(file, line, f"{where}.text", span_text,
                                      f"span text does not match sentence[{start}:{end}] = {text[start:end]!r}"))
            continue
        result.append(Span(start, end, span_type, text[start:end]))
    return tuple(result)


def _read_articles(root: Path, schema: Schema, issues: list[CorpusIssue]) -> tuple[dict[str, Article], dict[str, str]]:
    path = root / schema.articles_file
    articles: dict[str, Article] = {}
    texts: dict[str, str] = {}
    if not path.exists():
        return articles, texts
    for line_number, record in _iter_jsonl(path, issues):
        article_id = record.get("id")
        if not isinstance(article_id, str) or not article_id:
            issues.append(CorpusIssue(str(path), line_number, "id", article_id, "article id must be a non-empty string"))
            continue
        if article_id in articles:
            issues.append(CorpusIssue(str(path), line_number, "id", article_id, "duplicate article id"))
            continue
        text_path = record.get("path") or f"articles/{article_id}.txt"
        full_path = (root / text_path).resolve()
        if root.resolve() not in full_path.parents:
            issues.append(CorpusIssue(str(path), line_number, "path", text_path, "article path must stay inside the corpus folder"))
            continue
        try:
            texts[article_id] = _read_exact_text(full_path)
        except FileNotFoundError:
            issues.append(CorpusIssue(str(path), line_number, "path", text_path, "article text file not found"))
            continue
        except UnicodeDecodeError as error:
            issues.append(CorpusIssue(str(path), line_number, "path", text_path,
                                      f"article text is not UTF-8 ({error.reason} at byte {error.start})"))
            continue
        labels = record.get("labels", {}) or {}
        if not isinstance(labels, Mapping):
            issues.append(CorpusIssue(str(path), line_number, "labels", labels, "labels must be an object"))
            labels = {}
        for task_name, value in labels.items():
            if task_name not in schema.task_names:
                issues.append(CorpusIssue(str(path), line_number, f"labels.{task_name}", task_name,
                                          f"unknown task; available: {list(schema.task_names)}"))
            elif not any(same_label(value, cls) for cls in schema.classes(task_name)):
                # Exact types, as for sentence labels: 1 is not True.
                issues.append(CorpusIssue(str(path), line_number, f"labels.{task_name}", value,
                                          f"unknown class; allowed: {list(schema.classes(task_name))}"))
        articles[article_id] = Article(
            id=article_id,
            path=text_path,
            outlet=str(record.get("outlet") or "unknown"),
            outlet_evidence=str(record.get("outlet_evidence", "")),
            date=record.get("date"),
            date_evidence=str(record.get("date_evidence", "")),
            labels=dict(labels),
            justification=str(record.get("justification", "")),
        )
    return articles, texts


def _read(root: PathLike) -> tuple[Corpus | None, list[CorpusIssue]]:
    root = Path(root)
    issues: list[CorpusIssue] = []
    if not root.is_dir():
        return None, [CorpusIssue(str(root), None, "", None, "corpus folder not found (expected a folder with schema.json)")]
    try:
        schema = load_schema(root)
    except CorpusError as error:
        return None, error.issues
    articles, texts = _read_articles(root, schema, issues)
    sentences_path = root / schema.sentences_file
    if not sentences_path.exists():
        if articles:
            # A corpus whose articles are registered but not yet labelled is valid and empty.
            return Corpus(root, schema, articles, [], texts), issues
        return None, issues + [CorpusIssue(str(sentences_path), None, "", None, "sentences file not found")]
    sentences: list[LabeledSentence] = []
    seen_ids: dict[str, int] = {}
    file = str(sentences_path)
    for line_number, record in _iter_jsonl(sentences_path, issues):
        missing = [name for name in REQUIRED_SENTENCE_FIELDS if name not in record]
        if missing:
            issues.append(CorpusIssue(file, line_number, missing[0], None, f"missing required field(s) {missing}"))
            continue
        unknown = sorted(set(record) - set(SENTENCE_FIELDS))
        if unknown:
            issues.append(CorpusIssue(file, line_number, unknown[0], record[unknown[0]],
                                      f"unknown field; allowed: {list(SENTENCE_FIELDS)}"))
        sentence_id, text, article_id = record["id"], record["text"], record["article"]
        if not isinstance(sentence_id, str) or not sentence_id:
            issues.append(CorpusIssue(file, line_number, "id", sentence_id, "id must be a non-empty string"))
            continue
        if sentence_id in seen_ids:
            issues.append(CorpusIssue(file, line_number, "id", sentence_id, f"duplicate id (first on line {seen_ids[sentence_id]})"))
            continue
        seen_ids[sentence_id] = line_number
        if not isinstance(text, str) or not text.strip():
            issues.append(CorpusIssue(file, line_number, "text", text, "text must be a non-empty string"))
            continue
        labels_ok = _check_labels(record["labels"], schema, file, line_number, issues)
        start, end = record.get("start"), record.get("end")
        if article_id is not None:
            if article_id not in articles:
                issues.append(CorpusIssue(file, line_number, "article", article_id, f"unknown article id; known: {sorted(articles)[:10]}"))
            elif start is not None or end is not None:
                article_text = texts[article_id]
                if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(article_text):
                    issues.append(CorpusIssue(file, line_number, "start", (start, end),
                                              f"offsets outside the article; allowed: 0 <= start < end <= {len(article_text)}"))
                elif article_text[start:end] != text:
                    issues.append(CorpusIssue(file, line_number, "text", text,
                                              f"text does not match article[{start}:{end}] = {article_text[start:end]!r}"))
        boilerplate = record.get("boilerplate", False)
        if not isinstance(boilerplate, bool):
            issues.append(CorpusIssue(file, line_number, "boilerplate", boilerplate, "allowed: true, false"))
            boilerplate = False
        spans = _check_spans(record.get("spans"), text, schema, file, line_number, issues)
        if not labels_ok:
            continue
        article = articles.get(article_id)
        sentences.append(
            LabeledSentence(
                text=text,
                labels=dict(record["labels"]),
                article=article_id,
                source=article.outlet if article else None,
                id=sentence_id,
                position=record.get("position"),
                start=start,
                end=end,
                spans=spans,
                boilerplate=boilerplate,
                note=str(record.get("note") or ""),
            )
        )
    return Corpus(root, schema, articles, sentences, texts), issues


def validate_corpus(path: PathLike) -> list[CorpusIssue]:
    """Check a corpus folder and return every problem found (empty when valid).

    Examples
    --------
    >>> validate_corpus("no/such/folder")[0].message
    'corpus folder not found (expected a folder with schema.json)'
    """
    _, issues = _read(path)
    return issues


def read_corpus(path: PathLike) -> Corpus:
    """Read and validate a corpus folder.

    Raises
    ------
    CorpusError
        Listing every problem with file, line, field, value and what is allowed.
    """
    corpus, issues = _read(path)
    if issues or corpus is None:
        raise CorpusError(issues)
    logger.debug("read %d sentences from %s", len(corpus.sentences), path)
    return corpus


def write_jsonl_atomic(path: PathLike, records: Iterable[Mapping[str, Any]]) -> None:
    """Write JSON Lines to ``path`` atomically: a temporary file in the same folder, fsync, rename.

    A crash at any point leaves either the old file or the new one, never a
    half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(record, ensure_ascii=False) + "\n" for record in records))


@contextlib.contextmanager
def corpus_lock(root: PathLike) -> Iterator[None]:
    """Hold an exclusive lock on a corpus folder so that concurrent writers take turns.

    Uses ``fcntl.flock`` on ``ROOT/.lock`` where available (POSIX); the lock is
    released by the kernel if the process dies.
    """
    root = Path(root)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic rename still protects each write
        yield
        return
    with open(root / ".lock", "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    issues: list[CorpusIssue] = []
    records = [record for _, record in _iter_jsonl(path, issues)]
    if issues:
        # Rewriting a file we could not fully read would silently drop lines.
        raise CorpusError(issues)
    return records


def append_sentences(root: PathLike, sentences: Sequence[LabeledSentence]) -> None:
    """Add (or replace, by id) sentences in a corpus, atomically and under the corpus lock.

    The whole sentences file is rewritten to a temporary file and renamed, so a
    crash leaves the corpus valid, and every sentence confirmed before it is kept.
    """
    root = Path(root)
    schema = load_schema(root)
    issues: list[CorpusIssue] = []
    for sentence in sentences:
        # Sentences are stored and replaced by id: without one they would overwrite each other.
        if not isinstance(sentence.id, str) or not sentence.id:
            issues.append(CorpusIssue("<new sentence>", 0, "id", sentence.id, "id must be a non-empty string"))
        _check_labels(sentence.labels, schema, "<new sentence>", 0, issues)
    if issues:
        raise CorpusError(issues)
    with corpus_lock(root):
        path = root / schema.sentences_file
        records = _read_records(path)
        index = {record["id"]: position for position, record in enumerate(records)}
        for sentence in sentences:
            record = sentence.to_record()
            if record["id"] in index:
                records[index[record["id"]]] = record
            else:
                index[record["id"]] = len(records)
                records.append(record)
        write_jsonl_atomic(path, records)


def register_article(root: PathLike, article_id: str, text: str, **metadata: Any) -> Article:
    """Add an article's text and metadata to a corpus (atomic; no-op if already registered).

    The text goes to ``articles/ARTICLE_ID.txt``; the metadata record to the
    articles file.

    Raises
    ------
    ArticleConflictError
        When ``article_id`` is registered with a different text.
    """
    root = Path(root)
    schema = load_schema(root)
    if not article_id or "/" in article_id or article_id.startswith("."):
        raise ValueError(f"invalid article id {article_id!r}: use a plain file stem")
    with corpus_lock(root):
        articles_path = root / schema.articles_file
        records = _read_records(articles_path)
        text_path = root / "articles" / f"{article_id}.txt"
        for record in records:
            if record.get("id") == article_id:
                stored_path = root / str(record.get("path") or f"articles/{article_id}.txt")
                if stored_path.exists() and _read_exact_text(stored_path) != text:
                    raise ArticleConflictError(f"article id {article_id!r} is already registered with a different text "
                                               f"({stored_path}); choose another id")
                return Article(**{key: record.get(key) for key in ARTICLE_FIELDS if key in record})
        text_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(text_path, text, newline="")
        article = Article(id=article_id, path=f"articles/{article_id}.txt", **metadata)
        records.append(article.to_record())
        write_jsonl_atomic(articles_path, records)
        return article


# ---------------------------------------------------------------------- tables


class TableError(CorpusError):
    """Raised by :func:`read_table` when a table cannot be used; ``issues`` lists every problem.

    Each issue names the file and row (``FILE:LINE``), the column, the value
    found and what is allowed.
    """

    def __init__(self, issues: Sequence[CorpusIssue]):
        super().__init__(issues)
        if len(self.issues) == 1:
            self.args = (str(self.issues[0]),)
        else:
            self.args = (self.args[0].replace("corpus error(s)", "problem(s)", 1),)


#: Spellings of yes/no labels in tables (compared case-insensitively, stripped).
YES_VALUES = ("true", "1", "yes", "y", "t")
NO_VALUES = ("false", "0", "no", "n", "f")


def yes_no(value: Any) -> bool | None:
    """``True``/``False`` for a yes/no label (``true``/``false``, ``1``/``0``, ``yes``/``no``, booleans), else None.

    Examples
    --------
    >>> yes_no("Yes"), yes_no(0), yes_no(1.0), yes_no("maybe"), yes_no(2)
    (True, False, True, None, None)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in YES_VALUES:
            return True
        if lowered in NO_VALUES:
            return False
    return None


def _cell_text(value: Any) -> str:
    """A table cell as a class name: ``2.0`` (Excel) is ``"2"``; booleans are ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shown_counts(counts: Mapping[str, int], limit: int = 8) -> str:
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{value!r} ×{n}" for value, n in items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


def infer_task(name: str, values: Sequence[Any], classes: Sequence[Any] | None = None, *, file: str = "<training data>",
               field: str = "", locations: Sequence[Any] | None = None) -> TaskSpec:
    """The :class:`TaskSpec` of a task from its labels, as training from a table or from sentences infers it.

    * ``classes`` given: a yes/no pair (``no,yes``, ``0,1``, ``false,true``)
      makes a binary task; anything else a multiclass task with exactly
      these classes, in this order.
    * otherwise every value yes/no (``true/false``, ``1/0``, ``yes/no`` or
      booleans): binary; every value something else: multiclass, classes
      sorted by name.

    Raises :class:`TableError` (file, row, field, value and what is allowed)
    when fewer than two classes occur (a single-class task trains a model
    that always answers the same), or when yes/no values are mixed with
    other values (a stray ``maybe`` or ``2`` among ``0``/``1``): declare every
    class with ``classes`` to make such a task multiclass on purpose.

    Examples
    --------
    >>> infer_task("loaded", ["1", "0", "yes"]).classes
    (False, True)
    >>> infer_task("side", ["right", "left", "left"]).classes
    ('left', 'right')
    >>> infer_task("loaded", ["1", "1"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framing.data._corpus.TableError: <training data>: task 'loaded' has a single class in all 2 rows: '1'; a task needs at least 2 ...
    """
    locations = list(locations) if locations is not None else [None] * len(values)
    issues: list[CorpusIssue] = []
    texts = [_cell_text(v) for v in values]
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    if classes is not None:
        declared = [_cell_text(c) for c in classes]
        if len(declared) < 2 or len(set(declared)) != len(declared):
            raise TableError([CorpusIssue(file, None, field, list(classes), f"task {name!r}: declare at least 2 distinct classes")])
        pair = {yes_no(c) for c in declared}
        if len(declared) == 2 and pair == {False, True}:
            spec = TaskSpec(name, "binary", (False, True))
            for location, value in zip(locations, values):
                if yes_no(value) is None:
                    issues.append(CorpusIssue(file, location, field, value, f"task {name!r}: not a yes/no value; allowed: {declared}"))
        else:
            spec = TaskSpec(name, "multiclass", tuple(declared))
            for location, text, value in zip(locations, texts, values):
                if text not in declared:
                    issues.append(CorpusIssue(file, location, field, value, f"task {name!r}: unknown class; allowed: {declared}"))
        if issues:
            raise TableError(issues)
        return spec
    if not values:
        raise TableError([CorpusIssue(file, None, field, None, f"task {name!r}: no labels")])
    answers = [yes_no(v) for v in values]
    binary_like = [a is not None for a in answers]
    if all(binary_like):
        spec = TaskSpec(name, "binary", (False, True))
        present = {a for a in answers}
    elif any(binary_like):
        yes_no_counts = {t: n for t, n in counts.items() if yes_no(t) is not None}
        others = {t: n for t, n in counts.items() if yes_no(t) is None}
        all_classes = ",".join(sorted(counts))
        for location, value, ok in zip(locations, values, binary_like):
            if not ok:
                issues.append(CorpusIssue(
                    file, location, field, value,
                    f"task {name!r}: not a yes/no value, though the other labels are ({_shown_counts(yes_no_counts)}); "
                    f"allowed: true/false, 1/0, yes/no. Fix the row, or declare every class to make the task multiclass "
                    f"(--classes {name}={all_classes})"))
        logger.debug("task %s: yes/no labels mixed with %s", name, others)
        raise TableError(issues)
    else:
        spec = TaskSpec(name, "multiclass", tuple(sorted(counts)))
        present = set(counts)
    if len(present) < 2:
        only = texts[0] if texts else None
        raise TableError([CorpusIssue(
            file, None, field, only,
            f"task {name!r} has a single class in all {len(values)} rows: {only!r}; a task needs at least 2 classes "
            "(add rows of another class, or leave the task out)")])
    return spec


def infer_schema(sentences: Sequence[LabeledSentence], name: str = "corpus") -> Schema:
    """Tasks and classes from the labels of sentences (what :func:`framing.train` does without a schema).

    ``True``/``False`` labels make a binary task; strings a multiclass task,
    classes sorted by name (pass a :class:`Schema` when their order matters:
    the slant index uses the first and last class as its poles). A task with
    a single class, or with booleans mixed with other labels, raises
    :class:`TableError`.

    Examples
    --------
    >>> infer_schema([LabeledSentence("a", {"loaded": True}), LabeledSentence("b", {"loaded": False})]).classes("loaded")
    (False, True)
    """
    values: dict[str, list[Any]] = {}
    locations: dict[str, list[int]] = {}
    for index, sentence in enumerate(sentences):
        for task, value in sentence.labels.items():
            values.setdefault(task, []).append(value)
            locations.setdefault(task, []).append(index + 1)
    if not values:
        raise ValueError("no labels found in the training sentences")
    tasks, issues = [], []
    for task, seen in values.items():
        kinds = {isinstance(v, bool) for v in seen}
        if kinds == {True, False}:
            # Typed labels: a boolean among strings (or a string among booleans) is a mistake, not a class.
            booleans = sum(1 for v in seen if isinstance(v, bool))
            minority_is_bool = booleans <= len(seen) / 2
            for location, value in zip(locations[task], seen):
                if isinstance(value, bool) == minority_is_bool:
                    issues.append(CorpusIssue("<training data>", location, f"labels.{task}", value,
                                              f"task {task!r} mixes booleans and other labels; use one kind"))
            continue
        if kinds == {True}:
            present = set(seen)
            spec = TaskSpec(task, "binary", (False, True))
        else:
            present = {str(v) for v in seen}
            spec = TaskSpec(task, "multiclass", tuple(sorted(present)))
        if len(present) < 2:
            issues.append(CorpusIssue("<training data>", None, f"labels.{task}", seen[0],
                                      f"task {task!r} has a single class in all {len(seen)} sentences; a task needs at least 2 classes"))
            continue
        tasks.append(spec)
    if issues:
        raise TableError(issues)
    return Schema(tasks=tuple(tasks), name=name)


def _label_pairs(label_columns: Mapping[str, str] | Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    if label_columns is None:
        return []
    if isinstance(label_columns, Mapping):
        return [(str(task), str(column)) for task, column in label_columns.items()]
    return [(str(task), str(column)) for task, column in label_columns]


def read_table(
    path: PathLike,
    text_column: str = "text",
    label_columns: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    classes: Mapping[str, Sequence[Any]] | None = None,
    *,
    group_column: str | None = None,
    schema: Schema | None = None,
    format: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    encoding: str = "utf-8",
) -> tuple[Schema, list[LabeledSentence]]:
    """Read labelled sentences from a table: CSV/TSV, JSON Lines or an Excel workbook.

    Parameters
    ----------
    path : path
        The table; its format comes from the suffix (``.csv``, ``.tsv``,
        ``.jsonl``, ``.xlsx``) unless ``format`` is given. ``-`` is stdin
        (JSON Lines, or ``format="csv"``).
    text_column : str, default="text"
        The column with the sentence text.
    label_columns : mapping or sequence of pairs
        Each task and the column holding its labels, e.g. ``{"loaded": "is_biased"}``.
    classes : mapping, optional
        Per task, every class in order. A yes/no pair (``["no", "yes"]``,
        ``[0, 1]``) declares a binary task; anything else a multiclass task
        with exactly these classes (see :func:`infer_task` for what is
        inferred without it).
    group_column : str, optional
        A column grouping rows (e.g. the article) for grouped cross-validation.
    schema : Schema, optional
        Take tasks and classes from this schema instead of inferring them.
    delimiter : str, optional
        CSV delimiter; by default sniffed (``,``, ``;``, tab or ``|``).
    sheet : str, optional
        Excel sheet name (default: the first sheet). Excel needs the optional
        ``openpyxl`` (``pip install "framing[excel]"``).
    encoding : str, default="utf-8"
        Text encoding of CSV and JSON Lines files.

    Returns
    -------
    (Schema, list of LabeledSentence)
        Pass both to :func:`framing.train` or :func:`framing.evaluate`:
        ``framing.train(sentences, schema=schema)``. Sentence ids are
        ``row-N`` (N counts good rows from 1).

    Raises
    ------
    TableError
        Every problem found, each with ``FILE:LINE``, column, value and what
        is allowed: an unreadable file, missing columns (with the columns
        present, and a hint when the delimiter looks wrong), empty cells, a
        task with a single class, yes/no labels mixed with other values,
        labels outside the declared classes.
    ValueError
        For bad arguments (no label columns, a task given twice, classes of an
        unknown task).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = table.write_text("sentence;is_loaded\\nThe regime lied.;1\\nTalks began.;0\\n", encoding="utf-8")
    >>> schema, sentences = read_table(table, text_column="sentence", label_columns={"loaded": "is_loaded"})
    >>> schema.classes("loaded"), sentences[0].labels
    ((False, True), {'loaded': True})
    """
    from ._io import BadRecord, InputFileError, detect_format, iter_rows

    pairs = _label_pairs(label_columns)
    if not pairs:
        raise ValueError("name at least one label column, e.g. label_columns={'loaded': 'is_biased'}")
    if len({task for task, _ in pairs}) != len(pairs):
        raise ValueError("each task may be given only once in label_columns")
    declared = {str(task): list(values) for task, values in (classes or {}).items()}
    unknown = [task for task in declared if task not in dict(pairs)]
    if unknown:
        raise ValueError(f"classes given for task(s) {unknown} without a label column; tasks: {[t for t, _ in pairs]}")
    if schema is not None:
        missing_tasks = [task for task, _ in pairs if task not in schema.task_names]
        if missing_tasks:
            raise ValueError(f"task(s) {missing_tasks} not in the schema; available: {list(schema.task_names)}")
    path_text = os.fspath(path)
    name = "<stdin>" if path_text == "-" else path_text
    issues: list[CorpusIssue] = []
    rows: list[tuple[str, int, str, str | None, dict[str, Any]]] = []
    columns_checked = False
    try:
        for location, row in iter_rows(path_text, format, encoding, delimiter=delimiter, sheet=sheet):
            line = int(location.rsplit(":", 1)[1])
            if isinstance(row, BadRecord):
                issues.append(CorpusIssue(name, line, "", None, row.message))
                continue
            if not columns_checked:
                columns_checked = True
                wanted = [text_column] + [column for _, column in pairs] + ([group_column] if group_column else [])
                missing = [column for column in dict.fromkeys(wanted) if column not in row]
                if missing:
                    present = [str(column) for column in row]
                    hint = ""
                    if len(present) == 1:
                        for candidate in (";", "\t", "|", ","):
                            if candidate in present[0]:
                                hint = f"; the header is one column containing {candidate!r}: is that the delimiter (--delimiter)?"
                                break
                    header_line = 1 if detect_format(path_text, format) in ("csv", "tsv", "xlsx") else line
                    raise TableError([CorpusIssue(name, header_line, missing[0], missing,
                                                  f"column(s) not found; columns present: {', '.join(present)}{hint}")])
            text = row.get(text_column)
            if not isinstance(text, str) or not text.strip():
                if text is not None and not isinstance(text, str):
                    issues.append(CorpusIssue(name, line, text_column, text, "the text column must hold text"))
                else:
                    issues.append(CorpusIssue(name, line, text_column, text, "missing or empty sentence text"))
                continue
            values: dict[str, Any] = {}
            for task, column in pairs:
                value = row.get(column)
                if value is None or (isinstance(value, str) and not value.strip()):
                    issues.append(CorpusIssue(name, line, column, value, f"missing label of task {task!r}"))
                    break
                values[task] = value.strip() if isinstance(value, str) else value
            else:
                group = row.get(group_column) if group_column else None
                rows.append((location, line, text, None if group in (None, "") else _cell_text(group), values))
    except InputFileError as error:
        raise TableError([CorpusIssue(name, None, "", None, str(error).removeprefix(f"{name}: "))]) from None
    if issues:
        raise TableError(issues)
    if not rows:
        raise TableError([CorpusIssue(name, None, "", None, "no rows with a sentence and its labels")])

    tasks: list[TaskSpec] = []
    for task, column in pairs:
        observed = [values[task] for _, _, _, _, values in rows]
        lines = [line for _, line, _, _, _ in rows]
        if schema is not None:
            spec = schema.task(task)
            given = ["no", "yes"] if spec.is_binary else list(spec.classes)
            try:
                infer_task(task, observed, given, file=name, field=column, locations=lines)
            except TableError as error:
                issues.extend(error.issues)
            tasks.append(spec)
            continue
        try:
            tasks.append(infer_task(task, observed, declared.get(task), file=name, field=column, locations=lines))
        except TableError as error:
            issues.extend(error.issues)
    if issues:
        raise TableError(issues)
    sentences = []
    for number, (_, _, text, group, values) in enumerate(rows, start=1):
        labels = {}
        for spec in tasks:
            value = values[spec.name]
            labels[spec.name] = yes_no(value) if spec.is_binary else _cell_text(value)
        sentences.append(LabeledSentence(text=text, labels=labels, article=group, id=f"row-{number}"))
    table_schema = Schema(
        tasks=tuple(tasks),
        span_types=schema.span_types if schema is not None else Schema.__dataclass_fields__["span_types"].default,
        name=Path(path_text).stem if path_text != "-" else "stdin",
    )
    logger.debug("read %d sentences from %s", len(sentences), name)
    return table_schema, sentences


def read_articles(root: PathLike) -> dict[str, Article]:
    """The articles of a corpus folder (its schema and articles file), by id, without reading the sentences.

    Raises
    ------
    CorpusError
        When the schema or an article record does not validate.

    Examples
    --------
    >>> read_articles("labeled")["001_03e12f6d6a8a63b0"].outlet  # doctest: +SKIP
    'Euromaidan Press'
    """
    root = Path(root)
    schema = load_schema(root)
    issues: list[CorpusIssue] = []
    articles, _ = _read_articles(root, schema, issues)
    if issues:
        raise CorpusError(issues)
    return articles
