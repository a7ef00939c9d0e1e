"""Writing to a corpus folder: atomic files, an exclusive lock, adding sentences and registering articles.

Every write goes to a temporary file in the same folder that is then renamed,
under the corpus lock, so a crash or a concurrent writer leaves a valid corpus.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._util import atomic_write
from ..errors import FramingError
from ._reading import _check_labels, _iter_jsonl, _read_exact_text
from ._schema import ARTICLE_FIELDS, Article, CorpusError, CorpusIssue, LabeledSentence, PathLike, load_schema


class ArticleConflictError(FramingError, ValueError):
    """Raised by :func:`register_article` when the id is taken by an article with another text."""


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
