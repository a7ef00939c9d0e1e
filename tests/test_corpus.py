"""The corpus contract (framing.data): one test per validator error kind, schema errors, atomic writes,
and the library writers append_sentences / register_article.

Every validator test breaks one thing in an otherwise valid corpus and checks
the single issue it yields: file, line, field, value and the message naming
what is allowed.
"""

from __future__ import annotations

import json
import os

import pytest

import framing
from framing import CorpusError, LabeledSentence, Schema
from framing.data import Span, append_sentences, load_schema
from framing.data._writing import register_article, write_jsonl_atomic

SCHEMA = {
    "tasks": {
        "loaded": {"type": "binary", "classes": [False, True]},
        "slant": {"type": "multiclass", "classes": ["left", "center", "right"]},
    },
}
ARTICLE = "Talks stall\nThe corrupt regime lied. Officials met.\n"
SENTENCE = "The corrupt regime lied."  # ARTICLE[12:36]
START, END = 12, 36


def record(**changes):
    base = {
        "id": "s1",
        "article": "a1",
        "position": 1,
        "start": START,
        "end": END,
        "text": SENTENCE,
        "labels": {"loaded": True, "slant": "left"},
        "spans": [{"start": 4, "end": 11, "type": "loaded", "text": "corrupt"}],
    }
    base.update(changes)
    return base


def second(**changes):
    """A valid second sentence ("Officials met.")."""
    base = {"id": "s2", "article": "a1", "position": 2, "start": 37, "end": 51, "text": "Officials met.",
            "labels": {"loaded": False, "slant": "center"}}
    base.update(changes)
    return base


def make_corpus(root, lines, articles=None):
    """Write a corpus; ``lines`` are records (dicts) or raw ``bytes`` lines of sentences.jsonl."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    (root / "articles" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    article_lines = articles if articles is not None else [{"id": "a1", "path": "articles/a1.txt", "outlet": "X"}]
    (root / "articles.jsonl").write_bytes(b"".join(_line(item) for item in article_lines))
    (root / "sentences.jsonl").write_bytes(b"".join(_line(item) for item in lines))
    return root


def _line(item):
    return item if isinstance(item, bytes) else json.dumps(item).encode("utf-8") + b"\n"


@pytest.fixture
def root(tmp_path):
    return tmp_path / "corpus"


def only_issue(root):
    issues = framing.validate_corpus(root)
    assert len(issues) == 1, "\n".join(map(str, issues))
    with pytest.raises(CorpusError) as info:
        framing.read_corpus(root)
    assert info.value.issues == issues
    assert str(issues[0]) in str(info.value)
    return issues[0]


def test_the_unbroken_corpus_is_valid(root):
    make_corpus(root, [record(), second()])
    assert framing.validate_corpus(root) == []
    corpus = framing.read_corpus(root)
    assert [s.id for s in corpus.sentences] == ["s1", "s2"]
    first = corpus.sentences[0]
    assert first.labels == {"loaded": True, "slant": "left"} and first.source == "X"
    assert first.spans == (Span(4, 11, "loaded", "corrupt"),)
    assert corpus.texts["a1"][first.start:first.end] == first.text


# ---------------------------------------------------------------------- one test per error kind


def test_malformed_json(root):
    make_corpus(root, [record(), b'{"id": "s2", "text": \n'])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field) == (str(root / "sentences.jsonl"), 2, "")
    assert issue.value == '{"id": "s2", "text":'
    assert issue.message.startswith("not valid JSON:") and "column" in issue.message


def test_line_that_is_not_an_object(root):
    make_corpus(root, [record(), b"[1, 2]\n"])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (2, "", [1, 2])
    assert issue.message == "each line must be a JSON object"


def test_unknown_task(root):
    make_corpus(root, [record(labels={"loaded": True, "slant": "left", "tone": "angry"})])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "sentences.jsonl"), 1, "labels.tone", "tone")
    assert issue.message == "unknown task; available: ['loaded', 'slant']"


@pytest.mark.parametrize("task, value, allowed", [
    ("slant", "centre", "['left', 'center', 'right']"),
    ("loaded", 1, "[False, True]"),  # 1 == True in Python, but is not the class True
    ("loaded", "true", "[False, True]"),
])
def test_unknown_class(root, task, value, allowed):
    labels = {"loaded": True, "slant": "left", task: value}
    make_corpus(root, [second(), record(labels=labels)])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "sentences.jsonl"), 2, f"labels.{task}", value)
    assert issue.message == f"unknown class; allowed: {allowed}"


def test_missing_label_for_a_declared_task(root):
    make_corpus(root, [record(labels={"loaded": True})])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "labels.slant", None)
    assert issue.message == "missing label for declared task; allowed: ['left', 'center', 'right']"


def test_duplicate_id(root):
    make_corpus(root, [record(), second(), second(id="s1")])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "sentences.jsonl"), 3, "id", "s1")
    assert issue.message == "duplicate id (first on line 1)"


@pytest.mark.parametrize("start, end", [(40, 100), (-1, 5), (20, 20), (30, 10), ("12", 36), (12, None)])
def test_offsets_outside_the_article(root, start, end):
    make_corpus(root, [record(start=start, end=end)])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "start", (start, end))
    assert issue.message == f"offsets outside the article; allowed: 0 <= start < end <= {len(ARTICLE)}"


def test_offsets_not_matching_the_stored_text(root):
    make_corpus(root, [record(start=START + 1, end=END + 1)])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "sentences.jsonl"), 1, "text", SENTENCE)
    assert issue.message == f"text does not match article[13:37] = {ARTICLE[13:37]!r}"


@pytest.mark.parametrize("start, end", [(4, 99), (-2, 3), (7, 7)])
def test_span_offsets_outside_the_sentence(root, start, end):
    make_corpus(root, [record(spans=[{"start": start, "end": end, "type": "loaded"}])])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "spans[0].start", (start, end))
    assert issue.message == f"span offsets outside the sentence; allowed: 0 <= start < end <= {len(SENTENCE)}"


def test_span_text_not_matching(root):
    spans = [{"start": 4, "end": 11, "type": "loaded", "text": "corrupt"},
             {"start": 12, "end": 18, "type": "loaded", "text": "regim"}]
    make_corpus(root, [record(spans=spans)])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "spans[1].text", "regim")
    assert issue.message == "span text does not match sentence[12:18] = 'regime'"


def test_unknown_span_type(root):
    make_corpus(root, [record(spans=[{"start": 4, "end": 11, "type": "spin"}])])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "spans[0].type", "spin")
    assert issue.message == "unknown span type; allowed: ['loaded', 'hedge', 'attribution_cue', 'source']"


def test_unknown_article_id(root):
    make_corpus(root, [record(article="a9")])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "sentences.jsonl"), 1, "article", "a9")
    assert issue.message == "unknown article id; known: ['a1']"


def test_non_utf8_line(root):
    # A second article record written in Latin-1: only that line is reported, the rest of the file is read.
    articles = [{"id": "a1", "path": "articles/a1.txt"}, '{"id": "a2", "outlet": "Caf\xe9"}\n'.encode("latin-1")]
    make_corpus(root, [record()], articles=articles)
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field) == (str(root / "articles.jsonl"), 2, "")
    assert issue.value == '{"id": "a2", "outlet": "Caf\ufffd"}'
    assert issue.message.startswith("line is not UTF-8") and "save the file as UTF-8" in issue.message


def test_missing_required_field_and_unknown_field(root):
    missing = record()
    del missing["labels"]
    make_corpus(root, [missing])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "labels", None)
    assert issue.message == "missing required field(s) ['labels']"

    make_corpus(root, [record(confidence=0.9)])
    issue = only_issue(root)
    assert (issue.line, issue.field, issue.value) == (1, "confidence", 0.9)
    assert issue.message.startswith("unknown field; allowed: ['id', 'article', ")


def test_article_label_with_an_unknown_class(root):
    # Article-level labels follow the same exact-type rule as sentence labels (1 is not True).
    make_corpus(root, [record()], articles=[{"id": "a1", "path": "articles/a1.txt", "labels": {"loaded": 1}}])
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field, issue.value) == (str(root / "articles.jsonl"), 1, "labels.loaded", 1)
    assert issue.message == "unknown class; allowed: [False, True]"


def test_every_problem_is_reported_at_once(root):
    make_corpus(root, [record(labels={"loaded": "yes", "slant": "left"}), second(article="zz"), second()])
    issues = framing.validate_corpus(root)
    assert [(i.line, i.field) for i in issues] == [(1, "labels.loaded"), (2, "article"), (3, "id")]


# ---------------------------------------------------------------------- schema errors


@pytest.mark.parametrize("tasks, field, message", [
    ({}, "tasks", "schema needs a non-empty object 'tasks'"),
    ({"t": {"type": "ordinal", "classes": ["a", "b"]}}, "tasks.t.type", "allowed: ['binary', 'multiclass']"),
    ({"t": {"type": "binary", "classes": [True, False]}}, "tasks.t.classes", "binary tasks take [false, true]"),
    ({"t": {"type": "multiclass", "classes": ["a"]}}, "tasks.t.classes", "need a list of at least 2 classes"),
    ({"t": {"type": "multiclass", "classes": ["a", 2]}}, "tasks.t.classes", "multiclass classes must be non-empty strings"),
    ({"t": {"type": "multiclass", "classes": ["a", "a"]}}, "tasks.t.classes", "classes must be unique"),
    ({"t": "binary"}, "tasks.t", "task must be an object"),
])
def test_schema_errors(root, tasks, field, message):
    root.mkdir()
    (root / "schema.json").write_text(json.dumps({"tasks": tasks}), encoding="utf-8")
    (root / "sentences.jsonl").write_text("")
    issue = only_issue(root)
    assert (issue.file, issue.line, issue.field) == (str(root / "schema.json"), None, field)
    assert issue.message == message


def test_schema_task_order_must_list_each_task_once(root):
    with pytest.raises(CorpusError) as info:
        Schema.from_dict({**SCHEMA, "task_order": ["loaded"]}, file="my-schema")
    (issue,) = info.value.issues
    assert (issue.file, issue.field, issue.value) == ("my-schema", "task_order", ["loaded"])
    assert issue.message == "must list each task once: ['loaded', 'slant']"
    ordered = Schema.from_dict({**SCHEMA, "task_order": ["slant", "loaded"]})
    assert ordered.task_names == ("slant", "loaded")


def test_malformed_and_missing_schema_file(root):
    root.mkdir()
    (root / "schema.json").write_text('{"tasks": {\n  "loaded": }', encoding="utf-8")
    (issue,) = framing.validate_corpus(root)
    assert (issue.file, issue.line) == (str(root / "schema.json"), 2)
    assert issue.message.startswith("not valid JSON")
    os.unlink(root / "schema.json")
    with pytest.raises(CorpusError, match="schema file not found"):
        load_schema(root)
    (missing,) = framing.validate_corpus(root / "nope")
    assert missing.message.startswith("corpus folder not found")


def test_schema_round_trips_through_its_json_form():
    schema = Schema.from_dict({**SCHEMA, "task_order": ["slant", "loaded"]})
    again = Schema.from_dict(json.loads(json.dumps(schema.to_dict())))
    assert again == schema
    assert again.classes("loaded") == (False, True)
    with pytest.raises(KeyError, match=r"unknown task 'tone'; available: \['slant', 'loaded'\]"):
        schema.task("tone")


# ---------------------------------------------------------------------- atomic writes


def test_write_jsonl_atomic_leaves_the_old_file_if_serialisation_fails(tmp_path):
    path = tmp_path / "data.jsonl"
    write_jsonl_atomic(path, [{"a": 1}, {"b": "ü"}])
    before = path.read_bytes()
    assert before == '{"a": 1}\n{"b": "ü"}\n'.encode()

    def records():
        yield {"a": 2}
        yield {"b": object()}  # json.dumps raises TypeError after one record was written

    with pytest.raises(TypeError):
        write_jsonl_atomic(path, records())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl"]  # no temporary file left behind

    def interrupted():
        yield {"a": 3}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_jsonl_atomic(path, interrupted())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl"]


# ---------------------------------------------------------------------- writers


@pytest.fixture
def empty_corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return root


def test_register_article_then_append_sentences_gives_a_valid_corpus(empty_corpus):
    article = register_article(empty_corpus, "a1", ARTICLE, outlet="X", date="2025-12-01")
    assert (article.id, article.path, article.outlet) == ("a1", "articles/a1.txt", "X")
    assert (empty_corpus / "articles" / "a1.txt").read_text(encoding="utf-8") == ARTICLE
    # Registered but unlabelled: valid and empty.
    assert framing.validate_corpus(empty_corpus) == []
    append_sentences(empty_corpus, [
        LabeledSentence(SENTENCE, {"loaded": True, "slant": "left"}, article="a1", id="s1", position=1, start=START, end=END,
                        spans=(Span(4, 11, "loaded", "corrupt"),)),
    ])
    append_sentences(empty_corpus, [LabeledSentence("Officials met.", {"loaded": False, "slant": "center"}, article="a1",
                                                    id="s2", start=37, end=51)])
    assert framing.validate_corpus(empty_corpus) == []
    corpus = framing.read_corpus(empty_corpus)
    assert [s.id for s in corpus.sentences] == ["s1", "s2"]
    assert corpus.articles["a1"].date == "2025-12-01"


def test_append_sentences_replaces_by_id_and_keeps_order(empty_corpus):
    append_sentences(empty_corpus, [LabeledSentence(f"Sentence {i}.", {"loaded": False, "slant": "center"}, id=f"s{i}")
                                    for i in range(3)])
    append_sentences(empty_corpus, [LabeledSentence("Sentence 1, relabelled.", {"loaded": True, "slant": "right"}, id="s1"),
                                    LabeledSentence("Sentence 3.", {"loaded": False, "slant": "left"}, id="s3")])
    corpus = framing.read_corpus(empty_corpus)
    assert [(s.id, s.text, s.labels["slant"]) for s in corpus.sentences] == [
        ("s0", "Sentence 0.", "center"), ("s1", "Sentence 1, relabelled.", "right"),
        ("s2", "Sentence 2.", "center"), ("s3", "Sentence 3.", "left")]


@pytest.mark.parametrize("sentence, field", [
    (LabeledSentence("No id.", {"loaded": True, "slant": "left"}), "id"),
    (LabeledSentence("Empty id.", {"loaded": True, "slant": "left"}, id=""), "id"),
    (LabeledSentence("Bad class.", {"loaded": True, "slant": "centre"}, id="x"), "labels.slant"),
    (LabeledSentence("Missing task.", {"loaded": True}, id="x"), "labels.slant"),
])
def test_append_sentences_refuses_invalid_sentences_and_writes_nothing(empty_corpus, sentence, field):
    append_sentences(empty_corpus, [LabeledSentence("Kept.", {"loaded": False, "slant": "center"}, id="k")])
    before = (empty_corpus / "sentences.jsonl").read_bytes()
    with pytest.raises(CorpusError) as info:
        append_sentences(empty_corpus, [LabeledSentence("Fine.", {"loaded": False, "slant": "center"}, id="ok"), sentence])
    assert [issue.field for issue in info.value.issues] == [field]
    assert (empty_corpus / "sentences.jsonl").read_bytes() == before
    assert framing.validate_corpus(empty_corpus) == []


def test_register_article_is_idempotent_for_the_same_text(empty_corpus):
    first = register_article(empty_corpus, "a1", ARTICLE, outlet="X")
    again = register_article(empty_corpus, "a1", ARTICLE, outlet="Other")
    assert again.id == first.id and again.outlet == "X"  # the stored record wins, nothing is rewritten
    lines = (empty_corpus / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


def test_register_article_refuses_the_same_id_with_another_text(empty_corpus):
    register_article(empty_corpus, "a1", ARTICLE)
    records_before = (empty_corpus / "articles.jsonl").read_bytes()
    with pytest.raises(ValueError, match=r"'a1' is already registered with a different text"):
        register_article(empty_corpus, "a1", ARTICLE + "An extra paragraph.\n")
    assert (empty_corpus / "articles" / "a1.txt").read_text(encoding="utf-8") == ARTICLE
    assert (empty_corpus / "articles.jsonl").read_bytes() == records_before


@pytest.mark.parametrize("article_id", ["", "../escape", "a/b", ".hidden"])
def test_register_article_refuses_ids_that_are_not_file_stems(empty_corpus, article_id):
    with pytest.raises(ValueError, match="invalid article id"):
        register_article(empty_corpus, article_id, ARTICLE)
    assert not (empty_corpus / "articles.jsonl").exists()


def test_crlf_articles_keep_their_offsets(empty_corpus):
    # Offsets index the text as registered; reading it back must not translate \r\n (bug fixed in corpus.py).
    text = "Headline\r\nBody with CRLF and “quotes”.\r\nTail line here.\r\n"
    register_article(empty_corpus, "crlf", text)
    assert (empty_corpus / "articles" / "crlf.txt").read_bytes() == text.encode("utf-8")
    register_article(empty_corpus, "crlf", text)  # the same text again is not "a different text"
    unit = framing.segment(text)[2]
    append_sentences(empty_corpus, [LabeledSentence(unit.text, {"loaded": False, "slant": "center"}, article="crlf",
                                                    id="c2", position=2, start=unit.start, end=unit.end)])
    assert framing.validate_corpus(empty_corpus) == []
    assert framing.read_corpus(empty_corpus).texts["crlf"] == text
