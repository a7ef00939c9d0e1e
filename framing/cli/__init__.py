"""The ``framing`` command line: one module per command; heavy imports happen inside each command."""

from ._main import build_parser, main

__all__ = ["main", "build_parser"]
