"""The labelling loop behind ``framing label``: active learning, one key per answer, write-through to the corpus.

A session segments one article, registers it in the corpus, and asks about
the units the current model is least sure of first (highest mean normalised
entropy over the tasks). The model's predictions are offered as defaults.
Every confirmed unit is written to the corpus at once with
:func:`framing.data.append_sentences` (atomic and locked), so an interrupted
session loses nothing already confirmed and the corpus always validates.

Input is read through a :class:`KeyReader`: :class:`TtyReader` takes single
key presses on a terminal, :class:`LineReader` reads one answer per line
(pipes, files, tests). Keys:

``Enter``      accept the default shown
``1``-``9``, ``a``... pick a class (``y``/``n`` for yes/no questions)
``u``          undo: back to the previous question (or the previous unit)
``s``          skip this unit (nothing written)
``q``          quit (the unit in progress is not written)
``?``          show the definitions of the current question

After the class questions, cue spans are typed one per line as
``TYPE:words`` (e.g. ``loaded:corrupt regime``; ``TYPE`` may be any unique
prefix of a span type in the schema; ``#2`` after the words picks the second
occurrence); an empty line finishes the unit.

A unit marked as boilerplate has no span step and takes, for each task, the
label most common among the corpus' boilerplate units; a task the corpus
has no boilerplate example for is asked (so the first boilerplate unit of a
fresh corpus is labelled like any other).

In a pipe, each answer is one line (an empty line is Enter); the end of
input quits.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .._util import BOILERPLATE, is_boilerplate, iter_jsonl, same_label
from ..errors import FramingError
from ..text import Unit, segment
from ._reading import validate_corpus
from ._schema import LabeledSentence, Schema, Span, TaskSpec, load_schema
from ._writing import ArticleConflictError, append_sentences, register_article

__all__ = [
    "LabelSession",
    "SessionResult",
    "KeyReader",
    "LineReader",
    "TtyReader",
    "Candidate",
    "plan",
    "normalised_entropy",
    "task_keys",
    "match_span",
    "article_id_from_path",
    "LabelError",
]

_KEY_SEQUENCE = "123456789abcdefghijklmoprtvwxz"  # no n, q, s, u, y: reserved or used by yes/no


class LabelError(FramingError):
    """A problem that stops a labelling session before it starts (one-line message)."""


# ---------------------------------------------------------------------- planning


def normalised_entropy(probabilities: Sequence[float]) -> float:
    """Entropy divided by its maximum ``log(k)``: 0 for a certain prediction, 1 for a uniform one.

    >>> normalised_entropy([0.5, 0.5]), normalised_entropy([1.0, 0.0])
    (1.0, 0.0)
    """
    k = len(probabilities)
    if k < 2:
        return 0.0
    total = -sum(p * math.log(p) for p in probabilities if p > 0)
    return max(0.0, min(1.0, total / math.log(k)))


@dataclass
class Candidate:
    """One unit to ask about, with the model's defaults."""

    position: int
    unit: Unit
    uncertainty: float = 0.0
    defaults: dict[str, Any] = field(default_factory=dict)
    probabilities: dict[str, dict[Any, float]] = field(default_factory=dict)
    boilerplate_probability: float | None = None
    cues: list[dict[str, Any]] = field(default_factory=list)


def plan(units: Sequence[Unit], schema: Schema, model=None, skip_positions: Sequence[int] = (),
         order: str = "uncertain") -> list[Candidate]:
    """The units still to label, least certain first (``order="uncertain"``) or in article order."""
    skip = set(skip_positions)
    candidates = [Candidate(position, unit) for position, unit in enumerate(units) if position not in skip]
    if model is not None and candidates:
        texts = [c.unit.text for c in candidates]
        all_probabilities = model.predict_all(texts)
        shared = [t for t in schema.task_names if t in model.tasks]
        for row, candidate in enumerate(candidates):
            entropies = []
            for task in shared:
                classes = model.classes(task)
                p = [float(v) for v in all_probabilities[task][row]]
                candidate.probabilities[task] = dict(zip(classes, p))
                best = classes[max(range(len(p)), key=lambda i: p[i])]
                if any(same_label(best, c) for c in schema.classes(task)):
                    candidate.defaults[task] = best
                entropies.append(normalised_entropy(p))
            candidate.uncertainty = sum(entropies) / len(entropies) if entropies else 0.0
            if BOILERPLATE in all_probabilities:
                classes = list(model.heads[BOILERPLATE].classes)
                candidate.boilerplate_probability = float(all_probabilities[BOILERPLATE][row][classes.index(True)])
            try:
                candidate.cues = model.cues(candidate.unit.text)
            except Exception:  # cues are a display aid only
                candidate.cues = []
    if order == "uncertain":
        candidates.sort(key=lambda c: (-round(c.uncertainty, 9), c.position))
    elif order != "position":
        raise ValueError(f"unknown order {order!r}; use 'uncertain' or 'position'")
    return candidates


def task_keys(task: TaskSpec) -> dict[str, Any]:
    """Key -> class for one task: ``y``/``n`` (and ``1``/``0``) for binary tasks, ``1``-``9``, ``a``... otherwise.

    >>> from framing.data import TaskSpec
    >>> task_keys(TaskSpec("hedged", "binary", (False, True)))
    {'n': False, 'y': True, '0': False, '1': True}
    >>> list(task_keys(TaskSpec("frame", "multiclass", tuple("abcdefghijk"))))[-3:]
    ['9', 'a', 'b']
    """
    if task.is_binary:
        return {"n": False, "y": True, "0": False, "1": True}
    if len(task.classes) > len(_KEY_SEQUENCE):
        raise LabelError(f"task {task.name!r} has {len(task.classes)} classes; at most {len(_KEY_SEQUENCE)} can be keyed")
    return {_KEY_SEQUENCE[i]: cls for i, cls in enumerate(task.classes)}


def _class_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def match_span(sentence: str, query: str, taken: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Offsets of ``query`` in ``sentence``: case-insensitive, any white space, ' and ’ alike.

    ``query`` may end with ``#N`` to take the N-th occurrence; otherwise the first
    occurrence not in ``taken`` is used.

    >>> match_span("The corrupt  Kyiv regime’s plan", "kyiv regime's")
    (13, 26)
    >>> match_span("a b a", "a#2")
    (4, 5)
    """
    occurrence = None
    found = re.fullmatch(r"(.*?)\s*#(\d+)", query)
    if found:
        query, occurrence = found.group(1), int(found.group(2))
    words = query.split()
    if not words:
        return None
    pieces = []
    for word in words:
        pieces.append("".join("['’]" if ch in "'’" else ("[\"“”]" if ch in "\"“”" else re.escape(ch)) for ch in word))
    pattern = re.compile(r"\s+".join(pieces), re.IGNORECASE)
    matches = [m.span() for m in pattern.finditer(sentence)]
    if occurrence is not None:
        return matches[occurrence - 1] if 0 < occurrence <= len(matches) else None
    for span in matches:
        if span not in taken:
            return span
    return matches[0] if matches else None


def article_id_from_path(path: str) -> str:
    """A corpus article id from a file name: its stem with unusual characters replaced by ``_``.

    >>> article_id_from_path("news/RT piece (2).txt")
    'RT_piece_2'
    """
    stem = Path(path).stem
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._")
    return cleaned or "article"


# ---------------------------------------------------------------------- input


class KeyReader:
    """Where answers come from."""

    interactive = False

    def key(self) -> str | None:
        """One answer: ``""`` for Enter, a single key, or a typed word; None at end of input."""
        raise NotImplementedError

    def line(self) -> str | None:
        """One line of text (spans); None at end of input."""
        raise NotImplementedError


class LineReader(KeyReader):
    """One answer per line (pipes and files): ``""`` is Enter; end of input quits."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def key(self) -> str | None:
        return self.line()

    def line(self) -> str | None:
        raw = self.stream.readline()
        if raw == "":
            return None
        return raw.rstrip("\r\n").strip()


class TtyReader(KeyReader):  # pragma: no cover - needs a real terminal
    """Single key presses from a terminal (cbreak mode); lines for spans."""

    interactive = True

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.fd = stream.fileno()

    def key(self) -> str | None:
        import termios
        import tty

        old = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            while True:
                data = os.read(self.fd, 1)
                if not data or data == b"\x04":
                    return None
                if data == b"\x1b":  # arrow keys and other escape sequences: ignore
                    import select

                    while select.select([self.fd], [], [], 0.02)[0]:
                        os.read(self.fd, 16)
                    continue
                if data in (b"\r", b"\n"):
                    return ""
                if data[0] >= 0x80:
                    continue
                return data.decode("ascii", errors="ignore")
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, old)

    def line(self) -> str | None:
        raw = self.stream.readline()
        if raw == "":
            return None
        return raw.rstrip("\r\n").strip()


# ---------------------------------------------------------------------- session


@dataclass
class SessionResult:
    saved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    quit: bool = False
    to_label: int = 0
    already: int = 0
    total: int = 0

    @property
    def remaining(self) -> int:
        """Units of the article still unlabelled (skipped ones included)."""
        return self.to_label - len(self.saved)


class _Undo(Exception):
    pass


class _Skip(Exception):
    pass


class _Quit(Exception):
    pass


class LabelSession:
    """Label one article of a corpus.

    Parameters
    ----------
    corpus : path
        Corpus folder with ``schema.json``.
    article_id, text : str
        The article; registered in the corpus (no-op when already there with the same text).
    model : Model, optional
        Gives the defaults and the order; without it units come in article order with no defaults.
    reader : KeyReader
    out : text stream
        Where questions and messages go (the command line passes stderr).
    """

    def __init__(self, corpus, article_id: str, text: str, reader: KeyReader, out: TextIO, model=None,
                 metadata: Mapping[str, Any] | None = None, order: str = "uncertain", limit: int | None = None,
                 colour: bool = False):
        self.root = Path(corpus)
        if not (self.root / "schema.json").is_file():
            raise LabelError(f"{corpus}: not a corpus folder (no schema.json); copy labeled/schema.json there to start one")
        try:
            self.schema = load_schema(self.root)
        except Exception as error:  # CorpusError: the schema's own message
            raise LabelError(str(error).replace("\n", "; ")) from None
        if not article_id or "/" in article_id or article_id.startswith("."):
            raise LabelError(f"invalid article id {article_id!r}: use a plain file stem (see --id)")
        self.article_id = article_id
        self.text = text
        self.reader = reader
        self.out = out
        self.model = model
        self.metadata = {k: v for k, v in (metadata or {}).items() if v is not None}
        self.order = order if model is not None else "position"
        self.limit = limit
        self.colour = colour
        self.keys = {task.name: task_keys(task) for task in self.schema.tasks}
        self.result = SessionResult()

    # -------------------------------------------------------------- output helpers
    def say(self, message: str = "") -> None:
        self.out.write(message + "\n")
        self.out.flush()

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    # -------------------------------------------------------------- corpus
    def _existing(self) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """Records already in the corpus: this article's (by id) and every boilerplate record."""
        path = self.root / self.schema.sentences_file
        mine, boilerplate = {}, []
        if path.exists():
            with open(path, "rb") as handle:
                for _, record, error in iter_jsonl(handle):
                    if error is not None or not isinstance(record, dict):
                        continue
                    if record.get("article") == self.article_id:
                        mine[record.get("id")] = record
                    if record.get("boilerplate") is True and isinstance(record.get("labels"), dict):
                        boilerplate.append(record)
        return mine, boilerplate

    def _register(self) -> None:
        try:
            register_article(self.root, self.article_id, self.text, **self.metadata)
        except ArticleConflictError:
            raise LabelError(f"article {self.article_id!r} is already in {self.root} with a different text; "
                             f"choose another id with --id") from None
        # An empty sentences file makes a fresh corpus valid before the first answer.
        if not (self.root / self.schema.sentences_file).exists():
            append_sentences(self.root, [])

    def sentence_id(self, position: int) -> str:
        return f"{self.article_id}-{position:04d}"

    def _boilerplate_defaults(self, boilerplate_records: Sequence[Mapping[str, Any]], candidate: Candidate) -> dict[str, Any]:
        defaults = {}
        for task in self.schema.tasks:
            seen = Counter()
            for record in boilerplate_records:
                value = record["labels"].get(task.name)
                if any(same_label(value, c) for c in task.classes):
                    seen[(type(value).__name__, value)] += 1
            if seen:
                (_, value), _ = max(seen.items(), key=lambda item: (item[1], -task.classes.index(item[0][1])))
                defaults[task.name] = value
        return defaults

    # -------------------------------------------------------------- the loop
    def _check_corpus(self) -> None:
        """Refuse to write into a corpus that does not validate (a fresh one without sentences is fine)."""
        issues = [issue for issue in validate_corpus(self.root)
                  if not (issue.file.endswith(self.schema.sentences_file) and "not found" in issue.message)]
        if issues:
            more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
            raise LabelError(f"the corpus does not validate: {issues[0]}{more}; fix it first (framing validate {self.root})")

    def run(self) -> SessionResult:
        self._check_corpus()
        self._register()
        units = segment(self.text)
        existing, boilerplate_records = self._existing()
        done = [p for p in range(len(units)) if self.sentence_id(p) in existing]
        candidates = plan(units, self.schema, self.model, skip_positions=done, order=self.order)
        result = self.result = SessionResult(already=len(done), total=len(units), to_label=len(candidates))
        self.say(f"article {self.article_id}: {len(units)} units, {len(done)} already labelled, "
                 f"{len(candidates)} to go" + (" (least certain first)" if self.order == "uncertain" else ""))
        if candidates:
            self.say("keys: Enter = default, u = undo, s = skip, q = quit, ? = help")
        answers: dict[int, dict[str, Any]] = {}
        visited: list[int] = []
        index = 0
        asked = 0
        while index < len(candidates):
            if self.limit is not None and asked >= self.limit and index not in answers:
                break
            candidate = candidates[index]
            previous = answers.get(index)
            try:
                sentence = self._ask(candidate, index, len(candidates), units, previous, boilerplate_records)
            except _Undo:
                if not visited:
                    self.say("(nothing to undo)")
                    continue
                index = visited.pop()
                self.say(self._style("undo: back to the previous unit (its saved answer stays until you confirm a new one)", "2"))
                continue
            except _Skip:
                result.skipped.append(self.sentence_id(candidate.position))
                visited.append(index)
                index += 1
                asked += 1
                self.say(self._style("skipped", "2"))
                continue
            except _Quit:
                result.quit = True
                break
            append_sentences(self.root, [sentence])
            if sentence.id in result.skipped:
                result.skipped.remove(sentence.id)
            if sentence.id not in result.saved:
                result.saved.append(sentence.id)
            if sentence.boilerplate:
                boilerplate_records.append(sentence.to_record())
            answers[index] = {"labels": dict(sentence.labels), "boilerplate": sentence.boilerplate,
                              "spans": list(sentence.spans)}
            self.say(self._style(f"saved {sentence.id}", "32"))
            visited.append(index)
            index += 1
            asked += 1
        return result

    def _show(self, candidate: Candidate, number: int, total: int, units: Sequence[Unit]) -> None:
        unit = candidate.unit
        self.say("")
        certainty = f"; uncertainty {candidate.uncertainty:.2f}" if self.model is not None else ""
        self.say(self._style(f"[{number}/{total}] {self.sentence_id(candidate.position)} ({unit.kind}{certainty})", "1"))
        if candidate.position > 0:
            self.say(self._style("  … " + _shorten(units[candidate.position - 1].text, 110), "2"))
        self.say("  > " + self._highlight(unit.text, candidate.cues))
        if candidate.position + 1 < len(units):
            self.say(self._style("  … " + _shorten(units[candidate.position + 1].text, 110), "2"))
        if candidate.cues:
            shown = ", ".join(f"{unit.text[c['start']:c['end']]} ({c['type']})" for c in candidate.cues)
            self.say(self._style(f"  lexicon cues: {shown}", "2"))

    def _highlight(self, text: str, cues: Sequence[Mapping[str, Any]]) -> str:
        if not self.colour or not cues:
            return text
        codes = {"loaded": "41", "naming": "45", "hedge": "43", "booster": "43", "attribution_cue": "42", "source": "44"}
        parts, position = [], 0
        for cue in sorted(cues, key=lambda c: (c["start"], -c["end"])):
            if cue["start"] < position:
                continue
            parts.append(text[position:cue["start"]])
            parts.append(self._style(text[cue["start"]:cue["end"]], codes.get(cue["type"], "7")))
            position = cue["end"]
        parts.append(text[position:])
        return "".join(parts)

    def _read_key(self) -> str:
        answer = self.reader.key()
        if answer is None:
            self.out.write("\n")
            raise _Quit()
        self.out.write(answer + "\n")
        self.out.flush()
        return answer

    def _ask_binary(self, question: str, default: bool | None, detail: str = "") -> bool:
        while True:
            shown = "" if default is None else f" [default {_class_text(default)}]"
            self.out.write(f"  {question}? y/n{shown}{detail} > ")
            self.out.flush()
            answer = self._read_key().lower()
            if answer in ("u", "s", "q"):
                raise {"u": _Undo, "s": _Skip, "q": _Quit}[answer]()
            if answer == "" and default is not None:
                return default
            if answer in ("y", "yes", "1", "true"):
                return True
            if answer in ("n", "no", "0", "false"):
                return False
            self.say(f"  answer y or n{'' if default is None else ', or Enter for the default'} (u undo, s skip, q quit)")

    def _ask_task(self, task: TaskSpec, default: Any, probabilities: Mapping[Any, float]) -> Any:
        keys = self.keys[task.name]
        while True:
            if task.is_binary:
                menu = "y/n"
            else:
                items = [f"{key} {cls}" for key, cls in keys.items()]
                menu = "  ".join(items)
                if len(menu) > 90:
                    self.say(f"  {task.name}:")
                    line = ""
                    for item in items:
                        if line and len(line) + 2 + len(item) > 96:
                            self.say(f"    {line}")
                            line = ""
                        line = f"{line}  {item}" if line else item
                    self.say(f"    {line}")
                    menu = "pick a key"
            model_part = ""
            if default is not None:
                p = next((v for c, v in probabilities.items() if same_label(c, default)), None)
                model_part = f" [default {_class_text(default)}" + (f" p={p:.2f}" if p is not None else "") + "]"
            self.out.write(f"  {task.name}: {menu}{model_part} > ")
            self.out.flush()
            answer = self._read_key()
            lowered = answer.lower()
            if lowered in ("u", "s", "q"):
                raise {"u": _Undo, "s": _Skip, "q": _Quit}[lowered]()
            if lowered == "?":
                self.say(f"    {task.name}: {task.definition}")
                for cls, text in task.class_definitions:
                    self.say(f"      {cls}: {text}")
                continue
            value = None
            if answer == "" and default is not None:
                value = default
            elif lowered in keys:
                value = keys[lowered]
            elif task.is_binary and lowered in ("yes", "true", "no", "false"):
                value = lowered in ("yes", "true")
            else:
                for cls in task.classes:
                    if isinstance(cls, str) and cls.lower() == lowered:
                        value = cls
            if value is None:
                reason = "no default here: pick a class" if answer == "" else f"unknown answer {answer!r}"
                self.say(f"  {reason} ({'y/n' if task.is_binary else 'keys ' + ', '.join(keys)}; ? for definitions)")
                continue
            self.say(self._style(f"    {task.name} = {_class_text(value)}", "36"))
            return value

    def _resolve_type(self, name: str) -> str | None:
        name = name.strip().lower()
        types = list(self.schema.span_types)
        if name in types:
            return name
        matches = [t for t in types if t.startswith(name)] if name else []
        return matches[0] if len(matches) == 1 else None

    def _ask_spans(self, text: str, initial: Sequence[Span]) -> list[Span]:
        spans: list[Span] = list(initial)
        types = ", ".join(self.schema.span_types)
        self.say(f"  cue spans: one per line as TYPE:words (types: {types}); empty line = done"
                 + (f"; kept: {', '.join(f'{s.type}:{s.text}' for s in spans)}" if spans else ""))
        while True:
            self.out.write("  span> ")
            self.out.flush()
            line = self.reader.line()
            if line is None:
                self.out.write("\n")
                raise _Quit()
            if not self.reader.interactive:
                self.out.write((line + "\n") if line else "\n")
            if line == "":
                return spans
            lowered = line.lower()
            if lowered == "u":
                if spans:
                    removed = spans.pop()
                    self.say(f"    removed {removed.type}:{removed.text}")
                    continue
                raise _Undo()
            if lowered in ("s", "q"):
                raise {"s": _Skip, "q": _Quit}[lowered]()
            if lowered == "?":
                example = self.schema.span_types[0] if self.schema.span_types else "loaded"
                self.say(f"    type a span as TYPE:words, e.g. {example}:corrupt regime;"
                         " add #2 for the second occurrence; u removes the last span")
                continue
            if ":" not in line:
                self.say(f"    expected TYPE:words (types: {types})")
                continue
            type_part, words = line.split(":", 1)
            span_type = self._resolve_type(type_part)
            if span_type is None:
                self.say(f"    unknown span type {type_part.strip()!r}; types: {types}")
                continue
            taken = [(s.start, s.end) for s in spans if s.type == span_type]
            found = match_span(text, words.strip(), taken)
            if found is None:
                self.say(f"    {words.strip()!r} not found in the sentence")
                continue
            span = Span(found[0], found[1], span_type, text[found[0]:found[1]])
            if span in spans:
                self.say("    already marked")
                continue
            spans.append(span)
            self.say(self._style(f"    + {span_type} [{span.start}:{span.end}] {span.text!r}", "36"))

    def _ask(self, candidate: Candidate, index: int, total: int, units: Sequence[Unit],
             previous: Mapping[str, Any] | None, boilerplate_records: list[Mapping[str, Any]]) -> LabeledSentence:
        self._show(candidate, index + 1, total, units)
        tasks = list(self.schema.tasks)
        defaults = dict(candidate.defaults)
        boilerplate_default = None if candidate.boilerplate_probability is None else is_boilerplate(candidate.boilerplate_probability)
        spans: list[Span] = []
        if previous:
            defaults.update(previous["labels"])
            boilerplate_default = previous["boilerplate"]
            spans = list(previous["spans"])
        if boilerplate_default is None:
            boilerplate_default = False
        labels: dict[str, Any] = {}
        step = 0  # 0 = boilerplate, 1..len(tasks) = tasks, len(tasks) + 1 = spans
        boilerplate = False
        while True:
            try:
                if step == 0:
                    detail = "" if candidate.boilerplate_probability is None else f" (model p={candidate.boilerplate_probability:.2f})"
                    boilerplate = self._ask_binary("boilerplate (site furniture, not part of the story)", boilerplate_default, detail)
                    if boilerplate:
                        bp_defaults = self._boilerplate_defaults(boilerplate_records, candidate)
                        missing = [t for t in tasks if t.name not in bp_defaults]
                        labels = dict(bp_defaults)
                        if missing:
                            self.say("    no boilerplate unit in the corpus yet: give its labels once "
                                     "(later boilerplate units take the corpus' usual ones)")
                        for task in missing:  # the corpus has no boilerplate example to copy: ask
                            labels[task.name] = self._ask_task(task, defaults.get(task.name),
                                                               candidate.probabilities.get(task.name, {}))
                        self.say(self._style("    boilerplate labels: " + ", ".join(
                            f"{t.name}={_class_text(labels[t.name])}" for t in tasks), "36"))
                        return self._sentence(candidate, labels, True, ())
                    step = 1
                elif step <= len(tasks):
                    task = tasks[step - 1]
                    default = labels.get(task.name, defaults.get(task.name))
                    labels[task.name] = self._ask_task(task, default, candidate.probabilities.get(task.name, {}))
                    step += 1
                else:
                    if not self.schema.span_types:
                        return self._sentence(candidate, labels, False, ())
                    spans = self._ask_spans(candidate.unit.text, spans)
                    return self._sentence(candidate, labels, False, spans)
            except _Undo:
                if step == 0:
                    raise
                step -= 1
                if 1 <= step <= len(tasks):
                    defaults[tasks[step - 1].name] = labels.pop(tasks[step - 1].name, defaults.get(tasks[step - 1].name))
                self.say(self._style("    (undo)", "2"))

    def _sentence(self, candidate: Candidate, labels: Mapping[str, Any], boilerplate: bool,
                  spans: Sequence[Span]) -> LabeledSentence:
        unit = candidate.unit
        return LabeledSentence(
            text=unit.text,
            labels={task.name: labels[task.name] for task in self.schema.tasks},
            article=self.article_id,
            id=self.sentence_id(candidate.position),
            position=candidate.position,
            start=unit.start,
            end=unit.end,
            spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.type))),
            boilerplate=boilerplate,
        )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def default_reader(stream: TextIO | None = None) -> KeyReader:
    """A :class:`TtyReader` for a terminal, a :class:`LineReader` otherwise."""
    stream = stream or sys.stdin
    try:
        if stream.isatty():
            return TtyReader(stream)
    except (AttributeError, ValueError):
        pass
    return LineReader(stream)
