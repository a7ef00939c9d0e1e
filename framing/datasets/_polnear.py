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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..data._schema import LabeledSentence, Span
from ..voice._sources import classify_source, is_sentence_initial
from ._base import BenchSentence, PathLike, _require_dir, _root
from ._brat import BratRelation, BratSpan, parse_brat

logger = logging.getLogger(__name__)

_POLNEAR_DIR = Path("polnear") / "data"

#: The PolNeAR splits that are available here (the test split is not).
POLNEAR_SPLITS = ("train", "dev")

#: The labels :func:`load_polnear` assigns, in a fixed order.
POLNEAR_LABELS = ("named", "anonymous", "none")


# The named / anonymous rule (classify_source) lives with the voice stage, which extends it; it is imported
# back here unchanged, because it defines the gold labels of the benchmark.
_is_sentence_initial = is_sentence_initial


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
    sentences: list[BenchSentence] = []
    for article in _articles(root, split):
        for unit, label, has_source in _label_units(article.text, article.brat, article.relations):
            sentences.append(
                BenchSentence(
                    text=unit.text,
                    label=label,
                    group=article.name,
                    outlet=article.outlet,
                    extra={
                        "has_source_span": has_source,
                        "annotator": article.annotator,
                        "start": unit.start,
                        "end": unit.end,
                    },
                )
            )
    counts = {label: 0 for label in POLNEAR_LABELS}
    for sentence in sentences:
        counts[sentence.label] += 1
    logger.info("polnear/%s: %d units %s", split, len(sentences), counts)
    return sentences


@dataclass(frozen=True)
class _RawArticle:
    name: str
    outlet: str
    annotator: str
    text: str
    brat: dict[str, BratSpan]
    relations: list[BratRelation]


def _articles(root: PathLike | None, split: str) -> Iterator[_RawArticle]:
    """Each annotated article of a split with its first annotator's BRAT spans, in article-name order."""
    if split not in POLNEAR_SPLITS:
        raise ValueError(f"split must be one of {POLNEAR_SPLITS}, got {split!r}")
    data_dir = _root(root) / _POLNEAR_DIR
    text_dir = _require_dir(f"polnear/{split}", data_dir / split / "text")
    att_dir = _require_dir(f"polnear/{split}", data_dir / split / "attributions")
    outlets = _polnear_outlets(data_dir)
    annotations = _annotation_files(att_dir)
    unannotated = 0
    for text_path in sorted(text_dir.glob("*.txt")):
        name = text_path.stem
        candidates = annotations.get(name)
        if not candidates:
            unannotated += 1
            logger.warning("polnear/%s: no annotation file for %s, skipped", split, name)
            continue
        ann_path = candidates[0]
        text = text_path.read_text(encoding="utf-8")
        spans, relations = parse_brat(ann_path.read_text(encoding="utf-8"), text_length=len(text), source=str(ann_path))
        yield _RawArticle(name, outlets.get(name) or name.split("_", 1)[0], ann_path.stem.rpartition("_")[2], text,
                          spans, relations)
    if unannotated:
        logger.warning("polnear/%s: %d article(s) without annotation skipped", split, unannotated)


#: BRAT span type -> the span kinds of the voice stage.
_VOICE_KINDS = {"Source": "source", "Cue": "cue", "Content": "content"}
#: BRAT span type -> the span types of a LabeledSentence.
_SENTENCE_KINDS = {"Source": "source", "Cue": "attribution_cue", "Content": "content"}


@dataclass(frozen=True)
class PolnearArticle:
    """One PolNeAR article for the voice benchmark: text, units, gold spans and gold unit labels.

    Attributes
    ----------
    name, outlet, annotator : str
        File name (without ``.txt``), publisher and the annotator whose file is used (the first by name).
    text : str
    units : tuple of framing.text.Unit
        :func:`framing.text.segment` of the text.
    spans : tuple of (int, int, str)
        Gold Source / Cue / Content spans, ``(start, end, kind)`` in article offsets with kind ``"source"``,
        ``"cue"`` or ``"content"``; a discontinuous span gives one entry per fragment.
    labels : tuple of str
        Each unit's :func:`load_polnear` label (``"named"``, ``"anonymous"``, ``"none"``).
    has_source : tuple of bool
        Whether a Source span overlaps each unit.
    """

    name: str
    outlet: str
    annotator: str
    text: str
    units: tuple
    spans: tuple[tuple[int, int, str], ...]
    labels: tuple[str, ...]
    has_source: tuple[bool, ...]


def polnear_articles(root: PathLike | None = None, split: str = "dev") -> list[PolnearArticle]:
    """A PolNeAR split as whole articles with gold attribution spans and :func:`load_polnear`'s unit labels.

    Parameters
    ----------
    root : str or path-like, optional
        The data folder; :func:`resolve_data_root` when omitted.
    split : {"train", "dev"}, default="dev"

    Returns
    -------
    list of PolnearArticle
        In article-name order; the same articles, annotators, units and labels as :func:`load_polnear`.

    Raises
    ------
    DatasetMissing
        When the split's folders are absent.
    """
    articles = []
    for article in _articles(root, split):
        labelled = _label_units(article.text, article.brat, article.relations)
        spans = sorted(
            (start, end, _VOICE_KINDS[span.type])
            for span in article.brat.values() if span.type in _VOICE_KINDS
            for start, end in span.fragments if end > start
        )
        articles.append(PolnearArticle(
            name=article.name, outlet=article.outlet, annotator=article.annotator, text=article.text,
            units=tuple(unit for unit, _, _ in labelled), spans=tuple(spans),
            labels=tuple(label for _, label, _ in labelled), has_source=tuple(has for _, _, has in labelled),
        ))
    return articles


def _unit_spans(article: _RawArticle, start: int, end: int) -> tuple[Span, ...]:
    """The unit's Source and Cue spans (whole, single-fragment ones inside it) and Content clipped to it."""
    text = article.text
    found = []
    for span in article.brat.values():
        kind = _SENTENCE_KINDS.get(span.type)
        if kind is None:
            continue
        if kind == "content":
            for s, e in span.fragments:
                s, e = max(s, start), min(e, end)
                if e > s:
                    found.append(Span(s - start, e - start, kind, text[s:e]))
        elif len(span.fragments) == 1 and start <= span.fragments[0][0] and span.fragments[0][1] <= end:
            s, e = span.fragments[0]
            found.append(Span(s - start, e - start, kind, text[s:e]))
    return tuple(sorted(found, key=lambda span: (span.start, span.end, span.type)))


def polnear_sentences(root: Path, splits: Sequence[str] = ("train",)) -> list[LabeledSentence]:
    """PolNeAR units as training sentences labelling ``attribution`` only, with Source, Cue and Content spans.

    Parameters
    ----------
    root : path
        The data folder.
    splits : sequence of {"train", "dev"}, default=("train",)
        Train only by default: dev is kept for measurement.

    Returns
    -------
    list of LabeledSentence
        Span types ``"source"``, ``"attribution_cue"`` and ``"content"`` (Content clipped to the unit), offsets
        relative to the unit; ``article`` is ``"polnear:SPLIT:NAME"``.
    """
    sentences = []
    for split in splits:
        for article in _articles(root, split):
            for unit, label, _ in _label_units(article.text, article.brat, article.relations):
                sentences.append(
                    LabeledSentence(
                        text=unit.text,
                        labels={"attribution": label},
                        article=f"polnear:{split}:{article.name}",
                        source=article.outlet or None,
                        spans=_unit_spans(article, unit.start, unit.end),
                    )
                )
    return sentences
