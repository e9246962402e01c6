"""What every conflict kind shares: its registry entry, what its finder reads, and how a
conflict and its sides are made (so that ids are made one way for every kind)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.analyze.agreement import by_claim
from kb.model import Claim, Conflict, ConflictSide, Statement
from kb.nlp.lexicon import Lexicon

__all__ = [
    "ConflictKind",
    "Evidence",
    "between_sources",
    "make_conflict",
    "one_side_each",
    "side",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a finder reads: the claims, every statement, the statements of each claim, and
    the lexicon."""

    claims: list[Claim]
    statements: list[Statement]
    by_claim: dict[str, list[Statement]]
    claims_by_id: dict[str, Claim]
    lexicon: Lexicon

    @classmethod
    def of(cls, claims: list[Claim], statements: list[Statement], lexicon: Lexicon) -> Evidence:
        return cls(claims, statements, by_claim(statements), {c.id: c for c in claims}, lexicon)


@dataclass(frozen=True, slots=True)
class ConflictKind:
    """A kind of conflict: its name (Conflict.kind), the one line that says what it is (the
    README and the dashboard show it), and the function that finds its conflicts."""

    name: str
    description: str
    find: Callable[[Evidence], Iterable[Conflict]]


def side(position: str, statements: list[Statement], claim_id: str = "") -> ConflictSide:
    """A side holding ``position``: its statements ordered by source and place."""
    ordered = sorted(statements, key=lambda s: (s.source, s.start, s.id))
    return ConflictSide(
        position=position,
        statement_ids=[s.id for s in ordered],
        sources=sorted({s.source for s in ordered}),
        claim_id=claim_id,
    )


def one_side_each(sides: list[list[Statement]]) -> list[list[Statement]]:
    """The statements of each side, each source kept only on the side most of its
    statements take: a side holds only the sources that take it. A source as often on
    one side as on another takes none; it disagrees with itself, not with the others.

    >>> a1, a2 = Statement("1", "a", "", 0, 1), Statement("2", "a", "", 2, 3)
    >>> b = Statement("3", "b", "", 0, 1)
    >>> [[s.id for s in stated] for stated in one_side_each([[a1, b], [a2]])]
    [['3'], []]
    """
    taken: dict[str, Counter] = defaultdict(Counter)
    for n, stated in enumerate(sides):
        for statement in stated:
            taken[statement.source][n] += 1
    home = {}
    for source, counts in taken.items():
        (first, most), *others = counts.most_common()
        if not others or others[0][1] < most:
            home[source] = first
    return [[s for s in stated if home.get(s.source) == n] for n, stated in enumerate(sides)]


def between_sources(sides: list[ConflictSide]) -> bool:
    """Whether two of the sides are held by different sources: a source on one side that
    is not on the other, and the other way round."""
    held = [set(side.sources) for side in sides]
    return any(a - b and b - a for i, a in enumerate(held) for b in held[i + 1 :])


def make_conflict(kind: str, topic: str, sides: list[ConflictSide], detail: str) -> Conflict:
    """A conflict whose id is a hash of its kind, claims and positions: the same
    disagreement keeps its id from build to build."""
    claim_ids = sorted({s.claim_id for s in sides if s.claim_id})
    key = "\x1f".join([kind, *claim_ids, *(s.position for s in sides)])
    return Conflict(
        id="cf_" + hashlib.sha256(key.encode()).hexdigest()[:12],
        kind=kind,
        topic=topic,
        claim_ids=claim_ids,
        sides=sides,
        detail=detail,
    )
