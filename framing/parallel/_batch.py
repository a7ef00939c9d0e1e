"""Streaming batch scoring in this process or in worker processes (joblib), in input order."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["score_stream", "score_chunk"]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield chunk


def score_chunk(model, texts: list[str], evidence: int = 3) -> list[Any]:
    """Score a list of articles (the unit of work sent to a worker process)."""
    return [model.score(text, evidence=evidence) for text in texts]


def score_stream(model, texts: Iterable[str], n_jobs: int = 1, chunk_size: int = 64, evidence: int = 3) -> Iterator[Any]:
    """Yield one report per text, in input order, holding at most ``2 * n_jobs + 1`` chunks in memory.

    With ``n_jobs > 1`` the chunks go to joblib's loky worker processes through a window of at most
    ``2 * n_jobs`` submitted chunks: a new chunk is read from ``texts`` only when the consumer has taken the
    reports of the oldest one, so memory stays flat however large the input and however slow the consumer.
    (``joblib.Parallel(return_as="generator")`` dispatches on task completion, not on consumption, so a slow
    consumer would let finished reports pile up without bound.)
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size!r}")
    if n_jobs is None or n_jobs == 1:
        for text in texts:
            yield model.score(text, evidence=evidence)
        return
    from collections import deque

    from joblib import effective_n_jobs
    from joblib.executor import get_memmapping_executor

    workers = effective_n_jobs(n_jobs)
    if workers == 1:
        yield from score_stream(model, texts, n_jobs=1, chunk_size=chunk_size, evidence=evidence)
        return
    # joblib's own reusable executor, not loky's bare one: a later joblib.Parallel in this process (framing.evaluate,
    # scikit-learn) reuses whichever exists, and a bare loky executor lacks the temporary-folder manager it needs.
    executor = get_memmapping_executor(workers)
    window = 2 * workers
    pending: deque = deque()
    try:
        for chunk in _chunks(texts, chunk_size):
            pending.append(executor.submit(score_chunk, model, chunk, evidence))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        # Closed early or failed: drop what has not started (running chunks finish and are discarded).
        for future in pending:
            future.cancel()
