"""Stance toward any actor (issue #20), tested blind on the bundled default model through the public API.

These tests were written from the issue and its API spec only, without reading the stance model, its
features or the report's actor code. Every sentence and article here is invented for these tests
(``tests/data/stance_articles/README.md``); none comes from a data set. Do not tune on them.

- The issue's examples: each comes out on the right side of the Russia–Ukraine axis, or as "does not apply".
- About 45 invented sentences over war, US politics, business, sport, labour and health, in the author's
  voice and in quotations, each with its target marked ``[like this]``: ``Model.stance_toward`` ranks the
  favourable ones above the neutral ones above the unfavourable ones, and the most blatant ones each get
  the right sign. A sentence the shipped model gets wrong goes into :data:`KNOWN_MISSES` (strict xfail).
- The API of ``stance_toward``: shape, rows summing to 1, the class order, the errors, determinism, and a
  span's stance not depending on the rest of the batch.
- ``ArticleReport.actor_stance`` and ``axis_stance`` on four invented articles, ``framing score --actor``
  and ``--axis`` through the command line, and the US-parties example axis.
- Third parties (the UK, France, the EU, the US) never start the axis on their own.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import framing

REPO = Path(__file__).resolve().parents[1]
ARTICLES_DIR = Path(__file__).resolve().parent / "data" / "stance_articles"
#: The US-parties example axis, as the CLI takes it (relative to the repository root) and as a path.
US_AXIS_ARG = "labeled/axis_us_parties.json"
US_AXIS = REPO / US_AXIS_ARG

CLASSES = ("unfavourable", "neutral", "favourable")
UNFAVOURABLE, NEUTRAL, FAVOURABLE = CLASSES
#: The issue's goal for ranking stance toward a pole's actors (ROC AUC), used for the favourable-vs-unfavourable ranking.
MIN_RANKING_AUC = 0.75
#: What the report says when the axis does not apply.
DOES_NOT_APPLY = "does not apply"


# --------------------------------------------------------------------------------------------------------------
# Invented sentences: (id, sentence with the target in [brackets], expected stance, quoted, blatant).
# ``quoted`` says the target stands inside a quotation (whose stance it is); ``blatant`` marks the sentences whose
# sign is tested one by one (the others count in the group rankings only).
# --------------------------------------------------------------------------------------------------------------
SENTENCES = (
    # war
    ("war_author_fav_medics", "[Ukrainian medics] heroically carried wounded civilians to safety under heavy fire.",
     FAVOURABLE, False, True),
    ("war_author_unfav_troops", "[Russian troops] looted homes and executed unarmed villagers before they retreated.",
     UNFAVOURABLE, False, True),
    ("war_author_unfav_militia", "[The militia] shelled a crowded market and then blamed its victims for the massacre.",
     UNFAVOURABLE, False, True),
    ("war_author_neutral_delegation",
     "[The Russian delegation] arrived in Istanbul on Tuesday for a second round of talks.", NEUTRAL, False, False),
    ("war_author_neutral_ministry", "[The defence ministry] said the exercise would last three days.",
     NEUTRAL, False, False),
    ("war_author_neutral_general", "[General Marchenko] visited the front line near the river on Sunday.",
     NEUTRAL, False, False),
    ("war_quote_unfav_kremlin",
     '"[The Kremlin] is lying to its own people about the losses," the foreign minister said.',
     UNFAVOURABLE, True, False),
    ("war_quote_fav_army", '"[Our army] has shown extraordinary courage and discipline," the general told reporters.',
     FAVOURABLE, True, False),
    # US politics
    ("us_author_fav_senator",
     "[Senator Alvarez] won praise from both parties for her tireless, effective work for veterans.",
     FAVOURABLE, False, True),
    ("us_author_unfav_governor", "[Governor Blake] lied about the budget, broke the law and disgraced his office.",
     UNFAVOURABLE, False, True),
    ("us_author_neutral_representative",
     "[Representative Chen] will hold a town hall meeting in Dayton on Saturday.", NEUTRAL, False, False),
    ("us_author_neutral_republicans", "[House Republicans] passed the spending bill by a vote of 218 to 210 on Friday.",
     NEUTRAL, False, False),
    ("us_author_fav_negated_scandal",
     "Even her critics admit that [Attorney General Park] has never been touched by scandal.",
     FAVOURABLE, False, False),
    ("us_quote_unfav_speaker",
     '"[The Speaker] is a coward who has betrayed every promise he made," a Democratic aide said.',
     UNFAVOURABLE, True, True),
    ("us_quote_fav_mayor", '"[Mayor Ortiz] has been a brilliant and honest leader for this city," said a local pastor.',
     FAVOURABLE, True, False),
    # business
    ("business_author_fav_brightwell",
     "[Brightwell Foods] was widely praised for raising wages and donating millions to local food banks.",
     FAVOURABLE, False, True),
    ("business_author_unfav_corvax",
     "[Corvax Energy] was fined $40 million for illegally dumping toxic waste and misleading regulators.",
     UNFAVOURABLE, False, True),
    ("business_author_unfav_vexon",
     "Greedy executives at [Vexon] pocketed huge bonuses while the company cheated pensioners out of their savings.",
     UNFAVOURABLE, False, False),
    ("business_author_neutral_norland", "[Norland Bank] will publish its quarterly results on Thursday.",
     NEUTRAL, False, False),
    ("business_author_neutral_kestrel", "[Kestrel Software] will open a new office in Austin next year, the company said.",
     NEUTRAL, False, False),
    ("business_quote_unfav_halden",
     '"[Halden Motors] cheated its customers and lied to its investors," the prosecutor told the court.',
     UNFAVOURABLE, True, False),
    ("business_quote_fav_pemberton",
     "\"[Pemberton Labs] has been a superb and trustworthy partner,\" said the hospital's director.",
     FAVOURABLE, True, False),
    # sport
    ("sport_author_fav_rivera", "[Rivera] produced a stunning, masterful performance to win her first world title.",
     FAVOURABLE, False, True),
    ("sport_author_unfav_united",
     "[United] were humiliated 5-0 after a shambolic, gutless display in front of their own fans.",
     UNFAVOURABLE, False, True),
    ("sport_author_unfav_doping",
     "[Dalton] was banned for four years after he was caught cheating with banned drugs and lying to investigators.",
     UNFAVOURABLE, False, False),
    ("sport_author_neutral_tigers", "[The Tigers] play their next match against Leeds on Saturday afternoon.",
     NEUTRAL, False, False),
    ("sport_author_neutral_signing", "[Harrow City] announced the signing of a Portuguese defender on Friday.",
     NEUTRAL, False, False),
    ("sport_quote_fav_kovac", '"[Kovac] is the best goalkeeper I have ever worked with," the coach said.',
     FAVOURABLE, True, False),
    ("sport_quote_unfav_referee", '"[The referee] was a disgrace and ruined the game for everyone," the captain said.',
     UNFAVOURABLE, True, False),
    # labour
    ("labour_author_fav_nurses_union",
     "[The nurses' union] won a fair pay rise and wide public support with its dignified, responsible campaign.",
     FAVOURABLE, False, False),
    ("labour_author_unfav_union_bosses",
     "[Militant union bosses] cynically held commuters to ransom with yet another reckless strike.",
     UNFAVOURABLE, False, True),
    ("labour_author_neutral_rmt", "[The RMT] said its members would vote on the offer next month.",
     NEUTRAL, False, False),
    ("labour_quote_unfav_management", '"[The management] has treated us with contempt for years," a striking driver said.',
     UNFAVOURABLE, True, False),
    ("labour_quote_fav_unite", '"[Unite] fought hard for us and won a decent deal," one warehouse worker said.',
     FAVOURABLE, True, False),
    # health
    ("health_author_fav_osei",
     "[Dr Amara Osei] was honoured for her pioneering research, which has saved thousands of lives.",
     FAVOURABLE, False, True),
    ("health_author_unfav_clinic", "[The clinic] botched dozens of operations and covered up the deaths of patients.",
     UNFAVOURABLE, False, True),
    ("health_author_neutral_ministry",
     "[The health ministry] published its annual report on hospital waiting times on Monday.", NEUTRAL, False, False),
    ("health_quote_unfav_board",
     '"[The health board] has failed patients and wasted millions of pounds," the watchdog said.',
     UNFAVOURABLE, True, False),
    ("health_quote_fav_paramedics",
     "\"[The paramedics] were fantastic and saved my father's life,\" his daughter said.", FAVOURABLE, True, False),
    # one sentence, two targets of opposite stance (also checked as pairs below)
    ("pair_fire_author_fav_firefighters",
     "Heroic [firefighters] rescued the family while the negligent landlord ignored repeated warnings about the fire escape.",
     FAVOURABLE, False, True),
    ("pair_fire_author_unfav_landlord",
     "Heroic firefighters rescued the family while the negligent [landlord] ignored repeated warnings about the fire escape.",
     UNFAVOURABLE, False, True),
    ("pair_ward_author_fav_nurses",
     "The [nurses] did everything right, but incompetent hospital managers ignored their warnings for months.",
     FAVOURABLE, False, False),
    ("pair_ward_author_unfav_managers",
     "The nurses did everything right, but incompetent [hospital managers] ignored their warnings for months.",
     UNFAVOURABLE, False, False),
    ("pair_club_quote_fav_ferreira",
     '"[Coach Ferreira] has transformed this club, unlike his predecessor, who nearly ruined it," the chairman said.',
     FAVOURABLE, True, False),
    ("pair_club_quote_unfav_predecessor",
     '"Coach Ferreira has transformed this club, unlike [his predecessor], who nearly ruined it," the chairman said.',
     UNFAVOURABLE, True, False),
)

#: Ids of the sentences above that the shipped model gets wrong (their per-sentence tests are strict xfails).
KNOWN_MISSES: frozenset[str] = frozenset({
    # Measured misses of the shipped model (2 Dec 2026), kept visible: a fix makes them XPASS and fail.
    "war_author_fav_medics", "business_author_unfav_corvax", "sport_author_unfav_united", "health_author_unfav_clinic",
})
#: The issue's own examples, the target pairs and the axis articles the shipped model gets wrong (strict xfail).
KNOWN_EXAMPLE_MISSES: frozenset[str] = frozenset({
    # "Heroic" is a loaded word and "invaders" a blame noun near the mention: the model reads them as against it.
    "Heroic Ukrainian defenders rep",
    "pair_ward_author_fav_nurses",
    "republicans-praised",
})


def _marked(values, ids):
    """``pytest.param`` per value, the ids in :data:`KNOWN_EXAMPLE_MISSES` marked as strict expected failures."""
    return [pytest.param(*(value if isinstance(value, tuple) else (value,)), id=case_id,
                         marks=[pytest.mark.xfail(strict=True, reason="known miss of the shipped model")]
                         if case_id in KNOWN_EXAMPLE_MISSES else [])
            for value, case_id in zip(values, ids)]

#: (favourable target, unfavourable target) in the same sentence.
TARGET_PAIRS = (
    ("pair_fire_author_fav_firefighters", "pair_fire_author_unfav_landlord"),
    ("pair_ward_author_fav_nurses", "pair_ward_author_unfav_managers"),
    ("pair_club_quote_fav_ferreira", "pair_club_quote_unfav_predecessor"),
)

#: The issue's examples on the Russia–Ukraine axis: (sentence, the actor's words in it, expected side).
ISSUE_SIDES = (
    ("Russian occupiers shelled residential buildings in Kharkiv, killing five civilians.", "Russian occupiers",
     "pro_ukraine"),
    ("Heroic Ukrainian defenders repelled the invaders near Bakhmut.", "Ukrainian defenders", "pro_ukraine"),
    ("NATO puppets in Kiev are prolonging the bloodshed on orders from Washington.", "Kiev", "pro_russia"),
)
#: The issue's examples the axis does not apply to.
ISSUE_DOES_NOT_APPLY = (
    "UK rail workers went on strike on Thursday.",
    "France raised its minimum wage on Monday.",
)
#: Texts naming only third parties of the Russia–Ukraine axis (the UK, France, the EU, the US), some with a stance.
THIRD_PARTY_TEXTS = (
    ("uk", "The British government announced new funding for rural schools in the UK on Wednesday."),
    ("france", "French farmers blocked roads around Paris on Tuesday to protest against cheap imports."),
    ("eu", "The European Union approved new rules on plastic packaging on Thursday."),
    ("eu_loaded", "Brussels bureaucrats have once again strangled farmers with pointless red tape."),
    ("us", "The United States reported a rise in job openings in March."),
    ("us_loaded", "The reckless White House slapped absurd tariffs on its closest allies."),
)


def parse_target(marked: str) -> tuple[str, tuple[int, int]]:
    """``"a [b] c"`` -> ``("a b c", (2, 3))``: the sentence and the character span of the bracketed target."""
    start = marked.index("[")
    end = marked.index("]") - 1
    text = marked.replace("[", "", 1).replace("]", "", 1)
    assert "[" not in text and "]" not in text, marked
    return text, (start, end)


def score_of(row: np.ndarray) -> float:
    """P(favourable) - P(unfavourable) of one row in ``STANCE_CLASSES`` order."""
    return float(row[CLASSES.index(FAVOURABLE)] - row[CLASSES.index(UNFAVOURABLE)])


def pairwise_auc(higher: list[float], lower: list[float]) -> float:
    """Share of (higher, lower) pairs ranked the right way round (ties count half): ROC AUC of the two groups."""
    wins = sum(1.0 if h > lo else 0.5 if h == lo else 0.0 for h in higher for lo in lower)
    return wins / (len(higher) * len(lower))


def with_known_misses(cases, ids):
    """``pytest.param`` per case, the ids in :data:`KNOWN_MISSES` marked as strict expected failures."""
    return [pytest.param(*case, id=case_id,
                         marks=[pytest.mark.xfail(strict=True, reason="known miss of the shipped model")]
                         if case_id in KNOWN_MISSES else [])
            for case, case_id in zip(cases, ids)]


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def sentence_rows(model):
    """``{id: probability row}`` for every invented sentence, scored in one batch with its quoted flag."""
    texts, spans = zip(*(parse_target(marked) for _, marked, *_ in SENTENCES))
    quoted = [case[3] for case in SENTENCES]
    probabilities = model.stance_toward(list(texts), list(spans), quoted=quoted)
    return {case[0]: probabilities[i] for i, case in enumerate(SENTENCES)}


def read_article(name: str) -> str:
    return (ARTICLES_DIR / name).read_text(encoding="utf-8")


def does_not_apply(report) -> bool:
    status = report.to_dict()["slant_status"]
    return report.slant_index is None and status is not None and status.startswith(DOES_NOT_APPLY)


# --------------------------------------------------------------------------------------------------------------
# 1. The issue's examples
# --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "actor", "side"), _marked(ISSUE_SIDES, [s[0][:30] for s in ISSUE_SIDES]))
def test_issue_example_comes_out_on_its_side_of_the_axis(model, sentence, actor, side):
    report = model.score(sentence)
    if side == "pro_ukraine" and actor.startswith("Russian"):
        # The spec accepts either: a pro-Ukraine slant, or unfavourable toward Russia (the negative pole).
        russia = report.axis_stance["negative"]["score"]
        assert (report.slant_index is not None and report.slant_index > 0) or (russia is not None and russia < 0), (
            f"slant {report.slant_index}, stance toward Russia {russia}")
    elif side == "pro_ukraine":
        assert report.slant_index is not None and report.slant_index > 0, report.slant_index
    else:
        assert report.slant_index is not None and report.slant_index < 0, report.slant_index


@pytest.mark.parametrize(("sentence", "actor", "side"), _marked(ISSUE_SIDES, [s[0][:30] for s in ISSUE_SIDES]))
def test_issue_example_sets_the_stance_toward_its_actor(model, sentence, actor, side):
    start = sentence.index(actor)
    row = model.stance_toward([sentence], [(start, start + len(actor))])[0]
    # Russia's occupiers and Kiev's "puppets" are attacked; Ukraine's defenders are praised.
    expected_sign = 1 if actor.startswith("Ukrainian") else -1
    assert np.sign(score_of(row)) == expected_sign, dict(zip(CLASSES, row.round(3)))


@pytest.mark.parametrize("sentence", ISSUE_DOES_NOT_APPLY)
def test_issue_example_of_a_third_party_alone_does_not_start_the_axis(model, sentence):
    report = model.score(sentence)
    assert does_not_apply(report), (report.slant_index, report.to_dict()["slant_status"])
    assert DOES_NOT_APPLY in report.summary()


# --------------------------------------------------------------------------------------------------------------
# 2. Invented sentences: ranking and the sign of the blatant ones
# --------------------------------------------------------------------------------------------------------------

def test_the_invented_sentences_are_well_formed():
    ids = [case[0] for case in SENTENCES]
    assert len(ids) == len(set(ids)) >= 40
    assert KNOWN_MISSES <= set(ids)
    for case_id, marked, expected, quoted, _ in SENTENCES:
        text, (start, end) = parse_target(marked)
        assert 0 <= start < end <= len(text), case_id
        assert expected in CLASSES, case_id
        # A quoted target really stands inside quotation marks, an author's target outside them.
        assert (text[:start].count('"') % 2 == 1) == quoted, case_id
    domains = {case_id.split("_")[0] for case_id in ids}
    assert {"war", "us", "business", "sport", "labour", "health"} <= domains


BLATANT = [case for case in SENTENCES if case[4]]


@pytest.mark.parametrize(("case_id", "marked", "expected", "quoted", "blatant"),
                         with_known_misses(BLATANT, [case[0] for case in BLATANT]))
def test_a_blatant_sentence_gets_the_sign_of_its_stance(sentence_rows, case_id, marked, expected, quoted, blatant):
    row = sentence_rows[case_id]
    score = score_of(row)
    detail = f"{marked!r}: {dict(zip(CLASSES, row.round(3)))}"
    if expected == FAVOURABLE:
        assert score > 0, detail
    else:
        assert score < 0, detail


def _scores(sentence_rows, expected, voice=None):
    return [score_of(sentence_rows[case_id]) for case_id, _, stance, quoted, _ in SENTENCES
            if stance == expected and (voice is None or quoted == (voice == "quoted"))]


def test_favourable_sentences_rank_above_neutral_ones_above_unfavourable_ones(sentence_rows):
    favourable, neutral, unfavourable = (np.mean(_scores(sentence_rows, stance))
                                         for stance in (FAVOURABLE, NEUTRAL, UNFAVOURABLE))
    assert favourable > neutral > unfavourable, (favourable, neutral, unfavourable)


@pytest.mark.parametrize("voice", [None, "author", "quoted"])
def test_favourable_targets_are_ranked_above_unfavourable_ones_in_each_voice(sentence_rows, voice):
    favourable, unfavourable = _scores(sentence_rows, FAVOURABLE, voice), _scores(sentence_rows, UNFAVOURABLE, voice)
    assert len(favourable) >= 5 and len(unfavourable) >= 5
    auc = pairwise_auc(favourable, unfavourable)
    assert auc >= MIN_RANKING_AUC, f"{voice or 'all'}: ROC AUC {auc:.3f} < {MIN_RANKING_AUC}"


@pytest.mark.parametrize(("favoured", "attacked"), _marked(TARGET_PAIRS, [pair[0] for pair in TARGET_PAIRS]))
def test_two_targets_of_one_sentence_get_their_own_stances(sentence_rows, favoured, attacked):
    # The same words, a different target: a target-blind model would give both the same score.
    assert score_of(sentence_rows[favoured]) > score_of(sentence_rows[attacked])


# --------------------------------------------------------------------------------------------------------------
# 3. The API of stance_toward
# --------------------------------------------------------------------------------------------------------------

API_SENTENCES = [
    "Senator Alvarez praised the volunteers.",
    "The volunteers were thanked by Senator Alvarez.",
    "Corvax Energy was fined for dumping waste.",
]
API_SPANS = [(0, 15), (31, 46), (0, 13)]


def test_stance_classes_are_in_the_column_order():
    assert framing.STANCE_CLASSES == CLASSES


def test_stance_toward_gives_one_probability_row_per_mention(model):
    for (start, end), sentence in zip(API_SPANS, API_SENTENCES):
        assert sentence[start:end] in ("Senator Alvarez", "Corvax Energy")
    probabilities = model.stance_toward(API_SENTENCES, API_SPANS)
    assert isinstance(probabilities, np.ndarray)
    assert probabilities.shape == (3, 3)
    assert np.all(probabilities >= 0) and np.all(probabilities <= 1)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)


def test_quoted_defaults_to_all_false_and_is_accepted(model):
    default = model.stance_toward(API_SENTENCES, API_SPANS)
    explicit = model.stance_toward(API_SENTENCES, API_SPANS, quoted=[False, False, False])
    np.testing.assert_array_equal(default, explicit)
    quoted = model.stance_toward(API_SENTENCES, API_SPANS, quoted=[True, False, True])
    assert quoted.shape == (3, 3)
    np.testing.assert_allclose(quoted.sum(axis=1), 1.0, atol=1e-9)


def test_the_same_input_twice_gives_the_same_output(model):
    np.testing.assert_array_equal(model.stance_toward(API_SENTENCES, API_SPANS),
                                  model.stance_toward(list(API_SENTENCES), list(API_SPANS)))


def test_a_spans_stance_does_not_depend_on_the_rest_of_the_batch(model):
    texts, spans = zip(*(parse_target(marked) for _, marked, *_ in SENTENCES[:8]))
    together = model.stance_toward(list(texts), list(spans))
    for i in (0, 5, 7):
        alone = model.stance_toward([texts[i]], [spans[i]])
        np.testing.assert_allclose(alone[0], together[i], atol=1e-9, err_msg=SENTENCES[i][0])
    reversed_order = model.stance_toward(list(texts[::-1]), list(spans[::-1]))
    np.testing.assert_allclose(reversed_order[::-1], together, atol=1e-9)


def test_a_length_mismatch_is_a_value_error(model):
    with pytest.raises(ValueError):
        model.stance_toward(API_SENTENCES, API_SPANS[:2])


@pytest.mark.parametrize("bad_span", [(5, 3), (4, 4), (-1, 5), (0, 10_000), (0.0, 5), ("0", 5), (0, 5, 9), (3,)],
                         ids=["reversed", "empty", "negative", "past-the-end", "float", "str", "three", "one"])
def test_a_bad_span_is_a_value_error_naming_its_index(model, bad_span):
    spans = [API_SPANS[0], bad_span, API_SPANS[2]]
    with pytest.raises(ValueError) as error:
        model.stance_toward(API_SENTENCES, spans)
    assert re.search(r"\b1\b", str(error.value)), str(error.value)


@pytest.mark.parametrize("not_text", [None, 42, b"Senator Alvarez praised the volunteers."], ids=["none", "int", "bytes"])
def test_a_sentence_that_is_not_a_str_is_a_type_error_naming_its_index(model, not_text):
    with pytest.raises(TypeError) as error:
        model.stance_toward([API_SENTENCES[0], not_text], [API_SPANS[0], (0, 5)])
    assert re.search(r"\b1\b", str(error.value)), str(error.value)


def test_a_model_without_a_stance_component_says_so(toy_model):
    with pytest.raises(ValueError, match="no target-stance component"):
        toy_model.stance_toward(API_SENTENCES[:1], API_SPANS[:1])


# --------------------------------------------------------------------------------------------------------------
# 4. actor_stance and axis_stance on invented articles, and the command line
# --------------------------------------------------------------------------------------------------------------

STANCE_KEYS = {"mentions", UNFAVOURABLE, NEUTRAL, FAVOURABLE, "score", "interval"}


def check_stance_numbers(stance: dict) -> None:
    """A stance dict with mentions is self-consistent: probabilities sum to 1, score = P(fav) - P(unfav), interval."""
    assert stance["mentions"] >= 1
    total = stance[UNFAVOURABLE] + stance[NEUTRAL] + stance[FAVOURABLE]
    assert total == pytest.approx(1.0, abs=1e-6)
    assert stance["score"] == pytest.approx(stance[FAVOURABLE] - stance[UNFAVOURABLE], abs=2e-6)  # each value is rounded to 6 decimals
    assert -1.0 <= stance["score"] <= 1.0
    if stance["mentions"] < 2:
        assert stance["interval"] is None
    else:
        low, high = stance["interval"]
        assert -1.0 <= low <= stance["score"] <= high <= 1.0


@pytest.fixture(scope="module")
def mayor_report(model):
    return model.score(read_article("mayor_praised_attacked_in_quotes.txt"), actors=["Elena Ruiz", "Ruiz"])


@pytest.fixture(scope="module")
def lopez_report(model):
    return model.score(read_article("dock_strike_lopez.txt"), actors=["Maria Lopez", "Lopez"])


def test_an_actor_praised_by_the_author_and_attacked_in_quotes(mayor_report):
    ruiz = mayor_report.actor_stance(["Elena Ruiz", "Ruiz"])
    assert set(ruiz) >= STANCE_KEYS | {"quoted"}
    assert ruiz["mentions"] == 3 and ruiz["quoted"]["mentions"] == 2, (ruiz["mentions"], ruiz["quoted"]["mentions"])
    check_stance_numbers(ruiz)
    check_stance_numbers(ruiz["quoted"])
    assert ruiz["score"] > 0 > ruiz["quoted"]["score"], (ruiz["score"], ruiz["quoted"]["score"])


def test_an_actor_not_mentioned_has_no_stance(mayor_report):
    nobody = mayor_report.actor_stance(["Boris Petrov", "Petrov"])
    assert nobody["mentions"] == 0
    for key in (UNFAVOURABLE, NEUTRAL, FAVOURABLE, "score", "interval"):
        assert nobody[key] is None, key
    assert nobody["quoted"]["mentions"] == 0 and nobody["quoted"]["score"] is None


def test_a_spelling_list_counts_every_mention_once_with_possessives(lopez_report):
    text = read_article("dock_strike_lopez.txt")
    assert len(re.findall(r"\bLopez\b", text)) == 6 and text.count("Lopez's") == 2  # the article is as described
    lopez = lopez_report.actor_stance(["Maria Lopez", "Lopez"])
    # "Maria Lopez" overlaps "Lopez": each of the six mentions counts once; one stands inside a quotation.
    assert (lopez["mentions"], lopez["quoted"]["mentions"]) == (5, 1)
    check_stance_numbers(lopez)
    assert lopez_report.actor_stance("Maria Lopez")["mentions"] == 2  # one of them possessive
    assert lopez_report.actor_stance("Lopez") == lopez_report.actor_stance(["Lopez"])


def test_spellings_match_case_insensitively_and_as_whole_words(lopez_report):
    assert lopez_report.actor_stance(["maria lopez", "LOPEZ"]) == lopez_report.actor_stance(["Maria Lopez", "Lopez"])
    assert lopez_report.actor_stance("Lope")["mentions"] == 0  # a part of "Lopez" is not a mention


def test_an_unscored_spelling_or_no_spelling_is_a_value_error(model, lopez_report):
    with pytest.raises(ValueError, match="port authority") as error:
        lopez_report.actor_stance("port authority")  # in the text, lower case: not a candidate mention
    assert "actors" in str(error.value)
    with pytest.raises(ValueError):
        lopez_report.actor_stance([])
    asked = model.score(read_article("dock_strike_lopez.txt"), actors=["port authority"])
    assert asked.actor_stance("port authority")["mentions"] == 1


#: Two actors asked for at scoring (each its own spelling group, as two ``--actor`` options give) and their mentions.
ASKED_ACTORS = {"Maria Lopez": 2, "Sam Okafor": 1}


@pytest.fixture(scope="module")
def asked_report(model):
    return model.score(read_article("dock_strike_lopez.txt"), actors=list(ASKED_ACTORS))


def test_to_dict_carries_the_actors_asked_for_and_the_axis_stance(asked_report):
    record = json.loads(json.dumps(asked_report.to_dict()))  # JSON-safe
    assert "actors" in record and "axis_stance" in record
    for name, mentions in ASKED_ACTORS.items():
        assert actor_entry(record["actors"], name)["mentions"] == mentions == asked_report.actor_stance(name)["mentions"]


def actor_entry(actors, name: str) -> dict:
    """The entry for ``name`` in a report's ``"actors"`` (a mapping by spelling, or a list of records naming it)."""
    if isinstance(actors, dict):
        for key, value in actors.items():
            if key.lower() == name.lower():
                return value
    else:
        for entry in actors:
            names = entry.get("names") or [entry.get("name") or entry.get("actor")]
            names = [names] if isinstance(names, str) else names
            if any(str(spelling).lower() == name.lower() for spelling in names):
                return entry
    raise AssertionError(f"no entry for {name!r} in {actors!r}")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "framing", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=180, env=environment)


def test_the_cli_scores_the_actors_asked_for(asked_report):
    path = ARTICLES_DIR / "dock_strike_lopez.txt"
    options = [argument for name in ASKED_ACTORS for argument in ("--actor", name)]
    result = run_cli("score", str(path), *options, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    for name, mentions in ASKED_ACTORS.items():
        entry, stance = actor_entry(record["actors"], name), asked_report.actor_stance(name)
        assert entry["mentions"] == stance["mentions"] == mentions
        assert entry["score"] == pytest.approx(stance["score"], abs=1e-5)
    printed = run_cli("score", str(path), "--actor", "Maria Lopez")
    assert printed.returncode == 0, printed.stderr
    assert "Maria Lopez" in printed.stdout


def us_axis_pole_keys() -> tuple[str, str]:
    """(Republican pole's key, Democratic pole's key) as ``labeled/axis_us_parties.json`` declares them."""
    poles = json.loads(US_AXIS.read_text(encoding="utf-8"))["poles"]
    assert set(poles) == {"negative", "positive"}

    def names(key):
        return " ".join([poles[key].get("label", ""), *poles[key].get("actors", [])]).lower()

    republican = [key for key in poles if "republican" in names(key)]
    democratic = [key for key in poles if "democrat" in names(key)]
    assert len(republican) == len(democratic) == 1 and republican != democratic, poles
    return republican[0], democratic[0]


def swap_parties(text: str) -> str:
    """The same article with Republicans and Democrats exchanged."""
    swaps = {"Republicans": "Democrats", "Democrats": "Republicans", "Republican": "Democratic",
             "Democratic": "Republican"}
    return re.sub(r"\b(Republicans|Democrats|Republican|Democratic)\b", lambda match: swaps[match.group(1)], text)


@pytest.mark.parametrize("swapped", _marked([False, True], ["republicans-praised", "democrats-praised"]))
def test_the_us_parties_axis_gives_the_slant_of_its_poles(model, swapped):
    republican, democratic = us_axis_pole_keys()
    text = read_article("us_budget_republicans_praised.txt")
    text = swap_parties(text) if swapped else text
    praised, attacked = (democratic, republican) if swapped else (republican, democratic)
    report = model.score(text, axis=US_AXIS)
    stances = report.axis_stance
    assert {"negative", "positive"} <= set(stances)
    assert stances[praised]["mentions"] >= 2 and stances[attacked]["mentions"] >= 2
    assert stances[praised]["score"] > 0 > stances[attacked]["score"], (stances[praised], stances[attacked])
    assert report.slant_index is not None and -1 <= report.slant_index <= 1
    assert np.sign(report.slant_index) == (1 if praised == "positive" else -1), report.slant_index


def test_the_cli_takes_the_us_parties_axis_relative_to_the_repository(model):
    path = ARTICLES_DIR / "us_budget_republicans_praised.txt"
    result = run_cli("score", str(path), "--axis", US_AXIS_ARG, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    expected = model.score(path.read_text(encoding="utf-8"), axis=US_AXIS)
    assert record["slant_index"] == pytest.approx(expected.slant_index, abs=1e-5)
    assert set(record["axis_stance"]) == set(expected.axis_stance)


# --------------------------------------------------------------------------------------------------------------
# 5. Third parties never start the axis
# --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text"), THIRD_PARTY_TEXTS, ids=[case[0] for case in THIRD_PARTY_TEXTS])
def test_a_third_party_alone_does_not_start_the_axis(model, name, text):
    report = model.score(text)
    assert does_not_apply(report), (name, report.slant_index, report.to_dict()["slant_status"])


def test_an_article_about_the_eu_and_the_us_alone_does_not_start_the_axis(model):
    report = model.score(read_article("eu_us_trade_third_parties.txt"))
    assert does_not_apply(report), (report.slant_index, report.to_dict()["slant_status"])
    assert DOES_NOT_APPLY in report.summary()
    for side in ("negative", "positive"):
        assert report.axis_stance[side]["mentions"] == 0
        assert report.axis_stance[side]["score"] is None


def test_the_us_parties_axis_does_not_apply_to_a_uk_story(model):
    report = model.score(ISSUE_DOES_NOT_APPLY[0], axis=US_AXIS)
    assert does_not_apply(report), (report.slant_index, report.to_dict()["slant_status"])
