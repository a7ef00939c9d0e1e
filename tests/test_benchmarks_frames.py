"""The frame benchmarks (benchmarks/_frames.py), what record_evaluation and model_card make of them.

The jobs run in quick mode on the external data and are skipped without it; the parts that need no data
(skipping, the reliability entries, the model card's section) run on made-up inputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import _frames, model_card, record_evaluation  # noqa: E402
from benchmarks._quality import Context, Skipped  # noqa: E402

DATA = REPO.parent / "shared" / "data"
NEEDED = ("frac", "anno-lexical", "babe", "polnear", "ukraine-news-bias")
needs_data = pytest.mark.skipif(not all((DATA / name).exists() for name in NEEDED),
                                reason=f"the external data ({', '.join(NEEDED)}) is not in {DATA}")


@pytest.mark.parametrize("job", [_frames.run_frames_own, _frames.run_frames_frac, _frames.run_frames_articles,
                                 _frames.run_frames_nfc])
def test_every_frame_job_is_skipped_without_the_data(tmp_path, job):
    with pytest.raises(Skipped):
        job(Context(data_root=str(tmp_path), quick=True))


# ---------------------------------------------------------------------- quick runs on the real data


@pytest.fixture(scope="module")
def own_run():
    """frames/own in quick mode, with a few BABE units declared round frames_v2 (so the v1-only scores appear)."""
    ctx = Context(data_root=str(DATA), quick=True)
    training = _frames.frame_training(ctx)
    babe = [s for name, s in training.pairs if name == _frames.OWN_SOURCE and s.source == "babe"]
    declared = {_frames._unit_key(s) for s in babe[::3]}
    original = _frames.v2_units
    _frames.v2_units = lambda corpus: declared
    try:
        return _frames.run_frames_own(ctx), training, len(babe), len(declared)
    finally:
        _frames.v2_units = original


@needs_data
def test_frames_own_holds_each_source_out_and_scores_every_frame(own_run):
    result, training, n_babe, n_declared = own_run
    details = result["details"]
    assert details["frames"] == list(training.frames) and len(training.frames) == 14
    assert set(details["held_out"]) == {"anno-lexical", "babe", "polnear", "ukraine-news-bias"}
    assert sum(info["n_test"] for info in details["held_out"].values()) == details["n_sentences"]
    for source, info in details["held_out"].items():
        assert source not in info["trained_on"]
        assert {"seeds", "frac"} <= set(info["trained_on"])
        for system in ("model", "tfidf"):
            for scores in info["systems"][system].values():
                assert scores["n"] == info["n_test"]
                assert scores["auc"] is None or 0.0 <= scores["auc"] <= 1.0
        for frame, task in zip(details["frames"], details["frame_tasks"]):
            scores = info["systems"]["model"][frame]
            assert scores["representative"] == (info["n_train"][task] >= scores["n"] and scores["positives"] >= 5)
    assert details["n_v2_units"] == n_declared
    assert set(details["held_out_v1"]) == {"babe"}
    assert details["held_out_v1"]["babe"]["n_test"] == n_babe - n_declared
    assert result["rows"][0]["values"]["model"]["value"] is not None


@needs_data
def test_record_evaluation_keys_frame_reliability_by_task_and_drops_the_old_frame_task(own_run, tmp_path):
    result, training, _, _ = own_run
    run = {"date": "today", "git_commit": "abc", "command": "python -m benchmarks --only frames",
           "benchmarks": {"frames/own": {"status": "ok", "result": result}}}
    found = record_evaluation.frame_measurements(run)
    assert set(found) == set(training.tasks)
    for items in found.values():
        # one measurement per held-out source, plus the frames_v1-only one of the source with v2 units
        assert len(items) == 5 and sum("frames_v1 units only" in m["protocol"] for m in items) == 1
        assert all(m["representative"] == (m["n_train"] >= m["n"] and m["positives"] >= 5) for m in items)
    results_path, recipe_path = tmp_path / "frames.json", tmp_path / "recipe.json"
    results_path.write_text(json.dumps(run), encoding="utf-8")
    recipe = json.loads((REPO / "models" / "recipe-default.json").read_text(encoding="utf-8"))
    recipe["schema"] = str(REPO / "labeled" / "schema.json")
    recipe_path.write_text(json.dumps(recipe), encoding="utf-8")
    assert record_evaluation.main([str(results_path), str(recipe_path)]) == 0
    tasks = json.loads(recipe_path.read_text(encoding="utf-8"))["evaluation"]["tasks"]
    assert "frame" not in tasks and set(training.tasks) <= set(tasks)
    worst = {t: min((m["roc_auc"] for m in found[t] if m["representative"] and m["roc_auc"] is not None), default=None)
             for t in training.tasks}
    for task in training.tasks:
        assert tasks[task]["reliable"] == (worst[task] is not None and worst[task] >= 0.65)


@needs_data
def test_frames_frac_tests_on_the_article_sentences_only():
    result = _frames.run_frames_frac(Context(data_root=str(DATA), quick=True))
    details = result["details"]
    assert sum(details["support"].values()) == details["n_test"] > 0
    for system in ("model", "tfidf"):
        assert 0.0 <= details["systems"][system]["accuracy"] <= 1.0


@needs_data
def test_frames_articles_compares_every_presence_method_and_names_the_best():
    result = _frames.run_frames_articles(Context(data_root=str(DATA), quick=True))
    details = result["details"]
    assert set(details["pooled"]) == {"mean", "max", "top2_mean", "noisy_or", "share"}
    assert details["best_method"] in ("mean", "max", "top2_mean", "noisy_or")
    assert set(details["sources"]) == {"polnear", "ukraine-news-bias"}
    assert all(info["n_units"] >= info["n_articles"] > 0 for info in details["sources"].values())
    if "nfc_zero_shot" in details:
        assert set(details["nfc_zero_shot"]["ranking"]["top2_mean"]["auc"]) == set(_frames.NFC_FRAMES.values())


# ---------------------------------------------------------------------- no data needed


def test_article_scores_follow_the_reports_aggregation():
    from framing.report._frames import frame_presence

    p = np.array([[0.9, 0.1, 0.0], [0.2, 0.6, 0.1], [0.4, 0.1, 0.1]])
    scores = _frames.article_scores(p)
    for method in ("mean", "max", "top2_mean", "noisy_or"):
        assert np.allclose(scores[method], frame_presence(p, method=method))
    assert np.isclose(scores["share"].sum(), 1.0) and scores["share"].argmax() == 0


def test_the_model_card_has_a_frames_section_from_the_model_and_the_results(tmp_path):
    frames = {"economic": "frame_economic", "morality": "frame_morality"}
    document = {"format_version": 1, "schema": {"frame_sets": {"policy": {"definition": "Invented definition.",
                                                                          "frames": frames}}},
                "metadata": {"sklearn_version": "x", "numpy_version": "y",
                             "class_counts": {"frame_economic": {"False": 9, "True": 3}},
                             "recipe": {"sources": {"frame-labels": {"weights": {"frame_economic": 1.0, "frame_morality": 1.0},
                                                                     "n_sentences": 40, "labels_made_by": "AI sessions",
                                                                     "licence": "MIT"}}},
                             "evaluation": {"tasks": {
                                 "frame_economic": {"reliable": True, "value": 0.81, "protocol": "test on babe"},
                                 "frame_morality": {"reliable": False, "value": 0.52, "protocol": "test on polnear"}}}}}
    (tmp_path / "model.json").write_text(json.dumps(document), encoding="utf-8")
    text = model_card.render(tmp_path, {"benchmarks": {}})
    section = text[text.index("## Frames"):]
    assert "Invented definition." in section and "| frame-labels | 40 | 2 of 2 | AI sessions |" in section
    assert "| economic | yes | 0.810 | test on babe |" in section
    assert "| morality | **no** | 0.520 | test on polnear |" in section
    assert "machine-made" in section  # the frames_v1 passes are in the repository
    assert "not reliable, and so never shown as a finding: morality" in text
