"""Plain text (.txt, .md): byte decoding, newline normalisation and a title.

The decoding helpers here are shared by the HTML reader: both need the same
BOM handling, binary detection and cp1252/latin-1 fallback.

The text of a .txt/.md file is the decoded file with only its newlines
normalised, so that character offsets index exactly what the author wrote.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from kb.errors import IngestError
from kb.ingest.frontmatter import front_matter_end, read_front_matter

__all__ = [
    "BINARY_REASON",
    "EMPTY_REASON",
    "Decoded",
    "Parsed",
    "decode_bytes",
    "first_line_title",
    "looks_binary",
    "markdown_title",
    "normalize_newlines",
    "parse_header",
    "read_markdown",
    "read_text",
    "shorten_title",
]

BINARY_REASON = "binary content, not text; convert it to .txt/.md/.html/.pdf"
EMPTY_REASON = "empty file; nothing to read"

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Binary sniffing looks at the start only: enough to tell, cheap on big files.
_SNIFF_BYTES = 8192
_CONTROL_RATIO = 0.10
# Every byte that is NOT a control character; deleting these leaves the controls.
# Tab, newline, form feed and carriage return are ordinary in text.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 or b == 127) or b in b"\t\n\f\r")
# Titles are metadata shown in lists; a file with no newline would otherwise
# make its whole text the title.
_MAX_TITLE = 200


@dataclass(slots=True)
class Decoded:
    """Text decoded from bytes, with the codec used and any fallback warnings."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Parsed:
    """What a format reader extracted from one file, before sidecar metadata."""

    text: str
    encoding: str = "utf-8"
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    date: str = ""
    doi: str = ""
    warnings: list[str] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """True when ``data`` starts like a binary file rather than text.

    NUL bytes never occur in 8-bit text; a high share of other control bytes
    means an executable, image or archive.

    >>> looks_binary(b"plain words\\n")
    False
    >>> looks_binary(b"PK\\x03\\x04\\x00\\x00")
    True
    """
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > _CONTROL_RATIO * len(sample)


def normalize_newlines(text: str) -> str:
    r"""Turn ``\r\n`` and lone ``\r`` into ``\n`` (Python's universal newlines).

    >>> normalize_newlines("a\r\nb\rc\n")
    'a\nb\nc\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _canonical_codec(name: str) -> str | None:
    """Python's name for a declared charset, or None when Python has no such text codec.

    Declared latin-1 and ASCII are read as cp1252, as browsers do: pages that
    say iso-8859-1 are in practice Windows-1252 (curly quotes in 0x80-0x9F).

    >>> _canonical_codec("ISO-8859-1"), _canonical_codec("UTF8"), _canonical_codec("nope")
    ('cp1252', 'utf-8', None)
    """
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # rot13, base64...: codecs, but not charsets
    if info.name in ("iso8859-1", "ascii", "latin-1"):
        return "cp1252"
    if info.name.startswith(("utf-16", "utf-32")):
        # A page cannot declare UTF-16 in a meta tag it could not be read with;
        # without a BOM, browsers take such a declaration to mean UTF-8.
        return "utf-8"
    return info.name


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> Decoded:
    """Decode file bytes: BOM first, then ``declared`` (if any), UTF-8, cp1252, latin-1.

    Raises IngestError for binary content. ``declared`` is a charset named by
    the document itself (an HTML <meta charset>); a wrong one is reported, not trusted.

    >>> decode_bytes(b"caf\\xe9", "x.txt").encoding
    'cp1252'
    >>> decode_bytes("café".encode(), "x.txt").text
    'café'
    """
    if data.startswith(_UTF16_BOMS):
        # UTF-16 text is full of NUL bytes, so it skips binary detection.
        text = data.decode("utf-16", errors="replace")
        warnings = []
        if "\ufffd" in text:
            warnings.append("some bytes were not valid UTF-16 and were replaced with U+FFFD")
        return Decoded(text, "utf-16", warnings)
    if looks_binary(data):
        raise IngestError(path, BINARY_REASON)
    if data.startswith(_UTF8_BOM):
        try:
            return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
        except UnicodeDecodeError:
            data = data[len(_UTF8_BOM) :]  # a lying BOM: decode the rest by guessing
    warnings: list[str] = []
    codec = _canonical_codec(declared) if declared else None
    if declared and codec is None:
        warnings.append(f"unknown charset {declared!r} declared; guessed the encoding instead")
    if codec and codec != "utf-8":
        try:
            return Decoded(data.decode(codec), codec, warnings)
        except UnicodeDecodeError:
            warnings.append(f"declared charset {declared!r} does not match the bytes")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", warnings)
    except UnicodeDecodeError:
        pass
    if codec == "utf-8":
        warnings.append(f"declared charset {declared!r} does not match the bytes")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; latin-1 maps every byte.
        warnings.append("decoded as latin-1 (not valid UTF-8 or cp1252)")
        return Decoded(data.decode("latin-1"), "latin-1", warnings)
    warnings.append("decoded as cp1252 (not valid UTF-8)")
    return Decoded(text, "cp1252", warnings)


def shorten_title(title: str) -> str:
    """Collapse whitespace and cap a title's length (a title is a label, not content).

    >>> shorten_title("  A   title\\n")
    'A title'
    """
    title = " ".join(title.split())
    if len(title) > _MAX_TITLE:
        title = title[: _MAX_TITLE - 1].rstrip() + "…"
    return title


# A header block: "Key: value" lines at the very top, then a blank line, as in saved web
# pages and mail ("Title: ...", "URL: ...", "Author: ..."). At least two lines, one of
# which names a known key, so that a first sentence with a colon is not taken for one.
_HEADER_LINE = re.compile(r"([A-Za-z][\w-]{0,24}):[ \t]+(\S.*)")
_HEADER_KEYS = {"title": "title", "url": "url", "author": "author", "date": "date", "site": "site"}


def parse_header(text: str) -> tuple[int, dict[str, str]]:
    r"""Offset where the body starts after a header block (0 without one), and the known
    metadata it holds.

    >>> parse_header("Title: Turmeric\nURL: https://x.org/t\n\nTurmeric is a plant.")
    (37, {'title': 'Turmeric', 'url': 'https://x.org/t'})
    >>> parse_header("Note: this is prose.\nMore prose.")
    (0, {})
    """
    lines = []
    pos = 0
    while True:
        end = text.find("\n", pos)
        if end < 0:
            return 0, {}
        line = text[pos:end]
        if not line.strip():
            break
        match = _HEADER_LINE.fullmatch(line.strip())
        if not match:
            return 0, {}
        lines.append((match.group(1).lower(), match.group(2).strip()))
        pos = end + 1
    known = {_HEADER_KEYS[k]: v for k, v in lines if k in _HEADER_KEYS}
    if len(lines) < 2 or not known:
        return 0, {}
    return pos, known


def first_line_title(text: str) -> str:
    """The first non-empty line, stripped.

    >>> first_line_title("\\n  Heading here \\nbody")
    'Heading here'
    """
    for line in text.split("\n"):
        if line.strip():
            return shorten_title(line)
    return ""


_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")


def markdown_title(text: str) -> str:
    """The first non-empty line after any front matter, without its '#' heading marks
    (the front matter's own ``title:`` is read with the rest of it: read_markdown).

    >>> markdown_title("\\n## Pain relief ##\\ntext")
    'Pain relief'
    >>> markdown_title("---\\ntitle: 'Front'\\n---\\n# Other")
    'Other'
    """
    for line in text[front_matter_end(text) :].split("\n"):
        title = _CLOSING_HASHES.sub("", line.strip().lstrip("#")).strip()
        if title:
            return shorten_title(title)
    return ""


def _decode_plain(data: bytes, path: str) -> Decoded:
    """Decode a plain text file; reject empty and whitespace-only ones."""
    if not data:
        raise IngestError(path, EMPTY_REASON)
    decoded = decode_bytes(data, path)
    decoded.text = normalize_newlines(decoded.text)
    if not decoded.text.strip():
        raise IngestError(path, EMPTY_REASON)
    return decoded


def read_text(data: bytes, path: str) -> Parsed:
    """Read a .txt file's bytes; the title is its first non-empty line.

    >>> read_text(b"Title\\r\\nBody", "a.txt").text
    'Title\\nBody'
    """
    decoded = _decode_plain(data, path)
    _, header = parse_header(decoded.text)
    return Parsed(
        decoded.text,
        decoded.encoding,
        shorten_title(header.get("title", "")) or first_line_title(decoded.text),
        author=header.get("author", ""),
        site=header.get("site", ""),
        url=header.get("url", ""),
        date=header.get("date", ""),
        warnings=decoded.warnings,
    )


def read_markdown(data: bytes, path: str) -> Parsed:
    """Read a .md file's bytes; the markup is kept, the title loses its '#' marks.

    >>> read_markdown(b"# Title\\n\\nBody", "a.md").title
    'Title'
    """
    decoded = _decode_plain(data, path)
    meta, warnings = read_front_matter(decoded.text, path)
    return Parsed(
        decoded.text,
        decoded.encoding,
        shorten_title(meta.get("title", "")) or markdown_title(decoded.text),
        author=meta.get("author", ""),
        url=meta.get("url", ""),
        date=meta.get("date", ""),
        doi=meta.get("doi", ""),
        warnings=[*decoded.warnings, *warnings],
    )
