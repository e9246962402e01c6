"""Certainty conflicts: a claim one source states as proven ("evidence proves it relieves
pain") and another beside doubt ("research continues to explore its effectiveness"), by
the ``evidence`` stance of the concepts stated in the same sentence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kb.analyze.conflicts.base import (
    ConflictKind,
    Evidence,
    between_sources,
    make_conflict,
    one_side_each,
    side,
)
from kb.model import Conflict

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    lexicon = evidence.lexicon
    # The evidence stance of each sentence, from the evidence concepts it states.
    stance_at: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for st in evidence.statements:
        stance = lexicon.evidence_stance(st.object) if st.object else ""
        if stance and st.polarity == "affirmed":
            stance_at[(st.source, st.start, st.end)].add(stance)
        elif stance == "proven":  # "has not been proven"
            stance_at[(st.source, st.start, st.end)].add("unproven")
    for claim_id, stated in sorted(evidence.by_claim.items()):
        claim = evidence.claims_by_id.get(claim_id)
        if claim is None or claim.claim_type == "evidence":
            continue
        proven, unproven = [], []
        for st in stated:
            stances = stance_at.get((st.source, st.start, st.end), set())
            if st.polarity != "affirmed" or len(stances) != 1:
                continue  # a sentence that both proves and doubts takes no side
            (proven if "proven" in stances else unproven).append(st)
        # A source that says both takes the side it says most (and none on a tie).
        proven, unproven = one_side_each([proven, unproven])
        if proven and unproven:
            sides = [side("proven", proven, claim_id), side("unproven", unproven, claim_id)]
            if between_sources(sides):
                detail = "stated as proven by one side and as unproven or in doubt by the other"
                yield make_conflict("certainty", claim.label, sides, detail)


KIND = ConflictKind(
    "certainty", "a claim one source states as proven and another as unproven", find
)
