"""HTML pages: self-contained, escaped, faithful to the article text, accessible, schema-driven.

Pages are rendered in process from real reports of the bundled (placeholder)
model: only structure is asserted, never a prediction.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing.report import _html
from framing.report._profile import build_profile, format_compare

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "labeled" / "articles").glob("*.txt"))
HOSTILE = ('<script>alert("x")</script> The corrupt regime\'s "plan" & <b>more</b> may fail, analysts say.\n'
           "<img src=x onerror=alert(1)> Rubio said talks would continue. ]]> --> <!-- \u202e\n")


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def seed_items(model):
    items = []
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        items.append((path.stem, text, {"id": path.stem, **model.score(text).to_dict()}))
    return items


class Visible(HTMLParser):
    """Collects the text of the article container, leaving the hidden score panels (.tip) out."""

    def __init__(self, container_id):
        super().__init__(convert_charrefs=True)
        self.container_id = container_id
        self.depth = 0  # element depth inside the container
        self.tip_depth = None
        self.text = []
        self.tags = []

    #: Void elements have no end tag: they do not nest.
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
            self.tags.append((tag, attrs))
            if "tip" in (attrs.get("class") or "").split() and self.tip_depth is None:
                self.tip_depth = self.depth
        elif attrs.get("id") == self.container_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            if self.tip_depth is not None and self.depth == self.tip_depth:
                self.tip_depth = None
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.tip_depth is None:
            self.text.append(data)


def visible_text(page, container="a0-text"):
    parser = Visible(container)
    parser.feed(page)
    return "".join(parser.text), parser.tags


def assert_self_contained(page):
    lowered = page.lower()
    for forbidden in ("<script", "<link", "<iframe", "<object", "<embed", "@import", "url(", "@font-face"):
        assert forbidden not in lowered, forbidden
    for attribute in re.findall(r'\s(?:src|href|srcset|action|xlink:href)\s*=\s*"([^"]*)"', page):
        assert not re.match(r"\s*(https?:|//|ftp:)", attribute), attribute
    assert "Content-Security-Policy" in page


def test_score_page_is_self_contained_and_faithful(model, seed_items):
    label, text, record = seed_items[0]
    page = _html.score_page([(label, text, record)])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert_self_contained(page)
    shown, tags = visible_text(page)
    assert shown == text  # every character of the article, once, in order
    spans = [attrs for tag, attrs in tags if "s" in (attrs.get("class") or "").split()]
    assert len(spans) == len(record["sentences"])
    ids = set(re.findall(r'id="([^"]+)"', page))
    for attrs in spans:
        assert attrs["tabindex"] == "0"
        assert attrs["aria-describedby"] in ids
    assert page.count('role="tooltip"') == len(spans)
    assert ".s:focus + .tip" in page and ".s:hover + .tip" in page


def test_highlights_follow_the_cues(seed_items):
    label, text, record = seed_items[0]
    page = _html.score_page([(label, text, record)])
    marks = re.findall(r'<mark class="cue cue-([a-z_]+)"[^>]*>(.*?)</mark>', page)
    assert marks
    kinds = {kind for kind, _ in marks}
    assert {"loaded", "hedge"} <= kinds  # the seed has both (lexicon cues, independent of the model's weights)
    cue_texts = {(c["type"], s["text"][c["start"]:c["end"]]) for s in record["sentences"] for c in s["cues"]}
    for kind, inner in marks:
        assert (kind, html.unescape(inner)) in cue_texts
    for kind in _html.CUE_STYLES:
        assert f"mark.cue-{kind}" in page  # a distinct colour per cue type
        assert f"sw cue-{kind}" in page  # and a legend entry


def test_hostile_text_is_escaped(model):
    record = model.score(HOSTILE).to_dict()
    page = _html.score_page([('<i>label</i> "quoted"', HOSTILE, record)], title="<title>&")
    assert_self_contained(page)
    assert "<img" not in page and "<b>more</b>" not in page and "<i>label</i>" not in page
    assert "&lt;script&gt;" in page and "&lt;i&gt;label&lt;/i&gt;" in page and "&lt;title&gt;&amp;" in page
    shown, _ = visible_text(page)
    assert shown == HOSTILE


def test_compare_page(seed_items):
    labels = [label for label, _, _ in seed_items]
    page = _html.compare_page(seed_items)
    assert_self_contained(page)
    assert page.count("<svg") == 1 + len(seed_items)
    for index, (_, text, _) in enumerate(seed_items):
        assert visible_text(page, f"a{index}-text")[0] == text
    for label in labels:
        assert label in page
    assert "top loaded terms" in page
    assert ("most slanted sentence" in page) != ("Not shown as findings" in page and "<b>slant</b>" in page)
    chart = _html.compare_chart_svg(labels, [r for _, _, r in seed_items])
    assert chart.startswith("<svg") and 'role="img"' in chart and "<desc>" in chart


def test_text_comparison_fits_the_width(seed_items):
    labels = [label for label, _, _ in seed_items]
    records = [record for _, _, record in seed_items]
    for width in (60, 100, 200):
        table = format_compare(labels, records, width=width)
        table_lines = table.split("\n\n")[0].splitlines()
        assert max(len(line) for line in table_lines) <= max(width, 60)
        for label in labels:
            assert label[:10] in table


def test_profile_page(seed_items):
    records = [dict(record, outlet=["A", "B", "A", "C", "A"][i]) for i, (_, _, record) in enumerate(seed_items)]
    profile = build_profile(records)
    page = _html.profile_page(profile)
    assert_self_contained(page)
    assert "<svg" in page
    for name in ("A", "B", "C"):
        assert f"{name} (n=" in page
    # The bundled model's slant is not reliable: no slant column, a note with the measurement instead.
    assert not profile.shown("slant") and "mean slant index" not in page
    assert "Not shown as findings" in page and "slant: not reliable (measured ROC AUC" in page
    # Measured reliable (no evaluation in the records), every column is there.
    full = _html.profile_page(build_profile([dict(r, reliability={}) for r in records]))
    assert "95% interval" in full and "mean slant index" in full and "Not shown as findings" not in full


def test_schema_driven_report_chart():
    record = {
        "tasks": ["biased", "tone"], "classes": {"biased": ["false", "true"], "tone": ["neg", "mid", "pos"]},
        "shares": {"biased": {"false": 0.7, "true": 0.3}, "tone": {"neg": 0.2, "mid": 0.5, "pos": 0.3}},
        "rates": {"biased": 0.3}, "slant_task": None, "slant_index": None, "n_sentences": 1, "sentences": [],
    }
    chart = _html.report_chart_svg(record)
    assert "biased rate" in chart and "tone" in chart and "slant" not in chart


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("ab <>&\"'\n.é\u2028“”\r") + ["regime", "may", "said", "\r\n", "Kyiv regime"]),
                max_size=30).map("".join))
def test_any_text_round_trips(model, text):
    record = model.score(text).to_dict()
    shown, _ = visible_text(_html.article_html(text, record))
    assert shown == text
