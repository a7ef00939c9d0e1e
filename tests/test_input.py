"""Reading article input: binary data refused whatever the encoding, HTML pages extracted or refused (issue #14)."""

from __future__ import annotations

import struct
import zlib

import pytest

from framing.data import _input
from framing.data._input import BinaryInputError, InputTextError, MarkupInputError, decode_text, looks_like_html, read_article

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Talks end | News</title>
<style>body { font-family: serif } .ad { color: red }</style>
<script>window.dataLayer = []; var headline = "The corrupt regime lied";</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article><h1>Talks in Florida end without a deal</h1>
<p>The delegations met in Florida on Sunday. Officials said the talks were constructive and would resume.</p>
<p>Café owners were furious. The plan was reportedly rejected by Kyiv, analysts say, after hours of debate.</p>
<p>Both sides agreed to meet again next week in Geneva to discuss the remaining points of the draft.</p>
</article><footer>Subscribe to our newsletter. © 2025 News Corp. All rights reserved.</footer></body></html>
"""


def png_bytes() -> bytes:
    raw = b"".join(b"\x00" + bytes([row % 256] * 16) for row in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "cp1252"])
def test_png_is_refused_whatever_the_encoding(encoding):
    with pytest.raises(BinaryInputError, match=r"x\.png: binary data \(a PNG image\)"):
        read_article(png_bytes(), encoding, "x.png")


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "zip archive"),
    (b"plain text\x00with a NUL", "NUL bytes"),
])
def test_binary_signatures_and_nul_bytes(data, reason):
    with pytest.raises(BinaryInputError, match=reason):
        decode_text(data, "latin-1", "f")


def test_control_characters_make_binary_under_latin1():
    data = bytes(range(1, 32)) * 40 + b"some words"  # no NUL, no signature: control characters give it away
    with pytest.raises(BinaryInputError, match="control characters"):
        decode_text(data, "latin-1", "f")


def test_utf16_text_with_nuls_is_text():
    assert decode_text("Talks resumed.".encode("utf-16"), "utf-16") == "Talks resumed."


def test_a_few_control_characters_are_text():
    assert read_article(b"Talks\x07 resumed\x0c in Florida.\r\n").text.startswith("Talks")


def test_undecodable_text_names_the_encoding_option():
    with pytest.raises(InputTextError, match=r"latin\.txt: cannot decode as utf-8 .*--encoding"):
        read_article("Café in Genève".encode("latin-1"), "utf-8", "latin.txt")
    assert read_article("Café in Genève".encode("latin-1"), "latin-1").text == "Café in Genève"


def test_empty_input_is_refused():
    with pytest.raises(InputTextError, match="empty"):
        read_article(b" \n\t", name="e.txt")


@pytest.mark.parametrize("text, expected", [
    (PAGE, True),
    ("<p>One.</p>\n<p>Two.</p>\n<div>Three <b>bold</b></div>", True),
    ("<html><body>x</body></html>", True),
    ("Prices rose 3% as a < b and b > c.", False),
    ("He wrote <b> as a tag name once.\nNothing else here.", False),
    ("The bill (S. 123) passed 51-49 <unanimous>.", False),
])
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


def test_html_page_is_extracted_without_scripts_styles_or_navigation():
    pytest.importorskip("trafilatura")
    article = read_article(PAGE.encode("utf-8"), name="page.html")
    assert article.kind == "html" and article.extractor.startswith("trafilatura")
    assert "Café owners were furious." in article.text
    assert "dataLayer" not in article.text and "font-family" not in article.text and "<p>" not in article.text
    assert "Log in" not in article.text
    # Paragraphs stay apart: each is its own block for the segmenter.
    assert "\n\nCafé owners" in article.text
    note = article.note("page.html")
    assert note.startswith("page.html: HTML page; scoring the article text extracted with trafilatura")


def test_html_mode_text_keeps_markup():
    article = read_article(PAGE.encode("utf-8"), html="text")
    assert article.kind == "text" and "<p>" in article.text and article.note("x") is None


def test_html_without_the_extractor_is_refused(monkeypatch):
    def missing():
        raise ImportError("No module named 'trafilatura'")

    monkeypatch.setattr(_input, "_trafilatura", missing)
    with pytest.raises(MarkupInputError, match=r'page\.html: looks like an HTML page.*pip install "framing\[html\]"'):
        read_article(PAGE.encode("utf-8"), name="page.html")


def test_page_without_article_text_is_refused():
    pytest.importorskip("trafilatura")
    with pytest.raises(MarkupInputError, match="no article text"):
        read_article(b"<html><head><script>var a = 1;</script></head><body><div></div></body></html>", name="empty.html")
