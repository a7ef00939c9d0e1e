"""A linear token tagger for attribution spans: source, cue and reported content.

Each token gets a fixed set of categorical features (the word and its
neighbours, word shape, cue-lexicon membership, quotation, where the nearest
cue candidate is; see :mod:`._features`); a scikit-learn linear model learns
one weight per feature and tag. A second linear pass reads the first pass's
tags around each token (a source next to a tagged cue, content after it), so
that the spans hang together. Inference is plain numpy: every feature is an
index into the stored weight table, so a token's scores are a sum of rows.
Spans are maximal runs of one tag.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from numbers import Integral, Real

import numpy as np

from ..text import normalise_token, token_spans
from ._features import CUE_CATEGORIES, Tokens, stacked_features, stacked_sizes, template_sizes, token_features
from ._types import SPAN_KINDS, TAGS

logger = logging.getLogger(__name__)

__all__ = ["SpanTagger", "cue_lexicon"]

_TAG_INDEX = {"source": 1, "cue": 2, "content": 3}
#: When spans of two kinds cover a token, the more specific one labels it.
_PRIORITY = {"cue": 3, "source": 2, "content": 1}


def cue_lexicon() -> tuple[list[str], list[str]]:
    """``(terms, categories)`` of the bundled attribution and source lexicons the tagger reads.

    Examples
    --------
    >>> terms, categories = cue_lexicon()
    >>> categories[terms.index("said")], categories[terms.index("according to")]
    ('speech_cue', 'according_to')
    """
    from ..lexicon import load_lexicon

    terms, categories = [], []
    for entry in load_lexicon():
        if entry.lexicon == "attribution" and entry.category in CUE_CATEGORIES:
            category = entry.category
        elif entry.lexicon == "source":
            category = "anonymity_marker" if entry.category == "anonymity_marker" else "vague_source"
        elif entry.lexicon == "org":
            category = "organisation"
        else:
            continue
        if entry.term.endswith("*"):
            continue
        terms.append(entry.term)
        categories.append(category)
    return terms, categories


class SpanTagger:
    """A linear tagger of attribution spans over the tags ``O``, ``SOURCE``, ``CUE`` and ``CONTENT``.

    Parameters
    ----------
    window : int, default=2
        Neighbouring words on each side that are features of a token.
    alpha : float, default=2e-6
        L2 penalty of the :class:`~sklearn.linear_model.SGDClassifier` that learns the weights.
    random_state : int, default=0
        Seed of the training shuffle.
    max_words : int, default=4000
        Most frequent training words given their own features (the others share one).
    epochs : int, default=8
        Passes over the training tokens.

    Attributes
    ----------
    vocabulary_, bigrams_, suffixes_ : list of str
        Words, word pairs (``"a b"``) and three-letter endings with features.
    cue_terms_, cue_categories_ : list of str
        The cue and source lexicon terms read at fit, and their categories.
    learned_cues_ : list of str
        Words tagged CUE in most of their training occurrences.
    sizes_ : ndarray of int
        Size of each feature template (their order fixes the columns of ``coef_``).
    coef_ : ndarray of int8, shape (n_features, 4)
        The first pass's weights, quantised; ``coef_ * scale_`` are the learned ones.
    scale_, intercept_ : ndarray of float
        Per tag.
    coef2_, scale2_, intercept2_ : ndarray
        The same for the second pass (templates of :func:`._features.stacked_sizes`).

    Examples
    --------
    >>> texts = ["Officials said the plan failed.", "The plan failed.", "He said it worked."] * 20
    >>> spans = [[(0, 9, "source"), (10, 14, "cue"), (15, 30, "content")], [], [(0, 2, "source"), (3, 7, "cue"),
    ...          (8, 17, "content")]] * 20
    >>> tagger = SpanTagger().fit(texts, spans)
    >>> [(kind, start, end) for kind, start, end, _ in tagger.tag("Critics said the plan failed.")]
    [('source', 0, 7), ('cue', 8, 12), ('content', 13, 28)]
    """

    def __init__(self, *, window=2, alpha=2e-6, random_state=0, max_words=4000, epochs=8):
        self.window = window
        self.alpha = alpha
        self.random_state = random_state
        self.max_words = max_words
        self.epochs = epochs

    # ------------------------------------------------------------------ parameters and state

    def _check_params(self) -> None:
        for name, low in (("window", 0), ("max_words", 1), ("epochs", 1)):
            value = getattr(self, name)
            if not isinstance(value, Integral) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        if not isinstance(self.alpha, Real) or isinstance(self.alpha, bool) or not self.alpha > 0:
            raise ValueError(f"alpha must be a positive number, got {self.alpha!r}")

    def get_params(self) -> dict:
        """The constructor parameters."""
        return {"window": self.window, "alpha": self.alpha, "random_state": self.random_state,
                "max_words": self.max_words, "epochs": self.epochs}

    #: The learned attributes, which are all the state a tagger needs (see :meth:`state`).
    STATE = ("vocabulary_", "bigrams_", "suffixes_", "cue_terms_", "cue_categories_", "learned_cues_", "sizes_",
             "coef_", "scale_", "intercept_", "coef2_", "scale2_", "intercept2_")
    _ARRAYS = frozenset({"sizes_", "coef_", "scale_", "intercept_", "coef2_", "scale2_", "intercept2_"})

    def state(self) -> dict:
        """The learned attributes by name (numpy arrays and lists of str only)."""
        return {name: getattr(self, name) for name in self.STATE}

    @classmethod
    def from_state(cls, state: dict, **params) -> SpanTagger:
        """A tagger with ``params`` and the learned ``state`` of :meth:`state` (tags exactly as the original)."""
        tagger = cls(**params)
        for name in cls.STATE:
            value = state[name]
            if name in cls._ARRAYS:
                value = np.asarray(value)
            else:
                value = [str(item) for item in value]
            setattr(tagger, name, value)
        return tagger

    def _tables(self) -> dict:
        """Lookup dictionaries and template offsets derived from the learned state (built once per object)."""
        cached = self.__dict__.get("_lookup")
        if cached is not None:
            return cached
        sizes = np.asarray(self.sizes_, dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        single: dict[str, int] = {}
        multi: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for term, category in zip(self.cue_terms_, self.cue_categories_):
            code = CUE_CATEGORIES.index(category) + 1
            words = tuple(term.split())
            if len(words) == 1:
                # A cue category wins over a source one ("reports" is both).
                if words[0] not in single or code < single[words[0]]:
                    single[words[0]] = code
            else:
                multi.setdefault(words[0], []).append((words, code))
        for word in self.learned_cues_:
            single.setdefault(word, len(CUE_CATEGORIES))
        words = {word: index for index, word in enumerate(self.vocabulary_)}
        n_words = len(words) + 2
        pairs = [(words[a] * n_words + words[b], index) for index, (a, b) in
                 enumerate(pair.split(" ", 1) for pair in self.bigrams_)]
        pairs.sort()
        # One row per tag (the last column, the null feature, is zero): np.take over a contiguous row is the
        # fastest gather numpy has for this.
        weights = np.zeros((len(TAGS), int(offsets[-1]) + 1))
        if int(offsets[-1]):
            weights[:, :-1] = (np.asarray(self.coef_, dtype=np.float64) * np.asarray(self.scale_, dtype=np.float64)).T
        cached = {
            "words": words,
            "suffixes": {suffix: index for index, suffix in enumerate(self.suffixes_)},
            "bigram_keys": np.asarray([key for key, _ in pairs], dtype=np.int64),
            "bigram_ids": np.asarray([index for _, index in pairs], dtype=np.int64),
            "single": single,
            "multi": {first: sorted(entries, key=lambda e: -len(e[0])) for first, entries in multi.items()},
            "sizes": sizes,
            "offsets": offsets,
            "null": int(offsets[-1]),
            "weights": weights,
            "intercept": np.asarray(self.intercept_, dtype=np.float64),
            "weights2": np.ascontiguousarray((np.asarray(self.coef2_, dtype=np.float64)
                                              * np.asarray(self.scale2_, dtype=np.float64)).T),
            "intercept2": np.asarray(self.intercept2_, dtype=np.float64),
            "offsets2": np.concatenate([[0], np.cumsum(stacked_sizes())]),
            "shape_column": 2 * self.window + 1 + 3 + 2,
            "multi_seconds": {first: frozenset(words[1] for words, _ in entries) for first, entries in multi.items()},
            "second_words": frozenset(words[1] for entries in multi.values() for words, _ in entries),
            "cache": {},
            "normal": {},
        }
        self.__dict__["_lookup"] = cached
        return cached

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_lookup", None)
        return state

    def _features(self, texts, quoted, tables):
        return token_features(texts, quoted, tables, self.window)

    # ------------------------------------------------------------------ training

    def fit(self, texts: Sequence[str], spans: Iterable[Iterable[tuple[int, int, str]]],
            quoted: Sequence[Sequence[tuple[int, int]]] | None = None) -> SpanTagger:
        """Learn the weights from texts and their labelled spans.

        Parameters
        ----------
        texts : sequence of str
        spans : iterable of iterables of (start, end, kind)
            ``spans[i]`` are character offsets into ``texts[i]`` with ``kind``
            in ``"source"``, ``"cue"``, ``"content"``. A token is labelled by
            the span it overlaps (a cue over a source over content).
        quoted : sequence of sequences of (int, int), optional
            The quotation spans of each text when known from its article;
            otherwise found in the text itself.

        Returns
        -------
        SpanTagger
        """
        from collections import Counter

        self._check_params()
        texts = list(texts)
        spans = [list(item) for item in spans]
        if len(spans) != len(texts):
            raise ValueError(f"fit got {len(texts)} texts and {len(spans)} span lists")
        for item in spans:
            for _, _, kind in item:
                if kind not in SPAN_KINDS:
                    raise ValueError(f"span kind must be one of {SPAN_KINDS}, got {kind!r}")
        labels: list[int] = []
        word_counts: Counter = Counter()
        bigram_counts: Counter = Counter()
        suffix_counts: Counter = Counter()
        cue_counts: Counter = Counter()
        for text, item in zip(texts, spans):
            token_list = token_spans(text)
            normal = [normalise_token(text[s:e]) for s, e in token_list]
            word_counts.update(normal)
            bigram_counts.update(zip(normal[:-1], normal[1:]))
            suffix_counts.update(token[-3:] for token in normal if len(token) > 4)
            for (s, e), token in zip(token_list, normal):
                best, rank = 0, 0
                for start, end, kind in item:
                    if start < e and s < end and _PRIORITY[kind] > rank:
                        best, rank = _TAG_INDEX[kind], _PRIORITY[kind]
                labels.append(best)
                if best == _TAG_INDEX["cue"]:
                    cue_counts[token] += 1
        self.vocabulary_ = [word for word, _ in sorted(word_counts.items(), key=lambda kv: (-kv[1], kv[0]))
                            [: self.max_words] if word_counts[word] >= 2]
        known = set(self.vocabulary_)
        pairs = sorted(((pair, count) for pair, count in bigram_counts.items()
                        if count >= 3 and pair[0] in known and pair[1] in known), key=lambda kv: (-kv[1], kv[0]))
        self.bigrams_ = [f"{a} {b}" for (a, b), _ in pairs[: max(self.max_words // 2, 1)]]
        self.suffixes_ = [s for s, count in sorted(suffix_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:500]
                          if count >= 3]
        self.cue_terms_, self.cue_categories_ = cue_lexicon()
        self.learned_cues_ = sorted(word for word, count in cue_counts.items()
                                    if count >= 5 and count >= 0.5 * word_counts[word] and word[:1].isalpha())
        self.sizes_ = np.asarray(template_sizes(self.window, len(self.vocabulary_), len(self.bigrams_),
                                                len(self.suffixes_)), dtype=np.int64)
        n_features = int(self.sizes_.sum())
        n_stacked = int(sum(stacked_sizes()))
        self.coef_ = np.zeros((n_features, len(TAGS)), dtype=np.int8)
        self.coef2_ = np.zeros((n_stacked, len(TAGS)), dtype=np.int8)
        self.scale_, self.scale2_ = np.ones(len(TAGS)), np.ones(len(TAGS))
        self.intercept_, self.intercept2_ = np.zeros(len(TAGS)), np.zeros(len(TAGS))
        self.__dict__.pop("_lookup", None)
        tokens, matrix = self._features(texts, quoted, self._tables())
        y = np.asarray(labels, dtype=np.int64)
        self.coef_, self.scale_, self.intercept_ = self._fit_linear(matrix, n_features, y)
        self.__dict__.pop("_lookup", None)
        # The second pass learns from the first pass's own predictions on the training texts: the first pass
        # fits its training data little better than new data (a linear model over local features), so these
        # are close to what it predicts at inference.
        tables = self._tables()
        first = self._first_pass(matrix, tables)
        stacked = self._stacked(first, tokens, matrix, tables)
        self.coef2_, self.scale2_, self.intercept2_ = self._fit_linear(stacked, n_stacked, y)
        self.__dict__.pop("_lookup", None)
        logger.info("span tagger: %d tokens, %d + %d features, %d learned cues", len(y), n_features, n_stacked,
                    len(self.learned_cues_))
        return self

    def _fit_linear(self, matrix: np.ndarray, n_features: int, y: np.ndarray):
        """Quantised ``(coef, scale, intercept)`` of the linear model learned on one-hot ``matrix`` columns."""
        import scipy.sparse as sp

        present = matrix < n_features  # the null index marks a template without a value for the token
        X = sp.csr_matrix((np.ones(int(present.sum())), matrix[present],
                           np.concatenate([[0], np.cumsum(present.sum(axis=1))])), shape=(matrix.shape[0], n_features))
        model = self._linear_model()
        model.fit(X, y)
        coef = np.zeros((len(TAGS), n_features))
        intercept = np.full(len(TAGS), -30.0)  # a tag never seen in training is never predicted
        for row, tag in enumerate(model.classes_):
            coef[int(tag)] = model.coef_[row]
            intercept[int(tag)] = model.intercept_[row]
        # One byte per weight: the tagger must add little to a model folder.
        scale = np.maximum(np.abs(coef).max(axis=1), 1e-12) / 127.0
        return np.round(coef.T / scale).astype(np.int8), scale, intercept

    def _linear_model(self):
        from sklearn.linear_model import SGDClassifier

        return SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=self.epochs, tol=None,
                             random_state=self.random_state, average=True)

    # ------------------------------------------------------------------ inference

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ValueError("this SpanTagger is not fitted yet: call fit() first")

    @staticmethod
    def _probability(scores: np.ndarray) -> np.ndarray:
        # One-vs-rest logistic scores, normalised as scikit-learn's SGDClassifier.predict_proba does.
        probability = 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
        probability /= np.maximum(probability.sum(axis=1, keepdims=True), 1e-12)
        return probability

    @staticmethod
    def _linear(weights: np.ndarray, matrix: np.ndarray, intercept: np.ndarray) -> np.ndarray:
        """Scores (tokens x tags): the weights of each token's feature columns summed, plus the intercept."""
        # One gather for all tags; each (tag, token) sum runs over its own contiguous row, as one take per tag did.
        return np.ascontiguousarray(np.take(weights, matrix, axis=1).sum(axis=2).T) + intercept

    def _first_pass(self, matrix: np.ndarray, tables: dict) -> np.ndarray:
        return self._probability(self._linear(tables["weights"], matrix, tables["intercept"]))

    @staticmethod
    def _stacked(first: np.ndarray, tokens: Tokens, matrix: np.ndarray, tables: dict) -> np.ndarray:
        counts = tokens.counts
        column = tables["shape_column"]
        shape = matrix[:, column] - tables["offsets"][column]
        return stacked_features(first, counts, shape, tables["offsets2"])

    def _scores(self, texts: Sequence[str], quoted) -> tuple[Tokens, np.ndarray]:
        """The tokens of the texts and the (second-pass) tag probabilities of all of them, stacked."""
        self._check_fitted()
        tables = self._tables()
        tokens, matrix = self._features(texts, quoted, tables)
        if not len(matrix):
            return tokens, np.zeros((0, len(TAGS)))
        first = self._first_pass(matrix, tables)
        stacked = self._stacked(first, tokens, matrix, tables)
        return tokens, self._probability(self._linear(tables["weights2"], stacked, tables["intercept2"]))

    def probabilities(self, texts: Sequence[str], quoted: Sequence[Sequence[tuple[int, int]]] | None = None
                      ) -> tuple[list[list[tuple[int, int]]], list[np.ndarray]]:
        """Token spans and per-token tag probabilities (rows in :data:`TAGS` order) of each text."""
        tokens, probability = self._scores(texts, quoted)
        bounds = np.concatenate([[0], np.cumsum(tokens.counts)])
        return tokens.of_text(), [probability[bounds[i]:bounds[i + 1]] for i in range(len(texts))]

    def tag_many(self, texts: Sequence[str], quoted: Sequence[Sequence[tuple[int, int]]] | None = None
                 ) -> list[list[tuple[str, int, int, float]]]:
        """:meth:`tag` of each text, in one pass (the way an article's units are tagged)."""
        tokens, probability = self._scores(texts, quoted)
        out: list[list[tuple[str, int, int, float]]] = [[] for _ in texts]
        n = len(probability)
        if not n:
            return out
        which = np.repeat(np.arange(len(texts)), tokens.counts)
        best = probability.argmax(axis=1)
        change = np.ones(n, dtype=bool)
        change[1:] = (best[1:] != best[:-1]) | (which[1:] != which[:-1])
        starts = np.flatnonzero(change & (best > 0))
        if not len(starts):
            return out
        boundary = np.flatnonzero(change)
        ends = np.append(boundary[1:], n)[np.searchsorted(boundary, starts)]
        chosen = np.zeros(n + 1)
        np.cumsum(probability[np.arange(n), best], out=chosen[1:])
        text_of_run = which[starts]
        base = np.asarray(tokens.bases, dtype=np.int64)[text_of_run]
        kinds = [SPAN_KINDS[tag - 1] for tag in best[starts].tolist()]
        for kind, number, start, end, total, size in zip(kinds, text_of_run.tolist(),
                                                         (tokens.spans[starts, 0] - base).tolist(),
                                                         (tokens.spans[ends - 1, 1] - base).tolist(),
                                                         (chosen[ends] - chosen[starts]).tolist(), (ends - starts).tolist()):
            out[number].append((kind, start, end, total / size))
        return out

    def tag(self, text: str, quoted: Sequence[tuple[int, int]] | None = None) -> list[tuple[str, int, int, float]]:
        """The spans of ``text``: ``(kind, start, end, mean probability)``, maximal runs of one tag.

        Parameters
        ----------
        text : str
        quoted : sequence of (int, int), optional
            Quotation spans of ``text`` known from its article (else found in the text).
        """
        return self.tag_many([text], None if quoted is None else [quoted])[0]

