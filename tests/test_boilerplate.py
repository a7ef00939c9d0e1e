"""The site-furniture decision (issue #14): short real sentences are scored, furniture is left out."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

from framing.report._boilerplate import PRIOR, adjust_boilerplate, furniture_phrase, sentence_shaped


@pytest.mark.parametrize("text, shaped", [
    ("Café owners were furious.", True), ("Exports doubled.", True), ("“We will not yield,” he said.", True),
    ("Related Posts", False), ("ON NOW", False), ("Thank you!", True), ("d", False), ("www.bankingnews.gr", False),
    ("Talks proved fruitless", False),
])
def test_sentence_shape(text, shaped):
    assert sentence_shaped(text) is shaped


@pytest.mark.parametrize("text", ["Share this article", "Sign up for our newsletter", "© 2025 Reuters. All rights reserved.",
                                  "Terms of use | Privacy policy", "Please disable your ad blocker.", "Tags: Ukraine, Russia"])
def test_furniture_phrases(text):
    assert furniture_phrase(text)


@pytest.mark.parametrize("text", ["Café owners were furious.", "The minister declined to comment.", "Shares fell sharply.",
                                  "Markets followed the talks closely."])
def test_news_sentences_have_no_furniture_phrase(text):
    assert furniture_phrase(text) is None


def test_the_prior_moves_the_log_odds_by_log_9():
    p = adjust_boilerplate(np.array([0.9, 0.5, 0.1]), ["Café owners were furious.", "Share this article", "Euromaidan Press"])
    assert p[0] == pytest.approx(0.5) and p[1] == pytest.approx(0.9) and p[2] == pytest.approx(0.1)
    assert PRIOR == pytest.approx(np.log(9))


def test_short_real_sentences_are_scored_and_furniture_is_left_out():
    import framing

    model = framing.load()
    text = ("Talks in Florida ended without a deal.\n\nCafé owners were furious.\n\nPrices rose again.\n\n"
            "Share this article\n\nSign up for our newsletter\n\n© 2025 Reuters. All rights reserved.")
    report = model.score(text)
    scored = [s.text for s in report.sentences if not s.is_boilerplate]
    left_out = [s.text for s in report.sentences if s.is_boilerplate]
    assert "Café owners were furious." in scored and "Prices rose again." in scored
    assert " ".join(left_out) == "Share this article Sign up for our newsletter © 2025 Reuters. All rights reserved."
    # JSON records carry the same decision (consumers compare the stored probability with 0.5).
    record = report.to_dict()
    assert [s["text"] for s in record["sentences"] if s["boilerplate"] >= 0.5] == left_out


# ---------------------------------------------------------------------- reader-contribution and tip-line boxes (issue #23)

import json  # noqa: E402
from pathlib import Path  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[1]

#: Per saved page (invented text): the units that are site furniture; every other unit is article text.
PAGES = {
    "furniture_tipline.html": {"Got a story?", "Email news@harbourgazette.example or call our newsdesk.", "We pay for stories.",
                               "Sign up to our newsletter", "Follow us on Facebook and X for the latest island news."},
    "furniture_contribute.html": {"Do you have a story to share?", "Contact our reporters at tips@valleycourier.example.",
                                  "Sign up for our daily newsletter to get the top stories in your inbox.",
                                  "Have you been affected?",
                                  "Share your experience by emailing yourstory@valleycourier.example.", "Follow us on Instagram"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_saved_page_loses_its_tip_line_and_newsletter_boxes_and_keeps_the_article(page, capsys):
    pytest.importorskip("trafilatura")
    from framing import cli

    assert cli.main(["score", str(DATA / page), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    furniture = {s["text"] for s in record["sentences"] if s["boilerplate"] >= 0.5}
    article = [s["text"] for s in record["sentences"] if s["boilerplate"] < 0.5]
    assert furniture == PAGES[page]
    assert len(article) >= 5 and not any("@" in text or "newsletter" in text.lower() for text in article), article


@pytest.mark.parametrize("text", [
    "Got a story? Email news@site.example. We pay for stories.", "Do you have a story to share?", "Have you been affected?",
    "Sign up to our morning newsletter.", "Follow us on Telegram.", "Contact us at tips@site.example.",
    "Share your photos by emailing pics@site.example.",
])
def test_contribution_boxes_decide_whatever_the_head_says(text):
    from framing.report._boilerplate import DECISIVE_PROBABILITY

    assert adjust_boilerplate(np.array([0.01]), [text])[0] >= DECISIVE_PROBABILITY


@pytest.mark.parametrize("text", [
    "\u201cWe've got a story to tell about this war,\u201d the director said.", "Anyone with information should contact police on 101.",
    "He said in an email that the talks would resume.", "Residents said they had been affected by the floods for weeks.",
    "The newsletter, published weekly by the ministry, was withdrawn.", "Reporters followed us on foot through the town.",
    "The union told our reporters that the strike would go ahead.", "Witnesses were asked to share their videos with police.",
])
def test_news_sentences_about_stories_emails_and_newsletters_are_kept(text):
    assert adjust_boilerplate(np.array([0.01]), [text])[0] < 0.5


def test_no_content_sentence_of_the_seed_corpus_carries_a_contribution_phrase():
    import re

    from framing.report._boilerplate import CONTRIBUTION_PHRASES

    pattern = re.compile("|".join(f"(?:{p})" for p in CONTRIBUTION_PHRASES), re.IGNORECASE)
    rows = [json.loads(line) for line in (REPO / "labeled" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    hits = [(row["boilerplate"], row["text"]) for row in rows if pattern.search(row["text"])]
    assert hits and all(gold for gold, _ in hits), hits  # only the gold furniture ("Follow us on:") matches


def test_strong_and_decisive_phrases_are_furniture_phrases():
    # adjust_boilerplate searches the strong and decisive phrases only in units that carry a furniture phrase.
    from framing.report import _boilerplate

    furniture = set(_boilerplate.FURNITURE_PHRASES + _boilerplate.STRONG_PHRASES + _boilerplate.CONTRIBUTION_PHRASES)
    assert set(_boilerplate.STRONG_PHRASES) <= furniture
    assert set(_boilerplate.DECISIVE_PHRASES) <= furniture


def _longest_literal(phrase: str) -> str:
    """The longest run of plain characters in the top-level sequence of a phrase: every match contains it."""
    parser = pytest.importorskip("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
    runs, run = [], ""
    for op, argument in parser.parse(phrase, re.IGNORECASE):
        if op is parser.LITERAL:
            run += chr(argument)
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len)


def test_every_furniture_phrase_has_a_keyword_that_each_of_its_matches_contains():
    from framing.report import _boilerplate

    for phrase in _boilerplate._FURNITURE_ALTERNATIVES:
        keyword = _boilerplate._PHRASE_KEYWORDS[phrase]
        assert keyword and keyword == keyword.lower() and keyword in _longest_literal(phrase).lower(), phrase


def test_the_case_mates_that_lowering_misses_are_all_listed():
    from framing.report import _boilerplate

    ascii_mate = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    mates = {chr(code) for code in range(0x80, sys.maxunicode + 1) if ascii_mate.fullmatch(chr(code))}
    missed = {mate for mate in mates if not mate.lower().isascii()}
    assert missed and all(_boilerplate._NON_ASCII_CASE_MATES.search(mate) for mate in missed)


@pytest.mark.parametrize("text", [
    "Share this article", "SIGN UP FOR OUR NEWSLETTER today", "Read more: the talks", "the minister declined to comment",
    "ſubscribe now", "Log\u0130n", "Comments (12)", "  Tags: Ukraine", "Email news@site.example or call", "Got a tip ?",
    "Most read\u212a", "Contact us at the desk", "Café owners were furious.", "(C) 2024 Example", "logistics and a center",
    "Please email our newsroom.", "Sign up to our daily world newsletter", "We pay for your videos", "copyright © 2025",
])
def test_the_keyword_screen_finds_what_the_whole_alternation_finds(text):
    from framing.report import _boilerplate

    match = _boilerplate._FURNITURE.search(text)
    assert furniture_phrase(text) == (match.group(0).lower() if match else None)
