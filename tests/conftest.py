"""Shared toy data for the core unit tests: a tiny corpus folder and one model trained on it.

Nothing here reads ``labeled/`` or the bundled model: the corpus is written to
a temporary folder once per session, and the model is trained on it without
calibration (a fraction of a second).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: A user schema with other classes than the bundled one (slant left/center/right, in that order).
TOY_SCHEMA = {
    "name": "toy",
    "task_order": ["loaded", "hedged", "slant", "frame"],
    "tasks": {
        "loaded": {"type": "binary", "classes": [False, True]},
        "hedged": {"type": "binary", "classes": [False, True]},
        "slant": {"type": "multiclass", "classes": ["left", "center", "right"]},
        "frame": {"type": "multiclass", "classes": ["war", "diplomacy", "economy"]},
    },
    "span_types": ["loaded", "hedge", "attribution_cue", "source"],
}

#: article -> [(text, loaded, hedged, slant, frame, boilerplate)]; one line per unit.
TOY_ARTICLES = {
    "a1": [
        ("Talks stall in Geneva", False, False, "center", "diplomacy", False),
        ("The corrupt regime reportedly lied again.", True, True, "left", "war", False),
        ("Officials met to discuss aid.", False, False, "center", "economy", False),
        ("Subscribe to our newsletter", False, False, "center", "diplomacy", True),
    ],
    "a2": [
        ("Envoys meet again", False, False, "center", "diplomacy", False),
        ("The puppet regime may attack the city, analysts say.", True, True, "right", "war", False),
        ("Talks began on Monday in Geneva.", False, False, "center", "diplomacy", False),
        ("Share this article", False, False, "center", "diplomacy", True),
    ],
    "a3": [
        ("Brutal invaders reportedly shelled the town.", True, True, "left", "war", False),
        ("Prices rose by 3 percent in October.", False, False, "center", "economy", False),
        ("Sanctions could hurt the economy, officials said.", False, True, "center", "economy", False),
        ("Advertisement", False, False, "center", "diplomacy", True),
    ],
    "a4": [
        ("Western warmongers armed the Nazi regime.", True, False, "right", "war", False),
        ("Zelensky said the plan was a good start.", False, False, "center", "diplomacy", False),
        ("The talks might fail, sources suggest.", False, True, "center", "diplomacy", False),
    ],
    "a5": [
        ("The brutal regime possibly lied about the talks.", True, True, "left", "war", False),
        ("Ministers agreed on a trade deal.", False, False, "center", "economy", False),
        ("Follow us on social media", False, False, "center", "diplomacy", True),
    ],
}


def write_toy_corpus(root):
    """Write the toy corpus (schema, articles, sentences with offsets) to ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "schema.json").write_text(json.dumps(TOY_SCHEMA), encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    article_records, sentence_records = [], []
    for article_id, rows in TOY_ARTICLES.items():
        text = "\n".join(row[0] for row in rows) + "\n"
        (root / "articles" / f"{article_id}.txt").write_text(text, encoding="utf-8")
        article_records.append({"id": article_id, "path": f"articles/{article_id}.txt", "outlet": f"outlet-{article_id}"})
        start = 0
        for position, (sentence, loaded, hedged, slant, frame, boilerplate) in enumerate(rows):
            sentence_records.append({
                "id": f"{article_id}-{position}",
                "article": article_id,
                "position": position,
                "start": start,
                "end": start + len(sentence),
                "text": sentence,
                "labels": {"loaded": loaded, "hedged": hedged, "slant": slant, "frame": frame},
                "boilerplate": boilerplate,
            })
            start += len(sentence) + 1
    with open(root / "articles.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in article_records)
    with open(root / "sentences.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in sentence_records)
    return root


@pytest.fixture(scope="session")
def toy_corpus(tmp_path_factory):
    """Path of the toy corpus folder (treat as read-only; copy it to change it)."""
    return write_toy_corpus(tmp_path_factory.mktemp("toy") / "corpus")


@pytest.fixture(scope="session")
def toy_model(toy_corpus):
    """A model trained on the toy corpus, all four tasks plus the boilerplate head (read-only)."""
    import framing

    return framing.train(toy_corpus, calibration=None)


@pytest.fixture
def run_without_nltk_data(tmp_path):
    """Run a Python script in a fresh process whose NLTK_DATA (and HOME) point at empty folders.

    Returns ``(completed_process, empty_nltk_data_folder)``.
    """
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    home = tmp_path / "home"
    home.mkdir()

    def run(script: str):
        env = dict(os.environ, NLTK_DATA=str(empty), HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
        return result, empty

    return run
