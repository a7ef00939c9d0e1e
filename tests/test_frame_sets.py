"""Frame sets (issue 21): the schema's named groups of binary frame tasks, the frame sources, the recipe's
``tasks`` and ``labels``, and ``Model.predict_frames``."""
import csv
import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.data import CorpusError, FrameSet, Schema, load_schema
from framing.data._recipe import RecipeError, load_recipe
from framing.datasets import FRAC_CODES, POLICY_FRAME_TASKS, POLICY_FRAMES, SOURCES, frac_sentences, load_source, source_files
from framing.errors import UnknownFrameError

REPO = Path(__file__).resolve().parents[1]
LABELED = REPO / "labeled"
RECIPE = REPO / "models" / "recipe-default.json"
DATA = REPO.parent / "shared" / "data"
BINARY = {"type": "binary", "classes": [False, True]}


def _schema(frame_sets=None, **tasks):
    document = {"tasks": {"frame_economic": BINARY, "frame_political": BINARY, "frame_morality": BINARY,
                          "tone": {"type": "multiclass", "classes": ["calm", "angry"]}, **tasks}}
    if frame_sets is not None:
        document["frame_sets"] = frame_sets
    return document


POLICY = {"policy": {"definition": "invented", "frames": {"political": "frame_political", "economic": "frame_economic"}}}


# ----------------------------------------------------------------------------- FrameSet and Schema
def test_a_frame_set_maps_frames_to_tasks_in_declared_order_and_names_the_frames_it_has():
    policy = Schema.from_dict(_schema(POLICY)).frame_set("policy")
    assert policy == FrameSet("policy", ("political", "economic"), ("frame_political", "frame_economic"), "invented")
    assert policy.task_of("economic") == "frame_economic"
    with pytest.raises(UnknownFrameError, match=r"unknown frame 'economy' of frame set 'policy'; "
                                                r"available: \['political', 'economic'\]") as caught:
        policy.task_of("economy")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, framing.FramingError)
    assert policy.to_dict()["frames"] == {"political": "frame_political", "economic": "frame_economic"}
    with pytest.raises(ValueError, match="duplicate frame name"):
        FrameSet("policy", ("economic", "economic"), ("frame_economic", "frame_political"))
    with pytest.raises(ValueError, match="2 frames but 1 tasks"):
        FrameSet("policy", ("economic", "political"), ("frame_economic",))


def test_the_schema_names_its_frame_sets_and_their_tasks():
    schema = Schema.from_dict(_schema(POLICY))
    assert schema.frame_tasks == frozenset({"frame_political", "frame_economic"})
    assert [frame_set.name for frame_set in schema.frame_sets] == ["policy"]
    with pytest.raises(UnknownFrameError, match=r"unknown frame set 'generic'; available: \['policy'\]"):
        schema.frame_set("generic")
    plain = Schema.from_dict(_schema())
    assert plain.frame_sets == () and plain.frame_tasks == frozenset() and "frame_sets" not in plain.to_dict()


def test_frame_sets_survive_a_json_round_trip_even_with_sorted_keys():
    schema = Schema.from_dict(_schema(POLICY))
    again = Schema.from_dict(json.loads(json.dumps(schema.to_dict(), sort_keys=True)))
    assert again == schema
    assert again.frame_set("policy").frames == ("political", "economic")


def test_restricting_a_schema_keeps_the_frames_whose_task_remains_and_drops_an_empty_set():
    schema = Schema.from_dict(_schema(POLICY))
    assert schema.restricted(["frame_economic", "tone"]).frame_set("policy").frames == ("economic",)
    assert schema.restricted(["tone"]).frame_sets == ()
    assert schema.restricted(list(schema.task_names)) == schema


@pytest.mark.parametrize("frame_sets, field, message", [
    ({"policy": {"frames": {"economic": "frame_economy"}}}, "frame_sets.policy.frames.economic", "unknown task"),
    ({"policy": {"frames": {"tone": "tone"}}}, "frame_sets.policy.frames.tone", "a frame needs a binary task"),
    ({"policy": {"frames": {"economic": "frame_economic"}}, "generic": {"frames": {"money": "frame_economic"}}},
     "frame_sets.generic.frames.money", "task already belongs to frame_sets.policy.frames.economic"),
    ({"policy": {"frames": {"economic": "frame_economic", "money": "frame_economic"}}},
     "frame_sets.policy.frames.money", "task already belongs to"),
    ({"policy": {"frames": {}}}, "frame_sets.policy.frames", "non-empty"),
    ({"policy": {"frames": {"economic": "frame_economic"}, "frame_order": ["economic", "economic"]}},
     "frame_sets.policy.frame_order", "duplicate frame names"),
    ({"policy": {"frames": {"economic": "frame_economic"}, "colour": "red"}}, "frame_sets.policy", "unknown keys"),
    (["policy"], "frame_sets", "must be an object"),
])
def test_a_bad_frame_set_is_reported_with_its_field_value_and_what_is_allowed(frame_sets, field, message):
    with pytest.raises(CorpusError) as caught:
        Schema.from_dict(_schema(frame_sets), file="schema.json")
    issue = caught.value.issues[0]
    assert issue.file == "schema.json" and issue.field == field and message in issue.message
    if "task" in message and "already" not in message:
        assert "['frame_economic', 'frame_morality', 'frame_political']" in issue.message  # the binary tasks allowed


def test_every_problem_of_the_frame_sets_is_reported_at_once():
    with pytest.raises(CorpusError) as caught:
        Schema.from_dict(_schema({"a": {"frames": {"x": "nope", "y": "tone"}}, "b": {"frames": {}}}))
    assert sorted(issue.field for issue in caught.value.issues) == ["frame_sets.a.frames.x", "frame_sets.a.frames.y",
                                                                    "frame_sets.b.frames"]


def test_a_schema_built_in_python_checks_its_frame_sets_too():
    tasks = Schema.from_dict(_schema()).tasks
    with pytest.raises(CorpusError, match="a frame needs a binary task"):
        Schema(tasks=tasks, frame_sets=(FrameSet("policy", ("tone",), ("tone",)),))


def test_the_seed_schema_declares_the_policy_set_of_the_14_frame_classes():
    schema = load_schema(LABELED)
    policy = schema.frame_set("policy")
    assert policy.frames == tuple(c for c in schema.classes("frame") if c != "other") == POLICY_FRAMES
    assert policy.tasks == POLICY_FRAME_TASKS
    assert all(schema.task(task).is_binary for task in policy.tasks)
    assert "multi-label" in policy.definition
    assert [t for t in schema.task_names if t in schema.frame_tasks] == list(policy.tasks)  # schema order


# ----------------------------------------------------------------------------- FrAC
def _write_frac(root, rows, header=("sentence", "label", "id", "type")):
    folder = root / "frac"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "final_gold_single.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return root


INVENTED_FRAC = [
    ("The levy will cost every household more.", "1", "a1", "article"),
    ("The judge sent the smuggler to prison.", "5", "a1", "article"),
    ("Nobody asked what readers want, honestly.", "15", "c9", "comment"),
    ("A row without a type.", "6", "", ""),
    ("The minister's plan splits her own party.", "6", "c7", "comment"),
]


def test_frac_codes_become_binary_labels_and_three_frames_stay_unlabelled(tmp_path):
    sentences = frac_sentences(_write_frac(tmp_path, INVENTED_FRAC))
    assert [s.id for s in sentences] == ["frac:a1", "frac:a1#2", "frac:c9", "frac:c7"]  # the typeless row skipped
    assert [s.article for s in sentences] == ["frac:a1", "frac:a1", "frac:c9", "frac:c7"]
    assert {s.source for s in sentences} == {"frac"}
    unlabelled = {"frame_capacity_and_resources", "frame_quality_of_life", "frame_external_regulation_and_reputation"}
    for s in sentences:
        assert set(s.labels) == set(POLICY_FRAME_TASKS) - unlabelled == set(SOURCES["frac"].tasks)
    positives = [sorted(t for t, v in s.labels.items() if v) for s in sentences]
    assert positives == [["frame_economic"],
                         ["frame_crime_and_punishment", "frame_legality_constitutionality_jurisprudence"],
                         [],
                         ["frame_policy_prescription_and_evaluation", "frame_political"]]
    assert [s.id for s in frac_sentences(tmp_path, types=["comment"])] == ["frac:c9", "frac:c7"]


@pytest.mark.parametrize("rows, header, message", [
    ([("An invented sentence.", "7", "x", "article")], None, r"final_gold_single.csv:2: field 'label': '7' is not a "
                                                             r"FrAC code; allowed: \[1, 3, 4, 5, 6, 8, 9, 11, 12, 15\]"),
    ([("An invented sentence.", "1", "x", "tweet")], None, r"final_gold_single.csv:2: field 'type': 'tweet' is not "
                                                           r"allowed; allowed: \['article', 'comment'\]"),
    ([("", "1", "x", "comment")], None, r"final_gold_single.csv:2: field 'sentence': empty"),
    ([("An invented sentence.", "1")], ("sentence", "label"), r"missing column\(s\) \['id', 'type'\]"),
])
def test_a_malformed_frac_file_names_the_line_the_field_and_what_is_allowed(tmp_path, rows, header, message):
    _write_frac(tmp_path, rows, header or ("sentence", "label", "id", "type"))
    with pytest.raises(ValueError, match=message):
        frac_sentences(tmp_path)


def test_frac_types_must_be_known_and_the_file_must_exist(tmp_path):
    with pytest.raises(ValueError, match=r"allowed: \['article', 'comment'\]"):
        frac_sentences(tmp_path, types=["article", "tweet"])
    with pytest.raises(framing.datasets.DatasetMissing, match="frac: file not found"):
        frac_sentences(tmp_path)


def test_every_frac_code_names_frames_of_the_policy_set():
    assert {frame for frames in FRAC_CODES.values() for frame in frames} <= set(POLICY_FRAMES)
    assert FRAC_CODES[15] == ()


@pytest.mark.skipif(not (DATA / "frac").is_dir(), reason=f"FrAC not in {DATA}")
def test_the_published_frac_file_gives_131_article_and_391_comment_sentences():
    sentences = load_source("frac", DATA)
    assert len(sentences) == 522 and len(frac_sentences(DATA, types=["article"])) == 131
    assert len({s.id for s in sentences}) == len(sentences), "ids are unique"


# ----------------------------------------------------------------------------- frame-labels
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"external data not at {DATA}")


@needs_data
def test_each_frame_labelled_sentence_carries_all_14_frames_and_its_data_set_as_source():
    sentences = load_source("frame-labels", DATA, LABELED / "frames.jsonl")
    lines = [json.loads(line) for line in (LABELED / "frames.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert len(sentences) == len(lines)
    assert {s.source for s in sentences} == {"anno-lexical", "babe", "polnear", "ukraine-news-bias"}
    for sentence, line in zip(sentences, lines):
        assert list(sentence.labels) == list(POLICY_FRAME_TASKS)
        assert sorted(f for f, t in zip(POLICY_FRAMES, POLICY_FRAME_TASKS) if sentence.labels[t]) == sorted(line["frames"])
        assert sentence.source == line["source"] and sentence.id == line["id"] and sentence.article


@needs_data
def test_an_unknown_frame_in_the_label_file_names_the_line_and_the_allowed_frames(tmp_path):
    first = json.loads((LABELED / "frames.jsonl").read_text(encoding="utf-8").splitlines()[0])
    labels = tmp_path / "frames.jsonl"
    labels.write_text(json.dumps({**first, "frames": ["economy"]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"frames.jsonl:1: field 'frames': unknown frame 'economy'; allowed: \['economic'"):
        load_source("frame-labels", DATA, labels)


def test_only_the_sources_that_read_a_label_file_accept_one(tmp_path):
    with pytest.raises(ValueError, match=r"source 'babe' takes no label file .* sources that do: \['frame-labels'\]"):
        load_source("babe", tmp_path, tmp_path / "frames.jsonl")


@needs_data
def test_the_label_file_is_hashed_under_its_file_name(tmp_path):
    labels = tmp_path / "mine.jsonl"
    shutil.copy(LABELED / "frames.jsonl", labels)
    files = source_files("frame-labels", DATA, labels)
    assert set(files) == set(SOURCES["frame-labels"].files) | {"mine.jsonl"}
    assert files["mine.jsonl"] == framing.datasets.file_sha256(LABELED / "frames.jsonl")


# ----------------------------------------------------------------------------- recipe
def _recipe(tmp_path, **changes):
    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    document.update(changes)
    (tmp_path / "models").mkdir(exist_ok=True)
    shutil.copytree(LABELED, tmp_path / "labeled", dirs_exist_ok=True)
    path = tmp_path / "models" / "recipe.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, document


def test_the_shipped_recipe_learns_every_seed_task_but_frame_and_the_frames_from_three_sources():
    recipe = load_recipe(RECIPE)
    corpus = load_schema(LABELED)
    assert recipe.tasks == tuple(t for t in corpus.task_names if t != "frame") == recipe.schema.task_names
    assert recipe.schema.frame_set("policy") == corpus.frame_set("policy")
    by_name = {source.name: source for source in recipe.sources}
    assert set(by_name["seeds"].weights) >= set(POLICY_FRAME_TASKS) and "frame" not in by_name["seeds"].weights
    assert by_name["frame-labels"].weights == {task: 1.0 for task in POLICY_FRAME_TASKS}
    assert set(by_name["frac"].weights) == set(SOURCES["frac"].tasks)
    assert Path(by_name["frame-labels"].labels).resolve() == (LABELED / "frames.jsonl").resolve()
    assert "frames.jsonl" in by_name["frame-labels"].files
    blocks = recipe.config["task_blocks"]
    assert blocks == {"attribution": "lexicon", **{task: "ngrams" for task in POLICY_FRAME_TASKS}}


@pytest.mark.parametrize("tasks, allowed", [
    (["loaded", "tone"], "tasks of the schema"),
    (["hedged", "loaded"], "each task once, in schema order: ['loaded', 'hedged']"),
    (["loaded", "loaded"], "each task once"),
    ("loaded", "a non-empty list of schema tasks"),
    ([], "a non-empty list of schema tasks"),
])
def test_a_bad_tasks_list_names_the_recipe_the_field_and_what_is_allowed(tmp_path, tasks, allowed):
    path, _ = _recipe(tmp_path, tasks=tasks)
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    assert str(path) in str(caught.value) and "field 'tasks'" in str(caught.value) and allowed in str(caught.value)


def test_a_weight_for_a_task_the_recipe_does_not_learn_is_an_error(tmp_path):
    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    sources = [dict(source) for source in document["sources"]]
    sources[0] = {**sources[0], "weights": {**sources[0]["weights"], "frame": 1.0}}
    path, _ = _recipe(tmp_path, sources=sources)
    with pytest.raises(RecipeError, match=r"'sources\[0\].weights': 'frame' is not allowed; allowed: the recipe's tasks"):
        load_recipe(path)


@pytest.mark.parametrize("entry, message", [
    ({"name": "babe", "labels": "x.jsonl", "weights": {"loaded": 1.0}}, "only the sources ['frame-labels'] read a label file"),
    ({"name": "frame-labels", "weights": {"frame_economic": 1.0}}, "the path of frame-labels's label file"),
    ({"name": "frac", "weights": {"frame_quality_of_life": 1.0}}, "tasks that frac labels"),
])
def test_labels_are_given_exactly_for_the_sources_that_read_them(tmp_path, entry, message):
    path, _ = _recipe(tmp_path, sources=[entry])
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    assert "sources[0]" in str(caught.value) and message in str(caught.value)


def test_the_tasks_list_enters_the_digest_only_when_the_recipe_sets_it(tmp_path):
    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    everything = list(load_schema(LABELED).task_names)
    sources = [{**s, "weights": {**s["weights"], "frame": 1.0}} if s["name"] == "seeds" else s
               for s in document["sources"]]
    path, _ = _recipe(tmp_path, tasks=everything, sources=sources)
    listed = load_recipe(path)
    del document["tasks"]
    path.write_text(json.dumps({**document, "sources": sources}), encoding="utf-8")
    unlisted = load_recipe(path)
    assert unlisted.tasks is None and listed.tasks == tuple(everything)
    assert listed.schema == unlisted.schema  # the same model...
    assert listed.digest() != unlisted.digest()  # ...but only the recipe that sets tasks has them in its digest
    assert unlisted.digest() == dataclasses.replace(listed, tasks=None).digest()


@needs_data
def test_a_changed_label_file_is_refused_by_name(tmp_path):
    from framing.model._recipe import check_files

    path, _ = _recipe(tmp_path)
    with (tmp_path / "labeled" / "frames.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    recipe = load_recipe(path)
    recipe = type(recipe)(**{**recipe.__dict__, "sources": tuple(s for s in recipe.sources if s.name == "frame-labels")})
    with pytest.raises(RecipeError, match=r"source 'frame-labels': frames.jsonl has sha256 [0-9a-f]{64}, the recipe records"):
        check_files(recipe, DATA)


@needs_data
def test_the_recipe_trains_the_frame_tasks_on_its_three_frame_sources():
    """The shipped recipe's path, on a subset: FrAC never trains the three frames it has no code for."""
    from framing.model._recipe import fit_task_classifiers, recipe_sentences, task_rows

    recipe = load_recipe(RECIPE)
    others = [s.name for s in recipe.sources if s.name not in ("seeds", "frame-labels", "frac")]
    pairs = recipe_sentences(recipe, DATA, exclude=others)
    weights = {source.name: dict(source.weights) for source in recipe.sources}
    trained_on = {task: {name for name, s in pairs if any(s is row for row, _ in task_rows(pairs, task, weights))}
                  for task in ("frame_economic", "frame_quality_of_life")}
    assert {s.source for s, _ in task_rows(pairs, "frame_economic", weights)} >= {"frac", "babe", "polnear"}
    assert "frac" not in {s.source for s, _ in task_rows(pairs, "frame_quality_of_life", weights)}
    assert trained_on["frame_economic"] == {"seeds", "frame-labels", "frac"}
    config = {**recipe.config, "calibration": None}
    _, classifiers, _ = fit_task_classifiers(pairs[::4], recipe.schema, weights, config,
                                             tasks=["frame_economic", "frame_quality_of_life"], boilerplate=False,
                                             axis=recipe.axis)
    assert {name: c.block_selection for name, c in classifiers.items()} == {"frame_economic": "ngrams",
                                                                            "frame_quality_of_life": "ngrams"}


# ----------------------------------------------------------------------------- Model.predict_frames
ECONOMIC = ["Prices rose again this month.", "Wages fell as the factory cut jobs.", "The tax will cost families more.",
            "Markets slid on the budget news.", "Rents climbed faster than incomes.", "Growth slowed in the third quarter."]
POLITICAL = ["The senator lost the party vote.", "The candidate leads the campaign.", "Rivals accused the mayor of "
             "tactics.", "The coalition blocked the leader's bill.", "Voters backed the opposition party.",
             "The governor courted party donors."]
MORAL = ["The bishop called the decision a sin.", "It is simply wrong to lie to voters.", "Duty and honour demand "
         "that we help.", "Her conscience would not let her stay silent.", "The pastor spoke of right and wrong.",
         "Cheating the poor is shameful, he said."]


def _frame_data():
    rows = []
    for i, text in enumerate(ECONOMIC + POLITICAL + MORAL):
        labels = {"frame_economic": text in ECONOMIC, "frame_political": text in POLITICAL,
                  "frame_morality": text in MORAL, "tone": "angry" if "!" in text or "wrong" in text else "calm"}
        rows.append(framing.LabeledSentence(text, labels, article=f"a{i % 6}"))
    return rows


@pytest.fixture(scope="module")
def frame_model():
    sets = {"policy": {"frames": {"morality": "frame_morality", "economic": "frame_economic",
                                  "political": "frame_political"}}}
    return framing.train(_frame_data(), schema=Schema.from_dict(_schema(sets)), calibration=None, block_selection=False)


def test_predict_frames_gives_one_independent_probability_per_frame_in_the_set_order(frame_model):
    texts = ["Prices and rents rose again.", "The party leader lost the vote."]
    p = frame_model.predict_frames(texts)
    assert p.shape == (2, 3) and ((0 <= p) & (p <= 1)).all()
    expected = np.column_stack([frame_model.predict_proba(texts, task)[:, 1]
                                for task in ("frame_morality", "frame_economic", "frame_political")])
    np.testing.assert_allclose(p, expected, rtol=0, atol=1e-12)
    assert p[0].argmax() == 1 and p[1].argmax() == 2
    np.testing.assert_array_equal(frame_model.predict_frames(texts, "policy"), p)
    assert frame_model.predict_frames([]).shape == (0, 3)
    assert frame_model.frame_sets == frame_model.schema.frame_sets


def test_predict_frames_names_the_available_sets_when_asked_for_another(frame_model):
    with pytest.raises(UnknownFrameError, match=r"unknown frame set 'generic'; available: \['policy'\]"):
        frame_model.predict_frames(["x"], "generic")
    with pytest.raises(TypeError, match="single str"):
        frame_model.predict_frames("Prices rose.")
    with pytest.raises(TypeError, match="sentence 0 must be str"):
        frame_model.predict_frames([3])


def test_predict_frames_needs_a_set_name_when_the_model_has_none_or_several(frame_model):
    data = _frame_data()
    plain = framing.train(data, schema=Schema.from_dict(_schema()), calibration=None, block_selection=False)
    with pytest.raises(ValueError, match="this model has no frame sets"):
        plain.predict_frames(["x"])
    two = {"policy": {"frames": {"economic": "frame_economic", "political": "frame_political"}},
           "moral": {"frames": {"morality": "frame_morality"}}}
    several = framing.train(data, schema=Schema.from_dict(_schema(two)), calibration=None, block_selection=False)
    with pytest.raises(ValueError, match=r"several frame sets; name one with frame_set=: \['policy', 'moral'\]"):
        several.predict_frames(["x"])
    assert several.predict_frames(["x"], "moral").shape == (1, 1)


def test_a_saved_model_keeps_its_frame_sets(frame_model, tmp_path):
    loaded = framing.load(frame_model.save(tmp_path / "model"))
    assert loaded.frame_sets == frame_model.frame_sets
    texts = ["Wages and jobs fell.", "The bishop called it a sin."]
    np.testing.assert_allclose(loaded.predict_frames(texts), frame_model.predict_frames(texts), rtol=0, atol=1e-12)


def test_score_hands_the_frame_sets_to_the_report(frame_model):
    report = frame_model.score("Prices rose again this month. The senator lost the party vote.")
    assert list(report.to_dict()["frames"]) == ["policy"]
