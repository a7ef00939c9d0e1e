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

from ._errors import FramingError, UnknownTaskError
from ._util import atomic_write, same_label

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
            issues.append(CorpusIssue(file, None, f"polar.{pole}", raw[pole], f"not a class of {task.name!r}; allowed: {list(task.classes)}"))
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
        raise CorpusError([CorpusIssue(str(path), error.lineno, "", error.doc[error.pos:error.pos + 20], f"malformed JSON: {error.msg}")]) from None
    return Schema.from_dict(data, file=str(path))


def _read_exact_text(path: Path) -> str:
    """A UTF-8 text file exactly as stored: no newline translation, so offsets into it stay valid."""
    # read_text() would turn \r\n into \n and shift every offset after it.
    return path.read_bytes().decode("utf-8")


def _iter_jsonl(path: Path, issues: list[CorpusIssue]) -> Iterator[tuple[int, dict[str, Any]]]:
    # Read bytes and decode per line, so that one bad line is reported with its
    # number instead of aborting the whole file.
    with open(path, "rb") as handle:
        for line_number, raw_line in enumerate(handle, start=1):
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as error:
                issues.append(CorpusIssue(str(path), line_number, "", raw_line[:60].decode("utf-8", "replace").strip(), f"line is not UTF-8 ({error.reason} at byte {error.start}); save the file as UTF-8"))
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                issues.append(CorpusIssue(str(path), line_number, "", line.strip()[:60], f"malformed JSON: {error.msg} at column {error.colno}"))
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
            issues.append(CorpusIssue(file, line, f"labels.{task.name}", None, f"missing label for declared task; allowed: {list(task.classes)}"))
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
            issues.append(CorpusIssue(file, line, f"{where}.start", (start, end), f"span offsets outside the sentence; allowed: 0 <= start < end <= {len(text)}"))
            continue
        span_text = span.get("text")
        if span_text is not None and span_text != text[start:end]:
            issues.append(CorpusIssue(file, line, f"{where}.text", span_text, f"span text does not match sentence[{start}:{end}] = {text[start:end]!r}"))
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
            issues.append(CorpusIssue(str(path), line_number, "path", text_path, f"article text is not UTF-8 ({error.reason} at byte {error.start})"))
            continue
        labels = record.get("labels", {}) or {}
        if not isinstance(labels, Mapping):
            issues.append(CorpusIssue(str(path), line_number, "labels", labels, "labels must be an object"))
            labels = {}
        for task_name, value in labels.items():
            if task_name not in schema.task_names:
                issues.append(CorpusIssue(str(path), line_number, f"labels.{task_name}", task_name, f"unknown task; available: {list(schema.task_names)}"))
            elif not any(same_label(value, cls) for cls in schema.classes(task_name)):
                # Exact types, as for sentence labels: 1 is not True.
                issues.append(CorpusIssue(str(path), line_number, f"labels.{task_name}", value, f"unknown class; allowed: {list(schema.classes(task_name))}"))
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
            issues.append(CorpusIssue(file, line_number, unknown[0], record[unknown[0]], f"unknown field; allowed: {list(SENTENCE_FIELDS)}"))
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
                    issues.append(CorpusIssue(file, line_number, "start", (start, end), f"offsets outside the article; allowed: 0 <= start < end <= {len(article_text)}"))
                elif article_text[start:end] != text:
                    issues.append(CorpusIssue(file, line_number, "text", text, f"text does not match article[{start}:{end}] = {article_text[start:end]!r}"))
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
def corpus_lock(root: PathLike):
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
                    raise ArticleConflictError(f"article id {article_id!r} is already registered with a different text ({stored_path}); choose another id")
                return Article(**{key: record.get(key) for key in ARTICLE_FIELDS if key in record})
        text_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(text_path, text, newline="")
        article = Article(id=article_id, path=f"articles/{article_id}.txt", **metadata)
        records.append(article.to_record())
        write_jsonl_atomic(articles_path, records)
        return article
