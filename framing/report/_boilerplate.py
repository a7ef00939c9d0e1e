"""The site-furniture decision: the boilerplate head's probability with a prior from the unit's shape.

The boilerplate head of the bundled model learned from 20 units of site
furniture from five sites, so it mostly learned "short means furniture": it
drops short real sentences ("Café owners were furious.", p = 0.53). Two facts
about furniture that hold across sites correct that without retraining:

* a unit written as a sentence (two or more words, lower-case words, ending
  in ``.``, ``!``, ``?`` or ``…``) is rarely furniture unless it carries a
  furniture phrase (*subscribe*, *ad blocker*, *all rights reserved*);
* a unit with a furniture phrase that is not such a sentence ("Sign in to
  comment", "Share this article") usually is, and so is any unit with a
  legal or tracking line ("© 2025 Reuters. All rights reserved.",
  "Terms of use | Privacy policy", "Tags: ...").

Each shifts the head's log-odds by :data:`PRIOR` (log 9: a probability of
0.9 becomes 0.5), so the head still decides, and the decision threshold stays
at 0.5 for every consumer (reports, JSON records, HTML pages, profiles).
The model applies :func:`adjust_boilerplate` once per unit when it scores
(:meth:`framing.Model.predict_proba` for ``"boilerplate"``, ``predict_all``,
``explain``, ``score_sentences``, ``score``); everything downstream reads that
one number. The head alone is ``model.classifiers["boilerplate"].predict_proba``.
Copyright lines (``©``, ``(c) 2025``, *all rights reserved*) and the
boxes that ask readers for something (tip lines, story and newsletter
prompts, "follow us": :data:`CONTRIBUTION_PHRASES`) are the exceptions:
they are furniture whatever the head says (:data:`DECISIVE_PROBABILITY`).
The head learned none of those boxes (it gives "Got a story?" 0.02), and
they are written as sentences, so the prior alone would keep them as text.
These phrases act at scoring time only: the training lexicon
``framing/lexicon/data/boilerplate.tsv`` is unchanged, so the shipped model
needs no retraining.
``benchmarks/bench_boilerplate.py`` measures the effect.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = ["PRIOR", "FURNITURE_PHRASES", "STRONG_PHRASES", "CONTRIBUTION_PHRASES", "DECISIVE_PHRASES", "sentence_shaped",
           "furniture_phrase", "adjust_boilerplate"]

#: Shift of the boilerplate log-odds for a sentence-shaped unit (down) or a furniture phrase (up).
PRIOR = math.log(9.0)

#: Phrases of site furniture (navigation, sharing, subscriptions, ads, legal lines), as regular expressions.
FURNITURE_PHRASES = (
    r"subscribe", r"newsletter", r"sign (?:up|in)\b", r"log ?in\b", r"log ?out\b", r"cookie", r"privacy policy",
    r"terms of (?:use|service)", r"all rights reserved", r"©", r"\(c\) \d{4}", r"advertis", r"ad ?blocker",
    r"read (?:more|next|also)\b", r"related (?:posts|articles|stories|news)", r"recommended (?:articles|for you|stories)",
    r"most (?:read|popular|viewed)\b", r"trending\b", r"follow us", r"share (?:this|on|via)\b", r"click here",
    r"skip to (?:main )?content", r"back to top", r"download (?:our|the) app", r"leave a comment", r"comments?\s*\(\d+\)",
    r"sign in to comment", r"support (?:independent|our) journalism", r"donate\b", r"print this", r"email this",
    r"listen to this article", r"contact us", r"about us", r"write to us", r"suggest a correction", r"ctrl ?\+ ?enter",
)
#: Furniture phrases that decide even inside a sentence ("© 2025 Reuters. All rights reserved.").
STRONG_PHRASES = (r"©", r"\(c\) \d{4}", r"all rights reserved", r"ad ?blocker", r"cookie (?:policy|settings|preferences)",
                  r"privacy policy", r"terms of (?:use|service)", r"^\s*tags?:")
#: Reader-contribution prompts, tip lines, newsletter and follow-us boxes: the site asking the reader for something.
#: Each is worded so that a news sentence does not carry it; they decide like copyright lines (see the module docstring).
CONTRIBUTION_PHRASES = (
    # Tip-line prompt ("Got a story? Email ..."): the question itself, so "we've got a story to tell" is not caught.
    r"\bgot a (?:news )?(?:story|tip)\s*\?",
    # Its variant "Do you have a story to share?": again the reader is asked, with the question mark.
    r"\bdo you have a (?:news )?(?:story|tip)(?: to share| for us)?\s*\?",
    # Tabloid tip lines ("We pay for stories."): no report says what the outlet pays its readers.
    r"\bwe pay for (?:your )?(?:stories|tips|videos|pictures|photos)\b",
    # The outlet's own contacts ("call our newsdesk", "contact our reporters", "email us at"); a police appeal
    # ("contact police on ...") names someone else and is kept.
    r"\b(?:e-?mail|contact|call|message|write to) our (?:news ?desk|newsroom|reporters?|journalists?|news team)\b",
    r"\b(?:e-?mail|contact|message) us (?:at|on|via)\b",
    # A unit that opens by telling the reader to email an address ("Email news@site.example or ..."); a sentence
    # about an email ("He said in an email ...") has no address after the verb.
    r"^\s*e-?mail [\w.+-]+@[\w-]+\.",
    # Requests for the reader's own material ("Share your experience by emailing ...", BBC's "Have you been affected?").
    r"\bshare your (?:story|stories|experiences?|views|photos|pictures|videos)\b",
    r"\bhave you been affected\b",
    # Newsletter boxes ("Sign up to our newsletter", "Sign up for our daily newsletter to get ..."): the head knows
    # the short ones, but a box written as a sentence would otherwise be left to the head alone.
    r"\bsign up (?:to|for) (?:our|the) (?:[\w-]+ ){0,3}newsletters?\b",
    # Follow-us boxes ("Follow us on Facebook and X for the latest news."), the same when written as a sentence.
    r"\bfollow us on\b",
)
#: Furniture whatever the head says: no news sentence reads "All rights reserved." or asks "Got a story?".
DECISIVE_PHRASES = (r"©", r"\(c\) \d{4}", r"all rights reserved") + CONTRIBUTION_PHRASES
_DECISIVE = re.compile("|".join(f"(?:{p})" for p in DECISIVE_PHRASES), re.IGNORECASE)
_FURNITURE_ALTERNATIVES = FURNITURE_PHRASES + STRONG_PHRASES + CONTRIBUTION_PHRASES
_FURNITURE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE_ALTERNATIVES), re.IGNORECASE)
#: Text that every match of each phrase contains (the longest part of it that is plain letters; lower case;
#: ``tests/test_boilerplate.py`` checks each against its phrase). A unit that holds no keyword of a phrase cannot
#: match it, so the search runs over the phrases whose keywords are present: most units hold none, and the
#: alternation of all of them costs about 170 µs a unit in ``re`` (its alternatives open with ``\b``).
_PHRASE_KEYWORDS = {
    'subscribe': 'subscribe',
    'newsletter': 'newsletter',
    'sign (?:up|in)\\b': 'sign ',
    'log ?in\\b': 'log',
    'log ?out\\b': 'log',
    'cookie': 'cookie',
    'privacy policy': 'privacy policy',
    'terms of (?:use|service)': 'terms of ',
    'all rights reserved': 'all rights reserved',
    '©': '©',
    '\\(c\\) \\d{4}': '(c) ',
    'advertis': 'advertis',
    'ad ?blocker': 'blocker',
    'read (?:more|next|also)\\b': 'read ',
    'related (?:posts|articles|stories|news)': 'related ',
    'recommended (?:articles|for you|stories)': 'recommended ',
    'most (?:read|popular|viewed)\\b': 'most ',
    'trending\\b': 'trending',
    'follow us': 'follow us',
    'share (?:this|on|via)\\b': 'share ',
    'click here': 'click here',
    'skip to (?:main )?content': 'skip to ',
    'back to top': 'back to top',
    'download (?:our|the) app': 'download ',
    'leave a comment': 'leave a comment',
    'comments?\\s*\\(\\d+\\)': 'comment',
    'sign in to comment': 'sign in to comment',
    'support (?:independent|our) journalism': ' journalism',
    'donate\\b': 'donate',
    'print this': 'print this',
    'email this': 'email this',
    'listen to this article': 'listen to this article',
    'contact us': 'contact us',
    'about us': 'about us',
    'write to us': 'write to us',
    'suggest a correction': 'suggest a correction',
    'ctrl ?\\+ ?enter': 'enter',
    'cookie (?:policy|settings|preferences)': 'cookie ',
    '^\\s*tags?:': 'tag',
    '\\bgot a (?:news )?(?:story|tip)\\s*\\?': 'got a ',
    '\\bdo you have a (?:news )?(?:story|tip)(?: to share| for us)?\\s*\\?': 'do you have a ',
    '\\bwe pay for (?:your )?(?:stories|tips|videos|pictures|photos)\\b': 'we pay for ',
    '\\b(?:e-?mail|contact|call|message|write to) our (?:news ?desk|newsroom|reporters?|journalists?|news team)\\b': ' our ',
    '\\b(?:e-?mail|contact|message) us (?:at|on|via)\\b': ' us ',
    '^\\s*e-?mail [\\w.+-]+@[\\w-]+\\.': 'mail ',
    '\\bshare your (?:story|stories|experiences?|views|photos|pictures|videos)\\b': 'share your ',
    '\\bhave you been affected\\b': 'have you been affected',
    '\\bsign up (?:to|for) (?:our|the) (?:[\\w-]+ ){0,3}newsletters?\\b': 'newsletter',
    '\\bfollow us on\\b': 'follow us on',
}
#: Characters that ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not lower to one (İ, ı, ſ,
#: the Kelvin sign; ``tests/test_boilerplate.py`` checks the list): with one of them the keyword test could miss.
_NON_ASCII_CASE_MATES = re.compile("[\u0130\u0131\u017f\u212a]")
_STRONG = re.compile("|".join(f"(?:{p})" for p in STRONG_PHRASES + CONTRIBUTION_PHRASES), re.IGNORECASE)
#: P(boilerplate) at least this for a unit with a decisive phrase.
DECISIVE_PROBABILITY = 0.95
_SENTENCE_END = re.compile(r"[.!?…][\"'’”»)\]]*\s*$")
_WORD = re.compile(r"[^\W\d_]+")


def sentence_shaped(text: str) -> bool:
    """Written as a sentence: two or more words, some in lower case, ending in ``.``, ``!``, ``?`` or ``…``.

    Examples
    --------
    >>> sentence_shaped("Café owners were furious."), sentence_shaped("Related Posts"), sentence_shaped("ON NOW.")
    (True, False, False)
    """
    stripped = text.strip()
    if not _SENTENCE_END.search(stripped):
        return False
    words = _WORD.findall(stripped)
    return len(words) >= 2 and any(word.islower() for word in words)


def furniture_phrase(text: str) -> str | None:
    """The first furniture phrase in ``text`` (lower-cased), or None.

    >>> furniture_phrase("Sign up for our newsletter"), furniture_phrase("Café owners were furious.")
    ('sign up', None)
    """
    if _NON_ASCII_CASE_MATES.search(text):
        pattern = _FURNITURE
    else:
        lowered = text.lower()
        present = tuple(phrase for phrase in _FURNITURE_ALTERNATIVES if _PHRASE_KEYWORDS[phrase] in lowered)
        if not present:
            return None
        # The phrases left out cannot match anywhere, so the leftmost match, and the first alternative to match
        # there, are those of the whole alternation.
        pattern = _furniture_pattern(present)
    match = pattern.search(text)
    return match.group(0).lower() if match else None


@lru_cache(maxsize=256)
def _furniture_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)


def adjust_boilerplate(probabilities: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """P(boilerplate) per unit after the shape prior (see the module docstring).

    Examples
    --------
    >>> adjust_boilerplate(np.array([0.53, 0.53, 0.53]), ["Café owners were furious.", "Prices", "Sign in to comment"]).round(2).tolist()
    [0.11, 0.53, 0.91]
    """
    p = np.clip(np.asarray(probabilities, dtype=float), 1e-12, 1 - 1e-12)
    shift = np.zeros(len(p))
    decisive = np.zeros(len(p), dtype=bool)
    for row, text in enumerate(texts):
        # The strong and decisive phrases are furniture phrases: without a furniture phrase there is neither.
        cue = furniture_phrase(text) is not None
        shaped = sentence_shaped(text)
        if (cue and _STRONG.search(text)) or (cue and not shaped):
            shift[row] = PRIOR
        elif shaped and not cue:
            shift[row] = -PRIOR
        decisive[row] = cue and _DECISIVE.search(text) is not None
    if not shift.any():
        adjusted = np.asarray(probabilities, dtype=float).copy()
    else:
        logit = np.log(p) - np.log1p(-p) + shift
        adjusted = 1.0 / (1.0 + np.exp(-logit))
    if decisive.any():
        adjusted[decisive] = np.maximum(adjusted[decisive], DECISIVE_PROBABILITY)
    return adjusted
