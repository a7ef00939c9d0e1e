"""Sentence features as scikit-learn transformers.

Every transformer takes a list of sentence strings (or objects with a
``text`` attribute, such as :class:`framing.LabeledSentence`; spans on them
are used by :class:`LexiconFeatures` to harvest terms at fit time) and returns
a sparse matrix. Feature names are readable: ``hedge:reportedly``,
``loaded[pejorative]@quote``, ``attr:vague_near_cue``, ``word:kyiv regime``,
``char: reg``.

All transformers share one analysis of each sentence (tokens, normalised
tokens, which tokens are inside quotation marks), memoised per text so that a
FeatureUnion tokenises each sentence once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, output_config
from ..lexicon._lexicon import (
    HARVESTED,
    LEXICON_NAMES,
    SPAN_TYPE_TO_LEXICON,
    GroupedMatcher,
    Lexicon,
    LexiconEntry,
    LexiconMatcher,
    load_lexicon,
    normalise_term,
)
from ..text import normalise_token, token_spans

__all__ = [
    "Analysis",
    "analyze",
    "LexiconFeatures",
    "AttributionFeatures",
    "HedgeFeatures",
    "ShapeFeatures",
    "WordNgrams",
    "CharNgrams",
    "make_features",
    "texts_of",
    "StringInputMixin",
    "transform_in_batches",
    "transform_union",
    "shared_analysis",
]

_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*$""")
_ASCII_DIGIT = re.compile(r"[0-9]")
#: Text that _URL can match contains one of these (a cheap test first: _URL backtracks at every position).
_URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|gr|ua|ru|uk)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|org|net|gr|ua|ru|uk)\b", re.IGNORECASE)


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


#: Normalised form of each distinct raw token seen (a cache: normalise_token is pure).
_NORMALISED: dict[str, str] = {}
_NORMALISED_LIMIT = 100_000


def _normalised(raw: tuple[str, ...]) -> tuple[str, ...]:
    cache = _NORMALISED
    tokens = []
    for token in raw:
        normalised = cache.get(token)
        if normalised is None:
            if len(cache) >= _NORMALISED_LIMIT:
                cache.clear()
            normalised = cache[token] = normalise_token(token)
        tokens.append(normalised)
    return tuple(tokens)


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


def _analyze(text: str) -> Analysis:
    spans = [span for span in token_spans(text) if text[span[0]].isalnum()]
    intervals = _quote_intervals(text)
    if intervals:
        in_quote = tuple(any(a <= s < b for a, b in intervals) for s, _ in spans)
    else:
        in_quote = (False,) * len(spans)
    raw = tuple([text[s:e] for s, e in spans])
    return Analysis(
        raw=raw,
        tokens=_normalised(raw),
        offsets=tuple(spans),
        in_quote=in_quote,
        has_quote_marks=bool(intervals),
        is_line=_SENTENCE_END.search(text.rstrip()) is None,
    )


def texts_of(X: Any) -> list[str]:
    """The sentence strings of ``X``: strings, or the ``text`` of objects that have one."""
    if isinstance(X, str):
        raise TypeError("expected a list of sentences, got a single str; wrap it in a list")
    texts = []
    for index, item in enumerate(X):
        text = getattr(item, "text", item)
        if not isinstance(text, str):
            raise TypeError(f"sentence {index} must be str, got {type(text).__name__}")
        texts.append(text)
    return texts


def _count_matrix(indices: list[int], indptr: list[int], n_columns: int) -> sp.csr_matrix:
    """CSR counts from one column index per occurrence (``indptr`` delimits the rows).

    scipy sums the repeats into counts, and sorts each row's columns, in C.
    """
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, n_columns),
    )
    matrix.sum_duplicates()
    return matrix


def training_rows(key: tuple) -> dict | None:
    """While training (:func:`shared_analysis`), the ``{text: row}`` memo of the block identified by ``key``; else None.

    For blocks whose rows depend on the text and ``key`` alone (nothing learned from labels).
    """
    memo = _TRAINING_MEMO.get()
    return None if memo is None else memo["rows"].setdefault(key, {})


def _check_ngram_range(value: Any) -> None:
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
            or not 1 <= value[0] <= value[1]):
        raise ValueError(f"ngram_range must be a pair (low, high) of integers with 1 <= low <= high, got {value!r}")


class StringInputMixin:
    """scikit-learn tags of an estimator whose input is a sequence of sentences, not a 2-D array."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


def is_function_words(term: str) -> bool:
    """True when every word of ``term`` is an English function word (scikit-learn's stop-word list).

    Annotators' spans sometimes cover only "the", "of" or "his"; as harvested lexicon terms these
    would fire in every sentence and show up as evidence that explains nothing.

    Examples
    --------
    >>> is_function_words("of the"), is_function_words("according to"), is_function_words("thugs")
    (True, False, False)
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = [word for word in term.replace("*", "").split() if word]
    return not words or all(word in ENGLISH_STOP_WORDS or len(word) < 2 for word in words)


class _NamedFeatures(StringInputMixin, TransformerMixin, BaseEstimator):
    """Shared plumbing: feature names, column index, fit/transform checks."""

    _parameter_constraints: dict = {}

    def _check_params(self) -> None:
        """Validate the parameters (sklearn-style messages naming the value and the allowed range)."""
        self._validate_params()

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def _column_index(self) -> dict[str, int]:
        # Derived from feature_names_ (the learned, persisted state) and rebuilt on demand.
        cached = self.__dict__.get("_columns")
        if cached is None or len(cached) != len(self.feature_names_):
            cached = {name: index for index, name in enumerate(self.feature_names_)}
            self.__dict__["_columns"] = cached
        return cached

    def __getstate__(self):
        state = dict(self.__dict__)
        for key in ("_columns", "_matcher_cache", "_token_cache", "_fit_grams"):
            state.pop(key, None)
        return state


# --------------------------------------------------------------------------- lexicon


class LexiconFeatures(_NamedFeatures):
    """Counts of lexicon terms and categories, in the author's voice and inside quotations.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Entries to match; ``None`` means the bundled lexicons.
    lexicons : tuple of str
        Which lexicons to use (see ``framing.lexicon._lexicon.LEXICON_NAMES``).
    harvest : bool, default=True
        Add the terms of labelled cue spans seen in ``fit`` (items with a
        ``spans`` attribute) as category ``harvested``. Only the data passed
        to ``fit`` is used, so in cross-validation only the training fold.
    harvest_min_count : int, default=1
        A span term must occur this often in the training data to be kept.
    term_features : bool, default=True
        One column per term (``hedge:reportedly``) besides the per-category
        counts (``hedge[distancing]`` and ``hedge[distancing]@quote``).

    Examples
    --------
    >>> features = LexiconFeatures().fit(["x"])
    >>> X = features.transform(['The corrupt regime, reportedly.'])
    >>> names = features.get_feature_names_out()
    >>> sorted(names[i] for i in X.nonzero()[1] if ":" in names[i])
    ['hedge:reportedly', 'loaded:corrupt', 'loaded:regime', 'naming:regime', 'valence:corrupt']
    """

    _parameter_constraints: dict = {
        "lexicon": [Lexicon, None],
        "lexicons": [tuple, list],
        "harvest": ["boolean"],
        "harvest_min_count": [Interval(Integral, 1, None, closed="left")],
        "term_features": ["boolean"],
    }

    def __init__(self, lexicon=None, lexicons=LEXICON_NAMES, harvest=True, harvest_min_count=1, term_features=True):
        self.lexicon = lexicon
        self.lexicons = lexicons
        self.harvest = harvest
        self.harvest_min_count = harvest_min_count
        self.term_features = term_features

    def fit(self, X, y=None) -> _NamedFeatures:
        self._check_params()
        # X may be a generator: it is read once, here (texts, then spans for harvesting).
        items = list(X) if not isinstance(X, str) else X
        texts = texts_of(items)
        base = self.lexicon if self.lexicon is not None else load_lexicon()
        unknown = sorted(set(self.lexicons) - set(LEXICON_NAMES))
        if unknown:
            raise ValueError(f"unknown lexicons {unknown}; available: {list(LEXICON_NAMES)}")
        entries = [entry for entry in base if entry.lexicon in self.lexicons]
        known = {(entry.lexicon, entry.term) for entry in entries}
        harvested: list[LexiconEntry] = []
        if self.harvest:
            counts: Counter = Counter()
            for item in items:
                for span in getattr(item, "spans", ()) or ():
                    lexicon_name = SPAN_TYPE_TO_LEXICON.get(span.type)
                    if lexicon_name is None or lexicon_name not in self.lexicons:
                        continue
                    span_text = span.text or getattr(item, "text", "")[span.start:span.end]
                    # Named sources are people, not vocabulary: only vague (lower-case) sources generalise.
                    if lexicon_name == "source" and any(char.isupper() for char in span_text):
                        continue
                    term = normalise_term(span_text.replace("*", ""))
                    if term and len(term.split()) <= 5 and (lexicon_name, term) not in known \
                            and not is_function_words(term):
                        counts[(lexicon_name, term)] += 1
            harvested = [
                LexiconEntry(name, term, HARVESTED, f"harvested from {count} training span(s)")
                for (name, term), count in sorted(counts.items())
                if count >= self.harvest_min_count
            ]
        lexicon = Lexicon(entries + harvested)
        self.lexicon_ = lexicon.to_records()
        self.n_harvested_ = len(harvested)
        names = []
        reserved = _pattern_names()
        for name in self.lexicons:
            for category in lexicon.categories(name):
                names += [f"{name}[{category}]", f"{name}[{category}]@quote"]
            if self.term_features:
                # A term named like a pattern column ("hedge:any", "hedge:modal") would make the union's
                # feature names ambiguous (sklearn refuses them): such a term counts in its category only.
                names += [f"{name}:{term}" for term in lexicon.terms(name) if f"{name}:{term}" not in reserved]
        self.feature_names_ = names
        self.n_features_in_ = 1
        del texts
        return self

    def _matcher(self) -> tuple[LexiconMatcher, list[tuple[int, int, int | None]]]:
        cached = self.__dict__.get("_matcher_cache")
        if cached is None or cached[2] is not self.lexicon_:
            entries = [LexiconEntry(*record) for record in self.lexicon_]
            columns = self._column_index()
            plan = [
                (
                    columns[f"{e.lexicon}[{e.category}]"],
                    columns[f"{e.lexicon}[{e.category}]@quote"],
                    columns.get(f"{e.lexicon}:{e.term}"),
                )
                for e in entries
            ]
            cached = (LexiconMatcher(entries), plan, self.lexicon_, {})
            self.__dict__["_matcher_cache"] = cached
        return cached[0], cached[1]

    #: Token sequences whose matches are kept, so that a report's cue highlighting reuses the
    #: matching done by ``transform`` (a cache, not learned state: cleared with the matcher).
    _MATCH_CACHE_SIZE = 4096

    def _match(self, tokens: tuple[str, ...]) -> list[tuple[int, int, int]]:
        matcher, _ = self._matcher()
        cache = self.__dict__["_matcher_cache"][3]
        found = cache.get(tokens)
        if found is None:
            found = matcher.match(tokens)
            if len(cache) >= self._MATCH_CACHE_SIZE:
                cache.pop(next(iter(cache)))  # the oldest entry: dicts keep insertion order
            cache[tokens] = found
        return found

    def matches(self, text: str) -> list[tuple[LexiconEntry, int, int, bool]]:
        """The lexicon entries found in ``text``: (entry, first token, end token, inside a quote)."""
        check_is_fitted(self, "lexicon_")
        return self._matches(text)

    def _matches(self, text: str) -> list[tuple[LexiconEntry, int, int, bool]]:
        # Unchecked: for callers that hold a fitted model (one check per report, not per unit).
        matcher, _ = self._matcher()
        analysis = analyze(text)
        return [
            (matcher.entries[index], start, end, analysis.in_quote[start])
            for index, start, end in self._match(analysis.tokens)
        ]

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "lexicon_")
        matcher, plan = self._matcher()
        indptr = [0]
        indices: list[int] = []
        for text in texts_of(X):
            analysis = analyze(text)
            in_quote = analysis.in_quote
            for index, start, _ in self._match(analysis.tokens):
                author_column, quote_column, term_column = plan[index]
                indices.append(quote_column if in_quote[start] else author_column)
                if term_column is not None:
                    indices.append(term_column)
            indptr.append(len(indices))
        return _count_matrix(indices, indptr, len(self.feature_names_))


# --------------------------------------------------------------------------- patterns


_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i"})
_FIRST_PERSON = frozenset({"i", "we", "our", "us", "my", "me"})
_SECOND_PERSON = frozenset({"you", "your", "yours"})
_MODALS = frozenset({"may", "might", "could"})
_FUTURE = frozenset({"will", "shall"})
_CAPITALISED_STOP = frozenset(
    {"The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "In", "On", "At",
     "As", "But", "And", "However", "According", "Earlier", "Meanwhile", "Despite", "After", "Before", "Another",
     "One", "Some", "Any", "If", "When", "Due", "For", "Additionally", "Essentially", "Simultaneously", "Later",
     "Initially", "To", "You", "Your", "Our", "His", "Her", "Their"}
)


_COLON_SPEAKER = re.compile(r"^[A-Z][\w’'.\- ]{1,40}(?:\([^)]{1,30}\))?:\s")
_DASH_SOURCE = re.compile(r"\s[–—-]\s*[A-Z][\w.]{1,20}$")


def _window(positions: Sequence[int], targets: Sequence[int], width: int) -> bool:
    if not positions or not targets:
        return False
    return any(abs(p - t) <= width for p in positions for t in targets)


class _PatternFeatures(_NamedFeatures):
    """Base for rule-based pattern features with a fixed list of named columns."""

    _names: tuple[str, ...] = ()

    def fit(self, X, y=None) -> _NamedFeatures:
        self._check_params()
        texts_of(X)
        self.feature_names_ = list(self._names)
        self.n_features_in_ = 1
        return self

    def _memo_key(self) -> tuple:
        """What this block's rows depend on besides the text (its class, parameters and learned state)."""
        records = tuple(tuple(record) for record in getattr(self, "lexicon_", ()))
        return (type(self).__name__, getattr(self, "window", None), records)

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        texts = texts_of(X)
        cache = training_rows(self._memo_key())
        if cache is None:
            rows = [self._row(text) for text in texts]
        else:
            # Training: the same text gives the same row in every fold (nothing here is learned from labels).
            rows = []
            for text in texts:
                row = cache.get(text)
                if row is None:
                    row = cache[text] = self._row(text)
                rows.append(row)
        n_columns = len(self.feature_names_)
        data = np.asarray(rows, dtype=np.float64).reshape(len(rows), n_columns)
        return sp.csr_matrix(data)


#: Which entries each cue group of the pattern features matches, and the lexicons they come from.
_CUE_GROUPS = ("cue", "vague", "org", "hedge", "booster")
_CUE_LEXICONS = ("attribution", "source", "org", "hedge", "booster")


def _cue_group(entry: LexiconEntry) -> str | None:
    if entry.lexicon == "attribution":
        return "cue"
    if entry.lexicon == "source":
        return "vague"
    if entry.lexicon == "org":
        return "org"
    if entry.lexicon == "hedge" and entry.category not in ("conditional",):
        return "hedge"
    if entry.lexicon == "booster":
        return "booster"
    return None


@lru_cache(maxsize=8)
def _cue_matcher(records: tuple[tuple[str, ...], ...]) -> GroupedMatcher:
    # Keyed by the learned records, so the attribution and hedging blocks of a model share one matcher
    # (and its per-sentence results): each sentence is matched once for both.
    groups: dict[str, list[LexiconEntry]] = {name: [] for name in _CUE_GROUPS}
    for entry in Lexicon.from_records(records):
        group = _cue_group(entry)
        if group is not None:
            groups[group].append(entry)
    return GroupedMatcher(groups)


class _LexiconPatternFeatures(_PatternFeatures):
    def _matchers(self) -> GroupedMatcher:
        cached = self.__dict__.get("_matcher_cache")
        if cached is None:
            check_is_fitted(self, "lexicon_")
            # An empty learned lexicon means no cues, not "use the bundled lexicon".
            cached = _cue_matcher(tuple(tuple(record) for record in self.lexicon_))
            self.__dict__["_matcher_cache"] = cached
        return cached

    def fit(self, X, y=None) -> _NamedFeatures:
        super().fit(X, y)
        lexicon = self.lexicon if self.lexicon is not None else load_lexicon()
        self.lexicon_ = lexicon.to_records(_CUE_LEXICONS)
        self.__dict__.pop("_matcher_cache", None)
        return self


class AttributionFeatures(_LexiconPatternFeatures):
    """Who carries the claim: cue verbs, named or vague sources near them, quotations.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Source of the cue verbs, vague-source nouns and organisation names;
        ``None`` means the bundled lexicons.
    window : int, default=6
        How many tokens a source may stand from a cue to count as near it.

    Examples
    --------
    >>> f = AttributionFeatures().fit(["x"])
    >>> row = f.transform(["Kushner will fly, according to a senior US official."]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("attr:vague_near_cue")])
    1.0
    """

    _names = (
        "attr:cue", "attr:cue_loaded", "attr:according_to", "attr:named_near_cue", "attr:org_near_cue",
        "attr:pronoun_near_cue", "attr:vague_near_cue", "attr:vague_source", "attr:org", "attr:person_name",
        "attr:quote_marks", "attr:quote_share", "attr:starts_in_quote", "attr:ends_in_quote",
        "attr:colon_speaker", "attr:dash_source", "attr:first_person", "attr:first_person_in_quote",
    )

    _parameter_constraints: dict = {"lexicon": [Lexicon, None], "window": [Interval(Integral, 0, None, closed="left")]}

    def __init__(self, lexicon=None, window=6):
        self.lexicon = lexicon
        self.window = window

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        matcher = self._matchers()
        tokens, raw = analysis.tokens, analysis.raw
        found = matcher.match(tokens)
        cues, cue_entries = found["cue"], matcher.groups["cue"]
        cue_positions = [start for _, start, _ in cues if not analysis.in_quote[start]]
        loaded_cues = sum(1 for index, start, _ in cues if cue_entries[index].category == "loaded_cue")
        according = sum(1 for index, _, _ in cues if cue_entries[index].category == "according_to")
        vague = [start for _, start, _ in found["vague"]]
        orgs = [start for _, start, _ in found["org"]]
        in_quote = analysis.in_quote
        names = [position for position, (token, inside) in enumerate(zip(raw, in_quote))
                 if not inside and token[:1].isupper() and token not in _CAPITALISED_STOP]
        person_name = any(names[k + 1] == names[k] + 1 for k in range(len(names) - 1))
        pronouns = [p for p, token in enumerate(tokens) if token in _PRONOUNS and not in_quote[p]]
        n_tokens = max(len(tokens), 1)
        quoted = sum(in_quote)
        first_person = [p for p, token in enumerate(tokens) if token in _FIRST_PERSON]
        stripped = text.strip()
        colon_speaker = _COLON_SPEAKER.match(stripped) is not None and len(stripped.split(":")[0].split()) <= 5
        dash_source = _DASH_SOURCE.search(stripped) is not None
        width = self.window
        return [
            float(len(cues)),
            float(loaded_cues),
            float(according),
            float(_window(cue_positions, names, width)),
            float(_window(cue_positions, orgs, width)),
            float(_window(cue_positions, pronouns, 3)),
            float(_window(cue_positions, vague, width)),
            float(len(vague)),
            float(len(orgs)),
            float(person_name),
            float(analysis.has_quote_marks),
            quoted / n_tokens,
            float(bool(analysis.in_quote) and analysis.in_quote[0]),
            float(bool(analysis.in_quote) and analysis.in_quote[-1]),
            float(colon_speaker),
            float(dash_source),
            float(bool(first_person)),
            float(any(analysis.in_quote[p] for p in first_person)),
        ]


class HedgeFeatures(_LexiconPatternFeatures):
    """Epistemic hedging patterns, split by author's voice and quotation.

    Examples
    --------
    >>> f = HedgeFeatures().fit(["x"])
    >>> row = f.transform(["The talks are expected to be difficult."]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("hedge:expected_to")])
    1.0
    """

    _names = (
        "hedge:any", "hedge:any@quote", "hedge:modal", "hedge:modal@quote", "hedge:expected_to",
        "hedge:future", "hedge:conditional", "hedge:vague_attribution", "hedge:booster", "hedge:density",
    )

    _parameter_constraints: dict = {"lexicon": [Lexicon, None]}

    def __init__(self, lexicon=None):
        self.lexicon = lexicon

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        found = self._matchers().match(analysis.tokens)
        tokens, in_quote = analysis.tokens, analysis.in_quote
        hedges = found["hedge"]
        author = sum(1 for _, start, _ in hedges if not in_quote[start])
        modal_author = sum(1 for p, t in enumerate(tokens) if t in _MODALS and not in_quote[p])
        modal_quote = sum(1 for p, t in enumerate(tokens) if t in _MODALS and in_quote[p])
        expected = sum(1 for p in range(len(tokens) - 1) if tokens[p] == "expected" and tokens[p + 1] == "to")
        future = sum(1 for t in tokens if t in _FUTURE)
        conditional = sum(1 for t in tokens if t == "would")
        vague = bool(found["vague"])
        according = "according" in tokens
        boosters = len(found["booster"])
        return [
            float(author),
            float(len(hedges) - author),
            float(modal_author),
            float(modal_quote),
            float(expected),
            float(future),
            float(conditional),
            float(vague and according),
            float(boosters),
            author / max(len(tokens), 1) * 10.0,
        ]


class ShapeFeatures(_PatternFeatures):
    """Layout cues that separate headlines, captions and site furniture from body sentences.

    Examples
    --------
    >>> f = ShapeFeatures().fit(["x"])
    >>> row = f.transform(["Related Posts"]).toarray()[0]
    >>> float(row[list(f.get_feature_names_out()).index("shape:line")])
    1.0
    """

    _names = (
        "shape:line", "shape:log_tokens", "shape:short", "shape:digits", "shape:non_latin", "shape:url",
        "shape:question", "shape:exclamation", "shape:title_case", "shape:first_person", "shape:second_person",
    )

    def __init__(self):
        pass

    def _row(self, text: str) -> list[float]:
        analysis = analyze(text)
        raw, tokens = analysis.raw, analysis.tokens
        capitalised = sum(1 for token in raw if token[:1].isupper()) / max(len(raw), 1)
        if text.isascii():
            # Every character is below U+0080: no letter is non-Latin, and the digits are 0-9.
            non_latin, digits = 0.0, _ASCII_DIGIT.search(text) is not None
        else:
            letters = [c for c in text if c.isalpha()]
            non_latin = sum(1 for c in letters if ord(c) > 0x24F) / max(len(letters), 1)
            digits = any(c.isdigit() for c in text)
        return [
            float(analysis.is_line),
            math.log1p(len(tokens)),
            float(len(tokens) <= 4),
            float(digits),
            non_latin,
            float(_URL_HINT.search(text) is not None and _URL.search(text) is not None),
            float(text.rstrip().endswith("?")),
            float(text.rstrip().endswith("!")),
            float(capitalised > 0.6 and len(raw) >= 3),
            float(any(t in _FIRST_PERSON for t in tokens) and not analysis.has_quote_marks),
            float(any(t in _SECOND_PERSON for t in tokens)),
        ]


# --------------------------------------------------------------------------- n-grams


class _TfidfNgrams(_NamedFeatures):
    """TF-IDF over n-grams, with sublinear tf and l2 rows, like TfidfVectorizer."""

    _prefix = ""

    def _grams(self, analysis: Analysis) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _row_indices(self, analysis: Analysis) -> list[int]:
        vocabulary = self.vocabulary_index()
        return [vocabulary[g] for g in self._grams(analysis) if g in vocabulary]

    def _distinct_grams(self, analysis: Analysis) -> set[str]:
        """The distinct n-grams of one sentence (what document frequency counts)."""
        return set(self._grams(analysis))

    def vocabulary_index(self) -> dict[str, int]:
        cached = self.__dict__.get("_vocabulary")
        if cached is None or len(cached) != len(self.vocabulary_):
            cached = {gram: index for index, gram in enumerate(self.vocabulary_)}
            self.__dict__["_vocabulary"] = cached
        return cached

    _parameter_constraints: dict = {
        "ngram_range": [tuple, list],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
    }

    def _check_params(self) -> None:
        super()._check_params()
        _check_ngram_range(self.ngram_range)

    def fit(self, X, y=None) -> _NamedFeatures:
        self._check_params()
        texts = texts_of(X)
        if not texts:
            raise ValueError(f"{type(self).__name__}.fit needs at least one sentence to learn a vocabulary from")
        document_frequency: Counter = Counter()
        for text in texts:
            document_frequency.update(self._distinct_grams(analyze(text)))
        kept = sorted(g for g, df in document_frequency.items() if df >= self.min_df)
        if self.max_features is not None and len(kept) > self.max_features:
            kept = sorted(sorted(kept, key=lambda g: (-document_frequency[g], g))[: self.max_features])
        n_documents = len(texts)
        self.vocabulary_ = kept
        self.idf_ = np.asarray(
            [math.log((1 + n_documents) / (1 + document_frequency[g])) + 1.0 for g in kept], dtype=np.float64
        )
        self.feature_names_ = [f"{self._prefix}:{g}" for g in kept]
        self.n_features_in_ = 1
        self.__dict__.pop("_vocabulary", None)
        self.__dict__.pop("_token_cache", None)
        self.__dict__.pop("_fit_grams", None)
        return self

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        indptr = [0]
        indices: list[int] = []
        for text in texts_of(X):
            indices.extend(self._row_indices(analyze(text)))
            indptr.append(len(indices))
        n_rows = len(indptr) - 1
        matrix = _count_matrix(indices, indptr, len(self.vocabulary_))
        row_of_value = np.repeat(np.arange(n_rows), np.diff(matrix.indptr))
        values = (1.0 + np.log(matrix.data)) * self.idf_[matrix.indices]
        norms = np.sqrt(np.bincount(row_of_value, weights=values * values, minlength=n_rows))
        norms[norms == 0] = 1.0
        matrix.data = values / norms[row_of_value]
        return matrix


class WordNgrams(_TfidfNgrams):
    """Word n-grams of the normalised tokens (``word:kyiv regime``).

    Examples
    --------
    >>> f = WordNgrams().fit(["The Kyiv regime fell."])
    >>> list(f.get_feature_names_out())[:3]
    ['word:fell', 'word:kyiv', 'word:kyiv regime']
    """

    _prefix = "word"

    def __init__(self, ngram_range=(1, 2), min_df=1, max_features=None):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def _grams(self, analysis: Analysis) -> list[str]:
        low, high = self.ngram_range
        tokens = analysis.tokens
        grams = []
        for n in range(low, high + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams


class CharNgrams(_TfidfNgrams):
    """Character n-grams inside word boundaries (``char: reg``), like ``analyzer='char_wb'``.

    Each distinct token's n-gram columns are computed once and cached, so
    scoring costs one dictionary lookup per token rather than per n-gram.

    Examples
    --------
    >>> f = CharNgrams(ngram_range=(3, 3), min_df=1).fit(["Kyiv"])
    >>> list(f.get_feature_names_out())
    ['char: ky', 'char:iv ', 'char:kyi', 'char:yiv']
    """

    _prefix = "char"
    _CACHE_LIMIT = 200_000

    def __init__(self, ngram_range=(3, 5), min_df=2, max_features=None):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def _token_grams(self, token: str) -> list[str]:
        low, high = self.ngram_range
        padded = f" {token} "
        grams = []
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
        return grams

    def _grams(self, analysis: Analysis) -> list[str]:
        grams = []
        for token in analysis.tokens:
            grams.extend(self._token_grams(token))
        return grams

    def _distinct_grams(self, analysis: Analysis) -> set[str]:
        # A sentence's n-grams are those of its distinct tokens; each token's are computed once per fit.
        cache = self.__dict__.get("_fit_grams")
        if cache is None or len(cache) > self._CACHE_LIMIT:
            cache = {}
            self.__dict__["_fit_grams"] = cache
        grams: set[str] = set()
        for token in set(analysis.tokens):
            token_grams = cache.get(token)
            if token_grams is None:
                token_grams = cache[token] = self._token_grams(token)
            grams.update(token_grams)
        return grams

    def _row_indices(self, analysis: Analysis) -> list[int]:
        cache = self.__dict__.get("_token_cache")
        if cache is None or len(cache) > self._CACHE_LIMIT:
            cache = {}
            self.__dict__["_token_cache"] = cache
        vocabulary = self.vocabulary_index()
        indices: list[int] = []
        for token in analysis.tokens:
            columns = cache.get(token)
            if columns is None:
                columns = [vocabulary[g] for g in self._token_grams(token) if g in vocabulary]
                cache[token] = columns
            indices.extend(columns)
        return indices


def _pattern_names() -> frozenset:
    """Column names of the fixed pattern transformers, which term columns must not reuse."""
    return frozenset(AttributionFeatures._names + HedgeFeatures._names + ShapeFeatures._names)


#: Sentences per batch in :func:`transform_in_batches`: well inside ``analyze``'s memo, so that every
#: transformer of a union reuses one tokenisation of each sentence.
TRANSFORM_BATCH = 4096


def transform_in_batches(features, texts: Sequence[str], batch_size: int = TRANSFORM_BATCH) -> sp.csr_matrix:
    """``features.transform(texts)`` batch by batch, stacked: the same matrix, one tokenisation per sentence.

    A :class:`~sklearn.pipeline.FeatureUnion` runs each transformer over the
    whole input in turn; past the memo size of :func:`analyze` every
    transformer would tokenise every sentence again.

    Examples
    --------
    >>> union = make_features().fit(["The regime fell.", "Talks began."])
    >>> texts = ["The regime fell.", "Talks began.", "Analysts say it may fail."]
    >>> (transform_in_batches(union, texts, batch_size=2) != union.transform(texts)).nnz
    0
    """
    texts = list(texts)
    if len(texts) <= batch_size:
        return sp.csr_matrix(transform_union(features, texts))
    return sp.vstack([sp.csr_matrix(transform_union(features, texts[i:i + batch_size]))
                      for i in range(0, len(texts), batch_size)], format="csr")


def transform_union(features, texts: Sequence[str]):
    """``features.transform(texts)``; for a plain fitted FeatureUnion of sparse blocks, without its per-call machinery.

    A :class:`~sklearn.pipeline.FeatureUnion` spends milliseconds per call on
    parameter routing, output configuration and a joblib dispatch even with
    one job, more than the blocks themselves spend on one article. This
    computes what it computes in that case (each block's output times its
    weight, stacked with ``scipy.sparse.hstack(...).tocsr()``) and defers to
    ``features.transform`` in every other case.

    Examples
    --------
    >>> union = make_features().fit(["The regime fell.", "Talks began."])
    >>> (transform_union(union, ["The regime fell, analysts say."]) != union.transform(["The regime fell, analysts say."])).nnz
    0
    """
    from sklearn import get_config

    plain = (type(features) is FeatureUnion and features.n_jobs in (None, 1)
             and get_config().get("transform_output", "default") == "default"
             and output_config(features).get("transform", "default") == "default"
             and not any(isinstance(transformer, str) for _, transformer in features.transformer_list))
    if not plain:
        return features.transform(texts)
    weights = features.transformer_weights or {}
    blocks = []
    for name, transformer in features.transformer_list:
        block = transformer.transform(texts)
        weight = weights.get(name)
        blocks.append(block if weight is None else block * weight)
    if not blocks or not all(sp.issparse(block) for block in blocks):
        return features.transform(texts)
    return sp.hstack(blocks).tocsr()


def make_features(lexicon=None, word_ngram_range=(1, 2), char_ngram_range=(3, 5), char_min_df=2, harvest=True,
                  transformer_weights=None) -> FeatureUnion:
    """The default feature union: lexicons, attribution, hedging, shape, word and char n-grams.

    Examples
    --------
    >>> union = make_features().fit(["The corrupt regime reportedly fell, analysts say.", "Talks began"])
    >>> names = list(union.get_feature_names_out())
    >>> "hedge:reportedly" in names and "word:regime" in names and "attr:vague_source" in names
    True
    """
    return FeatureUnion(
        [
            ("lexicon", LexiconFeatures(lexicon=lexicon, harvest=harvest)),
            ("attribution", AttributionFeatures(lexicon=lexicon)),
            ("hedging", HedgeFeatures(lexicon=lexicon)),
            ("shape", ShapeFeatures()),
            ("word", WordNgrams(ngram_range=word_ngram_range)),
            ("char", CharNgrams(ngram_range=char_ngram_range, min_df=char_min_df)),
        ],
        transformer_weights=transformer_weights,
        verbose_feature_names_out=False,
    )
