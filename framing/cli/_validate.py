"""``framing validate``: check a labelled corpus and print its class counts."""

from __future__ import annotations

import argparse

from .._util import class_key
from ._common import EXIT_CHECK_FAILED, EXIT_OK, add_command, err


def run(args: argparse.Namespace) -> int:
    """Run ``framing validate`` with the parsed ``args``; return the exit code."""
    from ..data._reading import read_corpus, validate_corpus

    issues = validate_corpus(args.path)
    if issues:
        for issue in issues:
            err(f"error: {issue}")
        err(f"{args.path}: {len(issues)} error(s)")
        return EXIT_CHECK_FAILED
    corpus = read_corpus(args.path)
    boilerplate = sum(1 for s in corpus.sentences if s.boilerplate)
    print(f"{args.path}: valid — {len(corpus.sentences)} sentences ({boilerplate} boilerplate) "
          f"in {len(corpus.articles)} articles")
    for task, counts in corpus.counts(include_boilerplate=False).items():
        shown = ", ".join(f"{class_key(c)}={n}" for c, n in counts.items())
        print(f"  {task}: {shown}")
    return EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    validate = add_command(sub, "validate", "check a labelled corpus and print class counts",
                           "Check a labelled corpus folder; print counts per task and class, or every error (exit code 1).",
                           ["framing validate labeled/"])
    validate.add_argument("path", nargs="?", default="labeled", help="corpus folder (default: labeled)")
    validate.set_defaults(handler=run)
