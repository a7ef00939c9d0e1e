"""Policy frames as a multi-label frame set (issue #21), tested blind on the bundled default model.

These tests were written from the spec (``Model.predict_frames``, ``ArticleReport.frame_profile`` /
``frames_present``, ``to_dict()["frames"]``, the summary and the command line) and the codebook's frame
definitions (§7.1) only, without reading the frame model, its labels, the training data or the report's
frame code. Every sentence and article here is invented for these tests (``tests/data/frame_articles/README.md``);
none comes from a data set. Do not tune on them.

- About 110 invented sentences labelled under codebook §7.1 (at least 6 clear positives per frame, spread
  over ten topics and over the author's voice and quotations, a few with two frames) and 24 sentences with no
  policy frame (``[]``): for each frame the model reports reliable, ``predict_frames`` ranks the sentences
  that carry it above every sentence that does not (ROC AUC, one case per frame), and the macro mean over
  the reliable frames. Unreliable frames are skipped with the reason.
- The issue's example: a council budget vote is not framed first as relations between states.
- The API of ``predict_frames``: shape, column order, probabilities, the errors.
- Eight invented articles through ``model.score``: the frame profile's form (every frame once, shares summing
  to 1, strongest first), each article's clearly carried frames ranked above its clearly absent ones by share
  (one case per article), ``frames_present``, ``to_dict()["frames"]``, the summary's frames lines and the
  evidence sentences.
- ``framing score --json``, ``--html`` and ``framing compare`` through the command line.

A case the shipped model gets wrong (the model, not the test) goes into :data:`KNOWN_MISSES` as a strict
expected failure, so that a fix makes it XPASS and fail.
"""
from __future__ import annotations

import importlib
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import framing

REPO = Path(__file__).resolve().parents[1]
ARTICLES_DIR = Path(__file__).resolve().parent / "data" / "frame_articles"

FRAME_SET = "policy"
#: The Policy Frames of the shipped frame set, in schema order (spec "Decisions").
FRAMES = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_jurisprudence", "policy_prescription_and_evaluation", "crime_and_punishment",
    "security_and_defense", "health_and_safety", "quality_of_life", "cultural_identity", "public_opinion",
    "political", "external_regulation_and_reputation",
)
TASKS = tuple(f"frame_{frame}" for frame in FRAMES)
#: Per reliable frame: its positives ranked above every sentence without it (pairwise ROC AUC).
MIN_FRAME_AUC = 0.75
#: Macro mean of the per-frame ROC AUC over the reliable frames.
MIN_MACRO_AUC = 0.80
#: The issue's example of a sentence the old single-label model put under relations between states.
ISSUE_BUDGET_SENTENCE = "The city council approved the new budget on Tuesday."

#: Short names used in the sentence table below.
SHORT = {
    "econ": "economic", "capacity": "capacity_and_resources", "moral": "morality", "fair": "fairness_and_equality",
    "legal": "legality_constitutionality_jurisprudence", "policy": "policy_prescription_and_evaluation",
    "crime": "crime_and_punishment", "security": "security_and_defense", "health": "health_and_safety",
    "life": "quality_of_life", "culture": "cultural_identity", "opinion": "public_opinion", "political": "political",
    "external": "external_regulation_and_reputation",
}
TOPICS = frozenset({"war", "elections", "business", "health", "crime", "migration", "climate", "sport", "culture",
                    "local"})

# --------------------------------------------------------------------------------------------------------------
# Invented sentences: (id, topic, sentence, frames under codebook §7.1 by their short names).
# A sentence in quotation marks is quoted speech; the others are the author's voice.
# --------------------------------------------------------------------------------------------------------------
SENTENCES = (
    # economic
    ("econ-mill-jobs", "business",
     "The closure of the paper mill will wipe out about 900 jobs and a fifth of the town's tax revenue.", ("econ",)),
    ("econ-shipping-premiums", "war",
     "Insurance premiums for cargo ships crossing the Black Sea have tripled since the fighting began.", ("econ",)),
    ("econ-levy-bills", "climate",
     '"The new carbon levy will add roughly forty dollars a month to the average household\'s energy bill," '
     "the analyst said.", ("econ",)),
    ("econ-stadium-cost", "sport",
     "The stadium deal will cost taxpayers an estimated 310 million dollars over thirty years.", ("econ",)),
    ("econ-seasonal-workers", "migration",
     "Seasonal workers from abroad added an estimated two billion euros to the farm economy last year.", ("econ",)),
    ("econ-parking-fees", "local",
     '"Raising the parking fees will bring the city an extra four million a year," the treasurer told councillors.',
     ("econ",)),
    ("econ-drug-prices", "health",
     "The price of prescription drugs rose by nine percent last year, the steepest increase in a decade.", ("econ",)),
    ("econ-festival-spending", "culture",
     "Visitors to the summer arts festival spent some sixty million pounds in the city's hotels and restaurants.",
     ("econ",)),
    # capacity_and_resources
    ("capacity-icu-beds", "health",
     "The regional hospital has eleven intensive-care beds for a population of four hundred thousand.",
     ("capacity",)),
    ("capacity-pilots", "war",
     '"We have trained only enough pilots to fly half of the new jets," an air force general admitted.',
     ("capacity", "security")),
    ("capacity-harbour-shelter", "migration",
     "The shelter on the harbour road has beds for two hundred asylum seekers, and more than five hundred are "
     "waiting at its gate.", ("capacity",)),
    ("capacity-inspectors", "local",
     '"We have three building inspectors to cover every construction site in the county," the planning director said.',
     ("capacity",)),
    ("capacity-water-bombers", "climate",
     "Firefighting crews in the valley have only two water bombers for a fire season that now lasts six months.",
     ("capacity",)),
    ("capacity-referees", "sport",
     "The league has too few qualified referees to staff every weekend fixture in the lower divisions.",
     ("capacity",)),
    ("capacity-poll-workers", "elections",
     '"There are simply not enough poll workers to open every polling station on election day," the county clerk '
     "warned.", ("capacity",)),
    ("capacity-detectives", "crime",
     "With a third of its detective posts empty, the force has no one free to investigate most burglaries.",
     ("capacity", "crime")),
    # morality
    ("moral-stand-by-allies", "war",
     '"We have a moral duty to stand by the people who fought beside us," the veteran said.', ("moral",)),
    ("moral-lying-sin", "elections",
     "The pastor told his congregation that lying to voters is a sin, whatever party one belongs to.", ("moral",)),
    ("moral-turning-away", "migration",
     '"Turning away a family that is fleeing for its life would be a betrayal of our conscience," the rabbi said.',
     ("moral",)),
    ("moral-ethics-panel", "health",
     "The ethics panel concluded that it would be wrong to test the drug on prisoners who cannot freely refuse.",
     ("moral",)),
    ("moral-cheating-dishonours", "sport",
     "Fans and former players alike said that cheating to win a final dishonours the whole sport.", ("moral",)),
    ("moral-ruined-planet", "climate",
     '"Handing our children a ruined planet would be the great moral failure of our generation," the activist told '
     "the crowd.", ("moral",)),
    ("moral-miners-widows", "local",
     "The councillor argued that the town is bound in honour to keep the promise it made to the miners' widows.",
     ("moral",)),
    ("moral-deceiving-customers", "business",
     '"Deceiving our customers is simply wrong, whatever it does for the profits," the new chief executive told staff.',
     ("moral",)),
    # fairness_and_equality
    ("fair-agency-welders", "business",
     "At the shipyard, welders hired through agencies earn a third less than staff welders on the same shift.",
     ("fair",)),
    ("fair-street-cleaning", "local",
     "Residents of the east side say their streets are swept once a month, while the wealthy west side gets a "
     "sweeper every week.", ("fair",)),
    ("fair-womens-team", "sport",
     '"The women\'s team gets second-hand kit and the worst training slots, while the men get everything new," the '
     "captain said.", ("fair",)),
    ("fair-separate-classrooms", "migration",
     "Children of migrant workers are taught in separate classrooms with fewer books than their classmates get.",
     ("fair",)),
    ("fair-rural-ballots", "elections",
     '"Rural voters have to drive an hour to cast a ballot, while city voters have a polling station on every '
     'block," the campaign director complained.', ("fair",)),
    ("fair-hip-waits", "health",
     "Patients in poorer districts wait twice as long for a hip operation as patients in richer ones.",
     ("fair", "health")),
    ("fair-tax-reform", "business",
     "The reform cuts taxes for the top tenth of earners, while the poorest households end up paying more.",
     ("fair", "econ")),
    ("fair-traffic-stops", "crime",
     '"Black drivers in this county are stopped by police three times as often as white drivers," the civil rights '
     "group said.", ("fair", "crime")),
    # legality_constitutionality_jurisprudence
    ("legal-postpone-election", "elections",
     "The supreme court ruled that the governor had no constitutional power to postpone the election.", ("legal",)),
    ("legal-couriers", "business",
     "A judge ruled that the delivery app must treat its couriers as employees under labour law.", ("legal",)),
    ("legal-deportation-appeal", "migration",
     "The court found that the deportation order violated the asylum seeker's right to appeal.", ("legal",)),
    ("legal-rentals-authority", "local",
     '"The city has no legal authority to ban short-term rentals without the approval of the state legislature," '
     "the city attorney said.", ("legal",)),
    ("legal-farmers-suit", "climate",
     "A group of farmers is suing the energy company, arguing that its emissions violate their constitutional "
     "right to a healthy environment.", ("legal",)),
    ("legal-annexation-standing", "war",
     "Government lawyers argued that the annexation of the province has no standing under international law.",
     ("legal",)),
    ("legal-transfer-rules", "sport",
     '"The federation\'s transfer rules breach competition law," the player\'s lawyer told the court.', ("legal",)),
    ("legal-postal-ballots", "elections",
     "The electoral commission ruled that postal ballots arriving after polling day cannot lawfully be counted.",
     ("legal",)),
    # policy_prescription_and_evaluation
    ("policy-office-conversions", "local",
     "The new scheme pays landlords to convert empty offices into flats, with a target of ten thousand homes by 2030.",
     ("policy",)),
    ("policy-four-day-week", "local",
     "An independent review found that the four-day school week did little to improve attendance.", ("policy",)),
    ("policy-boiler-ban", "climate",
     '"A carbon tax on its own will not be enough; we also need to ban new gas boilers by 2030," the economist '
     "argued.", ("policy",)),
    ("policy-mentoring", "crime",
     "Researchers found that the youth mentoring programme did not reduce reoffending among the teenagers who took "
     "part.", ("policy", "crime")),
    ("policy-asylum-deadline", "migration",
     "The proposal would require every asylum claim to be decided within six months and would add two hundred "
     "caseworkers.", ("policy",)),
    ("policy-ceasefire-monitors", "war",
     '"The ceasefire plan only works if independent monitors can check that the heavy weapons have been pulled '
     'back," the envoy said.', ("policy", "security")),
    ("policy-points-deduction", "sport",
     "Under the proposed rules, clubs would lose points for every month they fail to pay their players on time.",
     ("policy",)),
    ("policy-interest-rate", "business",
     '"Cutting the interest rate again would do little to revive lending," the central bank governor warned.',
     ("policy", "econ")),
    # crime_and_punishment
    ("crime-jewellery-arrests", "crime",
     "Police arrested two men on Sunday in connection with the burglary of a jewellery shop on Market Street.",
     ("crime",)),
    ("crime-embezzling-director", "business",
     "The former finance director was sentenced to six years in prison for embezzling company funds.", ("crime",)),
    ("crime-executed-prisoners", "war",
     '"The soldiers who executed those prisoners will be found and put on trial," the chief prosecutor said.',
     ("crime",)),
    ("crime-forged-signatures", "elections",
     "Prosecutors charged three campaign volunteers with forging signatures on nomination petitions.", ("crime",)),
    ("crime-goalkeeper-assault", "sport",
     "The goalkeeper was charged with assault after a fight outside a nightclub.", ("crime",)),
    ("crime-river-dumping", "local",
     '"Anyone caught dumping rubbish in the river will face a fine and a criminal record," the mayor warned.',
     ("crime",)),
    ("crime-forged-passports", "migration",
     "Four members of a ring that sold forged passports to migrants were jailed on Friday.", ("crime",)),
    ("crime-knife-sellers", "crime",
     '"We will prosecute every shop owner who sells knives to children," the police chief told reporters.',
     ("crime",)),
    # security_and_defense
    ("security-air-base", "war",
     "Enemy drones struck an air base near the border overnight, destroying two fighter jets on the ground.",
     ("security",)),
    ("security-southern-front", "war",
     '"Our troops have pushed the enemy back twelve kilometres along the southern front," the army spokesman said.',
     ("security",)),
    ("security-threat-level", "crime",
     "The government raised the terrorism threat level to severe after the bombings abroad.", ("security",)),
    ("security-border-soldiers", "migration",
     "The army has deployed two thousand soldiers to patrol the northern border.", ("security",)),
    ("security-hackers", "elections",
     '"Foreign hackers tried to break into our voter registration systems three times this month," the head of '
     "election security said.", ("security",)),
    ("security-tank-order", "business",
     "The defence ministry has ordered forty new tanks to strengthen its armoured divisions.", ("security",)),
    ("security-naval-bases", "climate",
     "Military planners warn that rising seas could threaten naval bases and become a source of armed conflict.",
     ("security",)),
    ("security-baltic-brigade", "war",
     "The alliance will station an extra brigade in the east to deter an invasion.", ("security",)),
    # health_and_safety
    ("health-measles", "health",
     "The measles outbreak has put forty children in hospital across the region this month.", ("health",)),
    ("health-maternity-ward", "war",
     "The shelling destroyed the city's only maternity ward, and three newborns died in the fire.",
     ("health", "security")),
    ("health-heat-deaths", "climate",
     '"The heat this week has already killed eleven elderly people who lived alone," the coroner said.', ("health",)),
    ("health-boxers", "sport",
     "Doctors say repeated blows to the head leave many retired boxers with lasting brain damage.", ("health",)),
    ("health-airbag-recall", "business",
     "The carmaker is recalling sixty thousand vehicles because their airbags can fail in a crash.", ("health",)),
    ("health-lead-pipes", "local",
     '"Lead in the water pipes is poisoning the children of this town," a local doctor said.', ("health",)),
    ("health-boat-capsized", "migration",
     "At least thirty people drowned when an overcrowded boat capsized off the coast.", ("health",)),
    ("health-warehouse-fire", "local",
     "The mayor offered her sympathy to the families of the four workers who died in the warehouse fire.",
     ("health",)),
    # quality_of_life
    ("life-bus-route", "local",
     "Since the bus route was cut, pensioners in the village have had no way of getting to the shops.", ("life",)),
    ("life-candlelight", "war",
     '"We have had electricity for four hours a day since winter began, and the children do their homework by '
     'candlelight," a mother in the city said.', ("life",)),
    ("life-long-shifts", "business",
     "Workers say the new twelve-hour shifts leave them barely any time to see their families.", ("life",)),
    ("life-flood-evenings", "climate",
     "Residents of the coastal town say constant flooding has turned their evenings into a routine of sandbags and "
     "pumps.", ("life",)),
    ("life-public-pool", "sport",
     "The new public pool has given teenagers on the estate somewhere to spend their summer evenings.", ("life",)),
    ("life-one-room", "migration",
     '"My family of five shares one room, and the children have nowhere to play," said a refugee living in the camp.',
     ("life",)),
    ("life-runway-noise", "local",
     "Noise from the new runway keeps families in the suburb awake most nights.", ("life",)),
    ("life-sunday-library", "culture",
     "Since the library began opening on Sundays, families have a quiet place to read together at the weekend.",
     ("life",)),
    # cultural_identity
    ("culture-boat-blessing", "culture",
     "For the island's fishing families, the midsummer blessing of the boats is a tradition that defines who they are.",
     ("culture",)),
    ("culture-language-songs", "war",
     '"They can take our land, but they will never take our language or our songs," the poet said.', ("culture",)),
    ("culture-both-identities", "migration",
     "Second-generation immigrants in the city increasingly describe themselves as both Turkish and German.",
     ("culture",)),
    ("culture-hurling", "sport",
     "For many in the region, the county hurling team is a symbol of a proud Gaelic heritage.", ("culture",)),
    ("culture-market-hall", "local",
     '"The old market hall is the heart of this town\'s identity, and we cannot let it become a car park," the '
     "heritage society said.", ("culture",)),
    ("culture-campaign-language", "elections",
     "The candidate built her campaign around the region's own language and its centuries-old customs.",
     ("culture", "political")),
    ("culture-elders-ceremonies", "culture",
     "Elders fear that the younger generation is forgetting the tribe's language and ceremonies.", ("culture",)),
    ("culture-whisky-heritage", "business",
     '"Our whisky is part of the nation\'s heritage, not just a product," the distillery owner said.', ("culture",)),
    # public_opinion
    ("opinion-government-poll", "elections",
     "A new poll shows that fifty-eight percent of voters disapprove of the way the government is doing its job.",
     ("opinion", "political")),
    ("opinion-renewables-survey", "climate",
     "Two thirds of respondents in the survey said they would pay more for electricity from renewable sources.",
     ("opinion",)),
    ("opinion-peace-march", "war",
     "Tens of thousands of people marched through the capital on Saturday to demand an end to the war.",
     ("opinion",)),
    ("opinion-incinerator-petition", "local",
     '"More than twelve thousand residents have signed our petition against the new incinerator," the campaign\'s '
     "organiser said.", ("opinion",)),
    ("opinion-fans-social-media", "sport",
     "Fans flooded social media with angry messages after the club sacked its popular manager.", ("opinion",)),
    ("opinion-refugee-support", "migration",
     "Surveys suggest that public support for taking in more refugees has fallen sharply over the past year.",
     ("opinion",)),
    ("opinion-faith-health-service", "health",
     '"Most people we ask have lost faith in the health service," the pollster said.', ("opinion",)),
    ("opinion-data-distrust", "business",
     "Consumers in the survey overwhelmingly said they distrust companies that collect their personal data.",
     ("opinion",)),
    ("opinion-minority-signs", "culture",
     "Thousands rallied in the square to demand that street signs also be written in the islanders' own language.",
     ("opinion", "culture")),
    # political
    ("political-ministers-resign", "elections",
     "Two senior ministers resigned on Monday, leaving the coalition government on the brink of collapse.",
     ("political",)),
    ("political-housing-vote", "local",
     "The council passed the housing plan by six votes to five, with every opposition member voting against it.",
     ("political",)),
    ("political-dragging-talks", "war",
     '"The president is dragging out the talks to look tough before the election," an opposition lawmaker said.',
     ("political",)),
    ("political-merger-donors", "business",
     "The senator's sudden opposition to the merger was widely seen as a favour to the donors who fund her campaign.",
     ("political",)),
    ("political-greens-threaten", "climate",
     "The green party has threatened to quit the governing coalition unless its ministers get their way on coal.",
     ("political",)),
    ("political-whip-up-base", "migration",
     '"The governor is using the border to whip up his base ahead of the primaries," his rival said.',
     ("political",)),
    ("political-stadium-attack", "sport",
     "Several lawmakers have seized on the stadium vote to attack the mayor ahead of next year's election.",
     ("political",)),
    ("political-primary-win", "elections",
     "The party's candidate for mayor won the primary with sixty-two percent of the vote.", ("political",)),
    # external_regulation_and_reputation
    ("external-vienna-ministers", "war",
     "The foreign ministers of the two countries met in Vienna on Thursday to discuss an exchange of prisoners.",
     ("external",)),
    ("external-free-trade-signed", "business",
     "The two countries signed a free-trade agreement at the end of the three-day summit.", ("external",)),
    ("external-climate-promises", "climate",
     '"This agreement shows the world that our nation keeps its promises on climate," the foreign minister said '
     "after the summit.", ("external",)),
    ("external-officials-sanctioned", "elections",
     "The European Union imposed sanctions on five officials over the crackdown on protesters.", ("external",)),
    ("external-boycott-standing", "sport",
     "The country's decision to boycott the games has damaged its standing with its neighbours.", ("external",)),
    ("external-rome-visit", "migration",
     "The prime minister flew to Rome to ask the Italian government for help with the migrants arriving on the "
     "islands.", ("external",)),
    ("external-reputation-abroad", "elections",
     '"Our country\'s reputation abroad has never been lower," the former ambassador said.', ("external",)),
    ("external-vaccine-stocks", "health",
     "The health ministers of twenty countries agreed in Geneva to share vaccine stocks during future pandemics.",
     ("external", "health")),
)

#: Sentences with no policy frame (``[]`` under codebook §7.1: no issue at stake, or no aspect put forward).
NO_FRAME = (
    ("none-winger-shot", "sport", "The winger cut inside and fired a low shot past the goalkeeper in the ninety-first minute."),
    ("none-crossbar", "sport", "The forward headed the ball against the crossbar just before half-time."),
    ("none-layup", "sport", "The point guard dribbled past two defenders and finished with a layup."),
    ("none-fifth-set", "sport", "The tennis match went to a fifth set after more than three hours on court."),
    ("none-mountain-pass", "sport", "The riders climbed the final mountain pass in thick fog."),
    ("none-laptop", "business", "The new laptop has a fourteen-inch screen and weighs just over a kilogram."),
    ("none-phone-colours", "business", "The phone comes in three colours: black, silver and a pale green."),
    ("none-dashboard", "business", "The car's dashboard now shows the route on a larger display."),
    ("none-train-timetable", "local", "The 7.15 train to the coast leaves from platform four on weekdays."),
    ("none-museum-hours", "culture", "The museum opens at ten in the morning and closes at six, except on Mondays."),
    ("none-concert-tickets", "culture", "Tickets for the concert go on sale at nine on Friday morning."),
    ("none-square-sunlight", "local", "Sunlight fell across the empty square as the café owners set out their chairs."),
    ("none-hotel-rain", "culture", "A light rain was falling when the guests arrived at the hotel."),
    ("none-window-coffee", "culture", "She ordered a coffee, sat by the window and opened her newspaper."),
    ("none-recipe", "culture", "The recipe calls for two eggs, a cup of flour and a pinch of salt."),
    ("none-orchestra", "culture", "The orchestra played the second movement more slowly than usual."),
    ("none-road-film", "culture", "The film follows two brothers on a road trip through the desert."),
    ("none-blue-shutters", "local", "The bakery on the corner has painted its shutters bright blue."),
    ("none-lighthouse-novel", "culture", "Her second novel, set in a lighthouse, runs to four hundred pages."),
    ("none-beetles", "climate", "Scientists counted more than two hundred species of beetle in the forest plot."),
    ("none-former-teacher", "elections", "The minister, a former teacher, arrived in the capital on Monday evening."),
    ("none-reply", "elections", '"That is not what I meant," she replied.'),
    ("none-photo-credit", "local", "Pictures by our staff photographer."),
    ("none-sunshine", "local", '"I just wanted to sit in the sunshine for a while," she said, laughing.'),
)

#: Cases the shipped model gets wrong (the model, not the test): strict expected failures, one id per case.
#: Ids: ``auc/<frame>``, ``macro/reliable``, ``issue/budget``, ``order/<article>``, ``present/<article>``,
#: ``absent/<article>``.
#: Measured misses of the shipped model (2 Dec 2026, the model of issue #21), each a strict xfail:
#: fairness sentences about unequal public services read as no frame (pairwise AUC 0.742); the capacity frame
#: of the hospital and immigration articles stays below frames they do not carry (capacity has 47 labelled
#: positives, held-out AUC 0.657); a court ruling and an immigration story are given crime_and_punishment.
KNOWN_MISSES: frozenset[str] = frozenset({
    "auc/fairness_and_equality",
    "order/hospital_health",
    "order/immigration",
    "absent/court_ruling",
    "absent/immigration",
})

ARTICLE_NAMES = tuple(sorted(path.stem for path in ARTICLES_DIR.glob("*.txt")))


def frames_of(case) -> frozenset[str]:
    """The full frame names a sentence case carries."""
    return frozenset(SHORT[short] for short in case[3])


def is_quoted(sentence: str) -> bool:
    return sentence.lstrip().startswith('"')


def pairwise_auc(higher: list[float], lower: list[float]) -> float:
    """Share of (higher, lower) pairs ranked the right way round (ties count half): ROC AUC of the two groups."""
    wins = sum(1.0 if h > lo else 0.5 if h == lo else 0.0 for h in higher for lo in lower)
    return wins / (len(higher) * len(lower))


def with_known_misses(kind: str, cases, ids=None):
    """``pytest.param`` per case, the ones whose ``kind/id`` is in :data:`KNOWN_MISSES` as strict xfails."""
    ids = list(ids if ids is not None else cases)
    params = []
    for case, case_id in zip(cases, ids):
        values = case if isinstance(case, tuple) else (case,)
        marks = ([pytest.mark.xfail(strict=True, reason="known miss of the shipped model")]
                 if f"{kind}/{case_id}" in KNOWN_MISSES else [])
        params.append(pytest.param(*values, id=case_id, marks=marks))
    return params


def read_article(name: str) -> str:
    return (ARTICLES_DIR / f"{name}.txt").read_text(encoding="utf-8")


def article_frames(name: str) -> dict:
    return json.loads((ARTICLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def frame_reliability(model, frame: str) -> tuple[bool, str]:
    """(reliable, why not) for a frame, from ``model.reliability()`` keyed by its task name."""
    entry = model.reliability().get(f"frame_{frame}")
    if entry is None:
        return False, f"no reliability measurement recorded for frame_{frame}"
    if entry.get("reliable"):
        return True, ""
    return False, f"frame_{frame} is not reliable in the shipped model (measured {entry.get('value')})"


def reliable_frames(model) -> list[str]:
    return [frame for frame in FRAMES if frame_reliability(model, frame)[0]]


def strip_json(value):
    """``value`` as JSON gives it back (tuples become lists)."""
    return json.loads(json.dumps(value))


def assert_same_json(actual, expected, where="") -> None:
    """Equal JSON values, numbers within 1e-6 (``to_dict`` rounds to six decimals)."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{where}: {actual!r}"
        assert actual == pytest.approx(expected, abs=1e-6), f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same_json(a, e, f"{where}[{i}]")
    else:
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{where}: keys {actual!r} != {expected!r}"
        for key in expected:
            assert_same_json(actual[key], expected[key], f"{where}.{key}")


# --------------------------------------------------------------------------------------------------------------
# 0. The test material itself (needs no model)
# --------------------------------------------------------------------------------------------------------------

def test_the_invented_sentences_are_well_formed():
    ids = [case[0] for case in SENTENCES] + [case[0] for case in NO_FRAME]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [case[2] for case in SENTENCES] + [case[2] for case in NO_FRAME]
    assert len(texts) == len(set(texts)), "duplicate sentences"
    assert len(NO_FRAME) >= 20
    assert set(SHORT.values()) == set(FRAMES)
    for case in SENTENCES:
        assert case[1] in TOPICS, case[0]
        assert 1 <= len(case[3]) <= 3 and len(set(case[3])) == len(case[3]), case[0]
        assert all(short in SHORT for short in case[3]), case[0]
        assert case[2].count('"') % 2 == 0, case[0]
    for case in NO_FRAME:
        assert case[1] in TOPICS, case[0]
    assert {case[1] for case in SENTENCES} == TOPICS
    for frame in FRAMES:
        positives = [case for case in SENTENCES if frame in frames_of(case)]
        assert len(positives) >= 6, (frame, len(positives))
        assert len({case[1] for case in positives}) >= 4, (frame, "too few topics")
        voices = {is_quoted(case[2]) for case in positives}
        assert voices == {True, False}, (frame, "needs positives in the author's voice and in quotations")


def test_the_invented_articles_are_well_formed():
    assert 6 <= len(ARTICLE_NAMES) <= 8
    for name in ARTICLE_NAMES:
        text, frames = read_article(name), article_frames(name)
        assert 150 <= len(text.split()) <= 400, (name, len(text.split()))
        carries, absent = set(frames["carries"]), set(frames["absent"])
        assert carries and absent and not carries & absent, name
        assert carries <= set(FRAMES) and absent <= set(FRAMES), name
        assert len(frames["carries"]) == len(carries) and len(frames["absent"]) == len(absent), name
    (ARTICLES_DIR / "README.md").read_text(encoding="utf-8")


def test_the_known_misses_name_existing_cases():
    valid = ({f"auc/{frame}" for frame in FRAMES} | {"macro/reliable", "issue/budget"}
             | {f"{kind}/{name}" for kind in ("order", "present", "absent") for name in ARTICLE_NAMES})
    assert KNOWN_MISSES <= valid, sorted(KNOWN_MISSES - valid)


# --------------------------------------------------------------------------------------------------------------
# 1. Sentences: ranking per reliable frame
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def model_frames(model) -> tuple[str, ...]:
    """The frames of the model's frame set, in its column order."""
    by_name = {frame_set.name: frame_set for frame_set in model.frame_sets}
    assert FRAME_SET in by_name, f"the model has no frame set {FRAME_SET!r} (its sets: {sorted(by_name)})"
    return tuple(by_name[FRAME_SET].frames)


@pytest.fixture(scope="module")
def sentence_probabilities(model, model_frames) -> dict[str, dict[str, float]]:
    """``{id: {frame: P(frame present)}}`` for every invented sentence, scored in one batch."""
    cases = [(case[0], case[2]) for case in SENTENCES] + [(case[0], case[2]) for case in NO_FRAME]
    probabilities = model.predict_frames([text for _, text in cases], FRAME_SET)
    return {case_id: dict(zip(model_frames, map(float, row))) for (case_id, _), row in zip(cases, probabilities)}


def frame_auc(sentence_probabilities, frame: str) -> tuple[float, list[str], list[str]]:
    """ROC AUC of ``frame``'s probability, its positives against every other sentence; the worst ranked of each."""
    positives, negatives = [], []
    for case in SENTENCES:
        (positives if frame in frames_of(case) else negatives).append(case[0])
    negatives += [case[0] for case in NO_FRAME]
    score = {case_id: sentence_probabilities[case_id][frame] for case_id in positives + negatives}
    auc = pairwise_auc([score[i] for i in positives], [score[i] for i in negatives])
    lowest = [f"{i} {score[i]:.3f}" for i in sorted(positives, key=score.get)[:4]]
    highest = [f"{i} {score[i]:.3f}" for i in sorted(negatives, key=score.get, reverse=True)[:4]]
    return auc, lowest, highest


@pytest.mark.parametrize("frame", with_known_misses("auc", FRAMES))
def test_a_reliable_frame_ranks_its_sentences_above_the_others(model, sentence_probabilities, frame):
    reliable, why_not = frame_reliability(model, frame)
    if not reliable:
        pytest.skip(why_not)
    auc, lowest, highest = frame_auc(sentence_probabilities, frame)
    assert auc >= MIN_FRAME_AUC, (f"{frame}: ROC AUC {auc:.3f} < {MIN_FRAME_AUC}; lowest positives {lowest}; "
                                  f"highest negatives {highest}")


@pytest.mark.parametrize("which", with_known_misses("macro", ["reliable"]))
def test_the_macro_auc_over_the_reliable_frames(model, sentence_probabilities, which):
    frames = reliable_frames(model)
    if not frames:
        pytest.skip("the shipped model reports no frame reliable")
    aucs = {frame: frame_auc(sentence_probabilities, frame)[0] for frame in frames}
    macro = float(np.mean(list(aucs.values())))
    assert macro >= MIN_MACRO_AUC, f"macro ROC AUC {macro:.3f} < {MIN_MACRO_AUC}: " + ", ".join(
        f"{frame} {auc:.3f}" for frame, auc in sorted(aucs.items(), key=lambda item: item[1]))


@pytest.mark.parametrize("which", with_known_misses("issue", ["budget"]))
def test_the_issue_budget_vote_is_not_framed_first_as_relations_between_states(model, model_frames, which):
    row = model.predict_frames([ISSUE_BUDGET_SENTENCE], FRAME_SET)[0]
    top = model_frames[int(np.argmax(row))]
    assert top != "external_regulation_and_reputation", dict(zip(model_frames, np.round(row, 3)))


# --------------------------------------------------------------------------------------------------------------
# 2. The API of predict_frames and of the frame set
# --------------------------------------------------------------------------------------------------------------

API_SENTENCES = [
    "The plant's closure will cost the town hundreds of jobs.",
    '"Our troops held the bridge all night," the commander said.',
    "The train leaves at seven.",
]


def test_the_model_has_one_frame_set_the_policy_frames_in_schema_order(model):
    assert isinstance(model.frame_sets, tuple) and len(model.frame_sets) == 1
    (policy,) = model.frame_sets
    assert isinstance(policy, framing.FrameSet)
    assert policy.name == FRAME_SET
    assert tuple(policy.frames) == FRAMES
    assert tuple(policy.tasks) == TASKS
    assert set(TASKS) <= set(model.tasks)
    assert "frame" not in model.tasks  # the single-label task is replaced in the shipped model
    assert policy.task_of("economic") == "frame_economic"
    with pytest.raises(LookupError) as error:
        policy.task_of("no_such_frame")
    assert "no_such_frame" in str(error.value) and "economic" in str(error.value), str(error.value)


def test_the_frame_tasks_are_binary(model):
    for task in TASKS:
        assert tuple(model.classes(task)) == (False, True), task


def test_predict_frames_gives_one_probability_per_sentence_and_frame(model):
    probabilities = model.predict_frames(API_SENTENCES)
    assert isinstance(probabilities, np.ndarray)
    assert probabilities.shape == (3, len(FRAMES))
    assert np.all(np.isfinite(probabilities))
    assert np.all(probabilities >= 0) and np.all(probabilities <= 1)
    # Independent binary heads: a row need not sum to 1, and naming the only set changes nothing.
    np.testing.assert_array_equal(probabilities, model.predict_frames(API_SENTENCES, FRAME_SET))


def test_predict_frames_columns_are_the_frame_tasks_true_probabilities(model):
    probabilities = model.predict_frames(API_SENTENCES, FRAME_SET)
    for column, task in enumerate(TASKS):
        true_column = list(model.classes(task)).index(True)
        np.testing.assert_allclose(probabilities[:, column], model.predict_proba(API_SENTENCES, task)[:, true_column],
                                   atol=1e-9, err_msg=task)


def test_predict_frames_of_no_sentences_is_an_empty_table(model):
    assert model.predict_frames([]).shape == (0, len(FRAMES))


def test_a_sentences_frames_do_not_depend_on_the_rest_of_the_batch(model):
    texts = [case[2] for case in SENTENCES[:10]]
    together = model.predict_frames(texts)
    for i in (0, 4, 9):
        np.testing.assert_allclose(model.predict_frames([texts[i]])[0], together[i], atol=1e-9)
    np.testing.assert_allclose(model.predict_frames(texts[::-1])[::-1], together, atol=1e-9)


@pytest.mark.parametrize("bad_name", ["generic", "Policy", ""])
def test_an_unknown_frame_set_is_an_error_naming_the_available_sets(model, bad_name):
    with pytest.raises((LookupError, ValueError)) as error:
        model.predict_frames(API_SENTENCES, bad_name)
    assert FRAME_SET in str(error.value), str(error.value)


@pytest.mark.parametrize("not_text", [None, 42, b"The train leaves at seven."], ids=["none", "int", "bytes"])
def test_a_sentence_that_is_not_a_str_is_a_type_error_naming_its_index(model, not_text):
    with pytest.raises(TypeError) as error:
        model.predict_frames([API_SENTENCES[0], not_text])
    assert re.search(r"\b1\b", str(error.value)), str(error.value)


def test_a_single_str_instead_of_a_list_is_a_type_error(model):
    with pytest.raises(TypeError):
        model.predict_frames(API_SENTENCES[0])


def test_a_model_without_frame_sets_says_so(toy_model):
    assert toy_model.frame_sets == ()
    with pytest.raises((LookupError, ValueError)):
        toy_model.predict_frames(API_SENTENCES)
    record = toy_model.score("Officials met to discuss aid. Prices rose by 3 percent in October.").to_dict()
    assert record["frames"] == {}


# --------------------------------------------------------------------------------------------------------------
# 3. Articles through model.score
# --------------------------------------------------------------------------------------------------------------

PROFILE_KEYS = {"frame", "task", "share", "presence", "present", "status", "sentences", "terms"}


@pytest.fixture(scope="module")
def reports(model):
    return {name: model.score(read_article(name)) for name in ARTICLE_NAMES}


def profile_by_frame(report) -> dict[str, dict]:
    return {entry["frame"]: entry for entry in report.frame_profile(FRAME_SET)}


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_the_profile_lists_every_frame_once_shares_summing_to_one_strongest_first(reports, name):
    report = reports[name]
    profile = report.frame_profile(FRAME_SET)
    assert sorted(entry["frame"] for entry in profile) == sorted(FRAMES)
    for entry in profile:
        assert set(entry) == PROFILE_KEYS, entry["frame"]
        assert entry["task"] == f"frame_{entry['frame']}"
        assert 0.0 <= entry["share"] <= 1.0 and 0.0 <= entry["presence"] <= 1.0, entry
        assert entry["present"] == (entry["presence"] >= 0.5), entry
    assert math.isclose(sum(entry["share"] for entry in profile), 1.0, abs_tol=1e-6)
    # Strongest first: share descending, ties in schema order.
    keys = [(-entry["share"], FRAMES.index(entry["frame"])) for entry in profile]
    assert keys == sorted(keys), [(entry["frame"], entry["share"]) for entry in profile]
    assert report.frame_profile() == profile  # the model's only set is the default


def test_an_unknown_frame_set_in_the_report_is_an_error_naming_the_available_sets(reports):
    with pytest.raises((LookupError, ValueError)) as error:
        reports[ARTICLE_NAMES[0]].frame_profile("generic")
    assert FRAME_SET in str(error.value), str(error.value)


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_each_frames_status_is_the_task_status(model, reports, name):
    report = reports[name]
    for frame, entry in profile_by_frame(report).items():
        reliable, _ = frame_reliability(model, frame)
        assert entry["status"] == report.status(entry["task"]), frame
        assert (entry["status"] == "finding") == reliable, (frame, entry["status"])
        if not reliable:
            assert entry["status"].startswith("not reliable"), (frame, entry["status"])


@pytest.mark.parametrize("name", with_known_misses("order", ARTICLE_NAMES))
def test_an_articles_clear_frames_outrank_its_absent_frames_by_share(model, reports, name):
    expected = article_frames(name)
    reliable = set(reliable_frames(model))
    carried = [frame for frame in expected["carries"] if frame in reliable]
    absent = [frame for frame in expected["absent"] if frame in reliable]
    if not carried or not absent:
        pytest.skip(f"{name}: no reliable frame on one side (carried {carried}, absent {absent})")
    share = {frame: entry["share"] for frame, entry in profile_by_frame(reports[name]).items()}
    wrong = [f"{c} {share[c]:.3f} <= {a} {share[a]:.3f}" for c in carried for a in absent if share[c] <= share[a]]
    assert not wrong, f"{name}: {len(wrong)} of {len(carried) * len(absent)} pairs out of order: {wrong}"


@pytest.mark.parametrize("name", with_known_misses("present", ARTICLE_NAMES))
def test_an_article_puts_forward_at_least_one_of_its_clear_frames(model, reports, name):
    carried = [frame for frame in article_frames(name)["carries"] if frame_reliability(model, frame)[0]]
    if not carried:
        pytest.skip(f"{name}: none of its clear frames is reliable")
    present = reports[name].frames_present(FRAME_SET)
    assert set(carried) & set(present), f"{name}: carries {carried}, present {present}"


@pytest.mark.parametrize("name", with_known_misses("absent", ARTICLE_NAMES))
def test_an_article_does_not_put_forward_its_absent_frames(model, reports, name):
    absent = [frame for frame in article_frames(name)["absent"] if frame_reliability(model, frame)[0]]
    if not absent:
        pytest.skip(f"{name}: none of its absent frames is reliable")
    profile = profile_by_frame(reports[name])
    wrong = [f"{frame} {profile[frame]['presence']:.3f}" for frame in absent if profile[frame]["present"]]
    assert not wrong, f"{name}: absent frames reported present: {wrong}"


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_frames_present_holds_the_reliable_present_frames_strongest_first(model, reports, name):
    report = reports[name]
    profile = report.frame_profile(FRAME_SET)
    present = report.frames_present(FRAME_SET)
    assert present == report.frames_present()
    expected = [entry["frame"] for entry in profile if entry["present"] and entry["status"] == "finding"]
    assert present == expected
    for frame in present:
        assert frame_reliability(model, frame)[0], frame
        assert profile_by_frame(report)[frame]["presence"] >= 0.5, frame


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_to_dict_carries_the_profile_as_json(reports, name):
    report = reports[name]
    record = json.loads(json.dumps(report.to_dict()))  # JSON-safe
    assert set(record["frames"]) == {FRAME_SET}
    policy = record["frames"][FRAME_SET]
    assert set(policy) == {"method", "frames", "present"}
    assert isinstance(policy["method"], str) and policy["method"]
    assert policy["method"] == importlib.import_module("framing.report._frames").PRESENCE_METHOD
    assert_same_json(policy["frames"], strip_json(report.frame_profile(FRAME_SET)), "frames")
    assert policy["present"] == report.frames_present(FRAME_SET)
    # The frame tasks stay ordinary tasks in the generic entries.
    for task in TASKS:
        assert task in record["tasks"] and task in record["rates"], task


def content_units(report) -> list[dict]:
    """The report's content units (boilerplate left out), from ``to_dict()["sentences"]``; skip if unclear."""
    record = report.to_dict()
    units = [unit for unit in record["sentences"] if unit["boilerplate"] < 0.5]
    if len(units) != record["n_sentences"]:
        pytest.skip("cannot tell the content units from to_dict()['sentences']")
    return units


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_shares_and_presence_follow_from_the_units_probabilities(reports, name):
    report = reports[name]
    units = content_units(report)
    p = np.array([[unit["probabilities"][task]["true"] for task in TASKS] for unit in units])
    total = p.sum()
    profile = profile_by_frame(report)
    for column, frame in enumerate(FRAMES):
        assert profile[frame]["share"] == pytest.approx(p[:, column].sum() / total, abs=1e-5), frame
        # Spec §6: the mean of the two largest unit probabilities (the single unit's value for one unit).
        top_two = np.sort(p[:, column])[::-1][:2]
        assert profile[frame]["presence"] == pytest.approx(float(top_two.mean()), abs=1e-5), frame


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_each_frames_evidence_sentences_are_units_of_the_article_strongest_first(reports, name):
    report = reports[name]
    text = read_article(name)
    units = {unit["index"]: unit for unit in report.to_dict()["sentences"]}
    for entry in report.frame_profile(FRAME_SET):
        sentences = entry["sentences"]
        if entry["present"]:
            assert sentences, entry["frame"]  # a present frame has a unit with some probability behind it
        probabilities = [sentence["probability"] for sentence in sentences]
        assert probabilities == sorted(probabilities, reverse=True), entry["frame"]
        for sentence in sentences:
            assert set(sentence) >= {"index", "text", "probability"}
            assert 0.0 <= sentence["probability"] <= 1.0
            assert sentence["index"] in units, (entry["frame"], sentence)
            assert units[sentence["index"]]["text"] == sentence["text"], (entry["frame"], sentence)
            assert sentence["text"] in text, (entry["frame"], sentence["text"])
            assert units[sentence["index"]]["probabilities"][entry["task"]]["true"] == pytest.approx(
                sentence["probability"], abs=1e-5)
        for term in entry["terms"]:
            assert len(term) == 2 and isinstance(term[0], str) and isinstance(term[1], (int, float)), term


def frames_line(summary: str) -> str | None:
    lines = [line for line in summary.splitlines() if line.startswith(f"frames ({FRAME_SET}):")]
    assert len(lines) <= 1, lines
    return lines[0] if lines else None


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_the_summary_names_the_top_present_frame(model, reports, name):
    report = reports[name]
    if not reliable_frames(model):
        pytest.skip("the shipped model reports no frame reliable")
    summary = report.summary()
    line = frames_line(summary)
    assert line is not None, summary
    present = report.frames_present(FRAME_SET)
    if present:
        top = present[0]
        assert re.search(rf"\b{top}\s+\d\.\d+\s+present\b", line), (top, line)
        # The evidence of the top present frame comes with its top sentence.
        top_sentence = profile_by_frame(report)[top]["sentences"][0]["text"]
        assert top_sentence[:25] in summary, (top_sentence, summary)


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_the_summary_prints_no_number_for_an_unreliable_frame(model, reports, name):
    summary = reports[name].summary()
    unreliable = [frame for frame in FRAMES if not frame_reliability(model, frame)[0]]
    not_reliable_lines = [line for line in summary.splitlines() if line.startswith("frames not reliable:")]
    if unreliable:
        assert len(not_reliable_lines) == 1, summary
        for frame in unreliable:
            assert len(re.findall(rf"\b{frame}\b", not_reliable_lines[0])) == 1, (frame, not_reliable_lines[0])
    else:
        assert not not_reliable_lines, summary
    line = frames_line(summary) or ""
    for frame in unreliable:
        assert not re.search(rf"\b{frame}\b", line), (frame, line)
        assert not re.search(rf"\b{frame}\b\s*[:=]?\s*\d", summary), (frame, summary)
    # The frame tasks are read as a profile, not as generic binary-rate or evidence lines.
    for task in TASKS:
        assert task not in summary, (task, summary)


# --------------------------------------------------------------------------------------------------------------
# 4. The command line
# --------------------------------------------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "framing", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300, env=environment)


def test_the_cli_score_json_has_the_frames(reports):
    name = "budget_tax"
    result = run_cli("score", str(ARTICLES_DIR / f"{name}.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    policy = record["frames"][FRAME_SET]
    expected = strip_json(reports[name].to_dict()["frames"][FRAME_SET])
    assert policy["present"] == expected["present"]
    assert [entry["frame"] for entry in policy["frames"]] == [entry["frame"] for entry in expected["frames"]]
    for got, want in zip(policy["frames"], expected["frames"]):
        assert got["share"] == pytest.approx(want["share"], abs=1e-5), got["frame"]


def test_the_cli_score_html_has_a_frames_section(model, tmp_path):
    out = tmp_path / "article.html"
    result = run_cli("score", str(ARTICLES_DIR / "hospital_health.txt"), "--html", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Frames" in page
    lowered = page.lower()
    for frame in reliable_frames(model):
        assert frame in lowered or frame.replace("_", " ") in lowered, frame


def find_key(value, key: str) -> list:
    """Every value stored under ``key`` anywhere in a JSON value."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                found.append(v)
            found += find_key(v, key)
    elif isinstance(value, list):
        for item in value:
            found += find_key(item, key)
    return found


def test_the_cli_compare_prints_a_frames_row_and_its_json_carries_the_profiles():
    paths = [str(ARTICLES_DIR / f"{name}.txt") for name in ("war_report", "budget_tax")]
    printed = run_cli("compare", *paths)
    assert printed.returncode == 0, printed.stderr
    assert any(line.startswith(f"frames ({FRAME_SET})") for line in printed.stdout.splitlines()), printed.stdout
    as_json = run_cli("compare", *paths, "--json")
    assert as_json.returncode == 0, as_json.stderr
    frames = [value for value in find_key(json.loads(as_json.stdout), "frames")
              if isinstance(value, dict) and FRAME_SET in value]
    assert len(frames) >= 2, as_json.stdout[:2000]
