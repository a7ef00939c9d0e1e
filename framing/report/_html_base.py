"""The few text helpers every HTML view shares: escaping, numbers, clipping and line-break opportunities."""

from __future__ import annotations

import html
from typing import Any

__all__ = ["HTML_MAX_UNITS", "escape", "fmt", "clip", "breakable"]

#: Units of one text shown with their score panels; a longer text is cut there, with a visible note.
HTML_MAX_UNITS = 2000


def escape(value: Any) -> str:
    """``html.escape`` of ``str(value)``, quotes included (safe in text and in attribute values)."""
    return html.escape(str(value), quote=True)


def fmt(value: float | None, signed: bool = False) -> str:
    """A number as the pages print it: two decimals (``+`` signed), ``"n/a"`` for None.

    Examples
    --------
    >>> fmt(0.456), fmt(-0.001, signed=True), fmt(None)
    ('0.46', '+0.00', 'n/a')
    """
    if value is None:
        return "n/a"
    return f"{value:+.2f}".replace("-0.00", "+0.00") if signed else f"{value:.2f}"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when it is cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def breakable(text: str) -> str:
    """Escaped text with line-break opportunities after ``_``, ``-``, ``/`` and ``.`` (long names and ids).

    Examples
    --------
    >>> breakable("a_tabloid-strike")
    'a_<wbr>tabloid-<wbr>strike'
    """
    out = escape(text)
    for mark in ("_", "-", "/", "."):
        out = out.replace(mark, mark + "<wbr>")
    return out
