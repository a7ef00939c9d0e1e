"""The voice stage (issue #19 items 1-2): quotation, cues and sources, speakers, named vs anonymous.

Every sentence here is written for these tests. The attribution examples of
the issue are checked twice: by the rules alone (``tagger=None``) and, when
PolNeAR is present, by the tagger learned from PolNeAR train (the shipped
path).
"""

from __future__ import annotations

import numpy as np
import pytest

from framing.datasets import DatasetMissing, resolve_data_root
from framing.features import VoiceFeatures
from framing.features._patterns import pattern_names
from framing.text import segment
from framing.voice import (
    SOURCE_KINDS,
    VOICES,
    SourceMention,
    SpanTagger,
    UnitVoice,
    quote_spans,
    source_kind,
    voice_of_article,
    voice_of_sentence,
)

#: The attribution examples of issue #19, each as a whole sentence, with the class it must get.
ISSUE_EXAMPLES = [
    ("RMT general secretary Mick Lynch said the walkout would go ahead next week.", "named"),
    ("General Oleksandr Syrskyi said the eastern front was holding.", "named"),
    ("Their spokesman, Ravi Desai, said talks with the operators had broken down.", "named"),
    ("According to the Bank of England, inflation will ease by the spring.", "named"),
    ("Mr. Haines said the timetable would be published on Friday.", "named"),
    ("The Department for Transport said services would resume on Monday.", "named"),
    ("The Kremlin said the meeting had been useful.", "named"),
    ("A senior Whitehall figure told this newspaper: 'The plan is finished.'", "anonymous"),
    ("A soldier, who asked to be identified only by his call sign, said the shelling never stopped.", "anonymous"),
    ('"It is over," the insider claimed.', "anonymous"),
    ("An insider said the deal was close.", "anonymous"),
    ("Sources close to the minister said she would step down.", "anonymous"),
    ("Officials said the line would reopen within days.", "anonymous"),
    ("Critics said the scheme was reckless.", "anonymous"),
    ("Residents said nobody had warned them.", "anonymous"),
    ("A union official, who asked not to be named, said members were furious.", "anonymous"),
    ("The city council approved the new budget on Tuesday.", "none"),
]


def _words_of(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


# ---------------------------------------------------------------------- the PolNeAR tagger, when present


@pytest.fixture(scope="module")
def polnear_tagger():
    from framing.datasets._polnear import polnear_sentences

    root = resolve_data_root()
    try:
        sentences = polnear_sentences(root, ("train",))
    except DatasetMissing as missing:
        pytest.skip(f"PolNeAR not found: {missing}")
    block = VoiceFeatures().fit(sentences)
    assert block.tagger is not None
    return block.tagger


# ---------------------------------------------------------------------- attribution: the issue's examples


@pytest.mark.parametrize("text, expected", ISSUE_EXAMPLES)
def test_issue_attribution_examples_by_rules(text, expected):
    voice = voice_of_sentence(text, None)
    assert voice.attribution == expected, (text, voice.sources, _words_of(text, voice.cues))


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", ISSUE_EXAMPLES)
def test_issue_attribution_examples_by_the_polnear_tagger(polnear_tagger, text, expected):
    voice = voice_of_sentence(text, polnear_tagger)
    assert voice.attribution == expected, (text, voice.sources, _words_of(text, voice.cues))


@pytest.mark.parametrize("tagged", [False, True])
def test_said_is_a_cue_never_a_source(tagged, request):
    tagger = request.getfixturevalue("polnear_tagger") if tagged else None
    for text in ("RMT general secretary Mick Lynch said the walkout would go ahead next week.",
                 "Officials said the line would reopen within days."):
        voice = voice_of_sentence(text, tagger)
        assert "said" in _words_of(text, voice.cues)
        assert all("said" not in source.text.split() for source in voice.sources), voice.sources


def test_the_source_phrase_is_the_evidence_of_the_class():
    text = "RMT general secretary Mick Lynch said the walkout would go ahead next week."
    voice = voice_of_sentence(text, None)
    assert [(s.text, s.kind, s.pronoun) for s in voice.sources] == [("RMT general secretary Mick Lynch", "named", False)]
    assert text[voice.sources[0].start:voice.sources[0].end] == voice.sources[0].text


@pytest.mark.parametrize("text, sources", [
    ("The line is closed, said Mr. Haines.", [("Mr. Haines", "named")]),
    ("The line is closed, said the minister.", [("the minister", "anonymous")]),
    ("Officials said on Monday that the line would reopen.", [("Officials", "anonymous")]),
    ("Fares rose, the Office for Rail Pricing (ORP) said on Friday.", [("the Office for Rail Pricing (ORP)", "named")]),
    ("Fares rose, said officials in Leeds, adding that more rises would follow.", [("officials in Leeds", "anonymous")]),
    ("Their spokesman, Ravi Desai, said talks had failed.", [("Their spokesman, Ravi Desai,", "named")]),
])
def test_the_rules_find_the_source_phrase_next_to_the_cue(text, sources):
    assert [(s.text, s.kind) for s in voice_of_sentence(text, None).sources] == sources


@pytest.mark.parametrize("phrase, kind", [
    ("RMT general secretary Mick Lynch", "named"), ("Mr. Haines", "named"), ("General Oleksandr Syrskyi", "named"),
    ("Their spokesman, Ravi Desai,", "named"), ("the Department for Transport", "named"), ("the Kremlin", "named"),
    ("the Bank of England", "named"), ("an insider", "anonymous"), ("sources close to the minister", "anonymous"),
    ("a senior Whitehall figure", "anonymous"), ("officials", "anonymous"), ("critics", "anonymous"),
    ("residents", "anonymous"), ("a Ukrainian soldier", "anonymous"), ("a Labour MP", "anonymous"),
    ("a soldier, who asked to be identified only by his call sign,", "anonymous"), ("she", "pronoun"),
    ("They", "pronoun"),
])
def test_source_kind(phrase, kind):
    assert source_kind(phrase) == kind


def test_source_kind_reads_a_sentence_initial_capital_as_positional():
    # "Protesters" opens the sentence and the article uses the word in lower case: not a name.
    assert source_kind("Protesters", sentence_initial=True, lowercase_words=frozenset({"protesters"})) == "anonymous"
    assert source_kind("Haines", sentence_initial=True, lowercase_words=frozenset({"protesters"})) == "named"


def test_the_gold_label_rule_is_unchanged_by_the_wider_vocabulary():
    from framing.datasets import classify_source

    # PolNeAR's rule keeps its own words: "figure" and "soldier" are not vague there, pronouns are named.
    assert classify_source("a senior Whitehall figure") == "named"
    assert source_kind("a senior Whitehall figure") == "anonymous"
    assert classify_source("he") == "named" and source_kind("he") == "pronoun"


# ---------------------------------------------------------------------- quotation


@pytest.mark.parametrize("text, quoted", [
    ('He said: "We are tired."', ["We are tired."]),
    ("He said: “We are tired.”", ["We are tired."]),
    ("He said: «We are tired.»", ["We are tired."]),
    ("He said: ‘We are tired.’", ["We are tired."]),
    ("'It is over,' the insider claimed.", ["It is over,"]),
    ("The players' union said it didn't agree with the ’90s rules.", []),
    ("Rock 'n' roll was the players’ thing, wasn’t it?", []),
    ("The players' union said 'no' on Monday.", ["no"]),
])
def test_quote_marks_and_apostrophes(text, quoted):
    assert _words_of(text, quote_spans(text)) == quoted


def test_a_quote_over_several_sentences_quotes_every_later_sentence_and_keeps_its_speaker():
    article = ('Ms Okafor, the union\'s negotiator, said: "Their demands are absurd. They are causing chaos. '
               'Nobody will accept it."\nThe talks resume on Monday.')
    units = segment(article)
    voices = voice_of_article(article, units, None)
    assert [v.voice for v in voices] == ["mixed", "quoted", "quoted", "author"]
    for voice in voices[:3]:
        assert voice.speaker is not None and voice.speaker.text.startswith("Ms Okafor")
        assert voice.speaker.kind == "named"
    assert voices[3].speaker is None
    assert voices[1].quoted_text(units[1].text) == "They are causing chaos."
    assert voices[1].attribution == "none"  # its words are quoted; the attribution sits in the first sentence


def test_a_quote_continued_in_the_next_paragraph_is_one_quotation():
    article = ('An insider told us the deal was dead. "We gave everything.\n'
               '"There is nothing left to offer."\nPrices fell.')
    voices = voice_of_article(article, None, None)
    assert [v.voice for v in voices] == ["author", "quoted", "quoted", "author"]
    assert voices[2].speaker is not None and voices[2].speaker.kind == "anonymous"


def test_an_unclosed_quote_ends_at_its_paragraph_end():
    article = 'He said: "We will not move an inch.\nThe minister disagreed.'
    spans = quote_spans(article)
    assert _words_of(article, spans) == ["We will not move an inch."]
    assert [v.voice for v in voice_of_article(article, None, None)] == ["mixed", "author"]


def test_mixed_unit_parts():
    text = 'She added: "The public is sick of it."'
    voice = voice_of_sentence(text, None)
    assert voice.voice == "mixed"
    assert voice.quoted_text(text) == "The public is sick of it."
    assert voice.author_text(text) == 'She added: "…"'
    assert voice.attribution == "named"  # a pronoun alone counts as named
    assert voice_of_sentence("Talks began on Monday.", None).author_text("Talks began on Monday.") == "Talks began on Monday."


@pytest.mark.parametrize("article, speaker_text, kind", [
    ('"It is over," the insider claimed.', "the insider", "anonymous"),
    ('"We lost," said Mr. Haines.', "Mr. Haines", "named"),
    ('Residents were angry.\nA neighbour, who asked not to be named, said:\n"Nobody listens to us."',
     "A neighbour, who asked not to be named,", "anonymous"),
])
def test_the_speaker_of_a_quote(article, speaker_text, kind):
    quoted = [v for v in voice_of_article(article, None, None) if v.quoted]
    assert quoted and all(v.speaker is not None for v in quoted)
    assert {(v.speaker.text, v.speaker.kind) for v in quoted} == {(speaker_text, kind)}


# ---------------------------------------------------------------------- pronouns


def test_a_pronoun_takes_the_kind_of_the_source_it_refers_back_to():
    article = 'An insider said the talks had failed. "It is over," she added.'
    voices = voice_of_article(article, None, None)
    she = voices[1].sources[0]
    assert (she.text, she.pronoun, she.kind, she.antecedent) == ("she", True, "anonymous", "An insider")
    assert voices[1].attribution == "anonymous"
    assert voices[1].speaker.kind == "anonymous"


def test_a_pronoun_after_a_named_source_is_named_and_alone_counts_as_named():
    article = "Mick Lynch said the strike would go ahead. He added that members were united."
    voices = voice_of_article(article, None, None)
    assert voices[1].sources[0].kind == "named" and voices[1].sources[0].antecedent == "Mick Lynch"
    alone = voice_of_sentence("He said the strike would go ahead.", None)
    assert alone.sources[0].pronoun and alone.sources[0].kind == "named" and alone.sources[0].antecedent is None


def test_he_does_not_refer_to_a_plural_source_but_they_does():
    article = "Officials said the road would reopen. They said repairs were finished. He said otherwise."
    voices = voice_of_article(article, None, None)
    assert voices[1].sources[0].kind == "anonymous" and voices[1].sources[0].antecedent == "Officials"
    assert voices[2].sources[0].kind == "named" and voices[2].sources[0].antecedent is None


# ---------------------------------------------------------------------- the API's types


def test_constants_and_unit_voice_attribution():
    assert VOICES == ("author", "quoted", "mixed") and SOURCE_KINDS == ("named", "anonymous")
    named = SourceMention("Mr. Haines", 0, 10, "named", False)
    anonymous = SourceMention("an insider", 0, 10, "anonymous", False)
    assert UnitVoice("author", (), (), (named, anonymous), (), None).attribution == "named"
    assert UnitVoice("author", (), ((0, 4),), (), (), None).attribution == "anonymous"
    assert UnitVoice("author", (), (), (), (), None).attribution == "none"


def test_voice_of_article_segments_when_units_are_not_given():
    article = "Talks began. Officials said they would fail."
    assert voice_of_article(article, None, None) == voice_of_article(article, segment(article), None)
    assert voice_of_article("", None, None) == []


# ---------------------------------------------------------------------- the tagger on invented data

TOY_TEXTS = [
    "Officials said the plan had failed.",
    "The plan failed on Monday.",
    "He said the bridge would reopen.",
    "According to the ministry, prices will fall.",
    "Critics warned that the budget was too small.",
    "The bridge reopened in May.",
]


def _toy_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for phrase, kind in (("Officials", "source"), ("He", "source"), ("Critics", "source"), ("the ministry", "source"),
                         ("said", "cue"), ("warned", "cue"), ("According to", "cue"),
                         ("the plan had failed", "content"), ("the bridge would reopen", "content"),
                         ("prices will fall", "content"), ("that the budget was too small", "content")):
        position = text.find(phrase)
        if position >= 0:
            spans.append((position, position + len(phrase), kind))
    return spans


@pytest.fixture(scope="module")
def toy_tagger():
    texts = TOY_TEXTS * 15
    return SpanTagger(random_state=3).fit(texts, [_toy_spans(text) for text in texts])


def test_the_tagger_learns_the_toy_spans(toy_tagger):
    text = "Analysts said the deal had failed."
    found = {(kind, text[start:end]) for kind, start, end, _ in toy_tagger.tag(text)}
    assert ("cue", "said") in found and ("source", "Analysts") in found
    assert all(0.0 <= p <= 1.0 for *_, p in toy_tagger.tag(text))
    assert toy_tagger.tag("") == []
    assert toy_tagger.tag_many(["", text, ""])[1] == toy_tagger.tag(text)


def test_the_tagger_is_deterministic_and_its_state_rebuilds_it(toy_tagger):
    texts = TOY_TEXTS * 15
    again = SpanTagger(random_state=3).fit(texts, [_toy_spans(text) for text in texts])
    for name in SpanTagger.STATE:
        mine, theirs = getattr(toy_tagger, name), getattr(again, name)
        assert np.array_equal(np.asarray(mine), np.asarray(theirs)), name
    state = {name: (value.copy() if isinstance(value, np.ndarray) else list(value))
             for name, value in toy_tagger.state().items()}
    for value in state.values():
        assert isinstance(value, (np.ndarray, list))
        assert not isinstance(value, list) or all(isinstance(item, str) for item in value)
    rebuilt = SpanTagger.from_state(state, **toy_tagger.get_params())
    for text in ("Critics said the plan had failed.", '"It failed," he said.', "Prices fell."):
        assert rebuilt.tag(text) == toy_tagger.tag(text)


def test_the_tagger_checks_its_input():
    with pytest.raises(ValueError, match="span kind"):
        SpanTagger().fit(["He said so."], [[(0, 2, "speaker")]])
    with pytest.raises(ValueError, match="window"):
        SpanTagger(window=-1).fit(["He said so."], [[]])
    with pytest.raises(ValueError, match="not fitted"):
        SpanTagger().tag("He said so.")
    assert SpanTagger(window=3, alpha=1e-5).get_params()["window"] == 3


def test_the_stage_uses_the_tagger(toy_tagger):
    voice = voice_of_sentence("Analysts said the deal had failed.", toy_tagger)
    assert voice.attribution == "anonymous" and [s.text for s in voice.sources] == ["Analysts"]
    assert voice.content


# ---------------------------------------------------------------------- the feature block


class _Item:
    def __init__(self, text, labels, article, spans=(), voice=None):
        from framing.data._schema import Span

        self.text, self.labels, self.article = text, labels, article
        self.spans = tuple(Span(s, e, {"cue": "attribution_cue"}.get(k, k), text[s:e]) for s, e, k in spans)
        if voice is not None:
            self.voice = voice


def _toy_items(with_content: bool = True):
    items = []
    for number, text in enumerate(TOY_TEXTS * 10):
        spans = [span for span in _toy_spans(text) if with_content or span[2] != "content"]
        label = "none" if not spans else ("anonymous" if text.startswith(("Officials", "Critics")) else "named")
        items.append(_Item(text, {"attribution": label}, f"a{number // 6}", spans))
    return items


def test_voice_features_learn_a_tagger_only_from_completely_annotated_articles():
    assert VoiceFeatures().fit(["Talks began.", "Officials said so."]).tagger is None
    assert VoiceFeatures().fit(_toy_items(with_content=False)).tagger is None  # no Content spans: incomplete
    block = VoiceFeatures().fit(_toy_items())
    assert isinstance(block.tagger, SpanTagger) and block.has_tagger_


def test_voice_features_columns(request):
    block = VoiceFeatures().fit(["x"])
    names = list(block.get_feature_names_out())
    assert len(names) == len(set(names)) and all(name.startswith("voice:") for name in names)
    assert not set(names) & pattern_names()
    texts = ['"It is over," the insider claimed.', "The city council approved the new budget on Tuesday.",
             'She added: "The public is sick of it."', "According to the Bank of England, inflation will ease."]
    rows = block.transform(texts).toarray()
    column = {name: rows[:, index] for index, name in enumerate(names)}
    assert list(column["voice:attribution_anonymous"]) == [1, 0, 0, 0]
    assert list(column["voice:attribution_named"]) == [0, 0, 1, 1]
    assert list(column["voice:according_to"]) == [0, 0, 0, 1]
    assert list(column["voice:voice_mixed"]) == [1, 0, 1, 0]
    assert column["voice:quoted_share"][1] == 0 and 0 < column["voice:quoted_share"][2] < 1
    assert list(column["voice:source_pronoun"]) == [0, 0, 1, 0]


def test_voice_features_read_the_article_voice_when_an_item_carries_one():
    block = VoiceFeatures().fit(["x"])
    article = 'Ms Okafor said: "Their demands are absurd. They are causing chaos."'
    units = segment(article)
    voices = voice_of_article(article, units, None)
    with_voice = [_Item(unit.text, {}, "a", voice=voice) for unit, voice in zip(units, voices)]
    assert block.voice_of(with_voice) == voices
    names = list(block.get_feature_names_out())
    quoted = names.index("voice:voice_quoted")
    assert block.transform(with_voice).toarray()[1, quoted] == 1.0
    assert block.transform([unit.text for unit in units]).toarray()[1, quoted] == 0.0  # alone, it looks like the author's


def test_voice_features_state_rebuilt_into_a_fresh_object_tags_the_same():
    block = VoiceFeatures().fit(_toy_items())
    state = {key: value for key, value in vars(block).items() if key.endswith("_") and not key.startswith("_")}
    for key, value in state.items():
        assert isinstance(value, (np.ndarray, list, str, int, float, bool)), key
    fresh = VoiceFeatures(**block.get_params())
    for key, value in state.items():
        setattr(fresh, key, value.copy() if isinstance(value, (np.ndarray, list)) else value)
    texts = ["Critics said the plan had failed.", '"It failed," he said.', "Prices fell."]
    assert [fresh.tagger.tag(text) for text in texts] == [block.tagger.tag(text) for text in texts]
    assert (fresh.transform(texts) != block.transform(texts)).nnz == 0


# ---------------------------------------------------------------------- the PolNeAR readers


def _fake_polnear(root, split="train"):
    """One invented article in PolNeAR's layout: a Source, a Cue and a Content that runs over two units."""
    text = 'Mayor Ada Quill said: "The bridge is safe.\n"It will reopen in May."\nThe river was calm.\n'
    base = root / "polnear" / "data" / split
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir(parents=True)
    (base / "text" / "gazette_x.txt").write_text(text, encoding="utf-8")
    content_start, content_end = text.index("The bridge"), text.index("May.") + 4

    def line(tid, kind, start, end):
        return f"{tid}\t{kind} {start} {end}\t{text[start:end]}"

    ann = "\n".join([
        line("T1", "Source", 0, len("Mayor Ada Quill")),
        line("T2", "Cue", text.index("said"), text.index("said") + 4),
        f"T3\tContent {content_start} {content_end}\tx",
        line("T4", "Attribution", text.index("said"), text.index("said") + 4),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    ]) + "\n"
    (base / "attributions" / "gazette_x_ann1.ann").write_text(ann, encoding="utf-8")
    return text


def test_polnear_sentences_carry_content_spans_clipped_to_the_unit_and_default_to_train(tmp_path):
    from framing.datasets._polnear import polnear_sentences

    _fake_polnear(tmp_path, "train")
    sentences = polnear_sentences(tmp_path)
    assert {s.article for s in sentences} == {"polnear:train:gazette_x"}
    first, second = sentences[0], sentences[1]
    assert {(s.type, s.text) for s in first.spans} == {
        ("source", "Mayor Ada Quill"), ("attribution_cue", "said"), ("content", "The bridge is safe.")}
    assert [(s.type, s.text) for s in second.spans] == [("content", '"It will reopen in May.')]
    for sentence in sentences:
        for span in sentence.spans:
            assert sentence.text[span.start:span.end] == span.text
    with pytest.raises(DatasetMissing):
        polnear_sentences(tmp_path, ("dev",))


def test_polnear_articles_match_load_polnear(tmp_path):
    from framing.datasets import load_polnear
    from framing.datasets._polnear import polnear_articles

    text = _fake_polnear(tmp_path, "dev")
    [article] = polnear_articles(tmp_path, "dev")
    assert article.text == text and article.annotator == "ann1"
    rows = load_polnear(tmp_path, "dev")
    assert list(article.labels) == [row.label for row in rows]
    assert [(u.start, u.end) for u in article.units] == [(row.extra["start"], row.extra["end"]) for row in rows]
    assert {kind for _, _, kind in article.spans} == {"source", "cue", "content"}


@pytest.mark.slow
def test_real_polnear_articles_give_load_polnears_labels():
    from framing.datasets import load_polnear
    from framing.datasets._polnear import polnear_articles

    root = resolve_data_root()
    try:
        articles = polnear_articles(root, "dev")
    except DatasetMissing as missing:
        pytest.skip(f"PolNeAR not found: {missing}")
    rows = load_polnear(root, "dev")
    assert [label for article in articles for label in article.labels] == [row.label for row in rows]
    assert [has for article in articles for has in article.has_source] == [row.extra["has_source_span"] for row in rows]


@pytest.mark.parametrize("batch", [1, 5, 64])
def test_a_long_text_tagged_in_batches_of_units_has_the_voices_of_one_pass(monkeypatch, batch):
    from pathlib import Path

    import framing
    import framing.voice._structure as structure

    model = framing.load()
    text = "\n\n".join(path.read_text(encoding="utf-8")
                       for path in sorted((Path(__file__).resolve().parents[1] / "labeled" / "articles").glob("*.txt")))
    units = segment(text)
    monkeypatch.setattr(structure, "TAG_BATCH_UNITS", len(units) + 1)
    one_pass = model.voices(text, units)
    monkeypatch.setattr(structure, "TAG_BATCH_UNITS", batch)
    assert model.voices(text, units) == one_pass
    assert sum(voice.voice != "author" for voice in one_pass) > 10
