"""Adapters for the external labelled data sets: each source becomes :class:`framing.LabeledSentence` rows.

One module per data set (``_babe``, ``_anno_lexical``, ``_weasel``, ``_polnear``,
``_ukraine_news``, ``_frac``; the project's own label files ``_project_labels``, the
Policy Frames they label ``_policy_frames``), the registry a recipe names them by (``_sources``) and what
they share (``_base``). The data are not part of the package: they are read
from a folder given by the caller, else ``$FRAMING_DATA``, else
``../shared/data`` (:func:`resolve_data_root`, the one place that decides it).
A missing set raises :class:`DatasetMissing`.
"""

from ._babe import load_babe
from ._base import DEFAULT_DATA_ROOT, ENV_VAR, BenchSentence, DatasetMissing, resolve_data_root
from ._frac import FRAC_CODES, frac_sentences
from ._newsmtsc import NEWSMTSC_SPLITS, newsmtsc_group, newsmtsc_groups, newsmtsc_targets
from ._policy_frames import POLICY_FRAME_TASKS, POLICY_FRAMES, binary_frame_labels, frame_task
from ._polnear import classify_source, load_polnear
from ._project_labels import TargetItem, frame_label_sentences, target_label_items
from ._sources import SOURCES, SourceInfo, available_datasets, file_sha256, label_sources, load_source, source_files
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
    "label_sources",
    "file_sha256",
    "frame_label_sentences",
    "frac_sentences",
    "FRAC_CODES",
    "POLICY_FRAMES",
    "POLICY_FRAME_TASKS",
    "frame_task",
    "binary_frame_labels",
    "target_label_items",
    "TargetItem",
    "newsmtsc_targets",
    "newsmtsc_groups",
    "newsmtsc_group",
    "NEWSMTSC_SPLITS",
]
