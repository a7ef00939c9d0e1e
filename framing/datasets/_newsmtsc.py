"""NewsMTSC (Hamborg & Donnay 2021, MIT), ``newsmtsc/<split>.jsonl``: the sentiment of a news sentence toward each marked person.

Each line is one sentence (``sentence_normalized``) with one or more targets
(``from``/``to`` character offsets, ``mention``, ``polarity`` 2.0 negative,
4.0 neutral, 6.0 positive). :func:`newsmtsc_targets` turns every target into a
:class:`framing.datasets.TargetItem`, the record the project's own target
labels use, so that both train one stance model. :func:`newsmtsc_group` is the
article a sentence comes from (the grouping key of cross-validation).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..voice._quotes import quotes_of
from ._base import PathLike, _require_dir, _require_file, _root
from ._project_labels import TargetItem, json_object, required_field

__all__ = ["NEWSMTSC_SPLITS", "NEWSMTSC_POLARITY", "newsmtsc_targets", "newsmtsc_groups", "newsmtsc_group", "quoted_span"]

logger = logging.getLogger(__name__)

_NEWSMTSC_DIR = Path("newsmtsc")
#: The files of the data set: ``train`` to learn from, ``devtest_rw`` / ``devtest_mt`` to measure on.
NEWSMTSC_SPLITS = ("train", "devtest_rw", "devtest_mt")
#: NewsMTSC's polarity codes and the stance class each one is.
NEWSMTSC_POLARITY = {2.0: "unfavourable", 4.0: "neutral", 6.0: "favourable"}


def newsmtsc_group(primary_gid: str) -> str:
    """The article of a NewsMTSC sentence: its ``primary_gid`` up to the sentence number.

    Examples
    --------
    >>> newsmtsc_group("allsides_1000_401_25_Reality Leigh Winner_0_6")
    'allsides_1000_401'
    >>> newsmtsc_group("polusa_v1_4354039_-1_7_Some Name_1_3")
    'polusa_v1_4354039'
    """
    return "_".join(primary_gid.split("_")[:3])


def quoted_span(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside a direct quotation of ``text`` (by :func:`framing.voice.quotes_of`).

    Examples
    --------
    >>> sentence = 'He said "Smith lied" on Monday.'
    >>> quoted_span(sentence, 9, 14), quoted_span(sentence, 0, 2)
    (True, False)
    """
    return any(a <= start and end <= b for quote in quotes_of(text) for a, b in quote.spans)


def newsmtsc_targets(root: PathLike | None = None, split: str = "train") -> list[TargetItem]:
    """Every target of one NewsMTSC split as a :class:`framing.datasets.TargetItem`.

    Parameters
    ----------
    root : str or path-like, optional
        The external data folder (see :func:`framing.datasets.resolve_data_root`);
        the files are read from ``<root>/newsmtsc/<split>.jsonl``.
    split : {"train", "devtest_rw", "devtest_mt"}, default="train"

    Returns
    -------
    list of TargetItem
        In file order, the targets of a line in their order: ``text`` the
        ``sentence_normalized``, ``start``/``end`` the target's ``from``/``to``,
        ``stance`` from :data:`NEWSMTSC_POLARITY`, ``voice`` ``"quoted"`` when
        the mention stands inside quotation marks (else ``"author"``),
        ``side`` ``""``, ``not_actor`` False, ``source`` ``"newsmtsc"``, ``id``
        ``"<split>:<0-based line>:<target index>"``. The article of an item is
        :func:`newsmtsc_group` of the line's ``primary_gid``, which
        :func:`newsmtsc_groups` returns in the same order.

    Raises
    ------
    DatasetMissing
        The folder or the split's file is absent.
    ValueError
        An unknown split, or a malformed line (naming ``file:line`` and the field).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "newsmtsc").mkdir()
    >>> line = {"primary_gid": "allsides_1_2_3_x", "sentence_normalized": "Smith won.",
    ...         "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 6.0}]}
    >>> _ = (root / "newsmtsc" / "train.jsonl").write_text(json.dumps(line) + "\\n")
    >>> [(t.mention, t.stance, t.voice, t.id) for t in newsmtsc_targets(root)]
    [('Smith', 'favourable', 'author', 'train:0:0')]
    """
    return [item for item, _ in _read(root, split)]


def newsmtsc_groups(root: PathLike | None = None, split: str = "train") -> list[str]:
    """The article (:func:`newsmtsc_group`) of every item :func:`newsmtsc_targets` returns, in the same order."""
    return [group for _, group in _read(root, split)]


def _read(root: PathLike | None, split: str) -> list[tuple[TargetItem, str]]:
    if split not in NEWSMTSC_SPLITS:
        raise ValueError(f"unknown NewsMTSC split {split!r}; allowed: {', '.join(NEWSMTSC_SPLITS)}")
    folder = _require_dir("newsmtsc", _root(root) / _NEWSMTSC_DIR)
    path = _require_file("newsmtsc", folder / f"{split}.jsonl")
    out: list[tuple[TargetItem, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if not line.strip():
                continue
            where = f"{path}:{number + 1}"
            record = json_object(line, where)
            text = required_field(record, "sentence_normalized", (str,), where)
            group = newsmtsc_group(required_field(record, "primary_gid", (str,), where))
            targets = required_field(record, "targets", (list,), where)
            for k, target in enumerate(targets):
                here = f"{where}: target {k}"
                if not isinstance(target, dict):
                    raise ValueError(f"{here}: expected a JSON object, got {type(target).__name__}")
                start, end = required_field(target, "from", (int,), here), required_field(target, "to", (int,), here)
                mention = required_field(target, "mention", (str,), here)
                polarity = required_field(target, "polarity", (int, float), here)
                if polarity not in NEWSMTSC_POLARITY:
                    raise ValueError(f"{here}: field 'polarity': {polarity!r} is not one of 2.0, 4.0, 6.0")
                if not 0 <= start < end <= len(text) or text[start:end] != mention:
                    raise ValueError(f"{here}: field 'mention': text[{start}:{end}] is {text[start:end]!r}, "
                                     f"the line says {mention!r}")
                item = TargetItem(text=text, start=start, end=end, mention=mention, side="",
                                  stance=NEWSMTSC_POLARITY[polarity],
                                  voice="quoted" if quoted_span(text, start, end) else "author",
                                  not_actor=False, source="newsmtsc", id=f"{split}:{number}:{k}")
                out.append((item, group))
    logger.info("%s: %d targets", path, len(out))
    return out
