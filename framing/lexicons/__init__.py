"""Lexicon TSV files shipped as package data (see ``framing.lexicon``)."""
