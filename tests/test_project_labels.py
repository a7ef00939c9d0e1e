"""The project's label files (labeled/frames.jsonl, labeled/targets.jsonl) resolve against the external data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framing.datasets import DatasetMissing, TargetItem, frame_label_sentences, target_label_items
from framing.datasets._project_labels import LABEL_SOURCES

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
FRAMES = REPO / "labeled" / "frames.jsonl"
TARGETS = REPO / "labeled" / "targets.jsonl"

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"external data folder absent: {DATA}")


def _line_count(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


@needs_data
def test_every_frames_line_resolves():
    sentences = frame_label_sentences(DATA, FRAMES)
    assert len(sentences) == _line_count(FRAMES) == 3000
    assert {s.source for s in sentences} == {"anno-lexical", "babe", "polnear", "ukraine-news-bias"}
    assert all(isinstance(s.labels["frames"], tuple) and list(s.labels["frames"]) == sorted(s.labels["frames"]) for s in sentences)
    assert all(s.article and s.text for s in sentences)


@needs_data
def test_every_targets_line_resolves_with_mention_at_span():
    items = target_label_items(DATA, TARGETS)
    assert len(items) == _line_count(TARGETS) == 2435
    assert all(isinstance(i, TargetItem) and i.text[i.start:i.end] == i.mention for i in items)


@needs_data
def test_tampered_sha1_names_the_line(tmp_path):
    lines = FRAMES.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    original = record["sha1"]
    record["sha1"] = "000000000000" if original != "000000000000" else "111111111111"
    lines[2] = json.dumps(record)
    tampered = tmp_path / "frames.jsonl"
    tampered.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        frame_label_sentences(DATA, tampered)
    message = str(caught.value)
    assert f"{tampered}:3" in message and record["id"] in message
    assert record["sha1"] in message and original in message


@needs_data
def test_tampered_mention_span_raises(tmp_path):
    record = json.loads(TARGETS.read_text(encoding="utf-8").splitlines()[0])
    record["start"] += 1
    tampered = tmp_path / "targets.jsonl"
    tampered.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{tampered.name}:1: field 'mention'"):
        target_label_items(DATA, tampered)


@needs_data
def test_unknown_source_names_the_allowed_sources(tmp_path):
    bad = tmp_path / "frames.jsonl"
    bad.write_text(json.dumps({"source": "bbc", "id": "x:1", "sha1": "0" * 12, "frames": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        frame_label_sentences(DATA, bad)
    message = str(caught.value)
    assert f"{bad}:1" in message and "'bbc'" in message
    assert all(source in message for source in LABEL_SOURCES)


def test_missing_data_folder_raises_dataset_missing(tmp_path):
    labels = tmp_path / "frames.jsonl"
    labels.write_text(json.dumps({"source": "babe", "id": "row:0", "sha1": "0" * 12, "frames": []}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetMissing, match="babe"):
        frame_label_sentences(tmp_path, labels)
    with pytest.raises(DatasetMissing, match="not found"):
        frame_label_sentences(tmp_path / "nowhere", labels)
