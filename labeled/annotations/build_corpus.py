"""Rebuild ``labeled/sentences.jsonl`` from the two blind passes and the adjudication.

Run from the repository root::

    python labeled/annotations/build_corpus.py

Units and their offsets come from :func:`framing.segment` over ``labeled/articles``;
labels from ``pass_a.jsonl`` / ``pass_b.jsonl`` where they agree and from
``adjudication.json`` where they do not. Fails loudly if a disagreement has no
decision, or a decision has no disagreement.
"""
import json
import sys
from pathlib import Path

import framing
from framing.corpus import LabeledSentence, Span, write_jsonl_atomic

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "annotations"


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle)}


def _offsets(unit_text, span):
    start = -1
    for _ in range(span.get("occurrence", 1)):
        start = unit_text.find(span["text"], start + 1)
        if start < 0:
            raise ValueError(f"span {span['text']!r} not found in {unit_text!r}")
    return start, start + len(span["text"])


def merge_spans(text, spans_a, spans_b):
    merged = [(*_offsets(text, s), s["type"]) for s in spans_a]
    for s in spans_b:
        start, end = _offsets(text, s)
        if not any(t == s["type"] and start < e and b < end for b, e, t in merged):
            merged.append((start, end, s["type"]))
    return sorted(set(merged))


def main():
    schema = framing.corpus.load_schema(ROOT)
    pass_a, pass_b = _read(HERE / "pass_a.jsonl"), _read(HERE / "pass_b.jsonl")
    decisions = json.loads((HERE / "adjudication.json").read_text(encoding="utf-8"))["decisions"]
    used = set()
    records = []
    for path in sorted((ROOT / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for position, unit in enumerate(framing.segment(text)):
            unit_id = f"{path.stem}-{position:04d}"
            a, b = pass_a[unit_id], pass_b[unit_id]
            labels = {}
            for task in schema.task_names:
                if a["labels"][task] == b["labels"][task]:
                    labels[task] = a["labels"][task]
                else:
                    labels[task] = decisions[unit_id][task][0]
                    used.add((unit_id, task))
            if a["boilerplate"] != b["boilerplate"]:
                raise SystemExit(f"{unit_id}: boilerplate disagreement needs a decision")
            notes = [n for n in (a.get("note", ""), b.get("note", "")) if n]
            decided = decisions.get(unit_id, {})
            if decided:
                notes = ["adjudicated: " + "; ".join(f"{task}={value!r} ({why})" for task, (value, why) in decided.items())] + notes
            spans = tuple(Span(start, end, kind, unit.text[start:end])
                          for start, end, kind in merge_spans(unit.text, a["spans"], b["spans"]))
            records.append(LabeledSentence(
                text=unit.text, labels=labels, article=path.stem, id=unit_id, position=position,
                start=unit.start, end=unit.end, spans=spans, boilerplate=a["boilerplate"],
                note=" | ".join(notes)).to_record())
    unused = {(u, t) for u, tasks in decisions.items() for t in tasks} - used
    if unused:
        raise SystemExit(f"decisions without a disagreement: {sorted(unused)}")
    write_jsonl_atomic(ROOT / schema.sentences_file, records)
    print(f"wrote {len(records)} sentences; {len(used)} labels adjudicated", file=sys.stderr)


if __name__ == "__main__":
    main()
