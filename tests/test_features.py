"""Contract tests for the feature transformers (framing.features) and the union from make_features().

The transformers are imported from :mod:`framing.features`, their API; the
union is what :func:`framing.train` fits.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import FeatureUnion

from framing import LabeledSentence, load_lexicon
from framing.data import Span
from framing.features import (
    AttributionFeatures,
    CharNgrams,
    HedgeFeatures,
    LexiconFeatures,
    ShapeFeatures,
    WordNgrams,
    make_features,
)
from framing.lexicon._lexicon import LEXICON_NAMES, LexiconEntry

TRAIN = [
    "The corrupt regime reportedly lied again, analysts say.",
    'Rubio said: "The talks may fail."',
    "Prices rose 19.3% in October, according to a senior US official.",
    "Related Posts",
    "The talks are expected to be difficult.",
]
NEW = ["Kushner will fly to Moscow, officials said.", "Share this article", ""]

#: name -> (factory, a parameter to change, its new value, the prefix of every feature name)
TRANSFORMERS = {
    "lexicon": (lambda: LexiconFeatures(), "harvest_min_count", 3, tuple(LEXICON_NAMES)),
    "attribution": (lambda: AttributionFeatures(), "window", 2, ("attr:",)),
    "hedging": (lambda: HedgeFeatures(), "lexicon", load_lexicon(bundled=False), ("hedge:",)),
    "shape": (lambda: ShapeFeatures(), None, None, ("shape:",)),
    "word": (lambda: WordNgrams(), "ngram_range", (1, 3), ("word:",)),
    "char": (lambda: CharNgrams(min_df=1), "min_df", 2, ("char:",)),
}
NAMES = sorted(TRANSFORMERS)


def learned_state(estimator):
    return sorted(key for key in vars(estimator) if key.endswith("_") and not key.startswith("_"))


@pytest.mark.parametrize("name", NAMES)
def test_init_sets_no_learned_state_and_clone_works(name):
    factory, *_ = TRANSFORMERS[name]
    estimator = factory()
    assert learned_state(estimator) == []
    copy = clone(estimator)
    assert type(copy) is type(estimator) and copy is not estimator
    assert copy.get_params() == estimator.get_params()
    # A clone of a fitted transformer is unfitted.
    estimator.fit(TRAIN)
    assert learned_state(estimator) != []
    assert learned_state(clone(estimator)) == []


@pytest.mark.parametrize("name", NAMES)
def test_get_params_set_params_round_trip(name):
    factory, param, value, _ = TRANSFORMERS[name]
    estimator = factory()
    params = estimator.get_params()
    assert estimator.set_params(**params) is estimator
    assert estimator.get_params() == params
    assert sorted(params) == sorted(type(estimator)().get_params())  # every __init__ argument is a parameter
    if param is None:
        assert params == {}
        return
    estimator.set_params(**{param: value})
    assert estimator.get_params()[param] is value or estimator.get_params()[param] == value
    assert clone(estimator).get_params()[param] == value
    with pytest.raises(ValueError):
        estimator.set_params(no_such_parameter=1)


@pytest.mark.parametrize("name", NAMES)
def test_fit_returns_self_and_transform_before_fit_raises(name):
    factory, *_ = TRANSFORMERS[name]
    estimator = factory()
    with pytest.raises(NotFittedError):
        estimator.transform(NEW)
    with pytest.raises(NotFittedError):
        estimator.get_feature_names_out()
    assert estimator.fit(TRAIN) is estimator
    assert estimator.fit_transform(TRAIN).shape[0] == len(TRAIN)


@pytest.mark.parametrize("name", NAMES)
def test_feature_names_match_the_columns_and_are_readable(name):
    factory, _, _, prefixes = TRANSFORMERS[name]
    estimator = factory().fit(TRAIN)
    X = estimator.transform(NEW + TRAIN)
    names = estimator.get_feature_names_out()
    assert sp.issparse(X) and X.shape == (len(NEW) + len(TRAIN), len(names)) and len(names) > 0
    assert np.all(np.isfinite(X.toarray()))
    assert len(set(names)) == len(names)
    assert all(isinstance(n, str) and n.startswith(prefixes) and n.isprintable() for n in names), names[:10]
    assert X[len(NEW) - 1].nnz == 0 or name == "shape"  # the empty sentence has (almost) nothing


@pytest.mark.parametrize("name", NAMES)
def test_transform_takes_labeled_sentences_and_refuses_a_single_string(name):
    factory, *_ = TRANSFORMERS[name]
    estimator = factory().fit(TRAIN)
    objects = [LabeledSentence(text, {"loaded": False}) for text in NEW]
    assert (estimator.transform(objects) != estimator.transform(NEW)).nnz == 0
    with pytest.raises(TypeError, match="single str"):
        estimator.transform("The regime lied.")
    with pytest.raises(TypeError, match="sentence 1 must be str"):
        estimator.transform(["fine", 42])


def column(estimator, X, feature):
    names = list(estimator.get_feature_names_out())
    return X[:, names.index(feature)].toarray().ravel()


def test_expected_feature_names_per_transformer():
    lexicon = LexiconFeatures().fit(TRAIN)
    X = lexicon.transform(["The corrupt regime, reportedly."])
    found = {lexicon.get_feature_names_out()[i] for i in X.nonzero()[1]}
    assert found == {"hedge:reportedly", "hedge[distancing]", "loaded:corrupt", "loaded[pejorative]", "loaded:regime",
                     "loaded[partisan_label]", "naming:regime", "naming[pro_russia]",
                     "valence:corrupt", "valence[negative]"}  # the polarity lexicon (VADER / Pattern) lists "corrupt"
    word = WordNgrams().fit(["The Kyiv regime fell."])
    assert list(word.get_feature_names_out()) == ["word:fell", "word:kyiv", "word:kyiv regime", "word:regime",
                                                  "word:regime fell", "word:the", "word:the kyiv"]
    char = CharNgrams(ngram_range=(3, 3), min_df=1).fit(["Kyiv"])
    assert list(char.get_feature_names_out()) == ["char: ky", "char:iv ", "char:kyi", "char:yiv"]
    hedge = HedgeFeatures().fit(TRAIN)
    assert column(hedge, hedge.transform(["The talks are expected to be difficult."]), "hedge:expected_to")[0] == 1.0
    attribution = AttributionFeatures().fit(TRAIN)
    X = attribution.transform(["Kushner will fly, according to a senior US official.", "Kushner will fly."])
    assert list(column(attribution, X, "attr:vague_near_cue")) == [1.0, 0.0]
    shape = ShapeFeatures().fit(TRAIN)
    assert list(column(shape, shape.transform(["Related Posts", "Talks ended."]), "shape:line")) == [1.0, 0.0]


# ---------------------------------------------------------------------- quotation vs author's voice


def test_the_same_word_in_quotes_and_in_the_authors_voice_gives_different_features():
    lexicon = LexiconFeatures().fit(TRAIN)
    hedge = HedgeFeatures().fit(TRAIN)
    author, quoted = "The corrupt regime may fall.", 'He said: "The corrupt regime may fall."'
    X = lexicon.transform([author, quoted])
    assert list(column(lexicon, X, "loaded[pejorative]")) == [1.0, 0.0]
    assert list(column(lexicon, X, "loaded[pejorative]@quote")) == [0.0, 1.0]
    assert list(column(lexicon, X, "loaded:corrupt")) == [1.0, 1.0]  # the term column is voice-independent
    H = hedge.transform([author, quoted])
    assert list(column(hedge, H, "hedge:modal")) == [1.0, 0.0]
    assert list(column(hedge, H, "hedge:modal@quote")) == [0.0, 1.0]
    assert list(column(hedge, H, "hedge:any")) == [1.0, 0.0]
    assert list(column(hedge, H, "hedge:any@quote")) == [0.0, 1.0]


def test_straight_and_curly_quotes_both_count_as_quotation():
    lexicon = LexiconFeatures().fit(TRAIN)
    X = lexicon.transform(['She said "the regime" lied.', "She said “the regime” lied.", "She said «the regime» lied."])
    assert list(column(lexicon, X, "loaded[partisan_label]@quote")) == [1.0, 1.0, 1.0]
    assert list(column(lexicon, X, "loaded[partisan_label]")) == [0.0, 0.0, 0.0]


# ---------------------------------------------------------------------- harvesting


def spanned(text, term, span_type="loaded"):
    start = text.index(term)
    return LabeledSentence(text, {"loaded": True}, spans=(Span(start, start + len(term), span_type, term),))


FOLD_A = [spanned("The junta's goons attacked.", "goons"), "Talks began.",
          spanned("A source close to the talks, Western hawks say.", "Western hawks", "source")]
FOLD_B = [spanned("Bloodthirsty zealots attacked.", "Bloodthirsty zealots"), "Talks ended."]


def test_function_words_are_never_harvested():
    spans = [spanned("They said it of the plan.", "of the", "loaded"), spanned("His aides said so.", "His", "source")]
    assert LexiconFeatures().fit(spans * 3).n_harvested_ == 0
    assert LexiconFeatures().fit([spanned("Thugs ran the city.", "Thugs", "loaded")]).n_harvested_ == 1


def test_harvested_terms_come_only_from_the_fit_data():
    on_a = LexiconFeatures().fit(FOLD_A)
    on_b = LexiconFeatures().fit(FOLD_B)
    names_a, names_b = set(on_a.get_feature_names_out()), set(on_b.get_feature_names_out())
    assert "loaded:goons" in names_a and "loaded:goons" not in names_b
    assert "loaded:bloodthirsty zealots" in names_b and "loaded:bloodthirsty zealots" not in names_a
    assert "loaded[harvested]" in names_a and on_a.n_harvested_ == 1
    # Named (capitalised) sources are people, not vocabulary: never harvested.
    assert not any("western hawks" in n for n in names_a)
    # What fold A never saw scores nothing as a term in fold B's sentence.
    row = on_a.transform(["Bloodthirsty zealots attacked."])
    fired = {names[i] for names in [on_a.get_feature_names_out()] for i in row.nonzero()[1]}
    assert not any("zealots" in name or name.endswith("[harvested]") for name in fired), fired
    # Strings carry no spans: fitting on the texts alone harvests nothing.
    assert LexiconFeatures().fit([getattr(s, "text", s) for s in FOLD_A]).n_harvested_ == 0
    assert LexiconFeatures(harvest=False).fit(FOLD_A).n_harvested_ == 0


def test_harvest_min_count_and_union_harvest_follow_the_fit_data():
    twice = FOLD_A + [spanned("More goons came.", "goons")]
    assert "loaded:goons" not in LexiconFeatures(harvest_min_count=3).fit(twice).get_feature_names_out()
    assert "loaded:goons" in LexiconFeatures(harvest_min_count=2).fit(twice).get_feature_names_out()
    union_a = make_features(char_min_df=1).fit(FOLD_A)
    union_b = make_features(char_min_df=1).fit(FOLD_B)
    assert "loaded:goons" in union_a.get_feature_names_out()
    assert "loaded:goons" not in union_b.get_feature_names_out()
    assert "word:zealots" not in union_a.get_feature_names_out()  # n-gram vocabularies are fit-data only too


def test_a_term_named_like_a_pattern_column_does_not_break_the_union():
    # "hedge:any" is a HedgeFeatures column; a harvested or user hedge term "any" used to duplicate it
    # and make union.get_feature_names_out() raise (bug fixed in _features.py).
    union = make_features(lexicon=load_lexicon([LexiconEntry("hedge", "any", "user")]), char_min_df=1)
    union.fit([spanned("They modal fell.", "modal", "hedge"), "Other thing."])
    names = list(union.get_feature_names_out())
    assert len(names) == len(set(names)) == union.transform(["They modal fell."]).shape[1]
    assert "hedge:any" in names and "hedge[harvested]" in names and "hedge[user]" in names
    lexicon_part = union.named_transformers["lexicon"]
    row = lexicon_part.transform(["They any fell, modal."])
    assert column(lexicon_part, row, "hedge[harvested]")[0] == 1.0 and column(lexicon_part, row, "hedge[user]")[0] == 1.0


# ---------------------------------------------------------------------- the union


def test_make_features_union_contract():
    union = make_features()
    assert isinstance(union, FeatureUnion)
    assert [name for name, _ in union.transformer_list] == ["lexicon", "attribution", "hedging", "shape", "voice", "word", "char"]
    copy = clone(union)
    assert copy.get_params(deep=False).keys() == union.get_params(deep=False).keys()
    params = union.get_params(deep=True)
    assert union.set_params(**{"word__ngram_range": (1, 1)}) is union
    assert union.get_params()["word__ngram_range"] == (1, 1)
    union.set_params(word__ngram_range=params["word__ngram_range"])
    assert all(learned_state(t) == [] for _, t in union.transformer_list)
    with pytest.raises(NotFittedError):
        union.transform(NEW)
    assert union.fit(TRAIN) is union
    X = union.transform(NEW + TRAIN)
    names = union.get_feature_names_out()
    assert X.shape == (len(NEW) + len(TRAIN), len(names))
    assert len(set(names)) == len(names)
    prefixes = (tuple(f"{n}:" for n in LEXICON_NAMES) + tuple(f"{n}[" for n in LEXICON_NAMES)
                + ("attr:", "hedge:", "shape:", "voice:", "word:", "char:"))
    assert all(n.startswith(prefixes) for n in names)
    assert sum(len(t.get_feature_names_out()) for _, t in union.transformer_list) == len(names)
    # Column blocks follow the transformer order, so a name indexes the right column.
    i = list(names).index("word:regime")
    assert X[len(NEW), i] > 0 and X[len(NEW) + 1, i] == 0


def test_union_transformer_weights_scale_their_block():
    plain = make_features().fit(TRAIN)
    heavy = make_features(transformer_weights={"shape": 3.0}).fit(TRAIN)
    names = list(plain.get_feature_names_out())
    i = names.index("shape:line")
    a, b = plain.transform(["Related Posts"]), heavy.transform(["Related Posts"])
    assert a[0, i] == 1.0 and b[0, i] == 3.0
    j = names.index("word:related") if "word:related" in names else names.index("word:posts")
    assert a[0, j] == b[0, j]
