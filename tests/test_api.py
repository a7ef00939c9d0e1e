"""The public surface: exceptions, the schema's polar task, the scored-sentences boundary."""

from __future__ import annotations

import numpy as np
import pytest

import framing
from framing import FramingError, PolarSpec, Schema

TASKS = {"loaded": {"type": "binary", "classes": [False, True]},
         "lean": {"type": "multiclass", "classes": ["left", "center", "right"]}}


def test_unknown_task_message_is_not_repr_quoted(toy_model):
    with pytest.raises(framing.UnknownTaskError) as info:
        toy_model.predict(["x"], "slnt")
    assert str(info.value) == "unknown task 'slnt'; available: ['loaded', 'hedged', 'slant', 'frame']"
    assert isinstance(info.value, KeyError) and isinstance(info.value, FramingError)
    with pytest.raises(framing.UnknownTaskError, match=r"^unknown task 'tone'"):
        Schema.from_dict({"tasks": TASKS}).task("tone")


@pytest.mark.parametrize("name", ["CorpusError", "ModelFormatError", "ArticleConflictError", "UnknownTaskError"])
def test_every_library_error_is_a_framing_error(name):
    assert issubclass(getattr(framing, name), FramingError)


def test_load_refuses_a_missing_folder_with_a_framing_error():
    with pytest.raises(FramingError, match="model folder not found"):
        framing.load("no/such/model")


def test_schema_declares_its_polar_task():
    schema = Schema.from_dict({"tasks": TASKS, "polar": {"task": "lean", "negative": "left", "positive": "right"}})
    assert schema.polarity == PolarSpec("lean", "left", "right")
    assert Schema.from_dict(schema.to_dict()) == schema
    assert schema.restricted(["loaded"]).polarity is None
    # No polar and no task named "slant": no polar task at all.
    assert Schema.from_dict({"tasks": TASKS}).polarity is None


def test_old_schemas_keep_the_slant_task_as_polar():
    legacy = Schema.from_dict({"tasks": {"slant": {"type": "multiclass", "classes": ["a", "b", "c"]}}})
    assert legacy.polar is None and legacy.polarity == PolarSpec("slant", "a", "c")
    assert "polar" not in legacy.to_dict()


@pytest.mark.parametrize(("polar", "message"), [
    ({"task": "tone", "negative": "left", "positive": "right"}, "polar.task"),
    ({"task": "lean", "negative": "left", "positive": "up"}, "polar.positive"),
    ({"task": "lean", "negative": "left", "positive": "left"}, "poles must differ"),
    ({"task": "lean"}, "keys 'task', 'negative', 'positive'"),
])
def test_a_bad_polar_declaration_is_a_corpus_error(polar, message):
    with pytest.raises(framing.CorpusError, match=message):
        Schema.from_dict({"tasks": TASKS, "polar": polar})


def test_the_slant_index_follows_the_declared_poles(toy_corpus):
    data = framing.read_corpus(toy_corpus)
    reversed_poles = Schema.from_dict({**data.schema.to_dict(), "polar": {"task": "slant", "negative": "right",
                                                                         "positive": "left"}})
    model = framing.train(data, schema=reversed_poles, calibration=None)
    text = "The corrupt regime reportedly lied again.\nWestern warmongers armed the Nazi regime."
    report = model.score(text)
    p = np.array([[s.probabilities["slant"][c] for c in ("left", "center", "right")] for s in report.scored])
    assert report.slant_index == pytest.approx(float((p[:, 0] - p[:, 2]).mean()))
    assert "(-1 = right, +1 = left" in report.summary()
    assert report.to_dict()["polar"] == {"task": "slant", "negative": "right", "positive": "left"}


def test_scored_sentences_are_the_reports_input(toy_model):
    scored = toy_model.score_sentences(["The corrupt regime reportedly lied again.", "Talks began."])
    assert isinstance(scored, framing.ScoredSentences) and len(scored) == 2
    for task in scored.tasks:
        np.testing.assert_allclose(scored.probabilities[task],
                                   toy_model.predict_proba(scored.texts, task), atol=1e-12)
    assert any(cue["type"] == "loaded" for cue in scored.cues[0])
    assert scored.top_contributions("loaded", np.array([1, 1]), 3)[0][0][1] > 0
