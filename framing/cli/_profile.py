"""``framing profile``: aggregate score records per outlet."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import EXIT_INPUT, EXIT_OK, InputError, UsageError, add_command, check_encoding, err, report_failures, write_file


def run(args: argparse.Namespace) -> int:
    """Run ``framing profile`` with the parsed ``args``; return the exit code."""
    import json

    from ..data._io import BadRecord, InputFileError, check_readable, iter_json_lines
    from ..report._profile import build_profile, check_score_record

    source = args.input or args.scores
    if source is None:
        raise UsageError("give the score records: framing profile --input scores.jsonl")
    if args.input and args.scores:
        raise UsageError("give the score records once (--input or a positional file)")
    check_encoding(args.encoding)
    if not 0 < args.level < 1:
        raise UsageError("--level must be between 0 and 1 (e.g. 0.95)")
    if args.resamples < 100:
        raise UsageError("--resamples must be at least 100")
    try:
        check_readable(source)
    except InputFileError as error:
        raise InputError(str(error)) from None
    failures: list[Any] = []

    def records():
        for location, value in iter_json_lines(source, args.encoding):
            if isinstance(value, BadRecord):
                err(f"framing: error: {value}")
                failures.append(value)
                continue
            problem = check_score_record(value)
            if problem:
                bad = BadRecord(location, problem, str(value.get("id")) if value.get("id") is not None else None)
                err(f"framing: error: {bad}")
                failures.append(bad)
                continue
            yield value

    try:
        profile = build_profile(records(), by=args.by, level=args.level, n_resamples=args.resamples, seed=args.seed)
    except InputFileError as error:
        raise InputError(str(error)) from None
    if not profile.groups:
        err(f"framing: error: {source}: no usable score records")
        report_failures(failures)
        return EXIT_INPUT
    if args.json:
        print(json.dumps(profile.to_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(profile.format_table())
        sys.stdout.flush()
    if args.html:
        from ..report._html import profile_page

        write_file(args.html, profile_page(profile, title=args.title))
        err(f"wrote {args.html}")
    report_failures(failures)
    return EXIT_INPUT if failures else EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    profile = add_command(sub, "profile", "aggregate score records per outlet (source bias profile)",
                          "Aggregate score records (from `framing score --input ... --output scores.jsonl`) per outlet: number of "
                          "articles, mean slant index with a seeded percentile-bootstrap interval, mean rates of the binary tasks "
                          "(over the author's own words, quotations left out, next to all words), the mix of the other tasks and, per "
                          "frame set, the frames with the largest mean share with the fraction of articles where each is present. "
                          "A record's group is its --by field (outlet, falling back to source).",
                          ["framing profile --input scores.jsonl", "framing profile --input scores.jsonl --json",
                           "framing profile --input scores.jsonl --html profile.html --by source"])
    profile.add_argument("scores", nargs="?", metavar="SCORES", help=argparse.SUPPRESS)
    profile.add_argument("--input", metavar="SCORES", help="score records, JSON Lines; - for stdin")
    profile.add_argument("--by", default="outlet", metavar="FIELD", help="group by this record field (default: outlet)")
    profile.add_argument("--json", action="store_true", help="the profile as one JSON object")
    profile.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page with a chart")
    profile.add_argument("--title", help="title of the HTML page")
    profile.add_argument("--level", type=float, default=0.95, help="interval level (default: 0.95)")
    profile.add_argument("--resamples", type=int, default=2000, metavar="N", help="bootstrap resamples (default: 2000)")
    profile.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    profile.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    profile.set_defaults(handler=run)
