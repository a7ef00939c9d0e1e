"""The lexicon block: counts of lexicon terms and categories, in the author's voice and inside quotations."""

from __future__ import annotations

from collections import Counter
from numbers import Integral

import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval
from ..lexicon._lexicon import (
    HARVESTED,
    LEXICON_NAMES,
    SPAN_TYPE_TO_LEXICON,
    Lexicon,
    LexiconEntry,
    LexiconMatcher,
    load_lexicon,
    normalise_term,
)
from ._analysis import analyze, texts_of
from ._base import _NamedFeatures, count_matrix
from ._patterns import pattern_names

__all__ = ["LexiconFeatures", "is_function_words"]


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
        reserved = pattern_names()
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
        return count_matrix(indices, indptr, len(self.feature_names_))


# --------------------------------------------------------------------------- patterns
