"""FrAC (Guida et al. 2025): sentences of news articles and reader comments with Media Frames Corpus codes.

``frac/final_gold_single.csv`` (columns ``sentence``, ``label``, ``id``,
``type``): one gold code per sentence, with legality + crime merged (code 5)
and political + policy merged (code 6). Each code maps to the frames of the
project's codebook (:data:`FRAC_CODES`); a sentence becomes binary labels of
the Policy Frame tasks:

- positive for its code's frames (both frames of a merged code);
- negative for the frames of FrAC's other codes (code 15, "other": negative for all of them);
- **no label** for capacity and resources, quality of life and external regulation
  and reputation: FrAC has no code for them and files them under "other", so a
  FrAC sentence never trains those three tasks.

The ``id`` column holds the NYT article id for article sentences (several
sentences share one) and a comment id for comments; it groups the sentences.
The one published row without a ``type`` is skipped. Labels by FrAC's annotators
(Krippendorff's alpha 0.76, its README); licence CC BY 4.0 for the annotations
and the SOCC sentences, CC BY-NC-SA 4.0 for the NYT sentences (FrAC's README).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from pathlib import Path

from ..data._schema import LabeledSentence
from ._base import PathLike, _require_file
from ._policy_frames import POLICY_FRAMES, binary_frame_labels

logger = logging.getLogger(__name__)

__all__ = ["FRAC_CODES", "FRAC_FILE", "FRAC_TYPES", "FRAC_CODED_FRAMES", "frac_sentences"]

#: FrAC's codes (Media Frames Corpus numbers) and the frames of the project's codebook each one covers.
FRAC_CODES: dict[int, tuple[str, ...]] = {
    1: ("economic",),
    3: ("morality",),
    4: ("fairness_and_equality",),
    5: ("legality_constitutionality_jurisprudence", "crime_and_punishment"),
    6: ("political", "policy_prescription_and_evaluation"),
    8: ("security_and_defense",),
    9: ("health_and_safety",),
    11: ("cultural_identity",),
    12: ("public_opinion",),
    15: (),
}

#: The frames FrAC decides on (every other frame gets no label from it), in codebook order.
FRAC_CODED_FRAMES: tuple[str, ...] = tuple(
    frame for frame in POLICY_FRAMES if any(frame in frames for frames in FRAC_CODES.values()))

FRAC_FILE = Path("frac") / "final_gold_single.csv"

#: The values of FrAC's ``type`` column.
FRAC_TYPES = ("article", "comment")

_COLUMNS = ("sentence", "label", "id", "type")


def frac_sentences(root: PathLike, types: Sequence[str] = FRAC_TYPES) -> list[LabeledSentence]:
    """FrAC's gold sentences of the given ``types`` as binary Policy Frame labels (see the module docstring).

    Parameters
    ----------
    root : str or path-like
        The external data folder (holding ``frac/final_gold_single.csv``).
    types : sequence of {"article", "comment"}
        Which sentences: those of news articles, of reader comments, or both.

    Returns
    -------
    list of LabeledSentence
        In file order. ``labels``: the 11 frame tasks FrAC decides on;
        ``id`` ``"frac:<id>"`` (``"frac:<id>#<n>"`` for the n-th sentence sharing an id);
        ``article`` ``"frac:<id>"``; ``source`` ``"frac"``.

    Raises
    ------
    DatasetMissing
        The file is absent.
    ValueError
        A missing column, an unknown ``type`` or code, or an empty sentence, naming ``file:line``.

    Examples
    --------
    >>> frac_sentences(".", types=["tweet"])
    Traceback (most recent call last):
    ...
    ValueError: FrAC types ['tweet'] are not allowed (give a list of types); allowed: ['article', 'comment']
    """
    unknown = [types] if isinstance(types, str) else sorted(set(types) - set(FRAC_TYPES))
    if unknown:
        raise ValueError(f"FrAC types {unknown!r} are not allowed (give a list of types); allowed: {list(FRAC_TYPES)}")
    path = _require_file("frac", Path(root) / FRAC_FILE)
    allowed_codes = sorted(FRAC_CODES)
    sentences, seen = [], {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in _COLUMNS if column not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}:1: missing column(s) {missing}; FrAC's file has columns {list(_COLUMNS)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            kind = (row["type"] or "").strip()
            if not kind:
                continue  # the one published row without a type: neither an article's sentence nor a comment's
            if kind not in FRAC_TYPES:
                raise ValueError(f"{where}: field 'type': {kind!r} is not allowed; allowed: {list(FRAC_TYPES)} (or empty)")
            try:
                code = int(row["label"])
            except (TypeError, ValueError):
                code = None
            if code not in FRAC_CODES:
                raise ValueError(f"{where}: field 'label': {row['label']!r} is not a FrAC code; allowed: {allowed_codes}")
            if not (row["sentence"] or "").strip():
                raise ValueError(f"{where}: field 'sentence': empty; every FrAC row needs its sentence")
            # Numbered over the whole file, so a sentence keeps its id whichever types are asked for.
            group = f"frac:{row['id']}"
            seen[group] = seen.get(group, 0) + 1
            if kind not in types:
                continue
            unit_id = group if seen[group] == 1 else f"{group}#{seen[group]}"
            sentences.append(LabeledSentence(row["sentence"], binary_frame_labels(FRAC_CODES[code], FRAC_CODED_FRAMES),
                                             article=group, source="frac", id=unit_id))
    logger.info("FrAC: %d sentences of type %s from %s", len(sentences), "+".join(types), path)
    return sentences
