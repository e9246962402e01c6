"""Whether two quantities can describe the same amount (``ranges_overlap``)."""

from __future__ import annotations

import math

from kb.model import Quantity

__all__ = ["ranges_overlap"]


# Base unit per canonical unit, for comparisons: durations in minutes, frequencies per day.
_BASE: dict[str, tuple[str, float]] = {
    "minute": ("minute", 1.0),
    "day": ("minute", 1440.0),
    "per_day": ("per_day", 1.0),
    "per_week": ("per_day", 1 / 7),
    "per_month": ("per_day", 1 / 30),
}


def _interval(q: Quantity) -> tuple[float, float] | None:
    """[low, high] of ``q`` in its base unit. A single value stands for what rounds to it
    ("10 %" for 9.5–10.5, "9.5 %" for 9.45–9.55), and a hedged one is widened by 10 %."""
    _, scale = _BASE.get(q.unit, (q.unit, 1.0))
    if q.bound == "max":
        if q.high is None:
            return None
        low, high = 0.0, q.high * (1.1 if q.approx else 1.0)
    elif q.bound == "min":
        if q.low is None:
            return None
        low, high = q.low * (0.9 if q.approx else 1.0), math.inf
    else:
        if q.low is None or q.high is None:
            return None
        low, high = q.low, q.high
        if q.bound == "exact":
            step = _rounding(low)
            low, high = low - step, high + step
            if q.approx:
                low, high = min(low, q.low * 0.9), max(high, q.high * 1.1)
    return low * scale, high * scale


def _rounding(value: float) -> float:
    """Half a unit of the last decimal ``value`` is written to: what rounding may hide.

    >>> _rounding(10.0), _rounding(9.5), _rounding(0.25)
    (0.5, 0.05, 0.005)
    """
    written = repr(float(value))
    if "e" in written or "." not in written:
        return 0.0
    decimals = len(written.split(".")[1].rstrip("0"))
    return 0.5 * 10.0**-decimals


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _within(point: float, low: float, high: float) -> bool:
    return (low <= point or _close(low, point)) and (point <= high or _close(point, high))


def ranges_overlap(a: Quantity, b: Quantity) -> bool | None:
    """Whether two quantities can describe the same amount; None when incomparable.

    Units must agree (durations compare across minutes and days, frequencies across per day
    / week / month); otherwise the answer is None. "max" is [0, high] and "min" is
    [low, inf). ``approx`` widens a single value by ±10 % ("roughly thirty minutes" is
    27–33), and the one value of an approximate "up to" / "at least" likewise; ranges are
    taken as written, and a single value stands for what rounds to it ("10 %" and "9.5 %"
    agree: two reports of one trial round one share differently).

    Two bounds of one kind compare as the values they name ("up to 80 %" and "up to
    50 %" disagree), within 10 %. Two ranges that merely touch do not overlap: one
    writer's 10–20 minutes and another's 20–30 minutes disagree. A single value at the
    edge of a range does lie in it: "halves the pain" agrees with "by as much as 50
    percent".

    >>> from kb.nlp.quantities import find_quantities
    >>> def q(text):
    ...     return find_quantities(text)[0]
    >>> ranges_overlap(q("roughly thirty minutes"), q("20 to 30 minutes"))
    True
    >>> ranges_overlap(q("10-20 minutes"), q("20-30 minutes"))
    False
    >>> ranges_overlap(q("halves the pain"), q("by as much as 50 percent"))
    True
    >>> ranges_overlap(q("by as much as 80 percent"), q("by as much as 50 percent"))
    False
    >>> ranges_overlap(q("six to eight visits"), q("5-10 sessions"))
    True
    >>> ranges_overlap(q("10 %"), q("9.5 %")), ranges_overlap(q("20 minutes"), q("25 minutes"))
    (True, False)
    >>> ranges_overlap(q("an hour"), q("1 day")), ranges_overlap(q("5 mg"), q("5 ml"))
    (False, None)
    """
    base_a = _BASE.get(a.unit, (a.unit, 1.0))[0]
    base_b = _BASE.get(b.unit, (b.unit, 1.0))[0]
    if base_a != base_b or not base_a:
        return None
    first, second = _interval(a), _interval(b)
    if first is None or second is None:
        return None
    if a.bound == b.bound and a.bound in ("max", "min"):
        # Two bounds of one kind say where the amount stops: "as much as 80 percent" and
        # "as much as 50 percent" disagree, though both allow 40. They agree within 10 %.
        edge = 1 if a.bound == "max" else 0
        x, y = first[edge], second[edge]
        return abs(x - y) <= 0.1 * max(abs(x), abs(y))
    low, high = max(first[0], second[0]), min(first[1], second[1])
    if high - low > 1e-9 * max(1.0, abs(low)):
        return True
    for point, other in ((first, second), (second, first)):
        if _close(point[0], point[1]) and _within(point[0], *other):
            return True
    return False
