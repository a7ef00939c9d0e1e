"""Segmentation and tokenisation (framing.text): units, offsets, abbreviations, headlines, tokens.

Generated-input properties (offsets hold for any text, lengths <= max_chars)
live in test_properties.py; these are the worked examples.
"""

from __future__ import annotations

import json
import textwrap

import pytest

import framing
from framing.text import MAX_UNIT_CHARS, Unit, build_tokenizer, token_spans, tokenize


def texts(units):
    return [unit.text for unit in units]


def assert_offsets(article, units):
    for unit in units:
        assert isinstance(unit, Unit)
        assert article[unit.start:unit.end] == unit.text


# ---------------------------------------------------------------------- abbreviations


@pytest.mark.parametrize("article, expected", [
    ("The U.S. Senate voted. Officials left.", ["The U.S. Senate voted.", "Officials left."]),
    ("Mr. Rubio met Mrs. Smith. They left.", ["Mr. Rubio met Mrs. Smith.", "They left."]),
    ("Gen. Milley arrived. Talks began.", ["Gen. Milley arrived.", "Talks began."]),
    ("Talks began on Jan. 5 in Geneva. They ended.", ["Talks began on Jan. 5 in Geneva.", "They ended."]),
    ("Sen. Rubio and Dr. Lee met in Washington, D.C. on Monday. Nothing changed.",
     ["Sen. Rubio and Dr. Lee met in Washington, D.C. on Monday.", "Nothing changed."]),
    ("He lives at No. 10 Downing Street. Then he left.", ["He lives at No. 10 Downing Street.", "Then he left."]),
])
def test_abbreviations_do_not_end_sentences(article, expected):
    units = framing.segment(article)
    assert texts(units) == expected
    assert all(unit.kind == "sentence" for unit in units)
    assert_offsets(article, units)


@pytest.mark.parametrize("article, expected", [
    # "no" is an ordinary word at the end of a sentence, not the abbreviation "No." (bug fixed in text.py).
    ("The regime said no. Analysts doubt it.", ["The regime said no.", "Analysts doubt it."]),
    ("Prices rose 3.5 percent. Officials said so.", ["Prices rose 3.5 percent.", "Officials said so."]),
    ("Is it over? Nobody knows! Talks resume.", ["Is it over?", "Nobody knows!", "Talks resume."]),
])
def test_ordinary_sentence_ends_split(article, expected):
    units = framing.segment(article)
    assert texts(units) == expected
    assert_offsets(article, units)


# ---------------------------------------------------------------------- headlines and lines


def test_lines_without_final_punctuation_are_their_own_units():
    article = "Talks stall in Florida\nBy Jane Doe\n\nThe regime said no. Analysts doubt it.\nRelated Posts\nShare this article"
    units = framing.segment(article)
    assert [(u.kind, u.text) for u in units] == [
        ("line", "Talks stall in Florida"),
        ("line", "By Jane Doe"),
        ("sentence", "The regime said no."),
        ("sentence", "Analysts doubt it."),
        ("line", "Related Posts"),
        ("line", "Share this article"),
    ]
    assert_offsets(article, units)


def test_a_headline_is_never_merged_into_the_next_sentence():
    # Without the line rule Punkt would read "Talks stall The regime said no." as one sentence.
    article = "Talks stall\nThe regime said no."
    assert texts(framing.segment(article)) == ["Talks stall", "The regime said no."]


def test_line_ending_in_punctuation_inside_quotes_is_a_sentence():
    units = framing.segment('He said: "We will win."\nHeadline here')
    assert [(u.kind, u.text) for u in units] == [("sentence", 'He said: "We will win."'), ("line", "Headline here")]


def test_offsets_index_the_original_text_with_indentation_and_crlf():
    article = "  Talks stall  \r\n\r\n\tMr. Rubio met U.S. envoys.   They left.  \r\n"
    units = framing.segment(article)
    assert texts(units) == ["Talks stall", "Mr. Rubio met U.S. envoys.", "They left."]
    assert [(u.start, u.end) for u in units] == [(2, 13), (20, 46), (49, 59)]
    assert_offsets(article, units)


def test_blank_text_has_no_units_and_non_str_is_refused():
    assert framing.segment("") == []
    assert framing.segment(" \n\t\n") == []
    with pytest.raises(TypeError, match="expects str"):
        framing.segment(b"bytes")
    with pytest.raises(ValueError, match="max_chars"):
        framing.segment("text", max_chars=0)


# ---------------------------------------------------------------------- long units


def test_long_units_are_split_at_white_space():
    words = [f"word{i:03d}" for i in range(300)]  # 7 characters each
    article = " ".join(words)  # no final punctuation: one line of 2399 characters
    units = framing.segment(article, max_chars=100)
    assert len(units) > 1
    assert all(len(unit.text) <= 100 for unit in units)
    assert_offsets(article, units)
    # Split between words, never inside one, and nothing but spaces left out.
    assert " ".join(texts(units)).split() == words
    assert all(unit.text.split()[0] in words and unit.text.split()[-1] in words for unit in units)


def test_default_limit_splits_a_long_sentence():
    article = ("The talks went on " * 300).strip() + "."
    units = framing.segment(article)
    assert len(article) > MAX_UNIT_CHARS
    assert len(units) >= 2
    assert all(len(unit.text) <= MAX_UNIT_CHARS for unit in units)
    assert_offsets(article, units)


def test_a_word_longer_than_the_limit_is_cut_hard():
    article = "x" * 25
    units = framing.segment(article, max_chars=10)
    assert texts(units) == ["x" * 10, "x" * 10, "x" * 5]
    assert_offsets(article, units)


# ---------------------------------------------------------------------- tokens


def test_token_spans_are_offsets_of_the_tokens():
    text = "Kyiv's “regime” fell 19.3% — U.S. says, don't-stop 10,000 long-term."
    spans = token_spans(text)
    assert [text[s:e] for s, e in spans] == tokenize(text)
    assert tokenize(text) == ["Kyiv's", "“", "regime", "”", "fell", "19.3%", "—", "U.S.", "says", ",", "don't-stop",
                              "10,000", "long-term", "."]
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # in order, no overlap
    assert all(not text[s:e].isspace() for s, e in spans)


def test_tokenize_keeps_case_and_unicode_words():
    assert tokenize("Киев заявил: «нет».") == ["Киев", "заявил", ":", "«", "нет", "»", "."]
    assert tokenize("") == []


def test_build_tokenizer_is_the_normalising_tokeniser():
    tokenizer = build_tokenizer()
    assert callable(tokenizer)
    assert tokenizer("The Kyiv Regime’s plan, reportedly.") == ["the", "kyiv", "regime", "plan", "reportedly"]
    # Possessive 's is dropped (straight or curly), punctuation is dropped, numbers and inner periods kept.
    assert tokenizer("Ukraine's U.S. allies’ 19.3% share!") == ["ukraine", "u.s.", "allies", "19.3%", "share"]
    assert tokenizer("“ — ” ...") == []


# ---------------------------------------------------------------------- no NLTK data


def test_segmentation_needs_no_nltk_data(run_without_nltk_data):
    """A fresh process with NLTK_DATA pointing at an empty folder (and no other data path) segments fine."""
    script = textwrap.dedent(
        """
        import json
        import nltk.data
        import os

        searched = list(nltk.data.path)
        nltk.data.path[:] = [p for p in nltk.data.path if p.startswith(os.environ["NLTK_DATA"])]
        import framing
        units = framing.segment("Talks stall\\nGen. Smith met U.S. envoys on Jan. 5. They left.")
        print(json.dumps({"units": [[u.kind, u.text] for u in units], "path": nltk.data.path}))
        """
    )
    result, empty = run_without_nltk_data(script)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout.strip().splitlines()[-1])
    assert output["path"] == [str(empty)]  # NLTK_DATA was honoured: the only place data could come from is empty
    assert output["units"] == [["line", "Talks stall"], ["sentence", "Gen. Smith met U.S. envoys on Jan. 5."],
                               ["sentence", "They left."]]
    assert list(empty.iterdir()) == []  # and nothing was downloaded into it
