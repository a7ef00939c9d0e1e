"""Select the items of the targets_v1 labelling round (codebook §5.1, stance toward a mentioned actor).

Deterministic (fixed seed). Run from anywhere::

    python labeled/annotations/targets_v1/select_items.py [--data DIR] [--text-dir DIR]

An *item* is one (sentence, side) pair: a sentence of the external data that mentions an actor of
one pole of ``labeled/axis_russia_ukraine.json`` (side ``russia`` or ``ukraine``), with the
character span of the **first** mention of that side in the sentence. A sentence that mentions
both sides gives two items (kept next to each other, Russia first).

Writes

- ``items.jsonl`` in this folder: ``item_id``, ``source``, ``id``, ``sha1`` (first 12 hex digits
  of the SHA-1 of the UTF-8 sentence text), ``start``, ``end`` (offsets of the mention in the
  sentence text, end exclusive), ``mention`` (the matched name, e.g. ``Kremlin``), ``side`` —
  **no sentence text**;
- ``selection.json`` in this folder: seed, counts, the matcher's term counts, input file hashes;
- ``targets_items_text.jsonl`` and ``targets_batches/batch_NN.txt`` (100 items each) in
  ``--text-dir`` (default ``../labelwork`` beside the repository), for the annotators; never
  committed (the script refuses a text folder inside the repository).

Sentence keys (``source`` / ``id``):

- ``anno-lexical`` / ``<split>:<sentence_id>`` (all three parquet files);
- ``ukraine-news-bias`` / ``article_<N>:<position_in_article>``;
- ``polnear`` / ``<split>/<article file stem>:<start>-<end>`` (train and dev; offsets of a
  ``framing.segment`` unit in ``polnear/data/<split>/text/<stem>.txt``, read as UTF-8);
- ``newsmtsc`` / ``train:<0-based line number of train.jsonl>`` (text = ``sentence_normalized``);
- ``babe`` / ``row:<0-based data row of final_labels_SG2.csv>``.

The sentence text is the source string exactly as stored, so offsets and ``sha1`` can be checked
against the data. Sentences shorter than 3 words are skipped; a text seen twice (normalised case,
punctuation and spaces) is used once, first source in the order above. The NewsMTSC devtest
files are never sampled; they are read only to drop a candidate whose normalised text also occurs
in them (five NewsMTSC train sentences do; none of them names a side, so nothing is dropped
today). If more than ``MAX_ITEMS`` items are found, sentences are sampled spread over sources
(water-filling); with the current data all 2,435 items are kept.

The matcher (``SIDE_PATTERNS``) covers the actors of each pole of the axis file: country names,
the adjectives *Russian* / *Ukrainian* only before a noun that denotes the state, its officials,
forces or their actions (*Russian troops*, *Ukrainian officials*, *Russian invasion*), *the
Russians* / *the Ukrainians*, the capitals *Moscow*, *Kyiv*, *Kiev* as metonyms (not after a
locative preposition such as *in*, not in *Kyiv region* or outlet names, not in datelines), the
Kremlin, the people listed in the axis file, and the naming variants that point at a side
(*Kiev regime*, *Putin regime*, *junta*, *occupiers*, *invaders*; the last three only in a text
about the war; *occupiers* not after *Soviet*, *Nazi*, *German*). ``pro-``/``anti-`` compounds
(*pro-Russian separatists*) are not mentions of the side's actors. The matcher is
recall-oriented: annotators flag a mention that does not denote the side (``doubt`` starting
with ``not-actor``).
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
SEED = 20251202
MIN_WORDS = 3
MAX_ITEMS = 3000
BATCH_SIZE = 100
SOURCES = ("anno-lexical", "ukraine-news-bias", "polnear", "newsmtsc", "babe")
SIDES = ("russia", "ukraine")

# --- the matcher --------------------------------------------------------------------------

# Nouns after "Russian"/"Ukrainian" that make the adjective denote the state, its officials or
# forces, or an action of theirs (codebook §5.1 rule T1). Matched case-insensitively.
_STATE_HEADS = (
    r"government|govt|authorities|officials?|president|presidency|prime\s+minister|premier|leader(?:s|ship)?|regime|state|"
    r"administration|ministry|ministers?|foreign\s+minist(?:er|ry)|defen[cs]e\s+minist(?:er|ry)|military|army|navy|"
    r"air\s+force|armed\s+forces|forces|troops|soldiers?|servicem[ae]n|tanks?|jets?|warplanes?|warships?|fleet|"
    r"missiles?|drones?|artillery|rockets?|air\s*strikes?|strikes?|attacks?|offensive|counter-?offensive|invasion|"
    r"invaders|aggression|occupation|occupiers|shelling|bombardment|bombing|side|delegation|diplomats?|ambassador|"
    r"embassy|envoys?|negotiators|intelligence|spies|agents|operatives|security\s+services|special\s+services|"
    r"parliament|lawmakers|legislators|MPs?|spokes(?:man|woman|person)|interference|meddling|hack(?:ing|ers)|propaganda|"
    r"state\s+(?:media|television|TV)|border\s+guards|commanders?|generals?|general\s+staff|units|brigades?|"
    r"battalions?|paratroopers|marines|pilots|defenders|prosecutors?|counterpart|position|demands|proposal|response|"
    r"statement|claims|troop"
)
_ADJ_MODIFIERS = (r"(?:armed|military|foreign|defen[cs]e|state|security|special|naval|air|ground|border|top|senior|government|"
                  r"occupying|occupation)")
_NOT_COMPOUND = r"(?<![Pp]ro-)(?<![Aa]nti-)(?<![Pp]ro\s)"


def _adjective(stem: str) -> str:
    return (rf"{_NOT_COMPOUND}\b{stem}(?:-(?:installed|occupied|controlled|led|held|backed))?"
            rf"(?:\s+{_ADJ_MODIFIERS}){{0,2}}\s+(?i:{_STATE_HEADS})\b"
            rf"|{_NOT_COMPOUND}\b{stem}-(?:installed|occupied|controlled|held)\b")


# Capitals as metonyms: not after a locative preposition or a verb of travel, not before a
# place noun or an outlet/institution name, not in a hyphen compound (Moscow-based).
_LOCATIVE_BEFORE = (
    "in", "In", "near", "outside", "around", "across", "into", "over", "at", "via", "toward", "towards", "through",
    "downtown", "central", "capital", "city of", "mayor of", "streets of", "centre of", "center of", "suburbs of",
    "outskirts of", "north of", "south of", "east of", "west of", "northeast of", "northwest of", "southeast of",
    "southwest of", "miles from", "km from", "trip to", "visit to", "visits to", "flew to", "flight to", "flights to",
    "flight for", "bound for", "travelled to", "traveled to", "arrived in", "returned to", "way to", "road to", "visited",
    "visiting",
)
_LOCATIVE = "".join(r"(?<!\b" + w.replace(" ", r"\s") + r"\s)" for w in _LOCATIVE_BEFORE)
_PLACE_AFTER = (r"(?![-\w])(?!\s+(?:region|oblast|province|city|suburbs?|metro|airport|residents|mayor|Independent|Post|"
                r"Times|State|University|International|School|Patriarch|Patriarchate|Project|Zoo|Rus|Oblast|Region|City|time)\b)"
                r"(?!(?:'s|’s)\s+(?:city|mayor|streets|airport|metro|residents)\b)(?!,\s+Ukraine\b)(?!,\s+Russia\b)")


def _capital(name: str) -> str:
    return rf"{_NOT_COMPOUND}{_LOCATIVE}\b{name}{_PLACE_AFTER}"


# Variants gated by a war context: only in a text that also names Ukraine, Russia, Crimea, Donbas …
_GATED = {"occupiers", "invaders", "junta", "occupying forces", "occupation forces"}

SIDE_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "russia": [
        ("Putin regime", r"\bPutin(?:'s|’s)?\s+regime\b"),
        ("Kremlin regime", r"\bKremlin\s+regime\b"),
        ("Russian Federation", rf"{_NOT_COMPOUND}\bRussian\s+Federation\b"),
        ("Russian (state/forces)", _adjective("Russian")),
        ("Russia", rf"{_NOT_COMPOUND}\bRussia\b(?!\s+Today\b)(?<!\bFair\sRussia)(?<!\bUnited\sRussia)"),
        ("the Russians", r"\b[Tt]he\s+Russians\b"),
        ("Moscow", _capital("Moscow")),
        ("Kremlin", rf"{_NOT_COMPOUND}\bKremlin\b"),
        ("Putin", r"\b(?:Vladimir\s+(?:V\.\s+)?)?Putin\b"),
        ("Lavrov", r"\b(?:Sergei\s+|Sergey\s+)?Lavrov\b"),
        ("Peskov", r"\b(?:Dmitry\s+|Dmitri\s+)?Peskov\b"),
        ("Kirill Dmitriev", r"\bKirill\s+Dmitriev\b"),
        ("Yuri Ushakov", r"\bYuri\s+Ushakov\b"),
        ("Zakharova", r"\b(?:Maria\s+)?Zakharova\b"),
        ("occupiers", r"(?<!Soviet\s)(?<!Nazi\s)(?<!German\s)\b(?:occupiers|invaders|occupying\s+forces|occupation\s+forces)\b"),
    ],
    "ukraine": [
        ("Kyiv/Kiev regime", r"\b(?:Kyiv|Kiev|Zelensk(?:y|yy|iy|yi))(?:'s|’s)?\s+(?:regime|junta)\b"),
        ("Ukrainian (state/forces)", _adjective("Ukrainian")),
        ("Ukraine", rf"{_NOT_COMPOUND}\bUkraine\b"),
        ("the Ukrainians", r"\b[Tt]he\s+Ukrainians\b"),
        ("Kyiv", _capital("Kyiv")),
        ("Kiev", _capital("Kiev")),
        ("Zelensky", r"\b(?:Volodymyr\s+)?Zelensk(?:y|yy|iy|yi)\b"),
        ("Umerov", r"\b(?:Rustem\s+)?Umerov\b"),
        ("Yermak", r"\b(?:Andriy\s+|Andrii\s+)?Yermak\b"),
        ("Budanov", r"\b(?:Kyrylo\s+)?Budanov\b"),
        ("Zaluzhnyi", r"\b(?:Valerii\s+|Valery\s+)?Zaluzhn(?:yi|y|iy)\b"),
        ("Sybiha", r"\b(?:Andrii\s+)?Sybiha\b"),
        ("NSDC", r"\bNational\s+Security\s+and\s+Defen[cs]e\s+Council\b|\bNSDC\b"),
        ("Verkhovna Rada", r"\bVerkhovna\s+Rada\b"),
        ("junta", r"\bjunta\b"),
    ],
}
_COMPILED = {side: [(label, re.compile(p, re.IGNORECASE if label.startswith("occupiers") else 0)) for label, p in pats]
             for side, pats in SIDE_PATTERNS.items()}
_WAR_CONTEXT = re.compile(r"\b(?:Ukrain\w*|Russia\w*|Crimea\w*|Donbas+|Donetsk|Luhansk|Lugansk|Kharkiv|Kherson|Mariupol|"
                          r"Zaporizhzhia|Bakhmut|Odesa|Odessa|Kyiv|Kiev|Moscow|Kremlin|Putin)\b")
# Datelines ("KYIV, Ukraine (AP) —", "MOSCOW (Reuters) -") name the place of filing, not an actor.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:,\s+[A-Z][A-Za-z .]+)?\s*(?:\([^)]{1,40}\)\s*)?(?:—|–|-|:)\s")


def find_mentions(text: str, war_context: bool) -> dict[str, tuple[int, int, str]]:
    """First mention of each side in ``text``: side -> (start, end, pattern label)."""
    masked = text
    dateline = _DATELINE.match(text)
    if dateline:
        masked = " " * dateline.end() + text[dateline.end():]
    found = {}
    for side, patterns in _COMPILED.items():
        best = None
        for label, pattern in patterns:
            if label in ("junta", "occupiers") and not war_context:
                continue
            m = pattern.search(masked)
            if m and (best is None or (m.start(), -(m.end() - m.start())) < (best[0], -(best[1] - best[0]))):
                best = (m.start(), m.end(), label)
        if best:
            found[side] = best
    return found


# --- helpers shared with frames_v1/select_units.py ---------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def folder_sha256(folder: Path, pattern: str) -> str:
    """One digest for a folder: SHA-256 over the sorted (relative path, file SHA-256) lines."""
    lines = [f"{p.relative_to(folder).as_posix()} {file_sha256(p)}\n" for p in sorted(folder.glob(pattern))]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


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


# --- sources (each yields dicts: source, id, text, context) -------------------------------


def load_anno_lexical(data: Path, inputs: dict) -> list[dict]:
    import pandas as pd

    rows = []
    for split in ("train", "dev", "test"):
        path = data / "anno-lexical" / f"{split}.parquet"
        inputs[f"anno-lexical/{split}.parquet"] = file_sha256(path)
        frame = pd.read_parquet(path, columns=["text", "sentence_id"])
        for text, sentence_id in zip(frame["text"], frame["sentence_id"], strict=True):
            rows.append({"source": "anno-lexical", "id": f"{split}:{sentence_id}", "text": str(text), "context": str(text)})
    return sorted(rows, key=lambda r: r["id"])


def load_ukraine_news_bias(data: Path, inputs: dict) -> list[dict]:
    folder = data / "ukraine-news-bias" / "articles"
    inputs["ukraine-news-bias/articles"] = folder_sha256(folder, "*.json")
    rows = []
    for path in sorted(folder.glob("article_*.json"), key=lambda p: int(p.stem.split("_")[1])):
        sentences = sorted(json.loads(path.read_text(encoding="utf-8"))["sentences"], key=lambda s: s["position_in_article"])
        by_pos = {s["position_in_article"]: s["content"] for s in sentences}
        whole = "\n".join(by_pos.values())
        for s in sentences:
            pos = s["position_in_article"]
            rows.append({"source": "ukraine-news-bias", "id": f"{path.stem}:{pos}", "text": s["content"], "context": whole,
                         "before": by_pos.get(pos - 1), "after": by_pos.get(pos + 1)})
    return rows


def load_polnear(data: Path, inputs: dict) -> list[dict]:
    import framing

    rows = []
    for split in ("train", "dev"):
        folder = data / "polnear" / "data" / split / "text"
        inputs[f"polnear/data/{split}/text"] = folder_sha256(folder, "*.txt")
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            units = framing.segment(text)
            for k, unit in enumerate(units):
                rows.append({"source": "polnear", "id": f"{split}/{path.stem}:{unit.start}-{unit.end}", "text": unit.text,
                             "context": text, "before": units[k - 1].text if k else None,
                             "after": units[k + 1].text if k + 1 < len(units) else None})
    return rows


def load_newsmtsc(data: Path, inputs: dict) -> list[dict]:
    path = data / "newsmtsc" / "train.jsonl"
    inputs["newsmtsc/train.jsonl"] = file_sha256(path)
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle):
            text = json.loads(line)["sentence_normalized"]
            rows.append({"source": "newsmtsc", "id": f"train:{line_number}", "text": text, "context": text})
    return rows


def load_babe(data: Path, inputs: dict) -> list[dict]:
    path = data / "babe" / "final_labels_SG2.csv"
    inputs["babe/final_labels_SG2.csv"] = file_sha256(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{"source": "babe", "id": f"row:{i}", "text": row["text"], "context": row["text"]}
                for i, row in enumerate(csv.DictReader(handle, delimiter=";"))]


def newsmtsc_devtest_texts(data: Path, inputs: dict) -> set[str]:
    """Normalised devtest sentences: read only to keep them out of the sample (never sampled)."""
    held = set()
    for name in ("devtest_rw.jsonl", "devtest_mt.jsonl"):
        path = data / "newsmtsc" / name
        if path.exists():
            inputs[f"newsmtsc/{name} (exclusion only)"] = file_sha256(path)
            with path.open(encoding="utf-8") as handle:
                held.update(norm(json.loads(line)["sentence_normalized"]) for line in handle)
    return held


# --- main -------------------------------------------------------------------------------


def mark(text: str, start: int, end: int) -> str:
    return f"{text[:start]}[[{text[start:end]}]]{text[end:]}"


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
    held = newsmtsc_devtest_texts(data, inputs)
    loaders = {"anno-lexical": load_anno_lexical, "ukraine-news-bias": load_ukraine_news_bias, "polnear": load_polnear,
               "newsmtsc": load_newsmtsc, "babe": load_babe}
    seen: set[str] = set()
    dropped = Counter()
    term_counts = Counter()
    sentences = defaultdict(list)  # source -> sentences with their mentions
    war_context: dict[str, bool] = {}  # context text -> names the war (cached per article)
    for source in SOURCES:
        for row in loaders[source](data, inputs):
            key = norm(row["text"])
            if len(row["text"].split()) < MIN_WORDS:
                continue
            if row["context"] not in war_context:
                war_context[row["context"]] = bool(_WAR_CONTEXT.search(row["context"]))
            mentions = find_mentions(row["text"], war_context[row["context"]])
            if not mentions:
                continue
            if key in held:
                dropped[f"{source}: text in NewsMTSC devtest"] += 1
                continue
            if key in seen:
                dropped[f"{source}: duplicate text"] += 1
                continue
            seen.add(key)
            row["mentions"] = mentions
            del row["context"]
            sentences[source].append(row)
            term_counts.update(f"{side}: {m[2]}" for side, m in mentions.items())
        war_context.clear()

    found = {s: sum(len(r["mentions"]) for r in sentences[s]) for s in SOURCES}
    total = sum(found.values())
    chosen = {s: list(sentences[s]) for s in SOURCES}
    if total > MAX_ITEMS:  # sample sentences, spread over sources, until the items fit
        budget = allocate(found, MAX_ITEMS, rng)
        for s in SOURCES:
            pool = list(sentences[s])
            rng.shuffle(pool)
            kept, n = [], 0
            for row in pool:
                if n + len(row["mentions"]) <= budget[s]:
                    kept.append(row)
                    n += len(row["mentions"])
            chosen[s] = sorted(kept, key=lambda r: r["id"])

    order = [row for s in SOURCES for row in chosen[s]]
    rng.shuffle(order)
    items = []
    for row in order:
        for side in SIDES:
            if side in row["mentions"]:
                start, end, label = row["mentions"][side]
                items.append({"item_id": f"S{len(items) + 1:04d}", "source": row["source"], "id": row["id"],
                              "sha1": sha1_12(row["text"]), "start": start, "end": end, "mention": row["text"][start:end],
                              "side": side, "_row": row, "_label": label})

    with (HERE / "items.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({k: v for k, v in item.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")

    text_dir.mkdir(parents=True, exist_ok=True)
    with (text_dir / "targets_items_text.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            row = item["_row"]
            record = {"item_id": item["item_id"], "side": item["side"], "mention": item["mention"], "start": item["start"],
                      "end": item["end"], "text": row["text"], "marked": mark(row["text"], item["start"], item["end"]),
                      "context_before": row.get("before"), "context_after": row.get("after")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    batch_dir = text_dir / "targets_batches"
    batch_dir.mkdir(exist_ok=True)
    for old in batch_dir.glob("batch_*.txt"):
        old.unlink()
    side_name = {"russia": "RUSSIA side", "ukraine": "UKRAINE side"}
    for b in range(0, len(items), BATCH_SIZE):
        batch = items[b:b + BATCH_SIZE]
        number = b // BATCH_SIZE + 1
        lines = [f"# targets_v1 batch {number:02d}: items {batch[0]['item_id']}-{batch[-1]['item_id']} ({len(batch)} items)",
                 "# Stance toward the [[marked]] actor of the named side, in TEXT; 'before'/'after' are context only.",
                 "# One JSON line per item, see INSTRUCTIONS.md.", ""]
        for item in batch:
            row = item["_row"]
            lines.append(f"{item['item_id']}  target: [[{item['mention']}]] = {side_name[item['side']]}")
            if row.get("before"):
                lines.append(f"  before: {row['before'].strip()}")
            lines.append(f"  TEXT:   {mark(row['text'], item['start'], item['end']).strip()}")
            if row.get("after"):
                lines.append(f"  after:  {row['after'].strip()}")
            lines.append("")
        (batch_dir / f"batch_{number:02d}.txt").write_text("\n".join(lines), encoding="utf-8")

    counts = Counter(item["source"] for item in items)
    summary = {
        "seed": SEED,
        "max_items": MAX_ITEMS,
        "min_words": MIN_WORDS,
        "found_items": found,
        "found_sentences": {s: len(sentences[s]) for s in SOURCES},
        "items": {s: counts[s] for s in SOURCES},
        "sentences": {s: len(chosen[s]) for s in SOURCES},
        "items_by_side": dict(Counter(item["side"] for item in items)),
        "polnear_items_by_split": dict(Counter(i["id"].split("/")[0] for i in items if i["source"] == "polnear")),
        "matched_terms": dict(term_counts.most_common()),
        "dropped": dict(sorted(dropped.items())),
        "inputs_sha256": dict(sorted(inputs.items())),
    }
    (HERE / "selection.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("found_items", "items", "sentences", "items_by_side", "polnear_items_by_split")}))
    print(f"{len(items)} items -> {HERE / 'items.jsonl'}; texts -> {text_dir / 'targets_items_text.jsonl'}, "
          f"{-(-len(items) // BATCH_SIZE)} batches in {batch_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
