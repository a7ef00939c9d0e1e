"""``framing score``: score article files (summary, JSON Lines, HTML page) or a batch of records."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import (
    EXIT_INPUT,
    EXIT_OK,
    InputError,
    UsageError,
    add_command,
    article_text,
    check_encoding,
    err,
    labels_for,
    load_model,
    open_output,
    progress_bar,
    read_article_files,
    report_failures,
    use_colour,
    write_file,
)


def _summary_text(label: str, path: str, report, colour: bool) -> str:
    title = f"== {label}" + (f"  ({path})" if label != path else "")
    if colour:
        title = f"\x1b[1m{title}\x1b[0m"
    return title + "\n" + report.summary()


def actor_groups(values: list[str] | None) -> list[list[str]]:
    """``--actor`` values as actors, each a list of spellings: ``"Donald Trump|Trump"`` is one actor, two spellings.

    Examples
    --------
    >>> actor_groups(["Donald Trump|Trump", " Kremlin "])
    [['Donald Trump', 'Trump'], ['Kremlin']]
    """
    groups = []
    for value in values or ():
        spellings = [" ".join(part.split()) for part in value.split("|") if part.strip()]
        if not spellings:
            raise UsageError(f"--actor needs a name (spellings of one actor separated by |), got {value!r}")
        groups.append(spellings)
    return groups


def _stance_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments ``--actor`` and ``--axis`` give :meth:`framing.Model.score` (none when not used)."""
    options: dict[str, Any] = {}
    actors = actor_groups(getattr(args, "actor", None))
    if actors:
        options["actors"] = actors
    if getattr(args, "axis", None):
        from ..features import AxisError, load_axis

        try:
            options["axis"] = load_axis(args.axis)
        except AxisError as error:
            raise InputError(str(error)) from None
    return options


def run(args: argparse.Namespace) -> int:
    """Run ``framing score`` with the parsed ``args``; return the exit code."""
    check_encoding(args.encoding)
    if args.input:
        if args.files:
            raise UsageError("give article FILEs or --input, not both")
        if getattr(args, "actor", None) or getattr(args, "axis", None):
            raise UsageError("--actor and --axis work with article FILEs, not with --input")
        if args.html:
            raise UsageError("--html works with article FILEs; for a batch use --output and then `framing compare` "
                             "or `framing profile --html`")
        return _score_batch(args)
    if not args.files:
        raise UsageError("give one or more article FILEs (or - for stdin), or --input BATCH.jsonl")
    if args.output and args.html == args.output:
        raise UsageError("--output and --html must be different files")
    from ..data._io import write_report_line

    options = _stance_options(args)
    good, failures = read_article_files(args.files, args.encoding)
    if not good:
        return EXIT_INPUT
    model = load_model(args.model)
    as_json = args.json or bool(args.output)
    out, close = open_output(args.output) if as_json else (sys.stdout, False)
    pages = []
    colour = use_colour(sys.stdout)
    labels = labels_for([path for path, _ in good], None)
    first = True
    try:
        for (path, kept), label in zip(good, labels):
            try:
                text = article_text(path, kept, args.encoding)
            except Exception as error:  # the file changed since it was checked
                err(f"framing: error: {error}")
                failures.append(str(error))
                continue
            try:
                report = model.score(text, **options)
            except ValueError as error:
                if not options:
                    raise
                # A model without a stance component cannot answer --actor / --axis: say so in one line.
                raise UsageError(str(error)) from None
            if as_json:
                write_report_line(out, {"id": path, "path": path}, report, sentences=not args.no_sentences)
                out.flush()
            else:
                if not first:
                    print()
                print(_summary_text(label, path, report, colour), flush=True)
            first = False
            if args.html:
                from ..report._html import HTML_MAX_UNITS

                # The page shows at most HTML_MAX_UNITS units of a text (and says so): a huge text would
                # otherwise make a page of hundreds of megabytes.
                pages.append((label, text, report.to_dict(max_sentences=HTML_MAX_UNITS)))
    finally:
        if close:
            out.close()
    if args.html and pages:
        from ..report._html import score_page

        write_file(args.html, score_page(pages, title=args.title or "framing report"))
        err(f"wrote {args.html}")
    return EXIT_INPUT if failures else EXIT_OK


def _score_batch(args: argparse.Namespace) -> int:
    from collections import deque

    from ..data._io import BadRecord, InputFileError, check_readable, count_lines, detect_format, iter_records, write_report_line

    try:
        check_readable(args.input)
    except InputFileError as error:
        raise InputError(str(error)) from None
    if args.jobs < 1 and args.jobs != -1:
        raise UsageError("--jobs must be >= 1 (or -1 for every CPU)")
    fmt = detect_format(args.input, args.format)
    model = load_model(args.model)
    out, close = open_output(args.output)
    total = count_lines(args.input) if fmt == "jsonl" else None
    bar = progress_bar(total=total, description="scoring", quiet=args.quiet, unit="article")
    failures: list[Any] = []
    pending: deque = deque()
    scored = 0

    def texts():
        # Each record goes through the checks of an article file: binary or empty text is refused, and an HTML
        # page is extracted (the note says so) or refused without the html extra.
        for item in iter_records(args.input, fmt, args.encoding, text_field=args.text_field, id_field=args.id_field):
            if isinstance(item, BadRecord):
                if hasattr(bar, "clear"):
                    bar.clear()
                err(f"framing: error: {item}")
                failures.append(item)
                bar.update(1)
                continue
            if item.note:
                if hasattr(bar, "clear"):
                    bar.clear()
                err(f"framing: note: {item.note}")
            pending.append(item)
            yield item.text

    try:
        for report in model.score_many(texts(), n_jobs=args.jobs, chunk_size=args.chunk_size):
            item = pending.popleft()
            write_report_line(out, {"id": item.id, **item.metadata}, report, sentences=not args.no_sentences)
            scored += 1
            bar.update(1)
        out.flush()
    except InputFileError as error:
        raise InputError(str(error)) from None
    finally:
        bar.close()
        if close:
            out.close()
    where = f" to {args.output}" if args.output and args.output != "-" else ""
    err(f"scored {scored} article{'s' if scored != 1 else ''}{where}" + (f"; {len(failures)} failed" if failures else ""))
    report_failures(failures)
    return EXIT_INPUT if failures else EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    score = add_command(sub, "score", "score articles (summary, JSON Lines, HTML page, or a batch)",
                        "Score articles with a model (default: the bundled model). On a terminal each article gets a readable "
                        "summary that leads with the author's own words (quotations left out), then the quoted speakers; "
                        "--json writes one JSON object per article (JSON Lines).\n\n"
                        "Batch mode: --input reads records {\"id\", \"text\", optional \"source\"/\"outlet\", "
                        "\"date\", \"title\", \"url\"} "
                        "from JSON Lines (or CSV/TSV/Excel with those columns) and writes one score record per line, in input order and "
                        "in constant memory. Each record's text gets the checks of a file: an HTML page is extracted (with the "
                        "html extra; a note names FILE:LINE) or refused; binary or empty text is refused. A malformed record is "
                        "reported with FILE:LINE and skipped; failed records are listed at the "
                        "end and the exit code is 3.",
                        ["framing score article.txt", "framing score --json labeled/articles/*.txt > scores.jsonl",
                         "cat article.txt | framing score -",
                         "framing score article.txt --html article.html",
                         "framing score article.txt --actor 'Donald Trump|Trump' --actor Kremlin",
                         "framing score article.txt --axis labeled/axis_us_parties.json",
                         "framing score --input articles.jsonl --output scores.jsonl"])
    score.add_argument("files", nargs="*", metavar="FILE", help="article text files, or - for stdin")
    score.add_argument("--model", metavar="DIR", help="model folder (default: the bundled model)")
    score.add_argument("--json", action="store_true", help="one JSON object per article (JSON Lines) on stdout")
    score.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page with highlights and charts")
    score.add_argument("--title", help="title of the HTML page")
    score.add_argument("--input", metavar="BATCH", help="batch input: JSON Lines (.jsonl) or .csv/.tsv/.xlsx of records; - for stdin")
    score.add_argument("--output", metavar="OUT", help="where the JSON Lines go (default: stdout)")
    score.add_argument("--format", choices=("jsonl", "csv", "tsv", "xlsx"),
                       help="batch input format (default: from the suffix; stdin: jsonl)")
    score.add_argument("--text-field", default="text", metavar="NAME", help="batch field holding the article text (default: text)")
    score.add_argument("--id-field", default="id", metavar="NAME", help="batch field holding the record id (default: id)")
    score.add_argument("--no-sentences", action="store_true", help="leave the per-sentence scores out of JSON records (smaller output)")
    score.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for a batch (default: 1; -1 = every CPU)")
    score.add_argument("--chunk-size", type=int, default=64, metavar="N", help=argparse.SUPPRESS)
    score.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8; e.g. latin-1, cp1252)")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    score.add_argument("--actor", action="append", metavar="NAME",
                       help="also give the stance toward this actor, in the author's words and in quotes (repeatable; "
                            "'Donald Trump|Trump' is one actor with two spellings; --json: under \"actors\")")
    score.add_argument("--axis", metavar="FILE",
                       help="score the slant and axis stance over this axis file instead of the model's own "
                            "(e.g. labeled/axis_us_parties.json)")
    score.set_defaults(handler=run)
