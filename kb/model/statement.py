"""Statements: one claim made by one source at one place, what qualifies it, and Stated,
the statements of a claim grouped as a check's verdict reads them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from kb.model.quantity import Quantity

__all__ = [
    "CERTAINTIES",
    "POLARITIES",
    "Qualifiers",
    "Stated",
    "Statement",
    "statement_id",
]

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


@dataclass(frozen=True, slots=True)
class Qualifiers:
    """What qualifies a statement without changing its claim (the comparator is part of
    the claim key, see kb.stages.assemble.claim_key), and why kb read it there.

    - ``comparator``, ``condition``, ``population``: concept ids the sentence (or its list
      label or section heading) names, "" for none;
    - ``matched``, ``matched_span``: the words that made the claim and their source offsets;
    - ``normalised``: False when no concept covers the statement (grouped by wording);
    - ``list_label``: the label of the list item it was read in;
    - ``subject_from``: where a subject the sentence does not name came from.

    As JSON (``to_dict``) only what is set is written, in this order: a statement with
    nothing but its condition is ``{"condition": "low_back_pain"}``.

    >>> q = Qualifiers(condition="lbp", matched_span=(4, 9), normalised=False)
    >>> q.to_dict()
    {'condition': 'lbp', 'matched_span': [4, 9], 'normalised': False}
    >>> Qualifiers.from_dict(q.to_dict()) == q
    True
    """

    comparator: str = ""
    condition: str = ""
    population: str = ""
    matched: str = ""
    matched_span: tuple[int, int] | None = None
    normalised: bool = True
    list_label: str = ""
    subject_from: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object stored and exported: the fields that are set, in field order
        (``normalised`` only when False, ``matched_span`` as a list)."""
        data: dict[str, Any] = {}
        for name in ("comparator", "condition", "population", "matched"):
            if value := getattr(self, name):
                data[name] = value
        if self.matched_span:
            data["matched_span"] = list(self.matched_span)
        if not self.normalised:
            data["normalised"] = False
        if self.list_label:
            data["list_label"] = self.list_label
        if self.subject_from:
            data["subject_from"] = self.subject_from
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Qualifiers:
        """The qualifiers ``to_dict`` gave; a key it never writes is an error, not lost."""
        unknown = set(data) - _QUALIFIER_KEYS
        if unknown:
            raise ValueError(f"unknown qualifiers: {', '.join(sorted(unknown))}")
        span = data.get("matched_span")
        return cls(
            comparator=data.get("comparator", ""),
            condition=data.get("condition", ""),
            population=data.get("population", ""),
            matched=data.get("matched", ""),
            matched_span=(span[0], span[1]) if span else None,
            normalised=data.get("normalised", True),
            list_label=data.get("list_label", ""),
            subject_from=data.get("subject_from", ""),
        )


_QUALIFIER_KEYS = frozenset(f.name for f in fields(Qualifiers))
NO_QUALIFIERS = Qualifiers()


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
    quantities: list[Quantity] = field(default_factory=list)
    qualifiers: Qualifiers = NO_QUALIFIERS
    section: str = ""
    label: str = ""
    claim_id: str | None = None
    claim: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Every field, as JSON: the shape ``kb export statements`` writes."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["quantities"] = [q.to_dict() for q in self.quantities]
        data["qualifiers"] = self.qualifiers.to_dict()
        return data

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
            "quantities": [q.to_dict() for q in self.quantities],
        }


@dataclass(frozen=True, slots=True)
class Stated:
    """Statements of one claim alike in all that a check's verdict reads: polarity,
    certainty and quantity values (``quantities`` without their text and offsets, see
    Quantity.as_value). With
    the sources that make them and how many there are, a general claim stated thousands
    of times is judged a few times, not once per statement."""

    claim_id: str
    polarity: str
    certainty: str
    quantities: tuple[Quantity, ...]
    statements: int
    sources: frozenset[str]
