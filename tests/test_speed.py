"""The fast paths of issue #13 compute exactly what the plain ones compute (no timing here: see benchmarks/).

Each test holds a fast path against a slow, obviously correct reference:
the FeatureUnion shortcut against ``FeatureUnion.transform``, the indexed
lexicon matcher against a brute-force one, the arg-max rounds and the
partitioned ranking against a full sort, term totals added chunk by chunk
against one bincount, the chunked report against the one-pass report and
against the evidence of the whole feature matrix. The seed articles' outputs
are held against ``tests/data/seed_outputs.json`` in ``tests/test_layout.py``.
"""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing import cli
from framing.data._io import json_line, write_report_line
from framing.features import make_features, transform_in_batches, transform_union
from framing.lexicon._lexicon import GroupedMatcher, LexiconEntry, LexiconMatcher
from framing.report._evidence import TermTotals, ranked_features, row_entries, top_contribution_arrays, top_contributions
from framing.report._html import article_html
from framing.report._report import SentenceTable, build_report
from framing.text import segment

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "labeled" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def seed_text():
    return "\n\n".join(path.read_text(encoding="utf-8") for path in SEEDS)


# The bundled model's outputs on the seed articles against tests/data/seed_outputs.json (within float tolerance):
# tests/test_layout.py::test_seed_article_outputs_equal_the_stored_ones_within_float_tolerance.


# ---------------------------------------------------------------------- features


TEXTS = [
    "The corrupt regime reportedly lied, analysts say.",
    'Rubio said: "The so-called peace plan may fail," according to a senior U.S. official.',
    "Kyiv’s “puppet” government — Reuters",
    "",
    "http://example.com and www.example.org 2025",
    "Ελληνικά κείμενα και русский текст.",
    "_underscored words_ and 3.5% growth",
]


def test_the_union_shortcut_equals_feature_union_transform(model):
    expected = model.features.transform(TEXTS)
    actual = transform_union(model.features, TEXTS)
    assert actual.format == "csr" and actual.shape == expected.shape
    assert (actual != expected).nnz == 0
    assert np.array_equal(actual.indices, sp.csr_matrix(expected).indices)
    assert np.array_equal(actual.data, sp.csr_matrix(expected).data)


def test_the_union_shortcut_defers_when_the_union_is_not_plain():
    union = make_features().fit(TEXTS)
    union.set_params(n_jobs=2)
    assert (transform_union(union, TEXTS) != union.set_params(n_jobs=None).transform(TEXTS)).nnz == 0


def test_batches_equal_one_transform(model):
    texts = TEXTS * 5
    assert (transform_in_batches(model.features, texts, batch_size=3) != model.features.transform(texts)).nnz == 0


def _brute_force(entries, tokens):
    """Every (entry, start, end) whose words match at start: the definition of a lexicon match."""
    found = []
    for index, entry in enumerate(entries):
        words = entry.term.split()
        for start in range(len(tokens) - len(words) + 1):
            ok = True
            for k, word in enumerate(words):
                token = tokens[start + k]
                if word.endswith("*"):
                    ok = token.startswith(word[:-1])
                else:
                    ok = token == word or (len(words) == 1 and len(word) >= 4 and not word.endswith("s")
                                           and token == word + "s")
                if not ok:
                    break
            if ok:
                found.append((index, start, start + len(words)))
    return sorted(found, key=lambda item: (item[1], item[0]))


WORDS = ["the", "kyiv", "regime", "regimes", "talk", "talks", "capitulat*", "capitulation", "so-called", "peace",
         "plan", "u.s", "officials", "of", "the*", "reg*"]


@settings(max_examples=150, deadline=None)
@given(terms=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8,
                      unique=True),
       tokens=st.lists(st.sampled_from([w.rstrip("*") for w in WORDS] + ["capitulates", "regimental"]), max_size=12))
def test_the_indexed_matcher_equals_brute_force(terms, tokens):
    entries = [LexiconEntry("loaded", term, "x") for term in terms]
    matcher = LexiconMatcher(entries)
    assert matcher.match(tokens) == _brute_force(entries, tokens)
    assert matcher.match(tokens) == _brute_force(entries, tokens)  # again, from the per-token cache


def test_a_grouped_matcher_equals_one_matcher_per_group():
    groups = {"a": [LexiconEntry("hedge", "may", "modal"), LexiconEntry("hedge", "reportedly", "x")],
              "b": [LexiconEntry("attribution", "said", "speech"), LexiconEntry("attribution", "may", "x")],
              "empty": []}
    grouped = GroupedMatcher(groups)
    tokens = ("he", "may", "have", "said", "it", "reportedly", "may")
    assert grouped.match(tokens) == {name: LexiconMatcher(entries).match(tokens) for name, entries in groups.items()}


# ---------------------------------------------------------------------- evidence


def _reference_top(X, relative, classes, top, names):
    X = sp.csr_matrix(X)
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    contribution = relative[classes[rows], X.indices] * X.data
    positive = np.flatnonzero(contribution > 0)
    order = positive[np.lexsort((-contribution[positive], rows[positive]))]
    result = [[] for _ in range(X.shape[0])]
    for position in order:
        if len(result[rows[position]]) < top:
            result[rows[position]].append((names[X.indices[position]], contribution[position]))
    return result


@pytest.mark.parametrize("seed", range(5))
def test_top_contributions_equal_a_full_sort_ties_included(seed):
    rng = np.random.default_rng(seed)
    X = sp.random(30, 40, density=0.3, random_state=seed, format="csr")
    X.data = np.round(X.data * 4) / 4 + 0.25  # few distinct values: many ties
    relative = np.round(rng.normal(size=(3, 40)) * 2) / 2
    classes = rng.integers(0, 3, 30)
    names = [f"f{i}" for i in range(40)]
    for top in (1, 3, 50):
        assert top_contributions(X, relative, classes, top, names) == _reference_top(X, relative, classes, top, names)
    columns, values = top_contribution_arrays(X, relative, classes, 3)
    assert columns.shape == values.shape == (30, 3)


def test_class_evidence_terms_equal_the_dense_computation(model, seed_text):
    units = [unit.text for unit in segment(seed_text)][:120]
    scored = model.score_sentences(units)
    rows = np.arange(0, 120, 2)
    for task in ("loaded", "attribution", "frame_economic"):
        p = scored.probabilities[task][rows]
        weights = {c: p[:, c] for c in range(p.shape[1])}
        fast = scored.class_evidence_terms(rows, task, weights, top=6)
        for c, row_weights in weights.items():
            totals = np.asarray(scored.X[rows].T @ row_weights).ravel() * scored.relative_coef[task][c]
            order = [i for i in np.argsort(-totals, kind="stable")[:6] if totals[i] > 0]
            assert [name for name, _ in fast[c]] == [str(scored.feature_names[i]) for i in order]
            assert np.allclose([v for _, v in fast[c]], totals[order], rtol=1e-12, atol=0)


# ---------------------------------------------------------------------- reports


def _report_in_chunks(model, text, chunk_size, evidence=3):
    units = segment(text)
    article = model._score_units([u.text for u in units], evidence, chunk_size)
    return build_report(units, article, polar=model.schema.polarity, model_info=model._report_metadata(),
                        reliability=model.reliability())


@pytest.mark.parametrize("chunk_size", [1, 13, 100, 10_000])
def test_a_report_in_chunks_equals_the_one_pass_report(model, seed_text, chunk_size):
    one_pass = _report_in_chunks(model, seed_text, len(segment(seed_text)))
    chunked = _report_in_chunks(model, seed_text, chunk_size)
    assert json.dumps(chunked.to_dict(), sort_keys=True) == json.dumps(one_pass.to_dict(), sort_keys=True)
    assert chunked.summary() == one_pass.summary()


def test_score_switches_to_chunks_for_a_long_text_and_says_the_same(model, seed_text, monkeypatch):
    expected = model.score(seed_text).to_dict()
    monkeypatch.setattr(framing.model._model, "SCORE_CHUNK_UNITS", 50)
    assert len(segment(seed_text)) > 50
    assert model.score(seed_text).to_dict() == expected


def test_report_evidence_equals_the_evidence_of_the_whole_feature_matrix(model, seed_text):
    # The reference: every number recomputed from one feature matrix of the whole text, by the plain
    # ScoredSentences methods (a full sort per row, one bincount per class), against the report built in chunks.
    units = segment(seed_text)
    scored = model.score_sentences([u.text for u in units])
    report = _report_in_chunks(model, seed_text, 37, evidence=4)
    rows = np.flatnonzero(scored.boilerplate < 0.5)
    assert [s.boilerplate for s in report.sentences] == scored.boilerplate.tolist()
    for task in model.tasks:
        best = scored.probabilities[task].argmax(axis=1)
        expected = scored.top_contributions(task, best, 4)
        assert [dict(s.evidence)[task] for s in report.sentences] == expected, task
        classes = model.classes(task)
        for c, cls in enumerate(classes):
            if classes == (False, True) and cls is False:
                continue
            p = scored.probabilities[task][rows, c]
            terms = scored.class_evidence_terms(rows, task, {c: p}, top=5)[c]
            assert report.top_terms[task][framing._util.class_key(cls)] == terms, (task, cls)
            order = [i for i in np.argsort(-p, kind="stable")[:4] if p[i] >= 1 / len(classes)]
            top = report.top_sentences[task][framing._util.class_key(cls)]
            assert [t["index"] for t in top] == [int(rows[i]) for i in order]
            assert [t["features"] for t in top] == [[[n, round(v, 6)] for n, v in scored.row_contributions(int(rows[i]), task, c, 4)]
                                                    for i in order]


@pytest.mark.parametrize("entries", [1, 500, 5_000])
def test_evidence_in_blocks_of_rows_equals_one_pass(model, seed_text, monkeypatch, entries):
    import framing.report._evidence as evidence

    one_pass = model.score(seed_text).to_dict()
    monkeypatch.setattr(evidence, "STACKED_ENTRIES", entries)
    assert model.score(seed_text).to_dict() == one_pass
    monkeypatch.setattr(framing.model._model, "SCORE_CHUNK_UNITS", 50)
    assert model.score(seed_text).to_dict() == one_pass


def test_term_totals_in_chunks_equal_one_bincount():
    rng = np.random.default_rng(0)
    X = sp.random(40, 30, density=0.4, random_state=1, format="csr")
    weights = rng.random(40)
    rows = np.arange(40)
    whole = TermTotals()
    whole.add(*row_entries(X, rows), {"k": weights})
    pieces = TermTotals()
    for start in range(0, 40, 7):
        part = rows[start:start + 7]
        pieces.add(*row_entries(X, part), {"k": weights[part]})
    assert np.array_equal(whole.columns, pieces.columns) and np.array_equal(whole.sums["k"], pieces.sums["k"])
    columns, values, row_of_value = row_entries(X, rows)
    reference = np.bincount(columns, weights=values * weights[row_of_value], minlength=30)
    assert np.array_equal(reference[whole.columns], whole.sums["k"])


@pytest.mark.parametrize("seed", range(4))
def test_ranked_features_equal_a_full_stable_sort(seed):
    rng = np.random.default_rng(seed)
    values = np.round(rng.normal(size=200) * 3) / 2  # few distinct values: many ties across the cut
    names = [f"f{i}" for i in range(200)]
    for top in (1, 3, 5, 60, 500):
        positive = np.flatnonzero(values > 0)
        order = positive[np.argsort(-values[positive], kind="stable")[:top]]
        assert ranked_features(values, np.arange(200), names, top) == [(names[i], float(values[i])) for i in order]


def test_reports_pickle_with_their_arrays_and_equal_values(model):
    report = model.score(SEEDS[1].read_text(encoding="utf-8"))
    copy = pickle.loads(pickle.dumps(report))
    assert type(copy.sentences) is SentenceTable and type(copy.top_terms) is dict
    assert type(copy.sentences[0].evidence) is dict
    assert copy.sentences == report.sentences and copy.to_dict() == report.to_dict()
    # Only the feature names the evidence uses travel with a report, not the model's ~60,000.
    assert len(copy.sentences._names) < 0.1 * len(model.feature_names)


def test_a_sentence_table_behaves_like_a_list(model):
    report = model.score(SEEDS[2].read_text(encoding="utf-8"))
    table = report.sentences
    assert isinstance(table, SentenceTable)
    as_list = list(table)
    assert len(table) == len(as_list) and table == as_list and table[-1] == as_list[-1]
    assert table[1:4] == as_list[1:4] and [s.index for s in table[::50]] == [s.index for s in as_list[::50]]
    with pytest.raises(IndexError, match="out of range"):
        table[len(table)]
    assert report.n_sentences == sum(1 for s in as_list if not s.is_boilerplate)


def test_a_report_line_written_unit_by_unit_equals_the_whole_line(model):
    report = model.score(SEEDS[3].read_text(encoding="utf-8"))
    prefix = {"id": "x", "path": "x.txt"}
    for sentences in (True, False):
        out = io.StringIO()
        write_report_line(out, prefix, report, sentences=sentences)
        record = {**prefix, **report.to_dict()}
        if not sentences:
            record.pop("sentences")
        assert out.getvalue() == json_line(record) + "\n"


# ---------------------------------------------------------------------- huge texts


def test_the_page_of_a_huge_text_is_capped_with_a_note(model, monkeypatch):
    text = SEEDS[0].read_text(encoding="utf-8")
    record = model.score(text).to_dict()
    monkeypatch.setattr(framing.report._html, "HTML_MAX_UNITS", 5)
    html = article_html(text, record)
    assert html.count('<span class="s" ') == 5
    assert f"Only the first 5 of {record['n_units']:,} units are shown" in html
    assert text[-200:].split()[-1] not in html.split("Only the first")[1]


def test_cli_html_of_a_long_text_keeps_only_the_first_units(tmp_path, monkeypatch, capsys):
    article = tmp_path / "long.txt"
    article.write_text("\n".join(path.read_text(encoding="utf-8") for path in SEEDS), encoding="utf-8")
    monkeypatch.setattr(framing.report._html, "HTML_MAX_UNITS", 20)
    page = tmp_path / "page.html"
    assert cli.main(["score", "--quiet", "--html", str(page), str(article)]) == 0
    content = page.read_text(encoding="utf-8")
    assert "Only the first 20 of" in content
    assert "scored sentences" in capsys.readouterr().out


def test_a_reports_unit_records_equal_its_units_to_dict(model, seed_text):
    """``to_dict()`` makes the unit records from the arrays in bulk: the same dicts as each unit's ``to_dict()``."""
    report = model.score(seed_text)
    assert len(report.sentences) > 50
    records = report.to_dict()["sentences"]
    assert records == [unit.to_dict() for unit in report.sentences]
    assert json.dumps(records) == json.dumps([unit.to_dict() for unit in report.sentences])
    assert report.to_dict(max_sentences=7)["sentences"] == records[:7]
    assert report.to_dict(max_sentences=0)["sentences"] == []


@pytest.mark.parametrize("columns, values", [
    # Padding after each task's entries (what the model writes), and padding before an entry (any table).
    ([[0, 1, -1, 2, -1, -1]], [[0.5, 0.25, 0.0, 0.125, 0.0, 0.0]]),
    ([[-1, 1, 0, -1, -1, 2]], [[0.0, 0.25, 0.5, 0.0, 0.0, 0.125]]),
    ([[0, -1, -1, 1, 2, -1], [-1, -1, -1, -1, -1, -1]], [[0.5, 0.0, 0.0, 0.25, 0.125, 0.0], [0.0] * 6]),
])
def test_unit_records_read_the_evidence_of_any_table_as_its_units_do(columns, values):
    from framing.report import SentenceTable
    from framing.text import segment

    units = segment("Talks began. They failed.")[:len(columns)]
    classes = {"a": (False, True), "b": (False, True)}
    probabilities = {task: np.tile([0.25, 0.75], (len(units), 1)) for task in classes}
    columns, values = np.asarray(columns), np.asarray(values)
    table = SentenceTable(units, classes, probabilities, np.zeros(len(units)), [() for _ in units],
                          np.asarray(["word:a", "word:b", "char:c"], dtype=object),
                          {"a": columns[:, :3], "b": columns[:, 3:]}, {"a": values[:, :3], "b": values[:, 3:]})
    assert table.records() == [unit.to_dict() for unit in table]


@pytest.mark.parametrize("evidence", [0, 1, 5])
def test_unit_records_equal_the_units_for_any_amount_of_evidence(model, evidence):
    report = model.score(SEEDS[1].read_text(encoding="utf-8"), evidence=evidence)
    assert report.to_dict()["sentences"] == [unit.to_dict() for unit in report.sentences]
