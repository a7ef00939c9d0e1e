"""framing.FramingClassifier: the scikit-learn contract, shared frozen features, and Model.from_classifiers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags

import framing
from framing import FramingClassifier, LabeledSentence, Schema
from framing.features import make_features

ROWS = [
    ("The corrupt regime reportedly lied again.", True, "a1"),
    ("Officials met to discuss aid.", False, "a1"),
    ("The puppet regime may attack the city, analysts say.", True, "a2"),
    ("Talks began on Monday in Geneva.", False, "a2"),
    ("Brutal invaders reportedly shelled the town.", True, "a3"),
    ("Prices rose by 3 percent in October.", False, "a3"),
    ("Western warmongers armed the Nazi regime.", True, "a4"),
    ("Zelensky said the plan was a good start.", False, "a4"),
    ("The brutal regime possibly lied about the talks.", True, "a5"),
    ("Ministers agreed on a trade deal.", False, "a5"),
    ("The criminal junta bombed the villages.", True, "a6"),
    ("Delegates met in Florida on Sunday.", False, "a6"),
]
TEXTS = [row[0] for row in ROWS]
Y = [row[1] for row in ROWS]
GROUPS = [row[2] for row in ROWS]
FAST = {"calibration": None, "block_selection": False}


def test_fit_returns_self_and_learns_the_classes():
    clf = FramingClassifier(**FAST)
    assert clf.fit(TEXTS, Y) is clf
    assert clf.classes_.tolist() == [False, True]
    assert type(clf.predict(["x"])[0].item()) is bool
    p = clf.predict_proba(TEXTS)
    assert p.shape == (len(TEXTS), 2)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert clf.predict(["The corrupt regime lied."]).tolist() == [True]
    decision = clf.decision_function(TEXTS)
    assert decision.shape == (len(TEXTS),)
    np.testing.assert_array_equal(decision > 0, p[:, 1] > 0.5)
    assert len(clf.get_feature_names_out()) == clf.coef_.shape[1]


def test_get_params_set_params_round_trip_and_clone():
    clf = FramingClassifier(C=0.3, char_min_df=1, harvest=False, classes=(False, True))
    params = clf.get_params()
    assert params["C"] == 0.3 and params["classes"] == (False, True) and params["features"] is None
    again = FramingClassifier().set_params(**params)
    assert again.get_params() == params
    cloned = clone(clf)
    assert cloned is not clf and cloned.get_params() == params
    assert not hasattr(cloned, "coef_")


def test_tags_declare_string_input():
    tags = get_tags(FramingClassifier())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    tags = get_tags(framing.features.WordNgrams())
    assert tags.input_tags.string and not tags.input_tags.two_d_array


@pytest.mark.parametrize(("params", "message"), [
    ({"C": -1.0}, r"'C' parameter of FramingClassifier must be a float in the range \(0.0, inf\). Got -1.0"),
    ({"calibration": "platt"}, r"'calibration' parameter .* must be a str among \{'temperature'\} or None. Got 'platt'"),
    ({"calibration_folds": 1}, r"'calibration_folds' parameter .* range \[2, inf\). Got 1"),
    ({"char_min_df": 0}, r"'char_min_df' parameter .* range \[1, inf\). Got 0"),
    ({"word_ngram_range": (2, 1)}, r"word_ngram_range must be a pair \(low, high\).*got \(2, 1\)"),
    ({"features": "union"}, r"'features' parameter .* Got 'union'"),
    ({"cv": 1}, r"'cv' parameter of FramingClassifier must be an int in the range \[2, inf\), an object .* Got 1"),
])
def test_invalid_parameters_raise_naming_the_value(params, message):
    with pytest.raises(ValueError, match=message):
        FramingClassifier(**params).fit(TEXTS, Y)


def test_labels_must_match_the_declared_classes_by_type():
    with pytest.raises(ValueError, match=r"labels \[1\] are not among the classes \[False, True\]"):
        FramingClassifier(classes=(False, True), **FAST).fit(TEXTS[:3], [True, 1, False])


def test_absent_declared_class_gets_no_probability():
    clf = FramingClassifier(classes=("left", "center", "right"), **FAST)
    clf.fit(TEXTS, ["left" if y else "center" for y in Y])
    assert clf.classes_.tolist() == ["left", "center", "right"]
    assert clf.predict_proba(TEXTS)[:, 2].max() < 1e-10


def test_cross_validate_with_group_kfold_and_pipeline():
    scores = cross_validate(FramingClassifier(**FAST), TEXTS, Y, groups=GROUPS, cv=GroupKFold(n_splits=3),
                            scoring=["accuracy", "neg_log_loss"])
    assert len(scores["test_accuracy"]) == 3 and np.all(np.isfinite(scores["test_neg_log_loss"]))
    pipeline = Pipeline([("clf", FramingClassifier(**FAST))])
    assert len(cross_val_score(pipeline, TEXTS, Y, groups=GROUPS, cv=GroupKFold(n_splits=2))) == 2


def test_grid_search_over_C():
    search = GridSearchCV(FramingClassifier(**FAST), {"C": [0.1, 1.0]}, cv=GroupKFold(n_splits=3))
    search.fit(TEXTS, Y, groups=GROUPS)
    assert search.best_params_["C"] in (0.1, 1.0)
    assert search.predict(["The corrupt regime lied."]).tolist() == [True]


def test_inner_cross_validation_uses_the_articles_of_labeled_sentences():
    sentences = [LabeledSentence(text, {"loaded": y}, article=group) for text, y, group in ROWS]
    clf = FramingClassifier(calibration_folds=3).fit(sentences, Y)
    assert clf.blocks_ in ("all", "lexicon", "ngrams")
    assert 0.05 <= clf.temperature_ <= 20.0 and clf.temperature_ != 1.0


def test_sample_weight_changes_the_fit_and_zero_weight_removes_a_sentence():
    clf = FramingClassifier(**FAST)
    base = clf.fit(TEXTS, Y).coef_.copy()
    weights = np.ones(len(TEXTS))
    weights[0] = 5.0
    assert not np.allclose(clone(clf).fit(TEXTS, Y, sample_weight=weights).coef_, base)
    with pytest.raises(ValueError, match="sample_weight must be 12 finite non-negative numbers"):
        clone(clf).fit(TEXTS, Y, sample_weight=[1.0] * 3)


def test_frozen_features_are_shared_not_refitted_and_survive_clone():
    union = make_features().fit(TEXTS)
    frozen = FrozenEstimator(union)
    names = list(union.get_feature_names_out())
    clf = FramingClassifier(features=frozen, **FAST)
    # Trained on two sentences only: a refit would shrink the vocabulary.
    clf.fit(TEXTS[:2], Y[:2])
    assert clf.features_ is union and list(clf.get_feature_names_out()) == names
    cloned = clone(clf)
    assert cloned.features is frozen
    assert cloned.fit(TEXTS[2:6], Y[2:6]).features_ is union


def test_contributions_are_exact():
    clf = FramingClassifier(classes=("left", "center", "right"), **FAST)
    clf.fit(TEXTS, ["left" if y else ("right" if i % 3 == 0 else "center") for i, y in enumerate(Y)])
    matrix = clf.contributions(TEXTS)
    logits = clf.decision_function(TEXTS)
    predicted = logits.argmax(axis=1)
    relative_intercept = (clf.intercept_ - (clf.intercept_.sum() - clf.intercept_) / 2) / clf.temperature_
    relative_logit = logits[np.arange(len(TEXTS)), predicted] - (logits.sum(axis=1) - logits[np.arange(len(TEXTS)), predicted]) / 2
    np.testing.assert_allclose(np.asarray(matrix.sum(axis=1)).ravel() + relative_intercept[predicted], relative_logit,
                               atol=1e-10)
    top = clf.top_contributions(TEXTS, top=3)
    assert all(len(row) <= 3 and all(value > 0 for _, value in row) for row in top)
    names = list(clf.get_feature_names_out())
    for i, row in enumerate(top):
        for name, value in row:
            assert value == pytest.approx(matrix[i, names.index(name)])


def _partial_sentences():
    sentences = []
    for index, (text, y, group) in enumerate(ROWS):
        labels = {"loaded": y} if index % 2 == 0 else {"hedged": "may" in text or "reportedly" in text or "possibly" in text}
        if index < 4:
            labels = {"loaded": y, "hedged": "may" in text or "reportedly" in text}
        sentences.append(LabeledSentence(text, labels, article=group, id=f"s{index}"))
    return sentences


def test_model_from_classifiers_gives_each_classifiers_probabilities():
    schema = Schema.from_dict({"tasks": {"loaded": {"type": "binary", "classes": [False, True]},
                                         "slant": {"type": "multiclass", "classes": ["left", "center", "right"]}},
                               "task_order": ["loaded", "slant"],
                               "polar": {"task": "slant", "negative": "left", "positive": "right"}})
    frozen = FrozenEstimator(make_features().fit(TEXTS))
    loaded = FramingClassifier(features=frozen, classes=(False, True), calibration_folds=3).fit(
        [LabeledSentence(t, {}, article=g) for t, _, g in ROWS[:8]], Y[:8])
    slant = FramingClassifier(features=frozen, classes=("left", "center", "right"), **FAST).fit(
        TEXTS[4:], ["left", "center", "right", "center"] * 2)
    model = framing.Model.from_classifiers(schema, {"loaded": loaded, "slant": slant})
    probe = TEXTS + ["Unseen words entirely.", ""]
    all_tasks = model.predict_all(probe)
    for task, clf in (("loaded", loaded), ("slant", slant)):
        np.testing.assert_allclose(model.predict_proba(probe, task), clf.predict_proba(probe), atol=1e-12)
        np.testing.assert_allclose(all_tasks[task], clf.predict_proba(probe), atol=1e-12)
    assert model.classifiers["loaded"] is loaded
    report = model.score("The corrupt regime lied. Talks began on Monday.")
    assert report.polar.positive == "right" and report.slant_index is not None
    with pytest.raises(ValueError, match="share one fitted feature union"):
        own = FramingClassifier(**FAST).fit(TEXTS, Y)
        framing.Model.from_classifiers(schema, {"loaded": own, "slant": slant})
    with pytest.raises(ValueError, match="missing"):
        framing.Model.from_classifiers(schema, {"loaded": loaded})


def test_train_with_partial_labels_uses_each_task_where_labelled():
    sentences = _partial_sentences()
    model = framing.train(sentences, calibration=None)
    assert set(model.tasks) == {"loaded", "hedged"}
    counts = model.metadata["class_counts"]
    assert sum(counts["loaded"].values()) == sum(1 for s in sentences if "loaded" in s.labels)
    assert sum(counts["hedged"].values()) == sum(1 for s in sentences if "hedged" in s.labels)
    # The same as fitting each task's classifier on its own sentences over the shared features.
    frozen = FrozenEstimator(model.features)
    rows = [s for s in sentences if "hedged" in s.labels]
    alone = FramingClassifier(features=frozen, classes=(False, True), calibration=None).fit(
        rows, [s.labels["hedged"] for s in rows])
    np.testing.assert_allclose(model.predict_proba(TEXTS, "hedged"), alone.predict_proba(TEXTS), atol=1e-12)


def test_train_sample_weight_is_aligned_with_the_sentences():
    sentences = _partial_sentences()
    plain = framing.train(sentences, calibration=None)
    weights = [3.0 if "hedged" in s.labels else 1.0 for s in sentences]
    weighted = framing.train(sentences, calibration=None, sample_weight=weights)
    assert not np.allclose(plain.heads["loaded"].coef, weighted.heads["loaded"].coef)
    same = framing.train(sentences, calibration=None, sample_weight=[1.0] * len(sentences))
    np.testing.assert_allclose(same.heads["loaded"].coef, plain.heads["loaded"].coef, atol=1e-12)
    with pytest.raises(ValueError, match="one weight per training sentence"):
        framing.train(sentences, sample_weight=[1.0])


def test_progress_has_one_signature():
    calls = []
    framing.train(_partial_sentences(), calibration=None, progress=lambda done, total, message: calls.append((done, total, message)))
    assert calls == [(0, 3, "features"), (1, 3, "task loaded"), (2, 3, "task hedged")]
