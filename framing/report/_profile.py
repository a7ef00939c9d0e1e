"""Comparing articles and profiling sources: plain numbers from score records, and text tables.

Everything works on the JSON form of an article report (``ArticleReport.to_dict()``,
or one line of ``framing score --input ... --output scores.jsonl``), so task names
and classes always come from the records themselves, never from this module:

* the *slant index* is the report's ``slant_index`` (its task is ``slant_task``);
* every binary task contributes a *rate* (``rates``);
* every other multiclass task contributes a *mix* (its class shares);
* each binary task's rate is also given over the *author's own words* (``author_rates``: quotations left
  out) and over the *quoted* words (``quoted_rates``), with the quoted ``speakers``; the views lead with
  the author's voice (:func:`voice_lines`).

Which of those numbers are findings is decided by one rule,
:func:`framing.report._reliability.finding_status`: a table shows "not reliable"
or "does not apply" in place of a number that is not, with the measured reason
under the table, and the JSON forms keep the numbers with a ``status`` next to them.

Nothing here prints; the command line prints the strings these functions return.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._util import bootstrap_interval, is_boilerplate, polar_index, record_poles
from ._reliability import DOES_NOT_APPLY, FINDING, finding_status, short_status, task_statuses

__all__ = [
    "article_metrics",
    "most_slanted_sentence",
    "top_cue_terms",
    "compare_rows",
    "format_compare",
    "compare_json",
    "OutletProfile",
    "Profile",
    "build_profile",
    "bootstrap_interval",
    "group_key",
    "top_classes",
    "MIX_CLASSES_SHOWN",
    "AUTHOR_VOICE",
    "VOICE_NOTE",
    "rates_text",
    "quoted_counts",
    "speaker_text",
    "voice_lines",
    "quoted_words",
]

#: A multiclass task with at most this many classes is shown as its full mix; larger ones as their top classes.
MIX_CLASSES_SHOWN = 4
#: Cue types counted as loaded wording (lexicon types from ``ArticleReport`` sentence cues).
LOADED_CUE_TYPES = ("loaded",)


def _fmt_signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}".replace("-0.00", "+0.00")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def mix_tasks(record: Mapping[str, Any]) -> list[str]:
    """Multiclass tasks other than the slant task, in schema order."""
    rates = record.get("rates") or {}
    return [t for t in record.get("tasks", []) if t not in rates and t != record.get("slant_task")]


def article_metrics(record: Mapping[str, Any]) -> dict[str, Any]:
    """The headline numbers of one report record."""
    slant_task = record.get("slant_task")
    poles = record_poles(record) if slant_task else None
    mixes = {task: dict(record["shares"][task]) for task in mix_tasks(record)}
    return {
        "n_sentences": record.get("n_sentences", 0),
        "slant_task": slant_task,
        "slant_poles": poles,
        # What -1 and +1 stand for in words: the axis's pole labels when the slant is built from mentions.
        "slant_labels": tuple(record.get("slant_labels") or ()) or poles,
        "slant_index": record.get("slant_index"),
        "rates": dict(record.get("rates") or {}),
        "author_rates": dict(record.get("author_rates") or {}),
        "quoted_rates": dict(record.get("quoted_rates") or {}),
        "quoted_units": quoted_counts(record)[0],
        "quoted_speakers": quoted_counts(record)[1],
        "mixes": mixes,
    }


def _scored_sentences(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in record.get("sentences") or [] if not is_boilerplate(s.get("boilerplate", 0.0))]


def most_slanted_sentence(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The scored sentence with the largest ``|P(positive pole) - P(negative pole)|`` of the polar task."""
    task = record.get("slant_task")
    poles = record_poles(record) if task else None
    if not poles:
        return None
    negative, positive = poles
    best, best_value = None, -1.0
    for sentence in _scored_sentences(record):
        value = polar_index(sentence["probabilities"][task], negative, positive)
        if abs(value) > best_value:
            best, best_value = sentence, abs(value)
    if best is None:
        return None
    value = polar_index(best["probabilities"][task], negative, positive)
    return {
        "index": best["index"],
        "text": best["text"],
        "slant": round(value, 6),
        "leans": positive if value > 0 else negative,
        "label": best["labels"][task],
        "features": best.get("evidence", {}).get(task, []),
    }


def _in_quotation(sentence: Mapping[str, Any], cue: Mapping[str, Any]) -> bool:
    """Whether a cue is quoted words: inside quotation marks of its sentence, or in a unit the voice stage quotes."""
    if cue.get("in_quote") or sentence.get("voice") == "quoted":
        return True
    start, end = cue.get("start", 0), cue.get("end", 0)
    return any(q_start <= start and end <= q_end for q_start, q_end in sentence.get("quoted") or [])


def top_cue_terms(record: Mapping[str, Any], types: Sequence[str] = LOADED_CUE_TYPES, top: int = 5,
                  include_quoted: bool = False) -> list[tuple[str, int]]:
    """The most frequent lexicon cues of ``types`` in the author's voice (scored sentences, outside quotation).

    A cue is quoted when it is inside quotation marks of its sentence or in a unit the voice stage found
    to be quotation (the later sentences of a quote that runs over several).
    """
    counts: Counter = Counter()
    first_seen: dict[str, int] = {}
    for sentence in _scored_sentences(record):
        for cue in sentence.get("cues") or []:
            if cue.get("type") not in types or (not include_quoted and _in_quotation(sentence, cue)):
                continue
            term = sentence["text"][cue["start"]:cue["end"]].lower()
            counts[term] += 1
            first_seen.setdefault(term, len(first_seen))
    return sorted(counts.items(), key=lambda item: (-item[1], first_seen[item[0]]))[:top]


# ---------------------------------------------------------------------- voices

#: How every view names the rates over the author's own words.
AUTHOR_VOICE = "author's own words"
#: The one line that says which rate is which.
VOICE_NOTE = ("which rate is which: author's own words = outside quotation marks; quoted = inside them; "
              "all other numbers = all words")


def _get(source: Any, name: str) -> Any:
    """``source[name]`` of a report record or ``source.name`` of an :class:`~framing.report.ArticleReport`."""
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def rates_text(source: Any, rates: Mapping[str, float]) -> str:
    """``"loaded rate 0.12, hedged rate 0.05"``; a task whose number is not a finding gives its short status.

    Examples
    --------
    >>> record = {"reliability": {"hedged": {"reliable": False, "value": 0.5}}}
    >>> rates_text(record, {"loaded": 0.123, "hedged": 0.2})
    'loaded rate 0.12, hedged: not reliable'
    """
    parts = []
    for task, rate in rates.items():
        status = finding_status(source, task)
        parts.append(f"{task} rate {rate:.2f}" if status == FINDING else f"{task}: {short_status(status)}")
    return ", ".join(parts)


def quoted_counts(source: Any) -> tuple[int, int]:
    """``(quoted units, named speakers found)`` of a report or record (a quote whose speaker was not found counts
    as a unit, not as a speaker).

    Examples
    --------
    >>> quoted_counts({"speakers": [{"speaker": "Mick Lynch", "units": [2, 3]}, {"speaker": None, "units": [7]}]})
    (3, 1)
    """
    speakers = _get(source, "speakers") or []
    return sum(len(s.get("units") or []) for s in speakers), sum(1 for s in speakers if s.get("speaker"))


def speaker_text(speaker: Mapping[str, Any]) -> str:
    """``"Mick Lynch (named, 2 units)"``; ``"speaker not found (1 unit)"`` for a quote nobody was linked to.

    Examples
    --------
    >>> speaker_text({"speaker": "an insider", "kind": "anonymous", "units": [4]})
    'an insider (anonymous, 1 unit)'
    """
    n = len(speaker.get("units") or [])
    units = f"{n} unit{'' if n == 1 else 's'}"
    if not speaker.get("speaker"):
        return f"speaker not found ({units})"
    kind = speaker.get("kind") or "kind unknown"
    return f"{speaker['speaker']} ({kind}, {units})"


#: Speakers named in a one-line list; the rest are counted.
SPEAKERS_LISTED = 5


def voice_lines(source: Any) -> list[str]:
    """The author's rates, the quoted rates with their speakers, and which rate is which: the lines views lead with.

    ``source`` is an :class:`~framing.report.ArticleReport` or its record. Empty for a report without
    ``author_rates`` (written before reports had voices). A task whose number is not a finding gives its
    status (:func:`rates_text`).

    Examples
    --------
    >>> record = {"rates": {"loaded": 0.4}, "author_rates": {"loaded": 0.1}, "quoted_rates": {"loaded": 0.8},
    ...           "speakers": [{"speaker": "Mick Lynch", "kind": "named", "units": [1, 2]}]}
    >>> for line in voice_lines(record):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    author's own words: loaded rate 0.10
    quoted (2 units, 1 speaker): loaded rate 0.80
    speakers: Mick Lynch (named, 2 units)
    which rate is which: author's own words = outside quotation marks; quoted = inside them; all other numbers = all words
    """
    author = _get(source, "author_rates") or {}
    if not author and not _get(source, "speakers"):
        return []
    lines = [f"{AUTHOR_VOICE}: " + (rates_text(source, author) or "no rate")]
    units, named = quoted_counts(source)
    quoted = _get(source, "quoted_rates") or {}
    if units:
        lines.append(f"quoted ({units} unit{'' if units == 1 else 's'}, {named} speaker{'' if named == 1 else 's'}): "
                     + (rates_text(source, quoted) or "no rate"))
        speakers = _get(source, "speakers") or []
        listed = "; ".join(speaker_text(s) for s in speakers[:SPEAKERS_LISTED])
        more = len(speakers) - SPEAKERS_LISTED
        lines.append("speakers: " + listed + (f"; and {more} more" if more > 0 else ""))
    else:
        lines.append("quoted: no direct quotation found")
    lines.append(VOICE_NOTE)
    return lines


def quoted_words(sentence: Mapping[str, Any]) -> str:
    """The quoted words of a unit record: its quotation spans joined by " … " (the whole unit when it is all quoted).

    Examples
    --------
    >>> quoted_words({"text": 'She added: "We are tired."', "voice": "mixed", "quoted": [[12, 25]]})
    'We are tired.'
    """
    text = sentence.get("text") or ""
    spans = [text[start:end].strip() for start, end in sentence.get("quoted") or []]
    if not any(spans) and sentence.get("voice") == "quoted":
        return text.strip()
    return " … ".join(span for span in spans if span)


# ---------------------------------------------------------------------- compare


def unreliable_tasks(record: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``{task: reliability info}`` of the tasks the model's own evaluation found near chance."""
    return {task: info for task, info in (record.get("reliability") or {}).items() if not info.get("reliable", True)}


NOT_RELIABLE = "not reliable"


def slant_shown(record: Mapping[str, Any]) -> bool:
    """Whether a report record's slant is a finding: a reliable polar task and at least one actor mentioned."""
    return bool(record.get("slant_task")) and finding_status(record, record["slant_task"]) == FINDING


def order_by_slant(items: Sequence[tuple[Any, Any, Mapping[str, Any]]]) -> list[tuple[Any, Any, Mapping[str, Any]]]:
    """``(label, text, record)`` items ordered by slant index (negative pole first, no index last).

    Only when the model's evaluation finds the slant task reliable: otherwise an order by slant
    would claim more than was measured, and the input order is kept. Articles the axis does
    not apply to (no actor mentioned) have no index and come last.

    Examples
    --------
    >>> items = [("a", "", {"slant_task": "s", "slant_index": 0.4}), ("b", "", {"slant_task": "s", "slant_index": -0.2}),
    ...          ("c", "", {"slant_task": "s", "slant_index": None})]
    >>> [label for label, _, _ in order_by_slant(items)]
    ['b', 'a', 'c']
    """
    items = list(items)
    if not items or not items[0][2].get("slant_task") or items[0][2]["slant_task"] in unreliable_tasks(items[0][2]):
        return items
    return sorted(items, key=lambda item: (not slant_shown(item[2]) or item[2].get("slant_index") is None,
                                           item[2].get("slant_index") or 0.0))


def compare_rows(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Table rows ``(name, [value per article])`` for :func:`format_compare`.

    Each cell follows :func:`~framing.report._reliability.finding_status` for its article: a task the
    model's evaluation found unreliable reads "not reliable" (one row for a multiclass task), and the
    slant index of an article that mentions no actor of the axis reads "does not apply".
    """
    if not records:
        return []
    first = records[0]
    metrics = [article_metrics(r) for r in records]

    def cells(task, number):
        return [short_status(finding_status(r, task)) or number(m) for r, m in zip(records, metrics)]

    rows: list[tuple[str, list[str]]] = [("sentences", [str(m["n_sentences"]) for m in metrics])]
    if any(m["author_rates"] or m["quoted_units"] for m in metrics):
        # The author's voice first: rates over the author's own words, then over the quoted words.
        for task in first.get("rates") or {}:
            rows.append((f"author {task} rate", cells(task, lambda m, task=task: _fmt(m["author_rates"].get(task)))))
        for task in first.get("rates") or {}:
            rows.append((f"quoted {task} rate", cells(task, lambda m, task=task: _fmt(m["quoted_rates"].get(task))
                                                      if m["quoted_units"] else "no quotes")))
        rows.append(("quotes", [f"{m['quoted_units']} units, {m['quoted_speakers']} speakers" for m in metrics]))
    if first.get("slant_task"):
        rows.append(("slant index", cells(first["slant_task"], lambda m: _fmt_signed(m["slant_index"]))))
    for task in first.get("rates") or {}:
        rows.append((f"{task} rate", cells(task, lambda m, task=task: _fmt(m["rates"].get(task)))))
    for task in mix_tasks(first):
        if any(finding_status(r, task) != FINDING for r in records):
            rows.append((task, cells(task, lambda m: "")))
            continue
        classes = first["classes"][task]
        if len(classes) <= MIX_CLASSES_SHOWN:
            for cls in classes:
                rows.append((f"{task}: {cls}", [_fmt(m["mixes"].get(task, {}).get(cls)) for m in metrics]))
        else:
            values = []
            for m in metrics:
                ordered = top_classes(m["mixes"].get(task, {}), 1)
                values.append(f"{ordered[0][1]:.2f} {ordered[0][0]}" if ordered and m["n_sentences"] else "n/a")
            rows.append((f"top {task}", values))
    return rows


def status_notes(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per task (or the slant axis) whose number is not a finding in some record, with the reason.

    Examples
    --------
    >>> status_notes([{"tasks": ["s"], "slant_task": "s", "slant_note": "none"}])
    ['s: does not apply (no actor of the axis mentioned) for 1 of 1 article; not shown as a finding']
    """
    lines = []
    tasks = list(records[0].get("tasks") or []) if records else []
    for task in tasks:
        counts: Counter = Counter(finding_status(r, task) for r in records)
        for status, n in counts.items():
            if status == FINDING:
                continue
            scope = "" if status != DOES_NOT_APPLY else f" for {n} of {len(records)} article{'s' if len(records) != 1 else ''}"
            lines.append(f"{task}: {status}{scope}; not shown as a finding")
    return lines


def top_classes(shares: Mapping[str, float], n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` classes with the largest shares, largest first."""
    return sorted(shares.items(), key=lambda item: (-item[1], item[0]))[:n]


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap_name(name: str, width: int) -> list[str]:
    """``name`` in lines of at most ``width`` characters, broken after ``_``, ``-`` or a space (mid-word only
    for a piece longer than ``width``).

    Examples
    --------
    >>> wrap_name("a_tabloid_strike", 12)
    ['a_tabloid_', 'strike']
    >>> wrap_name("Euromaidan Press", 12)
    ['Euromaidan', 'Press']
    >>> wrap_name("short", 12)
    ['short']
    """
    width = max(1, width)
    pieces, piece = [], ""
    for char in name:
        piece += char
        if char in "_- ":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if len((line + piece).rstrip()) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        while len(piece.rstrip()) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line = piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def format_compare(labels: Sequence[str], records: Sequence[Mapping[str, Any]], width: int = 100) -> str:
    """Articles side by side (one column each, wrapped into blocks to fit ``width``), then per-article evidence.

    Column headers wrap onto more lines at ``_``, ``-`` and spaces (:func:`wrap_name`) instead of being cut.
    """
    rows = compare_rows(records)
    name_width = min(30, max([len(name) for name, _ in rows] + [10]))
    longest = max([len(label) for label in labels] + [len(v) for _, values in rows for v in values] + [10])
    column = min(longest, max(14, (width - name_width - 2) // max(1, len(labels)) - 2), 28)
    per_block = max(1, (width - name_width - 2) // (column + 2))
    out: list[str] = []
    for start in range(0, len(labels), per_block):
        block = range(start, min(len(labels), start + per_block))
        heads = [wrap_name(labels[i], column) for i in block]
        for line in range(max(len(head) for head in heads)):
            out.append(" " * name_width + "  " + "  ".join((head[line] if line < len(head) else "").ljust(column)
                                                          for head in heads).rstrip())
        out.append("-" * name_width + "  " + "  ".join("-" * column for _ in block))
        for name, values in rows:
            out.append(_cell(name, name_width).ljust(name_width) + "  " + "  ".join(_cell(values[i],
                                                                                          column).ljust(column) for i in block).rstrip())
        out.append("")
    if records and records[0].get("slant_task"):
        poles = article_metrics(records[0])["slant_labels"]
        if records[0].get("slant_from") == "mentions":
            out.append(f"slant index: (stance toward {poles[1]} - stance toward {poles[0]}) / 2 over the author's own "
                       f"words; -1 = {poles[0]}, +1 = {poles[1]}")
        else:
            out.append(f"slant index: mean over the sentences that mention a side of P({poles[1]}) - P({poles[0]}); "
                       f"-1 = {poles[0]}, +1 = {poles[1]}")
        out.append("")
    if any(name.startswith("author ") for name, _ in rows):
        out.append(VOICE_NOTE)
        out.append("")
    notes = status_notes(records)
    out.extend(notes)
    if notes:
        out.append("")
    for label, record in zip(labels, records):
        out.append(f"{label}")
        metrics = article_metrics(record)
        speakers = record.get("speakers") or []
        if speakers:
            more = len(speakers) - SPEAKERS_LISTED
            out.append("  quoted speakers: " + "; ".join(speaker_text(s) for s in speakers[:SPEAKERS_LISTED])
                       + (f"; and {more} more" if more > 0 else ""))
        for task in mix_tasks(record):
            if finding_status(record, task) != FINDING:
                continue
            if len(record["classes"][task]) > MIX_CLASSES_SHOWN and metrics["n_sentences"]:
                out.append(f"  top {task}: " + ", ".join(f"{c} {v:.2f}" for c, v in top_classes(metrics["mixes"][task])))
        terms = top_cue_terms(record)
        out.append("  top loaded terms (author's own words): "
                   + (", ".join(f"{term} ({n})" for term, n in terms) if terms else "none found"))
        sentence = most_slanted_sentence(record) if slant_shown(record) else None
        if sentence:
            text = sentence["text"] if len(sentence["text"]) <= 240 else sentence["text"][:239] + "…"
            out.append(f"  most slanted sentence (#{sentence['index']}, {sentence['slant']:+.2f} towards {sentence['leans']}):")
            out.append(f"    {text}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def compare_json(labels: Sequence[str], records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The comparison as plain data: every number, with ``status`` (per task) and ``slant_status`` next to them
    (:func:`~framing.report._reliability.finding_status`): ``most_slanted_sentence`` is a finding only when
    ``slant_status`` is ``"finding"``."""
    articles = []
    for label, record in zip(labels, records):
        metrics = article_metrics(record)
        articles.append({
            "label": label,
            "id": record.get("id"),
            **{k: v for k, v in metrics.items() if k != "slant_poles"},
            "slant_status": finding_status(record, metrics["slant_task"]) if metrics["slant_task"] else None,
            "status": task_statuses(record),
            "top_loaded_terms": [[t, n] for t, n in top_cue_terms(record)],
            "speakers": [{"speaker": s.get("speaker"), "kind": s.get("kind"), "units": list(s.get("units") or []),
                          "rates": dict(s.get("rates") or {})} for s in record.get("speakers") or []],
            "most_slanted_sentence": most_slanted_sentence(record),
        })
    return {"articles": articles}


# ---------------------------------------------------------------------- profile


def group_key(record: Mapping[str, Any], by: str = "outlet") -> str:
    """The group of a score record: the ``by`` field (``outlet`` falls back to ``source`` and back)."""
    candidates = [by] + ([k for k in ("outlet", "source") if k != by] if by in ("outlet", "source") else [])
    for key in candidates:
        value = record.get(key)
        if value not in (None, ""):
            return str(value)
    return "unknown"


@dataclass
class OutletProfile:
    """Aggregates of one group of articles."""

    name: str
    n_articles: int = 0
    slant_values: list[float] = field(default_factory=list)
    rate_sums: dict[str, float] = field(default_factory=dict)
    mix_sums: dict[str, dict[str, float]] = field(default_factory=dict)
    n_with_sentences: int = 0
    interval: tuple[float, float] | None = None
    #: Articles that mention no actor of the slant axis (the axis does not apply to them).
    n_no_actor: int = 0
    #: Sums of the rates over the author's own words, and how many articles have them.
    author_rate_sums: dict[str, float] = field(default_factory=dict)
    n_with_author: int = 0

    def add(self, record: Mapping[str, Any]) -> None:
        self.n_articles += 1
        if record.get("slant_task") and finding_status(record, record["slant_task"]) == DOES_NOT_APPLY:
            self.n_no_actor += 1
        elif record.get("slant_index") is not None:
            self.slant_values.append(float(record["slant_index"]))
        if not record.get("n_sentences"):
            return
        self.n_with_sentences += 1
        for task, rate in (record.get("rates") or {}).items():
            self.rate_sums[task] = self.rate_sums.get(task, 0.0) + float(rate)
        author = record.get("author_rates") or {}
        if author:
            self.n_with_author += 1
            for task, rate in author.items():
                self.author_rate_sums[task] = self.author_rate_sums.get(task, 0.0) + float(rate)
        for task in mix_tasks(record):
            sums = self.mix_sums.setdefault(task, {})
            for cls, share in record["shares"][task].items():
                sums[cls] = sums.get(cls, 0.0) + float(share)

    @property
    def slant_mean(self) -> float | None:
        return sum(self.slant_values) / len(self.slant_values) if self.slant_values else None

    @property
    def rates(self) -> dict[str, float]:
        n = self.n_with_sentences
        return {task: total / n for task, total in self.rate_sums.items()} if n else {}

    @property
    def author_rates(self) -> dict[str, float]:
        """Mean rate over the author's own words, per task, of the articles that have one."""
        n = self.n_with_author
        return {task: total / n for task, total in self.author_rate_sums.items()} if n else {}

    @property
    def mixes(self) -> dict[str, dict[str, float]]:
        n = self.n_with_sentences
        return {task: {c: v / n for c, v in sums.items()} for task, sums in self.mix_sums.items()} if n else {}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_articles": self.n_articles,
            "n_scored_articles": len(self.slant_values),
            "n_no_actor": self.n_no_actor,
            "slant_index_mean": None if self.slant_mean is None else round(self.slant_mean, 6),
            "slant_index_ci95": None if self.interval is None else [round(self.interval[0], 6), round(self.interval[1], 6)],
            "rates": {t: round(v, 6) for t, v in self.rates.items()},
            "author_rates": {t: round(v, 6) for t, v in self.author_rates.items()},
            "mixes": {t: {c: round(v, 6) for c, v in m.items()} for t, m in self.mixes.items()},
        }


@dataclass
class Profile:
    """Per-group aggregates of many score records.

    Which numbers are findings follows :func:`~framing.report._reliability.finding_status`, with the
    model's reliability read from the records (:attr:`reliability`): a task the evaluation found
    unreliable is not shown as a number, and a group none of whose articles mentions an actor of the
    slant axis gets "does not apply" as its slant.
    """

    by: str
    groups: dict[str, OutletProfile]
    slant_task: str | None = None
    slant_poles: tuple[str, str] | None = None
    rate_tasks: list[str] = field(default_factory=list)
    mix_tasks: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)
    level: float = 0.95
    seed: int = 0
    n_resamples: int = 2000
    #: ``{task: {"reliable": bool, ...}}`` of the model that wrote the records (from the first record).
    reliability: dict[str, dict[str, Any]] = field(default_factory=dict)

    def status(self, task: str, group: OutletProfile | None = None) -> str:
        """``finding_status`` of ``task`` for the profile (the model's reliability) or for one ``group``'s slant.

        Examples
        --------
        >>> profile = Profile("outlet", {"A": OutletProfile("A", n_articles=1, n_no_actor=1)}, slant_task="slant")
        >>> profile.status("slant"), profile.status("slant", profile.groups["A"])
        ('finding', 'does not apply (no actor of the axis mentioned)')
        """
        no_actor = (group is not None and task == self.slant_task and not group.slant_values and group.n_no_actor > 0)
        return finding_status({"reliability": self.reliability, "slant_task": self.slant_task,
                               "slant_note": "no actor" if no_actor else None}, task)

    @property
    def tasks(self) -> list[str]:
        return ([self.slant_task] if self.slant_task else []) + self.rate_tasks + self.mix_tasks

    def shown(self, task: str) -> bool:
        """Whether ``task``'s numbers are findings for this profile's model (its columns are shown)."""
        return self.status(task) == FINDING

    def ordered(self) -> list[OutletProfile]:
        """Groups by mean slant index (lowest first; groups without one last), then name; by name alone when
        the slant is not a finding (an order by it would claim more than was measured)."""
        if not self.slant_task or not self.shown(self.slant_task):
            return sorted(self.groups.values(), key=lambda g: g.name)
        return sorted(self.groups.values(), key=lambda g: (g.slant_mean is None, g.slant_mean or 0.0, g.name))

    def notes(self) -> list[str]:
        """One line per task whose numbers are not shown as findings, with the measured reason."""
        lines = [f"{task}: {self.status(task)}; not shown as a finding" for task in self.tasks if not self.shown(task)]
        if self.slant_task and self.shown(self.slant_task):
            empty = [g.name for g in self.ordered() if self.status(self.slant_task, g) == DOES_NOT_APPLY]
            if empty:
                lines.append(f"{self.slant_task} of {', '.join(empty)}: does not apply (no article of the group mentions "
                             "an actor of the axis)")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Every number, with the status of each task (``status``) and of each group's slant (``slant_status``)."""
        groups = []
        for g in self.ordered():
            slant_status = self.status(self.slant_task, g) if self.slant_task else None
            groups.append({**g.to_dict(), "slant_status": slant_status})
        return {
            "by": self.by,
            "slant_task": self.slant_task,
            "slant_poles": list(self.slant_poles) if self.slant_poles else None,
            "interval": {"method": "percentile bootstrap of the mean", "level": self.level,
                         "resamples": self.n_resamples, "seed": self.seed},
            "status": {task: self.status(task) for task in self.tasks},
            "reliability": self.reliability,
            "groups": groups,
        }

    @property
    def has_author_rates(self) -> bool:
        """Whether any record of the profile has rates over the author's own words (records with voices)."""
        return any(group.n_with_author for group in self.groups.values())

    def slant_cells(self, group: OutletProfile) -> tuple[str, str]:
        """The group's mean slant and its interval as table cells ("does not apply" without an actor)."""
        status = self.status(self.slant_task, group)
        if status != FINDING:
            return short_status(status), ""
        interval = "n/a" if group.interval is None else f"[{group.interval[0]:+.2f}, {group.interval[1]:+.2f}]"
        return _fmt_signed(group.slant_mean), interval

    def format_table(self) -> str:
        slant = bool(self.slant_task) and self.shown(self.slant_task)
        rate_tasks = [t for t in self.rate_tasks if self.shown(t)]
        mix_tasks_shown = [t for t in self.mix_tasks if self.shown(t)]
        header = [self.by, "articles"] + (["slant", f"{int(self.level * 100)}% interval"] if slant else [])
        author = self.has_author_rates
        for t in rate_tasks:
            header += ([f"author {t} rate"] if author else []) + [f"{t} rate"]
        for task in mix_tasks_shown:
            classes = self.classes.get(task, [])
            header.append(f"{task} ({'/'.join(classes)})" if len(classes) <= MIX_CLASSES_SHOWN else f"top {task}")
        n_right = 2 if slant else 1  # right-aligned number columns after the name (articles, slant)
        rows = []
        for g in self.ordered():
            row = [g.name, str(g.n_articles)] + (list(self.slant_cells(g)) if slant else [])
            for t in rate_tasks:
                row += ([_fmt(g.author_rates.get(t))] if author else []) + [_fmt(g.rates.get(t))]
            for task in mix_tasks_shown:
                mix = g.mixes.get(task)
                classes = self.classes.get(task, [])
                if not mix:
                    row.append("n/a")
                elif len(classes) <= MIX_CLASSES_SHOWN:
                    row.append("/".join(f"{mix.get(c, 0.0):.2f}" for c in classes))
                else:
                    cls, share = max(mix.items(), key=lambda item: (item[1], item[0]))
                    row.append(f"{cls} {share:.2f}")
            rows.append(row)
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i]) for i in range(len(header))]
        widths[0] = min(widths[0], 32)
        lines = ["  ".join(_cell(h, w).ljust(w) for h, w in zip(header, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        for row in rows:
            cells = [_cell(row[0], widths[0]).ljust(widths[0])] + [c.rjust(w) if i <= n_right else c.ljust(w) for i,
                                                                   (c, w) in enumerate(zip(row[1:], widths[1:]), start=1)]
            lines.append("  ".join(cells).rstrip())
        if slant and self.slant_poles:
            lines.append("")
            lines.append(f"slant: mean article slant index, -1 = {self.slant_poles[0]}, +1 = {self.slant_poles[1]}; "
                         f"interval: {int(self.level * 100)}% percentile bootstrap of the mean (n/a for a single article)")
        if author and rate_tasks:
            lines.append("")
            lines.append("author ... rate: mean over the articles of the rate over the author's own words (quotations "
                         "left out); ... rate: over all words")
        notes = self.notes()
        if notes:
            lines.append("")
            lines.extend(notes)
        return "\n".join(lines) + "\n"


def build_profile(records: Iterable[Mapping[str, Any]], by: str = "outlet", level: float = 0.95,
                  n_resamples: int = 2000, seed: int = 0) -> Profile:
    """Aggregate score records per group, with a seeded bootstrap interval for each group's mean slant index.

    Articles that mention no actor of the slant axis count in their group but not in its mean slant.
    """
    profile = Profile(by=by, groups={}, level=level, seed=seed, n_resamples=n_resamples)
    for record in records:
        if profile.rate_tasks == [] and profile.mix_tasks == [] and record.get("tasks"):
            profile.rate_tasks = list(record.get("rates") or {})
            profile.mix_tasks = mix_tasks(record)
            profile.classes = {t: list(c) for t, c in (record.get("classes") or {}).items()}
            profile.slant_task = record.get("slant_task")
            profile.reliability = {t: dict(info) for t, info in (record.get("reliability") or {}).items()}
            if profile.slant_task:
                poles = record_poles(record)
                profile.slant_poles = tuple(poles) if poles else None
        name = group_key(record, by)
        profile.groups.setdefault(name, OutletProfile(name)).add(record)
    for index, group in enumerate(sorted(profile.groups.values(), key=lambda g: g.name)):
        group.interval = bootstrap_interval(group.slant_values, level, n_resamples, seed + index)
    return profile


def check_score_record(record: Mapping[str, Any]) -> str | None:
    """Why a JSON object is not a score record (None when it is)."""
    for key, kind in (("tasks", list), ("classes", dict), ("shares", dict), ("rates", dict)):
        if key not in record:
            return f"missing field {key!r}: not a score record (make one with `framing score --input ... --output ...`)"
        if not isinstance(record[key], kind):
            return f"field {key!r} must be {'an array' if kind is list else 'an object'}"
    value = record.get("slant_index")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)):
        return "field 'slant_index' must be a number or null"
    for task in record["tasks"]:
        if task not in record["shares"]:
            return f"field 'shares' has no entry for task {task!r}"
    return None
