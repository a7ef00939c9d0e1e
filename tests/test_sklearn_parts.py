"""scikit-learn where it does the same job (issue 18, item 4) and the evaluation defects the review found.

The n-gram blocks are now ``TfidfVectorizer`` with a callable analyzer, the
baselines ``Pipeline``\\ s run through ``cross_val_predict``, and one bootstrap
serves reports and evaluation. Each replaced piece is checked here against
the hand-written computation it replaced, kept below as a small reference.
"""

from __future__ import annotations

import ast
import json
import math
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import framing
from framing._util import bootstrap_interval
from framing.errors import UnknownTaskError
from framing.evaluation._baselines import make_baseline, out_of_fold_proba
from framing.evaluation._metrics import _bootstrap_ci, macro_f1
from framing.features import CharNgrams, WordNgrams, analyze, check_ngram_range
from framing.model._training import TrainingConfig

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [json.loads(line)["text"] for line in (ROOT / "labeled" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
FAST = {"calibration": None, "char_min_df": 1}


# ---------------------------------------------------------------- reference: the hand-written n-gram blocks


def _reference_grams(block, text: str) -> list[str]:
    tokens = analyze(text).tokens
    low, high = block.ngram_range
    grams = []
    if isinstance(block, WordNgrams):
        for n in range(low, high + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams
    for token in tokens:
        padded = f" {token} "
        for n in range(low, high + 1):
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _reference_fit_transform(block, fit_texts, texts):
    """The removed ``_TfidfNgrams``: df-ranked vocabulary, smooth idf with math.log, sublinear tf, l2 rows."""
    df: Counter = Counter()
    for text in fit_texts:
        df.update(set(_reference_grams(block, text)))
    kept = sorted(g for g, count in df.items() if count >= block.min_df)
    if block.max_features is not None and len(kept) > block.max_features:
        kept = sorted(sorted(kept, key=lambda g: (-df[g], g))[:block.max_features])
    idf = np.asarray([math.log((1 + len(fit_texts)) / (1 + df[g])) + 1.0 for g in kept])
    column = {g: k for k, g in enumerate(kept)}
    rows = np.zeros((len(texts), len(kept)))
    for r, text in enumerate(texts):
        for gram, count in Counter(g for g in _reference_grams(block, text) if g in column).items():
            rows[r, column[gram]] = (1.0 + np.log(count)) * idf[column[gram]]
        norm = np.sqrt(np.sum(rows[r] ** 2))
        if norm:
            rows[r] /= norm
    return kept, idf, rows


@pytest.mark.parametrize("block", [WordNgrams(), WordNgrams(min_df=2, max_features=150), CharNgrams(),
                                   CharNgrams(min_df=3, max_features=400), CharNgrams((2, 4), 1)],
                         ids=["word", "word-max", "char", "char-max", "char-2-4"])
def test_ngram_blocks_on_tfidf_vectorizer_equal_the_hand_written_ones_on_the_seed_sentences(block):
    """Guards the switch to TfidfVectorizer: same feature names, idf and matrix (max_features still by df, not tf)."""
    fit_texts, texts = SEEDS[:150], SEEDS[100:]
    kept, idf, expected = _reference_fit_transform(block, fit_texts, texts)
    block.fit(fit_texts)
    assert list(block.get_feature_names_out()) == [f"{block._prefix}:{g}" for g in kept]
    assert np.array_equal(block.idf_, idf)
    got = block.transform(texts)
    assert sp.issparse(got) and got.dtype == np.float64
    # Exact to within rounding of the dense reference's own summation order.
    assert np.allclose(got.toarray(), expected, rtol=0, atol=1e-15)
    assert (block.vectorizer().transform(texts) != got).nnz == 0


def test_max_features_ranks_by_document_frequency_not_total_term_frequency():
    """TfidfVectorizer's own max_features would keep 'spam' (3 occurrences in 1 sentence); framing keeps 'talks' (2 sentences)."""
    texts = ["spam spam spam", "talks began", "talks ended"]
    names = list(WordNgrams(ngram_range=(1, 1), max_features=1).fit(texts).get_feature_names_out())
    assert names == ["word:talks"]


def test_bundled_model_ngram_blocks_equal_the_hand_written_transform():
    """The shipped blocks (loaded from model.json/weights.npz) give the matrix of the removed implementation."""
    model = framing.load()
    for name in ("word", "char"):
        block = model.features.named_transformers[name]
        column = {g: k for k, g in enumerate(block.vocabulary_)}
        got = block.transform(SEEDS[:40]).toarray()
        for r, text in enumerate(SEEDS[:40]):
            row = np.zeros(len(column))
            for gram, count in Counter(g for g in _reference_grams(block, text) if g in column).items():
                row[column[gram]] = (1.0 + np.log(count)) * block.idf_[column[gram]]
            norm = np.sqrt(np.sum(row ** 2))
            assert np.allclose(got[r], row / norm if norm else row, rtol=0, atol=1e-15), (name, r)


def test_an_ngram_block_that_learns_nothing_transforms_to_zero_columns():
    """min_df above the number of sentences: CountVectorizer refuses, the block learns an empty vocabulary as before."""
    block = CharNgrams(min_df=5).fit(["Kyiv"])
    assert block.vocabulary_ == [] and block.transform(["Kyiv", "Moscow"]).shape == (2, 0)


def test_one_ngram_range_check_names_the_parameter_and_the_allowed_values():
    with pytest.raises(ValueError, match=r"char_ngram_range must be a pair \(low, high\) of integers with 1 <= low <= high, got \(0, 2\)"):
        check_ngram_range((0, 2), "char_ngram_range")
    with pytest.raises(ValueError, match="ngram_range must be a pair"):
        WordNgrams(ngram_range=(2, 1)).fit(["a b"])


# ---------------------------------------------------------------- baselines through cross_val_predict


def _reference_fold_proba(name, config, train_items, y_train, test_items, n_classes):
    """The removed per-fold loop (_fit_proba / _majority_proba): fit on the training fold, pad absent classes with 0."""
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression

    from framing.evaluation._baselines import make_tfidf_pipeline
    from framing.model._classifier import FramingClassifier

    out = np.zeros((len(test_items), n_classes))
    present = np.unique(y_train)
    if name == "majority":
        dummy = DummyClassifier(strategy="prior").fit(np.zeros((len(y_train), 1)), y_train)
        out[:, dummy.classes_] = dummy.predict_proba(np.zeros((len(test_items), 1)))
        return out
    if name == "lexicon":
        union = FramingClassifier(**config.classifier_params()).new_features()
        union.set_params(word="drop", char="drop")
        union.fit(train_items)
        X_train, X_test, C, weight, max_iter = (union.transform(train_items), union.transform(test_items), config.C,
                                                config.class_weight, config.max_iter)
    else:
        union = make_tfidf_pipeline()
        X_train = union.fit_transform([s.text for s in train_items])
        X_test, C, weight, max_iter = union.transform([s.text for s in test_items]), 1.0, "balanced", 2000
    if len(present) == 1:
        out[:, present[0]] = 1.0
        return out
    estimator = LogisticRegression(C=C, class_weight=weight, max_iter=max_iter, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X_train, y_train)
    out[:, estimator.classes_] = estimator.predict_proba(X_test)
    return out


def _small_corpus():
    sentences = [framing.LabeledSentence(json.loads(line)["text"], json.loads(line)["labels"], article=json.loads(line)["article"])
                 for line in (ROOT / "labeled" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    return [s for s in sentences if "attribution" in s.labels][::3]  # every article, 71 sentences


@pytest.mark.parametrize("name", ["majority", "lexicon", "tfidf"])
def test_baselines_through_cross_val_predict_equal_the_per_fold_loop(name):
    """Guards the switch to Pipeline + cross_val_predict: same probabilities, absent classes padded with 0."""
    from sklearn.model_selection import GroupKFold

    items = _small_corpus()
    classes = ["named", "anonymous", "none", "never_seen"]  # a schema class no sentence has
    y = np.asarray([classes.index(s.labels["attribution"]) for s in items])
    groups = [s.article for s in items]
    folds = list(GroupKFold(n_splits=3).split(np.zeros(len(items)), y, groups))
    config = TrainingConfig()
    X = {"majority": np.zeros((len(items), 1)), "lexicon": items, "tfidf": [s.text for s in items]}[name]
    got = out_of_fold_proba(make_baseline(name, config), X, y, folds, len(classes))
    expected = np.zeros_like(got)
    for train, test in folds:
        expected[test] = _reference_fold_proba(name, config, [items[i] for i in train], y[train],
                                               [items[i] for i in test], len(classes))
    assert np.allclose(got, expected, rtol=0, atol=1e-12)
    assert (got[:, 3] == 0).all() and np.allclose(got.sum(axis=1), 1.0)


def test_a_training_fold_with_one_class_predicts_that_class():
    """LogisticRegression cannot fit one class; the baseline falls back to the prior (probability 1), as before."""
    X = [f"sentence {i}" for i in range(6)]
    y = np.asarray([0, 0, 0, 1, 1, 1])
    folds = [(np.array([0, 1]), np.array([3, 4, 5])), (np.array([2, 3, 4, 5]), np.array([0, 1, 2]))]
    got = out_of_fold_proba(make_baseline("tfidf", TrainingConfig()), X, y, folds, 2)
    assert (got[3:] == [1.0, 0.0]).all()


# ---------------------------------------------------------------- one bootstrap


def test_evaluation_bootstrap_draws_what_scipy_bootstrap_drew():
    """The macro-F1 interval, formerly scipy.stats.bootstrap, now from the one numpy bootstrap: same resamples."""
    from scipy import stats

    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 150)
    p = np.where(rng.random(150) < 0.7, y, rng.integers(0, 3, 150))

    def statistic(a, b, axis=-1):
        return macro_f1(a, b, [0, 1, 2], axis=axis)

    ours = _bootstrap_ci([y, p], statistic, 500, 7)
    theirs = stats.bootstrap((y, p), statistic, paired=True, vectorized=True, n_resamples=500, method="percentile",
                             random_state=np.random.default_rng(7))
    # The same draws; the two quantile routines may round the interpolation differently in the last bit.
    assert np.allclose(ours, theirs.confidence_interval, rtol=0, atol=1e-12)
    assert _bootstrap_ci([y, p], statistic, 0, 7) is None


def test_one_bootstrap_keeps_the_mean_interval_of_reports():
    values = np.random.default_rng(0).random(57)
    rng = np.random.default_rng(4)
    means = values[rng.integers(0, 57, size=(300, 57))].mean(axis=1)
    assert bootstrap_interval(values, 0.9, 300, 4) == tuple(float(v) for v in np.quantile(means, [0.05, 0.95]))
    assert bootstrap_interval([0.5], 0.95, 300, 4) is None


# ---------------------------------------------------------------- evaluation defects


SCHEMA = framing.Schema.from_dict({"tasks": {"loaded": {"type": "binary", "classes": [False, True]},
                                             "hedged": {"type": "binary", "classes": [False, True]}}})


def _partially_labelled():
    words = ["regime", "thugs", "talks", "envoys", "prices", "junta"]
    sentences = []
    for article in range(3):
        for k in range(8):
            loaded = k % 2 == 0
            labels = {"loaded": loaded}
            if k % 4 != 3:  # every fourth sentence lacks the hedged label
                labels["hedged"] = k % 3 == 0
            text = f"The {words[(article + k) % 6]} {'lied' if loaded else 'met'} {'reportedly' if k % 3 == 0 else 'today'}."
            sentences.append(framing.LabeledSentence(text, labels, article=f"a{article}", id=f"a{article}-{k}"))
    return sentences


def test_evaluate_accepts_partially_labelled_sentences_that_train_accepts():
    """Was KeyError: 'hedged'. A sentence without a task's label does not count for that task."""
    sentences = _partially_labelled()
    framing.train(sentences, schema=SCHEMA, config=TrainingConfig.from_dict({**TrainingConfig().to_dict(), **FAST}))
    result = framing.evaluate(sentences, schema=SCHEMA, baselines=("majority", "lexicon", "tfidf"), learning_curve=True,
                              bootstrap=20, config=FAST)
    n_hedged = sum("hedged" in s.labels for s in sentences)
    assert result.tasks["loaded"].n_sentences == len(sentences)
    assert result.tasks["hedged"].n_sentences == n_hedged < len(sentences)
    index = result.predictions["hedged"]["index"]
    assert all("hedged" in sentences[i].labels for i in index)
    assert all(len(proba) == n_hedged for proba in result.predictions["hedged"]["proba"].values())


def test_evaluate_unknown_task_is_an_unknown_task_error_naming_the_task_and_the_choices():
    """Was a bare KeyError."""
    with pytest.raises(UnknownTaskError) as caught:
        framing.evaluate(_partially_labelled(), schema=SCHEMA, tasks=["lodaed"], baselines=(), config=FAST)
    assert caught.value.task == "lodaed" and caught.value.available == ["loaded", "hedged"]
    assert "unknown task 'lodaed'; available: ['loaded', 'hedged']" in str(caught.value)
    with pytest.raises(KeyError):  # still a KeyError for callers that catch that
        framing.evaluate(_partially_labelled(), schema=SCHEMA, tasks="boilerplate", baselines=(), config=FAST)


def test_evaluate_tasks_given_as_one_string_means_one_task():
    result = framing.evaluate(_partially_labelled(), schema=SCHEMA, tasks="loaded", baselines=(), learning_curve=False,
                              bootstrap=0, config=FAST)
    assert list(result.tasks) == ["loaded"]


# ---------------------------------------------------------------- scikit-learn internals behind framing/_compat.py


def test_private_scikit_learn_names_are_imported_only_by_the_compat_module():
    """A private name (``_fit_context``, ``sklearn.utils._param_validation``) imported anywhere else fails here."""
    offenders = []
    for path in sorted((ROOT / "framing").rglob("*.py")):
        if path.name == "_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                private_module = any(part.startswith("_") for part in node.module.split("."))
                private_names = [alias.name for alias in node.names if alias.name.startswith("_")]
                if private_module or private_names:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Attribute) and node.attr == "_sklearn_output_config":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_folds_in_worker_processes_give_the_scores_of_folds_in_one_process():
    """The baselines moved out of the per-fold job (one cross_val_predict per task): parallel folds must not change a score."""
    options = dict(schema=SCHEMA, baselines=("majority", "tfidf"), learning_curve=True, bootstrap=20, config=FAST)
    one = framing.evaluate(_partially_labelled(), n_jobs=1, **options).to_dict()
    two = framing.evaluate(_partially_labelled(), n_jobs=2, **options).to_dict()
    assert one["tasks"] == two["tasks"]
