"""Select the sentences of the frames_v1 labelling round (codebook §7.1, multi-label frames).

Deterministic (fixed seed): the same data gives the same units in the same order. Run from anywhere::

    python labeled/annotations/frames_v1/select_units.py [--data DIR] [--text-dir DIR]

Reads the external data (``--data``, else ``$FRAMING_DATA``, else ``../shared/data`` beside the
repository) and writes

- ``units.jsonl`` in this folder: one line per unit, ``unit_id``, ``source``, ``id``, ``sha1``
  (first 12 hex digits of the SHA-1 of the UTF-8 sentence text) — **no text**; the training
  recipe reads the text back from the data folder by (source, id) and checks ``sha1``;
- ``selection.json`` in this folder: seed, quotas, counts and the SHA-256 of every input file;
- ``frames_units_text.jsonl`` and ``frames_batches/batch_NN.txt`` (100 units each) in
  ``--text-dir`` (default ``../labelwork`` beside the repository): the texts for the annotators.
  They must never be committed; the script refuses a text folder inside the repository.

Unit keys (``source`` / ``id``):

- ``anno-lexical`` / ``<split>:<sentence_id>`` (split = train, dev or test parquet file);
- ``babe`` / ``row:<i>``, ``i`` the 0-based data row of ``babe/final_labels_SG2.csv`` (header excluded);
- ``polnear`` / ``train/<article file stem>:<start>-<end>``, character offsets of a
  ``framing.segment`` unit in ``polnear/data/train/text/<stem>.txt`` (read as UTF-8);
- ``ukraine-news-bias`` / ``article_<N>:<position_in_article>``.

The sentence text is the source string exactly as stored (no stripping), so ``sha1`` can be
recomputed from the data.

Sampling: anno-lexical 1,000 spread evenly over its outlets (all three splits pooled; the
even share is the per-outlet cap); BABE 500 spread over its topics (spelling variants of one
topic merged), then outlets; PolNeAR 500 from the train split, spread over publisher and the
candidate the article is about, at most 6 units per article; ukraine-news-bias 400 spread
evenly over its 60 articles. Units shorter than 6 words are skipped in every source; a text that
occurs twice (after normalising case, punctuation and spaces) is used once. FrAC and the
Narrative Frames Corpus (held-out frame gold sets), PolNeAR dev and the NewsMTSC devtest files
are never sampled, and a candidate whose normalised text also occurs in FrAC, the Narrative
Frames Corpus or PolNeAR dev is dropped, so that frame training cannot see a measurement text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

# The library's own digests: the label readers check these very hashes.
from framing.datasets import file_sha256
from framing.datasets._project_labels import sha1_12

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SEED = 20251201
MIN_WORDS = 6
BATCH_SIZE = 100
QUOTAS = {"anno-lexical": 1000, "babe": 500, "polnear": 500, "ukraine-news-bias": 400}
POLNEAR_PER_ARTICLE = 4  # target units per PolNeAR article (hard cap below)
POLNEAR_MAX_PER_ARTICLE = 6
ANNO_LEXICAL_SPLITS = ("train", "dev", "test")
# BABE spells some topics two ways; merged for the spread only.
BABE_TOPIC_ALIASES = {"blm": "black lives matter", "vaccines": "vaccine", "gun-control": "gun control"}


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def n_words(text: str) -> int:
    return len(text.split())


def folder_sha256(folder: Path, pattern: str) -> str:
    """One digest for a folder: SHA-256 over the sorted (relative path, file SHA-256) lines."""
    lines = [f"{p.relative_to(folder).as_posix()} {file_sha256(p)}\n" for p in sorted(folder.glob(pattern))]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


# --- deterministic spread sampling -------------------------------------------------------


def allocate(sizes: dict, n: int, rng: random.Random) -> dict:
    """Water-filling: share ``n`` as evenly as possible over groups of the given sizes."""
    alloc = dict.fromkeys(sorted(sizes), 0)
    remaining = min(n, sum(sizes.values()))
    open_keys = [k for k in alloc if sizes[k] > 0]
    while remaining > 0 and open_keys:
        share = remaining // len(open_keys)
        if share == 0:
            for k in rng.sample(open_keys, remaining):
                alloc[k] += 1
            break
        for k in open_keys:
            take = min(share, sizes[k] - alloc[k])
            alloc[k] += take
            remaining -= take
        open_keys = [k for k in open_keys if alloc[k] < sizes[k]]
    return alloc


def spread(items: list, keys: list, n: int, rng: random.Random) -> list:
    """Sample ``n`` items spread evenly over ``keys[0]``, then ``keys[1]`` within each group, …"""
    if n >= len(items):
        return list(items)
    if not keys:
        return rng.sample(items, n)
    groups = defaultdict(list)
    for item in items:
        groups[keys[0](item)].append(item)
    alloc = allocate({k: len(v) for k, v in groups.items()}, n, rng)
    chosen = []
    for key in sorted(groups):
        chosen.extend(spread(groups[key], keys[1:], alloc[key], rng))
    return chosen


# --- sources ----------------------------------------------------------------------------


def load_anno_lexical(data: Path, inputs: dict) -> list[dict]:
    import pandas as pd

    rows = []
    for split in ANNO_LEXICAL_SPLITS:
        path = data / "anno-lexical" / f"{split}.parquet"
        inputs[f"anno-lexical/{split}.parquet"] = file_sha256(path)
        frame = pd.read_parquet(path, columns=["text", "source_name", "sentence_id"])
        for text, outlet, sentence_id in zip(frame["text"], frame["source_name"], frame["sentence_id"], strict=True):
            rows.append({"source": "anno-lexical", "id": f"{split}:{sentence_id}", "text": str(text), "outlet": str(outlet)})
    return sorted(rows, key=lambda r: r["id"])


def load_babe(data: Path, inputs: dict) -> list[dict]:
    path = data / "babe" / "final_labels_SG2.csv"
    inputs["babe/final_labels_SG2.csv"] = file_sha256(path)
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter=";")):
            if row["label_bias"] == "No agreement":  # the data set's README: drop it
                continue
            topic = row["topic"].strip().lower()
            rows.append({"source": "babe", "id": f"row:{i}", "text": row["text"], "outlet": row["outlet"],
                         "topic": BABE_TOPIC_ALIASES.get(topic, topic)})
    return rows


def polnear_metadata(data: Path) -> dict[str, dict]:
    meta = {}
    with (data / "polnear" / "data" / "metadata.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            trump, clinton = int(row["trump_count"] or 0), int(row["clinton_count"] or 0)
            target = "trump" if trump > clinton else "clinton" if clinton > trump else "draw"
            meta[row["filename"]] = {"publisher": row["publisher"], "target": target}
    return meta


def segment_file(path: Path):
    import framing

    text = path.read_text(encoding="utf-8")
    return text, framing.segment(text)


def load_polnear(data: Path, split: str, inputs: dict) -> list[dict]:
    folder = data / "polnear" / "data" / split / "text"
    inputs[f"polnear/data/{split}/text"] = folder_sha256(folder, "*.txt")
    meta = polnear_metadata(data)
    rows = []
    for path in sorted(folder.glob("*.txt")):
        stem = path.stem
        info = meta.get(stem, {"publisher": stem.split("_", 1)[0], "target": "draw"})
        _, units = segment_file(path)
        for k, unit in enumerate(units):
            rows.append({"source": "polnear", "id": f"{split}/{stem}:{unit.start}-{unit.end}", "text": unit.text,
                         "article": stem, "outlet": info["publisher"], "topic": info["target"],
                         "before": units[k - 1].text if k else None,
                         "after": units[k + 1].text if k + 1 < len(units) else None})
    return rows


def load_ukraine_news_bias(data: Path, inputs: dict) -> list[dict]:
    folder = data / "ukraine-news-bias" / "articles"
    inputs["ukraine-news-bias/articles"] = folder_sha256(folder, "*.json")
    rows = []
    for path in sorted(folder.glob("article_*.json"), key=lambda p: int(p.stem.split("_")[1])):
        article = json.loads(path.read_text(encoding="utf-8"))
        sentences = sorted(article["sentences"], key=lambda s: s["position_in_article"])
        by_pos = {s["position_in_article"]: s["content"] for s in sentences}
        for s in sentences:
            pos = s["position_in_article"]
            rows.append({"source": "ukraine-news-bias", "id": f"{path.stem}:{pos}", "text": s["content"], "article": path.stem,
                         "before": by_pos.get(pos - 1), "after": by_pos.get(pos + 1)})
    return rows


def held_out_texts(data: Path, inputs: dict) -> set[str]:
    """Normalised texts of the frame gold sets (FrAC, Narrative Frames) and of PolNeAR dev: never sampled."""
    import framing

    held = set()
    for name in ("gold_standard_single_label_all.csv", "final_gold_single.csv"):
        path = data / "frac" / name
        if path.exists():
            inputs[f"frac/{name}"] = file_sha256(path)
            with path.open(encoding="utf-8", newline="") as handle:
                held.update(norm(row["sentence"]) for row in csv.DictReader(handle))
    path = data / "narrative-frames" / "articles_metadata.tsv"
    if path.exists():
        inputs["narrative-frames/articles_metadata.tsv"] = file_sha256(path)
        csv.field_size_limit(sys.maxsize)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                held.update(norm(u.text) for u in framing.segment(row["text"]))
    dev = data / "polnear" / "data" / "dev" / "text"
    if dev.is_dir():
        for p in sorted(dev.glob("*.txt")):
            held.update(norm(u.text) for u in segment_file(p)[1])
    held.discard("")
    return held


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("FRAMING_DATA") or REPO.parent / "shared" / "data"))
    parser.add_argument("--text-dir", type=Path, default=REPO.parent / "labelwork")
    args = parser.parse_args(argv)
    data, text_dir = args.data.resolve(), args.text_dir.resolve()
    if text_dir == REPO or REPO in text_dir.parents:
        parser.error(f"--text-dir {text_dir} is inside the repository: sentence texts must stay outside it")

    rng = random.Random(SEED)
    inputs: dict[str, str] = {}
    held = held_out_texts(data, inputs)
    pools = {
        "anno-lexical": load_anno_lexical(data, inputs),
        "babe": load_babe(data, inputs),
        "polnear": load_polnear(data, "train", inputs),
        "ukraine-news-bias": load_ukraine_news_bias(data, inputs),
    }

    # Eligibility: length, held-out texts, duplicates (first occurrence in source order wins).
    seen: set[str] = set()
    dropped = Counter()
    for source, rows in pools.items():
        kept = []
        for row in rows:
            key = norm(row["text"])
            if n_words(row["text"]) < MIN_WORDS:
                dropped[f"{source}: shorter than {MIN_WORDS} words"] += 1
            elif key in held:
                dropped[f"{source}: text in a held-out set"] += 1
            elif key in seen:
                dropped[f"{source}: duplicate text"] += 1
            else:
                seen.add(key)
                kept.append(row)
        pools[source] = kept

    chosen = {
        "anno-lexical": spread(pools["anno-lexical"], [lambda r: r["outlet"]], QUOTAS["anno-lexical"], rng),
        "babe": spread(pools["babe"], [lambda r: r["topic"], lambda r: r["outlet"]], QUOTAS["babe"], rng),
        "ukraine-news-bias": spread(pools["ukraine-news-bias"], [lambda r: r["article"]], QUOTAS["ukraine-news-bias"], rng),
    }
    # PolNeAR: pick articles spread over publisher and candidate, then units spread over them.
    by_article = defaultdict(list)
    for row in pools["polnear"]:
        by_article[row["article"]].append(row)
    articles = [{"article": a, "outlet": rows[0]["outlet"], "topic": rows[0]["topic"]} for a, rows in sorted(by_article.items())]
    n_articles = -(-QUOTAS["polnear"] // POLNEAR_PER_ARTICLE) + 5  # a few spare for short articles
    picked = spread(articles, [lambda a: a["outlet"], lambda a: a["topic"]], n_articles, rng)
    candidates = [row for a in sorted(p["article"] for p in picked) for row in by_article[a]]
    chosen["polnear"] = spread(candidates, [lambda r: r["outlet"], lambda r: r["article"]], QUOTAS["polnear"], rng)
    per_article = Counter(r["article"] for r in chosen["polnear"])
    assert max(per_article.values()) <= POLNEAR_MAX_PER_ARTICLE, per_article.most_common(3)

    units = [row for source in QUOTAS for row in sorted(chosen[source], key=lambda r: r["id"])]
    rng.shuffle(units)  # mix sources within every batch
    for k, row in enumerate(units, start=1):
        row["unit_id"] = f"F{k:04d}"

    with (HERE / "units.jsonl").open("w", encoding="utf-8") as out:
        for row in units:
            record = {"unit_id": row["unit_id"], "source": row["source"], "id": row["id"], "sha1": sha1_12(row["text"])}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    text_dir.mkdir(parents=True, exist_ok=True)
    with (text_dir / "frames_units_text.jsonl").open("w", encoding="utf-8") as out:
        for row in units:
            record = {"unit_id": row["unit_id"], "text": row["text"], "context_before": row.get("before"),
                      "context_after": row.get("after")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    batch_dir = text_dir / "frames_batches"
    batch_dir.mkdir(exist_ok=True)
    for old in batch_dir.glob("batch_*.txt"):
        old.unlink()
    for b in range(0, len(units), BATCH_SIZE):
        batch = units[b:b + BATCH_SIZE]
        number = b // BATCH_SIZE + 1
        lines = [f"# frames_v1 batch {number:02d}: units {batch[0]['unit_id']}-{batch[-1]['unit_id']} ({len(batch)} units)",
                 "# Label TEXT only; 'before'/'after' are context. One JSON line per unit, see INSTRUCTIONS.md.", ""]
        for row in batch:
            lines.append(row["unit_id"])
            if row.get("before"):
                lines.append(f"  before: {row['before'].strip()}")
            lines.append(f"  TEXT:   {row['text'].strip()}")
            if row.get("after"):
                lines.append(f"  after:  {row['after'].strip()}")
            lines.append("")
        (batch_dir / f"batch_{number:02d}.txt").write_text("\n".join(lines), encoding="utf-8")

    counts = Counter(row["source"] for row in units)
    anno_outlets = Counter(r["outlet"] for r in chosen["anno-lexical"])
    summary = {
        "seed": SEED,
        "min_words": MIN_WORDS,
        "quotas": QUOTAS,
        "counts": {s: counts[s] for s in QUOTAS},
        "anno_lexical": {"outlets": len(anno_outlets), "max_per_outlet": max(anno_outlets.values()),
                         "splits": dict(Counter(r["id"].split(":")[0] for r in chosen["anno-lexical"]))},
        "babe_topics": len({r["topic"] for r in chosen["babe"]}),
        "polnear": {"articles": len(per_article), "max_per_article": max(per_article.values())},
        "ukraine_news_bias_articles": len({r["article"] for r in chosen["ukraine-news-bias"]}),
        "dropped": dict(sorted(dropped.items())),
        "inputs_sha256": dict(sorted(inputs.items())),
    }
    (HERE / "selection.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("counts", "anno_lexical", "babe_topics", "polnear", "ukraine_news_bias_articles")}))
    print(f"{len(units)} units -> {HERE / 'units.jsonl'}; texts -> {text_dir / 'frames_units_text.jsonl'}, "
          f"{-(-len(units) // BATCH_SIZE)} batches in {batch_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
