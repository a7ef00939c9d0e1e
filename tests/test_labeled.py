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
    frame_tasks = corpus.schema.frame_set("policy").tasks
    defaults = {"loaded": False, "hedged": False, "attribution": "none", "stance_russia": "neutral",
                "stance_ukraine": "neutral", "stance_us": "neutral", "stance_europe": "neutral",
                "slant": "neutral", "frame": "other", **{task: False for task in frame_tasks}}
    assert corpus.schema.task_names == ("loaded", "hedged", "attribution", "stance_russia", "stance_ukraine",
                                        "stance_us", "stance_europe", "slant", "frame", *frame_tasks)
    assert frame_tasks == tuple(f"frame_{c}" for c in corpus.schema.classes("frame") if c != "other")
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


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_adjudicated_labels_follow_the_passes(corpus):
    v3 = LABELED / "annotations" / "v3"
    passes = [{r["id"]: r for r in _jsonl(v3 / name)} for name in ("pass_a_units.jsonl", "pass_b_units.jsonl")]
    final = {r["id"]: r for r in _jsonl(v3 / "adjudication.jsonl")}
    assert set(final) == {s.id for s in corpus.sentences}, "every unit is adjudicated"
    for sentence in corpus.sentences:
        a, b, f = passes[0][sentence.id], passes[1][sentence.id], final[sentence.id]
        assert f["reason"], sentence.id
        for task in corpus.schema.task_names:
            if task == "slant" or task in corpus.schema.frame_tasks:  # derived, not annotated
                continue
            assert sentence.labels[task] == f["labels"][task], (sentence.id, task)
            if a["labels"][task] == b["labels"][task] and f["labels"][task] != a["labels"][task]:
                assert "overrules both" in f["reason"], (sentence.id, task)
            elif a["labels"][task] != b["labels"][task]:
                assert f["labels"][task] in (a["labels"][task], b["labels"][task]), (sentence.id, task)
                assert f"{task}=" in f["reason"], (sentence.id, task)


def _derive_slant(russia, ukraine):
    pro_ukraine = ukraine == "favourable" or russia == "unfavourable"
    pro_russia = russia == "favourable" or ukraine == "unfavourable"
    if pro_ukraine and not pro_russia:
        return "pro_ukraine"
    if pro_russia and not pro_ukraine:
        return "pro_russia"
    return "neutral"


def test_sentence_slant_is_derived_from_the_stances(corpus):
    for sentence in corpus.sentences:
        expected = _derive_slant(sentence.labels["stance_russia"], sentence.labels["stance_ukraine"])
        assert sentence.labels["slant"] == expected, sentence.id


def test_the_binary_frame_labels_are_derived_from_the_single_label_frame(corpus):
    policy = corpus.schema.frame_set("policy")
    for sentence in corpus.sentences:
        present = [frame for frame, task in zip(policy.frames, policy.tasks) if sentence.labels[task]]
        expected = [] if sentence.boilerplate or sentence.labels["frame"] == "other" else [sentence.labels["frame"]]
        assert present == expected, sentence.id


def test_codebook_span_constraints_hold_for_every_unit(corpus):
    """CODEBOOK §9 with the v3.1 exemptions ([source-in-context], [agentless], [headline-source])."""
    stances = ("stance_russia", "stance_ukraine", "stance_us", "stance_europe")
    for s in corpus.sentences:
        types = Counter(span.type for span in s.spans)
        if s.boilerplate:
            assert not s.spans, s.id
            continue
        assert s.labels["hedged"] == (types["hedge"] > 0), s.id
        if s.labels["loaded"]:
            assert types["loaded"] > 0, s.id
        if s.labels["attribution"] == "none":
            assert types["attribution_cue"] == 0 and types["source"] == 0, s.id
        else:
            if "[source-in-context]" not in s.note and "[agentless]" not in s.note:
                assert types["source"] > 0, s.id
            if "[source-in-context]" not in s.note and "[headline-source]" not in s.note:
                assert types["attribution_cue"] > 0, s.id
        if any(s.labels[t] != "neutral" for t in stances):
            assert s.note.strip(), s.id
        for kind in types:
            same = sorted((span.start, span.end) for span in s.spans if span.type == kind)
            assert all(x[1] <= y[0] for x, y in zip(same, same[1:])), (s.id, kind)


def test_articles_carry_slant_and_primary_frame_with_justification(corpus):
    records = _jsonl(LABELED / "articles.jsonl")
    frames = corpus.schema.classes("frame")
    assert len(records) == 5
    for record in records:
        assert record["labels"]["slant"] in corpus.schema.classes("slant")
        assert record["primary_frame"] in frames
        assert record["justification"] and record["primary_frame_justification"]


def test_cli_validate_shows_every_task_and_exits_zero():
    result = subprocess.run([sys.executable, "-m", "framing", "validate", str(LABELED)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for task in ("loaded", "hedged", "attribution", "stance_russia", "stance_ukraine", "stance_us",
                 "stance_europe", "slant", "frame"):
        assert f"{task}:" in result.stdout
    assert "pro_russia=" in result.stdout and "named=" in result.stdout
