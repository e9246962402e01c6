"""Numeric conflicts: statements of one claim give quantities of one dimension whose
ranges do not overlap once units are normalised ("10 to 20 minutes" against "20 to 30
minutes"). Comparison is quadratic only in the distinct quantity values of one claim (a
handful)."""

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
from kb.model import Conflict, Quantity, Statement
from kb.nlp.quantities import format_quantity, ranges_overlap

__all__ = ["KIND"]


def find(evidence: Evidence) -> Iterable[Conflict]:
    for claim in evidence.claims:
        # dimension → quantity value → the statements giving it (by id: a statement can
        # give one value twice, and comparing Statements field by field is slow)
        by_dimension: dict[str, dict[Quantity, dict[str, Statement]]] = defaultdict(dict)
        for st in evidence.by_claim.get(claim.id, []):
            if st.polarity != "affirmed":
                continue
            for q in st.quantities:
                quantity = q.as_value()
                by_dimension[quantity.dimension].setdefault(quantity, {})[st.id] = st
        for values in by_dimension.values():
            groups = _overlap_groups(list(values))
            if len(groups) < 2:
                continue
            sides = []
            for group in groups:
                stated = list({i: s for q in group for i, s in values[q].items()}.values())
                shown = sorted({format_quantity(q) for q in group})
                sides.append(side(" / ".join(shown), stated, claim.id))
            if between_sources(sides):
                detail = " against ".join(s.position for s in sides) + ": ranges do not overlap"
                yield make_conflict("numeric", claim.label, sides, detail)


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


KIND = ConflictKind(
    "numeric", "statements of one claim give quantities whose ranges do not overlap", find
)
