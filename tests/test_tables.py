"""framing.read_table: labelled sentences from CSV/TSV, JSON Lines and Excel tables (issue #14, #10)."""

from __future__ import annotations

import json

import pytest

from framing.data import LabeledSentence, Schema, TableError, infer_schema, read_table
from framing.data._tables import infer_task


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_semicolons_is_sniffed_and_typed(tmp_path):
    table = write(tmp_path / "t.csv", "sentence;is_loaded;side;article\nThe regime lied.;yes;right;a1\n"
                                      "Talks began.;no;left;a2\n\"Quoted; with a semicolon.\";1;left;a2\n")
    schema, sentences = read_table(table, "sentence", {"loaded": "is_loaded", "side": "side"}, group_column="article")
    assert schema.task_names == ("loaded", "side") and schema.name == "t"
    assert schema.classes("loaded") == (False, True) and schema.classes("side") == ("left", "right")
    assert [s.labels for s in sentences] == [{"loaded": True, "side": "right"}, {"loaded": False, "side": "left"},
                                             {"loaded": True, "side": "left"}]
    assert sentences[2].text == "Quoted; with a semicolon." and [s.article for s in sentences] == ["a1", "a2", "a2"]
    assert [s.id for s in sentences] == ["row-1", "row-2", "row-3"]


def test_declared_classes_keep_their_order_and_reject_others(tmp_path):
    table = write(tmp_path / "t.tsv", "text\tslant\nA.\tpro_ukraine\nB.\tneutral\nC.\tpro_russia\nD.\tpro-russia\n")
    with pytest.raises(TableError) as caught:
        read_table(table, label_columns={"slant": "slant"}, classes={"slant": ["pro_russia", "neutral", "pro_ukraine"]})
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.field, issue.value) == (str(table), 5, "slant", "pro-russia")
    assert "allowed: ['pro_russia', 'neutral', 'pro_ukraine']" in issue.message
    schema, _ = read_table(table, label_columns={"slant": "slant"},
                           classes={"slant": ["pro_russia", "neutral", "pro_ukraine", "pro-russia"]})
    assert schema.classes("slant") == ("pro_russia", "neutral", "pro_ukraine", "pro-russia")


def test_single_class_and_stray_values_are_errors(tmp_path):
    single = write(tmp_path / "single.csv", "text,y\nA.,1\nB.,1\nC.,1\n")
    with pytest.raises(TableError, match=r"single class in all 3 rows: '1'"):
        read_table(single, label_columns={"loaded": "y"})
    stray = write(tmp_path / "stray.csv", "text,y\nA.,1\nB.,0\nC.,maybe\nD.,0\n")
    with pytest.raises(TableError) as caught:
        read_table(stray, label_columns={"loaded": "y"})
    (issue,) = caught.value.issues
    assert issue.line == 4 and issue.value == "maybe" and "--classes loaded=0,1,maybe" in issue.message
    schema, sentences = read_table(stray, label_columns={"loaded": "y"}, classes={"loaded": ["0", "1", "maybe"]})
    assert schema.task("loaded").type == "multiclass" and sentences[2].labels == {"loaded": "maybe"}


def test_every_bad_row_is_listed(tmp_path):
    table = write(tmp_path / "t.csv", "text,y\nA.,1\n,0\nC.,\nD.,0,extra\nE.,0\n")
    with pytest.raises(TableError) as caught:
        read_table(table, label_columns={"loaded": "y"})
    assert [(i.line, i.field) for i in caught.value.issues] == [(3, "text"), (4, "y"), (5, "")]
    assert "3 problem(s)" in str(caught.value)


def test_missing_columns_name_the_columns_present(tmp_path):
    table = write(tmp_path / "t.csv", "sentence,label\nA.,1\n")
    with pytest.raises(TableError, match="column\\(s\\) not found; columns present: sentence, label") as caught:
        read_table(table, label_columns={"loaded": "is_loaded"})
    assert caught.value.issues[0].line == 1  # the header row
    with pytest.raises(ValueError, match="label column"):
        read_table(table)


def test_json_lines_keep_booleans_and_a_schema_gives_the_classes(tmp_path):
    table = write(tmp_path / "t.jsonl", "".join(json.dumps(r) + "\n" for r in [
        {"text": "A.", "biased": True, "tone": "calm"}, {"text": "B.", "biased": False, "tone": "negative"}]))
    schema = Schema.from_dict({"tasks": {"biased": {"type": "binary", "classes": [False, True]},
                                         "tone": {"type": "multiclass", "classes": ["negative", "calm", "positive"]}}})
    got, sentences = read_table(table, label_columns=[("biased", "biased"), ("tone", "tone")], schema=schema)
    assert got.classes("tone") == ("negative", "calm", "positive")
    assert sentences[0].labels == {"biased": True, "tone": "calm"}


def test_excel_numbers_are_labels(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["text", "y", "rating"])
    for i, (y, rating) in enumerate([(1, 2.0), (0, 3), (1.0, 2)]):
        workbook.active.append([f"Sentence {i}.", y, rating])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    schema, sentences = read_table(path, label_columns={"loaded": "y", "rating": "rating"}, classes={"rating": ["2", "3"]})
    assert [s.labels for s in sentences] == [{"loaded": True, "rating": "2"}, {"loaded": False, "rating": "3"},
                                             {"loaded": True, "rating": "2"}]


def test_the_table_trains_and_evaluates_from_python(tmp_path):
    import framing

    rows = ["text,y,article"] + [f"{'The corrupt regime lied' if i % 2 else 'Talks began'} ({i}).,{i % 2},a{i % 3}" for i in range(12)]
    schema, sentences = read_table(write(tmp_path / "t.csv", "\n".join(rows) + "\n"), label_columns={"loaded": "y"},
                                   group_column="article")
    model = framing.train(sentences, schema=schema, calibration=None)
    assert model.classes("loaded") == (False, True)


def test_infer_task_and_infer_schema():
    assert infer_task("t", [True, False]).type == "binary"
    assert infer_task("t", ["b", "a"]).classes == ("a", "b")
    assert infer_task("t", ["yes", "no"], ["no", "yes"]).classes == (False, True)
    with pytest.raises(TableError, match="single class"):
        infer_schema([LabeledSentence("a", {"loaded": True}), LabeledSentence("b", {"loaded": True})])
    with pytest.raises(TableError, match="mixes booleans"):
        infer_schema([LabeledSentence("a", {"x": True}), LabeledSentence("b", {"x": "no"}), LabeledSentence("c", {"x": "no"})])


def test_train_refuses_a_single_class():
    import framing

    with pytest.raises(framing.CorpusError, match="single class"):
        framing.train([LabeledSentence("a", {"loaded": True}), LabeledSentence("b", {"loaded": True})], calibration=None)


# ---------------------------------------------------------------------- two-valued label columns (issue #23, item 3)

from framing.data._tables import binary_values  # noqa: E402


@pytest.mark.parametrize("task, values, pair", [
    ("loaded", ["loaded", "neutral", "Loaded"], ("loaded", "neutral")),
    ("hedged", ["not hedged", "hedged"], ("hedged", "not hedged")),
    ("loaded", ["biased", "unbiased"], ("biased", "unbiased")),
    ("loaded", ["non-loaded", "loaded"], ("loaded", "non-loaded")),
    ("hedged", ["hedge", "none"], ("hedge", "none")),
])
def test_two_values_that_read_as_yes_no(task, values, pair):
    assert binary_values(task, values) == pair


@pytest.mark.parametrize("task, values", [
    ("side", ["left", "right"]), ("loaded", ["1", "0"]), ("loaded", ["yes", "no"]), ("slant", ["pro_russia", "pro_ukraine"]),
    ("loaded", ["loaded", "neutral", "mixed"]), ("loaded", ["loaded", "yes"]),
])
def test_other_columns_do_not_read_as_a_pair(task, values):
    assert binary_values(task, values) is None


def test_a_loaded_neutral_column_is_the_binary_task_and_says_so(tmp_path, caplog):
    table = write(tmp_path / "t.csv", "text,label\nA.,loaded\nB.,neutral\nC.,Loaded\nD.,neutral\n")
    notes: list[str] = []
    with caplog.at_level("INFO", logger="framing.data._tables"):
        schema, sentences = read_table(table, label_columns={"loaded": "label"}, notes=notes)
    assert schema.task("loaded").type == "binary" and schema.classes("loaded") == (False, True)
    assert [s.labels["loaded"] for s in sentences] == [True, False, True, False]
    (note,) = notes
    assert note.startswith(f"{table}: task 'loaded' is yes/no: column 'label' has two values, 'loaded' ×2 read as yes "
                           "and 'neutral' ×2 read as no")
    assert "--classes loaded=neutral,loaded" in note and note in caplog.text
    # Declared classes keep the two values as a multiclass task, on purpose.
    schema, sentences = read_table(table, label_columns={"loaded": "label"}, classes={"loaded": ["neutral", "loaded", "Loaded"]})
    assert schema.task("loaded").type == "multiclass" and sentences[1].labels == {"loaded": "neutral"}


def test_a_schema_declaring_the_task_binary_reads_the_pair(tmp_path):
    table = write(tmp_path / "t.tsv", "text\th\nA.\thedged\nB.\tnot hedged\n")
    given = Schema.from_dict({"tasks": {"hedged": {"type": "binary", "classes": [False, True]}}})
    notes: list[str] = []
    schema, sentences = read_table(table, label_columns={"hedged": "h"}, schema=given, notes=notes)
    assert [s.labels for s in sentences] == [{"hedged": True}, {"hedged": False}] and len(notes) == 1


def test_string_labels_that_read_as_yes_no_are_refused_from_python():
    with pytest.raises(TableError, match=r"task 'loaded' has the string labels 'loaded', 'neutral', which read as a yes/no task: "
                                         r"give True/False labels, or pass a Schema declaring the task multiclass"):
        infer_schema([LabeledSentence("a", {"loaded": "loaded"}), LabeledSentence("b", {"loaded": "neutral"})])
    assert infer_schema([LabeledSentence("a", {"side": "left"}), LabeledSentence("b", {"side": "right"})]).task("side").type \
        == "multiclass"


def test_train_from_a_loaded_neutral_table_prints_the_reading_and_the_report_has_a_loaded_rate(tmp_path, capsys):
    import framing
    from framing import cli

    rows = ["sentence,label,article"]
    for i in range(12):
        if i % 2:
            rows.append(f"The corrupt regime lied again and again {i}.,loaded,a{i % 4}")
        else:
            rows.append(f"Officials met in Geneva on Monday {i}.,neutral,a{i % 4}")
    table = write(tmp_path / "t.csv", "\n".join(rows) + "\n")
    code = cli.main(["train", "--from-table", str(table), "--text-col", "sentence", "--label", "loaded=label",
                     "--group-col", "article", "--out", str(tmp_path / "m"), "--quiet", "--no-calibration"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"note: {table}: task 'loaded' is yes/no: column 'label' has two values, 'loaded' ×6 read as yes" in err
    assert "task loaded (binary): false/true" in err
    model = framing.load(tmp_path / "m")
    assert model.classes("loaded") == (False, True)
    assert "loaded" in model.score("The corrupt regime lied again.").to_dict()["rates"]
