"""Evidence in words: internal feature names as the words of the text and a readable kind.

A model's evidence is a list of ``(feature, contribution)`` pairs whose names
are internal (``loaded:greedy``, ``hedge[distancing]@quote``, ``attr:vague_near_cue``,
``voice:source_anonymous``, ``word:the country``). What an editor reads is the
words of the article and what kind of cue they are: ``loaded word 'greedy'``,
``hedge 'reportedly'``, ``anonymous source 'an insider'``, ``phrase 'the country'``.
A unit (a :class:`~framing.report.SentenceScore` or its ``to_dict()`` record)
supplies those words: its lexicon cues, the source phrases the voice stage found
in it, its quotation spans and its speaker. Without one, a description names the
term of the feature itself.

Character n-grams (``char:``) and layout features (``shape:``) say nothing an
editor can check in the text: :func:`describe_feature` leaves them out (None),
and :func:`describe_evidence` shows them only when nothing else explains a score.
The internal names stay in ``--json`` and ``to_dict()``; this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._util import is_boilerplate
from ..text import normalise_token, token_spans

__all__ = ["describe_feature", "describe_evidence", "evidence_context", "is_hidden_feature", "evidence_words",
           "source_counts"]

#: Feature prefixes that are never evidence shown to users (unless nothing else explains a score).
HIDDEN_PREFIXES = ("char:", "shape:")
#: At most this many words of the text are named in one description.
MAX_WORDS = 3

#: Lexicon name -> (singular kind of a word, kind of a phrase, plural kind).
_LEXICON_KINDS = {
    "loaded": ("loaded word", "loaded phrase", "loaded words"),
    "naming": ("naming", "naming", "namings"),
    "hedge": ("hedge", "hedge", "hedges"),
    "booster": ("booster", "booster", "boosters"),
    "attribution": ("attribution cue", "attribution cue", "attribution cues"),
    "source": ("source", "source", "sources"),
    "org": ("organisation", "organisation", "organisations"),
    "valence": ("sentiment word", "sentiment phrase", "sentiment words"),
    "boilerplate": ("site-furniture phrase", "site-furniture phrase", "site-furniture phrases"),
}
#: Lexicon name -> the cue type of its matches in a unit's ``cues`` (see ``framing.report._scored.CUE_TYPES``).
_CUE_TYPE = {"loaded": "loaded", "naming": "naming", "hedge": "hedge", "booster": "booster",
             "attribution": "attribution_cue", "source": "source", "org": "source"}
#: Lexicon categories that say nothing to a reader (how a term entered the lexicon, not what it is).
_SILENT_CATEGORIES = frozenset({"harvested", "vague_source", "speech_cue", "booster", "furniture"})
#: Speech verbs that are cues, never sources, even where a harvested source term names one.
_CUE_VERBS = frozenset({"said", "says", "say", "saying", "told", "tells", "added", "claimed", "claims", "stated",
                        "according to", "insisted", "warned", "noted", "explained", "argued"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"})
_MODALS = ("may", "might", "could")
#: Phrases by which a text keeps a source anonymous (the voice block's ``anonymity_marker``).
_ANONYMITY = re.compile(r"(?:asked|requested|spoke|speaking|declined)\b[^.;]{0,30}?\b(?:not to be (?:named|identified)"
                        r"|on (?:the )?condition of anonymity|anonymously|to be identified only|to be named)"
                        r"|\bidentified only by\b|\bnot authori[sz]ed to speak\b|\bwho did not want to be named\b",
                        re.IGNORECASE)

#: Pattern columns of the attribution and hedging blocks (``framing.features._patterns``): kind, plural kind and
#: what to name (cue words of a type, source phrases of a kind, a phrase or words of the text, the quotation).
_PATTERNS: dict[str, tuple[str, str, str]] = {
    "attr:cue": ("attribution cue", "attribution cues", "cues:attribution_cue"),
    "attr:cue_loaded": ("loaded attribution cue", "loaded attribution cues", "cues:attribution_cue:loaded_cue"),
    "attr:according_to": ("attribution cue", "attribution cues", "phrase:according to"),
    "attr:named_near_cue": ("named source", "named sources", "sources:named"),
    "attr:org_near_cue": ("organisation as source", "organisations as sources", "cues:org"),
    "attr:pronoun_near_cue": ("pronoun as source", "pronouns as sources", "sources:pronoun"),
    "attr:vague_near_cue": ("anonymous source", "anonymous sources", "sources:anonymous"),
    "attr:vague_source": ("anonymous source", "anonymous sources", "sources:anonymous"),
    "attr:org": ("organisation", "organisations", "cues:org"),
    "attr:person_name": ("person's name", "person's names", "sources:named"),
    "attr:quote_marks": ("quotation", "quotations", "quotation"),
    "attr:quote_share": ("quotation", "quotations", "quotation"),
    "attr:starts_in_quote": ("quotation", "quotations", "quotation"),
    "attr:ends_in_quote": ("quotation", "quotations", "quotation"),
    "attr:colon_speaker": ("speaker before a colon", "speakers before a colon", "colon"),
    "attr:dash_source": ("source after a dash", "sources after a dash", ""),
    "attr:first_person": ("first person", "first person", "words:i we our us my me"),
    "attr:first_person_in_quote": ("first person inside a quotation", "first person inside a quotation", "words:i we our us my me"),
    "hedge:any": ("hedge", "hedges", "cues:hedge"),
    "hedge:any@quote": ("hedge inside a quotation", "hedges inside a quotation", "cues:hedge@quote"),
    "hedge:density": ("hedge", "hedges", "cues:hedge"),
    "hedge:modal": ("modal verb", "modal verbs", "words:" + " ".join(_MODALS)),
    "hedge:modal@quote": ("modal verb inside a quotation", "modal verbs inside a quotation", "words:" + " ".join(_MODALS)),
    "hedge:expected_to": ("hedge", "hedges", "phrase:expected to"),
    "hedge:future": ("future tense", "future tense", "words:will shall"),
    "hedge:conditional": ("conditional", "conditionals", "words:would"),
    "hedge:vague_attribution": ("vague attribution", "vague attributions", "phrase:according to"),
    "hedge:booster": ("booster", "boosters", "cues:booster"),
}
#: Layout columns (``framing.features._patterns.ShapeFeatures``), described only when nothing else explains a score.
_SHAPES = {
    "line": "layout: a line without a sentence end", "log_tokens": "layout: sentence length",
    "short": "layout: a short line", "digits": "layout: digits", "non_latin": "layout: non-Latin letters",
    "url": "layout: a web address", "question": "layout: a question", "exclamation": "layout: an exclamation",
    "title_case": "layout: title case", "first_person": "layout: first person", "second_person": "layout: second person",
}
#: Stance feature kinds (``framing.features._stance.StanceFeatures``) as phrases around the side.
_STANCE = {
    "mention": "mention of {side}", "negative_words": "negative words near {side}",
    "positive_words": "positive words near {side}", "blame_agent": "blame by {side}",
    "credit_agent": "credit by {side}", "blame_target": "blame aimed at {side}",
    "credit_target": "credit given to {side}", "scare_quote": "scare quotes near {side}",
    "quoted_negative_words": "quoted negative words near {side}",
}


def _field(unit: Any, name: str, default: Any = None) -> Any:
    """``unit[name]`` of a sentence record or ``unit.name`` of a :class:`SentenceScore`."""
    if isinstance(unit, Mapping):
        value = unit.get(name, default)
    else:
        value = getattr(unit, name, default)
    return default if value is None else value


class _Context:
    """The words a description may name: cue words, source phrases, speakers and texts of one or more units."""

    __slots__ = ("texts", "cues", "sources", "speakers", "_words")

    def __init__(self, units: Iterable[Any] = (), unit_text: str | None = None):
        #: The texts searched for n-grams and phrases.
        self.texts: list[str] = []
        #: ``(type, term, category, words as written, inside a quotation)`` of every lexicon cue.
        self.cues: list[tuple[str, str, str, str, bool]] = []
        #: ``(phrase, kind)`` of every source phrase, in order.
        self.sources: list[tuple[str, str]] = []
        #: The speakers of the quotations, in order.
        self.speakers: list[str] = []
        #: Each text's normalised word tokens with their offsets, made on first search.
        self._words: list[list[tuple[str, int, int]]] | None = None
        for unit in units:
            self._add(unit, None)
        if unit_text is not None and not self.texts:
            self.texts.append(unit_text)

    def _add(self, unit: Any, text: str | None) -> None:
        text = _field(unit, "text", "") if text is None else text
        self.texts.append(text)
        voice = _field(unit, "voice", "author")
        quoted = [tuple(span) for span in _field(unit, "quoted", [])]
        for cue in _field(unit, "cues", []):
            start, end = int(cue.get("start", 0)), int(cue.get("end", 0))
            inside = (bool(cue.get("in_quote")) or voice == "quoted"
                      or any(q_start <= start and end <= q_end for q_start, q_end in quoted))
            self.cues.append((str(cue.get("type", "")), str(cue.get("term", "")), str(cue.get("category", "")),
                              text[start:end], inside))
        for source in _field(unit, "sources", []):
            self.sources.append((str(source.get("text", "")), str(source.get("kind", ""))))
        speaker = _field(unit, "speaker")
        if speaker and voice != "author" and speaker not in self.speakers:
            self.speakers.append(str(speaker))

    @classmethod
    def of(cls, unit_text: str | None, unit: Any, units: Iterable[Any] | None) -> _Context:
        if unit is not None:
            context = cls()
            context._add(unit, unit_text)
            return context
        return cls(units or (), unit_text)

    def cue_words(self, cue_type: str, term: str | None = None, category: str | None = None,
                  inside: bool | None = None) -> list[str]:
        """Distinct words (as written) of the cues of ``cue_type``, optionally of one term, category, voice."""
        words: list[str] = []
        seen: set[str] = set()
        for kind, cue_term, cue_category, written, in_quote in self.cues:
            if kind != cue_type or term is not None and cue_term != term:
                continue
            if category is not None and cue_category != category or inside is not None and in_quote != inside:
                continue
            if written and written.lower() not in seen:
                seen.add(written.lower())
                words.append(written)
        return words

    def source_phrases(self, kind: str | None = None) -> list[str]:
        """Distinct source phrases (pronouns left out unless ``kind == "pronoun"``) of one kind, or all."""
        phrases: list[str] = []
        for phrase, source_kind in self.sources:
            pronoun = phrase.lower() in _PRONOUNS
            if kind == "pronoun" and not pronoun or kind not in (None, "pronoun") and (source_kind != kind or pronoun):
                continue
            if kind is None and pronoun:
                continue
            if phrase and phrase not in phrases:
                phrases.append(phrase)
        return phrases

    def words(self) -> list[list[tuple[str, int, int]]]:
        """Each text's normalised word tokens with their offsets (made once)."""
        if self._words is None:
            self._words = [[(normalise_token(text[s:e]), s, e) for s, e in token_spans(text) if text[s].isalnum()]
                           for text in self.texts]
        return self._words

    def find(self, tokens: Sequence[str], prefix_last: bool = False) -> str | None:
        """The first place the normalised ``tokens`` occur in the texts, as written (None when nowhere)."""
        if not tokens:
            return None
        for text, words in zip(self.texts, self.words()):
            for i in range(len(words) - len(tokens) + 1):
                window = words[i:i + len(tokens)]
                if all(w == t or prefix_last and k == len(tokens) - 1 and w.startswith(t)
                       for k, ((w, _, _), t) in enumerate(zip(window, tokens))):
                    return text[window[0][1]:window[-1][2]]
        return None

    def find_words(self, candidates: Iterable[str]) -> list[str]:
        """The ``candidates`` (single words) that occur in the texts, as written, in the order of the text."""
        wanted = set(candidates)
        found: list[str] = []
        for text, words in zip(self.texts, self.words()):
            for word, start, end in words:
                if word in wanted and text[start:end] not in found:
                    found.append(text[start:end])
        return found


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f"'{word}'" for word in words[:MAX_WORDS])


def _named(kinds: tuple[str, str, str], words: Sequence[str], fallback: str | None = None) -> str:
    """``kind 'word'``, ``kind phrase 'two words'`` or ``kinds 'a', 'b'``; the plural kind alone without words."""
    if not words:
        return f"{kinds[0]} '{fallback}'" if fallback else kinds[2]
    if len(words) == 1:
        return f"{kinds[1] if ' ' in words[0] else kinds[0]} '{words[0]}'"
    return f"{kinds[2]} {_quoted(words)}"


def _plain(term: str) -> str:
    """A lexicon term as a reader would write it: a trailing wildcard shown as an ellipsis."""
    return " ".join(word[:-1] + "…" if word.endswith("*") else word for word in term.split())


def _term_feature(lexicon: str, term: str, context: _Context) -> str:
    kinds = _LEXICON_KINDS.get(lexicon, (f"{lexicon} term", f"{lexicon} term", f"{lexicon} terms"))
    cue_type = _CUE_TYPE.get(lexicon)
    words = context.cue_words(cue_type, term) if cue_type else []
    quoted = bool(words) and not context.cue_words(cue_type, term, inside=False)
    if not words:
        tokens = [normalise_token(word.rstrip("*")) for word in term.split()]
        written = context.find(tokens, prefix_last=term.endswith("*")) if tokens else None
        words = [written] if written else []
    if lexicon == "source" and (term in _CUE_VERBS or context.cue_words("attribution_cue", term)):
        # A harvested source term that is a speech verb: a cue, never a source.
        kinds = _LEXICON_KINDS["attribution"]
    elif lexicon in ("source", "org") and words:
        # The voice stage's kind of the source phrase these words are part of, when it found one.
        kind = next((k for phrase, k in context.sources if words[0].lower() in phrase.lower() and k), None)
        if kind:
            kinds = (f"{kind} source",) * 2 + (f"{kind} sources",)
    if lexicon == "naming":
        leans = {category for kind, cue_term, category, _, _ in context.cues if kind == "naming" and cue_term == term}
        lean = next((category for category in sorted(leans) if category.startswith("pro_")), None)
        if lean:
            kinds = (f"naming that leans {lean}",) * 3
    # Every match inside quotation: said so, as the category column of the quoted words says it.
    return _named(kinds, words[:1] if words else [], _plain(term)) + (" inside a quotation" if quoted else "")


def _category_feature(lexicon: str, category: str, in_quote: bool, context: _Context) -> str:
    kinds = _LEXICON_KINDS.get(lexicon, (f"{lexicon} term", f"{lexicon} term", f"{lexicon} terms"))
    cue_type = _CUE_TYPE.get(lexicon)
    words: list[str] = []
    if cue_type:
        words = context.cue_words(cue_type, category=category, inside=in_quote) or context.cue_words(cue_type, category=category)
    suffix = " inside a quotation" if in_quote else ""
    label = category.replace("_", " ")
    if lexicon == "naming" and category.startswith("pro_"):
        kinds = (f"naming that leans {category}",) * 2 + (f"namings that lean {category}",)
    elif lexicon == "valence":
        kinds = (f"{label} word", f"{label} phrase", f"{label} words")
    elif not words and category not in _SILENT_CATEGORIES:
        return f"{kinds[2]} ({label}){suffix}"
    return _named(kinds, words) + suffix


def _pattern(name: str, context: _Context) -> str:
    kind, plural, what = _PATTERNS[name]
    suffix = " inside a quotation"
    if kind.endswith(suffix) and kind != "first person" + suffix:
        # The words before the suffix: "hedge 'reportedly' inside a quotation".
        described = _pattern_words(kind[:-len(suffix)], plural[:-len(suffix)], what, name, context)
        return described + suffix
    return _pattern_words(kind, plural, what, name, context)


def _pattern_words(kind: str, plural: str, what: str, name: str, context: _Context) -> str:
    source, _, detail = what.partition(":")
    words: list[str] = []
    if source == "cues":
        cue_type, _, category = detail.partition(":")
        inside = None
        if cue_type.endswith("@quote"):
            cue_type, inside = cue_type[:-len("@quote")], True
        elif name in ("hedge:any", "hedge:density"):
            inside = False
        if cue_type == "org":
            words = [w for w in context.cue_words("source") if w.lower() not in
                     {x.lower() for x in context.cue_words("source", category="vague_source")
                      + context.cue_words("source", category="harvested")}]
        else:
            words = context.cue_words(cue_type, category=category or None, inside=inside)
            if not words and inside is not None:
                words = context.cue_words(cue_type, category=category or None)
    elif source == "sources":
        words = context.source_phrases(detail)
        if not words and detail == "anonymous":
            words = context.cue_words("source", category="vague_source")
    elif source == "phrase":
        written = context.find(detail.split())
        words = [written] if written else []
        if not words:
            return f"{kind} '{detail}'"
    elif source == "words":
        words = context.find_words(detail.split())
    elif source == "quotation":
        return _quotation(context)
    elif source == "colon":
        heads = [text.split(":", 1)[0].strip() for text in context.texts if ":" in text]
        words = [head for head in heads if head and len(head.split()) <= 5]
    if not words:
        return kind
    if len(words) == 1:
        return f"{kind} '{words[0]}'"
    return f"{plural} {_quoted(words)}"


def _quotation(context: _Context) -> str:
    if len(context.speakers) == 1:
        return f"quotation of {context.speakers[0]}"
    return "quotation"


def _voice(column: str, context: _Context) -> str:
    """A column of the voice block (``voice:source_anonymous``, ``voice:quoted_share``, ...)."""
    def sources(kind: str, label: str) -> str:
        phrases = context.source_phrases(kind)
        if not phrases:
            return label
        return f"{label} '{phrases[0]}'" if len(phrases) == 1 else f"{label}s {_quoted(phrases)}"

    if "speaker" in column:
        # Whose the quoted words are, found with the article's context (the speaker may be named in another unit).
        kind = "anonymous" if "anonymous" in column else "named" if "named" in column else ""
        label = f"{kind} speaker".strip()
        return f"{label} '{context.speakers[0]}'" if len(context.speakers) == 1 else label
    if "marker" in column or "anonymity" in column:
        found = [match.group(0) for text in context.texts for match in _ANONYMITY.finditer(text)]
        return f"anonymity marker '{found[0]}'" if found else "anonymity marker"
    if "anonymous" in column:
        return sources("anonymous", "anonymous source")
    if "pronoun" in column:
        return sources("pronoun", "pronoun as source")
    if "named" in column:
        return sources("named", "named source")
    if "according" in column:
        return "attribution cue '" + (context.find(["according", "to"]) or "according to") + "'"
    if "without_source" in column or "no_source" in column:
        words = context.cue_words("attribution_cue")
        return "attribution cue without a source" + (f" {_quoted(words)}" if words else "")
    if "cue" in column:
        return _named(_LEXICON_KINDS["attribution"], context.cue_words("attribution_cue"))
    if "quot" in column or "mixed" in column:
        return _quotation(context)
    if "content" in column or "reported" in column:
        return "reported speech"
    if "source" in column:
        return sources(None, "source")
    return "voice: " + column.replace("_", " ")


def _side(key: str) -> str:
    if key in ("negative", "positive"):
        return f"an actor of the {key} pole"
    words = key.split("_")
    return " ".join(word if word in ("and", "both", "of", "the") else word.upper() if len(word) <= 2 else word.capitalize()
                    for word in words)


def _stance(rest: str, context: _Context) -> str:
    key, _, kind = rest.partition(":")
    if key == "naming":
        in_quote = kind.endswith("@quote")
        lean = kind[:-len("@quote")] if in_quote else kind
        words = context.cue_words("naming", category=lean) if lean.startswith("pro_") else []
        label = f"naming that leans {lean}" if lean.startswith("pro_") else f"{lean.replace('_', ' ')} naming"
        return (f"{label} {_quoted(words)}" if words else label) + (" inside a quotation" if in_quote else "")
    phrase = _STANCE.get(kind)
    if phrase is None:
        return f"stance: {rest.replace(':', ' ').replace('_', ' ')}"
    return phrase.format(side=_side(key))


def is_hidden_feature(name: str) -> bool:
    """Whether ``name`` is a character n-gram or a layout feature (not shown as evidence on its own).

    Examples
    --------
    >>> is_hidden_feature("char: re"), is_hidden_feature("shape:line"), is_hidden_feature("word:regime")
    (True, True, False)
    """
    return name.startswith(HIDDEN_PREFIXES)


def _hidden(name: str) -> str:
    prefix, _, rest = name.partition(":")
    if prefix == "char":
        return f"letters '{rest.strip()}'"
    return _SHAPES.get(rest, "layout: " + rest.replace("_", " "))


def _describe(name: str, context: _Context) -> str | None:
    if is_hidden_feature(name):
        return None
    if name in _PATTERNS:
        return _pattern(name, context)
    bracket = re.fullmatch(r"([a-z_]+)\[([^\]]+)\](@quote)?", name)
    if bracket:
        return _category_feature(bracket.group(1), bracket.group(2), bool(bracket.group(3)), context)
    prefix, colon, rest = name.partition(":")
    if not colon:
        return name.replace("_", " ")
    if prefix == "word":
        written = context.find(rest.split())
        shown = written or rest
        return f"{'phrase' if ' ' in shown else 'word'} '{shown}'"
    if prefix == "voice":
        return _voice(rest, context)
    if prefix == "stance":
        return _stance(rest, context)
    if prefix == "attr":
        return "attribution: " + rest.replace("_", " ")
    return _term_feature(prefix, rest, context)


#: A description that names words: its kind, the quoted words, and what follows them.
_NAMED = re.compile(r"^(?P<kind>[^']+?) (?P<words>'[^']*'(?:, '[^']*')*)(?P<rest>.*)$")


def _merge_named(totals: dict[str, float]) -> dict[str, float]:
    """Descriptions whose words all appear in another of the same kind are folded into it (contributions added).

    ``loaded word 'strict'`` (a term column) and ``loaded words 'strict', 'unyielding'`` (its category) name
    the same words of the text: one entry, the one that names more.
    """
    def key(text: str):
        match = _NAMED.match(text)
        if not match:
            return None
        kind = " ".join(w[:-1] if i == len(match["kind"].split()) - 1 and w.endswith("s") else w
                        for i, w in enumerate(match["kind"].split()))
        words = frozenset(w.lower() for w in re.findall(r"'([^']*)'", match["words"]))
        return kind.replace("phrase", "word"), match["rest"], words

    keys = {text: key(text) for text in totals}
    merged: dict[str, float] = {}
    for text, value in totals.items():
        own = keys[text]
        into = None
        if own is not None:
            # The largest superset, so that a chain (a within b within c) ends in one entry.
            supersets = [other for other in totals if other != text and keys[other] is not None
                         and keys[other][:2] == own[:2] and own[2] < keys[other][2]]
            into = max(supersets, key=lambda other: len(keys[other][2]), default=None)
        target = into or text
        merged[target] = merged.get(target, 0.0) + value
    return merged


def describe_feature(name: str, unit_text: str | None = None, unit: Any = None) -> str | None:
    """An internal feature name as words of the text and a readable kind; None for a feature not shown to users.

    Parameters
    ----------
    name : str
        A feature name of the model (``loaded:greedy``, ``hedge[distancing]@quote``, ``voice:source_anonymous``,
        ``word:the country``, ...).
    unit_text : str, optional
        The unit's text, searched for the words of n-gram and lexicon features (how they are written).
    unit : SentenceScore or dict, optional
        The unit (or its ``to_dict()`` record): its cues, source phrases, quotations and speaker name the words
        of category features, source features and quotation features.

    Returns
    -------
    str or None
        ``"loaded word 'greedy'"``, ``"anonymous source 'an insider'"``, ``"quotation of Mick Lynch"``,
        ``"phrase 'the country'"``, ...; None for character n-grams and layout features (``char:``, ``shape:``).

    Examples
    --------
    >>> describe_feature("loaded:greedy")
    "loaded word 'greedy'"
    >>> describe_feature("word:the country", "They are holding The Country to ransom.")
    "phrase 'The Country'"
    >>> unit = {"text": "An insider said the deal was dead.", "cues": [], "voice": "author",
    ...         "sources": [{"text": "An insider", "kind": "anonymous", "start": 0, "end": 10}]}
    >>> describe_feature("voice:source_anonymous", unit=unit)
    "anonymous source 'An insider'"
    >>> describe_feature("char:gre") is None
    True
    """
    return _describe(name, _Context.of(unit_text, unit, None))


def evidence_context(units: Iterable[Any]) -> _Context:
    """The words of many units (an article's scored units), gathered once for several :func:`describe_evidence` calls.

    Examples
    --------
    >>> context = evidence_context([{"text": "Greedy barons.", "cues": []}])
    >>> describe_evidence([("word:barons", 1.0)], context=context)
    [("word 'barons'", 1.0)]
    """
    return _Context(units)


def describe_evidence(items: Iterable[Sequence[Any]], unit_text: str | None = None, unit: Any = None, *,
                      units: Iterable[Any] | None = None, limit: int | None = None,
                      context: _Context | None = None) -> list[tuple[str, float]]:
    """``[(feature, contribution), ...]`` as ``[(description, contribution), ...]``, largest first.

    Features that read the same (``loaded:greedy`` and ``loaded[pejorative]`` both name the word
    'greedy') are one entry with their contributions added. Character n-grams and layout features are
    left out unless nothing else is left, when they are described (``letters 'gre'``, ``layout: a short line``).

    Parameters
    ----------
    items : iterable of (str, float)
        The evidence, as in ``SentenceScore.evidence[task]`` or ``ArticleReport.top_terms[task][cls]``.
    unit_text, unit
        One unit whose words the descriptions name (see :func:`describe_feature`).
    units : iterable of SentenceScore or dict, optional
        Instead of one unit, several (an article's scored units) for article-level evidence.
    limit : int, optional
        Keep at most this many entries.
    context : optional
        The words of ``units`` gathered once (:func:`evidence_context`), instead of ``unit`` or ``units``.

    Examples
    --------
    >>> unit = {"text": "Greedy union barons struck again.", "voice": "author",
    ...         "cues": [{"start": 0, "end": 6, "type": "loaded", "term": "greedy", "category": "pejorative"}]}
    >>> describe_evidence([("loaded[pejorative]", 0.5), ("char:gre", 0.4), ("loaded:greedy", 0.3)], unit=unit)
    [("loaded word 'Greedy'", 0.8)]
    >>> describe_evidence([("char:gre", 0.4)])
    [("letters 'gre'", 0.4)]
    """
    items = [(str(name), float(value)) for name, value in items]
    context = _Context.of(unit_text, unit, units) if context is None else context
    described = [(text, value) for name, value in items if (text := _describe(name, context)) is not None]
    if not described:
        described = [(_hidden(name), value) for name, value in items if is_hidden_feature(name)]
    totals: dict[str, float] = {}
    for text, value in described:
        totals[text] = totals.get(text, 0.0) + value
    totals = _merge_named(totals)
    ranked = sorted(totals.items(), key=lambda item: -item[1])  # stable: ties keep the first one's place
    return ranked if limit is None else ranked[:max(0, limit)]


def evidence_words(record: Mapping[str, Any], task: str, cls: str, limit: int = 5) -> list[str]:
    """The article-level evidence of ``task``'s class ``cls`` in a report record, in words (scored units named).

    Examples
    --------
    >>> record = {"top_terms": {"loaded": {"true": [["loaded:greedy", 1.2], ["shape:line", 0.4]]}},
    ...           "sentences": [{"text": "Greedy barons.", "boilerplate": 0.0, "voice": "author",
    ...                          "cues": [{"start": 0, "end": 6, "type": "loaded", "term": "greedy"}]}]}
    >>> evidence_words(record, "loaded", "true")
    ["loaded word 'Greedy'"]
    """
    items = ((record.get("top_terms") or {}).get(task) or {}).get(cls) or []
    scored = [s for s in record.get("sentences") or [] if not is_boilerplate(s.get("boilerplate", 0.0))]
    return [text for text, _ in describe_evidence(items, units=scored, limit=limit)]


def source_counts(units: Iterable[Any]) -> list[tuple[str, str, int]]:
    """``[(source phrase, kind, units), ...]`` over ``units``: most frequent first, ties alphabetical.

    The phrases are those the voice stage found (``SentenceScore.sources``): a cue ("said") is never one.
    A bare pronoun ("he", "she") is left out: the speaker it stands for is named where it is found.

    Examples
    --------
    >>> units = [{"sources": [{"text": "Mick Lynch", "kind": "named"}]}, {"sources": [{"text": "he", "kind": "named"}]},
    ...          {"sources": [{"text": "Mick Lynch", "kind": "named"}, {"text": "an insider", "kind": "anonymous"}]}]
    >>> source_counts(units)
    [('Mick Lynch', 'named', 2), ('an insider', 'anonymous', 1)]
    """
    counts: dict[tuple[str, str], int] = {}
    for unit in units:
        seen = set()
        for source in _field(unit, "sources", []):
            phrase, kind = str(source.get("text", "")).strip(), str(source.get("kind", ""))
            if not phrase or phrase.lower() in _PRONOUNS or (phrase, kind) in seen:
                continue
            seen.add((phrase, kind))
            counts[(phrase, kind)] = counts.get((phrase, kind), 0) + 1
    return [(phrase, kind, n) for (phrase, kind), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
