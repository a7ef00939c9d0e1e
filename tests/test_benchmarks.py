"""Tests for the benchmark runner (benchmarks/): made-up data only, no timing assertions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import _markdown, _quality, _runner  # noqa: E402


def run_benchmarks(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("FRAMING_BENCH_DATA", None)
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=str(REPO), env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_quick_speed_run_writes_json_and_markdown(tmp_path):
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    completed = run_benchmarks("--quick", "--data", str(empty), "--only", "speed", "--out", str(out))
    assert completed.returncode == 0, completed.stderr[-2000:]
    document = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    assert {"date", "machine", "git_commit", "versions", "command", "quick", "data_root", "seconds",
            "benchmarks"} <= set(document)
    assert {"platform", "cpu_count", "memory_gb"} <= set(document["machine"])
    assert document["quick"] is True
    names = set(document["benchmarks"])
    assert {"throughput", "memory", "size", "cli", "evaluate-time", "big-text", "recipe-training"} <= names
    assert any(n.startswith("training/") for n in names)
    assert not any(name.split("/")[0] in _runner.QUALITY_GROUPS for name in names)
    for name, outcome in document["benchmarks"].items():
        # Training the shipped recipe needs the external data, which this run does not have.
        expected = "skipped" if name == "recipe-training" else "ok"
        assert outcome["status"] == expected, (name, outcome.get("reason"))
    big = document["benchmarks"]["big-text"]["result"]
    assert big["summary"]["peak_rss_mb"] > 0 and big["json_and_html"]["html_bytes"] > 0
    throughput = document["benchmarks"]["throughput"]["result"]
    assert throughput["framing_sentences_per_s"] > 0 and throughput["plain_sentences_per_s"] > 0
    memory = document["benchmarks"]["memory"]["result"]
    assert memory["peak_rss_mb"] >= memory["peak_rss_after_load_mb"] > 0
    markdown = (out / "quick.md").read_text(encoding="utf-8")
    assert "## Speed and memory" in markdown and "sentences/s" in markdown and "peak RSS" in markdown
    assert not (out / "latest.json").exists()  # a quick run never overwrites the full results


def test_missing_data_sets_are_skipped_with_one_line_each(tmp_path):
    empty, out, corpus = tmp_path / "empty", tmp_path / "out", tmp_path / "corpus"
    empty.mkdir()
    corpus.mkdir()  # a corpus folder without sentences: the seed benchmark is skipped too
    completed = run_benchmarks("--quick", "--data", str(empty), "--corpus", str(corpus), "--out", str(out),
                               "--only", "quality", "--quiet")
    assert completed.returncode == 0, completed.stderr[-2000:]
    document = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    statuses = {name: outcome["status"] for name, outcome in document["benchmarks"].items()}
    from benchmarks._transfer import loso_jobs

    expected = ["seed", "babe/stratified", "babe/outlet", "weasel", "polnear", "transfer"]
    expected += [f"loso/{task}/{source}" for task, source in loso_jobs()]
    expected += [f"indomain/{name}" for name in ("babe", "weasel", "polnear", "ukraine", "seeds", "seeds-large")]
    assert statuses == {name: "skipped" for name in expected}
    skipped_lines = [line for line in completed.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped_lines, "each skipped data set is reported on stderr"
    assert all(str(empty) in line for line in skipped_lines if "seed" not in line.split(":")[0])
    markdown = (out / "quick.md").read_text(encoding="utf-8")
    assert "skipped" in markdown


def test_env_variable_points_at_the_data(tmp_path, monkeypatch):
    from benchmarks._datasets import resolve_data_root

    monkeypatch.setenv("FRAMING_BENCH_DATA", str(tmp_path))
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
