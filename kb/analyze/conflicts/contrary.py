"""Contrary conflicts: sources affirm two claims the lexicon declares cannot both hold
("harmless for everyone" against "not suitable for everyone"). Contrary pairs are looked
up per subject, so the search is linear in the statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kb.analyze.conflicts.base import (
    ConflictKind,
    Evidence,
    between_sources,
    make_conflict,
    side,
)
from kb.model import Claim, Conflict
from kb.stages.assemble import of_someone_unnamed

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    """One conflict per subject and disputed concept: "harmless for everyone" against
    every concept the lexicon declares contrary to it, each a side of its own."""
    lexicon = evidence.lexicon
    # Per comparator too: "more effective than placebo" is no contrary of "as effective
    # as surgery".
    by_subject: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in evidence.claims:
        if lexicon.is_comparative(claim.object) and not claim.comparator:
            continue  # "more effective than the alternatives": against what, unsaid
        if claim.normalised and claim.object:
            key = (claim.subject, _unnamed_in(claim, evidence), claim.comparator)
            by_subject[key].append(claim)
    opposed: dict[str, list[str]] = defaultdict(list)
    for left, right in lexicon.contrary:
        opposed[left].append(right)
    for (subject, _, _), about in sorted(by_subject.items()):
        for disputed, others in opposed.items():
            sides, claim_ids, present = [], [], []
            for concept in (disputed, *others):
                held = [c for c in about if lexicon.is_a(c.object, concept)]
                stated = [
                    s
                    for c in held
                    for s in evidence.by_claim.get(c.id, [])
                    if s.polarity == "affirmed"
                ]
                if concept == disputed and not stated:
                    break  # nobody holds the disputed claim: nothing to oppose
                labels = "; ".join(sorted({c.label for c in held}))
                held_side = side(labels, stated, held[0].id if len(held) == 1 else "")
                # An opposing side counts when a source other than the disputed side's holds it.
                if stated and (
                    concept == disputed or set(held_side.sources) - set(sides[0].sources)
                ):
                    sides.append(held_side)
                    claim_ids += [c.id for c in held]
                    present.append(concept)
            if len(sides) >= 2 and between_sources(sides):
                name = lexicon.label(subject) if subject else "it"
                against = " / ".join(lexicon.label(c) for c in present[1:])
                topic = f"{name}: {lexicon.label(disputed)}, or {against}?"
                detail = f"the lexicon declares '{lexicon.label(disputed)}' contrary to " + (
                    ", ".join(f"'{lexicon.label(c)}'" for c in present[1:])
                )
                conflict = make_conflict("contrary", topic, sides, detail)
                conflict.claim_ids = sorted(set(claim_ids))
                yield conflict


def _unnamed_in(claim: Claim, evidence: Evidence) -> str:
    """The source a claim of no named treatment is said in ("" for any other claim): two
    abstracts' "the evidence is mixed" about nothing named are about two things, and
    cannot contradict each other. Such a claim is grouped within its source already
    (kb.stages.assemble.of_someone_unnamed); it meets no other source's here either."""
    said = evidence.by_claim.get(claim.id, [])
    return said[0].source if said and of_someone_unnamed(said[0], evidence.lexicon) else ""


KIND = ConflictKind("contrary", "sources affirm claims the lexicon declares cannot both hold", find)
