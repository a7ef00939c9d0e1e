"""Whose voice: direct quotation, reported speech, cues and sources, and the speaker of each quote.

The stage between segmentation and scoring. For each unit of an article it
says whether the words are the author's, quoted or mixed
(:class:`UnitVoice`); which spans are direct quotation (:func:`quote_spans`,
exact rules over quotation marks, across sentences and paragraphs); the
attribution cues, source phrases and reported content, found by a linear
token tagger learned from PolNeAR (:class:`SpanTagger`) or, without one, by
rules; whether each source is named or anonymous (:func:`source_kind`; a
pronoun takes the kind of what it refers back to); and who the speaker of
each quotation is.

Examples
--------
>>> voice = voice_of_sentence('She added: "The public is sick of it."', None)
>>> voice.voice, voice.quoted_text('She added: "The public is sick of it."')
('mixed', 'The public is sick of it.')
"""

from ._quotes import quote_spans
from ._sources import source_kind
from ._structure import voice_of_article, voice_of_sentence
from ._tagger import SpanTagger
from ._types import SOURCE_KINDS, TAGS, VOICES, SourceMention, UnitVoice

__all__ = [
    "VOICES",
    "SOURCE_KINDS",
    "TAGS",
    "SourceMention",
    "UnitVoice",
    "SpanTagger",
    "voice_of_article",
    "voice_of_sentence",
    "quote_spans",
    "source_kind",
]
