"""Conflicts: sources that cannot all be right, one module per kind, and the registry.

Every conflict needs two sides held by different sources: a source that contradicts only
itself is not a conflict between sources.

Adding a kind: a module here declaring ``KIND = ConflictKind(name, description, find)``
(see base.py; ``find`` reads an Evidence and yields Conflicts made with make_conflict),
its place in KINDS below, its bullet in the README's `kb conflicts` section (the docs test
holds them in step) and a test in tests/test_analyze.py. The CLI's ``--kind`` choices and
the dashboard's Conflicts page read the registry.

Complexity: one pass over the statements, grouped by claim; each kind is linear in the
statements (see its module), and a found conflict is compared only with the few found
before that hold its first sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from kb.analyze.conflicts import certainty, contrary, numeric, polarity
from kb.analyze.conflicts.base import ConflictKind, Evidence
from kb.model import Claim, Conflict, Statement
from kb.nlp.lexicon import Lexicon
from kb.stages import Stage

__all__ = [
    "CONFLICTS",
    "CONFLICT_KINDS",
    "FIRMNESS",
    "KINDS",
    "ConflictKind",
    "Evidence",
    "confidence",
    "confidence_note",
    "conflicts_by_claim",
    "describe",
    "find_conflicts",
]

# The registry. In this order: a conflict that only restates one found before it is
# dropped, so a certainty conflict that restates a contrary one ("proven" against "mixed",
# from the same sentences) is not said twice.
KINDS: tuple[ConflictKind, ...] = (polarity.KIND, numeric.KIND, contrary.KIND, certainty.KIND)
CONFLICT_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS)


def describe() -> dict[str, str]:
    """Each kind's one-line description, in the registry's order.

    >>> describe()["polarity"]
    'sources affirm a claim that other sources deny'
    """
    return {kind.name: kind.description for kind in KINDS}


def find_conflicts(
    claims: list[Claim],
    statements: list[Statement],
    lexicon: Lexicon,
    kinds: Iterable[ConflictKind] = KINDS,
) -> list[Conflict]:
    """Every conflict between sources, of every kind, in a stable order (kind, topic),
    each with its confidence."""
    evidence = Evidence.of(claims, statements, lexicon)
    sentence_of = {s.id: (s.source, s.start, s.end) for s in statements}
    certainty_of = {s.id: s.certainty for s in statements}
    found: list[Conflict] = []
    # Found conflicts by the sentences on their sides: a conflict can only restate one
    # that holds its first sentence, so each is compared with a few, not with all (which
    # was quadratic in the number of conflicts).
    holding: dict[tuple, list[Conflict]] = defaultdict(list)
    for kind in kinds:
        for conflict in kind.find(evidence):
            first = conflict.sides[0].statement_ids[:1]
            others = holding.get(sentence_of[first[0]], []) if first else found
            if not any(_restates(conflict, other, sentence_of) for other in others):
                conflict.confidence = confidence(conflict, certainty_of)
                found.append(conflict)
                for sentence in {
                    sentence_of[i] for side in conflict.sides for i in side.statement_ids
                }:
                    holding[sentence].append(conflict)
    return sorted(found, key=lambda c: (c.kind, c.topic, c.id))


# How firmly a statement holds its position, by its certainty: a source's own assertion,
# someone it reports, a hedge ("may", "some studies suggest").
FIRMNESS = {"asserted": 1.0, "reported": 0.75, "hedged": 0.5}


def confidence(conflict: Conflict, certainty_of: Mapping[str, str]) -> float:
    """How firmly the weaker side of ``conflict`` holds its position: the firmness of its
    firmest statement (FIRMNESS; ``certainty_of`` maps statement ids to certainties). A
    conflict where one side only says "may" is less sure than one of two assertions.

    >>> from kb.model import ConflictSide
    >>> sides = [ConflictSide("yes", ["1", "2"], ["a"]), ConflictSide("no", ["3"], ["b"])]
    >>> confidence(Conflict("cf", "polarity", "t", [], sides),
    ...            {"1": "hedged", "2": "asserted", "3": "reported"})
    0.75
    """
    return min(
        max((FIRMNESS.get(certainty_of.get(i, ""), 0.5) for i in side.statement_ids), default=0.5)
        for side in conflict.sides
    )


def confidence_note(value: float) -> str:
    """What a conflict's confidence says, in words.

    >>> confidence_note(0.5)
    'one side only hedges'
    """
    if value >= FIRMNESS["asserted"]:
        return "every side asserts its position"
    if value >= FIRMNESS["reported"]:
        return "one side only reports what others say"
    return "one side only hedges"


def _restates(conflict: Conflict, other: Conflict, sentence_of: Mapping[str, tuple]) -> bool:
    """Whether every side of ``conflict`` is made of sentences of one side of ``other``,
    each side of a different one: the same disagreement, said twice."""
    sentences = [{sentence_of[i] for i in side.statement_ids} for side in other.sides]
    matched = set()
    for side in conflict.sides:
        mine = {sentence_of[i] for i in side.statement_ids}
        hits = [n for n, theirs in enumerate(sentences) if mine <= theirs and n not in matched]
        if not hits:
            return False
        matched.add(hits[0])
    return True


def conflicts_by_claim(conflicts: Iterable[Conflict]) -> dict[str, list[str]]:
    """Claim id → the ids of the conflicts it is in (as a whole, or on one side)."""
    found: dict[str, list[str]] = defaultdict(list)
    for conflict in conflicts:
        ids = set(conflict.claim_ids) | {s.claim_id for s in conflict.sides if s.claim_id}
        for claim_id in sorted(ids):
            found[claim_id].append(conflict.id)
    return dict(found)


CONFLICTS = Stage("conflicts", needs=("claims", "lexicon"), makes="conflicts", code=(__name__,))
