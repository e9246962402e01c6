"""Who stands where on each claim, counting copies once; and what that makes of a claim.

Voices: sources that copy or closely paraphrase each other (kb.analyze.independence) are one
voice. ``voices`` maps each source to a representative of its group; agreement counts
voices, so an article and its rewrite count once.

A source's polarity on a claim is the one most of its statements of the claim take
("mixed" on a tie): a source that mentions a denial it then rebuts ("some claim it does
not work, but...") stands with its majority and raises no conflict with itself.

Its stance, what the agreement matrix shows, follows from the Agreement lists (one rule,
``stances_on``): negates when it is among the sources negating, else hedges when it states
the claim only with hedges, else affirms when it is among those affirming, else mixed.

A source that does not state a claim but affirms one that cannot hold with it (the
lexicon's contrary pairs, kb.analyze.opposed) opposes it, and counts against it in the
consensus: "15 sources for, 0 against" is not what a reader sees when a 16th says the
evidence is mixed.

A claim's status (``claim_status``): contested when it is in a conflict or some source
negates or opposes it; agreed when two or more independent sources state it and none is
against; else one voice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from kb.analyze.opposed import opposed_claims
from kb.model import CERTAINTIES, Agreement, Claim, Statement
from kb.nlp.lexicon import Lexicon
from kb.stages import Stage

__all__ = [
    "AGREEMENT",
    "STANCES",
    "STATUSES",
    "SourceStance",
    "agreement",
    "by_claim",
    "claim_status",
    "source_stances",
    "stance_of",
    "stance_table",
    "stances_on",
    "voices",
]

STATUSES = ("agreed", "contested", "one voice")
STANCES = ("affirms", "hedges", "mixed", "negates")


class SourceStance(NamedTuple):
    """Where one source stands on one claim it states: one of STANCES."""

    claim_id: str
    source: str
    stance: str


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


def source_stances(statements: Iterable[Statement]) -> dict[str, str]:
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
    claims: list[Claim],
    statements: Iterable[Statement],
    voice_of: Mapping[str, str],
    lexicon: Lexicon | None = None,
) -> list[Agreement]:
    """Agreement for every claim, in the order of ``claims``. A build stores it (see
    kb.store.load_agreement), since listing the claims of a large KB cannot afford to
    read every statement. With a ``lexicon``, a source that affirms a claim it declares
    contrary (kb.analyze.opposed), and does not state the claim itself, opposes it."""
    stated_by_claim = by_claim(statements)
    stances_by_claim = {
        claim.id: source_stances(stated_by_claim.get(claim.id, [])) for claim in claims
    }
    opposed = opposed_claims(claims, stated_by_claim, lexicon) if lexicon else {}
    out = []
    for claim in claims:
        stated = stated_by_claim.get(claim.id, [])
        stances = stances_by_claim[claim.id]
        affirming = sorted(s for s, v in stances.items() if v == "affirmed")
        negating = sorted(s for s, v in stances.items() if v == "negated")
        opposing = sorted(
            {
                source
                for other in opposed.get(claim.id, [])
                for source, stance in stances_by_claim.get(other, {}).items()
                if stance == "affirmed" and source not in stances
            }
        )
        certainties: dict[str, set[str]] = defaultdict(set)
        mix = dict.fromkeys(CERTAINTIES, 0)
        for st in stated:
            certainties[st.source].add(st.certainty)
            if st.certainty in mix:
                mix[st.certainty] += 1
        hedging = sorted(s for s, c in certainties.items() if c == {"hedged"})
        yes = len({voice_of.get(s, s) for s in affirming})
        against = len({voice_of.get(s, s) for s in negating + opposing})
        out.append(
            Agreement(
                claim_id=claim.id,
                affirming=affirming,
                negating=negating,
                hedging=hedging,
                opposing=opposing,
                independent_affirming=yes,
                independent_negating=len({voice_of.get(s, s) for s in negating}),
                independent_opposing=len({voice_of.get(s, s) for s in opposing}),
                independent=len({voice_of.get(s, s) for s in stances}),
                consensus=round((yes - against) / (yes + against), 3) if yes + against else None,
                sources=len(stances),
                statements=len(stated),
                certainty=mix,
            )
        )
    return out


def claim_status(stand: Agreement, conflicts: int) -> str:
    """A claim's status from its agreement and the number of conflicts it is in.

    >>> claim_status(Agreement("cl_1", affirming=["a", "b"], independent=2), conflicts=0)
    'agreed'
    >>> claim_status(Agreement("cl_1", affirming=["a"], negating=["b"], independent=2), 0)
    'contested'
    >>> claim_status(Agreement("cl_1", affirming=["a", "a2"], independent=1), conflicts=0)
    'one voice'
    """
    if conflicts or stand.negating or stand.opposing:
        return "contested"
    return "agreed" if stand.independent >= 2 else "one voice"


def stances_on(stand: Agreement) -> dict[str, str]:
    """The stance of each source listed in ``stand``: negates over hedges over affirms. A
    source that states the claim and is in no list is "mixed" (see stance_of).

    >>> stances_on(Agreement("cl_1", affirming=["a", "b"], negating=["c"], hedging=["b", "c"]))
    {'a': 'affirms', 'b': 'hedges', 'c': 'negates'}
    """
    found = dict.fromkeys(stand.affirming, "affirms")
    found.update(dict.fromkeys(stand.hedging, "hedges"))
    found.update(dict.fromkeys(stand.negating, "negates"))
    return found


def stance_of(stand: Agreement, source: str) -> str:
    """Where ``source``, which states the claim, stands on it (see stances_on).

    >>> stance_of(Agreement("cl_1", affirming=["a"]), "b")
    'mixed'
    """
    return stances_on(stand).get(source, "mixed")


def stance_table(
    stands: Mapping[str, Agreement], stated: Iterable[tuple[str | None, str]]
) -> list[SourceStance]:
    """The stance of every source on every claim it states, from (claim id, source) pairs
    of its statements: one row per pair, in the order first stated.

    >>> stance_table({"cl_1": Agreement("cl_1", negating=["b"])},
    ...              [("cl_1", "a"), ("cl_1", "b"), ("cl_1", "a")])
    [SourceStance(claim_id='cl_1', source='a', stance='mixed'),
     SourceStance(claim_id='cl_1', source='b', stance='negates')]
    """
    on_claim: dict[str, dict[str, str]] = {}
    rows = []
    for claim_id, source in dict.fromkeys(stated):
        if not claim_id:
            continue
        if claim_id not in on_claim:
            stand = stands.get(claim_id)
            on_claim[claim_id] = stances_on(stand) if stand else {}
        rows.append(SourceStance(claim_id, source, on_claim[claim_id].get(source, "mixed")))
    return rows


def by_claim(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    """The statements of each claim, in the order given; statements of no claim left out."""
    grouped: dict[str, list[Statement]] = defaultdict(list)
    for st in statements:
        if st.claim_id:
            grouped[st.claim_id].append(st)
    return grouped


AGREEMENT = Stage(
    "agreement",
    needs=("claims", "duplicates", "lexicon"),
    makes="agreement",
    code=(__name__, "kb.analyze.opposed"),
)
