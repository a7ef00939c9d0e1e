"""Whose voice (issue #19): new articles, written blind to the voice stage, scored by the bundled model.

The six articles in ``tests/data/voice_articles/`` were written from the codebook and the issue only,
without reading the voice stage's code, and are not to be tuned on (see the folder's README). For
each article ``expected.json`` gives whether the author's own wording is loaded (``low`` / ``high``)
and sentence facts: a unique substring of one unit with its voice (author, quoted, mixed), its
attribution (named, anonymous, none) and, for quoted words, the kind of their speaker. A fact leaves
out a field its author was not sure of; ``"speaker_kind": null`` means the unit has no quoted speaker.

The goals checked are the issue's: a neutral author who quotes loaded speakers has an author-voice
loaded rate <= 0.15 (quotes count for the speakers), a tabloid author >= 0.35, every attribution
example of the issue comes out right, and "said" is a cue, never a source.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import framing

ARTICLES_DIR = Path(__file__).parent / "data" / "voice_articles"
EXPECTED_PATH = ARTICLES_DIR / "expected.json"

#: The issue's goals for the author-voice loaded rate.
NEUTRAL_AUTHOR_MAX = 0.15
TABLOID_AUTHOR_MIN = 0.35

#: Reporting cues that must never be reported as a source phrase.
CUE_WORDS = ("said", "says", "say", "told", "claimed", "added", "according to")


def _expected() -> dict:
    return json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))


ARTICLE_NAMES = tuple(sorted(_expected()))
NEUTRAL_ARTICLES = tuple(name for name in ARTICLE_NAMES if _expected()[name]["author_loaded"] == "low")
TABLOID_ARTICLES = tuple(name for name in ARTICLE_NAMES if _expected()[name]["author_loaded"] == "high")
FACTS = tuple((name, fact) for name in ARTICLE_NAMES for fact in _expected()[name]["facts"])

#: The attribution examples quoted in the issue, each completed and scored as a one-sentence article.
ISSUE_EXAMPLES = (
    ("RMT general secretary Mick Lynch said members would decide on the new offer in a ballot next month.", "named"),
    ("General Oleksandr Syrskyi said the troops had withdrawn to new positions west of the river.", "named"),
    ("Their spokesman, Ravi Desai, said the company would appeal against the ruling.", "named"),
    ("According to the Bank of England, inflation will fall below 3 per cent by the end of the year.", "named"),
    ("A senior Whitehall figure told this newspaper: 'The minister has lost the confidence of the department.'",
     "anonymous"),
    ("A soldier, who asked to be identified only by his call sign, said the shelling had not stopped for two nights.",
     "anonymous"),
    ('"It is over," the insider claimed.', "anonymous"),
    ("The city council approved the new budget on Tuesday.", "none"),
)


def _fact_id(case) -> str:
    name, fact = case
    return f"{name.removesuffix('.txt')}:{fact['contains'][:40]}"


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def article_report(model):
    """``article_report(name)``: the report of one bundled article, each article scored once per module."""
    reports = {}

    def report(name: str):
        if name not in reports:
            reports[name] = model.score((ARTICLES_DIR / name).read_text(encoding="utf-8"))
        return reports[name]

    return report


def _unit_containing(report, substring: str):
    hits = [s for s in report.sentences if substring in s.text]
    if len(hits) != 1:
        pytest.fail(f"expected exactly one unit containing {substring!r}, found {len(hits)}: "
                    f"{[s.text for s in hits]!r}")
    return hits[0]


# --- the fixtures themselves -------------------------------------------------------------------------------


def test_every_article_has_expectations_and_the_agreed_shape():
    on_disk = sorted(path.name for path in ARTICLES_DIR.glob("*.txt"))
    assert on_disk == list(ARTICLE_NAMES)
    for name in ARTICLE_NAMES:
        text = (ARTICLES_DIR / name).read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        headline = lines[0].rstrip()
        assert headline[-1] not in ".!?\"'”", f"{name}: the first line should be a headline"
        n_words = len(text.split())
        assert 350 <= n_words <= 700, f"{name}: {n_words} words"
        facts = _expected()[name]["facts"]
        assert 8 <= len(facts) <= 15, f"{name}: {len(facts)} facts"
        for fact in facts:
            assert fact["voice"] in ("author", "quoted", "mixed")
            assert fact.get("attribution", "none") in ("named", "anonymous", "none")
            assert fact.get("speaker_kind") in ("named", "anonymous", None)
            # Each substring picks out one unit of the segmenter, so a fact is about one sentence.
            assert sum(fact["contains"] in unit.text for unit in framing.segment(text)) == 1, fact["contains"]


# --- author-voice loaded rates ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NEUTRAL_ARTICLES)
def test_neutral_author_has_a_low_author_voice_loaded_rate(article_report, name):
    report = article_report(name)
    assert report.author_rates["loaded"] <= NEUTRAL_AUTHOR_MAX, (name, report.author_rates)


@pytest.mark.parametrize("name", TABLOID_ARTICLES)
def test_tabloid_author_has_a_high_author_voice_loaded_rate(article_report, name):
    report = article_report(name)
    assert report.author_rates["loaded"] >= TABLOID_AUTHOR_MIN, (name, report.author_rates)


def test_loaded_quotes_count_for_their_speakers_not_the_author(article_report):
    report = article_report("neutral_author_quotes.txt")
    author = report.author_rates["loaded"]
    assert report.rates["loaded"] > author, (report.rates, report.author_rates)
    assert report.quoted_rates["loaded"] > author, (report.quoted_rates, report.author_rates)


# --- sentence facts ----------------------------------------------------------------------------------------


#: Facts the shipped model gets wrong, measured when issue 19 closed (70 of 84 right): kept as strict expected
#: failures, so that each one is reported, and fixing one makes its test fail until it leaves this list.
KNOWN_MISSES = frozenset({
    "health_wire:according to figures published by the ag", "health_wire:a spokesperson for the Department of Hea",
    "health_wire:The best protection is two doses", "health_wire:The warnings were there in every report.",
    "migration_tabloid:INVASION ON OUR BEACHES", "migration_tabloid:swarmed across the Channel",
    "migration_tabloid:laughing all the way to the bank", "migration_tabloid:The swarm shows no sign of easing.",
    "neutral_author_quotes:They have spread lies about flooding", "rail_strike_tabloid:STRIKE MISERY",
    "rail_strike_tabloid:eye-watering \u00a3700 million", "war_report_neutral:according to the regional military admin",
    "war_report_neutral:the administration's head, Ihor Lysak, s", "war_report_neutral:Nobody here has slept properly",
})


def _fact_params():
    for case in FACTS:
        marks = [pytest.mark.xfail(strict=True, reason="known miss of the shipped model (issue 19 closing note)")] \
            if _fact_id(case) in KNOWN_MISSES else []
        yield pytest.param(case, id=_fact_id(case), marks=marks)


@pytest.mark.parametrize("case", list(_fact_params()))
def test_sentence_fact(article_report, case):
    name, fact = case
    unit = _unit_containing(article_report(name), fact["contains"])
    got = {"voice": unit.voice}
    want = {"voice": fact["voice"]}
    if "attribution" in fact:
        got["attribution"], want["attribution"] = unit.labels["attribution"], fact["attribution"]
    if "speaker_kind" in fact:
        got["speaker_kind"], want["speaker_kind"] = unit.speaker_kind, fact["speaker_kind"]
    assert got == want, f"{name}: {unit.text!r} (speaker {unit.speaker!r})"


# --- speakers ----------------------------------------------------------------------------------------------


def test_neutral_author_quotes_lists_its_named_and_anonymous_speakers(article_report):
    report = article_report("neutral_author_quotes.txt")
    speakers = report.speakers
    assert isinstance(speakers, list) and speakers
    for entry in speakers:
        assert {"speaker", "kind", "units", "rates"} <= set(entry), entry
        assert entry["kind"] in ("named", "anonymous"), entry
        assert 0.0 <= entry["rates"]["loaded"] <= 1.0, entry

    def index_of(substring):
        return _unit_containing(report, substring).index

    def units_of(entries):
        return {unit for entry in entries for unit in entry["units"]}

    # Ms. Osei's quote runs over four sentences and two paragraphs: every one is hers.
    osei = [entry for entry in speakers if "Osei" in entry["speaker"]]
    assert osei and all(entry["kind"] == "named" for entry in osei), speakers
    her_quote = [index_of(text) for text in ("This scheme is a disgrace", "It is a cynical land grab",
                                             "The developers are greedy", "We will fight this shameful betrayal",
                                             "Nobody asked us, and nobody listened.")]
    assert set(her_quote) <= units_of(osei), (her_quote, osei)
    for index in her_quote:
        assert "Osei" in str(report.sentences[index].speaker), report.sentences[index]

    # Pronoun speakers ("She added:", "he said", "she said") take the kind of the named source they refer to.
    named_units = units_of(entry for entry in speakers if entry["kind"] == "named")
    for text in ("She added:", "They have spread lies about flooding", "No decision has been made"):
        assert index_of(text) in named_units, (text, speakers)

    # The council official who asked not to be named, and "the insider", are anonymous speakers.
    anonymous_units = units_of(entry for entry in speakers if entry["kind"] == "anonymous")
    for text in ("The leadership has completely lost its nerve.", "It is a shambles from top to bottom",
                 "the insider claimed"):
        assert index_of(text) in anonymous_units, (text, speakers)
    assert not anonymous_units & named_units, speakers


# --- the issue's attribution examples and cues -------------------------------------------------------------


@pytest.mark.parametrize("text, attribution", ISSUE_EXAMPLES, ids=[text[:40] for text, _ in ISSUE_EXAMPLES])
def test_issue_attribution_example(model, text, attribution):
    report = model.score(text)
    assert len(report.sentences) == 1, [s.text for s in report.sentences]
    unit = report.sentences[0]
    assert unit.labels["attribution"] == attribution, (text, unit.evidence.get("attribution"), unit.cues)


def _source_cue_terms(report) -> list[str]:
    return [cue["term"] for unit in report.sentences for cue in unit.cues
            if cue["type"] == "source" and cue["term"].strip().lower() in CUE_WORDS]


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_reporting_verbs_are_never_sources_in_articles(article_report, name):
    assert _source_cue_terms(article_report(name)) == []


def test_reporting_verbs_are_never_sources_in_issue_examples(model):
    for text, _ in ISSUE_EXAMPLES:
        assert _source_cue_terms(model.score(text)) == [], text
