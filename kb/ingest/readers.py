"""The input formats kb reads: one registry, from a file's suffix to its reader.

Adding a format is one entry here (with its reader module in kb/ingest/) and a row of the
README's "Input formats" table, which a docs test holds in step with this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb.ingest.frontmatter import front_matter_end
from kb.ingest.html import read_html
from kb.ingest.pdf import read_pdf
from kb.ingest.text import Parsed, parse_header, read_markdown, read_text

__all__ = ["READERS", "SUPPORTED_SUFFIXES", "Reader", "reader_for", "reader_of_format"]


def _no_header(text: str) -> int:
    return 0


def _after_header(text: str) -> int:
    """Where the body begins after a "Title: / URL:" header block, which is metadata
    (read by the reader), not claims."""
    return parse_header(text)[0]


def _after_front_matter(text: str) -> int:
    """Where a Markdown note's body begins: after its YAML front matter (metadata), else
    after a header block."""
    return front_matter_end(text) or parse_header(text)[0]


@dataclass(frozen=True, slots=True)
class Reader:
    """One input format: the suffixes that name it, the function that reads a file's bytes
    into text and metadata, and where a source's body starts in that text (a plain-text
    header block is metadata, so segmentation starts after it)."""

    format: str  # stored on each Source; "txt", "html", ...
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], Parsed]  # (bytes, path for messages) -> Parsed
    body_start: Callable[[str], int] = _no_header


READERS = (
    Reader("txt", (".txt",), read_text, _after_header),
    Reader("md", (".md",), read_markdown, _after_front_matter),
    Reader("html", (".html", ".htm"), read_html),
    Reader("pdf", (".pdf",), read_pdf),
)
SUPPORTED_SUFFIXES = tuple(suffix for reader in READERS for suffix in reader.suffixes)
_BY_SUFFIX = {suffix: reader for reader in READERS for suffix in reader.suffixes}
_BY_FORMAT = {reader.format: reader for reader in READERS}


def reader_for(suffix: str) -> Reader | None:
    """The reader of files with this suffix (any case), or None.

    >>> reader_for(".HTM").format, reader_for(".png")
    ('html', None)
    """
    return _BY_SUFFIX.get(suffix.lower())


def reader_of_format(fmt: str) -> Reader:
    """The reader that made sources of format ``fmt`` (as stored on a Source)."""
    return _BY_FORMAT[fmt]
