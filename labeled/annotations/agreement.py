"""Inter-annotator agreement of the two blind passes, as a Markdown table.

Run from the repository root::

    python labeled/annotations/agreement.py

Prints Cohen's kappa (``sklearn.metrics.cohen_kappa_score``), raw agreement and
per-class counts for every task and for ``boilerplate``, and span agreement
(exact and overlapping matches of (offsets, type)). The numbers in
``labeled/README.md`` are this script's output.
"""
from collections import Counter
from pathlib import Path

from build_corpus import _offsets, _read  # same folder
from sklearn.metrics import cohen_kappa_score

import framing
from framing.corpus import load_schema

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "annotations"


def _span_sets(units, passes):

    return [{(*_offsets(units[r["id"]], s), s["type"]) for s in r["spans"]} for r in passes]


def main():
    schema = load_schema(ROOT)
    corpus = framing.read_corpus(ROOT)
    final = {s.id: s for s in corpus.sentences}
    pass_a, pass_b = (list(_read(HERE / name).values()) for name in ("pass_a.jsonl", "pass_b.jsonl"))
    assert [r["id"] for r in pass_a] == [r["id"] for r in pass_b] == list(final)
    n = len(pass_a)
    print(f"Units: {n} (both passes label every unit).\n")
    print("| task | Cohen's kappa | raw agreement | disagreements | counts pass A | counts pass B | final counts |")
    print("|---|---|---|---|---|---|---|")
    rows = [(task, [r["labels"][task] for r in pass_a], [r["labels"][task] for r in pass_b],
             [final[r["id"]].labels[task] for r in pass_a], schema.classes(task)) for task in schema.task_names]
    rows.append(("boilerplate", [r["boilerplate"] for r in pass_a], [r["boilerplate"] for r in pass_b],
                 [final[r["id"]].boilerplate for r in pass_a], (False, True)))
    for task, labels_a, labels_b, labels_final, classes in rows:
        kappa = cohen_kappa_score([str(v) for v in labels_a], [str(v) for v in labels_b])
        agree = sum(x == y for x, y in zip(labels_a, labels_b))

        def counts(values):
            counter = Counter(str(v) for v in values)
            return ", ".join(f"{c}={counter[str(c)]}" for c in classes if counter[str(c)])

        print(f"| {task} | {kappa:.3f} | {agree / n:.3f} | {n - agree} | {counts(labels_a)} | {counts(labels_b)} | {counts(labels_final)} |")
    units = {s.id: s.text for s in corpus.sentences}
    spans_a, spans_b = _span_sets(units, pass_a), _span_sets(units, pass_b)
    print("\n| span type | pass A | pass B | exact F1 | overlap F1 |")
    print("|---|---|---|---|---|")
    for span_type in sorted(schema.span_types):
        a = [{s for s in x if s[2] == span_type} for x in spans_a]
        b = [{s for s in x if s[2] == span_type} for x in spans_b]
        total_a, total_b = sum(map(len, a)), sum(map(len, b))
        exact = sum(len(x & y) for x, y in zip(a, b))
        overlap_a = sum(any(s[0] < t[1] and t[0] < s[1] for t in y) for x, y in zip(a, b) for s in x)
        overlap_b = sum(any(s[0] < t[1] and t[0] < s[1] for t in x) for x, y in zip(a, b) for s in y)
        f1 = 2 * exact / (total_a + total_b) if total_a + total_b else float("nan")
        f1_overlap = (overlap_a + overlap_b) / (total_a + total_b) if total_a + total_b else float("nan")
        print(f"| {span_type} | {total_a} | {total_b} | {f1:.3f} | {f1_overlap:.3f} |")


if __name__ == "__main__":
    main()
