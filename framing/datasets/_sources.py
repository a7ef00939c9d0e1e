"""Labelled sources for training: one small adapter per data set.

Each adapter reads one external data set (or the seed corpus) and returns
:class:`~framing.LabeledSentence` records carrying **only the labels that the
source really has**: a BABE sentence labels ``loaded`` only, a PolNeAR unit
``attribution`` only, a seed unit every task. Training then learns each task
from every source that labels it (see :mod:`framing.model._recipe`).

Adapters never copy data into the project: they read it from a folder given
by the caller (the recipe's data root: :func:`~framing.datasets.resolve_data_root`).
Each data set has its own module (``_babe``, ``_anno_lexical``, ``_weasel``, ``_polnear``,
``_ukraine_news``, ``_frac``; the project's label files ``_project_labels``); this one is
the registry a recipe names them by.

=====================  ========================  ===============================================
source                 task(s)                   how labels are made
=====================  ========================  ===============================================
``seeds``              all schema tasks          two blind passes + adjudication (``labeled/``)
``babe``               ``loaded``                experts; biased words become ``loaded`` spans
``anno-lexical``       ``loaded``                LLM annotators (Horych et al. 2025)
``wiki-weasel``        ``hedged``                CoNLL-2010 Wikipedia weasel/hedge cues
``polnear``            ``attribution``           BRAT Source/Cue spans; named vs anonymous by
                                                 :func:`framing.datasets.classify_source`
``ukraine-news-bias``  ``slant``, two stances    five crowd workers per sentence (their votes)
``frame-labels``       the 14 ``frame_*`` tasks  the project's own multi-label frame labels
                                                 (``labeled/frames.jsonl``: two blind AI passes,
                                                 adjudicated), text read from the data sets
``frac``               11 ``frame_*`` tasks      FrAC's annotators (MFC codes, ``FRAC_CODES``)
=====================  ========================  ===============================================

A source that reads one of the project's label files (``frame-labels``) takes
its path as ``labels`` (:func:`load_source`, the recipe's ``"labels"`` field);
:func:`source_files` then hashes that file too, under its file name.
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
from ._frac import FRAC_CODED_FRAMES, FRAC_FILE, frac_sentences
from ._policy_frames import POLICY_FRAME_TASKS, POLICY_FRAMES, binary_frame_labels, frame_task
from ._polnear import _POLNEAR_DIR, POLNEAR_SPLITS, polnear_sentences
from ._project_labels import DEFAULT_FRAMES_FILE, frame_label_sentences
from ._ukraine_news import ukraine_news_labels, ukraine_news_sentences
from ._weasel import _WEASEL_FILE, weasel_sentences

logger = logging.getLogger(__name__)

# ukraine_news_labels is named here by the recipe metadata of the shipped model ("framing.datasets._sources...").
__all__ = ["SOURCES", "SourceInfo", "load_source", "source_files", "file_sha256", "available_datasets", "ukraine_news_labels",
           "label_sources"]


@dataclass(frozen=True)
class SourceInfo:
    """What a source is: the tasks it labels, its files and how its labels were made."""

    name: str
    tasks: tuple[str, ...]
    files: tuple[str, ...]
    labels_made_by: str
    licence: str
    #: ``loader(root)``, or ``loader(root, labels)`` for a source with a :attr:`label_file`.
    loader: Callable[..., list[LabeledSentence]]
    #: The project label file the source reads besides the data (its default, relative to the working
    #: directory); None for a source that takes no label file.
    label_file: Path | None = None


def _seed_sentences(root: Path) -> list[LabeledSentence]:
    from ..data._reading import read_corpus

    return list(read_corpus(root).sentences)


def _frame_label_sentences(root: Path, labels: Path) -> list[LabeledSentence]:
    """``labeled/frames.jsonl`` as the 14 binary frame labels (``[]``: every frame False); ``source`` the data set."""
    return [LabeledSentence(s.text, binary_frame_labels(s.labels["frames"]), article=s.article, source=s.source, id=s.id)
            for s in frame_label_sentences(root, labels, frames=POLICY_FRAMES)]


#: The files ``frame-labels`` reads the sentence texts from (besides the label file).
_FRAME_LABEL_DATA = ("anno-lexical/train.parquet", "anno-lexical/dev.parquet", "anno-lexical/test.parquet",
                     "babe/final_labels_SG2.csv", "polnear/data", "ukraine-news-bias/articles")


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
        SourceInfo("frame-labels", POLICY_FRAME_TASKS, _FRAME_LABEL_DATA,
                   "the project's own multi-label Policy Frame labels (labeled/frames.jsonl, codebook 7.1): two blind "
                   "passes by separate AI sessions, every disagreement adjudicated: machine-made labels",
                   "labels MIT (this project); the sentences keep their data sets' licences (anno-lexical MIT, BABE "
                   "AGPL-3.0, PolNeAR research use only, ukraine-news-bias CC BY-NC 4.0)",
                   _frame_label_sentences, label_file=DEFAULT_FRAMES_FILE),
        SourceInfo("frac", tuple(frame_task(frame) for frame in FRAC_CODED_FRAMES), (FRAC_FILE.as_posix(),),
                   "FrAC's annotators (Guida et al. 2025; Media Frames Corpus codes, Krippendorff's alpha 0.76); "
                   "codes mapped to frames by framing.datasets._frac.FRAC_CODES",
                   "CC BY 4.0 (annotations and SOCC sentences); NYT sentences CC BY-NC-SA 4.0", frac_sentences),
    )
}


def label_sources() -> list[str]:
    """The sources that read a project label file (they accept ``labels``).

    Examples
    --------
    >>> label_sources()
    ['frame-labels']
    """
    return sorted(name for name, info in SOURCES.items() if info.label_file is not None)


def _label_path(name: str, labels: PathLike | None) -> Path | None:
    """The label file a source reads: ``labels``, else its default; an error for a source that takes none."""
    info = SOURCES[name]
    if info.label_file is None:
        if labels is not None:
            raise ValueError(f"source {name!r} takes no label file (labels={str(labels)!r}); sources that do: "
                             f"{label_sources()}")
        return None
    return Path(labels) if labels is not None else info.label_file


def load_source(name: str, root: str | Path, labels: PathLike | None = None) -> list[LabeledSentence]:
    """Read one labelled source as sentences carrying only the labels it has.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.
    root : str or path
        The folder holding the source: the seed corpus folder for ``seeds``,
        the external data folder (``../shared/data``) for the others.
    labels : str or path, optional
        The project label file of a source that reads one (:func:`label_sources`);
        default its :attr:`SourceInfo.label_file`. Any other source refuses it.

    Returns
    -------
    list of LabeledSentence

    Examples
    --------
    >>> load_source("nope", ".")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown source 'nope'; available: ['anno-lexical', 'babe', 'frac', 'frame-labels', 'polnear', ...]"
    """
    if name not in SOURCES:
        raise KeyError(f"unknown source {name!r}; available: {sorted(SOURCES)}")
    label_path = _label_path(name, labels)
    if label_path is None:
        sentences = SOURCES[name].loader(Path(root))
    else:
        sentences = SOURCES[name].loader(Path(root), label_path)
    logger.info("source %s: %d sentences from %s", name, len(sentences), root)
    return sentences


def source_files(name: str, root: str | Path, labels: PathLike | None = None) -> dict[str, str]:
    """``{relative path: sha256}`` of the files a source reads, for the recipe (a label file under its file name)."""
    info = SOURCES[name]
    base = Path(root)
    result = {}
    for relative in info.files:
        path = base / relative
        if not path.exists():
            raise DatasetMissing(f"{name}: not found: {path}")
        result[relative] = file_sha256(path)
    label_path = _label_path(name, labels)
    if label_path is not None:
        if not label_path.is_file():
            raise DatasetMissing(f"{name}: label file not found: {label_path}")
        result[label_path.name] = file_sha256(label_path)
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
