"""Polarity conflicts: sources affirm a claim that other sources deny ("relieves back pain"
against "does not relieve back pain"), each source by the polarity most of its statements
of the claim take (kb.analyze.agreement.source_stances)."""

from __future__ import annotations

from collections.abc import Iterable

from kb.analyze.agreement import source_stances
from kb.analyze.conflicts.base import ConflictKind, Evidence, make_conflict, side
from kb.model import Conflict, Statement
from kb.nlp.lexicon import Lexicon

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    for claim in evidence.claims:
        stated = evidence.by_claim.get(claim.id, [])
        stances = source_stances(stated)
        if not {"affirmed", "negated"} <= set(stances.values()):
            continue
        yes = [s for s in stated if stances[s.source] == "affirmed" and s.polarity == "affirmed"]
        no = [s for s in stated if stances[s.source] == "negated" and s.polarity == "negated"]
        # "relieves low back pain" is not denied by "does not relieve headache": a side
        # keeps what some source on the other side says of a condition it may share.
        lexicon = evidence.lexicon
        yes, no = (
            [s for s in yes if any(_comparable(s, t, lexicon) for t in no)],
            [t for t in no if any(_comparable(s, t, lexicon) for s in yes)],
        )
        if not (yes and no):
            continue
        sides = [side("affirms", yes, claim.id), side("denies", no, claim.id)]
        yield make_conflict(
            "polarity",
            claim.label,
            sides,
            f"{len(sides[0].sources)} source(s) affirm it, {len(sides[1].sources)} deny it",
        )


def _comparable(a: Statement, b: Statement, lexicon: Lexicon) -> bool:
    """Whether two sources' statements may be about one condition: either names none, or
    one's is the other's or a kind of it ("chronic low back pain" is back pain)."""
    if a.source == b.source:
        return False
    x, y = a.qualifiers.condition, b.qualifiers.condition
    return not x or not y or lexicon.is_a(x, y) or lexicon.is_a(y, x)


KIND = ConflictKind("polarity", "sources affirm a claim that other sources deny", find)
