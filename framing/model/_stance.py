"""Stance toward mentions: the checks of :meth:`framing.Model.stance_toward` and the mentions scored with an article.

The classifier is :class:`framing.model.TargetStanceClassifier`; the spans it
scores with every article are the candidates of
:class:`framing.features.MentionFinder` (axis actors, stance-setting naming
variants, capitalised names, the caller's spellings). What leaves this module
is a :class:`framing.report.MentionTable`: arrays, which the report reads
without calling the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..features._mentions import MentionFinder
from ..features._target import Mention
from ..report._scored import MentionTable
from ._target import STANCE_CLASSES

__all__ = ["check_mentions", "score_article_mentions", "spelling_groups", "NO_STANCE_COMPONENT"]

NO_STANCE_COMPONENT = ("this model has no target-stance component; train one with a recipe whose config has "
                       "'target_stance' (see models/recipe-default.json), or use framing.load() (the default model)")


def check_mentions(sentences, spans, quoted=None) -> list[Mention]:
    """The items of :meth:`framing.Model.stance_toward`, checked: every bad value named with its index.

    Examples
    --------
    >>> check_mentions(["Kyiv agreed."], [(0, 4)])[0].end
    4
    >>> check_mentions(["Kyiv agreed."], [(0, 40)])
    Traceback (most recent call last):
    ...
    ValueError: spans[0] is (0, 40); a span must be two ints with 0 <= start < end <= len(sentences[0]) = 12
    """
    if isinstance(sentences, str):
        raise TypeError("stance_toward() expects a sequence of sentences, got one str; wrap it in a list")
    sentences, spans = list(sentences), list(spans)
    if len(spans) != len(sentences):
        raise ValueError(f"got {len(sentences)} sentences but {len(spans)} spans; give one (start, end) per sentence")
    flags = [False] * len(sentences) if quoted is None else list(quoted)
    if len(flags) != len(sentences):
        raise ValueError(f"got {len(sentences)} sentences but {len(flags)} quoted flags; give one bool per sentence")
    items = []
    for index, (sentence, span, flag) in enumerate(zip(sentences, spans, flags)):
        if not isinstance(sentence, str):
            raise TypeError(f"sentences[{index}] must be str, got {type(sentence).__name__}")
        try:
            start, end = span
        except (TypeError, ValueError):
            raise ValueError(f"spans[{index}] is {span!r}; a span must be a pair (start, end) of ints") from None
        if (not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (start, end))
                or not 0 <= start < end <= len(sentence)):
            raise ValueError(f"spans[{index}] is {tuple(span)!r}; a span must be two ints with 0 <= start < end <= "
                             f"len(sentences[{index}]) = {len(sentence)}")
        items.append(Mention(sentence, int(start), int(end), bool(flag)))
    return items


def spelling_groups(actors: Any) -> list[list[str]]:
    """``actors`` as a list of spelling lists: ``"Trump"`` or ``["Donald Trump", ["Kremlin", "Moscow"]]``.

    Examples
    --------
    >>> spelling_groups(["Donald Trump|Trump", ["Kremlin", "Moscow"]])
    [['Donald Trump', 'Trump'], ['Kremlin', 'Moscow']]
    """
    if actors is None:
        return []
    if isinstance(actors, str):
        actors = [actors]
    groups = []
    for index, actor in enumerate(actors):
        spellings = actor.split("|") if isinstance(actor, str) else list(actor)
        spellings = [s.strip() for s in spellings if isinstance(s, str) and s.strip()]
        if not spellings:
            raise ValueError(f"actors[{index}] is {actor!r}; an actor is a non-empty spelling or list of spellings")
        groups.append(spellings)
    return groups


def _in_spans(start: int, end: int, spans) -> bool:
    return any(a <= start and end <= b for a, b in spans)


#: Mentions scored in one pass by :func:`score_article_mentions` (an article has about 35; a 10 MB text 90,000).
MENTION_BATCH = 2048


def score_article_mentions(classifier, units: Sequence[Any], voices: Sequence[Any] | None, rows: Sequence[int],
                           finder: MentionFinder) -> MentionTable:
    """Find the candidate mentions of the units at ``rows`` and score the stance toward each, in one batch.

    A mention is *quoted* when it stands inside a direct quotation or a reported-content span of its unit's
    voice (whose stance it is), or when the whole unit is quotation.
    """
    # Plain tuples all the way to the features: no Candidate or Mention object per mention.
    spans, where = [], []
    for row in rows:
        unit = units[row]
        text, offset = unit.text, unit.start
        voice = None if voices is None else voices[row]
        for start, end, side, naming in finder._find_tuples(text):
            if voice is None:
                quoted = False
            else:
                quoted = (voice.voice == "quoted" or bool(voice.quoted) and _in_spans(start, end, voice.quoted)
                          or bool(voice.content) and _in_spans(start, end, voice.content))
            spans.append((text, start, end, quoted))
            where.append((row, offset + start, offset + end, text[start:end], quoted, side, naming))
    # In batches, so that a huge text never holds the features of all its mentions at once (each mention's
    # probabilities depend on its own features only).
    probabilities = (np.concatenate([classifier._predict_proba_spans(spans[first:first + MENTION_BATCH])
                                     for first in range(0, len(spans), MENTION_BATCH)])
                     if spans else np.zeros((0, len(STANCE_CLASSES))))
    return MentionTable.from_rows(where, probabilities)
