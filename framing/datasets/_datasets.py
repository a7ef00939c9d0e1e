"""Loaders for the external, human-labelled benchmark data sets.

The benchmark suite measures the library against public data that nobody on
the project wrote. That data lives *outside* the repository (by default in
``../shared/data`` next to the repository root) and is never copied into it:
these loaders read it from a path and return plain :class:`BenchSentence`
records. A missing folder or file raises :class:`DatasetMissing`, which the
benchmark runner turns into a one-line "skipped" message.

Three data sets are supported:

``babe``
    BABE (Spinde et al. 2021), ``babe/final_labels_SG2.csv``: sentences from
    US news outlets labelled Biased / Non-biased by experts, with the words
    the annotators marked as biased. Measures loaded wording.
``weasel``
    The Wikipedia part of the CoNLL-2010 uncertainty task as a binary
    sentence set, ``wiki-weasel/train.csv``. Measures hedging.
``polnear``
    PolNeAR (Newell et al. 2018), ``polnear/data/{train,dev}``: election news
    articles with BRAT stand-off annotation of attribution Source, Cue and
    Content spans. Segmented with :func:`framing.text.segment` and turned into
    one ``"named"`` / ``"anonymous"`` / ``"none"`` label per unit. Measures
    attribution.

Only the standard library is used, plus :func:`framing.text.segment` for
PolNeAR, so the loaders run wherever the library runs.
"""

from __future__ import annotations

import ast
import csv
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from ..errors import FramingError

__all__ = [
    "DatasetMissing",
    "BenchSentence",
    "ENV_VAR",
    "POLNEAR_SPLITS",
    "POLNEAR_LABELS",
    "resolve_data_root",
    "load_babe",
    "load_weasel",
    "load_polnear",
    "available_datasets",
    "ptb_detokenize",
    "classify_source",
    "parse_brat",
    "BratSpan",
    "BratRelation",
]

logger = logging.getLogger(__name__)

PathLike = Union[str, "os.PathLike[str]"]

#: Environment variable that points at the external data folder.
ENV_VAR = "FRAMING_BENCH_DATA"

#: The PolNeAR splits that are available here (the test split is not).
POLNEAR_SPLITS = ("train", "dev")

#: The labels :func:`load_polnear` assigns, in a fixed order.
POLNEAR_LABELS = ("named", "anonymous", "none")

_BABE_FILE = Path("babe") / "final_labels_SG2.csv"
_WEASEL_FILE = Path("wiki-weasel") / "train.csv"
_POLNEAR_DIR = Path("polnear") / "data"
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


class DatasetMissing(FramingError):
    """A benchmark data set is not where it was looked for.

    The message is one line naming the data set and the path looked for, so
    that a benchmark runner can print it as the reason for skipping.
    """


@dataclass(frozen=True)
class BenchSentence:
    """One labelled unit of benchmark text.

    Attributes
    ----------
    text : str
        The sentence (or unit) text.
    label : object
        The gold label: ``bool`` for BABE (biased) and the weasel set
        (uncertain); ``"named"``, ``"anonymous"`` or ``"none"`` for PolNeAR.
    group : str
        Identifier of the document the unit comes from (article URL or article
        file name), for grouped cross-validation. Units from one document
        share a group.
    outlet : str
        The publishing outlet (``"wikipedia"`` for the weasel set).
    extra : dict
        Data-set specific fields; see each loader. Not used for hashing.
    """

    text: str
    label: object
    group: str
    outlet: str
    extra: dict = field(default_factory=dict, hash=False)


# ---------------------------------------------------------------------------
# locating the data
# ---------------------------------------------------------------------------


def resolve_data_root(explicit: PathLike | None = None) -> Path:
    """Return the folder that holds the external benchmark data.

    Parameters
    ----------
    explicit : str or path-like, optional
        A folder given on the command line. Wins over everything else.

    Returns
    -------
    pathlib.Path
        In order of precedence: `explicit`; the environment variable
        ``FRAMING_BENCH_DATA`` when set and non-empty; else ``../shared/data``
        relative to the working directory (run from a checkout of the
        repository that sits beside ``shared/``). The folder is not required to exist: each loader
        raises :class:`DatasetMissing` when its own files are absent.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    # Relative to the working directory: a checkout of the repository sits beside ``shared/``.
    return Path("..") / "shared" / "data"


def _root(root: PathLike | None) -> Path:
    return resolve_data_root(root) if root is None else Path(root).expanduser()


def _require_file(dataset: str, path: Path) -> Path:
    if not path.is_file():
        raise DatasetMissing(f"{dataset}: file not found: {path}")
    return path


def _require_dir(dataset: str, path: Path) -> Path:
    if not path.is_dir():
        raise DatasetMissing(f"{dataset}: folder not found: {path}")
    return path


def available_datasets(root: PathLike | None = None) -> dict[str, bool]:
    """Report which benchmark data sets are present under `root`.

    Parameters
    ----------
    root : str or path-like, optional
        The data folder; :func:`resolve_data_root` when omitted.

    Returns
    -------
    dict of str to bool
        Keys ``"babe"``, ``"weasel"`` and ``"polnear"``. ``"polnear"`` is
        true only when both the train and dev splits have their ``text`` and
        ``attributions`` folders. Only presence is checked, not content.
    """
    base = _root(root)
    polnear = all(
        (base / _POLNEAR_DIR / split / sub).is_dir()
        for split in POLNEAR_SPLITS
        for sub in ("text", "attributions")
    )
    return {
        "babe": (base / _BABE_FILE).is_file(),
        "weasel": (base / _WEASEL_FILE).is_file(),
        "polnear": polnear,
    }


# ---------------------------------------------------------------------------
# BABE
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# wiki-weasel
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# PolNeAR: BRAT stand-off parsing
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# PolNeAR: named / anonymous source heuristic
# ---------------------------------------------------------------------------

#: Pronouns (personal, possessive, reflexive, relative). A source made only of
#: these resolves to "named": in news they overwhelmingly refer back to a
#: named antecedent. "you" and "one" are generic and are deliberately absent.
_PRONOUNS: frozenset[str] = frozenset(
    """
    i me my mine myself we us our ours ourselves
    he him his himself she her hers herself it its itself
    they them their theirs themselves
    who whom whose which that
    """.split()
)

#: Capitalised words that are not proper names: function words that open a
#: sentence, vague quantifiers and descriptions, titles without a name, and
#: generic group words (party members, nationalities, ideologies).
_NOT_NAMES: frozenset[str] = frozenset(
    """
    a an the this these those that some many most several few all both each
    every any another other others one no none neither either such much more
    and or but of for in on at by with from to as according also even only
    there here what when where while if then than so not
    you your yours yourself yourselves one's
    officials official sources source analysts analyst experts expert critics
    critic people person observers observer insiders insider aides aide
    advisers adviser advisors advisor allies ally supporters supporter
    opponents opponent spokesman spokeswoman spokesperson spokespeople
    representative representatives residents resident voters voter
    lawmakers lawmaker leaders leader members member staff staffers staffer
    activists activist protesters protester strategists strategist
    operatives operative donors donor insiders friends friend family
    reports report studies study survey surveys poll polls polling data
    documents document records statement statements researchers researcher
    scientists scientist economists economist pollsters pollster
    observers commentators commentator pundits pundit investigators
    authorities police prosecutors prosecutor officers officer
    president vice senator sen rep gov governor mayor mr mrs ms dr
    secretary minister judge chairman chairwoman chair director
    candidate candidates nominee nominees campaign administration
    government agency department committee office spokesman
    republican republicans democrat democrats democratic gop
    conservative conservatives liberal liberals progressive progressives
    independent independents evangelical evangelicals libertarian
    libertarians moderate moderates american americans
    """.split()
)

#: Organisations that count as named even when they open a sentence or are
#: written in lower case.
_KNOWN_ORGS: frozenset[str] = frozenset(
    """
    ap afp reuters bloomberg cnn msnbc nbc abc cbs fox npr pbs bbc politico
    breitbart gallup pew quinnipiac fbi cia nsa doj dhs epa irs pentagon
    congress senate nato un who
    """.split()
) - {"who"}

#: Words (lower case) that make a noun-phrase head a vague description of
#: people or sources when they head the source phrase: "Sanders supporters",
#: "officials in the FBI", "a Trump spokesman". Any other lower-case plural
#: head counts as vague too ("many World Bank watchers").
_VAGUE_HEADS: frozenset[str] = frozenset(
    """
    official source analyst expert critic person observer insider aide
    adviser advisor ally supporter opponent spokesman spokeswoman
    spokesperson representative resident voter lawmaker leader member staffer
    activist protester strategist operative donor friend executive
    researcher scientist economist pollster commentator pundit investigator
    officer prosecutor diplomat worker employee
    people staff police family some many most several few all both each
    others another one none more
    republicans democrats conservatives liberals progressives independents
    evangelicals libertarians moderates americans gop
    """.split()
)

#: Words after which a noun phrase's pre-modifiers and head are over:
#: prepositions, relative pronouns and similar post-modifier openers.
_POSTMODIFIER: frozenset[str] = frozenset(
    """
    of in at from with for on by to among across inside within outside near
    who whom whose which that including like such familiar close involved
    working based
    """.split()
)

_WORD = re.compile(r"[^\W\d_](?:[\w\-.&]*[^\W_])?\.?")
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’]s\b|(?<=s)['’](?=\W|$)")
_SEGMENT_BREAK = re.compile(r",(?!\d)|\(|\)|\[|\]|—|–|\s--\s|;|\s(?:and|&)\s")
_OPENERS = "\"'“‘«([{"


def _is_sentence_initial(text: str, position: int) -> bool:
    """True when only white space and opening quotes separate `position` from a sentence start."""
    i = position - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    if i < 0:
        return True
    if text[i] in ".!?…:\n\r":
        return True
    if text[i] in "\"”’'" and i > 0 and text[i - 1] in ".!?,":
        return True
    return False


def _is_vague_head(word: str) -> bool:
    lower = word.rstrip(".").lower()
    if lower in _VAGUE_HEADS or lower.rstrip("s") in _VAGUE_HEADS:
        return True
    # any other lower-case plural noun: "watchers", "contenders", "courts"
    return word.islower() and len(word) > 3 and word.endswith("s") and not word.endswith(
        ("ss", "us", "is")
    )


def _is_name_token(
    word: str, first: bool, sentence_initial: bool, lowercase_words: frozenset[str]
) -> bool:
    core = word.rstrip(".")
    lower = core.lower()
    if lower in _KNOWN_ORGS:
        return True
    if not core or not core[0].isupper():
        return False
    if len(core) == 1 and core != "I":
        return False
    if lower in _NOT_NAMES or lower in _PRONOUNS:
        return False
    if first and sentence_initial and lower in lowercase_words:
        return False
    return True


def classify_source(
    source: str,
    *,
    sentence_initial: bool = False,
    lowercase_words: frozenset[str] = frozenset(),
) -> str:
    """Classify an attribution's Source span as a named or anonymous source.

    Parameters
    ----------
    source : str
        The text of the Source span.
    sentence_initial : bool, optional
        True when the span opens a sentence, so that its first word is
        capitalised by position rather than because it is a name.
    lowercase_words : frozenset of str, optional
        Words seen in lower case elsewhere in the article; a sentence-initial
        capitalised word found here is a common word ("Protesters"), not a
        name.

    Returns
    -------
    str
        ``"named"`` or ``"anonymous"``, by these rules, in order (possessive
        ``'s`` is dropped first):

        1. A *proper-name token* is a word that starts with a capital letter,
           is not a single letter other than "I" (interview markers "Q" /
           "A"), is not a function word, vague noun, title without a name
           ("President", "Sen.") or generic group word ("Democrats", "GOP",
           "Americans"; see ``_NOT_NAMES``), and, when it opens a sentence,
           is not a word the article also uses in lower case; a known
           organisation ("Reuters", "FBI", "CNN"; see ``_KNOWN_ORGS``) is one
           in any case.
        2. **anonymous** if the head of the source phrase -- the last word of
           its first part (parts are separated by commas, brackets, dashes
           and "and") before a post-modifier such as "of", "in", "who",
           "familiar" -- is a vague word ("officials", "supporters",
           "spokesman", "some", "Democrats", or any lower-case plural), and
           no later part (an apposition such as ", Jason Miller," or a
           coordinated "and Sen. Graham") holds a proper-name token. So
           "officials in the FBI", "Bernie Sanders supporters" and "a Trump
           spokesman" are anonymous, while "a Trump spokesman, Jason Miller"
           and "Sanders and allies" are named.
        3. **named** if the span holds a proper-name token ("Trump",
           "Mr. Obama", "the Clinton campaign", "The New York Times").
        4. **named** if every word of the span is a pronoun (personal,
           possessive, reflexive or relative: "he", "She", "they", "it",
           "we", "I", "his", "who", "which", "that"): in news such pronouns
           overwhelmingly refer back to a named antecedent. "you" and "one"
           are generic and do not count.
        5. **anonymous** otherwise: vague or unnamed descriptions
           ("officials", "sources", "analysts", "experts", "critics", "some",
           "a spokesman", "the poll", "his campaign").

    Examples
    --------
    >>> classify_source("Sen. Ted Cruz")
    'named'
    >>> classify_source("senior officials in the FBI")
    'anonymous'
    >>> classify_source("a Trump spokesman, Jason Miller,")
    'named'
    >>> classify_source("he")
    'named'
    """
    cleaned = _POSSESSIVE.sub("", source)
    parts = [_WORD.findall(part) for part in _SEGMENT_BREAK.split(cleaned)]
    parts = [words for words in parts if words]
    if not parts:
        return "anonymous"
    names = [
        [
            _is_name_token(word, p == 0 and i == 0, sentence_initial, lowercase_words)
            for i, word in enumerate(words)
        ]
        for p, words in enumerate(parts)
    ]
    first = parts[0]
    cut = next(
        (i for i, word in enumerate(first) if i > 0 and word.lower() in _POSTMODIFIER),
        len(first),
    )
    head = first[cut - 1]
    if _is_vague_head(head) and not any(any(flags) for flags in names[1:]):
        return "anonymous"
    if any(any(flags) for flags in names):
        return "named"
    words = [word for part in parts for word in part]
    if all(word.rstrip(".").lower() in _PRONOUNS for word in words):
        return "named"
    return "anonymous"


# ---------------------------------------------------------------------------
# PolNeAR: loader
# ---------------------------------------------------------------------------

_ATTRIBUTION_TYPES = frozenset({"Source", "Cue", "Attribution", "Attribution-no-source"})


def _polnear_outlets(data_dir: Path) -> dict[str, str]:
    path = data_dir / "metadata.tsv"
    if not path.is_file():
        logger.info("polnear: no %s, outlets taken from file-name prefixes", path)
        return {}
    outlets: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if not reader.fieldnames or "filename" not in reader.fieldnames:
            logger.warning("polnear: %s has no 'filename' column; ignored", path)
            return {}
        for row in reader:
            name = (row.get("filename") or "").strip()
            publisher = (row.get("publisher") or "").strip()
            if name and publisher:
                outlets[name] = publisher
    return outlets


def _annotation_files(att_dir: Path) -> dict[str, list[Path]]:
    """Map article name to its ``NAME_ANNOTATOR.ann`` files, sorted by name."""
    files: dict[str, list[Path]] = {}
    for path in sorted(att_dir.glob("*.ann")):
        name, sep, annotator = path.stem.rpartition("_")
        if not sep or not name or not annotator:
            logger.warning("polnear: unexpected annotation file name %s, skipped", path.name)
            continue
        files.setdefault(name, []).append(path)
    return files


def _label_units(
    text: str, spans: dict[str, BratSpan], relations: Sequence[BratRelation]
) -> list[tuple[object, str, bool]]:
    """Return ``(unit, label, has_source_span)`` for each unit of `text`."""
    from framing.text import segment

    lowercase_words = frozenset(w for w in re.findall(r"[^\W\d_]+", text) if w.islower())
    kinds: dict[str, str] = {}

    def kind(span: BratSpan) -> str:
        if span.id not in kinds:
            kinds[span.id] = classify_source(
                " ".join(text[s:e] for s, e in span.fragments),
                sentence_initial=_is_sentence_initial(text, span.start),
                lowercase_words=lowercase_words,
            )
        return kinds[span.id]

    attribution_spans = [s for s in spans.values() if s.type in _ATTRIBUTION_TYPES]
    # A relation reaches a unit through its trigger, its cue(s) or its source(s).
    linked = [
        (frozenset([r.trigger, *r.ids("Cue"), *r.ids("Source")]), r.ids("Source"))
        for r in relations
    ]
    out = []
    for unit in segment(text):
        start, end = unit.start, unit.end
        here = [s for s in attribution_spans if s.overlaps(start, end)]
        if not here:
            out.append((unit, "none", False))
            continue
        direct_sources = [s for s in here if s.type == "Source"]
        sources = {s.id: s for s in direct_sources}
        here_ids = {s.id for s in here}
        for keys, source_ids in linked:
            if not here_ids.isdisjoint(keys):
                for source_id in source_ids:
                    sources[source_id] = spans[source_id]
        if any(kind(s) == "named" for s in sources.values()):
            label = "named"
        else:
            label = "anonymous"
        out.append((unit, label, bool(direct_sources)))
    return out


def load_polnear(root: PathLike | None = None, split: str = "train") -> list[BenchSentence]:
    """Load a PolNeAR split as units labelled by the kind of attribution.

    Each article ``polnear/data/{split}/text/NAME.txt`` is segmented with
    :func:`framing.text.segment`, and each unit is labelled from ONE
    annotator's BRAT file, ``polnear/data/{split}/attributions/NAME_ANNOT.ann``
    (the first by sorted file name; some articles have up to six annotators).

    Labelling heuristics (reported by the benchmark):

    - ``"none"``: no Source, Cue or Attribution trigger span (types
      ``Source``, ``Cue``, ``Attribution``, ``Attribution-no-source``)
      overlaps the unit. A unit covered only by a Content span -- for
      example the second sentence of a long quotation whose cue sits in
      another sentence -- is therefore ``"none"``. ``Discard`` and
      ``Discuss`` spans (annotators' working marks) are ignored.
    - otherwise the unit carries an attribution. Its sources are the Source
      spans overlapping the unit plus the Source spans linked, through an
      ``E`` relation, to a cue/trigger or source in the unit (so a cue in
      this sentence whose source is in the previous one still counts). Each
      source is classified by :func:`classify_source`:

      * ``"anonymous"`` if the head of the source phrase is a vague word
        and no apposition or coordinated part names anyone: "officials in
        the FBI", "Bernie Sanders supporters", "a Trump spokesman" (but "a
        Trump spokesman, Jason Miller," is named);
      * ``"named"`` if it contains a capitalised proper-name token that is
        not a sentence-initial common word, function word, vague noun, bare
        title or generic group word ("Trump", "Mr. Obama", "the Clinton
        campaign", "The New York Times"), or a known organisation
        ("Reuters", "FBI");
      * ``"named"`` if it is only pronouns ("he", "She", "they", "it", "we",
        "I", "his", "who", "which"...): in news these overwhelmingly refer
        back to a named antecedent;
      * ``"anonymous"`` otherwise: vague or unnamed descriptions
        ("officials", "sources", "analysts", "experts", "critics", "some",
        "a spokesman", "the poll", "Democrats", "you").

      The unit is ``"named"`` when any of its sources is named, else
      ``"anonymous"`` -- which includes attributions without any Source
      (``Attribution-no-source``, e.g. "it was reported that").

    Parameters
    ----------
    root : str or path-like, optional
        The data folder; :func:`resolve_data_root` when omitted.
    split : {"train", "dev"}
        Which split to load.

    Returns
    -------
    list of BenchSentence
        In article-name order, then text order. ``group`` is the article
        name; ``outlet`` the publisher from ``polnear/data/metadata.tsv`` when
        listed there, else the file-name prefix before the first ``_``;
        ``extra`` holds ``has_source_span`` (a Source span overlaps the unit),
        ``annotator`` (id of the annotator file used) and ``start``/``end``
        (the unit's offsets in the article).

    Raises
    ------
    DatasetMissing
        When the split's ``text`` or ``attributions`` folder is absent.
    ValueError
        When `split` is not ``"train"`` or ``"dev"``.
    """
    if split not in POLNEAR_SPLITS:
        raise ValueError(f"split must be one of {POLNEAR_SPLITS}, got {split!r}")
    data_dir = _root(root) / _POLNEAR_DIR
    text_dir = _require_dir(f"polnear/{split}", data_dir / split / "text")
    att_dir = _require_dir(f"polnear/{split}", data_dir / split / "attributions")
    outlets = _polnear_outlets(data_dir)
    annotations = _annotation_files(att_dir)

    sentences: list[BenchSentence] = []
    unannotated = 0
    for text_path in sorted(text_dir.glob("*.txt")):
        name = text_path.stem
        candidates = annotations.get(name)
        if not candidates:
            unannotated += 1
            logger.warning("polnear/%s: no annotation file for %s, skipped", split, name)
            continue
        ann_path = candidates[0]
        annotator = ann_path.stem.rpartition("_")[2]
        text = text_path.read_text(encoding="utf-8")
        ann = ann_path.read_text(encoding="utf-8")
        spans, relations = parse_brat(ann, text_length=len(text), source=str(ann_path))
        outlet = outlets.get(name) or name.split("_", 1)[0]
        for unit, label, has_source in _label_units(text, spans, relations):
            sentences.append(
                BenchSentence(
                    text=unit.text,
                    label=label,
                    group=name,
                    outlet=outlet,
                    extra={
                        "has_source_span": has_source,
                        "annotator": annotator,
                        "start": unit.start,
                        "end": unit.end,
                    },
                )
            )
    if unannotated:
        logger.warning("polnear/%s: %d article(s) without annotation skipped", split, unannotated)
    counts = {label: 0 for label in POLNEAR_LABELS}
    for sentence in sentences:
        counts[sentence.label] += 1
    logger.info("polnear/%s: %d units %s from %s", split, len(sentences), counts, text_dir)
    return sentences
