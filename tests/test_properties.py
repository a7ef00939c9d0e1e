"""Property tests (hypothesis): segmentation, tokenisation, probabilities and reports hold for any text.

About 10,000 generated examples in all (see ``EXAMPLES``), kept cheap: the
costly model calls get short texts and fewer examples. Properties:

* no exception for any ``str`` (including lone surrogates and control characters);
* ``text[unit.start:unit.end] == unit.text``, units non-empty, stripped,
  non-overlapping, in order, at most ``max_chars`` long; same input, same output;
* probabilities within [0, 1], summing to 1, identical for identical inputs
  and independent of the other sentences in the batch;
* reports: shares sum to 1, rates within [0, 1], slant index within [-1, 1],
  JSON-serialisable without NaN.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing.text import segment, token_spans, tokenize

EXAMPLES = {
    "segment_structured": 3000,
    "segment_raw": 2500,
    "segment_small_units": 1500,
    "tokens": 1200,
    "predict": 1000,
    "cues": 500,
    "score": 300,
}
assert sum(EXAMPLES.values()) >= 10_000


def _settings(name):
    return settings(max_examples=EXAMPLES[name], deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------- strategies

SEPARATORS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n", " ", "  ", "\t", "\x0b", "\x0c", "\x85", "\u00a0", "\u3000"]
PUNCTUATION = [".", ". ", "!", "?", "…", ":", ";", ",", "—", "-", '"', "'", "“", "”", "«", "»", "’", "(", ")", "[", "]",
               ".\"", ".”", "?)", "..."]
WORDS = ["Mr.", "Dr.", "U.S.", "e.g.", "regime", "Kyiv", "talks", "said", "reportedly", "may", "analysts", "sources",
         "Rubio", "Umerov", "Zelensky", "Putin", "the", "a", "corrupt", "19.3%", "10,000", "don't", "long-term",
         "<p>", "</b>", "&amp;", "http://x.org/a?b=c", "Киев", "режим", "قال", "שלום", "谈判", "🇺🇦", "👩‍👩‍👧", "🔥",
         "\u200b", "\u200d", "\ufeff", "\u202e", "\x00", "\x1b", "\x7f", "e\u0301", "ﬁ", "İ", "ß"]

structured_text = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PUNCTUATION),
        st.sampled_from(SEPARATORS),
        st.text(min_size=1, max_size=8),
    ),
    max_size=60,
).map("".join)

#: Any code point, lone surrogates included (text decoded with ``surrogateescape``).
raw_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)

short_sentence = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCTUATION), st.just(" "), st.text(max_size=6)),
    max_size=12,
).map("".join)


# ---------------------------------------------------------------------- segmentation


def check_segmentation(text, units, max_chars=framing.text.MAX_UNIT_CHARS):
    previous_end = 0
    for unit in units:
        assert text[unit.start:unit.end] == unit.text
        assert previous_end <= unit.start < unit.end <= len(text)
        assert unit.text and unit.text == unit.text.strip()
        assert unit.kind in ("sentence", "line")
        assert len(unit.text) <= max_chars
        previous_end = unit.end
    # Nothing but white space is left out.
    covered = set()
    for unit in units:
        covered.update(range(unit.start, unit.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@_settings("segment_structured")
@given(structured_text)
def test_segment_structured_text(text):
    units = segment(text)
    check_segmentation(text, units)
    assert segment(text) == units


@_settings("segment_raw")
@given(raw_text)
def test_segment_any_code_points(text):
    units = segment(text)
    check_segmentation(text, units)
    assert segment(text) == units


def _visible(pieces):
    return "".join(c for piece in pieces for c in piece if not c.isspace())


@_settings("segment_small_units")
@given(structured_text, st.integers(min_value=1, max_value=40))
def test_segment_with_small_max_chars(text, max_chars):
    units = segment(text, max_chars=max_chars)
    check_segmentation(text, units, max_chars=max_chars)
    # Splitting long units never changes which characters are covered.
    assert _visible(u.text for u in units) == _visible(u.text for u in segment(text))


@_settings("tokens")
@given(st.one_of(structured_text, raw_text))
def test_token_spans(text):
    spans = token_spans(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert not text[start:end].isspace()
        previous = end
    assert tokenize(text) == [text[s:e] for s, e in spans]
    assert "".join(tokenize(text)) == "".join(text.split())


# ---------------------------------------------------------------------- probabilities


@pytest.fixture(scope="module")
def model():
    return framing.load()


@_settings("predict")
@given(a=short_sentence, b=st.one_of(short_sentence, raw_text.map(lambda t: t[:40])))
def test_probabilities(model, a, b):
    batch = model.predict_all([a, b, a])
    for name, p in batch.items():
        assert p.shape == (3, len(model.heads[name].classes))
        assert np.all(np.isfinite(p)) and np.all(p >= 0.0) and np.all(p <= 1.0)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-9)
        assert np.array_equal(p[0], p[2])  # same input, same output
    task = model.tasks[len(b) % len(model.tasks)]
    alone = model.predict_proba([b], task)
    np.testing.assert_allclose(alone[0], batch[task][1], rtol=1e-12, atol=1e-15)  # rows are independent


@_settings("cues")
@given(short_sentence)
def test_cue_offsets(model, text):
    for cue in model.cues(text):
        assert 0 <= cue["start"] < cue["end"] <= len(text)
        assert text[cue["start"]:cue["end"]].strip() == text[cue["start"]:cue["end"]]
        assert cue["type"] in framing.report._report.CUE_TYPES.values()


# ---------------------------------------------------------------------- articles


article_text = st.lists(st.one_of(short_sentence, st.sampled_from(SEPARATORS), raw_text.map(lambda t: t[:30])),
                        max_size=6).map("".join)


@_settings("score")
@given(article_text)
def test_article_reports(model, text):
    report = model.score(text, evidence=2)
    check_segmentation(text, report.sentences)
    assert [(s.start, s.end, s.kind) for s in report.sentences] == [(u.start, u.end, u.kind) for u in segment(text)]
    for task in report.tasks:
        assert all(0.0 <= v <= 1.0 for v in report.shares[task].values())
        if report.n_sentences:
            assert math.isclose(sum(report.shares[task].values()), 1.0, abs_tol=1e-9)
    assert all(0.0 <= r <= 1.0 for r in report.rates.values())
    assert report.slant_index is None or -1.0 <= report.slant_index <= 1.0
    for sentence in report.sentences:
        for probabilities in sentence.probabilities.values():
            assert math.isclose(sum(probabilities.values()), 1.0, abs_tol=1e-9)
        for items in sentence.evidence.values():
            assert len(items) <= 2 and all(value > 0 for _, value in items)
    json.dumps(report.to_dict(), allow_nan=False)
