"""Everything the bundled model outputs on the seed articles, to prove that refactoring and speed work change nothing.

``tests/data/seed_outputs.json`` holds, per seed article, what the code that
wrote it computed with the same model files:

* ``features_sha256``: the SHA-256 of the feature matrix of the article's units
  (values, indices and row pointers). Features are counts, idf weights and
  norms computed in a fixed order: they must be equal to the last bit, and are
  compared exactly.
* ``probabilities``: every task's probabilities for the units, as JSON numbers
  (which keep a float64 exactly). Predicting goes through BLAS dot products
  whose last bit depends on the CPU (vector width, fused multiply-add), so
  they are compared with a tolerance (:data:`RTOL`, :data:`ATOL`), never
  by hashing their bytes: a hash differs on another x86-64 CPU though every
  printed digit agrees.
* ``report_summary``: the report (``to_dict()``) without its per-unit lists
  (``sentences``, ``top_sentences``): rates, shares, the slant index and its
  interval, reliability, dominant classes, top terms. Compared with
  :func:`differences`: same structure, strings and integers, floats within
  :data:`REPORT_ATOL` (the report rounds its floats to 6 decimals, and a
  last-bit difference may flip the 6th).
* ``report_sha256``: the SHA-256 of the whole report with every float rounded
  to :data:`REPORT_HASH_DECIMALS` decimals (``-0.0`` written as ``0.0``): every
  unit, label, evidence list and its order exactly, every printed digit of a
  score. Storing the whole report would take a megabyte.

After retraining the default model (or deliberately changing an output), write
it anew from the repository root::

    python -m tests.seed_outputs --update

and check what :func:`differences` says about the old file first.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "data" / "seed_outputs.json"

#: Version of the layout of ``seed_outputs.json`` (1 held SHA-256 digests of the probability bytes).
FORMAT = 2

#: Tolerances for probabilities and report floats: far above the last-bit differences between CPUs
#: (about 1e-16 relative), far below any change a reader could see in a printed score (3 digits).
RTOL = 1e-9
ATOL = 1e-12

#: The report's floats are rounded to 6 decimals by ``to_dict``: one unit of the 6th, and a little for the rounding.
REPORT_ATOL = 1.5e-6

#: Decimals the floats of the report keep in ``report_sha256``: the 3 a reader sees (summaries print 2 or 3).
REPORT_HASH_DECIMALS = 3

#: The report's per-unit lists, left out of ``report_summary`` (they are in ``report_sha256``).
PER_UNIT_FIELDS = ("sentences", "top_sentences")

#: Differences listed at most by :func:`differences` (the first ones tell what went wrong).
MAX_LISTED = 20


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def features_digest(X) -> str:
    """SHA-256 of a CSR matrix: its values, column indices and row pointers (indices as int64)."""
    import numpy as np

    return _digest(X.data.tobytes() + X.indices.astype(np.int64).tobytes() + X.indptr.astype(np.int64).tobytes())


def rounded(value: Any, decimals: int) -> Any:
    """``value`` with every float rounded to ``decimals`` decimals (and ``-0.0`` made ``0.0``), for hashing.

    Examples
    --------
    >>> rounded({"p": [0.12349, -0.00001, True, "x"]}, 3)
    {'p': [0.123, 0.0, True, 'x']}
    """
    if isinstance(value, float):
        # A value of +-1e-17 is zero whatever its sign: -0.0 and 0.0 would hash differently.
        return round(value, decimals) + 0.0 if math.isfinite(value) else value
    if isinstance(value, dict):
        return {key: rounded(item, decimals) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(item, decimals) for item in value]
    return value


def report_digest(report: dict[str, Any]) -> str:
    """SHA-256 of a report (``to_dict()``) with its floats rounded to :data:`REPORT_HASH_DECIMALS` decimals."""
    canonical = json.dumps(rounded(report, REPORT_HASH_DECIMALS), sort_keys=True, ensure_ascii=False)
    return _digest(canonical.encode("utf-8"))


def compute() -> dict[str, Any]:
    """The outputs of the installed ``framing`` and its bundled model on every seed article."""
    import framing
    from framing.text import segment

    model = framing.load()
    result: dict[str, Any] = {"format": FORMAT, "model_sha256": _digest((REPO / "models" / "default" / "weights.npz").read_bytes()),
                              "articles": {}}
    for path in sorted((REPO / "labeled" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        units = [unit.text for unit in segment(text)]
        result["articles"][path.name] = {
            "n_units": len(units),
            "features_sha256": features_digest(model.transform(units)),
            "probabilities": {task: p.tolist() for task, p in sorted(model.predict_all(units).items())},
        }
        # A JSON round trip, so that the computed report has the types of the stored one (lists, not tuples).
        report = json.loads(json.dumps(model.score(text).to_dict(), ensure_ascii=False))
        result["articles"][path.name]["report_sha256"] = report_digest(report)
        result["articles"][path.name]["report_summary"] = {key: value for key, value in report.items()
                                                           if key not in PER_UNIT_FIELDS}
    return result


def _close(expected: float, actual: float, atol: float) -> bool:
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    return abs(actual - expected) <= atol + RTOL * abs(expected)


def _walk(expected: Any, actual: Any, where: str, found: list[str], atol: float) -> None:
    if len(found) >= MAX_LISTED:
        return
    numbers = (int, float)
    if isinstance(expected, bool) or isinstance(actual, bool) or not (isinstance(expected, numbers) and isinstance(actual, numbers)):
        if type(expected) is not type(actual):
            found.append(f"{where}: expected a {type(expected).__name__} ({expected!r:.60}), got a {type(actual).__name__} "
                         f"({actual!r:.60})")
        elif isinstance(expected, dict):
            if list(expected) != list(actual):
                found.append(f"{where}: keys differ: missing {sorted(set(expected) - set(actual))}, "
                             f"new {sorted(set(actual) - set(expected))}, or another order")
                return
            for key in expected:
                _walk(expected[key], actual[key], f"{where}.{key}", found, atol)
        elif isinstance(expected, list):
            if len(expected) != len(actual):
                found.append(f"{where}: expected {len(expected)} items, got {len(actual)}")
                return
            for index, (left, right) in enumerate(zip(expected, actual)):
                _walk(left, right, f"{where}[{index}]", found, atol)
        elif expected != actual:
            found.append(f"{where}: expected {expected!r:.80}, got {actual!r:.80}")
        return
    if isinstance(expected, int) and isinstance(actual, int):
        if expected != actual:
            found.append(f"{where}: expected {expected}, got {actual}")
    elif not _close(float(expected), float(actual), atol):
        found.append(f"{where}: expected {expected!r}, got {actual!r} (difference {float(actual) - float(expected):.3g}; "
                     f"allowed {atol} + {RTOL} x |expected|)")


def differences(expected: Any, actual: Any, where: str = "", atol: float = ATOL) -> list[str]:
    """Where ``actual`` differs from ``expected``: structure, strings and integers exactly, floats within the tolerance.

    An integer and a float are compared as numbers (JSON writes ``1.0`` as ``1.0``, but a computed
    ``0`` rate may be an int); ``True`` is not ``1``.

    Examples
    --------
    >>> differences({"p": [0.5, 0.25], "label": "x"}, {"p": [0.5 + 1e-15, 0.25], "label": "x"})
    []
    >>> differences({"p": [0.5]}, {"p": [0.501]})  # doctest: +ELLIPSIS
    ['.p[0]: expected 0.5, got 0.501 (difference 0.001; ...)']
    >>> differences({"top": ["a", "b"]}, {"top": ["b", "a"]})
    [".top[0]: expected 'a', got 'b'", ".top[1]: expected 'b', got 'a'"]
    """
    found: list[str] = []
    _walk(expected, actual, where, found, atol)
    return found


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Every way in which the outputs ``actual`` (from :func:`compute`) differ from the stored ``expected``; empty when equal."""
    import numpy as np

    if expected.get("format") != FORMAT:
        return [f"{OUTPUT.name} has format {expected.get('format', 1)}, this code writes {FORMAT}: "
                "regenerate it with `python -m tests.seed_outputs --update` (with the code it should pin)"]
    if actual["model_sha256"] != expected["model_sha256"]:
        return ["the bundled model changed: regenerate with `python -m tests.seed_outputs --update`"]
    found = []
    if sorted(actual["articles"]) != sorted(expected["articles"]):
        found.append(f"seed articles differ: stored {sorted(expected['articles'])}, found {sorted(actual['articles'])}")
    for name in sorted(set(expected["articles"]) & set(actual["articles"])):
        stored, now = expected["articles"][name], actual["articles"][name]
        for key in ("n_units", "features_sha256", "report_sha256"):
            if now[key] != stored[key]:
                found.append(f"{name}: {key} differs (stored {stored[key]}, now {now[key]})")
        if sorted(now["probabilities"]) != sorted(stored["probabilities"]):
            found.append(f"{name}: tasks differ: stored {sorted(stored['probabilities'])}, now {sorted(now['probabilities'])}")
        for task in sorted(set(now["probabilities"]) & set(stored["probabilities"])):
            try:
                np.testing.assert_allclose(np.asarray(now["probabilities"][task], dtype=float),
                                           np.asarray(stored["probabilities"][task], dtype=float), rtol=RTOL, atol=ATOL)
            except AssertionError as error:
                found.append(f"{name}: probabilities of {task}: {str(error).strip()}")
        found.extend(f"{name}: report{line}" for line in differences(stored["report_summary"], now["report_summary"], atol=REPORT_ATOL))
    return found


def main(argv: list[str]) -> int:
    data = compute()
    if "--update" in argv:
        OUTPUT.write_text(json.dumps(data, indent=None, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(REPO)} ({OUTPUT.stat().st_size:,} bytes)")
        return 0
    if OUTPUT.is_file():
        found = compare(json.loads(OUTPUT.read_text(encoding="utf-8")), data)
        print("\n".join(found) if found else f"same outputs as {OUTPUT.relative_to(REPO)}")
        return 1 if found else 0
    print(json.dumps(data, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
