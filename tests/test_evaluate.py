"""Tests for framing.evaluate (framing/_evaluate.py) on tiny made-up corpora."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import framing
from framing.data import Schema, Span, TaskSpec
from framing.evaluation import _evaluate
from framing.model import _training

FAST = {"calibration": None}

LOADED = ["thugs", "regime", "puppets", "warmongers", "traitors", "fanatics"]
NEUTRAL = ["officials", "delegates", "ministers", "envoys", "negotiators", "observers"]
VERBS = ["met", "talked", "signed", "waited", "travelled", "voted"]
PLACES = ["in Geneva", "on Monday", "at the summit", "near the border", "after the vote", "in the capital"]


def make_sentences(n_articles: int = 6, per_article: int = 8, seed: int = 0, outlets: int = 0):
    """Made-up sentences with a loaded / hedged / attribution label, grouped into articles."""
    rng = random.Random(seed)
    sentences = []
    for a in range(n_articles):
        for k in range(per_article):
            loaded = k % 2 == 0
            hedged = k % 3 == 0
            attribution = ["named", "anonymous", "none"][k % 3]
            subject = rng.choice(LOADED if loaded else NEUTRAL)
            verb = ("may have " if hedged else "") + rng.choice(VERBS)
            tail = {"named": ", Anna Brandt said.", "anonymous": ", sources said.", "none": "."}[attribution]
            text = f"The {subject} {verb} {rng.choice(PLACES)}{tail}"
            spans = ()
            if loaded:
                start = text.index(subject)
                spans = (Span(start, start + len(subject), "loaded", subject),)
            sentences.append(framing.LabeledSentence(
                text, {"loaded": loaded, "hedged": hedged, "attribution": attribution},
                article=f"art{a}", source=f"outlet{a % outlets}" if outlets else None, id=f"s{a}-{k}", spans=spans))
    return sentences


SCHEMA = Schema(tasks=(TaskSpec("loaded", "binary", (False, True)), TaskSpec("hedged", "binary", (False, True)),
                       TaskSpec("attribution", "multiclass", ("named", "anonymous", "none"))))


@pytest.fixture
def recorded_training(monkeypatch):
    """Record the training data of every framing.train call that evaluate makes."""
    calls = []
    original = _training.train

    def recording_train(data, *args, **kwargs):
        data = list(data)
        model = original(data, *args, **kwargs)
        calls.append((data, model))
        return model

    monkeypatch.setattr(_training, "train", recording_train)
    return calls


# ---------------------------------------------------------------------- folds


def test_folds_are_grouped_by_article(recorded_training):
    sentences = make_sentences(n_articles=12, per_article=4)
    result = framing.evaluate(sentences, schema=SCHEMA, tasks=["loaded"], baselines=(), learning_curve=False,
                              bootstrap=0, config=FAST)
    assert result.splitter == "GroupKFold(n_splits=5)"
    assert len(recorded_training) == len(result.folds) == 5
    seen = []
    for fold, (training, _) in zip(result.folds, recorded_training):
        test_articles = {g.split(":", 1)[1] for g in fold["test_groups"]}
        train_articles = {s.article for s in training}
        assert not test_articles & train_articles
        assert train_articles | test_articles == {f"art{a}" for a in range(12)}
        seen += sorted(test_articles)
    assert sorted(seen) == sorted({s.article for s in sentences})  # every article is held out exactly once


def test_few_groups_means_leave_one_group_out():
    result = framing.evaluate(make_sentences(n_articles=3), schema=SCHEMA, tasks=["loaded"], baselines=(),
                              learning_curve=False, bootstrap=0, config=FAST)
    assert result.splitter == "LeaveOneGroupOut"
    assert [len(f["test_groups"]) for f in result.folds] == [1, 1, 1]


def test_folds_grouped_by_source(recorded_training):
    sentences = make_sentences(n_articles=6, per_article=4, outlets=3)
    result = framing.evaluate(sentences, schema=SCHEMA, tasks=["loaded"], group_by="source", baselines=(),
                              learning_curve=False, bootstrap=0, config=FAST)
    assert result.n_groups == 3 and len(result.folds) == 3
    for fold, (training, _) in zip(result.folds, recorded_training):
        test_outlets = {g.split(":", 1)[1] for g in fold["test_groups"]}
        assert not test_outlets & {s.source for s in training}


def test_stratified_folds_without_groups():
    result = framing.evaluate(make_sentences(n_articles=4), schema=SCHEMA, tasks=["loaded"], group_by=None,
                              n_splits=4, baselines=(), learning_curve=False, bootstrap=0, config=FAST)
    assert result.splitter.startswith("StratifiedKFold") and len(result.folds) == 4
    assert result.n_sentences == 32


def test_fold_only_cue_is_not_in_the_fitted_lexicon(monkeypatch):
    """A cue span seen only in the held-out article must not reach the lexicon of that fold's models or baselines."""
    from framing.features._lexicon_block import LexiconFeatures

    sentences = make_sentences(n_articles=3, per_article=6)
    text = "The zorblatt cabal met in Geneva."
    start = text.index("zorblatt")
    sentences.append(framing.LabeledSentence(
        text, {"loaded": True, "hedged": False, "attribution": "none"}, article="art2", id="cue",
        spans=(Span(start, start + len("zorblatt"), "loaded", "zorblatt"),)))
    fitted = []
    original_fit = LexiconFeatures.fit

    def recording_fit(self, X, y=None):
        items = list(X)
        original_fit(self, items, y)
        fitted.append((items, self))
        return self

    # Every lexicon block fitted anywhere (the fold models, their inner folds, the lexicon baseline's pipelines).
    monkeypatch.setattr(LexiconFeatures, "fit", recording_fit)
    framing.evaluate(sentences, schema=SCHEMA, tasks=["loaded"], baselines=("lexicon",), learning_curve=True,
                     bootstrap=0, config=FAST)
    checked = {True: 0, False: 0}
    for training, block in fitted:
        harvested = {term for _, term, category, _ in block.lexicon_ if category == "harvested"}
        in_training = any(getattr(s, "id", None) == "cue" for s in training)
        assert ("zorblatt" in harvested) == in_training
        checked[in_training] += 1
        # and the fold's other harvested terms come from its own training sentences only
        training_terms = {span.text.lower() for s in training for span in getattr(s, "spans", ())}
        assert harvested <= training_terms
    assert checked[False] >= 5 and checked[True] >= 1  # the held-out fold and the others were both seen


# ---------------------------------------------------------------------- metrics


def test_metrics_agree_with_sklearn_on_a_hand_computed_case():
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    y_true = np.array([0, 0, 1, 1, 2, 2])
    proba = np.array([[0.8, 0.1, 0.1], [0.3, 0.6, 0.1], [0.2, 0.7, 0.1],
                      [0.1, 0.5, 0.4], [0.1, 0.1, 0.8], [0.5, 0.2, 0.3]])
    y_pred = proba.argmax(axis=1)  # [0, 1, 1, 1, 2, 0]
    scores = _evaluate.classification_scores(y_true, proba, ("a", "b", "c"), bootstrap=200, random_state=1)
    # by hand: F1 a = 2*1/(2+1+1) = 0.5, b = 2*2/(4+1+0) = 0.8, c = 2*1/(2+0+1) = 2/3
    assert scores.macro_f1 == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert scores.macro_f1 == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred)
    for k, name in enumerate("abc"):
        assert scores.per_class[name] == pytest.approx({"precision": p[k], "recall": r[k], "f1": f[k], "support": s[k]})
    assert scores.confusion_matrix == confusion_matrix(y_true, y_pred).tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert scores.accuracy == pytest.approx(4 / 6)
    onehot = np.eye(3)[y_true]
    assert scores.brier == pytest.approx(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    # ECE by hand: confidences 0.8 0.6 0.7 0.5 0.8 0.5, correct 1 0 1 1 1 0
    # bins (0.4,0.5]: {0.5 right, 0.5 wrong} -> |0.5-0.5| = 0; (0.5,0.6]: {0.6 wrong} -> 0.6;
    # (0.6,0.7]: {0.7 right} -> 0.3; (0.7,0.8]: {0.8 right, 0.8 right} -> 0.2 each
    assert scores.ece == pytest.approx((0.0 + 0.6 + 0.3 + 2 * 0.2) / 6)
    low, high = scores.macro_f1_ci
    assert 0.0 <= low <= scores.macro_f1 <= high <= 1.0
    # the same seed gives the same interval
    again = _evaluate.classification_scores(y_true, proba, ("a", "b", "c"), bootstrap=200, random_state=1)
    assert again.macro_f1_ci == scores.macro_f1_ci


def test_vectorised_macro_f1_matches_sklearn_on_resamples():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, size=(30, 50))
    y_pred = rng.integers(0, 4, size=(30, 50))
    y_pred[:5] = 3  # resamples where some classes are never predicted
    labels = [0, 1, 2, 3]
    batch = _evaluate.macro_f1(y_true, y_pred, labels)
    expected = [f1_score(t, p, labels=labels, average="macro", zero_division=0) for t, p in zip(y_true, y_pred)]
    assert np.allclose(batch, expected)


def test_macro_f1_averages_over_gold_classes_only():
    # class 2 never occurs in the gold labels: predicting it is an error, but it is not averaged
    proba = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]])
    scores = _evaluate.classification_scores([0, 0, 1], proba, ("x", "y", "z"), bootstrap=0)
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)
    assert scores.per_class["z"]["support"] == 0 and scores.macro_f1_ci is None


# ---------------------------------------------------------------------- systems and output


def test_baselines_run_on_the_same_folds():
    sentences = make_sentences(n_articles=4, per_article=8)
    result = framing.evaluate(sentences, schema=SCHEMA, learning_curve=False, bootstrap=50, config=FAST)
    assert result.systems == ["model", "majority", "lexicon", "tfidf"]
    for task, evaluation in result.tasks.items():
        assert set(evaluation.systems) == set(result.systems)
        for name, scores in evaluation.systems.items():
            assert 0.0 <= scores.macro_f1 <= 1.0
            assert len(scores.fold_macro_f1) == 4
            if name != "model":
                assert scores.model_gain is not None
        for proba in result.predictions[task]["proba"].values():
            assert proba.shape == (32, len(SCHEMA.classes(task)))
            assert np.allclose(proba.sum(axis=1), 1.0)
    majority = result.predictions["attribution"]["proba"]["majority"].argmax(axis=1)
    assert len(set(majority.tolist())) <= 4  # one constant class per fold
    # the lexicon features find the made-up loaded words, so the lexicon baseline beats the majority class
    assert result.tasks["loaded"].systems["lexicon"].macro_f1 > result.tasks["loaded"].systems["majority"].macro_f1


def test_boilerplate_is_excluded_and_learning_curve_is_reported():
    sentences = make_sentences(n_articles=3, per_article=8)
    sentences += [framing.LabeledSentence("Share this article", {"loaded": False, "hedged": False, "attribution": "none"},
                                          article=f"art{a}", id=f"bp{a}", boilerplate=True) for a in range(3)]
    calls = []
    result = framing.evaluate(sentences, schema=SCHEMA, tasks=["loaded", "attribution"], baselines=("tfidf",),
                              bootstrap=0, config=FAST, progress=lambda done, total, message: calls.append((done, total, message)))
    assert result.n_sentences == 24 and result.n_boilerplate == 3
    assert all(not sentences[i].boilerplate for i in result.predictions["loaded"]["index"])
    curve = result.tasks["loaded"].learning_curve
    assert [point["fraction"] for point in curve] == [0.25, 0.5, 0.75, 1.0]
    assert [point["n_train"] for point in curve] == sorted(point["n_train"] for point in curve)
    assert all("model" in point and "tfidf" in point for point in curve)
    assert calls and calls[-1][0] == calls[-1][1] and all(isinstance(m, str) for _, _, m in calls)


def test_json_output_has_the_documented_fields():
    result = framing.evaluate(make_sentences(n_articles=3), schema=SCHEMA, learning_curve=False, bootstrap=20,
                              config=FAST)
    data = json.loads(json.dumps(result.to_dict()))
    assert {"framing_version", "corpus", "group_by", "splitter", "n_folds", "folds", "n_sentences", "n_boilerplate",
            "n_groups", "systems", "bootstrap", "config", "random_state", "seconds", "notes", "summary",
            "tasks"} <= set(data)
    assert data["bootstrap"]["method"] == "percentile" and data["bootstrap"]["unit"] == "sentence"
    assert set(data["tasks"]) == {"loaded", "hedged", "attribution"}
    task = data["tasks"]["loaded"]
    assert {"name", "classes", "n_sentences", "support", "systems", "learning_curve", "articles"} <= set(task)
    assert task["classes"] == ["false", "true"]
    system = task["systems"]["model"]
    assert {"macro_f1", "macro_f1_ci", "accuracy", "per_class", "confusion_matrix", "brier", "ece",
            "fold_macro_f1", "model_gain"} <= set(system)
    assert set(system["per_class"]["true"]) == {"precision", "recall", "f1", "support"}
    assert data["summary"]["attribution"]["model"] == system_value(data, "attribution")
    table = result.format_table()
    for word in ("loaded", "hedged", "attribution", "model", "majority", "lexicon", "tfidf", "LeaveOneGroupOut"):
        assert word in table


def system_value(data, task):
    return data["tasks"][task]["systems"]["model"]["macro_f1"]


def test_article_level_slant_from_a_corpus_folder(tmp_path):
    from framing.data import append_sentences
    from framing.data._writing import register_article

    schema = {"tasks": {"slant": {"type": "multiclass", "classes": ["pro_a", "neutral", "pro_b"]}}}
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "sentences.jsonl").write_text("", encoding="utf-8")
    words = {"pro_a": "heroic defenders", "neutral": "delegates", "pro_b": "brutal invaders"}
    records = []
    for a, label in enumerate(["pro_a", "pro_b", "pro_a", "pro_b"]):
        lines = [f"The {words[label]} met officials in town number {a}{k}." for k in range(4)]
        lines.append(f"The delegates waited in hall {a}.")
        text = " ".join(lines)
        register_article(tmp_path, f"a{a}", text, labels={"slant": label})
        position = 0
        for k, line in enumerate(lines):
            start = text.index(line, position)
            position = start + len(line)
            value = "neutral" if line.startswith("The delegates") else label
            records.append(framing.LabeledSentence(line, {"slant": value}, article=f"a{a}", id=f"a{a}-{k}",
                                                   start=start, end=position))
    append_sentences(tmp_path, records)
    result = framing.evaluate(tmp_path, baselines=("majority",), learning_curve=False, bootstrap=0, config=FAST)
    articles = result.tasks["slant"].articles
    assert articles["n_articles"] == 4 and "mean sentence probabilities" in articles["method"]
    assert {item["article"] for item in articles["items"]} == {"a0", "a1", "a2", "a3"}
    for item in articles["items"]:
        assert item["predicted"]["model"] in ("pro_a", "neutral", "pro_b")
        assert -1.0 <= item["index"] <= 1.0
    assert set(articles["systems"]) == {"model", "majority"}
    assert result.corpus == str(tmp_path)
    json.dumps(result.to_dict())


def test_holdout_evaluation_indexes_the_test_sentences():
    train = make_sentences(n_articles=3, seed=1)
    test = make_sentences(n_articles=1, per_article=5, seed=2)
    result = _evaluate.evaluate_holdout(train, test, schema=SCHEMA, tasks=["attribution"], baselines=("majority",),
                                        learning_curve=False, bootstrap=0, config=FAST)
    assert result.splitter == "holdout" and result.n_sentences == 5
    assert list(result.predictions["attribution"]["index"]) == [0, 1, 2, 3, 4]


def test_bad_arguments_are_reported():
    sentences = make_sentences(n_articles=3, per_article=2)
    with pytest.raises(KeyError, match="unknown task"):
        framing.evaluate(sentences, schema=SCHEMA, tasks=["nope"])
    with pytest.raises(ValueError, match="group_by"):
        framing.evaluate(sentences, schema=SCHEMA, group_by="outlet")
    with pytest.raises(ValueError, match="baseline"):
        framing.evaluate(sentences, schema=SCHEMA, baselines=("bert",))
    with pytest.raises(ValueError, match="at least 2 groups"):
        framing.evaluate([s for s in sentences if s.article == "art0"], schema=SCHEMA)
    with pytest.raises(ValueError, match="more than the 3 groups"):
        framing.evaluate(sentences, schema=SCHEMA, n_splits=5)
