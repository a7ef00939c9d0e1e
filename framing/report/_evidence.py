"""Evidence arrays: the features that raised each row's class most, for a linear model.

For a linear model a feature's contribution to a class is coefficient x value
(relative to the other classes, see :func:`framing.model.relative_coef`), so
the evidence behind a score is exact. These functions only read a feature
matrix and a coefficient matrix; they never call a model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["top_contributions", "top_contribution_arrays", "contribution_list"]


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
    lengths = np.diff(X.indptr)
    rows = np.repeat(np.arange(n_rows), lengths)
    contribution = relative[np.asarray(class_per_row)[rows], X.indices] * X.data
    for rank, positions in enumerate(_top_positive_per_row(contribution, rows, X.indptr, width)):
        columns[rows[positions], rank] = X.indices[positions]
        values[rows[positions], rank] = contribution[positions]
    return columns, values


def _top_positive_per_row(values: np.ndarray, rows: np.ndarray, indptr: np.ndarray, top: int) -> list[np.ndarray]:
    """Per round k < ``top``: the position of each row's k-th largest positive value (ties: lowest position first).

    Row by row this is ``np.lexsort((-values, rows))`` cut to the first ``top``
    positive entries; done as ``top`` vectorised arg-max rounds, which is much
    cheaper than sorting every stored value when ``top`` is small.
    """
    work = np.where(values > 0, values, -np.inf)
    lengths = np.diff(indptr)
    filled = lengths > 0
    starts, row_lengths = indptr[:-1][filled], lengths[filled]
    rounds = []
    for _ in range(top):
        if not len(starts):
            break
        row_max = np.maximum.reduceat(work, starts)
        is_max = (work == np.repeat(row_max, row_lengths)) & np.repeat(row_max > -np.inf, row_lengths)
        candidates = np.flatnonzero(is_max)
        if not len(candidates):
            break
        candidate_rows = rows[candidates]
        first = candidates[np.concatenate(([True], candidate_rows[1:] != candidate_rows[:-1]))]
        rounds.append(first)
        work[first] = -np.inf
    return rounds
