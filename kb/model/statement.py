"""Statements: one claim made by one source at one place, and the light views of them
that agreement and checks read."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

__all__ = ["CERTAINTIES", "POLARITIES", "Stance", "Stated", "Statement", "statement_id"]

POLARITIES = ("affirmed", "negated")
CERTAINTIES = ("asserted", "hedged", "reported")


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
