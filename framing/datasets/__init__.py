"""Adapters for the external labelled data sets: each source becomes :class:`framing.LabeledSentence` rows.

The data are not part of the package: they are read from a folder given by
the caller, else ``$FRAMING_DATA``, else ``../shared/data``
(:func:`resolve_data_root`). A missing set raises :class:`DatasetMissing`.
"""

from ._datasets import (
    ENV_VAR,
    BenchSentence,
    DatasetMissing,
    available_datasets,
    classify_source,
    load_babe,
    load_polnear,
    load_weasel,
    resolve_data_root,
)
from ._sources import SOURCES, SourceInfo, file_sha256, load_source, source_files

__all__ = [
    "DatasetMissing",
    "BenchSentence",
    "ENV_VAR",
    "resolve_data_root",
    "available_datasets",
    "load_babe",
    "load_weasel",
    "load_polnear",
    "classify_source",
    "SOURCES",
    "SourceInfo",
    "load_source",
    "source_files",
    "file_sha256",
]
