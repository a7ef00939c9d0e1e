"""The lexicon block: counts of lexicon terms and categories, in the author's voice and inside quotations."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions
from ..lexicon._lexicon import (
    HARVESTED,
    LEXICON_NAMES,
    SPAN_TYPE_TO_LEXICON,
    Lexicon,
    LexiconEntry,
    LexiconMatcher,
    load_lexicon,
    load_topic_words,
    normalise_term,
)
from ._analysis import analyze, texts_of
from ._base import CsrParts, _NamedFeatures, count_parts, parts_matrix
from ._patterns import pattern_names

__all__ = ["LexiconFeatures", "is_function_words", "is_topic_term", "LoadedEvidence", "loaded_evidence",
           "admits_loaded_term", "labelled_sources", "HARVEST_ALPHA", "HARVEST_MIN_RATIO", "HARVEST_MIN_SOURCES"]

logger = logging.getLogger(__name__)

#: The ``transfer`` rule for harvested loaded terms (see :class:`LexiconFeatures`): one-sided significance level,
#: least smoothed ratio of the term's rate in loaded to its rate in other sentences, least number of sources.
HARVEST_ALPHA = 0.01
HARVEST_MIN_RATIO = 2.0
HARVEST_MIN_SOURCES = 2
#: The label that says whether a training sentence is loaded (the task of the ``loaded`` span type).
LOADED_LABEL = "loaded"


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


def _singulars(word: str) -> tuple[str, ...]:
    forms = [word]
    if word.endswith("es") and len(word) > 4:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    return tuple(forms)


def is_topic_term(term: str, topic_words: Iterable[str] | None = None) -> bool:
    """True when every content word of ``term`` is a topic word (``war``, ``strike``, ``left``), plurals included.

    Such a term names what a story is about, not how it is told: "the war",
    "strikes", "the left" are never harvested as loaded terms. A term with
    one content word that is not a topic word ("the radical left") is not a
    topic term. ``topic_words`` defaults to the bundled list
    (:func:`framing.lexicon._lexicon.load_topic_words`).

    Examples
    --------
    >>> is_topic_term("the war"), is_topic_term("strikes"), is_topic_term("the radical left"), is_topic_term("greedy")
    (True, True, False, False)
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    topics = load_topic_words() if topic_words is None else frozenset(topic_words)
    words = [word for word in normalise_term(term.replace("*", "")).split()
             if word not in ENGLISH_STOP_WORDS and len(word) >= 2]
    return bool(words) and all(any(form in topics for form in _singulars(word)) for word in words)


@dataclass(frozen=True)
class LoadedEvidence:
    """How often a candidate term occurs in the loaded and the other labelled sentences of the training data.

    ``loaded``/``other``: sentences containing the term; ``n_loaded``/``n_other``: all labelled sentences of
    each kind; ``sources``: distinct sources (outlets) among the loaded sentences containing the term.
    """

    loaded: int
    other: int
    n_loaded: int
    n_other: int
    sources: int

    @property
    def ratio(self) -> float:
        """The term's rate in loaded sentences over its rate in the others, with +0.5 / +1 smoothing."""
        return ((self.loaded + 0.5) / (self.n_loaded + 1)) / ((self.other + 0.5) / (self.n_other + 1))

    @property
    def p_value(self) -> float:
        """One-sided Fisher exact test that the term is more frequent in loaded sentences than in the others."""
        from scipy.stats import hypergeom

        if self.loaded == 0:
            return 1.0
        # P(X >= loaded) for X ~ the loaded sentences among the term's sentences under no association.
        return float(hypergeom.sf(self.loaded - 1, self.n_loaded + self.n_other, self.n_loaded, self.loaded + self.other))


def loaded_evidence(items: Sequence, terms: Sequence[str], label: str = LOADED_LABEL) -> list[LoadedEvidence]:
    """The :class:`LoadedEvidence` of each of ``terms`` in the labelled ``items`` (terms matched as the lexicon does).

    An item counts when ``item.labels[label]`` is a boolean; its source is
    ``item.source`` (the outlet; items without one share one unnamed source).

    Examples
    --------
    >>> from framing import LabeledSentence
    >>> items = [LabeledSentence("Greedy bosses won.", {"loaded": True}, source="a"),
    ...          LabeledSentence("The greedy ones.", {"loaded": True}, source="b"),
    ...          LabeledSentence("Bosses met.", {"loaded": False}, source="a")]
    >>> [(e.loaded, e.other, e.sources) for e in loaded_evidence(items, ["greedy", "bosses"])]
    [(2, 0, 2), (1, 1, 1)]
    """
    matcher = LexiconMatcher([LexiconEntry("loaded", term, HARVESTED) for term in terms])
    loaded = np.zeros(len(terms), dtype=np.int64)
    other = np.zeros(len(terms), dtype=np.int64)
    sources: list[set] = [set() for _ in terms]
    n_loaded = n_other = 0
    for item in items:
        value = (getattr(item, "labels", None) or {}).get(label)
        if not isinstance(value, (bool, np.bool_)):
            continue
        found = {index for index, _, _ in matcher.match(analyze(item.text).tokens)}
        if value:
            n_loaded += 1
            for index in found:
                loaded[index] += 1
                sources[index].add(getattr(item, "source", None))
        else:
            n_other += 1
            for index in found:
                other[index] += 1
    return [LoadedEvidence(int(loaded[i]), int(other[i]), n_loaded, n_other, len(sources[i])) for i in range(len(terms))]


def labelled_sources(items: Iterable, label: str = LOADED_LABEL) -> set:
    """The distinct ``source`` values (None included) of the items whose ``label`` is a boolean.

    Examples
    --------
    >>> from framing import LabeledSentence
    >>> sorted(labelled_sources([LabeledSentence("A.", {"loaded": True}, source="x"), "B.",
    ...                          LabeledSentence("C.", {"hedged": True}, source="y")]))
    ['x']
    """
    return {getattr(item, "source", None) for item in items
            if isinstance((getattr(item, "labels", None) or {}).get(label), (bool, np.bool_))}


def admits_loaded_term(evidence: LoadedEvidence, alpha: float = HARVEST_ALPHA, min_ratio: float = HARVEST_MIN_RATIO,
                       min_sources: int = HARVEST_MIN_SOURCES) -> bool:
    """The ``transfer`` rule's test of a (non-topic) candidate: loaded across sources, clearly and significantly.

    Examples
    --------
    >>> admits_loaded_term(LoadedEvidence(loaded=12, other=0, n_loaded=40, n_other=40, sources=2))
    True
    >>> admits_loaded_term(LoadedEvidence(loaded=12, other=0, n_loaded=40, n_other=40, sources=1))
    False
    >>> admits_loaded_term(LoadedEvidence(loaded=30, other=20, n_loaded=40, n_other=40, sources=5))
    False
    """
    return (evidence.sources >= min_sources and evidence.ratio >= min_ratio
            and evidence.p_value < alpha)


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
    harvest_rule : {"transfer", "count"}, default="transfer"
        Which harvested ``loaded`` terms are kept. ``"count"``: every span
        term seen ``harvest_min_count`` times (the rule of the other
        lexicons). ``"transfer"``: only terms loaded across sources (Notes).
    term_features : bool, default=True
        One column per term (``hedge:reportedly``) besides the per-category
        counts (``hedge[distancing]`` and ``hedge[distancing]@quote``).

    Notes
    -----
    The ``transfer`` rule (issue 19): annotators' biased words include the
    topic of the sentence ("war", "abortion") and one outlet's habits, which
    then fire on every article about that topic. A ``loaded`` span term seen
    ``harvest_min_count`` times in the spans of the fit data becomes a
    loaded cue only when, counted over the fit data's sentences that carry a
    boolean ``loaded`` label (terms matched as the lexicon matches them):

    1. it is not a topic term (:func:`is_topic_term`: every content word is
       in ``framing/lexicon/data/topic_words.tsv``, e.g. *war*, *state*,
       *industry*, *left*, *political*);
    2. it occurs in loaded sentences of at least ``HARVEST_MIN_SOURCES`` (2)
       sources (``item.source``, the outlet);
    3. its rate in loaded sentences is at least ``HARVEST_MIN_RATIO`` (2)
       times its rate in the other labelled sentences (+0.5 / +1 smoothing);
    4. a one-sided Fisher exact test of that excess (hypergeometric tail)
       gives p < ``HARVEST_ALPHA`` (0.01), uncorrected: 3. bounds the effect size.

    When the labelled sentences come from fewer than two sources (a user's
    own corpus of one outlet, or no ``loaded`` labels at all) transfer cannot
    be shown: the span terms are kept as under ``"count"``, topic terms
    still refused. With two or more sources but no labelled sentences of one
    kind, 3. and 4. fail and no loaded term is harvested.
    Like everything learned here, the counts come from the data passed to
    ``fit`` only, so in cross-validation from the training fold. Each kept
    term's note records its counts and p-value.

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
        "harvest_rule": [StrOptions({"transfer", "count"})],
        "term_features": ["boolean"],
    }

    def __init__(self, lexicon=None, lexicons=LEXICON_NAMES, harvest=True, harvest_min_count=1, harvest_rule="transfer",
                 term_features=True):
        self.lexicon = lexicon
        self.lexicons = lexicons
        self.harvest = harvest
        self.harvest_min_count = harvest_min_count
        self.harvest_rule = harvest_rule
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
            # A source span that swallowed its cue ("officials said") must not make "said" a source.
            cue_words = {entry.term for entry in base if entry.lexicon == "attribution" and " " not in entry.term}
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
                    if lexicon_name == "source" and cue_words.intersection(term.split()):
                        continue
                    if term and len(term.split()) <= 5 and (lexicon_name, term) not in known \
                            and not is_function_words(term):
                        counts[(lexicon_name, term)] += 1
            kept = {key: count for key, count in sorted(counts.items()) if count >= self.harvest_min_count}
            notes = {key: f"harvested from {count} training span(s)" for key, count in kept.items()}
            if self.harvest_rule == "transfer":
                notes = self._transfer_notes(items, kept, notes)
            harvested = [LexiconEntry(name, term, HARVESTED, notes[(name, term)]) for name, term in kept
                         if (name, term) in notes]
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

    @staticmethod
    def _transfer_notes(items, kept: dict[tuple[str, str], int], notes: dict[tuple[str, str], str]) -> dict:
        """``notes`` without the loaded candidates that fail the transfer rule; kept ones note their evidence."""
        candidates = [term for name, term in kept if name == "loaded"]
        if not candidates:
            return notes
        topics = load_topic_words()
        rejected = Counter()
        tested = [term for term in candidates if not is_topic_term(term, topics)]
        rejected["topic"] = len(candidates) - len(tested)
        notes = {key: note for key, note in notes.items() if key[0] != "loaded" or key[1] in tested}
        if len(labelled_sources(items)) < HARVEST_MIN_SOURCES:
            # Transfer across sources cannot be shown on one source: its span terms stay (topic terms aside).
            logger.info("loaded terms harvested: %d of %d candidates (%d topic terms; one source, no transfer test)",
                        len(tested), len(candidates), rejected["topic"])
            return notes
        notes = {key: note for key, note in notes.items() if key[0] != "loaded"}
        for term, evidence in zip(tested, loaded_evidence(items, tested) if tested else ()):
            if not admits_loaded_term(evidence):
                rejected["not loaded across sources"] += 1
                continue
            notes[("loaded", term)] = (
                f"harvested from {kept[('loaded', term)]} training span(s); in {evidence.loaded}/{evidence.n_loaded} "
                f"loaded vs {evidence.other}/{evidence.n_other} other training sentences, {evidence.sources} sources, "
                f"one-sided Fisher p={evidence.p_value:.2g}")
        logger.info("loaded terms harvested: %d of %d candidates (%d topic terms, %d not loaded across sources)",
                    len(candidates) - sum(rejected.values()), len(candidates), rejected["topic"],
                    rejected["not loaded across sources"])
        return notes

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
        return parts_matrix(self._csr_parts(texts_of(X)), len(self.feature_names_))

    def _csr_parts(self, texts: list[str]) -> CsrParts:
        """The rows of ``texts`` as :data:`~framing.features._base.CsrParts` (for a fitted block)."""
        _, plan = self._matcher()
        indptr = [0]
        indices: list[int] = []
        for text in texts:
            analysis = analyze(text)
            in_quote = analysis.in_quote
            for index, start, _ in self._match(analysis.tokens):
                author_column, quote_column, term_column = plan[index]
                indices.append(quote_column if in_quote[start] else author_column)
                if term_column is not None:
                    indices.append(term_column)
            indptr.append(len(indices))
        return count_parts(indices, indptr, len(self.feature_names_))


# --------------------------------------------------------------------------- patterns
