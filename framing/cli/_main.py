"""The ``framing`` command line. The only module that writes to stdout and stderr.

Results go to stdout, messages and progress bars to stderr; ``-`` means stdin.
Heavy modules (scikit-learn, numpy, nltk) are imported inside each subcommand
so that ``framing --help`` answers at once.

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

from .._util import atomic_write, class_key
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


# ---------------------------------------------------------------------- helpers


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _colour(stream) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


class _NoBar:
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


def _progress_bar(total=None, description: str = "", quiet: bool = False, unit: str = "it"):
    """A tqdm bar on stderr, hidden when stderr is not a terminal (or with --quiet)."""
    if quiet:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=description, file=sys.stderr, disable=None, leave=False, unit=unit,
                dynamic_ncols=True)


def _check_encoding(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r} (e.g. utf-8, latin-1, cp1252)") from None


def _load_model(path: str | None):
    from ..model._model import load
    from ..model._persist import ModelFormatError

    if path is not None and not os.path.exists(path):
        raise InputError(f"{path}: model folder not found (see --model; omit it for the bundled model)")
    try:
        return load(path)
    except ModelFormatError as error:
        raise InputError(str(error)) from None


def _save_model(model, out: str) -> None:
    """Save a trained model for ``framing train``; a folder that cannot take it is a usage error."""
    from ..model._persist import ModelFormatError

    try:
        model.save(out)
    except ModelFormatError as error:
        raise UsageError(f"cannot write model: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot write model to {out}: {error.strerror or error}") from None


def _write_file(path: str, content: str) -> None:
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


def _open_output(path: str | None):
    if path is None or path == "-":
        return sys.stdout, False
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory; give a file name to write")
    try:
        return open(path, "w", encoding="utf-8", newline="\n"), True
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _report_failures(failures: Sequence[Any], what: str = "record") -> None:
    if not failures:
        return
    _err(f"{len(failures)} {what}{'s' if len(failures) != 1 else ''} failed:")
    for failure in failures[:MAX_LISTED_FAILURES]:
        _err(f"  {failure}")
    if len(failures) > MAX_LISTED_FAILURES:
        _err(f"  ... and {len(failures) - MAX_LISTED_FAILURES} more")


def _read_articles(paths: Sequence[str], encoding: str) -> tuple[list[tuple[str, str | None]], list[str]]:
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
            _err(f"framing: error: {error}")
            failures.append(str(error))
            continue
        note = article.note("<stdin>" if path == "-" else path)
        if note:
            _err(f"framing: note: {note}")
        good.append((path, article.text if path == "-" or note else None))
    return good, failures


def _article_text(path: str, kept: str | None, encoding: str) -> str:
    from ..data._io import read_article_file

    return kept if kept is not None else read_article_file(path, encoding).text


def _corpus_outlets(paths: Sequence[str]) -> dict[str, str]:
    """Outlets of the article files that live in a corpus (``CORPUS/articles/ID.txt`` with ``CORPUS/schema.json``)."""
    from ..data._corpus import CorpusError, read_articles

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


def _labels_for(paths: Sequence[str], given: Sequence[str] | None) -> list[str]:
    if given:
        if len(given) != len(paths):
            raise UsageError(f"--label given {len(given)} times for {len(paths)} articles; give one per article or none")
        labels = list(given)
    else:
        labels = []
        outlets = _corpus_outlets(paths)
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


# ---------------------------------------------------------------------- validate


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..data._corpus import read_corpus, validate_corpus

    issues = validate_corpus(args.path)
    if issues:
        for issue in issues:
            _err(f"error: {issue}")
        _err(f"{args.path}: {len(issues)} error(s)")
        return EXIT_CHECK_FAILED
    corpus = read_corpus(args.path)
    boilerplate = sum(1 for s in corpus.sentences if s.boilerplate)
    print(f"{args.path}: valid — {len(corpus.sentences)} sentences ({boilerplate} boilerplate) "
          f"in {len(corpus.articles)} articles")
    for task, counts in corpus.counts(include_boilerplate=False).items():
        shown = ", ".join(f"{class_key(c)}={n}" for c, n in counts.items())
        print(f"  {task}: {shown}")
    return EXIT_OK


# ---------------------------------------------------------------------- train


TABLE_OPTIONS = ("from_table", "label", "classes", "schema", "group_col", "delimiter", "sheet", "format")


def _parse_pairs(values: Sequence[str] | None, option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values or []:
        if "=" not in value:
            raise UsageError(f"{option} expects TASK=VALUE, got {value!r}")
        left, right = value.split("=", 1)
        if not left.strip() or not right.strip():
            raise UsageError(f"{option} expects TASK=VALUE, got {value!r}")
        pairs.append((left.strip(), right.strip()))
    return pairs


def _report_issues(issues: Sequence[Any], summary: str) -> None:
    """Every problem on its own line, then a summary; a single problem is one line."""
    if len(issues) == 1:
        raise InputError(str(issues[0]))
    for issue in issues[:MAX_LISTED_FAILURES]:
        _err(f"error: {issue}")
    if len(issues) > MAX_LISTED_FAILURES:
        _err(f"error: ... and {len(issues) - MAX_LISTED_FAILURES} more")
    raise InputError(summary)


def _table_sentences(args: argparse.Namespace, what: str = "nothing trained"):
    """Schema and LabeledSentence list from a CSV/TSV/JSONL/Excel table, via :func:`framing.data._corpus.read_table`."""
    from ..data._corpus import CorpusError, TableError, load_schema, read_table

    label_map = _parse_pairs(args.label, "--label")
    if not label_map:
        raise UsageError(f"{args.from_table} is a table: map each task to its label column with --label TASK=COLUMN "
                         f"(e.g. --label loaded=is_biased) and name the text column with --text-col")
    if len({task for task, _ in label_map}) != len(label_map):
        raise UsageError("each task may be given only once with --label")
    declared = {task: [c.strip() for c in classes.split(",") if c.strip()] for task, classes in _parse_pairs(args.classes, "--classes")}
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
    try:
        schema, sentences = read_table(args.from_table, text_column=args.text_col, label_columns=label_map,
                                       classes=declared or None, group_column=args.group_col, schema=schema_given,
                                       format=args.format, delimiter=delimiter, sheet=args.sheet, encoding=args.encoding)
    except TableError as error:
        _report_issues(error.issues, f"{args.from_table}: {len(error.issues)} problem(s); {what}")
    for spec in schema.tasks:
        shown = "/".join(class_key(c) for c in spec.classes)
        _err(f"task {spec.name} ({spec.type}): {shown}")
    return sentences, schema


def _check_table_options(args: argparse.Namespace) -> None:
    given = [f"--{name.replace('_', '-')}" for name in TABLE_OPTIONS[1:] if getattr(args, name, None)]
    if args.text_col != "text":
        given.append("--text-col")
    if args.from_table is None and given:
        raise UsageError(f"{', '.join(given)} go(es) with --from-table TABLE")


def _cmd_train_recipe(args: argparse.Namespace) -> int:
    from ..datasets._datasets import DatasetMissing
    from ..model._recipe import DEFAULT_DATA_ROOT, RecipeError, load_recipe, train_recipe

    if args.from_table or args.task or args.lexicon or args.no_calibration:
        raise UsageError("--recipe fixes the data, tasks, lexicon and calibration; "
                         "leave out --from-table, --task, --lexicon and --no-calibration")
    data_root = args.data or os.environ.get("FRAMING_DATA") or str(DEFAULT_DATA_ROOT)
    try:
        recipe = load_recipe(args.recipe)
    except RecipeError as error:
        raise InputError(str(error)) from None
    bar = _progress_bar(total=None, description="training", quiet=args.quiet, unit="step")

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
    _save_model(model, args.out)
    _err(f"trained {len(model.tasks)} task(s) on {model.metadata.get('n_training_sentences')} sentences from "
         f"{len(recipe.sources)} source(s); model written to {args.out}")
    return EXIT_OK


def _cmd_train(args: argparse.Namespace) -> int:
    _check_encoding(args.encoding)
    if args.recipe:
        return _cmd_train_recipe(args)
    _check_table_options(args)
    from ..data._corpus import CorpusError, read_corpus
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
            data, schema = _table_sentences(args)
            source = args.from_table
        else:
            data, schema = read_corpus(args.corpus), None
            source = args.corpus
    except CorpusError as error:
        for issue in error.issues[:MAX_LISTED_FAILURES]:
            _err(f"error: {issue}")
        _err(f"{args.corpus}: {len(error.issues)} error(s); nothing trained (see `framing validate {args.corpus}`)")
        return EXIT_INPUT

    task_names = args.task or (schema.task_names if schema is not None else data.schema.task_names)
    sentences = data if schema is not None else data.sentences
    steps = 1 + len(task_names) + (1 if any(s.boilerplate for s in sentences) else 0)
    bar = _progress_bar(total=steps, description="training", quiet=args.quiet, unit="step")
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
            _err(f"error: {issue}")
        return EXIT_INPUT
    except KeyError as error:
        raise UsageError(str(error.args[0]) if error.args else str(error)) from None
    except ValueError as error:
        raise InputError(f"{source}: {error}") from None
    finally:
        bar.close()
    _save_model(model, args.out)
    n = model.metadata.get("n_training_sentences")
    _err(f"trained {', '.join(model.tasks)} on {n} sentences from {source}; saved to {args.out}")
    return EXIT_OK


# ---------------------------------------------------------------------- evaluate


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    if args.corpus_path:
        if args.from_table:
            raise UsageError("give the data once: a CORPUS folder or --from-table TABLE")
        if os.path.isfile(args.corpus_path):
            args.from_table = args.corpus_path  # `framing evaluate labels.csv --label ...`
        else:
            args.corpus = args.corpus_path
    _check_encoding(args.encoding)
    _check_table_options(args)

    from ..data._corpus import CorpusError

    try:
        from ..evaluation._evaluate import evaluate
    except ImportError as error:
        _err(f"framing: error: evaluation is not available in this installation ({error})")
        return EXIT_CHECK_FAILED
    bar = _progress_bar(description="evaluating", quiet=args.quiet, unit="step")

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
            data, schema = _table_sentences(args, "nothing evaluated")
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
            _err(f"error: {issue}")
        hint = f" (see `framing validate {args.corpus}`)" if not args.from_table else ""
        _err(f"{source}: {len(error.issues)} error(s){hint}")
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


# ---------------------------------------------------------------------- score


def _summary_text(label: str, path: str, report, colour: bool) -> str:
    title = f"== {label}" + (f"  ({path})" if label != path else "")
    if colour:
        title = f"\x1b[1m{title}\x1b[0m"
    return title + "\n" + report.summary()


def _cmd_score(args: argparse.Namespace) -> int:
    _check_encoding(args.encoding)
    if args.input:
        if args.files:
            raise UsageError("give article FILEs or --input, not both")
        if args.html:
            raise UsageError("--html works with article FILEs; for a batch use --output and then `framing compare` "
                             "or `framing profile --html`")
        return _score_batch(args)
    if not args.files:
        raise UsageError("give one or more article FILEs (or - for stdin), or --input BATCH.jsonl")
    if args.output and args.html == args.output:
        raise UsageError("--output and --html must be different files")
    from ..data._io import write_report_line

    good, failures = _read_articles(args.files, args.encoding)
    if not good:
        return EXIT_INPUT
    model = _load_model(args.model)
    as_json = args.json or bool(args.output)
    out, close = _open_output(args.output) if as_json else (sys.stdout, False)
    pages = []
    colour = _colour(sys.stdout)
    labels = _labels_for([path for path, _ in good], None)
    first = True
    try:
        for (path, kept), label in zip(good, labels):
            try:
                text = _article_text(path, kept, args.encoding)
            except Exception as error:  # the file changed since it was checked
                _err(f"framing: error: {error}")
                failures.append(str(error))
                continue
            report = model.score(text)
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

        _write_file(args.html, score_page(pages, title=args.title or "framing report"))
        _err(f"wrote {args.html}")
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
    model = _load_model(args.model)
    out, close = _open_output(args.output)
    total = count_lines(args.input) if fmt == "jsonl" else None
    bar = _progress_bar(total=total, description="scoring", quiet=args.quiet, unit="article")
    failures: list[Any] = []
    pending: deque = deque()
    scored = 0

    def texts():
        for item in iter_records(args.input, fmt, args.encoding, text_field=args.text_field, id_field=args.id_field):
            if isinstance(item, BadRecord):
                if hasattr(bar, "clear"):
                    bar.clear()
                _err(f"framing: error: {item}")
                failures.append(item)
                bar.update(1)
                continue
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
    _err(f"scored {scored} article{'s' if scored != 1 else ''}{where}" + (f"; {len(failures)} failed" if failures else ""))
    _report_failures(failures)
    return EXIT_INPUT if failures else EXIT_OK


# ---------------------------------------------------------------------- compare


def _cmd_compare(args: argparse.Namespace) -> int:
    import json
    import shutil

    from ..report._profile import compare_json, format_compare, order_by_slant

    _check_encoding(args.encoding)
    good, failures = _read_articles(args.files, args.encoding)
    if not good:
        return EXIT_INPUT
    labels = _labels_for([path for path, _ in good], args.label if not failures else None)
    if args.label and failures:
        _err("framing: note: --label ignored because some files could not be read")
    model = _load_model(args.model)
    items = []
    for (path, kept), label in zip(good, labels):
        text = _article_text(path, kept, args.encoding)
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

        _write_file(args.html, compare_page(items, title=args.title or "framing comparison"))
        _err(f"wrote {args.html}")
    return EXIT_INPUT if failures else EXIT_OK


# ---------------------------------------------------------------------- profile


def _cmd_profile(args: argparse.Namespace) -> int:
    import json

    from ..data._io import BadRecord, InputFileError, check_readable, iter_json_lines
    from ..report._profile import build_profile, check_score_record

    source = args.input or args.scores
    if source is None:
        raise UsageError("give the score records: framing profile --input scores.jsonl")
    if args.input and args.scores:
        raise UsageError("give the score records once (--input or a positional file)")
    _check_encoding(args.encoding)
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
                _err(f"framing: error: {value}")
                failures.append(value)
                continue
            problem = check_score_record(value)
            if problem:
                bad = BadRecord(location, problem, str(value.get("id")) if value.get("id") is not None else None)
                _err(f"framing: error: {bad}")
                failures.append(bad)
                continue
            yield value

    try:
        profile = build_profile(records(), by=args.by, level=args.level, n_resamples=args.resamples, seed=args.seed)
    except InputFileError as error:
        raise InputError(str(error)) from None
    if not profile.groups:
        _err(f"framing: error: {source}: no usable score records")
        _report_failures(failures)
        return EXIT_INPUT
    if args.json:
        print(json.dumps(profile.to_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(profile.format_table())
        sys.stdout.flush()
    if args.html:
        from ..report._html import profile_page

        _write_file(args.html, profile_page(profile, title=args.title))
        _err(f"wrote {args.html}")
    _report_failures(failures)
    return EXIT_INPUT if failures else EXIT_OK


# ---------------------------------------------------------------------- label


def _cmd_label(args: argparse.Namespace) -> int:
    from ..data._io import InputFileError, read_article_file
    from ..data._label import LabelError, LabelSession, article_id_from_path, default_reader

    if args.file == "-":
        raise UsageError("label reads answers from stdin: give the article as a FILE, not -")
    _check_encoding(args.encoding)
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
        _err(f"framing: note: {article.note(args.file)}")
    if not os.path.isdir(args.corpus):
        raise InputError(f"{args.corpus}: corpus folder not found (a folder with schema.json)")
    model = None if args.no_model else _load_model(args.model)
    metadata = {"outlet": args.outlet, "date": args.date}
    article_id = args.id or article_id_from_path(args.file)
    try:
        session = LabelSession(args.corpus, article_id, text, reader=default_reader(sys.stdin), out=sys.stderr,
                               model=model, metadata=metadata, order=args.order, limit=args.limit,
                               colour=_colour(sys.stderr))
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
        _err("\ninterrupted")
    from ..data._corpus import load_schema

    sentences_file = os.path.join(args.corpus, load_schema(args.corpus).sentences_file)
    print(f"{article_id}: saved {len(result.saved)} unit{'s' if len(result.saved) != 1 else ''} to {sentences_file}"
          f" ({result.already + len(result.saved)} of {result.total} labelled; {len(result.skipped)} skipped"
          f"{'; quit early' if result.quit else ''})")
    return 130 if interrupted else EXIT_OK


# ---------------------------------------------------------------------- parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def _sub(sub, name: str, help_text: str, description: str, examples: Sequence[str]):
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples) + "\n\n" + EPILOG
    return sub.add_parser(name, help=help_text, description=description, epilog=epilog, formatter_class=_Formatter)


TABLE_HELP = ("Tables (--from-table: CSV/TSV with a sniffed delimiter, JSON Lines, or Excel .xlsx with "
              "pip install \"framing[excel]\"): name the text column and map each task to a column with --label "
              "TASK=COLUMN. A column of yes/no values (true/false, 1/0, yes/no) is a binary task; a column of other "
              "values a multiclass task (classes sorted). A column with a single class, or with yes/no values mixed "
              "with others (a stray 'maybe' or '2' among 0/1), is an error naming the rows; declare every class "
              "with --classes TASK=A,B,C to make such a task multiclass on purpose (this also fixes the class "
              "order: slant's first and last classes are the poles of the slant index), or take tasks and classes "
              "from --schema.")


def _add_table_options(parser: argparse.ArgumentParser, command: str) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="framing",
        description="Score how news articles frame a story: loaded wording, hedging, attribution, slant, policy frames.",
        epilog=("examples:\n  framing score article.txt\n  framing compare labeled/articles/*.txt --html compare.html\n"
                "  framing score --input articles.jsonl --output scores.jsonl\n  framing profile --input scores.jsonl\n"
                "  framing label new-article.txt --corpus labeled/\n\n"
                "Run `framing COMMAND --help` for a command's options.\n\n" + EPILOG),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    # score
    score = _sub(sub, "score", "score articles (summary, JSON Lines, HTML page, or a batch)",
                 "Score articles with a model (default: the bundled model). On a terminal each article gets a readable "
                 "summary; --json writes one JSON object per article (JSON Lines).\n\n"
                 "Batch mode: --input reads records {\"id\", \"text\", optional \"source\"/\"outlet\", \"date\", \"title\", \"url\"} "
                 "from JSON Lines (or CSV/TSV with those columns) and writes one score record per line, in input order and in "
                 "constant memory. A malformed record is reported with FILE:LINE and skipped; failed records are listed at the "
                 "end and the exit code is 3.",
                 ["framing score article.txt", "framing score --json labeled/articles/*.txt > scores.jsonl",
                  "cat article.txt | framing score -",
                  "framing score article.txt --html article.html",
                  "framing score --input articles.jsonl --output scores.jsonl"])
    score.add_argument("files", nargs="*", metavar="FILE", help="article text files, or - for stdin")
    score.add_argument("--model", metavar="DIR", help="model folder (default: the bundled model)")
    score.add_argument("--json", action="store_true", help="one JSON object per article (JSON Lines) on stdout")
    score.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page with highlights and charts")
    score.add_argument("--title", help="title of the HTML page")
    score.add_argument("--input", metavar="BATCH", help="batch input: JSON Lines (.jsonl) or .csv/.tsv of records; - for stdin")
    score.add_argument("--output", metavar="OUT", help="where the JSON Lines go (default: stdout)")
    score.add_argument("--format", choices=("jsonl", "csv", "tsv"), help="batch input format (default: from the suffix; stdin: jsonl)")
    score.add_argument("--text-field", default="text", metavar="NAME", help="batch field holding the article text (default: text)")
    score.add_argument("--id-field", default="id", metavar="NAME", help="batch field holding the record id (default: id)")
    score.add_argument("--no-sentences", action="store_true", help="leave the per-sentence scores out of JSON records (smaller output)")
    score.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for a batch (default: 1; -1 = every CPU)")
    score.add_argument("--chunk-size", type=int, default=64, metavar="N", help=argparse.SUPPRESS)
    score.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8; e.g. latin-1, cp1252)")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    score.set_defaults(handler=_cmd_score)

    # compare
    compare = _sub(sub, "compare", "compare articles side by side",
                   "Score articles and show them side by side: slant index, rates of the binary tasks, the mix of each "
                   "multiclass task (top classes for large ones), each article's top loaded terms and most slanted "
                   "sentence. Columns are named after the outlet when an article lives in a corpus folder "
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
    compare.set_defaults(handler=_cmd_compare)

    # profile
    profile = _sub(sub, "profile", "aggregate score records per outlet (source bias profile)",
                   "Aggregate score records (from `framing score --input ... --output scores.jsonl`) per outlet: number of "
                   "articles, mean slant index with a seeded percentile-bootstrap interval, mean rates of the binary tasks "
                   "and the mix of the other tasks. A record's group is its --by field (outlet, falling back to source).",
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
    profile.set_defaults(handler=_cmd_profile)

    # label
    label = _sub(sub, "label", "label a new article, least certain sentences first",
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
    label.set_defaults(handler=_cmd_label)

    # train
    train = _sub(sub, "train", "train a model on a labelled corpus or a spreadsheet",
                 "Train one linear classifier per task declared in the corpus schema, or on a table.\n\n" + TABLE_HELP,
                 ["framing train --recipe models/recipe-default.json --data ../shared/data --out models/default",
                  "framing train --corpus labeled/ --out my-seed-model",
                  "framing train --from-table data.csv --text-col sentence --label loaded=is_biased --group-col article --out my-model",
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
    _add_table_options(train, "train")
    train.add_argument("--no-calibration", action="store_true", help="skip temperature calibration (faster)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=_cmd_train)

    # evaluate
    evaluate = _sub(sub, "evaluate", "cross-validate a model on a labelled corpus or a table",
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
    _add_table_options(evaluate, "evaluate")
    evaluate.add_argument("--quiet", action="store_true", help="no progress bar")
    evaluate.set_defaults(handler=_cmd_evaluate)

    # validate
    validate = _sub(sub, "validate", "check a labelled corpus and print class counts",
                    "Check a labelled corpus folder; print counts per task and class, or every error (exit code 1).",
                    ["framing validate labeled/"])
    validate.add_argument("path", nargs="?", default="labeled", help="corpus folder (default: labeled)")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def _quiet_broken_pipe() -> None:
    # The reader left (`framing score ... | head -1`): silence the final flush of stdout.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except InputError as error:
        _err(f"framing: error: {error}")
        return EXIT_INPUT
    except UsageError as error:
        _err(f"framing {args.command}: error: {error}")
        return EXIT_USAGE
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as error:  # noqa: BLE001 - last line of defence against a traceback for input problems
        from ..data._io import InputFileError

        if isinstance(error, InputFileError):
            _err(f"framing: error: {error}")
            return EXIT_INPUT
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
