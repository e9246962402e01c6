"""Polarity conflicts: sources affirm a claim that other sources deny ("relieves back pain"
against "does not relieve back pain"), each source by the polarity most of its statements
of the claim take (kb.analyze.agreement.source_stances)."""

from __future__ import annotations

from collections.abc import Iterable

from kb.analyze.agreement import source_stances
from kb.analyze.conflicts.base import ConflictKind, Evidence, make_conflict, side
from kb.model import Conflict

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    for claim in evidence.claims:
        stated = evidence.by_claim.get(claim.id, [])
        stances = source_stances(stated)
        if not {"affirmed", "negated"} <= set(stances.values()):
            continue
        yes = [s for s in stated if stances[s.source] == "affirmed" and s.polarity == "affirmed"]
        no = [s for s in stated if stances[s.source] == "negated" and s.polarity == "negated"]
        sides = [side("affirms", yes, claim.id), side("denies", no, claim.id)]
        yield make_conflict(
            "polarity",
            claim.label,
            sides,
            f"{len(sides[0].sources)} source(s) affirm it, {len(sides[1].sources)} deny it",
        )


KIND = ConflictKind("polarity", "sources affirm a claim that other sources deny", find)
