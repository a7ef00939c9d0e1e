"""Actor stance, axis stance and the slant index from scored mentions (issue 20 items 3-5), on hand-made reports.

No trained model is needed: each test builds the arrays a model would hand the report (a
:class:`~framing.report.ScoredArticle` with a :class:`~framing.report.MentionTable`) and checks what the
report, its views and the command line make of them. The sentences are invented for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from framing.data import PolarSpec
from framing.report import ArticleReport, MentionTable, ScoredArticle
from framing.report._actors import (
    NO_POLE_NOTE,
    QUOTES_ONLY_NOTE,
    actor_names,
    mention_slant,
    spelling_spans,
    stance_naming_terms,
)
from framing.report._html import score_page
from framing.report._profile import article_metrics, format_compare
from framing.report._reliability import DOES_NOT_APPLY, FINDING, assess, finding_status
from framing.report._report import build_report
from framing.text import Unit

REPO = Path(__file__).resolve().parents[1]
US_AXIS = REPO / "labeled" / "axis_us_parties.json"

AXIS = {
    "name": "atlantis_borduria",
    "poles": {"negative": {"label": "Atlantis", "actors": ["Atlantis"]},
              "positive": {"label": "Borduria", "actors": ["Borduria"]}},
    "third_parties": {"carpania": {"label": "Carpania", "actors": ["Carpania"]}},
    "naming": [{"term": "regime (Borduria regime)", "leans": "pro_atlantis", "sets_stance": True},
               {"term": "Bordville", "leans": "pro_atlantis", "sets_stance": False}],
}

UNFAVOURABLE, NEUTRAL, FAVOURABLE = [0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]


def _find(texts: list[str], row: int, word: str, nth: int = 0) -> tuple[int, int]:
    """Article offsets of the ``nth`` occurrence of ``word`` in unit ``row`` (units joined by one space)."""
    offset = sum(len(t) + 1 for t in texts[:row])
    start = -1
    for _ in range(nth + 1):
        start = texts[row].index(word, start + 1)
    return offset + start, offset + start + len(word)


def make_report(texts, mentions, *, axis=AXIS, reliability=None, boilerplate=None, actors=None,
                axis_measured=True, side_mentions=None, slant_probabilities=None) -> ArticleReport:
    """A report built by :func:`build_report` from ``texts`` (units) and ``mentions``:
    ``[(row, word, probabilities, quoted, side, naming), ...]`` (``word`` may be ``(word, nth)``)."""
    units, start = [], 0
    for text in texts:
        units.append(Unit(start, start + len(text), text, "sentence"))
        start += len(text) + 1
    n = len(texts)
    rows = []
    for row, word, _probabilities, quoted, side, naming in mentions or ():
        word, nth = word if isinstance(word, tuple) else (word, 0)
        a, b = _find(texts, row, word, nth)
        rows.append((row, a, b, word, quoted, side, naming))
    table = None if mentions is None else MentionTable.from_rows(rows, [m[2] for m in mentions])
    tasks = ("loaded", "slant")
    classes = {"loaded": (False, True), "slant": ("pro_atlantis", "neutral", "pro_borduria")}
    slant = np.tile([0.2, 0.6, 0.2], (n, 1)) if slant_probabilities is None else np.asarray(slant_probabilities)
    article = ScoredArticle(
        tasks=tasks, classes=classes,
        probabilities={"loaded": np.tile([0.7, 0.3], (n, 1)), "slant": slant},
        boilerplate=np.zeros(n) if boilerplate is None else np.asarray(boilerplate, dtype=float),
        cues=[[] for _ in range(n)], side_mentions=side_mentions, evidence_names=np.zeros(0, dtype=object),
        evidence_columns={t: np.full((n, 0), -1) for t in tasks}, evidence_values={t: np.zeros((n, 0)) for t in tasks},
        top_sentences={"loaded": {1: []}, "slant": {0: [], 1: [], 2: []}},
        top_terms={"loaded": {1: []}, "slant": {0: [], 1: [], 2: []}},
        mentions=table, axis=axis if table is not None else None, axis_measured=axis_measured)
    return build_report(units, article, polar=PolarSpec("slant", "pro_atlantis", "pro_borduria"),
                        reliability=reliability or {}, actors=actors)


def unreliable(protocol: str) -> dict:
    return assess([{"protocol": protocol, "roc_auc": 0.55, "macro_f1": 0.4, "n": 50}])


def reliable(protocol: str) -> dict:
    return assess([{"protocol": protocol, "roc_auc": 0.8, "macro_f1": 0.7, "n": 50}])


# ---------------------------------------------------------------------- matching spellings


def test_spellings_match_case_insensitive_whole_words_with_possessives_and_overlaps_once():
    text = "Donald Trump met aides. TRUMP's plan and trump, not Trumpism nor trumpets; Donald  Trump left."
    spans = spelling_spans(text, ["Trump", "Donald Trump"])
    assert [text[a:b] for a, b in spans] == ["Donald Trump", "TRUMP", "trump", "Donald  Trump"]
    assert spelling_spans("Trumpism grew.", "Trump") == []


def test_actor_names_cleans_spellings_and_refuses_none():
    assert actor_names("  Kremlin ") == ["Kremlin"]
    assert actor_names(["Donald  Trump", "", "Trump"]) == ["Donald Trump", "Trump"]
    for empty in ([], "", ["  "]):
        with pytest.raises(ValueError, match="at least one spelling"):
            actor_names(empty)
    with pytest.raises(TypeError):
        actor_names([3])


# ---------------------------------------------------------------------- the mention table


def test_mention_table_builds_from_lists_and_rows_and_checks_its_columns():
    table = MentionTable.from_lists([0, 1], [0, 10], [4, 14], ["Ruri", "Ruri"])
    assert len(table) == 2 and table.quoted.tolist() == [False, False] and table.probabilities.shape == (2, 3)
    assert table.side.dtype == object and table.naming.tolist() == ["", ""]
    assert len(MentionTable.empty()) == 0 and MentionTable.empty().probabilities.shape == (0, 3)
    assert len(MentionTable.from_rows([], np.zeros((0, 3)))) == 0
    both = MentionTable.concatenate([table, MentionTable.from_rows([(2, 20, 24, "Ruri", True, "x", "")], [FAVOURABLE])])
    assert both.row.tolist() == [0, 1, 2] and both.quoted.tolist() == [False, False, True]
    with pytest.raises(ValueError, match="'end' has 1 entries"):
        MentionTable([0, 1], [0, 1], [1], ["a", "b"], [False] * 2, [""] * 2, [""] * 2, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="shape"):
        MentionTable.from_lists([0], [0], [1], ["a"], probabilities=[[0.5, 0.5]])


# ---------------------------------------------------------------------- actor stance

TEXTS = ["Donald Trump attacked the plan.", "Trump's allies praised Borduria.",
         'Officials said "Trump lied to everyone."', "Markets closed early."]


def trump_report(**kwargs) -> ArticleReport:
    mentions = [(0, "Donald Trump", UNFAVOURABLE, False, "", ""),
                (1, "Trump", NEUTRAL, False, "", ""),
                (1, "Borduria", FAVOURABLE, False, "positive", ""),
                (2, "Trump", UNFAVOURABLE, True, "", "")]
    return make_report(TEXTS, mentions, **kwargs)


def test_actor_stance_over_the_authors_words_and_quotes_apart():
    stance = trump_report().actor_stance(["Donald Trump", "Trump"])
    assert stance["mentions"] == 2
    assert stance["score"] == pytest.approx(np.mean([0.05 - 0.8, 0.1 - 0.1]))
    assert stance["unfavourable"] == pytest.approx((0.8 + 0.1) / 2)
    assert sum(stance[c] for c in ("unfavourable", "neutral", "favourable")) == pytest.approx(1.0)
    low, high = stance["interval"]
    assert low <= stance["score"] <= high
    quoted = stance["quoted"]
    assert quoted["mentions"] == 1 and quoted["score"] == pytest.approx(-0.75) and quoted["interval"] is None
    # The same article gives the same interval (fixed seed).
    assert trump_report().actor_stance("Trump")["interval"] == stance["interval"]


def test_a_spelling_inside_a_scored_longer_mention_counts_that_mention_once():
    # "Trump" alone overlaps the scored "Donald Trump": the same mentions as with both spellings.
    assert trump_report().actor_stance("Trump") == trump_report().actor_stance(["Trump", "Donald Trump", "trump"])


def test_an_actor_not_mentioned_gives_zero_mentions_and_no_numbers():
    stance = trump_report().actor_stance("Ruritania")
    assert stance["mentions"] == 0 and stance["score"] is None and stance["interval"] is None
    assert stance["favourable"] is None and stance["quoted"]["mentions"] == 0


def test_a_spelling_that_was_not_scored_says_how_to_ask_for_it():
    with pytest.raises(ValueError, match=r"'plan'.*actors=.*--actor"):
        trump_report().actor_stance("plan")
    with pytest.raises(ValueError, match="at least one spelling"):
        trump_report().actor_stance([])


def test_boilerplate_units_are_left_out_of_actor_stance():
    report = trump_report(boilerplate=[0.0, 0.9, 0.0, 0.0])
    assert report.actor_stance("Trump")["mentions"] == 1
    assert report.actor_stance("allies")["mentions"] == 0  # only in boilerplate: not looked at, no error


def test_a_report_without_mentions_keeps_the_sentence_slant_and_refuses_actor_stance():
    report = make_report(["Atlantis blamed Borduria.", "Rain fell."], None, side_mentions=np.array([2.0, 0.0]),
                         slant_probabilities=[[0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
    assert report.slant_index == pytest.approx(0.6)  # the sentence that mentions a side, as before
    assert not report.slant_from_mentions and report.axis_stance == {}
    with pytest.raises(ValueError, match="no target-stance component"):
        report.actor_stance("Atlantis")
    record = report.to_dict()
    assert record["slant_from"] == "sentences" and record["actors"] == [] and record["axis_stance"] == {}


# ---------------------------------------------------------------------- axis stance and slant


def test_axis_stance_covers_both_poles_and_every_third_party():
    report = make_report(["Atlantis shelled towns near Borduria.", "Carpania sent aid."],
                         [(0, "Atlantis", UNFAVOURABLE, False, "negative", ""),
                          (0, "Borduria", NEUTRAL, False, "positive", ""),
                          (1, "Carpania", FAVOURABLE, False, "carpania", "")])
    stance = report.axis_stance
    assert list(stance) == ["negative", "positive", "carpania"]
    assert [s["label"] for s in stance.values()] == ["Atlantis", "Borduria", "Carpania"]
    assert stance["negative"]["score"] == pytest.approx(-0.75) and stance["carpania"]["mentions"] == 1
    # slant = (stance(positive) - stance(negative)) / 2; the third party plays no part.
    assert report.slant_index == pytest.approx((0.0 - (-0.75)) / 2)
    assert report.slant_from_mentions and report.slant_note is None


def test_unfavourable_wording_toward_the_negative_pole_leans_positive():
    # The shape of issue 20's first example: the author's words are unfavourable to one pole's actor.
    report = make_report(["Atlantean occupiers shelled homes, killing five civilians."],
                         [(0, "Atlantean", UNFAVOURABLE, False, "negative", "")])
    assert report.slant_index > 0
    assert mention_slant(report.mentions, AXIS, np.array([0])) == (report.slant_index, None, None)
    assert report.slant_interval is None  # one mention: no interval


def test_a_third_party_alone_never_starts_the_axis():
    report = make_report(["Carpania raised its minimum wage on Monday."],
                         [(0, "Carpania", UNFAVOURABLE, False, "carpania", "")])
    assert report.slant_index is None and report.slant_note == NO_POLE_NOTE
    assert report.slant_status() == DOES_NOT_APPLY == finding_status(report.to_dict(), "slant")
    assert "slant index: does not apply" in report.summary()


def test_poles_named_only_in_quotes_do_not_start_the_axis_for_the_author():
    report = make_report(['Crowds chanted "Atlantis out".'], [(0, "Atlantis", UNFAVOURABLE, True, "negative", "")])
    assert report.slant_index is None and report.slant_note == QUOTES_ONLY_NOTE
    assert report.axis_stance["negative"]["quoted"]["mentions"] == 1


def test_stance_setting_naming_variants_count_as_favourable_evidence_for_their_side():
    texts = ["The Borduria regime stalled talks.", "Bordville was calm.", 'Protesters shouted "Borduria regime".']
    mentions = [(0, "Borduria regime", NEUTRAL, False, "", "pro_atlantis"),  # sets a stance: counts
                (1, "Bordville", NEUTRAL, False, "", "pro_atlantis"),  # leans, but sets no stance
                (2, "Borduria regime", NEUTRAL, True, "", "pro_atlantis")]  # quoted: not the author's
    report = make_report(texts, mentions)
    negative = report.axis_stance["negative"]
    assert negative["naming_evidence"] == 1 and negative["mentions"] == 1 and negative["favourable"] == 1.0
    assert report.slant_index == pytest.approx(-0.5)  # favourable to the negative pole, the other not mentioned
    assert sorted(stance_naming_terms(AXIS)["pro_atlantis"]) == ["borduria regime", "regime"]


def test_the_slant_interval_is_seeded_and_brackets_the_index():
    texts = ["Atlantis lied.", "Atlantis attacked.", "Borduria helped.", "Borduria waited."]
    mentions = [(0, "Atlantis", UNFAVOURABLE, False, "negative", ""), (1, "Atlantis", NEUTRAL, False, "negative", ""),
                (2, "Borduria", FAVOURABLE, False, "positive", ""), (3, "Borduria", NEUTRAL, False, "positive", "")]
    first, second = make_report(texts, mentions), make_report(texts, mentions)
    assert first.slant_interval == second.slant_interval is not None
    assert -1 <= first.slant_interval[0] <= first.slant_index <= first.slant_interval[1] <= 1


# ---------------------------------------------------------------------- reliability, summary, to_dict


def test_findings_follow_the_target_stance_and_slant_measurements():
    asked = [["Donald Trump", "Trump"]]
    shown = trump_report(actors=asked, reliability={"target_stance": reliable("NewsMTSC devtest"),
                                                    "slant": reliable("leave one source out")})
    lines = shown.summary().splitlines()
    assert any(line.startswith("actor Donald Trump (also Trump), author's words: 2 mentions, score -0.38") for line in lines)
    assert any(line.startswith("actor Donald Trump (also Trump), quotes: 1 mention, score -0.75") for line in lines)
    assert any(line.startswith("stance toward Borduria, author's words: 1 mention, score +0.75") for line in lines)
    assert any(line.startswith("slant index +0.38  (-1 = Atlantis, +1 = Borduria") for line in lines)

    hidden = trump_report(actors=asked, reliability={"target_stance": unreliable("NewsMTSC devtest"),
                                                     "slant": unreliable("leave one source out")})
    summary = hidden.summary()
    assert "actor Donald Trump (also Trump): not reliable (measured ROC AUC 0.550, NewsMTSC devtest); 2 mentions" in summary
    assert "slant index: not reliable" in summary and "score -0.38" not in summary
    assert "axis stance (Atlantis, Borduria, Carpania): not reliable" in summary


def test_an_axis_passed_at_scoring_is_judged_by_the_target_stance_measurement():
    report = trump_report(axis_measured=False, reliability={"target_stance": reliable("NewsMTSC devtest"),
                                                            "slant": unreliable("leave one source out")})
    assert report.slant_status() == FINDING
    assert "no measurement of its own" in report.slant_reliability["note"]
    assert "note: the axis 'atlantis_borduria' has no measurement of its own" in report.summary()
    measured = trump_report(reliability={"target_stance": reliable("NewsMTSC devtest"),
                                         "slant": unreliable("leave one source out")})
    assert measured.slant_status().startswith("not reliable")


def test_to_dict_carries_the_actors_and_the_axis_stance_as_json():
    report = trump_report(actors=[["Donald Trump", "Trump"], ["Ruritania"]],
                          reliability={"target_stance": reliable("NewsMTSC devtest")})
    record = json.loads(json.dumps(report.to_dict()))
    first, second = record["actors"]
    assert first["names"] == ["Donald Trump", "Trump"] and first["mentions"] == 2 and first["status"] == FINDING
    assert isinstance(first["interval"], list) and first["quoted"]["mentions"] == 1
    assert second["mentions"] == 0 and second["score"] is None
    assert record["axis_stance"]["positive"]["label"] == "Borduria" and record["axis"] == "atlantis_borduria"
    assert record["slant_from"] == "mentions" and record["slant_labels"] == ["Atlantis", "Borduria"]
    assert record["n_mentions"] == 4 and record["axis_stance_status"] == FINDING


def test_an_empty_article_keeps_the_asked_actors():
    report = make_report([], [], actors=[["Trump"]])
    assert report.to_dict()["actors"][0]["mentions"] == 0 and report.slant_index is None


# ---------------------------------------------------------------------- views


def test_the_html_page_shows_the_stance_block_only_with_mentions():
    record = trump_report(actors=[["Trump"]]).to_dict()
    page = score_page([("a", " ".join(TEXTS), record)])
    assert 'aria-label="Stance toward actors"' in page and "Borduria (axis side)" in page and "+0.75" in page
    plain = make_report(["Rain fell."], None).to_dict()
    assert 'aria-label="Stance toward actors"' not in score_page([("b", "Rain fell.", plain)])
    hidden = trump_report(actors=[["Trump"]], reliability={"target_stance": unreliable("x"), "slant": unreliable("y")})
    page = score_page([("c", " ".join(TEXTS), hidden.to_dict())])
    assert "axis stance: not reliable" in page and "Trump: not reliable" in page


def test_compare_names_the_axis_poles_of_a_slant_from_mentions():
    record = trump_report().to_dict()
    assert article_metrics(record)["slant_labels"] == ("Atlantis", "Borduria")
    text = format_compare(["a"], [record])
    assert "slant index: (stance toward Borduria - stance toward Atlantis) / 2" in text


# ---------------------------------------------------------------------- the US parties axis


def test_the_us_parties_axis_is_a_valid_example_axis_without_labels():
    document = json.loads(US_AXIS.read_text(encoding="utf-8"))
    assert document["poles"]["negative"]["label"] == "Democrats" and document["poles"]["positive"]["label"] == "Republicans"
    assert "no labels of its own" in document["description"]
    assert all(entry.get("provenance") for entry in document["naming"])
    assert "democrat party" in stance_naming_terms(document)["pro_republicans"]
    stance = pytest.importorskip("framing.features._stance")
    axis = stance.Axis(stance.load_axis(US_AXIS))
    terms = {term for side in axis.sides.values() for term in side["terms"]}
    # Party names are written "the ... Party" so that no bare "party" or "committee" becomes an actor term.
    assert not terms & {"party", "committee", "democratic", "republican"}
    assert stance.axis_mentions(document, "The GOP met; Democrats replied; Boris Johnson spoke.") == {
        "negative": 1, "positive": 1, "other_parties": 0}


# ---------------------------------------------------------------------- command line


class StubModel:
    """What ``framing score`` needs of a model: ``score(text, **options)`` (records the options)."""

    def __init__(self, report: ArticleReport):
        self.report, self.calls = report, []

    def score(self, text, **options):
        self.calls.append(options)
        return self.report


@pytest.fixture
def stub(monkeypatch):
    score_cli = pytest.importorskip("framing.cli._score")
    model = StubModel(trump_report(actors=[["Donald Trump", "Trump"]],
                                   reliability={"target_stance": reliable("NewsMTSC devtest")}))
    monkeypatch.setattr(score_cli, "load_model", lambda path: model)
    return model


def test_the_cli_parses_repeated_actors_with_spellings_and_an_axis(tmp_path, stub, capsys):
    from framing.cli._main import build_parser, main
    from framing.cli._score import actor_groups

    args = build_parser().parse_args(["score", "a.txt", "--actor", "Donald Trump|Trump", "--actor", "Kremlin",
                                      "--axis", str(US_AXIS)])
    assert actor_groups(args.actor) == [["Donald Trump", "Trump"], ["Kremlin"]] and args.axis == str(US_AXIS)
    article = tmp_path / "a.txt"
    article.write_text(" ".join(TEXTS), encoding="utf-8")
    assert main(["score", str(article), "--actor", "Donald Trump|Trump", "--axis", str(US_AXIS)]) == 0
    out = capsys.readouterr().out
    assert stub.calls[-1]["actors"] == [["Donald Trump", "Trump"]]
    assert stub.calls[-1]["axis"]["name"] == "us_parties"
    assert "actor Donald Trump (also Trump), author's words: 2 mentions" in out
    assert "actor Donald Trump (also Trump), quotes: 1 mention" in out
    assert main(["score", str(article), "--json", "--actor", "Trump"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["actors"][0]["names"] == ["Donald Trump", "Trump"] and record["actors"][0]["mentions"] == 2


def test_the_cli_refuses_actor_options_it_cannot_serve(tmp_path, stub, capsys):
    from framing.cli._main import main

    article = tmp_path / "a.txt"
    article.write_text("Rain fell.", encoding="utf-8")
    assert main(["score", str(article), "--actor", " | "]) == 2
    assert "--actor needs a name" in capsys.readouterr().err
    assert main(["score", "--input", str(article), "--actor", "Trump"]) == 2
    assert "work with article FILEs" in capsys.readouterr().err
    missing = tmp_path / "missing.json"
    assert main(["score", str(article), "--axis", str(missing)]) == 3
    assert "axis file not found" in capsys.readouterr().err
    assert stub.calls == []
