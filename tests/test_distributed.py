"""Scale-out scoring: framing.parallel._dask on pandas partitions, dask collections and a LocalCluster of processes.

The placeholder bundled model is saved to a temporary folder so that the
tests exercise the real path-based loading on the workers. Only behaviour is
asserted: distributed results must equal local scoring exactly.
"""

from __future__ import annotations

import json
import os
import pickle

import numpy as np
import pytest

import framing
from framing.parallel._dask import (
    cache_info,
    clear_cache,
    load_cached,
    output_columns,
    score_bag,
    score_dataframe,
    score_partition,
    summarize,
)

pd = pytest.importorskip("pandas")

ARTICLES = [
    "",
    "   \n\t ",
    "Talks stall in Florida\nThe corrupt regime reportedly rejected the plan, analysts say. Rubio met Umerov on Sunday.",
    "Officials said the delegations would meet again. \"It was productive,\" Zelensky said.",
    "<p>The <b>regime</b> said talks may fail.</p>",
    "مرحبا بالعالم. Kyiv 🇺🇦 says talks continue\u200b.\r\nSecond line\rThird line\u2028Fourth.",
    "word " * 3000,
    "Moscow blamed the West. Sources close to the Kremlin suggested a deal is possible.",
]


@pytest.fixture(scope="module")
def model():
    return framing.load()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, model):
    return str(model.save(tmp_path_factory.mktemp("models") / "placeholder"))


@pytest.fixture(scope="module")
def expected(model):
    return [summarize(model.score(text)) for text in ARTICLES]


def _same(a, b):
    """Equality of summaries where NaN == NaN (dataframes) and None == NaN (records)."""
    assert a.keys() == b.keys()
    for key in a:
        x, y = _missing_as_none(a[key]), _missing_as_none(b[key])
        assert x == y, key


def _missing_as_none(value):
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


# ---------------------------------------------------------------------- in process


def test_a_model_shipped_to_a_worker_scores_the_same(model):
    # score_partition(model_path=<Model>) sends the model itself to dask workers, pickled.
    again = pickle.loads(pickle.dumps(model))
    texts = ["The corrupt regime reportedly lied, analysts say.", "Talks began on Monday."]
    for task in model.tasks:
        np.testing.assert_array_equal(again.predict_proba(texts, task), model.predict_proba(texts, task))
    assert again.score(texts[0]).to_dict() == model.score(texts[0]).to_dict()


def test_cache_loads_once_and_reloads_a_replaced_model(model_dir, model):
    clear_cache()
    first = load_cached(model_dir)
    assert load_cached(model_dir) is first
    assert load_cached(os.path.join(model_dir, ".")) is first  # keyed by the resolved path
    assert cache_info()["loads"] == 1 and cache_info()["hits"] == 2
    model.save(model_dir)  # a new model at the same path is picked up
    assert load_cached(model_dir) is not first
    assert cache_info()["loads"] == 2
    clear_cache()
    assert cache_info() == {"loads": 0, "hits": 0, "models": [], "pid": os.getpid()}


def test_cache_refuses_a_bad_folder_and_does_not_cache_the_failure(tmp_path):
    clear_cache()
    with pytest.raises(framing.ModelFormatError):
        load_cached(tmp_path / "missing")
    with pytest.raises(framing.ModelFormatError):
        score_partition(["text"], tmp_path / "missing")
    assert cache_info()["loads"] == 0 and cache_info()["models"] == []


def test_list_of_texts_equals_local_scoring(model_dir, expected):
    rows = score_partition(ARTICLES, model_dir)
    assert len(rows) == len(ARTICLES)
    for row, want in zip(rows, expected):
        assert row == want
    assert rows[0]["n_units"] == 0 and rows[0]["slant_index"] is None


def test_generator_partition_and_report_detail(model_dir, model):
    rows = score_partition((text for text in ARTICLES[:4]), model_dir, detail="report", evidence=2)
    for row, text in zip(rows, ARTICLES[:4]):
        assert row["report"] == model.score(text, evidence=2).to_dict()
        json.dumps(row)  # records stay JSON-serialisable


def test_records_keep_their_fields(model_dir, expected):
    records = [{"id": index, "outlet": "x", "text": text} for index, text in enumerate(ARTICLES)]
    rows = score_partition(records, model_dir)
    for index, (row, want) in enumerate(zip(rows, expected)):
        assert row["id"] == index and row["outlet"] == "x" and row["text"] == ARTICLES[index]
        assert {k: row[k] for k in want} == want
    assert records[0].keys() == {"id", "outlet", "text"}  # inputs are not modified
    rows = score_partition([{"body": "Talks began."}], model_dir, text_column="body")
    assert rows[0]["n_units"] == 1
    with pytest.raises(KeyError, match="text_column"):
        score_partition([{"body": "x"}], model_dir)


def test_missing_and_binary_values(model_dir, model):
    rows = score_partition([None, float("nan"), b"caf\xc3\xa9 \xff said.", {"text": None}], model_dir)
    assert [row["n_units"] for row in rows] == [0, 0, 1, 0]
    assert rows[2] == summarize(model.score("café \ufffd said."))
    with pytest.raises(TypeError, match="item 0"):
        score_partition([42], model_dir)
    with pytest.raises(TypeError, match="single str"):
        score_partition("just one text", model_dir)
    with pytest.raises(ValueError, match="detail"):
        score_partition([], model_dir, detail="everything")
    assert score_partition([], model_dir) == []


def test_model_object_and_bundled_model(model, expected):
    assert score_partition(ARTICLES[:3], model) == expected[:3]
    assert score_partition(ARTICLES[:3], None) == expected[:3]


def test_pandas_partition(model_dir, model, expected):
    frame = pd.DataFrame({"id": range(len(ARTICLES)), "text": ARTICLES}, index=[f"a{i}" for i in range(len(ARTICLES))])
    out = score_partition(frame, model_dir)
    assert list(out.index) == list(frame.index)
    names = [name for name, _ in output_columns(model)]
    assert list(out.columns) == ["id", "text"] + names
    assert {name: str(out[name].dtype) for name, _ in output_columns(model)} == dict(output_columns(model))
    for (_, row), want in zip(out.iterrows(), expected):
        _same({k: row[k] for k in want}, want)
    assert set(names) >= {"slant_index", "rate.loaded", "share.slant.pro_ukraine", "dominant.attribution", "rate.frame_economic"}
    scores_only = score_partition(frame, model_dir, keep_columns=False)
    assert list(scores_only.columns) == names and list(scores_only.index) == list(frame.index)
    with pytest.raises(KeyError, match="text_column"):
        score_partition(frame, model_dir, text_column="body")


def test_pandas_partition_edge_cases(model_dir, model):
    empty = score_partition(pd.DataFrame({"text": pd.Series([], dtype=object)}), model_dir)
    assert len(empty) == 0 and list(empty.columns) == ["text"] + [n for n, _ in output_columns(model)]
    frame = pd.DataFrame({"text": ["Talks began.", None], "n_units": [-1, -1]})
    out = score_partition(frame, model_dir, detail="report")
    assert list(out["n_units"]) == [1, 0]  # a clashing input column is replaced
    assert json.loads(out["report"].iloc[0]) == json.loads(json.dumps(model.score("Talks began.").to_dict()))
    assert out["slant_index"].isna().iloc[1]


def test_dask_collections_without_a_cluster(model_dir, model, expected):
    dd = pytest.importorskip("dask.dataframe")
    db = pytest.importorskip("dask.bag")
    frame = pd.DataFrame({"id": range(len(ARTICLES)), "text": ARTICLES})
    ddf = dd.from_pandas(frame, npartitions=3)
    lazy = score_dataframe(ddf, model_dir)
    out = lazy.compute(scheduler="sync")
    local = score_partition(frame, model_dir)
    pd.testing.assert_frame_equal(out.drop(columns="text"), local.drop(columns="text"), check_exact=True)
    scores = [name for name, _ in output_columns(model)]
    assert {n: str(lazy.dtypes[n]) for n in scores} == {n: str(out.dtypes[n]) for n in scores}
    bag = db.from_sequence(ARTICLES, npartitions=3)
    assert score_bag(bag, model_dir).compute(scheduler="sync") == expected
    assert score_dataframe(frame, model_dir).equals(local)  # a pandas frame is scored at once


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask with pandas 3
def test_dataframe_scores_write_to_parquet(model_dir, tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"id": range(4), "text": ARTICLES[:4]})
    score_dataframe(dd.from_pandas(frame, npartitions=2), model_dir).to_parquet(tmp_path / "scores", compute_kwargs={"scheduler": "sync"})
    back = pd.read_parquet(tmp_path / "scores")
    assert list(back["n_units"]) == [row["n_units"] for row in score_partition(ARTICLES[:4], model_dir)]
    assert back["dominant.loaded"].isna().iloc[0] and back["slant_index"].isna().iloc[0]


# ---------------------------------------------------------------------- LocalCluster with worker processes


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("dask.dataframe")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                       worker_dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_local_cluster_bag_and_dataframe_equal_local_scoring(client, model_dir, model, expected):
    import dask.bag as db
    import dask.dataframe as dd

    client.run(clear_cache)
    texts = ARTICLES * 3  # several partitions per worker
    bag = db.from_sequence(texts, npartitions=6)
    assert score_bag(bag, model_dir).compute() == expected * 3

    records = [{"id": index, "text": text} for index, text in enumerate(texts)]
    got = score_bag(db.from_sequence(records, npartitions=4), model_dir, detail="report").compute()
    assert [row["id"] for row in got] == list(range(len(texts)))
    assert [row["report"] for row in got] == [model.score(text).to_dict() for text in texts]

    frame = pd.DataFrame({"id": range(len(texts)), "text": texts})
    out = score_dataframe(dd.from_pandas(frame, npartitions=5), model_dir).compute()
    pd.testing.assert_frame_equal(out.drop(columns="text"), score_partition(frame, model_dir).drop(columns="text"),
                                  check_exact=True)

    # The work ran in the worker processes, each of which loaded the model at most once.
    info = client.run(cache_info)
    assert len(info) == 2
    assert all(entry["pid"] != os.getpid() for entry in info.values())
    assert sum(entry["loads"] for entry in info.values()) >= 1
    assert all(entry["loads"] <= 1 for entry in info.values())
    assert sum(entry["hits"] for entry in info.values()) >= 6 + 4 + 5 - 2


def test_local_cluster_client_map_with_the_partition_function(client, model_dir, expected):
    futures = client.map(score_partition, [ARTICLES[:4], ARTICLES[4:]], model_path=model_dir)
    assert sum(client.gather(futures), []) == expected


def test_joblib_parallel_after_score_many_in_worker_processes_in_one_process(tmp_path):
    """score_many(n_jobs=2) then joblib.Parallel (as framing.evaluate(n_jobs=2) runs it) in one fresh process.

    score_many used loky's bare reusable executor; joblib then reused it and failed with
    "'_ReusablePoolExecutor' object has no attribute '_temp_folder_manager'".
    """
    import subprocess
    import sys

    script = tmp_path / "both.py"
    script.write_text(
        "import framing\n"
        "from joblib import Parallel, delayed\n"
        "model = framing.load()\n"
        "reports = list(model.score_many(['Talks began.', 'The regime lied.', 'Aid arrived.'], n_jobs=2, chunk_size=1))\n"
        "print(len(reports), Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(3)))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "[0,", "1,", "2]"]
