"""The batch path reads each record through the checks of an article file (issue #23, item 2 and the JSON message)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framing.data import _input
from framing.data._io import BadRecord, Record, iter_records, json_error_message

DATA = Path(__file__).resolve().parent / "data"
PAGE = (DATA / "furniture_tipline.html").read_text(encoding="utf-8")
PLAIN = "Rail workers began a strike on Monday after talks broke down."

# The CLI run in this process, as tests/test_cli.py runs it.
from test_cli import InProcess  # noqa: E402


@pytest.fixture
def cli(capsys, monkeypatch):
    return InProcess(capsys, monkeypatch)


def write_jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def no_extractor(monkeypatch):
    def missing():
        raise ImportError("No module named 'trafilatura'")

    monkeypatch.setattr(_input, "_trafilatura", missing)


def test_an_html_record_is_extracted_as_the_file_would_be_and_the_note_says_so(tmp_path, cli):
    pytest.importorskip("trafilatura")
    batch = write_jsonl(tmp_path / "articles.jsonl", {"id": "a1", "text": PLAIN}, {"id": "page", "text": PAGE})
    result = cli("score", "--input", batch, "--quiet")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a1", "page"]
    units = [s["text"] for s in records[1]["sentences"]]
    assert not any("<" in unit or "DOCTYPE" in unit for unit in units), units
    assert "Ferry operator cancels winter timetable after fuel dispute" in units
    assert f"framing: note: {batch}:2: HTML page; scoring the article text extracted with trafilatura" in result.stderr
    assert f"{batch}:1" not in result.stderr  # plain text gets no note
    # Exactly what `framing score page.html` scores.
    page_file = tmp_path / "page.html"
    page_file.write_text(PAGE, encoding="utf-8")
    single = cli("score", page_file, "--json")
    assert single.returncode == 0, single.stderr
    from_file = json.loads(single.stdout)
    assert [s["text"] for s in from_file["sentences"]] == units
    assert from_file["slant_index"] == records[1]["slant_index"]


def test_an_html_record_without_the_extractor_is_refused_with_file_line(tmp_path, cli, monkeypatch):
    no_extractor(monkeypatch)
    batch = write_jsonl(tmp_path / "articles.jsonl", {"id": "a1", "text": PLAIN}, {"id": "page", "text": PAGE})
    result = cli("score", "--input", batch, "--quiet")
    assert result.returncode == 3
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a1"]
    line = f"framing: error: {batch}:2: field 'text': looks like an HTML page; markup is not scored as text"
    assert line in result.stderr and 'pip install "framing[html]"' in result.stderr and "(id page)" in result.stderr


@pytest.mark.parametrize("text, reason", [
    ("\x00\x01\x02 some bytes \x00", "NUL characters"),
    ("%PDF-1.7\n1 0 obj << /Type /Catalog >>", "a PDF document"),
    ("\x89PNG\r\n\x1a\n rest of it", "a PNG image"),
    ("".join(chr(c) for c in range(1, 9)) * 20 + "text", "control characters"),
])
def test_binary_looking_text_is_a_bad_record(tmp_path, text, reason):
    batch = write_jsonl(tmp_path / "b.jsonl", {"id": "x", "text": text}, {"id": "ok", "text": PLAIN})
    bad, good = list(iter_records(str(batch)))
    assert isinstance(bad, BadRecord) and bad.location == f"{batch}:1" and bad.id == "x"
    assert bad.message.startswith("field 'text': binary data (") and reason in bad.message
    assert isinstance(good, Record) and good.note is None and good.text == PLAIN


def test_empty_text_is_a_bad_record_with_file_line(tmp_path):
    batch = write_jsonl(tmp_path / "b.jsonl", {"id": "x", "text": " \n\t "})
    (bad,) = list(iter_records(str(batch)))
    assert str(bad) == f"{batch}:1: field 'text' is empty (id x)"


def test_csv_and_excel_batches_get_the_same_checks(tmp_path, monkeypatch):
    pytest.importorskip("trafilatura")
    import csv

    table = tmp_path / "b.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "text"], ["a", PLAIN], ["p", PAGE], ["z", "\x01\x02\x03\x04" * 30]])
    items = list(iter_records(str(table)))
    assert [type(i).__name__ for i in items] == ["Record", "Record", "BadRecord"]
    assert items[1].note.startswith(f"{table}:3: HTML page; scoring the article text extracted with trafilatura")
    assert "<p>" not in items[1].text and "Residents of the three northern islands" in items[1].text
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["id", "text"], ["a", PLAIN], ["p", PAGE]):
        sheet.append(row)
    book = tmp_path / "b.xlsx"
    workbook.save(book)
    items = list(iter_records(str(book)))
    assert [type(i).__name__ for i in items] == ["Record", "Record"] and items[1].note.startswith(f"{book}:3: HTML page")
    no_extractor(monkeypatch)
    (_, refused) = list(iter_records(str(book)))
    assert isinstance(refused, BadRecord) and refused.location == f"{book}:3" and "looks like an HTML page" in refused.message


def test_html_text_mode_keeps_markup(tmp_path):
    batch = write_jsonl(tmp_path / "b.jsonl", {"id": "p", "text": PAGE})
    (item,) = list(iter_records(str(batch), html="text"))
    assert isinstance(item, Record) and item.text == PAGE and item.note is None
    with pytest.raises(ValueError, match="html must be 'auto' or 'text'"):
        list(iter_records(str(batch), html="strip"))


def test_a_malformed_json_line_names_file_line_and_column_once(tmp_path, cli):
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": "a", "text": "ok"}\n{"id": "a3", "text": "unterminated\n', encoding="utf-8")
    items = list(iter_records(str(batch)))
    assert str(items[1]) == f"{batch}:2: not valid JSON: unterminated string starting at column 22"
    result = cli("score", "--input", batch, "--quiet")
    assert f"framing: error: {batch}:2: not valid JSON: unterminated string starting at column 22\n" in result.stderr
    assert "at at" not in result.stderr


@pytest.mark.parametrize("line, message", [
    ('{"id": 1, "text": }', "not valid JSON: expecting value at column 19"),
    ('{"id": 1 "text": "x"}', "not valid JSON: expecting ',' delimiter at column 10"),
    ('{"id": 1}  trailing', "not valid JSON: extra data at column 12"),
    ('{"text": "a\x01b"}', "not valid JSON: invalid control character at column 12"),
])
def test_json_error_messages_are_one_phrase(line, message):
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(line)
    assert json_error_message(caught.value) == message


def test_a_malformed_corpus_line_reads_the_same(tmp_path):
    from framing.data._reading import validate_corpus

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_text(json.dumps({"tasks": {"loaded": {"type": "binary", "classes": [False, True]}}}),
                                      encoding="utf-8")
    (root / "articles.jsonl").write_text("", encoding="utf-8")
    (root / "sentences.jsonl").write_text('{"id": "s1", "text": "unterminated\n', encoding="utf-8")
    messages = [str(issue) for issue in validate_corpus(root)]
    assert any(message.startswith(f"{root / 'sentences.jsonl'}:1: not valid JSON: unterminated string starting at column 22")
               for message in messages), messages
