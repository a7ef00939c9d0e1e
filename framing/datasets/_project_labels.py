"""The project's own labels of external sentences: ``labeled/frames.jsonl`` and ``labeled/targets.jsonl``.

The label files hold ids only (``source``, ``id``, ``sha1``): the sentence text
is read back from the external data folder and checked against ``sha1`` (first
12 hex digits of SHA-1 over the UTF-8 text exactly as stored). How the ids were
formed is fixed by ``labeled/annotations/frames_v1/select_units.py`` and
``labeled/annotations/targets_v1/select_items.py``:

- ``anno-lexical`` / ``<split>:<sentence_id>`` (``anno-lexical/<split>.parquet``);
- ``babe`` / ``row:<i>``, ``i`` the 0-based data row of ``babe/final_labels_SG2.csv``
  (header excluded; the ``No agreement`` row was never selected but is counted);
- ``polnear`` / ``<split>/<stem>:<start>-<end>``, character offsets in
  ``polnear/data/<split>/text/<stem>.txt`` (UTF-8);
- ``ukraine-news-bias`` / ``article_<N>:<position_in_article>``;
- ``newsmtsc`` / ``train:<0-based line of newsmtsc/train.jsonl>`` (``sentence_normalized``).

The text is the stored string, unstripped, so the readers below read the files
directly rather than through the adapters (which strip or re-segment).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data._schema import LabeledSentence
from ._anno_lexical import ANNO_SPLITS, read_parquet_columns
from ._babe import _BABE_FILE
from ._base import DatasetMissing, PathLike, _require_dir, _require_file
from ._polnear import _POLNEAR_DIR

logger = logging.getLogger(__name__)

#: Default label files, relative to the working directory (like the data root default).
DEFAULT_FRAMES_FILE = Path("labeled") / "frames.jsonl"
DEFAULT_TARGETS_FILE = Path("labeled") / "targets.jsonl"

#: The sources a label line may name.
LABEL_SOURCES = ("anno-lexical", "babe", "polnear", "ukraine-news-bias", "newsmtsc")

_POLNEAR_ID = re.compile(r"^(?P<split>train|dev|test)/(?P<stem>[^:/]+):(?P<start>\d+)-(?P<end>\d+)$")
_UKRAINE_ID = re.compile(r"^(?P<article>article_\d+):(?P<pos>-?\d+)$")


def sha1_12(text: str) -> str:
    """First 12 hex digits of the SHA-1 of ``text`` encoded as UTF-8.

    Examples
    --------
    >>> sha1_12("abc")
    'a9993e364706'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class TargetItem:
    """One stance judgement toward an actor mention in an external sentence.

    Attributes
    ----------
    text : str
        The sentence exactly as stored in the data set.
    start, end : int
        Character offsets of the mention: ``text[start:end] == mention``.
    mention : str
        The marked actor mention.
    side : str
        The side the mention denotes (e.g. ``"russia"``, ``"ukraine"``).
    stance : str
        The stance of the sentence toward the actor.
    voice : str
        Whose stance it is (e.g. ``"author"``, ``"quoted"``).
    not_actor : bool
        True when the mention does not denote the side as an actor.
    source : str
        The data set (one of :data:`LABEL_SOURCES`).
    id : str
        The sentence id within the source (see the module docstring).
    """

    text: str
    start: int
    end: int
    mention: str
    side: str
    stance: str
    voice: str
    not_actor: bool
    source: str
    id: str


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "source": (str,), "id": (str,), "sha1": (str,), "frames": (list,),
    "start": (int,), "end": (int,), "mention": (str,), "side": (str,), "stance": (str,), "voice": (str,), "not_actor": (bool,),
}


def json_object(line: str, where: str) -> dict[str, Any]:
    """One line of a JSON-lines file as an object, or a ValueError naming ``where`` (``file:line``).

    Examples
    --------
    >>> json_object("[1]", "f.jsonl:3")
    Traceback (most recent call last):
    ...
    ValueError: f.jsonl:3: expected a JSON object, got list
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not valid JSON: {error}") from None
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(record).__name__}")
    return record


def required_field(record: dict[str, Any], name: str, types: tuple[type, ...], where: str) -> Any:
    """``record[name]``, or a ValueError naming ``where``, the field and the types allowed (a bool is not an int).

    Examples
    --------
    >>> required_field({"start": True}, "start", (int,), "f.jsonl:4")
    Traceback (most recent call last):
    ...
    ValueError: f.jsonl:4: field 'start': expected int, got True
    """
    if name not in record:
        raise ValueError(f"{where}: field {name!r} is missing")
    value = record[name]
    if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
        raise ValueError(f"{where}: field {name!r}: expected {' or '.join(t.__name__ for t in types)}, got {value!r}")
    return value


def parse_label_line(line: str, where: str, fields: tuple[str, ...] = ("source", "id", "sha1")) -> dict[str, Any]:
    """Parse and check one JSON label line.

    Parameters
    ----------
    line : str
        One line of a label file.
    where : str
        ``file:line``, used in error messages.
    fields : tuple of str
        Fields that must be present (with the type the label files use).

    Returns
    -------
    dict
        The parsed record.

    Raises
    ------
    ValueError
        The line is not a JSON object, a field is missing or has the wrong
        type, or ``source`` is not one of :data:`LABEL_SOURCES`.

    Examples
    --------
    >>> parse_label_line('{"source": "babe", "id": "row:3", "sha1": "0123456789ab"}', "f.jsonl:1")["id"]
    'row:3'
    >>> parse_label_line('{"source": "bbc", "id": "x", "sha1": "0"}', "f.jsonl:2")
    Traceback (most recent call last):
    ...
    ValueError: f.jsonl:2: field 'source': unknown source 'bbc'; allowed: anno-lexical, babe, polnear, ukraine-news-bias, newsmtsc
    """
    record = json_object(line, where)
    for name in fields:
        required_field(record, name, _FIELD_TYPES.get(name, (object,)), where)
    if record["source"] not in LABEL_SOURCES:
        raise ValueError(f"{where}: field 'source': unknown source {record['source']!r}; allowed: {', '.join(LABEL_SOURCES)}")
    return record


# --- text lookup, one loader per source (each loaded once, on first use) ----------------------------


def _anno_lexical_texts(root: Path) -> dict[str, str]:
    folder = _require_dir("anno-lexical", root / "anno-lexical")
    paths = [_require_file("anno-lexical", folder / f"{split}.parquet") for split in ANNO_SPLITS]
    texts = {}
    for split, table in zip(ANNO_SPLITS, read_parquet_columns(paths, ["text", "sentence_id"])):
        for text, sentence_id in zip(table["text"], table["sentence_id"]):
            texts[f"{split}:{sentence_id}"] = str(text)
    return texts


def _babe_texts(root: Path) -> dict[str, str]:
    path = _require_file("babe", root / _BABE_FILE)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {f"row:{i}": row["text"] for i, row in enumerate(csv.DictReader(handle, delimiter=";"))}


def _newsmtsc_texts(root: Path) -> dict[str, str]:
    path = _require_file("newsmtsc", root / "newsmtsc" / "train.jsonl")
    with path.open(encoding="utf-8") as handle:
        return {f"train:{n}": json.loads(line)["sentence_normalized"] for n, line in enumerate(handle)}


def _ukraine_texts(root: Path) -> dict[str, str]:
    folder = _require_dir("ukraine-news-bias", root / "ukraine-news-bias" / "articles")
    texts = {}
    for path in folder.glob("article_*.json"):
        for sentence in json.loads(path.read_text(encoding="utf-8"))["sentences"]:
            texts[f"{path.stem}:{sentence['position_in_article']}"] = sentence["content"]
    return texts


class _Lookup:
    """Sentence text by (source, id), reading each source's files once, on first use."""

    def __init__(self, root: Path):
        self.root = root
        self._tables: dict[str, dict[str, str]] = {}
        self._polnear_files: dict[tuple[str, str], str] = {}
        self._loaders: dict[str, Callable[[Path], dict[str, str]]] = {
            "anno-lexical": _anno_lexical_texts, "babe": _babe_texts,
            "newsmtsc": _newsmtsc_texts, "ukraine-news-bias": _ukraine_texts,
        }

    def text(self, source: str, unit_id: str, where: str) -> str:
        if source == "polnear":
            return self._polnear(unit_id, where)
        if source not in self._tables:
            self._tables[source] = self._loaders[source](self.root)
            logger.debug("%s: %d sentences read from %s", source, len(self._tables[source]), self.root)
        try:
            return self._tables[source][unit_id]
        except KeyError:
            raise ValueError(f"{where}: field 'id': {unit_id!r} not found in {source} under {self.root}") from None

    def _polnear(self, unit_id: str, where: str) -> str:
        match = _POLNEAR_ID.match(unit_id)
        if not match:
            raise ValueError(f"{where}: field 'id': {unit_id!r} is not a polnear id; expected '<split>/<stem>:<start>-<end>'")
        key = (match["split"], match["stem"])
        if key not in self._polnear_files:
            _require_dir("polnear", self.root / _POLNEAR_DIR)
            path = self.root / _POLNEAR_DIR / key[0] / "text" / f"{key[1]}.txt"
            if not path.is_file():
                raise ValueError(f"{where}: field 'id': {unit_id!r}: article file not found: {path}")
            self._polnear_files[key] = path.read_text(encoding="utf-8")
        article = self._polnear_files[key]
        start, end = int(match["start"]), int(match["end"])
        if not 0 <= start < end <= len(article):
            raise ValueError(f"{where}: field 'id': {unit_id!r}: offsets outside the article (length {len(article)})")
        return article[start:end]


def _group(source: str, unit_id: str) -> str:
    """The grouping key for evaluation: the article where the source has one, else the sentence.

    Examples
    --------
    >>> _group("polnear", "train/cnn_x:10-50"), _group("ukraine-news-bias", "article_3:7"), _group("babe", "row:4")
    ('polnear:train/cnn_x', 'ukraine-news-bias:article_3', 'babe:row:4')
    """
    if source == "polnear":
        return f"polnear:{unit_id.rsplit(':', 1)[0]}"
    if source == "ukraine-news-bias":
        match = _UKRAINE_ID.match(unit_id)
        return f"ukraine-news-bias:{match['article'] if match else unit_id}"
    return f"{source}:{unit_id}"


def _resolved(root: PathLike, labels_file: PathLike, fields: tuple[str, ...]):
    """Yield (where, record, text) for every line of ``labels_file``, text looked up and sha1 checked."""
    root, labels_file = Path(root), Path(labels_file)
    if not root.is_dir():
        raise DatasetMissing(f"project labels: data folder not found: {root}")
    if not labels_file.is_file():
        raise FileNotFoundError(f"label file not found: {labels_file}")
    lookup = _Lookup(root)
    with labels_file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{labels_file}:{number}"
            record = parse_label_line(line, where, fields)
            text = lookup.text(record["source"], record["id"], where)
            actual = sha1_12(text)
            if actual != record["sha1"]:
                raise ValueError(f"{where}: field 'sha1': {record['source']} id {record['id']!r}: label file has "
                                 f"{record['sha1']!r}, the data gives {actual!r}")
            yield where, record, text


def frame_label_sentences(root: PathLike, labels_file: PathLike | None = None,
                          frames: Sequence[str] | None = None) -> list[LabeledSentence]:
    """The frames_v1 labels with their sentence text read back from the external data.

    Parameters
    ----------
    root : str or path-like
        The external data folder (see :func:`framing.datasets.resolve_data_root`).
    labels_file : str or path-like, optional
        The label file; default ``labeled/frames.jsonl`` relative to the working directory.
    frames : sequence of str, optional
        The frame names a line may use (default: any string).

    Returns
    -------
    list of LabeledSentence
        One per label line, in file order: ``labels={"frames": tuple(sorted(frames))}``,
        ``article`` a grouping key (the article for PolNeAR and ukraine-news-bias, else
        the sentence), ``source`` the data set name, ``id`` the label id.

    Raises
    ------
    DatasetMissing
        A data folder or file the labels need is absent.
    ValueError
        A malformed line, an unknown source or id, a frame that is not a string (or not one of
        ``frames``), or a ``sha1`` that does not match the data (naming ``file:line``, the id and both hashes).
    """
    path = Path(labels_file) if labels_file is not None else DEFAULT_FRAMES_FILE
    sentences = []
    for where, record, text in _resolved(root, path, ("source", "id", "sha1", "frames")):
        named = record["frames"]
        bad = [f for f in named if not isinstance(f, str)]
        if bad:
            raise ValueError(f"{where}: field 'frames': expected a list of frame names (strings), got {bad[0]!r}")
        unknown = [f for f in named if frames is not None and f not in frames]
        if unknown:
            raise ValueError(f"{where}: field 'frames': unknown frame {unknown[0]!r}; allowed: {list(frames)}")
        sentences.append(LabeledSentence(text=text, labels={"frames": tuple(sorted(named))},
                                         article=_group(record["source"], record["id"]), source=record["source"], id=record["id"]))
    logger.info("%s: %d frame-labelled sentences", path, len(sentences))
    return sentences


def target_label_items(root: PathLike, labels_file: PathLike | None = None) -> list[TargetItem]:
    """The targets_v1 stance labels with their sentence text read back from the external data.

    Parameters
    ----------
    root : str or path-like
        The external data folder (see :func:`framing.datasets.resolve_data_root`).
    labels_file : str or path-like, optional
        The label file; default ``labeled/targets.jsonl`` relative to the working directory.

    Returns
    -------
    list of TargetItem
        One per label line, in file order.

    Raises
    ------
    DatasetMissing
        A data folder or file the labels need is absent.
    ValueError
        A malformed line, an unknown source or id, a ``sha1`` that does not match the
        data, or a span whose text is not ``mention`` (each naming ``file:line``).
    """
    path = Path(labels_file) if labels_file is not None else DEFAULT_TARGETS_FILE
    fields = ("source", "id", "sha1", "start", "end", "mention", "side", "stance", "voice", "not_actor")
    items = []
    for where, record, text in _resolved(root, path, fields):
        start, end = record["start"], record["end"]
        if not 0 <= start < end <= len(text) or text[start:end] != record["mention"]:
            raise ValueError(f"{where}: field 'mention': {record['source']} id {record['id']!r}: text[{start}:{end}] is "
                             f"{text[start:end]!r}, the label says {record['mention']!r}")
        items.append(TargetItem(text=text, start=start, end=end, mention=record["mention"], side=record["side"],
                                stance=record["stance"], voice=record["voice"], not_actor=record["not_actor"],
                                source=record["source"], id=record["id"]))
    logger.info("%s: %d target items", path, len(items))
    return items
