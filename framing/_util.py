"""Small helpers shared by several modules, each defined once.

Nothing here imports another framing module except :mod:`framing._errors`, so
every module may use these.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "BOILERPLATE",
    "BOILERPLATE_THRESHOLD",
    "class_key",
    "same_label",
    "label_index",
    "is_boilerplate",
    "polar_index",
    "atomic_write",
    "fsync_directory",
]

#: Name of the auxiliary head that recognises site furniture.
BOILERPLATE = "boilerplate"

#: A unit whose boilerplate probability is at least this is site furniture: shown, never scored.
BOILERPLATE_THRESHOLD = 0.5


def class_key(value: Any) -> str:
    """JSON key of a class: ``"true"``/``"false"`` for binary classes, the name otherwise.

    Examples
    --------
    >>> class_key(True), class_key("pro_ukraine")
    ('true', 'pro_ukraine')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_label(a: Any, b: Any) -> bool:
    """Equal and of the same type: ``1`` is not ``True`` (bool is a subclass of int).

    >>> same_label(True, 1), same_label(True, True)
    (False, True)
    """
    return type(a) is type(b) and a == b


def label_index(value: Any, classes: Sequence[Any]) -> int:
    """Position of ``value`` in ``classes`` by :func:`same_label`, or -1 when it is not one of them."""
    for index, cls in enumerate(classes):
        if same_label(value, cls):
            return index
    return -1


def is_boilerplate(probability: float) -> bool:
    """Whether a unit with this boilerplate probability is left out of the scores."""
    return probability >= BOILERPLATE_THRESHOLD


def polar_index(probabilities: Any, negative: int, positive: int) -> Any:
    """Per row ``P(positive pole) - P(negative pole)``, in [-1, 1].

    The slant index of an article is the mean of this over its scored sentences.

    >>> import numpy as np
    >>> polar_index(np.array([[0.7, 0.2, 0.1]]), 0, 2).round(2).tolist()
    [-0.6]
    """
    return probabilities[..., positive] - probabilities[..., negative]


def fsync_directory(folder: str | os.PathLike) -> None:
    """Flush a folder's entry table to disk (best effort: not every platform allows it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write(path: str | os.PathLike, content: str | Iterable[str], newline: str | None = "\n",
                 mode: int | None = None) -> None:
    """Write text to ``path`` atomically: a temporary file beside it, fsync, rename, fsync the folder.

    A crash at any point leaves either the old file or the new one, never a
    half-written file. ``content`` is a string or an iterable of strings
    (written one after the other, so a large file need not be held at once).
    ``mode`` sets the permissions of the new file (default: as ``mkstemp``, 0o600).
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline=newline) as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                for piece in content:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
        fsync_directory(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
