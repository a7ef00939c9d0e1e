"""The rules-only fallback of the voice stage: cue lexicon, and a source phrase found next to each cue.

Used when no :class:`~framing.voice.SpanTagger` is given, and to find the
source of a cue the tagger found without one. A cue is a term of the bundled
attribution lexicon outside quotation; its source is the noun phrase before it
("Officials said", "Their spokesman, Ravi Desai, said", "the insider
claimed"), after it when the cue follows a quotation or opens the clause
("…," said Mr Haines; "according to the Bank of England"), and its content is
the quotation of the unit, else the clause the cue introduces or closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..text import ABBREVIATIONS, normalise_token, token_spans
from ._sources import anonymity_spans, head_of, is_person_head, source_kind
from ._tagger import cue_lexicon

__all__ = ["rule_spans", "source_near"]

#: Words between a source and its cue verb that belong to neither ("he also said", "officials have said").
_BETWEEN = frozenset(
    """
    also has have had was were is are be been would will could later then previously publicly repeatedly recently
    again once always never reportedly not n't just already still privately separately initially subsequently
    further had
    """.split()
)
#: Words that end a noun phrase on its left: a source never reaches past them.
_CLAUSE = frozenset(
    """
    that which but and or because when while after before if as so than since although though where whereas yet
    nor whether until unless once said says say told tells claimed added insisted according
    is are was were be been has have had do does did will would can could should may might must
    """.split()
)
#: Reporting verbs: an apposition never holds one ("Prices rose, said officials, adding ...").
_SPEECH = frozenset("said says say told tells claimed added adding insisted according".split())
#: Words that open what follows a cue but never a source phrase: time, place and manner.
_NOT_AFTER_CUE = frozenset(
    """
    on in at during after before last this next yesterday today tonight earlier later recently previously
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december it to for of with about by through via over into from
    """.split()
)
_QUOTES = frozenset("\"“”‘’«»„'")
_STOPS = frozenset(".!?;:()[]{}")
_MAX_SOURCE = 8
#: Cues that take their source after them: "according to X", "as reported by X".
_SOURCE_AFTER = frozenset({"according_to"})


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], dict[str, tuple[tuple[tuple[str, ...], str], ...]]]:
    """Single-word and multi-word cue terms of the bundled attribution lexicon (it is immutable)."""
    single: dict[str, str] = {}
    multi: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for term, category in zip(*cue_lexicon()):
        if category not in ("speech_cue", "according_to", "loaded_cue", "cognition_cue"):
            continue
        words = tuple(term.split())
        if len(words) == 1:
            single[words[0]] = category
        else:
            multi.setdefault(words[0], []).append((words, category))
    return single, {first: tuple(sorted(entries, key=lambda e: -len(e[0]))) for first, entries in multi.items()}


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


def _plain_left(raw: list[str], normal: list[str], last: int, quoted_flags: list[bool]) -> int | None:
    """First token of the noun phrase that ends at token ``last`` (no commas inside), or None."""
    first = None
    i = last
    while i >= 0 and last - i < _MAX_SOURCE:
        token = raw[i]
        if token == "." and first is not None and i > 0 and normal[i - 1] in ABBREVIATIONS:
            i -= 1  # "Mr. Haines"
            continue
        if quoted_flags[i] or token in _QUOTES or token in _STOPS or token == ",":
            break
        if not _is_word(token) and token not in ("-", "&"):
            break
        if normal[i] in _CLAUSE:
            if first is None:
                return None
            break
        first = i
        i -= 1
    return first


def _left_phrase(raw: list[str], normal: list[str], stop: int, quoted_flags: list[bool]) -> tuple[int, int] | None:
    """Token range ``[first, last]`` of the noun phrase ending just before token ``stop``, or None.

    "X said" gives X; "X, Y, said" (an apposition: a name, a title or a relative clause such as "who asked
    not to be named") gives the whole "X, Y,"; '"…," said X' gives None (the source follows the cue).
    """
    i = stop - 1
    while i >= 0 and normal[i] in _BETWEEN:
        i -= 1
    if i >= 2 and raw[i] == ")" and raw[i - 2] == "(" and raw[i - 1][:1].isupper():
        # "the Health Protection Agency (HPA) said": the bracketed short name belongs to the phrase
        found = _left_phrase(raw, normal, i - 2, quoted_flags)
        return None if found is None else (found[0], i)
    if i < 0:
        return None
    if raw[i] != ",":
        first = _plain_left(raw, normal, i, quoted_flags)
        return None if first is None else (first, i)
    if i > 0 and raw[i - 1] in _QUOTES:
        return None
    last = i - 1
    # The comma that opens the apposition, within reach and before any quotation or sentence stop.
    opening = None
    for k in range(last, max(last - 16, -1), -1):
        if quoted_flags[k] or raw[k] in _QUOTES or raw[k] in _STOPS and not (
                raw[k] == "." and k > 0 and normal[k - 1] in ABBREVIATIONS):
            break
        if raw[k] == ",":
            opening = k
            break
    if opening is not None and opening > 0 and not any(normal[k] in _SPEECH for k in range(opening + 1, last + 1)):
        first = _plain_left(raw, normal, opening - 1, quoted_flags)
        if first is not None:
            return first, last
    first = _plain_left(raw, normal, last, quoted_flags)
    return None if first is None else (first, last)


def _right_phrase(raw: list[str], normal: list[str], start: int, quoted_flags: list[bool]) -> tuple[int, int] | None:
    """Token range of the noun phrase that starts at token ``start`` (after a cue)."""
    i = start
    first = None
    while i < len(raw) and i - start < _MAX_SOURCE:
        token = raw[i]
        if token == "." and first is not None and normal[i - 1] in ABBREVIATIONS and i + 1 < len(raw) \
                and raw[i + 1][:1].isupper():
            i += 1  # "Mr. Haines"
            continue
        if quoted_flags[i] or token in _QUOTES or token == "," or token in _STOPS:
            break
        if not _is_word(token) and token not in ("-", "&"):
            break
        if normal[i] in _CLAUSE and first is not None:
            break
        if first is None and (normal[i] in _CLAUSE or normal[i] in _NOT_AFTER_CUE):
            return None  # "said on Monday", "said yesterday": no source follows
        if first is None:
            first = i
        i += 1
    if first is None:
        return None
    return first, i - 1


def source_near(text: str, cue: tuple[int, int], quoted: Sequence[tuple[int, int]] = (),
                after: bool | None = None) -> tuple[int, int] | None:
    """Character span of the source phrase of the cue at ``cue`` in ``text``, or None.

    ``after`` forces the side (True: after the cue, as "according to X"); by
    default the phrase before the cue, else the one after it.

    Examples
    --------
    >>> text = "Their spokesman, Ravi Desai, said talks had failed."
    >>> start, end = source_near(text, (29, 33))
    >>> text[start:end]
    'Their spokesman, Ravi Desai,'
    >>> text = '"It is over," said Mr. Haines.'
    >>> start, end = source_near(text, (14, 18), [(1, 11)])
    >>> text[start:end]
    'Mr. Haines'
    """
    spans = token_spans(text)
    raw = [text[s:e] for s, e in spans]
    normal = [normalise_token(token) for token in raw]
    flags = [_inside(s, quoted) for s, _ in spans]
    first_cue = next((k for k, (s, _) in enumerate(spans) if s >= cue[0]), None)
    last_cue = max((k for k, (_, e) in enumerate(spans) if e <= cue[1]), default=None)
    if first_cue is None or last_cue is None or last_cue < first_cue:
        return None
    found = None
    before = first_cue - 1
    while before >= 0 and normal[before] in _BETWEEN:
        before -= 1
    if after is None and before >= 0 and raw[before] == ",":
        # "The plan works, said Mr. Haines.": after a comma, a phrase that closes the clause is the source.
        right = _right_phrase(raw, normal, last_cue + 1, flags)
        if right is not None and (right[1] + 1 >= len(raw) or raw[right[1] + 1] in (",", ".", ";", "!", "?")):
            phrase = text[spans[right[0]][0]:spans[right[1]][1]]
            # Only a name or a person closes it ("said Mr. Haines", "said the minister"), not a clause.
            if source_kind(phrase) == "named" or is_person_head(head_of(phrase)):
                found = right
    if found is None and after is not True:
        found = _left_phrase(raw, normal, first_cue, flags)
    if found is None and after is not False:
        found = _right_phrase(raw, normal, last_cue + 1, flags)
    if found is None:
        return None
    start, end = spans[found[0]][0], spans[found[1]][1]
    if text[end - 1:end] != "," and end < len(text) and text[end:end + 1] == "," and "," in text[start:end]:
        end += 1  # keep the closing comma of an apposition, as PolNeAR's spans do
    return start, end


def _cues(raw: list[str], normal: list[str], flags: list[bool]) -> list[tuple[int, int, str]]:
    """Token ranges ``(first, last, category)`` of the lexicon's cues outside quotation."""
    single, multi = _lexicon()
    found = []
    i = 0
    while i < len(normal):
        if flags[i]:
            i += 1
            continue
        match = None
        for words, category in multi.get(normal[i], ()):
            if tuple(normal[i:i + len(words)]) == words:
                match = (i, i + len(words) - 1, category)
                break
        if match is None and normal[i] in single:
            match = (i, i, single[normal[i]])
        if match is not None:
            found.append(match)
            i = match[1] + 1
        else:
            i += 1
    return found


def rule_spans(text: str, quoted: Sequence[tuple[int, int]] = ()) -> list[tuple[str, int, int, float]]:
    """The cue, source and content spans of one unit by rules, as :meth:`SpanTagger.tag` gives them.

    Examples
    --------
    >>> text = "RMT general secretary Mick Lynch said the strike would go ahead."
    >>> [(kind, text[s:e]) for kind, s, e, _ in rule_spans(text)]
    [('source', 'RMT general secretary Mick Lynch'), ('cue', 'said'), ('content', 'the strike would go ahead')]
    >>> rule_spans("The city council approved the new budget on Tuesday.")
    []
    """
    spans = token_spans(text)
    if not spans:
        return []
    raw = [text[s:e] for s, e in spans]
    normal = [normalise_token(token) for token in raw]
    flags = [_inside(s, quoted) for s, _ in spans]
    markers = anonymity_spans(text)
    out: list[tuple[str, int, int, float]] = []
    for first, last, category in _cues(raw, normal, flags):
        cue = (spans[first][0], spans[last][1])
        if any(start - 25 <= cue[0] < end for start, end in markers):
            continue  # "asked" in "who asked (not) to be named / identified only by" describes the source
        out.append(("cue", cue[0], cue[1], 1.0))
        source = source_near(text, cue, quoted, after=True if category in _SOURCE_AFTER else None)
        if source is not None and not any(kind == "source" and (s, e) == source for kind, s, e, _ in out):
            out.append(("source", source[0], source[1], 1.0))
        content = _content(text, spans, raw, normal, first, last, source, quoted)
        if content is not None:
            out.append(("content", content[0], content[1], 1.0))
    out.sort(key=lambda span: (span[1], span[2]))
    return out


def _content(text: str, spans, raw: list[str], normal: list[str], first: int, last: int,
             source: tuple[int, int] | None, quoted: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The reported content of a cue: the unit's quotation, else the clause after (or before) the cue."""
    if quoted:
        return quoted[0][0], quoted[-1][1]
    cue_start, cue_end = spans[first][0], spans[last][1]
    end_token = len(raw)
    while end_token > 0 and not _is_word(raw[end_token - 1]):
        end_token -= 1
    after_source = source is not None and source[0] >= cue_end
    start_token = last + 1
    if after_source:
        start_token = next((k for k, (s, _) in enumerate(spans) if s >= source[1]), len(raw))
    while start_token < end_token and (raw[start_token] in (",", ":") or normal[start_token] == "that"):
        start_token += 1
    if start_token < end_token:
        return spans[start_token][0], spans[end_token - 1][1]
    # ", the minister said." at the end: the content is what came before
    begin = source[0] if source is not None and source[1] <= cue_start else cue_start
    head = text[:begin].rstrip(" ,")
    if head and any(char.isalnum() for char in head):
        offset = len(head) - len(head.lstrip())
        return offset, len(head)
    return None
