"""Comparing articles and profiling sources: plain numbers from score records, and text tables.

Everything works on the JSON form of an article report (``ArticleReport.to_dict()``,
or one line of ``framing score --input ... --output scores.jsonl``), so task names
and classes always come from the records themselves, never from this module:

* the *slant index* is the report's ``slant_index`` (its task is ``slant_task``);
* every binary task contributes a *rate* (``rates``);
* every other multiclass task contributes a *mix* (its class shares);
* each binary task's rate is also given over the *author's own words* (``author_rates``: quotations left
  out) and over the *quoted* words (``quoted_rates``), with the quoted ``speakers``; the views lead with
  the author's voice (:func:`voice_lines`);
* the tasks of a frame set are read together as the set's frame profile (``frames``, see
  :mod:`framing.report._frames`): one ``compare`` row of the frames each article puts forward, and per
  group of a profile the mean share of each frame and the fraction of articles where it is present,
  instead of one rate per frame.

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
from ._frames import (
    FRAMES_PROFILE_NOTE,
    frame_entries,
    frame_sets_in_order,
    frame_tasks,
    frames_cell,
    frames_line,
    frames_not_reliable_line,
    frames_row_name,
    reliable_frames,
    without_frames,
)
from ._reliability import DOES_NOT_APPLY, FINDING, finding_status, short_status, task_statuses
from ._voice import (
    AUTHOR_VOICE,
    SPEAKERS_LISTED,
    VOICE_NOTE,
    quoted_counts,
    quoted_words,
    rates_text,
    speaker_text,
    voice_lines,
)

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
    rate_tasks = list(without_frames(first, first.get("rates") or {}))
    if any(m["author_rates"] or m["quoted_units"] for m in metrics):
        # The author's voice first: rates over the author's own words, then over the quoted words.
        for task in rate_tasks:
            rows.append((f"author {task} rate", cells(task, lambda m, task=task: _fmt(m["author_rates"].get(task)))))
        for task in rate_tasks:
            rows.append((f"quoted {task} rate", cells(task, lambda m, task=task: _fmt(m["quoted_rates"].get(task))
                                                      if m["quoted_units"] else "no quotes")))
        rows.append(("quotes", [f"{m['quoted_units']} units, {m['quoted_speakers']} speakers" for m in metrics]))
    if first.get("slant_task"):
        rows.append(("slant index", cells(first["slant_task"], lambda m: _fmt_signed(m["slant_index"]))))
    for task in rate_tasks:
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
    for name in frame_entries(first):
        rows.append((frames_row_name(name), [frames_cell(record, name) for record in records]))
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
    in_frames = frame_tasks(records[0]) if records else frozenset()
    for task in tasks:
        if task in in_frames:
            continue  # one line per frame set, below
        counts: Counter = Counter(finding_status(r, task) for r in records)
        for status, n in counts.items():
            if status == FINDING:
                continue
            scope = "" if status != DOES_NOT_APPLY else f" for {n} of {len(records)} article{'s' if len(records) != 1 else ''}"
            lines.append(f"{task}: {status}{scope}; not shown as a finding")
    for name, entry in (frame_entries(records[0]) if records else {}).items():
        line = frames_not_reliable_line(records[0], entry, name)
        if line:
            lines.append(f"{line}; not shown as findings")
    return lines


def top_classes(shares: Mapping[str, float], n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` classes with the largest shares, largest first."""
    return sorted(shares.items(), key=lambda item: (-item[1], item[0]))[:n]


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def list_lines(text: str, width: int) -> list[str]:
    """A comma-separated list in lines of at most ``width`` characters, broken after a comma (an item longer
    than ``width`` is cut with "…").

    Examples
    --------
    >>> list_lines("economic, political, health_and_safety", 20)
    ['economic, political,', 'health_and_safety']
    >>> list_lines("none present", 8)
    ['none pr…']
    """
    items = text.split(", ")
    lines: list[str] = []
    for number, item in enumerate(items):
        piece = item + ("," if number < len(items) - 1 else "")
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(_cell(piece, width))
    return lines


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
    listed = {frames_row_name(name) for name in (frame_entries(records[0]) if records else {})}
    name_width = min(30, max([len(name) for name, _ in rows] + [10]))
    longest = max([len(label) for label in labels] + [len(v) for name, values in rows if name not in listed for v in values]
                  + [len(item) + 1 for name, values in rows if name in listed for v in values for item in v.split(", ")]
                  + [10])
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
            # A list of frames runs onto more lines rather than being cut; any other cell is cut to the column.
            cells = [list_lines(values[i], column) if name in listed else [_cell(values[i], column)] for i in block]
            for line in range(max(len(lines) for lines in cells)):
                out.append(_cell(name if line == 0 else "", name_width).ljust(name_width) + "  " + "  ".join(
                    (lines[line] if line < len(lines) else "").ljust(column) for lines in cells).rstrip())
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
        for name, entry in frame_entries(record).items():
            if reliable_frames(entry):
                out.append("  " + frames_line(name, entry, metrics["n_sentences"]))
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
            "frames": frame_entries(record),
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
    #: Per frame set, each frame's summed share and the number of articles where it is present.
    frame_share_sums: dict[str, dict[str, float]] = field(default_factory=dict)
    frame_present_counts: dict[str, dict[str, int]] = field(default_factory=dict)

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
        for name, entry in frame_entries(record).items():
            shares = self.frame_share_sums.setdefault(name, {})
            present = self.frame_present_counts.setdefault(name, {})
            for frame in entry.get("frames") or []:
                shares[frame["frame"]] = shares.get(frame["frame"], 0.0) + float(frame["share"])
                present[frame["frame"]] = present.get(frame["frame"], 0) + int(bool(frame["present"]))

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

    @property
    def frame_shares(self) -> dict[str, dict[str, float]]:
        """Per frame set, each frame's mean share over the group's articles with scored sentences."""
        n = self.n_with_sentences
        return {name: {f: v / n for f, v in sums.items()} for name, sums in self.frame_share_sums.items()} if n else {}

    @property
    def frame_present(self) -> dict[str, dict[str, float]]:
        """Per frame set, the fraction of the group's articles with scored sentences where each frame is present."""
        n = self.n_with_sentences
        return ({name: {f: k / n for f, k in counts.items()} for name, counts in self.frame_present_counts.items()}
                if n else {})

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
            "frames": {name: {f: {"mean_share": round(share, 6),
                                  "present_fraction": round(self.frame_present.get(name, {}).get(f, 0.0), 6)}
                              for f, share in shares.items()} for name, shares in self.frame_shares.items()},
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
    #: ``{set name: [(frame, task), ...]}`` in the schema's order, and each set's presence method (from the first
    #: record with frame profiles).
    frame_sets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    frame_methods: dict[str, str] = field(default_factory=dict)

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

    def frames_shown(self, name: str) -> list[tuple[str, str]]:
        """``[(frame, task), ...]`` of a frame set whose numbers are findings, in the set's order."""
        return [(frame, task) for frame, task in self.frame_sets.get(name, []) if self.shown(task)]

    def _frame_entry(self, name: str) -> dict[str, Any]:
        """A frame set as :mod:`framing.report._frames` reads it: its frames with their status."""
        return {"frames": [{"frame": frame, "task": task, "status": self.status(task)}
                           for frame, task in self.frame_sets.get(name, [])]}

    def frames_cell(self, group: OutletProfile, name: str, top: int = 3) -> str:
        """``"economic 0.41 (75%), political 0.22 (50%)"``: the group's reliable frames of a set with the largest
        mean share, and the fraction of its articles where each is present; ``"n/a"`` without scored articles."""
        shown = self.frames_shown(name)
        if not shown:
            return "not reliable"
        shares, present = group.frame_shares.get(name), group.frame_present.get(name, {})
        if not shares:
            return "n/a"
        ranked = sorted((frame for frame, _ in shown), key=lambda f: -shares.get(f, 0.0))[:top]
        return ", ".join(f"{f} {shares.get(f, 0.0):.2f} ({present.get(f, 0.0):.0%})" for f in ranked)

    def notes(self) -> list[str]:
        """One line per task whose numbers are not shown as findings, with the measured reason."""
        lines = [f"{task}: {self.status(task)}; not shown as a finding" for task in self.tasks if not self.shown(task)]
        source = {"reliability": self.reliability}
        for name in self.frame_sets:
            line = frames_not_reliable_line(source, self._frame_entry(name), name)
            if line:
                lines.append(f"{line}; not shown as findings")
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
            "frames": {name: {"method": self.frame_methods.get(name), **self._frame_entry(name)} for name in self.frame_sets},
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
        frame_sets = [name for name in self.frame_sets if self.frames_shown(name)]
        header += [f"top frames ({name})" for name in frame_sets]
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
            row += [self.frames_cell(g, name) for name in frame_sets]
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
        if frame_sets:
            lines.append("")
            lines.append(FRAMES_PROFILE_NOTE)
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
            profile.rate_tasks = list(without_frames(record, record.get("rates") or {}))
            profile.mix_tasks = mix_tasks(record)
            profile.classes = {t: list(c) for t, c in (record.get("classes") or {}).items()}
            profile.slant_task = record.get("slant_task")
            profile.reliability = {t: dict(info) for t, info in (record.get("reliability") or {}).items()}
            if profile.slant_task:
                poles = record_poles(record)
                profile.slant_poles = tuple(poles) if poles else None
        if not profile.frame_sets and record.get("frames"):
            profile.frame_sets, profile.frame_methods = frame_sets_in_order(record)
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
