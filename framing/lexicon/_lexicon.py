"""Lexicons: the project's hand-written term lists, user overrides, and fast matching.

Each lexicon is a TSV file in ``framing/lexicon/data/`` (``term<TAB>category<TAB>note``)
loaded through :mod:`importlib.resources`. A term is one or more words;
a trailing ``*`` on a word matches any word that starts with it
(``capitulat*`` matches *capitulation*, *capitulate*). Single words of four
letters or more also match their plural in ``-s``.

Terms are matched on the normalised word tokens of
:func:`framing.text.build_tokenizer`, so matching is case-insensitive and
ignores possessive ``'s``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path

from ..text import build_tokenizer

__all__ = ["LexiconEntry", "Lexicon", "load_lexicon", "LEXICON_NAMES", "LexiconMatcher", "GroupedMatcher",
           "load_topic_words"]

#: Lexicon name -> file name in ``framing/lexicon/data/``.
LEXICON_FILES = {
    "loaded": "loaded.tsv",
    "naming": "naming.tsv",
    "hedge": "hedges.tsv",
    "booster": "boosters.tsv",
    "attribution": "attribution.tsv",
    "source": "sources.tsv",
    "org": "organisations.tsv",
    "boilerplate": "boilerplate.tsv",
    # Broad polarity words (VADER, MIT; Pattern/TextBlob subjectivity lexicon, PDDL): see lexicons/LICENSES.md.
    "valence": "valence.tsv",
}
LEXICON_NAMES = tuple(LEXICON_FILES)

#: Category given to terms harvested from labelled cue spans at fit time.
HARVESTED = "harvested"

#: Span type in a corpus -> lexicon that harvested span terms join.
SPAN_TYPE_TO_LEXICON = {"loaded": "loaded", "hedge": "hedge", "attribution_cue": "attribution", "source": "source"}

#: A category of "-" in a user's override file removes the entry.
REMOVE = "-"

#: Words that name what a story is about (``war``, ``strike``, ``migrants``) or that are loaded only inside a
#: phrase (``left``): never admitted as harvested ``loaded`` terms. Not a lexicon: nothing is matched against it.
TOPIC_WORDS_FILE = "topic_words.tsv"


@dataclass(frozen=True, order=True)
class LexiconEntry:
    """One lexicon term."""

    lexicon: str
    term: str
    category: str
    note: str = ""


def _entry_key(entry: LexiconEntry) -> tuple[str, str, str, str]:
    return (entry.lexicon, entry.term, entry.category, entry.note)


class Lexicon:
    """An immutable, ordered set of lexicon entries.

    Parameters
    ----------
    entries : iterable of LexiconEntry
        Later entries for the same (lexicon, term) replace earlier ones; an
        entry whose category is ``"-"`` removes the term.

    Examples
    --------
    >>> lexicon = Lexicon([LexiconEntry("hedge", "reportedly", "distancing")])
    >>> lexicon.terms("hedge")
    ('reportedly',)
    >>> len(lexicon.extend([LexiconEntry("hedge", "reportedly", "-")]))
    0
    """

    def __init__(self, entries: Iterable[LexiconEntry] = ()):
        merged: dict[tuple[str, str], LexiconEntry] = {}
        for entry in entries:
            if entry.lexicon not in LEXICON_FILES:
                raise ValueError(f"unknown lexicon {entry.lexicon!r} for term {entry.term!r}; available: {list(LEXICON_NAMES)}")
            term = normalise_term(entry.term)
            if not term:
                raise ValueError(f"empty term in lexicon {entry.lexicon!r}")
            key = (entry.lexicon, term)
            if entry.category == REMOVE:
                merged.pop(key, None)
            else:
                # Entries are immutable: one whose term is already normalised is kept as it is.
                merged[key] = entry if term == entry.term else LexiconEntry(entry.lexicon, term, entry.category, entry.note)
        # The dataclass order (lexicon, term, category, note), compared as plain tuples: much faster.
        self._entries: tuple[LexiconEntry, ...] = tuple(sorted(merged.values(), key=_entry_key))
        self._hash: int | None = None

    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def __eq__(self, other) -> bool:
        return isinstance(other, Lexicon) and self._entries == other._entries

    def __hash__(self) -> int:
        # Immutable, and hashed as a cache key per fit: computed once.
        if self._hash is None:
            self._hash = hash(self._entries)
        return self._hash

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} entries, digest={self.digest()[:12]})"

    def terms(self, lexicon: str) -> tuple[str, ...]:
        return tuple(entry.term for entry in self._entries if entry.lexicon == lexicon)

    def categories(self, lexicon: str) -> tuple[str, ...]:
        return tuple(sorted({entry.category for entry in self._entries if entry.lexicon == lexicon}))

    def extend(self, entries: Iterable[LexiconEntry]) -> Lexicon:
        """A new lexicon with ``entries`` added (or overriding, or removing)."""
        return Lexicon(list(self._entries) + list(entries))

    def to_records(self, lexicons: Sequence[str] | None = None) -> list[list[str]]:
        """``[lexicon, term, category, note]`` per entry (of the named ``lexicons`` only, when given)."""
        if lexicons is None:
            return [[e.lexicon, e.term, e.category, e.note] for e in self._entries]
        wanted = frozenset(lexicons)
        return [[e.lexicon, e.term, e.category, e.note] for e in self._entries if e.lexicon in wanted]

    @classmethod
    def from_records(cls, records: Sequence[Sequence[str]]) -> Lexicon:
        return cls(LexiconEntry(*map(str, record)) for record in records)

    def digest(self) -> str:
        """SHA-256 of the entries: identifies the lexicon a model was trained with."""
        return hashlib.sha256(json.dumps(self.to_records(), ensure_ascii=False).encode("utf-8")).hexdigest()


_NORMALISE = build_tokenizer()


@lru_cache(maxsize=65536)
def normalise_term(term: str) -> str:
    """Normalise a lexicon term the way sentences are tokenised, keeping ``*`` wildcards.

    Examples
    --------
    >>> normalise_term("  Kyiv's  Regime ")
    'kyiv regime'
    >>> normalise_term("Capitulat*")
    'capitulat*'
    """
    words = []
    for word in term.split():
        wildcard = word.endswith("*")
        tokens = _NORMALISE(word.rstrip("*"))
        if tokens:
            tokens[-1] += "*" if wildcard else ""
            words.extend(tokens)
    return " ".join(words)


def _parse_tsv(text: str, source: str, lexicon: str | None) -> list[LexiconEntry]:
    entries = []
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = None
    for line_number, row in enumerate(reader, start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            expected = ["term", "category", "note"] if lexicon else ["term", "lexicon", "category", "note"]
            if header[: len(expected) - 1] != expected[:-1]:
                raise ValueError(f"{source}:{line_number}: header must be {expected}, got {header}")
            continue
        cells = dict(zip(header, (cell.strip() for cell in row)))
        name = lexicon or cells.get("lexicon", "")
        if name not in LEXICON_FILES:
            raise ValueError(f"{source}:{line_number}: unknown lexicon {name!r}; available: {list(LEXICON_NAMES)}")
        if not cells.get("term") or not cells.get("category"):
            raise ValueError(f"{source}:{line_number}: term and category must be non-empty, got {row}")
        entries.append(LexiconEntry(name, cells["term"], cells["category"], cells.get("note", "")))
    return entries


@lru_cache(maxsize=1)
def _bundled_entries() -> tuple[LexiconEntry, ...]:
    # The package's files do not change while it runs: parsed once per process.
    entries = []
    package = resources.files("framing.lexicon").joinpath("data")
    for name, file_name in LEXICON_FILES.items():
        text = package.joinpath(file_name).read_text(encoding="utf-8")
        entries.extend(_parse_tsv(text, f"framing/lexicon/data/{file_name}", name))
    return tuple(entries)


@lru_cache(maxsize=1)
def _bundled_lexicon() -> Lexicon:
    return Lexicon(_bundled_entries())


@lru_cache(maxsize=1)
def load_topic_words() -> frozenset[str]:
    """The bundled topic words (``framing/lexicon/data/topic_words.tsv``), normalised.

    Learned loaded terms made only of these words are refused (see
    :class:`framing.features.LexiconFeatures`): a word such as *war* or
    *strike* names the story, not the way it is told.

    Examples
    --------
    >>> topics = load_topic_words()
    >>> "war" in topics, "left" in topics, "greedy" in topics
    (True, True, False)
    """
    text = resources.files("framing.lexicon").joinpath("data", TOPIC_WORDS_FILE).read_text(encoding="utf-8")
    # Same layout as a lexicon file; "loaded" only satisfies the parser, the words are not loaded entries.
    return frozenset(entry.term for entry in _parse_tsv(text, f"framing/lexicon/data/{TOPIC_WORDS_FILE}", "loaded"))


def load_lexicon(extra: None | str | Path | Iterable[LexiconEntry] = None, bundled: bool = True) -> Lexicon:
    """Load the bundled lexicons, optionally extended or overridden by the user's entries.

    Parameters
    ----------
    extra : path or iterable of LexiconEntry, optional
        A TSV file with the columns ``term, lexicon, category, note`` or
        entries. An entry replaces a bundled one with the same lexicon and
        term; category ``-`` removes it.
    bundled : bool, default=True
        Start from the bundled lexicons; ``False`` starts empty.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> "reportedly" in lexicon.terms("hedge")
    True
    >>> custom = load_lexicon([LexiconEntry("loaded", "woke", "partisan_label", "my corpus")])
    >>> "woke" in custom.terms("loaded")
    True
    """
    if extra is None and bundled:
        return _bundled_lexicon()  # immutable, so one shared instance is safe
    entries = list(_bundled_entries()) if bundled else []
    if isinstance(extra, (str, Path)):
        path = Path(extra)
        entries.extend(_parse_tsv(path.read_text(encoding="utf-8"), str(path), None))
    elif extra is not None:
        entries.extend(extra)
    return Lexicon(entries)


class LexiconMatcher:
    """Find lexicon terms in token sequences; built once per fitted model.

    Matching is a dictionary lookup on each token (plus a prefix check for
    wildcard words) followed by a check of the term's remaining words, so it
    costs a few lookups per token whatever the lexicon size.
    """

    def __init__(self, entries: Iterable[LexiconEntry]):
        # Each candidate: (words, entry index, the words after the first, whether those hold a wildcard).
        self._exact: dict[str, list[tuple[tuple[str, ...], int, tuple[str, ...], bool]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], int, tuple[str, ...], bool]]] = {}
        self.entries: list[LexiconEntry] = list(entries)
        for index, entry in enumerate(self.entries):
            words = tuple(entry.term.split())
            first = words[0]
            rest = words[1:]
            candidate = (words, index, rest, bool(rest) and any(word.endswith("*") for word in rest))
            if first.endswith("*"):
                self._prefix.setdefault(first[:-1], []).append(candidate)
            else:
                self._exact.setdefault(first, []).append(candidate)
                if len(words) == 1 and len(first) >= 4 and not first.endswith("s"):
                    self._exact.setdefault(first + "s", []).append(candidate)
        self._prefixes = tuple(self._prefix)
        # Candidates per distinct token, filled as tokens are seen: words are Zipfian, so after a few
        # sentences matching costs one dictionary lookup per token (a cache, not learned state).
        # Each value: (single-word entry indices, multi-word candidates by their second word,
        # multi-word candidates whose second word is a wildcard), or () for a token that starts no term.
        self._candidates: dict[str, tuple] = {}

    #: Distinct tokens whose candidates are kept; the cache starts afresh past this.
    _CACHE_LIMIT = 200_000

    def _lookup(self, token: str) -> tuple:
        candidates = list(self._exact.get(token, ()))
        prefixes = self._prefixes
        if prefixes and token.startswith(prefixes):
            candidates += [c for p in prefixes if token.startswith(p) for c in self._prefix[p]]
        singles: list[int] = []
        by_next: dict[str, list] = {}
        wildcard_next: list = []
        for candidate in candidates:
            rest = candidate[2]
            if not rest:
                singles.append(candidate[1])
            elif rest[0].endswith("*"):
                wildcard_next.append(candidate)
            else:
                by_next.setdefault(rest[0], []).append(candidate)
        entry = (tuple(singles), {k: tuple(v) for k, v in by_next.items()}, tuple(wildcard_next)) if candidates else ()
        if len(self._candidates) >= self._CACHE_LIMIT:
            self._candidates = {}
        self._candidates[token] = entry
        return entry

    @staticmethod
    def _word_matches(pattern: str, token: str) -> bool:
        if pattern.endswith("*"):
            return token.startswith(pattern[:-1])
        return token == pattern

    def match(self, tokens: Sequence[str]) -> list[tuple[int, int, int]]:
        """Return ``(entry_index, first_token, end_token)`` for every match.

        Examples
        --------
        >>> matcher = LexiconMatcher([LexiconEntry("loaded", "kyiv regime", "partisan_label"),
        ...                           LexiconEntry("loaded", "capitulat*", "pejorative")])
        >>> matcher.match(["the", "kyiv", "regime", "capitulates"])
        [(0, 1, 3), (1, 3, 4)]
        """
        found = []
        cache = self._candidates
        n_tokens = len(tokens)
        for position, token in enumerate(tokens):
            entry = cache.get(token)
            if entry is None:
                entry = self._lookup(token)
                cache = self._candidates
            if not entry:
                continue
            singles, by_next, wildcard_next = entry
            for index in singles:
                found.append((index, position, position + 1))
            if position + 1 == n_tokens:
                continue
            # Multi-word terms: only those whose second word can match the next token are checked.
            multi = by_next.get(tokens[position + 1], ()) if by_next else ()
            if wildcard_next:
                multi = multi + wildcard_next
            for words, index, rest, wildcard in multi:
                end = position + len(words)
                if end > n_tokens:
                    continue
                # Most multi-word terms have no wildcard: one tuple comparison instead of a loop.
                if wildcard:
                    matched = all(self._word_matches(words[k], tokens[position + k]) for k in range(1, len(words)))
                else:
                    matched = tuple(tokens[position + 1:end]) == rest
                if matched:
                    found.append((index, position, end))
        if len(found) > 1:
            found.sort(key=_START_THEN_ENTRY)
        return found


#: Sort key of a match ``(entry, start, end)``: by start, then entry.
_START_THEN_ENTRY = itemgetter(1, 0)


class GroupedMatcher:
    """Several named groups of entries matched in one pass over the tokens.

    ``match(tokens)[group]`` equals ``LexiconMatcher(groups[group]).match(tokens)``:
    entry indices are positions within the group, in the same order. Results
    are kept per token sequence, so transformers that share a matcher match
    each sentence once.

    Examples
    --------
    >>> matcher = GroupedMatcher({"cue": [LexiconEntry("attribution", "said", "speech")],
    ...                           "hedge": [LexiconEntry("hedge", "reportedly", "distancing")]})
    >>> matcher.match(("he", "reportedly", "said"))
    {'cue': [(0, 2, 3)], 'hedge': [(0, 1, 2)]}
    """

    #: Token sequences whose results are kept; the cache starts afresh past this.
    _CACHE_LIMIT = 8192

    def __init__(self, groups: dict[str, Iterable[LexiconEntry]]):
        self.groups = {name: list(entries) for name, entries in groups.items()}
        flat: list[LexiconEntry] = []
        self._owner: list[tuple[str, int]] = []
        for name, entries in self.groups.items():
            for position, entry in enumerate(entries):
                flat.append(entry)
                self._owner.append((name, position))
        self._matcher = LexiconMatcher(flat)
        self._results: dict[tuple[str, ...], dict[str, list[tuple[int, int, int]]]] = {}

    def match(self, tokens: Sequence[str]) -> dict[str, list[tuple[int, int, int]]]:
        """``{group: [(entry index within the group, first token, end token), ...]}`` (treat as read-only)."""
        key = tuple(tokens)
        found = self._results.get(key)
        if found is not None:
            return found
        found = {name: [] for name in self.groups}
        owner = self._owner
        # Sorted by (first token, flat index); within a group that is (first token, group index).
        for index, start, end in self._matcher.match(key):
            name, position = owner[index]
            found[name].append((position, start, end))
        if len(self._results) >= self._CACHE_LIMIT:
            self._results = {}
        self._results[key] = found
        return found
