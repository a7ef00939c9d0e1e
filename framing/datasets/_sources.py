"""Labelled sources for training: one small adapter per data set.

Each adapter reads one external data set (or the seed corpus) and returns
:class:`~framing.LabeledSentence` records carrying **only the labels that the
source really has**: a BABE sentence labels ``loaded`` only, a PolNeAR unit
``attribution`` only, a seed unit every task. Training then learns each task
from every source that labels it (see :mod:`framing.model._recipe`).

Adapters never copy data into the project: they read it from a folder given
by the caller (the recipe's data root, ``../shared/data`` by default).

====================  =======================  ===============================================
source                task(s)                  how labels are made
====================  =======================  ===============================================
``seeds``             all schema tasks         two blind passes + adjudication (``labeled/``)
``babe``              ``loaded``               experts; biased words become ``loaded`` spans
``anno-lexical``      ``loaded``               LLM annotators (Horych et al. 2025)
``wiki-weasel``       ``hedged``               CoNLL-2010 Wikipedia weasel/hedge cues
``polnear``           ``attribution``          BRAT Source/Cue spans; named vs anonymous by
                                               :func:`framing.datasets._datasets.classify_source`
====================  =======================  ===============================================
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..data._corpus import LabeledSentence, Span
from ._datasets import (
    DatasetMissing,
    load_babe,
    load_polnear,
    load_weasel,
    parse_brat,
)

logger = logging.getLogger(__name__)

__all__ = ["SOURCES", "SourceInfo", "load_source", "source_files", "file_sha256"]


@dataclass(frozen=True)
class SourceInfo:
    """What a source is: the tasks it labels, its files and how its labels were made."""

    name: str
    tasks: tuple[str, ...]
    files: tuple[str, ...]
    labels_made_by: str
    licence: str
    loader: Callable[[Path], list[LabeledSentence]]


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


def _load_babe(root: Path) -> list[LabeledSentence]:
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


def _load_anno_lexical(root: Path) -> list[LabeledSentence]:
    folder = root / "anno-lexical"
    paths = [folder / f"{split}.parquet" for split in ("train", "dev", "test")]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DatasetMissing(f"anno-lexical: file not found: {missing[0]}")
    try:
        import pyarrow.parquet as parquet
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise DatasetMissing("anno-lexical: reading parquet files needs pyarrow (pip install 'framing[data]')") from error
    sentences = []
    for path in paths:
        table = parquet.read_table(path, columns=["text", "source_name", "label", "sentence_id"]).to_pydict()
        for line, (text, outlet, label, sentence_id) in enumerate(
            zip(table["text"], table["source_name"], table["label"], table["sentence_id"]), start=1
        ):
            if label not in (0, 1):
                raise ValueError(f"{path}: row {line}: label must be 0 or 1, got {label!r}")
            if not isinstance(text, str) or not text.strip():
                continue
            sentences.append(
                LabeledSentence(
                    text=text.strip(),
                    labels={"loaded": bool(label)},
                    article=f"anno-lexical:{sentence_id}",
                    source=outlet or None,
                )
            )
    return sentences


def _load_weasel(root: Path) -> list[LabeledSentence]:
    return [
        LabeledSentence(text=item.text, labels={"hedged": bool(item.label)}, article=f"wiki-weasel:{item.group}", source="wikipedia")
        for item in load_weasel(root)
    ]


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


def _load_polnear(root: Path) -> list[LabeledSentence]:
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


#: Crowd judgements (Färber et al. 2020) -> stance toward a government: framing votes below 0 are negative.
UKRAINE_NEWS_STANCES = {"stance_russia": "russia", "stance_ukraine": "ukraine"}
#: A bias vote of 2 or 3 marks the sentence as biased that way (1, by far the most common, is "no bias").
UKRAINE_NEWS_BIAS_VOTE = 2


def ukraine_news_labels(sentence: dict) -> dict[str, str]:
    """Labels of one ukraine-news-bias sentence from its crowd judgements.

    ``slant``: ``pro_russia`` when at least one worker voted it pro-Russia
    (2 or 3) and none pro-West, ``pro_ukraine`` for the reverse (pro-West is
    the Ukrainian side of this axis), else ``neutral``. ``stance_russia`` /
    ``stance_ukraine``: ``unfavourable`` when at least one worker framed that
    government negatively and none positively, ``favourable`` for the
    reverse, else ``neutral``. The threshold of one vote was chosen because
    stronger agreement is too rare to learn from (4 of 1,487 sentences have
    two pro-Russia votes).
    """
    votes = sentence["bias"]["judgements"]
    pro_russia = sum(1 for v in votes.get("pro-russia", []) if v >= UKRAINE_NEWS_BIAS_VOTE)
    pro_west = sum(1 for v in votes.get("pro-west", []) if v >= UKRAINE_NEWS_BIAS_VOTE)
    labels = {"slant": "pro_russia" if pro_russia and not pro_west else "pro_ukraine" if pro_west and not pro_russia
              else "neutral"}
    framing_votes = sentence["framing"]["judgements"]
    for task, government in UKRAINE_NEWS_STANCES.items():
        negative = sum(1 for v in framing_votes.get(government, []) if v < 0)
        positive = sum(1 for v in framing_votes.get(government, []) if v > 0)
        labels[task] = "unfavourable" if negative and not positive else "favourable" if positive and not negative else "neutral"
    return labels


def _load_ukraine_news(root: Path) -> list[LabeledSentence]:
    import json

    folder = root / "ukraine-news-bias" / "articles"
    if not folder.is_dir():
        raise DatasetMissing(f"ukraine-news-bias: folder not found: {folder}")
    sentences = []
    for path in sorted(folder.glob("article_*.json"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0)):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            for sentence in sorted(document["sentences"], key=lambda s: s["position_in_article"]):
                text = str(sentence["content"]).strip()
                if text:
                    sentences.append(LabeledSentence(text=text, labels=ukraine_news_labels(sentence),
                                                     article=f"ukraine-news-bias:{path.stem}",
                                                     position=int(sentence["position_in_article"])))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: unexpected structure ({error!r})") from None
    return sentences


def _load_seeds(root: Path) -> list[LabeledSentence]:
    from ..data._corpus import read_corpus

    return list(read_corpus(root).sentences)


#: Every source a recipe may name.
SOURCES: dict[str, SourceInfo] = {
    info.name: info
    for info in (
        # Seeds label every task of their own schema (an empty tuple means: all of them).
        SourceInfo("seeds", (),
                   ("schema.json", "sentences.jsonl", "articles.jsonl"),
                   "two blind passes by AI helper sessions plus adjudication (see labeled/README.md)",
                   "MIT (this project); article texts quoted for research", _load_seeds),
        SourceInfo("babe", ("loaded",), ("babe/final_labels_SG2.csv",),
                   "expert annotators (Spinde et al. 2021); the biased words become loaded spans",
                   "repository licence AGPL-3.0", _load_babe),
        SourceInfo("anno-lexical", ("loaded",),
                   ("anno-lexical/train.parquet", "anno-lexical/dev.parquet", "anno-lexical/test.parquet"),
                   "LLM annotators, not people (Horych et al. 2025)", "repository licence MIT", _load_anno_lexical),
        SourceInfo("wiki-weasel", ("hedged",), ("wiki-weasel/train.csv",),
                   "CoNLL-2010 shared task annotators (Wikipedia weasel/hedge cues)", "none stated: research use only",
                   _load_weasel),
        SourceInfo("polnear", ("attribution",), ("polnear/data",),
                   "PolNeAR annotators' Source/Cue spans (Newell et al. 2018); named vs anonymous derived by rule",
                   "none stated: research use only", _load_polnear),
        SourceInfo("ukraine-news-bias", ("slant", "stance_russia", "stance_ukraine"), ("ukraine-news-bias/articles",),
                   "five crowd workers per sentence (Färber et al. 2020); labels from their votes by "
                   "framing.datasets._sources.ukraine_news_labels", "CC BY-NC 4.0 (non-commercial)", _load_ukraine_news),
    )
}


def load_source(name: str, root: str | Path) -> list[LabeledSentence]:
    """Read one labelled source as sentences carrying only the labels it has.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.
    root : str or path
        The folder holding the source: the seed corpus folder for ``seeds``,
        the external data folder (``../shared/data``) for the others.

    Returns
    -------
    list of LabeledSentence

    Examples
    --------
    >>> load_source("nope", ".")
    Traceback (most recent call last):
    ...
    KeyError: "unknown source 'nope'; available: ['anno-lexical', 'babe', 'polnear', 'seeds', 'ukraine-news-bias', 'wiki-weasel']"
    """
    if name not in SOURCES:
        raise KeyError(f"unknown source {name!r}; available: {sorted(SOURCES)}")
    sentences = SOURCES[name].loader(Path(root))
    logger.info("source %s: %d sentences from %s", name, len(sentences), root)
    return sentences


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of every file under a folder (sorted relative paths and contents)."""
    hasher = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            hasher.update(str(child.relative_to(path)).replace("\\", "/").encode("utf-8") + b"\0")
            hasher.update(hashlib.sha256(child.read_bytes()).digest())
    else:
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def source_files(name: str, root: str | Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the files a source reads, for the recipe."""
    info = SOURCES[name]
    base = Path(root)
    result = {}
    for relative in info.files:
        path = base / relative
        if not path.exists():
            raise DatasetMissing(f"{name}: not found: {path}")
        result[relative] = file_sha256(path)
    return result
