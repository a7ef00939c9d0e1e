"""Stance toward actors, the axis's sides and the slant index, from the mentions the model scored.

The model scores the stance of the text toward every candidate mention of an
article (:class:`framing.report._scored.MentionTable`); this module only reads
those rows:

* :func:`spelling_spans` (:func:`framing.text.spelling_spans`, re-exported)
  finds the spellings of one actor in a text: case-insensitive, whole words, a
  possessive counts, the longest spelling wins where two overlap. The model
  uses the same function to add the spellings asked with ``actors=`` as
  candidates, so both sides match the same way;
* :func:`actor_stance` gathers the scored mentions of one actor and averages
  their stance, over the author's own words and over quotes apart;
* :func:`axis_stance` does the same for each side of the axis (the mentions
  whose ``side`` the model set), and :func:`mention_slant` turns the two poles'
  stances into the slant index.

The *score* of a group of mentions is ``mean(P(favourable) - P(unfavourable))``
in [-1, 1]; its interval is a percentile bootstrap over the mentions with a
fixed seed (the same article always gives the same interval).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._util import bootstrap_interval
from ..text import spelling_spans
from ._reliability import DOES_NOT_APPLY, FINDING
from ._scored import STANCE_COLUMNS, MentionTable

__all__ = ["spelling_spans", "actor_names", "actor_stance", "stance_summary", "axis_stance", "mention_slant",
           "stance_naming_terms", "pole_leans", "stance_text", "axis_lines", "actor_lines", "asked_actor_stances",
           "stance_dict", "ACTOR_BOOTSTRAP",
           "NO_POLE_NOTE", "QUOTES_ONLY_NOTE"]

#: Resamples of the bootstrap intervals (seed 0).
ACTOR_BOOTSTRAP = 1000
#: Why the axis does not apply to an article that mentions no actor of its poles.
NO_POLE_NOTE = "the axis does not apply: no actor of either pole is mentioned (third parties alone do not start it)"
#: ... and to one whose author never names a pole's actor (only quoted speakers do).
QUOTES_ONLY_NOTE = "the axis does not apply: only quoted speakers mention an actor of its poles, the author never does"

_UNFAVOURABLE, _NEUTRAL, _FAVOURABLE = (STANCE_COLUMNS.index(c) for c in ("unfavourable", "neutral", "favourable"))


def actor_names(names: str | Sequence[str]) -> list[str]:
    """The spellings of one actor as a clean list (a str is one spelling); ValueError when there is none.

    Examples
    --------
    >>> actor_names("Trump"), actor_names([" Donald Trump ", "Trump", ""])
    (['Trump'], ['Donald Trump', 'Trump'])
    >>> actor_names([])
    Traceback (most recent call last):
    ...
    ValueError: an actor needs at least one spelling (e.g. ["Donald Trump", "Trump"]), got []
    """
    given = [names] if isinstance(names, str) else list(names)
    for name in given:
        if not isinstance(name, str):
            raise TypeError(f"an actor's spellings must be str, got {type(name).__name__}: {name!r}")
    spellings = [" ".join(name.split()) for name in given if name.strip()]
    if not spellings:
        raise ValueError(f"an actor needs at least one spelling (e.g. [\"Donald Trump\", \"Trump\"]), got {names!r}")
    return spellings


def stance_summary(probabilities: np.ndarray) -> dict[str, Any]:
    """``{"mentions", "unfavourable", "neutral", "favourable", "score", "interval"}`` of some mentions' stance rows.

    The class shares are the mean probabilities, ``score`` the mean of P(favourable) - P(unfavourable) and
    ``interval`` its 95 % bootstrap interval (None under 2 mentions); with no mention all but ``mentions`` are None.

    Examples
    --------
    >>> stance_summary(np.array([[0.6, 0.3, 0.1], [0.8, 0.1, 0.1]]))["score"]
    -0.6
    >>> stance_summary(np.zeros((0, 3)))["score"] is None
    True
    """
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1, len(STANCE_COLUMNS))
    if len(p) == 0:
        return {"mentions": 0, **{name: None for name in STANCE_COLUMNS}, "score": None, "interval": None}
    values = p[:, _FAVOURABLE] - p[:, _UNFAVOURABLE]
    mean = p.mean(axis=0)
    interval = bootstrap_interval(values, level=0.95, n_resamples=ACTOR_BOOTSTRAP, seed=0)
    return {"mentions": int(len(p)), **{name: round(float(mean[i]), 6) for i, name in enumerate(STANCE_COLUMNS)},
            "score": round(float(values.mean()), 6),
            "interval": None if interval is None else (round(interval[0], 6), round(interval[1], 6))}


def _split_record(probabilities: np.ndarray, quoted: np.ndarray) -> dict[str, Any]:
    """The author's words at the top level, the quoted mentions under ``"quoted"``."""
    return {**stance_summary(probabilities[~quoted]), "quoted": stance_summary(probabilities[quoted])}


def _scored_mask(mentions: MentionTable, scored_rows: np.ndarray) -> np.ndarray:
    """Which mentions stand in a scored (not boilerplate) unit."""
    return np.isin(mentions.row, np.asarray(scored_rows, dtype=np.intp))


def actor_stance(units: Sequence[tuple[int, int, str]], mentions: MentionTable,
                 names: str | Sequence[str]) -> dict[str, Any]:
    """The stance of an article toward one actor, over the scored mentions of its spellings.

    Parameters
    ----------
    units : sequence of (row, start, text)
        The scored units (boilerplate left out): their index, their offset in the article and their text.
    mentions : MentionTable
    names : str or sequence of str
        The actor's spellings (:func:`spelling_spans` finds them).

    Returns
    -------
    dict
        :func:`stance_summary` over the mentions in the author's own words, plus ``"quoted"``, the same
        over the quoted mentions. A found span counts the scored mention it overlaps (the exact one, else
        the one overlapping most: "Trump" inside a scored "Donald Trump"); each mention counts once.

    Raises
    ------
    ValueError
        No spelling; or a spelling found where no mention was scored (it was not asked for at scoring).

    Examples
    --------
    >>> table = MentionTable.from_lists(row=[0, 1], start=[0, 20], end=[5, 25], text=["Ruritania", "Ruritania"],
    ...                                 quoted=[False, True], probabilities=[[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]])
    >>> stance = actor_stance([(0, 0, "Alpha fell."), (1, 20, "Alpha rose.")], table, "alpha")
    >>> stance["mentions"], stance["score"], stance["quoted"]["score"]
    (1, -0.5, 0.6)
    """
    spellings = actor_names(names)
    by_row: dict[int, np.ndarray] = {}
    order = np.argsort(mentions.row, kind="stable")
    rows_sorted = mentions.row[order]
    chosen: list[int] = []
    for row, offset, text in units:
        spans = spelling_spans(text, spellings)
        if not spans:
            continue
        if row not in by_row:
            lo, hi = np.searchsorted(rows_sorted, [row, row + 1])
            by_row[row] = order[lo:hi]
        candidates = by_row[row]
        for start, end in spans:
            a, b = offset + start, offset + end
            overlap = np.minimum(mentions.end[candidates], b) - np.maximum(mentions.start[candidates], a)
            if len(candidates) == 0 or overlap.max() <= 0:
                raise ValueError(
                    f"the spelling {text[start:end]!r} (of {spellings}) occurs in unit {row} at characters {a}-{b} "
                    f"of the article, where no mention was scored: pass the actor to Model.score(text, "
                    f"actors=[{spellings!r}]) (command line: --actor {'|'.join(spellings)!r})")
            exact = np.flatnonzero((mentions.start[candidates] == a) & (mentions.end[candidates] == b))
            chosen.append(int(candidates[exact[0]] if len(exact) else candidates[int(np.argmax(overlap))]))
    picked = np.asarray(sorted(set(chosen)), dtype=np.intp)
    return _split_record(mentions.probabilities[picked], mentions.quoted[picked])


def _normal(term: str) -> str:
    """A term as the naming check compares it: lower case, single spaces, no quotes, no leading "the", no "'s"."""
    term = " ".join(term.replace("’", "'").strip().strip("'\"").lower().split())
    term = re.sub(r"'s?$", "", term)
    return term[4:] if term.startswith("the ") else term


def _entry_terms(term: str) -> set[str]:
    """The spellings an axis naming entry lists: ``"regime (Kyiv regime, Kiev regime)"`` gives all three."""
    inner = [piece for group in re.findall(r"\(([^)]*)\)", term) for piece in re.split(r"[,/]", group)]
    outer = re.split(r"\s/\s|,", re.sub(r"\([^)]*\)", " ", term))
    return {_normal(piece) for piece in inner + outer if _normal(piece)}


def pole_leans(axis: Mapping[str, Any]) -> dict[str, str]:
    """``{lean: pole key}``: the lean that favours each pole (its ``"lean"`` field, else ``"pro_<label lower>"``).

    Examples
    --------
    >>> pole_leans({"poles": {"negative": {"label": "Russia"}, "positive": {"label": "Ukraine", "lean": "pro_kyiv"}}})
    {'pro_russia': 'negative', 'pro_kyiv': 'positive'}
    """
    leans = {}
    for key in ("negative", "positive"):
        pole = (axis.get("poles") or {}).get(key) or {}
        lean = pole.get("lean") or "pro_" + "_".join(str(pole.get("label", key)).lower().split())
        leans[str(lean)] = key
    return leans


def stance_naming_terms(axis: Mapping[str, Any]) -> dict[str, set[str]]:
    """``{lean: {normalised term, ...}}`` of the axis's naming variants that set a stance (``sets_stance: true``)
    and lean toward a pole.

    Examples
    --------
    >>> axis = {"poles": {"negative": {"label": "A"}, "positive": {"label": "B"}},
    ...         "naming": [{"term": "regime (Bville regime)", "leans": "pro_a", "sets_stance": True},
    ...                    {"term": "Bville", "leans": "pro_a", "sets_stance": False}]}
    >>> sorted(stance_naming_terms(axis)["pro_a"])
    ['bville regime', 'regime']
    """
    leans = pole_leans(axis)
    terms: dict[str, set[str]] = {}
    for entry in axis.get("naming") or []:
        lean = str(entry.get("leans", ""))
        if entry.get("sets_stance") and lean in leans:
            terms.setdefault(lean, set()).update(_entry_terms(str(entry.get("term", ""))))
    return terms


def _naming_evidence(mentions: MentionTable, usable: np.ndarray, axis: Mapping[str, Any]) -> dict[str, int]:
    """``{pole key: count}`` of naming variants that set a stance in the author's words (not quoted).

    A mention counts when the model gave it a naming lean (``naming``), that lean favours a pole, and its text
    is one of the spellings of an axis naming entry with that lean and ``sets_stance: true`` (the lean alone
    is not enough: "Kiev" and "Kiev regime" lean the same way, only the second sets a stance).
    """
    terms = stance_naming_terms(axis)
    leans = pole_leans(axis)
    counts = {"negative": 0, "positive": 0}
    for i in np.flatnonzero(usable & ~mentions.quoted & (mentions.naming != "")):
        lean = mentions.naming[i]
        if lean in terms and _normal(mentions.text[i]) in terms[lean]:
            counts[leans[lean]] += 1
    return counts


def _side_labels(axis: Mapping[str, Any]) -> dict[str, str]:
    """``{side key: label}``: both poles, then every third party with actors, in the file's order."""
    labels = {key: str(((axis.get("poles") or {}).get(key) or {}).get("label", key)) for key in ("negative", "positive")}
    for key, party in (axis.get("third_parties") or {}).items():
        if isinstance(party, Mapping) and "actors" in party:
            labels[str(key)] = str(party.get("label", key))
    return labels


_FAVOURABLE_ROW = np.eye(len(STANCE_COLUMNS))[_FAVOURABLE]


def axis_stance(mentions: MentionTable, axis: Mapping[str, Any], scored_rows: np.ndarray) -> dict[str, dict[str, Any]]:
    """``{side key: {"label", "naming_evidence", **actor-stance record}}`` for both poles and every third party.

    A side's mentions are the scored mentions whose ``side`` the model set to its key. A naming variant that
    sets a stance (``sets_stance: true`` in the axis file), written in the author's own words, counts as one
    more mention of the pole its lean favours with the probabilities favourable = 1 ("Kiev regime", leaning
    ``pro_russia``, is evidence favourable to Russia); ``naming_evidence`` says how many did.

    Examples
    --------
    >>> axis = {"poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                   "positive": {"label": "B", "actors": ["Borduria"]}}}
    >>> table = MentionTable.from_lists(row=[0], start=[0], end=[8], text=["Atlantis"], side=["negative"],
    ...                                 probabilities=[[0.8, 0.1, 0.1]])
    >>> stance = axis_stance(table, axis, np.array([0]))
    >>> stance["negative"]["label"], stance["negative"]["score"], stance["positive"]["mentions"]
    ('A', -0.7, 0)
    """
    usable = _scored_mask(mentions, scored_rows)
    evidence = _naming_evidence(mentions, usable, axis)
    out: dict[str, dict[str, Any]] = {}
    for key, label in _side_labels(axis).items():
        picked = np.flatnonzero(usable & (mentions.side == key))
        probabilities, quoted = mentions.probabilities[picked], mentions.quoted[picked]
        extra = evidence.get(key, 0)
        if extra:
            probabilities = np.vstack([probabilities, np.tile(_FAVOURABLE_ROW, (extra, 1))])
            quoted = np.concatenate([quoted, np.zeros(extra, dtype=bool)])
        out[key] = {"label": label, "naming_evidence": extra, **_split_record(probabilities, quoted)}
    return out


def _values(mentions: MentionTable, usable: np.ndarray, key: str, extra: int) -> np.ndarray:
    """P(favourable) - P(unfavourable) of a pole's mentions in the author's words, naming evidence included."""
    picked = np.flatnonzero(usable & ~mentions.quoted & (mentions.side == key))
    p = mentions.probabilities[picked]
    return np.concatenate([p[:, _FAVOURABLE] - p[:, _UNFAVOURABLE], np.ones(extra)])


def mention_slant(mentions: MentionTable, axis: Mapping[str, Any], scored_rows: np.ndarray,
                  n_resamples: int = ACTOR_BOOTSTRAP) -> tuple[float | None, tuple[float, float] | None, str | None]:
    """``(slant_index, interval, note)`` over the author's own words, from the two poles' stances.

    ``slant_index = (stance(positive pole) - stance(negative pole)) / 2`` in [-1, 1], where a pole's stance is
    its mentions' mean P(favourable) - P(unfavourable) (naming variants that set a stance included, see
    :func:`axis_stance`) and a pole the author does not mention counts 0. The interval is a bootstrap that
    resamples each pole's mentions apart (seed 0; None under 2 mentions). The axis applies only when the
    author's words mention an actor of a pole (or use a naming variant that sets a stance): third parties
    alone never start it; otherwise the index is None and ``note`` says why.

    Examples
    --------
    >>> axis = {"poles": {"negative": {"label": "A", "actors": ["Atlantis"]},
    ...                   "positive": {"label": "B", "actors": ["Borduria"]}},
    ...         "third_parties": {"c": {"label": "C", "actors": ["Carpania"]}}}
    >>> table = MentionTable.from_lists(row=[0, 0], start=[0, 20], end=[8, 28], text=["Atlantis", "Borduria"],
    ...                                 side=["negative", "positive"], probabilities=[[0.8, 0.1, 0.1], [0.1, 0.2, 0.7]])
    >>> mention_slant(table, axis, np.array([0]))[0]
    0.65
    >>> only_c = MentionTable.from_lists(row=[0], start=[0], end=[8], text=["Carpania"], side=["c"])
    >>> mention_slant(only_c, axis, np.array([0]))[0] is None
    True
    """
    usable = _scored_mask(mentions, scored_rows)
    evidence = _naming_evidence(mentions, usable, axis)
    negative = _values(mentions, usable, "negative", evidence["negative"])
    positive = _values(mentions, usable, "positive", evidence["positive"])
    if len(negative) + len(positive) == 0:
        quoted_pole = bool(np.any(usable & mentions.quoted & np.isin(mentions.side, ["negative", "positive"])))
        return None, None, QUOTES_ONLY_NOTE if quoted_pole else NO_POLE_NOTE

    def stance(values: np.ndarray) -> float:
        return float(values.mean()) if len(values) else 0.0

    index = float(np.clip((stance(positive) - stance(negative)) / 2.0, -1.0, 1.0))
    interval = None
    if len(negative) + len(positive) >= 2 and n_resamples > 0:
        rng = np.random.default_rng(0)

        def resampled(values: np.ndarray) -> np.ndarray:
            if len(values) == 0:
                return np.zeros(n_resamples)
            # In blocks of resamples, so that memory stays small for an article with thousands of mentions.
            block = max(1, min(n_resamples, 2_000_000 // len(values)))
            return np.concatenate([values[rng.integers(0, len(values), size=(min(block, n_resamples - first),
                                                                             len(values)))].mean(axis=1)
                                   for first in range(0, n_resamples, block)])

        estimates = (resampled(positive) - resampled(negative)) / 2.0
        low, high = np.quantile(estimates, [0.025, 0.975])
        interval = (round(float(low), 6), round(float(high), 6))
    return round(index, 6), interval, None


# ---------------------------------------------------------------------- summary lines


def stance_text(record: Mapping[str, Any]) -> str:
    """One group of mentions in words: ``"3 mentions, score -0.42 (95% interval ...); unfavourable 0.55, ..."``.

    Examples
    --------
    >>> stance_text({"mentions": 1, "unfavourable": 0.6, "neutral": 0.3, "favourable": 0.1, "score": -0.5,
    ...              "interval": None})
    '1 mention, score -0.50; unfavourable 0.60, neutral 0.30, favourable 0.10'
    >>> stance_text({"mentions": 0})
    'not mentioned'
    """
    n = record.get("mentions") or 0
    if n == 0:
        return "not mentioned"
    interval = record.get("interval")
    spread = f" (95% interval {interval[0]:+.2f} to {interval[1]:+.2f})" if interval is not None else ""
    shares = ", ".join(f"{name} {record[name]:.2f}" for name in STANCE_COLUMNS)
    return f"{n} mention{'' if n == 1 else 's'}, score {record['score']:+.2f}{spread}; {shares}"


def _counts(record: Mapping[str, Any]) -> str:
    author, quoted = record.get("mentions") or 0, (record.get("quoted") or {}).get("mentions") or 0
    return f"{author} mention{'' if author == 1 else 's'} in the author's words, {quoted} in quotes"


def _voice_lines(name: str, record: Mapping[str, Any]) -> list[str]:
    naming = record.get("naming_evidence") or 0
    extra = f" (with {naming} naming variant{'' if naming == 1 else 's'} that set{'s' if naming == 1 else ''} a stance)" if naming else ""
    return [f"{name}, author's words: {stance_text(record)}{extra}",
            f"{name}, quotes: {stance_text(record.get('quoted') or {})}"]


def axis_lines(report) -> list[str]:
    """The summary's axis stance lines: each side the article mentions, the author's words and quotes apart.

    Nothing when the slant is not built from mentions or the axis does not apply (the slant line says so);
    one status line when the axis stance is not a finding.
    """
    if not report.slant_from_mentions:
        return []
    status = report.slant_status()
    if status == DOES_NOT_APPLY:
        return []
    stances = report.axis_stance
    note = (report.slant_reliability or {}).get("note")
    if status != FINDING:
        return [f"axis stance ({', '.join(record['label'] for record in stances.values())}): {status}"]
    return [line for record in stances.values()
            if record["mentions"] or (record.get("quoted") or {}).get("mentions")
            for line in _voice_lines(f"stance toward {record['label']}", record)] + ([f"note: {note}"] if note else [])


def asked_actor_stances(report) -> list[dict[str, Any]]:
    """:meth:`ArticleReport.actor_stances`: ``[{"names", "status", **actor_stance}, ...]`` of the actors asked."""
    out = []
    for names in report.actors:
        try:
            stance = report.actor_stance(names)
        except ValueError as error:
            out.append({"names": list(names), "status": f"not scored ({error})"})
            continue
        out.append({"names": list(names), "status": report.actor_status(), **stance})
    return out


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record with its intervals as lists (what JSON holds)."""
    return {key: list(value) if isinstance(value, tuple) else _plain(value) if isinstance(value, Mapping) else value
            for key, value in record.items()}


def stance_dict(report) -> dict[str, Any]:
    """The ``to_dict()`` keys of actor and axis stance: ``slant_from``, ``slant_labels``, ``slant_reliability``,
    ``axis``, ``axis_stance``, ``axis_stance_status``, ``actors`` and ``n_mentions``."""
    labels = report.slant_labels()
    return {
        "slant_from": "mentions" if report.slant_from_mentions else "sentences",
        "slant_labels": list(labels) if labels else None,
        "slant_reliability": report.slant_reliability,
        "axis": None if report.axis is None else report.axis.get("name"),
        "axis_stance": {key: _plain(record) for key, record in report.axis_stance.items()},
        "axis_stance_status": report.slant_status() if report.slant_from_mentions else None,
        "actors": [_plain(record) for record in report.actor_stances()],
        "n_mentions": None if report.mentions is None else len(report.mentions),
    }


def actor_lines(report) -> list[str]:
    """The summary's lines for the actors asked at scoring: per actor its stance in the author's words and in
    quotes, or its status (with the mention counts) when stance toward actors is not a finding."""
    lines = []
    for record in report.actor_stances():
        names = record["names"]
        name = f"actor {names[0]}" + (f" (also {', '.join(names[1:])})" if len(names) > 1 else "")
        if "mentions" not in record:
            lines.append(f"{name}: {record['status']}")
        elif record["status"] != FINDING:
            lines.append(f"{name}: {record['status']}; {_counts(record)}")
        elif not record["mentions"] and not record["quoted"]["mentions"]:
            lines.append(f"{name}: not mentioned")
        else:
            lines.extend(_voice_lines(name, record))
    return lines
