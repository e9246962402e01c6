"""Find quantities in a sentence: durations, counts, costs, proportions, doses, frequencies.

A quantity is a number or a range with its unit, normalised to a canonical unit so that two
writers can be compared: "about 10 to 20 minutes" and "half an hour" are both minutes,
"six to eight visits" and "5-10 sessions" are both sessions, "halves the pain" and "by as
much as 50 percent" are both percent.

Every quantity satisfies ``text[q.start:q.end] == q.text``; quantities come in text order and
never overlap. The span includes the hedge ("about"), the bound ("up to") and "between" /
"from", but not the words around them ("by", "cost").

Canonical units, by dimension:

- duration: "minute" (seconds, minutes, hours, "half an hour", "an hour", "a quarter of an
  hour") and "day" (days, weeks = 7, months = 30, years = 365); comparisons convert between
  the two (a day is 1440 minutes).
- count: "session" (sessions, treatments, visits, appointments) and "needle".
- proportion: "percent" (%, percent, per cent; "halves", "in half", "by half" = 50, "by a
  third" = 33.3, "two thirds" = 66.7, "a quarter of" = 25).
- cost: "usd" ($, US$, USD, dollars), "gbp" (£, GBP), "eur" (€, EUR, euros).
- mass: "mg" (g × 1000, kg × 10⁶, mcg/µg ÷ 1000); volume: "ml" (litres × 1000).
- frequency: "per_day", "per_week", "per_month" ("twice a week", "3 times per week",
  "one to two sessions a week", "5 days a week", "once daily").

Hedges ("about", "roughly", "nearly", "some", "typically", "~", "10 or so") set ``approx``.
Bounds before the number ("up to", "as much as", "less than", "within", "≤") give "max",
and "at least", "more than", "over", "≥" give "min"; so do "6 or more" and "$100 or less"
after it. Both are kept for single values only: a bound word before a range adds nothing.
"over" right after a count or duration word means "spread across" and is no bound:
"12 sessions over 6 weeks" is exactly 6 weeks. "less than" is read as "at most".

A range is "10-20", "10–20", "10 — 20", "10 to 20", "10 or 20", "between 10 and 20" or
"from 10 to 20", with the unit after the second number or after both ("$70 to $100", "30
minutes to an hour"). Two numbers whose units disagree are two quantities ("5 sessions -
30 minutes each"). One word may stand between a number and a count unit ("10 acupuncture
sessions"); no more, so that "5 patients had sessions" is not 5 sessions.

A bare number or range with no unit of its own takes its unit from context: the nearest
count or duration word (sessions, visits, treatments, minutes, weeks...) among the previous
8 words of the same sentence, so "few visits are needed varying from 5-10" gives 5–10
sessions. A unit word that already has its own number is passed over: in "sessions last 20
minutes and 3-5 are needed", 3-5 are sessions, not minutes. Inference is deliberately
narrow, because a wrong unit is worse than none:

- only digits, or ranges of number words ("six to eight"); a single number word ("one")
  is too often a pronoun to be inferred;
- the number must start a token (after a space or an opening parenthesis), so citations
  such as "2020;21(3):45-52" give nothing;
- it must not be labelled ("Step 1", "Variant 3", "session 2", "week 4");
- it must not be followed by a noun: "20 trials" is not 20 sessions, whatever came before;
- years (a whole number from 1900 to 2100) are never inferred.

Bare numbers that cannot be inferred are skipped, never returned with dimension "other":
"Variant 3." and "in 2019" have no quantity. So are "1990s", "3rd" and "3 times" (a
multiplier, not a frequency).

A range written backwards ("8-5") keeps its text; ``low <= high`` always holds.

Not supported, on purpose or for now: vague amounts ("a few", "several"), fractions other
than the words above ("1½", "3/4"), times of day and dates, "pounds" (money or weight?),
"10 and 20" without "between", compound numbers beyond "two hundred" / "twenty-five"
("a hundred and fifty"), and two or more words between a number and its unit.

``find_quantities`` runs on every sentence of a corpus, so all patterns are compiled at
import, text with no digit and no number word is rejected by one cheap search, and the main
pattern may only start where a token starts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import NamedTuple

from kb.model import Quantity
from kb.nlp.words import LETTER, word_list

__all__ = ["find_quantities", "format_quantity", "ranges_overlap"]


class _Unit(NamedTuple):
    unit: str
    dimension: str
    factor: float = 1.0  # multiply a value in this unit by it to get the canonical unit


def _norm(words: str) -> str:
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
_UNITS: dict[str, _Unit] = {
    _norm(word): _Unit(unit, dimension, factor)
    for words, unit, dimension, factor in _UNIT_TABLE
    for word in words.split("|")
}
_TIMES = _UNITS["times"]
_MINUTES = _UNITS["minutes"]
_PERCENT = _UNITS["percent"]
_COUNT_WORDS = [w for w, u in _UNITS.items() if u.dimension == "count"]
# Words a bare number may take its unit from (see the module docstring).
_INFERABLE = {w: u for w, u in _UNITS.items() if u.dimension in ("count", "duration")}

_CURRENCIES = {
    "$": _UNITS["usd"],
    "us$": _UNITS["usd"],
    "usd": _UNITS["usd"],
    "€": _UNITS["eur"],
    "eur": _UNITS["eur"],
    "£": _UNITS["gbp"],
    "gbp": _UNITS["gbp"],
}

_HEDGES = (
    "about|around|roughly|approximately|approx.|approx|nearly|almost|some|typically|usually"
    "|generally|circa|close to|an estimated|an average of|on average"
)
_BOUND_MAX = (
    "up to|as much as|as many as|as long as|as high as|as great as|at most|at the most"
    "|no more than|not more than|no longer than|not longer than|no greater than|less than"
    "|fewer than|shorter than|under|below|a maximum of|maximum of|within"
)
_BOUND_MIN = (
    "at least|more than|greater than|longer than|over|above|in excess of|a minimum of"
    "|minimum of|no less than|not less than|no fewer than|upwards of|upward of|as little as"
    "|as few as|as short as|as low as|exceeding"
)


_ONES = word_list("one two three four five six seven eight nine")
_TEENS = word_list(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS = word_list("twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_VALUES: dict[str, float] = {
    **{w: float(i) for i, w in enumerate(_ONES, 1)},
    **{w: float(i) for i, w in enumerate(_TEENS, 10)},
    **{w: float(i * 10) for i, w in enumerate(_TENS, 2)},
    "single": 1.0,
    "couple": 2.0,
    "once": 1.0,
    "twice": 2.0,
    "thrice": 3.0,
    "half": 0.5,
}
_TIMES_WORDS = frozenset({"once", "twice", "thrice"})
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def _alternation(words: str | list[str]) -> str:
    """A regex alternation of words or phrases, longest first (so "per cent" wins over a
    shorter prefix); word-final phrases must end at a word boundary ("min" not in "mind")."""
    items = words.split("|") if isinstance(words, str) else words
    parts = []
    for item in sorted(set(items), key=len, reverse=True):
        pattern = r"\s+".join(re.escape(piece) for piece in item.split())
        parts.append(pattern + (r"(?!\w)" if item[-1].isalnum() else ""))
    return _first_letter_guard(items) + "(?:" + "|".join(parts) + ")"


def _first_letter_guard(words: Iterable[str]) -> str:
    """A look-ahead for the first characters of ``words``. The engine tries alternatives
    one by one; a look at the next character first rejects most places at once (no unit
    word follows most numbers). It changes no match.

    >>> _first_letter_guard(["min", "hour", "hours"])
    '(?=[hm])'
    """
    return "(?=[" + "".join(sorted({re.escape(word[0]) for word in words})) + "])"


_ONES_RE = "|".join(_ONES)
_DIGITS = (
    # Not inside a word or a number ("COVID-19", "v1.2", "1,5"); not a time or a date.
    rf"(?<![\w.])(?<!{LETTER}-)(?<![0-9],)"
    r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9]|[.,:/][0-9])"
)
_WORD_NUMBER = rf"""\b(?:
    (?:a|{_ONES_RE})\s+hundred | hundred
  | (?:{"|".join(_TENS)})(?:[-\s](?:{_ONES_RE})\b)?
  | {"|".join(_TEENS)} | {_ONES_RE}
  | half\s+a\s+dozen | a\s+dozen | dozen
  | a\s+single | single
  | a\s+couple(?:\s+of)? | once | twice | thrice
)\b"""
_NUMBER = rf"(?:{_DIGITS}|{_WORD_NUMBER})(?:\s+and\s+a\s+half\b)?"
_MULTIPLIER = r"(?:\s*(?:thousand|million|billion)\b|k\b)"
_CURRENCY = r"(?:US\$|[$£€]|(?<!\w)(?:USD|EUR|GBP)(?=\s))\s*"
# A word between a number and a count unit: "10 acupuncture sessions", "8 weekly visits".
_FILLER = rf"{LETTER}+(?:-{LETTER}+)*"
# Durations that carry their own value.
_SPECIAL_DURATION = r"""(?:
    (?:a\s+)?quarter[\s-]of[\s-]an[\s-]hour | three[\s-]quarters\s+of\s+an\s+hour
  | (?:a\s+)?quarter[\s-]hour | (?:an|one)\s+hour\s+and\s+a\s+half
  | half\s+an\s+hour | (?:a\s+)?half[\s-]hour | an\s+hour
)\b"""
# Proportions said in words. "a third" and "a quarter" need "by" or "of" ("a third session"
# is an ordinal); "half" must not be the start of "half an hour", and alone it needs a bound
# before it ("more than half", "up to half", "as much as half").
_PROPORTION = r"""(?:
    halv(?:e|es|ed|ing)\b
  | (?:by|in)\s+(?:a\s+)?half\b(?!\s+an?\b|[\s-]hours?\b|[\s-]dozen\b)
  | half(?=\s+(?:of|the)\b)
  | (?:(?<=than\s)|(?<=to\s)|(?<=as\s))half\b(?!\s+an?\b|[\s-]hours?\b|[\s-]dozen\b)
  | two[\s-]thirds\b | three[\s-]quarters\b(?!\s+of\s+an\s+hour)
  | by\s+(?:a|one)[\s-](?:third|quarter)\b
  | (?:a|one)[\s-](?:third|quarter)(?=\s+of\b)(?!\s+of\s+an\s+hour)
  | one-third\b
)"""
_SEPARATOR = r"(?:(?:-\s*)?\bto\b|[-–—‐‑−]|\bor\b|(?(between)\band\b|(?!)))"
_RATE = (
    r"(?:(?:\s+(?:a|an|per|each|every)\s+|\s*/\s*)(?:week|wk|day|month)\b"
    r"|\s+(?:weekly|daily|monthly)\b)"
)


# "6 or more sessions", "30 minutes or longer", "10 or so": a bound (or hedge) after the number.
_OR_SUFFIX = r"\s+or\s+(?:more|longer|greater|over|above|less|fewer|shorter|under|below|so)\b"
_TAIL_BOUNDS = {"more": "min", "longer": "min", "greater": "min", "over": "min", "above": "min"}
_UNIT_WORDS = _alternation(list(_UNITS))
_COUNT_UNIT = _alternation(_COUNT_WORDS)


def _term(i: int) -> str:
    return rf"""(?:
        (?P<sp{i}>{_SPECIAL_DURATION})
      | (?P<c{i}>{_CURRENCY})?(?P<n{i}>{_NUMBER})(?P<x{i}>{_MULTIPLIER})?(?P<oa{i}>{_OR_SUFFIX})?
        (?:(?:\s*|-)(?P<u{i}>{_UNIT_WORDS})|\s+{_FILLER}\s+(?P<cu{i}>{_COUNT_UNIT}))?
        (?P<ob{i}>{_OR_SUFFIX})?
    )"""


# One pattern for every form, compiled once. It starts only where a token starts, which
# lets the engine skip most positions of a sentence cheaply.
_QUANTITY = re.compile(
    rf"""(?<!\w)
    (?:(?P<hedge>\b{_alternation(_HEDGES)}|[~≈])\s*)?
    (?:(?:\b(?P<bmax>{_alternation(_BOUND_MAX)})|(?P<bmaxs>≤|<=|<)
         |\b(?P<bmin>{_alternation(_BOUND_MIN)})|(?P<bmins>≥|>=|>))\s*)?
    (?:(?P<hedge2>\b{_alternation(_HEDGES)}|[~≈])\s*)?
    (?:
        \b(?P<prop>{_PROPORTION})
      | (?:(?P<between>\bbetween|\bfrom)\s+)?
        {_term(1)}
        (?:\s*(?P<sep>{_SEPARATOR})\s*{_term(2)})?
        (?P<rate>{_RATE})?
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Cheap pre-check: nothing can be a quantity without a digit or one of these words.
# Words are matched as prefixes ("hour" covers "hours"); built from the same lists as the
# main pattern so the two cannot drift apart.
_MAYBE_WORDS = [*_WORD_VALUES, "hundred", "dozen", "halv", "hour", "quarter", "third"]
_MAYBE = re.compile(
    rf"[0-9]|\b{_first_letter_guard(_MAYBE_WORDS)}(?:{'|'.join(_MAYBE_WORDS)})", re.IGNORECASE
)
# The most a quantity's words can run before its number: "an average of no more than
# approximately between" is 53 characters.
_MAX_LEAD = 80
# Every word that may stand in a quantity before its number: hedges, bounds, "between",
# "from", the articles of "a third of" or "an hour", currency codes ("US$", "USD").
_LEAD_WORDS = sorted(
    {
        word.rstrip(".")
        for phrases in (_HEDGES, _BOUND_MAX, _BOUND_MIN)
        for phrase in phrases.split("|")
        for word in phrase.split()
    }
    | {"between", "from", "by", "in", "a", "an", "one", "us", "usd", "eur", "gbp"},
    key=len,
    reverse=True,
)
# The lead before a number, read backwards from it: lead words (reversed, whole words)
# and the spaces, hyphens, dots and symbols between them. Matched on the reversed text,
# it gives the earliest place a quantity ending at the number can start, so the costly
# main pattern is tried from there instead of at every word of the _MAX_LEAD characters
# before the number.
_LEAD_BACKWARDS = re.compile(
    r"(?:[\s.~≈≤≥<>=$£€-]|(?:" + "|".join(w[::-1] for w in _LEAD_WORDS) + r")(?!\w))*",
    re.IGNORECASE,
)
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
        elif token in _WORD_VALUES:
            value += _WORD_VALUES[token]
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
    currency: _Unit | None
    word: _Unit | None  # the unit word after the number, if any
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
        return _Term(start, _special_minutes(special), None, _MINUTES, end, end, False, False)
    number = _number_value(m.group(f"n{i}"))
    if number is None:
        return None
    value, digits = number
    multiplier = m.group(f"x{i}")
    if multiplier:
        value *= _MULTIPLIERS[_norm(multiplier)]
    currency = None
    if m.group(f"c{i}") is not None:
        currency = _CURRENCIES.get(_norm(m.group(f"c{i}")))
        if currency is None:
            return None
    num_end = m.end(f"x{i}") if multiplier else m.end(f"n{i}")
    or_group = f"oa{i}" if m.group(f"oa{i}") else f"ob{i}" if m.group(f"ob{i}") else None
    or_word = _norm(m.group(or_group)).split()[-1] if or_group else ""
    if m.group(f"oa{i}"):
        num_end = m.end(f"oa{i}")
    unit_group = f"u{i}" if m.group(f"u{i}") else f"cu{i}" if m.group(f"cu{i}") else None
    word = None
    if unit_group:
        word = _UNITS.get(_norm(m.group(unit_group)))
        if word is None:
            return None
    elif _norm(m.group(f"n{i}")) in _TIMES_WORDS:
        word = _TIMES  # "twice" is "two times"
    word_end = m.end(unit_group) if unit_group else num_end
    if m.group(f"ob{i}"):
        word_end = m.end(f"ob{i}")
    start = m.start(f"c{i}") if currency else m.start(f"n{i}")
    approx = "couple" in m.group(f"n{i}").casefold() or or_word == "so"
    tail = _TAIL_BOUNDS.get(or_word, "exact" if or_word in ("", "so") else "max")
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


def _compatible(a: _Unit, b: _Unit) -> bool:
    return a.unit == b.unit or a.dimension == b.dimension == "duration"


def _canonical(value: float, unit: _Unit, target: _Unit) -> float:
    """``value`` in ``unit`` expressed in ``target``'s canonical unit (minute <-> day)."""
    value *= unit.factor
    if unit.unit == "minute" and target.unit == "day":
        return value / 1440
    if unit.unit == "day" and target.unit == "minute":
        return value * 1440
    return value


def _rate(text: str) -> str:
    key = text.casefold()
    if "week" in key or "wk" in key:
        return "per_week"
    return "per_day" if "day" in key or "daily" in key else "per_month"


def _takes_rate(unit: _Unit, rate: str) -> bool:
    """Counts and multipliers become frequencies ("2 sessions a week", "3 times a day"), and
    so do days in a longer period ("5 days a week"); "20 minutes a day" stays a duration."""
    if unit.dimension == "count" or unit.unit == "times":
        return True
    return unit.unit == "day" and unit.factor == 1.0 and rate != "per_day"


def _infer_unit(text: str, start: int, end: int) -> _Unit | None:
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
        unit = _INFERABLE.get(words[i].strip(_PUNCT).casefold())
        if unit is not None and not (i and _is_numberish(words[i - 1])):
            return unit  # "20 minutes" is taken: its unit is not the bare number's
    return None


def _is_numberish(word: str) -> bool:
    key = word.strip(_PUNCT).casefold()
    return any(c.isdigit() for c in key) or key in _WORD_VALUES or key in ("hundred", "dozen")


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
    units: list[_Unit | None] = []
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
    if len(known) == 2 and not _compatible(known[0], known[1]):
        return None
    unit = units[-1] or units[0]
    end = ends[-1]
    if unit is None:
        if all(_is_year(t.value) for t in terms) or not (len(terms) == 2 or terms[0].digits):
            return None
        unit = _infer_unit(text, start, end)
        if unit is None:
            return None
    values = [_canonical(t.value, u or unit, unit) for t, u in zip(terms, units, strict=True)]
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
    if m.group("bmin") is None or _norm(m.group("bmin")) != "over":
        return False
    before = text[max(0, m.start() - 40) : m.start()].split()
    return bool(before) and before[-1].strip(_PUNCT).casefold() in _INFERABLE


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
    lo = max(0, at - _MAX_LEAD)
    backwards = text[lo:at][::-1]
    return at - _LEAD_BACKWARDS.match(backwards).end()


def _match_through(text: str, start: int, at: int) -> re.Match[str] | None:
    """The first match of the main pattern that starts between ``start`` and ``at``.

    Not a search: a search that finds nothing there goes on to the end of the text at
    every word ("COVID-19" is no quantity), where the next anchor starts a cheaper try.
    """
    match = _QUANTITY.match
    for begin in range(start, at + 1):
        m = match(text, begin)
        if m is not None:
            return m
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Quantities in ``text``, in order of position, non-overlapping.

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
        anchor = _MAYBE.search(text, pos)
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


# Base unit per canonical unit, for comparisons: durations in minutes, frequencies per day.
_BASE: dict[str, tuple[str, float]] = {
    "minute": ("minute", 1.0),
    "day": ("minute", 1440.0),
    "per_day": ("per_day", 1.0),
    "per_week": ("per_day", 1 / 7),
    "per_month": ("per_day", 1 / 30),
}


def _interval(q: Quantity) -> tuple[float, float] | None:
    """[low, high] of ``q`` in its base unit; a hedged single value is widened by 10 %."""
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
        if q.approx and q.bound == "exact":
            low, high = low * 0.9, high * 1.1
    return low * scale, high * scale


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
    taken as written.

    Two ranges that merely touch do not overlap: one writer's 10–20 minutes and another's
    20–30 minutes disagree. A single value at the edge of a range does lie in it: "halves
    the pain" agrees with "by as much as 50 percent".

    >>> def q(text):
    ...     return find_quantities(text)[0]
    >>> ranges_overlap(q("roughly thirty minutes"), q("20 to 30 minutes"))
    True
    >>> ranges_overlap(q("10-20 minutes"), q("20-30 minutes"))
    False
    >>> ranges_overlap(q("halves the pain"), q("by as much as 50 percent"))
    True
    >>> ranges_overlap(q("six to eight visits"), q("5-10 sessions"))
    True
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
    low, high = max(first[0], second[0]), min(first[1], second[1])
    if high - low > 1e-9 * max(1.0, abs(low)):
        return True
    for point, other in ((first, second), (second, first)):
        if _close(point[0], point[1]) and _within(point[0], *other):
            return True
    return False


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
