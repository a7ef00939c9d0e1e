"""``framing label``: label a new article in a corpus, least certain units first."""

from __future__ import annotations

import argparse
import os
import sys

from ._common import EXIT_OK, InputError, UsageError, add_command, check_encoding, err, load_model, use_colour


def run(args: argparse.Namespace) -> int:
    """Run ``framing label`` with the parsed ``args``; return the exit code."""
    from ..data._io import InputFileError, read_article_file
    from ..data._label import LabelError, LabelSession, article_id_from_path, default_reader

    if args.file == "-":
        raise UsageError("label reads answers from stdin: give the article as a FILE, not -")
    check_encoding(args.encoding)
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be >= 1")
    if args.date is not None:
        import datetime

        try:
            datetime.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r}: use YYYY-MM-DD") from None
    try:
        article = read_article_file(args.file, args.encoding)
    except InputFileError as error:
        raise InputError(str(error)) from None
    text = article.text
    if article.note(args.file):
        err(f"framing: note: {article.note(args.file)}")
    if not os.path.isdir(args.corpus):
        raise InputError(f"{args.corpus}: corpus folder not found (a folder with schema.json)")
    model = None if args.no_model else load_model(args.model)
    metadata = {"outlet": args.outlet, "date": args.date}
    article_id = args.id or article_id_from_path(args.file)
    try:
        session = LabelSession(args.corpus, article_id, text, reader=default_reader(sys.stdin), out=sys.stderr,
                               model=model, metadata=metadata, order=args.order, limit=args.limit,
                               colour=use_colour(sys.stderr))
    except LabelError as error:
        raise InputError(str(error)) from None
    interrupted = False
    try:
        result = session.run()
    except LabelError as error:
        raise InputError(str(error)) from None
    except KeyboardInterrupt:
        interrupted = True
        result = session.result
        err("\ninterrupted")
    from ..data._schema import load_schema

    sentences_file = os.path.join(args.corpus, load_schema(args.corpus).sentences_file)
    print(f"{article_id}: saved {len(result.saved)} unit{'s' if len(result.saved) != 1 else ''} to {sentences_file}"
          f" ({result.already + len(result.saved)} of {result.total} labelled; {len(result.skipped)} skipped"
          f"{'; quit early' if result.quit else ''})")
    return 130 if interrupted else EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    label = add_command(sub, "label", "label a new article, least certain sentences first",
                        "Segment an article, register it in the corpus and ask about the units the model is least sure of "
                        "first, with the model's predictions as defaults. One key per answer: Enter = default, y/n or "
                        "1-9/a-z = a class, u = undo, s = skip, q = quit, ? = definitions. Then cue spans, one per line as "
                        "TYPE:words (e.g. loaded:corrupt regime); an empty line confirms the unit. Every confirmed unit is "
                        "written to the corpus at once (atomic, locked), so nothing confirmed is lost if the session is "
                        "interrupted, and a later run on the same file resumes where it stopped. From a pipe, one answer is "
                        "read per line.",
                        ["framing label new.txt --corpus labeled/ --outlet 'Kyiv Independent' --date 2025-12-01",
                         "framing label new.txt --order position --limit 10",
                         "printf 'n\\n\\n\\n\\n\\n\\n\\n' | framing label new.txt --corpus /tmp/corpus --limit 1"])
    label.add_argument("file", metavar="FILE", help="article text file")
    label.add_argument("--corpus", default="labeled", metavar="DIR", help="corpus folder with schema.json (default: labeled)")
    label.add_argument("--model", metavar="DIR", help="model giving defaults and order (default: the bundled model)")
    label.add_argument("--no-model", action="store_true", help="no model: article order, no defaults")
    label.add_argument("--id", help="article id in the corpus (default: the file name's stem)")
    label.add_argument("--outlet", help="outlet of the article (stored in the corpus' articles file)")
    label.add_argument("--date", help="publication date, YYYY-MM-DD")
    label.add_argument("--order", choices=("uncertain", "position"), default="uncertain",
                       help="least certain first (default) or article order")
    label.add_argument("--limit", type=int, metavar="N", help="ask about at most N units")
    label.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    label.set_defaults(handler=run)
