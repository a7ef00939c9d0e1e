"""The command line, driven as a subprocess (``python -m framing ...``).

The bundled model is a placeholder: these tests assert structure and
behaviour (exit codes, one-line errors, record order, files written), never
a prediction.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "labeled" / "articles").glob("*.txt"))
SCHEMA = REPO / "labeled" / "schema.json"
EXIT_OK, EXIT_CHECK, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
SUBCOMMANDS = ("score", "compare", "profile", "label", "train", "evaluate", "validate")


def run(*args, input=None, cwd=None, timeout=180, env=None):
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], input=input, capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=environment)


class InProcess:
    """``framing.cli._main.main`` called in this process (fast: the model's imports are paid once per test session)."""

    def __init__(self, capsys, monkeypatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def __call__(self, *args, input=None):
        from framing import cli

        data = (input or "").encode("utf-8")
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        self.capsys.readouterr()
        code = cli.main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture
def cli(capsys, monkeypatch):
    return InProcess(capsys, monkeypatch)


def one_line_error(result, *needles):
    """The run failed with exactly one message line on stderr (and no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def small_seeds(n=2):
    """The shortest seed articles (fast to score)."""
    return sorted(SEEDS, key=lambda p: p.stat().st_size)[:n]


# ---------------------------------------------------------------------- conventions


def test_help_imports_nothing_heavy():
    # What makes `framing --help` answer at once, checked without a clock (timing belongs to benchmarks/).
    code = (
        "import sys\n"
        "import framing.cli._main\n"
        "try:\n"
        "    framing.cli._main.main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "for name in ('score', 'compare', 'profile', 'label', 'train', 'evaluate', 'validate'):\n"
        "    try:\n"
        "        framing.cli._main.main([name, '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('numpy', 'sklearn', 'scipy', 'nltk', 'joblib') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    marker = [line for line in result.stderr.splitlines() if line.startswith("HEAVY")][0]
    assert marker == "HEAVY []", marker


def test_importtime_has_no_heavy_modules():
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import framing.cli"], capture_output=True, text=True)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert {"framing.cli._main", "framing.cli._score", "framing.cli._train"} <= imported
    assert not {name for name in imported if name.split(".")[0] in ("numpy", "sklearn", "scipy", "nltk")}


@pytest.mark.parametrize("command", ("",) + SUBCOMMANDS)
def test_every_help_has_an_example_and_exit_codes(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "example" in result.stdout
    assert "exit codes: 0 ok" in result.stdout and "3 invalid input" in result.stdout


def test_no_command_is_a_usage_error():
    result = run()
    assert result.returncode == EXIT_USAGE
    assert "COMMAND" in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run("score", "--no-such-option", SEEDS[0])
    assert result.returncode == EXIT_USAGE


def test_console_script_matches_python_m():
    script = Path(sys.executable).with_name("framing")
    if not script.exists():
        pytest.skip("framing console script not installed next to this interpreter")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("framing ")


# ---------------------------------------------------------------------- bad input (no model is loaded)


def test_missing_file(tmp_path):
    one_line_error(run("score", tmp_path / "nope.txt"), "nope.txt", "no such file")
    assert run("score", tmp_path / "nope.txt").returncode == EXIT_INPUT


def test_directory(tmp_path):
    result = run("score", tmp_path)
    assert result.returncode == EXIT_INPUT
    one_line_error(result, str(tmp_path), "directory")


def test_undecodable_file_is_named_and_encoding_offered(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café talks resumed in Genève.".encode("latin-1"))
    result = run("score", path)
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "latin.txt", "--encoding")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = run("score", path)
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "empty.txt", "empty")


def test_unknown_model_path(tmp_path):
    result = run("score", SEEDS[0], "--model", tmp_path / "no-model")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "no-model", "model")


def test_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "junk.txt").write_text("x")
    result = run("score", SEEDS[0], "--model", tmp_path)
    assert result.returncode == EXIT_INPUT
    one_line_error(result)


def test_unknown_encoding_is_a_usage_error(tmp_path):
    result = run("score", SEEDS[0], "--encoding", "no-such-codec")
    assert result.returncode == EXIT_USAGE
    one_line_error(result, "no-such-codec")


def test_batch_input_missing_and_empty(tmp_path):
    one_line_error(run("score", "--input", tmp_path / "nope.jsonl"), "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = run("score", "--input", empty)
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "empty.jsonl", "empty")


def test_option_conflicts_are_usage_errors(tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": 1, "text": "Talks began."}\n')
    assert run("score", SEEDS[0], "--input", batch).returncode == EXIT_USAGE
    assert run("score", "--input", batch, "--html", tmp_path / "x.html").returncode == EXIT_USAGE
    assert run("score").returncode == EXIT_USAGE
    assert run("label", "-").returncode == EXIT_USAGE


def test_profile_bad_inputs(tmp_path):
    result = run("profile", "--input", tmp_path / "nope.jsonl")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "nope.jsonl")
    assert run("profile").returncode == EXIT_USAGE
    not_scores = tmp_path / "articles.jsonl"
    not_scores.write_text('{"id": "a", "text": "Talks."}\n')
    result = run("profile", "--input", not_scores)
    assert result.returncode == EXIT_INPUT
    assert "articles.jsonl:1" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------- score


def test_score_json_stdin_html_and_partial_failure(tmp_path):
    first, second = small_seeds(2)
    missing = tmp_path / "missing.txt"
    stdin_text = ('Headline: "Talks" <script>alert(1)</script> & more\n'
                  "The corrupt regime reportedly rejected the plan, analysts say. Rubio said talks may continue.\n")
    page = tmp_path / "report.html"
    result = run("score", first, missing, "-", second, "--json", "--html", page, input=stdin_text)
    assert result.returncode == EXIT_INPUT
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [str(first), "-", str(second)]
    for record in records:
        assert set(record["tasks"]) == set(record["classes"]) and record["tasks"]
        assert record["n_sentences"] > 0 and len(record["sentences"]) == record["n_units"]
        text = stdin_text if record["path"] == "-" else Path(record["path"]).read_text(encoding="utf-8")
        assert all(text[s["start"]:s["end"]] == s["text"] for s in record["sentences"])
    assert "missing.txt" in result.stderr and "Traceback" not in result.stderr
    html_text = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "<script" not in html_text.lower()
    assert html_text.count('<section id="a') == 3 and 'tabindex="0"' in html_text and "<svg" in html_text


def test_score_summary_on_a_terminal_style_output(cli):
    result = cli("score", small_seeds(1)[0])
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith("== ") and "scored sentences" in result.stdout and "slant index" in result.stdout


def test_score_output_implies_json(tmp_path, cli):
    out = tmp_path / "out.jsonl"
    result = cli("score", small_seeds(1)[0], "--output", out, "--no-sentences")
    assert result.returncode == EXIT_OK, result.stderr
    record = json.loads(out.read_text())
    assert "sentences" not in record and "rates" in record and result.stdout == ""


def test_score_into_head_ends_quietly():
    command = (f"{sys.executable} -m framing score {' '.join(map(str, SEEDS))} | head -1; "
               "echo \"status=${PIPESTATUS[0]}\" >&2")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "NO_COLOR": "1"})
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.startswith("== bankingnews.gr")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert "status=0" in result.stderr


# ---------------------------------------------------------------------- batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A batch of the seed articles with malformed lines among them, scored once."""
    folder = tmp_path_factory.mktemp("batch")
    outlets = ["bankingnews.gr", "Euromaidan Press", "Outlet C", "Outlet C", "Outlet D"]
    lines = []
    for index, (path, outlet) in enumerate(zip(SEEDS, outlets)):
        lines.append(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8"), "outlet": outlet,
                                 "date": "2025-12-01"}))
        if index == 1:
            lines.append('{"id": "broken", "text": "unterminated')
            lines.append('{"id": "no-text", "outlet": "X"}')
            lines.append("")
            lines.append('["not", "an", "object"]')
            lines.append('{"id": 7, "text": 12}')
    source = folder / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "scores.jsonl"
    result = run("score", "--input", source, "--output", out)
    return {"folder": folder, "source": source, "out": out, "result": result}


def test_batch_keeps_order_and_reports_failures(batch):
    result = batch["result"]
    assert result.returncode == EXIT_INPUT
    records = [json.loads(line) for line in batch["out"].read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in SEEDS]
    assert all(r["outlet"] and r["date"] == "2025-12-01" and "slant_index" in r for r in records)
    name = batch["source"].name
    for location in (f"{name}:3", f"{name}:4", f"{name}:6", f"{name}:7"):
        assert location in result.stderr, result.stderr
    assert "not valid JSON: unterminated string starting at column" in result.stderr and "missing field 'text'" in result.stderr
    assert "4 records failed" in result.stderr
    assert f"{name}:5" not in result.stderr  # the blank line is not a record
    assert "Traceback" not in result.stderr


def test_batch_csv_from_stdin_to_stdout(tmp_path, cli):
    rows = [{"id": "a", "text": "The corrupt regime lied, critics say.", "source": "S1"},
            {"id": "b", "text": "", "source": "S2"},
            {"id": "c", "text": "Talks may resume on Monday.", "source": "S2"}]
    path = tmp_path / "batch.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "source"])
        writer.writeheader()
        writer.writerows(rows)
    result = cli("score", "--input", "-", "--format", "csv", input=path.read_text(encoding="utf-8"))
    assert result.returncode == EXIT_INPUT
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["source"]) for r in records] == [("a", "S1"), ("c", "S2")]
    assert "<stdin>:3" in result.stderr and "empty" in result.stderr


# ---------------------------------------------------------------------- profile


def test_profile_table_json_and_html(batch, tmp_path):
    page = tmp_path / "profile.html"
    table = run("profile", "--input", batch["out"], "--html", page)
    assert table.returncode == EXIT_OK, table.stderr
    for outlet in ("bankingnews.gr", "Euromaidan Press", "Outlet C", "Outlet D"):
        assert outlet in table.stdout
    assert "slant: not reliable (measured" in table.stdout
    as_json = run("profile", "--input", batch["out"], "--json")
    data = json.loads(as_json.stdout)
    groups = {g["name"]: g for g in data["groups"]}
    assert groups["Outlet C"]["n_articles"] == 2
    low, high = groups["Outlet C"]["slant_index_ci95"]
    assert low <= groups["Outlet C"]["slant_index_mean"] <= high
    assert groups["bankingnews.gr"]["slant_index_ci95"] is None  # one article: no interval
    assert set(groups["Outlet D"]["rates"]) == set(json.loads(batch["out"].read_text().splitlines()[0])["rates"])
    again = json.loads(run("profile", "--input", batch["out"], "--json").stdout)
    assert again == data  # seeded bootstrap
    html_text = page.read_text(encoding="utf-8")
    assert "<svg" in html_text and "Outlet C" in html_text


def test_profile_reports_bad_lines_and_keeps_the_rest(batch, tmp_path):
    lines = batch["out"].read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([lines[0], "{oops", lines[1], '{"id": "x"}']) + "\n", encoding="utf-8")
    result = run("profile", "--input", mixed, "--json")
    assert result.returncode == EXIT_INPUT
    assert sum(g["n_articles"] for g in json.loads(result.stdout)["groups"]) == 2
    assert "mixed.jsonl:2" in result.stderr and "mixed.jsonl:4" in result.stderr


# ---------------------------------------------------------------------- compare


def test_compare_text_and_html(tmp_path):
    page = tmp_path / "compare.html"
    files = small_seeds(3)
    result = run("compare", *files, "--html", page)
    assert result.returncode == EXIT_OK, result.stderr
    out = result.stdout
    assert "slant index" in out and "loaded rate" in out and "top loaded terms" in out
    # A slant the model's evaluation finds unreliable is named as such instead of quoting a most slanted sentence.
    assert ("most slanted sentence" in out) != ("slant: not reliable (measured" in out)
    for path in files:
        assert path.stem[:12] in out  # not in the corpus' outlet list, so named after the file
    html_text = page.read_text(encoding="utf-8")
    assert html_text.count("<svg") >= 1 + len(files)
    assert "Comparison of articles" in html_text
    for forbidden in ("<script", "<link", "@import", "url(", 'src="http', "src='http"):
        assert forbidden not in html_text.lower()


def test_compare_json_uses_outlets_from_the_corpus(cli):
    result = cli("compare", SEEDS[0], SEEDS[1], "--json")
    assert result.returncode == EXIT_OK, result.stderr
    articles = json.loads(result.stdout)["articles"]
    assert [a["label"] for a in articles] == ["bankingnews.gr", "Euromaidan Press"]
    for article in articles:
        assert -1 <= article["slant_index"] <= 1
        assert article["most_slanted_sentence"]["text"]
        assert set(article["rates"]) and set(article["mixes"])


def test_compare_label_count_must_match(tmp_path):
    result = run("compare", SEEDS[0], SEEDS[1], "--label", "only-one")
    assert result.returncode == EXIT_USAGE


# ---------------------------------------------------------------------- train, validate, evaluate

CUSTOM_SCHEMA = {
    "name": "custom",
    "span_types": {"loaded": "", "hedge": ""},
    "task_order": ["biased", "tone"],
    "tasks": {
        "biased": {"type": "binary", "classes": [False, True]},
        "tone": {"type": "multiclass", "classes": ["negative", "calm", "positive"]},
    },
}
LOADED = ["The corrupt regime lied again.", "Brutal thugs shelled the city.", "The puppet government caved in disgrace.",
          "A shameful capitulation was signed.", "The reckless warmongers escalated again."]
CALM = ["Talks began on Monday in Florida.", "The delegation met for two hours.", "Officials discussed the plan.",
        "The minister travelled to Geneva.", "Negotiators will meet again next week."]


def make_corpus(root: Path, schema=None, articles=4) -> Path:
    """A tiny valid corpus: schema, article texts and one labelled record per unit."""
    from framing.text import segment

    root.mkdir(parents=True, exist_ok=True)
    schema = schema or json.loads(SCHEMA.read_text(encoding="utf-8"))
    (root / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    tasks = schema.get("task_order") or list(schema["tasks"])
    article_records, sentence_records = [], []
    for a in range(articles):
        text = "\n".join(f"{LOADED[(a + i) % 5]} {CALM[(a + 2 * i) % 5]}" for i in range(3)) + "\nShare this article\n"
        article_id = f"art{a}"
        (root / "articles" / f"{article_id}.txt").write_text(text, encoding="utf-8")
        article_records.append({"id": article_id, "path": f"articles/{article_id}.txt", "outlet": f"Outlet {a % 2}"})
        for position, unit in enumerate(segment(text)):
            loaded = unit.text in LOADED
            boilerplate = unit.text.startswith("Share")
            labels = {}
            for task in tasks:
                classes = schema["tasks"][task]["classes"]
                if classes == [False, True]:
                    labels[task] = loaded and not boilerplate
                else:
                    labels[task] = classes[0] if loaded and not boilerplate else classes[len(classes) // 2]
            sentence_records.append({"id": f"{article_id}-{position:04d}", "article": article_id, "position": position,
                                     "start": unit.start, "end": unit.end, "text": unit.text, "labels": labels,
                                     "spans": [], "boilerplate": boilerplate, "note": ""})
    (root / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in article_records), encoding="utf-8")
    (root / "sentences.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sentence_records), encoding="utf-8")
    return root


def test_validate(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    result = run("validate", corpus)
    assert result.returncode == EXIT_OK and "valid" in result.stdout
    with open(corpus / "sentences.jsonl", "a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    result = run("validate", corpus)
    assert result.returncode == EXIT_CHECK
    assert "sentences.jsonl:" in result.stderr


def test_train_custom_schema_then_score_with_its_tasks(tmp_path, cli):
    corpus = make_corpus(tmp_path / "corpus", schema=CUSTOM_SCHEMA)
    model = tmp_path / "model"
    result = run("train", "--corpus", corpus, "--out", model, "--no-calibration")
    assert result.returncode == EXIT_OK, result.stderr
    assert (model / "model.json").is_file()
    page = tmp_path / "custom.html"
    scored = cli("score", "--model", model, "--json", "-", "--html", page, input="The corrupt regime lied again. Talks began.")
    assert scored.returncode == EXIT_OK, scored.stderr
    record = json.loads(scored.stdout)
    assert record["tasks"] == ["biased", "tone"]
    assert record["classes"]["tone"] == ["negative", "calm", "positive"]
    assert set(record["rates"]) == {"biased"}
    html_text = page.read_text(encoding="utf-8")
    # No task of the default schema on the page (the style sheet's class names for a Frames section aside).
    body = html_text.split("</style>", 1)[1]
    assert "biased rate" in body and "tone" in body and "frame" not in body


def test_train_from_table(tmp_path):
    table = tmp_path / "data.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sentence", "is_biased", "side", "article"])
        for i in range(20):
            loaded = i % 2 == 0
            writer.writerow([(LOADED if loaded else CALM)[i % 5] + f" ({i})", ["no", "yes"][loaded],
                             ["neutral", "pro_russia", "pro_ukraine"][i % 3], f"a{i % 5}"])
    model = tmp_path / "table-model"
    result = run("train", "--from-table", table, "--text-col", "sentence", "--label", "loaded=is_biased",
                 "--label", "slant=side", "--classes", "slant=pro_russia,neutral,pro_ukraine", "--group-col", "article",
                 "--out", model, "--no-calibration", "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    saved = json.loads((model / "model.json").read_text(encoding="utf-8"))
    assert saved["schema"]["task_order"] == ["loaded", "slant"]
    assert saved["schema"]["tasks"]["slant"]["classes"] == ["pro_russia", "neutral", "pro_ukraine"]
    assert saved["schema"]["tasks"]["loaded"]["classes"] == [False, True]
    # Bad tables: a missing column, and a value that is not yes/no: one message each, nothing written.
    bad = run("train", "--from-table", table, "--text-col", "nope", "--label", "loaded=is_biased", "--out", tmp_path / "m2")
    assert bad.returncode == EXIT_INPUT and "nope" in bad.stderr and not (tmp_path / "m2").exists()
    bad = run("train", "--from-table", table, "--text-col", "sentence", "--label", "loaded=side",
              "--classes", "loaded=no,yes", "--out", tmp_path / "m3")
    assert bad.returncode == EXIT_INPUT and "data.csv:2" in bad.stderr and not (tmp_path / "m3").exists()
    assert run("train", "--from-table", table, "--out", tmp_path / "m4").returncode == EXIT_USAGE  # no --label


def write_table(path: Path, labels=None, delimiter=",", n=20) -> Path:
    """A table of n sentences (sentence, is_loaded, article); ``labels`` overrides the is_loaded column."""
    labels = labels or ["1" if i % 2 == 0 else "0" for i in range(n)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["sentence", "is_loaded", "article"])
        for i, label in enumerate(labels):
            writer.writerow([(LOADED if i % 2 == 0 else CALM)[i % 5] + f" ({i})", label, f"a{i % 4}"])
    return path


TABLE_ARGS = ("--text-col", "sentence", "--label", "loaded=is_loaded", "--group-col", "article")


def test_train_table_with_a_single_class_is_an_error(tmp_path, cli):
    table = write_table(tmp_path / "labels.csv", labels=["1"] * 20)
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m", "--quiet")
    assert result.returncode == EXIT_INPUT and not (tmp_path / "m").exists()
    one_line_error(result, "labels.csv", "'is_loaded'", "single class in all 20 rows", "'1'", "at least 2 classes")


def test_train_table_with_a_stray_label_names_the_rows_and_the_classes_option(tmp_path, cli):
    labels = ["1" if i % 2 == 0 else "0" for i in range(20)]
    labels[4], labels[7] = "maybe", "2"
    table = write_table(tmp_path / "labels.csv", labels=labels)
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m", "--quiet")
    assert result.returncode == EXIT_INPUT and not (tmp_path / "m").exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert "labels.csv:6: field 'is_loaded'" in errors[0] and "'maybe'" in errors[0] and "not a yes/no value" in errors[0]
    assert "labels.csv:9:" in errors[1] and "'2'" in errors[1]
    assert "--classes loaded=0,1,2,maybe" in errors[0]
    assert result.stderr.splitlines()[-1] == f"framing: error: {table}: 2 problem(s); nothing trained"
    # Declaring every class makes the task multiclass on purpose.
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--classes", "loaded=0,1,2,maybe", "--out", tmp_path / "m",
                 "--no-calibration", "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    assert "task loaded (multiclass): 0/1/2/maybe" in result.stderr
    saved = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert saved["schema"]["tasks"]["loaded"]["classes"] == ["0", "1", "2", "maybe"]
    # A class list of one is a usage error.
    assert cli("train", "--from-table", table, *TABLE_ARGS, "--classes", "loaded=0", "--out", tmp_path / "m1").returncode == EXIT_USAGE


def test_train_table_with_semicolons_is_sniffed(tmp_path, cli):
    table = write_table(tmp_path / "labels.csv", delimiter=";")
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m", "--no-calibration", "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    assert "task loaded (binary): false/true" in result.stderr
    # A wrong explicit delimiter: the missing columns are named with a hint at the delimiter.
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--delimiter", ",", "--out", tmp_path / "m2")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "column(s) not found", "sentence;is_loaded;article", "';'", "--delimiter")


def test_train_table_from_excel(tmp_path, cli, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "labels"
    sheet.append(["sentence", "is_loaded", "article"])
    for i in range(20):
        sheet.append([(LOADED if i % 2 == 0 else CALM)[i % 5] + f" ({i})", 1 if i % 2 == 0 else 0, f"a{i % 4}"])
    table = tmp_path / "labels.xlsx"
    workbook.save(table)
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m", "--no-calibration", "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    assert "task loaded (binary): false/true" in result.stderr and (tmp_path / "m" / "model.json").is_file()
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--sheet", "nope", "--out", tmp_path / "m2")
    one_line_error(result, "labels.xlsx", "no sheet 'nope'", "labels")
    # A workbook saved under another suffix: one line, not a malformed-JSON line per row.
    disguised = tmp_path / "labels.jsonl"
    disguised.write_bytes(table.read_bytes())
    result = cli("train", "--from-table", disguised, *TABLE_ARGS, "--out", tmp_path / "m3")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "labels.jsonl", "binary data", "zip", ".xlsx")
    # Without openpyxl: one line saying what to install.
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m4")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "labels.xlsx", "openpyxl", 'pip install "framing[excel]"', "CSV")


def test_old_excel_format_is_one_clear_line(tmp_path, cli):
    table = tmp_path / "labels.xls"
    table.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = cli("train", "--from-table", table, *TABLE_ARGS, "--out", tmp_path / "m")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "labels.xls", ".xls workbooks are not read", ".xlsx")


def test_evaluate_a_table(tmp_path, cli):
    pytest.importorskip("framing.evaluation._evaluate")
    table = write_table(tmp_path / "labels.csv")
    result = cli("evaluate", table, *TABLE_ARGS, "--json", "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    assert "loaded" in json.loads(result.stdout)["tasks"]
    # The same table options as train, and the same errors.
    bad = write_table(tmp_path / "bad.csv", labels=["1"] * 20)
    result = cli("evaluate", "--from-table", bad, *TABLE_ARGS, "--quiet")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "bad.csv", "single class")
    # A table without --label: a usage error that says how to name the columns (not "corpus folder not found").
    result = cli("evaluate", table)
    assert result.returncode == EXIT_USAGE
    one_line_error(result, "labels.csv is a table", "--label TASK=COLUMN", "--text-col")
    result = cli("evaluate", tmp_path / "nowhere")
    assert result.returncode == EXIT_INPUT
    one_line_error(result, "nowhere", "no such corpus folder", "--from-table")


# ---------------------------------------------------------------------- input that is not plain text


def test_binary_file_is_refused_whatever_the_encoding(tmp_path, cli):
    from test_input import png_bytes

    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes())
    for encoding in ("utf-8", "latin-1"):
        result = cli("score", image, "--encoding", encoding)
        assert result.returncode == EXIT_INPUT and result.stdout == ""
        one_line_error(result, "photo.png", "binary data (a PNG image)")


HTML_PAGE = """<!doctype html><html><head><title>Talks | News</title><style>p { margin: 0 }</style>
<script>var tracking = "The corrupt regime lied";</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks in Florida end without a deal</h1>
<p>The delegations met in Florida on Sunday. Officials said the talks were constructive and would resume.</p>
<p>Both sides agreed to meet again next week in Geneva to discuss the remaining points of the draft.</p></article>
<footer>Subscribe to our newsletter.</footer></body></html>
"""


def test_html_page_is_extracted_and_said_so(tmp_path, cli):
    pytest.importorskip("trafilatura")
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    result = cli("score", page, "--json")
    assert result.returncode == EXIT_OK, result.stderr
    assert f"framing: note: {page}: HTML page; scoring the article text extracted with trafilatura" in result.stderr
    record = json.loads(result.stdout)
    texts = " ".join(s["text"] for s in record["sentences"])
    assert "delegations met in Florida" in texts and "tracking" not in texts and "<p>" not in texts


def test_html_page_without_the_extractor_is_refused(tmp_path, cli, monkeypatch):
    from framing.data import _input

    def missing():
        raise ImportError("No module named 'trafilatura'")

    monkeypatch.setattr(_input, "_trafilatura", missing)
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    result = cli("score", page)
    assert result.returncode == EXIT_INPUT and result.stdout == ""
    one_line_error(result, "page.html", "looks like an HTML page", 'pip install "framing[html]"')


def test_train_invalid_corpus_lists_errors(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    with open(corpus / "sentences.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"id": "x", "article": null, "text": "t", "labels": {"loaded": "maybe"}}\n')
    result = run("train", "--corpus", corpus, "--out", tmp_path / "m", "--no-calibration")
    assert result.returncode == EXIT_INPUT
    assert "sentences.jsonl:" in result.stderr and "Traceback" not in result.stderr


def test_evaluate(tmp_path):
    pytest.importorskip("framing.evaluation._evaluate")
    corpus = make_corpus(tmp_path / "corpus", schema=CUSTOM_SCHEMA, articles=2)
    result = run("evaluate", "--corpus", corpus, "--json", "--task", "biased")
    assert result.returncode == EXIT_OK, result.stderr
    assert isinstance(json.loads(result.stdout), dict)
    result = run("evaluate", "--corpus", tmp_path / "nowhere")
    assert result.returncode == EXIT_INPUT and "Traceback" not in result.stderr


# ---------------------------------------------------------------------- batch reader (in process)


def test_io_reader_locations(tmp_path):
    from framing.data._io import BadRecord, Record, iter_records

    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n\n{"id": "b", "text": "caf\xe9"}\n{"text": "no id"}\n'
                     b'{"id": true, "text": "x"}\n{"id": "c", "text": "  "}\n')
    items = list(iter_records(str(path)))
    kinds = [(type(i).__name__, i.location) for i in items]
    assert kinds == [("Record", f"{path}:1"), ("BadRecord", f"{path}:3"), ("Record", f"{path}:4"),
                     ("BadRecord", f"{path}:5"), ("BadRecord", f"{path}:6")]
    assert isinstance(items[2], Record) and items[2].id == f"{path}:4"
    assert "--encoding" in items[1].message and isinstance(items[1], BadRecord)
    latin = list(iter_records(str(path), encoding="latin-1"))
    assert latin[1].text == "café"


def test_io_csv_multiline_fields_and_column_mismatch(tmp_path):
    from framing.data._io import iter_records

    path = tmp_path / "in.csv"
    path.write_text('id,text,outlet\n1,"line one\nline two",X\n2,short\n3,"ok",Y\n', encoding="utf-8")
    items = list(iter_records(str(path)))
    assert [type(i).__name__ for i in items] == ["Record", "BadRecord", "Record"]
    assert items[0].text == "line one\nline two" and items[0].metadata == {"outlet": "X"}
    assert items[1].location.endswith(":4") and "columns" in items[1].message
    assert items[2].location.endswith(":5")



def test_train_recipe_looks_for_the_data_where_the_one_resolver_says(tmp_path, cli, monkeypatch):
    # --data, else $FRAMING_DATA, else ../shared/data: framing.datasets.resolve_data_root, not a copy of it.
    empty = tmp_path / "no-data-here"
    empty.mkdir()
    monkeypatch.setenv("FRAMING_DATA", str(empty))
    result = cli("train", "--recipe", REPO / "models" / "recipe-default.json", "--out", tmp_path / "model", "--quiet")
    assert result.returncode == EXIT_INPUT
    line = one_line_error(result, str(empty), "--data DIR or $FRAMING_DATA")
    other = tmp_path / "given"
    other.mkdir()
    result = cli("train", "--recipe", REPO / "models" / "recipe-default.json", "--data", other, "--out", tmp_path / "m2",
                 "--quiet")
    assert result.returncode == EXIT_INPUT and str(other) in result.stderr and str(empty) not in result.stderr, line
