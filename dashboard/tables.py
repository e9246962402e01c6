"""Display shaping of kb.api's tables: counts of listed sources, filters and the cells of
the matrix. No judgement is made here: a claim's status, every source's stance and every
figure come from kb.api; this only counts list lengths and reshapes rows for widgets.

Pure functions of DataFrames (no Streamlit); inputs are never modified.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from kb import api
from kb.model import CERTAINTIES

__all__ = ["MATRIX_STANCES", "claim_table", "filter_claims", "matrix_cells"]

# kb's stances, and "silent" for a source that does not state the claim.
MATRIX_STANCES = (*api.STANCES, "silent")


def claim_table(claims: pd.DataFrame) -> pd.DataFrame:
    """kb.api claims() with what the tables show: affirming_n, negating_n, hedging_n,
    opposing_n (sources in each list), one column per certainty (its statements), and ``concepts``
    (subject, object and comparator that are set)."""
    table = claims.assign(
        affirming_n=claims["affirming"].map(len),
        negating_n=claims["negating"].map(len),
        hedging_n=claims["hedging"].map(len),
        opposing_n=claims["opposing"].map(len),
        **{
            certainty: claims["certainty"].map(lambda c, k=certainty: int(c.get(k, 0)))
            for certainty in CERTAINTIES
        },
    )
    table["concepts"] = [
        tuple(c for c in (s, o, k) if c)
        for s, o, k in zip(claims["subject"], claims["object"], claims["comparator"], strict=True)
    ]
    return table.reset_index(drop=True)


def filter_claims(
    table: pd.DataFrame,
    *,
    types: Iterable[str] = (),
    concepts: Iterable[str] = (),
    sources: Iterable[str] = (),
    certainties: Iterable[str] = (),
    text: str = "",
) -> pd.DataFrame:
    """Claims of any of ``types``, about any of ``concepts``, stated by any of ``sources``
    and with at least one statement of any of ``certainties``; empty filters pass all."""
    keep = pd.Series(True, index=table.index)
    if types := set(types):
        keep &= table["claim_type"].isin(types)
    if concepts := set(concepts):
        keep &= table["concepts"].map(lambda cs: not concepts.isdisjoint(cs))
    if sources := set(sources):
        stated = table["affirming"] + table["negating"] + table["hedging"]
        keep &= stated.map(lambda ss: not sources.isdisjoint(ss))
    if certainties := [c for c in certainties if c in CERTAINTIES]:
        keep &= table[certainties].sum(axis=1) > 0
    if text:
        keep &= table["label"].str.contains(text, case=False, regex=False)
    return table[keep]


def matrix_cells(
    stances: pd.DataFrame, claim_ids: Sequence[str], source_ids: Sequence[str]
) -> pd.DataFrame:
    """Every (claim, source) cell of the given rows and columns with kb's stance
    (kb.api stances()), ``silent`` where the source does not state the claim."""
    grid = pd.MultiIndex.from_product([list(claim_ids), list(source_ids)])
    known = stances[
        stances["claim_id"].isin(claim_ids) & stances["source"].isin(source_ids)
    ].set_index(["claim_id", "source"])["stance"]
    cells = known.reindex(grid, fill_value="silent")
    cells.index.names = ["claim_id", "source"]
    return cells.rename("stance").reset_index()
