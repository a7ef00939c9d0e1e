"""The Wikipedia part of the CoNLL-2010 uncertainty task (``wiki-weasel/train.csv``) as a binary hedging set.

:func:`load_weasel` reads it as :class:`BenchSentence` records (Penn-Treebank tokens
put back together by :func:`ptb_detokenize`); :func:`weasel_sentences` makes them
training sentences that label ``hedged`` only.
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

from ..data._schema import LabeledSentence
from ._base import BenchSentence, PathLike, _require_file, _root

logger = logging.getLogger(__name__)

_WEASEL_FILE = Path("wiki-weasel") / "train.csv"

_PTB_BRACKETS = (
    ("-LRB-", "("),
    ("-RRB-", ")"),
    ("-LSB-", "["),
    ("-RSB-", "]"),
    ("-LCB-", "{"),
    ("-RCB-", "}"),
)
_CONTRACTION = re.compile(r"\s+(n't|'s|'re|'ve|'d|'ll|'m)(?![^\W_])", re.IGNORECASE)
_OPEN_DOUBLE = re.compile(r"``\s*")
_CLOSE_DOUBLE = re.compile(r"\s*''")
_OPEN_SINGLE = re.compile(r"`\s*")
_CLOSE_SINGLE = re.compile(r"(?<=[^\W_])\s+'(?=[\s.,;:!?)\]}]|$)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")
_SPACE_BEFORE_CLOSE = re.compile(r"\s+([)\]}])")
_SPACE_AFTER_SIGN = re.compile(r"(?<!\S)([$#])\s+(?=\d)")
_ESCAPED_NEWLINE = re.compile(r"(?<!\S)\\ n(?!\S)")
_MULTISPACE = re.compile(r"\s+")


def ptb_detokenize(text: str) -> str:
    """Undo Penn-Treebank tokenisation well enough for sentence scoring.

    Parameters
    ----------
    text : str
        PTB-tokenised text.

    Returns
    -------
    str
        The text with bracket tokens restored (``-LRB-`` to ``(``,
        ``-RSB-`` to ``]``, ``-LCB-`` to ``{`` ...), the PTB double quotes
        (two backticks, two apostrophes) turned into ``"`` and joined to the
        quoted words, a single backtick turned into ``'``, clitics
        re-attached (``do n't`` to ``don't``, ``Mary 's`` to ``Mary's``), no
        space before ``, . ; : ! ? %`` or after ``$`` / ``#`` before a digit,
        no space inside brackets, a stray escaped line break (a lone
        ``\\ n`` token) turned into a space, and runs of white space
        collapsed. This is a heuristic: it cannot know, for example, whether
        a spaced ``'`` closed a quotation.

    Examples
    --------
    >>> ptb_detokenize("He said `` it ca n't be '' -LRB- sic -RRB- .")
    'He said "it can\\'t be" (sic).'
    """
    out = _ESCAPED_NEWLINE.sub(" ", text)
    for token, char in _PTB_BRACKETS:
        out = out.replace(token, char)
    out = _CONTRACTION.sub(r"\1", out)
    out = _OPEN_DOUBLE.sub('"', out)
    out = _CLOSE_DOUBLE.sub('"', out)
    out = _OPEN_SINGLE.sub("'", out)
    out = _CLOSE_SINGLE.sub("'", out)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", out)
    out = _SPACE_AFTER_OPEN.sub(r"\1", out)
    out = _SPACE_BEFORE_CLOSE.sub(r"\1", out)
    out = _SPACE_AFTER_SIGN.sub(r"\1", out)
    return _MULTISPACE.sub(" ", out).strip()


#: Warnings already given (so that reading a data set twice in one run warns once).
_WARNED: set[tuple[str, int]] = set()


def load_weasel(root: PathLike | None = None) -> list[BenchSentence]:
    """Load the Wikipedia weasel/hedge sentences (``wiki-weasel/train.csv``).

    Parameters
    ----------
    root : str or path-like, optional
        The data folder; :func:`resolve_data_root` when omitted.

    Returns
    -------
    list of BenchSentence
        One per row with a non-empty text, in file order (rows whose text
        is empty are skipped with a warning). ``text`` is the row's
        PTB-tokenised text passed through :func:`ptb_detokenize`; ``label``
        is ``bool(label)`` (True = uncertain); ``group`` is the stable row id
        ``"weasel-NNNNN"`` (1-based data-row number). The file carries no
        article information, so every sentence is its own group -- except
        that rows repeating an earlier row's text verbatim share that row's
        group, so that duplicates never straddle cross-validation folds;
        ``outlet`` is ``"wikipedia"``; ``extra`` holds ``ptb_text`` (the raw
        text) and ``line`` (the row's first line in the file).

    Raises
    ------
    DatasetMissing
        When the file is absent.
    ValueError
        On a missing ``text``/``label`` column or a label other than 0 or
        1; the message names ``file:line`` and the value.
    """
    path = _require_file("weasel", _root(root) / _WEASEL_FILE)
    sentences: list[BenchSentence] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise ValueError(f"{path}:1: empty file, expected a header") from None
        if "text" not in header or "label" not in header:
            raise ValueError(f"{path}:1: expected columns text,label, got {header!r}")
        i_text, i_label = header.index("text"), header.index("label")
        previous_end = reader.line_num
        row_number = 0
        empty = 0
        first_row: dict[str, int] = {}
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not row or all(cell.strip() == "" for cell in row):
                continue
            row_number += 1
            where = f"{path}:{line}"
            if len(row) <= max(i_text, i_label):
                raise ValueError(f"{where}: too few fields: {row!r}")
            raw_label = row[i_label].strip()
            if raw_label not in ("0", "1"):
                raise ValueError(f"{where}: label must be 0 or 1, got {raw_label!r}")
            raw_text = row[i_text].strip()
            text = ptb_detokenize(raw_text)
            if not text:
                empty += 1
                logger.debug("%s: empty text, row skipped", where)
                continue
            group_row = first_row.setdefault(raw_text, row_number)
            sentences.append(
                BenchSentence(
                    text=text,
                    label=bool(int(raw_label)),
                    group=f"weasel-{group_row:05d}",
                    outlet="wikipedia",
                    extra={"ptb_text": raw_text, "line": line},
                )
            )
    if empty:
        # Once per file and process: the benchmarks read the data set twice (its own run and the transfer run).
        key = (str(Path(path).resolve()), empty)
        (logger.debug if key in _WARNED else logger.warning)("weasel: %d row(s) with an empty text skipped in %s", empty, path)
        _WARNED.add(key)
    logger.info(
        "weasel: %d sentences (%d uncertain) from %s",
        len(sentences),
        sum(1 for s in sentences if s.label),
        path,
    )
    return sentences


def weasel_sentences(root: Path) -> list[LabeledSentence]:
    """The weasel set as training sentences labelling ``hedged`` only."""
    return [
        LabeledSentence(text=item.text, labels={"hedged": bool(item.label)}, article=f"wiki-weasel:{item.group}", source="wikipedia")
        for item in load_weasel(root)
    ]
