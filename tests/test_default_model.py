"""The bundled default model: loadable without pickle, trained by the recorded recipe, and right on plain cases."""
import json
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.model._recipe import load_recipe

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "models" / "default"
RECIPE = REPO / "models" / "recipe-default.json"

TABLOID = """Greedy union bosses and their militant cronies have once again held the city to ransom with a reckless, shameless strike.
The spineless council caved in to the thugs within hours.
Commuters were left stranded by the ludicrous walkout, a disgraceful stunt by overpaid drivers who already enjoy lavish perks.
It was a disaster for every family trying to get to work."""
WIRE = """Bus drivers in the city went on strike on Monday after talks over pay broke down, the union said.
The city council said it had reached an agreement with the union later in the day.
Commuters faced delays during the morning as services were suspended.
The union said drivers would return to work on Tuesday."""


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def metadata():
    return json.loads((DEFAULT / "model.json").read_text(encoding="utf-8"))["metadata"]


def test_bundled_model_has_the_schema_tasks_and_records_its_recipe(model, metadata):
    recipe = load_recipe(RECIPE)
    assert model.tasks == recipe.schema.task_names
    assert model.classes("loaded") == (False, True)
    assert metadata["recipe"]["sha256"] == recipe.digest()
    assert set(metadata["recipe"]["sources"]) == {source.name for source in recipe.sources}
    assert metadata["framing_version"] == framing.__version__


def test_every_task_carries_its_measured_out_of_domain_skill(model):
    reliability = model.reliability()
    # Every task, and the stance toward an actor (the model's target-stance classifier).
    assert set(reliability) == set(model.tasks) | {"target_stance"}
    for task, info in reliability.items():
        assert info["measurements"], f"{task}: no measurement behind the reliability flag"
        assert info["reliable"] == (info["value"] >= 0.65)


def test_weights_load_without_pickle_and_the_folder_is_small():
    with np.load(DEFAULT / "weights.npz", allow_pickle=False) as weights:
        assert all(weights[name].dtype != object for name in weights.files)
    size = sum(path.stat().st_size for path in DEFAULT.iterdir() if path.is_file())
    assert size <= 5 * 1024 * 1024, f"model folder is {size / 1e6:.1f} MB (limit 5 MB)"


def test_a_tabloid_report_is_far_more_loaded_than_a_wire_report_with_the_loaded_words_as_evidence(model):
    tabloid, wire = model.score(TABLOID, evidence=5), model.score(WIRE, evidence=5)
    assert tabloid.rates["loaded"] >= wire.rates["loaded"] + 0.3, (tabloid.rates["loaded"], wire.rates["loaded"])
    # The evidence a reader sees: highlighted loaded cues and the terms behind each sentence's loaded score.
    shown = {s.text[c["start"]:c["end"]].lower() for s in tabloid.sentences for c in s.cues if c["type"] == "loaded"}
    shown |= {name.split(":", 1)[1] for s in tabloid.sentences for name, _ in s.evidence["loaded"] if ":" in name}
    blatant = {"greedy", "militant", "reckless", "shameless", "spineless", "thugs", "cronies", "ludicrous",
               "disgraceful", "overpaid", "lavish", "disaster"}
    assert len(shown & blatant) >= 5, shown


@pytest.mark.parametrize("sentence, expected", [
    ("The source allegedly said the deal was off.", "anonymous"),
    ("One furious trader reportedly described the move as madness.", "anonymous"),
    ("One insider, who asked not to be named, claimed the talks had collapsed.", "anonymous"),
    ("People familiar with the matter said the plan was dropped.", "anonymous"),
    ("Rubio said the talks were productive.", "named"),
    ("The Kremlin said it would respond.", "named"),
    ("Prices rose 3 percent in March.", "none"),
])
def test_attribution_of_plain_cases(model, sentence, expected):
    assert model.predict([sentence], "attribution") == [expected]


def test_bundled_model_scores_a_seed_article_with_evidence(model):
    text = (REPO / "labeled" / "articles" / "000_fb985c1c742461f2.txt").read_text(encoding="utf-8")
    report = model.score(text)
    json.dumps(report.to_dict())
    assert report.slant_index is None or -1.0 <= report.slant_index <= 1.0
    evidence = report.top_sentences["loaded"]["true"]
    assert evidence, "evidence sentences expected for loaded wording"
    for item in evidence:
        assert item["text"] in text
