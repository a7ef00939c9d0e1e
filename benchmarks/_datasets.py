"""The benchmark suite's view of the external data loaders.

The readers live in the library (:mod:`framing.datasets`, one module per data
set), because the training recipe of the default model reads the same files;
so does the one resolver of the data folder, :func:`framing.datasets.resolve_data_root`
(``--data``, else ``$FRAMING_DATA``, else ``../shared/data``).
"""

from __future__ import annotations

from framing.datasets import _datasets as _impl
from framing.datasets._datasets import *  # noqa: F401,F403 - re-exported for the benchmark modules
from framing.datasets._datasets import resolve_data_root  # noqa: F401 - the library's resolver, not a second one


def __getattr__(name: str):
    # Private helpers (``_label_units``, ...) that the loader tests reach through this module.
    return getattr(_impl, name)
