"""What the voice stage says about one unit: its voice, quotations, cues, sources and speaker."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VOICES", "SOURCE_KINDS", "TAGS", "SPAN_KINDS", "SourceMention", "UnitVoice", "QUOTE_PLACEHOLDER"]

#: Whose words a unit is: the author's only, quotation only, or both.
VOICES = ("author", "quoted", "mixed")

#: The kinds of a source phrase (a pronoun resolves to one of them).
SOURCE_KINDS = ("named", "anonymous")

#: The tags of :class:`framing.voice.SpanTagger`, in column order.
TAGS = ("O", "SOURCE", "CUE", "CONTENT")

#: Span kinds as :meth:`framing.voice.SpanTagger.fit` takes them and :meth:`~framing.voice.SpanTagger.tag` gives them.
SPAN_KINDS = ("source", "cue", "content")

#: What :meth:`UnitVoice.author_text` puts where a quotation was.
QUOTE_PLACEHOLDER = "…"


@dataclass(frozen=True)
class SourceMention:
    """A source phrase in a unit.

    Attributes
    ----------
    text : str
        The phrase as written ("RMT general secretary Mick Lynch", "he", "an insider").
    start, end : int
        Offsets relative to the unit's text.
    kind : str
        ``"named"`` or ``"anonymous"``. A pronoun takes the kind of the source
        it refers back to; a pronoun with nothing to refer to counts as named
        (PolNeAR's rule: in news such pronouns mostly stand for a named person).
    pronoun : bool
        The phrase is only pronouns.
    antecedent : str or None
        For a resolved pronoun, the source phrase it refers to.

    Examples
    --------
    >>> SourceMention("an insider", 0, 10, "anonymous", False).kind
    'anonymous'
    """

    text: str
    start: int
    end: int
    kind: str
    pronoun: bool
    antecedent: str | None = None


@dataclass(frozen=True)
class UnitVoice:
    """Whose words one unit is, and who is cited in it.

    Attributes
    ----------
    voice : str
        ``"author"``, ``"quoted"`` (the unit's words are all inside direct
        quotation) or ``"mixed"``.
    quoted : tuple of (int, int)
        Direct-quotation spans, unit-relative, quotation marks excluded.
    cues : tuple of (int, int)
        Attribution cue spans ("said", "according to", "told").
    sources : tuple of SourceMention
        Source phrases found in this unit.
    content : tuple of (int, int)
        Reported-speech content spans (PolNeAR's Content, learned).
    speaker : SourceMention or None
        Whose words the quoted spans are; it may sit in another unit of the
        article (then its offsets are relative to that unit).

    Examples
    --------
    >>> voice = UnitVoice("mixed", ((12, 19),), ((4, 9),), (SourceMention("She", 0, 3, "named", True),), (), None)
    >>> voice.attribution
    'named'
    >>> voice.author_text('She added: "Enough."')
    'She added: "…"'
    >>> voice.quoted_text('She added: "Enough."')
    'Enough.'
    """

    voice: str
    quoted: tuple[tuple[int, int], ...]
    cues: tuple[tuple[int, int], ...]
    sources: tuple[SourceMention, ...]
    content: tuple[tuple[int, int], ...]
    speaker: SourceMention | None

    @property
    def attribution(self) -> str:
        """``"named"`` if any source is named; ``"anonymous"`` with a cue or source but none named; else ``"none"``."""
        if any(source.kind == "named" for source in self.sources):
            return "named"
        if self.sources or self.cues:
            return "anonymous"
        return "none"

    def author_text(self, text: str) -> str:
        """``text`` (this unit's text) with each quoted span replaced by one ``"…"``: what the author wrote."""
        pieces, position = [], 0
        for start, end in self.quoted:
            pieces.append(text[position:start])
            pieces.append(QUOTE_PLACEHOLDER)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def quoted_text(self, text: str) -> str:
        """The quoted spans of ``text`` (this unit's text) joined by a space; ``""`` without any."""
        return " ".join(text[start:end] for start, end in self.quoted)
