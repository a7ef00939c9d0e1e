"""One training core: framing.train and a recipe fit through the same loop, with one complete configuration."""
from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold

import framing
from framing import FramingClassifier, LabeledSentence
from framing.data._recipe import RECIPE_CONFIG_DEFAULTS
from framing.model._recipe import load_recipe, recipe_config, train_recipe
from framing.model._training import TrainingConfig

REPO = Path(__file__).resolve().parents[1]
LABELED = REPO / "labeled"
RECIPE = REPO / "models" / "recipe-default.json"
#: No inner cross-validation: these tests are about what is fitted on which sentences, not about calibration.
FAST = {"calibration": None, "block_selection": False}

# The made-up sentences of the estimator tests: loaded vs neutral, two per article.
from test_estimator import ROWS, TEXTS, Y  # noqa: E402

HEDGES = ("reportedly", "may", "possibly")


def _sentences():
    return [LabeledSentence(text, {"loaded": y, "hedged": any(h in text for h in HEDGES)}, article=article, id=f"s{i}")
            for i, (text, y, article) in enumerate(ROWS)]


def _block_names(model):
    return [name for name, _ in model.features.transformer_list]


@pytest.fixture(scope="module")
def labeled_model():
    return framing.train(LABELED, **FAST)


# ----------------------------------------------------------------------------- framing.train
def test_training_on_the_labeled_folder_builds_the_feature_blocks_of_the_bundled_model(labeled_model):
    # Defect: framing.train("labeled/") lacked the whole stance block of models/default (only the recipe path added it).
    assert _block_names(labeled_model) == _block_names(framing.load())
    assert "stance" in _block_names(labeled_model)
    assert "stance" not in _block_names(framing.train(_sentences(), **FAST))
    axis = LABELED / "axis_russia_ukraine.json"
    assert "stance" in _block_names(framing.train(_sentences(), axis=axis, **FAST))
    assert "stance" not in _block_names(framing.train(framing.read_corpus(LABELED), tasks="loaded", axis=False, **FAST))


def test_tasks_given_as_one_string_trains_that_one_task():
    # Defect: tasks="loaded" was read as the tasks ['l', 'o', 'a', 'd', 'e', 'd'].
    model = framing.train(_sentences(), tasks="loaded", **FAST)
    assert model.tasks == ("loaded",)
    assert set(model.metadata["class_counts"]) == {"loaded"}


def test_an_unknown_task_names_the_task_and_the_available_ones():
    with pytest.raises(framing.UnknownTaskError) as caught:
        framing.train(_sentences(), tasks="loadd", **FAST)
    assert str(caught.value) == "unknown task 'loadd'; available: ['loaded', 'hedged']"
    with pytest.raises(framing.UnknownTaskError, match=r"unknown task \['loadd'\]; available: \['loaded', 'hedged'\]"):
        framing.train(_sentences(), tasks=["loaded", "loadd"], **FAST)
    with pytest.raises(framing.UnknownTaskError, match=r"unknown task 'hedge'; available: \['loaded', 'hedged', 'boilerplate'\]"):
        framing.train(_sentences(), sample_weight={"hedge": [1.0] * len(ROWS)}, **FAST)


def test_the_saved_config_is_complete(labeled_model, tmp_path):
    # Defect: metadata["config"] lacked word_min_df, both *_max_features and harvest_min_count.
    fields = {field.name for field in dataclasses.fields(TrainingConfig)}
    assert set(labeled_model.metadata["config"]) == fields
    assert TrainingConfig.from_dict(labeled_model.metadata["config"]) == TrainingConfig(**FAST)
    labeled_model.save(tmp_path / "model")
    saved = json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))["metadata"]["config"]
    assert set(saved) == fields


def test_per_task_sample_weights_weigh_only_their_task():
    sentences = _sentences()
    plain = framing.train(sentences, **FAST)
    heavy = [5.0 if i % 3 == 0 else 1.0 for i in range(len(sentences))]
    weighted = framing.train(sentences, sample_weight={"hedged": heavy}, **FAST)
    np.testing.assert_array_equal(weighted.heads["loaded"].coef, plain.heads["loaded"].coef)
    assert not np.allclose(weighted.heads["hedged"].coef, plain.heads["hedged"].coef)
    # A weight of 0 takes the sentence out of the task (and out of its class counts).
    dropped = framing.train(sentences, sample_weight={"loaded": [0.0] + [1.0] * (len(sentences) - 1)}, **FAST)
    assert sum(dropped.metadata["class_counts"]["loaded"].values()) == len(sentences) - 1
    with pytest.raises(ValueError, match=r"sample_weight\['loaded'\] must give one weight per training sentence \(12\), got 2"):
        framing.train(sentences, sample_weight={"loaded": [1.0, 1.0]}, **FAST)


def test_config_values_are_checked_naming_the_option_and_what_is_allowed():
    with pytest.raises(ValueError, match=r"harvest_min_count=0 is not allowed; allowed: an integer >= 1"):
        framing.train(_sentences(), harvest_min_count=0)
    with pytest.raises(ValueError, match=r"word_max_features='many' is not allowed; allowed: an integer >= 1 or None"):
        TrainingConfig(word_max_features="many")


# ----------------------------------------------------------------------------- recipes
def test_the_recipe_config_and_training_config_name_the_same_fields_and_round_trip():
    fields = [field.name for field in dataclasses.fields(TrainingConfig)]
    assert sorted(RECIPE_CONFIG_DEFAULTS) == sorted(fields)
    recipe = load_recipe(RECIPE)
    config = recipe_config(recipe)
    assert config.to_dict() == dict(recipe.config)
    assert TrainingConfig.from_dict(config.to_dict()) == config
    # The shipped recipe's choices, which differ from TrainingConfig's defaults.
    assert (config.word_min_df, config.char_min_df, config.word_max_features, config.char_max_features,
            config.harvest_min_count, config.calibration_folds, config.block_selection) == (3, 5, 30000, 25000, 3, 3, False)


def test_a_bad_recipe_config_value_is_a_recipe_error_naming_the_file(tmp_path):
    path = _seed_recipe(tmp_path, {"harvest_min_count": 0})
    with pytest.raises(framing.model.RecipeError, match=r"recipe.json: field 'config': training option harvest_min_count=0"):
        train_recipe(path, tmp_path)


def _seed_recipe(tmp_path, config, weights=None):
    shutil.copytree(LABELED, tmp_path / "labeled", dirs_exist_ok=True)
    schema = framing.data.load_schema(LABELED / "schema.json")
    weights = weights or {task: 1.0 for task in schema.task_names}
    document = {"format": "framing-recipe", "format_version": 1, "schema": "labeled/schema.json",
                "sources": [{"name": "seeds", "path": "labeled", "weights": weights}], "config": config}
    path = tmp_path / "recipe.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_recipe_and_framing_train_give_identical_weights_on_the_same_sentences_weights_and_config(tmp_path):
    # Defect: two training loops (the recipe had its own union, defaults, class counts and a hard-coded "seeds").
    schema = framing.data.load_schema(LABELED / "schema.json")
    weights = {task: (0.5 if task == "hedged" else 1.0) for task in schema.task_names}
    path = _seed_recipe(tmp_path, {**FAST, "char_max_features": 4000}, weights)
    recipe = load_recipe(path)
    from_recipe = train_recipe(recipe, tmp_path, check=False)
    corpus = framing.read_corpus(tmp_path / "labeled")
    n = len(corpus.sentences)
    from_train = framing.train(corpus, config=recipe_config(recipe),
                               sample_weight={task: [weight] * n for task, weight in weights.items()})
    assert _block_names(from_recipe) == _block_names(from_train) == _block_names(framing.load())
    np.testing.assert_array_equal(from_recipe.feature_names, from_train.feature_names)
    assert sorted(from_recipe.heads) == sorted(from_train.heads) == sorted([*schema.task_names, "boilerplate"])
    for name, head in from_recipe.heads.items():
        other = from_train.heads[name]
        np.testing.assert_array_equal(head.coef, other.coef, err_msg=name)
        np.testing.assert_array_equal(head.intercept, other.intercept, err_msg=name)
        assert head.temperature == other.temperature
    assert from_recipe.metadata["config"] == from_train.metadata["config"] == recipe_config(recipe).to_dict()
    assert from_recipe.metadata["class_counts"] == from_train.metadata["class_counts"]
    assert from_recipe.metadata["recipe"]["sha256"] == recipe.digest()


# ----------------------------------------------------------------------------- FramingClassifier cv= and groups=
def _recorded_splits(monkeypatch):
    calls = []
    original = FramingClassifier._fold_features

    def spy(self, items, train_rows, test_rows):
        calls.append((sorted(np.asarray(train_rows).tolist()), sorted(np.asarray(test_rows).tolist())))
        return original(self, items, train_rows, test_rows)

    monkeypatch.setattr(FramingClassifier, "_fold_features", spy)
    return calls


def test_cv_and_groups_decide_the_inner_folds(monkeypatch):
    sentences = _sentences()
    calls = _recorded_splits(monkeypatch)
    # Default: grouped by article, calibration_folds folds (6 articles, 3 folds).
    FramingClassifier(block_selection=False, calibration_folds=3).fit(sentences, Y)
    assert len(calls) == 3 and all({ROWS[i][2] for i in test}.isdisjoint({ROWS[i][2] for i in train}) for train, test in calls)
    # groups= replaces the articles: even against odd rows.
    calls.clear()
    parity = ["even" if i % 2 == 0 else "odd" for i in range(len(ROWS))]
    FramingClassifier(block_selection=False, calibration_folds=3).fit(sentences, Y, groups=parity)
    evens, odds = list(range(0, 12, 2)), list(range(1, 12, 2))
    assert sorted(test for _, test in calls) == [evens, odds]
    # cv= an int: that many grouped folds.
    calls.clear()
    FramingClassifier(block_selection=False, cv=2).fit(sentences, Y)
    assert len(calls) == 2
    # cv= a splitter: called with the groups.
    calls.clear()
    FramingClassifier(block_selection=False, cv=GroupKFold(n_splits=2)).fit(TEXTS, Y, groups=parity)
    assert sorted(test for _, test in calls) == [evens, odds]


def test_cv_given_as_splits_uses_exactly_those_splits(monkeypatch):
    splits = [(np.arange(0, 8), np.arange(8, 12)), (np.arange(4, 12), np.arange(0, 4))]
    calls = _recorded_splits(monkeypatch)
    clf = FramingClassifier(block_selection=False, cv=splits).fit(TEXTS, Y)
    assert calls == [(list(range(0, 8)), list(range(8, 12))), (list(range(4, 12)), list(range(0, 4)))]
    default = FramingClassifier(block_selection=False).fit(TEXTS, Y)
    assert clf.temperature_ != default.temperature_
    # Rows 4..7 are in no test fold: left out of the temperature, not scored as zero logits.
    assert 0.05 <= clf.temperature_ <= 20.0
    with pytest.raises(ValueError, match="cv must put each sentence in at most one test fold"):
        FramingClassifier(block_selection=False, cv=[(np.arange(6), np.arange(6, 12))] * 2).fit(TEXTS, Y)
    with pytest.raises(ValueError, match=r"groups must give one group per sentence \(12\), got 3"):
        FramingClassifier(block_selection=False).fit(TEXTS, Y, groups=["a", "b", "c"])


# ----------------------------------------------------------------------------- fast paths of the training loop
@pytest.mark.parametrize("candidates", [("all",), ("ngrams",), ("lexicon",), ("voice",), ("all", "lexicon", "ngrams")])
def test_fold_matrices_score_as_the_full_transform_does(candidates):
    """Blocks no candidate keeps are left empty and narrow blocks reuse equal folds' rows: the same fits and logits."""
    from framing.features import make_features, shared_analysis, transform_in_batches
    from framing.model._classifier import _fold_transform, _frozen_rows, _scale_columns, block_scales

    texts = [json.loads(line)["text"] for line in (LABELED / "sentences.jsonl").read_text(encoding="utf-8").splitlines()[:120]]
    union = make_features().fit(texts)
    full = transform_in_batches(union, texts)
    coef = np.random.default_rng(0).normal(size=(3, full.shape[1]))
    with shared_analysis():
        _fold_transform(union, texts[:50], candidates)  # rows kept for the next call's narrow blocks
        fold = _fold_transform(union, texts, candidates)
        frozen = _frozen_rows(union, texts[60:] + texts[:60])
    reference = transform_in_batches(union, texts[60:] + texts[:60])
    for attribute in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(frozen, attribute), getattr(reference, attribute))
    for blocks in candidates:
        scales = block_scales(union, blocks)
        ours, theirs = _scale_columns(fold, scales), _scale_columns(full, scales)
        for attribute in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(ours, attribute), getattr(theirs, attribute))
        np.testing.assert_array_equal(np.asarray(fold @ (coef * scales).T), np.asarray(full @ (coef * scales).T))
