"""Frame sets in reports (issue 21, spec section 6), on hand-made reports.

No trained model is needed: each test builds the arrays a model would hand the report (a
:class:`~framing.report.ScoredArticle` whose binary tasks include one per frame) and checks what the
report, ``to_dict()``, the summary, ``compare``, ``profile`` and the HTML page make of them. The
sentences are invented for these tests.
"""

from __future__ import annotations

import json
import pickle
import re

import numpy as np
import pytest

from framing import FrameSet
from framing.report import ArticleReport, ScoredArticle, SentenceScore
from framing.report._frames import PRESENCE_METHOD, PRESENCE_METHODS, frame_presence, frame_shares
from framing.report._html import score_page
from framing.report._profile import build_profile, compare_json, compare_rows, format_compare, voice_lines
from framing.report._reliability import FINDING, assess
from framing.report._report import build_report
from framing.text import Unit

FRAMES = ("economic", "morality", "security")
TASKS = tuple(f"frame_{frame}" for frame in FRAMES)
POLICY = FrameSet("policy", FRAMES, TASKS, "invented frames for tests")

TEXTS = ["The council cut the budget for schools and raised the property tax.",
         "Critics called the cuts a betrayal of children & <families>.",
         "Police said the harbour station would stay open at night.",
         "Subscribe to our newsletter"]
#: P(frame) per unit, columns in FRAMES order; the last unit is boilerplate (left out of every number).
FRAME_P = [[0.9, 0.1, 0.35],
           [0.6, 0.8, 0.1],
           [0.2, 0.1, 0.7],
           [0.95, 0.95, 0.95]]
BOILERPLATE = [0.0, 0.1, 0.2, 0.9]


def make_article(texts=TEXTS, frame_p=FRAME_P, boilerplate=BOILERPLATE, loaded=0.3, *, frame_tasks=TASKS,
                 top_terms=None, top_sentences=None) -> tuple[list[Unit], ScoredArticle]:
    """Units and a :class:`ScoredArticle`: a binary ``loaded`` task and one binary task per frame."""
    units, start = [], 0
    for text in texts:
        units.append(Unit(start, start + len(text), text, "sentence"))
        start += len(text) + 1
    n = len(texts)
    frame_p = np.asarray(frame_p, dtype=float).reshape(n, len(frame_tasks))
    tasks = ("loaded", *frame_tasks)
    classes = {task: (False, True) for task in tasks}
    probabilities = {"loaded": np.tile([1 - loaded, loaded], (n, 1))}
    for column, task in enumerate(frame_tasks):
        probabilities[task] = np.column_stack([1 - frame_p[:, column], frame_p[:, column]])
    if top_sentences is None:
        # What the model keeps as evidence: the scored units of p >= 0.5, most probable first.
        content = [row for row in range(n) if boilerplate[row] < 0.5]
        top_sentences = {task: {1: [(row, float(frame_p[row, c]), []) for row in
                                    sorted(content, key=lambda r: -frame_p[r, c]) if frame_p[row, c] >= 0.5]}
                         for c, task in enumerate(frame_tasks)}
        top_sentences["loaded"] = {1: []}
    terms = {"loaded": {1: []}, **{task: {1: []} for task in frame_tasks}, **(top_terms or {})}
    article = ScoredArticle(
        tasks=tasks, classes=classes, probabilities=probabilities, boilerplate=np.asarray(boilerplate, dtype=float),
        cues=[[] for _ in range(n)], side_mentions=None, evidence_names=np.zeros(0, dtype=object),
        evidence_columns={t: np.full((n, 0), -1) for t in tasks}, evidence_values={t: np.zeros((n, 0)) for t in tasks},
        top_sentences=top_sentences, top_terms=terms)
    return units, article


def make_report(*, frame_sets=None, reliability=None, **kwargs) -> ArticleReport:
    units, article = make_article(**kwargs)
    return build_report(units, article, reliability=reliability or {},
                        frame_sets={"policy": POLICY} if frame_sets is None else frame_sets)


def unreliable(auc: float = 0.55) -> dict:
    return assess([{"protocol": "leave one source out: train on A, B; test on C", "roc_auc": auc, "macro_f1": 0.4,
                    "n": 80}])


TERMS = {"frame_economic": {1: [("word:budget", 1.3), ("word:tax", 0.7), ("char:bud", 0.5)]},
         "frame_security": {1: [("word:police", 0.9)]}}


# ---------------------------------------------------------------------- the arithmetic


def test_presence_methods_aggregate_each_frame_over_the_units():
    p = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.2]])
    assert frame_presence(p, "mean") == pytest.approx([0.6, 0.7 / 3])
    assert frame_presence(p, "max") == pytest.approx([0.9, 0.4])
    assert frame_presence(p, "top2_mean") == pytest.approx([0.75, 0.3])
    assert frame_presence(p, "noisy_or") == pytest.approx([1 - 0.1 * 0.4 * 0.7, 1 - 0.9 * 0.6 * 0.8])
    assert PRESENCE_METHOD == "top2_mean" and frame_presence(p) == pytest.approx(frame_presence(p, "top2_mean"))
    # One unit: its own value for every method; no unit: nothing present.
    for method in PRESENCE_METHODS:
        assert frame_presence(np.array([[0.42, 0.7]]), method) == pytest.approx([0.42, 0.7])
        assert frame_presence(np.zeros((0, 2)), method).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="unknown presence method 'vote'.*'top2_mean'"):
        frame_presence(p, "vote")
    with pytest.raises(ValueError, match=r"shape \(n_units, n_frames\)"):
        frame_presence(np.array([0.2, 0.4]))


def test_shares_divide_the_framing_among_the_frames():
    shares = frame_shares(np.array([[0.9, 0.1, 0.0], [0.3, 0.5, 0.2]]))
    assert shares == pytest.approx([1.2 / 2.0, 0.6 / 2.0, 0.2 / 2.0]) and shares.sum() == pytest.approx(1.0)
    assert frame_shares(np.zeros((2, 3))).tolist() == [0.0, 0.0, 0.0]  # nothing framed: no division by zero


def test_the_profile_reads_the_content_units_only_strongest_first():
    report = make_report(top_terms=TERMS)
    profile = report.frame_profile()
    # Units 0-2 count (the boilerplate unit 3, at 0.95 everywhere, does not): sums 1.7, 1.0, 1.15 of 3.85.
    assert [f["frame"] for f in profile] == ["economic", "security", "morality"]
    assert [f["task"] for f in profile] == ["frame_economic", "frame_security", "frame_morality"]
    assert [f["share"] for f in profile] == pytest.approx([1.7 / 3.85, 1.15 / 3.85, 1.0 / 3.85])
    assert [f["presence"] for f in profile] == pytest.approx([0.75, 0.525, 0.45])
    assert [f["present"] for f in profile] == [True, True, False]
    assert {f["status"] for f in profile} == {FINDING}
    assert report.frames_present() == ["economic", "security"] == report.frames_present("policy")
    economic = profile[0]
    assert economic["sentences"] == [{"index": 0, "text": TEXTS[0], "probability": 0.9},
                                     {"index": 1, "text": TEXTS[1], "probability": 0.6}]
    assert economic["terms"] == [["word:budget", 1.3], ["word:tax", 0.7], ["char:bud", 0.5]]
    assert profile[2]["sentences"][0]["index"] == 1 and profile[2]["terms"] == []
    # Computed once, on first read, and kept: to_dict() and the views read the same numbers.
    assert report.frame_profiles is report.frame_profiles
    assert report.to_dict()["frames"] == {"policy": {"method": PRESENCE_METHOD, "frames": profile,
                                                     "present": ["economic", "security"]}}


def test_ties_keep_the_sets_order_and_a_single_unit_is_its_own_presence():
    report = make_report(texts=TEXTS[:1], frame_p=[[0.4, 0.4, 0.2]], boilerplate=[0.0])
    profile = report.frame_profile()
    assert [f["frame"] for f in profile] == ["economic", "morality", "security"]
    assert [f["presence"] for f in profile] == pytest.approx([0.4, 0.4, 0.2])
    assert report.frames_present() == []


def test_a_hand_made_report_of_sentence_scores_gives_the_same_profile():
    built = make_report()
    units = list(built.sentences)
    hand_made = ArticleReport(units, built.tasks, built.classes, built.shares, built.rates, None, None,
                              built.top_sentences, built.top_terms, frame_sets={"policy": POLICY})
    assert all(isinstance(unit, SentenceScore) for unit in units)
    assert hand_made.frame_profile() == built.frame_profile()


# ---------------------------------------------------------------------- reliability, empty articles, no sets


def test_an_unreliable_frame_is_left_out_of_the_findings_but_kept_in_to_dict():
    report = make_report(reliability={"frame_security": unreliable(0.5349)}, top_terms=TERMS)
    profile = {f["frame"]: f for f in report.frame_profile()}
    assert profile["security"]["status"].startswith("not reliable (measured ROC AUC 0.535")
    assert profile["security"]["present"] is True  # the number stays, with its status
    assert report.frames_present() == ["economic"]
    record = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert record["frames"]["policy"]["present"] == ["economic"]
    assert {f["frame"] for f in record["frames"]["policy"]["frames"]} == set(FRAMES)
    assert record["status"]["frame_security"].startswith("not reliable")
    assert record["rates"]["frame_security"] == pytest.approx(1.15 / 3)  # still a task with its rate
    lines = report.summary().splitlines()
    assert "frames (policy): economic 0.44 present, morality 0.26" in lines
    assert "frames not reliable: security (ROC AUC 0.53)" in lines
    assert not any("security" in line for line in lines if not line.startswith("frames not reliable"))


def test_an_empty_article_has_zero_shares_and_no_frame_present():
    units, article = make_article(texts=[], frame_p=np.zeros((0, 3)), boilerplate=[])
    report = build_report(units, article, frame_sets={"policy": POLICY})
    assert [(f["share"], f["presence"], f["present"]) for f in report.frame_profile()] == [(0.0, 0.0, False)] * 3
    assert report.frames_present() == []
    assert "frames (policy): no scored sentence" in report.summary().splitlines()
    only_boilerplate = make_report(texts=TEXTS[3:], frame_p=[FRAME_P[3]], boilerplate=[0.9])
    assert [f["share"] for f in only_boilerplate.frame_profile()] == [0.0, 0.0, 0.0]
    assert only_boilerplate.frames_present() == []


def test_a_model_without_frame_sets_reports_as_before():
    plain = make_report(frame_sets={}, frame_tasks=(), frame_p=np.zeros((4, 0)), top_terms={})
    assert plain.to_dict()["frames"] == {} and plain.frame_profiles == {}
    with pytest.raises(ValueError, match="no frame sets"):
        plain.frame_profile()
    # The same binary tasks without a frame set are ordinary tasks, one rate line each.
    ungrouped = make_report(frame_sets={})
    assert "frame_economic rate 0.57" in ungrouped.summary().splitlines()
    assert not any(line.startswith("frames") for line in ungrouped.summary().splitlines())
    # With the set, every line but the frame lines is the plain model's, to the byte.
    framed = make_report()
    kept = [line for line in framed.summary().splitlines()
            if not line.startswith(("frames (", "frames not reliable", "top economic", "most economic",
                                    "top security", "most security"))]
    assert kept == plain.summary().splitlines()


def test_frame_set_names_and_tasks_are_checked():
    report = make_report(frame_sets={"policy": POLICY, "mini": FrameSet("mini", ("economic",), ("frame_economic",))})
    with pytest.raises(ValueError, match=r"several frame sets \(policy, mini\): name one"):
        report.frame_profile()
    assert [f["frame"] for f in report.frame_profile("mini")] == ["economic"]
    with pytest.raises(ValueError, match="unknown frame set 'generic': this report's frame sets are 'policy', 'mini'"):
        report.frames_present("generic")
    units, article = make_article()
    with pytest.raises(ValueError, match="names task 'frame_conflict', which the article's scores do not have"):
        build_report(units, article, frame_sets={"g": FrameSet("g", ("conflict",), ("frame_conflict",))})
    odd = article.__class__(**{**article.__dict__, "classes": {**article.classes, "frame_morality": ("a", "b")}})
    with pytest.raises(ValueError, match="'frame_morality', which is not binary"):
        build_report(units, odd, frame_sets={"policy": POLICY})
    # A sequence of sets is named by the sets' names.
    assert list(build_report(units, article, frame_sets=[POLICY]).frame_sets) == ["policy"]


def test_a_pickled_report_keeps_its_frame_profile():
    report = make_report(top_terms=TERMS)
    again = pickle.loads(pickle.dumps(report))
    assert again.frame_profile() == report.frame_profile() and again.frame_sets == {"policy": POLICY}


# ---------------------------------------------------------------------- summary


def test_the_summary_reads_the_frames_together_with_their_evidence():
    lines = make_report(top_terms=TERMS).summary().splitlines()
    assert "frames (policy): economic 0.44 present, security 0.30 present, morality 0.26" in lines
    assert not any(re.match(r"frame_\w+ rate", line) or "frame_" in line for line in lines)
    assert not any(line.startswith("frames not reliable") for line in lines)
    # The top present frames' evidence in words, and each one's top sentence.
    assert "top economic frame evidence: word 'budget'; word 'tax'" in lines
    assert f"most economic sentence (#0, p=0.90): {TEXTS[0]}" in lines
    assert "top security frame evidence: word 'Police'" in lines
    assert f"most security sentence (#2, p=0.70): {TEXTS[2]}" in lines
    assert not any(line.startswith(("top morality", "most morality")) for line in lines)  # not present
    # The author's voice line names loaded only: the frames are not 3 more rates.
    assert voice_lines(make_report())[0] == "author's own words: loaded rate 0.30"


def test_the_summary_lists_five_frames_at_most_present_ones_first():
    frames = tuple(f"f{i}" for i in range(7))
    tasks = tuple(f"frame_{f}" for f in frames)
    # f6 has the smallest share (1.5 of 12.42) but is present (two strong units); f0-f5 share more (1.92 down to
    # 1.72) and are not present (every unit below 0.5).
    p = [[0.48 - 0.01 * i for i in range(6)] + [strong] for strong in (0.9, 0.6, 0.0, 0.0)]
    report = make_report(frame_p=p, boilerplate=[0.0] * 4, frame_tasks=tasks,
                         frame_sets={"wide": FrameSet("wide", frames, tasks)})
    (line,) = [line for line in report.summary().splitlines() if line.startswith("frames (wide)")]
    assert line == "frames (wide): f6 0.12 present, f0 0.15, f1 0.15, f2 0.15, f3 0.14"


# ---------------------------------------------------------------------- compare and profile


def records():
    first = {"id": "a", **make_report(top_terms=TERMS, reliability={"frame_morality": unreliable()}).to_dict()}
    # The second article is about security alone.
    second_p = [[0.1, 0.2, 0.9], [0.1, 0.1, 0.8], [0.1, 0.1, 0.6], [0.0, 0.0, 0.0]]
    second = {"id": "b", **make_report(frame_p=second_p, reliability={"frame_morality": unreliable()}).to_dict()}
    return [first, second]


def test_compare_has_one_frames_row_and_one_not_reliable_line():
    first, second = records()
    rows = dict(compare_rows([first, second]))
    assert rows["frames (policy)"] == ["economic, security", "security"]
    assert not any(name.startswith(("frame_", "author frame_", "quoted frame_")) for name in rows)
    text = format_compare(["Daily A", "Daily B"], [first, second], width=100)
    assert "frames not reliable" not in text.split("Daily A\n")[0].replace("frames (policy) not reliable", "")
    assert "frames (policy) not reliable: morality (ROC AUC 0.55); not shown as findings" in text
    assert "frame_morality" not in text
    frames_line = next(line for line in text.splitlines() if line.startswith("frames (policy)  "))
    assert "economic," in frames_line and "security" in frames_line
    # The per-article lines give the shares of the reliable frames.
    assert "  frames (policy): economic 0.44 present, security 0.30 present" in text.splitlines()
    data = compare_json(["Daily A", "Daily B"], [first, second])
    assert data["articles"][1]["frames"]["policy"]["present"] == ["security"]
    assert data["articles"][0]["frames"] == first["frames"]


def test_a_compare_cell_says_why_it_names_no_frame():
    nothing_present = make_report(frame_p=[[0.3, 0.2, 0.1]] * 3 + [[0.9, 0.9, 0.9]]).to_dict()
    empty = make_report(texts=TEXTS[3:], frame_p=[FRAME_P[3]], boilerplate=[0.9]).to_dict()
    all_unreliable = make_report(reliability={task: unreliable() for task in TASKS}).to_dict()
    rows = dict(compare_rows([nothing_present, empty, all_unreliable]))
    assert rows["frames (policy)"] == ["none present", "n/a", "not reliable"]
    lines = make_report(reliability={task: unreliable() for task in TASKS}).summary().splitlines()
    assert "frames (policy): none reliable" in lines
    assert "frames not reliable: economic (ROC AUC 0.55), morality (ROC AUC 0.55), security (ROC AUC 0.55)" in lines


def test_a_long_list_of_frames_wraps_in_a_narrow_comparison():
    first, second = records()
    text = format_compare(["A", "B", "C", "D"], [first, second, first, second], width=60)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("frames (policy)"))
    assert "economic," in lines[at] and "security" in lines[at + 1] and "…" not in lines[at] + lines[at + 1]


def test_profile_aggregates_mean_share_and_presence_per_group():
    first, second = records()
    third = {**second, "id": "c"}
    profile = build_profile([{**first, "outlet": "Daily A"}, {**second, "outlet": "Daily A"},
                             {**third, "outlet": "Weekly B"}])
    assert profile.frame_sets == {"policy": list(zip(FRAMES, TASKS))}
    assert "frame_economic" not in profile.rate_tasks and profile.rate_tasks == ["loaded"]
    group = profile.groups["Daily A"]
    by_frame = {f["frame"]: f for f in second["frames"]["policy"]["frames"]}
    assert group.frame_shares["policy"]["economic"] == pytest.approx((1.7 / 3.85 + by_frame["economic"]["share"]) / 2)
    assert group.frame_present["policy"] == {"economic": 0.5, "security": 1.0, "morality": 0.0}
    table = profile.format_table()
    header, _, *rows = table.splitlines()
    assert "top frames (policy)" in header and "frame_" not in header
    assert "security" in rows[0] and "(100%)" in rows[0] and "morality" not in rows[0]
    assert "frames (policy) not reliable: morality (ROC AUC 0.55); not shown as findings" in table
    data = json.loads(json.dumps(profile.to_dict()))
    assert data["frames"]["policy"]["method"] == PRESENCE_METHOD
    assert [f["frame"] for f in data["frames"]["policy"]["frames"]] == list(FRAMES)
    assert data["groups"][0]["frames"]["policy"]["security"]["present_fraction"] == 1.0


# ---------------------------------------------------------------------- HTML


def test_the_score_page_has_a_frames_section_escaped_with_links():
    report = make_report(top_terms=TERMS, reliability={"frame_morality": unreliable()})
    text = " ".join(TEXTS)
    page = score_page([("Daily <A>", text, report.to_dict())])
    section = page[page.index('<div class="frames"'):page.index('<div class="article"')]
    assert "<h3>Frames (policy)</h3>" in section
    assert section.index(">economic<") < section.index(">security<")  # strongest first
    assert "morality" not in section.split("Not shown as findings")[0]  # unreliable: no bar, no number
    assert re.search(r'<p class="muted">Not shown as findings: morality \(not reliable \(measured ROC AUC 0\.550', section)
    assert '<a href="#a0-s0">#0</a>' in section and 'id="a0-s0"' in page
    assert "children &amp; &lt;families&gt;" in section and "<families>" not in page
    assert 'style="width: 44.2%"' in section and "<b>present</b>" in section
    # The reliability note names the unreliable frame once, under its set; no frame task has a chart bar.
    assert "frames (policy) not reliable: morality (ROC AUC 0.55)" in page
    assert "frame_economic rate" not in page and "<b>frame_morality</b>" not in page
    # A unit's score panel reads its frames as one row.
    assert re.search(r'frames \(policy\)</span><span>economic <span class="muted">p=0\.90</span></span>', page)


def test_a_set_of_unreliable_frames_has_only_its_note_on_the_page():
    record = make_report(reliability={task: unreliable() for task in TASKS}).to_dict()
    page = score_page([("x", " ".join(TEXTS), record)])
    section = page[page.index('<div class="frames"'):page.index('<div class="article"')]
    assert "<table" not in section and section.count("not reliable (measured ROC AUC 0.550") == 3
    assert "frames (policy)</span>" not in page  # no frames row in the units' score panels


def test_a_record_without_frame_sets_has_no_frames_section():
    plain = make_report(frame_sets={}, frame_tasks=(), frame_p=np.zeros((4, 0)), top_terms={})
    page = score_page([("x", " ".join(TEXTS), plain.to_dict())])
    assert 'class="frames"' not in page and "Frames (" not in page
