"""Cited word lists and the matchers that find their terms in tokenised text.

The bundled lists ship as package data (``framing/lexicon/data/*.tsv``, each
entry with its provenance) and load through :mod:`importlib.resources`.
"""

from ._lexicon import LEXICON_NAMES, GroupedMatcher, Lexicon, LexiconEntry, LexiconMatcher, load_lexicon

__all__ = ["LexiconEntry", "Lexicon", "load_lexicon", "LEXICON_NAMES", "LexiconMatcher", "GroupedMatcher"]
