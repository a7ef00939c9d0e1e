"""Reading an article for scoring: decoding, refusing binary data, extracting saved web pages.

:func:`read_article` turns the bytes of a file (or stdin) into the text to
score. It refuses binary data whatever the encoding (NUL bytes, a known file
signature, or a high share of control characters once decoded: a PNG read
as latin-1 is still a PNG), and recognises HTML pages. A page's article text
is extracted with `trafilatura <https://trafilatura.readthedocs.io>`_ (the
optional ``html`` extra, ``pip install "framing[html]"``); without it, markup
is refused with a message saying so, rather than scored as text.

Nothing here prints: problems are :class:`InputTextError` (one line each),
and what was done is returned in :class:`ArticleText` for the caller to report.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputFileError

logger = logging.getLogger(__name__)

__all__ = [
    "ArticleText",
    "InputTextError",
    "BinaryInputError",
    "MarkupInputError",
    "read_article",
    "check_text",
    "decode_text",
    "binary_reason",
    "looks_like_html",
    "extract_html",
    "HTML_EXTRA",
]

#: How to get HTML extraction.
HTML_EXTRA = 'pip install "framing[html]"'

#: Share of control characters (other than tab, newline, carriage return, form feed) above which text is binary.
CONTROL_RATIO = 0.05
SAMPLE = 65536

# Signatures of common binary formats users pass by mistake (checked on the raw bytes).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (e.g. .docx, .xlsx, .odt)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
    (b"BZh", None),  # too short to be sure: left to the NUL / control-character checks
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_UTF16_32 = ("utf-16", "utf-32")

_DOCUMENT_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                             re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(?:html|head|body|p|div|span|script|style|article|section|header|footer|nav|main|br|a|meta|link|"
                  r"title|h[1-6]|li|ul|ol|table|tr|td|img|figure|figcaption|blockquote|em|strong|b|i)\b[^<>]{0,2000}>",
                  re.IGNORECASE)


class InputTextError(InputFileError, ValueError):
    """The input cannot be scored as an article (undecodable, binary, markup without the extractor, empty)."""


class BinaryInputError(InputTextError):
    """The input is binary data (an image, an archive, a document format), not text."""


class MarkupInputError(InputTextError):
    """The input is an HTML page and cannot be turned into article text here."""


@dataclass(frozen=True)
class ArticleText:
    """The text to score, and what was done to get it.

    ``kind`` is ``"text"`` or ``"html"``; for HTML, ``extractor`` names the
    library and version used and ``original_chars`` the size of the page.
    """

    text: str
    kind: str = "text"
    extractor: str | None = None
    original_chars: int | None = None

    def note(self, name: str) -> str | None:
        """A one-line note for the user when the text is not the input as given (None for plain text)."""
        if self.kind != "html":
            return None
        return (f"{name}: HTML page; scoring the article text extracted with {self.extractor} "
                f"({len(self.text):,} of {self.original_chars:,} characters)")


def _is_utf16_or_32(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.startswith(_UTF16_32)


def binary_reason(data: bytes, encoding: str = "utf-8") -> str | None:
    """Why ``data`` looks binary (``"a PNG image"``, ``"NUL bytes"``), or None for text.

    Only the raw bytes are checked here; :func:`decode_text` also checks the
    share of control characters after decoding.
    """
    head = data[:SAMPLE]
    for signature, what in _SIGNATURES:
        if what and head.startswith(signature):
            return what
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    if b"\x00" in head and not wide and not _is_utf16_or_32(encoding):
        return "NUL bytes"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:SAMPLE]
    if not sample:
        return 0.0
    controls = sum(1 for c in sample if c not in _ALLOWED_CONTROLS and (unicodedata.category(c) == "Cc" or c == "\ufffd"))
    return controls / len(sample)


def decode_text(data: bytes, encoding: str = "utf-8", name: str = "<input>") -> str:
    """Decode ``data`` (a leading BOM dropped), refusing binary data whatever the encoding.

    Raises
    ------
    BinaryInputError
        For a known binary signature, NUL bytes, or more than 5% control characters.
    InputTextError
        When the bytes do not decode (with a hint at ``--encoding``) or the encoding is unknown.

    Examples
    --------
    >>> decode_text("Café".encode("utf-8"))
    'Café'
    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n....", "latin-1", "x.png")
    Traceback (most recent call last):
    ...
    framing.data._input.BinaryInputError: x.png: binary data (a PNG image), not text: give a plain-text or HTML file
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputTextError(f"unknown encoding {encoding!r} (e.g. utf-8, latin-1, cp1252)") from None
    reason = binary_reason(data, encoding)
    if reason:
        raise BinaryInputError(f"{name}: binary data ({reason}), not text: give a plain-text or HTML file")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        hint = ""
        if codecs.lookup(encoding).name == "utf-8":
            hint = "; if it is text in another encoding, give it with --encoding (e.g. latin-1, cp1252)"
        raise InputTextError(f"{name}: cannot decode as {encoding} (byte {error.start}: {error.reason}){hint}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    ratio = _control_ratio(text)
    if ratio > CONTROL_RATIO:
        raise BinaryInputError(f"{name}: binary data ({ratio:.0%} control characters as {encoding}), not text: "
                               "give a plain-text or HTML file")
    return text


def looks_like_html(text: str) -> bool:
    """True for an HTML document or a fragment with markup (several tags), False for plain text.

    Examples
    --------
    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Prices rose 3% as a < b and b > c.")
    False
    """
    head = text[:SAMPLE]
    if _DOCUMENT_START.match(head):
        return True
    tags = _TAG.findall(head)
    return len(tags) >= 4 and any(tag.startswith("</") for tag in tags)


def _trafilatura():
    import trafilatura  # the optional html extra, imported only for HTML input

    return trafilatura


def extract_html(html: str, name: str = "<input>") -> ArticleText:
    """The article text of an HTML page, extracted with trafilatura (paragraphs separated by blank lines).

    Raises
    ------
    MarkupInputError
        When trafilatura is not installed (saying how to install it) or finds no article text.
    """
    try:
        trafilatura = _trafilatura()
    except ImportError as error:
        raise MarkupInputError(f"{name}: looks like an HTML page; markup is not scored as text. Install the extractor "
                               f"with {HTML_EXTRA} (or save the page as plain text) ({error})") from None
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, include_images=False,
                                    include_formatting=False, deduplicate=False, with_metadata=False)
    if not extracted or not extracted.strip():
        raise MarkupInputError(f"{name}: HTML page with no article text that trafilatura could find; "
                               "save the article as plain text")
    # One paragraph per line from trafilatura: blank lines keep paragraphs (and headlines) apart as units.
    text = "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())
    version = getattr(trafilatura, "__version__", "")
    logger.debug("%s: extracted %d of %d characters with trafilatura %s", name, len(text), len(html), version)
    return ArticleText(text, "html", f"trafilatura {version}".strip(), len(html))


def read_article(data: bytes, encoding: str = "utf-8", name: str = "<input>", html: str = "auto") -> ArticleText:
    """The text to score from the raw bytes of an article file.

    Parameters
    ----------
    data : bytes
        The file's content.
    encoding : str, default="utf-8"
        How to decode it (binary data is refused whatever the encoding).
    name : str
        The file name, for messages.
    html : {"auto", "text"}, default="auto"
        ``"auto"`` extracts the article of an HTML page (or refuses it when
        trafilatura is missing); ``"text"`` scores markup as text.

    Raises
    ------
    InputTextError
        Binary, undecodable or empty input, or a page that cannot be extracted.

    Examples
    --------
    >>> read_article(b"Talks resumed.\\n").text
    'Talks resumed.\\n'
    """
    if html not in ("auto", "text"):
        raise ValueError(f"html must be 'auto' or 'text', got {html!r}")
    text = decode_text(data, encoding, name)
    if not text.strip():
        raise InputTextError(f"{name}: empty file (no text to score)")
    return _article(text, name, html)


def _article(text: str, name: str, html: str) -> ArticleText:
    if html == "auto" and looks_like_html(text):
        return extract_html(text, name)
    return ArticleText(text)


def _text_binary_reason(text: str) -> str | None:
    """Why an already decoded text looks binary (a file signature, NUL characters, control characters), or None."""
    head = text[:16]
    for signature, what in _SIGNATURES:
        if what and head.startswith(signature.decode("latin-1")):
            return what
    if "\x00" in text[:SAMPLE]:
        return "NUL characters"
    ratio = _control_ratio(text)
    if ratio > CONTROL_RATIO:
        return f"{ratio:.0%} control characters"
    return None


def check_text(text: str, name: str = "<input>", html: str = "auto") -> ArticleText:
    """The text to score from a text already decoded (a batch record's field): the checks of :func:`read_article`.

    Binary-looking text (a file signature, NUL characters, more than 5% control
    characters) and empty text are refused; an HTML page is extracted (or
    refused without the ``html`` extra), as for a file.

    Parameters
    ----------
    text : str
        The record's text.
    name : str
        What to call it in messages (e.g. ``"field 'text'"``).
    html : {"auto", "text"}, default="auto"
        As for :func:`read_article`.

    Raises
    ------
    InputTextError
        Empty or binary-looking text, or a page that cannot be extracted.

    Examples
    --------
    >>> check_text("Talks resumed.").text
    'Talks resumed.'
    >>> check_text("\\x00\\x01PK", "field 'text'")
    Traceback (most recent call last):
    ...
    framing.data._input.BinaryInputError: field 'text': binary data (NUL characters), not article text
    """
    if html not in ("auto", "text"):
        raise ValueError(f"html must be 'auto' or 'text', got {html!r}")
    if not text.strip():
        raise InputTextError(f"{name}: empty (no text to score)")
    reason = _text_binary_reason(text)
    if reason:
        raise BinaryInputError(f"{name}: binary data ({reason}), not article text")
    return _article(text, name, html)
