"""Reading and validating a corpus folder: every problem is reported with its file, line, field and what is allowed."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .._util import iter_jsonl, same_label
from ._io import json_error_message
from ._schema import (
    REQUIRED_SENTENCE_FIELDS,
    SENTENCE_FIELDS,
    Article,
    Corpus,
    CorpusError,
    CorpusIssue,
    LabeledSentence,
    PathLike,
    Schema,
    Span,
    load_schema,
)

logger = logging.getLogger(__name__)


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
            if error is not None:
                issues.append(CorpusIssue(str(path), line_number, "", record.strip()[:60], json_error_message(error)))
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
