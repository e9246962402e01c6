"""Conflicts: sources that cannot all be right."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Conflict", "ConflictSide"]


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

    ``kind`` is one of kb.analyze.conflicts.CONFLICT_KINDS (the registry is the one list
    of kinds, each with the code that finds it); ``topic`` says in plain words what is
    disputed; ``detail`` says why the sides disagree ("10–20 minutes and 20–30 minutes do
    not overlap"); ``confidence`` how firmly the weaker side holds its position: the
    certainty of its firmest statement, 1.0 asserted, 0.75 reported, 0.5 hedged
    (kb.analyze.conflicts.confidence). ``status`` is "open", or what a curator found it:
    "confirmed" (real) or "dismissed" (not real; listings leave it out).
    """

    id: str
    kind: str
    topic: str
    claim_ids: list[str]
    sides: list[ConflictSide]
    detail: str = ""
    confidence: float = 1.0
    status: str = "open"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conflict:
        sides = [ConflictSide(**side) for side in data["sides"]]
        return cls(**{**data, "sides": sides})
