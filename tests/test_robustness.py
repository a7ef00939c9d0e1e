"""Hostile input and batch scoring: the library never crashes on text, and offsets always hold.

Policy (documented in :meth:`framing.Model.score`): the library scores *text*.
It does not strip HTML (tags are scored as text and offsets index the
markup), does not normalise Unicode, and takes ``str`` only; bytes must be
decoded by the caller (``errors="replace"`` recommended; ``surrogateescape``
text scores too, but its reports can then only be written as ASCII JSON).

The bundled model is a placeholder: only behaviour is asserted, never a
prediction.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import textwrap
import time

import numpy as np
import pytest

import framing
from framing.text import MAX_UNIT_CHARS, segment


@pytest.fixture(scope="module")
def model():
    return framing.load()


def check_units(text, units, max_chars=MAX_UNIT_CHARS):
    previous_end = 0
    for unit in units:
        assert text[unit.start:unit.end] == unit.text
        assert previous_end <= unit.start < unit.end <= len(text)
        assert unit.text == unit.text.strip() and unit.text
        assert unit.kind in ("sentence", "line")
        assert len(unit.text) <= max_chars
        previous_end = unit.end


def check_report(text, report, model):
    check_units(text, report.sentences)
    assert [s.index for s in report.sentences] == list(range(report.n_units))
    for task in report.tasks:
        shares = report.shares[task]
        assert all(0.0 <= v <= 1.0 for v in shares.values())
        if report.n_sentences:
            assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9)
    assert all(0.0 <= rate <= 1.0 for rate in report.rates.values())
    if report.slant_index is not None:
        assert -1.0 <= report.slant_index <= 1.0
    if report.n_sentences == 0:
        assert report.slant_index is None
    elif report.slant_index is None and report.polar is not None:
        # No index for a scored article only when no actor of the axis is mentioned, and the report says so.
        assert report.slant_note
    for sentence in report.sentences:
        assert 0.0 <= sentence.boilerplate <= 1.0
        for probabilities in sentence.probabilities.values():
            assert math.isclose(sum(probabilities.values()), 1.0, abs_tol=1e-9)
            assert all(0.0 <= p <= 1.0 for p in probabilities.values())
        for cue in sentence.cues:
            assert 0 <= cue["start"] < cue["end"] <= len(sentence.text)
    json.dumps(report.to_dict(), allow_nan=False)  # always JSON-serialisable, no NaN
    report.summary()


def score_checked(model, text):
    report = model.score(text)
    check_report(text, report, model)
    return report


# ---------------------------------------------------------------------- empty and blank


@pytest.mark.parametrize("text", ["", " ", "\n", "\r\n\r\n", "\t \u00a0\u2003\u3000", "\u2028\u2029\x0b\x0c\x85", "\n" * 100_000])
def test_empty_and_blank_articles(model, text):
    assert segment(text) == []
    report = score_checked(model, text)
    assert report.n_units == report.n_sentences == 0
    assert report.slant_index is None
    assert all(rate == 0.0 for rate in report.rates.values())
    assert all(report.dominant(task) is None for task in report.tasks)
    assert report.to_dict()["sentences"] == []


def test_blank_sentences_in_predict_proba(model):
    for task in model.tasks:
        p = model.predict_proba(["", " ", "\n\t"], task)
        assert p.shape == (3, len(model.classes(task)))
        np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert model.predict_proba([], "loaded").shape == (0, 2)
    assert all(v.shape[0] == 0 for v in model.predict_all([]).values())


# ---------------------------------------------------------------------- very long input


def test_ten_megabyte_line_without_punctuation(model):
    text = "word " * 2_000_000  # 10 MB, one line, no punctuation
    assert len(text) == 10_000_000
    units = segment(text)
    check_units(text, units)
    assert all(unit.kind == "line" for unit in units)
    assert "".join(u.text.replace(" ", "") for u in units) == text.replace(" ", "")  # nothing dropped
    report = model.score(text, evidence=1)
    assert report.n_units == len(units) == 5000
    assert all(0.0 <= rate <= 1.0 for rate in report.rates.values())
    assert report.sentences[-1].end == len(text.rstrip())


def test_hundred_thousand_character_sentence(model):
    words = ("alpha beta gamma delta " * 5000)[:99_998]
    text = words.rstrip() + "x" * (99_999 - len(words.rstrip())) + "."
    assert len(text) == 100_000
    report = score_checked(model, text)
    assert report.n_units == len(segment(text)) >= 50
    assert all(s.kind == "sentence" for s in report.sentences)
    # a single 100,000-character token without white space is cut into pieces too
    token = "x" * 99_999 + "."
    report = score_checked(model, token)
    assert report.n_units == 50 and "".join(s.text for s in report.sentences) == token


def test_pathological_punctuation_and_quotes(model):
    for text in [
        "." * 50_000,
        ". " * 2_500,  # thousands of one-character units
        "?!" * 20_000 + "\n" + "…" * 10_000,
        '"' * 30_000,
        'a"' * 15_000 + ".",
        "“" * 10_000 + "”" * 10_000,
        "U.S. " * 10_000,
        "Mr. " * 10_000 + "Smith said.",
        "(" * 20_000 + ")" * 20_000 + ".",
        "-" * 40_000,
        "1,000.5%" * 5000 + ".",
    ]:
        score_checked(model, text)


# ---------------------------------------------------------------------- bytes, encodings, surrogates


BINARY = bytes(range(256)) * 40 + b"\x00\x00\xff\xfe\xc3\x28\xe2\x82\xf0\x9f\x98" + os.urandom(0) + b"\n\r\x1a"


def test_binary_bytes_decoded_with_replace(model):
    text = BINARY.decode("utf-8", errors="replace")
    assert "\ufffd" in text
    report = score_checked(model, text)
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8 JSON


def test_binary_bytes_decoded_with_surrogateescape(model):
    text = BINARY.decode("utf-8", errors="surrogateescape")
    report = score_checked(model, text)
    # Lone surrogates pass through into the report: ASCII JSON works, UTF-8 needs the caller's error handler.
    encoded = json.dumps(report.to_dict())
    assert json.loads(encoded) == json.loads(json.dumps(report.to_dict()))
    with pytest.raises(UnicodeEncodeError):
        json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("value", [None, b"bytes are not decoded", 42, ["a list"], bytearray(b"x")])
def test_non_str_input_is_a_type_error(model, value):
    with pytest.raises(TypeError):
        model.score(value)
    with pytest.raises(TypeError):
        list(model.score_many(["ok", value]))
    with pytest.raises(TypeError):
        segment(value)
    with pytest.raises(TypeError):
        model.predict_proba([value], "loaded")


def test_single_string_where_a_list_is_expected(model):
    with pytest.raises(TypeError, match="single str"):
        model.predict_proba("one sentence", "loaded")
    with pytest.raises(TypeError, match="single str"):
        model.predict_all("one sentence")


def _corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_text(json.dumps({"tasks": {"loaded": {"type": "binary", "classes": [False, True]}}}))
    return root


def test_invalid_utf8_article_file_is_reported_not_raised(tmp_path):
    root = _corpus(tmp_path)
    (root / "articles").mkdir()
    (root / "articles" / "a1.txt").write_bytes(b"Caf\xe9 society \xff\xfe said.\n")
    (root / "articles.jsonl").write_text(json.dumps({"id": "a1", "path": "articles/a1.txt"}) + "\n")
    (root / "sentences.jsonl").write_text("")
    issues = framing.validate_corpus(root)
    assert len(issues) == 1 and "not UTF-8" in issues[0].message


def test_invalid_utf8_sentences_file_is_reported_not_raised(tmp_path):
    # Currently raises UnicodeDecodeError out of validate_corpus (corpus._iter_jsonl): see the report.
    root = _corpus(tmp_path)
    good = json.dumps({"id": "s1", "article": None, "text": "Fine.", "labels": {"loaded": False}})
    bad = b'{"id": "s2", "article": null, "text": "caf\xe9", "labels": {"loaded": true}}'
    (root / "sentences.jsonl").write_bytes(good.encode() + b"\n" + bad + b"\n")
    issues = framing.validate_corpus(root)
    assert len(issues) == 1
    assert issues[0].line == 2 and "UTF-8" in issues[0].message
    with pytest.raises(framing.CorpusError):
        framing.read_corpus(root)


def test_invalid_utf8_schema_is_reported_not_raised(tmp_path):
    # Currently raises UnicodeDecodeError out of validate_corpus (corpus.load_schema): see the report.
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "schema.json").write_bytes(b'{"tasks": {"loaded": {"type": "binary", "classes": [false, true]}}, "name": "\xff"}')
    (root / "sentences.jsonl").write_text("")
    issues = framing.validate_corpus(root)
    assert len(issues) == 1 and "UTF-8" in issues[0].message


def test_invalid_utf8_model_json_is_a_model_format_error(tmp_path, model):
    folder = model.save(tmp_path / "m")
    with open(folder / "model.json", "ab") as handle:
        handle.write(b"\xff\xfe")
    with pytest.raises(framing.ModelFormatError, match="not UTF-8"):
        framing.load(folder)


# ---------------------------------------------------------------------- markup and scripts


def test_html_is_scored_as_text_not_stripped(model):
    html = (
        "<html><head><title>Talks</title><script>var x = '<p>';</script></head>\n"
        "<body><h1 class=\"t\">Talks stall</h1>\n"
        "<p>The <b>corrupt</b> regime &amp; its <a href=\"https://x.org/?a=1&b=2\">allies</a> reportedly refused. "
        "Analysts say talks may fail.</p>\n<!-- comment --><br/><div>Rubio met Umerov.</div></body></html>"
    )
    report = score_checked(model, html)
    units = [s.text for s in report.sentences]
    assert any("<b>corrupt</b>" in u for u in units)  # markup kept in the scored text
    for sentence in report.sentences:
        assert html[sentence.start:sentence.end] == sentence.text
        for cue in sentence.cues:
            assert "<" not in sentence.text[cue["start"]:cue["end"]]  # cues are words, never tags
    stripped = score_checked(model, "Talks stall\nThe corrupt regime & its allies reportedly refused.")
    assert stripped.n_units == 2


def test_unbalanced_and_hostile_markup(model):
    for text in ["<" * 10_000, "<p" * 5_000 + ">", "<![CDATA[" + "x" * 5000, "&#x0;&#0;&lt;&gt;" * 1000 + ".",
                 "<script>alert('x')</script>" * 200]:
        score_checked(model, text)


SCRIPTS = {
    "arabic": "قال المسؤولون إن المحادثات قد تفشل. وأضافوا أن الوفود ستلتقي مجددا.",
    "hebrew": "הפקידים אמרו שהשיחות עלולות להיכשל. המשלחות ייפגשו שוב.",
    "mixed_bidi": "\u202eThe regime\u202c said \u200fמשהו\u200e and left. \u2067Kyiv\u2069 replied.",
    "cyrillic": "Киевский режим отказался. Переговоры продолжатся.",
    "cjk": "谈判在佛罗里达举行。双方表示会再次会面。",
    "devanagari": "वार्ता विफल हो सकती है। अधिकारियों ने कहा।",
    "emoji": "Talks 🤝 stall 😡🔥. Kyiv 🇺🇦 and 👩‍👩‍👧‍👦 families wait 🏳️‍🌈. ✔️",
    "zero_width": "\ufeffThe\u200b corrupt\u200c regime\u200d re\u00adfused\u2060. Talks\u180e began\ufeff.",
    "controls": "The regime\x00 said\x07 talks\x1b[31m may\x7f fail\x08.\x01\x02\x03 Officials\x1f left.",
    "combining": "Z\u0335\u0327a\u0336\u0301l\u0338\u0308g\u0334o\u0337\u030a." * 200,
    "private_use_and_noncharacters": "\ue000\uf8ff\U000f0000 \ufffe\uffff said. \U0010ffff.",
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_scripts_and_special_characters(model, name):
    text = SCRIPTS[name]
    report = score_checked(model, text)
    assert report.n_units >= 1
    for task in model.tasks:
        p = model.predict_proba([u.text for u in segment(text)], task)
        assert np.all((p >= 0) & (p <= 1)) and np.allclose(p.sum(axis=1), 1.0)


def test_mixed_newlines_split_lines_and_keep_offsets(model):
    text = "Line one\r\nLine two\rLine three\u2028Line four\u2029Line five\nLine six\r\n\r\n\rLine seven"
    units = segment(text)
    check_units(text, units)
    assert [u.text for u in units] == ["Line one", "Line two", "Line three", "Line four", "Line five", "Line six", "Line seven"]
    assert all(u.kind == "line" for u in units)
    score_checked(model, text)
    # Other Unicode line breaks (VT, FF, NEL, FS/GS/RS) are white space inside a line: no crash, offsets hold.
    other = "First part\x0bsecond\x0cthird\x85fourth\x1cfifth\x1dsixth\x1eseventh."
    check_units(other, segment(other))
    score_checked(model, other)


def test_crlf_sentences_have_the_same_units_as_lf():
    lf = "Talks stall\nThe regime said no. Analysts doubt it.\n\nRubio left."
    crlf = lf.replace("\n", "\r\n")
    assert [u.text for u in segment(lf)] == [u.text for u in segment(crlf)]
    assert [u.kind for u in segment(lf)] == [u.kind for u in segment(crlf)]


# ---------------------------------------------------------------------- NLTK data is never needed


def test_segmenting_and_scoring_work_without_any_nltk_data(run_without_nltk_data):
    script = textwrap.dedent(
        """
        import nltk.data

        def refuse(*args, **kwargs):
            raise AssertionError(f"NLTK data was requested: {args!r}")

        nltk.data.path[:] = []
        nltk.data.find = refuse
        nltk.data.load = refuse

        import framing
        units = framing.segment("Talks stall\\nMr. Rubio met U.S. envoys. They left. Dr. No said: fine!")
        print([u.text for u in units])
        report = framing.load().score("Mr. Rubio met U.S. envoys. They left.")
        print(report.n_units)
        """
    )
    result, _ = run_without_nltk_data(script)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == str(["Talks stall", "Mr. Rubio met U.S. envoys.", "They left.", "Dr. No said: fine!"])
    assert lines[1] == "2"


# ---------------------------------------------------------------------- batch scoring


BATCH = [
    "",
    "Talks stall\nThe corrupt regime reportedly rejected the plan, analysts say.",
    "<p>HTML is <i>text</i>.</p>",
    "Короткий текст. Ещё одно предложение.",
    "word " * 500,
    "Rubio met Umerov. \"It was productive,\" he said.\r\nSources suggest a deal may follow.",
] + [f"Article {i}. Officials said round {i} of talks may resume in {i % 7 + 1} days." for i in range(20)]


def test_score_many_preserves_order_and_equals_score_with_two_jobs(model):
    expected = [model.score(text).to_dict() for text in BATCH]
    for n_jobs, chunk_size in [(1, 64), (2, 3), (2, 64)]:
        got = [report.to_dict() for report in model.score_many(iter(BATCH), n_jobs=n_jobs, chunk_size=chunk_size)]
        assert got == expected, (n_jobs, chunk_size)
    got = [report.to_dict() for report in model.score_many(BATCH[:5], n_jobs=2, chunk_size=1)]
    assert got == expected[:5]
    assert list(model.score_many([], n_jobs=2)) == []
    assert [r.to_dict() for r in model.score_many(BATCH[:3], n_jobs=2,
                                                  evidence=1)] == [model.score(t, evidence=1).to_dict() for t in BATCH[:3]]


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_score_many_streams_with_bounded_read_ahead(model, chunk_size):
    """Memory stays flat: however slow the consumer, the input is read at most 2 * n_jobs + 1 chunks ahead."""
    n_jobs = 2
    limit = (2 * n_jobs + 1) * chunk_size
    pulled = {"n": 0}

    def endless():
        for i in itertools.count():
            pulled["n"] += 1
            yield f"Talks {i}."

    consumed, worst = 0, 0
    stream = model.score_many(endless(), n_jobs=n_jobs, chunk_size=chunk_size)
    try:
        for _report in stream:
            consumed += 1
            worst = max(worst, pulled["n"] - consumed)
            time.sleep(0.005)  # a consumer slower than the workers (pacing only; nothing is timed)
            if consumed == 150:
                break
    finally:
        stream.close()
    assert worst <= limit, f"read {worst} articles ahead of the consumer (limit {limit})"
    single = model.score_many(endless(), n_jobs=1)
    pulled["n"] = 0
    for _ in range(5):
        next(single)
    assert pulled["n"] == 5
    single.close()


def test_score_many_rejects_bad_arguments(model):
    with pytest.raises(ValueError, match="chunk_size"):
        list(model.score_many(["a"], n_jobs=2, chunk_size=0))
    with pytest.raises(TypeError):
        list(model.score_many(["a", None], n_jobs=2, chunk_size=1))


@pytest.mark.parametrize("text", ["", "   ", "<b>regime</b>", "\x00\x1b\ufeff", SCRIPTS["emoji"], SCRIPTS["arabic"], "x" * 5000])
def test_explain_and_cues_on_hostile_sentences(model, text):
    for task in model.tasks:
        why = model.explain(text, task)
        assert why["class"] in model.classes(task)
        assert math.isclose(sum(why["probabilities"].values()), 1.0, abs_tol=1e-9)
    for cue in model.cues(text):
        assert 0 <= cue["start"] < cue["end"] <= len(text)


def test_no_evidence_requested(model):
    report = model.score("Talks stall\nThe corrupt regime reportedly rejected the plan, analysts say.", evidence=0)
    assert all(items == [] for s in report.sentences for items in s.evidence.values())
    assert all(items == [] for by_class in report.top_sentences.values() for items in by_class.values())
