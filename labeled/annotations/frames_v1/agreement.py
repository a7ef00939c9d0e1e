"""Agreement of the two blind frames_v1 passes (codebook §7.1, multi-label frames).

Run from anywhere::

    python labeled/annotations/frames_v1/agreement.py [--dir DIR]

Reads ``units.jsonl``, ``pass_a.jsonl``, ``pass_b.jsonl`` and, if present, ``adjudication.jsonl``
from this folder (or ``--dir``); every pass line is ``{"unit_id": "F0001", "frames": [...],
"doubt": "..."}`` (adjudication lines have the same shape, optionally with ``reason``).

Prints the number of units per file, format errors, and per frame the number of units carrying it
in each file and Cohen's kappa (``sklearn.metrics.cohen_kappa_score``) of pass A vs pass B on the
binary presence of that frame (and of each pass vs the adjudication when there is one), the mean
kappa over the frames where it is defined, the exact-set agreement and the agreement per source.
Kappa is undefined (``n/a``) for a frame that neither file uses. Exit status 1 on format errors.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parents[1] / "schema.json"
NONE_CLASS = "other"  # the schema's "no frame" class; in frames_v1 it is the empty list


def frame_classes() -> list[str]:
    classes = json.loads(SCHEMA.read_text(encoding="utf-8"))["tasks"]["frame"]["classes"]
    return [c for c in classes if c != NONE_CLASS]


def read_labels(path: Path, frames: list[str], known: set[str], errors: list[str]) -> dict[str, frozenset]:
    labels: dict[str, frozenset] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{where}: not JSON ({error})")
            continue
        unit_id, value = record.get("unit_id"), record.get("frames")
        if known and unit_id not in known:
            errors.append(f"{where}: unknown unit_id {unit_id!r}")
            continue
        if unit_id in labels:
            errors.append(f"{where}: duplicate unit_id {unit_id}")
            continue
        if not isinstance(value, list) or any(f not in frames for f in value):
            errors.append(f"{where}: frames must be a list of {frames} (got {value!r})")
            continue
        if len(set(value)) != len(value):
            errors.append(f"{where}: repeated frame in {value!r}")
        labels[unit_id] = frozenset(value)
    return labels


def kappa(a: list[bool], b: list[bool]) -> float:
    if len(set(a) | set(b)) < 2:
        return math.nan  # one class only: kappa undefined
    return float(cohen_kappa_score(a, b))


def fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=HERE, help="folder with units.jsonl and the pass files")
    args = parser.parse_args(argv)
    folder = args.dir
    frames = frame_classes()
    errors: list[str] = []

    units = {}
    if (folder / "units.jsonl").exists():
        for line in (folder / "units.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                units[record["unit_id"]] = record["source"]
    missing = [name for name in ("pass_a.jsonl", "pass_b.jsonl") if not (folder / name).exists()]
    if missing:
        print(f"{folder}: missing {', '.join(missing)}; nothing to compare")
        return 1
    known = set(units)
    pass_a = read_labels(folder / "pass_a.jsonl", frames, known, errors)
    pass_b = read_labels(folder / "pass_b.jsonl", frames, known, errors)
    final = read_labels(folder / "adjudication.jsonl", frames, known, errors) if (folder / "adjudication.jsonl").exists() else None

    ids = sorted(set(pass_a) & set(pass_b))
    print(f"units: {len(units)} listed; pass A {len(pass_a)}, pass B {len(pass_b)}, both {len(ids)}"
          + (f"; adjudication {len(final)}" if final is not None else ""))
    for name, labels in (("pass A", pass_a), ("pass B", pass_b)):
        if known and set(labels) != known:
            print(f"  {name}: {len(known - set(labels))} listed units not labelled")
    if not ids:
        print("no unit labelled in both passes")
        return 1

    columns = ["frame", "pass A", "pass B", "kappa A-B"]
    if final is not None:
        fids = [i for i in ids if i in final]
        columns += ["final", "kappa A-final", "kappa B-final"]
    print("\n| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    kappas = []
    for frame in frames:
        a = [frame in pass_a[i] for i in ids]
        b = [frame in pass_b[i] for i in ids]
        k = kappa(a, b)
        if not math.isnan(k):
            kappas.append(k)
        row = [frame, str(sum(a)), str(sum(b)), fmt(k)]
        if final is not None:
            f = [frame in final[i] for i in fids]
            fa = [frame in pass_a[i] for i in fids]
            fb = [frame in pass_b[i] for i in fids]
            row += [str(sum(f)), fmt(kappa(fa, f)), fmt(kappa(fb, f))]
        print("| " + " | ".join(row) + " |")
    mean = sum(kappas) / len(kappas) if kappas else math.nan
    print(f"\nmean kappa A-B over {len(kappas)} frames with a defined kappa: {fmt(mean)}")

    exact = sum(pass_a[i] == pass_b[i] for i in ids)
    empty = [sum(not p[i] for i in ids) for p in (pass_a, pass_b)]
    sizes = [sum(len(p[i]) for i in ids) / len(ids) for p in (pass_a, pass_b)]
    print(f"exact same set: {exact}/{len(ids)} ({exact / len(ids):.3f}); empty list: A {empty[0]}, B {empty[1]}; "
          f"frames per unit: A {sizes[0]:.2f}, B {sizes[1]:.2f}")
    print(f"empty-list kappa A-B: {fmt(kappa([not pass_a[i] for i in ids], [not pass_b[i] for i in ids]))}")

    if units:
        print("\n| source | units | exact same set | mean kappa A-B (frames with a defined kappa) |")
        print("|---|---|---|---|")
        for source in sorted(set(units.values())):
            sids = [i for i in ids if units.get(i) == source]
            if not sids:
                continue
            ks = [kappa([f in pass_a[i] for i in sids], [f in pass_b[i] for i in sids]) for f in frames]
            ks = [k for k in ks if not math.isnan(k)]
            same = sum(pass_a[i] == pass_b[i] for i in sids)
            print(f"| {source} | {len(sids)} | {same / len(sids):.3f} | {fmt(sum(ks) / len(ks) if ks else math.nan)} |")

    sizes_count = Counter(len(pass_a[i] | pass_b[i]) for i in ids)
    print("\nframes in the union of both passes per unit: " + ", ".join(f"{k}: {v}" for k, v in sorted(sizes_count.items())))
    if errors:
        print(f"\n{len(errors)} format error(s):", file=sys.stderr)
        for error in errors[:50]:
            print(f"  {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
