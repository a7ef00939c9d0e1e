"""Rebuild the corpus files from the blind passes and the adjudication.

Run from the repository root::

    python labeled/annotations/build_corpus.py            # v3: labeled/sentences.jsonl + labeled/articles.jsonl
    python labeled/annotations/build_corpus.py --version v2   # v2 archive: annotations/v2/sentences_v2.jsonl

**v3** (default). Units and offsets come from :func:`framing.segment` over ``labeled/articles``;
labels and spans from ``annotations/v3/adjudication.jsonl`` (every unit adjudicated under codebook
v3.1). The script checks that every adjudicated label equals the passes' label where they agree,
unless the decision says it overrules both, and equals one of the two where they disagree. The
sentence task ``slant`` is not annotated: it is **derived** here from ``stance_russia`` and
``stance_ukraine`` by the rule of codebook §6 (:func:`derive_slant`), and so are the 14 binary tasks
of the schema's ``policy`` frame set from the annotated ``frame`` (:func:`derive_frames`; the
schema marks every derived task ``"annotated": false``). Article-level ``slant`` and
``primary_frame`` come from ``annotations/v3/adjudication_articles.jsonl``; outlet and date
metadata are kept from the current ``articles.jsonl``.

**v2**. Labels from ``annotations/v2/pass_a.jsonl`` / ``pass_b.jsonl`` where they agree and from
``annotations/v2/adjudication.json`` where they do not (the corpus as shipped before v3).
"""
import argparse
import json
import sys
from pathlib import Path

import framing
from framing.data import LabeledSentence, Span
from framing.data._writing import write_jsonl_atomic

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "annotations"
V2, V3 = HERE / "v2", HERE / "v3"
STANCES = ("stance_russia", "stance_ukraine", "stance_us", "stance_europe")


def derive_slant(stance_russia, stance_ukraine):
    """Codebook §6: the sentence slant and its basis from the Russia and Ukraine stances.

    >>> derive_slant("unfavourable", "neutral")
    ('pro_ukraine', 'stance')
    >>> derive_slant("favourable", "favourable")
    ('neutral', 'conflict')
    >>> derive_slant("neutral", "unclear")
    ('neutral', 'unclear')
    """
    pro_ukraine = stance_ukraine == "favourable" or stance_russia == "unfavourable"
    pro_russia = stance_russia == "favourable" or stance_ukraine == "unfavourable"
    if pro_ukraine and not pro_russia:
        return "pro_ukraine", "stance"
    if pro_russia and not pro_ukraine:
        return "pro_russia", "stance"
    if pro_russia and pro_ukraine:
        return "neutral", "conflict"
    return "neutral", "unclear" if "unclear" in (stance_russia, stance_ukraine) else "neutral"


def derive_frames(frame, boilerplate, frame_set):
    """The binary frame labels of a single-label unit: ``frame_<name> = frame == '<name>'``.

    Boilerplate units and units labelled ``other`` are false for every frame of ``frame_set``.

    >>> from framing.data import FrameSet
    >>> policy = FrameSet("policy", ("economic", "political"), ("frame_economic", "frame_political"))
    >>> derive_frames("political", False, policy)
    {'frame_economic': False, 'frame_political': True}
    >>> derive_frames("political", True, policy)
    {'frame_economic': False, 'frame_political': False}
    """
    return {task: not boilerplate and frame == name for name, task in zip(frame_set.frames, frame_set.tasks)}


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return {record.get("id") or record.get("article"): record for record in map(json.loads, handle) if record}


def _offsets(unit_text, span):
    if "start" in span and "end" in span:
        return span["start"], span["end"]
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


def _units():
    for path in sorted((ROOT / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for position, unit in enumerate(framing.segment(text)):
            yield path.stem, position, f"{path.stem}-{position:04d}", unit


def build_v3():
    schema = framing.data.load_schema(ROOT)
    declared = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))["tasks"]
    pass_a, pass_b = _read(V3 / "pass_a_units.jsonl"), _read(V3 / "pass_b_units.jsonl")
    final = _read(V3 / "adjudication.jsonl")
    annotated = [t for t in schema.task_names if declared[t].get("annotated", True)]
    policy = schema.frame_set("policy")
    records, decided, overruled = [], 0, 0
    for article, position, unit_id, unit in _units():
        a, b, f = pass_a[unit_id], pass_b[unit_id], final[unit_id]
        if a["boilerplate"] != b["boilerplate"] or f["boilerplate"] != a["boilerplate"]:
            raise SystemExit(f"{unit_id}: boilerplate disagreement needs a decision")
        labels = {}
        for task in annotated:
            value, va, vb = f["labels"][task], a["labels"][task], b["labels"][task]
            if va == vb and value != va and f"{task}={value!r}: overrules both" not in f["reason"]:
                raise SystemExit(f"{unit_id}: {task} differs from the agreed label without an overrule")
            if va != vb and (value not in (va, vb) or f"{task}={value!r} (A=" not in f["reason"]):
                raise SystemExit(f"{unit_id}: {task} disagreement needs a decision naming the rule")
            decided += va != vb
            overruled += va == vb and value != va
            labels[task] = value
        labels["slant"], basis = derive_slant(labels["stance_russia"], labels["stance_ukraine"])
        labels.update(derive_frames(labels["frame"], f["boilerplate"], policy))
        labels = {task: labels[task] for task in schema.task_names}
        notes = list(f["tags"])
        if basis in ("unclear", "conflict"):
            notes.append(f"[slant_basis={basis}]")
        if f["reason"] != "agreed":
            notes.append("adjudicated: " + f["reason"])
        notes += [n for n in (f["note_a"], f["note_b"]) if n]
        spans = tuple(Span(s["start"], s["end"], s["type"], unit.text[s["start"]:s["end"]]) for s in f["spans"])
        for span, raw in zip(spans, f["spans"]):
            if span.text != raw["text"]:
                raise SystemExit(f"{unit_id}: span {raw} does not match the unit text")
        records.append(LabeledSentence(
            text=unit.text, labels=labels, article=article, id=unit_id, position=position,
            start=unit.start, end=unit.end, spans=spans, boilerplate=f["boilerplate"],
            note=" | ".join(notes)).to_record())
    if set(final) != {r["id"] for r in records}:
        raise SystemExit("adjudication.jsonl and the segmenter's units differ")
    write_jsonl_atomic(ROOT / schema.sentences_file, records)
    articles = [json.loads(line) for line in (ROOT / schema.articles_file).read_text(encoding="utf-8").splitlines() if line]
    decisions = _read(V3 / "adjudication_articles.jsonl")
    for record in articles:
        d = decisions[record["id"]]
        record["labels"] = {"slant": d["slant"]}
        record["justification"] = d["slant_justification"]
        record["primary_frame"] = d["primary_frame"]
        record["primary_frame_justification"] = d["primary_frame_justification"]
    write_jsonl_atomic(ROOT / schema.articles_file, articles)
    print(f"wrote {len(records)} sentences ({decided} disagreements decided, {overruled} agreed labels overruled) "
          f"and {len(articles)} articles", file=sys.stderr)


def build_v2():
    schema = framing.data.load_schema(V2 / "schema_v2.json")
    pass_a, pass_b = _read(V2 / "pass_a.jsonl"), _read(V2 / "pass_b.jsonl")
    decisions = json.loads((V2 / "adjudication.json").read_text(encoding="utf-8"))["decisions"]
    used, records = set(), []
    for article, position, unit_id, unit in _units():
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
            text=unit.text, labels=labels, article=article, id=unit_id, position=position,
            start=unit.start, end=unit.end, spans=spans, boilerplate=a["boilerplate"],
            note=" | ".join(notes)).to_record())
    unused = {(u, t) for u, tasks in decisions.items() for t in tasks} - used
    if unused:
        raise SystemExit(f"decisions without a disagreement: {sorted(unused)}")
    write_jsonl_atomic(V2 / "sentences_v2.jsonl", records)
    print(f"wrote {len(records)} v2 sentences; {len(used)} labels adjudicated", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=("v2", "v3"), default="v3")
    args = parser.parse_args(argv)
    build_v2() if args.version == "v2" else build_v3()


if __name__ == "__main__":
    main()
