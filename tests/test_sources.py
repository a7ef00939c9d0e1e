"""Source adapters: each source's sentences carry only the labels it has, with valid spans."""
from pathlib import Path

import pytest

from framing.datasets._sources import SOURCES, load_source, ukraine_news_labels

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def _root(name):
    return REPO / "labeled" if name == "seeds" else DATA


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_source_labels_only_its_tasks_with_spans_inside_the_text(name):
    if name != "seeds" and not DATA.is_dir():
        pytest.skip(f"external data not at {DATA}")
    info = SOURCES[name]
    labels = REPO / info.label_file if info.label_file is not None else None
    sentences = load_source(name, _root(name), labels)
    assert sentences
    for sentence in sentences[:5000]:
        assert sentence.text.strip()
        if info.tasks:
            assert set(sentence.labels) <= set(info.tasks)
        for span in sentence.spans:
            assert 0 <= span.start < span.end <= len(sentence.text)
            assert sentence.text[span.start:span.end] == span.text
        assert sentence.article, "every sentence has a group for grouped splits"


def test_unknown_source_lists_the_available_ones():
    with pytest.raises(KeyError, match="unknown source 'x'; available: \\['anno-lexical'"):
        load_source("x", DATA)


def test_ukraine_news_votes_become_labels_by_the_documented_rule():
    def sentence(pro_russia=(1, 1, 1), pro_west=(1, 1, 1), russia=(0, 0, 0), ukraine=(0, 0, 0)):
        return {"bias": {"judgements": {"pro-russia": list(pro_russia), "pro-west": list(pro_west)}},
                "framing": {"judgements": {"russia": list(russia), "ukraine": list(ukraine), "west": [0, 0, 0]}}}

    assert ukraine_news_labels(sentence())["slant"] == "neutral"
    assert ukraine_news_labels(sentence(pro_russia=(1, 2, 1)))["slant"] == "pro_russia"
    assert ukraine_news_labels(sentence(pro_west=(3, 1, 1)))["slant"] == "pro_ukraine"
    assert ukraine_news_labels(sentence(pro_russia=(2, 1, 1), pro_west=(2, 1, 1)))["slant"] == "neutral"
    labels = ukraine_news_labels(sentence(russia=(-2, 0, 0), ukraine=(1, 2, -1)))
    assert labels["stance_russia"] == "unfavourable" and labels["stance_ukraine"] == "neutral"
