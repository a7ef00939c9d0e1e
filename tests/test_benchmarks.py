"""Tests for the benchmark runner (benchmarks/): made-up data only, in this process, no timing assertions or timeouts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import _markdown, _quality, _runner  # noqa: E402


def run_in_process(capsys, *args: str) -> tuple[int, str]:
    """``python -m benchmarks ARGS`` in this process, one worker (no pool, no subprocess, no timeout): exit code, stderr."""
    capsys.readouterr()
    code = _runner.main(["--jobs", "1", "--quiet", *args])
    return code, capsys.readouterr().err


def tiny_quality(ctx, **params):
    """A benchmark job that takes no time: one row in the shape the quality jobs return."""
    return {"rows": [{"benchmark": "tiny", "protocol": "2-fold", "metric": "loaded: macro-F1", "n": 4,
                      "values": {"model": {"value": 0.75, "ci": [0.5, 1.0]}, "majority": {"value": 0.25, "ci": None}}}],
            "notes": ["a tiny note"], "details": {"size": params.get("size")}}


def tiny_skipped(ctx, **params):
    raise _quality.Skipped(f"tiny: file not found: {ctx.data_root}/tiny.csv")


def tiny_error(ctx, **params):
    raise OSError("the disk is gone")


def tiny_jobs(with_error: bool):
    jobs = [_runner.Job("weasel", "weasel", "quality", tiny_quality, {"size": 4}),
            _runner.Job("polnear", "polnear", "quality", tiny_skipped)]
    return jobs + ([_runner.Job("size", "size", "speed", tiny_error)] if with_error else [])


def test_the_runner_writes_json_and_markdown_of_its_jobs(tmp_path, monkeypatch, capsys):
    # In place of a timed `python -m benchmarks --quick --only speed` subprocess (which timed out at 120 s under
    # load): the runner's own work, on jobs that take no time. Timing belongs to benchmarks/, not to the tests.
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    monkeypatch.setattr(_runner, "build_jobs", lambda quick: tiny_jobs(with_error=False))
    code, err = run_in_process(capsys, "--quick", "--data", str(empty), "--out", str(out))
    assert code == 0, err
    document = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    assert {"date", "machine", "git_commit", "versions", "command", "quick", "data_root", "seconds",
            "benchmarks"} <= set(document)
    assert {"platform", "cpu_count", "memory_gb"} <= set(document["machine"])
    assert document["quick"] is True and document["data_root"] == str(empty.absolute())
    assert list(document["benchmarks"]) == ["weasel", "polnear"]
    weasel, polnear = document["benchmarks"]["weasel"], document["benchmarks"]["polnear"]
    assert weasel["status"] == "ok" and weasel["result"]["details"] == {"size": 4}
    assert polnear == {**polnear, "status": "skipped", "reason": f"tiny: file not found: {empty.absolute()}/tiny.csv"}
    assert f"skipped polnear: tiny: file not found: {empty.absolute()}" in err
    markdown = (out / "quick.md").read_text(encoding="utf-8")
    assert "0.750 [0.50, 1.00]" in markdown and "a tiny note" in markdown
    assert "polnear**: skipped" in markdown
    assert not (out / "latest.json").exists()  # a quick run never overwrites the full results


def test_a_failing_job_is_reported_and_the_others_still_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.setattr(_runner, "build_jobs", lambda quick: tiny_jobs(with_error=True))
    code, err = run_in_process(capsys, "--data", str(tmp_path), "--out", str(out))
    assert code == 1
    document = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert document["quick"] is False
    assert document["benchmarks"]["weasel"]["status"] == "ok"
    assert document["benchmarks"]["size"]["status"] == "error"
    assert document["benchmarks"]["size"]["reason"] == "OSError: the disk is gone"
    assert "error in size: OSError: the disk is gone" in err and "errors in size" in err
    assert "size**: error" in (out / "latest.md").read_text(encoding="utf-8")


def test_missing_data_sets_are_skipped_with_one_line_each(tmp_path, capsys):
    empty, out, corpus = tmp_path / "empty", tmp_path / "out", tmp_path / "corpus"
    empty.mkdir()
    corpus.mkdir()  # a corpus folder without sentences: the seed benchmark is skipped too
    code, err = run_in_process(capsys, "--quick", "--data", str(empty), "--corpus", str(corpus), "--out", str(out),
                               "--only", "quality")
    assert code == 0, err[-2000:]
    document = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    statuses = {name: outcome["status"] for name, outcome in document["benchmarks"].items()}
    from benchmarks._transfer import loso_jobs

    expected = ["seed", "babe/stratified", "babe/outlet", "weasel", "polnear", "voice", "frames/own",
                "frames/frac", "frames/articles", "frames/nfc", "stance/newsmtsc", "stance/own-loso",
                "axis/ukraine", "axis/seeds", "transfer"]
    expected += [f"loso/{task}/{source}" for task, source in loso_jobs()]
    expected += [f"indomain/{name}" for name in ("babe", "weasel", "polnear", "ukraine", "seeds", "seeds-large")]
    assert statuses == {name: "skipped" for name in expected}
    skipped_lines = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert skipped_lines, "each skipped data set is reported on stderr"
    assert all(str(empty) in line for line in skipped_lines if "seed" not in line.split(":")[0])
    markdown = (out / "quick.md").read_text(encoding="utf-8")
    assert "skipped" in markdown


def test_env_variable_points_at_the_data(tmp_path, monkeypatch):
    from benchmarks._datasets import resolve_data_root

    monkeypatch.setenv("FRAMING_DATA", str(tmp_path))
    assert resolve_data_root(None) == tmp_path
    assert resolve_data_root(tmp_path / "x") == tmp_path / "x"


def test_only_selects_groups_and_rejects_unknown_names():
    jobs = _runner.build_jobs(quick=True)
    assert {job.group for job in _runner.select_jobs(jobs, ["babe"])} == {"babe"}
    assert len(_runner.select_jobs(jobs, ["babe"])) == 2
    speed = _runner.select_jobs(jobs, ["speed"])
    assert {job.section for job in speed} == {"speed"}
    assert [job.name for job in _runner.select_jobs(jobs, ["cli,size"])] == ["size", "cli"]
    with pytest.raises(SystemExit, match="unknown benchmark"):
        _runner.select_jobs(jobs, ["bert"])


# ---------------------------------------------------------------------- quality jobs on made-up files

BIASED = ["radical", "disgraceful", "reckless", "shameless", "extremist", "corrupt"]
PLAIN = ["proposed", "announced", "reviewed", "discussed", "approved", "debated"]
TOPICS = ["the budget", "the new bridge", "school funding", "the tax bill", "a water plan", "the election law"]


def write_fake_babe(root: Path, n: int = 60) -> None:
    rows = ["text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words"]
    for k in range(n):
        biased = k % 2 == 0
        word = BIASED[k % 6] if biased else PLAIN[k % 6]
        text = f"The council's {word} plan for {TOPICS[k % 6]} was made public on day {k}."
        words = f"['{word}']" if biased else "[]"
        label = "Biased" if biased else "Non-biased"
        rows.append(f"{text};https://example.org/{k // 3};outlet{k % 4};topic;left;{label};Entirely factual;{words}")
    path = root / "babe" / "final_labels_SG2.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_fake_weasel(root: Path, n: int = 50) -> None:
    rows = ["text,label"]
    for k in range(n):
        uncertain = k % 3 == 0
        text = f"Some critics say the {TOPICS[k % 6]} may fail in year {k} ." if uncertain else \
            f"The {TOPICS[k % 6]} was {PLAIN[k % 6]} in year {k} ."
        rows.append(f"{text},{int(uncertain)}")
    path = root / "wiki-weasel" / "train.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_babe_words_become_loaded_spans():
    from benchmarks._datasets import BenchSentence

    item = BenchSentence("A reckless, Reckless plan by reckless-ish men.", True, "g", "o",
                         {"biased_words": ["reckless", "plan", ""]})
    sentence = _quality.babe_sentences([item])[0]
    assert [(s.text, s.type) for s in sentence.spans] == [("reckless", "loaded"), ("Reckless", "loaded"),
                                                           ("plan", "loaded"), ("reckless", "loaded")]
    assert all(sentence.text[s.start:s.end] == s.text for s in sentence.spans)
    assert sentence.labels == {"biased": True} and sentence.source == "o" and sentence.article == "g"


def test_quality_jobs_run_on_made_up_files(tmp_path):
    write_fake_babe(tmp_path)
    write_fake_weasel(tmp_path)
    ctx = _quality.Context(data_root=str(tmp_path), quick=True)
    for function in (_quality.run_babe_stratified, _quality.run_babe_outlet, _quality.run_weasel):
        outcome = _runner.execute(function.__name__, function, ctx, {})
        assert outcome["status"] == "ok", outcome.get("traceback")
        rows = outcome["result"]["rows"]
        assert {"benchmark", "protocol", "metric", "n", "values"} <= set(rows[0])
        assert set(rows[0]["values"]) == {"model", "majority", "lexicon", "tfidf"}
        assert any("F1 of" in row["metric"] for row in rows)
        details = outcome["result"]["details"]
        assert all("test_groups" not in fold for fold in details["folds"])  # no external URLs in the results
        json.dumps(outcome)
    outlet = _runner.execute("babe/outlet", _quality.run_babe_outlet, ctx, {})
    assert "4-fold grouped by outlet (4 outlets)" in outlet["result"]["rows"][0]["protocol"]
    missing = _runner.execute("polnear", _quality.run_polnear, ctx, {})
    assert missing["status"] == "skipped" and "polnear" in missing["reason"]


def test_markdown_lists_failures_and_skips():
    document = {
        "date": "2025-01-01T00:00:00+00:00",
        "machine": {"platform": "Linux", "processor": "cpu", "cpu_count": 2, "usable_cpus": 2, "memory_gb": 8.0,
                    "python": "3.11"},
        "git_commit": None, "versions": {"framing": "0"}, "command": "python -m benchmarks", "quick": False,
        "data_root": "/data", "workers": 2, "seconds": 60.0,
        "benchmarks": {
            "babe/stratified": {"status": "skipped", "reason": "babe: file not found: /data/babe", "seconds": 0.0},
            "weasel": {"status": "ok", "seconds": 3.0, "result": {"rows": [
                {"benchmark": "wiki-weasel", "protocol": "5-fold", "metric": "uncertain: macro-F1", "n": 10,
                 "values": {"model": {"value": 0.5, "ci": [0.4, 0.6]}, "tfidf": {"value": 0.45, "ci": None}}}],
                "notes": ["a note"], "details": {}}},
            "size": {"status": "error", "reason": "OSError: gone", "seconds": 0.0},
        },
    }
    text = _markdown.render(document)
    assert "0.500 [0.40, 0.60]" in text and "| 0.450 |" in text
    assert "babe/stratified**: skipped" in text and "size**: error" in text
    assert "none (no commit yet)" in text
