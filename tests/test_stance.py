"""Slant axes as data and the stance features built on them."""
import numpy as np
import pytest
from sklearn.base import clone

import framing
from framing.features._stance import AxisError, StanceFeatures, axis_mentions, load_axis

AXIS = {"name": "toy", "poles": {"negative": {"label": "Atlantis", "actors": ["Atlantis", "King Olaf (Olav)"]},
                                 "positive": {"label": "Borduria", "actors": ["Borduria", "US"]}},
        "naming": [{"term": "junta", "leans": "pro_atlantis"}, {"term": "liberated", "leans": "pro_atlantis"},
                   {"term": "liberated", "leans": "pro_borduria"}, {"term": "so-called", "leans": "depends on owner"}]}


def _row(features, text):
    names = list(features.get_feature_names_out())
    row = features.transform([text]).toarray()[0]
    return {names[i]: row[i] for i in np.flatnonzero(row)}


def test_nothing_in_the_features_names_a_side_the_axis_file_does():
    features = StanceFeatures(axis=AXIS).fit(["x"])
    names = " ".join(features.get_feature_names_out())
    assert "russia" not in names.lower() and "ukraine" not in names.lower()
    assert "stance:negative:blame_agent" in names and "stance:naming:pro_atlantis" in names


def test_blame_and_credit_follow_agent_and_target():
    features = StanceFeatures(axis=AXIS).fit(["x"])
    row = _row(features, "Atlantis attacked Borduria.")
    assert row["stance:negative:blame_agent"] == 1 and row["stance:positive:blame_target"] == 1
    row = _row(features, "Olav praised the plan.")
    assert row["stance:negative:credit_agent"] == 1, "a surname alone is the actor"


def test_acronym_actors_match_case_sensitively_and_ambiguous_naming_is_dropped():
    features = StanceFeatures(axis=AXIS).fit(["x"])
    assert _row(features, "He told us the plan.") == {}
    assert _row(features, "The US said no.")["stance:positive:mention"] == 1
    assert not any("naming" in name for name in _row(features, "Towns were liberated."))


def test_contract_clone_params_and_bad_window():
    features = StanceFeatures(axis=AXIS, window=3)
    assert clone(features).get_params() == features.get_params()
    assert features.fit(["x"]) is features
    with pytest.raises(ValueError, match="window must be an int >= 1, got -2"):
        StanceFeatures(axis=AXIS, window=-2).fit(["x"])
    assert StanceFeatures(axis=None).fit(["x"]).transform(["Atlantis"]).shape == (1, 0)


def test_axis_mentions_and_missing_axis_file(tmp_path):
    assert axis_mentions(AXIS, "Bus drivers went on strike.") == {"negative": 0, "positive": 0}
    with pytest.raises(AxisError, match="axis file not found"):
        load_axis(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text('{"name": "x"}', encoding="utf-8")
    with pytest.raises(AxisError, match="missing or malformed field 'poles'"):
        load_axis(tmp_path / "bad.json")


def test_the_bundled_model_gives_no_slant_number_when_no_actor_of_the_axis_is_mentioned():
    model = framing.load()
    report = model.score("Bus drivers in Leeds went on strike on Monday. The council said talks would resume. "
                         "Commuters faced long delays.")
    assert report.slant_index is None
    assert report.slant_note and "does not apply" in report.slant_note
    assert "most pro_" not in report.summary()
    # Actors of both sides are named: the axis applies, so there is a number (whether or not it is reliable).
    report = model.score("The Kremlin accused Kyiv of sabotaging the talks. Zelensky rejected the claim.")
    assert report.slant_note is None
    assert report.slant_index is not None and -1.0 <= report.slant_index <= 1.0
    low, high = report.slant_interval
    assert low <= report.slant_index <= high
    summary = report.summary()
    assert "does not apply" not in summary
    # An unreliable slant is shown as such, never as a bare number (and a reliable one as its number).
    assert ("slant index: not reliable" in summary) == (not report.is_reliable("slant"))
