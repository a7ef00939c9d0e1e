"""The readers of the external benchmark data sets, gathered under their former module name.

Each data set now has its own module (:mod:`._babe`, :mod:`._weasel`, :mod:`._polnear`,
with :mod:`._brat` for the stand-off format and :mod:`._base` for the data folder);
this module keeps ``framing.datasets._datasets`` answering for every name it held.
"""

from ._babe import load_babe
from ._base import ENV_VAR, BenchSentence, DatasetMissing, PathLike, resolve_data_root
from ._brat import BratRelation, BratSpan, parse_brat
from ._polnear import POLNEAR_LABELS, POLNEAR_SPLITS, _label_units, classify_source, load_polnear
from ._sources import available_datasets
from ._weasel import load_weasel, ptb_detokenize

__all__ = [
    "DatasetMissing",
    "BenchSentence",
    "ENV_VAR",
    "POLNEAR_SPLITS",
    "POLNEAR_LABELS",
    "resolve_data_root",
    "load_babe",
    "load_weasel",
    "load_polnear",
    "available_datasets",
    "ptb_detokenize",
    "classify_source",
    "parse_brat",
    "BratSpan",
    "BratRelation",
    # Not public, but the loader tests and old imports reach them here.
    "PathLike",
    "_label_units",
]
