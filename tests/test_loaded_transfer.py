"""Loaded wording that transfers beyond US politics (issue 19, item 4).

Two levels: the bundled ``loaded`` lexicon matches the charged words of labour, war, crime, migration and
public-health copy while lone topic words (war, state, strike ...) never are loaded cues; and the ``transfer``
rule of :class:`framing.features.LexiconFeatures` admits a harvested term only when it is loaded across sources.
Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from scipy.stats import fisher_exact

from framing import LabeledSentence, load_lexicon
from framing.data import Span
from framing.features import LexiconFeatures
from framing.features._lexicon_block import (
    HARVEST_ALPHA,
    LoadedEvidence,
    admits_loaded_term,
    is_topic_term,
    loaded_evidence,
)
from framing.lexicon._lexicon import HARVESTED, load_topic_words

#: word -> an invented sentence in which it is loaded wording.
CHARGED = {
    "militant": "Militant union barons are holding the country to ransom.",
    "barons": "Militant union barons are holding the country to ransom.",
    "ransom": "Militant union barons are holding the country to ransom.",
    "spiteful": "It was a spiteful and shameless stunt.",
    "shameless": "It was a spiteful and shameless stunt.",
    "carnage": "The carnage on the motorway shocked the town.",
    "invaders": "Russian invaders shelled the city again.",
    "heroic": "Heroic defenders held the line.",
}

#: Topic words that must never be shown as loaded terms, each in a neutral invented sentence.
TOPICAL = {
    "war": "The war entered its third year on Monday.",
    "state": "The state budget was published on Tuesday.",
    "industry": "The industry employs 40,000 people.",
    "crowd": "A crowd gathered outside the station.",
    "lobby": "The hotel lobby was closed for repairs.",
    "left": "The strike left commuters stranded at the station.",
    "political": "The political parties met on Friday.",
    "strike": "The strike began at midnight.",
    "union": "The union balloted its members.",
    "migrants": "Migrants arrived at the port on Sunday.",
    "police": "Police closed the road after the crash.",
    "vaccine": "The vaccine was approved for adults.",
}


def loaded_tokens(features, text):
    """The tokens (lower case) covered by a match of the ``loaded`` lexicon in ``text``."""
    from framing.features import analyze

    tokens = analyze(text).tokens
    covered = set()
    for entry, start, end, _ in features.matches(text):
        if entry.lexicon == "loaded":
            covered.update(tokens[start:end])
    return covered


@pytest.fixture(scope="module")
def fitted():
    return LexiconFeatures().fit(["The talks began on Monday.", "Ministers met in Brussels."])


@pytest.mark.parametrize("word", sorted(CHARGED))
def test_charged_words_outside_us_politics_are_loaded_cues(fitted, word):
    text = CHARGED[word]
    assert word in loaded_tokens(fitted, text), (word, [e.term for e, *_ in fitted.matches(text)])
    # ... and they reach the features: a loaded category column fires for the sentence.
    names = fitted.get_feature_names_out()
    row = fitted.transform([text])
    assert any(names[i].startswith("loaded[") for i in row.nonzero()[1])


@pytest.mark.parametrize("word", sorted(TOPICAL))
def test_topic_words_are_not_loaded_cues(fitted, word):
    assert loaded_tokens(fitted, TOPICAL[word]) == set(), (word, [e.term for e, *_ in fitted.matches(TOPICAL[word])])
    assert word not in load_lexicon().terms("loaded")
    assert is_topic_term(word)


def test_no_bundled_loaded_entry_is_a_lone_topic_word():
    topics = load_topic_words()
    lone = [term for term in load_lexicon().terms("loaded") if is_topic_term(term, topics) and len(term.split()) == 1]
    assert lone == []
    # Labels built from topic words ("china virus") are loaded as phrases; each word alone is not.
    assert "china virus" in load_lexicon().terms("loaded") and "virus" not in load_lexicon().terms("loaded")


def test_new_entries_name_their_domain_as_provenance():
    notes = [e.note for e in load_lexicon() if e.lexicon == "loaded" and e.note.startswith("framing project list")]
    domains = {note.split(":")[1].strip() for note in notes}
    assert domains == {"war and conflict", "labour", "crime", "migration", "public health",
                       "evaluative adjectives and adverbs"}, domains
    assert all(e.note for e in load_lexicon() if e.lexicon == "loaded")


# ---------------------------------------------------------------------- the transfer rule of harvesting


def corpus(spanned, per_source=20, sources=("outlet-a", "outlet-b")):
    """``per_source`` loaded and ``per_source`` neutral invented sentences per source.

    ``spanned`` maps a term to ``(sources it occurs in, loaded sentences per source, neutral sentences per
    source)``; terms take the sentences of a source one after the other, and a term is annotated as a
    ``loaded`` span wherever it stands in a loaded sentence.
    """
    items = []
    for source in sources:
        for loaded in (True, False):
            slots = [term for term, (in_sources, n_loaded, n_neutral) in spanned.items() if source in in_sources
                     for _ in range(n_loaded if loaded else n_neutral)]
            assert len(slots) <= per_source, "more term sentences than sentences"
            for k in range(per_source):
                term = slots[k] if k < len(slots) else None
                filler = "the harbour council" if loaded else "the committee"
                text = f"Officials from {filler} met {k} times in {source}" + (f" about the {term} plan." if term else ".")
                spans = ()
                if term and loaded:
                    start = text.index(term)
                    spans = (Span(start, start + len(term), "loaded", term),)
                items.append(LabeledSentence(text, {"loaded": loaded}, article=f"{source}-{loaded}-{k}", source=source,
                                             spans=spans))
    return items


def harvested_terms(features):
    return {term for lexicon, term, category, _ in features.lexicon_ if lexicon == "loaded" and category == HARVESTED}


def test_a_term_loaded_in_both_sources_is_harvested_one_in_one_source_is_not():
    data = corpus({"zorvish": (("outlet-a", "outlet-b"), 6, 0), "blorpish": (("outlet-a",), 12, 0)})
    features = LexiconFeatures().fit(data)
    assert "zorvish" in harvested_terms(features)
    assert "blorpish" not in harvested_terms(features)
    (note,) = [n for _, term, _, n in features.lexicon_ if term == "zorvish"]
    assert "2 sources" in note and "Fisher" in note
    # The count rule keeps one source's term: the transfer rule is what refuses it.
    assert "blorpish" in harvested_terms(LexiconFeatures(harvest_rule="count").fit(data))


def test_a_topic_noun_is_never_harvested():
    data = corpus({"strikes": (("outlet-a", "outlet-b"), 8, 0), "zorvish": (("outlet-a", "outlet-b"), 6, 0)})
    for features in (LexiconFeatures().fit(data), LexiconFeatures().fit([s for s in data if s.source == "outlet-a"])):
        assert "strikes" not in harvested_terms(features)  # refused with two sources and with one
        assert "loaded:strikes" not in features.get_feature_names_out()
    assert "zorvish" in harvested_terms(LexiconFeatures().fit(data))


def test_a_term_as_common_in_neutral_sentences_is_not_harvested():
    data = corpus({"plinthy": (("outlet-a", "outlet-b"), 10, 10), "zorvish": (("outlet-a", "outlet-b"), 6, 0)})
    assert harvested_terms(LexiconFeatures().fit(data)) == {"zorvish"}


def test_too_few_loaded_sentences_are_not_significant():
    data = corpus({"quibbly": (("outlet-a", "outlet-b"), 1, 0)})
    (evidence,) = loaded_evidence(data, ["quibbly"])
    assert (evidence.loaded, evidence.other, evidence.sources) == (2, 0, 2)
    assert evidence.p_value > HARVEST_ALPHA
    assert "quibbly" not in harvested_terms(LexiconFeatures().fit(data))


def test_harvesting_uses_only_the_fit_data():
    data = corpus({"zorvish": (("outlet-a", "outlet-b"), 6, 0)})
    without = [s for s in data if "zorvish" not in s.text]
    assert "zorvish" in harvested_terms(LexiconFeatures().fit(data))
    assert "zorvish" not in harvested_terms(LexiconFeatures().fit(without))
    assert "loaded:zorvish" not in LexiconFeatures().fit(without).get_feature_names_out()


@pytest.mark.parametrize("loaded, other, n_loaded, n_other", [(12, 0, 40, 40), (5, 1, 30, 50), (3, 4, 20, 25),
                                                              (0, 3, 10, 10)])
def test_the_p_value_is_a_one_sided_fisher_exact_test(loaded, other, n_loaded, n_other):
    evidence = LoadedEvidence(loaded, other, n_loaded, n_other, sources=2)
    table = [[loaded, n_loaded - loaded], [other, n_other - other]]
    assert evidence.p_value == pytest.approx(fisher_exact(table, alternative="greater").pvalue, rel=1e-9)


def test_the_rule_needs_sources_ratio_and_significance():
    strong = LoadedEvidence(loaded=12, other=0, n_loaded=40, n_other=40, sources=2)
    assert admits_loaded_term(strong)
    assert not admits_loaded_term(LoadedEvidence(12, 0, 40, 40, sources=1))            # one source
    assert not admits_loaded_term(LoadedEvidence(30, 20, 40, 40, sources=5))           # ratio 1.5
    assert not admits_loaded_term(LoadedEvidence(2, 0, 40, 40, sources=2))             # p about 0.25
