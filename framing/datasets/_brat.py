"""BRAT stand-off annotation (``.ann`` files), as PolNeAR stores its attribution spans."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BratSpan:
    """A BRAT text-bound annotation (a ``T`` line).

    Attributes
    ----------
    id : str
        ``"T12"``.
    type : str
        ``"Source"``, ``"Cue"``, ``"Content"``, ``"Attribution"`` ...
    fragments : tuple of (int, int)
        Character ``(start, end)`` pairs; more than one for a discontinuous
        span written ``start end;start end``.
    text : str
        The covered text as written in the file (fragments joined by a
        space; may be cut short when the covered text spans a line break).
    """

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    def overlaps(self, start: int, end: int) -> bool:
        """Return True when any fragment shares a character with ``[start, end)``."""
        return any(s < end and e > start for s, e in self.fragments)

    @property
    def start(self) -> int:
        """Offset of the first character of the first fragment."""
        return min(s for s, _ in self.fragments)


@dataclass(frozen=True)
class BratRelation:
    """A BRAT event (an ``E`` line) linking an attribution's parts.

    Attributes
    ----------
    id : str
        ``"E3"``.
    type : str
        The trigger type, e.g. ``"Attribution"`` or ``"Attribution-no-source"``.
    trigger : str
        Id of the trigger span.
    args : tuple of (str, str)
        ``(role, span id)`` pairs with trailing digits dropped from the role
        (``Content2`` becomes ``Content``).
    """

    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]

    def ids(self, role: str) -> list[str]:
        """Return the span ids that fill `role`."""
        return [span_id for r, span_id in self.args if r == role]


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?$")


def parse_brat(
    ann: str, text_length: int | None = None, source: str = "<ann>"
) -> tuple[dict[str, BratSpan], list[BratRelation]]:
    """Parse BRAT stand-off annotation text.

    Parameters
    ----------
    ann : str
        The content of a ``.ann`` file.
    text_length : int, optional
        Length of the annotated text; spans reaching past it are dropped with
        a warning.
    source : str, optional
        Name used in log messages.

    Returns
    -------
    spans : dict of str to BratSpan
        Text-bound annotations by id.
    relations : list of BratRelation
        Events, in file order. Arguments naming an unknown span are dropped.

    Notes
    -----
    Lines of other kinds (``#`` notes, ``A`` attributes, ``R`` relations,
    ``*`` equivalences) and continuation lines -- BRAT writes a span's text
    verbatim, so a span covering a line break spills onto the next line --
    are skipped.
    """
    spans: dict[str, BratSpan] = {}
    raw_events: list[tuple[str, str, str, list[tuple[str, str]]]] = []
    skipped = 0
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip():
            continue
        match = _T_LINE.match(line)
        if match:
            span_id, span_type, offsets, covered = match.groups()
            fragments = []
            ok = True
            for piece in offsets.split(";"):
                start, end = (int(x) for x in piece.split())
                if end < start or (text_length is not None and end > text_length):
                    ok = False
                fragments.append((start, end))
            if not ok:
                logger.warning("%s:%d: bad offsets %r, span skipped", source, number, offsets)
                continue
            spans[span_id] = BratSpan(span_id, span_type, tuple(fragments), covered or "")
            continue
        if line.startswith("E") and "\t" in line:
            event_id, _, body = line.partition("\t")
            parts = body.split()
            if re.fullmatch(r"E\d+", event_id) and parts and ":" in parts[0]:
                trigger_type, _, trigger = parts[0].partition(":")
                args = []
                for part in parts[1:]:
                    role, sep, span_id = part.partition(":")
                    if sep:
                        args.append((role.rstrip("0123456789"), span_id))
                raw_events.append((event_id, trigger_type, trigger, args))
                continue
        skipped += 1
    if skipped:
        logger.debug("%s: %d line(s) of other kinds skipped", source, skipped)
    relations = [
        BratRelation(
            event_id,
            trigger_type,
            trigger,
            tuple((role, span_id) for role, span_id in args if span_id in spans),
        )
        for event_id, trigger_type, trigger, args in raw_events
    ]
    return spans, relations

