"""The target-stance classifier (issue 20): features of a mention, the linear model, plain persistence, NewsMTSC reader.

Invented sentences only; the tests on the real data skip when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from framing.datasets import DatasetMissing, newsmtsc_group, newsmtsc_groups, newsmtsc_targets, resolve_data_root
from framing.features._target import BLOCKS, Mention, TargetFeatures, block_of, mention_of
from framing.model._target import STANCE_CLASSES, TargetStanceClassifier, source_weights, target_training_items

DATA = resolve_data_root()

# Invented: each actor's stance follows from the wording around it.
TRAIN = [
    ("Critics slammed Senator Smith for the corrupt deal.", "Senator Smith", "unfavourable"),
    ("Voters condemned Mayor Lee after the scandal.", "Mayor Lee", "unfavourable"),
    ("The brutal regime of General Ortiz jailed reporters.", "General Ortiz", "unfavourable"),
    ("Protesters accused Governor Brown of lying.", "Governor Brown", "unfavourable"),
    ("Fans praised Senator Smith for the generous gift.", "Senator Smith", "favourable"),
    ("Crowds cheered Mayor Lee after the brave rescue.", "Mayor Lee", "favourable"),
    ("Heroic General Ortiz freed the hostages.", "General Ortiz", "favourable"),
    ("Teachers thanked Governor Brown for the excellent schools.", "Governor Brown", "favourable"),
    ("Senator Smith met reporters on Tuesday.", "Senator Smith", "neutral"),
    ("Mayor Lee visited Ohio on Monday.", "Mayor Lee", "neutral"),
    ("General Ortiz spoke at the conference.", "General Ortiz", "neutral"),
    ("Governor Brown signed the budget on Friday.", "Governor Brown", "neutral"),
]


def mention(text: str, name: str, quoted: bool = False) -> Mention:
    start = text.index(name)
    return Mention(text, start, start + len(name), quoted)


@pytest.fixture(scope="module")
def fitted() -> TargetStanceClassifier:
    items = [mention(text, name) for text, name, _ in TRAIN]
    return TargetStanceClassifier(min_df=1, C=10.0).fit(items, [label for *_, label in TRAIN])


# --- features -----------------------------------------------------------------------------------------------------


def test_features_are_relative_to_the_mention():
    analyse = TargetFeatures(min_df=1).build_analyzer()
    text = "Smith attacked Jones."
    smith, jones = analyse(mention(text, "Smith")), analyse(mention(text, "Jones"))
    assert smith["role:blame:agent"] == 1.0 and "role:blame:patient" not in smith
    assert jones["role:blame:patient"] == 1.0 and "role:blame:agent" not in jones
    assert "w:<T>" in smith and "w:smith" not in smith and "M:smith" in smith


def test_passive_voice_turns_the_role():
    analyse = TargetFeatures(min_df=1).build_analyzer()
    features = analyse(mention("Smith was attacked by critics.", "Smith"))
    assert "role:blame:patient" in features and "role:blame:agent" not in features


def test_negation_flips_polarity_near_the_target():
    analyse = TargetFeatures(min_df=1).build_analyzer()
    plain = analyse(mention("Smith is honest.", "Smith"))
    negated = analyse(mention("Smith is not honest.", "Smith"))
    assert plain.get("pol:R:+", 0) > 0 and "pol:R:-" not in plain
    assert negated.get("pol:R:-", 0) > 0 and "pol:R:+" not in negated


def test_quoted_mentions_get_their_own_copies_and_names_fold():
    analyse = TargetFeatures(min_df=1).build_analyzer()
    text = "Yesterday Jones said Smith is a liar."
    quoted, author = analyse(mention(text, "Smith", quoted=True)), analyse(mention(text, "Smith"))
    assert quoted["quoted"] == 1.0 and any(name.startswith("q:pol:") for name in quoted)
    assert "quoted" not in author and not any(name.startswith("q:") for name in author)
    assert "L:<N>" in author and "L:jones" not in author  # another name in the context counts as a name only
    assert "M:naming:pro_russia" in analyse(mention("The Kiev regime fell.", "Kiev regime"))
    assert analyse(mention("The Kiev regime fell.", "Kiev regime"))["M:loaded:partisan_label"] == 1.0


def test_matrix_blocks_have_unit_length_and_names_match():
    items = [mention(text, name) for text, name, _ in TRAIN]
    features = TargetFeatures(min_df=1).fit(items)
    matrix = features.transform(items)
    names = features.get_feature_names_out()
    assert matrix.shape == (len(items), len(names)) and names.dtype.kind == "U"
    blocks = np.asarray([block_of(name) for name in names])
    row = matrix.getrow(0)
    for block in set(blocks[row.indices]):
        part = row.data[blocks[row.indices] == block]
        assert abs(float(np.sum(part ** 2)) - 1.0) < 1e-9
    analysed = features.build_analyzer()(items[0])
    assert set(names[row.indices]) == {name for name in analysed if name in features.vocabulary_}


def test_features_check_inputs_and_parameters():
    assert mention_of(("Smith won.", 0, 5)) == Mention("Smith won.", 0, 5, False)
    with pytest.raises(ValueError, match="not fitted"):
        TargetFeatures().transform([("Smith won.", 0, 5)])
    with pytest.raises(ValueError, match="window"):
        TargetFeatures(window=0).fit([("Smith won.", 0, 5)])
    with pytest.raises(ValueError, match="blocks"):
        TargetFeatures(blocks=("sentence", "nonsense")).fit([("Smith won.", 0, 5)])
    with pytest.raises(TypeError, match="str"):
        TargetFeatures().fit([(None, 0, 5)])
    assert set(BLOCKS) >= {"sentence", "polarity", "roles"}


# --- classifier ---------------------------------------------------------------------------------------------------


def test_classifier_learns_stance_toward_the_mention(fitted):
    tests = [("Critics slammed Governor Ortiz for the corrupt deal.", "Governor Ortiz", 0),
             ("Crowds cheered Senator Brown after the brave rescue.", "Senator Brown", 2),
             ("Mayor Smith spoke on Tuesday.", "Mayor Smith", 1)]
    proba = fitted.predict_proba([mention(text, name) for text, name, _ in tests])
    assert proba.shape == (3, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert list(proba.argmax(axis=1)) == [k for *_, k in tests]
    assert list(fitted.predict([mention(*tests[0][:2])])) == ["unfavourable"]


def test_contributions_name_the_features_of_the_predicted_class(fitted):
    item = mention("Critics slammed Governor Ortiz for the corrupt deal.", "Governor Ortiz")
    top = fitted.contributions(item, top=3)
    assert 1 <= len(top) <= 3 and all(value > 0 for _, value in top)
    assert [value for _, value in top] == sorted((value for _, value in top), reverse=True)
    names = set(fitted.features_.get_feature_names_out())
    assert all(name in names for name, _ in top)


def test_plain_round_trip_is_numpy_only_and_equal(fitted, tmp_path: Path):
    document, arrays = fitted.to_plain()
    assert all(np.asarray(a).dtype.kind in "fiU" for a in arrays.values())
    np.savez(tmp_path / "stance.npz", **arrays)
    (tmp_path / "stance.json").write_text(json.dumps(document))
    with np.load(tmp_path / "stance.npz", allow_pickle=False) as loaded:
        again = TargetStanceClassifier.from_plain(json.loads((tmp_path / "stance.json").read_text()), dict(loaded))
    items = [mention(text, name) for text, name, _ in TRAIN] + [("Nobody knows Smith.", 13, 18)]
    assert np.abs(again.predict_proba(items) - fitted.predict_proba(items)).max() < 1e-9
    assert again.contributions(items[0]) == fitted.contributions(items[0])
    with pytest.raises(ValueError, match="format"):
        TargetStanceClassifier.from_plain({"format": "other"}, arrays)
    with pytest.raises(ValueError, match="shapes"):
        TargetStanceClassifier.from_plain(document, {**arrays, "coef": arrays["coef"][:, :-1]})


def test_fit_is_deterministic_and_checks_labels():
    items = [mention(text, name) for text, name, _ in TRAIN]
    labels = [label for *_, label in TRAIN]
    first = TargetStanceClassifier(min_df=1).fit(items, labels)
    second = TargetStanceClassifier(min_df=1).fit(items, labels)
    assert np.array_equal(first.coef_, second.coef_)
    with pytest.raises(ValueError, match="y\\[0\\]"):
        TargetStanceClassifier().fit(items, ["bad"] + labels[1:])
    with pytest.raises(ValueError, match="missing: favourable"):
        TargetStanceClassifier(min_df=1).fit(items[:4] + items[8:], labels[:4] + labels[8:])
    with pytest.raises(ValueError, match="C must"):
        TargetStanceClassifier(C=0).fit(items, labels)


def test_calibration_fits_a_temperature_and_sample_weights_count():
    items = [mention(text, name) for text, name, _ in TRAIN] * 2
    labels = [label for *_, label in TRAIN] * 2
    calibrated = TargetStanceClassifier(min_df=1, calibrate=True).fit(items, labels)
    assert 0.05 <= calibrated.temperature_ <= 20 and calibrated.temperature_ != 1.0
    # Sample weights reach the regression: an item of weight zero no longer pulls the model.
    extra = [mention("Critics praised Senator Smith.", "Senator Smith")]
    weighted = TargetStanceClassifier(min_df=1, class_weight=None).fit(
        items + extra, labels + ["unfavourable"], sample_weight=[1.0] * len(items) + [0.0])
    unweighted = TargetStanceClassifier(min_df=1, class_weight=None).fit(items + extra, labels + ["unfavourable"])
    probe = [mention(text, name) for text, name, _ in TRAIN]
    assert np.abs(weighted.predict_proba(probe) - unweighted.predict_proba(probe)).max() > 1e-3
    with pytest.raises(ValueError, match="sample_weight"):
        TargetStanceClassifier(min_df=1).fit(items, labels, sample_weight=[1.0])
    assert list(source_weights(["newsmtsc", "targets:babe"], {"newsmtsc": 1.0, "targets": 3.0})) == [1.0, 3.0]
    with pytest.raises(ValueError, match="no weight"):
        source_weights(["other"])


# --- NewsMTSC reader ----------------------------------------------------------------------------------------------


def _write(root: Path, lines: list[str]) -> None:
    (root / "newsmtsc").mkdir(exist_ok=True)
    (root / "newsmtsc" / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_newsmtsc_reader_items_groups_and_voice(tmp_path: Path):
    text = 'Jones said "Smith lied" today.'
    line = {"primary_gid": "allsides_7_8_3_Jones_0_5", "sentence_normalized": text,
            "targets": [{"from": 0, "to": 5, "mention": "Jones", "polarity": 4.0},
                        {"from": 12, "to": 17, "mention": "Smith", "polarity": 2.0}]}
    _write(tmp_path, [json.dumps(line)])
    items = newsmtsc_targets(tmp_path)
    assert [(i.mention, i.stance, i.voice, i.id, i.source, i.side, i.not_actor) for i in items] == [
        ("Jones", "neutral", "author", "train:0:0", "newsmtsc", "", False),
        ("Smith", "unfavourable", "quoted", "train:0:1", "newsmtsc", "", False)]
    assert newsmtsc_groups(tmp_path) == ["allsides_7_8"] * 2 and newsmtsc_group(line["primary_gid"]) == "allsides_7_8"
    assert tuple(STANCE_CLASSES) == ("unfavourable", "neutral", "favourable")


def test_newsmtsc_reader_errors(tmp_path: Path):
    with pytest.raises(DatasetMissing, match="newsmtsc"):
        newsmtsc_targets(tmp_path)
    good = {"primary_gid": "a_1_2_3", "sentence_normalized": "Smith won.",
            "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 6.0}]}
    _write(tmp_path, [json.dumps(good), json.dumps({**good, "targets": [{"from": 0, "to": 5, "mention": "Smith"}]})])
    with pytest.raises(ValueError, match=r"train\.jsonl:2: target 0: field 'polarity' is missing"):
        newsmtsc_targets(tmp_path)
    _write(tmp_path, [json.dumps({**good, "targets": [{**good["targets"][0], "to": 4}]})])
    with pytest.raises(ValueError, match="field 'mention'"):
        newsmtsc_targets(tmp_path)
    _write(tmp_path, ["{not json"])
    with pytest.raises(ValueError, match=r"train\.jsonl:1: not valid JSON"):
        newsmtsc_targets(tmp_path)
    with pytest.raises(ValueError, match="unknown NewsMTSC split"):
        newsmtsc_targets(tmp_path, "dev")


# --- real data (skipped without it) ---------------------------------------------------------------------------------


@pytest.mark.skipif(not (DATA / "newsmtsc" / "train.jsonl").is_file(), reason="NewsMTSC not in the data folder")
def test_training_items_line_up_with_their_sources():
    labels = Path(__file__).resolve().parents[1] / "labeled" / "targets.jsonl"
    if not labels.is_file():
        pytest.skip("labeled/targets.jsonl absent")
    items, y, groups, origins = target_training_items(DATA, labels)
    assert len(items) == len(y) == len(groups) == len(origins)
    assert set(y) == set(STANCE_CLASSES)
    assert (origins == "newsmtsc").sum() == len(newsmtsc_targets(DATA))
    assert {o for o in origins if o != "newsmtsc"} <= {f"targets:{s}" for s in
                                                       ("anno-lexical", "ukraine-news-bias", "polnear", "newsmtsc", "babe")}
    # An own label of a NewsMTSC sentence shares the article key of the NewsMTSC items.
    own_newsmtsc = groups[origins == "targets:newsmtsc"]
    assert len(own_newsmtsc) and set(own_newsmtsc) <= set(groups[origins == "newsmtsc"])
    dropped, *_ = target_training_items(DATA, labels, not_actor="drop")
    assert len(dropped) < len(items)


def test_the_article_path_scores_mentions_as_the_public_one_does():
    """``score`` hands the classifier plain (text, start, end, quoted) tuples: the same bytes as Mention objects."""
    import framing
    from framing.features._mentions import MentionFinder
    from framing.text import segment

    model = framing.load()
    finder = MentionFinder(model.axis, ())
    tuples = []
    for path in sorted((Path(__file__).resolve().parents[1] / "labeled" / "articles").glob("*.txt")):
        for unit in segment(path.read_text(encoding="utf-8")):
            for number, found in enumerate(finder.find(unit.text)):
                tuples.append((unit.text, found.start, found.end, number % 2 == 1))
    assert len(tuples) > 100
    fast = model.target_stance._predict_proba_spans(tuples)
    public = model.stance_toward([t[0] for t in tuples], [(t[1], t[2]) for t in tuples], [t[3] for t in tuples])
    assert fast.tobytes() == public.tobytes()
    assert [(c.start, c.end, c.side, c.naming) for c in finder.find(tuples[0][0])] == finder._find_tuples(tuples[0][0])


@pytest.mark.parametrize("batch", [1, 7, 100])
def test_an_articles_mentions_scored_in_batches_equal_one_pass(monkeypatch, batch):
    import framing
    import framing.model._stance as stance

    model = framing.load()
    text = "\n\n".join(path.read_text(encoding="utf-8")
                       for path in sorted((Path(__file__).resolve().parents[1] / "labeled" / "articles").glob("*.txt")))
    monkeypatch.setattr(stance, "MENTION_BATCH", 10 ** 6)
    one_pass = model.score(text).to_dict()
    monkeypatch.setattr(stance, "MENTION_BATCH", batch)
    assert model.score(text).to_dict() == one_pass
    assert one_pass["n_mentions"] > 100
