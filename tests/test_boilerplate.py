"""The site-furniture decision (issue #14): short real sentences are scored, furniture is left out."""

from __future__ import annotations

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
