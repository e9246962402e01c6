"""Claims that cannot both hold: claims of one subject (and one comparator) whose concepts
the lexicon declares contrary ("harmless for everyone" against "not suitable for
everyone", "proven" against "mixed"). Contrary conflicts are made of them, and a source
that affirms one counts against the other in the agreement figures.

Claims are grouped by subject, so the search is linear in the claims; within a group,
only claims whose concept is in some contrary pair are compared (a few per subject).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from kb.model import Claim, Statement
from kb.nlp.lexicon import Lexicon
from kb.stages.assemble import of_someone_unnamed

__all__ = ["claims_by_subject", "opposed_claims"]


def claims_by_subject(
    claims: list[Claim], by_claim: Mapping[str, list[Statement]], lexicon: Lexicon
) -> dict[tuple[str, str, str], list[Claim]]:
    """The claims that may stand against each other, by (subject, the source a claim of
    no named treatment is said in, comparator): "more effective than placebo" is no
    contrary of "as effective as surgery", and two abstracts' "the evidence is mixed"
    about nothing named are about two things. A comparison against nothing said ("more
    effective than the alternatives") and a claim no concept covers stand against none."""
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if not (claim.normalised and claim.object):
            continue
        if lexicon.is_comparative(claim.object) and not claim.comparator:
            continue
        said = by_claim.get(claim.id, [])
        unnamed = said[0].source if said and of_someone_unnamed(said[0], lexicon) else ""
        groups[(claim.subject, unnamed, claim.comparator)].append(claim)
    return dict(groups)


def opposed_claims(
    claims: list[Claim], by_claim: Mapping[str, list[Statement]], lexicon: Lexicon
) -> dict[str, list[str]]:
    """Claim id → the ids of the claims that cannot hold with it, both ways.

    >>> from pathlib import Path
    >>> from kb.nlp.lexicon import load_lexicon
    >>> lexicon = load_lexicon(sorted((Path(__file__).parents[1] / "lexicon").glob("*.yaml")))
    >>> proven = Claim("cl_p", "evidence", "", "~x", "", "evidence_proven")
    >>> mixed = Claim("cl_m", "evidence", "", "~x", "", "evidence_mixed")
    >>> opposed_claims([proven, mixed], {}, lexicon)
    {'cl_p': ['cl_m'], 'cl_m': ['cl_p']}
    """
    in_a_pair = _in_contrary_pairs(lexicon)
    opposed: dict[str, list[str]] = defaultdict(list)
    for about in claims_by_subject(claims, by_claim, lexicon).values():
        candidates = [c for c in about if c.object in in_a_pair]
        for i, a in enumerate(candidates):
            for b in candidates[i + 1 :]:
                if lexicon.are_contrary(a.object, b.object):
                    opposed[a.id].append(b.id)
                    opposed[b.id].append(a.id)
    return dict(opposed)


def _in_contrary_pairs(lexicon: Lexicon) -> frozenset[str]:
    """The concepts that are, or are kinds of, a concept of some contrary pair."""
    ends = {end for pair in lexicon.contrary for end in pair}
    return frozenset(c for c in lexicon.concepts if any(lexicon.is_a(c, e) for e in ends))
