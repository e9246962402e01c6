"""``find_quantities``: the quantities of a sentence, read from the grammar's matches
(kb.nlp.quantities.grammar): values and units resolved, a bare number's unit inferred
from the words before it, bounds and hedges read. kb.nlp.quantities says what is found
and what is not.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from kb.model import Quantity
from kb.nlp.quantities.grammar import LEAD_BACKWARDS, MAX_LEAD, MAYBE, QUANTITY, TAIL_BOUNDS
from kb.nlp.quantities.units import (
    CURRENCIES,
    INFERABLE,
    MINUTES,
    MULTIPLIERS,
    TIMES,
    TIMES_WORDS,
    UNITS,
    WORD_VALUES,
    Unit,
    canonical,
    compatible,
    norm,
)
from kb.nlp.words import LETTER, word_list

__all__ = ["find_quantities"]

_AND_A_HALF = re.compile(r"\s+and\s+a\s+half$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s-]+")
_WORD_CHAR = re.compile(r"\w")
_NEXT_WORD = re.compile(rf"\s*({LETTER}+)")
_PUNCT = ",;:()[]\"'“”‘’"
# A number right after one of these is a label, not an amount: "Step 1", "session 3".
_LABELS = frozenset(
    word_list(
        "step steps variant figure fig table chapter section page pages p pp level stage phase"
        " grade type version no number item part vol volume issue ref study group arm day week"
        " month year session visit treatment appointment dose"
    )
)
# Words that may follow an inferred bare number: they end the noun phrase, so the number
# is not counting some other noun ("5-10 are needed" but not "20 trials").
_AFTER_BARE = frozenset(
    word_list(
        "and or but are is was were will would may might can could should each per in on at"
        " for with depending usually typically often"
    )
)


def _word_value(words: str) -> float | None:
    """Value of a number in words: "twenty-five" 25, "a dozen" 12, "half a dozen" 6."""
    value = 0.0
    for token in _WORD_SPLIT.split(words.casefold()):
        if token in ("", "a", "of"):
            continue
        if token == "hundred":
            value = (value or 1.0) * 100
        elif token == "dozen":
            value = (value or 1.0) * 12
        elif token in WORD_VALUES:
            value += WORD_VALUES[token]
        else:  # an odd case-insensitive match (e.g. dotless i); not worth guessing
            return None
    return value


def _number_value(text: str) -> tuple[float, bool] | None:
    """(value, written in digits) of a number as matched, "and a half" included."""
    half = _AND_A_HALF.search(text)
    core = text[: half.start()] if half else text
    if core[:1].isdigit():
        value, digits = float(core.replace(",", "")), True
    else:
        word = _word_value(core)
        if word is None:
            return None
        value, digits = word, False
    return value + (0.5 if half else 0.0), digits


class _Term(NamedTuple):
    """One side of a range, before units are resolved."""

    start: int
    value: float  # in the term's own unit
    currency: Unit | None
    word: Unit | None  # the unit word after the number, if any
    num_end: int  # where the number ends
    word_end: int  # where its unit word ends (== num_end without one)
    digits: bool
    approx: bool
    tail: str = "exact"  # "min" for "6 or more", "max" for "6 or fewer"


def _read_term(m: re.Match[str], i: int) -> _Term | None:
    """Side ``i`` (1 or 2) of a match; None when it cannot be read."""
    special = m.group(f"sp{i}")
    if special is not None:
        end = m.end(f"sp{i}")
        start = m.start(f"sp{i}")
        return _Term(start, _special_minutes(special), None, MINUTES, end, end, False, False)
    number = _number_value(m.group(f"n{i}"))
    if number is None:
        return None
    value, digits = number
    multiplier = m.group(f"x{i}")
    if multiplier:
        value *= MULTIPLIERS[norm(multiplier)]
    currency = None
    if m.group(f"c{i}") is not None:
        currency = CURRENCIES.get(norm(m.group(f"c{i}")))
        if currency is None:
            return None
    num_end = m.end(f"x{i}") if multiplier else m.end(f"n{i}")
    or_group = f"oa{i}" if m.group(f"oa{i}") else f"ob{i}" if m.group(f"ob{i}") else None
    or_word = norm(m.group(or_group)).split()[-1] if or_group else ""
    if m.group(f"oa{i}"):
        num_end = m.end(f"oa{i}")
    unit_group = f"u{i}" if m.group(f"u{i}") else f"cu{i}" if m.group(f"cu{i}") else None
    word = None
    if unit_group:
        word = UNITS.get(norm(m.group(unit_group)))
        if word is None:
            return None
    elif norm(m.group(f"n{i}")) in TIMES_WORDS:
        word = TIMES  # "twice" is "two times"
    word_end = m.end(unit_group) if unit_group else num_end
    if m.group(f"ob{i}"):
        word_end = m.end(f"ob{i}")
    start = m.start(f"c{i}") if currency else m.start(f"n{i}")
    approx = "couple" in m.group(f"n{i}").casefold() or or_word == "so"
    tail = TAIL_BOUNDS.get(or_word, "exact" if or_word in ("", "so") else "max")
    return _Term(start, value, currency, word, num_end, word_end, digits, approx, tail)


def _special_minutes(text: str) -> float:
    """Minutes in "half an hour", "a quarter of an hour", "an hour and a half"..."""
    key = text.casefold()
    if "quarter" in key:
        return 45.0 if "three" in key else 15.0
    if "and a half" in " ".join(key.split()):
        return 90.0
    return 30.0 if "half" in key else 60.0


def _proportion(text: str) -> float:
    """Percent in "halves", "by a third", "two thirds", "a quarter of"..."""
    key = text.casefold()
    if "half" in key or "halv" in key:
        return 50.0
    if "third" in key:
        return 66.7 if "two" in key else 33.3
    return 75.0 if "three" in key else 25.0


def _rate(text: str) -> str:
    key = text.casefold()
    if "week" in key or "wk" in key:
        return "per_week"
    return "per_day" if "day" in key or "daily" in key else "per_month"


def _takes_rate(unit: Unit, rate: str) -> bool:
    """Counts and multipliers become frequencies ("2 sessions a week", "3 times a day"), and
    so do days in a longer period ("5 days a week"); "20 minutes a day" stays a duration."""
    if unit.dimension == "count" or unit.unit == "times":
        return True
    return unit.unit == "day" and unit.factor == 1.0 and rate != "per_day"


def _infer_unit(text: str, start: int, end: int) -> Unit | None:
    """Unit of a bare number from the previous 8 words of its sentence (module docstring)."""
    if start > 0 and not text[start - 1].isspace():
        opening = text[start - 1] == "("
        if not opening or (start > 1 and not text[start - 2].isspace()):
            return None
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1).casefold() not in _AFTER_BARE:
        return None
    window = text[max(0, start - 200) : start]
    words = window[window.rfind("\n") + 1 :].split()[-8:]
    if words and words[-1].strip(_PUNCT).casefold() in _LABELS:
        return None
    for i in range(len(words) - 1, -1, -1):
        if words[i][-1] in ".!?":  # the previous sentence
            return None
        unit = INFERABLE.get(words[i].strip(_PUNCT).casefold())
        if unit is not None and not (i and _is_numberish(words[i - 1])):
            return unit  # "20 minutes" is taken: its unit is not the bare number's
    return None


def _is_numberish(word: str) -> bool:
    key = word.strip(_PUNCT).casefold()
    return any(c.isdigit() for c in key) or key in WORD_VALUES or key in ("hundred", "dozen")


def _is_year(value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100


def _build(m: re.Match[str], text: str, terms: list[_Term], use_rate: bool) -> Quantity | None:
    """A Quantity from one or two read terms, or None when they do not make one."""
    start = m.start()
    if m.group("between") is not None and len(terms) == 1:
        return None  # "from 10" without its other end; retried without "from"
    currency = next((t.currency for t in terms if t.currency), None)
    if any(t.currency not in (None, currency) for t in terms):
        return None  # "$5 to £10"
    units: list[Unit | None] = []
    ends: list[int] = []
    for term in terms:
        if currency is None:
            units.append(term.word)
            ends.append(term.word_end)
        else:  # the currency sign governs; a unit word after it ("$100 sessions") is not ours
            units.append(currency)
            same = term.word is not None and term.word.unit == currency.unit
            ends.append(term.word_end if same else term.num_end)
    known = [u for u in units if u is not None]
    if len(known) == 2 and not compatible(known[0], known[1]):
        return None
    unit = units[-1] or units[0]
    end = ends[-1]
    if unit is None:
        if all(_is_year(t.value) for t in terms) or not (len(terms) == 2 or terms[0].digits):
            return None
        unit = _infer_unit(text, start, end)
        if unit is None:
            return None
    values = [canonical(t.value, u or unit, unit) for t, u in zip(terms, units, strict=True)]
    # A multiplier without a rate has no canonical unit: it is no quantity.
    canonical_unit, dimension = ("", "") if unit.unit == "times" else unit[:2]
    rate = m.group("rate")
    if use_rate and rate is not None and _takes_rate(unit, _rate(rate)):
        canonical_unit, dimension = _rate(rate), "frequency"
        values = [t.value for t in terms]  # counts, as written
        end = m.end("rate")
    if not canonical_unit:
        return None  # "3 times", "twice": a multiplier, not an amount
    if _WORD_CHAR.match(text, end) and _WORD_CHAR.match(text, end - 1):
        return None  # ends inside a token: "1990s", "3rd", "$70abc"
    if not all(math.isfinite(v) for v in values):
        return None
    approx = m.group("hedge") is not None or m.group("hedge2") is not None
    approx = approx or any(t.approx for t in terms)
    bound = _prefix_bound(m) or terms[0].tail
    if len(terms) == 2:
        bound = "range"  # a bound word before a range ("up to 10-20") adds nothing
    elif _spans_a_period(m, text):
        # "12 sessions over 6 weeks": "over" means "spread across", not "more than".
        bound = terms[0].tail
        start = m.start("hedge2") if m.group("hedge2") is not None else terms[0].start
        approx = m.group("hedge2") is not None or terms[0].approx  # a hedge before "over" is cut
    return _make(text, start, end, values, canonical_unit, dimension, approx, bound)


def _prefix_bound(m: re.Match[str]) -> str:
    """ "max" / "min" for a bound word before the number ("up to", "at least"), else ""."""
    if m.group("bmax") is not None or m.group("bmaxs") is not None:
        return "max"
    if m.group("bmin") is not None or m.group("bmins") is not None:
        return "min"
    return ""


def _spans_a_period(m: re.Match[str], text: str) -> bool:
    """True for "over" right after a count or duration word: "10 sessions over 6 weeks"."""
    if m.group("bmin") is None or norm(m.group("bmin")) != "over":
        return False
    before = text[max(0, m.start() - 40) : m.start()].split()
    return bool(before) and before[-1].strip(_PUNCT).casefold() in INFERABLE


def _make(
    text: str,
    start: int,
    end: int,
    values: list[float],
    unit: str,
    dimension: str,
    approx: bool,
    bound: str,
) -> Quantity:
    low: float | None = min(values)
    high: float | None = max(values)
    if bound == "max":
        low = None
    elif bound == "min":
        high = None
    return Quantity(text[start:end], start, end, low, high, unit, dimension, approx, bound)


def _interpret(m: re.Match[str], text: str) -> Quantity | None:
    """The quantity a regex match stands for, or None when it is not one."""
    if m.group("prop") is not None:
        approx = m.group("hedge") is not None or m.group("hedge2") is not None
        value = _proportion(m.group("prop"))
        bound = _prefix_bound(m) or "exact"
        return _make(text, m.start(), m.end(), [value], "percent", "proportion", approx, bound)
    first = _read_term(m, 1)
    if first is None:
        return None
    if m.group("sep") is not None:
        second = _read_term(m, 2)
        if second is not None:
            both = _build(m, text, [first, second], use_rate=True)
            if both is not None:
                return both
        # "5 sessions - 30 minutes each": two quantities, not a range; keep the first.
        return _build(m, text, [first], use_rate=False)
    return _build(m, text, [first], use_rate=True)


def _lead_start(text: str, at: int) -> int:
    """Where a quantity whose number (or number word) starts at ``at`` may start at the
    earliest: before the run of lead words, spaces and symbols that ends at ``at``.

    >>> text = "It lasts for about 20 minutes."
    >>> text[_lead_start(text, text.index("20")):]
    ' about 20 minutes.'
    """
    lo = max(0, at - MAX_LEAD)
    backwards = text[lo:at][::-1]
    return at - LEAD_BACKWARDS.match(backwards).end()


def _match_through(text: str, start: int, at: int) -> re.Match[str] | None:
    """The first match of the main pattern that starts between ``start`` and ``at``.

    Not a search: a search that finds nothing there goes on to the end of the text at
    every word ("COVID-19" is no quantity), where the next anchor starts a cheaper try.
    """
    match = QUANTITY.match
    for begin in range(start, at + 1):
        m = match(text, begin)
        if m is not None:
            return m
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Quantities in ``text``, in order of position, non-overlapping.

    >>> from kb.nlp.quantities import format_quantity
    >>> [format_quantity(q) for q in find_quantities(
    ...     "The needles stay in place for about 10 to 20 minutes; a treatment costs $70-100.")]
    ['~10–20 minutes', '$70–100']
    >>> [q.text for q in find_quantities("Few visits are needed, varying from 5-10.")]
    ['from 5-10']
    >>> find_quantities("It can alleviate pain by as much as 50 percent.")[0].bound
    'max'
    >>> [format_quantity(q) for q in find_quantities("Half an hour, twice a week, halves pain.")]
    ['30 minutes', '2 per week', '50 %']
    >>> find_quantities("Variant 3 was published in 2019 (see Step 1).")
    []
    """
    found: list[Quantity] = []
    pos = 0
    while pos <= len(text):
        # The full pattern is costly to try at every word; start it shortly before the
        # next digit or number word, the part no quantity lacks.
        anchor = MAYBE.search(text, pos)
        if anchor is None:
            return found
        m = _match_through(text, max(pos, _lead_start(text, anchor.start())), anchor.start())
        if m is None:
            pos = anchor.start() + 1  # a later quantity holds a later anchor
            continue
        quantity = _interpret(m, text)
        if quantity is None:
            # A shorter match may start later ("from 10" -> "10"), but not inside a bare
            # number: "2020" rejected, "020", "20" and "0" would be too (a third of all
            # searches on abstracts, which are full of years and counts).
            bare = m.group().isalnum()
            pos = m.end() if bare else m.start() + 1
        else:
            found.append(quantity)
            pos = quantity.end
    return found
