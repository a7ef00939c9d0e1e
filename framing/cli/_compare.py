"""``framing compare``: score articles and show them side by side."""

from __future__ import annotations

import argparse
import sys

from ._common import (
    EXIT_INPUT,
    EXIT_OK,
    add_command,
    article_text,
    check_encoding,
    err,
    labels_for,
    load_model,
    read_article_files,
    write_file,
)


def run(args: argparse.Namespace) -> int:
    """Run ``framing compare`` with the parsed ``args``; return the exit code."""
    import json
    import shutil

    from ..report._profile import compare_json, format_compare, order_by_slant

    check_encoding(args.encoding)
    good, failures = read_article_files(args.files, args.encoding)
    if not good:
        return EXIT_INPUT
    labels = labels_for([path for path, _ in good], args.label if not failures else None)
    if args.label and failures:
        err("framing: note: --label ignored because some files could not be read")
    model = load_model(args.model)
    items = []
    for (path, kept), label in zip(good, labels):
        text = article_text(path, kept, args.encoding)
        record = {"id": path, **model.score(text).to_dict()}
        items.append((label, text, record))
    items = order_by_slant(items)
    labels = [label for label, _, _ in items]
    records = [record for _, _, record in items]
    if args.json:
        print(json.dumps(compare_json(labels, records), ensure_ascii=False))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        sys.stdout.write(format_compare(labels, records, width=max(60, width)))
        sys.stdout.flush()
    if args.html:
        from ..report._html import compare_page

        write_file(args.html, compare_page(items, title=args.title or "framing comparison"))
        err(f"wrote {args.html}")
    return EXIT_INPUT if failures else EXIT_OK


def add_parser(sub) -> None:
    """Register the command, its options and its handler on the subparsers ``sub``."""
    compare = add_command(sub, "compare", "compare articles side by side",
                          "Score articles and show them side by side: first the rates of the binary tasks over the author's "
                          "own words (quotations left out) and over the quoted words, with the quoted speakers; then the "
                          "slant index, the rates over all words, the mix of each multiclass task (top classes for large "
                          "ones), the frames each article puts forward (per frame set, strongest first), each article's "
                          "top loaded terms in the author's own words and most slanted sentence. "
                          "Columns are named after the outlet when an article lives in a corpus folder "
                          "(CORPUS/articles/ID.txt with CORPUS/articles.jsonl), else after the file, or by --label.",
                          ["framing compare labeled/articles/*.txt",
                           "framing compare a.txt b.txt --label RT --label BBC --html compare.html",
                           "framing compare labeled/articles/*.txt --json"])
    compare.add_argument("files", nargs="+", metavar="FILE", help="article text files, or - for stdin")
    compare.add_argument("--label", action="append", metavar="NAME", help="column name for each article, in order (repeat)")
    compare.add_argument("--model", metavar="DIR", help="model folder (default: the bundled model)")
    compare.add_argument("--json", action="store_true", help="the comparison as one JSON object")
    compare.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page with a chart")
    compare.add_argument("--title", help="title of the HTML page")
    compare.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    compare.set_defaults(handler=run)
