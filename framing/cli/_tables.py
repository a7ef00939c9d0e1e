"""Options shared by ``train`` and ``evaluate`` for reading labelled sentences from a table (``--from-table``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from .._util import class_key
from ._common import MAX_LISTED_FAILURES, InputError, UsageError, err

TABLE_OPTIONS = ("from_table", "label", "classes", "schema", "group_col", "delimiter", "sheet", "format")


def parse_pairs(values: Sequence[str] | None, option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values or []:
        if "=" not in value:
            raise UsageError(f"{option} expects TASK=VALUE, got {value!r}")
        left, right = value.split("=", 1)
        if not left.strip() or not right.strip():
            raise UsageError(f"{option} expects TASK=VALUE, got {value!r}")
        pairs.append((left.strip(), right.strip()))
    return pairs


def report_issues(issues: Sequence[Any], summary: str) -> None:
    """Every problem on its own line, then a summary; a single problem is one line."""
    if len(issues) == 1:
        raise InputError(str(issues[0]))
    for issue in issues[:MAX_LISTED_FAILURES]:
        err(f"error: {issue}")
    if len(issues) > MAX_LISTED_FAILURES:
        err(f"error: ... and {len(issues) - MAX_LISTED_FAILURES} more")
    raise InputError(summary)


def table_sentences(args: argparse.Namespace, what: str = "nothing trained"):
    """Schema and LabeledSentence list from a CSV/TSV/JSONL/Excel table, via :func:`framing.data.read_table`."""
    from ..data._schema import CorpusError, load_schema
    from ..data._tables import TableError, read_table

    label_map = parse_pairs(args.label, "--label")
    if not label_map:
        raise UsageError(f"{args.from_table} is a table: map each task to its label column with --label TASK=COLUMN "
                         f"(e.g. --label loaded=is_biased) and name the text column with --text-col")
    if len({task for task, _ in label_map}) != len(label_map):
        raise UsageError("each task may be given only once with --label")
    declared = {task: [c.strip() for c in classes.split(",") if c.strip()] for task, classes in parse_pairs(args.classes, "--classes")}
    for task, classes in declared.items():
        if task not in dict(label_map):
            raise UsageError(f"--classes names task {task!r}, which has no --label")
        if len(classes) < 2:
            raise UsageError(f"--classes {task}=... lists {len(classes)} class(es); give every class, comma-separated (e.g. a,b,c)")
    if args.schema and declared:
        raise UsageError("give the classes with --classes or --schema, not both")
    schema_given = None
    if args.schema:
        try:
            schema_given = load_schema(args.schema)
        except CorpusError as error:
            raise InputError(str(error.issues[0]) if error.issues else str(error)) from None
        unknown = [task for task, _ in label_map if task not in schema_given.task_names]
        if unknown:
            raise UsageError(f"task(s) {unknown} not in {args.schema}; available: {list(schema_given.task_names)}")
    if args.delimiter is not None and len(args.delimiter.replace("\\t", "\t")) != 1:
        raise UsageError(f"--delimiter takes one character (e.g. ';' or '\\t'), got {args.delimiter!r}")
    delimiter = args.delimiter.replace("\\t", "\t") if args.delimiter is not None else None
    notes: list[str] = []
    try:
        schema, sentences = read_table(args.from_table, text_column=args.text_col, label_columns=label_map,
                                       classes=declared or None, group_column=args.group_col, schema=schema_given,
                                       format=args.format, delimiter=delimiter, sheet=args.sheet, encoding=args.encoding,
                                       notes=notes)
    except TableError as error:
        report_issues(error.issues, f"{args.from_table}: {len(error.issues)} problem(s); {what}")
    for note in notes:  # a two-valued column read as yes/no ("loaded" / "neutral"): said, never silent
        err(f"note: {note}")
    for spec in schema.tasks:
        shown = "/".join(class_key(c) for c in spec.classes)
        err(f"task {spec.name} ({spec.type}): {shown}")
    return sentences, schema


def check_table_options(args: argparse.Namespace) -> None:
    given = [f"--{name.replace('_', '-')}" for name in TABLE_OPTIONS[1:] if getattr(args, name, None)]
    if args.text_col != "text":
        given.append("--text-col")
    if args.from_table is None and given:
        raise UsageError(f"{', '.join(given)} go(es) with --from-table TABLE")


TABLE_HELP = ("Tables (--from-table: CSV/TSV with a sniffed delimiter, JSON Lines, or Excel .xlsx with pip install "
              "\"framing[excel]\"): name the text column and map each task to a column with --label TASK=COLUMN. A "
              "column of yes/no values (true/false, 1/0, yes/no, y/n) is a binary task, and so is a column of two "
              "values where one negates the other (hedged / not hedged, biased / unbiased) or one is named after the "
              "task (loaded / neutral for --label loaded=...): a note says which value is read as yes. A column of "
              "other values is a multiclass task (classes sorted). A column with a single class, or with yes/no values "
              "mixed with others (a stray 'maybe' or '2' among 0/1), is an error naming the rows; declare every class "
              "with --classes TASK=A,B,C to make such a task (or a two-valued one read as yes/no) multiclass on purpose"
              " (this also fixes the class order: slant's first and last classes are the poles of the slant index), or "
              "take tasks and classes from --schema.")


def add_table_options(parser: argparse.ArgumentParser, command: str) -> None:
    verb = "train" if command == "train" else "evaluate"
    parser.add_argument("--from-table", metavar="TABLE", help=f"{verb} on a CSV/TSV/JSONL/XLSX table instead of a corpus")
    parser.add_argument("--text-col", default="text", metavar="COLUMN", help="column with the sentence text (default: text)")
    parser.add_argument("--label", action="append", metavar="TASK=COLUMN", help="a task and the column holding its labels (repeatable)")
    parser.add_argument("--group-col", metavar="COLUMN", help="column grouping rows (e.g. article) for cross-validation")
    parser.add_argument("--classes", action="append", metavar="TASK=A,B,C", help="every class of a task, in order (repeatable)")
    parser.add_argument("--schema", metavar="PATH", help="schema.json (or corpus folder) declaring the tasks and classes")
    parser.add_argument("--format", choices=("jsonl", "csv", "tsv", "xlsx"), help="table format (default: from the suffix)")
    parser.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: sniffed among , ; tab |; '\\t' for tab)")
    parser.add_argument("--sheet", metavar="NAME", help="Excel sheet (default: the first)")
    parser.add_argument("--encoding", default="utf-8", help="table encoding (default: utf-8)")
