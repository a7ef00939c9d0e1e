"""The library's own exceptions: every one is a :class:`FramingError`.

Each also derives from the built-in exception a caller would naturally catch
(``ValueError`` for bad data, ``KeyError`` for an unknown task), so code that
catches those keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FramingError", "UnknownTaskError", "InputFileError"]


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


class InputFileError(FramingError):
    """A whole input file cannot be used (missing, a folder, empty, undecodable): one-line message."""
