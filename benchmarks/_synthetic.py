"""Deterministic, made-up news text for the speed and memory benchmarks.

Nothing here comes from any data set: sentences are assembled from small
hand-written word lists about (fictional) peace talks, with random numbers,
names and clauses so that almost every sentence is distinct (the feature
extractor memoises per sentence text, and repeated sentences would flatter
the throughput). Articles get a headline line, paragraphs of body sentences
and a few lines of site furniture, like scraped news pages.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

__all__ = ["sentence", "sentences", "article", "articles"]

_FIRST = ["Anna", "Pavel", "Maria", "Oleh", "Sofia", "Viktor", "Irena", "Tomas", "Lena", "Marco", "Nadia", "Stefan",
          "Olga", "Jonas", "Petra", "Dmitri", "Clara", "Andrei", "Hanna", "Felix"]
_LAST = ["Kovalenko", "Brandt", "Moreau", "Petrenko", "Laine", "Novak", "Ricci", "Holm", "Sandor", "Varga", "Keller",
         "Duarte", "Lindqvist", "Marek", "Bauer", "Orlov", "Nilsen", "Costa", "Weber", "Hrabar"]
_ROLES = ["the foreign minister", "a senior negotiator", "the defence secretary", "the envoy", "the prime minister",
          "a presidential adviser", "the ambassador", "the delegation chief", "a deputy minister", "the spokeswoman"]
_VAGUE = ["officials", "sources close to the talks", "analysts", "diplomats", "people familiar with the plan",
          "a senior official", "observers", "critics", "several lawmakers", "aides"]
_SUBJECTS = ["The delegation", "The government", "The coalition", "The opposition", "Negotiators", "The ministry",
             "The alliance", "The parliament", "Both sides", "The regional council", "The committee", "Mediators"]
_VERBS = ["rejected", "welcomed", "questioned", "approved", "postponed", "revised", "criticised", "endorsed",
          "delayed", "accepted", "condemned", "discussed", "drafted", "blocked", "defended", "reviewed"]
_HEDGED_VERBS = ["may accept", "could reject", "appears to back", "is expected to sign", "reportedly opposed",
                 "seems ready to revise", "might delay", "is likely to discuss"]
_OBJECTS = ["the peace plan", "the ceasefire proposal", "new sanctions", "the security guarantees",
            "the prisoner exchange", "the energy agreement", "the aid package", "the border arrangement",
            "the reconstruction fund", "the draft framework", "the grain corridor", "the monitoring mission",
            "the demilitarised zone", "the humanitarian convoy", "the trade clause", "the amnesty provision"]
_LOADED = ["the corrupt regime", "the warmongers", "the puppet government", "the so-called peace plan",
           "the disastrous deal", "the cynical manoeuvre", "the brutal occupiers", "the shameful capitulation"]
_PLACES = ["in Geneva", "in the capital", "near the front line", "in Istanbul", "at the summit", "in Brussels",
           "on the eastern border", "in the port city", "behind closed doors", "at the embassy"]
_TIMES = ["on Monday", "on Tuesday", "late on Wednesday", "early on Thursday", "on Friday", "over the weekend",
          "last month", "this week", "after midnight", "for the second time"]
_TAILS = ["after hours of talks", "despite strong objections", "amid rising pressure", "without a formal vote",
          "under heavy criticism", "as protests continued", "while fighting went on", "in a closed session"]
_FURNITURE = ["Share this article", "Advertisement", "Subscribe to our newsletter", "Related stories",
              "Read more", "Follow us on social media", "Comments are closed", "Most read"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def sentence(rng: random.Random) -> str:
    """One made-up news sentence (about 15-30 words)."""
    kind = rng.randrange(8)
    number = rng.choice([f"{rng.randint(2, 95)} percent", f"{rng.randint(3, 900)} million euros",
                         f"{rng.randint(2, 60)} kilometres", f"{rng.randint(10, 5000)} troops"])
    if kind == 0:
        return (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)} "
                f"{rng.choice(_TIMES)}, {rng.choice(_TAILS)}.")
    if kind == 1:
        return (f"{_name(rng)}, {rng.choice(_ROLES)}, said the talks {rng.choice(_PLACES)} had produced "
                f"\"{rng.choice(['real progress', 'nothing new', 'a fragile basis', 'serious doubts'])}\" "
                f"on {rng.choice(_OBJECTS)}.")
    if kind == 2:
        return (f"According to {rng.choice(_VAGUE)}, {rng.choice(_SUBJECTS).lower()} {rng.choice(_HEDGED_VERBS)} "
                f"{rng.choice(_OBJECTS)} worth {number} {rng.choice(_TIMES)}.")
    if kind == 3:
        return (f"{rng.choice(_SUBJECTS)} accused {rng.choice(_LOADED)} of sabotaging {rng.choice(_OBJECTS)}, "
                f"{rng.choice(_TAILS)}.")
    if kind == 4:
        return (f"The proposal would cover {number} and {rng.choice(_OBJECTS)}, {rng.choice(_VAGUE)} told reporters "
                f"{rng.choice(_PLACES)}.")
    if kind == 5:
        return (f"{_name(rng)} {rng.choice(_HEDGED_VERBS)} {rng.choice(_OBJECTS)} if {rng.choice(_SUBJECTS).lower()} "
                f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TIMES)}.")
    if kind == 6:
        return (f"{rng.choice(_TIMES).capitalize()}, {rng.choice(_SUBJECTS).lower()} {rng.choice(_VERBS)} "
                f"{rng.choice(_OBJECTS)} and {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)}.")
    return (f"Critics called it {rng.choice(_LOADED)[4:]}, while {_name(rng)} insisted that {number} "
            f"{rng.choice(['was enough', 'would not suffice', 'remained on the table', 'had been promised'])}.")


def sentences(n: int, seed: int = 0) -> list[str]:
    """``n`` made-up sentences, deterministic for a seed.

    Examples
    --------
    >>> a = sentences(3, seed=1)
    >>> a == sentences(3, seed=1), len(set(sentences(500))) > 490
    (True, True)
    """
    rng = random.Random(seed)
    return [sentence(rng) for _ in range(n)]


def article(rng: random.Random, words: int = 600) -> str:
    """One made-up article of about ``words`` words: headline, paragraphs, site furniture."""
    headline = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}".replace("The ", "", 1)
    paragraphs: list[str] = []
    count = 0
    paragraph: list[str] = []
    while count < words:
        text = sentence(rng)
        paragraph.append(text)
        count += len(text.split())
        if len(paragraph) >= rng.randint(2, 4):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    furniture = rng.sample(_FURNITURE, 2)
    return "\n\n".join([headline[:1].upper() + headline[1:], *paragraphs, *furniture]) + "\n"


def articles(n: int, words: int = 600, seed: int = 0) -> Iterator[str]:
    """Yield ``n`` made-up articles lazily (constant memory), deterministic for a seed."""
    rng = random.Random(seed)
    for _ in range(n):
        yield article(rng, words)
