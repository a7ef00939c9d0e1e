"""Article reports (Model.score -> framing.ArticleReport) with the toy model of conftest.py."""

from __future__ import annotations

import json
import math
import re

import pytest

from framing import ArticleReport, SentenceScore

ARTICLE = (
    "Talks stall in Geneva\n"
    "The corrupt regime reportedly lied again. Officials met to discuss aid.\n"
    "Subscribe to our newsletter\n"
    "The puppet regime may attack the city, analysts say.\n"
    "Share this article\n"
)
FURNITURE = {"Subscribe to our newsletter", "Share this article"}


@pytest.fixture(scope="module")
def report(toy_model):
    return toy_model.score(ARTICLE)


def test_report_type_units_and_offsets(report):
    assert isinstance(report, ArticleReport)
    assert all(isinstance(s, SentenceScore) for s in report.sentences)
    assert [s.text for s in report.sentences] == [
        "Talks stall in Geneva", "The corrupt regime reportedly lied again.", "Officials met to discuss aid.",
        "Subscribe to our newsletter", "The puppet regime may attack the city, analysts say.", "Share this article"]
    assert [s.index for s in report.sentences] == list(range(6))
    for sentence in report.sentences:
        assert ARTICLE[sentence.start:sentence.end] == sentence.text


def test_shares_sum_to_one_and_rates_are_the_true_share(report, toy_model):
    assert report.tasks == toy_model.tasks
    for task in report.tasks:
        shares = report.shares[task]
        assert list(shares) == [("true" if c else "false") if isinstance(c, bool) else c for c in toy_model.classes(task)]
        assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9)
        assert all(0.0 <= v <= 1.0 for v in shares.values())
    assert set(report.rates) == {"loaded", "hedged"}  # binary tasks only
    for task, rate in report.rates.items():
        assert rate == report.shares[task]["true"]
        expected = sum(s.probabilities[task]["true"] for s in report.scored) / report.n_sentences
        assert math.isclose(rate, expected)


def test_slant_index_is_in_range_and_follows_the_class_order(report):
    assert report.slant_task == "slant"
    assert -1.0 <= report.slant_index <= 1.0
    # mean(P(last class) - P(first class)) over scored sentences: right minus left.
    expected = sum(s.probabilities["slant"]["right"] - s.probabilities["slant"]["left"] for s in report.scored) / report.n_sentences
    assert math.isclose(report.slant_index, expected)


def test_boilerplate_is_excluded_from_the_scores(report, toy_model):
    flagged = {s.text for s in report.sentences if s.is_boilerplate}
    assert flagged == FURNITURE
    assert report.n_units == 6 and report.n_sentences == 4
    assert {s.text for s in report.scored} == {s.text for s in report.sentences} - FURNITURE
    for task in report.tasks:
        for items in report.top_sentences[task].values():
            assert not {item["text"] for item in items} & FURNITURE
    # Shares are the mean over scored sentences only: the article without its furniture scores the same.
    clean = toy_model.score("\n".join(line for line in ARTICLE.splitlines() if line not in FURNITURE))
    for task in report.tasks:
        for cls, value in report.shares[task].items():
            assert math.isclose(clean.shares[task][cls], value, abs_tol=1e-12)
    assert math.isclose(clean.slant_index, report.slant_index, abs_tol=1e-12)


def test_evidence_comes_from_the_text(report, toy_model):
    names = list(toy_model.feature_names)
    by_index = {s.index: s for s in report.sentences}
    for task in report.tasks:
        assert report.top_sentences[task], task
        for _cls, items in report.top_sentences[task].items():
            for item in items:
                sentence = by_index[item["index"]]
                assert item["text"] == sentence.text == ARTICLE[sentence.start:sentence.end]
                row = toy_model.transform([sentence.text])
                present = {names[i] for i in row.nonzero()[1]}
                assert {name for name, _ in item["features"]} <= present
        for _cls, terms in report.top_terms[task].items():
            scored_present = set()
            for sentence in report.scored:
                scored_present |= {names[i] for i in toy_model.transform([sentence.text]).nonzero()[1]}
            assert {name for name, _ in terms} <= scored_present
    assert report.top_sentences["loaded"]["true"][0]["text"] in {
        "The corrupt regime reportedly lied again.", "The puppet regime may attack the city, analysts say."}


def test_cues_are_inside_their_sentence_and_deduplicated(toy_model):
    report = toy_model.score("The talks seemingly stalled, sources close to the White House said.")
    (sentence,) = report.sentences
    keys = [(c["start"], c["end"], c["type"]) for c in sentence.cues]
    assert len(keys) == len(set(keys))  # "seemingly" matches both "seem*" and "seemingly": one cue
    seemingly = [c for c in sentence.cues if sentence.text[c["start"]:c["end"]] == "seemingly"]
    assert [(c["type"], c["term"]) for c in seemingly] == [("hedge", "seemingly")]  # the exact term wins
    for cue in sentence.cues:
        assert 0 <= cue["start"] < cue["end"] <= len(sentence.text)
    # "regime" is both a loaded term and a naming choice: two types, two cues.
    types = sorted(c["type"] for c in toy_model.cues("The regime fell.") if c["term"] == "regime")
    assert types == ["loaded", "naming"]


def test_to_dict_is_json_serialisable(report):
    data = report.to_dict()
    again = json.loads(json.dumps(data, allow_nan=False))
    assert again["n_units"] == 6 and again["n_sentences"] == 4
    assert again["classes"]["loaded"] == ["false", "true"]
    assert again["dominant"]["slant"] in ("left", "center", "right")
    assert len(again["sentences"]) == 6
    assert again["sentences"][1]["labels"]["loaded"] is True
    assert again["slant_index"] == report.slant_index


def test_summary_is_a_string_with_the_scores(report):
    summary = report.summary()
    assert isinstance(summary, str)
    lines = summary.splitlines()
    assert lines[0] == "4 scored sentences (2 boilerplate units left out)"
    # The author's voice first (issue 19): the article quotes nobody, so the author's rates are all words'.
    assert lines[1] == f"author's own words: loaded rate {report.rates['loaded']:.2f}, hedged rate {report.rates['hedged']:.2f}"
    assert lines[2] == "quoted: no direct quotation found" and lines[3].startswith("which rate is which: ")
    assert lines[4].startswith("slant index ") and "(-1 = left, +1 = right)" in lines[4]
    assert "loaded rate" in summary and "frame: " in summary


def test_summary_grammar_for_one_sentence(toy_model):
    summary = toy_model.score("The corrupt regime lied.").summary()
    assert summary.splitlines()[0] == "1 scored sentence (0 boilerplate units left out)"
    article = "The corrupt regime lied.\nSubscribe to our newsletter\n"
    assert toy_model.score(article).summary().splitlines()[0] == "1 scored sentence (1 boilerplate unit left out)"


def test_summary_shows_no_layout_features_as_evidence(report):
    hand_made = ArticleReport(
        sentences=[], tasks=("loaded",), classes={"loaded": (False, True)}, shares={"loaded": {"false": 0.4, "true": 0.6}},
        rates={"loaded": 0.6}, slant_task=None, slant_index=None, top_sentences={"loaded": {}},
        top_terms={"loaded": {"true": [("shape:log_tokens", 2.0), ("loaded:regime", 1.0), ("shape:line", 0.5)]}})
    # Evidence in words (issue 19): the loaded word, not the internal name; layout left out beside it.
    assert "top loaded=true evidence: loaded word 'regime'" in hand_made.summary().splitlines()
    only_layout = ArticleReport([], ("loaded",), {"loaded": (False, True)}, {"loaded": {"false": 0.4, "true": 0.6}},
                                {"loaded": 0.6}, None, None, {"loaded": {}}, {"loaded": {"true": [("shape:line", 1.0)]}})
    # Nothing else explains the score: the layout feature is said in words, never by its internal name.
    assert "top loaded=true evidence: layout: a line without a sentence end" in only_layout.summary().splitlines()
    assert "shape:" not in report.summary() and "shape:" not in only_layout.summary()


def test_empty_article(toy_model):
    empty = toy_model.score("  \n\n")
    assert (empty.n_units, empty.n_sentences, empty.slant_index) == (0, 0, None)
    assert empty.dominant("slant") is None
    assert empty.summary().splitlines()[0] == "0 scored sentences (0 boilerplate units left out)"
    json.dumps(empty.to_dict(), allow_nan=False)
    with pytest.raises(TypeError, match="expects the article text as str"):
        toy_model.score(None)


def test_sentence_evidence_equals_the_models_contributions_row_by_row(toy_model):
    # The report computes every sentence's evidence at once; it must equal Model.contributions.
    report = toy_model.score(ARTICLE, evidence=4)
    X = toy_model.transform([s.text for s in report.sentences]).tocsr()
    for row, sentence in enumerate(report.sentences):
        for task in toy_model.tasks:
            best = toy_model.classes(task).index(sentence.labels[task])
            expected = toy_model.contributions(X[row], task, best, top=4)
            assert [name for name, _ in sentence.evidence[task]] == [name for name, _ in expected]
            assert [value for _, value in sentence.evidence[task]] == pytest.approx([value for _, value in expected])


def test_summary_lists_cues_once_each_longest_match_first(toy_model):
    summary = toy_model.score("The regime is expected to collapse. The corrupt regime is expected to fall.").summary()
    hedge_lines = [line for line in summary.splitlines() if line.startswith("hedge cues: ")]
    # One entry: overlapping matches of the same hedge ("is expected", "expected to") count once.
    assert len(hedge_lines) == 1
    assert re.fullmatch(r"hedge cues: [a-z ]*expected[a-z ]* \(2\)", hedge_lines[0]), hedge_lines
    assert any(line.startswith("loaded cues: ") and "corrupt" in line for line in summary.splitlines())
