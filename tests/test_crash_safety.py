"""Crash-safe labels at the library level: writers killed with SIGKILL, and concurrent writers.

Writer processes loop over :func:`framing.data._writing.register_article` and
:func:`framing.data.append_sentences` and print each id once its call has
returned (flushed): only those ids count as confirmed. Afterwards the corpus
must validate and hold every confirmed sentence. (The ``framing label`` CLI
has its own kill test.)
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import framing
from framing.data import LabeledSentence, append_sentences

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or sys.platform == "win32", reason="POSIX only")

WRITER = textwrap.dedent(
    """
    import itertools, sys
    from framing.data import LabeledSentence, append_sentences
    from framing.data._writing import register_article

    root, prefix, count, with_articles = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    padding = " ".join(["filler"] * 60)
    for i in (itertools.count() if count < 0 else range(count)):
        sentence_id = f"{prefix}-{i}"
        text = f"Sentence {i} of {prefix} {padding}."
        if with_articles:
            article_id = f"{prefix}-art{i}"
            headline = f"Headline {i}\\n"
            register_article(root, article_id, headline + text + "\\nTail.\\n", outlet="test")
            sentence = LabeledSentence(text, {"loaded": i % 2 == 0}, article=article_id, id=sentence_id,
                                       position=1, start=len(headline), end=len(headline) + len(text))
        else:
            sentence = LabeledSentence(text, {"loaded": i % 3 == 0}, id=sentence_id)
        append_sentences(root, [sentence])
        print(sentence_id, flush=True)
    """
)


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_text(json.dumps({"tasks": {"loaded": {"type": "binary", "classes": [False, True]}}}))
    # Seed it so that every rewrite takes a while: kills then land mid-write often.
    padding = "seed " * 100
    seed = [LabeledSentence(f"Seed sentence {i}. {padding}", {"loaded": i % 2 == 0}, id=f"seed-{i}") for i in range(2000)]
    append_sentences(root, seed)
    assert framing.validate_corpus(root) == []
    return root


@pytest.fixture
def writer_script(tmp_path):
    path = tmp_path / "writer.py"
    path.write_text(WRITER)
    return path


def start_writer(script, root, prefix, count=-1, with_articles=False):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, str(script), str(root), prefix, str(count), "1" if with_articles else "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def confirmed_ids(output):
    """Ids on complete lines only: a line cut by the kill does not count."""
    return [line for line in output.split("\n")[:-1] if line]


def check_corpus(root, confirmed):
    issues = framing.validate_corpus(root)
    assert issues == [], "\n".join(map(str, issues))
    corpus = framing.read_corpus(root)
    ids = [s.id for s in corpus.sentences]
    assert len(ids) == len(set(ids))
    missing = [i for i in confirmed if i not in set(ids)]
    assert not missing, f"confirmed sentences lost: {missing[:10]}"
    assert sum(1 for i in ids if i.startswith("seed-")) == 2000
    return ids


def test_writer_killed_with_sigkill_at_random_moments(corpus, writer_script):
    seed = 20251130
    rng = random.Random(seed)
    confirmed = []
    for round_number in range(8):
        prefix = f"r{round_number}"
        process = start_writer(writer_script, corpus, prefix, with_articles=round_number % 2 == 1)
        first = process.stdout.readline()  # the writer is up and has confirmed one append
        assert first.endswith("\n"), process.stderr.read()
        time.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        ids = confirmed_ids(first + rest)
        assert ids and ids == [f"{prefix}-{i}" for i in range(len(ids))], f"seed {seed}"
        confirmed.extend(ids)
        check_corpus(corpus, confirmed)  # after every kill, not only at the end
    ids = check_corpus(corpus, confirmed)
    # Confirmed sentences keep their order; at most one unconfirmed (finished but not yet printed) per round.
    written = [i for i in ids if not i.startswith("seed-")]
    assert [i for i in written if i in set(confirmed)] == confirmed
    assert len(written) - len(confirmed) <= 8


def test_two_writers_append_to_the_same_corpus_at_once(corpus, writer_script):
    processes = [start_writer(writer_script, corpus, prefix, count=30, with_articles=prefix == "b") for prefix in ("a", "b")]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_, stderr) in zip(processes, outputs):
        assert process.returncode == 0, stderr
    confirmed = [ids for ids in (confirmed_ids(out) for out, _ in outputs)]
    assert [len(ids) for ids in confirmed] == [30, 30]
    ids = check_corpus(corpus, confirmed[0] + confirmed[1])
    assert len(ids) == 2000 + 60  # no append was lost to a race
    for prefix in ("a", "b"):
        assert [i for i in ids if i.startswith(prefix + "-")] == [f"{prefix}-{n}" for n in range(30)]
    assert len(framing.read_corpus(corpus).articles) == 30


def test_two_writers_killed_while_racing(corpus, writer_script):
    rng = random.Random(20251201)
    confirmed = []
    for round_number in range(3):
        processes = [start_writer(writer_script, corpus, f"k{round_number}{p}", with_articles=p == "y") for p in ("x", "y")]
        firsts = [process.stdout.readline() for process in processes]
        time.sleep(rng.uniform(0.0, 0.3))
        for process in processes:
            process.send_signal(signal.SIGKILL)
        for process, first in zip(processes, firsts):
            rest, _ = process.communicate(timeout=60)
            confirmed.extend(confirmed_ids(first + rest))
        check_corpus(corpus, confirmed)


def test_a_failed_append_changes_nothing(corpus):
    before = (corpus / "sentences.jsonl").read_bytes()
    with pytest.raises(framing.CorpusError):
        append_sentences(corpus, [LabeledSentence("Bad label.", {"loaded": "maybe"}, id="bad-1")])
    with pytest.raises(framing.CorpusError):
        append_sentences(corpus, [LabeledSentence("Unknown task.", {"loaded": True, "other": 1}, id="bad-2")])
    assert (corpus / "sentences.jsonl").read_bytes() == before
