"""BABE (Spinde et al. 2021), ``babe/final_labels_SG2.csv``: news sentences labelled Biased / Non-biased by experts.

:func:`load_babe` reads the file as :class:`BenchSentence` records (with the words the
annotators marked as biased); :func:`babe_sentences` makes them training sentences that
label ``loaded`` only, the biased words becoming ``loaded`` spans.
"""

from __future__ import annotations

import ast
import csv
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from ..data._schema import LabeledSentence, Span
from ._base import BenchSentence, PathLike, _require_file, _root

logger = logging.getLogger(__name__)

_BABE_FILE = Path("babe") / "final_labels_SG2.csv"
_BABE_COLUMNS = (
    "text",
    "news_link",
    "outlet",
    "topic",
    "type",
    "label_bias",
    "label_opinion",
    "biased_words",
)
_BABE_LABELS = {"Biased": True, "Non-biased": False}
_BABE_DROP = "No agreement"


def _parse_word_list(value: str, where: str) -> list[str]:
    """Parse a Python list literal of strings safely (never ``eval``)."""
    text = value.strip()
    if text == "":
        return []
    try:
        parsed = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ValueError(f"{where}: biased_words is not a list literal: {value!r}") from exc
    if not isinstance(parsed, (list, tuple)) or not all(isinstance(w, str) for w in parsed):
        raise ValueError(f"{where}: biased_words is not a list of strings: {value!r}")
    return list(parsed)


def load_babe(root: PathLike | None = None) -> list[BenchSentence]:
    """Load BABE (``babe/final_labels_SG2.csv``) as labelled sentences.

    The file is ``;``-separated UTF-8 with a byte-order mark, quoted the CSV
    way (a field containing ``;`` or ``"`` is wrapped in double quotes and an
    inner ``"`` is doubled); a few text fields span several lines.

    Parameters
    ----------
    root : str or path-like, optional
        The data folder; :func:`resolve_data_root` when omitted.

    Returns
    -------
    list of BenchSentence
        One per row, in file order, except rows whose ``label_bias`` is
        ``"No agreement"`` (dropped). ``label`` is True for ``"Biased"`` and
        False for ``"Non-biased"``; ``group`` is ``news_link`` (rows with an
        empty link get the unique group ``"babe-nolink:LINE"`` so that they
        are not lumped into one pseudo-article); ``outlet`` is the outlet
        column; ``extra`` holds ``biased_words`` (list of str, parsed with
        :func:`ast.literal_eval`), ``topic``, ``type`` (the outlet's political
        leaning, often empty), ``label_opinion`` and ``line`` (the row's first
        line in the file).

    Raises
    ------
    DatasetMissing
        When the file is absent.
    ValueError
        On a missing column, a row with the wrong number of fields, an
        unknown ``label_bias`` value, a ``biased_words`` value that is not a
        list literal of strings, or an empty text; the message names
        ``file:line`` and the offending value.
    """
    path = _require_file("babe", _root(root) / _BABE_FILE)
    sentences: list[BenchSentence] = []
    dropped = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";", quotechar='"', doublequote=True)
        try:
            header = next(reader)
        except StopIteration:
            raise ValueError(f"{path}:1: empty file, expected a header") from None
        header = [name.strip() for name in header]
        missing = [name for name in _BABE_COLUMNS if name not in header]
        if missing:
            raise ValueError(f"{path}:1: missing column(s) {missing} in header {header!r}")
        index = {name: header.index(name) for name in _BABE_COLUMNS}
        previous_end = reader.line_num
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            where = f"{path}:{line}"
            if not row or all(cell.strip() == "" for cell in row):
                continue
            if len(row) != len(header):
                raise ValueError(
                    f"{where}: expected {len(header)} fields, got {len(row)}: {row!r}"
                )
            label_text = row[index["label_bias"]].strip()
            if label_text == _BABE_DROP:
                dropped += 1
                continue
            if label_text not in _BABE_LABELS:
                raise ValueError(f"{where}: unknown label_bias value {label_text!r}")
            text = row[index["text"]].strip()
            if not text:
                raise ValueError(f"{where}: empty text {row[index['text']]!r}")
            words = _parse_word_list(row[index["biased_words"]], where)
            link = row[index["news_link"]].strip()
            sentences.append(
                BenchSentence(
                    text=text,
                    label=_BABE_LABELS[label_text],
                    group=link or f"babe-nolink:{line}",
                    outlet=row[index["outlet"]].strip(),
                    extra={
                        "biased_words": words,
                        "topic": row[index["topic"]].strip(),
                        "type": row[index["type"]].strip(),
                        "label_opinion": row[index["label_opinion"]].strip(),
                        "line": line,
                    },
                )
            )
    logger.info(
        "babe: %d sentences (%d biased) from %s; %d 'No agreement' rows dropped",
        len(sentences),
        sum(1 for s in sentences if s.label),
        path,
        dropped,
    )
    return sentences


def _babe_spans(text: str, words: Sequence[str]) -> tuple[Span, ...]:
    spans = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        match = re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", text, flags=re.IGNORECASE)
        if match:
            spans.append(Span(match.start(), match.end(), "loaded", text[match.start():match.end()]))
    return tuple(sorted(set(spans), key=lambda s: (s.start, s.end)))


def babe_sentences(root: Path) -> list[LabeledSentence]:
    """BABE as training sentences: ``loaded`` labels, the biased words as ``loaded`` spans, grouped by article link."""
    return [
        LabeledSentence(
            text=item.text,
            labels={"loaded": bool(item.label)},
            article=f"babe:{item.group}",
            source=item.outlet or None,
            spans=_babe_spans(item.text, item.extra.get("biased_words", ())),
        )
        for item in load_babe(root)
    ]

