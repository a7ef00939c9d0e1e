"""Saving and loading (Model.save / framing.load): round trip, plain-data files, metadata checks, atomic saves.

Hostile folders (pickles, symlinks, object arrays, wrong shapes, bad JSON) are
covered by test_model_safety.py; this file covers the round trip, the file
format, the metadata fields, and what a failed save leaves behind.
"""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

import framing
import framing.model._persist as persist
from framing import LabeledSentence, ModelFormatError, load_lexicon
from framing.lexicon._lexicon import LexiconEntry

PROBES = [
    "The corrupt regime reportedly lied again.",
    'Rubio said: "The puppet regime may attack."',
    "Subscribe to our newsletter",
    "Brand new words, 19.3% of them unseen: Киев.",
    "",
]


@pytest.fixture(scope="module")
def saved(toy_model, tmp_path_factory):
    return toy_model.save(tmp_path_factory.mktemp("saved") / "model")


@pytest.fixture
def copy(saved, tmp_path):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(saved, folder)
    return folder


def assert_same_model(a, b):
    assert a.tasks == b.tasks and sorted(a.heads) == sorted(b.heads)
    assert list(a.feature_names) == list(b.feature_names)
    pa, pb = a.predict_all(PROBES), b.predict_all(PROBES)
    for name in pa:
        np.testing.assert_array_equal(pa[name], pb[name])


def test_round_trip_gives_identical_probabilities_and_reports(toy_model, saved):
    loaded = framing.load(saved)
    assert_same_model(toy_model, loaded)
    for task in toy_model.tasks:
        assert loaded.classes(task) == toy_model.classes(task)
        assert type(loaded.classes(task)[0]) is type(toy_model.classes(task)[0])  # False stays a bool
        assert loaded.heads[task].temperature == toy_model.heads[task].temperature
    assert loaded.schema == toy_model.schema
    assert loaded.metadata == json.loads(json.dumps(toy_model.metadata))
    article = "Talks stall\n" + " ".join(PROBES[:2]) + "\nSubscribe to our newsletter"
    assert loaded.score(article).to_dict() == toy_model.score(article).to_dict()
    assert loaded.explain(PROBES[0], "slant") == toy_model.explain(PROBES[0], "slant")


def test_round_trip_with_a_user_lexicon_and_harvested_terms(tmp_path):
    lexicon = load_lexicon([LexiconEntry("loaded", "goons", "pejorative", "mine"), LexiconEntry("hedge", "reportedly", "-")])
    data = [
        LabeledSentence("The goons reportedly attacked.", {"loaded": True}, article="a"),
        LabeledSentence("Talks began on Monday.", {"loaded": False}, article="b"),
        LabeledSentence("Zealots stormed the town.", {"loaded": True}, article="c",
                        spans=(framing.Span(0, 7, "loaded", "Zealots"),)),
        LabeledSentence("Officials met again.", {"loaded": False}, article="d"),
    ]
    model = framing.train(data, lexicon=lexicon, calibration=None)
    loaded = framing.load(model.save(tmp_path / "m"))
    assert_same_model(model, loaded)
    names = set(loaded.feature_names)
    assert {"loaded:goons", "loaded:zealots", "loaded[harvested]"} <= names and "hedge:reportedly" not in names
    assert loaded.metadata["lexicon_sha256"] == model.metadata["lexicon_sha256"]


def test_files_are_json_and_npz_of_plain_arrays(saved, toy_model):
    assert sorted(os.listdir(saved)) == ["model.json", "weights.npz"]
    text = (saved / "model.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"  # sorted, stable
    assert (document["format"], document["format_version"]) == ("framing-model", persist.FORMAT_VERSION)
    assert set(document) == {"format", "format_version", "metadata", "schema", "features", "heads", "lexicons"}
    with zipfile.ZipFile(saved / "weights.npz") as archive:
        members = archive.namelist()
        assert all(name.endswith(".npy") for name in members)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # reproducible bytes
    with np.load(saved / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype.kind == "f" for name in arrays.files)
        referenced = {head["coef"] for head in document["heads"].values()} | {head["intercept"] for head in document["heads"].values()}
        assert referenced <= set(arrays.files)
        np.testing.assert_array_equal(arrays["heads/slant/coef"], toy_model.heads["slant"].coef)


# ---------------------------------------------------------------------- metadata fields


def edit(folder, change):
    path = folder / "model.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("format"), "'format'"),
    (lambda d: d.update(format="framing-model-v0"), "'format'"),
    (lambda d: d.pop("format_version"), "'format_version'"),
    (lambda d: d.update(format_version=99), "'format_version'"),
    (lambda d: d.update(format_version=1.0), "'format_version'"),
    (lambda d: d.pop("metadata"), "'metadata'"),  # a model.json without metadata was not written by save()
    (lambda d: d.update(metadata=None), "'metadata'"),
    (lambda d: d.update(metadata="trained by me"), "'metadata'"),
    (lambda d: d.pop("schema"), "'schema'"),
    (lambda d: d.update(heads=[1]), "'heads'"),
    (lambda d: d.update(features=None), "'features'"),
])
def test_tampered_document_fields_name_the_file_and_the_field(copy, change, field):
    edit(copy, change)
    with pytest.raises(ModelFormatError) as info:
        framing.load(copy)
    message = str(info.value)
    assert str(copy / "model.json") in message and field in message, message


@pytest.mark.parametrize("change, where", [
    (lambda d: d["heads"]["slant"].update(temperature=-1), "heads.slant.temperature"),
    (lambda d: d["heads"]["slant"].update(classes=["left", "right", "center"]), "'slant'"),
    (lambda d: d["schema"]["tasks"]["slant"].update(type="ordinal"), "tasks.slant.type"),
    (lambda d: d["features"]["transformers"][0].update({"class": "Pickler"}), "'Pickler'"),
])
def test_tampered_model_description_names_the_field(copy, change, where):
    edit(copy, change)
    with pytest.raises(ModelFormatError) as info:
        framing.load(copy)
    message = str(info.value)
    assert "model.json" in message and where in message, message


def test_metadata_from_another_library_version_loads_with_a_warning(copy):
    edit(copy, lambda d: d["metadata"].update(framing_version="0.0.1"))
    with pytest.warns(UserWarning, match="saved by framing 0.0.1"):
        framing.load(copy)


# ---------------------------------------------------------------------- atomic saves


def leftovers(parent, name):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def failing_write_npz(path, arrays):
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04 half a zip")
    raise OSError(28, "No space left on device")


def test_a_failed_first_save_leaves_no_model_folder(toy_model, tmp_path, monkeypatch):
    monkeypatch.setattr(persist, "_write_npz", failing_write_npz)
    with pytest.raises(OSError, match="No space left"):
        toy_model.save(tmp_path / "model")
    assert not (tmp_path / "model").exists()
    assert leftovers(tmp_path, "model") == []


def test_a_failed_save_over_a_model_keeps_the_old_one(toy_model, copy, monkeypatch):
    before = {name: (copy / name).read_bytes() for name in os.listdir(copy)}
    other = framing.train([LabeledSentence("A.", {"x": True}, article="a"), LabeledSentence("B.", {"x": False}, article="b")],
                          calibration=None)
    monkeypatch.setattr(persist, "_write_npz", failing_write_npz)
    with pytest.raises(OSError):
        other.save(copy)
    assert {name: (copy / name).read_bytes() for name in os.listdir(copy)} == before
    assert leftovers(copy.parent, "copy") == []
    monkeypatch.undo()
    assert_same_model(framing.load(copy), toy_model)


def test_a_save_that_fails_while_swapping_folders_puts_the_old_model_back(toy_model, copy, monkeypatch):
    before = {name: (copy / name).read_bytes() for name in os.listdir(copy)}
    real_replace = os.replace
    calls = []

    def replace(source, target):
        calls.append((str(source), str(target)))
        if len(calls) == 2:  # the staging folder moving into place
            raise OSError(5, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(persist.os, "replace", replace)
    with pytest.raises(OSError, match="Input/output"):
        toy_model.save(copy)
    monkeypatch.undo()
    assert calls[1][1] == str(copy)
    assert {name: (copy / name).read_bytes() for name in os.listdir(copy)} == before
    assert leftovers(copy.parent, "copy") == []
    framing.load(copy)


def test_saving_over_a_model_replaces_it(toy_model, copy):
    small = framing.train([LabeledSentence("A regime.", {"x": True}, article="a"),
                           LabeledSentence("B talks.", {"x": False}, article="b")], calibration=None)
    assert small.save(copy) == copy
    assert framing.load(copy).tasks == ("x",)
    assert sorted(os.listdir(copy)) == ["model.json", "weights.npz"]
    assert leftovers(copy.parent, "copy") == []


def test_format_2_stores_each_lexicon_once_float16_weights_and_one_row_per_binary_head(saved, toy_model):
    import json

    import numpy as np

    from framing.model import _persist as persist

    folder = saved
    document = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    references = [value["lexicon_ref"] for spec in document["features"]["transformers"]
                  for value in spec["params"].values() if isinstance(value, dict) and "lexicon_ref" in value]
    assert set(references) <= set(document["lexicons"])
    assert all("feature_names_" not in spec["state"] for spec in document["features"]["transformers"]
               if spec["class"] in ("WordNgrams", "CharNgrams"))
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        for spec in document["heads"].values():
            coef = arrays[spec["coef"]]
            assert coef.dtype == np.float16
            assert coef.shape[0] == (1 if spec.get("symmetric") else len(spec["classes"]))
    again = persist.read_model(folder)
    assert again[0].task_names == toy_model.schema.task_names
    assert any(spec.get("symmetric") for spec in document["heads"].values())


def test_a_format_1_folder_still_loads_and_scores_the_same(saved, toy_model, tmp_path):
    """Format 1 stored lexicons inline, every feature name, and float64 rows for both classes of a binary head."""
    import shutil

    from framing.model import _persist as persist

    old = tmp_path / "old"
    shutil.copytree(saved, old)
    document = json.loads((old / "model.json").read_text(encoding="utf-8"))
    lexicons = document.pop("lexicons")
    for spec in document["features"]["transformers"]:
        for key, value in list(spec["params"].items()):
            if isinstance(value, dict) and "lexicon_ref" in value:
                spec["params"][key] = {"lexicon_records": lexicons[value["lexicon_ref"]]}
    document["format_version"] = 1
    with np.load(old / "weights.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    for spec in document["heads"].values():
        if spec.pop("symmetric", False):
            row = arrays[spec["coef"]].astype(np.float64)
            arrays[spec["coef"]] = np.vstack([-row, row])
    (old / "model.json").write_text(json.dumps(document, sort_keys=True, indent=1), encoding="utf-8")
    persist._write_npz(old / "weights.npz", arrays)
    import framing

    texts = ["The corrupt regime reportedly fell.", "Talks began on Monday.", ""]
    again = framing.load(old)
    for task in toy_model.tasks:
        np.testing.assert_allclose(again.predict_proba(texts, task), toy_model.predict_proba(texts, task), atol=1e-9)


def test_ngram_blocks_store_vocabulary_and_idf_only_and_rebuild_their_vectorizer(saved, toy_model):
    """The n-gram blocks became TfidfVectorizer: the stored state must stay the format-2 vocabulary_ + idf_ (no
    vectorizer object, no derived feature names), and the loaded block must transform exactly as the saved one."""
    document = json.loads((saved / "model.json").read_text(encoding="utf-8"))
    for spec in document["features"]["transformers"]:
        if spec["class"] in ("WordNgrams", "CharNgrams"):
            assert set(spec["state"]) == {"vocabulary_", "idf_", "n_features_in_"}, spec["name"]
            assert spec["state"]["idf_"] == {"npz": f"features/{spec['name']}/idf_"}
    loaded = framing.load(saved)
    texts = ["The Kyiv regime reportedly lied.", "Talks began in Geneva.", ""]
    for name in ("word", "char"):
        before, after = toy_model.features.named_transformers[name], loaded.features.named_transformers[name]
        assert "_vectorizer" not in vars(after) or after.vectorizer() is not before.vectorizer()
        assert (after.transform(texts) != before.transform(texts)).nnz == 0
        assert list(after.vectorizer().get_feature_names_out()) == after.vocabulary_
