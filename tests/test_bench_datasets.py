"""Tests for the benchmark data loaders (benchmarks/_datasets.py).

Every format test builds a tiny synthetic fixture in ``tmp_path`` with
made-up sentences; no external data is copied here. The last tests run the
loaders on the real data only when :func:`resolve_data_root` finds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    from benchmarks import _datasets as ds
except ImportError:  # pytest started from elsewhere: put the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks import _datasets as ds


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]

BABE_HEADER = "text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words"


def write_babe(root: Path, rows, bom: bool = True) -> Path:
    path = root / "babe" / "final_labels_SG2.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join([BABE_HEADER, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    return path


def write_weasel(root: Path, body: str) -> Path:
    path = root / "wiki-weasel" / "train.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def span(text: str, phrase: str, after: int = 0) -> tuple:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def t_line(tid: str, kind: str, text: str, *phrases: str, after: int = 0) -> str:
    """A BRAT T line for one or more (discontinuous) fragments of `text`."""
    fragments = []
    for phrase in phrases:
        start, end = span(text, phrase, after)
        fragments.append(f"{start} {end}")
        after = end
    return f"{tid}\t{kind} {';'.join(fragments)}\t{' '.join(phrases)}"


ARTICLE_A = (
    "Mayor Jane Doberman said the old bridge will reopen in May. "
    "Officials said the repairs were costly and slow. "
    "The river was calm on Tuesday morning.\n"
)


def polnear_fixture(root: Path, split: str = "train") -> Path:
    """Two made-up articles; article A has two annotator files."""
    data = root / "polnear" / "data"
    text_dir = data / split / "text"
    att_dir = data / split / "attributions"
    text_dir.mkdir(parents=True)
    att_dir.mkdir(parents=True)

    name_a = "gazette_2016-01-02_bridge-story-abc"
    (text_dir / f"{name_a}.txt").write_text(ARTICLE_A, encoding="utf-8")
    second = ARTICLE_A.index("Officials")
    ann_a = [
        t_line("T1", "Source", ARTICLE_A, "Mayor Jane Doberman"),
        t_line("T2", "Cue", ARTICLE_A, "said"),
        t_line("T3", "Content", ARTICLE_A, "the old bridge will reopen in May"),
        t_line("T4", "Attribution", ARTICLE_A, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Source", ARTICLE_A, "Officials"),
        t_line("T6", "Cue", ARTICLE_A, "said", after=second),
        # discontinuous content: two fragments
        t_line("T7", "Content", ARTICLE_A, "the repairs were costly", "slow", after=second),
        t_line("T8", "Attribution", ARTICLE_A, "said", after=second),
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        "#1\tAnnotatorNotes T5\tA made-up note.",
        "A continuation line left by a span that covered a line break",
        "R1\tSomeRelation Arg1:T1 Arg2:T5",
        "",
    ]
    (att_dir / f"{name_a}_0aaa.ann").write_text("\n".join(ann_a), encoding="utf-8")
    # a later annotator file (by sorted name) that marks nothing: must be ignored
    (att_dir / f"{name_a}_ffff.ann").write_text("", encoding="utf-8")

    name_b = "courier_2016-02-03_farm-story-xyz"
    text_b = (
        "The farm report came out on Monday.\n"
        "She said the harvest was late. "
        "Prices rose, according to the report. "
        "The barn, he added, needs a roof.\n"
    )
    (text_dir / f"{name_b}.txt").write_text(text_b, encoding="utf-8")
    after = text_b.index("Prices")
    ann_b = [
        t_line("T1", "Source", text_b, "She"),
        t_line("T2", "Cue", text_b, "said"),
        t_line("T3", "Content", text_b, "the harvest was late"),
        t_line("T4", "Attribution", text_b, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Cue", text_b, "according to", after=after),
        t_line("T6", "Content", text_b, "Prices rose", after=after),
        t_line("T7", "Attribution-no-source", text_b, "according to", after=after),
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5",
        t_line("T8", "Discuss", text_b, "The farm report"),
        "",
    ]
    (att_dir / f"{name_b}_1bbb.ann").write_text("\n".join(ann_b), encoding="utf-8")

    (data / "metadata.tsv").write_text(
        "compartment\tfilename\tlevel\tannotators\tpublisher\ttitle\n"
        f"{split}\t{name_a}\t1\t0aaa|ffff\tdaily-gazette\tA made-up title\n",
        encoding="utf-8",
    )
    return data


# ---------------------------------------------------------------------------
# BABE
# ---------------------------------------------------------------------------


def test_babe_parses_bom_quoting_and_drops_no_agreement(tmp_path):
    write_babe(
        tmp_path,
        [
            '"The mayor called the plan ""reckless""; critics agreed.";https://example.org/a1;'
            "Example Post;roads;left;Biased;Expresses writer’s opinion;['reckless', 'critics']",
            "The council met on Tuesday.;https://example.org/a1;Example Post;roads;left;"
            "Non-biased;Entirely factual;[]",
            "Nobody could agree on this one.;https://example.org/a2;Other Times;parks;;"
            "No agreement;No agreement;[]",
            '"A line that\nbreaks in two.";;Other Times;parks;center;Non-biased;Entirely factual;"[""it\'s""]"',
        ],
    )
    rows = ds.load_babe(tmp_path)
    assert len(rows) == 3
    first, second, third = rows
    assert first.text == 'The mayor called the plan "reckless"; critics agreed.'
    assert first.label is True
    assert first.group == "https://example.org/a1"
    assert first.outlet == "Example Post"
    assert first.extra["biased_words"] == ["reckless", "critics"]
    assert first.extra["topic"] == "roads"
    assert first.extra["type"] == "left"
    assert second.label is False and second.extra["biased_words"] == []
    assert "\ufeff" not in "".join(r.text for r in rows)
    # a multi-line text field, an empty link and a list literal holding a quote
    assert third.text == "A line that\nbreaks in two."
    assert third.extra["biased_words"] == ["it's"]
    assert third.group.startswith("babe-nolink:")
    assert third.extra["type"] == "center"


def test_babe_bad_label_names_file_and_line(tmp_path):
    path = write_babe(
        tmp_path,
        [
            "Fine sentence.;https://example.org/1;X;t;left;Biased;Entirely factual;['fine']",
            "Odd sentence.;https://example.org/2;X;t;left;Maybe;Entirely factual;[]",
        ],
    )
    with pytest.raises(ValueError) as info:
        ds.load_babe(tmp_path)
    assert f"{path}:3" in str(info.value)
    assert "Maybe" in str(info.value)


def test_babe_biased_words_are_never_evaluated(tmp_path):
    path = write_babe(
        tmp_path,
        ["Some text.;https://example.org/1;X;t;left;Biased;Entirely factual;__import__('os').getcwd()"],
    )
    with pytest.raises(ValueError) as info:
        ds.load_babe(tmp_path)
    assert f"{path}:2" in str(info.value)
    assert "__import__" in str(info.value)


def test_babe_wrong_field_count(tmp_path):
    write_babe(tmp_path, ["Too few fields;https://example.org/1;X"])
    with pytest.raises(ValueError, match="expected 8 fields"):
        ds.load_babe(tmp_path)


# ---------------------------------------------------------------------------
# wiki-weasel and PTB detokenisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ptb, expected",
    [
        ("The lake -LRB- drained in 1901 -RRB- is dry .", "The lake (drained in 1901) is dry."),
        ("He called it `` a fine idea '' , then left .", 'He called it "a fine idea", then left.'),
        ("It does n't matter ; they 're late !", "It doesn't matter; they're late!"),
        ("She ca n't go and he wo n't stay ?", "She can't go and he won't stay?"),
        ("The club 's coach -LSB- sic -RSB- : -LCB- x -RCB-", "The club's coach [sic]: {x}"),
        ("The so-called ` quiet period' ended .", "The so-called 'quiet period' ended."),
        ("It cost $ 5 and reached # 1 , some say .", "It cost $5 and reached #1, some say."),
        ("They 've said it 'll rain , I 'm told .", "They've said it'll rain, I'm told."),
        ("The players ' lounge is open .", "The players' lounge is open."),
        ("First line . \\ n Second line .", "First line. Second line."),
        ("  Extra   spaces\n", "Extra spaces"),
    ],
)
def test_ptb_detokenize(ptb, expected):
    assert ds.ptb_detokenize(ptb) == expected


def test_weasel_loads_and_detokenises(tmp_path):
    write_weasel(
        tmp_path,
        "text,label\n"
        '"The fort -LRB- built of stone -RRB- is said to be very old .\n",1\n'
        '"It has three towers .\n",0\n'
        '"\n",0\n'
        '"It has three towers .\n",0\n'
        '"Some say it `` may \'\' be haunted , perhaps .",1\n',
    )
    rows = ds.load_weasel(tmp_path)
    assert [r.text for r in rows] == [
        "The fort (built of stone) is said to be very old.",
        "It has three towers.",
        "It has three towers.",
        'Some say it "may" be haunted, perhaps.',
    ]
    assert [r.label for r in rows] == [True, False, False, True]
    assert all(r.outlet == "wikipedia" for r in rows)
    # stable per-row ids; the verbatim duplicate shares its first occurrence's group
    assert rows[0].group == "weasel-00001"
    assert rows[1].group == rows[2].group == "weasel-00002"
    assert rows[3].group == "weasel-00005"
    assert rows[0].extra["ptb_text"].startswith("The fort -LRB-")
    assert ds.load_weasel(tmp_path)[0].group == rows[0].group


def test_weasel_bad_label(tmp_path):
    path = write_weasel(tmp_path, "text,label\nA sentence .,0\nAnother one .,yes\n")
    with pytest.raises(ValueError) as info:
        ds.load_weasel(tmp_path)
    assert f"{path}:3" in str(info.value) and "yes" in str(info.value)


# ---------------------------------------------------------------------------
# PolNeAR
# ---------------------------------------------------------------------------


def test_parse_brat_discontinuous_and_other_lines():
    ann = (
        "T1\tSource 0 5\tAlice\n"
        "T2\tContent 10 15;20 25;30 31\tabcde fghij k\n"
        "E1\tAttribution:T9 Source:T1 Content:T2 Content2:T2\n"
        "#1\tAnnotatorNotes T1\tsome note\n"
        "a stray continuation line\n"
        "T3\tCue 40 30\tbackwards\n"
        "A1\tNegated T1\n"
    )
    spans, relations = ds.parse_brat(ann)
    assert set(spans) == {"T1", "T2"}  # T3 has end < start and is skipped
    assert spans["T2"].fragments == ((10, 15), (20, 25), (30, 31))
    assert spans["T2"].overlaps(14, 16)
    assert not spans["T2"].overlaps(15, 20)  # the gap between fragments
    assert spans["T2"].start == 10
    (relation,) = relations
    assert relation.type == "Attribution" and relation.trigger == "T9"
    assert relation.ids("Source") == ["T1"]
    assert relation.ids("Content") == ["T2", "T2"]  # "Content2" is a Content role


def test_parse_brat_drops_spans_past_the_text():
    spans, _ = ds.parse_brat("T1\tSource 0 5\tAlice\nT2\tCue 6 99\tsaid\n", text_length=20)
    assert set(spans) == {"T1"}


def test_polnear_named_anonymous_none(tmp_path):
    polnear_fixture(tmp_path)
    rows = ds.load_polnear(tmp_path, "train")
    by_group = {}
    for row in rows:
        by_group.setdefault(row.group, []).append(row)

    article_a = by_group["gazette_2016-01-02_bridge-story-abc"]
    assert [r.label for r in article_a] == ["named", "anonymous", "none"]
    assert [r.extra["has_source_span"] for r in article_a] == [True, True, False]
    assert article_a[0].text.startswith("Mayor Jane Doberman said")
    assert all(r.outlet == "daily-gazette" for r in article_a)  # from metadata.tsv
    assert all(r.extra["annotator"] == "0aaa" for r in article_a)  # first by name
    for row in article_a:
        assert ARTICLE_A[row.extra["start"] : row.extra["end"]] == row.text

    article_b = by_group["courier_2016-02-03_farm-story-xyz"]
    # headline (Discuss span only), pronoun source, no-source attribution, nothing
    assert [r.label for r in article_b] == ["none", "named", "anonymous", "none"]
    assert all(r.outlet == "courier" for r in article_b)  # file-name prefix


def test_polnear_cue_links_to_source_in_previous_unit(tmp_path):
    data = tmp_path / "polnear" / "data" / "dev"
    (data / "text").mkdir(parents=True)
    (data / "attributions").mkdir(parents=True)
    text = "Senator Ada Quill spoke for an hour.\nLater she added that taxes would fall.\n"
    (data / "text" / "paper_x.txt").write_text(text, encoding="utf-8")
    ann = "\n".join(
        [
            t_line("T1", "Source", text, "Senator Ada Quill"),
            t_line("T2", "Cue", text, "added"),
            t_line("T3", "Attribution", text, "added"),
            t_line("T4", "Content", text, "that taxes would fall"),
            "E1\tAttribution:T3 Cue:T2 Source:T1 Content:T4",
        ]
    )
    (data / "attributions" / "paper_x_9z9z.ann").write_text(ann, encoding="utf-8")
    rows = ds.load_polnear(tmp_path, "dev")
    assert [r.label for r in rows] == ["named", "named"]
    assert [r.extra["has_source_span"] for r in rows] == [True, False]
    assert rows[0].outlet == "paper"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Mayor Jane Doberman", "named"),
        ("Mr. Quill", "named"),
        ("the Doberman campaign", "named"),
        ("Reuters", "named"),
        ("he", "named"),
        ("They", "named"),
        ("who", "named"),
        ("officials", "anonymous"),
        ("Officials", "anonymous"),
        ("some", "anonymous"),
        ("a spokesman", "anonymous"),
        ("a Doberman spokesman", "anonymous"),
        ("a Doberman spokesman, Rex Pike,", "named"),
        ("senior officials in the Ministry of Roads", "anonymous"),
        ("many Democrats", "anonymous"),
        ("The poll", "anonymous"),
        ("you", "anonymous"),
        ("Q", "anonymous"),
    ],
)
def test_classify_source(source, expected):
    assert ds.classify_source(source) == expected


def test_classify_source_sentence_initial_common_word():
    assert ds.classify_source("Farmers", sentence_initial=True, lowercase_words=frozenset({"farmers"})) == (
        "anonymous"
    )
    assert ds.classify_source("Farmers", sentence_initial=False) == "named"


def test_polnear_bad_split(tmp_path):
    polnear_fixture(tmp_path)
    with pytest.raises(ValueError, match="split"):
        ds.load_polnear(tmp_path, "test")


# ---------------------------------------------------------------------------
# missing data, data root, availability
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loader, expected_part",
    [
        (lambda root: ds.load_babe(root), "final_labels_SG2.csv"),
        (lambda root: ds.load_weasel(root), "train.csv"),
        (lambda root: ds.load_polnear(root, "dev"), "dev"),
    ],
)
def test_missing_data_raises_dataset_missing(tmp_path, loader, expected_part):
    with pytest.raises(ds.DatasetMissing) as info:
        loader(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message and expected_part in message
    assert "\n" not in message
    assert not isinstance(info.value, FileNotFoundError)


def test_polnear_missing_attributions_folder(tmp_path):
    (tmp_path / "polnear" / "data" / "train" / "text").mkdir(parents=True)
    with pytest.raises(ds.DatasetMissing, match="attributions"):
        ds.load_polnear(tmp_path, "train")


def test_available_datasets(tmp_path):
    assert ds.available_datasets(tmp_path) == {"babe": False, "weasel": False, "polnear": False}
    write_babe(tmp_path, [])
    write_weasel(tmp_path, "text,label\n")
    polnear_fixture(tmp_path, "train")
    assert ds.available_datasets(tmp_path) == {"babe": True, "weasel": True, "polnear": False}
    polnear_fixture(tmp_path / "elsewhere", "dev")
    (tmp_path / "polnear" / "data" / "dev").symlink_to(
        tmp_path / "elsewhere" / "polnear" / "data" / "dev", target_is_directory=True
    )
    assert ds.available_datasets(tmp_path)["polnear"] is True


def test_resolve_data_root_precedence(tmp_path, monkeypatch, caplog):

    import framing.datasets

    assert ds.resolve_data_root is framing.datasets.resolve_data_root, "the benchmarks use the library's one resolver"
    assert ds.ENV_VAR == "FRAMING_DATA"
    explicit = tmp_path / "explicit"
    from_env = tmp_path / "from-env"
    monkeypatch.delenv("FRAMING_BENCH_DATA", raising=False)
    monkeypatch.setenv("FRAMING_DATA", str(from_env))
    assert ds.resolve_data_root(explicit) == explicit
    assert ds.resolve_data_root(str(explicit)) == explicit
    assert ds.resolve_data_root() == from_env
    monkeypatch.delenv("FRAMING_DATA")
    assert ds.resolve_data_root() == Path("..") / "shared" / "data"
    monkeypatch.setenv("FRAMING_DATA", "")
    assert ds.resolve_data_root() == Path("..") / "shared" / "data"


def test_the_retired_variable_is_not_read_and_says_so(tmp_path, monkeypatch, caplog):
    import logging

    monkeypatch.delenv("FRAMING_DATA", raising=False)
    monkeypatch.setenv("FRAMING_BENCH_DATA", str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="framing.datasets._base"):
        assert ds.resolve_data_root() == Path("..") / "shared" / "data"
    assert any("FRAMING_BENCH_DATA is no longer read" in r.getMessage() and "FRAMING_DATA" in r.getMessage()
               for r in caplog.records)


def test_no_other_place_decides_the_data_folder():
    # One resolver and one variable: every other mention of the data folder's variables or default is a second one.
    found = []
    for folder in ("framing", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if path.name == "_base.py" and path.parent.name == "datasets":
                continue
            for needle in ('"FRAMING_BENCH_DATA"', '"FRAMING_DATA"', 'os.environ.get("FRAMING', '/ "shared" / "data"'):
                if needle in text:
                    found.append(f"{path.relative_to(REPO)}: {needle}")
    assert not found, found


# ---------------------------------------------------------------------------
# the real data, when present (never copied: only counted)
# ---------------------------------------------------------------------------


def _real_root(name: str) -> Path:
    root = ds.resolve_data_root()
    if not ds.available_datasets(root)[name]:
        pytest.skip(f"{name}: benchmark data not found under {root}")
    return root


def test_real_babe_sanity():
    rows = ds.load_babe(_real_root("babe"))
    assert len(rows) > 3000
    labels = {r.label for r in rows}
    assert labels == {True, False}
    assert all(isinstance(r.extra["biased_words"], list) for r in rows)


def test_real_weasel_sanity():
    rows = ds.load_weasel(_real_root("weasel"))
    assert len(rows) > 7000
    assert {r.label for r in rows} == {True, False}
    assert not any("-LRB-" in r.text or "``" in r.text for r in rows)


@pytest.mark.slow
def test_real_polnear_sanity():
    rows = ds.load_polnear(_real_root("polnear"), "train")
    assert {r.label for r in rows} == {"named", "anonymous", "none"}
    assert len({r.group for r in rows}) > 100
