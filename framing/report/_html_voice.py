"""The article's text in HTML: its lexicon cues, quotations and source phrases marked; and its voices panel.

The article text marks direct quotation with ``<q class="quoted">`` (its title names the speaker:
"quoted: words of Mick Lynch (named source)") and the source phrases the voice stage found with
``<mark class="src src-named">`` or ``src-anonymous``; lexicon cues (:data:`CUE_STYLES`) keep their own
marks inside.
The voices panel leads an article's section: the rates over the author's own words, over the quoted
words and over all words, then the quoted speakers with what they said. Numbers follow
:func:`framing.report._reliability.finding_status` like every other view: a task that is not a finding
shows its status. Everything is escaped; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._describe import source_counts
from ._frames import without_frames
from ._html_base import clip, escape
from ._reliability import FINDING, finding_status, short_status
from ._voice import AUTHOR_VOICE, VOICE_NOTE, quoted_counts, quoted_words, rates_text

__all__ = ["CUE_STYLES", "CUE_PRIORITY", "choose_cues", "SOURCE_STYLES", "VOICE_CSS", "QUOTED_COLOUR",
           "voice_legend_keys", "marked_sentence", "voice_tip_rows", "voices_html", "speaker_phrase", "stance_html"]

#: Highlight type -> (legend label, background colour, underline style). Types come from the lexicon cues.
CUE_STYLES: dict[str, tuple[str, str, str]] = {
    "loaded": ("loaded wording", "#ffc2b8", "solid #c0392b"),
    "naming": ("partisan naming", "#e3cdf5", "solid #7d3c98"),
    "hedge": ("hedge", "#ffe89a", "dotted #9a7d0a"),
    "booster": ("booster", "#fed8b1", "dotted #ba4a00"),
    "attribution_cue": ("attribution cue", "#c3ecc9", "dashed #1e8449"),
}
#: Order in which overlapping cues win (earlier wins). Sources are not lexicon cues: the voice stage's
#: source phrases are marked by kind (:data:`SOURCE_STYLES`).
CUE_PRIORITY = ("loaded", "naming", "hedge", "booster", "attribution_cue")
#: Source kind -> (legend label, background colour, underline style) of a source phrase in the text.
SOURCE_STYLES: dict[str, tuple[str, str, str]] = {
    "named": ("named source", "#c6ddff", "double #1f5fa8"),
    "anonymous": ("anonymous source", "#e6e0f8", "dashed #5b3fa8"),
}
QUOTED_COLOUR = "#1d4f73"
#: Quotes of one speaker shown in the voices panel; the rest are counted.
QUOTES_SHOWN = 3
QUOTE_CHARS = 240

VOICE_CSS = """
q.quoted { quotes: none; font-style: italic; color: """ + QUOTED_COLOUR + """; border-bottom: 1px dotted """ \
    + QUOTED_COLOUR + """; }
mark.src { color: inherit; border-radius: 2px; padding: 0 .06em; border-bottom-width: 2px; }
""" + "\n".join(
    f"mark.src-{kind}, .legend .sw.src-{kind} {{ background: {colour}; border-bottom: 2px {underline}; }}"
    for kind, (_, colour, underline) in SOURCE_STYLES.items()
) + """
.voices { margin: .4rem 0 .8rem; }
.voices table.nums { margin: .3rem 0 .4rem; }
.voices ul.speakers { margin: .3rem 0 .6rem; padding-left: 1.2rem; }
.voices ul.speakers li { margin: .35rem 0; }
.voices blockquote.said { margin: .2rem 0 0; padding-left: .6rem; border-left: 3px solid """ + QUOTED_COLOUR + """;
  font-style: italic; color: """ + QUOTED_COLOUR + """; }
"""


def voice_legend_keys() -> list[str]:
    """Legend entries for quotations and the two kinds of source phrase."""
    keys = ['<span class="key"><q class="quoted">quoted words</q> quoted: the speaker\'s words, not the author\'s '
            "(hover to see whose)</span>"]
    keys += [f'<span class="key"><span class="sw src-{kind}"></span>{escape(label)}</span>'
             for kind, (label, _, _) in SOURCE_STYLES.items()]
    return keys


def speaker_phrase(sentence: Mapping[str, Any]) -> str:
    """``"Mick Lynch (named source)"``, or ``"a speaker not found"`` for a quotation nobody was linked to.

    Examples
    --------
    >>> speaker_phrase({"speaker": "an insider", "speaker_kind": "anonymous"})
    'an insider (anonymous source)'
    """
    speaker = sentence.get("speaker")
    if not speaker:
        return "a speaker not found"
    kind = sentence.get("speaker_kind")
    return f"{speaker} ({kind} source)" if kind else str(speaker)


def _quote_spans(sentence: Mapping[str, Any], length: int) -> list[list[int]]:
    spans = [[max(0, int(s)), min(length, int(e))] for s, e in sentence.get("quoted") or [] if int(s) < int(e)]
    if not spans and sentence.get("voice") == "quoted" and length:
        spans = [[0, length]]  # a later sentence of a quotation that runs over several
    return sorted(spans)


def _straddles(item: Sequence[int], position: int) -> bool:
    return item[0] < position < item[1]


def _layout(sentence: Mapping[str, Any], cues: Sequence[Mapping[str, Any]]):
    """Source phrases and quotation spans that nest with the cues: no span cuts another.

    A source phrase that a cue crosses is not marked (the cue is); a quotation boundary inside a cue or
    a source phrase moves to that item's edge.
    """
    text = sentence.get("text") or ""
    cue_spans = [(c["start"], c["end"]) for c in cues]
    sources, last_end = [], 0
    candidates = sorted((s for s in sentence.get("sources") or [] if 0 <= s.get("start", -1) < s.get("end", -1) <= len(text)),
                        key=lambda s: (s["start"], -(s["end"] - s["start"])))
    for source in candidates:
        span = (source["start"], source["end"])
        if span[0] < last_end or any(_straddles(span, c[0]) or _straddles(span, c[1]) for c in cue_spans):
            continue
        sources.append(source)
        last_end = span[1]
    items = cue_spans + [(s["start"], s["end"]) for s in sources]
    quotes = _quote_spans(sentence, len(text))
    changed = True
    while changed:
        changed = False
        for quote in quotes:
            for item in items:
                if _straddles(item, quote[0]):
                    quote[0], changed = item[0], True
                if _straddles(item, quote[1]):
                    quote[1], changed = item[1], True
    merged: list[list[int]] = []
    for quote in sorted(quotes):
        if merged and quote[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], quote[1])
        else:
            merged.append(list(quote))
    return sources, merged


def choose_cues(cues: Iterable[Mapping[str, Any]], length: int) -> list[Mapping[str, Any]]:
    """Non-overlapping cues, longest first at each position, ties broken by :data:`CUE_PRIORITY`."""
    def priority(cue):
        kind = cue.get("type")
        return CUE_PRIORITY.index(kind) if kind in CUE_PRIORITY else len(CUE_PRIORITY)

    ordered = sorted((c for c in cues if c.get("type") in CUE_STYLES and 0 <= c.get("start", -1) < c.get("end", -1) <= length),
                     key=lambda c: (c["start"], -(c["end"] - c["start"]), priority(c)))
    chosen, last_end = [], 0
    for cue in ordered:
        if cue["start"] >= last_end:
            chosen.append(cue)
            last_end = cue["end"]
    return chosen


def _cue_mark(cue: Mapping[str, Any], words: str) -> str:
    label = CUE_STYLES[cue["type"]][0]
    category = str(cue.get("category", "")).replace("_", " ")
    detail = f"{label}: {category}" + (" (inside a quotation)" if cue.get("in_quote") else "")
    return (f'<mark class="cue cue-{escape(cue["type"])}" data-cue="{escape(cue["type"])}" '
            f'title="{escape(detail)}">{escape(words)}</mark>')


def marked_sentence(sentence: Mapping[str, Any]) -> str:
    """A unit's text, escaped, with its cues (:func:`choose_cues`), quotations and source phrases marked.

    The text is unchanged: only elements are added around it.

    Examples
    --------
    >>> sentence = {"text": 'Ann Lee said: "No."', "voice": "mixed", "speaker": "Ann Lee", "speaker_kind": "named",
    ...             "quoted": [[15, 18]], "sources": [{"text": "Ann Lee", "kind": "named", "start": 0, "end": 7}]}
    >>> marked_sentence(sentence)  # doctest: +NORMALIZE_WHITESPACE
    '<mark class="src src-named" title="named source">Ann Lee</mark> said: &quot;<q class="quoted"
     title="quoted: words of Ann Lee (named source)">No.</q>&quot;'
    """
    text = sentence.get("text") or ""
    cues = choose_cues(sentence.get("cues") or [], len(text))
    sources, quotes = _layout(sentence, cues)
    title = f"quoted: words of {speaker_phrase(sentence)}"

    def with_cues(lo: int, hi: int) -> str:
        out, position = [], lo
        for cue in cues:
            if lo <= cue["start"] and cue["end"] <= hi:
                out.append(escape(text[position:cue["start"]]))
                out.append(_cue_mark(cue, text[cue["start"]:cue["end"]]))
                position = cue["end"]
        out.append(escape(text[position:hi]))
        return "".join(out)

    def with_sources(lo: int, hi: int) -> str:
        out, position = [], lo
        for source in sources:
            if lo <= source["start"] and source["end"] <= hi:
                kind = source.get("kind") if source.get("kind") in SOURCE_STYLES else "named"
                out.append(with_cues(position, source["start"]))
                out.append(f'<mark class="src src-{kind}" title="{escape(SOURCE_STYLES[kind][0])}">'
                           f'{with_cues(source["start"], source["end"])}</mark>')
                position = source["end"]
        out.append(with_cues(position, hi))
        return "".join(out)

    out, position = [], 0
    for start, end in quotes:
        out.append(with_sources(position, start))
        out.append(f'<q class="quoted" title="{escape(title)}">{with_sources(start, end)}</q>')
        position = end
    out.append(with_sources(position, len(text)))
    return "".join(out)


def voice_tip_rows(sentence: Mapping[str, Any]) -> str:
    """Score-panel rows of a unit: whose words it is, and the source phrases it names."""
    voice = sentence.get("voice")
    if voice is None:
        return ""
    if voice == "quoted":
        said = f"quoted: words of {speaker_phrase(sentence)}"
    elif voice == "mixed":
        said = f"the author's words with a quotation of {speaker_phrase(sentence)}"
    else:
        said = AUTHOR_VOICE
    rows = [f'<span class="row"><span class="task">voice</span><span>{escape(said)}</span></span>']
    sources = source_counts([sentence])
    if sources:
        listed = ", ".join(f"{phrase} ({kind})" for phrase, kind, _ in sources)
        rows.append(f'<span class="row"><span class="task">sources</span><span>{escape(listed)}</span></span>')
    return "".join(rows)


def _cell(record: Mapping[str, Any], task: str, rates: Mapping[str, float] | None) -> str:
    status = finding_status(record, task)
    if status != FINDING:
        return f'<td class="n status">{escape(short_status(status))}</td>'
    if not rates or task not in rates:
        return '<td class="n status">none</td>'
    return f'<td class="n">{rates[task]:.2f}</td>'


def _said(record: Mapping[str, Any], speaker: Mapping[str, Any]) -> str:
    by_index = {s.get("index"): s for s in record.get("sentences") or []}
    quotes = [quoted_words(by_index[i]) for i in speaker.get("units") or [] if i in by_index]
    quotes = [q for q in quotes if q]
    shown = "".join(f'<blockquote class="said">{escape(clip(q, QUOTE_CHARS))}</blockquote>' for q in quotes[:QUOTES_SHOWN])
    more = len(quotes) - QUOTES_SHOWN
    return shown + (f'<div class="muted">… and {more} more quotation{"s" if more != 1 else ""}</div>' if more > 0 else "")


def voices_html(record: Mapping[str, Any]) -> str:
    """An article's voices: rates over the author's own words, the quoted words and all words; then the speakers.

    Empty for a record written before reports had voices (no ``author_rates``).
    """
    author = record.get("author_rates") or {}
    speakers = record.get("speakers") or []
    if not author and not speakers:
        return ""
    units, named = quoted_counts(record)
    quoted = (record.get("quoted_rates") or {}) if units else {}
    tasks = list(without_frames(record, record.get("rates") or {}))  # frames: their own section
    head = ('<tr><th scope="col">rate</th>' + "".join(f'<th scope="col" class="n">{escape(h)}</th>' for h in (
        AUTHOR_VOICE, f"quoted ({units} unit{'' if units == 1 else 's'})", "all words")) + "</tr>")
    body = "".join(f'<tr><th scope="row">{escape(task)} rate</th>{_cell(record, task, author)}'
                   f"{_cell(record, task, quoted)}{_cell(record, task, record.get('rates'))}</tr>" for task in tasks)
    table = (f'<div class="scroll"><table class="nums"><thead>{head}</thead><tbody>{body}</tbody></table></div>'
             if tasks else "")
    parts = [f'<div class="voices" role="group" aria-label="Whose words">{table}<p class="muted">{escape(VOICE_NOTE)}</p>']
    if speakers:
        parts.append(f"<h3>Quoted speakers ({named} found)</h3><ul class=\"speakers\">")
        for speaker in speakers:
            n = len(speaker.get("units") or [])
            name = speaker.get("speaker") or "speaker not found"
            kind = f"{speaker['kind']} source · " if speaker.get("speaker") and speaker.get("kind") else ""
            rates = rates_text(record, without_frames(record, speaker.get("rates") or {}))
            parts.append(f"<li><b>{escape(name)}</b> <span class=\"muted\">{escape(kind)}{n} unit{'' if n == 1 else 's'}"
                         + (f" · {escape(rates)}" if rates else "") + f"</span>{_said(record, speaker)}</li>")
        parts.append("</ul>")
    else:
        parts.append('<p class="muted">No direct quotation found: every scored word is the author\'s.</p>')
    parts.append("</div>")
    return "".join(parts)


def _stance_cell(record: Mapping[str, Any] | None) -> str:
    """One group of mentions as a table cell: ``"-0.42 (-0.60 to -0.20), 3 mentions"`` or ``"not mentioned"``."""
    n = (record or {}).get("mentions") or 0
    if not n:
        return '<td class="n status">not mentioned</td>'
    interval = record.get("interval")
    spread = f" ({interval[0]:+.2f} to {interval[1]:+.2f})" if interval else ""
    return f'<td class="n">{record["score"]:+.2f}{spread}, {n} mention{"" if n == 1 else "s"}</td>'


def stance_html(record: Mapping[str, Any]) -> str:
    """The stance toward the axis's sides and the actors asked at scoring: a small table, author's words and
    quotes apart (score = mean P(favourable) - P(unfavourable), with its 95 % interval), or their status.

    Empty for a record without mention-based stance (no ``axis_stance`` and no ``actors``).
    """
    rows, notes = [], []
    sides = record.get("axis_stance") or {}
    status = record.get("axis_stance_status")
    if sides and status == FINDING:
        rows += [(f"{side['label']} (axis side)", side) for side in sides.values()
                 if side.get("mentions") or (side.get("quoted") or {}).get("mentions")]
    elif sides and status:
        notes.append(f"axis stance: {status}")
    for actor in record.get("actors") or []:
        if actor.get("status") == FINDING and "mentions" in actor:
            rows.append((" / ".join(actor["names"]), actor))
        else:
            notes.append(f"{' / '.join(actor['names'])}: {actor.get('status')}")
    if not rows and not notes:
        return ""
    parts = ['<div class="voices" role="group" aria-label="Stance toward actors">']
    if rows:
        head = "".join(f'<th scope="col" class="n">{escape(h)}</th>' for h in (AUTHOR_VOICE, "quoted"))
        body = "".join(f'<tr><th scope="row">{escape(name)}</th>{_stance_cell(stance)}'
                       f"{_stance_cell(stance.get('quoted'))}</tr>" for name, stance in rows)
        parts.append(f'<div class="scroll"><table class="nums"><thead><tr><th scope="col">stance toward</th>{head}'
                     f"</tr></thead><tbody>{body}</tbody></table></div>")
        parts.append('<p class="muted">score: mean P(favourable) - P(unfavourable) over the mentions, from -1 '
                     "(unfavourable) to +1 (favourable), with its 95% bootstrap interval.</p>")
    parts += [f'<p class="muted">{escape(note)}</p>' for note in notes]
    parts.append("</div>")
    return "".join(parts)
