"""Count codebook passages that share 8+ consecutive words with a corpus unit.

Usage: python labeled/annotations/v3/check_codebook_overlap.py [CODEBOOK] [SENTENCES]
Prints the number of corpus units (content and boilerplate) and of codebook lines that share
a run of N=8 consecutive words; exits 1 if any unit is matched.
"""

import json
import re
import sys
from pathlib import Path

N = 8
HERE = Path(__file__).resolve().parent


def words(text):
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.findall(r"[\w']+", text)


def grams(tokens):
    return {tuple(tokens[i:i + N]) for i in range(len(tokens) - N + 1)}


def main(argv):
    codebook = Path(argv[1]) if len(argv) > 1 else HERE.parent.parent / "CODEBOOK.md"
    corpus = Path(argv[2]) if len(argv) > 2 else HERE.parent.parent / "sentences.jsonl"
    book = codebook.read_text(encoding="utf-8")
    book_grams = grams(words(book))
    units = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    hit_units = [u for u in units if grams(words(u["text"])) & book_grams]
    unit_grams = set()
    for u in units:
        unit_grams |= grams(words(u["text"]))
    hit_lines = [ln for ln in book.splitlines() if grams(words(ln)) & unit_grams]
    content = [u for u in hit_units if not u.get("boilerplate")]
    print(f"{codebook}: {len(hit_units)} units share {N}+ consecutive words with the codebook "
          f"({len(content)} content units); {len(hit_lines)} codebook lines involved")
    for u in hit_units:
        print("  ", u["id"], u["text"][:80])
    return 1 if hit_units else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
