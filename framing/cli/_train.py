"""``framing train``: fit a model on a corpus, a table or a recipe of labelled sources."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ._common import (
    EXIT_INPUT,
    EXIT_OK,
    MAX_LISTED_FAILURES,
    InputError,
    UsageError,
    add_command,
    check_encoding,
    err,
    progress_bar,
    save_model,
)
from ._tables import TABLE_HELP, add_table_options, check_table_options, table_sentences


def _train_recipe(args: argparse.Namespace) -> int:
    from ..datasets import DatasetMissing, resolve_data_root
    from ..model._recipe import RecipeError, load_recipe, train_recipe

    if args.from_table or args.task or args.lexicon or args.no_calibration:
        raise UsageError("--recipe fixes the data, tasks, lexicon and calibration; "
                         "leave out --from-table, --task, --lexicon and --no-calibration")
    data_root = str(resolve_data_root(args.data))
    try:
        recipe = load_recipe(args.recipe)
    except RecipeError as error:
        raise InputError(str(error)) from None
    bar = progress_bar(total=None, description="training", quiet=args.quiet, unit="step")

    def progress(done: int, total: int | None, message: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_description_str(f"training: {message}")

    try:
        model = train_recipe(recipe, data_root, progress=progress)
    except DatasetMissing as error:
        raise InputError(f"{error} (give the external data folder with --data DIR or $FRAMING_DATA)") from None
    except RecipeError as error:
        raise InputError(str(error)) from None
    finally:
        bar.close()
    save_model(model, args.out)
    err(f"trained {len(model.tasks)} task(s) on {model.metadata.get('n_training_sentences')} sentences from "
         f"{len(recipe.sources)} source(s); model written to {args.out}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run ``framing train`` with the parsed ``args``; return the exit code."""
    check_encoding(args.encoding)
    if args.recipe:
        return _train_recipe(args)
    check_table_options(args)
    from ..data._reading import read_corpus
    from ..data._schema import CorpusError
    from ..lexicon._lexicon import load_lexicon
    from ..model._training import train

    lexicon = None
    if args.lexicon:
        if not os.path.isfile(args.lexicon):
            raise InputError(f"{args.lexicon}: no such lexicon file")
        try:
            lexicon = load_lexicon(args.lexicon)
        except (ValueError, OSError, UnicodeDecodeError) as error:
            raise InputError(f"{args.lexicon}: {error}") from None
    options: dict[str, Any] = {}
    if args.no_calibration:
        options["calibration"] = None
    try:
        if args.from_table:
            data, schema = table_sentences(args)
            source = args.from_table
        else:
            data, schema = read_corpus(args.corpus), None
            source = args.corpus
    except CorpusError as error:
        for issue in error.issues[:MAX_LISTED_FAILURES]:
            err(f"error: {issue}")
        err(f"{args.corpus}: {len(error.issues)} error(s); nothing trained (see `framing validate {args.corpus}`)")
        return EXIT_INPUT

    task_names = args.task or (schema.task_names if schema is not None else data.schema.task_names)
    sentences = data if schema is not None else data.sentences
    steps = 1 + len(task_names) + (1 if any(s.boilerplate for s in sentences) else 0)
    bar = progress_bar(total=steps, description="training", quiet=args.quiet, unit="step")
    state = {"started": False}

    def progress(done: int, total: int | None, message: str) -> None:
        if state["started"]:
            bar.update(1)
        state["started"] = True
        bar.set_description_str(f"training: {message}")

    try:
        model = train(data, tasks=args.task or None, schema=schema, lexicon=lexicon, progress=progress, **options)
        bar.update(1)
    except CorpusError as error:
        for issue in error.issues[:MAX_LISTED_FAILURES]:
            err(f"error: {issue}")
        return EXIT_INPUT
    except KeyError as error:
        raise UsageError(str(error.args[0]) if error.args else str(error)) from None
    except ValueError as error:
        raise InputError(f"{source}: {error}") from None
    finally:
        bar.close()
    save_model(model, args.out)
    n = model.metadata.get("n_training_sentences")
    err(f"trained {', '.join(model.tasks)} on {n} sentences from {source}; saved to {args.out}")
    return EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    train = add_command(sub, "train", "train a model on a labelled corpus or a spreadsheet",
                        "Train one linear classifier per task declared in the corpus schema, or on a table.\n\n" + TABLE_HELP,
                        ["framing train --recipe models/recipe-default.json --data ../shared/data --out models/default",
                         "framing train --corpus labeled/ --out my-seed-model",
                         "framing train --from-table data.csv --text-col sentence --label loaded=is_biased "
                         "--group-col article --out my-model",
                         "framing train --from-table data.csv --text-col sentence --label slant=side "
                         "--classes slant=pro_russia,neutral,pro_ukraine --out my-model"])
    train.add_argument("--corpus", default="labeled", metavar="DIR", help="corpus folder (default: labeled)")
    train.add_argument("--recipe", metavar="JSON", help="train from a recipe of several labelled sources "
                       "(the default model: models/recipe-default.json)")
    train.add_argument("--data", metavar="DIR", help="external data folder for --recipe "
                       "(default: $FRAMING_DATA, else ../shared/data)")
    train.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    train.add_argument("--task", action="append", help="train only this task (repeatable)")
    train.add_argument("--lexicon", help="TSV of extra or overriding lexicon entries (term, lexicon, category, note)")
    add_table_options(train, "train")
    train.add_argument("--no-calibration", action="store_true", help="skip temperature calibration (faster)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=run)
