"""The words of quantities: units (with their canonical unit, dimension and factor),
currencies and numbers in words; converting a value between units of one dimension.

Canonical units, by dimension (kb.nlp.quantities says which words give each):

- duration: "minute" and "day" (a day is 1440 minutes);
- count: "session" and "needle";
- proportion: "percent";
- cost: "usd", "gbp", "eur";
- mass: "mg"; volume: "ml";
- frequency: "per_day", "per_week", "per_month" (from a count or multiplier and a rate).
"""

from __future__ import annotations

from typing import NamedTuple

from kb.nlp.words import word_list

__all__ = [
    "COUNT_WORDS",
    "CURRENCIES",
    "INFERABLE",
    "MINUTES",
    "MULTIPLIERS",
    "ONES",
    "TEENS",
    "TENS",
    "TIMES",
    "TIMES_WORDS",
    "UNITS",
    "WORD_VALUES",
    "Unit",
    "canonical",
    "compatible",
    "norm",
]


class Unit(NamedTuple):
    unit: str
    dimension: str
    factor: float = 1.0  # multiply a value in this unit by it to get the canonical unit


def norm(words: str) -> str:
    """Lookup key: case-folded, single spaces. Case folding (not lower()) because the regexes
    match case-insensitively, and e.g. "ſ" or "K" (Kelvin sign) match "s" and "k"."""
    return " ".join(words.casefold().split())


# Unit words: (spellings separated by "|", canonical unit, dimension, factor).
_UNIT_TABLE: tuple[tuple[str, str, str, float], ...] = (
    ("seconds|second|secs|sec", "minute", "duration", 1 / 60),
    ("minutes|minute|mins|min", "minute", "duration", 1.0),
    ("hours|hour|hrs|hr", "minute", "duration", 60.0),
    ("days|day", "day", "duration", 1.0),
    ("weeks|week|wks|wk", "day", "duration", 7.0),
    ("months|month", "day", "duration", 30.0),
    ("years|year|yrs|yr", "day", "duration", 365.0),
    (
        "sessions|session|treatments|treatment|visits|visit|appointments|appointment",
        "session",
        "count",
        1.0,
    ),
    ("needles|needle", "needle", "count", 1.0),
    ("%|percent|per cent|pct|percentage points|percentage point", "percent", "proportion", 1.0),
    ("dollars|dollar|us dollars|usd", "usd", "cost", 1.0),
    ("euros|euro|eur", "eur", "cost", 1.0),
    ("gbp|pounds sterling", "gbp", "cost", 1.0),
    ("mg|milligrams|milligram|milligrammes|milligramme", "mg", "mass", 1.0),
    ("g|grams|gram|grammes|gramme", "mg", "mass", 1000.0),
    ("kg|kilograms|kilogram", "mg", "mass", 1_000_000.0),
    ("mcg|µg|μg|micrograms|microgram", "mg", "mass", 0.001),
    ("ml|milliliters|milliliter|millilitres|millilitre|cc", "ml", "volume", 1.0),
    ("liters|liter|litres|litre", "ml", "volume", 1000.0),
    # A multiplier: only a quantity when a rate follows ("3 times a week").
    ("times|x|×", "times", "frequency", 1.0),
)
UNITS: dict[str, Unit] = {
    norm(word): Unit(unit, dimension, factor)
    for words, unit, dimension, factor in _UNIT_TABLE
    for word in words.split("|")
}
TIMES = UNITS["times"]
MINUTES = UNITS["minutes"]
COUNT_WORDS = [w for w, u in UNITS.items() if u.dimension == "count"]
# Words a bare number may take its unit from (see the module docstring).
INFERABLE = {w: u for w, u in UNITS.items() if u.dimension in ("count", "duration")}

CURRENCIES = {
    "$": UNITS["usd"],
    "us$": UNITS["usd"],
    "usd": UNITS["usd"],
    "€": UNITS["eur"],
    "eur": UNITS["eur"],
    "£": UNITS["gbp"],
    "gbp": UNITS["gbp"],
}

ONES = word_list("one two three four five six seven eight nine")
TEENS = word_list("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
TENS = word_list("twenty thirty forty fifty sixty seventy eighty ninety")
WORD_VALUES: dict[str, float] = {
    **{w: float(i) for i, w in enumerate(ONES, 1)},
    **{w: float(i) for i, w in enumerate(TEENS, 10)},
    **{w: float(i * 10) for i, w in enumerate(TENS, 2)},
    "single": 1.0,
    "couple": 2.0,
    "once": 1.0,
    "twice": 2.0,
    "thrice": 3.0,
    "half": 0.5,
}
TIMES_WORDS = frozenset({"once", "twice", "thrice"})
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def compatible(a: Unit, b: Unit) -> bool:
    return a.unit == b.unit or a.dimension == b.dimension == "duration"


def canonical(value: float, unit: Unit, target: Unit) -> float:
    """``value`` in ``unit`` expressed in ``target``'s canonical unit (minute <-> day)."""
    value *= unit.factor
    if unit.unit == "minute" and target.unit == "day":
        return value / 1440
    if unit.unit == "day" and target.unit == "minute":
        return value * 1440
    return value
