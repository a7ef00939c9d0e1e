"""Data-free sentence segmentation and word tokenisation with character offsets.

Everything here runs on NLTK's pure-Python parts (Punkt with a hand-written
abbreviation list, regular-expression word tokenisation): nothing needs NLTK
data, so nothing calls ``nltk.download``.

A *unit* is what the rest of the library scores: a sentence of body text, or a
whole line that has no sentence-final punctuation (a headline, subhead,
caption or piece of site furniture). Every unit carries its character offsets
into the article, and ``text[unit.start:unit.end] == unit.text`` always holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

__all__ = [
    "ABBREVIATIONS",
    "Unit",
    "segment",
    "tokenize",
    "token_spans",
    "build_tokenizer",
    "spelling_spans",
]

#: Abbreviations that end with a period but do not end a sentence. Punkt
#: stores them lower-cased without the final period; "u.s" covers "U.S.".
#: "No." / "Nos." are not listed: Punkt never splits after an abbreviation
#: followed by a capital, so "The regime said no. Analysts doubt it." would be
#: one unit; they are rejoined only when a number follows (see _join_numbered).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev st jr sr
    pres supt insp hon amb atty
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    u.s u.s.a u.k u.n e.u u.s.s.r d.c a.m p.m e.g i.e etc vs approx
    inc corp ltd co bros dept est fig vol ed eds
    """.split()
)

#: "No." or "Nos." at the end of a Punkt sentence, as in "No. 10 Downing Street".
_NUMBER_ABBREVIATION = re.compile(r"(?:^|[^\w.])nos?\.$", re.IGNORECASE)

#: Characters that may close a sentence line: final punctuation, optionally
#: followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*\s*$""")

#: A word token: words with inner apostrophes or hyphens, numbers with inner
#: separators, abbreviations with inner periods, or any single other
#: non-space character.
_TOKEN = re.compile(
    r"""
    (?:[^\W\d_](?=\.)(?:\.[^\W\d_])+\.?)    # U.S. / e.g. (the lookahead only fails other words sooner)
    | (?:\d+(?:[.,:]\d+)*%?)                  # 10,000 / 19.3% / 10:00
    | (?:\w+(?:['’\-]\w+)*)                   # don't / long-term / Kyiv
    | (?:\S)                                  # anything else, one char
    """,
    re.VERBOSE | re.UNICODE,
)

#: :data:`_TOKEN` as one capturing group: ``split`` gives the tokens and the white space between them, whose
#: running lengths are the tokens' offsets (the same matches as ``finditer``, without a match object each).
_TOKEN_SPLIT = re.compile("(" + _TOKEN.pattern + ")", re.VERBOSE | re.UNICODE)

#: Units longer than this are split at the last whitespace before the limit so
#: that a megabyte of text without punctuation never becomes one giant unit.
MAX_UNIT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Unit:
    """One scored unit of an article.

    Attributes
    ----------
    start, end : int
        Character offsets into the article; ``article[start:end] == text``.
    text : str
        The unit's text, without surrounding white space.
    kind : str
        ``"sentence"`` for body text split by Punkt, ``"line"`` for a line
        without sentence-final punctuation (headline, subhead, caption,
        site furniture).
    """

    start: int
    end: int
    text: str
    kind: str


@lru_cache(maxsize=1)
def _punkt():
    # Imported lazily so that ``framing --help`` never pays for NLTK.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    class MemoisedPunkt(PunktSentenceTokenizer):
        """Punkt, with the decision it takes at each candidate break memoised per context."""

        def __init__(self, params: PunktParameters):
            super().__init__(params)
            # Whether a candidate's context ("Monday. The") holds a sentence break depends on that text and
            # the fixed parameters alone, and the same contexts recur from article to article.
            self._contains_break = lru_cache(maxsize=16384)(super().text_contains_sentbreak)

        def text_contains_sentbreak(self, text: str) -> bool:
            return self._contains_break(text)

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return MemoisedPunkt(params)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each line, for \\n, \\r\\n and \\r endings alike."""
    position = 0
    for match in re.finditer(r"\r\n|\r|\n|\u2028|\u2029", text):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        piece_start, piece_end = _strip_span(text, start, cut)
        if piece_end > piece_start:
            yield piece_start, piece_end
        start, end = _strip_span(text, cut, end)
    if end > start:
        yield start, end


def _join_numbered(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin Punkt sentences split after "No." / "Nos." when the next one starts with a digit."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[start:start + 1].isdigit() and _NUMBER_ABBREVIATION.search(text[joined[-1][0]:joined[-1][1]]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def segment(text: str, max_chars: int = MAX_UNIT_CHARS) -> list[Unit]:
    """Split an article into units with character offsets.

    Each line is a paragraph. A line that does not end in sentence-final
    punctuation is one unit of kind ``"line"`` (headlines, subheads, site
    furniture); any other line is split into sentences by Punkt with the
    project's abbreviation list.

    Parameters
    ----------
    text : str
        The article.
    max_chars : int, default=2000
        Longer units are split at white space so that pathological input
        stays cheap to score.

    Returns
    -------
    list of Unit

    Examples
    --------
    >>> units = segment("Talks stall\\nMr. Rubio met U.S. envoys. They left.")
    >>> [(u.kind, u.text) for u in units]
    [('line', 'Talks stall'), ('sentence', 'Mr. Rubio met U.S. envoys.'), ('sentence', 'They left.')]
    >>> units[1].start, units[1].end
    (12, 38)
    """
    if not isinstance(text, str):
        raise TypeError(f"segment() expects str, got {type(text).__name__}")
    if max_chars < 1:
        raise ValueError(f"max_chars must be >= 1, got {max_chars!r}")
    units: list[Unit] = []
    for line_start, line_end in _lines(text):
        line_start, line_end = _strip_span(text, line_start, line_end)
        if line_end <= line_start:
            continue
        line = text[line_start:line_end]
        if _SENTENCE_END.search(line) is None:
            spans = [(line_start, line_end)]
            kind = "line"
        else:
            spans = _join_numbered(text, [
                _strip_span(text, line_start + s, line_start + e)
                for s, e in _punkt().span_tokenize(line)
            ])
            kind = "sentence"
        for span_start, span_end in spans:
            for start, end in _split_long(text, span_start, span_end, max_chars):
                units.append(Unit(start, end, text[start:end], kind))
    return units


def split_tokens(text: str) -> tuple[list[str], list[int]]:
    """The word tokens of ``text`` and their offsets: token ``k`` is ``text[bounds[2 * k]:bounds[2 * k + 1]]``.

    Examples
    --------
    >>> split_tokens("U.S. envoy's plan")
    (['U.S.', "envoy's", 'plan'], [0, 4, 5, 12, 13, 17, 17])
    """
    parts = _TOKEN_SPLIT.split(text)
    return parts[1::2], list(accumulate(map(len, parts)))


def token_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the word tokens of ``text``.

    Examples
    --------
    >>> token_spans("U.S. envoy's plan")
    [(0, 4), (5, 12), (13, 17)]
    """
    return [match.span() for match in _TOKEN.finditer(text)]


def tokenize(text: str) -> list[str]:
    """Return the word tokens of ``text``, case preserved.

    Examples
    --------
    >>> tokenize("Kyiv's “regime” fell 19.3% — U.S. says.")
    ["Kyiv's", '“', 'regime', '”', 'fell', '19.3%', '—', 'U.S.', 'says', '.']
    """
    return split_tokens(text)[0]


def build_tokenizer() -> Callable[[str], list[str]]:
    """Return the exact tokenising callable used by the word features.

    Lower-cases, folds curly apostrophes, drops a possessive ``'s`` and
    returns the word tokens (punctuation dropped), the way scikit-learn's
    ``build_analyzer`` exposes a vectoriser's tokenisation.

    Examples
    --------
    >>> build_tokenizer()("The Kyiv Regime’s plan, reportedly.")
    ['the', 'kyiv', 'regime', 'plan', 'reportedly']
    """
    return normalised_tokens


@lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """Lower-case a token, fold ’ to ' and drop a possessive 's.

    >>> normalise_token("Ukraine’s")
    'ukraine'
    """
    # Pure, and called for every token of every sentence by several stages: words are Zipfian, so cached.
    token = token.lower().replace("’", "'")
    if token.endswith("'s") and len(token) > 2:
        token = token[:-2]
    return token


def normalised_tokens(text: str) -> list[str]:
    """Normalised word tokens of ``text`` (see :func:`build_tokenizer`)."""
    return [normalise_token(token) for token in split_tokens(text)[0] if token[0].isalnum()]


@lru_cache(maxsize=1024)
def _spelling_pattern(spellings: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({" ".join(s.split()) for s in spellings if s and s.strip()}, key=lambda s: (-len(s), s))
    if not words:
        return None
    # Whitespace inside a spelling matches any run of whitespace; a possessive ('s, ’s) may follow.
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words)
    return re.compile(r"(?<![\w])(?:" + alternatives + r")(?=(?:['’]s)?(?![\w]))", re.IGNORECASE)


def spelling_spans(text: str, spellings) -> list[tuple[int, int]]:
    """Where any of ``spellings`` (of one actor) occurs in ``text``: case-insensitive, whole words.

    The longest spelling wins where two overlap ("Donald Trump" over "Trump"), and a possessive
    ("Trump's") counts, without its ``'s``.

    Examples
    --------
    >>> text = "Donald Trump's envoy met Trump aides; trumpets played."
    >>> [text[s:e] for s, e in spelling_spans(text, ["Trump", "donald trump"])]
    ['Donald Trump', 'Trump']
    """
    if isinstance(spellings, str):
        spellings = [spellings]
    pattern = _spelling_pattern(tuple(spellings))
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text)]
