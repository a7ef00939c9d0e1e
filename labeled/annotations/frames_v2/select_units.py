"""Select the sentences of the frames_v2 labelling round (codebook §7.1, multi-label frames).

Deterministic (fixed seed): the same data gives the same units in the same order. Run from anywhere::

    python labeled/annotations/frames_v2/select_units.py [--data DIR] [--text-dir DIR]

frames_v2 adds 600 sentences to the 2,400 of frames_v1, **enriched** for the four frames that
frames_v1 found too rarely (capacity_and_resources 21, quality_of_life 21, cultural_identity 47,
morality 49): within each source most units are drawn from the sentences that match a keyword
screen of one of those frames (``SCREENS``), the rest at random. The round is therefore not a
random sample of any source.

Reads the external data (``--data``, else ``$FRAMING_DATA``, else ``../shared/data`` beside the
repository) and ``../frames_v1/units.jsonl``, and writes

- ``units.jsonl`` in this folder: one line per unit, ``unit_id``, ``source``, ``id``, ``sha1``
  (first 12 hex digits of the SHA-1 of the UTF-8 sentence text) and ``screen`` (the frame whose
  keywords selected the unit, or ``random``) — **no text**; never shown to annotators;
- ``selection.json`` in this folder: seed, quotas, keyword lists, per-source per-screen counts,
  drops and the SHA-256 of every input file;
- in ``--text-dir`` (default ``../labelwork/frames_v2`` beside the repository):
  ``frames_units_text.jsonl``, ``frames_batches/batch_NN.txt`` (100 units each) and the
  annotator bundle ``bundle/`` (``CODEBOOK.md``, ``INSTRUCTIONS.md``, the batches and the JSON
  lines). They must never be committed; the script refuses a text folder inside the repository.

Unit keys, the ``sha1`` rule, the sources and their loaders are those of frames_v1 (imported
from ``../frames_v1/select_units.py``): anno-lexical (all three splits), BABE, PolNeAR train and
ukraine-news-bias. As in frames_v1, units shorter than 6 words are skipped, a text that occurs
twice (after normalising case, punctuation and spaces) is used once, and FrAC, the Narrative
Frames Corpus, PolNeAR dev and the NewsMTSC devtest files are never sampled: a candidate whose
normalised text occurs in one of them is dropped (NewsMTSC devtest is added to frames_v1's list).
New: a frames_v1 unit, or a text whose normalised form equals that of a frames_v1 unit, is
never selected.

Selection per source (150 units): the screens in the order of ``SCREENS``, each drawing its quota
from the eligible sentences that match its keywords and were not drawn by an earlier screen,
then ``random`` drawing the rest from all remaining eligible sentences; every draw is spread as
in frames_v1 (anno-lexical over outlets; BABE over topics, then outlets; PolNeAR over publisher,
candidate, then article; ukraine-news-bias over articles), with at most ``MAX_PER_ARTICLE``
units of one PolNeAR or ukraine-news-bias article in the round. A screen with too few
candidates takes them all and ``random`` makes up the difference (recorded in
``selection.json``). The 600 units are then shuffled together, so that a unit's position tells
neither its source nor its screen, and numbered ``G0001`` … ``G0600``.

A keyword matches case-insensitively as a whole word or phrase (not inside a longer word); a
space or hyphen inside a phrase matches any run of spaces or hyphens. Inflected forms are listed
explicitly.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

from framing.datasets import file_sha256
from framing.datasets._project_labels import sha1_12

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
V1_DIR = HERE.parent / "frames_v1"
ROUND = "frames_v2"
UNIT_PREFIX = "G"
SEED = 20261203
BATCH_SIZE = 100
SOURCES = ("anno-lexical", "babe", "polnear", "ukraine-news-bias")
PER_SOURCE = 150
MAX_PER_ARTICLE = 6  # PolNeAR and ukraine-news-bias, over the whole round

#: Keyword screens, in the order they draw (the rarest frames of frames_v1 first would change
#: little: few sentences match two screens; the order is recorded with the counts).
SCREENS: dict[str, tuple[str, ...]] = {
    "capacity_and_resources": (
        "shortage", "shortages", "shortfall", "shortfalls", "understaffed", "understaffing", "backlog",
        "backlogs", "overwhelmed", "overcrowded", "overcrowding", "capacity", "capacities", "stretched thin",
        "not enough", "running out", "ran out", "run out", "stockpile", "stockpiles", "ammunition", "beds",
        "scarce", "scarcity", "depleted", "under-resourced",
    ),
    "quality_of_life": (
        "daily life", "daily lives", "everyday", "quality of life", "commute", "commutes", "commuters",
        "commuting", "housing", "living conditions", "standard of living", "neighbourhood", "neighbourhoods",
        "neighborhood", "neighborhoods", "rent", "rents", "leisure", "well-being", "wellbeing",
    ),
    "cultural_identity": (
        "tradition", "traditions", "traditional", "heritage", "cultural", "culture", "cultures", "identity",
        "identities", "language", "languages", "customs", "religion", "religions", "religious", "ethnic",
        "ethnicity", "flag", "flags", "monument", "monuments",
    ),
    "morality": (
        "moral", "morally", "morality", "immoral", "ethical", "ethics", "unethical", "sin", "sins", "sinful",
        "evil", "conscience", "god", "faith", "shameful", "duty", "decency",
    ),
}
#: Units per source drawn by each screen, and at random (sums to PER_SOURCE).
QUOTAS = {"capacity_and_resources": 38, "quality_of_life": 38, "cultural_identity": 30, "morality": 19, "random": 25}
assert sum(QUOTAS.values()) == PER_SOURCE and list(QUOTAS)[:-1] == list(SCREENS)


def load_v1_module():
    """frames_v1's selection script, for its loaders, normalisation and spread sampling."""
    spec = importlib.util.spec_from_file_location("frames_v1_select_units", V1_DIR / "select_units.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def keyword_pattern(keyword: str) -> re.Pattern:
    parts = [re.escape(p) for p in re.split(r"[\s-]+", keyword.strip())]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def screen_matches(text: str, patterns: dict[str, list[tuple[str, re.Pattern]]]) -> dict[str, list[str]]:
    """The keywords of each screen found in ``text`` (screens without a match left out)."""
    found = {}
    for screen, pairs in patterns.items():
        hits = [kw for kw, pattern in pairs if pattern.search(text)]
        if hits:
            found[screen] = hits
    return found


def newsmtsc_devtest_texts(v1, data: Path, inputs: dict) -> set[str]:
    held = set()
    for name in ("devtest_rw.jsonl", "devtest_mt.jsonl"):
        path = data / "newsmtsc" / name
        if path.exists():
            inputs[f"newsmtsc/{name}"] = file_sha256(path)
            with path.open(encoding="utf-8") as handle:
                held.update(v1.norm(json.loads(line)["sentence_normalized"]) for line in handle if line.strip())
    held.discard("")
    return held


def spread_keys(source: str) -> list:
    if source == "anno-lexical":
        return [lambda r: r["outlet"]]
    if source == "babe":
        return [lambda r: r["topic"], lambda r: r["outlet"]]
    if source == "polnear":
        return [lambda r: r["outlet"], lambda r: r["topic"], lambda r: r["article"]]
    return [lambda r: r["article"]]


def draw(v1, source: str, pool: list[dict], n: int, per_article: Counter, rng: random.Random) -> list[dict]:
    """``n`` rows of ``pool`` spread as in frames_v1, keeping every article under MAX_PER_ARTICLE."""
    if "article" in (pool[0] if pool else {}):
        by_article = defaultdict(list)
        for row in pool:
            by_article[row["article"]].append(row)
        pool = []
        for article in sorted(by_article):
            room = MAX_PER_ARTICLE - per_article[article]
            rows = by_article[article]
            pool.extend(rows if len(rows) <= room else rng.sample(rows, max(room, 0)))
    chosen = v1.spread(pool, spread_keys(source), n, rng)
    per_article.update(r["article"] for r in chosen if "article" in r)
    return chosen


def write_texts(units: list[dict], text_dir: Path) -> Path:
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
        lines = [f"# {ROUND} batch {number:02d}: units {batch[0]['unit_id']}-{batch[-1]['unit_id']} ({len(batch)} units)",
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
    return batch_dir


def annotator_instructions() -> str:
    """frames_v1's instructions with the round name and unit id prefix changed, coordinator part cut."""
    text = (V1_DIR / "INSTRUCTIONS.md").read_text(encoding="utf-8")
    text = text.split("\n---\n\n## For the coordinator", 1)[0].rstrip() + "\n"
    text = text.replace("frames_v1", ROUND)
    return re.sub(r"\bF(\d{4})\b", UNIT_PREFIX + r"\1", text)


def write_bundle(text_dir: Path, batch_dir: Path) -> Path:
    bundle = text_dir / "bundle"
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir()
    shutil.copyfile(REPO / "labeled" / "CODEBOOK.md", bundle / "CODEBOOK.md")
    (bundle / "INSTRUCTIONS.md").write_text(annotator_instructions(), encoding="utf-8")
    shutil.copytree(batch_dir, bundle / "frames_batches")
    shutil.copyfile(text_dir / "frames_units_text.jsonl", bundle / "frames_units_text.jsonl")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("FRAMING_DATA") or REPO.parent / "shared" / "data"))
    parser.add_argument("--text-dir", type=Path, default=REPO.parent / "labelwork" / ROUND)
    args = parser.parse_args(argv)
    data, text_dir = args.data.resolve(), args.text_dir.resolve()
    if text_dir == REPO or REPO in text_dir.parents:
        parser.error(f"--text-dir {text_dir} is inside the repository: sentence texts must stay outside it")

    v1 = load_v1_module()
    rng = random.Random(SEED)
    inputs: dict[str, str] = {"frames_v1/units.jsonl": file_sha256(V1_DIR / "units.jsonl")}
    held = v1.held_out_texts(data, inputs) | newsmtsc_devtest_texts(v1, data, inputs)
    pools = {
        "anno-lexical": v1.load_anno_lexical(data, inputs),
        "babe": v1.load_babe(data, inputs),
        "polnear": v1.load_polnear(data, "train", inputs),
        "ukraine-news-bias": v1.load_ukraine_news_bias(data, inputs),
    }

    # frames_v1 units: excluded by key and by normalised text (checked against their sha1).
    by_key = {(row["source"], row["id"]): row for rows in pools.values() for row in rows}
    v1_keys, v1_texts = set(), set()
    with (V1_DIR / "units.jsonl").open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            unit = json.loads(line)
            row = by_key.get((unit["source"], unit["id"]))
            if row is None or sha1_12(row["text"]) != unit["sha1"]:
                raise SystemExit(f"frames_v1/units.jsonl:{line_no}: unit {unit['unit_id']} ({unit['source']} "
                                 f"{unit['id']}) is not in the data or its sha1 differs: wrong data folder?")
            v1_keys.add((unit["source"], unit["id"]))
            v1_texts.add(v1.norm(row["text"]))

    # Eligibility as in frames_v1 (first occurrence in source order wins), plus frames_v1 exclusion.
    seen: set[str] = set()
    dropped = Counter()
    for source, rows in pools.items():
        kept = []
        for row in rows:
            key = v1.norm(row["text"])
            if (source, row["id"]) in v1_keys:
                dropped[f"{source}: frames_v1 unit"] += 1
            elif v1.n_words(row["text"]) < v1.MIN_WORDS:
                dropped[f"{source}: shorter than {v1.MIN_WORDS} words"] += 1
            elif key in held:
                dropped[f"{source}: text in a held-out set"] += 1
            elif key in v1_texts:
                dropped[f"{source}: text of a frames_v1 unit"] += 1
            elif key in seen:
                dropped[f"{source}: duplicate text"] += 1
            else:
                seen.add(key)
                kept.append(row)
        pools[source] = kept

    patterns = {screen: [(kw, keyword_pattern(kw)) for kw in kws] for screen, kws in SCREENS.items()}
    chosen: dict[str, list[dict]] = {}
    candidates: dict[str, dict[str, int]] = {}
    shortfalls: dict[str, dict[str, int]] = {}
    for source in SOURCES:
        for row in pools[source]:
            row["matches"] = screen_matches(row["text"], patterns)
        per_article: Counter = Counter()
        taken: set[str] = set()
        picked: list[dict] = []
        candidates[source] = {}
        missing = 0
        for screen in SCREENS:
            pool = [r for r in pools[source] if screen in r["matches"] and r["id"] not in taken]
            candidates[source][screen] = len(pool)
            got = draw(v1, source, pool, QUOTAS[screen], per_article, rng)
            if len(got) < QUOTAS[screen]:
                shortfalls.setdefault(source, {})[screen] = QUOTAS[screen] - len(got)
                missing += QUOTAS[screen] - len(got)
            for row in got:
                row["screen"] = screen
                taken.add(row["id"])
            picked.extend(got)
        pool = [r for r in pools[source] if r["id"] not in taken]
        candidates[source]["random"] = len(pool)
        got = draw(v1, source, pool, QUOTAS["random"] + missing, per_article, rng)
        for row in got:
            row["screen"] = "random"
        picked.extend(got)
        if len(picked) != PER_SOURCE:
            raise SystemExit(f"{source}: only {len(picked)} eligible units, {PER_SOURCE} wanted")
        chosen[source] = picked

    units = [row for source in SOURCES for row in sorted(chosen[source], key=lambda r: r["id"])]
    rng.shuffle(units)  # position must tell neither source nor screen
    for k, row in enumerate(units, start=1):
        row["unit_id"] = f"{UNIT_PREFIX}{k:04d}"

    with (HERE / "units.jsonl").open("w", encoding="utf-8") as out:
        for row in units:
            record = {"unit_id": row["unit_id"], "source": row["source"], "id": row["id"], "sha1": sha1_12(row["text"]),
                      "screen": row["screen"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    batch_dir = write_texts(units, text_dir)
    bundle = write_bundle(text_dir, batch_dir)

    counts = {s: {screen: sum(r["screen"] == screen for r in chosen[s]) for screen in QUOTAS} for s in SOURCES}
    keyword_hits = {screen: dict(sorted(Counter(kw for r in units if r["screen"] == screen
                                                for kw in r["matches"][screen]).items()))
                    for screen in SCREENS}
    random_matching = {s: {screen: sum(r["screen"] == "random" and screen in r["matches"] for r in chosen[s])
                           for screen in SCREENS} for s in SOURCES}
    articles = {s: {"articles": len({r["article"] for r in chosen[s]}),
                    "max_per_article": max(Counter(r["article"] for r in chosen[s]).values())}
                for s in ("polnear", "ukraine-news-bias")}
    summary = {
        "round": ROUND,
        "seed": SEED,
        "min_words": v1.MIN_WORDS,
        "per_source": PER_SOURCE,
        "quotas_per_source": QUOTAS,
        "screen_order": list(SCREENS),
        "keywords": {screen: list(kws) for screen, kws in SCREENS.items()},
        "keyword_rule": "case-insensitive whole word or phrase; a space or hyphen in a phrase matches any run of "
                        "spaces or hyphens; inflections listed explicitly",
        "counts": counts,
        "shortfalls_filled_at_random": shortfalls,
        "candidates_available": candidates,
        "random_units_matching_a_screen": random_matching,
        "keyword_hits_of_screened_units": keyword_hits,
        "anno_lexical_outlets": len({r["outlet"] for r in chosen["anno-lexical"]}),
        "babe_topics": len({r["topic"] for r in chosen["babe"]}),
        "articles": articles,
        "dropped": dict(sorted(dropped.items())),
        "inputs_sha256": dict(sorted(inputs.items())),
    }
    (HERE / "selection.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("counts", "shortfalls_filled_at_random", "candidates_available", "articles")}))
    print(f"{len(units)} units -> {HERE / 'units.jsonl'}; texts -> {text_dir / 'frames_units_text.jsonl'}, "
          f"{-(-len(units) // BATCH_SIZE)} batches in {batch_dir}; bundle -> {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
