"""Append the adjudicated frames_v2 labels to ``labeled/frames.jsonl`` (after the frames_v1 lines).

Run from anywhere, once ``adjudication.jsonl`` is complete::

    python labeled/annotations/frames_v2/join.py

Each line written is ``{"source", "id", "sha1", "frames"}``, in ``unit_id`` order, exactly the format of the
frames_v1 lines; no sentence text. The frames_v1 part of the file (its first lines, one per frames_v1 unit) is
kept byte for byte, and running the script twice gives the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE.parents[1] / "frames.jsonl"
V1_UNITS = HERE.parent / "frames_v1" / "units.jsonl"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    n_v1 = len(_lines(V1_UNITS))
    kept = LABELS.read_text(encoding="utf-8").splitlines(keepends=True)[:n_v1]
    units = {u["unit_id"]: u for u in _lines(HERE / "units.jsonl")}
    decided = {a["unit_id"]: a for a in _lines(HERE / "adjudication.jsonl")}
    missing = sorted(set(units) - set(decided))
    if missing:
        raise SystemExit(f"adjudication.jsonl lacks {len(missing)} units, e.g. {missing[:3]}")
    new = [json.dumps({"source": units[uid]["source"], "id": units[uid]["id"], "sha1": units[uid]["sha1"],
                       "frames": sorted(decided[uid]["frames"])}, ensure_ascii=False) + "\n" for uid in sorted(units)]
    temporary = LABELS.with_suffix(".jsonl.tmp")
    temporary.write_text("".join(kept + new), encoding="utf-8")
    temporary.replace(LABELS)  # never a half-written label file
    print(f"{LABELS}: {n_v1} frames_v1 lines kept, {len(new)} frames_v2 lines written")


if __name__ == "__main__":
    main()
