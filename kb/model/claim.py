"""Claims: the propositions statements from many sources share, and who stands where
on each."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CLAIM_TYPES", "Agreement", "Claim"]

CLAIM_TYPES = (
    "mechanism",
    "efficacy",
    "safety",
    "procedure",
    "evidence",
    "recommendation",
    "other",
)


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
class Agreement:
    """Who stands where on one claim. ``opposing`` are the sources that do not state it
    but affirm a claim that cannot hold with it ("the evidence is mixed" against "evidence
    proves it", kb.analyze.opposed). ``consensus`` is (independent sources affirming −
    independent sources against it, negating or opposing) / independent sources taking a
    side: +1 when every independent source affirms it, −1 when every one is against it,
    None when none takes a side.
    """

    claim_id: str
    affirming: list[str] = field(default_factory=list)
    negating: list[str] = field(default_factory=list)
    hedging: list[str] = field(default_factory=list)  # state it only with hedges
    opposing: list[str] = field(default_factory=list)
    independent_affirming: int = 0
    independent_negating: int = 0
    independent_opposing: int = 0
    independent: int = 0  # voices among all sources stating it
    consensus: float | None = None
    sources: int = 0  # stating it, copies included
    statements: int = 0
    certainty: dict[str, int] = field(default_factory=dict)  # statements per certainty
