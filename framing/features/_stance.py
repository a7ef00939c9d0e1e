"""Slant axes as data, and stance features toward each side of an axis.

An *axis* is a JSON file (the schema points to it, e.g.
``labeled/axis_russia_ukraine.json``): its two poles, the actors of each side,
optional third parties, and naming variants that lean one way, each with its
provenance. Nothing in the code names a side: another axis is another file.

:class:`StanceFeatures` turns an axis into linear, explainable features:
for each side, how often its actors are mentioned, the polarity words
(the bundled ``valence`` lexicon) near those mentions in the author's voice,
blame and credit verbs with that side as agent or as target, short scare
quotes near a mention, and the naming variants by the way they lean.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._util import read_json_file
from ..errors import FramingError
from ..lexicon._lexicon import GroupedMatcher, LexiconEntry, load_lexicon, normalise_term
from ._analysis import analyze, texts_of, training, training_rows
from ._base import CsrParts, _NamedFeatures, parts_matrix

__all__ = ["Axis", "AxisError", "load_axis", "axis_document", "StanceFeatures", "axis_mentions"]

#: Verb stems that put blame on their agent or their target (prefix match on the normalised token).
BLAME_STEMS = ("accus", "blam", "refus", "reject", "violat", "attack", "threat", "obstruct", "sabotag", "undermin",
               "den", "lie", "lied", "invad", "bomb", "kill", "shell", "provok", "escalat", "block", "stall", "sabot",
               "demand", "bully", "blackmail", "pressur", "condemn", "criticis", "criticiz", "slam", "betray")
CREDIT_STEMS = ("agree", "propos", "support", "welcom", "prais", "help", "offer", "accept", "negotiat", "commit",
                "pledg", "defend", "protect", "compromis", "cooperat", "back", "secur", "achiev", "progress")
_ORGANISATION_WORDS = frozenset({"ministry", "union", "council", "states", "house", "department", "commission",
                                 "federation", "kingdom", "rada", "forces", "authorities", "government", "nato"})
_NOT_NAME_START = frozenset({"the", "a", "an"})
WINDOW = 6
#: Marks an acronym actor term, matched on the raw (case-kept) token.
ACRONYM_PREFIX = "="
SCARE_QUOTE_MAX_TOKENS = 4


class AxisError(FramingError, ValueError):
    """An axis file that is missing or malformed."""


def _variants(raw: str) -> list[str]:
    """Match terms of one actor or naming entry written for people: ``"Volodymyr Zelensky (Zelenskyy)"``."""
    inner = re.findall(r"\(([^)]*)\)", raw)
    base = re.sub(r"\([^)]*\)", " ", raw)
    alternatives = []
    for group in inner:
        parts = [p.strip() for p in re.split(r",|/", group) if p.strip()]
        # Capitalised alternatives are spellings ("Zelenskyy"); lower-case ones describe the context.
        alternatives += [p for p in parts if p[:1].isupper()]
    terms = []
    for piece in re.split(r"\s/\s|,", base):
        piece = piece.strip().strip("'\"")
        if not piece:
            continue
        if alternatives and any(piece.lower() in alt.lower() for alt in alternatives):
            continue
        terms.append(piece)
    terms += alternatives
    out = []
    for term in terms:
        words = term.split()
        out.append(term)
        if (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and words[0].lower() not in _NOT_NAME_START
                and not _ORGANISATION_WORDS & {w.lower() for w in words}):
            out.append(words[-1])  # a person's surname alone
    terms = set()
    for term in out:
        normal = normalise_term(term)
        if normal.startswith("the "):
            normal = normal[4:]
        if term.isupper() and len(term) <= 4:
            # An acronym ("US", "EU") must match case-sensitively: lower-cased, "us" is a pronoun.
            normal = ACRONYM_PREFIX + term
        if normal:
            terms.add(normal)
    return sorted(terms)


class Axis:
    """A parsed slant axis: sides with their actor terms, and leaning naming variants."""

    def __init__(self, document: Mapping[str, Any]):
        self.document = dict(document)
        try:
            poles = document["poles"]
            self.sides: dict[str, dict[str, Any]] = {}
            for key in ("negative", "positive"):
                pole = poles[key]
                self.sides[key] = {"label": pole["label"], "terms": sorted({t for a in pole["actors"] for t in _variants(a)})}
            for key, party in (document.get("third_parties") or {}).items():
                if "actors" in party:
                    self.sides[key] = {"label": party.get("label", key),
                                       "terms": sorted({t for a in party["actors"] for t in _variants(a)})}
            leans: dict[str, set[str]] = {}
            for entry in document.get("naming", []):
                lean = str(entry.get("leans", "neutral"))
                if not re.fullmatch(r"[a-z_]+", lean):
                    continue  # "depends on the owner": only the codebook can decide, not a word list
                for term in _variants(entry["term"]):
                    leans.setdefault(term, set()).add(lean)
            # A term listed with two leans ("liberated") says nothing by itself.
            self.naming = sorted((term, next(iter(found))) for term, found in leans.items() if len(found) == 1)
        except (KeyError, TypeError) as error:
            raise AxisError(f"axis {document.get('name', '?')!r}: missing or malformed field {error}") from None
        self.name = str(document.get("name", "axis"))

    @property
    def leans(self) -> tuple[str, ...]:
        return tuple(sorted({lean for _, lean in self.naming}))

    def mentions(self, text: str) -> dict[str, int]:
        """How often each side's actors are mentioned in ``text`` (the matchers are built once per axis)."""
        if "_matcher" not in self.__dict__:
            self.__dict__["_matcher"] = _AxisMatcher(self)
        mentions, _ = self.__dict__["_matcher"].match(analyze(text))
        return {key: len(spans) for key, spans in mentions.items()}


def load_axis(path: str | Path) -> dict[str, Any]:
    """Read an axis file as plain data (what :class:`StanceFeatures` takes and a model saves).

    Examples
    --------
    >>> load_axis("missing.json")
    Traceback (most recent call last):
    ...
    framing.features._stance.AxisError: missing.json: axis file not found
    """
    document = read_json_file(path, AxisError, "axis file")
    Axis(document)  # validates
    return document


def axis_document(axis: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """An axis given as a path to its file or as its document, read and checked (what training and scoring take).

    Examples
    --------
    >>> axis_document({"name": "x", "poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                                       "positive": {"label": "B", "actors": ["Borduria"]}}})["name"]
    'x'
    >>> axis_document(3)
    Traceback (most recent call last):
    ...
    TypeError: axis must be a path to an axis file or an axis (framing.features.load_axis); got int
    """
    if isinstance(axis, (str, Path)):
        return load_axis(axis)
    if isinstance(axis, Mapping):
        document = dict(axis)
        Axis(document)  # validates: a malformed axis fails here, not in the middle of scoring
        return document
    raise TypeError(f"axis must be a path to an axis file or an axis (framing.features.load_axis); "
                    f"got {type(axis).__name__}")


#: Group of the naming terms in an :class:`_AxisMatcher` (a space: never a side's key).
_NAMING_GROUP = " naming"


class _AxisMatcher:
    """Every side's actor mentions and the naming terms of an axis, in one pass over the tokens.

    ``match(analysis)`` gives each side's mention spans (lexicon terms on the
    normalised tokens, acronyms on the raw ones), sorted, and the naming
    matches, from one lexicon pass.
    """

    def __init__(self, axis: Axis):
        groups = {key: [LexiconEntry("actor", t, "actor") for t in side["terms"] if not t.startswith(ACRONYM_PREFIX)]
                  for key, side in axis.sides.items()}
        groups[_NAMING_GROUP] = [LexiconEntry("naming", term, lean) for term, lean in axis.naming]
        self.grouped = GroupedMatcher(groups)
        self.sides = tuple(axis.sides)
        self.naming_entries = self.grouped.groups[_NAMING_GROUP]
        acronyms: dict[str, list[str]] = {}
        for key, side in axis.sides.items():
            for term in side["terms"]:
                if term.startswith(ACRONYM_PREFIX) and key not in acronyms.setdefault(term[len(ACRONYM_PREFIX):], []):
                    acronyms[term[len(ACRONYM_PREFIX):]].append(key)
        self.acronyms = acronyms

    def match(self, analysis) -> tuple[dict[str, list[tuple[int, int]]], list[tuple[int, int, int]]]:
        found = self.grouped.match(analysis.tokens)
        acronyms = self.acronyms
        named = bool(acronyms) and not acronyms.keys().isdisjoint(analysis.raw)
        if not named and not any(found[key] for key in self.sides):
            # Most sentences mention no side.
            return {key: [] for key in self.sides}, found[_NAMING_GROUP]
        mentions = {key: {(start, end) for _, start, end in found[key]} for key in self.sides}
        if named:
            for position, raw in enumerate(analysis.raw):
                for key in acronyms.get(raw, ()):
                    mentions[key].add((position, position + 1))
        return {key: sorted(spans) for key, spans in mentions.items()}, found[_NAMING_GROUP]


def axis_mentions(axis_document: Mapping[str, Any], text: str) -> dict[str, int]:
    """How often each side's actors are mentioned in ``text`` (tokenised like the features).

    Examples
    --------
    >>> axis = {"name": "x", "poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                                "positive": {"label": "B", "actors": ["Borduria"]}}}
    >>> axis_mentions(axis, "Atlantis accused Borduria. Atlantis left.")
    {'negative': 2, 'positive': 1}
    """
    return Axis(axis_document).mentions(text)


class StanceFeatures(_NamedFeatures):
    """Stance toward each side of an axis, from the wording around its actors.

    Parameters
    ----------
    axis : dict or None
        The axis as plain data (:func:`load_axis`). ``None`` gives no columns.
    window : int, default=6
        How many tokens from an actor mention a polarity word or verb may stand.

    Examples
    --------
    >>> axis = {"name": "x", "poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                                "positive": {"label": "B", "actors": ["Borduria"]}},
    ...         "naming": [{"term": "junta", "leans": "pro_a"}]}
    >>> f = StanceFeatures(axis=axis).fit(["x"])
    >>> row = f.transform(["The corrupt Borduria junta attacked Atlantis."]).toarray()[0]
    >>> names = list(f.get_feature_names_out())
    >>> [names[i] for i in np.flatnonzero(row)]  # doctest: +NORMALIZE_WHITESPACE
    ['stance:negative:mention', 'stance:negative:negative_words', 'stance:negative:blame_target',
     'stance:positive:mention', 'stance:positive:negative_words', 'stance:positive:blame_agent', 'stance:naming:pro_a']
    """

    _KINDS = ("mention", "negative_words", "positive_words", "blame_agent", "credit_agent", "blame_target",
              "credit_target", "scare_quote", "quoted_negative_words")

    def __init__(self, axis=None, window=WINDOW):
        self.axis = axis
        self.window = window

    def fit(self, X, y=None):
        texts_of(X)
        if not isinstance(self.window, int) or isinstance(self.window, bool) or self.window < 1:
            raise ValueError(f"window must be an int >= 1, got {self.window!r}")
        names: list[str] = []
        if self.axis is not None:
            axis = Axis(self.axis)
            for key in axis.sides:
                names += [f"stance:{key}:{kind}" for kind in self._KINDS]
            names += [f"stance:naming:{lean}" for lean in axis.leans]
            names += [f"stance:naming:{lean}@quote" for lean in axis.leans]
        self.feature_names_ = names
        self.n_features_in_ = 1
        self.__dict__.pop("_matcher_cache", None)
        return self

    def _state(self):
        cached = self.__dict__.get("_matcher_cache")
        if cached is None:
            axis = Axis(self.axis)
            sides = _AxisMatcher(axis)
            valence = {}
            for entry in load_lexicon():
                if entry.lexicon == "valence" and " " not in entry.term:
                    valence[entry.term] = entry.category
            cached = (sides, valence)
            self.__dict__["_matcher_cache"] = cached
        return cached

    def transform(self, X):
        check_is_fitted(self, "feature_names_")
        texts = texts_of(X)
        if not self.feature_names_:
            return sp.csr_matrix((len(texts), 0))
        return parts_matrix(self._csr_parts(texts), len(self.feature_names_))

    def _csr_parts(self, texts: list[str]) -> CsrParts:
        """The rows of ``texts`` as :data:`~framing.features._base.CsrParts` (for a fitted block)."""
        if not self.feature_names_:
            return np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int32), np.zeros(len(texts) + 1, dtype=np.int32)
        sides, valence = self._state()
        columns = self._column_index()
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        width = self.window
        # Training: the same text gives the same row in every fold (the axis is not learned from labels).
        # (The key spells the axis out, which costs more than a sentence's row: only while training.)
        cache = training_rows(("StanceFeatures", width, json.dumps(self.axis, sort_keys=True))) if training() else None
        for text in texts:
            counts = None if cache is None else cache.get(text)
            if counts is None:
                counts = self._counts(text, sides, valence, columns, width)
                if cache is not None:
                    cache[text] = counts
            for column in sorted(counts):
                indices.append(column)
                values.append(counts[column])
            indptr.append(len(indices))
        return (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32))

    def _counts(self, text: str, sides, valence, columns, width: int) -> dict[int, float]:
        """``{column: value}`` of one sentence."""
        analysis = analyze(text)
        mentions, naming_found = sides.match(analysis)
        if not naming_found and not any(mentions.values()):
            return {}  # most sentences: no side mentioned, no naming variant
        tokens, in_quote = analysis.tokens, analysis.in_quote
        counts: dict[int, float] = {}

        def add(name: str, value: float = 1.0, counts: dict[int, float] = counts) -> None:
            column = columns[name]
            counts[column] = counts.get(column, 0.0) + value

        actor_tokens = {p for spans in mentions.values() for s, e in spans for p in range(s, e)}
        # Most sentences mention no side: verbs and quotes matter only around a mention.
        if actor_tokens:
            blame = [p for p, t in enumerate(tokens) if t.startswith(BLAME_STEMS) and p not in actor_tokens]
            credit = [p for p, t in enumerate(tokens) if t.startswith(CREDIT_STEMS) and p not in actor_tokens]
            quoted_runs = _quoted_runs(in_quote)
        else:
            blame = credit = quoted_runs = []
        for key, spans in mentions.items():
            if not spans:
                continue
            add(f"stance:{key}:mention", float(len(spans)))
            for start, end in spans:
                near = [p for p in range(max(0, start - width), min(len(tokens), end + width)) if p not in actor_tokens]
                for p in near:
                    polarity = valence.get(tokens[p])
                    if polarity is None:
                        continue
                    if in_quote[p]:
                        if polarity == "negative":
                            add(f"stance:{key}:quoted_negative_words")
                    else:
                        add(f"stance:{key}:{polarity}_words")
                if any(start < p <= end + 3 for p in blame):
                    add(f"stance:{key}:blame_agent")
                if any(start < p <= end + 3 for p in credit):
                    add(f"stance:{key}:credit_agent")
                if any(start - 4 <= p < start for p in blame):
                    add(f"stance:{key}:blame_target")
                if any(start - 4 <= p < start for p in credit):
                    add(f"stance:{key}:credit_target")
                if any(a - width <= end and start <= b + width for a, b in quoted_runs):
                    add(f"stance:{key}:scare_quote")
        for index, start, _end in naming_found:
            lean = sides.naming_entries[index].category
            add(f"stance:naming:{lean}@quote" if in_quote[start] else f"stance:naming:{lean}")
        return counts


def _quoted_runs(in_quote) -> list[tuple[int, int]]:
    """Token ranges of short quotations (scare quotes), at most ``SCARE_QUOTE_MAX_TOKENS`` long."""
    runs, start = [], None
    for position, inside in enumerate(list(in_quote) + [False]):
        if inside and start is None:
            start = position
        elif not inside and start is not None:
            if position - start <= SCARE_QUOTE_MAX_TOKENS and not (start == 0 and position == len(in_quote)):
                runs.append((start, position - 1))
            start = None
    return runs
