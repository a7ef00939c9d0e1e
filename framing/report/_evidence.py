"""Evidence arrays: the features that raised each row's class most, for a linear model.

For a linear model a feature's contribution to a class is coefficient x value
(relative to the other classes, see :func:`framing.model.relative_coef`), so
the evidence behind a score is exact. These functions only read a feature
matrix and a coefficient matrix; they never call a model. The model calls
them chunk by chunk while it scores an article (:meth:`framing.Model.score`)
and hands the report the finished arrays; reports themselves never see a
feature matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["top_contributions", "top_contribution_arrays", "stacked_top_contribution_arrays", "top_positive_arrays",
           "contribution_list", "row_entries", "ranked_features", "TermTotals", "LazyMapping"]


def top_contributions(X, relative: np.ndarray, class_per_row: np.ndarray, top: int,
                      feature_names: Sequence[str]) -> list[list[tuple[str, float]]]:
    """Each row's ``top`` positive contributions to its class ``class_per_row[row]``, for all rows at once.

    ``X`` is CSR; ``relative`` is :func:`relative_coef`. One gather and
    ``top`` vectorised arg-max rounds over the stored values; ties keep column order.
    """
    columns, values = top_contribution_arrays(X, relative, class_per_row, top)
    names = np.asarray(feature_names, dtype=object)
    return [contribution_list(row_columns, row_values, names)
            for row_columns, row_values in zip(columns.tolist(), values.tolist())]


def contribution_list(columns: Sequence[int], values: Sequence[float], feature_names) -> list[tuple[str, float]]:
    """One row of :func:`top_contribution_arrays` as ``[(feature name, contribution), ...]`` (padding dropped)."""
    return [(str(feature_names[c]), v) for c, v in zip(columns, values) if c >= 0]


def top_contribution_arrays(X, relative: np.ndarray, class_per_row: np.ndarray,
                            top: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_contributions` as arrays: ``(columns, values)``, each ``(n_rows, top)``, largest first.

    Columns are -1 (and values 0) where a row has fewer than ``top`` positive contributions.
    """
    X = sp.csr_matrix(X)
    n_rows = X.shape[0]
    width = max(int(top), 0)
    columns = np.full((n_rows, width), -1, dtype=np.int64)
    values = np.zeros((n_rows, width))
    if width == 0 or X.nnz == 0:
        return columns, values
    rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
    # A flat take is about twice as fast as the (class, column) fancy index, and gives the same values.
    relative = np.ascontiguousarray(relative)
    contribution = relative.ravel().take(np.asarray(class_per_row, dtype=np.intp)[rows] * relative.shape[1]
                                         + X.indices) * X.data
    # Only positive contributions can rank: the arg-max rounds run over those alone (in the same order).
    positions, values = top_positive_arrays(contribution, rows, n_rows, width)
    columns[positions >= 0] = X.indices[positions[positions >= 0]]
    return columns, values


#: Tasks x stored entries above which :func:`stacked_top_contribution_arrays` works in blocks of rows (each
#: working array of that many entries is 8 MB).
STACKED_ENTRIES = 1_000_000


def stacked_top_contribution_arrays(X, stacked: np.ndarray, row_of_class: Sequence[np.ndarray],
                                    top: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_contribution_arrays` of several tasks at once, each ``(n_tasks, n_rows, top)``.

    ``stacked`` holds every task's relative coefficients, one row per class
    (``np.vstack`` of the tasks' :func:`relative_coef`), and ``row_of_class[t][i]``
    is the row of ``stacked`` of task ``t``'s class for feature row ``i``. The
    result of task ``t`` is that of ``top_contribution_arrays(X, relative_t, class_t, top)``:
    the same products and the same ranking, in one gather for all tasks.
    """
    X = sp.csr_matrix(X)
    n_rows, n_tasks = X.shape[0], len(row_of_class)
    if n_tasks * X.nnz > STACKED_ENTRIES and n_rows > 1:
        # Rows are ranked independently: a large chunk is done in blocks of rows, so that the working arrays
        # (several of n_tasks x stored entries) stay small whatever the chunk.
        rows_per_block = max(1, n_rows * STACKED_ENTRIES // (n_tasks * X.nnz))
        blocks = [stacked_top_contribution_arrays(X[start:start + rows_per_block], stacked,
                                                  [np.asarray(classes)[start:start + rows_per_block] for classes in row_of_class], top)
                  for start in range(0, n_rows, rows_per_block)]
        return np.concatenate([b[0] for b in blocks], axis=1), np.concatenate([b[1] for b in blocks], axis=1)
    width = max(int(top), 0)
    columns = np.full((n_tasks * n_rows, width), -1, dtype=np.int64)
    values = np.zeros((n_tasks * n_rows, width))
    if width == 0 or X.nnz == 0 or n_tasks == 0:
        return columns.reshape(n_tasks, n_rows, width), values.reshape(n_tasks, n_rows, width)
    rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
    stacked = np.ascontiguousarray(stacked)
    # Flat positions of (class row, column) for every task and stored entry, in one fancy index of the
    # class rows; the product broadcasts the entries' values over the tasks (what np.tile would repeat).
    class_rows = np.stack([np.asarray(classes, dtype=np.intp) for classes in row_of_class]) * stacked.shape[1]
    at = np.repeat(class_rows, np.diff(X.indptr), axis=1) + X.indices
    contribution = (stacked.ravel().take(at) * X.data).ravel()
    # One group per (task, row), in task-major order: the entries of each group stay in their row's order.
    groups = (np.arange(n_tasks)[:, None] * n_rows + rows).ravel()
    positions, values = top_positive_arrays(contribution, groups, n_tasks * n_rows, width)
    # Position p is stored entry p % nnz of X (the entries are tiled once per task).
    columns[positions >= 0] = X.indices[positions[positions >= 0] % X.nnz]
    return columns.reshape(n_tasks, n_rows, width), values.reshape(n_tasks, n_rows, width)


def top_positive_arrays(values: np.ndarray, groups: np.ndarray, n_groups: int, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the positions of its ``top`` largest positive ``values``, largest first, and those values.

    ``groups`` (one per value) is non-decreasing. Each group's list is
    :func:`ranked_features`' (ties in position order); positions are -1 (and
    values 0) past the end of a shorter list. Shapes ``(n_groups, top)``.

    Examples
    --------
    >>> top_positive_arrays(np.array([0.5, -1.0, 2.0, 0.5, 1.0]), np.array([0, 0, 0, 0, 1]), 2, 2)[0].tolist()
    [[2, 0], [4, -1]]
    """
    width = max(int(top), 0)
    positions = np.full((n_groups, width), -1, dtype=np.intp)
    found_values = np.zeros((n_groups, width))
    positive = np.flatnonzero(values > 0)
    if width == 0 or not len(positive):
        return positions, found_values
    positive_groups = groups[positive]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(positive_groups, minlength=n_groups))))
    for rank, found in enumerate(_top_positive_per_row(values[positive], positive_groups, indptr, width)):
        at = positive[found]
        positions[groups[at], rank] = at
        found_values[groups[at], rank] = values[at]
    return positions, found_values


class LazyMapping(Mapping):
    """A read-only mapping built by ``build()`` on first read (``build`` is then dropped); it pickles as a dict.

    Examples
    --------
    >>> import pickle
    >>> lazy = LazyMapping(lambda: {"a": 1})
    >>> lazy["a"], dict(lazy) == lazy, type(pickle.loads(pickle.dumps(lazy))).__name__
    (1, True, 'dict')
    """

    __slots__ = ("_build", "_data")

    def __init__(self, build: Callable[[], dict]):
        self._build: Callable[[], dict] | None = build
        self._data: dict | None = None

    def _mapping(self) -> dict:
        if self._data is None:
            self._data = self._build()
            self._build = None
        return self._data

    def __getitem__(self, key):
        return self._mapping()[key]

    def __iter__(self):
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __contains__(self, key) -> bool:
        return key in self._mapping()

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyMapping):
            other = other._mapping()
        if not isinstance(other, Mapping):
            return NotImplemented
        return self._mapping() == dict(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._mapping())

    def __reduce__(self):
        return dict, (self._mapping(),)


def _top_positive_per_row(values: np.ndarray, rows: np.ndarray, indptr: np.ndarray, top: int) -> list[np.ndarray]:
    """Per round k < ``top``: the position of each row's k-th largest positive value (ties: lowest position first).

    Row by row this is ``np.lexsort((-values, rows))`` cut to the first ``top``
    positive entries; done as ``top`` vectorised arg-max rounds, which is much
    cheaper than sorting every stored value when ``top`` is small.
    """
    # Called with positive values only (see top_positive_arrays): the working array is what is not yet taken.
    work = values.copy()
    lengths = np.diff(indptr)
    filled = lengths > 0
    starts, row_lengths = indptr[:-1][filled], lengths[filled]
    rounds = []
    for _ in range(top):
        if not len(starts):
            break
        row_max = np.maximum.reduceat(work, starts)
        candidates = np.flatnonzero(work == np.repeat(row_max, row_lengths))
        # A row with nothing left has the maximum -inf, which its taken entries equal: they are no candidates
        # (filtered here, among the few candidates, rather than masked over every entry).
        candidates = candidates[work[candidates] > -np.inf]
        if not len(candidates):
            break
        candidate_rows = rows[candidates]
        first = candidates[np.concatenate(([True], candidate_rows[1:] != candidate_rows[:-1]))]
        rounds.append(first)
        work[first] = -np.inf
    return rounds


def row_entries(X, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(columns, values, row_of_value)`` of the stored entries of CSR ``X``'s ``rows``, in row order.

    Row order is the order in which ``X[rows].T @ w`` sums them.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[0.0, 2.0], [3.0, 0.0], [4.0, 5.0]]))
    >>> [a.tolist() for a in row_entries(X, np.array([0, 2]))]
    [[1, 0, 1], [2.0, 4.0, 5.0], [0, 1, 1]]
    """
    starts = X.indptr[rows]
    lengths = X.indptr[np.asarray(rows) + 1] - starts
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return X.indices[positions], X.data[positions], np.repeat(np.arange(len(rows)), lengths)


def ranked_features(values: np.ndarray, columns: np.ndarray, feature_names: Sequence[str],
                    top: int) -> list[tuple[str, float]]:
    """The ``top`` positive ``values``, largest first (ties in order), as ``(name of columns[i], value)``.

    Examples
    --------
    >>> ranked_features(np.array([0.5, -1.0, 2.0, 0.5]), np.array([0, 1, 2, 3]), ["a", "b", "c", "d"], 2)
    [('c', 2.0), ('a', 0.5)]
    """
    if top <= 0:
        return []
    positive = np.flatnonzero(values > 0)
    if len(positive) > 4 * top:
        # Only values at least the top-th largest can rank: partition first, then sort those few stably
        # (the same list as sorting every positive value, ties included).
        candidates = values[positive]
        kth = np.partition(candidates, len(candidates) - top)[len(candidates) - top]
        positive = positive[candidates >= kth]
    order = positive[np.argsort(-values[positive], kind="stable")[:top]]
    return [(str(feature_names[columns[i]]), float(values[i])) for i in order]


class TermTotals:
    """Per key (a task's class), ``sum over rows of value x row weight`` per feature column, added chunk by chunk.

    The sums are taken one stored value after another in row order (``np.bincount``
    for the first chunk, ``np.add.at`` after it, both sequential), so a text scored
    in chunks gets the very totals of one pass. Only columns that occur are kept.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 1.0]]))
    >>> totals = TermTotals()
    >>> for row in (0, 1):
    ...     totals.add(*row_entries(X, np.array([row])), {"k": np.array([0.5])})
    >>> totals.columns.tolist(), totals.sums["k"].tolist()
    ([0, 1, 2], [0.5, 1.5, 1.5])
    """

    def __init__(self):
        self.columns = np.zeros(0, dtype=np.intp)
        self.sums: dict = {}

    def add(self, columns: np.ndarray, values: np.ndarray, row_of_value: np.ndarray, weights) -> None:
        """Add ``values`` (one per stored entry) times ``weights[key][row_of_value]`` to each key's column totals."""
        if not len(columns):
            for key in weights:
                self.sums.setdefault(key, np.zeros(len(self.columns)))
            return
        if not len(self.columns):
            present, slot = np.unique(columns, return_inverse=True)
            self.columns = present
            keys = list(weights)
            # Several keys' products in one array and one bincount, each key's bins offset past the previous
            # key's: a bin still adds its values one after another in entry order, as a bincount per key would.
            # Keys go in groups of at most STACKED_ENTRIES products, so a large chunk needs no large arrays.
            per_group = max(1, STACKED_ENTRIES // max(len(columns), 1))
            self.sums = {}
            for first in range(0, len(keys), per_group):
                group = keys[first:first + per_group]
                products = np.stack([np.asarray(weights[key], dtype=np.float64) for key in group])[:, row_of_value] * values
                bins = (np.arange(len(group))[:, None] * len(present) + slot).ravel()
                sums = np.bincount(bins, weights=products.ravel(), minlength=len(group) * len(present))
                self.sums.update(zip(group, sums.reshape(len(group), len(present))))
            return
        merged = np.union1d(self.columns, columns)
        if len(merged) != len(self.columns):
            old = np.searchsorted(merged, self.columns)
            for key, sums in self.sums.items():
                grown = np.zeros(len(merged))
                grown[old] = sums
                self.sums[key] = grown
            self.columns = merged
        slot = np.searchsorted(self.columns, columns)
        for key, w in weights.items():
            sums = self.sums.setdefault(key, np.zeros(len(self.columns)))
            np.add.at(sums, slot, values * np.asarray(w, dtype=np.float64)[row_of_value])

    def ranked(self, key, relative_row: np.ndarray, feature_names: Sequence[str], top: int) -> list[tuple[str, float]]:
        """The ``top`` largest positive ``total x relative_row[column]``, as ``(feature name, value)``."""
        sums = self.sums.get(key)
        if sums is None or not len(self.columns):
            return []
        return ranked_features(sums * relative_row[self.columns], self.columns, feature_names, top)
