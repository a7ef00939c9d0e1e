"""Labelled sources for training: one small adapter per data set.

Each adapter reads one external data set (or the seed corpus) and returns
:class:`~framing.LabeledSentence` records carrying **only the labels that the
source really has**: a BABE sentence labels ``loaded`` only, a PolNeAR unit
``attribution`` only, a seed unit every task. Training then learns each task
from every source that labels it (see :mod:`framing.model._recipe`).

Adapters never copy data into the project: they read it from a folder given
by the caller (the recipe's data root: :func:`~framing.datasets.resolve_data_root`).
Each data set has its own module (``_babe``, ``_anno_lexical``, ``_weasel``, ``_polnear``,
``_ukraine_news``); this one is the registry a recipe names them by.

====================  =======================  ===============================================
source                task(s)                  how labels are made
====================  =======================  ===============================================
``seeds``             all schema tasks         two blind passes + adjudication (``labeled/``)
``babe``              ``loaded``               experts; biased words become ``loaded`` spans
``anno-lexical``      ``loaded``               LLM annotators (Horych et al. 2025)
``wiki-weasel``       ``hedged``               CoNLL-2010 Wikipedia weasel/hedge cues
``polnear``           ``attribution``          BRAT Source/Cue spans; named vs anonymous by
                                               :func:`framing.datasets.classify_source`
====================  =======================  ===============================================
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..data._schema import LabeledSentence
from ._anno_lexical import anno_lexical_sentences
from ._babe import _BABE_FILE, babe_sentences
from ._base import DatasetMissing, PathLike, _root, file_sha256
from ._polnear import _POLNEAR_DIR, POLNEAR_SPLITS, polnear_sentences
from ._ukraine_news import ukraine_news_labels, ukraine_news_sentences
from ._weasel import _WEASEL_FILE, weasel_sentences

logger = logging.getLogger(__name__)

# ukraine_news_labels is named here by the recipe metadata of the shipped model ("framing.datasets._sources...").
__all__ = ["SOURCES", "SourceInfo", "load_source", "source_files", "file_sha256", "available_datasets", "ukraine_news_labels"]


@dataclass(frozen=True)
class SourceInfo:
    """What a source is: the tasks it labels, its files and how its labels were made."""

    name: str
    tasks: tuple[str, ...]
    files: tuple[str, ...]
    labels_made_by: str
    licence: str
    loader: Callable[[Path], list[LabeledSentence]]


def _seed_sentences(root: Path) -> list[LabeledSentence]:
    from ..data._reading import read_corpus

    return list(read_corpus(root).sentences)


#: Every source a recipe may name.
SOURCES: dict[str, SourceInfo] = {
    info.name: info
    for info in (
        # Seeds label every task of their own schema (an empty tuple means: all of them).
        SourceInfo("seeds", (),
                   ("schema.json", "sentences.jsonl", "articles.jsonl"),
                   "two blind passes by AI helper sessions plus adjudication (see labeled/README.md)",
                   "MIT (this project); article texts quoted for research", _seed_sentences),
        SourceInfo("babe", ("loaded",), ("babe/final_labels_SG2.csv",),
                   "expert annotators (Spinde et al. 2021); the biased words become loaded spans",
                   "repository licence AGPL-3.0", babe_sentences),
        SourceInfo("anno-lexical", ("loaded",),
                   ("anno-lexical/train.parquet", "anno-lexical/dev.parquet", "anno-lexical/test.parquet"),
                   "LLM annotators, not people (Horych et al. 2025)", "repository licence MIT", anno_lexical_sentences),
        SourceInfo("wiki-weasel", ("hedged",), ("wiki-weasel/train.csv",),
                   "CoNLL-2010 shared task annotators (Wikipedia weasel/hedge cues)", "none stated: research use only",
                   weasel_sentences),
        SourceInfo("polnear", ("attribution",), ("polnear/data",),
                   "PolNeAR annotators' Source/Cue spans (Newell et al. 2018); named vs anonymous derived by rule",
                   "none stated: research use only", polnear_sentences),
        SourceInfo("ukraine-news-bias", ("slant", "stance_russia", "stance_ukraine"), ("ukraine-news-bias/articles",),
                   "five crowd workers per sentence (Färber et al. 2020); labels from their votes by "
                   "framing.datasets._sources.ukraine_news_labels", "CC BY-NC 4.0 (non-commercial)", ukraine_news_sentences),
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
