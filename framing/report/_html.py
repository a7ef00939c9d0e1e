"""Self-contained HTML pages: highlighted articles, report charts, comparisons and source profiles.

Every function returns a string; nothing is printed or written here (the
command line writes the files). Pages need no network: no scripts, fonts,
style sheets or images are fetched, charts are inline SVG, and all article
text is escaped with :func:`html.escape`.

Pages are built from the JSON form of article reports
(``ArticleReport.to_dict()``), so every task name and class shown comes
from the model's schema.

Each sentence of an article is a focusable element (``tabindex="0"``) whose
scores and strongest features appear in a panel on hover *and* on keyboard
focus (a CSS tooltip referenced by ``aria-describedby``).

Quotations and source phrases are marked in the text and each article leads with its voices panel
(:mod:`framing.report._html_voice`); evidence reads as words of the text (:mod:`framing.report._describe`).
A model's frame sets get a "Frames" section per article (:mod:`framing.report._html_frames`).

What is shown as a finding follows :func:`framing.report._reliability.finding_status`,
the rule every view shares: a task the model's evaluation found unreliable is
left out of the charts and its sentence scores read "not reliable"; sentences
are shaded by slant only where the slant is a finding (not when the article
mentions no actor of the axis, nor when the slant task is unreliable).

Layout holds from about 1,000 to 1,600 px: tables sit in a horizontal scroll
container and size their columns to their content; headers and cells break at
spaces and after ``_``, ``-``, ``/`` and ``.`` (never inside a word), and only
identifiers (group names, article labels) may break anywhere when nothing else fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._util import class_key, is_boilerplate, polar_index, record_poles
from ._describe import describe_evidence
from ._frames import frame_entries, frame_tasks, frames_line, frames_not_reliable_line, reliable_frames
from ._html_base import HTML_MAX_UNITS, breakable, clip, escape, fmt
from ._html_frames import FRAMES_CSS, frame_tip_rows, frames_html
from ._html_voice import (
    CUE_PRIORITY,
    CUE_STYLES,
    VOICE_CSS,
    marked_sentence,
    stance_html,
    voice_legend_keys,
    voice_tip_rows,
    voices_html,
)
from ._html_voice import choose_cues as _choose_cues  # noqa: F401  (the name the browser test reads)
from ._profile import (
    FRAMES_PROFILE_NOTE,
    MIX_CLASSES_SHOWN,
    VOICE_NOTE,
    article_metrics,
    compare_rows,
    mix_tasks,
    most_slanted_sentence,
    slant_shown,
    speaker_text,
    status_notes,
    top_classes,
    top_cue_terms,
    unreliable_tasks,
)
from ._reliability import FINDING, finding_status, short_status

__all__ = [
    "CUE_STYLES",
    "CUE_PRIORITY",
    "escape",
    "article_html",
    "report_chart_svg",
    "compare_chart_svg",
    "profile_chart_svg",
    "score_page",
    "compare_page",
    "profile_page",
    "page",
]

NEGATIVE_COLOUR = "#d95f02"  # the negative pole of the polar task
POSITIVE_COLOUR = "#6a51a3"  # the positive pole
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#86bcb6", "#8cd17d", "#d4a6c8", "#fabfd2", "#79706e", "#d7b5a6")
REST_COLOUR = "#d9d9d9"
AUTHOR_COLOUR = "#2f6b3a"  # bars of the rates over the author's own words


def _rgb(colour: str) -> str:
    return ", ".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))


def _class_colours(classes: Sequence[str]) -> dict[str, str]:
    return {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}


# ---------------------------------------------------------------------- page frame

_CSS = """
:root { --fg:#1d1d1f; --muted:#5f6368; --line:#d0d4d9; --bg:#ffffff; --panel:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 1.2rem 1.5rem 12rem; }
h1 { font-size: 1.55rem; margin: .2rem 0 .2rem; }
h2 { font-size: 1.25rem; margin: 1.8rem 0 .4rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p.sub, .muted { color: var(--muted); }
p.sub { margin: 0 0 1rem; font-size: .92rem; }
a { color: #1a5fb4; }
.legend { display:flex; flex-wrap:wrap; gap:.35rem 1.1rem; align-items:center; font-size:.88rem;
  background: var(--panel); border:1px solid var(--line); border-radius:6px; padding:.45rem .8rem; margin:.6rem 0 1rem; }
.legend .key { display:inline-flex; align-items:center; gap:.35rem; white-space:nowrap; }
.legend .sw { display:inline-block; width:1.05rem; height:.85rem; border-radius:2px; }
.legend .ul { display:inline-block; width:1.3rem; height:0; border-bottom-width:3px; }
.chart { display:block; max-width:100%; height:auto; margin:.4rem 0 .6rem; }
.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill:#1d1d1f; }
table.nums { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
table.nums th, table.nums td { border-bottom: 1px solid var(--line); padding: .25rem .7rem; text-align:left; vertical-align: top; }
table.nums td.n, table.nums th.n { text-align:right; font-variant-numeric: tabular-nums; }
table.nums th { background: var(--panel); }
.scroll { overflow-x: auto; max-width: 100%; }
table.nums.wide { width: 100%; table-layout: auto; font-size: .85rem; }
table.nums.wide th:first-child { min-width: 8rem; }
table.nums.wide th, table.nums.wide td { padding: .25rem .5rem; }
/* Break at spaces and <wbr> (after _ - / .) only; break-word (unlike anywhere) keeps whole words as the
   column's minimum width, so a cell never overflows: a table too wide for the page scrolls in .scroll. */
table.nums th, table.nums td { overflow-wrap: break-word; word-break: normal; hyphens: none; }
table.nums td.status { color: var(--muted); font-style: italic; }
table.nums td.id { overflow-wrap: anywhere; min-width: 8rem; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1.02rem; line-height: 1.75;
  border:1px solid var(--line); border-radius:6px; padding: .9rem 1.1rem; background:#fff; }
.s { border-radius: 3px; cursor: help; text-decoration-thickness: 3px; text-underline-offset: 5px; }
.s:hover { outline: 2px solid #8fb3e8; }
.s:focus { outline: 3px solid #1a5fb4; outline-offset: 1px; }
.s.bp { color: #8a8f96; }
mark.cue { color: inherit; border-radius: 2px; padding: 0 .06em; border-bottom-width: 2px; }
""" + "\n".join(
    f"mark.cue-{kind}, .legend .sw.cue-{kind} {{ background: {colour}; border-bottom: 2px {underline}; }}"
    for kind, (_, colour, underline) in CUE_STYLES.items()
) + """
""" + VOICE_CSS + FRAMES_CSS + """
.tip { display: none; }
.s:hover + .tip, .s:focus + .tip { display: block; position: fixed; right: 1rem; bottom: 1rem; z-index: 10;
  width: min(30rem, calc(100vw - 2rem)); max-height: 60vh; overflow: auto; white-space: normal;
  background: #fff; border: 1px solid #9aa0a6; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18);
  padding: .7rem .9rem; font-size: .85rem; line-height: 1.4; }
.tip .hd { display:block; font-weight: 600; margin-bottom: .35rem; }
.tip .row { display: grid; grid-template-columns: minmax(6.5rem, max-content) 1fr; gap: .1rem .6rem; padding: .18rem 0;
  border-top: 1px solid #eceff1; }
.tip .task { font-weight: 600; overflow-wrap: break-word; }
.tip .feat { display:block; color: var(--muted); font-size: .8rem; overflow-wrap: anywhere; }
.tip .cues { display:block; margin-top:.35rem; color: var(--muted); }
/* auto-fit: the cards share the row's width (no empty tracks beside them); at least 22rem each, one per row on a phone. */
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: .8rem; margin: .6rem 0 1rem; }
.card { border:1px solid var(--line); border-radius:6px; padding:.6rem .8rem; background: var(--panel); font-size:.9rem; }
.note { border-left:4px solid #e37400; background:#fef7e0; padding:.4rem .8rem; margin:.6rem 0; font-size:.9rem; }
.card h3 { margin:.1rem 0 .3rem; font-size: 1rem; overflow-wrap: anywhere; }
.card blockquote { margin:.3rem 0 0; padding-left:.6rem; border-left:3px solid var(--line); }
.card blockquote.neg { border-left-color: """ + NEGATIVE_COLOUR + """; }
.card blockquote.pos { border-left-color: """ + POSITIVE_COLOUR + """; }
details > summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
@media print { .tip { display:none !important; } }
"""


FOOTER = ("Made with framing. Scores are model estimates, not verdicts: hover or focus (Tab) a sentence to see "
          "its scores and the features behind them.")


def page(title: str, body: str, subtitle: str = "", footer: str = FOOTER) -> str:
    """A complete, self-contained HTML document (inline CSS only; no scripts, fonts or external resources)."""
    sub = f'<p class="sub">{escape(subtitle)}</p>' if subtitle else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{sub}\n{body}\n"
        f"<footer>{escape(footer)}</footer>\n</main>\n</body>\n</html>\n"
    )


def legend(record: Mapping[str, Any] | None = None) -> str:
    """Colour key for cue highlights and sentence slant underlines."""
    keys = [f'<span class="key"><span class="sw cue-{kind}"></span>{escape(label)}</span>'
            for kind, (label, _, _) in CUE_STYLES.items()]
    keys += voice_legend_keys()
    # Sentences are shaded by slant only where it is a finding: no key for a shade the page does not use.
    poles = record_poles(record) if record is not None and slant_shown(record) else None
    if poles:
        keys.append(f'<span class="key"><span class="sw" style="background: rgba({_rgb(NEGATIVE_COLOUR)}, .3)"></span>'
                    f'sentence leans {escape(poles[0])}</span>')
        keys.append(f'<span class="key"><span class="sw" style="background: rgba({_rgb(POSITIVE_COLOUR)}, .3)"></span>'
                    f'sentence leans {escape(poles[1])} (shade = strength)</span>')
    keys.append('<span class="key"><span class="sw" style="background:#fff;border:1px solid #8a8f96"></span>'
                '<span style="color:#8a8f96">site furniture (not scored)</span></span>')
    return '<div class="legend" role="note" aria-label="Legend"><strong>Legend</strong>' + "".join(keys) + "</div>"


# ---------------------------------------------------------------------- highlighted article


def _tip(sentence: Mapping[str, Any], record: Mapping[str, Any], tip_id: str) -> str:
    rows = [voice_tip_rows(sentence)]  # whose words first
    in_frames = frame_tasks(record)  # one row per frame set, after the tasks
    for task in record.get("tasks", []):
        if task in in_frames:
            continue
        status = finding_status(record, task)
        if status != FINDING:
            rows.append(f'<span class="row"><span class="task">{breakable(task)}</span>'
                        f'<span class="muted">{escape(short_status(status))}</span></span>')
            continue
        label = sentence["labels"].get(task)
        key = class_key(label)
        probability = sentence["probabilities"].get(task, {}).get(key)
        # In words of the sentence; the internal names stay in --json.
        evidence = describe_evidence(sentence.get("evidence", {}).get(task) or [], unit=sentence, limit=3)
        features = "; ".join(f"{escape(text)} {value:+.2f}" for text, value in evidence)
        rows.append(f'<span class="row"><span class="task">{breakable(task)}</span><span>{escape(key)} '
                    f'<span class="muted">p={fmt(probability)}</span>'
                    + (f'<span class="feat">evidence: {features}</span>' if features else "")
                    + "</span></span>")
    rows.extend(frame_tip_rows(sentence, record))
    cues = ", ".join(f"{escape(sentence['text'][c['start']:c['end']])} ({escape(CUE_STYLES[c['type']][0])})"
                     for c in sentence.get("cues") or [] if c.get("type") in CUE_STYLES)
    boilerplate = sentence.get("boilerplate", 0.0)
    status = "site furniture, not scored" if is_boilerplate(boilerplate) else "scored"
    return (f'<span class="tip" role="tooltip" id="{tip_id}"><span class="hd">Sentence #{sentence["index"]} '
            f'<span class="muted">· {escape(sentence.get("kind", "sentence"))} · {status} '
            f'(P(boilerplate)={fmt(boilerplate)})</span></span>' + "".join(rows)
            + (f'<span class="cues">cues: {cues}</span>' if cues else "") + "</span>")




def article_html(text: str, record: Mapping[str, Any], prefix: str = "a0") -> str:
    """The article with every unit focusable, cues highlighted and a score panel per unit.

    Text between units (white space, line breaks) is kept as it is; every piece of
    article text is escaped.
    """
    slant_task = record.get("slant_task")
    # No shade where the slant is not a finding (no actor of the axis mentioned, or an unreliable slant task).
    poles = record_poles(record) if slant_task and slant_shown(record) else None
    parts, position = [], 0
    sentences = list(record.get("sentences") or [])
    n_units = max(int(record.get("n_units") or 0), len(sentences))
    shown = sentences[:HTML_MAX_UNITS]
    for sentence in shown:
        start, end = sentence["start"], sentence["end"]
        if start < position or text[start:end] != sentence["text"]:
            continue  # offsets do not match this text: skip rather than garble
        parts.append(escape(text[position:start]))
        css = ["s"]
        if is_boilerplate(sentence.get("boilerplate", 0.0)):
            css.append("bp")
        style = ""
        if poles and "bp" not in css:
            value = polar_index(sentence["probabilities"].get(slant_task, {}), *poles)
            css.append("lean-pos" if value > 0 else "lean-neg")
            rgb = _rgb(POSITIVE_COLOUR if value > 0 else NEGATIVE_COLOUR)
            alpha = min(0.38, abs(value) * 0.45)
            if alpha >= 0.01:
                style = f' style="background-color: rgba({rgb}, {alpha:.2f})"'
        sid, tid = f"{prefix}-s{sentence['index']}", f"{prefix}-t{sentence['index']}"
        parts.append(f'<span class="{" ".join(css)}" id="{sid}" tabindex="0" aria-describedby="{tid}" '
                     f'data-index="{sentence["index"]}"{style}>{marked_sentence(sentence)}</span>{_tip(sentence, record, tid)}')
        position = end
    if n_units > len(shown):
        # A huge text: the page stops here and says what it leaves out (the scores above cover all of it).
        parts.append(f'<p class="note" role="note"><strong>Only the first {len(shown):,} of {n_units:,} units are shown '
                     f"(characters 0\u2013{position:,} of {len(text):,}).</strong> The scores and evidence above cover "
                     "the whole text; <code>framing score --json</code> gives every unit.</p>")
    else:
        parts.append(escape(text[position:]))
    return f'<div class="article" id="{prefix}-text">' + "".join(parts) + "</div>"


# ---------------------------------------------------------------------- SVG charts


def _svg(width: int, height: int, title: str, description: str, body: Sequence[str]) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title><desc>{escape(description)}</desc>" + "".join(body) + "</svg>")


def _text(x: float, y: float, content: str, size: int = 13, anchor: str = "start", weight: str = "normal",
          fill: str = "#1d1d1f") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(content)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(0.0, w):.1f}" height="{h:.1f}" fill="{fill}"{extra}/>'


def _diverging(x: float, y: float, width: float, height: float, value: float | None) -> list[str]:
    """A bar from the centre of [-1, 1] to ``value``, with the axis."""
    centre = x + width / 2
    out = [_rect(x, y, width, height, "#f1f3f4"),
           f'<line x1="{centre:.1f}" y1="{y - 3:.1f}" x2="{centre:.1f}" y2="{y + height + 3:.1f}" stroke="#5f6368" stroke-width="1"/>']
    if value is not None:
        length = abs(value) * width / 2
        colour = POSITIVE_COLOUR if value > 0 else NEGATIVE_COLOUR
        out.append(_rect(centre if value > 0 else centre - length, y, length, height, colour))
    return out


def _bar(x: float, y: float, width: float, height: float, value: float | None, colour: str = "#4e79a7") -> list[str]:
    out = [_rect(x, y, width, height, "#f1f3f4")]
    if value is not None:
        out.append(_rect(x, y, max(0.0, min(1.0, value)) * width, height, colour))
    return out


def _stacked(x: float, y: float, width: float, height: float, shares: Mapping[str, float], colours: Mapping[str, str],
             keep: Sequence[str] | None = None) -> list[str]:
    """A 100% bar of class shares; classes not in ``keep`` are merged into one grey segment."""
    out, position, rest = [], x, 0.0
    for cls, share in shares.items():
        if keep is not None and cls not in keep:
            rest += share
            continue
        w = share * width
        out.append(f'<rect x="{position:.1f}" y="{y:.1f}" width="{max(0.0, w):.1f}" height="{height:.1f}" '
                   f'fill="{colours.get(cls, REST_COLOUR)}"><title>{escape(cls)} {share:.2f}</title></rect>')
        position += w
    if rest > 0:
        out.append(f'<rect x="{position:.1f}" y="{y:.1f}" width="{rest * width:.1f}" height="{height:.1f}" '
                   f'fill="{REST_COLOUR}"><title>other classes {rest:.2f}</title></rect>')
    return out


def _chart_status(status: str) -> str:
    """A status short enough for a chart line: the measurement without its protocol (the page's note has it).

    Examples
    --------
    >>> _chart_status("not reliable (measured ROC AUC 0.595, leave one source out: train on A; test on B)")
    'not reliable (measured ROC AUC 0.595; see the note above)'
    >>> _chart_status("does not apply (no actor of the axis mentioned)")
    'does not apply (no actor of the axis mentioned)'
    """
    head, _, rest = status.partition(", ")
    return f"{head}; see the note above)" if rest and status.startswith("not reliable") else status


def reliability_html(record: Mapping[str, Any] | None) -> str:
    """A note naming the tasks the model's evaluation found near chance (left out of the charts), or ""."""
    record = record or {}
    in_frames = frame_tasks(record)
    unreliable = [task for task in unreliable_tasks(record) if task not in in_frames]
    # A frame set's unreliable frames are one item, with each frame's measurement.
    frame_lines = [line for name, entry in frame_entries(record).items()
                   if (line := frames_not_reliable_line(record, entry, name))]
    if not unreliable and not frame_lines:
        return ""
    items = "".join(f"<li><b>{escape(task)}</b>: {escape(finding_status(record, task))}</li>" for task in unreliable)
    items += "".join(f"<li>{escape(line)}</li>" for line in frame_lines)
    return (f'<div class="note" role="note"><p><b>Not shown as findings</b>: on labelled news it never saw, the model '
            f"tells these tasks barely better than chance.</p><ul>{items}</ul></div>")


def report_chart_svg(record: Mapping[str, Any]) -> str:
    """One article's report as a small chart: slant index, binary rates, class mixes, slant by sentence.

    Tasks the model's evaluation found unreliable are left out (see :func:`reliability_html`); an article
    that mentions no actor of the slant axis gets a line saying so instead of a slant bar.
    """
    metrics = article_metrics(record)
    width, label_w, bar_w = 720, 190, 360
    x0, y, row = label_w, 28, 30
    body: list[str] = []
    desc: list[str] = []
    if metrics["slant_task"] and not slant_shown(record):
        reason = _chart_status(finding_status(record, metrics["slant_task"]))
        body.append(_text(8, y + 14, "slant index", weight="600"))
        body.append(_text(x0, y + 14, f"none: {reason}", fill="#5f6368"))
        desc.append(f"slant index: none ({reason})")
        y += row + 4
    elif metrics["slant_task"]:
        negative, positive = metrics["slant_labels"]
        body.append(_text(8, y + 14, "slant index", weight="600"))
        body += _diverging(x0, y, bar_w, 18, metrics["slant_index"])
        body.append(_text(x0 + bar_w + 10, y + 14, fmt(metrics["slant_index"], True), weight="600"))
        body.append(_text(x0, y - 6, f"−1 {negative}", size=11, fill=NEGATIVE_COLOUR))
        body.append(_text(x0 + bar_w / 2, y - 6, "0", size=11, anchor="middle", fill="#5f6368"))
        body.append(_text(x0 + bar_w, y - 6, f"{positive} +1", size=11, anchor="end", fill=POSITIVE_COLOUR))
        desc.append(f"slant index {fmt(metrics['slant_index'], True)} (-1 {negative}, +1 {positive})")
        y += row + 4
    in_frames = frame_tasks(record)  # the frames have their own section (frames_html)
    for task, rate in metrics["rates"].items():
        if finding_status(record, task) != FINDING or task in in_frames:
            continue
        author = metrics["author_rates"].get(task)
        if author is not None:
            # The author's own words first (quotations left out); the next row is over all words.
            body.append(_text(8, y + 13, f"author: {task} rate"))
            body += _bar(x0, y, bar_w, 16, author, AUTHOR_COLOUR)
            body.append(_text(x0 + bar_w + 10, y + 13, fmt(author)))
            desc.append(f"author: {task} rate {fmt(author)}")
            y += row
        body.append(_text(8, y + 13, f"{task} rate" + (" (all words)" if author is not None else "")))
        body += _bar(x0, y, bar_w, 16, rate)
        body.append(_text(x0 + bar_w + 10, y + 13, fmt(rate)))
        desc.append(f"{task} rate {fmt(rate)}")
        y += row
    for task in mix_tasks(record):
        if finding_status(record, task) != FINDING:
            continue
        classes = record["classes"][task]
        colours = _class_colours(classes)
        shares = metrics["mixes"][task]
        top = [c for c, _ in sorted(shares.items(), key=lambda item: (-item[1], item[0]))[:3]]
        keep = classes if len(classes) <= MIX_CLASSES_SHOWN else top
        body.append(_text(8, y + 13, task if len(classes) <= MIX_CLASSES_SHOWN else f"{task} (top {len(top)})"))
        body += _stacked(x0, y, bar_w, 16, shares, colours, keep)
        y += 22
        x = x0
        for cls in (keep if len(classes) <= MIX_CLASSES_SHOWN else top):
            label = f"{clip(cls, 42)} {shares.get(cls, 0.0):.2f}"
            if x + 14 + len(label) * 6.6 > width:
                x, y = x0, y + 16
            body.append(_rect(x, y + 2, 10, 10, colours[cls]))
            body.append(_text(x + 14, y + 11, label, size=11))
            x += 14 + len(label) * 6.6 + 12
        desc.append(f"{task}: " + ", ".join(f"{c} {shares.get(c, 0.0):.2f}" for c in top))
        y += row - 8
    task = metrics["slant_task"]
    scored = [s for s in record.get("sentences") or [] if not is_boilerplate(s.get("boilerplate", 0.0))]
    if task and scored and metrics["slant_poles"] and slant_shown(record):
        body.append(_text(8, y + 13, "slant by sentence"))
        cell = bar_w / len(scored)
        for i, sentence in enumerate(scored):
            value = polar_index(sentence["probabilities"][task], *metrics["slant_poles"])
            colour = POSITIVE_COLOUR if value > 0 else NEGATIVE_COLOUR
            opacity = min(1.0, 0.12 + abs(value))
            body.append(f'<rect x="{x0 + i * cell:.1f}" y="{y:.1f}" width="{max(cell - 0.6, 0.4):.1f}" height="16" '
                        f'fill="{colour}" fill-opacity="{opacity:.2f}"><title>sentence #{sentence["index"]}: '
                        f'{value:+.2f}</title></rect>')
        body.append(_text(x0 + bar_w + 10, y + 13, f"{len(scored)} sentences", size=11, fill="#5f6368"))
        y += row
    return _svg(width, int(y + 4), "Article report", "; ".join(desc), body)


def compare_chart_svg(labels: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    """Articles as rows, metrics as columns: slant index, binary rates, small class mixes, top class of large ones."""
    if not records:
        return _svg(10, 10, "No articles", "", [])
    first = records[0]
    unreliable = unreliable_tasks(first)
    metrics = [article_metrics(r) for r in records]
    label_w = int(max(120, min(270, 8.3 * max(len(clip(label, 30)) for label in labels) + 26)))
    slant_w, rate_w, mix_w, top_w, gap = 240, 120, 210, 290, 24
    columns: list[tuple[str, str, str | None, int]] = []
    if first.get("slant_task") and first["slant_task"] not in unreliable:
        columns.append(("slant", "slant index", None, slant_w))
    author = any(r.get("author_rates") for r in records)
    in_frames = frame_tasks(first)
    for task in first.get("rates") or {}:
        if task not in unreliable and task not in in_frames:
            if author:
                columns.append(("author", f"author {task} rate", task, rate_w + 20))
            columns.append(("rate", f"{task} rate", task, rate_w))
    for task in mix_tasks(first):
        if task in unreliable:
            continue
        if len(first["classes"][task]) <= MIX_CLASSES_SHOWN:
            columns.append(("mix", task, task, mix_w))
        else:
            columns.append(("top", f"top {task}", task, top_w))
    width = label_w + sum(c[3] + gap for c in columns)
    header_h, row_h = 52, 40
    height = header_h + row_h * len(records) + 44
    body: list[str] = []
    desc: list[str] = []
    x = label_w
    for kind, title, _, w in columns:
        body.append(_text(x, 20, title, weight="600"))
        if kind == "slant":
            negative, positive = metrics[0]["slant_poles"]
            body.append(_text(x, 38, f"−1 {clip(negative, 16)}", size=11, fill=NEGATIVE_COLOUR))
            body.append(_text(x + w - 56, 38, f"{clip(positive, 16)} +1", size=11, anchor="end", fill=POSITIVE_COLOUR))
        elif kind == "rate":
            body.append(_text(x, 38, "all words", size=11, fill="#5f6368"))
        elif kind == "author":
            body.append(_text(x, 38, "author's own words", size=11, fill="#5f6368"))
        elif kind == "mix":
            body.append(_text(x, 38, "mix of sentences", size=11, fill="#5f6368"))
        else:
            body.append(_text(x, 38, "largest share", size=11, fill="#5f6368"))
        x += w + gap
    for row, (label, record, m) in enumerate(zip(labels, records, metrics)):
        y = header_h + row * row_h
        if row % 2 == 0:
            body.append(_rect(0, y - 6, width, row_h, "#f8f9fa"))
        body.append(_text(8, y + 17, clip(label, 30), weight="600"))
        x = label_w
        parts = [label]
        for kind, _, task, w in columns:
            if kind == "slant" and not slant_shown(record):
                status = short_status(finding_status(record, record["slant_task"]))
                body.append(_text(x, y + 18, f"{status}: no actor of either side" if record.get("slant_note") else status,
                                  size=12, fill="#5f6368"))
                parts.append(f"slant {status}")
            elif kind == "slant":
                body += _diverging(x, y + 3, w - 56, 20, m["slant_index"])
                body.append(_text(x + w - 50, y + 18, fmt(m["slant_index"], True)))
                parts.append(f"slant {fmt(m['slant_index'], True)}")
            elif kind == "rate":
                body += _bar(x, y + 3, w - 44, 20, m["rates"].get(task))
                body.append(_text(x + w - 38, y + 18, fmt(m["rates"].get(task))))
                parts.append(f"{task} {fmt(m['rates'].get(task))}")
            elif kind == "author":
                body += _bar(x, y + 3, w - 44, 20, m["author_rates"].get(task), AUTHOR_COLOUR)
                body.append(_text(x + w - 38, y + 18, fmt(m["author_rates"].get(task))))
                parts.append(f"author {task} {fmt(m['author_rates'].get(task))}")
            elif kind == "mix":
                classes = record["classes"][task]
                body += _stacked(x, y + 3, w, 20, m["mixes"][task], _class_colours(classes))
                parts.append(f"{task} " + "/".join(f"{m['mixes'][task].get(c, 0.0):.2f}" for c in classes))
            else:
                shares = m["mixes"][task]
                cls, share = max(shares.items(), key=lambda item: (item[1], item[0])) if shares and m["n_sentences"] else ("n/a", 0.0)
                colour = _class_colours(record["classes"][task]).get(cls, REST_COLOUR)
                body.append(_rect(x, y + 6, 12, 12, colour))
                body.append(_text(x + 18, y + 17, f"{clip(cls.replace('_', ' '), 36)} {share:.2f}", size=12))
                parts.append(f"top {task} {cls} {share:.2f}")
            x += w + gap
        desc.append(", ".join(parts))
    # Legend for the small mixes.
    y = header_h + row_h * len(records) + 14
    x = label_w
    for kind, _, task, _ in columns:
        if kind == "mix":
            classes = first["classes"][task]
            colours = _class_colours(classes)
            for cls in classes:
                body.append(_rect(x, y, 10, 10, colours[cls]))
                body.append(_text(x + 14, y + 10, f"{task}: {cls}", size=11))
                x += 14 + len(f"{task}: {cls}") * 6.4 + 14
    return _svg(int(width), int(height), "Comparison of articles", "; ".join(desc), body)


def profile_chart_svg(profile) -> str:
    """Forest plot of mean slant index per group with its bootstrap interval, plus the binary rates."""
    groups = profile.ordered()
    slant = bool(profile.slant_task) and profile.shown(profile.slant_task)
    # Each rate over the author's own words (when the records have it) next to the rate over all words.
    rate_tasks = [(task, voice) for task in profile.rate_tasks if profile.shown(task)
                  for voice in (("author", "all") if profile.has_author_rates else ("all",))]
    label_w, axis_w, rate_w, gap = 200, 380 if slant else 0, 130, 30
    row_h, header_h = 30, 56
    width = label_w + (axis_w + 70 if slant else 0) + len(rate_tasks) * (rate_w + gap) + 20
    height = header_h + row_h * max(1, len(groups)) + 24
    body: list[str] = []
    desc: list[str] = []
    x0 = label_w
    after_axis = x0 + (axis_w + 70 if slant else 0)
    if slant and profile.slant_poles:
        body.append(_text(x0, 18, "mean slant index (95% interval)", weight="600"))
        body.append(_text(x0, 38, f"−1 {profile.slant_poles[0]}", size=11, fill=NEGATIVE_COLOUR))
        body.append(_text(x0 + axis_w, 38, f"{profile.slant_poles[1]} +1", size=11, anchor="end", fill=POSITIVE_COLOUR))
    x = after_axis
    for task, voice in rate_tasks:
        body.append(_text(x, 18, f"author {task} rate" if voice == "author" else f"{task} rate", weight="600"))
        x += rate_w + gap
    top, bottom = header_h - 8, header_h + row_h * len(groups) - 8
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0) if slant else ():
        tx = x0 + (tick + 1) / 2 * axis_w
        stroke = "#5f6368" if tick == 0 else "#e0e0e0"
        body.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{bottom}" stroke="{stroke}" stroke-width="1"/>')
        body.append(_text(tx, bottom + 16, f"{tick:+.1f}" if tick else "0", size=10, anchor="middle", fill="#5f6368"))
    for row, group in enumerate(groups):
        y = header_h + row * row_h
        if row % 2 == 0:
            body.append(_rect(0, y - 8, width, row_h, "#f8f9fa", ' fill-opacity="0.8"'))
        body.append(_text(8, y + 11, f"{clip(group.name, 24)} (n={group.n_articles})"))
        mean = group.slant_mean if slant else None
        status = profile.status(profile.slant_task, group) if slant else FINDING
        if status != FINDING:
            body.append(_text(x0 + 8, y + 11, status, size=12, fill="#5f6368"))
        elif mean is not None:
            colour = POSITIVE_COLOUR if mean > 0 else NEGATIVE_COLOUR
            if group.interval:
                lo, hi = (x0 + (v + 1) / 2 * axis_w for v in group.interval)
                body.append(f'<line x1="{lo:.1f}" y1="{y + 7}" x2="{hi:.1f}" y2="{y + 7}" stroke="{colour}" stroke-width="2.5"/>')
                for end in (lo, hi):
                    body.append(f'<line x1="{end:.1f}" y1="{y + 2}" x2="{end:.1f}" y2="{y + 12}" stroke="{colour}" stroke-width="2"/>')
            cx = x0 + (mean + 1) / 2 * axis_w
            body.append(f'<circle cx="{cx:.1f}" cy="{y + 7}" r="5.5" fill="{colour}"/>')
            body.append(_text(x0 + axis_w + 10, y + 11, fmt(mean, True)))
        x = after_axis
        for task, voice in rate_tasks:
            rate = group.author_rates.get(task) if voice == "author" else group.rates.get(task)
            body += _bar(x, y, rate_w - 40, 14, rate, AUTHOR_COLOUR if voice == "author" else "#4e79a7")
            body.append(_text(x + rate_w - 34, y + 11, fmt(rate), size=12))
            x += rate_w + gap
        interval = "" if not group.interval else f" [{group.interval[0]:+.2f}, {group.interval[1]:+.2f}]"
        if not slant:
            desc.append(f"{group.name}: n={group.n_articles}")
        elif status != FINDING:
            desc.append(f"{group.name}: n={group.n_articles}, slant {status}")
        else:
            desc.append(f"{group.name}: n={group.n_articles}, slant {fmt(mean, True)}{interval}")
    return _svg(int(width), int(height), f"Profile by {profile.by}", "; ".join(desc), body)


# ---------------------------------------------------------------------- pages


_STATUS_CELLS = ("not reliable", "does not apply")


def _numbers_table(labels: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    rows = compare_rows(records)
    head = "".join(f"<th scope=\"col\" class=\"n\">{breakable(label)}</th>" for label in labels)
    body = "".join(
        f"<tr><th scope=\"row\">{breakable(name)}</th>"
        + "".join(f'<td class="n status">{escape(v)}</td>' if v in _STATUS_CELLS else f'<td class="n">{breakable(v)}</td>'
                  for v in values) + "</tr>"
        for name, values in rows
    )
    # "Not reliable" is in the note at the top of the page; what differs between articles is said here.
    notes = [line for line in status_notes(records) if "does not apply" in line]
    notes += [VOICE_NOTE] if any(name.startswith("author ") for name, _ in rows) else []
    note = ('<ul class="muted">' + "".join(f"<li>{escape(line)}</li>" for line in notes) + "</ul>") if notes else ""
    return (f'<div class="scroll"><table class="nums wide"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>{note}")


def _evidence_cards(labels: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    cards = []
    for label, record in zip(labels, records):
        terms = top_cue_terms(record)
        sentence = most_slanted_sentence(record) if slant_shown(record) else None
        quote = ""
        if sentence:
            css = "pos" if sentence["leans"] == record_poles(record)[1] else "neg"
            quote = (f'<div class="muted">most slanted sentence ({sentence["slant"]:+.2f} towards {escape(sentence["leans"])}):</div>'
                     f'<blockquote class="{css}">{escape(clip(sentence["text"], 320))}</blockquote>')
        term_text = ", ".join(f"{escape(t)} ({n})" for t, n in terms) if terms else "none found"
        mixes = article_metrics(record)["mixes"]
        tops = "".join(
            f'<div><span class="muted">top {escape(task)}:</span> '
            + ", ".join(f"{escape(c.replace('_', ' '))} {v:.2f}" for c, v in top_classes(mixes[task])) + "</div>"
            for task in mix_tasks(record)
            if finding_status(record, task) == FINDING and len(record["classes"][task]) > MIX_CLASSES_SHOWN
            and record.get("n_sentences"))
        speakers = "; ".join(escape(speaker_text(s)) for s in record.get("speakers") or [])
        quoted = f'<div><span class="muted">quoted speakers:</span> {speakers}</div>' if speakers else ""
        tops += "".join(f"<div>{escape(frames_line(name, entry, record.get('n_sentences') or 0))}</div>"
                        for name, entry in frame_entries(record).items() if reliable_frames(entry))
        cards.append(f'<div class="card"><h3>{escape(label)}</h3>{tops}<div><span class="muted">top loaded terms '
                     f"(author's own words):</span> {term_text}</div>{quoted}{quote}</div>")
    return '<div class="cards">' + "".join(cards) + "</div>"


def _article_section(label: str, text: str, record: Mapping[str, Any], prefix: str, heading: str = "h2",
                     collapsible: bool = False) -> str:
    chart = report_chart_svg(record)
    inner = voices_html(record) + stance_html(record) + chart + frames_html(record, prefix) + article_html(text, record, prefix)
    if collapsible:
        return (f'<section id="{prefix}" aria-label="{escape(label)}"><details open><summary>{escape(label)}</summary>'
                f"{inner}</details></section>")
    return f'<section id="{prefix}" aria-label="{escape(label)}"><{heading}>{escape(label)}</{heading}>{inner}</section>'


def score_page(items: Sequence[tuple[str, str, Mapping[str, Any]]], title: str = "framing report") -> str:
    """Page for ``framing score --html``: each article's chart and highlighted text."""
    first = items[0][2] if items else None
    subtitle = f"{len(items)} article{'s' if len(items) != 1 else ''} scored" + (
        f" with tasks {', '.join(first['tasks'])}" if first else "")
    sections = [reliability_html(first), legend(first)]
    for number, (label, text, record) in enumerate(items):
        sections.append(_article_section(label, text, record, f"a{number}"))
    return page(title, "\n".join(sections), subtitle)


def compare_page(items: Sequence[tuple[str, str, Mapping[str, Any]]], title: str = "framing comparison") -> str:
    """Page for ``framing compare --html``: comparison chart and table, evidence per article, then each article."""
    labels = [label for label, _, _ in items]
    records = [record for _, _, record in items]
    subtitle = f"{len(items)} articles side by side" + (f"; tasks {', '.join(records[0]['tasks'])}" if records else "")
    parts = [
        reliability_html(records[0] if records else None),
        compare_chart_svg(labels, records),
        "<h2>Numbers</h2>",
        _numbers_table(labels, records),
        "<h2>Evidence</h2>",
        _evidence_cards(labels, records),
        "<h2>Articles</h2>",
        # The shade keys when any article's sentences are shaded by slant.
        legend(next((record for record in records if slant_shown(record)), records[0] if records else None)),
    ]
    for number, (label, text, record) in enumerate(items):
        parts.append(_article_section(label, text, record, f"a{number}", collapsible=True))
    return page(title, "\n".join(parts), subtitle)


def profile_page(profile, title: str | None = None) -> str:
    """Page for ``framing profile --html``: forest plot and table of the numbers that are findings.

    Tasks whose numbers are not findings (:meth:`Profile.status <framing.report._profile.Profile.status>`)
    have no column; a note names them with the measured reason, and a group none of whose articles
    mentions an actor of the axis reads "does not apply" as its slant.
    """
    data = profile.to_dict()
    slant = bool(profile.slant_task) and profile.shown(profile.slant_task)
    rate_tasks = [task for task in profile.rate_tasks if profile.shown(task)]
    mix_shown = [task for task in profile.mix_tasks if profile.shown(task)]
    header = ["group", "articles"] + (["mean slant index", "95% interval"] if slant else [])
    author = profile.has_author_rates
    for t in rate_tasks:
        header += ([f"author {t} rate"] if author else []) + [f"{t} rate"]
    header += mix_shown
    frame_sets = [name for name in profile.frame_sets if profile.frames_shown(name)]
    header += [f"top frames ({name})" for name in frame_sets]
    n_numeric = len(header) - len(mix_shown) - len(frame_sets)
    rows = []
    for group in profile.ordered():
        cells = [f'<td class="id">{breakable(group.name)}</td>', f'<td class="n">{group.n_articles}</td>']
        if slant:
            mean, interval = profile.slant_cells(group)
            css = "n status" if mean in _STATUS_CELLS else "n"
            cells += [f'<td class="{css}">{escape(mean)}</td>', f'<td class="n">{escape(interval)}</td>']
        for t in rate_tasks:
            cells += ([f'<td class="n">{fmt(group.author_rates.get(t))}</td>'] if author else [])
            cells.append(f'<td class="n">{fmt(group.rates.get(t))}</td>')
        for task in mix_shown:
            ordered = sorted((group.mixes.get(task) or {}).items(), key=lambda item: (-item[1], item[0]))[:3]
            cells.append("<td>" + (", ".join(f"{breakable(c)}&nbsp;{v:.2f}" for c, v in ordered) or "n/a") + "</td>")
        cells += [f"<td>{breakable(profile.frames_cell(group, name))}</td>" for name in frame_sets]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    heads = "".join(('<th class="n">' if 0 < i < n_numeric else "<th>") + f"{breakable(h)}</th>" for i, h in enumerate(header))
    table = ('<div class="scroll"><table class="nums wide profile"><thead><tr>' + heads + "</tr></thead><tbody>"
             + "".join(rows) + "</tbody></table></div>")
    notes = profile.notes()
    note = ""
    if notes:
        note = ('<div class="note" role="note"><p><b>Not shown as findings</b></p><ul>'
                + "".join(f"<li>{escape(line)}</li>" for line in notes) + "</ul></div>")
    if author and rate_tasks:
        table += ('<p class="muted">author ... rate: mean over the articles of the rate over the author\'s own words '
                  "(quotations left out); ... rate: over all words</p>")
    if frame_sets:
        table += f'<p class="muted">{escape(FRAMES_PROFILE_NOTE)}</p>'
    subtitle = (f"{sum(g['n_articles'] for g in data['groups'])} articles in {len(data['groups'])} groups by {profile.by}; "
                f"intervals: {int(profile.level * 100)}% percentile bootstrap of the mean "
                f"({profile.n_resamples} resamples, seed {profile.seed}); n/a for a single article")
    return page(title or f"framing profile by {profile.by}", note + profile_chart_svg(profile) + table, subtitle,
                footer="Made with framing. Scores are model estimates, not verdicts; a group's interval reflects only "
                       "the variation between its articles.")
