"""An article's frame profile in HTML: its "Frames" section and each unit's frames in its score panel.

Per frame set (:mod:`framing.report._frames`), every frame whose task is a finding is listed strongest
first with a bar for its share, its presence and its top sentences, which link to the units of the page
(``{prefix}-s{index}``, the ids :func:`framing.report._html.article_html` gives them); the frames that are
not findings are named in one muted line with their measured status. Everything is escaped; nothing here
prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._frames import PRESENT_AT, frame_entries, reliable_frames, unreliable_frames
from ._html_base import HTML_MAX_UNITS, breakable, clip, escape, fmt

__all__ = ["FRAMES_CSS", "FRAMES_NOTE", "frames_html", "frame_tip_rows"]

#: The Frames section's style.
FRAMES_CSS = """
.frames h3 { margin-top: 1rem; }
.fbar { display:inline-block; width: 8rem; height: .8rem; background:#f1f3f4; border-radius: 2px; vertical-align: middle;
  margin-right: .4rem; }
.fbar > span { display:block; height: 100%; background: #4e79a7; border-radius: 2px; }
table.nums.frames td.top div { margin: .1rem 0; }
"""

#: Characters of a frame's top sentence shown in the Frames section.
FRAME_SENTENCE_CHARS = 200
#: What the Frames section's numbers are.
FRAMES_NOTE = ("share: how the article's framing divides among the frames (sums to 1); presence: the probability "
               "that the article puts the frame forward at all ({method}), present at {present:.2f} or more. A "
               "sentence's frames are independent: it may carry several, or none.")


def frames_html(record: Mapping[str, Any], prefix: str = "a0") -> str:
    """An article's "Frames" section: per frame set, every reliable frame (strongest first) with a bar for its
    share, its presence and its top sentences (links to the units of the page, ``{prefix}-s{index}``); the
    unreliable frames in one muted line with their note. Empty for a record without frame sets.
    """
    entries = frame_entries(record)
    if not entries:
        return ""
    on_page = {s.get("index") for s in (record.get("sentences") or [])[:HTML_MAX_UNITS]}
    parts = []
    for name, entry in entries.items():
        parts.append(f"<h3>Frames ({escape(name)})</h3>")
        reliable = reliable_frames(entry)
        if reliable and not record.get("n_sentences"):
            parts.append('<p class="muted">No scored sentence: no frame to show.</p>')
        elif reliable:
            rows = []
            for frame in reliable:
                share = frame["share"]
                bar = (f'<span class="fbar" aria-hidden="true"><span style="width: {100 * max(0.0, min(1.0, share)):.1f}%">'
                       "</span></span>")
                present = " <b>present</b>" if frame.get("present") else ""
                sentences = "".join(
                    "<div>" + (f'<a href="#{prefix}-s{s["index"]}">#{s["index"]}</a>' if s["index"] in on_page
                               else f"#{s['index']}")
                    + f' <span class="muted">p={fmt(s["probability"])}</span> {escape(clip(s["text"], FRAME_SENTENCE_CHARS))}</div>'
                    for s in frame.get("sentences") or [])
                rows.append(f'<tr><th scope="row">{breakable(frame["frame"])}</th><td class="n">{bar}{fmt(share)}</td>'
                            f'<td class="n">{fmt(frame["presence"])}{present}</td><td class="top">{sentences}</td></tr>')
            parts.append('<div class="scroll"><table class="nums frames"><thead><tr><th scope="col">frame</th>'
                         '<th scope="col" class="n">share</th><th scope="col" class="n">presence</th>'
                         '<th scope="col">top sentences</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>")
            parts.append(f'<p class="muted">{escape(FRAMES_NOTE.format(method=entry.get("method"), present=PRESENT_AT))}</p>')
        unreliable = unreliable_frames(entry, record)
        if unreliable:
            parts.append('<p class="muted">Not shown as findings: '
                         + "; ".join(f"{escape(f['frame'])} ({escape(f['status'])})" for f in unreliable) + "</p>")
    return '<div class="frames" role="group" aria-label="Frames">' + "".join(parts) + "</div>"


def frame_tip_rows(sentence: Mapping[str, Any], record: Mapping[str, Any]) -> list[str]:
    """A unit's frames in its score panel: per frame set, the reliable frames it carries (P >= 0.5), most probable
    first."""
    rows = []
    probabilities = sentence.get("probabilities") or {}
    for name, entry in frame_entries(record).items():
        reliable = reliable_frames(entry)
        if not reliable:
            continue  # the page's note says why
        carried = sorted(((frame["frame"], (probabilities.get(frame["task"]) or {}).get("true", 0.0))
                          for frame in reliable), key=lambda item: -item[1])
        carried = [(frame, p) for frame, p in carried if p >= PRESENT_AT]
        text = (", ".join(f"{escape(frame)} <span class=\"muted\">p={fmt(p)}</span>" for frame, p in carried)
                or f'<span class="muted">none at p &ge; {PRESENT_AT:.2f}</span>')
        rows.append(f'<span class="row"><span class="task">{breakable(f"frames ({name})")}</span><span>{text}</span></span>')
    return rows
