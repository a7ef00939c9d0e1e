"""Regenerate ``valence.tsv`` from the polarity lexicons shipped inside two PyPI packages.

Run ``pip install vaderSentiment==3.3.2 textblob==0.20.1`` and then
``python -m framing.lexicon.build_valence``. Nothing here runs when the library
is used: the generated TSV is package data, with each entry's provenance in
its note column.

* VADER (Hutto & Gilbert 2014), ``vaderSentiment/vader_lexicon.txt``, MIT
  licence: single alphabetic words whose mean valence is at least 1.5 in
  absolute value (on VADER's -4..+4 scale).
* Pattern's English subjectivity lexicon (De Smedt & Daelemans 2012) as
  shipped in TextBlob, ``textblob/en/en-sentiment.xml``, which declares the
  PDDL licence: adjectives whose mean subjectivity is at least 0.7 and whose
  mean polarity is at least 0.4 in absolute value.

A word in both keeps VADER's sign; categories are ``negative`` and ``positive``.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ElementTree
from importlib import resources
from pathlib import Path

VADER_MIN = 1.5
SUBJECTIVITY_MIN = 0.7
POLARITY_MIN = 0.4
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")


def vader_entries() -> dict[str, tuple[str, str]]:
    import vaderSentiment

    version = getattr(vaderSentiment, "__version__", "3.3.2")
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    entries = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not _WORD.fullmatch(parts[0]):
            continue
        valence = float(parts[1])
        if abs(valence) >= VADER_MIN:
            category = "negative" if valence < 0 else "positive"
            entries[parts[0]] = (category, f"VADER lexicon {version} (MIT), valence {valence:+.1f}")
    return entries


def textblob_entries() -> dict[str, tuple[str, str]]:
    root = ElementTree.fromstring(resources.files("textblob").joinpath("en/en-sentiment.xml").read_bytes())
    senses: dict[str, list[tuple[float, float]]] = {}
    for word in root.iter("word"):
        form = (word.get("form") or "").lower()
        if word.get("pos") == "JJ" and _WORD.fullmatch(form):
            senses.setdefault(form, []).append((float(word.get("polarity")), float(word.get("subjectivity"))))
    entries = {}
    for form, values in senses.items():
        polarity = sum(p for p, _ in values) / len(values)
        subjectivity = sum(s for _, s in values) / len(values)
        if subjectivity >= SUBJECTIVITY_MIN and abs(polarity) >= POLARITY_MIN:
            category = "negative" if polarity < 0 else "positive"
            entries[form] = (category, f"Pattern subjectivity lexicon via TextBlob (PDDL), polarity {polarity:+.2f}, "
                                       f"subjectivity {subjectivity:.2f}")
    return entries


def main(out: Path) -> int:
    merged = dict(textblob_entries())
    merged.update(vader_entries())
    lines = ["term\tcategory\tnote"] + [f"{term}\t{category}\t{note}" for term, (category, note) in sorted(merged.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(merged)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).with_name("valence.tsv")))
