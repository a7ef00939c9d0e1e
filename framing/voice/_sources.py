"""Named or anonymous: the kind of a source phrase, by rules over its words.

:func:`classify_source` is the rule that derives PolNeAR's gold labels (see
:func:`framing.datasets.load_polnear`); it must never change, or the
benchmark's labels change with it. :func:`source_kind` is the same rule with a
wider vocabulary for news beyond US politics ("a senior Whitehall figure", "a
Ukrainian soldier", "a Labour MP"), anonymity markers ("who asked not to be
named") and pronouns reported as such, so that the article stage can resolve
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["classify_source", "source_kind", "is_sentence_initial", "is_pronoun_phrase", "PRONOUNS",
           "ANONYMITY_MARKERS", "has_anonymity_marker", "anonymity_spans", "is_plural_phrase", "head_of", "is_person_head",
           "is_function_phrase", "classify_phrase"]

#: Pronouns (personal, possessive, reflexive, relative). A source made only of
#: these resolves to "named" in PolNeAR's rule: in news they overwhelmingly
#: refer back to a named antecedent. "you" and "one" are generic and are
#: deliberately absent.
PRONOUNS: frozenset[str] = frozenset(
    """
    i me my mine myself we us our ours ourselves
    he him his himself she her hers herself it its itself
    they them their theirs themselves
    who whom whose which that
    """.split()
)

#: Capitalised words that are not proper names: function words that open a
#: sentence, vague quantifiers and descriptions, titles without a name, and
#: generic group words (party members, nationalities, ideologies).
_NOT_NAMES: frozenset[str] = frozenset(
    """
    a an the this these those that some many most several few all both each
    every any another other others one no none neither either such much more
    and or but of for in on at by with from to as according also even only
    there here what when where while if then than so not
    you your yours yourself yourselves one's
    officials official sources source analysts analyst experts expert critics
    critic people person observers observer insiders insider aides aide
    advisers adviser advisors advisor allies ally supporters supporter
    opponents opponent spokesman spokeswoman spokesperson spokespeople
    representative representatives residents resident voters voter
    lawmakers lawmaker leaders leader members member staff staffers staffer
    activists activist protesters protester strategists strategist
    operatives operative donors donor insiders friends friend family
    reports report studies study survey surveys poll polls polling data
    documents document records statement statements researchers researcher
    scientists scientist economists economist pollsters pollster
    observers commentators commentator pundits pundit investigators
    authorities police prosecutors prosecutor officers officer
    president vice senator sen rep gov governor mayor mr mrs ms dr
    secretary minister judge chairman chairwoman chair director
    candidate candidates nominee nominees campaign administration
    government agency department committee office spokesman
    republican republicans democrat democrats democratic gop
    conservative conservatives liberal liberals progressive progressives
    independent independents evangelical evangelicals libertarian
    libertarians moderate moderates american americans
    """.split()
)

#: Organisations that count as named even when they open a sentence or are
#: written in lower case.
_KNOWN_ORGS: frozenset[str] = frozenset(
    """
    ap afp reuters bloomberg cnn msnbc nbc abc cbs fox npr pbs bbc politico
    breitbart gallup pew quinnipiac fbi cia nsa doj dhs epa irs pentagon
    congress senate nato un who
    """.split()
) - {"who"}

#: Words (lower case) that make a noun-phrase head a vague description of
#: people or sources when they head the source phrase: "Sanders supporters",
#: "officials in the FBI", "a Trump spokesman". Any other lower-case plural
#: head counts as vague too ("many World Bank watchers").
_VAGUE_HEADS: frozenset[str] = frozenset(
    """
    official source analyst expert critic person observer insider aide
    adviser advisor ally supporter opponent spokesman spokeswoman
    spokesperson representative resident voter lawmaker leader member staffer
    activist protester strategist operative donor friend executive
    researcher scientist economist pollster commentator pundit investigator
    officer prosecutor diplomat worker employee
    people staff police family some many most several few all both each
    others another one none more
    republicans democrats conservatives liberals progressives independents
    evangelicals libertarians moderates americans gop
    """.split()
)

#: Words after which a noun phrase's pre-modifiers and head are over:
#: prepositions, relative pronouns and similar post-modifier openers.
_POSTMODIFIER: frozenset[str] = frozenset(
    """
    of in at from with for on by to among across inside within outside near
    who whom whose which that including like such familiar close involved
    working based
    """.split()
)

#: Heads that describe an unnamed person in news of any country (beyond PolNeAR's US election vocabulary):
#: "a senior Whitehall figure", "a Ukrainian soldier", "a Labour MP", "a Kremlin insider".
_MORE_VAGUE_HEADS: frozenset[str] = frozenset(
    """
    figure figures soldier soldiers commander commanders witness witnesses neighbour neighbours neighbor
    neighbors colleague colleagues relative relatives onlooker onlookers passenger passengers commuter
    commuters mp mps minister ministers backbencher backbenchers negotiator negotiators medic medics
    doctor doctors nurse nurses teacher teachers parent parents student students fighter fighters
    volunteer volunteers veteran veterans mother father woman women man men resident residents
    """.split()
)

#: Phrases that make a source anonymous whatever else it says ("a soldier, who asked to be identified only
#: by his call sign"). Matched on the lower-cased phrase or unit.
ANONYMITY_MARKERS = (
    "asked not to be named", "asked not to be identified", "declined to be named", "declined to be identified",
    "did not want to be named", "did not wish to be named", "identified only by", "identified only as",
    "on condition of anonymity", "on the condition of anonymity", "speaking anonymously", "requested anonymity",
    "not authorised to speak", "not authorized to speak", "who would not be named", "refused to be named",
)
_ANONYMITY = re.compile(r"\b(?:" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in ANONYMITY_MARKERS) + r")\b",
                        re.IGNORECASE)


_WORD = re.compile(r"[^\W\d_](?:[\w\-.&]*[^\W_])?\.?")
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’]s\b|(?<=s)['’](?=\W|$)")
_SEGMENT_BREAK = re.compile(r",(?!\d)|\(|\)|\[|\]|—|–|\s--\s|;|\s(?:and|&)\s")
_OPENERS = "\"'“‘«([{"


# Compared and hashed by identity: the two vocabularies below are the only ones, and a phrase's kind is
# memoised per vocabulary (hashing the word sets per phrase would cost more than the rule).
@dataclass(frozen=True, eq=False)
class _Vocabulary:
    not_names: frozenset[str]
    known_orgs: frozenset[str]
    vague_heads: frozenset[str]


#: PolNeAR's gold-label rule: exactly these words (never edit: the benchmark's labels follow from them).
_POLNEAR = _Vocabulary(_NOT_NAMES, _KNOWN_ORGS, _VAGUE_HEADS)
#: The voice stage's rule: PolNeAR's words plus heads of unnamed people outside US politics.
_EXTENDED = _Vocabulary(_NOT_NAMES | _MORE_VAGUE_HEADS, _KNOWN_ORGS, _VAGUE_HEADS | _MORE_VAGUE_HEADS)


def is_sentence_initial(text: str, position: int) -> bool:
    """True when only white space and opening quotes separate ``position`` from a sentence start.

    Examples
    --------
    >>> is_sentence_initial('He left. "Officials said', 10), is_sentence_initial("He said officials", 8)
    (True, False)
    """
    i = position - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    if i < 0:
        return True
    if text[i] in ".!?…:\n\r":
        return True
    if text[i] in "\"”’'" and i > 0 and text[i - 1] in ".!?,":
        return True
    return False


def anonymity_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the anonymity markers in ``text``.

    >>> anonymity_spans("An aide, who asked not to be named, said so.")
    [(13, 34)]
    """
    if not _may_hold_marker(text):
        return []
    return [match.span() for match in _ANONYMITY.finditer(text)]


def has_anonymity_marker(text: str) -> bool:
    """True when ``text`` says its source is not named ("who asked not to be named", "identified only by").

    >>> has_anonymity_marker("a soldier, who asked to be identified only by his call sign")
    True
    """
    return _may_hold_marker(text) and _ANONYMITY.search(text) is not None


def _may_hold_marker(text: str) -> bool:
    """False when ``text`` certainly holds no anonymity marker (the cheap test before the regex).

    Every marker holds "named", "identified", "anonym" or "authori". Under re.IGNORECASE only these letters
    in either case match them, but for "İ" and "ı", which match "i": str.lower() keeps "ı" and turns "İ"
    into "i" and a combining dot (U+0307), so a text with either always goes on to the regex.

    >>> _may_hold_marker("Talks failed, he said."), _may_hold_marker("who asked not to be NAMED")
    (False, True)
    """
    lower = text.lower()
    return ("named" in lower or "identified" in lower or "anonym" in lower or "authori" in lower
            or "\u0131" in lower or "\u0307" in lower)


def _is_vague_head(word: str, vocabulary: _Vocabulary) -> bool:
    lower = word.rstrip(".").lower()
    if lower in vocabulary.vague_heads or lower.rstrip("s") in vocabulary.vague_heads:
        return True
    # any other lower-case plural noun: "watchers", "contenders", "courts"
    return word.islower() and len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _is_name_token(word: str, first: bool, sentence_initial: bool, lowercase_words: frozenset[str],
                   vocabulary: _Vocabulary) -> bool:
    core = word.rstrip(".")
    lower = core.lower()
    if lower in vocabulary.known_orgs:
        return True
    if not core or not core[0].isupper():
        return False
    if len(core) == 1 and core != "I":
        return False
    if lower in vocabulary.not_names or lower in PRONOUNS:
        return False
    if first and sentence_initial and lower in lowercase_words:
        return False
    return True


@lru_cache(maxsize=8192)
def _words(source: str) -> tuple[tuple[str, ...], ...]:
    """The words of each part of a source phrase (parts: split at commas, brackets, dashes and "and")."""
    cleaned = _POSSESSIVE.sub("", source)
    parts = [tuple(_WORD.findall(part)) for part in _SEGMENT_BREAK.split(cleaned)]
    return tuple(words for words in parts if words)


def is_pronoun_phrase(source: str) -> bool:
    """True when every word of ``source`` is a pronoun ("he", "She", "they", "his", "who").

    >>> is_pronoun_phrase("She"), is_pronoun_phrase("she and Mr Lynch")
    (True, False)
    """
    words = [word for part in _words(source) for word in part]
    return bool(words) and all(word.rstrip(".").lower() in PRONOUNS for word in words)


#: Words a source phrase of nothing else is not a source at all ("the", "and", "of his").
_FUNCTION_WORDS = frozenset(
    """
    a an the this these those that and or but of for in on at by with from to as also even only not no
    his her its their our my your some any all both each every more most such so then there here
    is are was were be been being has have had do does did will would can could should may might must
    """.split()
)
#: Quantifiers among the vague heads: they describe an amount, not a person.
_NOT_PERSONS = frozenset("some many most several few all both each others another one none more".split())
#: The vague heads that name people.
_PERSON_HEADS = _EXTENDED.vague_heads - _NOT_PERSONS
#: No words (what the phrase-only part of the rule passes for the article's lower-case words).
_NO_WORDS: frozenset[str] = frozenset()


def head_of(source: str) -> str:
    """The head word of a source phrase (lower case), as :func:`classify_source` finds it; "" without words.

    >>> head_of("senior officials in the FBI"), head_of("Their spokesman, Ravi Desai")
    ('officials', 'spokesman')
    """
    parts = _words(source)
    if not parts:
        return ""
    first = parts[0]
    cut = next((i for i, word in enumerate(first) if i > 0 and word.lower() in _POSTMODIFIER), len(first))
    return first[cut - 1].rstrip(".").lower()


def is_person_head(word: str) -> bool:
    """True when a (lower-case) head word names people ("official", "insiders", "spokeswoman", "critics").

    >>> is_person_head("insiders"), is_person_head("reports"), is_person_head("some")
    (True, False, False)
    """
    return word in _PERSON_HEADS or (word.endswith("s") and word[:-1] in _PERSON_HEADS)


def is_function_phrase(source: str) -> bool:
    """True when ``source`` has no word but function words ("the", "and of his"): not a source phrase.

    >>> is_function_phrase("the"), is_function_phrase("the insider")
    (True, False)
    """
    return all(word.lower() in _FUNCTION_WORDS for part in _words(source) for word in part)


def is_plural_phrase(source: str) -> bool:
    """True when the head of ``source`` is plural ("officials in Kyiv", "sources close to", "critics").

    >>> is_plural_phrase("senior officials in the FBI"), is_plural_phrase("an insider")
    (True, False)
    """
    head = head_of(source)
    return head in ("people", "staff", "police", "they", "them", "some", "many", "several", "others", "few", "both") or (
        len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is")))


def _classify(source: str, sentence_initial: bool, lowercase_words: frozenset[str], vocabulary: _Vocabulary) -> str:
    """``"named"``, ``"anonymous"`` or ``"pronoun"`` (the phrase is only pronouns)."""
    parts = _words(source)
    if not parts:
        return "anonymous"
    # The article's lower-case words decide one thing only: whether a sentence-initial first word that would
    # be a name is a common word instead. The rest depends on the phrase alone, and is kept per phrase.
    opener = parts[0][0]
    common_opener = sentence_initial and _is_name_token(opener, False, False, _NO_WORDS, vocabulary) and \
        opener.rstrip(".").lower() in lowercase_words
    return _classify_words(source, common_opener, vocabulary)


@lru_cache(maxsize=8192)
def _classify_words(source: str, common_opener: bool, vocabulary: _Vocabulary) -> str:
    """:func:`_classify` of a phrase with words, ``common_opener`` telling whether its first word is no name."""
    parts = _words(source)
    names = [
        [_is_name_token(word, False, False, _NO_WORDS, vocabulary) and not (p == 0 and i == 0 and common_opener)
         for i, word in enumerate(words)]
        for p, words in enumerate(parts)
    ]
    first = parts[0]
    cut = next((i for i, word in enumerate(first) if i > 0 and word.lower() in _POSTMODIFIER), len(first))
    head = first[cut - 1]
    if _is_vague_head(head, vocabulary) and not any(any(flags) for flags in names[1:]):
        return "anonymous"
    if any(any(flags) for flags in names):
        return "named"
    words = [word for part in parts for word in part]
    if all(word.rstrip(".").lower() in PRONOUNS for word in words):
        return "pronoun"
    return "anonymous"


def classify_source(
    source: str,
    *,
    sentence_initial: bool = False,
    lowercase_words: frozenset[str] = frozenset(),
) -> str:
    """Classify an attribution's Source span as a named or anonymous source (PolNeAR's gold-label rule).

    Parameters
    ----------
    source : str
        The text of the Source span.
    sentence_initial : bool, optional
        True when the span opens a sentence, so that its first word is
        capitalised by position rather than because it is a name.
    lowercase_words : frozenset of str, optional
        Words seen in lower case elsewhere in the article; a sentence-initial
        capitalised word found here is a common word ("Protesters"), not a
        name.

    Returns
    -------
    str
        ``"named"`` or ``"anonymous"``, by these rules, in order (possessive
        ``'s`` is dropped first):

        1. A *proper-name token* is a word that starts with a capital letter,
           is not a single letter other than "I" (interview markers "Q" /
           "A"), is not a function word, vague noun, title without a name
           ("President", "Sen.") or generic group word ("Democrats", "GOP",
           "Americans"; see ``_NOT_NAMES``), and, when it opens a sentence,
           is not a word the article also uses in lower case; a known
           organisation ("Reuters", "FBI", "CNN"; see ``_KNOWN_ORGS``) is one
           in any case.
        2. **anonymous** if the head of the source phrase -- the last word of
           its first part (parts are separated by commas, brackets, dashes
           and "and") before a post-modifier such as "of", "in", "who",
           "familiar" -- is a vague word ("officials", "supporters",
           "spokesman", "some", "Democrats", or any lower-case plural), and
           no later part (an apposition such as ", Jason Miller," or a
           coordinated "and Sen. Graham") holds a proper-name token. So
           "officials in the FBI", "Bernie Sanders supporters" and "a Trump
           spokesman" are anonymous, while "a Trump spokesman, Jason Miller"
           and "Sanders and allies" are named.
        3. **named** if the span holds a proper-name token ("Trump",
           "Mr. Obama", "the Clinton campaign", "The New York Times").
        4. **named** if every word of the span is a pronoun (personal,
           possessive, reflexive or relative: "he", "She", "they", "it",
           "we", "I", "his", "who", "which", "that"): in news such pronouns
           overwhelmingly refer back to a named antecedent. "you" and "one"
           are generic and do not count.
        5. **anonymous** otherwise: vague or unnamed descriptions
           ("officials", "sources", "analysts", "experts", "critics", "some",
           "a spokesman", "the poll", "his campaign").

    Examples
    --------
    >>> classify_source("Sen. Ted Cruz")
    'named'
    >>> classify_source("senior officials in the FBI")
    'anonymous'
    >>> classify_source("a Trump spokesman, Jason Miller,")
    'named'
    >>> classify_source("he")
    'named'
    """
    kind = _classify(source, sentence_initial, lowercase_words, _POLNEAR)
    return "named" if kind == "pronoun" else kind


def classify_phrase(phrase: str, sentence_initial: bool, lowercase_words) -> str:
    """:func:`source_kind` without the anonymity markers (for a text known to hold none)."""
    return _classify(phrase, sentence_initial, lowercase_words, _EXTENDED)


def source_kind(phrase: str, *, sentence_initial: bool = False, lowercase_words: frozenset[str] = frozenset()) -> str:
    """The kind of a source phrase: ``"named"``, ``"anonymous"`` or ``"pronoun"``.

    :func:`classify_source`'s rules with a wider vocabulary of unnamed people
    ("figure", "soldier", "MP", "minister", "witness", ...), anonymity markers
    ("who asked not to be named", "identified only by") that make any phrase
    anonymous, and ``"pronoun"`` for a phrase of pronouns only, which the
    article stage resolves to the kind of what it refers back to.

    Parameters
    ----------
    phrase : str
        The source phrase.
    sentence_initial : bool, optional
        The phrase opens a sentence (its first capital may be positional).
    lowercase_words : frozenset of str, optional
        Words the article uses in lower case.

    Returns
    -------
    str

    Examples
    --------
    >>> source_kind("RMT general secretary Mick Lynch"), source_kind("the Bank of England")
    ('named', 'named')
    >>> source_kind("A senior Whitehall figure", sentence_initial=True), source_kind("sources close to the minister")
    ('anonymous', 'anonymous')
    >>> source_kind("A soldier, who asked to be identified only by his call sign,"), source_kind("she")
    ('anonymous', 'pronoun')
    """
    if has_anonymity_marker(phrase):
        return "anonymous"
    kind = classify_phrase(phrase, sentence_initial, lowercase_words)
    if kind == "anonymous" and _is_definite_institution(phrase):
        return "named"
    return kind


#: Heads of a definite description of one organisation or office ("the ministry", "the regional military
#: administration", "its website"): identifiable in context, so named (codebook section 4: "the transport
#: ministry confirmed" is named). Plural groups ("the authorities", "officials") stay anonymous.
_INSTITUTIONS = frozenset(
    """
    ministry department agency administration council government authority court commission committee
    office embassy army military police company firm union party parliament board bank service regulator
    inspectorate institute foundation university hospital trust network website statement report kremlin
    secretariat directorate command headquarters presidency cabinet municipality watchdog
    """.split()
)
_DEFINITE = frozenset({"the", "its", "their"})
_PHRASE_WORD = re.compile(r"[^\W\d_]+")


def _is_definite_institution(phrase: str) -> bool:
    """``the`` / ``its`` / ``their`` + words ending in an institution noun, before any post-modifier."""
    words = [word.lower() for word in _PHRASE_WORD.findall(phrase.split(",")[0])]
    if len(words) < 2 or words[0] not in _DEFINITE:
        return False
    cut = next((i for i, word in enumerate(words) if i > 0 and word in _POSTMODIFIER), len(words))
    return words[cut - 1] in _INSTITUTIONS
