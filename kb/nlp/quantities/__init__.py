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

The modules: units.py (unit words, currencies, numbers in words, conversions), grammar.py
(the patterns), parse.py (``find_quantities``), compare.py (``ranges_overlap``) and
format.py (``format_quantity``). The Quantity record is kb.model.Quantity.
"""

from __future__ import annotations

from kb.nlp.quantities.compare import ranges_overlap
from kb.nlp.quantities.format import format_quantity
from kb.nlp.quantities.parse import find_quantities

__all__ = ["find_quantities", "format_quantity", "ranges_overlap"]
