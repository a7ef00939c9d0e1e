"""Write ``adjudication.jsonl`` and ``adjudication_articles.jsonl``: the final v3 labels for every unit.

Run from the repository root::

    python labeled/annotations/v3/adjudicate.py

Every unit is adjudicated under codebook v3.1 (``labeled/CODEBOOK.md``, revision history), not only
the disagreements. Where the two blind passes agree, the label stands ("agreed") unless a v3.1
decision overrules both (listed in ``OVERRULE``). Where they disagree, ``DECIDE`` gives the label and
the rule. Spans: pass A's spans plus pass B's spans that overlap no pass-A span of the same type,
then made consistent with the final labels (codebook §9 and v3.1 rule D2): no hedge span without
``hedged``, no cue/source span without attribution, no ``stance_cue`` when every stance is neutral,
no author-voice ``loaded`` span when ``loaded`` was decided false, agentless passives carry no
``source`` span and the tag ``[agentless]``.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
A0, A1, A2, A3, A4 = ("000_fb985c1c742461f2", "001_66683db195be6fec", "002_155af15caab8ab03",
                      "003_c1796ed9b53210f7", "004_9f83161d9fd89aa0")


def uid(article, n):
    return f"{article}-{n:04d}"


# Disagreements: unit -> {task: (value, rule)}
DECIDE = {
    uid(A0, 4): {"frame": ("political", "§7 main clause: the triumph of a leader's strategy is a side's standing (political); no specific rule, tie-break not needed")},
    uid(A0, 5): {"loaded": (False, "§2 L1: 'fruitless' is the ordinary descriptive word for talks without result, like 'stalled'/'deadlock' (v3.1 D11)")},
    uid(A0, 18): {"frame": ("security_and_defense", "§7 rule 2 before rule 5 (v3.1 D12): the goal is a mechanism that keeps Ukraine from war again = a security guarantee")},
    uid(A0, 22): {"frame": ("external_regulation_and_reputation", "§7 main clause is the meeting (rule 1); leadership under pressure is a subordinate phrase (v3.1 D12)")},
    uid(A0, 35): {"loaded": (False, "v3.1 D1: the accusation's content after a neutral verb is Putin's; 'strategic mistake' is a quotation (span kept, label false)"),
                  "stance_ukraine": ("neutral", "§5 rule 1 with v3.1 D1: the propositional content of a paraphrased accusation is the speaker's")},
    uid(A0, 36): {"stance_ukraine": ("neutral", "§5 rule 1 / v3.1 D1: 'reassert its legitimacy' is the content of Putin's statement; the author's 'broader criticism' evaluates Putin's statement (Russia), not Ukraine")},
    uid(A0, 38): {"frame": ("external_regulation_and_reputation", "§7 rule 1: the most difficult issue of the discussions = agenda of talks; legal status of territory is not the point (runner-up legality)")},
    uid(A0, 39): {"frame": ("political", "§7 rule 1 exception: Ukraine's negotiating position (unyielding view) is political; not the legal status of Crimea")},
    uid(A0, 44): {"loaded": (True, "§2 rule 3 with v3.1 D8: 'Russian military operation' as the author's name for the war is the 'special military operation' euphemism, 'special' or not"),
                  "stance_russia": ("favourable", "§5 S7 with v3.1 D8: adopting Russia's partisan label for the war")},
    uid(A0, 47): {"attribution": ("anonymous", "§4 with v3.1 D9: bare plural 'Ukrainians' (people, not the state) is not identifiable")},
    uid(A0, 58): {"frame": ("political", "§7 rule 1 exception: a condition for meeting is a side's negotiating position")},
    uid(A0, 73): {"loaded": (True, "§2 rule 1 with v3.1 D5: 'is insistent' (manner verb like 'insisted') in the author's voice; the quoted terms are the West's own (v3.1 D7)")},
    uid(A0, 81): {"stance_ukraine": ("neutral", "§5 S6 with v3.1 D6: no owner of 'blackmail' in the article, so the fallback (author's emphasis on its referent, the US) applies; Ukraine not evaluated")},
    uid(A0, 85): {"frame": ("policy_prescription_and_evaluation", "§7 whether a proposal would work = policy; tie with economic broken by rule 5 priority")},
    uid(A0, 89): {"attribution": ("named", "§4 rule 3: 'Kyiv's official line for a complete military defeat ...' gives a named position with its content")},
    uid(A0, 91): {"loaded": (True, "§2 rules 1-2 with v3.1 D5: 'pointed out' presupposes the truth of a claim contested in the article (Zaluzhny vs the government line)"),
                  "stance_ukraine": ("neutral", "v3.1 D4: praise of a member of the side who is out of government, without a contrast with the government, sets no side stance")},
    uid(A0, 93): {"stance_ukraine": ("unfavourable", "§5 S1/S4: in the author's voice (no attribution marker, v3.1 D10) the Ukrainian government's aim of complete victory is declared unattainable")},
    uid(A0, 94): {"loaded": (True, "§2 rules 1, 4: 'tough stance', 'insists' and 'realism' in the author's voice")},
    uid(A1, 0): {"frame": ("external_regulation_and_reputation", "§7 rule 1, main clause: the talks ended (outcome of talks); the missing security deal is the object (v3.1 D12)")},
    uid(A1, 4): {"frame": ("external_regulation_and_reputation", "duplicate of 001-0000 (§0); same decision")},
    uid(A1, 15): {"frame": ("policy_prescription_and_evaluation", "§7: judge the reported content: a stated objective of the process = what should be done")},
    uid(A2, 9): {"frame": ("policy_prescription_and_evaluation", "§7 reported content: what any agreement must include; tie with political broken by rule 5 priority")},
    uid(A2, 22): {"stance_russia": ("neutral", "§5 S5/rule 1: the demand is the 90 countries' position; 'forcibly transferred' is UN reference wording, descriptive"),
                  "frame": ("crime_and_punishment", "§7: judge the reported content of the demand: return of forcibly transferred children (a war crime)")},
    uid(A3, 10): {"stance_russia": ("favourable", "§5 S7: a contested claim ('expired presidential term') stated as fact is favourable to the side whose narrative it is (axis naming list)")},
    uid(A4, 6): {"attribution": ("named", "§4 rule 3: Russia's rejections and demands with their content are a named position; continuation of Fesenko without quotation is author's voice (v3.1 D10)")},
    uid(A4, 15): {"attribution": ("anonymous", "§4 with v3.1 D9: bare 'Experts' is not identifiable (no definite description pointing back to a named source)")},
}

# Agreed labels that a v3.1 decision overrules: unit -> {task: (value, rule)}
OVERRULE = {
    uid(A0, 81): {"stance_us": ("unfavourable", "overrules both ('unclear'): v3.1 D6 — no owner of the scare-quoted 'blackmail' anywhere in the article, so S6's fallback applies: the author's emphasis, the word's evaluation applies to its referent (US pressure)")},
}

# Agentless passives of saying/thinking marked as 'source' by the passes (v3.1 D2): drop that source span.
AGENTLESS = {uid(A0, 78), uid(A0, 79)}

ARTICLES = {
    A0: ("pro_russia", "agreed (both passes): A3 the headline and lead blame Kyiv ('unrealistic demands', 0000; 'corrupt Kyiv regime', 0002) and praise Russia's 'strategic composure' and Putin's 'true triumph' (0003, 0004); A4 after adjudication Russia favourable in 0003, 0004, 0036, 0044, 0046 and never unfavourable, Ukraine unfavourable in 0000, 0002, 0028, 0039, 0069, 0076, 0087, 0093, 0094, 0096; A1 no Russian attack or harm reported while the Yermak scandal gets a section (0064-0069); A2 Umerov belittled ('limited himself to saying', 0028).",
         "political", "agreed (both passes): headline and lead are about Kyiv's negotiating positions and motives (0000, 0002); most space goes to US pressure, Yermak's resignation and the Zelensky-Zaluzhny split (0064-0101). Runner-up: external_regulation_and_reputation (talk reporting, 0005-0031)."),
    A1: ("pro_ukraine", "agreed (both passes): A1 selection of Russia's 10-hour air assault on residential buildings the day before the talks (0034), Russian election interference (0033), the criticism of the plan as 'a list of Russian demands' and 'forced capitulation' (0023); A3 the article ends on Putin's maximalist terms and threat of 'military means' (0035-0037); A4 Russia unfavourable in 0023, 0033, 0034, Ukraine never unfavourable; A2 US and Ukrainian officials quoted at length with neutral verbs (0008-0016).",
         "security_and_defense", "agreed (both passes): the headline is about the missing security deal (0000) and the lead about security guarantees (0001, 0005), with 0010, 0034, 0036-0037. The headline's unit frame is external_regulation (main clause: the talks ended); at article level the aspect put forward is security (§8: not the most frequent unit frame by rule). Runner-up: policy_prescription_and_evaluation (plan content, 0020-0028)."),
    A2: ("pro_ukraine", "agreed (both passes): A2 Russian statements get distancing verbs ('The Kremlin claimed', 0014; 'Moscow asserted' answered by Ukrainian officials, 0015) and Putin's remarks are followed by the UK's 'Kremlin claptrap' (0017-0018); A1/A3 the article closes on the forced transfer of Ukrainian children, 're-education' camps and the ICC warrant for Putin (0022-0024); A4 Russia unfavourable in 0014, 0015, no unit unfavourable to Ukraine.",
         "external_regulation_and_reputation", "agreed (both passes): headline, standfirst and lead on the envoys' meetings and the upcoming Florida talks (0003-0006), also 0017-0019. Runner-up: security_and_defense (0012, 0013, 0015, 0016)."),
    A3: ("neutral", "agreed (both passes): A4 one unit favourable to Russia and unfavourable to Ukraine (0010, 'expired presidential term' stated as fact) against one unit unfavourable to Russia (0009, 'unyielding'); A3 headline and lead report a deadlock without blame (0000, 0001); A2 voices are Rubio (0004, 0008) and an anonymous Ukrainian source (0005). 'Kiev'/'Donbass' are naming variants only (§2 rule 3). Close to pro_russia because of 0010; balanced, so neutral.",
         "external_regulation_and_reputation", "agreed (both passes): headline 0000 and lead 0001-0005 are about the talks and their outcome. Runner-up: security_and_defense (security guarantees 0007, 0008) then political (0006, 0009, 0010)."),
    A4: ("pro_ukraine", "agreed (both passes): A4 Russia unfavourable in 0006 ('intransigence' as the main reason for scepticism) and 0015 ('unyielding'), Ukraine never unfavourable (the US is criticised in 0012, 'nominally', which does not enter the Russia-Ukraine axis); A3 the scepticism is placed on Russia early (0006) and the conclusion blames Russia again (0015); A2 only Ukrainian analysts are heard (0003-0005).",
         "external_regulation_and_reputation", "decided (A: political, B: external_regulation): §8 weighs headline, lead, most space in that order, with v3.1 D12: the headline 0001 ('Miami Talks: Political Outcomes and Peace Prospects') is about the outcome of talks — both passes gave the unit external_regulation — as are the standfirst 0002 and the lead 0003-0005; external_regulation units outnumber political ones (0001-0003, 0005, 0007, 0014-0016 vs 0006, 0010-0013). The word 'Political' in the headline names the outcomes, not a frame. Runner-up: political (parties' positions, 0006, 0010-0013)."),
}
ARTICLE_PASSES = {"slant": None, "primary_frame": None}

STANCES = ("stance_russia", "stance_ukraine", "stance_us", "stance_europe")


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _in_quotes(text, start, end):
    """True when text[start:end] lies inside quotation marks (or starts with one)."""
    before = text[:start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”") or text[start:start + 1] in '"“'


def main():
    units = _read(HERE / "units.jsonl")
    pass_a = {r["id"]: r for r in _read(HERE / "pass_a_units.jsonl")}
    pass_b = {r["id"]: r for r in _read(HERE / "pass_b_units.jsonl")}
    out = []
    for unit in units:
        a, b = pass_a[unit["id"]], pass_b[unit["id"]]
        text = unit["text"]
        labels, reasons = {}, []
        for task in a["labels"]:
            va, vb = a["labels"][task], b["labels"][task]
            if va == vb:
                if task in OVERRULE.get(unit["id"], {}):
                    value, why = OVERRULE[unit["id"]][task]
                    labels[task] = value
                    reasons.append(f"{task}={value!r}: {why}")
                else:
                    labels[task] = va
            else:
                value, why = DECIDE[unit["id"]][task]
                assert value in (va, vb) or task in ("stance_us",), (unit["id"], task)
                labels[task] = value
                reasons.append(f"{task}={value!r} (A={va!r}, B={vb!r}): {why}")
        unused = set(DECIDE.get(unit["id"], {})) - {t for t in a["labels"] if a["labels"][t] != b["labels"][t]}
        assert not unused, (unit["id"], unused)
        spans = [dict(s) for s in a["spans"]]
        for s in b["spans"]:
            if not any(t["type"] == s["type"] and s["start"] < t["end"] and t["start"] < s["end"] for t in spans):
                spans.append(dict(s))
        tags = []
        if not labels["hedged"]:
            spans = [s for s in spans if s["type"] != "hedge"]
        if labels["attribution"] == "none":
            spans = [s for s in spans if s["type"] not in ("attribution_cue", "source")]
        if all(labels[t] == "neutral" for t in STANCES):
            spans = [s for s in spans if s["type"] != "stance_cue"]
        if not labels["loaded"]:
            spans = [s for s in spans if s["type"] != "loaded" or _in_quotes(text, s["start"], s["end"])]
        if unit["id"] in AGENTLESS:
            spans = [s for s in spans if s["type"] != "source"]
            tags.append("[agentless]")
        for tag in ("[source-in-context]",):
            if tag in a.get("note", "") or tag in b.get("note", ""):
                tags.append(tag)
        if labels["attribution"] != "none" and any(k in (a.get("note", "") + b.get("note", "")).lower()
                                                    for k in ("headline dash", "headline colon")):
            tags.append("[headline-source]")
        for note in (a.get("note", ""), b.get("note", "")):
            if note.startswith("duplicate of "):
                tags.append(note.split(".")[0].split(";")[0])
                break
        spans.sort(key=lambda s: (s["start"], s["end"], s["type"]))
        spans = [{"start": s["start"], "end": s["end"], "type": s["type"], "text": text[s["start"]:s["end"]]} for s in spans]
        out.append({
            "id": unit["id"], "boilerplate": a["boilerplate"], "labels": labels, "spans": spans,
            "reason": "; ".join(reasons) if reasons else "agreed",
            "tags": sorted(set(tags)),
            "note_a": a.get("note", ""), "note_b": b.get("note", ""),
        })
    with open(HERE / "adjudication.jsonl", "w", encoding="utf-8") as handle:
        for record in out:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    arts_a = {r["article"]: r for r in _read(HERE / "pass_a_articles.jsonl")}
    arts_b = {r["article"]: r for r in _read(HERE / "pass_b_articles.jsonl")}
    with open(HERE / "adjudication_articles.jsonl", "w", encoding="utf-8") as handle:
        for article, (slant, slant_why, frame, frame_why) in ARTICLES.items():
            for task, value in (("slant", slant), ("primary_frame", frame)):
                pa, pb = arts_a[article][task], arts_b[article][task]
                assert value in (pa, pb), (article, task)
                assert (pa == pb) == ("agreed" in (slant_why if task == "slant" else frame_why)), (article, task)
            handle.write(json.dumps({"article": article, "slant": slant, "slant_justification": slant_why,
                                     "primary_frame": frame, "primary_frame_justification": frame_why},
                                    ensure_ascii=False) + "\n")
    print(f"adjudicated {len(out)} units, {sum(r['reason'] != 'agreed' for r in out)} with a decision")


if __name__ == "__main__":
    main()
