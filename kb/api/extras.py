"""Helpers of the Python API for pages and notebooks that need no KB: the kinds of
conflict, a conflict's quantities as a table, a quote's context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from kb.analyze.conflicts import describe
from kb.api.records import QUANTITY_COLUMNS, quantity_rows
from kb.model import Sentence

__all__ = ["conflict_kinds", "conflict_quantities", "context_span"]


def conflict_kinds() -> dict[str, str]:
    """Each kind of conflict kb finds, with the one line that says what it is, in the
    registry's order (kb.analyze.conflicts)."""
    return describe()


def conflict_quantities(conflict: Mapping[str, Any]) -> pd.DataFrame:
    """The quantities each side of a conflict record (conflict_records()) states, one row
    per quantity: side (1, 2, ...), position, source, text (as kb writes it: "10–20
    minutes"), low, high, unit. Empty for a conflict with no quantities."""
    return pd.DataFrame(quantity_rows(conflict), columns=list(QUANTITY_COLUMNS))


def context_span(
    units: Sequence[Sentence], start: int, end: int, around: int = 1
) -> tuple[int, int]:
    """Offsets of the units (KnowledgeBase.units) that hold ``[start, end)`` and up to
    ``around`` sentences or items either side, not crossing a heading: a quote in its
    context is ``text[first:last]``.

    >>> units = [Sentence(0, 3, "Why", "heading"), Sentence(4, 8, "One."),
    ...          Sentence(9, 12, "Two."), Sentence(13, 20, "Three.")]
    >>> context_span(units, 9, 12), context_span(units, 4, 8), context_span(units, 30, 32)
    ((4, 20), (4, 12), (30, 32))
    """
    inside = [i for i, u in enumerate(units) if u.start < end and u.end > start]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    for _ in range(around):
        if first > 0 and units[first - 1].kind != "heading":
            first -= 1
        if last < len(units) - 1 and units[last + 1].kind != "heading":
            last += 1
    return min(units[first].start, start), max(units[last].end, end)
