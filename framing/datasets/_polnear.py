"""PolNeAR (Newell et al. 2018), ``polnear/data/{train,dev}``: election news with BRAT attribution spans.

:func:`load_polnear` segments each article with :func:`framing.text.segment` and gives
every unit one ``"named"`` / ``"anonymous"`` / ``"none"`` label from the Source and Cue
spans it holds (:func:`classify_source` decides named against anonymous);
:func:`polnear_sentences` makes them training sentences that label ``attribution`` only,
with the Source and Cue spans.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from ..data._schema import LabeledSentence, Span
from ._base import BenchSentence, PathLike, _require_dir, _root
from ._brat import BratRelation, BratSpan, parse_brat

logger = logging.getLogger(__name__)

_POLNEAR_DIR = Path("polnear") / "data"

#: The PolNeAR splits that are available here (the test split is not).
POLNEAR_SPLITS = ("train", "dev")

#: The labels :func:`load_polnear` assigns, in a fixed order.
POLNEAR_LABELS = ("named", "anonymous", "none")


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


def _polnear_spans(root: Path, split: str, name: str, annotator: str, start: int, end: int,
                   cache: dict[str, list[tuple[str, int, int, str]]]) -> tuple[Span, ...]:
    key = f"{split}/{name}_{annotator}"
    if key not in cache:
        base = root / "polnear" / "data" / split
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        ann = (base / "attributions" / f"{name}_{annotator}.ann").read_text(encoding="utf-8")
        spans, _ = parse_brat(ann, text_length=len(text), source=key)
        kinds = {"Cue": "attribution_cue", "Source": "source"}
        cache[key] = [
            (kinds[span.type], span.fragments[0][0], span.fragments[0][1], text[span.fragments[0][0]:span.fragments[0][1]])
            for span in spans.values()
            if span.type in kinds and len(span.fragments) == 1
        ]
    return tuple(
        Span(span_start - start, span_end - start, kind, covered)
        for kind, span_start, span_end, covered in cache[key]
        if start <= span_start and span_end <= end
    )


def polnear_sentences(root: Path) -> list[LabeledSentence]:
    """PolNeAR train and dev as training sentences labelling ``attribution`` only, with Source and Cue spans."""
    sentences = []
    cache: dict[str, list[tuple[str, int, int, str]]] = {}
    for split in ("train", "dev"):
        for item in load_polnear(root, split=split):
            extra = item.extra
            spans = _polnear_spans(root, split, item.group, extra["annotator"], extra["start"], extra["end"], cache)
            sentences.append(
                LabeledSentence(
                    text=item.text,
                    labels={"attribution": item.label},
                    article=f"polnear:{split}:{item.group}",
                    source=item.outlet or None,
                    spans=spans,
                )
            )
        cache.clear()
    return sentences

