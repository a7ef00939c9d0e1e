"""Scale-out scoring on Dask: partition-level functions for bags and dataframes.

Needs the optional extra ``pip install 'framing[dask]'`` (only for
:func:`score_bag` and :func:`score_dataframe`; :func:`score_partition`
itself needs pandas only for dataframe partitions). Dask and pandas are
imported inside the functions, so importing this module costs nothing.

The unit of work is :func:`score_partition`, a plain module-level (hence
picklable) function. Each worker process loads the saved model once, on its
first partition, and keeps it in a small per-process cache keyed by the
model folder's resolved path and the size and modification time of its files,
so every later partition on that worker reuses it (a dictionary look-up and
two ``stat`` calls) and a model saved anew at the same path is picked up.
The model folder must be readable at the same path on every worker (a shared
file system, or the same copy on each machine); ``model_path=None`` means the
bundled default model, which every worker with framing installed has.

Output columns (one row or record per article):

``n_units``, ``n_sentences``
    Units found by :func:`framing.segment` and units scored (not boilerplate).
``slant_index``
    In [-1, 1]; NaN (dataframes) or ``None`` (records) when nothing was scored.
``rate.TASK``
    For each binary task, the share of ``True``.
``share.TASK.CLASS``
    For each task and class, the mean probability over scored sentences.
``dominant.TASK``
    The class with the largest share (``None``, or ``<NA>`` in the
    ``string`` columns of dataframes, for an empty article).
``report``
    Only with ``detail="report"``: the full :meth:`ArticleReport.to_dict`
    (a dict in bag records, a JSON string in dataframes).

Dataframe columns have the dtypes listed by :func:`output_columns`
(``int64``, ``float64`` and pandas ``string``), so the output writes to
Parquet as it is.

Missing texts (``None``, NaN) are scored as the empty article; ``bytes`` are
decoded as UTF-8 with invalid sequences replaced by U+FFFD. HTML is not
stripped (see :meth:`framing.Model.score`).
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model._model import Model

from .._util import class_key

__all__ = [
    "score_partition",
    "score_bag",
    "score_dataframe",
    "summarize",
    "output_columns",
    "load_cached",
    "cache_info",
    "clear_cache",
]

#: Models kept per process (least recently used ones are dropped).
CACHE_SIZE = 4

_DETAILS = ("summary", "report")

_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_cache_lock = threading.Lock()
_stats = {"loads": 0, "hits": 0}


# ---------------------------------------------------------------------- model cache


def _signature(model_path: str | os.PathLike | None) -> tuple[Any, ...]:
    if model_path is None:
        return ("<bundled>",)
    folder = Path(model_path).resolve()
    parts: list[Any] = [str(folder)]
    for name in ("model.json", "weights.npz"):
        try:
            info = (folder / name).stat()
            parts.append((name, info.st_size, info.st_mtime_ns, info.st_ino))
        except OSError:
            parts.append((name, None))
    return tuple(parts)


def load_cached(model_path: str | os.PathLike | None = None) -> Model:
    """The model saved at ``model_path``, loaded at most once per process.

    Parameters
    ----------
    model_path : path-like or None
        A folder written by :meth:`framing.Model.save`; ``None`` for the
        bundled default model.

    Returns
    -------
    framing.Model
        The same object on every call while the folder's files are unchanged.

    Raises
    ------
    framing.ModelFormatError
        As :func:`framing.load` does (a failed load is not cached).
    """
    key = _signature(model_path)
    with _cache_lock:
        model = _cache.get(key)
        if model is not None:
            _cache.move_to_end(key)
            _stats["hits"] += 1
            return model
        # Loading under the lock: threads of one worker wait for a single load.
        from ..model._model import load

        model = load(model_path)
        _stats["loads"] += 1
        _cache[key] = model
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return model


def cache_info() -> dict[str, Any]:
    """This process's model cache: ``{"loads": int, "hits": int, "models": [path, ...], "pid": int}``."""
    with _cache_lock:
        return {"loads": _stats["loads"], "hits": _stats["hits"], "models": [key[0] for key in _cache], "pid": os.getpid()}


def clear_cache() -> None:
    """Forget every cached model and reset the counters of :func:`cache_info`."""
    with _cache_lock:
        _cache.clear()
        _stats.update(loads=0, hits=0)


def _resolve_model(model_path):
    from ..model._model import Model

    if isinstance(model_path, Model):
        return model_path
    if model_path is not None and not isinstance(model_path, (str, os.PathLike)):
        raise TypeError(f"model_path must be a path, None (the bundled model) or a framing.Model, got {type(model_path).__name__}")
    return load_cached(model_path)


# ---------------------------------------------------------------------- rows


def output_columns(model, detail: str = "summary") -> list[tuple[str, str]]:
    """``(column, dtype)`` of the rows :func:`score_partition` adds, in order, for ``model``.

    ``model`` may be a :class:`framing.Model`, a model folder, or None (bundled).
    """
    _check_detail(detail)
    model = _resolve_model(model)
    columns = [("n_units", "int64"), ("n_sentences", "int64"), ("slant_index", "float64")]
    for task in model.tasks:
        if tuple(model.classes(task)) == (False, True):
            columns.append((f"rate.{task}", "float64"))
    for task in model.tasks:
        for cls in model.classes(task):
            columns.append((f"share.{task}.{class_key(cls)}", "float64"))
    for task in model.tasks:
        columns.append((f"dominant.{task}", "string"))
    if detail == "report":
        columns.append(("report", "string"))
    return columns


def summarize(report) -> dict[str, Any]:
    """The flat summary of an :class:`~framing.ArticleReport` (the columns listed in the module docstring).

    Examples
    --------
    >>> import framing
    >>> from framing.parallel._dask import summarize
    >>> row = summarize(framing.load().score(""))
    >>> row["n_units"], row["slant_index"], row["dominant.loaded"]
    (0, None, None)
    """
    row: dict[str, Any] = {"n_units": report.n_units, "n_sentences": report.n_sentences, "slant_index": report.slant_index}
    for task in report.tasks:
        if task in report.rates:
            row[f"rate.{task}"] = report.rates[task]
    for task in report.tasks:
        for cls in report.classes[task]:
            row[f"share.{task}.{class_key(cls)}"] = report.shares[task][class_key(cls)]
    for task in report.tasks:
        row[f"dominant.{task}"] = report.dominant(task)
    return row


def _check_detail(detail: str) -> None:
    if detail not in _DETAILS:
        raise ValueError(f"detail must be one of {list(_DETAILS)}, got {detail!r}")


def _as_text(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    try:  # pandas.NA, numpy.nan and friends
        import pandas

        if pandas.isna(value) is True:
            return ""
    except ImportError:  # pragma: no cover - pandas is optional here
        pass
    raise TypeError(f"{where}: expected the article text as str, got {type(value).__name__}")


# ---------------------------------------------------------------------- partitions


def score_partition(
    texts_or_df,
    model_path: str | os.PathLike | None = None,
    text_column: str = "text",
    detail: str = "summary",
    evidence: int = 3,
    keep_columns: bool = True,
) -> Any:
    """Score one partition of articles; the function Dask maps over partitions.

    Picklable (a module-level function with plain arguments), so it can also
    be given to ``dask.bag.Bag.map_partitions``, ``DataFrame.map_partitions``,
    ``client.map``, ``multiprocessing`` or ``concurrent.futures`` directly.

    Parameters
    ----------
    texts_or_df : iterable of str, iterable of dict, or pandas.DataFrame
        A dask.bag partition (article texts, or records holding the text under
        ``text_column``) or a pandas/dask-dataframe partition.
    model_path : path-like, None or framing.Model
        The saved model folder, loaded once per process (see
        :func:`load_cached`); None for the bundled model. A ``Model`` object
        is used as it is.
    text_column : str, default="text"
        The column (dataframes) or key (records) holding the article text.
    detail : {"summary", "report"}
        ``"report"`` adds the full report: a dict under ``"report"`` in
        records, a JSON string in the ``report`` column of dataframes.
    evidence : int, default=3
        Evidence kept per score (as in :meth:`framing.Model.score`).
    keep_columns : bool, default=True
        Dataframes: keep the input columns before the score columns
        (False returns the score columns only, with the input's index).

    Returns
    -------
    list of dict or pandas.DataFrame
        One summary record per input text, in input order: for a str, the
        summary; for a dict, a copy of it with the summary fields added (they
        overwrite keys of the same name). For a DataFrame, a DataFrame with
        the same index and the columns of :func:`output_columns`.

    Examples
    --------
    >>> from framing import score_partition
    >>> rows = score_partition(["", "Talks began on Monday."], None)
    >>> [row["n_units"] for row in rows]
    [0, 1]
    >>> score_partition([{"id": 7, "text": ""}], None)[0]["id"]
    7
    """
    _check_detail(detail)
    model = _resolve_model(model_path)
    if _is_dataframe(texts_or_df):
        return _score_frame(model, texts_or_df, text_column, detail, evidence, keep_columns)
    if isinstance(texts_or_df, (str, bytes)):
        raise TypeError("score_partition expects a partition (a list of texts or records, or a DataFrame), got a single "
                        f"{type(texts_or_df).__name__}; wrap it in a list")
    records = []
    for index, item in enumerate(texts_or_df):
        if isinstance(item, dict):
            if text_column not in item:
                raise KeyError(f"record {index} has no {text_column!r} key (text_column); keys: {sorted(map(str, item))[:10]}")
            report = model.score(_as_text(item[text_column], f"record {index}"), evidence=evidence)
            record = dict(item)
            record.update(summarize(report))
        else:
            report = model.score(_as_text(item, f"item {index}"), evidence=evidence)
            record = summarize(report)
        if detail == "report":
            record["report"] = report.to_dict()
        records.append(record)
    return records


def _is_dataframe(value: Any) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("pandas") and type(value).__name__ == "DataFrame"


def _score_frame(model, frame, text_column: str, detail: str, evidence: int, keep_columns: bool):
    import pandas as pd

    if text_column not in frame.columns:
        raise KeyError(f"dataframe has no column {text_column!r} (text_column); columns: {list(frame.columns)[:20]}")
    columns = output_columns(model, detail)
    values: dict[str, list[Any]] = {name: [] for name, _ in columns}
    for position, value in enumerate(frame[text_column].tolist()):
        report = model.score(_as_text(value, f"row {position}"), evidence=evidence)
        row = summarize(report)
        if detail == "report":
            row["report"] = json.dumps(report.to_dict(), sort_keys=True, ensure_ascii=False)
        for name, _ in columns:
            values[name].append(row[name])
    data = {}
    for name, dtype in columns:
        column = values[name]
        if dtype == "float64":
            column = [float("nan") if v is None else v for v in column]
        data[name] = pd.Series(column, index=frame.index, dtype=dtype)
    scores = pd.DataFrame(data, index=frame.index)
    if not keep_columns:
        return scores
    clashes = [name for name in scores.columns if name in frame.columns]
    return pd.concat([frame.drop(columns=clashes), scores], axis=1)


def _meta(model_path, ddf, text_column: str, detail: str, keep_columns: bool):
    import pandas as pd

    names = output_columns(model_path, detail)
    scores = pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in names})
    if not keep_columns:
        return scores.set_axis(ddf._meta.index[:0], axis=0)
    base = ddf._meta.drop(columns=[name for name, _ in names if name in ddf.columns])
    return pd.concat([base, scores.set_axis(base.index, axis=0)], axis=1)


# ---------------------------------------------------------------------- conveniences


def score_bag(bag: Any, model_path: str | os.PathLike | None = None, text_column: str = "text", detail: str = "summary",
              evidence: int = 3):
    """Score a ``dask.bag.Bag`` of article texts or records; lazily returns a bag of records.

    Examples
    --------
    >>> import dask.bag as db  # doctest: +SKIP
    >>> from framing import score_bag  # doctest: +SKIP
    >>> bag = db.read_text("articles/*.txt", files_per_partition=100)  # doctest: +SKIP
    >>> score_bag(bag.map(str), "models/mine").to_dataframe().to_parquet("scores/")  # doctest: +SKIP

    (``read_text`` yields lines; to score whole files, build the bag from the
    file names and read each one, as in the README.)
    """
    _check_detail(detail)
    return bag.map_partitions(score_partition, model_path, text_column=text_column, detail=detail, evidence=evidence)


def score_dataframe(ddf, model_path: str | os.PathLike | None = None, text_column: str = "text",
                    detail: str = "summary", evidence: int = 3, keep_columns: bool = True, meta=None) -> Any:
    """Score the ``text_column`` of a dask (or pandas) DataFrame; lazily returns a dask DataFrame.

    The output metadata (column names and dtypes) comes from the model's
    tasks, so the model is loaded once on the client too unless ``meta`` is
    given (see :func:`output_columns`). A pandas DataFrame is scored at once.

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> from framing import score_dataframe  # doctest: +SKIP
    >>> ddf = dd.read_parquet("articles.parquet")  # doctest: +SKIP
    >>> score_dataframe(ddf, "models/mine").to_parquet("scores.parquet")  # doctest: +SKIP
    """
    _check_detail(detail)
    if _is_dataframe(ddf):
        return score_partition(ddf, model_path, text_column=text_column, detail=detail, evidence=evidence,
                               keep_columns=keep_columns)
    if text_column not in ddf.columns:
        raise KeyError(f"dataframe has no column {text_column!r} (text_column); columns: {list(ddf.columns)[:20]}")
    if meta is None:
        meta = _meta(model_path, ddf, text_column, detail, keep_columns)
    return ddf.map_partitions(score_partition, model_path, text_column=text_column, detail=detail, evidence=evidence,
                              keep_columns=keep_columns, meta=meta)
