"""The article stage: quotations across units, cues and sources per unit, speakers and pronouns resolved.

For each unit of an article: the direct quotation inside it (from the
article-level marks, so the later sentences of a multi-sentence quote are
quoted), its cue, source and content spans (the learned tagger, else rules),
the kind of every source phrase, and the speaker of its quotation -- the
source linked to the quote in its first unit, its last, or the unit after
("…," the insider claimed). A pronoun source takes the kind of the nearest
preceding non-pronoun source it can refer to (he / she: a singular one);
with none, it counts as named.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from ..text import Unit, segment
from ._quotes import Quote, quotes_of
from ._rules import rule_spans, source_near
from ._sources import (
    anonymity_spans,
    classify_phrase,
    has_anonymity_marker,
    head_of,
    is_function_phrase,
    is_person_head,
    is_plural_phrase,
    is_pronoun_phrase,
    is_sentence_initial,
    source_kind,
)
from ._tagger import SpanTagger
from ._types import SourceMention, UnitVoice

__all__ = ["voice_of_article", "voice_of_sentence", "voices_of_sentences"]

_LOWER_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_SINGULAR = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
_RELATIVE = frozenset({"who", "whom", "whose", "which", "that"})
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
#: How many units back a pronoun may find the source it refers to (further back, it counts as named).
_REACH = 2


def _clip(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``spans`` (article offsets) clipped to ``[start, end)``, relative to ``start``."""
    return tuple((max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start)


def _overlapping(units: Sequence[Unit], ends: list[int], start: int, end: int) -> list[int]:
    """Indices of the units (in text order, ``ends`` their ends) that share a character with ``[start, end)``."""
    found = []
    i = bisect_right(ends, start)
    while i < len(units) and units[i].start < end:
        found.append(i)
        i += 1
    return found


def _per_unit(spans: Sequence[tuple[int, int]], units: Sequence[Unit]) -> list[tuple[tuple[int, int], ...]]:
    """``spans`` (article offsets) clipped to each unit, unit-relative."""
    ends = [unit.end for unit in units]
    clipped: list[list[tuple[int, int]]] = [[] for _ in units]
    for start, end in spans:
        for i in _overlapping(units, ends, start, end):
            unit = units[i]
            clipped[i].append((max(start, unit.start) - unit.start, min(end, unit.end) - unit.start))
    return [tuple(sorted(found)) for found in clipped]


def _voice(text: str, quoted: Sequence[tuple[int, int]]) -> str:
    if not quoted:
        return "author"
    outside = text
    for start, end in sorted(quoted, reverse=True):
        outside = outside[:start] + " " + outside[end:]
    return "mixed" if any(char.isalnum() for char in outside) else "quoted"


def _inside(span: tuple[int, int], quoted: Sequence[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in quoted)


class _Found:
    """What one unit holds before speakers and pronouns are resolved."""

    __slots__ = ("unit", "quoted", "cues", "content", "sources")

    def __init__(self, unit: Unit, quoted, cues, content, sources):
        self.unit, self.quoted, self.cues, self.content, self.sources = unit, quoted, cues, content, sources


#: Units tagged in one pass by :func:`_spans_of_units` (an article has about 40; a 10 MB text 100,000).
TAG_BATCH_UNITS = 256


def _spans_of_units(units: Sequence[Unit], quoted: list[tuple[tuple[int, int], ...]],
                    tagger: SpanTagger | None) -> list[list[tuple[str, int, int, float]]]:
    texts = [unit.text for unit in units]
    if tagger is None:
        return [rule_spans(text, spans) for text, spans in zip(texts, quoted)]
    # In batches of units, so that a huge text never holds the token features of all its units at once (each
    # unit's tags depend on its own tokens only; the runs' mean probabilities, which differ in the last bits
    # from batch to batch, are not used here).
    tagged = [spans for first in range(0, len(texts), TAG_BATCH_UNITS)
              for spans in tagger.tag_many(texts[first:first + TAG_BATCH_UNITS], quoted[first:first + TAG_BATCH_UNITS])]
    out = []
    for text, spans, found in zip(texts, quoted, tagged):
        # A cue the tagger found without any source in its unit: look for one next to it by rule.
        kinds = {span[0] for span in found}
        if "cue" in kinds and "source" not in kinds:
            extra = []
            for kind, start, end, _ in found:
                if kind == "cue" and not _inside((start, end), spans):
                    source = source_near(text, (start, end), spans)
                    if source is not None:
                        extra.append(("source", source[0], source[1], 0.0))
            found = sorted(found + extra, key=lambda span: (span[1], span[2]))
        out.append(found)
    return out


_CAPITALISED = re.compile(r"[A-Z][\w’'\-]*\.?")
_NAME_AFTER = re.compile(r"(?:\s(?:of|for|de|van|von|al))?\s[A-Z][\w’'\-]*\.?")
_WORD_BEFORE = re.compile(r"([A-Z][\w’'\-]*\.?)\s$")
#: Capitalised words that open a sentence without belonging to a name after them.
_OPENING_WORDS = frozenset("the a an but and in on at as after before when while if then so yet meanwhile "
                           "however instead still also earlier later now this that these those".split())


def _complete(text: str, start: int, end: int) -> tuple[int, int]:
    """A source span grown over the capitalised words right next to it ("President" -> "President Barack Obama").

    The tagger scores tokens one by one, so it sometimes cuts a name; the words of a name belong together.
    """
    words = text[start:end].split()
    last = words[-1] if words else ""
    if _CAPITALISED.fullmatch(last):
        while True:
            match = _NAME_AFTER.match(text, end)
            if not match:
                break
            end = match.end()
    if _CAPITALISED.match(text, start):
        while start:
            match = _WORD_BEFORE.search(text, _word_start(text, start - 2), start)
            if not match:
                break
            word = match.group(1)
            if is_sentence_initial(text, match.start(1)) and word.lower() in _OPENING_WORDS:
                break
            start = match.start(1)
    return start, end


def _word_start(text: str, end: int) -> int:
    """Where the run of non-space characters that ends at ``end`` starts (``end`` itself after a space).

    A match of ``_WORD_BEFORE`` ending at ``end + 2`` is a word and one space (or a space and a newline),
    so it starts in that run: a search from here finds what a search from 0 finds, without reading the
    unit from its start at every word.
    """
    while end > 0 and not text[end - 1].isspace():
        end -= 1
    return max(end, 0)


class _LowerWords:
    """The words an article uses in lower case (its runs of letters that are lower case), asked one at a time.

    An article asks about a few words only: finding each in the text is much cheaper than collecting all
    its words.
    """

    __slots__ = ("text", "known")

    def __init__(self, text: str):
        self.text, self.known = text, {}

    def __contains__(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = self._occurs(word)
        return found

    def _occurs(self, word: str) -> bool:
        """Whether ``word`` is lower case and somewhere a whole run of letters of the text."""
        if not word.islower() or not _LOWER_WORD.fullmatch(word):
            return False
        text = self.text
        at = text.find(word)
        while at >= 0:
            if (at == 0 or not _LETTER.match(text, at - 1)) and not _LETTER.match(text, at + len(word)):
                return True
            at = text.find(word, at + 1)
        return False


def _mentions(unit: Unit, spans: list[tuple[str, int, int, float]], lowercase_words, markers: bool
              ) -> list[SourceMention]:
    text = unit.text
    out = []
    marked = anonymity_spans(text) if markers else []
    for kind, start, end, _ in spans:
        if kind != "source":
            continue
        start, end = _complete(text, start, end)
        phrase = text[start:end]
        if _not_a_source(phrase):
            continue
        initial = is_sentence_initial(text, start)
        # Without any anonymity marker in the article, the phrase's words alone decide (source_kind's rule).
        found = source_kind(phrase, sentence_initial=initial, lowercase_words=lowercase_words) if markers else \
            classify_phrase(phrase, initial, lowercase_words)
        if marked and any(start <= m_start and _APPOSITION.fullmatch(text, end, m_start) for m_start, _ in marked):
            found = "anonymous"  # "a soldier, who asked not to be named, said"; "who asked not to be named"
        out.append(SourceMention(phrase, start, end, found, found == "pronoun"))
    return out


@lru_cache(maxsize=8192)
def _not_a_source(phrase: str) -> bool:
    """The tagged phrase has nothing but commas and function words ("the", "and of"; a pronoun is a source)."""
    return not phrase.strip(" ,") or (is_function_phrase(phrase) and not is_pronoun_phrase(phrase))


@lru_cache(maxsize=8192)
def _antecedent_facts(phrase: str) -> tuple[bool, bool]:
    """Whether a source phrase is plural, and whether its head names people (what a pronoun may refer to)."""
    return is_plural_phrase(phrase), is_person_head(head_of(phrase))


#: What may stand between a source phrase and the anonymity marker that describes it.
_APPOSITION = re.compile(r"[\s,]*(?:(?:who|whom|and)\s+)?(?:(?:has|had|was|were|is|asked|spoke|spoken|speaking|"
                         r"agreed|to|be|only|been)\s+){0,4}", re.IGNORECASE)


def _speaker(quote: Quote, found: list[_Found], first: int, last: int) -> tuple[int, SourceMention] | None:
    """The unit index and source of the speaker of ``quote``, which covers units ``first``..``last``."""

    def outside(index: int, predicate) -> list[SourceMention]:
        item = found[index]
        return [m for m in item.sources if not _inside((m.start, m.end), item.quoted) and predicate(item, m)]

    opened = quote.opened
    # 1. before the quote in its first unit ("She added: "…"), nearest first
    here = outside(first, lambda item, m: item.unit.start + m.end <= opened + 1)
    if here:
        return first, here[-1]
    # 2. after the quote in its last unit ("…," the insider claimed), nearest first
    closed = quote.closed if quote.closed is not None else found[last].unit.end
    there = outside(last, lambda item, m: item.unit.start + m.start >= closed)
    if there:
        return last, there[0]
    # 3. anywhere outside quotation in the first or last unit
    for index in (first, last):
        anywhere = outside(index, lambda item, m: True)
        if anywhere:
            return index, anywhere[0]
    # 4. the unit after the quote, then a unit before it that introduces it ("Mr Lynch said:")
    if last + 1 < len(found) and not found[last + 1].quoted:
        after = outside(last + 1, lambda item, m: True)
        if after and found[last + 1].cues:
            return last + 1, after[0]
    # 5. the unit before, when it introduces the quote ("Mr Lynch said:") or cites someone itself ("An insider
    #    told us the deal was dead. "We gave everything."")
    if first > 0 and (found[first - 1].unit.text.rstrip().endswith(":") or found[first - 1].cues):
        before = outside(first - 1, lambda item, m: True)
        if before:
            return first - 1, before[-1]
    return None


def _resolve(mention: SourceMention, history: list[tuple[int, SourceMention, bool, bool]], index: int,
             same_unit: list[SourceMention], speaker: SourceMention | None) -> SourceMention:
    """A pronoun mention with the kind (and antecedent) of what it refers back to.

    "he" / "she" refer to one person: a named source, or an unnamed one
    whose head names a singular person ("an insider", "a spokesman"); "they"
    to any source. Only sources of this unit and the ``_REACH`` units before
    count; "I" / "we" are the speaker of the quotation they are in; a
    relative "who" the source just before it in its unit.
    """
    words = {word.lower() for word in _LOWER_WORD.findall(mention.text)}
    antecedent = None
    if words & _FIRST_PERSON:
        antecedent = speaker
    elif words <= _RELATIVE | {"s"}:
        antecedent = next((m for m in reversed(same_unit) if m.end <= mention.start and not m.pronoun), None)
    else:
        singular = bool(words & _SINGULAR)
        for unit_index, candidate, plural, person in reversed(history):
            if index - unit_index > _REACH:
                break
            if singular and (plural or not (candidate.kind == "named" or person)):
                continue
            antecedent = candidate
            break
    if antecedent is None:
        return SourceMention(mention.text, mention.start, mention.end, "named", True)
    return SourceMention(mention.text, mention.start, mention.end, antecedent.kind, True,
                         antecedent.antecedent or antecedent.text)


def voice_of_article(text: str, units: Sequence[Unit] | None, tagger: SpanTagger | None) -> list[UnitVoice]:
    """Whose words each unit of an article is, with its cues, sources, content and speaker.

    Parameters
    ----------
    text : str
        The article.
    units : sequence of framing.text.Unit, optional
        Its units (:func:`framing.text.segment`; segmented here when None).
    tagger : SpanTagger or None
        The learned span tagger; None uses the rules only.

    Returns
    -------
    list of UnitVoice
        One per unit, in order.

    Examples
    --------
    >>> article = 'An insider told us the talks had failed. "It is over," she said. "We lost.\\n"Nobody cares."'
    >>> voices = voice_of_article(article, None, None)
    >>> [v.voice for v in voices]
    ['author', 'mixed', 'quoted', 'quoted']
    >>> voices[2].speaker.text, voices[2].speaker.kind, voices[2].speaker.antecedent
    ('she', 'anonymous', 'An insider')
    """
    units = list(segment(text) if units is None else units)
    if not units:
        return []
    quotes = quotes_of(text)
    all_spans = [span for quote in quotes for span in quote.spans]
    quoted = _per_unit(all_spans, units)
    return _assemble(text, units, quotes, quoted, _spans_of_units(units, quoted, tagger))


def _assemble(text: str, units: Sequence[Unit], quotes: list[Quote], quoted: list[tuple[tuple[int, int], ...]],
              spans: list[list[tuple[str, int, int, float]]]) -> list[UnitVoice]:
    """The voices of ``units`` from their quotation and tagged spans: sources typed, speakers and pronouns resolved."""
    lowercase_words = _LowerWords(text)
    markers = has_anonymity_marker(text)
    found = []
    for unit, unit_quoted, unit_spans in zip(units, quoted, spans):
        if not unit_spans:
            found.append(_Found(unit, unit_quoted, (), (), []))
            continue
        cues, content, any_source = [], [], False
        for kind, start, end, _ in unit_spans:
            if kind == "cue":
                cues.append((start, end))
            elif kind == "content":
                content.append((start, end))
            elif kind == "source":
                any_source = True
        found.append(_Found(unit, unit_quoted, tuple(cues), tuple(content),
                            _mentions(unit, unit_spans, lowercase_words, markers) if any_source else []))
    # Which quote covers each unit, and the units each quote covers.
    covered: list[list[int]] = [[] for _ in units]
    quote_units: list[tuple[int, int]] = []
    ends = [unit.end for unit in units]
    for number, quote in enumerate(quotes):
        indices = sorted({i for start, end in quote.spans for i in _overlapping(units, ends, start, end)})
        if not indices:
            quote_units.append((-1, -1))
            continue
        quote_units.append((indices[0], indices[-1]))
        for i in indices:
            covered[i].append(number)
    # Pronouns first (in text order), then speakers: a speaker that is a pronoun is then already resolved.
    history: list[tuple[int, SourceMention, bool, bool]] = []
    speakers_raw: dict[int, tuple[int, SourceMention] | None] = {}
    for number, quote in enumerate(quotes):
        first, last = quote_units[number]
        speakers_raw[number] = None if first < 0 else _speaker(quote, found, first, last)
        if speakers_raw[number] is None and number and first >= 0 and quote_units[number - 1][1] >= first - 1:
            # '"It is over," she said. "We lost."': a quotation right after another goes on in the same voice.
            speakers_raw[number] = speakers_raw[number - 1]
    resolved_sources: list[tuple[SourceMention, ...]] = []
    for index, item in enumerate(found):
        speaker_here = None
        for number in covered[index]:
            pair = speakers_raw[number]
            if pair is not None and not pair[1].pronoun:
                speaker_here = pair[1]
                break
        mentions = []
        for mention in item.sources:
            if mention.pronoun:
                mention = _resolve(mention, history, index, mentions, speaker_here)
            else:
                if not item.quoted or not _inside((mention.start, mention.end), item.quoted):
                    history.append((index, mention, *_antecedent_facts(mention.text)))
            mentions.append(mention)
        resolved_sources.append(tuple(mentions))
    voices = []
    for index, item in enumerate(found):
        speaker = None
        for number in covered[index]:
            pair = speakers_raw[number]
            if pair is not None:
                unit_index, raw = pair
                speaker = next((m for m in resolved_sources[unit_index] if (m.start, m.end) == (raw.start, raw.end)), raw)
                break
        voices.append(UnitVoice(
            voice=_voice(item.unit.text, item.quoted),
            quoted=item.quoted,
            cues=item.cues,
            sources=resolved_sources[index],
            content=item.content,
            speaker=speaker,
        ))
    return voices


def voice_of_sentence(text: str, tagger: SpanTagger | None) -> UnitVoice:
    """The voice of a standalone sentence (no article around it: a pronoun source counts as named).

    Examples
    --------
    >>> voice_of_sentence("According to the Bank of England, inflation will fall.", None).attribution
    'named'
    >>> voice_of_sentence("The city council approved the new budget on Tuesday.", None).attribution
    'none'
    """
    unit = Unit(0, len(text), text, "sentence")
    return voice_of_article(text, [unit], tagger)[0]



#: Sentences tagged in one pass by :func:`voices_of_sentences`.
_BATCH = 512


def voices_of_sentences(texts: Sequence[str], tagger: SpanTagger | None) -> list[UnitVoice]:
    """:func:`voice_of_sentence` of each text, the tagger run over many sentences at a time.

    Examples
    --------
    >>> [v.attribution for v in voices_of_sentences(["Critics said it failed.", "It failed."], None)]
    ['anonymous', 'none']
    """
    out: list[UnitVoice] = []
    for begin in range(0, len(texts), _BATCH):
        batch = list(texts[begin:begin + _BATCH])
        units = [Unit(0, len(text), text, "sentence") for text in batch]
        quotes = [quotes_of(text) for text in batch]
        quoted = [_clip([span for quote in found for span in quote.spans], 0, len(text))
                  for text, found in zip(batch, quotes)]
        tagged = _spans_of_units(units, quoted, tagger)
        for text, unit, found, unit_quoted, unit_spans in zip(batch, units, quotes, quoted, tagged):
            out.extend(_assemble(text, [unit], found, [unit_quoted], [unit_spans]))
    return out
