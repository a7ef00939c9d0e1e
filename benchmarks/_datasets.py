"""The benchmark suite's view of the external data loaders.

The readers live in the library (:mod:`framing.datasets._datasets`), because the
training recipe of the default model reads the same files. This module only
changes where the data is looked for by default: ``../shared/data`` beside the
repository that holds this ``benchmarks`` folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from framing.datasets import _datasets as _impl
from framing.datasets._datasets import *  # noqa: F401,F403 - re-exported for the benchmark modules
from framing.datasets._datasets import ENV_VAR, PathLike


def resolve_data_root(explicit: PathLike | None = None) -> Path:
    """The external data folder: ``explicit``, else ``$FRAMING_BENCH_DATA``, else ``../shared/data`` beside the repository."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def __getattr__(name: str):
    # Private helpers (``_label_units``, ...) that the loader tests reach through this module.
    return getattr(_impl, name)
