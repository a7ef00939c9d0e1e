"""HTML layout fixes of issue #14: evidence cards fill the row; numeric headers align with their numbers."""

from __future__ import annotations

import re

import pytest

from framing.report import _html
from framing.report._profile import build_profile


@pytest.fixture(scope="module")
def items():
    import framing

    model = framing.load()
    texts = ["The corrupt regime reportedly rejected the plan, analysts say.", "The delegations met in Florida on Sunday."]
    return [(f"Outlet {i}", text, {"id": str(i), **model.score(text).to_dict()}) for i, text in enumerate(texts)]


def test_cards_share_the_row_instead_of_leaving_empty_tracks():
    rule = re.search(r"\.cards \{[^}]*\}", _html._CSS)
    assert rule, "no .cards rule"
    assert "auto-fit" in rule.group(0) and "auto-fill" not in rule.group(0)
    assert re.search(r"minmax\(min\(100%, 2\drem\)", rule.group(0))


def test_numeric_headers_are_right_aligned(items):
    page = _html.compare_page(items)
    assert re.search(r"table\.nums td\.n, table\.nums th\.n \{ text-align:right", page)
    head = re.search(r'<table class="nums wide"><thead><tr><th></th>(.*?)</tr></thead>', page).group(1)
    assert head.count('<th scope="col" class="n">') == len(items)
    profile_page = _html.profile_page(build_profile([dict(r, outlet=label) for label, _, r in items]))
    header = re.search(r'<table class="nums wide profile"><thead><tr>(.*?)</tr></thead>', profile_page).group(1)
    cells = re.findall(r"<th( class=\"n\")?>([^<]*)</th>", header)
    assert cells[0][0] == "" and cells[1][0] and "articles" in cells[1][1]
