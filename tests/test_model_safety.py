"""Model folders are data, never code: every malformed or unsafe folder is refused with ModelFormatError.

Each bad folder is a copy of a good model (a tiny one trained here) with one
thing broken. Payloads that would run code (pickles, ``__init__.py``,
``.pyc`` files) create a marker file if they ever run: the marker must never
appear.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

import framing
from framing import LabeledSentence, ModelFormatError

SENTENCES = [
    ("The corrupt regime lied again.", True, "war"),
    ("Talks began on Monday in Geneva.", False, "diplomacy"),
    ("The puppet regime attacked the city.", True, "war"),
    ("Officials met to discuss aid.", False, "diplomacy"),
    ("Brutal invaders shelled the town.", True, "war"),
    ("Envoys will meet again next week.", False, "diplomacy"),
]


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    data = [LabeledSentence(text, {"loaded": loaded, "frame": frame}, article=f"a{i}")
            for i, (text, loaded, frame) in enumerate(SENTENCES)]
    model = framing.train(data, calibration=None)
    return model.save(tmp_path_factory.mktemp("good") / "model")


@pytest.fixture
def bad(good, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(good, folder)
    return folder


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "EXECUTED"
    yield path
    assert not path.exists(), "something in a model folder was executed"


class _Payload:
    """Unpickling this creates the marker file."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def refused(folder, *patterns):
    with pytest.raises(ModelFormatError) as info:
        framing.load(folder)
    message = str(info.value)
    for pattern in patterns:
        assert pattern.lower() in message.lower(), message
    return message


def edit_json(folder, change):
    path = folder / "model.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    result = change(document)
    path.write_text(json.dumps(document if result is None else result), encoding="utf-8")


def edit_arrays(folder, change):
    with np.load(folder / "weights.npz", allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    change(arrays)
    os.unlink(folder / "weights.npz")
    with open(folder / "weights.npz", "wb") as handle:
        np.savez(handle, **arrays)  # allow_pickle=True for writing: object arrays land in the file


def test_the_good_model_loads(good):
    model = framing.load(good)
    assert model.tasks == ("loaded", "frame")
    assert sorted(os.listdir(good)) == ["model.json", "weights.npz"]


# ---------------------------------------------------------------------- pickles and code


def test_pickle_file_in_the_folder_is_refused(bad, marker):
    (bad / "model.pkl").write_bytes(pickle.dumps(_Payload(marker)))
    refused(bad, "model.pkl", "unexpected file")


@pytest.mark.parametrize("name", ["model.py", "weights.npy", "extra.json", "joblib.dump", "sitecustomize.py"])
def test_other_unexpected_files_are_refused(bad, name):
    (bad / name).write_text("import os\n")
    refused(bad, name, "unexpected file")


def test_weights_replaced_by_a_pickle_is_refused(bad, marker):
    (bad / "weights.npz").write_bytes(pickle.dumps(_Payload(marker)))
    refused(bad, "weights.npz")


def test_object_array_that_needs_pickle_is_refused(bad, marker):
    edit_arrays(bad, lambda arrays: arrays.update({"heads/loaded/coef": np.array([_Payload(marker)], dtype=object)}))
    refused(bad, "weights.npz", "pickle")


def test_object_array_that_is_never_referenced_is_refused_too(bad, marker):
    edit_arrays(bad, lambda arrays: arrays.update({"unused": np.array([_Payload(marker), 1], dtype=object)}))
    refused(bad, "weights.npz", "pickle")


def test_model_json_replaced_by_a_pickle_is_refused(bad, marker):
    (bad / "model.json").write_bytes(pickle.dumps(_Payload(marker)))
    refused(bad, "model.json")


def test_init_py_in_a_user_folder_is_never_imported(bad, marker, tmp_path):
    (bad / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('imported!')\n")
    cache = bad / "__pycache__"
    cache.mkdir()
    (cache / f"__init__.{sys.implementation.cache_tag}.pyc").write_bytes(b"\x00" * 16 + b"garbage")
    before = set(sys.modules)
    model = framing.load(bad)  # an __init__.py is allowed (the bundled model is a package) but never run
    assert model.tasks == ("loaded", "frame")
    new = {name for name in set(sys.modules) - before if getattr(sys.modules[name], "__file__", None)}
    assert not [name for name in new if str(bad) in str(sys.modules[name].__file__)]


def test_loading_runs_no_code_from_the_folder(bad, tmp_path):
    """Audit hooks in a fresh process: loading a booby-trapped folder never unpickles, execs, compiles or imports."""
    marker = tmp_path / "EXECUTED"
    (bad / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (bad / "MODEL_CARD.md").write_text("# card\n")
    (bad / ".hidden.pkl").write_bytes(pickle.dumps(_Payload(marker)))  # hidden files are skipped, never read
    script = textwrap.dedent(
        """
        import json, sys
        import framing
        framing.load(sys.argv[2])  # warm up: every import the loader needs is done
        events = []
        folder = sys.argv[1]

        def hook(event, args):
            if event in ("exec", "compile", "pickle.find_class", "import", "os.system", "subprocess.Popen",
                         "ctypes.dlopen", "marshal.loads", "code.__new__"):
                events.append([event, repr(args)[:200]])
            elif event == "open" and isinstance(args[0], str) and args[0].startswith(folder):
                events.append([event, args[0][len(folder):]])

        sys.addaudithook(hook)
        model = framing.load(folder)
        print(json.dumps(events))
        """
    )
    result = subprocess.run([sys.executable, "-c", script, str(bad), str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout.strip().splitlines()[-1])
    # numpy parses each .npy header with ast.literal_eval, which compiles to an AST only (never executed)
    compiled = [args for event, args in events if event == "compile"]
    assert all(args.startswith("(b\"{'descr'") for args in compiled), compiled
    assert {event for event, _ in events} <= {"open", "compile"}, events
    assert sorted(path for event, path in events if event == "open") == ["/model.json", "/weights.npz"]
    assert not marker.exists()


# ---------------------------------------------------------------------- JSON


@pytest.mark.parametrize("content, pattern", [
    (b"", "malformed JSON"),
    (b'{"format": "framing-model", "format_version": 1, ', "malformed JSON"),
    (b"{'format': 'framing-model'}", "malformed JSON"),
    (b'{"format": "framing-model"} trailing', "malformed JSON"),
    (b"[1, 2, 3]", "format"),
    (b"null", "format"),
    (b'"framing-model"', "format"),
    (b"\xff\xfe{}", "UTF-8"),
])
def test_malformed_json_is_refused(bad, content, pattern):
    (bad / "model.json").write_bytes(content)
    refused(bad, "model.json", pattern)


def test_malformed_json_message_has_the_line(bad):
    text = (bad / "model.json").read_text(encoding="utf-8")
    # The file is compact JSON on one line: break it on a new line 2.
    cut = text.index(",", 50) + 1
    (bad / "model.json").write_text(text[:cut] + "\n,," + text[cut:], encoding="utf-8")
    refused(bad, "model.json:2", "malformed JSON")


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: d.update(format="pickle"), id="format"),
    pytest.param(lambda d: d.pop("heads"), id="no-heads"),
    pytest.param(lambda d: d.pop("schema"), id="no-schema"),
    pytest.param(lambda d: d.pop("features"), id="no-features"),
    pytest.param(lambda d: d.update(heads=[]), id="heads-list"),
    pytest.param(lambda d: d.update(features="x"), id="features-str"),
    pytest.param(lambda d: d.update(schema=[]), id="schema-list"),
    pytest.param(lambda d: d.update(metadata=[1]), id="metadata-list"),
    pytest.param(lambda d: d["heads"]["loaded"].pop("classes"), id="head-no-classes"),
    pytest.param(lambda d: d["heads"]["loaded"].update(temperature="abc"), id="temperature-str"),
    pytest.param(lambda d: d["heads"]["loaded"].update(temperature=None), id="temperature-null"),
    pytest.param(lambda d: d["heads"]["loaded"].update(temperature=0), id="temperature-zero"),
    pytest.param(lambda d: d["heads"]["loaded"].update(temperature=float("inf")), id="temperature-inf"),
    pytest.param(lambda d: d["heads"]["loaded"].update(temperature=float("nan")), id="temperature-nan"),
    pytest.param(lambda d: d["heads"]["loaded"].update(classes=[True, False]), id="classes-differ"),
    pytest.param(lambda d: d["heads"].pop("loaded"), id="head-missing"),
    pytest.param(lambda d: d["heads"]["loaded"].update(coef="heads/nope"), id="array-missing"),
    pytest.param(lambda d: d["features"].update(transformers=None), id="transformers-null"),
    pytest.param(lambda d: d["features"].update(transformers=[1]), id="transformer-int"),
    pytest.param(lambda d: d["features"].update(transformers=[]), id="no-transformers"),
    pytest.param(lambda d: d["features"].update(transformer_weights="x"), id="weights-str"),
    pytest.param(lambda d: d["features"]["transformers"][0].update({"class": "os.system"}), id="class-os.system"),
    pytest.param(lambda d: d["features"]["transformers"][0].update({"class": "builtins.eval"}), id="class-eval"),
    pytest.param(lambda d: d["features"]["transformers"][0]["params"].update(evil=1), id="unknown-param"),
    pytest.param(lambda d: d["features"]["transformers"][0]["state"].update(transform="x"), id="state-not-learned"),
    pytest.param(lambda d: d["features"]["transformers"][0]["state"].update(feature_names_=5), id="feature-names-int"),
    pytest.param(lambda d: d["features"]["transformers"][0]["state"].update(lexicon_=[[1]]), id="lexicon-garbage"),
    pytest.param(lambda d: [t["params"].update(ngram_range="ab") for t in d["features"]["transformers"]
                            if "ngram_range" in t["params"]], id="ngram-range-garbage"),
    pytest.param(lambda d: [t["state"].update(idf_={"npz": "nope"}) for t in d["features"]["transformers"]
                            if "idf_" in t["state"]], id="idf-missing"),
])
def test_structurally_wrong_json_is_refused(bad, change):
    edit_json(bad, lambda d: (change(d), None)[1])
    message = refused(bad)
    assert "model.json" in message or "weights.npz" in message


@pytest.mark.parametrize("version", [0, 3, 99, "1", None, True, [1]])
def test_incompatible_format_version_is_refused(bad, version):
    edit_json(bad, lambda d: d.update(format_version=version))
    refused(bad, "format_version", "reads formats [1, 2]")


def test_newer_library_version_only_warns(bad):
    edit_json(bad, lambda d: d["metadata"].update(framing_version="99.0.0"))
    with pytest.warns(UserWarning, match="99.0.0"):
        framing.load(bad)


# ---------------------------------------------------------------------- arrays


def _transpose(name):
    return lambda arrays: arrays.update({name: arrays[name].T.copy()})


@pytest.mark.parametrize("change, pattern", [
    (_transpose("heads/loaded/coef"), "shape"),
    (lambda a: a.update({"heads/frame/coef": a["heads/frame/coef"][:, :-1]}), "shape"),
    (lambda a: a.update({"heads/loaded/intercept": np.zeros(3)}), "shape"),
    (lambda a: a.update({"heads/loaded/intercept": np.zeros((2, 1))}), "shape"),
    (lambda a: a.update({"heads/loaded/coef": a["heads/loaded/coef"].astype(np.int64)}), "dtype"),
    (lambda a: a.update({"heads/loaded/coef": a["heads/loaded/coef"].astype(bool)}), "dtype"),
    (lambda a: a.update({"heads/loaded/coef": a["heads/loaded/coef"].astype(np.complex128)}), "dtype"),
    (lambda a: a.update({"heads/loaded/coef": a["heads/loaded/coef"].astype(str)}), "dtype"),
    (lambda a: a.update({"heads/loaded/intercept": np.array([b"ab", b"cd"])}), "dtype"),
    (lambda a: a.update({"heads/loaded/coef": np.full_like(a["heads/loaded/coef"], np.nan)}), "NaN"),
    (lambda a: a.update({"heads/loaded/intercept": np.array([np.inf, 0.0])}), "infinite"),
    (lambda a: a.pop("heads/loaded/intercept"), "missing array"),
    (lambda a: a.update({"features/word/idf_": a["features/word/idf_"][:-1]}), "idf"),
    (lambda a: a.update({"features/word/idf_": a["features/word/idf_"].astype(np.int64)}), "idf"),
    (lambda a: a.update({"features/word/idf_": np.full_like(a["features/word/idf_"], np.nan)}), "idf"),
])
def test_arrays_of_the_wrong_shape_or_dtype_are_refused(bad, change, pattern):
    edit_arrays(bad, change)
    refused(bad, "weights.npz", pattern)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40, None])
def test_corrupt_npz_is_refused(bad, content):
    if content is None:  # a truncated archive
        data = (bad / "weights.npz").read_bytes()
        content = data[: len(data) // 2]
    (bad / "weights.npz").write_bytes(content)
    refused(bad, "weights.npz")


def test_npz_member_that_is_not_an_array_is_refused(bad):
    with zipfile.ZipFile(bad / "weights.npz", "a") as archive:
        archive.writestr("heads/loaded/raw", b"\x80\x04not an array")
    edit_json(bad, lambda d: d["heads"]["loaded"].update(coef="heads/loaded/raw"))
    refused(bad, "weights.npz")


# ---------------------------------------------------------------------- symlinks


@pytest.mark.parametrize("name", ["model.json", "weights.npz", "MODEL_CARD.md", "__init__.py"])
def test_symlink_leading_outside_the_folder_is_refused(bad, tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    if (bad / name).exists():
        shutil.move(bad / name, outside / name)
    else:
        (outside / name).write_text("# outside\n")
    (bad / name).symlink_to(outside / name)
    refused(bad, name, "symbolic link", "outside")


def test_relative_symlink_escaping_the_folder_is_refused(bad, tmp_path):
    shutil.move(bad / "model.json", tmp_path / "model.json")
    (bad / "model.json").symlink_to(Path("..") / "model.json")
    refused(bad, "model.json", "outside")


def test_symlink_to_a_system_file_is_refused(bad):
    (bad / "MODEL_CARD.md").symlink_to("/etc/passwd")
    refused(bad, "MODEL_CARD.md", "outside")


def test_dangling_or_looping_symlinks_are_refused(bad):
    os.unlink(bad / "weights.npz")
    (bad / "weights.npz").symlink_to(bad / "nowhere.npz")
    refused(bad, "weights.npz")
    os.unlink(bad / "weights.npz")
    (bad / "weights.npz").symlink_to(bad / "weights.npz")  # a loop
    refused(bad, "weights.npz")


def test_symlinks_inside_the_folder_and_a_symlinked_folder_are_fine(bad, tmp_path):
    (bad / "MODEL_CARD.md").symlink_to(bad / "model.json")
    framing.load(bad)
    alias = tmp_path / "alias"
    alias.symlink_to(bad, target_is_directory=True)
    assert framing.load(alias).tasks == ("loaded", "frame")


# ---------------------------------------------------------------------- missing things


@pytest.mark.parametrize("name", ["model.json", "weights.npz"])
def test_missing_file_is_refused(bad, name):
    os.unlink(bad / name)
    refused(bad, name, "missing model file")


def test_model_file_that_is_a_folder_or_a_fifo_is_refused(bad):
    os.unlink(bad / "model.json")
    (bad / "model.json").mkdir()
    refused(bad, "model.json")
    os.rmdir(bad / "model.json")
    os.mkfifo(bad / "model.json")  # reading it would block forever
    refused(bad, "model.json")


def test_missing_or_non_folder_paths_are_refused(tmp_path):
    refused(tmp_path / "nope", "not found")
    (tmp_path / "file").write_text("{}")
    refused(tmp_path / "file", "not a model folder")
    (tmp_path / "empty").mkdir()
    refused(tmp_path / "empty", "missing model file")


def test_refusals_are_value_errors_with_one_clear_line(bad):
    (bad / "model.pkl").write_bytes(b"x")
    message = refused(bad)
    assert issubclass(ModelFormatError, ValueError)
    assert "\n" not in message and str(bad) in message


def test_saving_over_a_folder_with_foreign_files_is_refused(good, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ModelFormatError, match="notes.txt"):
        framing.load(good).save(target)
    assert (target / "notes.txt").read_text() == "mine"
