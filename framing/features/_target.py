"""Features of one mention in its sentence: what the wording says about *that* actor.

:class:`TargetFeatures` turns a mention — a sentence and the character span
of the actor in it, and whether the mention stands in a quotation — into
named, linear features relative to the mention:

- ``w:`` / ``b:`` the words and word pairs of the sentence with the mention
  replaced by ``<T>`` (so that the same sentence gives other features for
  another actor in it);
- ``L:`` / ``R:`` the words left and right of the mention within ``window``
  tokens, ``L1:`` / ``R1:`` / ``R12:`` / ``L12:`` the nearest ones;
- ``pol:`` polarity near the mention: the signed strengths of the bundled
  ``valence`` lexicon (VADER's valence over 4, Pattern's polarity), flipped
  after a negation in the same clause, summed over the whole sentence, the
  window, the mention's clause (split at ``, ; : but although while``...),
  each side, and weighted by ``1 / (1 + distance)``;
- ``role:`` blame and credit verbs (:data:`framing.features.BLAME_STEMS`
  style stems) in the mention's clause with the mention as their agent (it
  comes first, active voice) or their patient;
- ``lex:`` the ``loaded`` and ``hedge`` categories near the mention, and
  ``M:`` the mention's own words with the categories of ``loaded`` and
  ``naming`` terms in it ("regime", "occupiers", "puppets");
- ``q:`` the polarity and role features again for a quoted mention (a
  quotation's stance is the speaker's), and ``quoted`` itself.

:meth:`TargetFeatures.build_analyzer` returns the function that gives one
mention's ``{feature name: value}`` before weighting, so a user sees the exact
features. The matrix is ``sign(v) * log1p(|v|)`` per value, each block of a row (its part of the
features) scaled to unit length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from ..lexicon._lexicon import load_lexicon
from ..text import normalise_token, token_spans
from ._analysis import analyze

__all__ = ["Mention", "TargetFeatures", "mention_of", "block_of", "BLOCKS", "DEFAULT_BLOCKS", "TARGET_BLAME_STEMS", "TARGET_CREDIT_STEMS"]

#: Feature blocks :class:`TargetFeatures` can build (its ``blocks`` parameter).
BLOCKS = ("sentence", "window", "polarity", "roles", "lexicons", "mention", "quoted", "clause", "sides", "speaker")
#: Stems (prefix match on the normalised token) of verbs that blame or attack whoever they are aimed at.
TARGET_BLAME_STEMS = ("accus", "blam", "criticiz", "criticis", "condemn", "attack", "slam", "denounc", "reject",
                      "mock", "ridicul", "insult", "sued", "sues", "indict", "charg", "arrest", "investigat", "fired",
                      "oust", "impeach", "convict", "blast", "lambast", "rebuk", "scold", "chastis", "threat",
                      "violat", "invad", "bomb", "shell", "kill", "provok", "betray", "undermin", "sabotag", "lie",
                      "lied", "obstruct", "blackmail", "bully", "warn", "target")
#: Stems of verbs that credit, praise or back whoever they are aimed at.
TARGET_CREDIT_STEMS = ("prais", "applaud", "commend", "thank", "support", "endors", "defend", "back", "celebrat",
                       "honor", "honour", "welcom", "elect", "win", "won", "reward", "help", "protect", "agree",
                       "cooperat", "pledg", "liberat", "repel", "achiev", "secur", "rescu", "saved")
#: The blocks built by default: the others ("clause", "sides") did not help in grouped cross-validation.
DEFAULT_BLOCKS = ("sentence", "window", "polarity", "roles", "lexicons", "mention", "quoted", "speaker")
_NEGATORS = frozenset({"not", "no", "never", "without", "nor", "neither", "hardly", "nobody", "nothing", "none",
                       "cannot", "barely", "lack", "lacks", "lacked", "fail", "fails", "failed"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "but", "although", "though", "while", "whereas", "however",
                            "yet", "despite", "because", "(", ")"})
_PASSIVE_AUX = frozenset({"was", "were", "is", "are", "be", "been", "being", "get", "got", "gets", "getting"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "his", "hers", "their", "i", "we", "you", "it",
                       "himself", "herself", "themselves"})
_SAY_WORDS = frozenset({"said", "says", "say", "told", "tells", "wrote", "writes", "added", "argued", "argues", "claimed",
                        "claims", "insisted", "insists", "stated", "states", "tweeted", "explained", "noted", "asked",
                        "according", "warned", "announced", "declared"})
_QUOTE_MARKS = frozenset({'"', "“", "”", "«", "»", "„"})
#: The block of a feature, by the prefix before its first ``:`` (the features without one are named in full).
_BLOCK_OF_PREFIX = MappingProxyType({
    "w": "sentence", "b": "sentence", "empty": "sentence",
    "L": "window", "R": "window", "L1": "window", "R1": "window", "L12": "window", "R12": "window", "pos": "window",
    "pol": "polarity", "role": "roles", "lex": "lexicons", "M": "mention",
    "q": "quoted", "quoted": "quoted", "quotes": "quoted", "LL": "sides", "RR": "sides", "C": "clause",
    "s": "speaker", "speaker": "speaker",
})
_MASK = "<T>"
_MASK_WORD = "w:" + _MASK
_START, _END = itemgetter(0), itemgetter(1)
_NAME = "<N>"
NEGATION_SCOPE = 3


@dataclass(frozen=True)
class Mention:
    """One mention to score: ``text[start:end]`` is the actor, ``quoted`` says it stands in a quotation.

    Examples
    --------
    >>> m = Mention("Smith won.", 0, 5)
    >>> m.text[m.start:m.end], m.quoted
    ('Smith', False)
    """

    text: str
    start: int
    end: int
    quoted: bool = False


def mention_of(item: Any) -> Mention:
    """``item`` as a :class:`Mention`: a Mention, a tuple ``(text, start, end[, quoted])``, or an object with
    ``text``, ``start``, ``end`` and ``quoted`` (or ``voice``, ``"quoted"`` meaning quoted).

    Examples
    --------
    >>> mention_of(("Smith won.", 0, 5, True))
    Mention(text='Smith won.', start=0, end=5, quoted=True)
    """
    if isinstance(item, Mention):
        return item
    if isinstance(item, tuple):
        if len(item) not in (3, 4):
            raise ValueError(f"a mention tuple is (text, start, end[, quoted]), got {len(item)} fields")
        return Mention(item[0], int(item[1]), int(item[2]), bool(item[3]) if len(item) == 4 else False)
    quoted = getattr(item, "quoted", None)
    if quoted is None:
        quoted = getattr(item, "voice", "author") == "quoted"
    return Mention(item.text, int(item.start), int(item.end), bool(quoted))


def _strength(category: str, note: str) -> float:
    """Signed strength in [-1, 1] of a valence entry: VADER's valence / 4, Pattern's polarity, else ±0.5."""
    sign = 1.0 if category == "positive" else -1.0
    for marker, scale in (("valence ", 4.0), ("polarity ", 1.0)):
        at = note.find(marker)
        if at >= 0:
            try:
                value = float(note[at + len(marker):].split(",")[0])
            except ValueError:
                break
            return max(-1.0, min(1.0, value / scale))
    return 0.5 * sign


@dataclass(frozen=True)
class _Tables:
    valence: MappingProxyType  # single word -> signed strength
    loaded: MappingProxyType  # term (1-3 words) -> category
    loaded_prefixes: tuple[tuple[str, str], ...]  # (stem, category) of one-word wildcard terms
    loaded_stems: tuple[str, ...]  # the stems alone, for one str.startswith test
    phrase_starts: frozenset  # first words of the loaded and hedge terms of several words
    phrase_seconds: MappingProxyType  # first word of such a term -> the second words of the terms it starts
    hedge: MappingProxyType
    naming: MappingProxyType


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The bundled lexicons as the lookups the features use (parsed once; the package data does not change)."""
    valence, loaded, hedge, naming, prefixes = {}, {}, {}, {}, []
    for entry in load_lexicon():
        term = entry.term
        if entry.lexicon == "valence" and " " not in term and not term.endswith("*"):
            valence[term] = _strength(entry.category, entry.note)
        elif entry.lexicon in ("loaded", "hedge", "naming"):
            target = {"loaded": loaded, "hedge": hedge, "naming": naming}[entry.lexicon]
            if term.endswith("*"):
                if entry.lexicon == "loaded" and " " not in term:
                    prefixes.append((term[:-1], entry.category))
                continue
            target[term] = entry.category
    seconds: dict[str, set[str]] = {}
    for term in (*loaded, *hedge):
        if " " in term:
            first, second = term.split()[:2]
            seconds.setdefault(first, set()).add(second)
    return _Tables(MappingProxyType(valence), MappingProxyType(loaded), tuple(prefixes),
                   tuple(stem for stem, _ in prefixes),
                   frozenset(term.split()[0] for term in (*loaded, *hedge) if " " in term),
                   MappingProxyType({first: frozenset(words) for first, words in seconds.items()}),
                   MappingProxyType(hedge), MappingProxyType(naming))


@lru_cache(maxsize=1 << 15)
def _reading(raw: str) -> tuple:
    """What the features read from one token whatever its sentence, memoised per raw token (a pure function).

    A tuple, in the order :class:`_Sentence` unpacks it: the normalised word; whether it starts with a
    capital; whether a capitalised word after it is not folded to ``<N>`` (a quotation mark, ``.`` or ``:``);
    1 for a clause break, else 0; whether it negates; its valence or None; ``"blame"``, ``"credit"`` or None;
    its one-word ``loaded`` and ``hedge`` names; whether a lexicon phrase may start with it; its wildcard
    ``loaded`` name or None; whether it is a quotation mark; whether any lexicon name may start at it.
    """
    tables = _tables()
    word = normalise_token(raw)
    if word.startswith(TARGET_BLAME_STEMS):
        role = "blame"
    elif word.startswith(TARGET_CREDIT_STEMS):
        role = "credit"
    else:
        role = None
    names = []
    category = tables.loaded.get(word)
    if category is not None:
        names.append("loaded:" + category)
    category = tables.hedge.get(word)
    if category is not None:
        names.append("hedge:" + category)
    wildcard = None
    if word.startswith(tables.loaded_stems):
        wildcard = next("loaded:" + category for stem, category in tables.loaded_prefixes if word.startswith(stem))
    phrase = word in tables.phrase_starts
    quote_mark = word in _QUOTE_MARKS
    return (word, raw[:1].isupper(), quote_mark or word in (".", ":"), int(word in _CLAUSE_BREAKS),
            word in _NEGATORS or word.endswith("n't"), tables.valence.get(word), role, tuple(names), phrase,
            wildcard, quote_mark, bool(names) or phrase or wildcard is not None)


def _tokens(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """``(spans, raw tokens)`` of :func:`framing.text.token_spans`, from the memoised :func:`analyze` of ``text``.

    The analysis holds the tokens that start with a letter or digit (scoring has tokenised every unit
    already); the rest, between them, are single characters other than space, or words that start with
    ``_``, which only the rare gap that holds a ``_`` tokenises again.
    """
    analysis = analyze(text)
    offsets, raw = analysis.offsets, analysis.raw
    # The text between the analysed tokens: almost always one space, else a comma, a full stop, a quotation mark.
    bounds = [0, *chain.from_iterable(offsets), len(text)]
    ends, starts = bounds[0::2], bounds[1::2]
    gaps = [text[end:start] for end, start in zip(ends, starts)]
    spans: list[tuple[int, int]] = []
    raws: list[str] = []
    done = 0
    for k in [k for k, gap in enumerate(gaps) if gap != " " and gap]:
        spans.extend(offsets[done:k])
        raws.extend(raw[done:k])
        layout, tokens = _gap_layout(gaps[k])
        if tokens:
            start = ends[k]
            spans.extend([(start + s, start + e) for s, e in layout])
            raws.extend(tokens)
        done = k
    spans.extend(offsets[done:])
    raws.extend(raw[done:])
    return spans, raws


@lru_cache(maxsize=4096)
def _gap_layout(gap: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """The tokens of the text between two analysed tokens (``", "``, ``". "``, ``" “"``...): offsets in it, and raw.

    Without a ``_`` every character other than space is one token (none can start a word token); with one,
    :func:`framing.text.token_spans` tokenises it (a word token may start with ``_``).
    """
    if "_" in gap:
        spans = tuple(token_spans(gap))
    else:
        spans = tuple((offset, offset + 1) for offset, char in enumerate(gap) if not char.isspace())
    return spans, tuple(gap[s:e] for s, e in spans)


class _Sentence:
    """What every mention of one sentence shares: tokens, their lexicon readings, clause numbers."""

    __slots__ = ("spans", "words", "context", "repeated", "strength", "clause", "lexicon", "quote_marks", "polar",
                 "roles", "keys")

    def __init__(self, text: str, tables: _Tables, fold_names: bool = True):
        self.spans, raws = _tokens(text)
        self.keys = None
        n = len(raws)
        if not n:
            self.words, self.context, self.repeated, self.strength, self.clause = [], [], [], [], []
            self.lexicon, self.quote_marks, self.polar, self.roles = {}, [], [], []
            return
        (words, upper, keeps_case, breaks, negators, valences, roles, names, phrase, wildcards, marks,
         lexical) = zip(*map(_reading, raws))
        words = list(words)
        self.words = words
        if fold_names:
            # Context words with other names folded to one token: who else is named says little about the stance.
            context = words.copy()
            for k in compress(range(n), upper):
                if k and not keeps_case[k - 1]:
                    context[k] = _NAME
        else:
            context = words
        self.context = context
        # The context words that occur more than once, with their counts: a mention's sentence features count them.
        seen: set[str] = set()
        # set.add gives None: a word is kept when seen before, and is marked seen otherwise.
        self.repeated = [(w, context.count(w)) for w in {w for w in context if w in seen or seen.add(w)}]
        clause = list(accumulate(breaks))
        self.clause = clause
        # Signed strength after negation (a negator in the preceding NEGATION_SCOPE tokens of the same clause).
        # A valence of 0 is left at 0.0: only the non-zero strengths are ever read.
        strength: list[float] = [0.0] * n
        polar = []
        for i in compress(range(n), valences):
            value = valences[i]
            for j in range(max(0, i - NEGATION_SCOPE), i):
                if negators[j] and clause[j] == clause[i]:
                    value = -value
                    break
            strength[i] = value
            polar.append((i, value))
        self.strength = strength
        # The few tokens with a polarity or a blame/credit stem: every mention of the sentence visits only these.
        self.polar = polar
        self.roles = [(i, roles[i]) for i in compress(range(n), roles)]
        lexicon: dict[int, list[str]] = {}
        loaded, hedge, seconds = tables.loaded, tables.hedge, tables.phrase_seconds
        for i in compress(range(n), lexical):
            found = list(names[i])
            # A term of two or three words is looked up only where its second word follows.
            if phrase[i] and i + 1 < n and words[i + 1] in seconds[words[i]]:
                for size in (2, 3):
                    if i + size > n:
                        break
                    term = " ".join(words[i:i + size])
                    category = loaded.get(term)
                    if category is not None:
                        found.append("loaded:" + category)
                    category = hedge.get(term)
                    if category is not None:
                        found.append("hedge:" + category)
            if wildcards[i] is not None:
                found.append(wildcards[i])
            if found:
                lexicon[i] = found
        self.lexicon = lexicon
        self.quote_marks = list(compress(range(n), marks))


class TargetFeatures(TransformerMixin, BaseEstimator):
    """Named features of a mention relative to its sentence (scikit-learn style).

    Parameters
    ----------
    window : int, default=6
        Tokens each side of the mention that count as near it.
    min_df : int, default=2
        A feature is kept when at least this many training mentions have it.
    blocks : tuple of str, default=DEFAULT_BLOCKS
        Which feature blocks to build (see the module docstring).
    fold_names : bool, default=True
        Context words that start with a capital (not at the sentence start or after a quotation mark) count
        as one token ``<N>``: other names in the sentence say little about the stance toward this one.

    Attributes
    ----------
    vocabulary_ : dict
        Feature name -> column, after :meth:`fit`.

    Examples
    --------
    >>> features = TargetFeatures(min_df=1).fit([("Critics slammed Smith.", 16, 21), ("Smith praised Jones.", 0, 5)])
    >>> analyse = features.build_analyzer()
    >>> sorted(analyse(("Critics slammed Smith.", 16, 21)).items())[:3]
    [('L12:critics_slammed', 1.0), ('L1:slammed', 1.0), ('L:critics', 1.0)]
    >>> analyse(("Critics slammed Smith.", 16, 21))["role:blame:patient"]
    1.0
    >>> features.transform([("Smith praised Jones.", 14, 19)]).shape[0]
    1
    """

    def __init__(self, window: int = 6, min_df: int = 2, blocks: Sequence[str] = DEFAULT_BLOCKS, fold_names: bool = True):
        self.window = window
        self.min_df = min_df
        self.blocks = blocks
        self.fold_names = fold_names

    # --- analysis ---------------------------------------------------------------------------------------------

    def _check_params(self) -> None:
        if not isinstance(self.window, int) or isinstance(self.window, bool) or self.window < 1:
            raise ValueError(f"window must be an int >= 1, got {self.window!r}")
        if not isinstance(self.min_df, int) or isinstance(self.min_df, bool) or self.min_df < 1:
            raise ValueError(f"min_df must be an int >= 1, got {self.min_df!r}")
        unknown = [b for b in self.blocks if b not in BLOCKS]
        if unknown or isinstance(self.blocks, str):
            raise ValueError(f"blocks must be a tuple of {BLOCKS}, got {self.blocks!r}")

    def build_analyzer(self) -> Callable[[Any], dict[str, float]]:
        """The function ``mention -> {feature name: raw value}`` the matrix is built from (before weighting).

        Features not in the fitted vocabulary are dropped by :meth:`transform`, not by the analyzer.
        """
        self._check_params()
        tables = _tables()
        analyse, blocks, fold_names = self._analyse, frozenset(self.blocks), self.fold_names

        def analyzer(item: Any) -> dict[str, float]:
            mention = mention_of(item)
            return analyse(_Sentence(mention.text, tables, fold_names), mention.start, mention.end, mention.quoted, blocks)

        return analyzer

    def _analyse(self, sentence: _Sentence, start: int, end: int, quoted: bool, blocks: frozenset) -> dict[str, float]:
        window = self.window
        words, spans = sentence.words, sentence.spans
        n = len(words)
        # The tokens that overlap [start, end) are one run: those ending after the start and starting before the end.
        i0 = bisect_right(spans, start, key=_END)
        i1 = bisect_left(spans, end, key=_START) - 1
        if i0 > i1:
            if not n:
                return {"empty": 1.0}
            # A span over no token (whitespace): the nearest token after it, else the last one.
            i0 = i1 = min(bisect_left(spans, start, key=_START), n - 1)

        context = sentence.context
        left = context[max(0, i0 - window):i0]
        right = context[i1 + 1:i1 + 1 + window]
        features: dict[str, float] = {}
        if "sentence" in blocks:
            if sentence.keys is None:
                # The sentence's word and pair names, once for all its mentions: each mention's are slices of these.
                sentence.keys = ([f"w:{w}" for w in context], [f"b:{a}_{b}" for a, b in zip(context, context[1:])])
            word_keys, pair_keys = sentence.keys
            # The words and pairs of the sentence with the mention masked, w: names first, as a walk would add them.
            keys = word_keys[:i0]
            keys.append(_MASK_WORD)
            keys += word_keys[i1 + 1:]
            keys += pair_keys[:max(0, i0 - 1)]
            if i0:
                keys.append(f"b:{context[i0 - 1]}_{_MASK}")
            if i1 + 1 < n:
                keys.append(f"b:{_MASK}_{context[i1 + 1]}")
            keys += pair_keys[i1 + 1:]
            features = dict.fromkeys(keys, 1.0)
            if sentence.repeated:
                # A word more than once outside the mention: its count (a float, as 1.0 + 1.0 ... gives).
                own = context[i0:i1 + 1]
                for w, count in sentence.repeated:
                    count -= own.count(w)
                    if count > 1:
                        features[f"w:{w}"] = float(count)
        if "window" in blocks:
            # All 1.0 and in the order they were once set one by one (no name of the window is a sentence one).
            keys = [f"L:{w}" for w in left]
            keys += [f"R:{w}" for w in right]
            if left:
                keys.append(f"L1:{left[-1]}")
                if len(left) > 1:
                    keys.append(f"L12:{left[-2]}_{left[-1]}")
            if right:
                keys.append(f"R1:{right[0]}")
                if len(right) > 1:
                    keys.append(f"R12:{right[0]}_{right[1]}")
            keys.append("pos:start" if i0 == 0 else "pos:early" if i0 <= 3 else "pos:mid")
            keys.append("pos:end" if i1 >= n - 2 else "pos:inner")
            features.update(dict.fromkeys(keys, 1.0))
        if "sides" in blocks:
            for w in context[:max(0, i0 - window)]:
                features["LL:" + w] = 1.0
            for w in context[i1 + 1 + window:]:
                features["RR:" + w] = 1.0
        if "clause" in blocks:
            clause = sentence.clause
            lo, hi = clause[i0], clause[i1]
            for i in range(n):
                if lo <= clause[i] <= hi and not i0 <= i <= i1:
                    features["C:" + words[i]] = 1.0
        quoted = quoted and "quoted" in blocks
        speaker = "speaker" in blocks and (bool(right) and right[0] in _SAY_WORDS
                                           or bool(left) and left[-1] in _SAY_WORDS)
        relative: dict[str, float] = {}
        if "polarity" in blocks:
            strength, clause = sentence.strength, sentence.clause
            lo, hi = clause[i0], clause[i1]
            for i, value in sentence.polar:
                if i0 <= i <= i1:
                    continue
                sign = "+" if value > 0 else "-"
                magnitude = abs(value)
                distance = i0 - i if i < i0 else i - i1
                relative["pol:all:" + sign] = relative.get("pol:all:" + sign, 0.0) + magnitude
                relative["pol:dist:" + sign] = relative.get("pol:dist:" + sign, 0.0) + magnitude / (1.0 + distance)
                if distance <= 2:
                    key = ("pol:L2:" if i < i0 else "pol:R2:") + sign
                    relative[key] = relative.get(key, 0.0) + magnitude
                if distance <= window:
                    key = ("pol:L:" if i < i0 else "pol:R:") + sign
                    relative[key] = relative.get(key, 0.0) + magnitude
                if lo <= clause[i] <= hi:
                    relative["pol:clause:" + sign] = relative.get("pol:clause:" + sign, 0.0) + magnitude
            for i in range(i0, i1 + 1):
                value = strength[i]
                if value:
                    relative["pol:self:" + ("+" if value > 0 else "-")] = abs(value)
        if "roles" in blocks:
            clause = sentence.clause
            lo, hi = clause[i0], clause[i1]
            for i, kind in sentence.roles:
                if i0 <= i <= i1 or not lo <= clause[i] <= hi:
                    continue
                w = words[i]
                passive = i > 0 and words[i - 1] in _PASSIVE_AUX and w.endswith("ed")
                first = i > i1
                role = "agent" if first != passive else "patient"
                relative["role:" + kind + ":" + role] = 1.0
                if abs(i - i1 if first else i0 - i) <= 2:
                    relative["role:" + kind + ":" + role + ":adjacent"] = 1.0
        if "lexicons" in blocks:
            # The lexicon's tokens in increasing order, as a walk over the window would meet them.
            lo, hi = i0 - window, i1 + window
            for i, names in sentence.lexicon.items():
                if lo <= i <= hi and not i0 <= i <= i1:
                    for name in names:
                        relative["lex:" + name] = relative.get("lex:" + name, 0.0) + 1.0
        if "mention" in blocks:
            tables = _tables()
            own = words[i0:i1 + 1]
            for w in own:
                features["M:" + w] = 1.0
            if len(own) == 1 and own[0] in _PRONOUNS:
                features["M:<pronoun>"] = 1.0
            lexicon = sentence.lexicon
            if lexicon:
                for i in range(i0, i1 + 1):
                    for name in lexicon.get(i, ()):
                        features["M:" + name] = 1.0
            naming = tables.naming
            category = naming.get(" ".join(own))
            if not category:
                category = None
                for w in own:
                    if w in naming:
                        category = naming[w]
                        break
            if category is not None:
                features["M:naming:" + category] = 1.0
        features.update(relative)
        if quoted:
            features["quoted"] = 1.0
            for name, value in relative.items():
                features["q:" + name] = value
        elif "quoted" in blocks and sentence.quote_marks:
            features["quotes:in_sentence"] = 1.0
        if speaker:
            features["speaker"] = 1.0
            for name, value in relative.items():
                features["s:" + name] = value
        return features

    def _analyse_all(self, items: Iterable[Any]) -> list[dict[str, float]]:
        return self._analyse_spans((m.text, m.start, m.end, m.quoted) for m in map(mention_of, items))

    def _analyse_spans(self, spans: Iterable[tuple[str, int, int, bool]]) -> list[dict[str, float]]:
        """The features of ``(text, start, end, quoted)`` mentions (ints and a bool: no :class:`Mention` needed)."""
        self._check_params()
        tables = _tables()
        blocks = frozenset(self.blocks)
        cache: dict[str, _Sentence] = {}
        out = []
        for text, start, end, quoted in spans:
            sentence = cache.get(text)
            if sentence is None:
                if not isinstance(text, str):
                    raise TypeError(f"a mention's text must be a str, got {type(text).__name__}")
                sentence = cache[text] = _Sentence(text, tables, self.fold_names)
            out.append(self._analyse(sentence, start, end, quoted, blocks))
        return out

    # --- vocabulary and matrix --------------------------------------------------------------------------------

    def fit(self, items: Iterable[Any], y=None) -> TargetFeatures:
        """Learn the vocabulary: the features at least ``min_df`` training mentions have (sorted names)."""
        counts: dict[str, int] = {}
        for features in self._analyse_all(items):
            for name in features:
                counts[name] = counts.get(name, 0) + 1
        self._set_vocabulary(sorted(name for name, count in counts.items() if count >= self.min_df))
        return self

    def _set_vocabulary(self, names: Sequence[str]) -> None:
        self.vocabulary_ = {name: column for column, name in enumerate(names)}
        block_index = {block: k for k, block in enumerate(BLOCKS)}
        self.column_blocks_ = np.asarray([block_index[block_of(name)] for name in names], dtype=np.int64)

    def fit_transform(self, items: Sequence[Any], y=None) -> sp.csr_matrix:
        items = list(items)
        return self.fit(items).transform(items)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The feature names in column order (a ``<U`` array)."""
        self._fitted()
        names = [""] * len(self.vocabulary_)
        for name, column in self.vocabulary_.items():
            names[column] = name
        return np.asarray(names, dtype=str)

    def _fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise ValueError("this TargetFeatures is not fitted yet; call fit(items) first")

    def transform(self, items: Iterable[Any]) -> sp.csr_matrix:
        """CSR ``(n, n_features)``: ``sign(v) * log1p(|v|)`` of each known feature, each block of a row of unit length."""
        rows, columns, values, n = self.transform_coo(items)
        matrix = sp.csr_matrix((values, (rows, columns)), shape=(n, len(self.vocabulary_)))
        matrix.sort_indices()
        return matrix

    def transform_coo(self, items: Iterable[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """``(rows, columns, values, n_items)`` of :meth:`transform` without building the matrix (row-major order).

        Each block's part of a row (the words of the sentence, the window, the
        polarity...) is scaled to unit length on its own, so that a long
        sentence does not drown the few features relative to the mention.
        """
        self._fitted()
        return self._coo(self._analyse_all(items))

    def _transform_spans_coo(self, spans: Iterable[tuple[str, int, int, bool]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """:meth:`transform_coo` of ``(text, start, end, quoted)`` tuples of a str, two ints and a bool."""
        self._fitted()
        return self._coo(self._analyse_spans(spans))

    def _coo(self, analysed: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        # -1 for a feature outside the vocabulary: dropped below, in one array operation.
        columns = list(map(self.vocabulary_.get, chain.from_iterable(analysed), repeat(-1)))
        raw = list(chain.from_iterable(map(dict.values, analysed)))
        lengths = list(map(len, analysed))
        n = len(lengths)
        column_array = np.asarray(columns, dtype=np.int64)
        known = column_array >= 0
        row_array = np.repeat(np.arange(n, dtype=np.int64), np.asarray(lengths, dtype=np.intp))[known]
        column_array = column_array[known]
        values = np.asarray(raw, dtype=np.float64)[known]
        values = np.sign(values) * np.log1p(np.abs(values))
        if values.size:
            cell = row_array * len(BLOCKS) + self.column_blocks_[column_array]
            norms = np.sqrt(np.bincount(cell, weights=values * values, minlength=n * len(BLOCKS)))
            scale = norms[cell]
            values = np.divide(values, scale, out=np.zeros_like(values), where=scale > 0)
        return row_array, column_array, values, n


def block_of(name: str) -> str:
    """The feature block (one of :data:`BLOCKS`) a feature name belongs to.

    Examples
    --------
    >>> block_of("pol:clause:-"), block_of("q:role:blame:agent"), block_of("M:regime")
    ('polarity', 'quoted', 'mention')
    """
    prefix = name.split(":", 1)[0]
    try:
        return _BLOCK_OF_PREFIX[prefix]
    except KeyError:
        raise ValueError(f"not a TargetFeatures feature name: {name!r}") from None
