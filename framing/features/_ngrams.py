"""Word and character n-gram blocks: scikit-learn's ``TfidfVectorizer`` over framing's token analysis.

Both blocks are a ``TfidfVectorizer(analyzer=build_analyzer(), sublinear_tf=True)``
(smooth idf, l2-normalised rows) whose analyzer reads the shared
:func:`~framing.features.analyze` of each sentence, so the n-grams come from the
same tokens as every other block. Two choices are framing's own and kept on
purpose:

- ``max_features`` keeps the n-grams with the highest *document* frequency
  (ties by the n-gram), where ``TfidfVectorizer`` ranks by total term
  frequency; the shipped model was trained with this selection.
- the idf is ``ln((1 + n) / (1 + df)) + 1``, scikit-learn's smooth idf, computed
  with :func:`math.log` rather than ``np.log``: the two differ in the last bit
  for some arguments (and ``np.log`` differs across CPUs), and the shipped
  model's idf was computed with :func:`math.log`.

The learned state is ``vocabulary_`` (the sorted n-grams) and ``idf_``; the
fitted vectorizer is derived from them (and rebuilt after loading a model).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import repeat
from numbers import Integral
from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval
from ._analysis import Analysis, analyze, texts_of
from ._base import CsrParts, _NamedFeatures, check_ngram_range, count_parts, parts_matrix

__all__ = ["WordNgrams", "CharNgrams", "select_vocabulary", "smooth_idf"]


def select_vocabulary(grams: list[str], document_frequency: np.ndarray, max_features: int | None) -> np.ndarray:
    """Positions (sorted) of the ``max_features`` n-grams with the highest document frequency, ties by the n-gram.

    Examples
    --------
    >>> select_vocabulary(["a", "b", "c"], np.array([1, 3, 1]), 2).tolist()
    [0, 1]
    """
    if max_features is None or len(grams) <= max_features:
        return np.arange(len(grams))
    ranked = sorted(range(len(grams)), key=lambda k: (-int(document_frequency[k]), grams[k]))
    return np.sort(np.asarray(ranked[:max_features], dtype=np.intp))


def smooth_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """scikit-learn's smooth idf ``ln((1 + n) / (1 + df)) + 1``, with :func:`math.log` (see the module docstring).

    Examples
    --------
    >>> smooth_idf(np.array([1, 2]), 2).round(4).tolist()
    [1.4055, 1.0]
    """
    return np.asarray([math.log((1 + n_documents) / (1 + int(df))) + 1.0 for df in document_frequency], dtype=np.float64)


class _TfidfNgrams(_NamedFeatures):
    """TF-IDF over n-grams: a fitted ``TfidfVectorizer`` with a callable analyzer (see the module docstring)."""

    _prefix = ""

    _parameter_constraints: dict = {
        "ngram_range": [tuple, list],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
    }

    def _grams(self, analysis: Analysis) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def build_analyzer(self) -> Callable[[str], list[str]]:
        """The n-grams of one sentence, as this block counts them: the ``analyzer`` of its ``TfidfVectorizer``.

        Examples
        --------
        >>> WordNgrams().build_analyzer()("The Kyiv regime")
        ['the', 'kyiv', 'regime', 'the kyiv', 'kyiv regime']
        """
        check_ngram_range(self.ngram_range)
        grams = self._grams
        return lambda text: grams(analyze(text))

    def _check_params(self) -> None:
        super()._check_params()
        check_ngram_range(self.ngram_range)

    def _new_vectorizer(self, vocabulary: list[str] | None) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer=self.build_analyzer(), vocabulary=vocabulary, sublinear_tf=True,
                               smooth_idf=True, norm="l2", dtype=np.float64)

    def fit(self, X, y=None) -> _NamedFeatures:
        self._check_params()
        texts = texts_of(X)
        if not texts:
            raise ValueError(f"{type(self).__name__}.fit needs at least one sentence to learn a vocabulary from")
        self._clear_caches()
        counter = CountVectorizer(analyzer=self.build_analyzer(), min_df=self.min_df, binary=True, dtype=np.int64)
        try:
            occurs = counter.fit_transform(texts)
            grams = counter.get_feature_names_out().tolist()
        except ValueError:
            # CountVectorizer refuses an empty vocabulary (no n-gram reaches min_df): an empty block is fine here.
            occurs, grams = sp.csr_matrix((len(texts), 0), dtype=np.int64), []
        document_frequency = np.bincount(occurs.indices, minlength=len(grams))
        kept = select_vocabulary(grams, document_frequency, self.max_features)
        self.vocabulary_ = [grams[k] for k in kept]
        self.idf_ = smooth_idf(document_frequency[kept], len(texts))
        self.feature_names_ = [f"{self._prefix}:{g}" for g in self.vocabulary_]
        self.n_features_in_ = 1
        self._clear_caches()
        return self

    def _clear_caches(self) -> None:
        for key in ("_vocabulary", "_vectorizer", "_token_cache", "_column_cache"):
            self.__dict__.pop(key, None)

    def vocabulary_index(self) -> dict[str, int]:
        """``{n-gram: column}`` of the fitted vocabulary."""
        cached = self.__dict__.get("_vocabulary")
        if cached is None or len(cached) != len(self.vocabulary_):
            cached = {gram: index for index, gram in enumerate(self.vocabulary_)}
            self.__dict__["_vocabulary"] = cached
        return cached

    def vectorizer(self) -> TfidfVectorizer:
        """The fitted ``TfidfVectorizer`` this block is: its vocabulary and idf are ``vocabulary_`` and ``idf_``.

        Examples
        --------
        >>> f = WordNgrams().fit(["The Kyiv regime fell.", "Talks began."])
        >>> (f.vectorizer().transform(["Talks fell."]) != f.transform(["Talks fell."])).nnz
        0
        """
        # Derived from the learned state (so rebuilt after a model is loaded), not itself learned state.
        check_is_fitted(self, "vocabulary_")
        if not self.vocabulary_:
            raise ValueError(f"{type(self).__name__} learned no n-gram (none reached min_df={self.min_df})")
        cached = self.__dict__.get("_vectorizer")
        if cached is None or cached[0] is not self.vocabulary_ or cached[1] is not self.idf_:
            vectorizer = self._new_vectorizer(self.vocabulary_)
            vectorizer.idf_ = self.idf_
            cached = self.__dict__["_vectorizer"] = (self.vocabulary_, self.idf_, vectorizer)
        return cached[2]

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        matrix = parts_matrix(self._csr_parts(texts_of(X)), len(self.vocabulary_))
        if self.vocabulary_ and get_config().get("sparse_interface", "spmatrix") != "spmatrix":
            return sp.csr_array(matrix)  # what the vectorizer returns under scikit-learn's sparse_interface setting
        return matrix

    def _csr_parts(self, texts: list[str]) -> CsrParts:
        """The rows of ``texts`` as :data:`~framing.features._base.CsrParts` (for a fitted block).

        The vectorizer's matrix: its counts (each n-gram's column counted here, without the vectorizer's
        per-sentence machinery) weighted as its ``TfidfTransformer`` weights them, operation by operation
        (``ln(tf) + 1``, times the idf, each row divided by its l2 norm), without that call's validation.
        """
        if not self.vocabulary_:
            return np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int32), np.zeros(len(texts) + 1, dtype=np.int32)
        n_columns = len(self.vocabulary_)
        if not texts:
            # The vectorizer's weighting refuses a matrix without rows (and says so): so does this block.
            weighting = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2")
            weighting.idf_ = self.idf_
            empty = weighting.transform(parts_matrix(count_parts([], [0], n_columns), n_columns), copy=False)
            return empty.data, empty.indices, empty.indptr
        data, indices, indptr = count_parts(*self._counts(texts), n_columns)
        np.log(data, data)
        data += 1.0
        data *= self.idf_[indices]
        inplace_csr_row_normalize_l2(SimpleNamespace(data=data, indices=indices, indptr=indptr,
                                                     shape=(len(texts), n_columns)))
        return data, indices, indptr

    def _counts(self, texts: list[str]) -> tuple[list[int], list[int]]:  # pragma: no cover - abstract
        """One column index per n-gram occurrence in the vocabulary, and the row bounds (``indptr``)."""
        raise NotImplementedError


class WordNgrams(_TfidfNgrams):
    """Word n-grams of the normalised tokens (``word:kyiv regime``).

    Parameters
    ----------
    ngram_range : (int, int), default=(1, 2)
        Shortest and longest n-gram, in tokens.
    min_df : int, default=1
        Sentences an n-gram must occur in to be kept.
    max_features : int, optional
        Keep this many n-grams, those in most sentences (ties by the n-gram).

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
        grams: list[str] = []
        for n in range(low, high + 1):
            # The n-gram at i joins tokens[i:i + n]: zip the n shifted views of the tokens.
            grams.extend(tokens if n == 1 else map(" ".join, zip(*(tokens[k:] for k in range(n)))))
        return grams

    def _counts(self, texts: list[str]) -> tuple[list[int], list[int]]:
        # Each n-gram's column, or -1 outside the vocabulary (count_parts skips those).
        lookup = self.vocabulary_index().get
        grams = self._grams
        indptr = [0]
        indices: list[int] = []
        for text in texts:
            row = grams(analyze(text))
            indices.extend(map(lookup, row, repeat(-1, len(row))))
            indptr.append(len(indices))
        return indices, indptr


class CharNgrams(_TfidfNgrams):
    """Character n-grams inside word boundaries (``char: reg``), like ``analyzer='char_wb'``.

    Each distinct token's n-grams are computed once and cached, so the
    analyzer costs one dictionary lookup per token rather than one string
    slice per n-gram.

    Parameters
    ----------
    ngram_range : (int, int), default=(3, 5)
        Shortest and longest n-gram, in characters of the space-padded token.
    min_df : int, default=2
        Sentences an n-gram must occur in to be kept.
    max_features : int, optional
        Keep this many n-grams, those in most sentences (ties by the n-gram).

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
        # The per-token cache: a sentence's n-grams are those of its tokens, each computed once.
        cache = self.__dict__.get("_token_cache")
        if cache is None or len(cache) > self._CACHE_LIMIT:
            cache = {}
            self.__dict__["_token_cache"] = cache
        grams: list[str] = []
        for token in analysis.tokens:
            token_grams = cache.get(token)
            if token_grams is None:
                token_grams = cache[token] = self._token_grams(token)
            grams.extend(token_grams)
        return grams

    def _counts(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        # The vectorizer's counting looks up every n-gram (about 6x slower on this block); counting through
        # each distinct token's cached columns gives the same counts.
        cache = self.__dict__.get("_column_cache")
        if cache is None or len(cache) > self._CACHE_LIMIT:
            cache = self.__dict__["_column_cache"] = {}
        vocabulary = self.vocabulary_index()
        indptr = [0]
        rows: list[bytes] = []
        for text in texts:
            tokens = analyze(text).tokens
            if not all(map(cache.__contains__, tokens)):
                for token in tokens:
                    if token not in cache:
                        cache[token] = np.asarray([vocabulary[g] for g in self._token_grams(token) if g in vocabulary],
                                                  dtype=np.int32).tobytes()
            # Each distinct token's columns as the bytes of 32-bit integers: a row is one join of them, and
            # the block one array over the joined rows, without a Python int per n-gram occurrence.
            row = b"".join(map(cache.__getitem__, tokens))
            rows.append(row)
            indptr.append(indptr[-1] + len(row) // 4)
        return np.frombuffer(b"".join(rows), dtype=np.int32), indptr
