"""A quantity a statement gives: a number or range with its canonical unit."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Quantity"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or range with its canonical unit, and where it is in the sentence.

    ``bound`` is "exact" (one value, ``low == high``), "range" (two values, ``low <= high``),
    "max" ("up to 50 %": ``low`` is None) or "min" ("at least 5": ``high`` is None).
    """

    text: str
    start: int
    end: int
    low: float | None
    high: float | None
    unit: str
    dimension: str
    approx: bool = False
    bound: str = "exact"

    def to_dict(self) -> dict:
        """All fields as a JSON-ready dict.

        >>> from kb.nlp.quantities import find_quantities
        >>> find_quantities("about 20 minutes")[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'text': 'about 20 minutes', 'start': 0, 'end': 16, 'low': 20.0, 'high': 20.0,
         'unit': 'minute', 'dimension': 'duration', 'approx': True, 'bound': 'exact'}
        """
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "dimension": self.dimension,
            "approx": self.approx,
            "bound": self.bound,
        }
