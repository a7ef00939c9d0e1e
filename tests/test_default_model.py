"""The bundled default model: loadable without pickle, reproduced exactly by `framing train`."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn

import framing

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "models" / "default"


@pytest.fixture(scope="module")
def metadata():
    return json.loads((DEFAULT / "model.json").read_text(encoding="utf-8"))["metadata"]


def test_bundled_model_loads_through_package_resources_and_has_every_task():
    model = framing.load()
    assert model.tasks == ("loaded", "hedged", "attribution", "slant", "frame")
    assert model.classes("loaded") == (False, True)
    assert model.classes("slant") == ("pro_russia", "neutral", "pro_ukraine")


def test_bundled_model_records_its_training_data(metadata):
    corpus = framing.read_corpus(REPO / "labeled")
    assert metadata["training_data_sha256"] == corpus.digest()
    assert metadata["n_training_sentences"] == len(corpus.sentences)
    assert metadata["framing_version"] == framing.__version__


def test_weights_load_without_pickle():
    with np.load(DEFAULT / "weights.npz", allow_pickle=False) as weights:
        assert all(weights[name].dtype != object for name in weights.files)


def test_training_on_labeled_reproduces_the_bundled_model_byte_for_byte(metadata, tmp_path):
    versions = (sklearn.__version__, np.__version__)
    if versions != (metadata["sklearn_version"], metadata["numpy_version"]):
        pytest.skip(f"byte-for-byte check needs scikit-learn {metadata['sklearn_version']} and numpy "
                    f"{metadata['numpy_version']} (have {versions}); .ci/constraints.txt pins them")
    out = tmp_path / "model"
    result = subprocess.run([sys.executable, "-m", "framing", "train", "--corpus", str(REPO / "labeled"),
                             "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for name in ("model.json", "weights.npz"):
        assert (out / name).read_bytes() == (DEFAULT / name).read_bytes(), \
            f"{name} differs: retrain with `framing train --corpus labeled --out models/default`"


def test_bundled_model_scores_a_seed_article_with_evidence():
    text = (REPO / "labeled" / "articles" / "000_fb985c1c742461f2.txt").read_text(encoding="utf-8")
    report = framing.load().score(text)
    data = report.to_dict()
    json.dumps(data)
    assert -1.0 <= report.slant_index <= 1.0
    evidence = report.top_sentences["loaded"]["true"]
    assert evidence, "evidence sentences expected for loaded wording"
    for item in evidence:
        assert item["text"] in text
