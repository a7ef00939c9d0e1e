"""What every command shares: exit codes, one-line errors, progress bars, model loading, outputs, article files.

The command line is the only part of ``framing`` that writes to stdout and stderr: results go to stdout, messages and
progress bars to stderr; ``-`` means stdin.

Exit codes: 0 success; 1 a check failed (``validate`` found errors); 2 usage
error (bad option, unwritable output); 3 invalid input data (missing,
unreadable, undecodable or empty file, malformed record, unknown model).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from .._util import atomic_write
from ..errors import FramingError

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3

EPILOG = ("exit codes: 0 ok, 1 a check failed, 2 usage error (bad option, unwritable output), "
          "3 invalid input data (unreadable or malformed input, unknown model)")
MAX_LISTED_FAILURES = 50


class InputError(FramingError):
    """Bad input data: reported on one line, exit code 3."""


class UsageError(FramingError):
    """A bad combination of options or an unwritable output: one line, exit code 2."""


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def use_colour(stream) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


class NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_description_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    total = None
    n = 0


def progress_bar(total=None, description: str = "", quiet: bool = False, unit: str = "it"):
    """A tqdm bar on stderr, hidden when stderr is not a terminal (or with --quiet)."""
    if quiet:
        return NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return NoBar()
    return tqdm(total=total, desc=description, file=sys.stderr, disable=None, leave=False, unit=unit,
                dynamic_ncols=True)


def check_encoding(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r} (e.g. utf-8, latin-1, cp1252)") from None


def load_model(path: str | None):
    from ..model._model import load
    from ..model._persist import ModelFormatError

    if path is not None and not os.path.exists(path):
        raise InputError(f"{path}: model folder not found (see --model; omit it for the bundled model)")
    try:
        return load(path)
    except ModelFormatError as error:
        raise InputError(str(error)) from None


def save_model(model, out: str) -> None:
    """Save a trained model for ``framing train``; a folder that cannot take it is a usage error."""
    from ..model._persist import ModelFormatError

    try:
        model.save(out)
    except ModelFormatError as error:
        raise UsageError(f"cannot write model: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot write model to {out}: {error.strerror or error}") from None


def write_file(path: str, content: str) -> None:
    """Write a text file atomically (a temporary file beside it, then rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory; give a file name to write")
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    try:
        atomic_write(path, content, mode=0o644)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def open_output(path: str | None):
    if path is None or path == "-":
        return sys.stdout, False
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory; give a file name to write")
    try:
        return open(path, "w", encoding="utf-8", newline="\n"), True
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def report_failures(failures: Sequence[Any], what: str = "record") -> None:
    if not failures:
        return
    err(f"{len(failures)} {what}{'s' if len(failures) != 1 else ''} failed:")
    for failure in failures[:MAX_LISTED_FAILURES]:
        err(f"  {failure}")
    if len(failures) > MAX_LISTED_FAILURES:
        err(f"  ... and {len(failures) - MAX_LISTED_FAILURES} more")


def read_article_files(paths: Sequence[str], encoding: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Check every article file before the model is loaded: ``[(path, kept text or None)]`` and failures.

    Files are read and decoded once here (and plain text dropped), so that a bad
    file is reported at once; stdin is kept since it can be read only once, and
    the article extracted from an HTML page is kept so as not to extract it twice.
    """
    from ..data._io import InputFileError, read_article_file

    if list(paths).count("-") > 1:
        raise UsageError("- (stdin) can be given only once")
    good, failures = [], []
    for path in paths:
        try:
            article = read_article_file(path, encoding)
        except InputFileError as error:
            err(f"framing: error: {error}")
            failures.append(str(error))
            continue
        note = article.note("<stdin>" if path == "-" else path)
        if note:
            err(f"framing: note: {note}")
        good.append((path, article.text if path == "-" or note else None))
    return good, failures


def article_text(path: str, kept: str | None, encoding: str) -> str:
    from ..data._io import read_article_file

    return kept if kept is not None else read_article_file(path, encoding).text


def corpus_outlets(paths: Sequence[str]) -> dict[str, str]:
    """Outlets of the article files that live in a corpus (``CORPUS/articles/ID.txt`` with ``CORPUS/schema.json``)."""
    from ..data._reading import read_articles
    from ..data._schema import CorpusError

    outlets: dict[str, str] = {}
    roots = {os.path.dirname(os.path.dirname(os.path.abspath(path))) for path in paths if path != "-"}
    for root in sorted(roots):
        if not os.path.isfile(os.path.join(root, "schema.json")):
            continue
        try:
            articles = read_articles(root)
        except (CorpusError, OSError):
            continue  # not a valid corpus: columns are named after the files
        for article in articles.values():
            if article.outlet and article.outlet != "unknown":
                outlets[os.path.realpath(os.path.join(root, article.path))] = article.outlet
    return outlets


def labels_for(paths: Sequence[str], given: Sequence[str] | None) -> list[str]:
    if given:
        if len(given) != len(paths):
            raise UsageError(f"--label given {len(given)} times for {len(paths)} articles; give one per article or none")
        labels = list(given)
    else:
        labels = []
        outlets = corpus_outlets(paths)
        for path in paths:
            outlet = None if path == "-" else outlets.get(os.path.realpath(path))
            stem = "stdin" if path == "-" else os.path.splitext(os.path.basename(path))[0]
            labels.append(outlet or stem)
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def add_command(sub, name: str, help_text: str, description: str, examples: Sequence[str]):
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples) + "\n\n" + EPILOG
    return sub.add_parser(name, help=help_text, description=description, epilog=epilog, formatter_class=HelpFormatter)
