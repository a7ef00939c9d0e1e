"""The token analysis every feature block shares, and its memo.

Each sentence is tokenised once (tokens, normalised tokens, offsets, which
tokens are inside quotation marks); :func:`analyze` memoises the result per
text, and :func:`shared_analysis` widens the memo to a whole training run so
that cross-validation refits never tokenise a sentence twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress
from operator import itemgetter
from typing import Any

from ..text import normalise_token, split_tokens

__all__ = ["Analysis", "analyze", "shared_analysis", "texts_of", "training_rows", "training"]

_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*$""")


@dataclass(frozen=True)
class Analysis:
    """Tokens of one sentence and where quotations are."""

    raw: tuple[str, ...]
    tokens: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]
    in_quote: tuple[bool, ...]
    has_quote_marks: bool
    is_line: bool


_QUOTE_MARK = re.compile("[" + _OPEN_QUOTES + _CLOSE_QUOTES + '"]')


def _quote_intervals(text: str) -> list[tuple[int, int]]:
    intervals = []
    inside_from: int | None = None
    # Only quotation marks change the state: visit them, not every character.
    for match in _QUOTE_MARK.finditer(text):
        char, position = match.group(), match.start()
        if char in _OPEN_QUOTES or (char == '"' and inside_from is None):
            if inside_from is None:
                inside_from = position
        else:
            # A closing mark with no opening one continues a quotation from the previous sentence.
            intervals.append((0 if inside_from is None else inside_from, position))
            inside_from = None
    if inside_from is not None:
        intervals.append((inside_from, len(text)))
    return intervals


def _normalised(raw: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(normalise_token, raw))


#: While features are fitted for training (see :func:`shared_analysis`): every sentence's analysis and the rows
#: of the blocks that learn nothing from labels, kept until the fit ends. A context variable, so threads and
#: concurrent fits never share it.
_TRAINING_MEMO: ContextVar[dict | None] = ContextVar("framing_training_memo", default=None)


@contextmanager
def shared_analysis() -> Iterator[None]:
    """Within this context each sentence is tokenised once, and fixed pattern blocks compute each row once.

    Cross-validation refits the feature union on every inner fold and every
    task; the tokenisation of a sentence, and the rows of the blocks whose
    fitted state does not depend on the training sentences (attribution,
    hedging, shape, stance), are the same each time. Training enters this
    context; nested entries share the outer one.

    Examples
    --------
    >>> with shared_analysis():
    ...     analyze("The regime fell.") is analyze("The regime fell.")
    True
    """
    if _TRAINING_MEMO.get() is not None:
        yield
        return
    token = _TRAINING_MEMO.set({"analysis": {}, "rows": {}})
    try:
        yield
    finally:
        _TRAINING_MEMO.reset(token)


def analyze(text: str) -> Analysis:
    """Tokenise a sentence once for every transformer (memoised per text).

    Examples
    --------
    >>> a = analyze('Rubio said: "The regime fell."')
    >>> list(zip(a.tokens, a.in_quote))[2:]
    [('the', True), ('regime', True), ('fell', True)]
    """
    memo = _TRAINING_MEMO.get()
    if memo is None:
        return _analyze_cached(text)
    analyses = memo["analysis"]
    found = analyses.get(text)
    if found is None:
        found = analyses[text] = _analyze(text)
    return found


@lru_cache(maxsize=8192)
def _analyze_cached(text: str) -> Analysis:
    return _analyze(text)


@lru_cache(maxsize=65536)
def _chunk_words(chunk: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The word tokens of a run of non-space characters: raw, normalised, and their offsets in the run."""
    return _words(chunk)


def _words(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...]]:
    tokens, bounds = split_tokens(text)
    spans = zip(bounds[0:-1:2], bounds[1::2])
    # Word tokens only: those that start with a letter or digit (punctuation is one token per character).
    words = list(map(str.isalnum, map(itemgetter(0), tokens)))
    if all(words):
        raw, offsets = tuple(tokens), tuple(spans)
    else:
        raw, offsets = tuple(compress(tokens, words)), tuple(compress(spans, words))
    return raw, _normalised(raw), offsets


def _sentence_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...]]:
    """:func:`_words` of a sentence, from the cached words of its runs of non-space characters when single
    spaces separate them (no token spans white space, and the token pattern looks no further than a run)."""
    chunks = text.split()
    if " ".join(chunks) != text:
        return _words(text)
    parts = list(map(_chunk_words, chunks))
    raw = tuple(chain.from_iterable(map(itemgetter(0), parts)))
    tokens = tuple(chain.from_iterable(map(itemgetter(1), parts)))
    offsets = []
    start = 0
    for chunk, (_, _, spans) in zip(chunks, parts):
        if len(spans) == 1:
            offsets.append((start + spans[0][0], start + spans[0][1]))
        elif spans:
            offsets.extend([(start + s, start + e) for s, e in spans])
        start += len(chunk) + 1
    return raw, tokens, tuple(offsets)


def _analyze(text: str) -> Analysis:
    raw, tokens, offsets = _sentence_words(text)
    intervals = _quote_intervals(text)
    if intervals:
        in_quote = tuple(any(a <= s < b for a, b in intervals) for s, _ in offsets)
    else:
        in_quote = (False,) * len(offsets)
    return Analysis(
        raw=raw,
        tokens=tokens,
        offsets=offsets,
        in_quote=in_quote,
        has_quote_marks=bool(intervals),
        is_line=_SENTENCE_END.search(text.rstrip()) is None,
    )


def texts_of(X: Any) -> list[str]:
    """The sentence strings of ``X``: strings, or the ``text`` of objects that have one.

    Examples
    --------
    >>> texts_of(["Talks began."])
    ['Talks began.']
    """
    if isinstance(X, str):
        raise TypeError("expected a list of sentences, got a single str; wrap it in a list")
    texts = [getattr(item, "text", item) for item in X]
    if not all(map(str.__instancecheck__, texts)):
        index = next(index for index, text in enumerate(texts) if not isinstance(text, str))
        raise TypeError(f"sentence {index} must be str, got {type(texts[index]).__name__}")
    return texts


def training_rows(key: tuple) -> dict | None:
    """While training (:func:`shared_analysis`), the ``{text: row}`` memo of the block identified by ``key``; else None.

    For blocks whose rows depend on the text and ``key`` alone (nothing learned from labels).
    """
    memo = _TRAINING_MEMO.get()
    return None if memo is None else memo["rows"].setdefault(key, {})


def training() -> bool:
    """Whether features are being fitted for training (inside :func:`shared_analysis`): a block whose memo key
    costs something to build asks this first."""
    return _TRAINING_MEMO.get() is not None
