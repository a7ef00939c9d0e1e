"""Evidence in words (issue 19, item 5): internal feature names become words of the text and a readable kind.

Every example sentence is written for these tests. The units are hand-made records (the ``to_dict()`` form
of a :class:`framing.SentenceScore`) and hand-made ``SentenceScore`` objects: the descriptions depend only
on the names and the unit, never on a model's weights; one test walks every feature name of the bundled model.
"""

from __future__ import annotations

import re

import pytest

from framing import SentenceScore
from framing.report._describe import describe_evidence, describe_feature, evidence_words, is_hidden_feature, source_counts

TEXT = 'Militant union barons said: "The Greedy bosses are reportedly lying." An insider told us more.'


def cue(text, words, cue_type, term, category="", in_quote=False):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "type": cue_type, "term": term, "category": category,
            "in_quote": in_quote}


@pytest.fixture()
def unit():
    quote_start = TEXT.index("The Greedy")
    return {
        "text": TEXT, "voice": "mixed", "speaker": "Militant union barons", "speaker_kind": "anonymous",
        "quoted": [[quote_start, TEXT.index('."') + 1]],
        "sources": [{"text": "Militant union barons", "kind": "anonymous", "start": 0, "end": 21},
                    {"text": "An insider", "kind": "anonymous", "start": TEXT.index("An insider"),
                     "end": TEXT.index("An insider") + 10}],
        "cues": [cue(TEXT, "Militant", "loaded", "militant", "pejorative"),
                 cue(TEXT, "Greedy", "loaded", "greedy", "pejorative", in_quote=True),
                 cue(TEXT, "reportedly", "hedge", "reportedly", "distancing", in_quote=True),
                 cue(TEXT, "said", "attribution_cue", "said", "speech_cue"),
                 cue(TEXT, "said", "source", "said", "harvested"),
                 cue(TEXT, "told", "attribution_cue", "told", "speech_cue")],
    }


def test_lexicon_terms_are_named_by_their_kind_and_written_as_in_the_text(unit):
    assert describe_feature("loaded:greedy") == "loaded word 'greedy'"
    assert describe_feature("loaded:greedy", unit=unit) == "loaded word 'Greedy' inside a quotation"
    assert describe_feature("loaded:militant", unit=unit) == "loaded word 'Militant'"
    assert describe_feature("hedge:reportedly") == "hedge 'reportedly'"
    assert describe_feature("booster:very") == "booster 'very'"
    assert describe_feature("loaded:union barons", TEXT) == "loaded phrase 'union barons'"
    assert describe_feature("loaded:capitulat*") == "loaded word 'capitulat…'"
    assert describe_feature("loaded:capitulat*", "They capitulated at once.") == "loaded word 'capitulated'"
    assert describe_feature("org:kremlin", "The Kremlin denied it.") == "organisation 'Kremlin'"
    assert describe_feature("valence:ruin") == "sentiment word 'ruin'"


def test_a_cue_verb_is_never_described_as_a_source(unit):
    # A harvested source term that is a speech verb ("said") reads as what it is.
    assert describe_feature("source:said", unit=unit) == "attribution cue 'said'"
    assert describe_feature("source:said") == "attribution cue 'said'"
    assert describe_feature("attribution:told", unit=unit) == "attribution cue 'told'"
    # A real source term takes the voice stage's kind of the phrase it is part of.
    officials = {"text": "Officials said no.", "cues": [cue("Officials said no.", "Officials", "source", "officials",
                                                            "vague_source")],
                 "sources": [{"text": "Officials", "kind": "anonymous", "start": 0, "end": 9}]}
    assert describe_feature("source:officials", unit=officials) == "anonymous source 'Officials'"
    assert describe_feature("source:officials") == "source 'officials'"


def test_category_columns_name_the_units_words(unit):
    assert describe_feature("loaded[pejorative]@quote", unit=unit) == "loaded word 'Greedy' inside a quotation"
    assert describe_feature("loaded[pejorative]", unit=unit) == "loaded word 'Militant'"
    assert describe_feature("hedge[distancing]@quote", unit=unit) == "hedge 'reportedly' inside a quotation"
    # Without a unit, the category is the reader's word; a category that only says how a term entered the
    # lexicon ("harvested") is not shown.
    assert describe_feature("loaded[pejorative]") == "loaded words (pejorative)"
    assert describe_feature("loaded[harvested]") == "loaded words"
    assert describe_feature("valence[negative]") == "negative words"
    two = {"text": "Thugs and a mob.", "cues": [cue("Thugs and a mob.", "Thugs", "loaded", "thugs", "harvested"),
                                               cue("Thugs and a mob.", "mob", "loaded", "mob", "harvested")]}
    assert describe_feature("loaded[harvested]", unit=two) == "loaded words 'Thugs', 'mob'"


def test_voice_columns_name_the_source_phrase_of_the_unit(unit):
    assert describe_feature("voice:source_anonymous", unit=unit) == "anonymous sources 'Militant union barons', 'An insider'"
    lynch = {"text": "RMT general secretary Mick Lynch said it.", "voice": "author",
             "sources": [{"text": "RMT general secretary Mick Lynch", "kind": "named", "start": 0, "end": 32}]}
    assert describe_feature("voice:source_named", unit=lynch) == "named source 'RMT general secretary Mick Lynch'"
    assert describe_feature("voice:source_anonymous", unit=lynch) == "anonymous source"  # none in this unit
    assert describe_feature("voice:source_anonymous") == "anonymous source"
    assert describe_feature("voice:quoted_share", unit=unit) == "quotation of Militant union barons"
    assert describe_feature("voice:voice_quoted") == "quotation"
    assert describe_feature("attr:quote_marks", unit=unit) == "quotation of Militant union barons"
    marker = "A soldier, who asked to be identified only by his call sign, said the line held."
    assert describe_feature("voice:anonymity_marker", marker) == "anonymity marker 'asked to be identified only'"
    assert describe_feature("voice:according_to", "According to the Bank of England, prices rose.") == \
        "attribution cue 'According to'"
    assert describe_feature("voice:cue", unit=unit) == "attribution cues 'said', 'told'"
    assert describe_feature("voice:speaker_anonymous", unit=unit) == "anonymous speaker 'Militant union barons'"
    assert describe_feature("voice:speaker_named") == "named speaker"
    assert describe_feature("voice:content_share") == "reported speech"
    assert describe_feature("voice:attribution_named", unit=lynch) == "named source 'RMT general secretary Mick Lynch'"
    assert describe_feature("voice:something_new") == "voice: something new"


def test_pattern_columns_read_as_words(unit):
    assert describe_feature("attr:vague_near_cue", unit=unit) == "anonymous sources 'Militant union barons', 'An insider'"
    assert describe_feature("attr:cue", unit=unit) == "attribution cues 'said', 'told'"
    assert describe_feature("hedge:any@quote", unit=unit) == "hedge 'reportedly' inside a quotation"
    assert describe_feature("hedge:modal", "The talks may fail.") == "modal verb 'may'"
    assert describe_feature("hedge:expected_to", "It is Expected to fall.") == "hedge 'Expected to'"
    assert describe_feature("hedge:expected_to") == "hedge 'expected to'"
    assert describe_feature("attr:first_person", "We will fight, I promise.") == "first person 'We', 'I'"


def test_n_grams_are_words_and_phrases_of_the_text():
    assert describe_feature("word:regime") == "word 'regime'"
    assert describe_feature("word:the country") == "phrase 'the country'"
    assert describe_feature("word:the country", "They hold The  country to ransom.") == "phrase 'The  country'"
    assert describe_feature("word:ransom", "Not here.") == "word 'ransom'"


def test_stance_columns_read_as_words():
    assert describe_feature("stance:negative:blame_target") == "blame aimed at an actor of the negative pole"
    assert describe_feature("stance:us:mention") == "mention of US"
    assert describe_feature("stance:both_us_and_europe:mention") == "mention of both US and Europe"
    kyiv = {"text": "The Kiev regime fell.", "cues": [cue("The Kiev regime fell.", "Kiev regime", "naming", "kiev regime",
                                                          "pro_russia")]}
    assert describe_feature("stance:naming:pro_russia", unit=kyiv) == "naming that leans pro_russia 'Kiev regime'"
    assert describe_feature("stance:naming:pro_russia@quote") == "naming that leans pro_russia inside a quotation"
    assert describe_feature("naming:kiev regime", unit=kyiv) == "naming that leans pro_russia 'Kiev regime'"


def test_character_n_grams_and_layout_are_not_evidence_on_their_own():
    for name in ("char:gre", "char: re", "shape:line", "shape:log_tokens"):
        assert is_hidden_feature(name) and describe_feature(name) is None
    assert not is_hidden_feature("word:char")


def test_the_list_merges_what_reads_the_same_and_falls_back_only_when_nothing_else_explains(unit):
    items = [("loaded[pejorative]@quote", 0.5), ("char:gre", 0.9), ("loaded:greedy", 0.3), ("word:bosses", 0.6),
             ("shape:line", 0.2)]
    described = describe_evidence(items, unit=unit)
    assert [text for text, _ in described] == ["loaded word 'Greedy' inside a quotation", "word 'bosses'"]
    assert described[0][1] == pytest.approx(0.8)
    assert describe_evidence(items, unit=unit, limit=1) == described[:1]
    assert describe_evidence([("char:gre", 0.4), ("shape:short", 0.1)]) == [("letters 'gre'", 0.4),
                                                                           ("layout: a short line", 0.1)]
    assert describe_evidence([]) == []


def test_a_sentence_score_works_like_its_record(unit):
    score = SentenceScore(0, 0, len(TEXT), TEXT, "sentence", 0.0, {}, {}, {}, unit["cues"], unit["voice"],
                          unit["speaker"], unit["speaker_kind"], unit["sources"], unit["quoted"])
    for name in ("loaded:greedy", "voice:source_anonymous", "attr:quote_share", "hedge[distancing]@quote"):
        assert describe_feature(name, unit=score) == describe_feature(name, unit=unit)


def test_article_level_evidence_names_words_from_the_scored_units(unit):
    furniture = {"text": "Greedy? Subscribe now", "boilerplate": 0.9,
                 "cues": [cue("Greedy? Subscribe now", "Greedy", "loaded", "greedy")]}
    record = {"top_terms": {"loaded": {"true": [["loaded:greedy", 1.0], ["voice:source_anonymous", 0.5]]}},
              "sentences": [furniture, dict(unit, boilerplate=0.1)]}
    assert evidence_words(record, "loaded", "true") == ["loaded word 'Greedy' inside a quotation",
                                                        "anonymous sources 'Militant union barons', 'An insider'"]
    assert evidence_words(record, "hedged", "true") == []


def test_source_counts_list_phrases_never_pronouns_or_cues(unit):
    he = {"sources": [{"text": "he", "kind": "named"}]}
    assert source_counts([unit, he, unit]) == [("An insider", "anonymous", 2), ("Militant union barons", "anonymous", 2)]


#: How an internal name looks: a lexicon or block prefix and a colon, a [category] or an @quote suffix.
INTERNAL = re.compile(r"^(loaded|naming|hedge|booster|attribution|source|org|valence|boilerplate|attr|voice|stance|word|"
                      r"char|shape):|\[[a-z_]+\]|@quote")


def test_no_feature_of_the_bundled_model_is_shown_by_its_internal_name():
    import framing

    names = list(framing.load().feature_names)
    # The voice block's columns (issue 19), whether or not this model has the block yet.
    from framing.features._voice import VOICE_COLUMNS

    names += list(VOICE_COLUMNS)
    leaked, hidden = [], 0
    for name in names:
        text = describe_feature(name)
        if text is None:
            hidden += 1
            assert is_hidden_feature(name), name
        elif INTERNAL.search(text):
            leaked.append((name, text))
    assert not leaked, leaked[:20]
    assert hidden == sum(1 for name in names if name.startswith(("char:", "shape:"))) > 0
    # The check can fail: an internal name passed through unchanged is caught.
    assert INTERNAL.search("loaded:greedy") and INTERNAL.search("hedge[distancing]@quote")


def test_a_word_named_twice_at_article_level_is_one_entry():
    units = [{"text": "The strict and unyielding envoy.", "cues": [
        cue("The strict and unyielding envoy.", "strict", "loaded", "strict", "evaluative"),
        cue("The strict and unyielding envoy.", "unyielding", "loaded", "unyielding", "evaluative")]},
        {"text": "Talks were strict.", "cues": [cue("Talks were strict.", "strict", "loaded", "strict", "evaluative")]}]
    described = describe_evidence([("loaded[evaluative]", 1.0), ("loaded:unyielding", 0.5), ("loaded:strict", 0.25),
                                   ("word:strict", 0.2)], units=units)
    # The term columns name words the category column names already; "word 'strict'" is another feature.
    assert described == [("loaded words 'strict', 'unyielding'", 1.75), ("word 'strict'", 0.2)]
