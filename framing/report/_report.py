"""Article reports: aggregate sentence probabilities into scores, with the evidence behind them.

Only sentences whose boilerplate probability is below one half are scored.
For every task the report gives each class's *share* (the mean probability
over scored sentences); binary tasks also get a *rate* (the share of
``True``). The *slant index* is ``mean(P(positive pole) - P(negative pole))``
over scored sentences for the schema's polar task (:attr:`framing.Schema.polarity`),
in [-1, 1]: with the default schema, -1 is wholly pro-Russia and +1 wholly
pro-Ukraine. Evidence is exact: for a
linear model a feature's contribution to a class is its coefficient (minus
the mean coefficient of the other classes) times its value, divided by the
task's temperature. The tasks of a frame set (:class:`framing.FrameSet`, one binary
task per frame) are read together as one multi-label frame profile per set
(:meth:`ArticleReport.frame_profile`, :mod:`framing.report._frames`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .._util import BOILERPLATE_THRESHOLD, bootstrap_interval, class_key, is_boilerplate, label_index, polar_index
from ..data import FrameSet, PolarSpec
from ..text import Unit
from ._actors import (
    actor_lines,
    actor_names,
    actor_stance,
    asked_actor_stances,
    axis_lines,
    axis_stance,
    mention_slant,
    stance_dict,
)
from ._describe import describe_evidence, evidence_context, source_counts
from ._evidence import LazyMapping
from ._frames import (
    PRESENCE_METHOD,
    checked_frame_sets,
    frame_set_name,
    frame_set_profile,
    frame_tasks,
    frames_line,
    frames_not_reliable_line,
    present_frames,
)
from ._reliability import (
    FINDING,
    TARGET_STANCE,
    axis_reliability,
    finding_status,
    reliability_status,
    slant_status,
    task_statuses,
    unreliable_note,
)
from ._scored import CUE_TYPES, MentionTable, ScoredArticle
from ._units import CUE_FIELDS, SentenceScore, SentenceTable, cue_records, cue_tuples, voice_fields
from ._voice import shares_and_rates, speakers_of, split_by_voice, voice_lines

__all__ = ["SentenceScore", "SentenceTable", "ArticleReport", "build_report", "CUE_TYPES"]


@dataclass
class ArticleReport:
    """Scores of one article and the evidence behind them (see the module docstring).

    Attributes
    ----------
    sentences : SentenceTable
        Every unit of the article, boilerplate included, in order: a read-only
        :class:`collections.abc.Sequence` of frozen :class:`SentenceScore`
        (indexing, slicing to a list, ``len``, iteration, ``==`` against a list
        of the same units, pickling; reading an index twice gives the same
        object). A hand-made report may hold any sequence of units.
    tasks, classes
        The model's tasks and ``{task: classes}`` in column order.
    shares, rates
        ``{task: {class: mean probability}}`` over the scored units, and the
        share of ``True`` of each binary task.
    slant_task, slant_index
        The polar task and ``mean(P(positive) - P(negative))`` over the scored
        units that mention a side (None without one).
    top_sentences, top_terms : dict
        ``{task: {class: [sentence, ...]}}`` and ``{task: {class: [(feature, total), ...]}}``:
        the evidence behind each class's share.
    """

    sentences: Sequence[SentenceScore]
    tasks: tuple[str, ...]
    classes: dict[str, tuple[Any, ...]]
    shares: dict[str, dict[str, float]]
    rates: dict[str, float]
    slant_task: str | None
    slant_index: float | None
    top_sentences: Mapping[str, dict[str, list[dict[str, Any]]]]
    top_terms: Mapping[str, dict[str, list[tuple[str, float]]]]
    model: dict[str, Any] = field(default_factory=dict)
    #: The polar task and its poles (``slant_index`` is mean P(positive) - P(negative)); None without one.
    polar: PolarSpec | None = None
    #: 95% bootstrap interval of ``slant_index`` over the sentences it averages; None when there is no index.
    slant_interval: tuple[float, float] | None = None
    #: Why there is no slant index (e.g. no actor of either side is mentioned), or None.
    slant_note: str | None = None
    #: ``{task: {"reliable": bool, "metric", "value", "protocol", ...}}``: the model's measured out-of-domain
    #: skill per task (from its metadata); a task marked unreliable is not presented as a finding.
    reliability: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ``shares`` and ``rates`` over the author's own words only: the units outside quotation, and the
    #: author's part of a unit that mixes quotation and narration (scored alone).
    author_shares: dict[str, dict[str, float]] = field(default_factory=dict)
    author_rates: dict[str, float] = field(default_factory=dict)
    #: The same over the quoted words (empty when the article quotes nobody).
    quoted_shares: dict[str, dict[str, float]] = field(default_factory=dict)
    quoted_rates: dict[str, float] = field(default_factory=dict)
    #: The quoted speakers, most quoted first: ``{"speaker", "kind", "units", "rates", "shares"}`` each.
    speakers: list[dict[str, Any]] = field(default_factory=list)
    #: Every candidate mention the model scored, with its stance (None: the model has no target-stance
    #: component, and the slant index is the sentence-based one).
    mentions: MentionTable | None = None
    #: The axis document the mentions' sides refer to (None without one).
    axis: dict[str, Any] | None = None
    #: The actors asked for at scoring (``Model.score(text, actors=...)``), each a list of its spellings.
    actors: list[list[str]] = field(default_factory=list)
    #: The reliability entry that applies to a slant index and axis stance built from mentions
    #: (:func:`framing.report._reliability.axis_reliability`); None: the polar task's own.
    slant_reliability: dict[str, Any] | None = None
    #: ``{name: FrameSet}``: the groups of binary tasks the report reads together as multi-label frame
    #: profiles (:meth:`frame_profile`; see :mod:`framing.report._frames`); empty for a model without any.
    frame_sets: dict[str, FrameSet] = field(default_factory=dict)

    def is_reliable(self, task: str) -> bool:
        """False when the model's own evaluation found ``task`` near chance on data it never saw."""
        return bool(self.reliability.get(task, {}).get("reliable", True))

    def reliability_note(self, task: str) -> str:
        """``"not reliable (measured ...)"`` for an unreliable task, else ``""``."""
        info = self.reliability.get(task) or {}
        if info.get("reliable", True):
            return ""
        return unreliable_note(info)

    @property
    def slant_from_mentions(self) -> bool:
        """Whether the slant index is built from the stance toward the axis's actors (else from sentences)."""
        return self.mentions is not None and self.axis is not None

    def slant_status(self) -> str:
        """Whether the slant index and the axis stance are findings (:func:`~framing.report._reliability.slant_status`)."""
        return slant_status(self)

    def actor_status(self) -> str:
        """Whether stance toward a named actor is a finding: the model's ``"target_stance"`` reliability."""
        return reliability_status(self.reliability.get(TARGET_STANCE))

    def _scored_unit_texts(self) -> list[tuple[int, int, str]]:
        """``(row, start, text)`` of every scored (not boilerplate) unit: where :meth:`actor_stance` looks."""
        if isinstance(self.sentences, SentenceTable):
            units = self.sentences.offsets_and_texts()
        else:
            units = [(s.start, s.text) for s in self.sentences]
        return [(row, start, text) for row, ((start, text), p) in enumerate(zip(units, self._boilerplate_values()))
                if not is_boilerplate(p)]

    def _require_mentions(self) -> MentionTable:
        if self.mentions is None:
            raise ValueError("this report has no scored mentions: its model has no target-stance component")
        return self.mentions

    def actor_stance(self, names: str | Sequence[str]) -> dict[str, Any]:
        """The article's stance toward one actor, from the mentions the model scored.

        Parameters
        ----------
        names : str or list of str
            The actor's spellings ("Donald Trump", "Trump"): case-insensitive, whole words, a possessive
            "Trump's" counts, overlapping spellings count once (:func:`framing.report._actors.spelling_spans`).

        Returns
        -------
        dict
            ``{"mentions", "unfavourable", "neutral", "favourable", "score", "interval", "quoted"}``: over the
            author's own words, ``score`` the mean P(favourable) - P(unfavourable) and ``interval`` its 95 %
            bootstrap interval (None under 2 mentions; all None with no mention); ``"quoted"`` the same over
            the quoted mentions. Whether it is a finding: :meth:`actor_status`.

        Raises
        ------
        ValueError
            No spelling; a report without scored mentions; or a spelling found where nothing was scored
            (pass the actor to ``Model.score(text, actors=[...])``, command line ``--actor``).

        Examples
        --------
        >>> report = ArticleReport([], (), {}, {}, {}, None, None, {}, {})
        >>> report.actor_stance("Ruritania")
        Traceback (most recent call last):
        ...
        ValueError: this report has no scored mentions: its model has no target-stance component
        >>> report.actor_stance([])
        Traceback (most recent call last):
        ...
        ValueError: an actor needs at least one spelling (e.g. ["Donald Trump", "Trump"]), got []
        """
        spellings = actor_names(names)
        return actor_stance(self._scored_unit_texts(), self._require_mentions(), spellings)

    @cached_property
    def axis_stance(self) -> dict[str, dict[str, Any]]:
        """``{side key: {"label", "naming_evidence", **actor_stance-like record}}`` for both poles and every
        third party of the axis (see :func:`framing.report._actors.axis_stance`); ``{}`` without mentions or axis.

        Whether it is a finding: :meth:`slant_status` (the slant index's status). Computed on first read
        (its bootstrap intervals are the costly part) and kept: the summary, ``to_dict()`` and the HTML all read it.
        """
        if not self.slant_from_mentions:
            return {}
        scored = np.asarray([row for row, _, _ in self._scored_unit_texts()], dtype=np.intp)
        return axis_stance(self.mentions, self.axis, scored)

    def actor_stances(self) -> list[dict[str, Any]]:
        """The stance toward every actor asked for at scoring: ``[{"names", "status", **actor_stance}, ...]``
        (``status`` is :meth:`actor_status`, or why the stance cannot be read, with no numbers)."""
        return asked_actor_stances(self)

    @cached_property
    def frame_profiles(self) -> dict[str, dict[str, Any]]:
        """``{set name: {"method", "frames", "present"}}``: every frame set's profile (what ``to_dict()["frames"]``
        holds; :meth:`frame_profile` gives one set's frames). Computed on first read, from the units'
        probabilities (one array per set), and kept."""
        if not self.frame_sets:
            return {}
        rows = np.flatnonzero(np.asarray(self._boilerplate_values(), dtype=np.float64) < BOILERPLATE_THRESHOLD)
        statuses = task_statuses(self)
        profiles = {}
        for name, frame_set in self.frame_sets.items():
            tasks = tuple(frame_set.tasks)
            p = self._true_probabilities(tasks)[rows]
            profiles[name] = frame_set_profile(tuple(frame_set.frames), tasks, p, statuses, self.top_sentences,
                                               self.top_terms, PRESENCE_METHOD)
        return profiles

    def _true_probabilities(self, tasks: Sequence[str]) -> np.ndarray:
        """``(n_units, len(tasks))``: every unit's P(True) of each binary task."""
        if isinstance(self.sentences, SentenceTable):
            return self.sentences.true_probabilities(tasks)
        key = class_key(True)
        return np.asarray([[s.probabilities[task][key] for task in tasks] for s in self.sentences],
                          dtype=np.float64).reshape(len(self.sentences), len(tasks))

    def frame_profile(self, frame_set: str | None = None) -> list[dict[str, Any]]:
        """One frame set's profile: a dict per frame, strongest first (share descending, then the set's order).

        Parameters
        ----------
        frame_set : str, optional
            The set's name; None: the report's only set.

        Returns
        -------
        list of dict
            ``{"frame", "task", "share", "presence", "present", "status", "sentences", "terms"}``: the frame's
            share of the article's framing, the probability that the article puts it forward (``presence``,
            :func:`~framing.report._frames.frame_presence`) and whether it does (``present``, presence >= 0.5),
            its status (:meth:`status` of its task: an unreliable frame is no finding), its top units
            ``{"index", "text", "probability"}`` and its top terms ``[feature, weight]`` (the task's
            ``top_terms["true"]``). The frames' probabilities are independent; the shares sum to 1 (all 0 for an
            article without scored sentences).

        Raises
        ------
        ValueError
            The report has no frame set, several and none is named, or none of that name.

        Examples
        --------
        >>> report = ArticleReport([], (), {}, {}, {}, None, None, {}, {})
        >>> report.frame_profile()
        Traceback (most recent call last):
        ...
        ValueError: this report has no frame sets: its model has none
        """
        return self.frame_profiles[frame_set_name(self.frame_sets, frame_set)]["frames"]

    def frames_present(self, frame_set: str | None = None) -> list[str]:
        """The frames of a set that are findings and present in the article, strongest first."""
        return list(self.frame_profiles[frame_set_name(self.frame_sets, frame_set)]["present"])

    def status(self, task: str) -> str:
        """Whether ``task``'s number is a finding (see :func:`framing.report._reliability.finding_status`).

        ``"finding"``, ``"not reliable (measured ...)"`` or, for the polar task of an article that mentions
        no actor of the axis, ``"does not apply (no actor of the axis mentioned)"``.
        """
        return finding_status(self, task)

    @property
    def n_units(self) -> int:
        return len(self.sentences)

    def _boilerplate_values(self) -> list[float]:
        if isinstance(self.sentences, SentenceTable):
            return self.sentences.boilerplate_array().tolist()
        return [s.boilerplate for s in self.sentences]

    @property
    def n_sentences(self) -> int:
        """Number of scored (non-boilerplate) units."""
        if isinstance(self.sentences, SentenceTable):
            # Counted in the array: every view and each task's ``dominant`` asks for it.
            return int(np.count_nonzero(~(self.sentences.boilerplate_array() >= BOILERPLATE_THRESHOLD)))
        return sum(1 for p in self._boilerplate_values() if not is_boilerplate(p))

    @property
    def scored(self) -> list[SentenceScore]:
        return [s for s in self.sentences if not s.is_boilerplate]

    def dominant(self, task: str) -> str | None:
        """The class with the largest share, or None for an empty article."""
        shares = self.shares.get(task) or {}
        if not shares or self.n_sentences == 0:
            return None
        return max(shares, key=lambda c: (shares[c], c))

    def to_dict(self, max_sentences: int | None = None) -> dict[str, Any]:
        """A JSON-serialisable dictionary (binary classes as "true"/"false").

        Parameters
        ----------
        max_sentences : int, optional
            Keep only the first this many units under ``"sentences"`` (``n_units``
            still counts them all): for a page or a preview of a huge text.
        """
        if isinstance(self.sentences, SentenceTable):
            sentences = self.sentences.records(max_sentences)  # the same dicts, made from the arrays in bulk
        else:
            units = self.sentences if max_sentences is None else self.sentences[:max(0, max_sentences)]
            sentences = [s.to_dict() for s in units]
        return {
            "n_units": self.n_units,
            "n_sentences": self.n_sentences,
            "tasks": list(self.tasks),
            "classes": {t: [class_key(c) for c in cs] for t, cs in self.classes.items()},
            "shares": self.shares,
            "rates": self.rates,
            "author_shares": self.author_shares,
            "author_rates": self.author_rates,
            "quoted_shares": self.quoted_shares,
            "quoted_rates": self.quoted_rates,
            "speakers": self.speakers,
            "slant_task": self.slant_task,
            "polar": self.polar.to_dict() if self.polar is not None else None,
            "slant_index": self.slant_index,
            "slant_interval": list(self.slant_interval) if self.slant_interval is not None else None,
            "slant_note": self.slant_note,
            "slant_status": finding_status(self, self.slant_task) if self.slant_task is not None else None,
            "status": task_statuses(self),
            "reliability": self.reliability,
            "dominant": {t: self.dominant(t) for t in self.tasks},
            "top_sentences": {t: dict(cs) for t, cs in self.top_sentences.items()},
            "top_terms": {t: {c: [[n, round(v, 6)] for n, v in items] for c, items in cs.items()} for t, cs in self.top_terms.items()},
            "frames": {name: {**entry, "frames": [dict(frame) for frame in entry["frames"]], "present": list(entry["present"])}
                       for name, entry in self.frame_profiles.items()},
            "sentences": sentences,
            "model": self.model,
            **stance_dict(self),
        }

    def slant_labels(self) -> tuple[str, str] | tuple[()]:
        """What -1 and +1 of the slant index stand for: the axis's pole labels (slant from mentions), else the
        polar task's classes."""
        if self.slant_from_mentions:
            poles = self.axis.get("poles") or {}
            return tuple(str((poles.get(key) or {}).get("label", key)) for key in ("negative", "positive"))
        return tuple(class_key(pole) for pole in self._poles())

    def _poles(self) -> tuple[Any, ...]:
        """(negative, positive) classes of the polar task, or () without one."""
        if self.polar is None:
            return ()
        return (self.polar.negative, self.polar.positive)

    def summary(self) -> str:
        """A short plain-text summary for terminals.

        It leads with the author's voice: the rates over the author's own words, then over the quoted
        words with their speakers (named or anonymous), and one line saying which rate is which; the
        rest is over all words. A number is printed only when it is a finding (:meth:`status`); otherwise
        the line gives the status ("not reliable (measured ...)", or "does not apply" for the slant axis of
        an article that mentions no actor of it), and the evidence behind that number is left out too.
        Evidence is in words (:func:`framing.report._describe.describe_evidence`): "loaded word 'greedy'",
        not ``loaded:greedy`` (``to_dict()`` keeps the internal names).
        """
        def scored_units() -> list[Any]:
            # What names the evidence's words: each scored unit's text, cues and voice (no SentenceScore needed).
            table = self.sentences
            if not isinstance(table, SentenceTable):
                return self.scored
            voices = table.voice_rows()
            rows = zip(table.texts(), table.cue_rows(), self._boilerplate_values(), voices)
            return [{"text": text, "cues": [dict(zip(CUE_FIELDS, cue)) for cue in cue_records(cues)], **voice_fields(voice)}
                    for text, cues, boilerplate, voice in rows if not is_boilerplate(boilerplate)]

        n_left_out = self.n_units - self.n_sentences
        lines = [f"{self.n_sentences} scored sentence{'' if self.n_sentences == 1 else 's'} "
                 f"({n_left_out} boilerplate unit{'' if n_left_out == 1 else 's'} left out)"]
        lines.extend(voice_lines(self))
        poles = self._poles()
        slant_finding = self.slant_task is not None and self.status(self.slant_task) == FINDING
        has_slant = self.slant_from_mentions or self.slant_task is not None and bool(poles)
        if has_slant and self.slant_status() != FINDING:
            lines.append(f"slant index: {self.slant_status()}")
        elif has_slant and self.slant_index is not None:
            negative, positive = self.slant_labels()
            interval = (f"; 95% interval {self.slant_interval[0]:+.2f} to {self.slant_interval[1]:+.2f}"
                        if self.slant_interval is not None else "")
            source = ", from the stance toward each side's actors" if self.slant_from_mentions else ""
            lines.append(f"slant index {self.slant_index:+.2f}  (-1 = {negative}, +1 = {positive}{source}){interval}")
        lines.extend(axis_lines(self))
        lines.extend(actor_lines(self))
        in_frames = frame_tasks(self)  # read as frame profiles below, not as one rate each
        for task, rate in self.rates.items():
            if task in in_frames:
                continue
            status = self.status(task)
            lines.append(f"{task} rate {rate:.2f}" if status == FINDING else f"{task}: {status}")
        for task in self.tasks:
            if task in self.rates or task == self.slant_task and poles and not slant_finding:
                continue  # a rate above; the polar task's status is on the slant index line
            status = self.status(task)
            if status != FINDING:
                lines.append(f"{task}: {status}")
                continue
            shares = sorted(self.shares[task].items(), key=lambda item: -item[1])[:3]
            lines.append(f"{task}: " + ", ".join(f"{c} {p:.2f}" for c, p in shares))
        pole_keys = [class_key(pole) for pole in poles]
        scored, context = None, None  # the scored units and their words, gathered once, when evidence is shown
        for name, entry in self.frame_profiles.items():
            lines.append(frames_line(name, entry, self.n_sentences))
            not_reliable = frames_not_reliable_line(self, entry)
            if not_reliable:
                lines.append(not_reliable)
            for frame in present_frames(entry, FRAMES_WITH_EVIDENCE):
                scored = scored_units() if scored is None else scored
                context = evidence_context(scored) if context is None else context
                words = describe_evidence(frame["terms"], context=context, limit=5)
                if words:
                    lines.append(f"top {frame['frame']} frame evidence: " + "; ".join(text for text, _ in words))
                if frame["sentences"]:
                    top = frame["sentences"][0]
                    lines.append(f"most {frame['frame']} sentence (#{top['index']}, p={top['probability']:.2f}): "
                                 + _shortened(top["text"]))
        for task, by_class in self.top_terms.items():
            if task in in_frames or self.status(task) != FINDING or task == self.slant_task and self.slant_index is None:
                continue
            for cls, items in by_class.items():
                # Binary tasks: the evidence for true; the polar task: the evidence for each pole.
                if not items or not (task in self.rates and cls == "true" or task == self.slant_task and cls in pole_keys):
                    continue
                scored = scored_units() if scored is None else scored
                context = evidence_context(scored) if context is None else context
                # In words; character n-grams and layout features only when nothing else explains the score.
                words = describe_evidence(items, context=context, limit=5)
                if words:
                    lines.append(f"top {task}={cls} evidence: " + "; ".join(text for text, _ in words))
        lines.extend(self._cue_lines(scored=scored_units() if scored is None else scored))
        if slant_finding and self.slant_index is not None and not self.slant_from_mentions:
            for cls in poles:
                top = self.top_sentences.get(self.slant_task, {}).get(class_key(cls)) or []
                if top:
                    lines.append(f"most {cls} sentence (#{top[0]['index']}, p={top[0]['probability']:.2f}): "
                                 + _shortened(top[0]["text"]))
        return "\n".join(lines)

    def _cue_lines(self, per_type: int = 5, scored: Sequence[Any] | None = None) -> list[str]:
        """The lexicon cues found in the scored sentences, most frequent first, one line per cue type, then the
        source phrases the voice stage found (``scored``: the scored units or their records, when the caller has them).

        A cue is a cue and a source a source: the sources line lists the source phrases of the units
        (:attr:`SentenceScore.sources`: "Mick Lynch", "an insider"), never a cue verb such as "said"; the
        lexicon's own source matches are not listed.
        """

        counts: dict[str, Counter] = {}
        if isinstance(self.sentences, SentenceTable):
            # Straight from the stored columns: no SentenceScore objects for a summary.
            rows = zip(self.sentences.texts(), self.sentences.cue_rows(), self._boilerplate_values())
            units = ((text, [(cue[0], cue[1], cue[2]) for cue in cue_records(cues)], p) for text, cues, p in rows)
        else:
            units = ((s.text, [(c["start"], c["end"], c["type"]) for c in s.cues], s.boilerplate) for s in self.sentences)
        for text, cues, boilerplate in units:
            if is_boilerplate(boilerplate):
                continue
            # Overlapping matches of one type ("is expected", "expected to") are one cue: merge them.
            spans: dict[str, list[list[int]]] = {}
            for start, end, cue_type in sorted(cues, key=lambda c: (c[0], c[1])):
                merged = spans.setdefault(cue_type, [])
                if merged and start < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            for cue_type, intervals in spans.items():
                for start, end in intervals:
                    counts.setdefault(cue_type, Counter())[text[start:end].lower()] += 1
        lines = []
        for cue_type, label in (("loaded", "loaded"), ("naming", "naming"), ("hedge", "hedge"), ("booster", "booster"),
                                ("attribution_cue", "attribution")):
            if counts.get(cue_type):
                # Ties in alphabetical order, so the line is the same on every run.
                common = sorted(counts[cue_type].items(), key=lambda item: (-item[1], item[0]))[:per_type]
                lines.append(f"{label} cues: " + ", ".join(f"{w} ({n})" if n > 1 else w for w, n in common))
        sources = source_counts(self.scored if scored is None else scored)[:per_type]
        if sources:
            lines.append("sources: " + ", ".join(f"{phrase} ({kind}, {n})" if n > 1 else f"{phrase} ({kind})"
                                                 for phrase, kind, n in sources))
        return lines


#: Present frames of a set whose evidence and top sentence the summary gives.
FRAMES_WITH_EVIDENCE = 2
#: How long a sentence the summary quotes in full.
SUMMARY_SENTENCE_CHARS = 160


def _shortened(text: str) -> str:
    """A sentence as the summary quotes it: cut to :data:`SUMMARY_SENTENCE_CHARS` characters with "..."."""
    return text if len(text) <= SUMMARY_SENTENCE_CHARS else text[:SUMMARY_SENTENCE_CHARS - 3] + "..."


#: Resamples of the slant index's bootstrap interval (fixed seed: the same article gives the same interval).
SLANT_BOOTSTRAP = 200
NO_ACTOR_NOTE = "the axis does not apply: no actor of either side is mentioned"


def _slant(p: np.ndarray, poles: tuple[int, int], mentions: np.ndarray | None) -> tuple[float | None, tuple | None, str | None]:
    """Slant index over the scored sentences that mention a side (all of them without a stance block)."""
    rows = np.arange(len(p)) if mentions is None else np.flatnonzero(mentions > 0)
    if len(rows) == 0:
        return None, None, NO_ACTOR_NOTE if mentions is not None else None
    values = polar_index(p[rows], *poles)
    index = float(np.clip(values.mean(), -1.0, 1.0))
    interval = bootstrap_interval(values, level=0.95, n_resamples=SLANT_BOOTSTRAP, seed=0)
    if interval is None:
        return index, None, None
    return index, (round(interval[0], 6), round(interval[1], 6)), None


def _evidence_classes(classes: tuple[Any, ...]) -> list[int]:
    """The classes a report shows evidence for: all but ``False`` of a binary task."""
    return [index for index, cls in enumerate(classes) if not (classes == (False, True) and cls is False)]


def _aggregate(tasks, classes, probabilities, scored_rows, mentions, slant_task, poles):
    """Shares, rates and the slant index of the scored units."""
    slant_index = slant_interval = slant_note = None
    scored = {task: probabilities[task][scored_rows] for task in tasks}
    if not len(scored_rows):
        shares = {task: {class_key(c): 0.0 for c in classes[task]} for task in tasks}
        rates = {task: 0.0 for task in tasks if classes[task] == (False, True)}
        return shares, rates, slant_index, slant_interval, slant_note
    shares, rates = shares_and_rates(tasks, classes, scored)
    if slant_task is not None:
        slant_index, slant_interval, slant_note = _slant(scored[slant_task], poles,
                                                         None if mentions is None else mentions[scored_rows])
    return shares, rates, slant_index, slant_interval, slant_note


def _polar_setup(polar: PolarSpec | None, tasks, classes):
    if polar is not None and polar.task not in tasks:
        polar = None
    slant_task = polar.task if polar is not None else None
    poles = None
    if polar is not None:
        poles = (label_index(polar.negative, classes[slant_task]), label_index(polar.positive, classes[slant_task]))
    return polar, slant_task, poles


def _empty_table(classes: dict[str, tuple[Any, ...]]) -> SentenceTable:
    return SentenceTable([], classes, {task: np.zeros((0, len(cs))) for task, cs in classes.items()}, np.zeros(0), [],
                         np.zeros(0, dtype=object), {task: np.zeros((0, 0), dtype=np.int32) for task in classes},
                         {task: np.zeros((0, 0)) for task in classes})


def _empty_report(tasks, classes, slant_task, metadata, polar, reliability, stance) -> ArticleReport:
    empty_shares = {task: {class_key(c): 0.0 for c in classes[task]} for task in tasks}
    empty_rates = {t: 0.0 for t in tasks if classes[t] == (False, True)}
    return ArticleReport(_empty_table(classes), tasks, classes, empty_shares, empty_rates,
                         slant_task, None, {t: {} for t in tasks}, {t: {} for t in tasks}, metadata, polar,
                         reliability=reliability, author_shares=dict(empty_shares), author_rates=dict(empty_rates),
                         **stance)


class _ReportTopSentences:
    """``build`` of a report's lazy ``top_sentences`` (a plain object: it holds only what it reads)."""

    __slots__ = ("top_sentences", "units", "tasks", "classes")

    def __init__(self, top_sentences, units: Sequence[Unit], tasks, classes):
        self.top_sentences, self.units, self.tasks, self.classes = top_sentences, units, tasks, classes

    def __call__(self) -> dict:
        units, classes = self.units, self.classes
        return {task: {class_key(classes[task][c]): [
            {"index": row, "text": units[row].text, "probability": round(probability, 6),
             "features": [[name, round(value, 6)] for name, value in features]}
            for row, probability, features in self.top_sentences[task][c]]
            for c in _evidence_classes(classes[task])} for task in self.tasks}


class _ReportTopTerms:
    """``build`` of a report's lazy ``top_terms``."""

    __slots__ = ("top_terms", "tasks", "classes")

    def __init__(self, top_terms, tasks, classes):
        self.top_terms, self.tasks, self.classes = top_terms, tasks, classes

    def __call__(self) -> dict:
        classes = self.classes
        return {task: {class_key(classes[task][c]): list(self.top_terms[task][c]) for c in _evidence_classes(classes[task])}
                for task in self.tasks}


def build_report(units: Sequence[Unit], article: ScoredArticle, polar: PolarSpec | None = None,
                 model_info: dict[str, Any] | None = None,
                 reliability: dict[str, dict[str, Any]] | None = None,
                 actors: Sequence[str | Sequence[str]] | None = None,
                 frame_sets: Mapping[str, FrameSet] | None = None) -> ArticleReport:
    """Aggregate one article's scored units into a report (used by :meth:`framing.Model.score`).

    ``units`` are the article's units (:func:`framing.segment`), ``article``
    what the model computed for them (same order; see :class:`ScoredArticle`:
    probabilities, the boilerplate decision, cues, actor mentions and the
    evidence, as arrays), ``polar`` the schema's polar task and poles
    (:attr:`framing.Schema.polarity`), if any, and ``reliability`` the model's
    measured skill per task (see :attr:`ArticleReport.reliability`). This only
    reads and aggregates: it never calls the model or sees a feature matrix.
    The slant index averages the scored sentences that mention an actor of the
    axis (when the model has a stance block); with none, it is None and
    ``slant_note`` says why. When the model scored the stance toward each
    mention (``article.mentions`` and ``article.axis`` set), the slant index is
    instead built from the two poles' stances over the author's own words
    (:func:`framing.report._actors.mention_slant`). ``actors`` are the actors
    asked for at scoring, each a list of its spellings (a str is one spelling);
    the report gives their stance (:meth:`ArticleReport.actor_stances`).
    ``frame_sets`` (``{name: FrameSet}``, the schema's :attr:`framing.Schema.frame_sets`) are groups of
    binary tasks the report reads together as frame profiles (:meth:`ArticleReport.frame_profile`).
    """
    reliability = dict(reliability or {})
    tasks = article.tasks
    classes = {task: article.classes[task] for task in tasks}
    metadata = dict(model_info or {})
    polar, slant_task, poles = _polar_setup(polar, tasks, classes)
    stance = {"mentions": article.mentions, "axis": None if article.axis is None else dict(article.axis),
              "actors": [actor_names(names) for names in actors or ()],
              "frame_sets": checked_frame_sets(frame_sets, classes)}
    if article.mentions is not None and article.axis is not None:
        stance["slant_reliability"] = axis_reliability(reliability, str(article.axis.get("name", "axis")),
                                                       article.axis_measured)
    if not units:
        return _empty_report(tasks, classes, slant_task, metadata, polar, reliability, stance)
    if len(units) != len(article):
        raise ValueError(f"build_report got {len(units)} units but scores for {len(article)}")
    probabilities = {task: article.probabilities[task] for task in tasks}
    scored_rows = np.flatnonzero(article.boilerplate < BOILERPLATE_THRESHOLD)
    sentences = SentenceTable(units, classes, probabilities, article.boilerplate,
                              [cue_tuples(cues) for cues in article.cues], article.evidence_names,
                              article.evidence_columns, article.evidence_values, voices=article.voices)
    shares, rates, slant_index, slant_interval, slant_note = _aggregate(
        tasks, classes, probabilities, scored_rows, article.side_mentions, slant_task, poles)
    if article.mentions is not None and article.axis is not None:
        slant_index, slant_interval, slant_note = mention_slant(article.mentions, article.axis, scored_rows)
    split = split_by_voice(tasks, probabilities, scored_rows, article.voices, article.part_rows,
                           article.part_probabilities)
    author_shares, author_rates = shares_and_rates(tasks, classes, split.author)
    quoted_shares, quoted_rates = shares_and_rates(tasks, classes, split.quoted)
    # Built on first read (most reports are read for their scores): the same dicts, from the same arrays.
    top_sentences = LazyMapping(_ReportTopSentences(article.top_sentences, units, tasks, classes))
    top_terms = LazyMapping(_ReportTopTerms(article.top_terms, tasks, classes))
    return ArticleReport(sentences, tasks, classes, shares, rates, slant_task, slant_index, top_sentences, top_terms,
                         metadata, polar, slant_interval=slant_interval, slant_note=slant_note, reliability=reliability,
                         author_shares=author_shares, author_rates=author_rates, quoted_shares=quoted_shares,
                         quoted_rates=quoted_rates, speakers=speakers_of(article.voices, split, tasks, classes),
                         **stance)
