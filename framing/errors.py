"""The library's own exceptions: every one is a :class:`FramingError`.

Each also derives from the built-in exception a caller would naturally catch
(``ValueError`` for bad data, ``KeyError`` for an unknown task), so code that
catches those keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FramingError", "UnknownTaskError", "UnknownFrameError", "InputFileError"]


class FramingError(Exception):
    """Base class of every exception raised by framing itself."""


class UnknownTaskError(FramingError, KeyError):
    """A task name that the model or schema does not have.

    Examples
    --------
    >>> str(UnknownTaskError("slnt", ["loaded", "slant"]))
    "unknown task 'slnt'; available: ['loaded', 'slant']"
    """

    def __init__(self, task: object, available: Iterable[str]):
        self.task = task
        self.available = list(available)
        super().__init__(f"unknown task {task!r}; available: {self.available}")

    def __str__(self) -> str:
        # KeyError.__str__ would repr-quote the whole message.
        return str(self.args[0])


class UnknownFrameError(FramingError, KeyError):
    """A frame (or frame set) name that the frame set (or schema, or model) does not have.

    Examples
    --------
    >>> str(UnknownFrameError("economy", ["economic", "political"], frame_set="policy"))
    "unknown frame 'economy' of frame set 'policy'; available: ['economic', 'political']"
    >>> str(UnknownFrameError("generic", ["policy"], kind="frame set"))
    "unknown frame set 'generic'; available: ['policy']"
    """

    def __init__(self, name: object, available: Iterable[str], kind: str = "frame", frame_set: str | None = None):
        self.name = name
        self.available = list(available)
        self.kind = kind
        of = f" of frame set {frame_set!r}" if frame_set is not None else ""
        super().__init__(f"unknown {kind} {name!r}{of}; available: {self.available}")

    def __str__(self) -> str:
        return str(self.args[0])


class InputFileError(FramingError):
    """A whole input file cannot be used (missing, a folder, empty, undecodable): one-line message."""
