"""What every feature block shares: string-input tags, named columns, count matrices, parameter checks."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

__all__ = ["StringInputMixin", "check_ngram_range", "count_matrix", "count_parts", "dense_parts", "parts_matrix",
           "CsrParts"]

#: A block's rows as the arrays of a canonical CSR matrix: ``(data, indices, indptr)`` (float64, int32, int32),
#: each row's columns sorted and distinct. What :func:`framing.features.transform_union` stacks.
CsrParts = tuple[np.ndarray, np.ndarray, np.ndarray]


def count_parts(indices, indptr, n_columns: int) -> CsrParts:
    """CSR counts from one column index per occurrence (``indptr`` delimits the rows), as :data:`CsrParts`.

    The arrays of :func:`count_matrix`, without building a matrix: one sort of the
    (row, column) keys, in numpy, sums the repeats and orders each row's columns.
    ``indices`` may be a list or an integer array; a negative index (an n-gram
    outside the vocabulary) counts nowhere.

    Examples
    --------
    >>> data, indices, indptr = count_parts([3, 1, -1, 3, 0], [0, 4, 4, 5], 5)
    >>> data.tolist(), indices.tolist(), indptr.tolist()
    ([1.0, 2.0, 1.0], [1, 3, 0], [0, 2, 2, 3])
    """
    n_rows = len(indptr) - 1
    # 32-bit keys where row * n_columns + column fits: they sort about twice as fast.
    key_type = np.int32 if n_rows * max(n_columns, 1) <= np.iinfo(np.int32).max else np.int64
    columns = np.asarray(indices, dtype=key_type)
    rows = np.repeat(np.arange(n_rows, dtype=key_type), np.diff(np.asarray(indptr, dtype=np.int64)))
    inside = columns >= 0
    if not inside.all():
        rows, columns = rows[inside], columns[inside]
    keys, counts = np.unique(rows * n_columns + columns, return_counts=True)
    key_rows = keys // n_columns if n_columns else keys
    out_indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(key_rows, minlength=n_rows), out=out_indptr[1:])
    return counts.astype(np.float64), (keys - key_rows * n_columns).astype(np.int32), out_indptr


def dense_parts(rows: list[list[float]], n_columns: int) -> CsrParts:
    """The non-zero entries of dense rows, as :data:`CsrParts` (what ``scipy.sparse.csr_matrix(dense)`` keeps).

    Examples
    --------
    >>> data, indices, indptr = dense_parts([[0.0, 2.0], [0.0, 0.0], [1.0, 0.5]], 2)
    >>> data.tolist(), indices.tolist(), indptr.tolist()
    ([2.0, 1.0, 0.5], [1, 0, 1], [0, 1, 1, 3])
    """
    dense = np.asarray(rows, dtype=np.float64).reshape(len(rows), n_columns)
    nonzero_rows, columns = np.nonzero(dense)
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(np.bincount(nonzero_rows, minlength=len(rows)), out=indptr[1:])
    return dense[nonzero_rows, columns], columns.astype(np.int32), indptr


def parts_matrix(parts: CsrParts, n_columns: int) -> sp.csr_matrix:
    """The ``csr_matrix`` of :data:`CsrParts` with ``n_columns`` columns."""
    data, indices, indptr = parts
    return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_columns))


def count_matrix(indices: list[int], indptr: list[int], n_columns: int) -> sp.csr_matrix:
    """CSR counts from one column index per occurrence (``indptr`` delimits the rows).

    scipy sums the repeats into counts, and sorts each row's columns, in C.
    """
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, n_columns),
    )
    matrix.sum_duplicates()
    return matrix


def check_ngram_range(value: Any, name: str = "ngram_range") -> tuple[int, int]:
    """``value`` as ``(low, high)`` when it is a pair of integers with ``1 <= low <= high``; else ValueError naming ``name``.

    The one check of an n-gram range: the n-gram blocks and
    :class:`framing.FramingClassifier` (``word_ngram_range``, ``char_ngram_range``) use it.

    Examples
    --------
    >>> check_ngram_range([1, 2])
    (1, 2)
    >>> check_ngram_range((3, 2), "char_ngram_range")
    Traceback (most recent call last):
    ...
    ValueError: char_ngram_range must be a pair (low, high) of integers with 1 <= low <= high, got (3, 2)
    """
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
            or not 1 <= value[0] <= value[1]):
        raise ValueError(f"{name} must be a pair (low, high) of integers with 1 <= low <= high, got {value!r}")
    return int(value[0]), int(value[1])


class StringInputMixin:
    """scikit-learn tags of an estimator whose input is a sequence of sentences, not a 2-D array."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


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
        for key in ("_columns", "_matcher_cache", "_token_cache", "_column_cache", "_vocabulary", "_vectorizer"):
            state.pop(key, None)
        return state
