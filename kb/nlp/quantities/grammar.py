"""The regular grammar of a quantity: one pattern for every form (``QUANTITY``), the cheap
pre-check that rejects text without a number (``MAYBE``), and the lead words that may
come before a number (``LEAD_BACKWARDS``). All are compiled once, at import: the grammar
runs on every sentence of a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb.nlp.quantities.units import COUNT_WORDS, ONES, TEENS, TENS, UNITS, WORD_VALUES
from kb.nlp.words import LETTER

__all__ = ["LEAD_BACKWARDS", "MAX_LEAD", "MAYBE", "QUANTITY", "TAIL_BOUNDS"]

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


_ONES_RE = "|".join(ONES)
_DIGITS = (
    # Not inside a word or a number ("COVID-19", "v1.2", "1,5"); not a time or a date.
    rf"(?<![\w.])(?<!{LETTER}-)(?<![0-9],)"
    r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9]|[.,:/][0-9])"
)
_WORD_NUMBER = rf"""\b(?:
    (?:a|{_ONES_RE})\s+hundred | hundred
  | (?:{"|".join(TENS)})(?:[-\s](?:{_ONES_RE})\b)?
  | {"|".join(TEENS)} | {_ONES_RE}
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
TAIL_BOUNDS = {"more": "min", "longer": "min", "greater": "min", "over": "min", "above": "min"}
_UNIT_WORDS = _alternation(list(UNITS))
_COUNT_UNIT = _alternation(COUNT_WORDS)


def _term(i: int) -> str:
    return rf"""(?:
        (?P<sp{i}>{_SPECIAL_DURATION})
      | (?P<c{i}>{_CURRENCY})?(?P<n{i}>{_NUMBER})(?P<x{i}>{_MULTIPLIER})?(?P<oa{i}>{_OR_SUFFIX})?
        (?:(?:\s*|-)(?P<u{i}>{_UNIT_WORDS})|\s+{_FILLER}\s+(?P<cu{i}>{_COUNT_UNIT}))?
        (?P<ob{i}>{_OR_SUFFIX})?
    )"""


# One pattern for every form, compiled once. It starts only where a token starts, which
# lets the engine skip most positions of a sentence cheaply.
QUANTITY = re.compile(
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
_MAYBE_WORDS = [*WORD_VALUES, "hundred", "dozen", "halv", "hour", "quarter", "third"]
MAYBE = re.compile(
    rf"[0-9]|\b{_first_letter_guard(_MAYBE_WORDS)}(?:{'|'.join(_MAYBE_WORDS)})", re.IGNORECASE
)
# The most a quantity's words can run before its number: "an average of no more than
# approximately between" is 53 characters.
MAX_LEAD = 80
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
# main pattern is tried from there instead of at every word of the MAX_LEAD characters
# before the number.
LEAD_BACKWARDS = re.compile(
    r"(?:[\s.~≈≤≥<>=$£€-]|(?:" + "|".join(w[::-1] for w in _LEAD_WORDS) + r")(?!\w))*",
    re.IGNORECASE,
)
