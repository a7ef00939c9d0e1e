"""What every adapter shares: the data folder (one resolver, one environment variable), the records, the errors.

The external data sets live outside the repository and are never copied into
it. Where they are looked for: the folder the caller gives, else
``$FRAMING_DATA``, else ``../shared/data`` relative to the working directory
(a checkout of the repository sits beside ``shared/``) — see
:func:`resolve_data_root`, the only place that decides it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from ..errors import FramingError

logger = logging.getLogger(__name__)

PathLike = Union[str, "os.PathLike[str]"]

#: The environment variable that points at the external data folder (the only one).
ENV_VAR = "FRAMING_DATA"

#: The variable the benchmarks read before there was one for everything; it is no longer read (see resolve_data_root).
RETIRED_ENV_VAR = "FRAMING_BENCH_DATA"

#: Where the external data is looked for when neither the caller nor ``$FRAMING_DATA`` says.
DEFAULT_DATA_ROOT = Path("..") / "shared" / "data"


class DatasetMissing(FramingError):
    """A benchmark data set is not where it was looked for.

    The message is one line naming the data set and the path looked for, so
    that a benchmark runner can print it as the reason for skipping.
    """


@dataclass(frozen=True)
class BenchSentence:
    """One labelled unit of benchmark text.

    Attributes
    ----------
    text : str
        The sentence (or unit) text.
    label : object
        The gold label: ``bool`` for BABE (biased) and the weasel set
        (uncertain); ``"named"``, ``"anonymous"`` or ``"none"`` for PolNeAR.
    group : str
        Identifier of the document the unit comes from (article URL or article
        file name), for grouped cross-validation. Units from one document
        share a group.
    outlet : str
        The publishing outlet (``"wikipedia"`` for the weasel set).
    extra : dict
        Data-set specific fields; see each loader. Not used for hashing.
    """

    text: str
    label: object
    group: str
    outlet: str
    extra: dict = field(default_factory=dict, hash=False)


def resolve_data_root(explicit: PathLike | None = None) -> Path:
    """Return the folder that holds the external data sets.

    Parameters
    ----------
    explicit : str or path-like, optional
        A folder given by the caller (``--data DIR``). Wins over everything else.

    Returns
    -------
    pathlib.Path
        In order of precedence: `explicit`; the environment variable
        ``FRAMING_DATA`` when set and non-empty; else ``../shared/data``
        relative to the working directory (run from a checkout of the
        repository that sits beside ``shared/``). The folder is not required
        to exist: each loader raises :class:`DatasetMissing` when its own
        files are absent.

    Examples
    --------
    >>> resolve_data_root("/data/framing")
    PosixPath('/data/framing')
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    if os.environ.get(RETIRED_ENV_VAR, "").strip():
        # Silently ignoring a variable the user set would send them hunting for the data elsewhere.
        logger.warning("$%s is no longer read; set $%s to the data folder instead (using %s)", RETIRED_ENV_VAR, ENV_VAR,
                       DEFAULT_DATA_ROOT)
    return DEFAULT_DATA_ROOT


def _root(root: PathLike | None) -> Path:
    return resolve_data_root(root) if root is None else Path(root).expanduser()


def _require_file(dataset: str, path: Path) -> Path:
    if not path.is_file():
        raise DatasetMissing(f"{dataset}: file not found: {path}")
    return path


def _require_dir(dataset: str, path: Path) -> Path:
    if not path.is_dir():
        raise DatasetMissing(f"{dataset}: folder not found: {path}")
    return path


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of every file under a folder (sorted relative paths and contents)."""
    hasher = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            hasher.update(str(child.relative_to(path)).replace("\\", "/").encode("utf-8") + b"\0")
            hasher.update(hashlib.sha256(child.read_bytes()).digest())
    else:
        hasher.update(path.read_bytes())
    return hasher.hexdigest()

