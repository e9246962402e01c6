"""The kb data model: plain dataclasses, no I/O.

Every other layer imports from here; this module imports nothing from kb.
Offsets are character offsets into ``Source.text`` (a Python ``str``), and
``text[start:end]`` is always the exact quote.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "CERTAINTIES",
    "CLAIM_TYPES",
    "CONFLICT_KINDS",
    "POLARITIES",
    "SOURCE_KINDS",
    "UNIT_KINDS",
    "Claim",
    "Conflict",
    "ConflictSide",
    "Sentence",
    "Skipped",
    "Source",
    "Stance",
    "Stated",
    "Statement",
    "sha256_text",
    "statement_id",
    "web_url",
]

SOURCE_KINDS = ("government", "journal", "review", "news", "clinic/commercial", "blog", "unknown")
CLAIM_TYPES = (
    "mechanism",
    "efficacy",
    "safety",
    "procedure",
    "evidence",
    "recommendation",
    "other",
)
POLARITIES = ("affirmed", "negated")
CONFLICT_KINDS = ("polarity", "numeric", "contrary", "certainty")
CERTAINTIES = ("asserted", "hedged", "reported")
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
    kind: str = "unknown"
    file_sha256: str = ""  # of the file's bytes: what incremental builds compare
    sha256: str = ""  # of the decoded text
    words: int = 0
    warnings: list[str] = field(default_factory=list)
    # How kb read the source: why its kind, who wrote it, the works it cites (kb.profile).
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
    """A unit of text with its exact span: a heading, a sentence or a list-item sentence.

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


def statement_id(source_id: str, source_sha256: str, start: int, end: int, n: int = 0) -> str:
    """Stable id of a statement: the same text at the same place gets the same id.

    The source id is part of it because a corpus may hold two files with the same text.
    ``n`` numbers the statements one sentence makes ("evidence proves it relieves pain"
    states two claims); the first keeps the plain (source, sha256, start, end) id.

    >>> statement_id("a", "ab", 0, 5) == statement_id("a", "ab", 0, 5)
    True
    >>> len({statement_id("a", "ab", 0, 5), statement_id("a", "ab", 0, 5, 1),
    ...      statement_id("b", "ab", 0, 5)})
    3
    """
    key = f"{source_id}:{source_sha256}:{start}:{end}" + (f":{n}" if n else "")
    return "st_" + hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Statement:
    """One claim made by one source at one place; ``quote == source.text[start:end]``."""

    id: str
    source: str
    quote: str
    start: int
    end: int
    claim_type: str = "other"
    subject: str = ""
    relation: str = ""
    object: str = ""
    polarity: str = "affirmed"
    certainty: str = "asserted"
    attribution: str = ""
    quantities: list[dict[str, Any]] = field(default_factory=list)
    qualifiers: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    label: str = ""
    claim_id: str | None = None
    claim: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def ref(self) -> dict[str, Any]:
        """Where the statement is and how it is said: the shape conflicts and checks cite."""
        return {
            "id": self.id,
            "source": self.source,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "polarity": self.polarity,
            "certainty": self.certainty,
            "quantities": self.quantities,
        }


class Stance(NamedTuple):
    """How one statement stands on its claim: what agreement figures count, light enough to
    read for every statement of a large KB."""

    id: str
    source: str
    claim_id: str | None
    polarity: str
    certainty: str


@dataclass(frozen=True, slots=True)
class Stated:
    """Statements of one claim alike in all that a check's verdict reads: polarity,
    certainty and quantity values (``quantities`` without their text and offsets). With
    the sources that make them and how many there are, a general claim stated thousands
    of times is judged a few times, not once per statement."""

    claim_id: str
    polarity: str
    certainty: str
    quantities: list[dict[str, Any]]
    statements: int
    sources: frozenset[str]


@dataclass(slots=True)
class Claim:
    """The proposition that statements from many sources share.

    ``key`` is (claim_type, subject, relation, object, comparator) for a claim the lexicon
    covers (``normalised``); a claim grouped by wording alone has a key of its own.
    ``refines`` lists the more general claims it is a case of.
    """

    id: str
    claim_type: str
    label: str
    subject: str = ""
    relation: str = ""
    object: str = ""
    comparator: str = ""
    normalised: bool = True
    refines: list[str] = field(default_factory=list)
    statement_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ConflictSide:
    """One position in a conflict: what it holds, and the statements that hold it."""

    position: str
    statement_ids: list[str]
    sources: list[str]
    claim_id: str = ""


@dataclass(slots=True)
class Conflict:
    """Sources that cannot all be right: two or more sides, and the kind of disagreement.

    ``kind`` is one of CONFLICT_KINDS; ``topic`` says in plain words what is disputed;
    ``detail`` says why the sides disagree ("10–20 minutes and 20–30 minutes do not overlap").
    """

    id: str
    kind: str
    topic: str
    claim_ids: list[str]
    sides: list[ConflictSide]
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conflict:
        sides = [ConflictSide(**side) for side in data["sides"]]
        return cls(**{**data, "sides": sides})
