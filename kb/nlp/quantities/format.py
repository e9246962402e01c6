"""A quantity in a short human form (``format_quantity``): "10–20 minutes", "≤ 50 %"."""

from __future__ import annotations

from kb.model import Quantity

__all__ = ["format_quantity"]


_NOUNS = {"minute": "minute", "session": "session", "needle": "needle"}
_DAY_SCALES = ((365.0, "year"), (30.0, "month"), (7.0, "week"), (1.0, "day"))
_SIGNS = {"usd": "$", "gbp": "£", "eur": "€"}


def _fmt_number(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def format_quantity(q: Quantity) -> str:
    """A short human form: "10–20 minutes", "$70–100", "≤ 50 %", "2 per week".

    Days are shown in the largest of years, months and weeks that divides them evenly.

    >>> from kb.nlp.quantities import find_quantities
    >>> [format_quantity(q) for q in find_quantities(
    ...     "up to 50%, 5-10 sessions, 2 weeks, at least £40, 1.5 hours, 1 g")]
    ['≤ 50 %', '5–10 sessions', '2 weeks', '≥ £40', '90 minutes', '1000 mg']
    """
    if q.bound == "max":
        prefix, values = "≤ ", [q.high]
    elif q.bound == "min":
        prefix, values = "≥ ", [q.low]
    elif q.bound == "range" and q.low != q.high:
        prefix, values = "", [q.low, q.high]
    else:
        prefix, values = "", [q.low]
    if q.approx:
        prefix += "~"
    if any(v is None for v in values):
        return f"{prefix}? {q.unit}".strip()
    numbers = [float(v) for v in values if v is not None]
    noun = _NOUNS.get(q.unit)
    if q.unit == "day":
        fits = (sn for sn in _DAY_SCALES if all(v % sn[0] == 0 for v in numbers))
        scale, noun = next(fits, (1.0, "day"))  # 10.5 days stays in days
        numbers = [v / scale for v in numbers]
    shown = "–".join(_fmt_number(v) for v in numbers)
    if q.unit in _SIGNS:
        return f"{prefix}{_SIGNS[q.unit]}{shown}"
    if q.unit == "percent":
        return f"{prefix}{shown} %"
    if q.unit.startswith("per_"):
        return f"{prefix}{shown} per {q.unit[4:]}"
    if noun:
        plural = "" if numbers == [1.0] else "s"
        return f"{prefix}{shown} {noun}{plural}"
    return f"{prefix}{shown} {q.unit}".strip()
