"""``framing evaluate``: grouped cross-validation on a corpus or a table, against baselines."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ._common import (
    EXIT_CHECK_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    MAX_LISTED_FAILURES,
    InputError,
    UsageError,
    add_command,
    check_encoding,
    err,
    progress_bar,
)
from ._tables import TABLE_HELP, add_table_options, check_table_options, table_sentences


def run(args: argparse.Namespace) -> int:
    """Run ``framing evaluate`` with the parsed ``args``; return the exit code."""
    import json

    if args.corpus_path:
        if args.from_table:
            raise UsageError("give the data once: a CORPUS folder or --from-table TABLE")
        if os.path.isfile(args.corpus_path):
            args.from_table = args.corpus_path  # `framing evaluate labels.csv --label ...`
        else:
            args.corpus = args.corpus_path
    check_encoding(args.encoding)
    check_table_options(args)

    from ..data._schema import CorpusError

    try:
        from ..evaluation._evaluate import evaluate
    except ImportError as error:
        err(f"framing: error: evaluation is not available in this installation ({error})")
        return EXIT_CHECK_FAILED
    bar = progress_bar(description="evaluating", quiet=args.quiet, unit="step")

    def progress(*values: Any, **named: Any) -> None:
        # Accepts a message, or (done, total), or keyword forms.
        message = named.get("message")
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        texts = [v for v in values if isinstance(v, str)]
        if texts or message:
            bar.set_description_str(f"evaluating: {message or texts[0]}")
        if len(numbers) >= 2 and hasattr(bar, "total"):
            bar.total = numbers[1]
            bar.n = numbers[0]
            bar.refresh()
        elif not numbers:
            bar.update(1)

    if args.from_table:
        try:
            data, schema = table_sentences(args, "nothing evaluated")
        except BaseException:
            bar.close()
            raise
        source = args.from_table
    else:
        if not os.path.isdir(args.corpus):
            bar.close()
            raise InputError(f"{args.corpus}: no such corpus folder (a folder with schema.json); "
                             "to evaluate on a table give --from-table TABLE with --text-col and --label TASK=COLUMN")
        data, schema, source = args.corpus, None, args.corpus
    try:
        result = evaluate(data, tasks=args.task or None, group_by=args.group_by, progress=progress, schema=schema)
    except CorpusError as error:
        for issue in error.issues[:MAX_LISTED_FAILURES]:
            err(f"error: {issue}")
        hint = f" (see `framing validate {args.corpus}`)" if not args.from_table else ""
        err(f"{source}: {len(error.issues)} error(s){hint}")
        return EXIT_INPUT
    except KeyError as error:
        raise UsageError(str(error.args[0]) if error.args else str(error)) from None
    except ValueError as error:
        raise InputError(f"{source}: {error}") from None
    finally:
        bar.close()
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(result.format_table())
    return EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    evaluate = add_command(sub, "evaluate", "cross-validate a model on a labelled corpus or a table",
                           "Grouped cross-validation on a corpus or a table: per-task scores against baselines on the same "
                           "folds, by article or by source. On the seed corpus (192 sentences, 5 folds, with learning "
                           "curves and bootstrap intervals) it takes about 8 minutes on 2 cores.\n\n" + TABLE_HELP,
                           ["framing evaluate --corpus labeled/", "framing evaluate --task loaded --group-by source",
                            "framing evaluate --json > evaluation.json",
                            "framing evaluate --from-table labels.csv --text-col sentence --label loaded=is_loaded --group-col article"])
    evaluate.add_argument("corpus_path", nargs="?", metavar="CORPUS",
                          help="corpus folder (same as --corpus), or a table file (same as --from-table)")
    evaluate.add_argument("--corpus", default="labeled", metavar="DIR", help="corpus folder (default: labeled)")
    evaluate.add_argument("--task", action="append", help="evaluate only this task (repeatable)")
    evaluate.add_argument("--group-by", choices=("article", "source"), default="article",
                          help="keep each article (default) or each source out of training together")
    evaluate.add_argument("--json", action="store_true", help="the result as one JSON object")
    add_table_options(evaluate, "evaluate")
    evaluate.add_argument("--quiet", action="store_true", help="no progress bar")
    evaluate.set_defaults(handler=run)
