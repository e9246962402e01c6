"""Sources as kb read them, the files it skipped and the units of their text.

Offsets are character offsets into ``Source.text`` (a Python ``str``), and
``text[start:end]`` is always the exact quote.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "SOURCE_KINDS",
    "UNIT_KINDS",
    "Sentence",
    "Skipped",
    "Source",
    "normalize_doi",
    "sha256_text",
    "web_url",
]

SOURCE_KINDS = ("government", "journal", "review", "news", "clinic/commercial", "blog", "unknown")
# heading: a short line recorded as the section of what follows it.
# sentence: a sentence of running text. item: a sentence inside a bullet or numbered line.
UNIT_KINDS = ("heading", "sentence", "item")


def web_url(url: str) -> str:
    """``url`` if it is a web address kb may show as a link (http or https; "//host/..."
    taken as https), else "": a page's metadata can hold ``javascript:`` or ``data:``
    URLs, which a link would run.

    >>> web_url("https://example.org/a"), web_url("//example.org/a"), web_url("javascript:x")
    ('https://example.org/a', 'https://example.org/a', '')
    """
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https") and len(url) > len(scheme) + 3 else ""


_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi:",
)


def normalize_doi(doi: str) -> str:
    """A DOI as kb stores and compares it: without a resolver prefix or "doi:", in lower
    case (DOIs are case-insensitive); "" for anything that is not a DOI.

    >>> normalize_doi("https://doi.org/10.1001/JAMA.2018.1234"), normalize_doi("doi: 10.1/x")
    ('10.1001/jama.2018.1234', '10.1/x')
    >>> normalize_doi("not a doi")
    ''
    """
    doi = doi.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    doi = doi.lower()
    return doi if doi.startswith("10.") and "/" in doi and " " not in doi else ""


def sha256_text(text: str) -> str:
    """Hex sha256 of the UTF-8 encoding of ``text``.

    >>> sha256_text("")[:8]
    'e3b0c442'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Source:
    """One document as kb read it. ``text`` is what every offset indexes."""

    id: str
    text: str
    path: str = ""
    format: str = "txt"
    encoding: str = "utf-8"
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    date: str = ""
    doi: str = ""  # "10.1000/xyz", from a reference manager's export or front matter
    fetched: str = ""  # when kb fetched a web page (ISO 8601, UTC); "" for a file
    kind: str = "unknown"
    file_sha256: str = ""  # of the file's bytes: what incremental builds compare
    sha256: str = ""  # of the decoded text
    words: int = 0
    warnings: list[str] = field(default_factory=list)
    # How kb read the source: why its kind, who wrote it, the works it cites (kb.stages.profile).
    profile: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_text:
            data.pop("text")
        return data


@dataclass(slots=True, frozen=True, order=True)
class Skipped:
    """A file that was not read, and why. Never dropped silently. Ordered by path, so
    that the lists of two builds compare whatever order they were found in."""

    path: str
    reason: str


@dataclass(slots=True, frozen=True)
class Sentence:
    """A unit of text with its exact span: a heading, a sentence, a list-item sentence, or
    a line of page furniture that states nothing (a reference, caption, category or
    keyword line: ``kind`` "furniture").

    ``section`` is the nearest heading above it; ``label`` is the label of the list
    item it belongs to ("Pain Gate Theory" in "1. Pain Gate Theory: ...").
    """

    start: int
    end: int
    text: str
    kind: str = "sentence"
    section: str = ""
    label: str = ""
    index: int = 0
