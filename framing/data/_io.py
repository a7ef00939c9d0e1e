"""Reading batch input (JSON Lines or CSV) one record at a time, with file:line error locations.

Nothing here prints: problems come back as :class:`BadRecord` items (for a
single bad record, which the caller reports and skips) or as
:class:`InputFileError` (for a file that cannot be read at all). Records are
read lazily, one line at a time, so memory stays flat however large the input.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .._util import iter_jsonl
from ..errors import InputFileError

logger = logging.getLogger(__name__)

__all__ = [
    "Record",
    "BadRecord",
    "InputFileError",
    "check_readable",
    "read_text_file",
    "read_article_file",
    "iter_records",
    "iter_json_lines",
    "iter_table_rows",
    "count_lines",
    "detect_format",
    "iter_rows",
    "iter_excel_rows",
    "sniff_delimiter",
    "json_line",
    "json_error_message",
    "METADATA_FIELDS",
]

#: Fields of an input record passed through to its score record.
METADATA_FIELDS = ("source", "outlet", "date", "title", "url")


@dataclass
class Record:
    """One good input record.

    ``note`` says what was done to the record's text when it is not the text as
    given (an HTML page whose article was extracted), else None.
    """

    location: str  # "FILE:LINE"
    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass
class BadRecord:
    """One input record that cannot be used, with where and why."""

    location: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        who = f" (id {self.id})" if self.id is not None else ""
        return f"{self.location}: {self.message}{who}"


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


def check_readable(path: str, allow_empty: bool = False) -> None:
    """Raise :class:`InputFileError` for a missing file, a folder, an unreadable or an empty file."""
    if path == "-":
        return
    if os.path.isdir(path):
        raise InputFileError(f"{path}: is a directory, expected a file")
    if not os.path.exists(path):
        raise InputFileError(f"{path}: no such file")
    if not os.access(path, os.R_OK):
        raise InputFileError(f"{path}: permission denied")
    if not allow_empty and os.path.isfile(path) and os.path.getsize(path) == 0:
        raise InputFileError(f"{path}: empty file")


def read_text_file(path: str, encoding: str = "utf-8", stdin: BinaryIO | None = None) -> str:
    """The text of one article file (``-`` for stdin), markup kept; :class:`InputFileError` names what is wrong.

    Binary data is refused whatever the encoding (see :func:`framing.data._input.decode_text`).
    """
    return read_article_file(path, encoding, stdin, html="text").text


def read_article_file(path: str, encoding: str = "utf-8", stdin: BinaryIO | None = None, html: str = "auto"):
    """The article to score from a file (``-`` for stdin): an :class:`framing.data._input.ArticleText`.

    Binary data is refused and HTML pages are extracted (or refused without the
    ``html`` extra); every problem is an :class:`InputFileError` with the file name.
    """
    from ._input import read_article

    check_readable(path)
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read()
    else:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except PermissionError:
            raise InputFileError(f"{path}: permission denied") from None
        except OSError as error:
            raise InputFileError(f"{path}: cannot read ({error.strerror})") from None
    return read_article(data, encoding, _display(path), html=html)


EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: How to get Excel support.
EXCEL_EXTRA = 'pip install "framing[excel]"'


def detect_format(path: str, declared: str | None = None) -> str:
    """``jsonl``, ``csv``, ``tsv`` or ``xlsx``: the declared format, else from the file suffix (stdin: jsonl)."""
    if declared:
        return declared
    lower = path.lower()
    if lower.endswith(".tsv"):
        return "tsv"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(EXCEL_SUFFIXES):
        return "xlsx"
    if lower.endswith((".xls", ".ods")):
        return lower.rsplit(".", 1)[1]
    return "jsonl"


def sniff_delimiter(path: str, encoding: str = "utf-8", default: str = ",") -> str:
    """The delimiter of a CSV file (``,``, ``;``, tab or ``|``) guessed with :class:`csv.Sniffer` from its start.

    A guess is kept only if the header row contains it; otherwise (and for
    stdin, which cannot be read twice) ``default``.
    """
    if path == "-" or not os.path.isfile(path):
        return default
    with open(path, "rb") as handle:
        sample = handle.read(65536).decode(encoding, errors="replace")
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    if "\n" in sample.rstrip("\r\n"):
        sample = sample[: sample.rstrip("\r\n").rfind("\n") + 1]  # whole lines only
    header = sample.split("\n", 1)[0]
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        guess = None
    if guess and guess in header:
        return guess
    # The sniffer can fail on quoted multi-line fields: fall back to the header's most common candidate.
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else default


def iter_excel_rows(path: str, sheet: str | None = None) -> Iterator[tuple[str, dict[str, Any] | BadRecord]]:
    """Rows of an Excel workbook (.xlsx/.xlsm; the first sheet, or ``sheet``) as ``(location, dict)``.

    Needs the optional ``openpyxl`` (``pip install "framing[excel]"``); the
    first row holds the column names. Cell values keep their types (numbers,
    booleans, text); empty cells are None.
    """
    check_readable(path)
    if path == "-":
        raise InputFileError("an Excel workbook cannot be read from stdin; give its file name")
    try:
        import openpyxl
    except ImportError:
        raise InputFileError(f"{path}: Excel workbooks need openpyxl: {EXCEL_EXTRA} (or save the sheet as CSV)") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise InputFileError(f"{path}: cannot read as an Excel workbook ({type(error).__name__}: {error})") from None
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise InputFileError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(names)}")
        rows = worksheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None or not any(cell not in (None, "") for cell in header_row):
            raise InputFileError(f"{path}: sheet {worksheet.title!r} is empty (no header row)")
        header = [str(cell).strip() if cell is not None else "" for cell in header_row]
        while header and not header[-1]:
            header.pop()
        seen_any = False
        for number, row in enumerate(rows, start=2):
            cells = list(row[: len(header)])
            if not any(cell not in (None, "") and not (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            seen_any = True
            cells += [None] * (len(header) - len(cells))
            yield f"{path}:{number}", {column: cell for column, cell in zip(header, cells) if column}
        if not seen_any:
            raise InputFileError(f"{path}: no records after the header row (sheet {worksheet.title!r})")
    finally:
        workbook.close()


def count_lines(path: str) -> int | None:
    """Number of non-blank lines of a regular file (for a progress bar total), None for stdin."""
    if path == "-" or not os.path.isfile(path):
        return None
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                count += 1
    return count


def _open_binary(path: str, stdin: BinaryIO | None):
    if path == "-":
        return _NoClose(stdin if stdin is not None else sys.stdin.buffer)
    return open(path, "rb")


class _NoClose:
    def __init__(self, stream):
        self._stream = stream

    def __enter__(self):
        return self._stream

    def __exit__(self, *exc_info):
        return False


def _checked_input(path: str, encoding: str) -> str:
    """Check that ``path`` can be read in ``encoding``; return its display name."""
    check_readable(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputFileError(f"unknown encoding {encoding!r} (see --encoding)") from None
    return _display(path)


def iter_json_lines(path: str, encoding: str = "utf-8", stdin: BinaryIO | None = None
                    ) -> Iterator[tuple[str, dict[str, Any] | BadRecord]]:
    """Yield ``(location, object)`` per non-blank line, or ``(location, BadRecord)`` for a bad line."""
    name = _checked_input(path, encoding)
    seen_any = False
    with _open_binary(path, stdin) as handle:
        for number, value, error in iter_jsonl(handle, encoding):
            location = f"{name}:{number}"
            seen_any = True
            if isinstance(error, UnicodeDecodeError):
                message = f"cannot decode as {encoding} (byte {error.start} of the line: {error.reason}); try --encoding"
                yield location, BadRecord(location, message)
                continue
            if error is not None:
                yield location, BadRecord(location, json_error_message(error))
                continue
            if not isinstance(value, dict):
                yield location, BadRecord(location, f"expected a JSON object, got {_json_type(value)}")
                continue
            yield location, value
    if not seen_any:
        raise InputFileError(f"{name}: empty file (no records)")


def json_error_message(error: Exception) -> str:
    """What is wrong with one JSON line, for ``FILE:LINE: ...`` (a ``json.JSONDecodeError`` or a ``RecursionError``).

    Python's own message ends some phrases in "at" and adds the line and
    character (``Unterminated string starting at: line 1 column 24 (char
    23)``); here it is one phrase with the column only, the caller giving the line.

    Examples
    --------
    >>> import json
    >>> try:
    ...     json.loads('{"id": "a3", "text": "unterminated')
    ... except json.JSONDecodeError as error:
    ...     json_error_message(error)
    'not valid JSON: unterminated string starting at column 22'
    """
    if not isinstance(error, json.JSONDecodeError):
        return "not valid JSON: nested too deeply"
    phrase = error.msg.strip()
    phrase = phrase[:-3] if phrase.endswith(" at") else phrase
    phrase = phrase[:1].lower() + phrase[1:]
    return f"not valid JSON: {phrase} at column {error.colno}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(type(value), type(value).__name__)


def iter_table_rows(path: str, encoding: str = "utf-8", delimiter: str = ",", stdin: BinaryIO | None = None
                    ) -> Iterator[tuple[str, dict[str, Any] | BadRecord]]:
    """Yield ``(location, row dict)`` per CSV/TSV row (header row required), or a BadRecord."""
    name = _checked_input(path, encoding)
    bad_lines: dict[int, str] = {}

    def decoded_lines(handle) -> Iterator[str]:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as error:
                bad_lines[number] = f"cannot decode as {encoding} (byte {error.start} of the line: {error.reason}); try --encoding"
                line = raw.decode(encoding, errors="replace")
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield line

    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open_binary(path, stdin) as handle:
        reader = csv.reader(decoded_lines(handle), delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputFileError(f"{name}: empty file (no header row)") from None
        except csv.Error as error:
            raise InputFileError(f"{name}:1: cannot read the header row ({error})") from None
        if 1 in bad_lines:
            raise InputFileError(f"{name}:1: {bad_lines[1]}")
        header = [column.strip() for column in header]
        previous = reader.line_num
        seen_any = False
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                location = f"{name}:{previous + 1}"
                previous = reader.line_num
                seen_any = True
                yield location, BadRecord(location, f"malformed CSV: {error}")
                continue
            first, previous = previous + 1, reader.line_num
            location = f"{name}:{first}"
            if not any(cell.strip() for cell in row):
                continue
            seen_any = True
            broken = [bad_lines[n] for n in range(first, previous + 1) if n in bad_lines]
            if broken:
                yield location, BadRecord(location, broken[0])
                continue
            if len(row) != len(header):
                yield location, BadRecord(location, f"expected {len(header)} columns ({', '.join(header)}), got {len(row)}")
                continue
            yield location, dict(zip(header, row))
    if not seen_any:
        raise InputFileError(f"{name}: no records after the header row")


def iter_rows(path: str, fmt: str | None = None, encoding: str = "utf-8", stdin: BinaryIO | None = None,
              delimiter: str | None = None, sheet: str | None = None):
    """Rows of a JSONL, CSV, TSV or Excel file as ``(location, dict | BadRecord)``.

    A CSV file's delimiter is sniffed unless given. A binary file given under
    another format (a workbook named ``.csv``, an image) is refused with one line.
    """
    from ._input import binary_reason

    fmt = detect_format(path, fmt)
    if fmt in ("xls", "ods"):
        raise InputFileError(f"{path}: .{fmt} workbooks are not read; save the sheet as .xlsx ({EXCEL_EXTRA}) or CSV")
    if fmt == "xlsx":
        return iter_excel_rows(path, sheet)
    if path != "-" and os.path.isfile(path):
        with open(path, "rb") as handle:
            reason = binary_reason(handle.read(8192), encoding)
        if reason:
            hint = f"; an Excel workbook needs the .xlsx suffix ({EXCEL_EXTRA})" if "zip" in reason else ""
            raise InputFileError(f"{path}: binary data ({reason}), not {fmt.upper()} text{hint}")
    if fmt == "jsonl":
        return iter_json_lines(path, encoding, stdin=stdin)
    if fmt in ("csv", "tsv"):
        if delimiter is None:
            delimiter = "\t" if fmt == "tsv" else sniff_delimiter(path, encoding)
        return iter_table_rows(path, encoding, delimiter=delimiter, stdin=stdin)
    raise InputFileError(f"unknown input format {fmt!r}; use jsonl, csv, tsv or xlsx")


def iter_records(path: str, fmt: str | None = None, encoding: str = "utf-8", text_field: str = "text",
                 id_field: str = "id", stdin: BinaryIO | None = None, html: str = "auto",
                 sheet: str | None = None) -> Iterator[Record | BadRecord]:
    """Articles to score: a :class:`Record` per good row and a :class:`BadRecord` per bad one, in input order.

    A record needs a non-empty string ``text``; ``id`` (string or number) defaults
    to the record's ``FILE:LINE``; ``source``, ``outlet``, ``date``, ``title`` and
    ``url`` are kept as metadata. Each text goes through the checks of an
    article file (:func:`framing.data._input.check_text`): binary-looking text
    is a bad record, and so is a saved HTML page when the ``html`` extra is
    missing; with it (``html="auto"``) the page's article text is extracted and
    :attr:`Record.note` says so. ``html="text"`` scores markup as text.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> batch = pathlib.Path(tempfile.mkdtemp()) / "batch.jsonl"
    >>> _ = batch.write_text('{"id": "a", "text": "Talks resumed."}\\n{"id": "b", "text": ""}\\n', encoding="utf-8")
    >>> [type(item).__name__ for item in iter_records(str(batch))]
    ['Record', 'BadRecord']
    """
    from ._input import InputTextError, check_text

    if html not in ("auto", "text"):
        raise ValueError(f"html must be 'auto' or 'text', got {html!r}")
    for location, row in iter_rows(path, fmt, encoding, stdin=stdin, sheet=sheet):
        if isinstance(row, BadRecord):
            yield row
            continue
        record_id = row.get(id_field)
        if record_id is None or record_id == "":
            record_id = location
        elif isinstance(record_id, bool) or not isinstance(record_id, (str, int)):
            yield BadRecord(location, f"field {id_field!r} must be a string or an integer, got {_json_type(record_id)}")
            continue
        record_id = str(record_id)
        if text_field not in row:
            yield BadRecord(location, f"missing field {text_field!r} (fields present: {', '.join(map(str, row)) or 'none'})", record_id)
            continue
        text = row[text_field]
        if not isinstance(text, str):
            yield BadRecord(location, f"field {text_field!r} must be a string, got {_json_type(text)}", record_id)
            continue
        if not text.strip():
            yield BadRecord(location, f"field {text_field!r} is empty", record_id)
            continue
        try:
            article = check_text(text, f"field {text_field!r}", html)
        except InputTextError as error:
            yield BadRecord(location, str(error), record_id)
            continue
        note = article.note(location)
        if note:
            logger.info("%s", note)
        metadata = {key: row[key] for key in METADATA_FIELDS if row.get(key) not in (None, "")}
        yield Record(location, record_id, article.text, metadata, note)


def json_line(record: dict[str, Any]) -> str:
    """One JSON line; falls back to ASCII escapes for text that UTF-8 cannot encode (lone surrogates)."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True)
    return line


def write_report_line(out, prefix: dict[str, Any], report, sentences: bool = True) -> None:
    """Write ``json_line({**prefix, **report.to_dict()})`` and a newline, one sentence at a time.

    The same line (``"sentences"`` dropped when ``sentences`` is False), but a
    huge text's units are serialised one by one instead of as one giant
    dictionary and string.
    """
    record = {**prefix, **report.to_dict(max_sentences=0)}
    if not sentences:
        record.pop("sentences", None)
        out.write(json_line(record) + "\n")
        return
    keys = list(record)
    where = keys.index("sentences")
    head = {key: record[key] for key in keys[:where]}
    tail = {key: record[key] for key in keys[where + 1:]}
    out.write(json_line(head)[:-1] + (', "sentences": [' if head else '{"sentences": ['))
    for number, sentence in enumerate(report.sentences):
        out.write((", " if number else "") + json_line(sentence.to_dict()))
    out.write("]" + (", " + json_line(tail)[1:] if tail else "}") + "\n")
