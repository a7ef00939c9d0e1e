"""The fast paths of issue #22 in the feature blocks compute exactly what the plain ones compute (no timing here).

Each test holds a fast path against the obvious computation: a sentence's words from the cached words of
its space-separated runs against the token pattern over the whole sentence, the blocks' CSR arrays against
scipy's matrices, the union's stacking of those arrays against ``scipy.sparse.hstack`` of the blocks.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing.features import transform_union
from framing.features._analysis import _sentence_words, _words
from framing.features._base import count_matrix, count_parts, dense_parts

PIECES = list("abZ9_.,'’-\"“”«»„:;!?…()[]%") + ["U.S.", "e.g.", "19.3%", "10:00", "Ελλ", "рус", "٣", "²", "é",
                                                "x\u0301", "don't", "long-term", "1,000", "\u00a0", "\t", "\u3000"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join), max_size=8),
       st.sampled_from([" ", "  ", "\n"]))
def test_the_words_of_a_sentence_from_its_runs_equal_those_of_the_whole_sentence(words, separator):
    text = separator.join(words)
    assert _sentence_words(text) == _words(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), max_size=9), max_size=6))
def test_count_parts_equal_the_count_matrix(rows):
    indices = [column for row in rows for column in row]
    indptr = np.concatenate([[0], np.cumsum([len(row) for row in rows])]).astype(int).tolist()
    expected = count_matrix(indices, indptr, 7)
    data, columns, bounds = count_parts(indices, indptr, 7)
    assert data.tolist() == expected.data.tolist()
    assert columns.tolist() == expected.indices.tolist() and bounds.tolist() == expected.indptr.tolist()


def test_dense_parts_equal_scipy_csr_of_the_dense_rows():
    rows = [[0.0, 1.5, 0.0], [0.0, 0.0, 0.0], [2.0, 0.0, -1.0]]
    expected = sp.csr_matrix(np.asarray(rows))
    data, columns, bounds = dense_parts(rows, 3)
    assert data.tolist() == expected.data.tolist()
    assert columns.tolist() == expected.indices.tolist() and bounds.tolist() == expected.indptr.tolist()


@pytest.fixture(scope="module")
def model():
    return framing.load()


def test_the_stacked_block_arrays_equal_hstack_of_the_block_matrices(model):
    texts = ["The corrupt regime reportedly lied, analysts say.", "", "Talks began.",
             'Rubio said: "The so-called peace plan may fail," according to a senior U.S. official.']
    expected = sp.hstack([transformer.transform(texts) for _, transformer in model.features.transformer_list]).tocsr()
    actual = transform_union(model.features, texts)
    assert type(actual) is type(expected) and actual.shape == expected.shape
    for name in ("data", "indices", "indptr"):
        assert getattr(actual, name).dtype == getattr(expected, name).dtype
        assert getattr(actual, name).tobytes() == getattr(expected, name).tobytes()
