"""Inter-annotator agreement of the two blind passes, as Markdown tables.

Run from the repository root::

    python labeled/annotations/agreement.py              # v3 passes (annotations/v3/)
    python labeled/annotations/agreement.py --version v2 # v2 passes (annotations/v2/)

Per unit task: Cohen's kappa (``sklearn.metrics.cohen_kappa_score``), raw agreement, number of
disagreements and per-class counts (pass A, pass B, final), over all 212 units, boilerplate
included. For v3 the derived sentence ``slant`` (codebook §6) is computed from each pass's
stances. Span agreement per span type: exact F1 (same offsets and type) and overlap F1 (a span
counts as matched when it overlaps a span of the same type in the other pass). For v3 also
article-level agreement (``slant``, ``primary_frame``). The numbers in ``labeled/README.md`` are
this script's output.
"""
import argparse
import json
from collections import Counter
from pathlib import Path

from build_corpus import _offsets, _read, derive_slant  # same folder
from sklearn.metrics import cohen_kappa_score

import framing
from framing.data import load_schema

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "annotations"


def _kappa(a, b):
    a, b = [str(v) for v in a], [str(v) for v in b]
    if len(set(a) | set(b)) == 1:
        return float("nan")  # one class only: kappa undefined
    return cohen_kappa_score(a, b)


def _counts(values, classes):
    counter = Counter(str(v) for v in values)
    return ", ".join(f"{c}={counter[str(c)]}" for c in classes if counter[str(c)])


def _task_table(rows, n):
    print("| task | Cohen's kappa | raw agreement | disagreements | counts pass A | counts pass B | final counts |")
    print("|---|---|---|---|---|---|---|")
    for task, la, lb, lf, classes in rows:
        agree = sum(x == y for x, y in zip(la, lb))
        print(f"| {task} | {_kappa(la, lb):.3f} | {agree / n:.3f} | {n - agree} | {_counts(la, classes)} | "
              f"{_counts(lb, classes)} | {_counts(lf, classes)} |")


def _span_table(texts, pass_a, pass_b, span_types):
    sets = [[{(*_offsets(texts[r["id"]], s), s["type"]) for s in r["spans"]} for r in p] for p in (pass_a, pass_b)]
    print("\n| span type | pass A | pass B | exact F1 | overlap F1 |")
    print("|---|---|---|---|---|")
    for span_type in span_types:
        a = [{s for s in x if s[2] == span_type} for x in sets[0]]
        b = [{s for s in x if s[2] == span_type} for x in sets[1]]
        total_a, total_b = sum(map(len, a)), sum(map(len, b))
        exact = sum(len(x & y) for x, y in zip(a, b))
        overlap_a = sum(any(s[0] < t[1] and t[0] < s[1] for t in y) for x, y in zip(a, b) for s in x)
        overlap_b = sum(any(s[0] < t[1] and t[0] < s[1] for t in x) for x, y in zip(a, b) for s in y)
        total = total_a + total_b
        f1 = 2 * exact / total if total else float("nan")
        f1_overlap = (overlap_a + overlap_b) / total if total else float("nan")
        print(f"| {span_type} | {total_a} | {total_b} | {f1:.3f} | {f1_overlap:.3f} |")


def report_v3():
    schema = load_schema(ROOT)
    corpus = framing.read_corpus(ROOT)
    final = {s.id: s for s in corpus.sentences}
    pass_a, pass_b = (list(_read(HERE / "v3" / f"pass_{x}_units.jsonl").values()) for x in "ab")
    assert [r["id"] for r in pass_a] == [r["id"] for r in pass_b] == list(final)
    for p in (pass_a, pass_b):
        for r in p:
            r["labels"]["slant"] = derive_slant(r["labels"]["stance_russia"], r["labels"]["stance_ukraine"])[0]
    n = len(pass_a)
    print(f"Codebook v3 passes. Units: {n} (both passes label every unit); slant derived (§6).\n")
    rows = [(task, [r["labels"][task] for r in pass_a], [r["labels"][task] for r in pass_b],
             [final[r["id"]].labels[task] for r in pass_a], schema.classes(task)) for task in schema.task_names]
    rows.append(("boilerplate", [r["boilerplate"] for r in pass_a], [r["boilerplate"] for r in pass_b],
                 [final[r["id"]].boilerplate for r in pass_a], (False, True)))
    _task_table(rows, n)
    _span_table({s.id: s.text for s in corpus.sentences}, pass_a, pass_b, schema.span_types)
    arts_a, arts_b = (_read(HERE / "v3" / f"pass_{x}_articles.jsonl") for x in "ab")
    ids = sorted(arts_a)
    print(f"\nArticle level ({len(ids)} articles):\n")
    print("| task | agreements | Cohen's kappa | " + " | ".join(i[:3] for i in ids) + " |")
    print("|---|---|---|" + "---|" * len(ids))
    for task in ("slant", "primary_frame"):
        la, lb = [arts_a[i][task] for i in ids], [arts_b[i][task] for i in ids]
        finals = [(corpus.articles[i].labels["slant"] if task == "slant" else
                   json.loads(next(line for line in (ROOT / "articles.jsonl").read_text(encoding="utf-8").splitlines()
                                   if json.loads(line)["id"] == i))["primary_frame"]) for i in ids]
        cells = [f"A={x}, B={y}, final={z}" if x != y else f"{x}" for x, y, z in zip(la, lb, finals)]
        print(f"| {task} | {sum(x == y for x, y in zip(la, lb))}/{len(ids)} | {_kappa(la, lb):.3f} | " + " | ".join(cells) + " |")


def report_v2():
    schema = load_schema(HERE / "v2" / "schema_v2.json")
    final = {r["id"]: r for r in map(json.loads, (HERE / "v2" / "sentences_v2.jsonl").read_text(encoding="utf-8").splitlines())}
    pass_a, pass_b = (list(_read(HERE / "v2" / name).values()) for name in ("pass_a.jsonl", "pass_b.jsonl"))
    n = len(pass_a)
    print(f"Codebook v1 passes, adjudicated under v2. Units: {n}.\n")
    rows = [(task, [r["labels"][task] for r in pass_a], [r["labels"][task] for r in pass_b],
             [final[r["id"]]["labels"][task] for r in pass_a], schema.classes(task)) for task in schema.task_names]
    rows.append(("boilerplate", [r["boilerplate"] for r in pass_a], [r["boilerplate"] for r in pass_b],
                 [final[r["id"]]["boilerplate"] for r in pass_a], (False, True)))
    _task_table(rows, n)
    _span_table({i: r["text"] for i, r in final.items()}, pass_a, pass_b, sorted(schema.span_types))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=("v2", "v3"), default="v3")
    args = parser.parse_args(argv)
    report_v2() if args.version == "v2" else report_v3()


if __name__ == "__main__":
    main()
