"""Digests of everything the bundled model outputs on the seed articles, to prove that speed work changes nothing.

``tests/data/seed_outputs.json`` was written by the code *before* the speed
work of issue #13 (commit 2bada28) with the same model files;
``tests/test_speed.py`` recomputes it with the current code and compares. It
holds, per seed article, the SHA-256 of the whole report (``to_dict()``, keys
sorted, so every probability, evidence list, cue and top term counts) plus
the readable scores, and the SHA-256 of the feature matrix and of every
task's probabilities for the articles' units.

After retraining the default model (or deliberately changing an output), write
it anew from the repository root::

    python -m tests.seed_outputs --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "data" / "seed_outputs.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compute() -> dict:
    """The digests, from the installed ``framing`` and its bundled model."""
    import numpy as np

    import framing
    from framing.text import segment

    model = framing.load()
    result = {"model_sha256": _digest((REPO / "models" / "default" / "weights.npz").read_bytes()), "articles": {}}
    for path in sorted((REPO / "labeled" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        report = model.score(text).to_dict()
        units = [unit.text for unit in segment(text)]
        X = model.transform(units)
        probabilities = model.predict_all(units)
        result["articles"][path.name] = {
            "report_sha256": _digest(json.dumps(report, sort_keys=True, ensure_ascii=False).encode("utf-8")),
            "features_sha256": _digest(X.data.tobytes() + X.indices.astype(np.int64).tobytes()
                                       + X.indptr.astype(np.int64).tobytes()),
            "probabilities_sha256": {task: _digest(np.ascontiguousarray(p).tobytes())
                                     for task, p in sorted(probabilities.items())},
            "n_units": report["n_units"],
            "rates": report["rates"],
            "slant_index": report["slant_index"],
        }
    return result


def main(argv: list[str]) -> int:
    data = compute()
    if "--update" in argv:
        OUTPUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(REPO)}")
        return 0
    print(json.dumps(data, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
