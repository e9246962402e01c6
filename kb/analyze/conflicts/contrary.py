"""Contrary conflicts: sources affirm two claims the lexicon declares cannot both hold
("harmless for everyone" against "not suitable for everyone"). Contrary pairs are looked
up per subject (kb.analyze.opposed), so the search is linear in the statements."""

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
from kb.analyze.opposed import claims_by_subject
from kb.model import Conflict

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    """One conflict per subject and disputed concept: "harmless for everyone" against
    every concept the lexicon declares contrary to it, each a side of its own."""
    lexicon = evidence.lexicon
    by_subject = claims_by_subject(evidence.claims, evidence.by_claim, lexicon)
    opposed: dict[str, list[str]] = defaultdict(list)
    for left, right in lexicon.contrary:
        opposed[left].append(right)
    for (subject, _, _), about in sorted(by_subject.items()):
        for disputed, others in opposed.items():
            concepts = (disputed, *others)
            held = [[c for c in about if lexicon.is_a(c.object, concept)] for concept in concepts]
            stated = [
                [
                    s
                    for c in claims
                    for s in evidence.by_claim.get(c.id, [])
                    if s.polarity == "affirmed"
                ]
                for claims in held
            ]
            if not stated[0]:
                continue  # nobody holds the disputed claim: nothing to oppose
            # A source that says both takes the side it says most, and none on a tie: it
            # disagrees with itself. Weighed per contrary pair ("proven" against "mixed",
            # then against "unscientific"), a source is on the disputed side when a pair
            # whose other side someone holds puts it there.
            # (By id: comparing statements field by field is slow.)
            pairs = [one_side_each([stated[0], other]) for other in stated[1:]]
            on_it = {s.id for mine, theirs in pairs if theirs for s in mine}
            kept = [[s for s in stated[0] if s.id in on_it], *(theirs for _, theirs in pairs)]
            if not kept[0]:
                continue
            sides, claim_ids, present = [], [], []
            for concept, claims, side_stated in zip(concepts, held, kept, strict=True):
                if side_stated:
                    labels = "; ".join(sorted({c.label for c in claims}))
                    sides.append(
                        side(labels, side_stated, claims[0].id if len(claims) == 1 else "")
                    )
                    claim_ids += [c.id for c in claims]
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


KIND = ConflictKind("contrary", "sources affirm claims the lexicon declares cannot both hold", find)
