"""The shipped corpus in ``labeled/``: complete, valid and consistent with the segmenter."""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import framing

LABELED = Path(__file__).resolve().parents[1] / "labeled"


@pytest.fixture(scope="module")
def corpus():
    return framing.read_corpus(LABELED)


def test_corpus_validates_without_issues():
    assert framing.validate_corpus(LABELED) == []


def test_every_segmenter_unit_appears_exactly_once_with_its_offsets(corpus):
    by_article = {}
    for sentence in corpus.sentences:
        by_article.setdefault(sentence.article, []).append(sentence)
    article_files = sorted((LABELED / "articles").glob("*.txt"))
    assert len(article_files) == 5
    assert sorted(by_article) == [path.stem for path in article_files]
    for path in article_files:
        text = path.read_text(encoding="utf-8")
        units = framing.segment(text)
        stored = sorted(by_article[path.stem], key=lambda s: s.position)
        assert [(u.start, u.end, u.text) for u in units] == [(s.start, s.end, s.text) for s in stored]
        assert [s.position for s in stored] == list(range(len(units)))
        for unit in units:
            assert text[unit.start:unit.end] == unit.text


def test_ids_are_unique_and_follow_article_and_position(corpus):
    ids = [s.id for s in corpus.sentences]
    assert len(ids) == len(set(ids))
    for sentence in corpus.sentences:
        assert sentence.id == f"{sentence.article}-{sentence.position:04d}"


def test_every_declared_task_is_labelled_and_boilerplate_takes_defaults(corpus):
    defaults = {"loaded": False, "hedged": False, "attribution": "none", "slant": "neutral", "frame": "other"}
    assert corpus.schema.task_names == ("loaded", "hedged", "attribution", "slant", "frame")
    boilerplate = [s for s in corpus.sentences if s.boilerplate]
    assert boilerplate, "site furniture must be kept and marked"
    for sentence in boilerplate:
        assert sentence.labels == defaults, sentence.id
    for sentence in corpus.sentences:
        for span in sentence.spans:
            assert sentence.text[span.start:span.end] == span.text
            assert span.type in corpus.schema.span_types


def test_every_class_of_the_binary_and_slant_tasks_occurs(corpus):
    content = [s for s in corpus.sentences if not s.boilerplate]
    for task in ("loaded", "hedged", "attribution", "slant"):
        counts = Counter(s.labels[task] for s in content)
        assert set(counts) == set(corpus.schema.classes(task)), task


def test_adjudicated_labels_follow_the_passes(corpus):
    passes = [
        {r["id"]: r for r in map(json.loads, (LABELED / "annotations" / name).read_text(encoding="utf-8").splitlines())}
        for name in ("pass_a.jsonl", "pass_b.jsonl")
    ]
    decisions = json.loads((LABELED / "annotations" / "adjudication.json").read_text(encoding="utf-8"))["decisions"]
    for sentence in corpus.sentences:
        a, b = passes[0][sentence.id], passes[1][sentence.id]
        for task in corpus.schema.task_names:
            if a["labels"][task] == b["labels"][task]:
                assert sentence.labels[task] == a["labels"][task], (sentence.id, task)
            else:
                assert sentence.labels[task] == decisions[sentence.id][task][0], (sentence.id, task)


def test_cli_validate_shows_every_task_and_exits_zero():
    result = subprocess.run([sys.executable, "-m", "framing", "validate", str(LABELED)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for task in ("loaded", "hedged", "attribution", "slant", "frame"):
        assert f"{task}:" in result.stdout
    assert "pro_russia=" in result.stdout and "named=" in result.stdout
