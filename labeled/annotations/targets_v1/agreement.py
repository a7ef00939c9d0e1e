"""Agreement of the two blind targets_v1 passes (codebook §5.1, stance toward a mentioned actor).

Run from anywhere::

    python labeled/annotations/targets_v1/agreement.py [--dir DIR]

Reads ``items.jsonl``, ``pass_a.jsonl``, ``pass_b.jsonl`` and, if present, ``adjudication.jsonl``
from this folder (or ``--dir``); every pass line is ``{"item_id": "S0001", "stance":
"unfavourable|neutral|favourable", "voice": "author|quoted", "doubt": "..."}``.

Prints the number of items per file, format errors, class counts, Cohen's kappa
(``sklearn.metrics.cohen_kappa_score``) of pass A vs pass B over the three stance classes —
overall, per source and per side — the confusion table, the kappa of ``voice``, the items flagged
``not-actor`` in ``doubt``, and each pass against the adjudication when there is one. Exit status
1 on format errors.
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
STANCES = ("unfavourable", "neutral", "favourable")
VOICES = ("author", "quoted")


def read_labels(path: Path, known: set[str], errors: list[str]) -> dict[str, dict]:
    labels: dict[str, dict] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{where}: not JSON ({error})")
            continue
        item_id = record.get("item_id")
        if known and item_id not in known:
            errors.append(f"{where}: unknown item_id {item_id!r}")
        elif item_id in labels:
            errors.append(f"{where}: duplicate item_id {item_id}")
        elif record.get("stance") not in STANCES:
            errors.append(f"{where}: stance must be one of {STANCES} (got {record.get('stance')!r})")
        elif record.get("voice") not in VOICES:
            errors.append(f"{where}: voice must be one of {VOICES} (got {record.get('voice')!r})")
        else:
            labels[item_id] = record
    return labels


def kappa(a: list[str], b: list[str]) -> float:
    if not a or len(set(a) | set(b)) < 2:
        return math.nan  # one class only: kappa undefined
    return float(cohen_kappa_score(a, b))


def fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def counts(values: list[str], classes: tuple[str, ...]) -> str:
    counter = Counter(values)
    return ", ".join(f"{c}={counter[c]}" for c in classes)


def table(title: str, groups: dict[str, list[str]], pass_a: dict, pass_b: dict) -> None:
    print(f"\n| {title} | items | kappa stance | raw agreement | pass A | pass B |")
    print("|---|---|---|---|---|---|")
    for name, ids in groups.items():
        if not ids:
            continue
        a = [pass_a[i]["stance"] for i in ids]
        b = [pass_b[i]["stance"] for i in ids]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(ids)
        print(f"| {name} | {len(ids)} | {fmt(kappa(a, b))} | {agree:.3f} | {counts(a, STANCES)} | {counts(b, STANCES)} |")


def not_actor(record: dict) -> bool:
    return str(record.get("doubt", "")).strip().lower().startswith("not-actor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=HERE, help="folder with items.jsonl and the pass files")
    args = parser.parse_args(argv)
    folder = args.dir
    errors: list[str] = []

    items = {}
    if (folder / "items.jsonl").exists():
        for line in (folder / "items.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                items[record["item_id"]] = record
    missing = [name for name in ("pass_a.jsonl", "pass_b.jsonl") if not (folder / name).exists()]
    if missing:
        print(f"{folder}: missing {', '.join(missing)}; nothing to compare")
        return 1
    known = set(items)
    pass_a = read_labels(folder / "pass_a.jsonl", known, errors)
    pass_b = read_labels(folder / "pass_b.jsonl", known, errors)
    final = read_labels(folder / "adjudication.jsonl", known, errors) if (folder / "adjudication.jsonl").exists() else None

    ids = sorted(set(pass_a) & set(pass_b))
    print(f"items: {len(items)} listed; pass A {len(pass_a)}, pass B {len(pass_b)}, both {len(ids)}"
          + (f"; adjudication {len(final)}" if final is not None else ""))
    for name, labels in (("pass A", pass_a), ("pass B", pass_b)):
        if known and set(labels) != known:
            print(f"  {name}: {len(known - set(labels))} listed items not labelled")
    if not ids:
        print("no item labelled in both passes")
        return 1

    table("all", {"all": ids}, pass_a, pass_b)
    if items:
        sources = sorted({items[i]["source"] for i in ids})
        table("source", {s: [i for i in ids if items[i]["source"] == s] for s in sources}, pass_a, pass_b)
        table("side", {s: [i for i in ids if items[i]["side"] == s] for s in ("russia", "ukraine")}, pass_a, pass_b)

    print("\nconfusion (rows pass A, columns pass B):")
    print("| A \\ B | " + " | ".join(STANCES) + " |")
    print("|---|" + "---|" * len(STANCES))
    pairs = Counter((pass_a[i]["stance"], pass_b[i]["stance"]) for i in ids)
    for x in STANCES:
        print(f"| {x} | " + " | ".join(str(pairs[(x, y)]) for y in STANCES) + " |")

    va = [pass_a[i]["voice"] for i in ids]
    vb = [pass_b[i]["voice"] for i in ids]
    print(f"\nvoice: kappa {fmt(kappa(va, vb))}, raw agreement {sum(x == y for x, y in zip(va, vb, strict=True)) / len(ids):.3f}; "
          f"pass A {counts(va, VOICES)}; pass B {counts(vb, VOICES)}")
    nonneutral = [i for i in ids if pass_a[i]["stance"] != "neutral" and pass_a[i]["stance"] == pass_b[i]["stance"]]
    if nonneutral:
        na = [pass_a[i]["voice"] for i in nonneutral]
        nb = [pass_b[i]["voice"] for i in nonneutral]
        print(f"voice on the {len(nonneutral)} items both passes call non-neutral alike: kappa {fmt(kappa(na, nb))}")
    flags = [sum(not_actor(p[i]) for i in ids) for p in (pass_a, pass_b)]
    both = sum(not_actor(pass_a[i]) and not_actor(pass_b[i]) for i in ids)
    print(f"flagged not-actor: pass A {flags[0]}, pass B {flags[1]}, both {both}")

    if final is not None:
        fids = [i for i in ids if i in final]
        f = [final[i]["stance"] for i in fids]
        print(f"\nadjudication ({len(fids)} items): {counts(f, STANCES)}; "
              f"kappa A-final {fmt(kappa([pass_a[i]['stance'] for i in fids], f))}, "
              f"B-final {fmt(kappa([pass_b[i]['stance'] for i in fids], f))}")
    if errors:
        print(f"\n{len(errors)} format error(s):", file=sys.stderr)
        for error in errors[:50]:
            print(f"  {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
