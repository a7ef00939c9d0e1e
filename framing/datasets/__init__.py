"""Adapters for the external labelled data sets: each source becomes :class:`framing.LabeledSentence` rows.

One module per data set (``_babe``, ``_anno_lexical``, ``_weasel``, ``_polnear``,
``_ukraine_news``), the registry a recipe names them by (``_sources``) and what
they share (``_base``). The data are not part of the package: they are read
from a folder given by the caller, else ``$FRAMING_DATA``, else
``../shared/data`` (:func:`resolve_data_root`, the one place that decides it).
A missing set raises :class:`DatasetMissing`.
"""

from ._babe import load_babe
from ._base import DEFAULT_DATA_ROOT, ENV_VAR, BenchSentence, DatasetMissing, resolve_data_root
from ._newsmtsc import NEWSMTSC_SPLITS, newsmtsc_group, newsmtsc_groups, newsmtsc_targets
from ._polnear import classify_source, load_polnear
from ._project_labels import TargetItem, frame_label_sentences, target_label_items
from ._sources import SOURCES, SourceInfo, available_datasets, file_sha256, load_source, source_files
from ._weasel import load_weasel

__all__ = [
    "DatasetMissing",
    "BenchSentence",
    "ENV_VAR",
    "DEFAULT_DATA_ROOT",
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
    "frame_label_sentences",
    "target_label_items",
    "TargetItem",
    "newsmtsc_targets",
    "newsmtsc_groups",
    "newsmtsc_group",
    "NEWSMTSC_SPLITS",
]
