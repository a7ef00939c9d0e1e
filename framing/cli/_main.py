"""The ``framing`` command line: the parser and :func:`main`; each command lives in its own module.

Results go to stdout, messages and progress bars to stderr; ``-`` means stdin.
Heavy modules (scikit-learn, numpy, nltk) are imported inside each command so
that ``framing --help`` answers at once: the command modules import only the
standard library and :mod:`framing.cli._common` at module level.

Exit codes: 0 success; 1 a check failed (``validate`` found errors); 2 usage
error (bad option, unwritable output); 3 invalid input data (missing,
unreadable, undecodable or empty file, malformed record, unknown model).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import _compare, _evaluate, _label, _profile, _score, _train, _validate
from ._common import EPILOG, EXIT_INPUT, EXIT_OK, EXIT_USAGE, HelpFormatter, InputError, UsageError, err

# The order in which `framing --help` lists the commands.
COMMANDS = (_score, _compare, _profile, _label, _train, _evaluate, _validate)


def build_parser() -> argparse.ArgumentParser:
    """The ``framing`` argument parser with every command.

    Examples
    --------
    >>> build_parser().parse_args(["validate", "labeled"]).command
    'validate'
    """
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="framing",
        description="Score how news articles frame a story: loaded wording, hedging, attribution, slant, policy frames.",
        epilog=("examples:\n  framing score article.txt\n  framing compare labeled/articles/*.txt --html compare.html\n"
                "  framing score --input articles.jsonl --output scores.jsonl\n  framing profile --input scores.jsonl\n"
                "  framing label new-article.txt --corpus labeled/\n\n"
                "Run `framing COMMAND --help` for a command's options.\n\n" + EPILOG),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def _quiet_broken_pipe() -> None:
    # The reader left (`framing score ... | head -1`): silence the final flush of stdout.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the ``framing`` command line on ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    Examples
    --------
    >>> main(["score", "article.txt", "--input", "batch.jsonl"])  # the message goes to stderr
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except InputError as error:
        err(f"framing: error: {error}")
        return EXIT_INPUT
    except UsageError as error:
        err(f"framing {args.command}: error: {error}")
        return EXIT_USAGE
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except Exception as error:  # noqa: BLE001 - last line of defence against a traceback for input problems
        from ..data._io import InputFileError

        if isinstance(error, InputFileError):
            err(f"framing: error: {error}")
            return EXIT_INPUT
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
