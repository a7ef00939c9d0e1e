"""Every view leads with the author's voice (issue 19, items 3 and 5, display side).

Hand-made reports (invented sentences, numbers chosen so that the author's, the quoted and the all-words
rates all differ) walk the summary, ``compare`` (text, JSON, HTML), ``profile`` (text, HTML) and the score
page: the author's own words come first, the quoted speakers with what they said next, a cue is never
listed as a source, evidence reads as words, and a task that is not a finding shows its status in place
of every one of its numbers. The last test runs the bundled model on the project's own voice articles.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from framing import ArticleReport, SentenceScore
from framing.report import _html
from framing.report._profile import build_profile, compare_json, compare_rows, format_compare, top_cue_terms
from framing.report._reliability import assess

REPO = Path(__file__).resolve().parents[1]
SENTENCES = [
    "Ferry crews stopped work at dawn on Friday.",
    '"These greedy owners are wrecking the island," said harbour pilot Nia Rowe.',
    '"They lie to us every single week."',
    "An insider claimed the talks had collapsed.",
    'Port director Owen Tate said: "We remain open to talks."',
]
TEXT = " ".join(SENTENCES)
AUTHOR, QUOTED, ALL = {"loaded": 0.13, "hedged": 0.31}, {"loaded": 0.77, "hedged": 0.04}, {"loaded": 0.46, "hedged": 0.22}


def _span(sentence: str, words: str) -> tuple[int, int]:
    start = sentence.index(words)
    return start, start + len(words)


def _cue(sentence, words, cue_type, term, category="", in_quote=False):
    start, end = _span(sentence, words)
    return {"start": start, "end": end, "type": cue_type, "term": term, "category": category, "in_quote": in_quote}


def _source(sentence, words, kind):
    start, end = _span(sentence, words)
    return {"text": words, "kind": kind, "start": start, "end": end}


def _unit(index, loaded, evidence=None, voice="author", speaker=None, kind=None, sources=(), quoted=(), cues=()):
    text = SENTENCES[index]
    start = TEXT.index(text)
    probabilities = {"loaded": {"false": 1 - loaded, "true": loaded}, "hedged": {"false": 0.8, "true": 0.2}}
    return SentenceScore(index, start, start + len(text), text, "sentence", 0.02,
                         {"loaded": loaded >= 0.5, "hedged": False}, probabilities,
                         evidence or {"loaded": [], "hedged": []}, list(cues), voice, speaker, kind, list(sources),
                         [list(q) for q in quoted])


def make_report(reliability=None, speaker_name="harbour pilot Nia Rowe") -> ArticleReport:
    s1, s4 = SENTENCES[1], SENTENCES[4]
    units = [
        _unit(0, 0.05, {"loaded": [("word:dawn", 0.1)], "hedged": []}),
        _unit(1, 0.92, {"loaded": [("loaded:greedy", 1.1), ("loaded[pejorative]@quote", 0.4), ("char:gre", 0.9)],
                        "hedged": [("attr:cue", 0.3)]},
              "mixed", speaker_name, "named", [_source(s1, "harbour pilot Nia Rowe", "named")],
              [_span(s1, "These greedy owners are wrecking the island,")],
              [_cue(s1, "greedy", "loaded", "greedy", "pejorative", True),
               _cue(s1, "said", "attribution_cue", "said", "speech_cue"),
               _cue(s1, "said", "source", "said", "harvested")]),  # a harvested "source" that is a cue verb
        _unit(2, 0.81, {"loaded": [("word:lie to", 0.7), ("loaded:lie", 0.5)], "hedged": []}, "quoted", speaker_name,
              "named", (), [_span(SENTENCES[2], "They lie to us every single week.")],
              [_cue(SENTENCES[2], "lie", "loaded", "lie", "harvested")]),  # in_quote unknown to the unit
        _unit(3, 0.2, {"loaded": [("voice:source_anonymous", 0.4)], "hedged": [("voice:source_anonymous", 0.6)]},
              sources=[_source(SENTENCES[3], "An insider", "anonymous")],
              cues=[_cue(SENTENCES[3], "claimed", "attribution_cue", "claimed", "loaded_cue")]),
        _unit(4, 0.3, {"loaded": [("shape:log_tokens", 0.3)], "hedged": []}, "mixed", "Port director Owen Tate", "named",
              [_source(s4, "Port director Owen Tate", "named")], [_span(s4, "We remain open to talks.")],
              [_cue(s4, "said", "attribution_cue", "said", "speech_cue")]),
    ]
    tasks = ("loaded", "hedged")
    return ArticleReport(
        sentences=units, tasks=tasks, classes={task: (False, True) for task in tasks},
        shares={task: {"false": 1 - rate, "true": rate} for task, rate in ALL.items()}, rates=dict(ALL),
        slant_task=None, slant_index=None, top_sentences={task: {} for task in tasks},
        top_terms={"loaded": {"true": [("loaded:greedy", 1.1), ("char:gre", 0.9), ("word:lie to", 0.7),
                                       ("voice:source_anonymous", 0.4)]},
                   "hedged": {"true": [("voice:source_anonymous", 0.6), ("source:said", 0.2)]}},
        reliability=reliability or {},
        author_rates=dict(AUTHOR), author_shares={}, quoted_rates=dict(QUOTED), quoted_shares={},
        speakers=[{"speaker": speaker_name, "kind": "named", "units": [1, 2], "rates": {"loaded": 0.88, "hedged": 0.05},
                   "shares": {}},
                  {"speaker": "Port director Owen Tate", "kind": "named", "units": [4],
                   "rates": {"loaded": 0.3, "hedged": 0.02}, "shares": {}}])


def unreliable(task: str) -> dict:
    return {task: assess([{"protocol": f"held out ({task})", "roc_auc": 0.51, "macro_f1": 0.4, "n": 9}])}


def visible(page: str) -> str:
    text = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text.replace("<wbr>", ""))
    return re.sub(r"\s+", " ", html.unescape(text))


# ---------------------------------------------------------------------- summary


def test_the_summary_leads_with_the_authors_own_words():
    lines = make_report().summary().splitlines()
    assert lines[0] == "5 scored sentences (0 boilerplate units left out)"
    assert lines[1] == "author's own words: loaded rate 0.13, hedged rate 0.31"
    assert lines[2] == "quoted (3 units, 2 speakers): loaded rate 0.77, hedged rate 0.04"
    assert lines[3] == "speakers: harbour pilot Nia Rowe (named, 2 units); Port director Owen Tate (named, 1 unit)"
    assert lines[4].startswith("which rate is which: author's own words = outside quotation marks; quoted = inside them")
    assert lines[5:7] == ["loaded rate 0.46", "hedged rate 0.22"]  # all words, as before


def test_the_summary_lists_sources_as_phrases_and_cues_as_cues():
    summary = make_report().summary()
    assert "source cues" not in summary
    sources = [line for line in summary.splitlines() if line.startswith("sources: ")]
    assert sources == ["sources: An insider (anonymous), Port director Owen Tate (named), harbour pilot Nia Rowe (named)"]
    assert "said" not in sources[0]
    assert "attribution cues: said (2), claimed" in summary.splitlines()


def test_the_summary_evidence_is_in_words():
    lines = make_report().summary().splitlines()
    assert ("top loaded=true evidence: loaded word 'greedy' inside a quotation; phrase 'lie to'; "
            "anonymous source 'An insider'") in lines
    assert "top hedged=true evidence: anonymous source 'An insider'; attribution cue 'said'" in lines
    assert not [line for line in lines if re.search(r"\b(loaded|voice|char|source):", line)]


def test_an_unreliable_task_gives_its_status_in_the_author_and_quoted_lines_too():
    summary = make_report(unreliable("loaded")).summary()
    lines = summary.splitlines()
    assert lines[1] == "author's own words: loaded: not reliable, hedged rate 0.31"
    assert lines[2] == "quoted (3 units, 2 speakers): loaded: not reliable, hedged rate 0.04"
    assert "loaded: not reliable (measured ROC AUC 0.510, held out (loaded))" in lines
    assert not re.search(r"loaded rate\s*\d", summary) and "top loaded=true" not in summary
    # The positive control: the same report measured reliable shows the numbers.
    assert re.search(r"author's own words: loaded rate 0\.13", make_report().summary())


def test_an_article_without_quotation_says_so():
    report = make_report()
    report.speakers, report.quoted_rates = [], {}
    assert report.summary().splitlines()[2] == "quoted: no direct quotation found"


# ---------------------------------------------------------------------- compare and profile


def records(reliability=None):
    first = {"id": "a", **make_report(reliability).to_dict()}
    second = {**first, "id": "b", "author_rates": {"loaded": 0.5, "hedged": 0.1}, "speakers": [], "quoted_rates": {}}
    return [first, second]


def test_compare_rows_put_the_author_first_and_quoted_next():
    rows = compare_rows(records())
    names = [name for name, _ in rows]
    assert names[:6] == ["sentences", "author loaded rate", "author hedged rate", "quoted loaded rate",
                         "quoted hedged rate", "quotes"]
    assert names.index("loaded rate") > names.index("quotes")
    table = dict(rows)
    assert table["author loaded rate"] == ["0.13", "0.50"]
    assert table["quoted loaded rate"] == ["0.77", "no quotes"]
    assert table["quotes"] == ["3 units, 2 speakers", "0 units, 0 speakers"]
    assert table["loaded rate"] == ["0.46", "0.46"]
    text = format_compare(["a", "b"], records())
    assert "which rate is which" in text and "quoted speakers: harbour pilot Nia Rowe (named, 2 units)" in text
    assert table == dict(compare_rows(records()))  # the same input, the same table


def test_compare_views_give_the_status_of_an_unreliable_tasks_author_rates():
    rows = dict(compare_rows(records(unreliable("loaded"))))
    for name in ("author loaded rate", "quoted loaded rate", "loaded rate"):
        assert rows[name] == ["not reliable", "not reliable"], name
    assert rows["author hedged rate"] == ["0.31", "0.10"]
    items = [(r["id"], TEXT, r) for r in records(unreliable("loaded"))]
    shown = visible(_html.compare_page(items))
    assert not re.search(r"loaded rate\s*[-+]?\d\.\d\d", shown), re.findall(r"loaded rate\s*[-+]?\d\.\d\d", shown)
    assert re.search(r"author hedged rate\s*0\.31", shown)


def test_compare_json_carries_the_voices():
    article = compare_json(["a", "b"], records())["articles"][0]
    assert article["author_rates"] == AUTHOR and article["quoted_rates"] == QUOTED
    assert [s["speaker"] for s in article["speakers"]] == ["harbour pilot Nia Rowe", "Port director Owen Tate"]
    assert article["quoted_units"] == 3 and article["quoted_speakers"] == 2


def test_top_loaded_terms_leave_out_quoted_units():
    # "lie" sits in a unit the voice stage quotes, without a quotation mark of its own: not the author's.
    record = records()[0]
    assert top_cue_terms(record) == []
    assert ("lie", 1) in top_cue_terms(record, include_quoted=True)


def test_profile_shows_author_rates_next_to_all_words():
    profile = build_profile([dict(r, outlet="Harbour Times") for r in records()])
    table = profile.format_table()
    header = table.splitlines()[0].split("  ")
    header = [cell.strip() for cell in header if cell.strip()]
    assert header[:4] == ["outlet", "articles", "author loaded rate", "loaded rate"]
    group = profile.groups["Harbour Times"]
    assert group.author_rates["loaded"] == pytest.approx((0.13 + 0.5) / 2)
    assert profile.to_dict()["groups"][0]["author_rates"]["loaded"] == pytest.approx(0.315)
    page = _html.profile_page(profile)
    assert "author loaded rate" in visible(page) and "0.32" in visible(page)
    hidden = build_profile([dict(r, outlet="Harbour Times") for r in records(unreliable("loaded"))])
    assert "author loaded rate" not in hidden.format_table() and "author loaded rate" not in visible(_html.profile_page(hidden))


# ---------------------------------------------------------------------- the score page


@pytest.fixture()
def page():
    record = make_report().to_dict()
    return _html.score_page([("Harbour Times", TEXT, record)]), record


def test_quotations_are_marked_and_name_their_speaker(page):
    page, record = page
    quotes = re.findall(r'<q class="quoted" title="([^"]*)">(.*?)</q>', page)
    inner = [html.unescape(re.sub(r"<[^>]+>", "", words)) for _, words in quotes]
    assert inner == ["These greedy owners are wrecking the island,", "They lie to us every single week.",
                     "We remain open to talks."]
    assert [html.unescape(title) for title, _ in quotes] == ["quoted: words of harbour pilot Nia Rowe (named source)"] * 2 + [
        "quoted: words of Port director Owen Tate (named source)"]
    assert "quoted: the speaker's words, not the author's" in html.unescape(page)  # the legend line


def test_a_unit_wholly_inside_a_quotation_without_spans_is_marked_whole():
    from framing.report._html_voice import marked_sentence

    unit = {"text": "The strike goes on.", "voice": "quoted", "speaker": None, "quoted": []}
    assert marked_sentence(unit) == (
        '<q class="quoted" title="quoted: words of a speaker not found">The strike goes on.</q>')
    assert marked_sentence(dict(unit, voice="author")) == "The strike goes on."


def test_sources_are_marked_by_kind_and_a_cue_verb_never_is(page):
    page, _ = page
    marks = [(kind, html.unescape(words)) for kind, words in re.findall(r'<mark class="src src-(\w+)"[^>]*>(.*?)</mark>', page)]
    assert marks == [("named", "harbour pilot Nia Rowe"), ("anonymous", "An insider"), ("named", "Port director Owen Tate")]
    assert not re.search(r'<mark class="cue cue-source"', page)


def test_the_article_text_is_unchanged_by_the_marks(page):
    from test_html import visible_text

    page, _ = page
    assert visible_text(page)[0] == TEXT


def test_the_voices_panel_comes_first_with_the_speakers_and_what_they_said(page):
    page, _ = page
    section = page[page.index('<section id="a0"'):]
    assert section.index('class="voices"') < section.index("<svg") < section.index('class="article"')
    shown = visible(section[:section.index("<svg")])
    assert re.search(r"loaded rate 0\.13 0\.77 0\.46", shown) and re.search(r"hedged rate 0\.31 0\.04 0\.22", shown)
    assert "harbour pilot Nia Rowe named source · 2 units · loaded rate 0.88" in shown
    assert "These greedy owners are wrecking the island," in shown and "They lie to us every single week." in shown
    assert "which rate is which" in shown


def test_tooltips_show_whose_words_and_evidence_in_words(page):
    page, _ = page
    tips = [visible(tip) for tip in re.findall(r'<span class="tip".*?</span></span>(?=\s*<span class="s"|</div>)', page, re.S)]
    assert len(tips) == len(SENTENCES)
    assert "voice quoted: words of harbour pilot Nia Rowe (named source)" in tips[2]
    assert "voice author's own words" in tips[0]
    assert "evidence: loaded word 'greedy' inside a quotation +1.50" in tips[1]
    assert "layout" not in tips[1] and "letters" not in tips[1]
    assert "evidence: layout: sentence length +0.30" in tips[4]  # nothing else explains it
    assert not [tip for tip in tips if re.search(r"\b(loaded|voice|char|shape|word):", tip)]


def test_the_page_escapes_a_hostile_speaker():
    record = make_report(speaker_name='<img src=x onerror=alert(1)> "Rowe"').to_dict()
    page = _html.score_page([("x", TEXT, record)])
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_unreliable_task_has_no_number_in_the_voices_panel():
    record = make_report(unreliable("loaded")).to_dict()
    shown = visible(_html.score_page([("x", TEXT, record)]))
    assert not re.search(r"loaded rate\s*[-+]?\d\.\d\d", shown)
    assert "loaded rate not reliable not reliable not reliable" in shown
    assert re.search(r"hedged rate 0\.31 0\.04 0\.22", shown)


# ---------------------------------------------------------------------- the bundled model


def test_the_bundled_model_on_an_article_that_quotes_loaded_speakers():
    import framing

    text = (REPO / "tests" / "data" / "voice_articles" / "neutral_author_quotes.txt").read_text(encoding="utf-8")
    report = framing.load().score(text)
    lines = report.summary().splitlines()
    assert lines[1].startswith("author's own words: ") and lines[2].startswith("quoted (")
    assert f"loaded rate {report.author_rates['loaded']:.2f}" in lines[1]
    sources = next((line for line in lines if line.startswith("sources: ")), "")
    assert not re.search(r"\b(said|told|claimed|according to)\b", sources), sources
    assert "source cues" not in report.summary()
    page = _html.score_page([("quotes", text, report.to_dict())])
    assert page.count('<q class="quoted"') >= len([s for s in report.sentences if s.voice != "author"])
