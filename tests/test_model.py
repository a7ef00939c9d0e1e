"""Training and prediction (framing.train / framing.Model) on the toy corpus of conftest.py.

Only behaviour is asserted, plus predictions the toy model must get right on
its own training sentences. Byte-identical retraining is in test_determinism.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import framing
from framing import LabeledSentence, Schema

SENTENCES = [
    "The corrupt regime reportedly lied again.",
    "Officials met to discuss aid.",
    "Talks stall in Geneva",
    "",
    "Brand new words nobody trained on.",
]


def test_the_toy_model_follows_the_user_schema(toy_model):
    assert isinstance(toy_model, framing.Model)
    assert toy_model.tasks == ("loaded", "hedged", "slant", "frame")
    assert toy_model.classes("loaded") == (False, True)
    assert toy_model.classes("slant") == ("left", "center", "right")  # the schema's order, not sorted
    assert toy_model.classes("frame") == ("war", "diplomacy", "economy")
    assert "boilerplate" in toy_model.heads and "boilerplate" not in toy_model.tasks
    assert toy_model.metadata["n_training_sentences"] == 18 and toy_model.metadata["n_content_sentences"] == 14
    assert toy_model.metadata["class_counts"]["slant"] == {"left": 3, "center": 9, "right": 2}


@pytest.mark.parametrize("task", ["loaded", "hedged", "slant", "frame", "boilerplate"])
def test_probabilities_are_distributions_over_the_declared_classes(toy_model, task):
    p = toy_model.predict_proba(SENTENCES, task)
    assert p.shape == (len(SENTENCES), len(toy_model.classes(task)))
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    predicted = toy_model.predict(SENTENCES, task)
    assert set(predicted) <= set(toy_model.classes(task))
    assert predicted == [toy_model.classes(task)[i] for i in p.argmax(axis=1)]
    all_tasks = toy_model.predict_all(SENTENCES)
    np.testing.assert_allclose(all_tasks[task], p, atol=1e-12)


def test_predictions_on_training_sentences(toy_model):
    assert toy_model.predict(["The corrupt regime reportedly lied again.", "Officials met to discuss aid."], "loaded") == [True, False]
    assert toy_model.predict(["The corrupt regime reportedly lied again."], "slant") == ["left"]
    assert toy_model.predict(["Western warmongers armed the Nazi regime."], "slant") == ["right"]
    assert toy_model.predict(["Prices rose by 3 percent in October."], "frame") == ["economy"]
    assert type(toy_model.predict(["The regime lied."], "loaded")[0]) is bool


def test_empty_batches_and_bad_input(toy_model):
    assert toy_model.predict_proba([], "slant").shape == (0, 3)
    assert toy_model.predict([], "loaded") == []
    with pytest.raises(TypeError, match="single str"):
        toy_model.predict_proba("The regime lied.", "loaded")
    with pytest.raises(TypeError, match="sentence 1 must be str"):
        toy_model.predict_proba(["ok", None], "loaded")


def test_unknown_task_names_the_task_and_lists_the_available_ones(toy_model, toy_corpus):
    for call in (lambda: toy_model.predict_proba(["x"], "tone"), lambda: toy_model.predict(["x"], "tone"),
                 lambda: toy_model.classes("tone"), lambda: toy_model.explain("x", "tone")):
        with pytest.raises(KeyError) as info:
            call()
        message = str(info.value)
        assert "'tone'" in message and "['loaded', 'hedged', 'slant', 'frame']" in message
    with pytest.raises(KeyError) as info:
        framing.train(toy_corpus, tasks=["loaded", "tone"], calibration=None)
    assert "['tone']" in str(info.value) and "['loaded', 'hedged', 'slant', 'frame']" in str(info.value)


def test_training_a_subset_of_tasks(toy_corpus):
    model = framing.train(toy_corpus, tasks=["slant", "loaded"], calibration=None)
    assert model.tasks == ("slant", "loaded")
    assert sorted(model.heads) == ["boilerplate", "loaded", "slant"]
    assert set(model.metadata["class_counts"]) == {"slant", "loaded"}
    with pytest.raises(KeyError, match="frame"):
        model.predict_proba(["x"], "frame")
    assert model.predict(["The corrupt regime reportedly lied again."], "loaded") == [True]


def test_training_on_sentences_with_a_user_schema():
    schema = Schema.from_dict({"tasks": {"tone": {"type": "multiclass", "classes": ["calm", "angry", "sad"]}}})
    data = [
        LabeledSentence("We are furious and outraged!", {"tone": "angry"}, article="a"),
        LabeledSentence("This outrage is infuriating!", {"tone": "angry"}, article="b"),
        LabeledSentence("The meeting was quiet and orderly.", {"tone": "calm"}, article="c"),
        LabeledSentence("Delegates calmly reviewed the plan.", {"tone": "calm"}, article="d"),
    ]
    model = framing.train(data, schema=schema, calibration=None)
    assert model.tasks == ("tone",) and model.classes("tone") == ("calm", "angry", "sad")
    p = model.predict_proba(["We are furious!", "A quiet meeting."], "tone")
    # "sad" never occurs in training: it is kept as a column with (almost) zero probability.
    assert p.shape == (2, 3) and np.all(p[:, 2] < 1e-6)
    assert model.predict(["We are furious and outraged!", "The meeting was quiet and orderly."], "tone") == ["angry", "calm"]
    with pytest.raises(framing.CorpusError, match="unknown class; allowed: \\['calm', 'angry', 'sad'\\]"):
        framing.train(data + [LabeledSentence("Meh.", {"tone": "bored"})], schema=schema, calibration=None)
    with pytest.raises(TypeError, match="LabeledSentence"):
        framing.train(["just a string"], calibration=None)


def test_explain_returns_features_that_are_in_the_sentence(toy_model):
    sentence = "The corrupt regime reportedly lied again."
    names = list(toy_model.feature_names)
    row = toy_model.transform([sentence])
    present = {names[i] for i in row.nonzero()[1]}
    for task in toy_model.tasks:
        why = toy_model.explain(sentence, task, evidence=8)
        assert sorted(why) == ["class", "features", "probabilities", "task"]
        assert why["task"] == task and why["class"] in toy_model.classes(task)
        assert abs(sum(why["probabilities"].values()) - 1.0) < 1e-9
        assert why["features"], task
        assert len(why["features"]) <= 8
        for feature, contribution in why["features"]:
            assert feature in present, (task, feature)
            assert contribution > 0
        contributions = [c for _, c in why["features"]]
        assert contributions == sorted(contributions, reverse=True)
    assert "loaded:corrupt" in dict(toy_model.explain(sentence, "loaded", evidence=50)["features"])


def test_contributions_are_exact_logit_differences(toy_model):
    # For a binary head, the contributions (all of them, positive or not) plus the intercept give the logit.
    sentence = "The puppet regime may attack the city, analysts say."
    X = toy_model.transform([sentence])
    head = toy_model.heads["loaded"]
    row = X[0].tocsr()
    total = sum((head.coef[1, j] - head.coef[0, j]) * v for j, v in zip(row.indices, row.data)) / head.temperature
    logit = (head.intercept[1] - head.intercept[0]) / head.temperature + total
    p = toy_model.predict_proba([sentence], "loaded")[0]
    assert np.isclose(np.log(p[1] / p[0]), logit)
    shown = toy_model.contributions(row, "loaded", 1, top=10_000)
    assert np.isclose(sum(c for _, c in shown), sum(max(0.0, (head.coef[1, j] - head.coef[0, j]) * v / head.temperature)
                                                    for j, v in zip(row.indices, row.data)))


def test_an_empty_sentence_has_only_layout_evidence(toy_model):
    # "" has no words: the only non-zero features are the layout ones (a short line).
    names = {name for name, _ in toy_model.explain("", "frame", evidence=50)["features"]}
    assert names and names <= {"shape:line", "shape:short"}
    assert toy_model.cues("") == []


def test_training_from_a_folder_or_from_its_sentences_gives_the_same_weights(toy_corpus, toy_model):
    corpus = framing.read_corpus(toy_corpus)
    again = framing.train(corpus.sentences, schema=corpus.schema, calibration=None)
    assert again.tasks == toy_model.tasks
    assert list(again.feature_names) == list(toy_model.feature_names)
    for task in list(toy_model.tasks) + ["boilerplate"]:
        np.testing.assert_array_equal(again.heads[task].coef, toy_model.heads[task].coef)
        np.testing.assert_array_equal(again.heads[task].intercept, toy_model.heads[task].intercept)


def test_temperature_calibration_changes_confidence_not_the_ranking(toy_corpus, toy_model):
    calibrated = framing.train(toy_corpus, tasks=["loaded"], calibration="temperature", calibration_folds=3)
    temperature = calibrated.heads["loaded"].temperature
    assert 0.05 <= temperature <= 20.0 and temperature != 1.0
    plain = framing.train(toy_corpus, tasks=["loaded"], calibration=None)
    a = plain.predict_proba(SENTENCES, "loaded")[:, 1]
    b = calibrated.predict_proba(SENTENCES, "loaded")[:, 1]
    assert list(np.argsort(a, kind="stable")) == list(np.argsort(b, kind="stable"))
    with pytest.raises(ValueError, match="unknown calibration 'platt'"):
        framing.train(toy_corpus, calibration="platt")
    with pytest.raises(ValueError, match="unknown training option"):
        framing.train(toy_corpus, learning_rate=0.1)


@pytest.mark.parametrize("blocks", ["lexicon", "ngrams"])
def test_excluded_feature_blocks_get_zero_weight(toy_corpus, blocks):
    model = framing.train(toy_corpus, tasks=["loaded", "frame"], calibration=None, block_selection=blocks)
    assert model.metadata["feature_blocks"] == {"loaded": blocks, "frame": blocks}
    names = list(model.feature_names)
    ngram_columns = [i for i, name in enumerate(names) if name.startswith(("word:", "char:"))]
    other_columns = [i for i, name in enumerate(names) if not name.startswith(("word:", "char:"))]
    excluded, kept = (ngram_columns, other_columns) if blocks == "lexicon" else (other_columns, ngram_columns)
    for task in ("loaded", "frame"):
        coef = model.heads[task].coef
        assert not coef[:, excluded].any()
        assert coef[:, kept].any()


def test_block_selection_picks_the_block_with_the_best_out_of_fold_log_loss():
    from framing.model._classifier import select_blocks

    y = np.array([0, 1, 1, 0])
    confident = np.array([[3.0, -3.0], [-3.0, 3.0], [-3.0, 3.0], [3.0, -3.0]])
    unsure = confident / 10
    assert select_blocks({"all": unsure, "lexicon": confident, "ngrams": -confident}, y) == "lexicon"
    assert select_blocks({"all": unsure, "lexicon": -confident, "ngrams": confident}, y) == "ngrams"
    assert select_blocks({"all": confident, "lexicon": confident, "ngrams": unsure}, y) == "all"  # ties: "all"


def test_block_selection_by_inner_cross_validation_is_recorded(toy_corpus):
    model = framing.train(toy_corpus, tasks=["loaded", "frame"], calibration="temperature", block_selection=True)
    assert set(model.metadata["feature_blocks"]) == {"loaded", "frame"}
    assert set(model.metadata["feature_blocks"].values()) <= {"all", "lexicon", "ngrams"}


def test_without_block_selection_every_block_is_used(toy_corpus):
    model = framing.train(toy_corpus, tasks=["loaded"], calibration=None, block_selection=False)
    assert model.metadata["feature_blocks"] == {"loaded": "all"}
    names = list(model.feature_names)
    coef = model.heads["loaded"].coef
    assert coef[:, [i for i, n in enumerate(names) if n.startswith("word:")]].any()
    assert coef[:, [i for i, n in enumerate(names) if not n.startswith(("word:", "char:"))]].any()
