"""The labelling loop: active-learning order, keys, undo/skip/quit, spans, write-through and interruption.

In-process tests use a fake model with fixed probabilities (fast and
deterministic); subprocess tests drive ``python -m framing label`` through a
pipe, including a session killed half-way.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from framing.data import load_schema, read_corpus, validate_corpus
from framing.data._label import (
    LabelError,
    LabelSession,
    LineReader,
    match_span,
    normalised_entropy,
    plan,
    task_keys,
)
from framing.text import segment

REPO = Path(__file__).resolve().parents[1]
# The five-task v2 schema: these tests drive the loop with one answer per task (the loop itself is schema-driven).
SCHEMA = REPO / "labeled" / "annotations" / "v2" / "schema_v2.json"

ARTICLE = (
    "Kyiv regime lies again, critics say.\n"
    "The talks may resume on Monday, officials said.\n"
    "Rubio met Umerov in Florida.\n"
    "Share this article\n"
)


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_text(SCHEMA.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "new piece.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


class FakeModel:
    """Fixed probabilities: unit i's uncertainty grows with ``certainty[i]`` falling."""

    def __init__(self, schema, certainty, boilerplate=None):
        self.schema = schema
        self.certainty = certainty
        self.boilerplate = boilerplate or {}
        self.heads = {"boilerplate": type("Head", (), {"classes": (False, True)})()}

    @property
    def tasks(self):
        return self.schema.task_names

    def classes(self, task):
        return self.schema.classes(task)

    def predict_all(self, texts):
        result = {}
        for task in self.tasks:
            k = len(self.classes(task))
            rows = []
            for text in texts:
                c = self.certainty[text]
                row = np.full(k, (1 - c) / (k - 1))
                row[-1] = c  # the last class is predicted
                rows.append(row)
            result[task] = np.asarray(rows)
        result["boilerplate"] = np.asarray([[1 - self.boilerplate.get(t, 0.0), self.boilerplate.get(t, 0.0)] for t in texts])
        return result

    def cues(self, text):
        return []


def session(corpus, answers, model=None, order="uncertain", text=ARTICLE, article_id="art", limit=None):
    out = io.StringIO()
    s = LabelSession(corpus, article_id, text, reader=LineReader(io.StringIO(answers)), out=out, model=model,
                     metadata={"outlet": "Test Outlet", "date": "2025-12-01"}, order=order, limit=limit)
    return s, out


def records(corpus):
    path = corpus / "sentences.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Answers for one content unit of the seed schema with no spans: not boilerplate, five tasks, end of spans.
def content(loaded="n", hedged="n", attribution="3", slant="2", frame="f", spans=()):
    return "\n".join(["n", loaded, hedged, attribution, slant, frame, *spans, ""]) + "\n"


# ---------------------------------------------------------------------- pure helpers


def test_entropy_and_keys():
    assert normalised_entropy([1 / 3] * 3) == pytest.approx(1.0)
    assert normalised_entropy([0.9, 0.1]) < normalised_entropy([0.6, 0.4])
    schema = load_schema(SCHEMA)
    for task in schema.tasks:
        keys = task_keys(task)
        assert set(keys.values()) == set(task.classes)
        assert not set(keys) & {"u", "s", "q", "?"}


def test_match_span():
    sentence = "The corrupt Kyiv regime’s plan, the regime said."
    assert match_span(sentence, "kyiv REGIME's") == (12, 25)
    start, end = match_span(sentence, "regime", taken=[(17, 23)])
    assert sentence[start:end] == "regime" and start == 36
    assert match_span(sentence, "regime#2") == (36, 42)
    assert match_span(sentence, "absent words") is None
    assert match_span(sentence, "regime#9") is None


def test_plan_orders_least_certain_first():
    schema = load_schema(SCHEMA)
    units = segment(ARTICLE)
    certainty = {u.text: c for u, c in zip(units, [0.9, 0.55, 0.7, 0.95])}
    ordered = plan(units, schema, FakeModel(schema, certainty))
    assert [c.position for c in ordered] == [1, 2, 0, 3]
    assert ordered[0].uncertainty > ordered[-1].uncertainty
    assert all(c.defaults[t] == schema.classes(t)[-1] for c in ordered for t in schema.task_names)
    assert [c.position for c in plan(units, schema, None, skip_positions=[0], order="position")] == [1, 2, 3]


# ---------------------------------------------------------------------- sessions in process


def test_session_writes_each_unit_at_once_with_ids_offsets_and_spans(corpus):
    schema = load_schema(corpus)
    units = segment(ARTICLE)
    s, out = session(corpus, content(loaded="y", attribution="2", spans=["loaded:kyiv regime", "source:critics", "a:say",
                                                                        "nonsense", "hedge:not there"])
                     + content() + content(attribution="1") + "y\n" + "n\nn\n3\n2\nf\n", model=None, order="position")
    result = s.run()
    assert result.saved == ["art-0000", "art-0001", "art-0002", "art-0003"]
    assert validate_corpus(corpus) == []
    corpus_data = read_corpus(corpus)
    assert corpus_data.articles["art"].outlet == "Test Outlet" and corpus_data.articles["art"].date == "2025-12-01"
    by_id = {r["id"]: r for r in records(corpus)}
    first = by_id["art-0000"]
    assert (first["start"], first["end"], first["position"]) == (units[0].start, units[0].end, 0)
    assert first["labels"] == {"loaded": True, "hedged": False, "attribution": "anonymous", "slant": "neutral", "frame": "other"}
    assert [(sp["type"], sp["text"]) for sp in first["spans"]] == [("loaded", "Kyiv regime"), ("source", "critics"),
                                                                    ("attribution_cue", "say")]
    assert set(by_id["art-0003"]["labels"]) == set(schema.task_names) and by_id["art-0003"]["boilerplate"] is True
    text = out.getvalue()
    assert "not found in the sentence" in text and "expected TYPE:words" in text


def test_undo_skip_quit_and_defaults(corpus):
    schema = load_schema(corpus)
    units = segment(ARTICLE)
    model = FakeModel(schema, {u.text: c for u, c in zip(units, [0.6, 0.65, 0.7, 0.8])})
    answers = (
        "n\n" "y\n" "u\n" "n\n" "\n" "\n" "\n" "\n" "\n"  # unit 0: loaded y, undo, n; then defaults, no spans
        "s\n"                                              # unit 1: skipped
        "u\n"                                              # back to unit 1 from unit 2's first question
        "n\n" "\n" "\n" "\n" "\n" "\n" "\n"                # unit 1 with defaults
        "q\n"                                              # quit at unit 2
    )
    s, out = session(corpus, answers, model=model)
    result = s.run()
    assert result.quit and result.saved == ["art-0000", "art-0001"] and result.skipped == []
    by_id = {r["id"]: r for r in records(corpus)}
    assert set(by_id) == {"art-0000", "art-0001"}
    assert by_id["art-0000"]["labels"]["loaded"] is False and by_id["art-0000"]["labels"]["hedged"] is True
    assert by_id["art-0001"]["labels"]["frame"] == schema.classes("frame")[-1]
    assert "(undo)" in out.getvalue() and "skipped" in out.getvalue()
    assert validate_corpus(corpus) == []


def test_undo_to_a_saved_unit_replaces_it(corpus):
    s, _ = session(corpus, content(loaded="y") + "u\n" + content(loaded="n"), order="position")
    result = s.run()
    assert result.saved == ["art-0000"]
    saved = records(corpus)
    assert len(saved) == 1 and saved[0]["labels"]["loaded"] is False


def test_boilerplate_takes_the_corpus_usual_labels(corpus):
    # The first boilerplate unit is labelled in full; the next one copies the corpus' usual boilerplate labels.
    first = "y\n" + "n\nn\n3\n2\nf\n"
    s, _ = session(corpus, first, order="position", text="Share this article\n", article_id="a1")
    s.run()
    s, out = session(corpus, "y\n", order="position", text="Follow us on:\n", article_id="a2")
    result = s.run()
    assert result.saved == ["a2-0000"]
    second = [r for r in records(corpus) if r["id"] == "a2-0000"][0]
    assert second["boilerplate"] is True
    assert second["labels"] == {"loaded": False, "hedged": False, "attribution": "none", "slant": "neutral", "frame": "other"}


def test_resume_skips_labelled_units_and_limit(corpus):
    s, _ = session(corpus, content(), order="position", limit=1)
    assert s.run().saved == ["art-0000"]
    s, out = session(corpus, content(), order="position", limit=1)
    result = s.run()
    assert result.already == 1 and result.saved == ["art-0001"]
    assert "1 already labelled" in out.getvalue()


def test_same_id_with_different_text_is_refused(corpus):
    session(corpus, "", order="position")[0].run()
    s, _ = session(corpus, "", order="position", text="Another text entirely.\n")
    with pytest.raises(LabelError, match="different text"):
        s.run()


def test_unknown_answers_are_asked_again(corpus):
    s, out = session(corpus, "maybe\nn\nzz\nn\nn\n3\nneutral\nOTHER\n\n", order="position", limit=1)
    result = s.run()
    assert result.saved == ["art-0000"]
    assert records(corpus)[0]["labels"]["slant"] == "neutral" and records(corpus)[0]["labels"]["frame"] == "other"
    assert "answer y or n" in out.getvalue() and "unknown answer 'zz'" in out.getvalue()


def test_not_a_corpus(tmp_path):
    with pytest.raises(LabelError, match="schema.json"):
        LabelSession(tmp_path, "a", ARTICLE, reader=LineReader(io.StringIO("")), out=io.StringIO())


# ---------------------------------------------------------------------- through the command line


def label_command(corpus, article, *extra):
    return [sys.executable, "-m", "framing", "label", str(article), "--corpus", str(corpus), *map(str, extra)]


def test_label_through_a_pipe_with_the_model(corpus, article):
    answers = content(loaded="y", spans=["loaded:regime"]) * 2 + "q\n"
    result = subprocess.run(label_command(corpus, article, "--outlet", "Pipe News", "--date", "2025-12-02"),
                            input=answers, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "saved 2 units" in result.stdout
    assert "least certain first" in result.stderr
    assert validate_corpus(corpus) == []
    data = read_corpus(corpus)
    assert data.articles["new_piece"].outlet == "Pipe News"
    assert len(data.sentences) == 2 and all(s.id.startswith("new_piece-") for s in data.sentences)
    assert (corpus / "articles" / "new_piece.txt").read_text(encoding="utf-8") == ARTICLE


def test_interrupted_session_keeps_every_confirmed_unit(corpus, article):
    process = subprocess.Popen(label_command(corpus, article, "--no-model", "--order", "position"),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               bufsize=1, env={**os.environ, "NO_COLOR": "1"})
    confirmed = []
    try:
        for answer in (content(loaded="y"), content(hedged="y")):
            process.stdin.write(answer)
            process.stdin.flush()
            deadline = time.time() + 60
            while time.time() < deadline:
                line = process.stderr.readline()
                if not line:
                    break
                if line.startswith("saved "):
                    confirmed.append(line.split()[1])
                    break
        # Half-way through the third unit: answers given, spans not finished.
        process.stdin.write("n\nn\ny\n")
        process.stdin.flush()
        time.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            try:
                stream.close()
            except (BrokenPipeError, OSError):
                pass
    assert confirmed == ["new_piece-0000", "new_piece-0001"]
    assert validate_corpus(corpus) == []
    saved = {s.id: s for s in read_corpus(corpus).sentences}
    assert set(saved) == set(confirmed)
    assert saved["new_piece-0000"].labels["loaded"] is True and saved["new_piece-0001"].labels["hedged"] is True
    assert not [p for p in corpus.iterdir() if p.name.endswith(".tmp")]


def test_label_errors(corpus, article, tmp_path):
    missing = subprocess.run(label_command(corpus, tmp_path / "nope.txt"), capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3 and "nope.txt" in missing.stderr
    no_corpus = subprocess.run(label_command(tmp_path / "nowhere", article, "--no-model"), capture_output=True, text=True,
                               timeout=60)
    assert no_corpus.returncode == 3 and "nowhere" in no_corpus.stderr
    assert len(no_corpus.stderr.strip().splitlines()) == 1


def test_a_corpus_that_does_not_validate_is_not_touched(corpus):
    (corpus / "sentences.jsonl").write_text('{"id": "x", "article": null, "text": "t", "labels": {}}\n{oops\n', encoding="utf-8")
    before = (corpus / "sentences.jsonl").read_bytes()
    s, _ = session(corpus, content(), order="position")
    with pytest.raises(LabelError, match="does not validate"):
        s.run()
    assert (corpus / "sentences.jsonl").read_bytes() == before
    assert not (corpus / "articles.jsonl").exists()
