"""Determinism: identical training gives byte-identical model files; identical input gives identical reports,
in one process and across processes (with different hash seeds)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import framing
from framing import LabeledSentence

ROWS = [
    ("The corrupt regime lied again.", True, "pro_ukraine", "war", "a1"),
    ("Talks began on Monday in Geneva.", False, "neutral", "diplomacy", "a1"),
    ("The puppet regime in Kyiv attacked the city, Moscow said.", True, "pro_russia", "war", "a2"),
    ("Officials met to discuss aid.", False, "neutral", "economy", "a2"),
    ("Brutal invaders reportedly shelled the town.", True, "pro_ukraine", "war", "a3"),
    ("Envoys will meet again next week.", False, "neutral", "diplomacy", "a3"),
    ("Sanctions may hurt the economy, analysts say.", False, "neutral", "economy", "a4"),
    ("Western warmongers armed the Nazi regime.", True, "pro_russia", "war", "a4"),
    ("Prices rose by 19.3% in October.", False, "neutral", "economy", "a5"),
    ("Zelensky said the plan was a good start.", False, "neutral", "diplomacy", "a5"),
]
BOILERPLATE = ["Subscribe to our newsletter", "Share this article", "Advertisement"]

ARTICLES = [
    "",
    "Talks stall in Florida\nThe corrupt regime reportedly rejected the plan, analysts say. Rubio met Umerov.",
    "Moscow blamed the West. \"It was productive,\" Zelensky said.\r\nSubscribe to our newsletter\nShare this article",
    "<p>Prices may rise.</p> Киев заявил. 🇺🇦 قال المسؤولون\u200b.",
    "word " * 900,
]

TRAIN_SCRIPT = textwrap.dedent(
    """
    import hashlib, json, sys
    sys.path.insert(0, sys.argv[1])
    import test_determinism as t
    import framing
    folder = t.train_model(calibration=sys.argv[3] if sys.argv[3] != "none" else None).save(sys.argv[2])
    print(json.dumps(t.file_hashes(folder)))
    """
)

SCORE_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import test_determinism as t
    import framing
    print(t.reports_hash(framing.load(sys.argv[2] if sys.argv[2] != "-" else None)))
    """
)


def data():
    sentences = [LabeledSentence(text, {"loaded": loaded, "slant": slant, "frame": frame}, article=article, id=f"s{i}")
                 for i, (text, loaded, slant, frame, article) in enumerate(ROWS)]
    sentences += [LabeledSentence(text, {"loaded": False, "slant": "neutral", "frame": "economy"}, article=f"b{i}",
                                  id=f"b{i}", boilerplate=True) for i, text in enumerate(BOILERPLATE)]
    return sentences


def train_model(calibration=None):
    return framing.train(data(), calibration=calibration, calibration_folds=3)


def file_hashes(folder):
    return {name: hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest() for name in ("model.json", "weights.npz")}


def reports_hash(model, articles=ARTICLES):
    hasher = hashlib.sha256()
    for text in articles:
        hasher.update(json.dumps(model.score(text).to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return hasher.hexdigest()


def run(script, *args, hash_seed):
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed))
    result = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent), *map(str, args)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


# ---------------------------------------------------------------------- training


@pytest.mark.parametrize("calibration", [None, "temperature"])
def test_training_twice_gives_identical_files(tmp_path, calibration):
    first = file_hashes(train_model(calibration).save(tmp_path / "one"))
    second = file_hashes(train_model(calibration).save(tmp_path / "two"))
    assert first == second
    model = framing.load(tmp_path / "one")
    assert "boilerplate" in model.heads and model.tasks == ("loaded", "slant", "frame")


def test_training_in_other_processes_with_other_hash_seeds_gives_identical_files(tmp_path):
    local = file_hashes(train_model("temperature").save(tmp_path / "local"))
    for seed in (1, 12345):
        remote = json.loads(run(TRAIN_SCRIPT, tmp_path / f"seed{seed}", "temperature", hash_seed=seed))
        assert remote == local, f"PYTHONHASHSEED={seed}"


def test_save_load_save_round_trip_is_byte_identical(tmp_path):
    first = train_model().save(tmp_path / "first")
    second = framing.load(first).save(tmp_path / "second")
    assert file_hashes(first) == file_hashes(second)
    framing.load(second).save(second)  # saving over itself
    assert file_hashes(first) == file_hashes(second)


# ---------------------------------------------------------------------- scoring


@pytest.fixture(scope="module")
def bundled():
    return framing.load()


def test_scoring_twice_in_one_process_is_identical(bundled):
    first = [bundled.score(text).to_dict() for text in ARTICLES]
    second = [bundled.score(text).to_dict() for text in ARTICLES]
    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    # Cold caches (token analysis, lexicon matchers, a freshly loaded model) change nothing.
    from framing.features import _analysis

    _analysis._analyze_cached.cache_clear()
    assert reports_hash(framing.load()) == reports_hash(bundled)
    assert [bundled.score(text).to_dict() for text in reversed(ARTICLES)] == first[::-1]


def test_predict_proba_is_identical_across_calls_and_batches(bundled):
    sentences = [unit.text for text in ARTICLES for unit in framing.segment(text)]
    for task in bundled.tasks:
        whole = bundled.predict_proba(sentences, task)
        assert (whole == bundled.predict_proba(sentences, task)).all()
        assert (whole[::-1] == bundled.predict_proba(sentences[::-1], task)).all()


def test_scoring_in_other_processes_is_identical(bundled, tmp_path):
    local = reports_hash(bundled)
    assert run(SCORE_SCRIPT, "-", hash_seed=4242) == local
    folder = train_model().save(tmp_path / "tiny")
    assert run(SCORE_SCRIPT, folder, hash_seed=7) == reports_hash(framing.load(folder))
