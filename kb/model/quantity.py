"""A quantity a statement gives: a number or range with its canonical unit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quantity:
        """The quantity ``to_dict`` gave: how stored and exported JSON becomes a record.

        >>> q = Quantity("20 min", 3, 9, 20.0, 20.0, "minute", "duration")
        >>> Quantity.from_dict(q.to_dict()) == q
        True
        """
        return cls(
            text=data["text"],
            start=data["start"],
            end=data["end"],
            low=data["low"],
            high=data["high"],
            unit=data["unit"],
            dimension=data["dimension"],
            approx=data.get("approx", False),
            bound=data.get("bound", "exact"),
        )

    def shifted(self, offset: int) -> Quantity:
        """The quantity with its offsets moved by ``offset``: found in a sentence, placed
        in its source."""
        return replace(self, start=self.start + offset, end=self.end + offset)

    def as_value(self) -> Quantity:
        """The quantity without its text and offsets: equal for "20 minutes" in two
        sources, which is all a comparison of values reads.

        >>> a = Quantity("20 min", 3, 9, 20.0, 20.0, "minute", "duration")
        >>> b = Quantity("20 minutes", 40, 50, 20.0, 20.0, "minute", "duration")
        >>> a.as_value() == b.as_value(), a.as_value().text
        (True, '')
        """
        return replace(self, text="", start=0, end=0)

    def to_dict(self) -> dict[str, Any]:
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
