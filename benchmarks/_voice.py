"""The voice stage on PolNeAR: span tagging (token level) and attribution per unit, train -> dev.

The tagger is learned the way the shipped model learns it
(:class:`framing.features.VoiceFeatures` fitted on PolNeAR train units) and
measured on dev, next to the rules-only fallback:

- token-level precision, recall and F1 of Source, Cue and Content (tokens of
  :func:`framing.text.token_spans`; a token is in a span when it overlaps
  it), of the tagger's own spans and of what the stage reports
  (:class:`framing.voice.UnitVoice` sources, cues and content);
- per unit, :attr:`framing.voice.UnitVoice.attribution` of
  :func:`framing.voice.voice_of_article` against :func:`framing.datasets.load_polnear`'s
  gold labels: attribution present (named + anonymous vs none) F1, and named
  vs anonymous macro-F1 on the dev units that contain a gold Source span and
  carry an attribution (the subset of ``run_polnear``); a unit the stage
  calls ``none`` counts as wrong for either class;
- time to tag and link an article, per 600 words.

No text of the data is kept in the results: counts and scores only.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._quality import Context, _load, _r, _row, _subsample_groups

__all__ = ["run_voice", "token_scores", "unit_scores", "stage_spans"]

_KINDS = ("source", "cue", "content")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _covered(tokens: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Which tokens overlap any of ``spans`` (same offsets)."""
    flags = np.zeros(len(tokens), dtype=bool)
    for start, end in spans:
        for i, (s, e) in enumerate(tokens):
            if s < end and e > start:
                flags[i] = True
    return flags


def stage_spans(voice) -> list[tuple[str, int, int]]:
    """The spans a :class:`framing.voice.UnitVoice` reports, as ``(kind, start, end)`` (unit offsets)."""
    return ([("source", m.start, m.end) for m in voice.sources] + [("cue", s, e) for s, e in voice.cues]
            + [("content", s, e) for s, e in voice.content])


def token_scores(articles, predicted: Sequence[Sequence[Sequence[tuple[str, int, int]]]]) -> dict[str, dict]:
    """Token-level P/R/F1 per span kind; ``predicted[a][u]`` are the spans of unit ``u`` of article ``a`` (unit offsets)."""
    from framing.text import token_spans

    counts = {kind: [0, 0, 0] for kind in _KINDS}
    for article, per_unit in zip(articles, predicted):
        for unit, spans in zip(article.units, per_unit):
            tokens = token_spans(unit.text)
            if not tokens:
                continue
            for kind in _KINDS:
                gold = [(max(s, unit.start) - unit.start, min(e, unit.end) - unit.start)
                        for s, e, k in article.spans if k == kind and s < unit.end and e > unit.start]
                guess = [(s, e) for k, s, e in spans if k == kind]
                g, p = _covered(tokens, gold), _covered(tokens, guess)
                counts[kind][0] += int((g & p).sum())
                counts[kind][1] += int((~g & p).sum())
                counts[kind][2] += int((g & ~p).sum())
    return {kind: _prf(*counts[kind]) for kind in _KINDS}


def _forced_kind(text: str) -> str:
    """Named or anonymous for a unit the stage found no attribution in: named when it holds a proper name.

    A proper name as :func:`framing.datasets.classify_source` defines one, over the unit's words outside
    quotation; the forced choice of ``run_polnear`` (argmax of P(named) vs P(anonymous)) needs one of the two.
    """
    from framing.voice._quotes import quote_spans
    from framing.voice._sources import source_kind

    outside = text
    for start, end in sorted(quote_spans(text), reverse=True):
        outside = outside[:start] + " " + outside[end:]
    # Each word alone: the phrase rule would call a sentence anonymous for its last (head) word.
    words = outside.split()
    named = any(source_kind(word, sentence_initial=i == 0) == "named" for i, word in enumerate(words)
                if word[:1].isupper())
    return "named" if named else "anonymous"


def unit_scores(articles, voices: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Attribution present F1 and named vs anonymous macro-F1 of the stage's units against the gold labels.

    Named vs anonymous on the units with a gold Source span and an attribution: ``strict`` counts a unit
    the stage calls ``none`` as wrong; ``forced`` gives such a unit the kind of :func:`_forced_kind`, as
    ``run_polnear`` forces every system to choose between the two.
    """
    from sklearn.metrics import f1_score

    gold, guess, subset, forced = [], [], [], []
    for article, article_voices in zip(articles, voices):
        for unit, label, has_source, voice in zip(article.units, article.labels, article.has_source, article_voices):
            gold.append(label)
            guess.append(voice.attribution)
            keep = has_source and label != "none"
            subset.append(keep)
            if keep:
                forced.append(voice.attribution if voice.attribution != "none" else _forced_kind(unit.text))
    gold_a, guess_a, keep = np.asarray(gold), np.asarray(guess), np.asarray(subset, dtype=bool)
    present = f1_score(gold_a != "none", guess_a != "none")
    kind_gold, kind_guess = gold_a[keep], guess_a[keep]
    macro = f1_score(kind_gold, kind_guess, labels=["named", "anonymous"], average="macro", zero_division=0)
    forced_macro = f1_score(kind_gold, np.asarray(forced), labels=["named", "anonymous"], average="macro",
                            zero_division=0)
    per_class = f1_score(kind_gold, kind_guess, labels=["named", "anonymous"], average=None, zero_division=0)
    found = kind_guess != "none"
    return {
        "present_f1": float(present),
        "present_precision": float(((gold_a != "none") & (guess_a != "none")).sum() / max((guess_a != "none").sum(), 1)),
        "present_recall": float(((gold_a != "none") & (guess_a != "none")).sum() / max((gold_a != "none").sum(), 1)),
        "n_units": len(gold),
        "named_vs_anonymous_macro_f1": float(macro),
        "named_vs_anonymous_forced_macro_f1": float(forced_macro),
        "named_vs_anonymous_found_macro_f1": float(f1_score(kind_gold[found], kind_guess[found],
                                                            labels=["named", "anonymous"], average="macro",
                                                            zero_division=0)),
        "named_f1": float(per_class[0]),
        "anonymous_f1": float(per_class[1]),
        "n_subset": int(keep.sum()),
        "subset_called_none": int((kind_guess == "none").sum()),
        "confusion": {f"{g}->{p}": int(((kind_gold == g) & (kind_guess == p)).sum())
                      for g in ("named", "anonymous") for p in ("named", "anonymous", "none")},
    }


def _stage(articles, tagger, repeats: int = 3) -> tuple[list, list, float, int]:
    """Voices of every unit of every article, the stage's spans, seconds spent (best of ``repeats``) and words."""
    from framing.voice import voice_of_article

    voices, words, seconds = [], 0, 0.0
    for article in articles:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            found = voice_of_article(article.text, article.units, tagger)
            best = min(best, time.perf_counter() - start)
        voices.append(found)
        seconds += best
        words += len(article.text.split())
    return voices, [[stage_spans(v) for v in article_voices] for article_voices in voices], seconds, words


def _tagger_spans(articles, tagger) -> list:
    from framing.voice._quotes import quote_spans
    from framing.voice._structure import _per_unit

    out = []
    for article in articles:
        units = article.units
        tagged = tagger.tag_many([u.text for u in units], _per_unit(quote_spans(article.text), units))
        out.append([[(kind, s, e) for kind, s, e, _ in spans] for spans in tagged])
    return out


def run_voice(ctx: Context) -> dict[str, Any]:
    """Train the voice block's tagger on PolNeAR train, measure spans and unit attribution on dev."""
    from framing.datasets._polnear import polnear_articles, polnear_sentences
    from framing.features import VoiceFeatures

    dev = _load(polnear_articles, ctx, split="dev")
    train_sentences = _load(polnear_sentences, ctx, splits=("train",))
    notes = ["gold: first annotator of each article (as load_polnear); tagger learned by VoiceFeatures.fit on "
             "PolNeAR train units (the shipped path); 'rules' is the stage without a tagger"]
    if ctx.quick:
        train_sentences = _subsample_groups(train_sentences, 60, ctx.random_state, key=lambda s: s.article)
        dev = _subsample_groups(dev, 10, ctx.random_state, key=lambda a: a.name)
        notes.append(f"quick mode: {len(train_sentences)} train units, {len(dev)} dev articles")
    start = time.perf_counter()
    block = VoiceFeatures().fit(train_sentences)
    fit_seconds = time.perf_counter() - start
    tagger = block.tagger
    n_train_articles = len({s.article for s in train_sentences})
    protocol = f"train ({n_train_articles} articles) -> dev ({len(dev)} articles)"

    tagged = token_scores(dev, _tagger_spans(dev, tagger))
    stage_voices, stage_predicted, seconds, words = _stage(dev, tagger)
    stage = token_scores(dev, stage_predicted)
    rule_voices, rule_predicted, rule_seconds, _ = _stage(dev, None)
    rules = token_scores(dev, rule_predicted)
    units_tagger, units_rules = unit_scores(dev, stage_voices), unit_scores(dev, rule_voices)

    def value(number):
        return {"value": _r(number), "ci": None}

    benchmark = "PolNeAR voice stage"
    rows = []
    n_tokens = sum(tagged[kind]["tp"] + tagged[kind]["fn"] for kind in _KINDS)
    for kind in _KINDS:
        for measure in ("f1", "precision", "recall"):
            rows.append(_row(benchmark, protocol, f"{kind} tokens: {measure}", tagged[kind]["tp"] + tagged[kind]["fn"],
                             {"tagger": value(tagged[kind][measure]), "stage": value(stage[kind][measure]),
                              "rules": value(rules[kind][measure])}))
    rows.append(_row(benchmark, protocol, "attribution present: F1", units_tagger["n_units"],
                     {"stage": value(units_tagger["present_f1"]), "rules": value(units_rules["present_f1"])}))
    rows.append(_row(benchmark, protocol, "named vs anonymous (units with a Source span): macro-F1, forced choice",
                     units_tagger["n_subset"], {"stage": value(units_tagger["named_vs_anonymous_forced_macro_f1"]),
                                                "rules": value(units_rules["named_vs_anonymous_forced_macro_f1"])}))
    rows.append(_row(benchmark, protocol, "named vs anonymous (units with a Source span): macro-F1, none = wrong",
                     units_tagger["n_subset"], {"stage": value(units_tagger["named_vs_anonymous_macro_f1"]),
                                                "rules": value(units_rules["named_vs_anonymous_macro_f1"])}))
    per_600 = seconds / max(words, 1) * 600 * 1000
    rows.append(_row(benchmark, protocol, "tag + link time: ms per 600 words", len(dev),
                     {"stage": value(per_600), "rules": value(rule_seconds / max(words, 1) * 600 * 1000)}))
    notes.append("named vs anonymous: 'forced choice' gives a subset unit the stage calls 'none' the kind 'named' "
                 "when it holds a proper name outside quotation, else 'anonymous' (run_polnear forces each system to "
                 "choose too); 'none = wrong' counts such a unit as an error. The stage called "
                 f"{units_tagger['subset_called_none']} of {units_tagger['n_subset']} subset units none")
    notes.append(f"tagger fit {fit_seconds:.1f} s on one core; {n_tokens} gold-span tokens on dev")
    details = {
        "tokens": {"tagger": tagged, "stage": stage, "rules": rules},
        "units": {"stage": units_tagger, "rules": units_rules},
        "fit_seconds": round(fit_seconds, 2),
        "ms_per_600_words": {"stage": round(per_600, 3), "rules": round(rule_seconds / max(words, 1) * 600000, 3)},
        "dev_words": words,
        "tagger_features": int(np.asarray(block.tagger_sizes_).sum()),
    }
    return {"rows": rows, "details": details, "notes": notes}
