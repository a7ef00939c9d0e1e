"""The feature transformers: regressions for silent bugs, parameter validation, TF-IDF equivalence."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

import framing
from framing import LabeledSentence, Lexicon, LexiconEntry, Span
from framing.features import (
    AttributionFeatures,
    CharNgrams,
    HedgeFeatures,
    LexiconFeatures,
    ShapeFeatures,
    WordNgrams,
    analyze,
)

BATCH = [
    "The corrupt Kyiv regime reportedly rejected the plan, analysts say.",
    "The delegations met in Florida on Sunday.",
    'Rubio said: "We made progress, but there is more work to do."',
    "Zelenskiy’s refusal to hold elections has complicated this further.",
    "Talks stall in Geneva",
    "Prices rose by 3 percent in October; the ruble fell 2.5% against the dollar.",
    "Officials said the talks might fail, according to sources familiar with the matter.",
    "The talks, the talks and the talks again: nothing but talks.",
    "",
    "Κυβέρνηση και Ουκρανία συνομιλούν στη Φλόριντα.",
]


def _column(transformer, name):
    return list(transformer.get_feature_names_out()).index(name)


# ---------------------------------------------------------------------- regressions


def test_hedge_features_with_a_lexicon_without_hedges_find_no_hedge():
    no_hedges = Lexicon([entry for entry in framing.load_lexicon() if entry.lexicon != "hedge"])
    features = HedgeFeatures(lexicon=no_hedges).fit(["x"])
    row = features.transform(["The plan reportedly failed."]).toarray()[0]
    assert row[_column(features, "hedge:any")] == 0.0
    bundled = HedgeFeatures().fit(["x"])
    assert bundled.transform(["The plan reportedly failed."]).toarray()[0][_column(bundled, "hedge:any")] == 1.0


def test_attribution_features_with_an_empty_lexicon_find_no_cue():
    features = AttributionFeatures(lexicon=Lexicon([])).fit(["x"])
    row = features.transform(["Officials said the plan failed."]).toarray()[0]
    assert row[_column(features, "attr:cue")] == 0.0


def test_lexicon_harvesting_reads_a_generator_once():
    sentence = LabeledSentence("The plan was a shambolic fiasco.", {"loaded": True},
                               spans=(Span(18, 31, "loaded", "shambolic fiasco"),))
    from_list = LexiconFeatures().fit([sentence])
    from_generator = LexiconFeatures().fit(s for s in [sentence])
    assert from_list.n_harvested_ == 1
    assert from_generator.n_harvested_ == 1
    assert list(from_generator.get_feature_names_out()) == list(from_list.get_feature_names_out())


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(("transformer", "message"), [
    (WordNgrams(ngram_range=(2, 1)), r"ngram_range must be a pair .* got \(2, 1\)"),
    (CharNgrams(ngram_range=(0, 3)), r"ngram_range must be a pair .* got \(0, 3\)"),
    (WordNgrams(max_features=-1), r"'max_features' parameter of WordNgrams must be .* Got -1"),
    (WordNgrams(min_df=1.5), r"'min_df' parameter of WordNgrams must be an int in the range \[1, inf\). Got 1.5"),
    (AttributionFeatures(window=-3), r"'window' parameter of AttributionFeatures must be .* Got -3"),
    (LexiconFeatures(lexicons="hedge"), r"'lexicons' parameter of LexiconFeatures must be an instance of 'tuple'"),
    (LexiconFeatures(lexicons=("hedge", "spin")), r"unknown lexicons \['spin'\]"),
    (LexiconFeatures(harvest_min_count=0), r"'harvest_min_count' parameter .* Got 0"),
    (HedgeFeatures(lexicon="bundled"), r"'lexicon' parameter of HedgeFeatures must be an instance of"),
])
def test_invalid_parameters_are_refused_with_the_value(transformer, message):
    with pytest.raises(ValueError, match=message):
        transformer.fit(BATCH)


@pytest.mark.parametrize("cls", [WordNgrams, CharNgrams])
def test_ngrams_refuse_to_fit_on_nothing(cls):
    with pytest.raises(ValueError, match="at least one sentence"):
        cls().fit([])


def test_pattern_features_keep_their_columns_on_an_empty_fit():
    for cls in (AttributionFeatures, HedgeFeatures, ShapeFeatures):
        assert len(cls().fit([]).get_feature_names_out()) == len(cls._names)


# ---------------------------------------------------------------------- TF-IDF equivalence


def _tokens(text: str) -> str:
    return " ".join(analyze(text).tokens)


def _same_matrix(ours, names, reference, vectorizer, prefix):
    reference_names = [f"{prefix}:{name}" for name in vectorizer.get_feature_names_out()]
    assert sorted(reference_names) == sorted(names)
    order = [reference_names.index(name) for name in names]
    np.testing.assert_allclose(ours.toarray(), reference.toarray()[:, order], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("ngram_range", "min_df"), [((1, 1), 1), ((1, 2), 1), ((1, 3), 2)])
def test_word_ngrams_equal_tfidf_vectorizer(ngram_range, min_df):
    ours = WordNgrams(ngram_range=ngram_range, min_df=min_df).fit(BATCH)
    vectorizer = TfidfVectorizer(analyzer="word", tokenizer=str.split, token_pattern=None, lowercase=False,
                                 ngram_range=ngram_range, min_df=min_df, sublinear_tf=True, smooth_idf=True, norm="l2")
    reference = vectorizer.fit([_tokens(t) for t in BATCH])
    probe = BATCH + ["The regime and the talks, the talks."]
    _same_matrix(ours.transform(probe), list(ours.get_feature_names_out()),
                 reference.transform([_tokens(t) for t in probe]), vectorizer, "word")


@pytest.mark.parametrize(("ngram_range", "min_df"), [((3, 5), 2), ((2, 4), 1)])
def test_char_ngrams_equal_tfidf_vectorizer_char_wb(ngram_range, min_df):
    ours = CharNgrams(ngram_range=ngram_range, min_df=min_df).fit(BATCH)
    vectorizer = TfidfVectorizer(analyzer="char_wb", lowercase=False, ngram_range=ngram_range, min_df=min_df,
                                 sublinear_tf=True, smooth_idf=True, norm="l2")
    vectorizer.fit([_tokens(t) for t in BATCH])
    probe = BATCH + ["Regime talks regime."]
    _same_matrix(ours.transform(probe), list(ours.get_feature_names_out()),
                 vectorizer.transform([_tokens(t) for t in probe]), vectorizer, "char")


def test_lexicon_entry_is_public():
    assert isinstance(next(iter(framing.load_lexicon())), LexiconEntry)
