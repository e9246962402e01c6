"""Source × source agreement: for every two sources that share a claim, meet in a conflict
or copy each other, how often they take the same side.

Per pair: ``shared`` (claims both take a side on: affirms or hedges against negates; a
"mixed" stance takes none), ``agree`` (claims on which both take the same side), ``share``
(agree ÷ shared, rounded to 3 places; empty when they share none), ``conflicts`` (conflicts
with the two on opposite sides) and ``near_copy`` (one copies or closely paraphrases the
other). Most conflicting pairs first, then near-copies, then most shared claims.

Sides are counted with sources × claims matrix products over claims that two or more
sources state, a block of sources at a time: time grows with sources² × claims (about
0.5 s for 1,000 sources and 4,000 claims), memory with sources × claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kb.analyze.agreement import SourceStance
from kb.model import Conflict

__all__ = ["PAIR_COLUMNS", "source_pairs"]

PAIR_COLUMNS = ("a", "b", "shared", "agree", "share", "conflicts", "near_copy")
_BLOCK = 512  # sources per block of the source × source products


def source_pairs(
    stances: Iterable[SourceStance],
    conflicts: Iterable[Conflict],
    near_copies: Iterable[tuple[str, str]],
) -> pd.DataFrame:
    """One row per pair of sources (``a`` < ``b``) with PAIR_COLUMNS, from every source's
    stance on the claims it states (kb.analyze.agreement.stance_table), the conflicts, and
    the pairs of near-duplicate sources.

    >>> from kb.analyze.agreement import SourceStance as S
    >>> source_pairs([S("c1", "a", "affirms"), S("c1", "b", "negates")], [], [])
       a  b  shared  agree  share  conflicts  near_copy
    0  a  b       1      0    0.0          0      False
    """
    frame = pd.DataFrame(list(stances), columns=list(SourceStance._fields))
    found = _shared_and_agreeing(frame)
    opposed = _opposed(conflicts)
    copies = {(min(a, b), max(a, b)) for a, b in near_copies if a != b}

    columns = ["a", "b", "shared", "agree"]
    pairs = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    known = set(zip(pairs["a"], pairs["b"], strict=True))
    unshared = sorted((set(opposed) | copies) - known)
    if unshared:
        extra = pd.DataFrame([(a, b, 0, 0) for a, b in unshared], columns=columns)
        pairs = pd.concat([pairs, extra], ignore_index=True)
    pairs["shared"] = pairs["shared"].astype(int)
    pairs["agree"] = pairs["agree"].astype(int)
    pairs["share"] = (pairs["agree"] / pairs["shared"].where(pairs["shared"] > 0)).round(3)
    keys = list(zip(pairs["a"], pairs["b"], strict=True))
    pairs["conflicts"] = [opposed.get(k, 0) for k in keys]
    pairs["near_copy"] = [k in copies for k in keys]
    return pairs.sort_values(
        ["conflicts", "near_copy", "shared", "a", "b"], ascending=[False, False, False, True, True]
    ).reset_index(drop=True)


def _shared_and_agreeing(stances: pd.DataFrame) -> list[pd.DataFrame]:
    """(a, b, shared, agree) for every pair that takes a side on a common claim, a block
    of sources at a time."""
    sided = stances[stances["stance"] != "mixed"]
    stated_by = sided["claim_id"].value_counts()
    sided = sided[sided["claim_id"].isin(stated_by.index[stated_by >= 2])]
    source_ids = sorted(set(sided["source"]))
    index = {s: i for i, s in enumerate(source_ids)}
    column = {c: j for j, c in enumerate(sorted(set(sided["claim_id"])))}
    yes = np.zeros((len(source_ids), len(column)), dtype=np.float32)
    no = np.zeros_like(yes)
    # As integers even when empty (an empty column has no integer dtype to keep).
    rows = sided["source"].map(index).to_numpy(dtype=np.intp)
    cols = sided["claim_id"].map(column).to_numpy(dtype=np.intp)
    negates = (sided["stance"] == "negates").to_numpy()
    yes[rows[~negates], cols[~negates]] = 1
    no[rows[negates], cols[negates]] = 1
    both = yes + no

    names = np.array(source_ids, dtype=object)
    found = []
    for start in range(0, len(source_ids), _BLOCK):
        stop = min(len(source_ids), start + _BLOCK)
        shared = both[start:stop] @ both.T
        agree = yes[start:stop] @ yes.T + no[start:stop] @ no.T
        first, second = np.nonzero(shared)
        upper = second > first + start
        first, second = first[upper], second[upper]
        found.append(
            pd.DataFrame(
                {
                    "a": names[first + start],
                    "b": names[second],
                    "shared": shared[first, second].astype(int),
                    "agree": agree[first, second].astype(int),
                }
            )
        )
    return found


def _opposed(conflicts: Iterable[Conflict]) -> dict[tuple[str, str], int]:
    """(a, b) → how many conflicts have the two on opposite sides: a on a side b is not
    on, b on another side a is not on."""
    opposed: dict[tuple[str, str], int] = defaultdict(int)
    for conflict in conflicts:
        sides = [set(side.sources) for side in conflict.sides]
        met = set()
        for i, left in enumerate(sides):
            for right in sides[i + 1 :]:
                met |= {(min(a, b), max(a, b)) for a in left - right for b in right - left}
        for pair in met:
            opposed[pair] += 1
    return opposed
