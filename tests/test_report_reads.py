"""The report only reads (issue #18, item 2): each test guards one defect of the report that drove the model.

* one boilerplate answer per unit: ``predict_proba(["Sign in to comment"], "boilerplate")`` said 0.536 while
  the report said 0.912 (the shape prior was applied on each read of ``ScoredSentences.boilerplate``);
* a long text was featurised twice (the chunked report called the model back for a second pass);
* reports kept the feature matrix alive (through the lazy evidence);
* ``report.sentences`` built a new unit on each read, and an assignment to a unit was silently lost;
* the report package imported the features.
"""

from __future__ import annotations

import ast
import dataclasses
import gc
import pickle
from collections.abc import Sequence
from pathlib import Path

import pytest
import scipy.sparse as sp

import framing
import framing.model._model
from framing.report import ArticleReport, SentenceTable
from framing.text import segment

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "labeled" / "articles").glob("*.txt"))
FURNITURE = "Sign in to comment"


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def seed_text():
    return "\n\n".join(path.read_text(encoding="utf-8") for path in SEEDS)


# ---------------------------------------------------------------------- one boilerplate answer per unit


def test_every_way_of_asking_gives_the_same_boilerplate_probability(model):
    true = list(model.classes("boilerplate")).index(True)
    head_alone = float(model.classifiers["boilerplate"].predict_proba([FURNITURE])[0, true])
    decided = float(model.predict_proba([FURNITURE], "boilerplate")[0, true])
    # The shape prior moves this unit (a furniture phrase, not a sentence) up: the two numbers must differ.
    assert head_alone + 0.05 < decided
    answers = {
        "predict_all": float(model.predict_all([FURNITURE])["boilerplate"][0, true]),
        "score_sentences": float(model.score_sentences([FURNITURE]).boilerplate[0]),
        "score_sentences probabilities": float(model.score_sentences([FURNITURE]).probabilities["boilerplate"][0, true]),
        "score": model.score(FURNITURE).sentences[0].boilerplate,
        "score_many": next(model.score_many([FURNITURE])).sentences[0].boilerplate,
        "explain": model.explain(FURNITURE, "boilerplate")["probabilities"]["true"],
    }
    assert answers == {name: decided for name in answers}
    assert model.score(FURNITURE).to_dict()["sentences"][0]["boilerplate"] == round(decided, 6)
    assert model.explain(FURNITURE, "boilerplate")["class"] is True and model.predict([FURNITURE], "boilerplate") == [True]


def test_dask_records_use_the_same_boilerplate_decision(model):
    pytest.importorskip("dask")
    record = framing.score_partition([FURNITURE], model, detail="report")[0]
    assert record["report"]["sentences"][0]["boilerplate"] == round(float(model.predict_proba([FURNITURE], "boilerplate")[0, 1]), 6)
    assert record["n_sentences"] == 0


def test_the_prior_is_applied_once_per_unit_in_the_model(model, seed_text, monkeypatch):
    monkeypatch.setattr(framing.model._model, "SCORE_CHUNK_UNITS", 50)
    applied = []
    real = framing.model._model.adjust_boilerplate

    def counting(probabilities, texts):
        applied.append(len(texts))
        return real(probabilities, texts)

    monkeypatch.setattr(framing.model._model, "adjust_boilerplate", counting)
    report = model.score(seed_text)
    report.to_dict()
    # A unit that mixes quotation and the author's words is also scored as its two parts (author_rates).
    n_mixed = sum(voice.voice == "mixed" for voice in model.voices(seed_text))
    assert report.n_units == len(segment(seed_text))
    assert sum(applied) == report.n_units + 2 * n_mixed
    scored = model.score_sentences([FURNITURE])
    applied.clear()
    assert scored.boilerplate[0] == scored.boilerplate[0] and not applied  # a stored array, not a property


# ---------------------------------------------------------------------- the model owns chunking


def test_a_long_text_is_featurised_once_per_unit(model, seed_text, monkeypatch):
    monkeypatch.setattr(framing.model._model, "SCORE_CHUNK_UNITS", 50)
    n_units = len(segment(seed_text))
    assert n_units > 3 * 50  # several chunks
    featurised = []
    for _, block in model.features.transformer_list:
        # A block is featurised through its transform, or through the arrays its rows are made of (the union's
        # fast path): count both.
        for method in ("transform", "_csr_parts"):
            original = getattr(block, method, None)
            if original is None:
                continue

            def counting(texts, _original=original, _block=block):
                featurised.append((id(_block), len(texts)))
                return _original(texts)

            monkeypatch.setattr(block, method, counting, raising=False)
    report = model.score(seed_text)
    report.to_dict()
    report.summary()
    per_block: dict[int, int] = {}
    for block_id, count in featurised:
        per_block[block_id] = per_block.get(block_id, 0) + count
    assert len(per_block) == len(model.features.transformer_list)
    # Each unit once, and the two parts of each unit that mixes quotation and the author's words once each.
    n_mixed = sum(voice.voice == "mixed" for voice in model.voices(seed_text))
    assert set(per_block.values()) == {n_units + 2 * n_mixed}


def _reachable(root, limit: int = 500_000):
    """Every object reachable from ``root`` through ``gc.get_referents`` (classes, modules and models not followed)."""
    seen, stack, found = set(), [root], []
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (type, type(sp))):
            continue
        seen.add(id(item))
        found.append(item)
        assert len(found) < limit, "the walk did not end: the report reaches too much"
        if not isinstance(item, framing.Model):
            stack.extend(gc.get_referents(item))
    return found


@pytest.mark.parametrize("read", [False, True])
def test_a_report_holds_no_feature_matrix_nor_the_model(model, seed_text, read, monkeypatch):
    monkeypatch.setattr(framing.model._model, "SCORE_CHUNK_UNITS", 100)
    for text in (SEEDS[0].read_text(encoding="utf-8"), seed_text):
        report = model.score(text)
        if read:
            report.to_dict()
            report.summary()
            list(report.sentences)
        reachable = _reachable(report)
        assert not [item for item in reachable if sp.issparse(item)]
        assert not [item for item in reachable if isinstance(item, framing.Model)]
        # Nor the model's ~60,000 feature names: only those the evidence shows.
        assert not any(item is model.feature_names for item in reachable)


# ---------------------------------------------------------------------- immutable units, an honest sequence


@pytest.fixture(scope="module")
def report(model):
    return model.score(SEEDS[2].read_text(encoding="utf-8"))


def test_units_are_frozen(report):
    unit = report.sentences[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        unit.boilerplate = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        unit.text = "changed"
    assert report.sentences[0].boilerplate == unit.boilerplate < 1.0


def test_sentences_are_a_read_only_sequence_and_an_index_reads_the_same_object(report):
    sentences = report.sentences
    assert isinstance(sentences, Sequence) and isinstance(sentences, SentenceTable)
    assert sentences[0] is sentences[0] and sentences[-1] is sentences[len(sentences) - 1]
    assert sentences[2:5][0] is sentences[2]
    with pytest.raises(TypeError):
        sentences[0] = sentences[1]
    with pytest.raises(TypeError, match="integers or slices"):
        sentences["0"]
    as_list = list(sentences)
    assert sentences == as_list and as_list == sentences and sentences[1:4] == as_list[1:4]
    assert sentences != as_list[:-1]
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_sentences_pickle_and_keep_equal_units(report):
    copy = pickle.loads(pickle.dumps(report.sentences))
    assert isinstance(copy, SentenceTable) and copy == report.sentences and copy[0] is copy[0]
    assert pickle.loads(pickle.dumps(report.sentences[3])) == report.sentences[3]


def test_the_type_of_sentences_is_documented():
    doc = ArticleReport.__doc__
    assert "sentences : SentenceTable" in doc and "collections.abc.Sequence" in doc and "same" in doc


# ---------------------------------------------------------------------- layering


def test_the_report_package_imports_neither_the_model_nor_the_features():
    offending = []
    for path in sorted((REPO / "framing" / "report").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if any(part in name for part in ("..features", "..model", "framing.features", "framing.model")):
                    offending.append(f"{path.name}: {name}")
    assert not offending
