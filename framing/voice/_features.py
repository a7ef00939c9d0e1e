"""The token features of the span tagger: fixed templates, each a categorical index per token.

Everything that depends on a token alone (its normalised form, word id, shape,
ending, lexicon category) is computed once per distinct token string and kept
in the tagger's own lookup cache; everything that depends on the neighbours
(windows, the nearest cue candidate, quotation, the capitalised run that opens
the sentence) is computed with numpy over all the texts of a batch at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..text import normalise_token, split_tokens
from ._quotes import quote_spans

__all__ = ["CUE_CATEGORIES", "N_SHAPES", "Tokens", "template_sizes", "token_features", "shape_of", "stacked_sizes",
           "stacked_features"]

#: Shapes of a token (0 is padding beyond the text's ends).
_PAD, _LOWER, _CAPITAL, _UPPER, _DIGIT, _COMMA, _STOP, _COLON, _QUOTE, _BRACKET, _DASH, _OTHER = range(12)
N_SHAPES = 12
_QUOTE_CHARS = frozenset("\"“”‘’«»„'")
_PUNCT_SHAPES = {",": _COMMA, ".": _STOP, "!": _STOP, "?": _STOP, ":": _COLON, ";": _COLON, "(": _BRACKET,
                 ")": _BRACKET, "[": _BRACKET, "]": _BRACKET, "—": _DASH, "–": _DASH, "-": _DASH}
#: Lexicon categories a token can fall in (code = index + 1; 0: none); "learned": words mostly tagged CUE in training.
CUE_CATEGORIES = ("speech_cue", "according_to", "loaded_cue", "cognition_cue", "vague_source", "anonymity_marker",
                  "organisation", "learned")
_N_CUE = len(CUE_CATEGORIES) + 2  # + none + padding
_CUE_PAD = _N_CUE - 1
#: Codes that make a token a cue candidate.
_CUE_LIKE = np.array([1, 2, 3, 4, 8])
#: Per lexicon code (padding included), whether it is one of :data:`_CUE_LIKE`.
_IS_CUE_LIKE = np.isin(np.arange(_N_CUE), _CUE_LIKE)
#: Signed distance (token minus candidate) buckets to the nearest cue candidate (0: none in the text).
_DISTANCE_EDGES = np.array([-12, -6, -3, -2, -1, 0, 1, 2, 3, 6, 12])
_N_DISTANCE = len(_DISTANCE_EDGES) + 2
#: Words of the "word x side of the nearest cue" template: the most frequent ones.
SIDE_WORDS = 1000
#: Distinct token strings kept in a tagger's lookup cache before it is emptied.
_CACHE_LIMIT = 200_000


def shape_of(token: str) -> int:
    """The shape code of a token (lower, Capital, UPPER, digit, punctuation kinds, quote mark)."""
    first = token[0]
    if first.isalpha():
        if first.isupper():
            return _UPPER if len(token) > 1 and token.isupper() else _CAPITAL
        return _LOWER
    if first.isdigit():
        return _DIGIT
    if first in _QUOTE_CHARS:
        return _QUOTE
    return _PUNCT_SHAPES.get(first, _OTHER)


def template_sizes(window: int, n_words: int, n_bigrams: int, n_suffixes: int) -> list[int]:
    """Number of values of each template, in column order."""
    words = n_words + 2  # + unknown + padding
    side_words = min(n_words, SIDE_WORDS) + 1
    return (
        [words] * (2 * window + 1)              # word at each offset
        + [n_bigrams + 1] * 2                   # (w-1, w0), (w0, w+1)
        + [n_suffixes + 1]                      # ending of w0
        + [N_SHAPES] * 5                        # shape at offsets -2..2
        + [N_SHAPES ** 3]                       # shapes of (w-1, w0, w+1)
        + [_N_CUE] * (2 * window + 1)           # lexicon category at each offset
        + [_N_CUE * N_SHAPES]                   # category of w0 x shape of w-1
        + [3 * 4]                               # quotation state x (candidate before, after)
        + [_N_DISTANCE * N_SHAPES]              # distance bucket x shape
        + [_N_DISTANCE * 3]                     # distance bucket x quotation state
        + [_N_DISTANCE * 2]                     # distance bucket x in a run of capitalised words
        + [6 * 3]                               # side of the candidate x punctuation between x quotation state
        + [8]                                   # position in the text
        + [side_words * 4]                      # frequent word x side of the nearest candidate
        + [3 * N_SHAPES]                        # opening capitalised run (in it, right after it) x shape
        + [3 * _N_DISTANCE]                     # opening run state x distance bucket
        + [words]                               # the word right after the opening run (the verb, mostly)
    )


#: A token's word id, shape, ending id and lexicon code packed in one integer (bits from the right), then two
#: flags: its normalised form opens a multi-word term, and is the second word of one.
_WORD_BITS, _SHAPE_BITS, _SUFFIX_BITS, _CODE_BITS = 24, 4, 12, 4
_CODE_SHIFT = _WORD_BITS + _SHAPE_BITS + _SUFFIX_BITS
_CODE_MASK = ((1 << _CODE_BITS) - 1) << _CODE_SHIFT
_OPENS_TERM = 1 << (_CODE_SHIFT + _CODE_BITS)
_SECOND_OF_TERM = _OPENS_TERM << 1


def _pack(word: int, shape: int, suffix: int, code: int) -> int:
    return ((code << _SUFFIX_BITS | suffix) << _SHAPE_BITS | shape) << _WORD_BITS | word


def _unpack(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    word = packed & ((1 << _WORD_BITS) - 1)
    packed = packed >> _WORD_BITS
    shape = packed & ((1 << _SHAPE_BITS) - 1)
    packed = packed >> _SHAPE_BITS
    return word, shape, packed & ((1 << _SUFFIX_BITS) - 1), (packed >> _SUFFIX_BITS) & ((1 << _CODE_BITS) - 1)


def _type_info(token: str, normal: str, tables: dict) -> int:
    """The packed ``(word id, shape, ending id, lexicon code)`` and term flags of a token string (``normal``: its
    normalised form)."""
    words = tables["words"]
    word = words.get(normal, len(words))
    suffix = tables["suffixes"].get(normal[-3:], len(tables["suffixes"])) if len(normal) > 4 else len(tables["suffixes"])
    flags = (_OPENS_TERM if normal in tables["multi"] else 0) | (_SECOND_OF_TERM if normal in tables["second_words"] else 0)
    return _pack(word, shape_of(token), suffix, tables["single"].get(normal, 0)) | flags


class Tokens:
    """The tokens of a batch of texts, tokenised as one string (the texts joined by newlines).

    Attributes
    ----------
    spans : ndarray of int, shape (n_tokens, 2)
        Offsets into the joined string.
    bases : list of int
        Where each text starts in the joined string.
    counts : ndarray of int
        Tokens per text.
    """

    __slots__ = ("spans", "bases", "counts")

    def __init__(self, spans: np.ndarray, bases: list[int], counts: np.ndarray):
        self.spans, self.bases, self.counts = spans, bases, counts

    def of_text(self) -> list[list[tuple[int, int]]]:
        """Each text's token spans in its own offsets."""
        out, position = [], 0
        for base, count in zip(self.bases, self.counts.tolist()):
            out.append([(int(s) - base, int(e) - base) for s, e in self.spans[position:position + count]])
            position += count
        return out


def _tokens_of(text: str) -> tuple[list[str], np.ndarray]:
    """The tokens of ``text`` (:func:`framing.text.tokenize`) and their spans (:func:`framing.text.token_spans`).

    Examples
    --------
    >>> from framing.text import token_spans
    >>> text = " U.S. envoy’s\\u00a0plan,\\n  “it's over.” "
    >>> tokens, spans = _tokens_of(text)
    >>> [tuple(span) for span in spans.tolist()] == token_spans(text), tokens[:3]
    (True, ['U.S.', 'envoy’s', 'plan'])
    """
    tokens, bounds = split_tokens(text)
    return tokens, np.asarray(bounds[:2 * len(tokens)], dtype=np.int64).reshape(len(tokens), 2)


def _text_bounds(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every token of texts laid end to end (``counts`` tokens each): its text, and that text's first and
    last token index."""
    which = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return which, first, first + counts[which] - 1


def _running(hits: np.ndarray) -> np.ndarray:
    """``concatenate([[0], cumsum(hits)])``: how many hits come before each index (and in all)."""
    out = np.zeros(len(hits) + 1, dtype=np.int64)
    np.cumsum(hits, out=out[1:])
    return out


def _shifter(first: np.ndarray, last: np.ndarray):
    """``shifted(values, k, fill)``: ``values[i + k]`` when that token is in token ``i``'s text, else ``fill``.

    ``first`` and ``last`` are each token's text's first and last token (:func:`_text_bounds`). With a tuple
    of offsets for ``k``, one column per offset (tokens x offsets), in one gather.
    """
    n = len(first)
    index = np.arange(n)
    # Per offset (or tuple of offsets), where each token reads from: its neighbour, or the fill slot after the
    # values (index n).
    gathers: dict[int | tuple[int, ...], np.ndarray] = {}

    def shifted(values: np.ndarray, k: int | tuple[int, ...], fill: int) -> np.ndarray:
        if k == 0:
            return values
        gather = gathers.get(k)
        if gather is None:
            if isinstance(k, tuple):
                target = index[:, None] + np.asarray(k, dtype=np.int64)
                inside = (target >= first[:, None]) & (target <= last[:, None])
            else:
                target = index + k
                inside = (target >= first) & (target <= last)
            gather = gathers[k] = np.where(inside, target, n)
        padded = np.empty(n + 1, dtype=np.int64)
        padded[:n] = values
        padded[n] = fill
        return padded[gather]

    return shifted


def token_features(texts: Sequence[str], quoted: Sequence[Sequence[tuple[int, int]]] | None, tables: dict,
                   window: int) -> tuple[Tokens, np.ndarray]:
    """The tokens of the texts and the feature column of every token and template.

    Columns are global (template offsets added; ``tables["null"]``: the template has no value for the
    token); ``tables`` is the tagger's lookup state. The texts are tokenised as one string, so that the
    work per text is a few operations over arrays, not a Python loop.
    """
    cache, normals = tables["cache"], tables["normal"]
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
        normals.clear()
    joined = "\n".join(texts)
    bases = []
    position = 0
    for text in texts:
        bases.append(position)
        position += len(text) + 1
    tokens, spans = _tokens_of(joined)
    n_tokens = len(tokens)
    sizes = tables["sizes"]
    if not n_tokens:
        return Tokens(np.zeros((0, 2), dtype=np.int64), bases, np.zeros(len(texts), dtype=np.int64)), \
            np.zeros((0, len(sizes)), dtype=np.int64)
    starts = spans[:, 0]
    boundaries = np.searchsorted(starts, np.asarray(bases + [position], dtype=np.int64))
    counts = np.diff(boundaries)
    here = list(map(cache.get, tokens))
    if None in here:
        for i, info in enumerate(here):
            if info is None:
                token = tokens[i]
                info = cache.get(token)  # an earlier occurrence in this batch may have filled it
                if info is None:
                    normal = normals[token] = normalise_token(token)
                    info = cache[token] = _type_info(token, normal, tables)
                here[i] = info
    packed = np.array(here, dtype=np.int64)
    # A multi-word term ("according to") can start only where a word that opens one has a second word after it.
    maybe = np.flatnonzero(((packed[:-1] & _OPENS_TERM) != 0) & ((packed[1:] & _SECOND_OF_TERM) != 0))
    if len(maybe):
        _multi_words(tokens, here, packed, maybe.tolist(), tables, boundaries)
    ids, shape, suffix, cue = _unpack(packed)
    # Quotation: 0 outside, 1 a quotation mark, 2 inside.
    quote = np.zeros(n_tokens, dtype=np.int64)
    bounds = [(base + a, base + b) for number, base in enumerate(bases)
              for a, b in (quote_spans(texts[number]) if quoted is None else quoted[number])]
    if bounds:
        bounds_array = np.asarray(sorted(bounds), dtype=np.int64)
        k = np.searchsorted(bounds_array[:, 0], starts, side="right") - 1
        quote[(k >= 0) & (starts < bounds_array[np.maximum(k, 0), 1])] = 2
    quote[shape == _QUOTE] = 1
    which, first, last = _text_bounds(counts)
    index = np.arange(n_tokens)
    at = index - first
    shifted = _shifter(first, last)

    n_words = len(tables["words"])
    pad = n_words + 1
    around = tuple(range(-window, window + 1))
    columns = list(shifted(ids, around, pad).T)
    bigram = tables["bigram_keys"]
    previous = shifted(ids, -1, pad)
    keys = previous * (n_words + 2) + ids
    where = np.searchsorted(bigram, keys)
    found = (where < len(bigram)) & (bigram[np.minimum(where, len(bigram) - 1)] == keys) if len(bigram) else \
        np.zeros(n_tokens, dtype=bool)
    left = np.where(found, tables["bigram_ids"][np.minimum(where, max(len(bigram) - 1, 0))] if len(bigram) else 0,
                    len(bigram))
    columns += [left, shifted(left, 1, len(bigram)), suffix]
    shapes = list(shifted(shape, (-2, -1, 0, 1, 2), _PAD).T)
    columns += shapes
    columns.append((shapes[1] * N_SHAPES + shape) * N_SHAPES + shapes[3])
    columns += list(shifted(cue, around, _CUE_PAD).T)
    columns.append(cue * N_SHAPES + shapes[1])
    # The nearest cue candidate outside quotation, in the same text.
    candidate = _IS_CUE_LIKE[cue] & (quote != 2)
    counted = _running(candidate)
    before = counted[index] - counted[first] > 0
    after = counted[last + 1] - counted[index + 1] > 0
    has_cue = before | after | candidate
    distance = np.zeros(n_tokens, dtype=np.int64)
    positions = index[candidate]
    if len(positions):
        right = np.searchsorted(positions, index, side="left")
        left_pos = positions[np.clip(right - 1, 0, len(positions) - 1)]
        right_pos = positions[np.clip(right, 0, len(positions) - 1)]
        d_left = np.where((right > 0) & (left_pos >= first), index - left_pos, 10 ** 6)
        d_right = np.where((right < len(positions)) & (right_pos <= last), right_pos - index, 10 ** 6)
        distance = np.where(has_cue, np.where(d_left < d_right, d_left, -d_right), 0)
    bucket = np.where(has_cue, np.searchsorted(_DISTANCE_EDGES, distance, side="left") + 1, 0)
    columns.append(quote * 4 + before * 2 + after)
    columns.append(bucket * N_SHAPES + shape)
    columns.append(bucket * 3 + quote)
    capital = ((shape == _CAPITAL) | (shape == _UPPER)).astype(np.int64)
    capital_before = shifted(capital, -1, 0)
    in_run = (capital == 1) & ((capital_before == 1) | (shifted(capital, 1, 0) == 1))
    columns.append(bucket * 2 + in_run)
    # A pause (, : ;) strictly between the token and its candidate.
    pause = _running((shape == _COMMA) | (shape == _COLON))
    target = index - distance
    low, high = np.minimum(index, target), np.maximum(index, target)
    between = (pause[high] - pause[low + 1]) > 0
    direction = np.where(~has_cue, 0, np.where(distance == 0, 1, np.where(distance > 0, 2, 4) + between))
    columns.append(direction * 3 + quote)
    columns.append(np.minimum(at * 4 // counts[which], 3) + 4 * (at == 0))
    side = np.where(~has_cue, 0, np.where(distance > 0, 1, np.where(distance < 0, 2, 3)))
    columns.append(np.minimum(ids, min(n_words, SIDE_WORDS)) * 4 + side)
    # The capitalised run that opens the text (the subject, mostly) and the word right after it.
    opener = (capital == 1) | (shape == _QUOTE) | ((shape == _STOP) & (capital_before == 1))
    breaks = index[~opener]
    k = np.searchsorted(breaks, first)
    run_end = np.where(k < len(breaks), breaks[np.minimum(k, max(len(breaks) - 1, 0))] if len(breaks) else 0, last + 1)
    run_end = np.minimum(run_end, last + 1)
    has_run = run_end > first + (shape[first] == _QUOTE)
    state = np.where(has_run & (index < run_end), 1, np.where(has_run & (index == run_end), 2, 0))
    columns.append(state * N_SHAPES + shape)
    columns.append(state * _N_DISTANCE + bucket)
    columns.append(ids)
    # Every template has a value for every token but the last, which has one right after the opening run only.
    matrix = np.stack(columns, axis=1)
    matrix += tables["offsets"][:-1]
    matrix[state != 2, -1] = tables["null"]
    return Tokens(spans, bases, counts), matrix


def _multi_words(tokens: list[str], here: list[int], packed: np.ndarray, maybe: list[int], tables: dict,
                 boundaries: np.ndarray) -> None:
    """Set in ``packed`` (``here`` as an array) the lexicon code of every token covered by a multi-word term.

    ``maybe`` are the tokens where a term may start, in text order (a token covered by two terms keeps the
    lower code, the earlier on a tie); a term never runs across two texts (``boundaries``: index of each
    text's first token). ``tables["normal"]`` holds the normalised form of every token string.
    """
    multi, seconds, normal = tables["multi"], tables["multi_seconds"], tables["normal"]
    ends = set(boundaries.tolist())
    codes: dict[int, int] = {}
    n = len(tokens)
    for i in maybe:
        if i + 1 >= n or i + 1 in ends:
            continue
        first, second = normal[tokens[i]], normal[tokens[i + 1]]
        # Most openers ("the", "a", "in") open no term with the word after them.
        if second not in seconds[first]:
            continue
        for words, code in multi[first]:
            j = i + len(words)
            if words[1] != second or j > n or any(k in ends for k in range(i + 2, j)):
                continue
            if all(normal[tokens[k]] == words[k - i] for k in range(i + 2, j)):
                for k in range(i, j):
                    current = codes.get(k, (here[k] & _CODE_MASK) >> _CODE_SHIFT)
                    if not current or current > code:
                        codes[k] = code
                break
    for k, code in codes.items():
        packed[k] = (here[k] & ~_CODE_MASK) | (code << _CODE_SHIFT)


#: Probability buckets of the second pass.
_P_EDGES = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
_N_P = len(_P_EDGES) + 1
_N_TAGS = 4
_TAG_PAD = _N_TAGS
#: The tags (CUE, SOURCE) whose runs before and after a token are second-pass features.
_CUE_THEN_SOURCE = np.array([2, 1])


def stacked_sizes() -> list[int]:
    """Number of values of each template of the second pass (over the first pass's tags and probabilities)."""
    tags = _N_TAGS + 1
    return (
        [tags] * 7                          # first-pass tag at offsets -3..3
        + [tags ** 3]                       # tags of (w-1, w0, w+1)
        + [_N_P * _N_TAGS] * _N_TAGS        # probability bucket of each tag x tag of w0
        + [_N_P * _N_TAGS]                  # the text's highest CUE probability x tag of w0
        + [4 * _N_TAGS] * 2                 # a CUE (then a SOURCE) run before / after in the text x tag of w0
        + [_N_DISTANCE * _N_TAGS]           # distance bucket to the nearest tagged CUE x tag of w0
        + [N_SHAPES * _N_TAGS]              # shape x tag of w0
    )


def stacked_features(probability: np.ndarray, counts: np.ndarray, shape: np.ndarray,
                     offsets: np.ndarray) -> np.ndarray:
    """The second pass's feature columns of every token, from the first pass's probabilities."""
    n_tokens = len(probability)
    which, first, last = _text_bounds(counts)
    index = np.arange(n_tokens)
    tag = probability.argmax(axis=1)
    shifted = _shifter(first, last)

    columns = list(shifted(tag, (-3, -2, -1, 0, 1, 2, 3), _TAG_PAD).T)
    tags = _N_TAGS + 1
    columns.append((columns[2] * tags + tag) * tags + columns[4])
    buckets = np.searchsorted(_P_EDGES, probability)
    columns += list((buckets * _N_TAGS + tag[:, None]).T)
    top = np.zeros(len(counts))
    nonempty = counts > 0
    if n_tokens:
        top[nonempty] = np.maximum.reduceat(probability[:, 2], (np.cumsum(counts) - counts)[nonempty])
    columns.append(np.searchsorted(_P_EDGES, top)[which] * _N_TAGS + tag)
    # A CUE, then a SOURCE, before / after in the text: both at once, one column each.
    counted = np.zeros((n_tokens + 1, 2), dtype=np.int64)
    np.cumsum(tag[:, None] == _CUE_THEN_SOURCE, axis=0, out=counted[1:])
    before = counted[index] - counted[first] > 0
    after = counted[last + 1] - counted[index + 1] > 0
    columns += list(((before * 2 + after) * _N_TAGS + tag[:, None]).T)
    cues = index[tag == 2]
    bucket = np.zeros(n_tokens, dtype=np.int64)
    if len(cues):
        right = np.searchsorted(cues, index, side="left")
        left_pos = cues[np.clip(right - 1, 0, len(cues) - 1)]
        right_pos = cues[np.clip(right, 0, len(cues) - 1)]
        d_left = np.where((right > 0) & (left_pos >= first), index - left_pos, 10 ** 6)
        d_right = np.where((right < len(cues)) & (right_pos <= last), right_pos - index, 10 ** 6)
        has = np.minimum(d_left, d_right) < 10 ** 6
        distance = np.where(d_left < d_right, d_left, -d_right)
        bucket = np.where(has, np.searchsorted(_DISTANCE_EDGES, distance, side="left") + 1, 0)
    columns.append(bucket * _N_TAGS + tag)
    columns.append(shape * _N_TAGS + tag)
    matrix = np.stack(columns, axis=1)
    matrix += offsets[:-1]
    return matrix
