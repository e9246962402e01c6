"""Agreement and conflicts across sources, counting copies once.

Voices: sources that copy or closely paraphrase each other (kb.analyze.independence) are one
voice. ``voices`` maps each source to a representative of its group; agreement counts
voices, so an article and its rewrite count once.

A source's stance on a claim is the polarity most of its statements of the claim take
("mixed" on a tie): a source that mentions a denial it then rebuts ("some claim it does
not work, but...") stands with its majority and raises no conflict with itself.

Conflict kinds (DESIGN.md):
- polarity: sources affirm a claim that other sources negate;
- numeric: statements of one claim give quantities of one dimension whose ranges do not
  overlap once units are normalised ("10 to 20 minutes" against "20 to 30 minutes");
- contrary: sources affirm two claims the lexicon declares cannot both hold
  ("harmless for everyone" against "not suitable for everyone");
- certainty: a claim one source states as proven ("evidence proves it relieves pain") and
  another states beside doubt ("research continues to explore its effectiveness"), by the
  ``evidence`` stance of the concepts stated in the same sentence.
Every conflict needs two sides held by different sources: a source that contradicts only
itself is not a conflict between sources.

Complexity: one pass over the statements, grouped by claim; numeric comparison is
quadratic only in the distinct quantity values of one claim (a handful); contrary pairs
are looked up per subject, so the whole is linear in the statements.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TypeVar

from kb.model import (
    CERTAINTIES,
    Agreement,
    Claim,
    Conflict,
    ConflictSide,
    Quantity,
    Stance,
    Statement,
)
from kb.nlp.lexicon import Lexicon
from kb.nlp.quantities import format_quantity, ranges_overlap
from kb.stages import Stage

__all__ = [
    "AGREEMENT",
    "CONFLICTS",
    "Agreement",
    "agreement",
    "find_conflicts",
    "source_stances",
    "voices",
]


def voices(source_ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each source's voice: the smallest id of its group of near-duplicates.

    >>> voices(["a", "b", "c"], [("b", "a")])
    {'a': 'a', 'b': 'a', 'c': 'c'}
    """
    parent = {s: s for s in source_ids}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {s: root(s) for s in sorted(parent)}


def source_stances(statements: Iterable[Statement | Stance]) -> dict[str, str]:
    """Per source, the polarity most of its statements take: affirmed, negated or mixed.

    >>> from kb.model import Statement
    >>> s = [Statement("1", "a", "", 0, 1), Statement("2", "a", "", 2, 3, polarity="negated"),
    ...      Statement("3", "a", "", 4, 5), Statement("4", "b", "", 0, 1, polarity="negated")]
    >>> source_stances(s)
    {'a': 'affirmed', 'b': 'negated'}
    """
    counts: dict[str, list[int]] = {}
    for st in statements:
        tally = counts.setdefault(st.source, [0, 0])
        tally[st.polarity == "negated"] += 1
    return {
        source: "affirmed" if yes > no else "negated" if no > yes else "mixed"
        for source, (yes, no) in counts.items()
    }


def agreement(
    claims: list[Claim], statements: Iterable[Statement | Stance], voice_of: Mapping[str, str]
) -> list[Agreement]:
    """Agreement for every claim, in the order of ``claims``; full statements or only
    their stances (kb.model.Stance) give the same figures. A build stores it (see
    kb.store.load_agreement), since listing the claims of a large KB cannot afford to
    read every statement."""
    by_claim = _by_claim(statements)
    out = []
    for claim in claims:
        stated = by_claim.get(claim.id, [])
        stances = source_stances(stated)
        affirming = sorted(s for s, v in stances.items() if v == "affirmed")
        negating = sorted(s for s, v in stances.items() if v == "negated")
        certainties: dict[str, set[str]] = defaultdict(set)
        mix = dict.fromkeys(CERTAINTIES, 0)
        for st in stated:
            certainties[st.source].add(st.certainty)
            if st.certainty in mix:
                mix[st.certainty] += 1
        hedging = sorted(s for s, c in certainties.items() if c == {"hedged"})
        yes = len({voice_of.get(s, s) for s in affirming})
        no = len({voice_of.get(s, s) for s in negating})
        out.append(
            Agreement(
                claim_id=claim.id,
                affirming=affirming,
                negating=negating,
                hedging=hedging,
                independent_affirming=yes,
                independent_negating=no,
                independent=len({voice_of.get(s, s) for s in stances}),
                consensus=round((yes - no) / (yes + no), 3) if yes + no else None,
                sources=len(stances),
                statements=len(stated),
                certainty=mix,
            )
        )
    return out


# ------------------------------------------------------------------ conflicts


def find_conflicts(
    claims: list[Claim], statements: list[Statement], lexicon: Lexicon
) -> list[Conflict]:
    """Every conflict between sources, in a stable order (kind, topic)."""
    by_claim = _by_claim(statements)
    claims_by_id = {c.id: c for c in claims}
    sentence_of = {s.id: (s.source, s.start, s.end) for s in statements}
    found: list[Conflict] = []
    # Found conflicts by the sentences on their sides: a conflict can only restate one
    # that holds its first sentence, so each is compared with a few, not with all (which
    # was quadratic in the number of conflicts).
    holding: dict[tuple, list[Conflict]] = defaultdict(list)
    # In this order, so that a certainty conflict that only restates a contrary one
    # ("proven" against "mixed", from the same sentences) is dropped as said twice.
    for conflict in [
        *_polarity_conflicts(claims, by_claim),
        *_numeric_conflicts(claims, by_claim),
        *_contrary_conflicts(claims, by_claim, lexicon),
        *_certainty_conflicts(claims_by_id, statements, by_claim, lexicon),
    ]:
        first = conflict.sides[0].statement_ids[:1]
        others = holding.get(sentence_of[first[0]], []) if first else found
        if not any(_restates(conflict, other, sentence_of) for other in others):
            found.append(conflict)
            for sentence in {sentence_of[i] for side in conflict.sides for i in side.statement_ids}:
                holding[sentence].append(conflict)
    return sorted(found, key=lambda c: (c.kind, c.topic, c.id))


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


_S = TypeVar("_S", Statement, Stance)


def _by_claim(statements: Iterable[_S]) -> dict[str, list[_S]]:
    grouped: dict[str, list[_S]] = defaultdict(list)
    for st in statements:
        if st.claim_id:
            grouped[st.claim_id].append(st)
    return grouped


def _side(position: str, statements: list[Statement], claim_id: str = "") -> ConflictSide:
    ordered = sorted(statements, key=lambda s: (s.source, s.start, s.id))
    return ConflictSide(
        position=position,
        statement_ids=[s.id for s in ordered],
        sources=sorted({s.source for s in ordered}),
        claim_id=claim_id,
    )


def _between_sources(sides: list[ConflictSide]) -> bool:
    """Whether two of the sides are held by different sources: a source on one side that
    is not on the other, and the other way round."""
    held = [set(side.sources) for side in sides]
    return any(a - b and b - a for i, a in enumerate(held) for b in held[i + 1 :])


def _conflict(kind: str, topic: str, sides: list[ConflictSide], detail: str) -> Conflict:
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


def _polarity_conflicts(
    claims: list[Claim], by_claim: dict[str, list[Statement]]
) -> Iterable[Conflict]:
    for claim in claims:
        stated = by_claim.get(claim.id, [])
        stances = source_stances(stated)
        if not {"affirmed", "negated"} <= set(stances.values()):
            continue
        yes = [s for s in stated if stances[s.source] == "affirmed" and s.polarity == "affirmed"]
        no = [s for s in stated if stances[s.source] == "negated" and s.polarity == "negated"]
        sides = [_side("affirms", yes, claim.id), _side("denies", no, claim.id)]
        yield _conflict(
            "polarity",
            claim.label,
            sides,
            f"{len(sides[0].sources)} source(s) affirm it, {len(sides[1].sources)} deny it",
        )


def _numeric_conflicts(
    claims: list[Claim], by_claim: dict[str, list[Statement]]
) -> Iterable[Conflict]:
    for claim in claims:
        # dimension → quantity value → the statements giving it (by id: a statement can
        # give one value twice, and comparing Statements field by field is slow)
        by_dimension: dict[str, dict[Quantity, dict[str, Statement]]] = defaultdict(dict)
        for st in by_claim.get(claim.id, []):
            if st.polarity != "affirmed":
                continue
            for q in st.quantities:
                quantity = Quantity(**{**q, "start": 0, "end": 0, "text": ""})
                by_dimension[quantity.dimension].setdefault(quantity, {})[st.id] = st
        for values in by_dimension.values():
            groups = _overlap_groups(list(values))
            if len(groups) < 2:
                continue
            sides = []
            for group in groups:
                stated = list({i: s for q in group for i, s in values[q].items()}.values())
                shown = sorted({format_quantity(q) for q in group})
                sides.append(_side(" / ".join(shown), stated, claim.id))
            if _between_sources(sides):
                detail = " against ".join(s.position for s in sides) + ": ranges do not overlap"
                yield _conflict("numeric", claim.label, sides, detail)


def _overlap_groups(quantities: list[Quantity]) -> list[list[Quantity]]:
    """Groups of quantities connected by overlap, ordered by their lowest value.
    Incomparable quantities (other units) join no group but their own."""
    groups: list[list[Quantity]] = []
    for q in sorted(quantities, key=_sort_key):
        joined = [g for g in groups if any(ranges_overlap(q, other) for other in g)]
        merged = [q, *(x for g in joined for x in g)]
        groups = [g for g in groups if g not in joined] + [sorted(merged, key=_sort_key)]
    comparable = [g for g in groups if _comparable_to_any(g, groups)]
    return sorted(comparable, key=lambda g: _sort_key(g[0]))


def _comparable_to_any(group: list[Quantity], groups: list[list[Quantity]]) -> bool:
    return any(
        ranges_overlap(a, b) is not None for other in groups if other is not group
        for a in group for b in other
    )  # fmt: skip


def _sort_key(q: Quantity) -> tuple:
    return (q.unit, q.low if q.low is not None else -1.0, q.high or 0.0, q.bound, q.approx)


def _contrary_conflicts(
    claims: list[Claim], by_claim: dict[str, list[Statement]], lexicon: Lexicon
) -> Iterable[Conflict]:
    """One conflict per subject and disputed concept: "harmless for everyone" against
    every concept the lexicon declares contrary to it, each a side of its own."""
    by_subject: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.normalised and claim.object:
            by_subject[claim.subject].append(claim)
    opposed: dict[str, list[str]] = defaultdict(list)
    for left, right in lexicon.contrary:
        opposed[left].append(right)
    for subject, about in sorted(by_subject.items()):
        for disputed, others in opposed.items():
            sides, claim_ids, present = [], [], []
            for concept in (disputed, *others):
                held = [c for c in about if lexicon.is_a(c.object, concept)]
                stated = [
                    s for c in held for s in by_claim.get(c.id, []) if s.polarity == "affirmed"
                ]
                if concept == disputed and not stated:
                    break  # nobody holds the disputed claim: nothing to oppose
                labels = "; ".join(sorted({c.label for c in held}))
                side = _side(labels, stated, held[0].id if len(held) == 1 else "")
                # An opposing side counts when a source other than the disputed side's holds it.
                if stated and (concept == disputed or set(side.sources) - set(sides[0].sources)):
                    sides.append(side)
                    claim_ids += [c.id for c in held]
                    present.append(concept)
            if len(sides) >= 2 and _between_sources(sides):
                name = lexicon.label(subject) if subject else "it"
                against = " / ".join(lexicon.label(c) for c in present[1:])
                topic = f"{name}: {lexicon.label(disputed)}, or {against}?"
                detail = f"the lexicon declares '{lexicon.label(disputed)}' contrary to " + (
                    ", ".join(f"'{lexicon.label(c)}'" for c in present[1:])
                )
                conflict = _conflict("contrary", topic, sides, detail)
                conflict.claim_ids = sorted(set(claim_ids))
                yield conflict


def _certainty_conflicts(
    claims_by_id: dict[str, Claim],
    statements: list[Statement],
    by_claim: dict[str, list[Statement]],
    lexicon: Lexicon,
) -> Iterable[Conflict]:
    # The evidence stance of each sentence, from the evidence concepts it states.
    stance_at: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for st in statements:
        stance = lexicon.evidence_stance(st.object) if st.object else ""
        if stance and st.polarity == "affirmed":
            stance_at[(st.source, st.start, st.end)].add(stance)
        elif stance == "proven":  # "has not been proven"
            stance_at[(st.source, st.start, st.end)].add("unproven")
    for claim_id, stated in sorted(by_claim.items()):
        claim = claims_by_id.get(claim_id)
        if claim is None or claim.claim_type == "evidence":
            continue
        proven, unproven = [], []
        for st in stated:
            stances = stance_at.get((st.source, st.start, st.end), set())
            if st.polarity != "affirmed" or len(stances) != 1:
                continue  # a sentence that both proves and doubts takes no side
            (proven if "proven" in stances else unproven).append(st)
        if proven and unproven:
            sides = [_side("proven", proven, claim_id), _side("unproven", unproven, claim_id)]
            if _between_sources(sides):
                detail = "stated as proven by one side and as unproven or in doubt by the other"
                yield _conflict("certainty", claim.label, sides, detail)


AGREEMENT = Stage("agreement", needs=("claims", "duplicates"), makes="agreement", code=(__name__,))
CONFLICTS = Stage("conflicts", needs=("claims", "lexicon"), makes="conflicts", code=(__name__,))
