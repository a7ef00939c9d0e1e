"""Direct quotation by its marks: the one part of the voice stage where rules are exact.

Double quotes (straight ``"``, curly “ ”, low „, guillemets « ») and single
quotes (curly ‘ ’; straight ``'`` only where a closing mark pairs with it, so
that apostrophes -- don't, players' union, '90s -- never open a quotation).
A paragraph is a line. A quotation left open at the end of its paragraph ends
there; when the next paragraph opens with a mark of the same kind, the
quotation continues in it (the English convention for a quote running over
several paragraphs), and the paragraphs' spans form one :class:`Quote`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["Quote", "quotes_of", "quote_spans"]

_DOUBLE_OPEN = "“«„"
_DOUBLE_CLOSE = "”»"
_DOUBLE_MARKS = re.compile("[\"“”«»„]")
_SINGLE_MARKS = re.compile("['‘’]")
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
#: What may stand right before an opening mark.
_BEFORE_OPEN = " \t([{—–-/:;,\"“«„"


@dataclass(frozen=True)
class Quote:
    """One direct quotation, perhaps over several paragraphs.

    Attributes
    ----------
    spans : tuple of (int, int)
        The quoted text of each paragraph it covers, marks excluded
        (article offsets).
    opened : int
        Offset of the opening mark (of the first paragraph), or of the
        paragraph start for a closing mark that had no opening one.
    closed : int or None
        Offset of the final closing mark; None when the quotation runs to the
        end of its last paragraph unclosed.
    """

    spans: tuple[tuple[int, int], ...]
    opened: int
    closed: int | None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _LINE.finditer(text) if match.group().strip()]


def _is_letter(char: str) -> bool:
    return char.isalnum()


def _double(text: str, start: int, end: int, lone_close_from_start: bool) -> list[tuple[int, int | None, bool]]:
    """``(open_mark, close_mark or None, from_paragraph_start)`` of the double quotations of one paragraph."""
    found: list[tuple[int, int | None, bool]] = []
    open_at: int | None = None
    low = False
    for match in _DOUBLE_MARKS.finditer(text, start, end):
        position, mark = match.start(), match.group()
        if open_at is None:
            if mark in _DOUBLE_OPEN or mark == '"':
                open_at, low = position, mark == "„"
            elif lone_close_from_start and position > start and not text[position - 1].isspace():
                # A closing mark with nothing open: the quotation began before this paragraph (or unit).
                found.append((start - 1, position, True))
        elif mark in _DOUBLE_CLOSE or mark == '"' or (low and mark == "“"):
            found.append((open_at, position, False))
            open_at = None
        else:
            # A second opening mark while one is open: the first was never closed.
            found.append((open_at, position, False))
            open_at, low = position, mark == "„"
    if open_at is not None:
        found.append((open_at, None, False))
    return found


def _single_opens(text: str, position: int, start: int) -> bool:
    before = text[position - 1] if position > start else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    # ’90s, 'em: an elision, not a quotation
    return before in _BEFORE_OPEN and (after.isalpha() or after in "\"“")


def _single_closes(text: str, position: int, end: int) -> bool:
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < end else " "
    if before.isspace() or (_is_letter(before) and _is_letter(after)):
        return False  # don't, it's, rock 'n' roll: inside a word
    if before in "sSzZ" and after == " " and position + 2 < end and text[position + 2].islower():
        return False  # the players' union: a possessive
    return not _is_letter(after)


def _single(text: str, start: int, end: int) -> list[tuple[int, int | None, bool]]:
    found: list[tuple[int, int | None, bool]] = []
    open_at: int | None = None
    straight = False
    for match in _SINGLE_MARKS.finditer(text, start, end):
        position, mark = match.start(), match.group()
        if open_at is None:
            if mark in "‘'" and _single_opens(text, position, start):
                open_at, straight = position, mark == "'"
        elif mark in "’'" and _single_closes(text, position, end):
            if not (straight and sum(char.isalpha() for char in text[open_at + 1:position]) < 2):
                found.append((open_at, position, False))  # rock 'n' roll: an elision on both sides, not a quote
            open_at = None
    if open_at is not None and not straight:
        # A straight ' left open is more likely an apostrophe than a quotation: only a curly ‘ runs on.
        found.append((open_at, None, False))
    return found


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quotes_of(text: str, *, lone_close_from_start: bool = True) -> list[Quote]:
    """The direct quotations of an article, in text order.

    Parameters
    ----------
    text : str
        The article (paragraphs are lines).
    lone_close_from_start : bool, default=True
        A closing double mark with no opening one in its paragraph quotes
        from the paragraph start (a unit cut out of a longer quotation).

    Returns
    -------
    list of Quote

    Examples
    --------
    >>> article = '"We are tired,\\n"and we will strike."\\nHe left.'
    >>> [q.spans for q in quotes_of(article)]
    [((1, 14), (16, 35))]
    """
    paragraphs = _paragraphs(text)
    raw: list[tuple[int, int | None, bool, int, int, str]] = []
    # Most paragraphs hold no mark of a family: those are not read again.
    doubles = [match.start() for match in _DOUBLE_MARKS.finditer(text)]
    singles = [match.start() for match in _SINGLE_MARKS.finditer(text)]
    for start, end in paragraphs:
        if _any_within(doubles, start, end):
            raw.extend((open_at, close_at, lone, start, end, "double")
                       for open_at, close_at, lone in _double(text, start, end, lone_close_from_start))
        if _any_within(singles, start, end):
            raw.extend((open_at, close_at, lone, start, end, "single")
                       for open_at, close_at, lone in _single(text, start, end))
    spans = []
    for open_at, close_at, lone, start, end, family in raw:
        span = _strip(text, open_at + 1, end if close_at is None else close_at)
        if span[1] > span[0]:
            spans.append((span, open_at, close_at, lone, start, end, family))
    # A quotation inside another (‘no’ inside “…”) belongs to the outer one.
    spans.sort(key=lambda item: (item[0][0], -item[0][1]))
    kept = []
    for item in spans:
        if kept and item[0][0] >= kept[-1][0][0] and item[0][1] <= kept[-1][0][1]:
            continue
        kept.append(item)
    quotes: list[Quote] = []
    continuing: tuple[str, int] | None = None  # (family, paragraph end) of a quotation open at its paragraph's end
    for span, open_at, close_at, lone, start, end, family in kept:
        opens_paragraph = not lone and text[start:open_at].strip() == ""
        if continuing is not None and continuing[0] == family and opens_paragraph and _next_paragraph(paragraphs, continuing[1]) == start:
            last = quotes[-1]
            quotes[-1] = Quote(last.spans + (span,), last.opened, close_at)
        else:
            quotes.append(Quote((span,), start if lone else open_at, close_at))
        continuing = (family, end) if close_at is None else None
    return quotes


def _any_within(positions: list[int], start: int, end: int) -> bool:
    """Whether any of the sorted ``positions`` is in ``[start, end)``."""
    i = bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def _next_paragraph(paragraphs: list[tuple[int, int]], end: int) -> int | None:
    for start, _ in paragraphs:
        if start >= end:
            return start
    return None


def quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of direct quotation in ``text`` (an article), quotation marks excluded.

    Examples
    --------
    >>> text = 'Mr Haines said: “It is over.” The players’ union didn’t agree.'
    >>> [text[s:e] for s, e in quote_spans(text)]
    ['It is over.']
    >>> text = "'It is over,' the insider claimed. Don't ask."
    >>> [text[s:e] for s, e in quote_spans(text)]
    ['It is over,']
    """
    return tuple(span for quote in quotes_of(text) for span in quote.spans)
