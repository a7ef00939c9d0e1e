"""The default feature union and the fast paths that transform it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.pipeline import FeatureUnion

from .._compat import output_config
from ._analysis import texts_of
from ._lexicon_block import LexiconFeatures
from ._ngrams import CharNgrams, WordNgrams
from ._patterns import AttributionFeatures, HedgeFeatures, ShapeFeatures
from ._voice import VoiceFeatures

__all__ = ["TRANSFORM_BATCH", "make_features", "transform_in_batches", "transform_union"]


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
    if not weights and get_config().get("sparse_interface", "spmatrix") == "spmatrix":
        stacked = _stack_parts(features, texts)
        if stacked is not None:
            return stacked
    blocks = []
    for name, transformer in features.transformer_list:
        block = transformer.transform(texts)
        weight = weights.get(name)
        blocks.append(block if weight is None else block * weight)
    if not blocks or not all(sp.issparse(block) for block in blocks):
        return features.transform(texts)
    return sp.hstack(blocks).tocsr()


def _stack_parts(features: FeatureUnion, items: Sequence) -> sp.csr_matrix | None:
    """``scipy.sparse.hstack`` of the blocks' CSR matrices, built from their arrays; None when a block has none.

    A fitted framing block gives its rows' arrays (``_csr_parts``) without building a matrix, or the scikit-learn
    checks and wrappers of its ``transform``; any other block's CSR matrix is read as it is. Each output row
    is the concatenation of the blocks' rows, columns offset by the widths before, as ``hstack`` makes it.
    """
    texts = None
    parts = []
    for _, transformer in features.transformer_list:
        fast = getattr(transformer, "_csr_parts", None)
        if (fast is not None and "feature_names_" in transformer.__dict__
                and output_config(transformer).get("transform", "default") == "default"):
            if texts is None:
                texts = texts_of(items)
            parts.append((*fast(texts), len(transformer.feature_names_)))
            continue
        block = transformer.transform(items)
        if not sp.issparse(block) or block.format != "csr" or not isinstance(block, sp.spmatrix):
            return None
        parts.append((block.data, block.indices, block.indptr, block.shape[1]))
    if not parts:
        return None
    n_rows = len(parts[0][2]) - 1
    bounds = np.vstack([block_indptr for _, _, block_indptr, _ in parts])
    row_nnz = np.diff(bounds, axis=1)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(row_nnz.sum(axis=0), out=indptr[1:])
    n_columns = sum(width for *_, width in parts)
    # The index type scipy's hstack picks: 32 bits unless the sizes or a block's row bounds need more.
    narrow = (max(n_columns - 1, int(indptr[-1])) <= np.iinfo(np.int32).max
              and all(np.can_cast(block_indptr.dtype, np.int32) for _, _, block_indptr, _ in parts))
    index_dtype = np.int32 if narrow else np.int64
    # Block after block, then each entry to its row (a stable sort keeps the blocks' order within a row,
    # and each block's own order): the rows hstack makes. Only the entries the row bounds cover count.
    sizes = bounds[:, -1]
    data = np.concatenate([block_data[:size] for (block_data, *_), size in zip(parts, sizes)])
    indices = np.concatenate([block_indices[:size] for (_, block_indices, *_), size in zip(parts, sizes)]).astype(np.int64)
    offsets = np.cumsum([0] + [width for *_, width in parts[:-1]])
    indices += np.repeat(offsets, sizes)
    row_type = np.int16 if n_rows <= np.iinfo(np.int16).max else np.int64
    rows = np.repeat(np.tile(np.arange(n_rows, dtype=row_type), len(parts)), row_nnz.ravel())
    order = np.argsort(rows, kind="stable")
    return sp.csr_matrix((data[order], indices[order].astype(index_dtype), indptr.astype(index_dtype)),
                         shape=(n_rows, n_columns))


def make_features(lexicon=None, word_ngram_range=(1, 2), char_ngram_range=(3, 5), char_min_df=2, harvest=True,
                  transformer_weights=None) -> FeatureUnion:
    """The default feature union: lexicons, attribution, hedging, shape, voice, word and char n-grams.

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
            ("voice", VoiceFeatures()),
            ("word", WordNgrams(ngram_range=word_ngram_range)),
            ("char", CharNgrams(ngram_range=char_ngram_range, min_df=char_min_df)),
        ],
        transformer_weights=transformer_weights,
        verbose_feature_names_out=False,
    )
