"""The voice block: a unit's quotation, cues and sources as fixed named columns (``voice:...``).

:class:`VoiceFeatures` learns the span tagger of :mod:`framing.voice` from
the training items that annotate attribution completely (PolNeAR's units,
which carry Source, Cue and Content spans), and turns each unit's
:class:`framing.voice.UnitVoice` into columns: how many named, anonymous and
pronoun sources, cues, quotation share, voice. An item that carries a
``voice`` attribute (computed with its article, so that quotations and
pronouns are resolved across units) is read as it is; a bare sentence is
analysed alone.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval
from ..voice import SpanTagger, UnitVoice
from ..voice._sources import has_anonymity_marker
from ..voice._structure import voices_of_sentences
from ._analysis import texts_of
from ._base import _NamedFeatures

__all__ = ["VoiceFeatures", "VOICE_COLUMNS"]

#: The columns of :class:`VoiceFeatures`, in order.
VOICE_COLUMNS = (
    "voice:attribution_named", "voice:attribution_anonymous", "voice:source_named", "voice:source_anonymous",
    "voice:source_pronoun", "voice:cue", "voice:according_to", "voice:cue_without_source", "voice:content",
    "voice:content_share", "voice:quoted_share", "voice:starts_in_quote", "voice:voice_mixed", "voice:voice_quoted",
    "voice:speaker_named", "voice:speaker_anonymous", "voice:anonymity_marker",
)

#: Span types of a labelled item that the tagger learns from, and the tagger's kind for each.
_SPAN_KINDS = {"source": "source", "attribution_cue": "cue", "content": "content"}


def _share(text: str, spans) -> float:
    # Characters rather than letters: a per-character loop would cost more than the rest of the row.
    if not text or not spans:
        return 0.0
    return min(sum(end - start for start, end in spans) / len(text), 1.0)


class VoiceFeatures(_NamedFeatures):
    """Quotation and attribution structure of each unit, from :mod:`framing.voice`.

    Parameters
    ----------
    window : int, default=2
        The tagger's context window (words on each side).

    Attributes
    ----------
    feature_names_ : list of str
        :data:`VOICE_COLUMNS`.
    has_tagger_ : bool
        Whether a tagger was learned (no training item annotated attribution spans: rules only).
    tagger_vocabulary_, tagger_coef_, ... :
        The learned state of the :class:`~framing.voice.SpanTagger` (its ``STATE`` names, prefixed).

    Examples
    --------
    >>> block = VoiceFeatures().fit(["Talks began."])
    >>> block.tagger is None
    True
    >>> row = block.transform(['"It is over," the insider claimed.']).toarray()[0]
    >>> names = list(block.get_feature_names_out())
    >>> float(row[names.index("voice:attribution_anonymous")]), float(row[names.index("voice:voice_mixed")])
    (1.0, 1.0)
    """

    _parameter_constraints: dict = {"window": [Interval(Integral, 0, None, closed="left")]}

    def __init__(self, window=2):
        self.window = window

    # ------------------------------------------------------------------ fit

    @staticmethod
    def _training_items(X) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
        """Texts and tagger spans of the items whose articles annotate attribution spans completely."""
        items = [item for item in X if "attribution" in (getattr(item, "labels", None) or {})]
        # Only a source with Content spans (PolNeAR) marks every attribution of its articles; an article
        # with none of them (the seed corpus marks cues and sources only) would teach the tagger gaps.
        complete = {getattr(item, "article", None) for item in items
                    if any(span.type == "content" for span in getattr(item, "spans", ()) or ())}
        complete.discard(None)
        texts, spans = [], []
        for item in items:
            if getattr(item, "article", None) not in complete:
                continue
            texts.append(item.text)
            spans.append([(span.start, span.end, _SPAN_KINDS[span.type]) for span in item.spans
                          if span.type in _SPAN_KINDS and 0 <= span.start < span.end <= len(item.text)])
        return texts, spans

    def fit(self, X, y=None) -> VoiceFeatures:
        self._check_params()
        X = list(X)
        texts_of(X)
        texts, spans = self._training_items(X)
        for name in SpanTagger.STATE:
            self.__dict__.pop(f"tagger_{name}", None)
        self.has_tagger_ = bool(texts)
        if texts:
            tagger = SpanTagger(window=self.window).fit(texts, spans)
            for name, value in tagger.state().items():
                setattr(self, f"tagger_{name}", value)
        self.__dict__.pop("_tagger_cache", None)
        self.feature_names_ = list(VOICE_COLUMNS)
        self.n_features_in_ = 1
        return self

    @property
    def tagger(self) -> SpanTagger | None:
        """The learned :class:`~framing.voice.SpanTagger`, rebuilt from the stored state; None for rules only."""
        check_is_fitted(self, "feature_names_")
        if not getattr(self, "has_tagger_", False):
            return None
        cached = self.__dict__.get("_tagger_cache")
        if cached is None:
            state = {name: getattr(self, f"tagger_{name}") for name in SpanTagger.STATE}
            cached = SpanTagger.from_state(state, window=self.window)
            self.__dict__["_tagger_cache"] = cached
        return cached

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_tagger_cache", None)
        return state

    # ------------------------------------------------------------------ transform

    def voice_of(self, X) -> list[UnitVoice]:
        """The :class:`~framing.voice.UnitVoice` of each item: its ``voice`` attribute, else of its text alone."""
        check_is_fitted(self, "feature_names_")
        items = list(X)
        texts = texts_of(items)
        voices: list[UnitVoice | None] = [getattr(item, "voice", None) for item in items]
        missing = [i for i, voice in enumerate(voices) if voice is None]
        if missing:
            tagger = self.tagger
            computed = voices_of_sentences([texts[i] for i in missing], tagger)
            for i, voice in zip(missing, computed):
                voices[i] = voice
        return voices  # type: ignore[return-value]

    def transform(self, X) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        items = list(X)
        texts = texts_of(items)
        voices = self.voice_of(items)
        rows = [self._row(text, voice) for text, voice in zip(texts, voices)]
        data = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.feature_names_))
        return _csr(data)

    @staticmethod
    def _row(text: str, voice: UnitVoice) -> list[float]:
        sources, cues, content, quoted, speaker = voice.sources, voice.cues, voice.content, voice.quoted, voice.speaker
        marker = float(has_anonymity_marker(text))
        if not (sources or cues or content or quoted or speaker is not None) and voice.voice == "author":
            return [0.0] * (len(VOICE_COLUMNS) - 1) + [marker]  # most units: nothing cited, nothing quoted
        named = anonymous = pronouns = 0
        for source in sources:
            if source.kind == "named":
                named += 1
            elif source.kind == "anonymous":
                anonymous += 1
            if source.pronoun:
                pronouns += 1
        # UnitVoice.attribution, from the counts
        attribution = "named" if named else "anonymous" if sources or cues else "none"
        according = sum(1 for start, end in cues if text[start:end].lower().startswith("according"))
        return [
            float(attribution == "named"),
            float(attribution == "anonymous"),
            float(named),
            float(anonymous),
            float(pronouns),
            float(len(cues)),
            float(according),
            float(bool(cues) and not sources),
            float(bool(content)),
            _share(text, content),
            _share(text, quoted),
            float(bool(quoted) and not text[:quoted[0][0]].strip(" \"'“‘«„")),
            float(voice.voice == "mixed"),
            float(voice.voice == "quoted"),
            float(speaker is not None and speaker.kind == "named"),
            float(speaker is not None and speaker.kind == "anonymous"),
            marker,
        ]


def _csr(data: np.ndarray) -> sp.csr_matrix:
    """``scipy.sparse.csr_matrix(data)``, built from the non-zero entries directly (the dense path costs more
    than the rows)."""
    rows, columns = np.nonzero(data)
    indptr = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(data)), out=indptr[1:])
    return sp.csr_matrix((data[rows, columns], columns.astype(np.int32), indptr), shape=data.shape)
