"""Labelled sentences from a table (CSV/TSV, JSON Lines, Excel) and the inference of tasks and classes from labels."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._schema import CorpusError, CorpusIssue, LabeledSentence, PathLike, Schema, TaskSpec

logger = logging.getLogger(__name__)


class TableError(CorpusError):
    """Raised by :func:`read_table` when a table cannot be used; ``issues`` lists every problem.

    Each issue names the file and row (``FILE:LINE``), the column, the value
    found and what is allowed.
    """

    def __init__(self, issues: Sequence[CorpusIssue]):
        super().__init__(issues)
        if len(self.issues) == 1:
            self.args = (str(self.issues[0]),)
        else:
            self.args = (self.args[0].replace("corpus error(s)", "problem(s)", 1),)


#: Spellings of yes/no labels in tables (compared case-insensitively, stripped).
YES_VALUES = ("true", "1", "yes", "y", "t")
NO_VALUES = ("false", "0", "no", "n", "f")


def yes_no(value: Any) -> bool | None:
    """``True``/``False`` for a yes/no label (``true``/``false``, ``1``/``0``, ``yes``/``no``, booleans), else None.

    Examples
    --------
    >>> yes_no("Yes"), yes_no(0), yes_no(1.0), yes_no("maybe"), yes_no(2)
    (True, False, True, None, None)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in YES_VALUES:
            return True
        if lowered in NO_VALUES:
            return False
    return None


#: Prefixes that negate a label ("not hedged", "non-loaded", "unbiased"), compared on :func:`_label_norm` text.
NEGATIONS = ("not ", "non ", "non", "un", "no ")


def _label_norm(text: str) -> str:
    """A label compared for meaning: lower case, ``_``, ``-`` and runs of spaces as one space."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def _names_task(value: str, task: str) -> bool:
    """``value`` is the task's own name or a form of it (``hedge`` / ``hedged``, ``loaded``)."""
    task = _label_norm(task)
    forms = {task, task + "d", task + "ed"}
    forms |= {task[:-1]} if task.endswith("d") else set()
    forms |= {task[:-2]} if task.endswith("ed") else set()
    return value in forms


def _negates(negative: str, positive: str) -> bool:
    return any(negative == prefix + positive for prefix in NEGATIONS)


def binary_values(task: str, values: Sequence[Any]) -> tuple[str, str] | None:
    """The ``(yes, no)`` labels of a column that reads as a yes/no task though its values are not yes/no, else None.

    Two distinct values (case, ``_`` and ``-`` ignored) read so when one negates
    the other (``hedged`` / ``not hedged``, ``biased`` / ``unbiased``,
    ``loaded`` / ``non-loaded``) or one is named after the task and the other
    is not a yes (``loaded`` / ``neutral`` for a task ``loaded``); the
    un-negated or task-named value is the yes. Columns of yes/no values
    (``true``/``false``, ``1``/``0``, ``yes``/``no``, ``y``/``n``) are binary
    without this and give None.

    Examples
    --------
    >>> binary_values("loaded", ["loaded", "neutral", "Loaded"])
    ('loaded', 'neutral')
    >>> binary_values("hedged", ["not hedged", "hedged"]), binary_values("loaded", ["biased", "unbiased"])
    (('hedged', 'not hedged'), ('biased', 'unbiased'))
    >>> binary_values("side", ["left", "right"]) is None, binary_values("loaded", ["1", "0"]) is None
    (True, True)
    """
    texts = [_cell_text(value) for value in values]
    if all(yes_no(text) is not None for text in texts):
        return None
    spelled: dict[str, str] = {}
    for text in texts:
        spelled.setdefault(_label_norm(text), text)
    if len(spelled) != 2:
        return None
    (a, a_text), (b, b_text) = spelled.items()
    for positive, negative, yes, no in ((a, b, a_text, b_text), (b, a, b_text, a_text)):
        if _negates(negative, positive):
            return yes, no
    for positive, negative, yes, no in ((a, b, a_text, b_text), (b, a, b_text, a_text)):
        if _names_task(positive, task) and not _names_task(negative, task) and yes_no(negative) is not True:
            return yes, no
    return None


def _read_as(pair: tuple[str, str], value: Any) -> bool | None:
    """True for the yes of ``pair``, False for its no (compared as :func:`_label_norm`), else None."""
    norm = _label_norm(_cell_text(value))
    return True if norm == _label_norm(pair[0]) else False if norm == _label_norm(pair[1]) else None


def _pair_note(task: str, column: str, pair: tuple[str, str], values: Sequence[Any], file: str) -> str:
    counts = {True: 0, False: 0}
    for value in values:
        answer = _read_as(pair, value)
        if answer is not None:
            counts[answer] += 1
    return (f"{file}: task {task!r} is yes/no: column {column!r} has two values, {pair[0]!r} ×{counts[True]} read as yes "
            f"and {pair[1]!r} ×{counts[False]} read as no; to keep them as two classes of a multiclass task, "
            f"declare them: --classes {task}={pair[1]},{pair[0]} (in Python: classes={{{task!r}: [{pair[1]!r}, {pair[0]!r}]}})")


def _cell_text(value: Any) -> str:
    """A table cell as a class name: ``2.0`` (Excel) is ``"2"``; booleans are ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shown_counts(counts: Mapping[str, int], limit: int = 8) -> str:
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{value!r} ×{n}" for value, n in items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


def infer_task(name: str, values: Sequence[Any], classes: Sequence[Any] | None = None, *, file: str = "<training data>",
               field: str = "", locations: Sequence[Any] | None = None) -> TaskSpec:
    """The :class:`TaskSpec` of a task from its labels, as training from a table or from sentences infers it.

    * ``classes`` given: a yes/no pair (``no,yes``, ``0,1``, ``false,true``)
      makes a binary task; anything else a multiclass task with exactly
      these classes, in this order.
    * otherwise every value yes/no (``true/false``, ``1/0``, ``yes/no`` or
      booleans): binary; two values that read as yes/no
      (:func:`binary_values`: ``loaded`` / ``neutral``, ``hedged`` / ``not
      hedged``): binary, the reading logged (declare both as ``classes`` to
      keep two classes); every value something else: multiclass, classes
      sorted by name.

    Raises :class:`TableError` (file, row, field, value and what is allowed)
    when fewer than two classes occur (a single-class task trains a model
    that always answers the same), or when yes/no values are mixed with
    other values (a stray ``maybe`` or ``2`` among ``0``/``1``): declare every
    class with ``classes`` to make such a task multiclass on purpose.

    Examples
    --------
    >>> infer_task("loaded", ["1", "0", "yes"]).classes
    (False, True)
    >>> infer_task("side", ["right", "left", "left"]).classes
    ('left', 'right')
    >>> infer_task("loaded", ["1", "1"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framing.data._tables.TableError: <training data>: task 'loaded' has a single class in all 2 rows: '1'; a task needs at least 2 ...
    """
    locations = list(locations) if locations is not None else [None] * len(values)
    issues: list[CorpusIssue] = []
    texts = [_cell_text(v) for v in values]
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    if classes is not None:
        declared = [_cell_text(c) for c in classes]
        if len(declared) < 2 or len(set(declared)) != len(declared):
            raise TableError([CorpusIssue(file, None, field, list(classes), f"task {name!r}: declare at least 2 distinct classes")])
        pair = {yes_no(c) for c in declared}
        if len(declared) == 2 and pair == {False, True}:
            spec = TaskSpec(name, "binary", (False, True))
            for location, value in zip(locations, values):
                if yes_no(value) is None:
                    issues.append(CorpusIssue(file, location, field, value, f"task {name!r}: not a yes/no value; allowed: {declared}"))
        else:
            spec = TaskSpec(name, "multiclass", tuple(declared))
            for location, text, value in zip(locations, texts, values):
                if text not in declared:
                    issues.append(CorpusIssue(file, location, field, value, f"task {name!r}: unknown class; allowed: {declared}"))
        if issues:
            raise TableError(issues)
        return spec
    if not values:
        raise TableError([CorpusIssue(file, None, field, None, f"task {name!r}: no labels")])
    pair = binary_values(name, values)
    if pair is not None:
        logger.info("%s", _pair_note(name, field or name, pair, values, file))
        return TaskSpec(name, "binary", (False, True))
    answers = [yes_no(v) for v in values]
    binary_like = [a is not None for a in answers]
    if all(binary_like):
        spec = TaskSpec(name, "binary", (False, True))
        present = {a for a in answers}
    elif any(binary_like):
        yes_no_counts = {t: n for t, n in counts.items() if yes_no(t) is not None}
        others = {t: n for t, n in counts.items() if yes_no(t) is None}
        all_classes = ",".join(sorted(counts))
        for location, value, ok in zip(locations, values, binary_like):
            if not ok:
                issues.append(CorpusIssue(
                    file, location, field, value,
                    f"task {name!r}: not a yes/no value, though the other labels are ({_shown_counts(yes_no_counts)}); "
                    f"allowed: true/false, 1/0, yes/no. Fix the row, or declare every class to make the task multiclass "
                    f"(--classes {name}={all_classes})"))
        logger.debug("task %s: yes/no labels mixed with %s", name, others)
        raise TableError(issues)
    else:
        spec = TaskSpec(name, "multiclass", tuple(sorted(counts)))
        present = set(counts)
    if len(present) < 2:
        only = texts[0] if texts else None
        raise TableError([CorpusIssue(
            file, None, field, only,
            f"task {name!r} has a single class in all {len(values)} rows: {only!r}; a task needs at least 2 classes "
            "(add rows of another class, or leave the task out)")])
    return spec


def infer_schema(sentences: Sequence[LabeledSentence], name: str = "corpus") -> Schema:
    """Tasks and classes from the labels of sentences (what :func:`framing.train` does without a schema).

    ``True``/``False`` labels make a binary task; strings a multiclass task,
    classes sorted by name (pass a :class:`Schema` when their order matters:
    the slant index uses the first and last class as its poles). A task with
    a single class, or with booleans mixed with other labels, raises
    :class:`TableError`.

    Examples
    --------
    >>> infer_schema([LabeledSentence("a", {"loaded": True}), LabeledSentence("b", {"loaded": False})]).classes("loaded")
    (False, True)
    """
    values: dict[str, list[Any]] = {}
    locations: dict[str, list[int]] = {}
    for index, sentence in enumerate(sentences):
        for task, value in sentence.labels.items():
            values.setdefault(task, []).append(value)
            locations.setdefault(task, []).append(index + 1)
    if not values:
        raise ValueError("no labels found in the training sentences")
    tasks, issues = [], []
    for task, seen in values.items():
        kinds = {isinstance(v, bool) for v in seen}
        if kinds == {True, False}:
            # Typed labels: a boolean among strings (or a string among booleans) is a mistake, not a class.
            booleans = sum(1 for v in seen if isinstance(v, bool))
            minority_is_bool = booleans <= len(seen) / 2
            for location, value in zip(locations[task], seen):
                if isinstance(value, bool) == minority_is_bool:
                    issues.append(CorpusIssue("<training data>", location, f"labels.{task}", value,
                                              f"task {task!r} mixes booleans and other labels; use one kind"))
            continue
        if kinds == {True}:
            present = set(seen)
            spec = TaskSpec(task, "binary", (False, True))
        elif len({_label_norm(str(v)) for v in seen}) == 2 and (
                binary_values(task, seen) is not None or all(yes_no(v) is not None for v in seen)):
            # Strings that read as yes/no ("yes"/"no", "loaded"/"neutral") would silently make a two-class multiclass task.
            shown = ", ".join(f"{v!r}" for v in sorted({str(v) for v in seen}))
            issues.append(CorpusIssue("<training data>", None, f"labels.{task}", shown,
                                      f"task {task!r} has the string labels {shown}, which read as a yes/no task: "
                                      "give True/False labels, or pass a Schema declaring the task multiclass "
                                      f"(TaskSpec({task!r}, 'multiclass', ({shown})))"))
            continue
        else:
            present = {str(v) for v in seen}
            spec = TaskSpec(task, "multiclass", tuple(sorted(present)))
        if len(present) < 2:
            issues.append(CorpusIssue("<training data>", None, f"labels.{task}", seen[0],
                                      f"task {task!r} has a single class in all {len(seen)} sentences; a task needs at least 2 classes"))
            continue
        tasks.append(spec)
    if issues:
        raise TableError(issues)
    return Schema(tasks=tuple(tasks), name=name)


def _label_pairs(label_columns: Mapping[str, str] | Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    if label_columns is None:
        return []
    if isinstance(label_columns, Mapping):
        return [(str(task), str(column)) for task, column in label_columns.items()]
    return [(str(task), str(column)) for task, column in label_columns]


def read_table(
    path: PathLike,
    text_column: str = "text",
    label_columns: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    classes: Mapping[str, Sequence[Any]] | None = None,
    *,
    group_column: str | None = None,
    schema: Schema | None = None,
    format: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    encoding: str = "utf-8",
    notes: list[str] | None = None,
) -> tuple[Schema, list[LabeledSentence]]:
    """Read labelled sentences from a table: CSV/TSV, JSON Lines or an Excel workbook.

    Parameters
    ----------
    path : path
        The table; its format comes from the suffix (``.csv``, ``.tsv``,
        ``.jsonl``, ``.xlsx``) unless ``format`` is given. ``-`` is stdin
        (JSON Lines, or ``format="csv"``).
    text_column : str, default="text"
        The column with the sentence text.
    label_columns : mapping or sequence of pairs
        Each task and the column holding its labels, e.g. ``{"loaded": "is_biased"}``.
    classes : mapping, optional
        Per task, every class in order. A yes/no pair (``["no", "yes"]``,
        ``[0, 1]``) declares a binary task; anything else a multiclass task
        with exactly these classes (see :func:`infer_task` for what is
        inferred without it).
    group_column : str, optional
        A column grouping rows (e.g. the article) for grouped cross-validation.
    schema : Schema, optional
        Take tasks and classes from this schema instead of inferring them.
    delimiter : str, optional
        CSV delimiter; by default sniffed (``,``, ``;``, tab or ``|``).
    sheet : str, optional
        Excel sheet name (default: the first sheet). Excel needs the optional
        ``openpyxl`` (``pip install "framing[excel]"``).
    encoding : str, default="utf-8"
        Text encoding of CSV and JSON Lines files.
    notes : list, optional
        Receives one line per reading the caller should show (also logged):
        a two-valued column read as a yes/no task (``loaded`` / ``neutral``,
        see :func:`binary_values`), with the ``classes`` that keep it multiclass.

    Returns
    -------
    (Schema, list of LabeledSentence)
        Pass both to :func:`framing.train` or :func:`framing.evaluate`:
        ``framing.train(sentences, schema=schema)``. Sentence ids are
        ``row-N`` (N counts good rows from 1).

    Raises
    ------
    TableError
        Every problem found, each with ``FILE:LINE``, column, value and what
        is allowed: an unreadable file, missing columns (with the columns
        present, and a hint when the delimiter looks wrong), empty cells, a
        task with a single class, yes/no labels mixed with other values,
        labels outside the declared classes.
    ValueError
        For bad arguments (no label columns, a task given twice, classes of an
        unknown task).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = table.write_text("sentence;is_loaded\\nThe regime lied.;1\\nTalks began.;0\\n", encoding="utf-8")
    >>> schema, sentences = read_table(table, text_column="sentence", label_columns={"loaded": "is_loaded"})
    >>> schema.classes("loaded"), sentences[0].labels
    ((False, True), {'loaded': True})
    """
    from ._io import BadRecord, InputFileError, detect_format, iter_rows

    pairs = _label_pairs(label_columns)
    if not pairs:
        raise ValueError("name at least one label column, e.g. label_columns={'loaded': 'is_biased'}")
    if len({task for task, _ in pairs}) != len(pairs):
        raise ValueError("each task may be given only once in label_columns")
    declared = {str(task): list(values) for task, values in (classes or {}).items()}
    unknown = [task for task in declared if task not in dict(pairs)]
    if unknown:
        raise ValueError(f"classes given for task(s) {unknown} without a label column; tasks: {[t for t, _ in pairs]}")
    if schema is not None:
        missing_tasks = [task for task, _ in pairs if task not in schema.task_names]
        if missing_tasks:
            raise ValueError(f"task(s) {missing_tasks} not in the schema; available: {list(schema.task_names)}")
    path_text = os.fspath(path)
    name = "<stdin>" if path_text == "-" else path_text
    issues: list[CorpusIssue] = []
    rows: list[tuple[str, int, str, str | None, dict[str, Any]]] = []
    columns_checked = False
    try:
        for location, row in iter_rows(path_text, format, encoding, delimiter=delimiter, sheet=sheet):
            line = int(location.rsplit(":", 1)[1])
            if isinstance(row, BadRecord):
                issues.append(CorpusIssue(name, line, "", None, row.message))
                continue
            if not columns_checked:
                columns_checked = True
                wanted = [text_column] + [column for _, column in pairs] + ([group_column] if group_column else [])
                missing = [column for column in dict.fromkeys(wanted) if column not in row]
                if missing:
                    present = [str(column) for column in row]
                    hint = ""
                    if len(present) == 1:
                        for candidate in (";", "\t", "|", ","):
                            if candidate in present[0]:
                                hint = f"; the header is one column containing {candidate!r}: is that the delimiter (--delimiter)?"
                                break
                    header_line = 1 if detect_format(path_text, format) in ("csv", "tsv", "xlsx") else line
                    raise TableError([CorpusIssue(name, header_line, missing[0], missing,
                                                  f"column(s) not found; columns present: {', '.join(present)}{hint}")])
            text = row.get(text_column)
            if not isinstance(text, str) or not text.strip():
                if text is not None and not isinstance(text, str):
                    issues.append(CorpusIssue(name, line, text_column, text, "the text column must hold text"))
                else:
                    issues.append(CorpusIssue(name, line, text_column, text, "missing or empty sentence text"))
                continue
            values: dict[str, Any] = {}
            for task, column in pairs:
                value = row.get(column)
                if value is None or (isinstance(value, str) and not value.strip()):
                    issues.append(CorpusIssue(name, line, column, value, f"missing label of task {task!r}"))
                    break
                values[task] = value.strip() if isinstance(value, str) else value
            else:
                group = row.get(group_column) if group_column else None
                rows.append((location, line, text, None if group in (None, "") else _cell_text(group), values))
    except InputFileError as error:
        raise TableError([CorpusIssue(name, None, "", None, str(error).removeprefix(f"{name}: "))]) from None
    if issues:
        raise TableError(issues)
    if not rows:
        raise TableError([CorpusIssue(name, None, "", None, "no rows with a sentence and its labels")])

    tasks: list[TaskSpec] = []
    readings: dict[str, tuple[str, str]] = {}
    for task, column in pairs:
        observed = [values[task] for _, _, _, _, values in rows]
        lines = [line for _, line, _, _, _ in rows]
        pair = binary_values(task, observed)
        if schema is not None:
            spec = schema.task(task)
            if spec.is_binary and pair is not None:
                readings[task] = pair
            else:
                given = ["no", "yes"] if spec.is_binary else list(spec.classes)
                try:
                    infer_task(task, observed, given, file=name, field=column, locations=lines)
                except TableError as error:
                    issues.extend(error.issues)
            tasks.append(spec)
        else:
            try:
                spec = infer_task(task, observed, declared.get(task), file=name, field=column, locations=lines)
            except TableError as error:
                issues.extend(error.issues)
                continue
            tasks.append(spec)
            if spec.is_binary and pair is not None and task not in declared:
                readings[task] = pair
        if task in readings:
            note = _pair_note(task, column, pair, observed, name)
            if schema is not None:
                logger.info("%s", note)  # (infer_task logs the reading it infers)
            if notes is not None:
                notes.append(note)
    if issues:
        raise TableError(issues)
    sentences = []
    for number, (_, _, text, group, values) in enumerate(rows, start=1):
        labels = {}
        for spec in tasks:
            value = values[spec.name]
            if spec.name in readings:
                labels[spec.name] = _read_as(readings[spec.name], value)
            else:
                labels[spec.name] = yes_no(value) if spec.is_binary else _cell_text(value)
        sentences.append(LabeledSentence(text=text, labels=labels, article=group, id=f"row-{number}"))
    table_schema = Schema(
        tasks=tuple(tasks),
        span_types=schema.span_types if schema is not None else Schema.__dataclass_fields__["span_types"].default,
        name=Path(path_text).stem if path_text != "-" else "stdin",
    )
    logger.debug("read %d sentences from %s", len(sentences), name)
    return table_schema, sentences
