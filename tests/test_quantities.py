"""Quantities: forms writers use, normalisation, comparison, and exact non-overlapping spans."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.model import Quantity
from kb.nlp.quantities import find_quantities, format_quantity, parse, ranges_overlap


def only(text: str) -> Quantity:
    """The one quantity in ``text``."""
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def fields(q: Quantity) -> tuple:
    return (q.text, q.low, q.high, q.unit, q.dimension, q.approx, q.bound)


# (sentence, low, high, unit, dimension, flags). The quantity's text is the part in brackets,
# or the whole sentence without them; flags is the bound, after "~" when approx.
FORMS = [
    # durations: ranges in every spelling
    ("10 to 20 minutes", 10, 20, "minute", "duration", "range"),
    ("10-20 minutes", 10, 20, "minute", "duration", "range"),
    ("10–20 minutes", 10, 20, "minute", "duration", "range"),
    ("10 — 20 min", 10, 20, "minute", "duration", "range"),
    ("between 10 and 20 minutes", 10, 20, "minute", "duration", "range"),
    ("from 10 to 20 minutes", 10, 20, "minute", "duration", "range"),
    ("about 20 to 30 minutes", 20, 30, "minute", "duration", "~range"),
    ("roughly 20 to 30 minutes", 20, 30, "minute", "duration", "~range"),
    ("around 20 to 30 minutes", 20, 30, "minute", "duration", "~range"),
    ("30 minutes to an hour", 30, 60, "minute", "duration", "range"),
    ("[30- to 60-minute] sessions", 30, 60, "minute", "duration", "range"),
    # durations: single values and words
    ("half an hour", 30, 30, "minute", "duration", "exact"),
    ("an hour", 60, 60, "minute", "duration", "exact"),
    ("a quarter of an hour", 15, 15, "minute", "duration", "exact"),
    ("1.5 hours", 90, 90, "minute", "duration", "exact"),
    ("an hour and a half", 90, 90, "minute", "duration", "exact"),
    ("90 seconds", 1.5, 1.5, "minute", "duration", "exact"),
    ("thirty minutes", 30, 30, "minute", "duration", "exact"),
    ("roughly thirty minutes", 30, 30, "minute", "duration", "~exact"),
    ("twenty to thirty minutes", 20, 30, "minute", "duration", "range"),
    ("twenty-five minutes", 25, 25, "minute", "duration", "exact"),
    ("a [30-minute] session", 30, 30, "minute", "duration", "exact"),
    ("for [4 weeks]", 28, 28, "day", "duration", "exact"),
    ("3 months", 90, 90, "day", "duration", "exact"),
    ("2 years", 730, 730, "day", "duration", "exact"),
    # counts
    ("six to eight visits", 6, 8, "session", "count", "range"),
    ("5-10 sessions", 5, 10, "session", "count", "range"),
    ("4-5 treatments", 4, 5, "session", "count", "range"),
    ("8-10 treatments", 8, 10, "session", "count", "range"),
    ("12 appointments", 12, 12, "session", "count", "exact"),
    ("a single treatment", 1, 1, "session", "count", "exact"),
    ("a dozen needles", 12, 12, "needle", "count", "exact"),
    ("half a dozen sessions", 6, 6, "session", "count", "exact"),
    ("a hundred needles", 100, 100, "needle", "count", "exact"),
    ("forty needles", 40, 40, "needle", "count", "exact"),
    ("ten acupuncture sessions", 10, 10, "session", "count", "exact"),
    ("at least 6 sessions", 6, None, "session", "count", "min"),
    ("no more than 20 needles", None, 20, "needle", "count", "max"),
    ("8-5 sessions", 5, 8, "session", "count", "range"),
    # costs
    ("$70-100", 70, 100, "usd", "cost", "range"),
    ("$300-375", 300, 375, "usd", "cost", "range"),
    ("$70 to $100", 70, 100, "usd", "cost", "range"),
    ("70 dollars", 70, 70, "usd", "cost", "exact"),
    ("£40", 40, 40, "gbp", "cost", "exact"),
    ("[€50] per session", 50, 50, "eur", "cost", "exact"),
    ("50 euros", 50, 50, "eur", "cost", "exact"),
    ("USD 1,200", 1200, 1200, "usd", "cost", "exact"),
    # proportions
    ("50 percent", 50, 50, "percent", "proportion", "exact"),
    ("50%", 50, 50, "percent", "proportion", "exact"),
    ("50 per cent", 50, 50, "percent", "proportion", "exact"),
    ("by [as much as 50 percent]", None, 50, "percent", "proportion", "max"),
    ("up to 80%", None, 80, "percent", "proportion", "max"),
    ("30-50%", 30, 50, "percent", "proportion", "range"),
    ("it [halves] the pain", 50, 50, "percent", "proportion", "exact"),
    ("cut pain [in half]", 50, 50, "percent", "proportion", "exact"),
    ("reduced [by half]", 50, 50, "percent", "proportion", "exact"),
    ("reduced [by a third]", 33.3, 33.3, "percent", "proportion", "exact"),
    ("[a third] of patients", 33.3, 33.3, "percent", "proportion", "exact"),
    ("[two-thirds] of patients", 66.7, 66.7, "percent", "proportion", "exact"),
    # frequencies
    ("twice a week", 2, 2, "per_week", "frequency", "exact"),
    ("once or twice a week", 1, 2, "per_week", "frequency", "range"),
    ("one to two sessions a week", 1, 2, "per_week", "frequency", "range"),
    ("3 times per week", 3, 3, "per_week", "frequency", "exact"),
    ("2-3 sessions weekly", 2, 3, "per_week", "frequency", "range"),
    ("three times a day", 3, 3, "per_day", "frequency", "exact"),
    ("5 days a week", 5, 5, "per_week", "frequency", "exact"),
    # doses
    ("500 mg", 500, 500, "mg", "mass", "exact"),
    ("1 g", 1000, 1000, "mg", "mass", "exact"),
    ("200 mcg", 0.2, 0.2, "mg", "mass", "exact"),
    ("200 µg", 0.2, 0.2, "mg", "mass", "exact"),
    ("5 ml", 5, 5, "ml", "volume", "exact"),
    # hedges and bounds around other forms
    ("~30 min", 30, 30, "minute", "duration", "~exact"),
    ("nearly 40 needles", 40, 40, "needle", "count", "~exact"),
    ("some 40 needles", 40, 40, "needle", "count", "~exact"),
    ("typically 6 sessions", 6, 6, "session", "count", "~exact"),
    ("up to about 30 minutes", None, 30, "minute", "duration", "~max"),
    ("more than an hour", 60, None, "minute", "duration", "min"),
    ("less than half an hour", None, 30, "minute", "duration", "max"),
    ("6 or more sessions", 6, None, "session", "count", "min"),
    ("30 minutes or longer", 30, None, "minute", "duration", "min"),
    ("$100 or less", None, 100, "usd", "cost", "max"),
    ("10 or so sessions", 10, 10, "session", "count", "~exact"),
    ("a couple of sessions", 2, 2, "session", "count", "~exact"),
    ("pain fell by [more than half]", 50, None, "percent", "proportion", "min"),
    ("within 24 hours", None, 1440, "minute", "duration", "max"),
]  # fmt: skip


@pytest.mark.parametrize(("marked", "low", "high", "unit", "dimension", "flags"), FORMS)
def test_form(marked, low, high, unit, dimension, flags):
    sentence = marked.replace("[", "").replace("]", "")
    text = marked[marked.index("[") + 1 : marked.index("]")] if "[" in marked else sentence
    approx, bound = flags.startswith("~"), flags.lstrip("~")
    assert fields(only(sentence)) == (text, low, high, unit, dimension, approx, bound)


_ONE_TO_TWENTY = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = _ONE_TO_TWENTY.split()


@pytest.mark.parametrize(
    ("words", "value"),
    [(w, i) for i, w in enumerate(NUMBER_WORDS, 1)]
    + [("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("ninety", 90)]
    + [("hundred", 100), ("a hundred", 100), ("two hundred", 200), ("a dozen", 12)]
    + [("Twenty-Five", 25), ("thirty one", 31), ("one and a half", 1.5)],
)
def test_number_words(words, value):
    q = only(f"It takes {words} sessions.")
    assert (q.text, q.low, q.high, q.unit) == (f"{words} sessions", value, value, "session")


def test_seed_sentences():
    found = find_quantities(
        "A single treatment may cost $70-100, 4-5 treatments may cost $300-375 and "
        "8-10 treatments may cost $500-600."
    )
    assert [format_quantity(q) for q in found] == [
        "1 session", "$70–100", "4–5 sessions", "$300–375", "8–10 sessions", "$500–600",
    ]  # fmt: skip
    needles = only("The needles stay in place for about 10 to 20 minutes before removal.")
    assert needles.text == "about 10 to 20 minutes" and needles.approx


def test_spans_are_exact_in_context():
    text = "Expect 5-10 sessions, each lasting roughly thirty minutes, at £40."
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
    assert [q.text for q in find_quantities(text)] == [
        "5-10 sessions", "roughly thirty minutes", "£40",
    ]  # fmt: skip


# --- unit inference from the previous words -------------------------------------------


def test_bare_range_takes_the_unit_of_a_previous_word():
    q = only("However, most commonly few visits are needed varying from 5-10.")
    assert (q.text, q.low, q.high, q.unit, q.dimension) == ("from 5-10", 5, 10, "session", "count")


def test_inference_with_number_words_and_parentheses():
    assert fields(only("Visits needed vary from six to eight.")) == (
        "from six to eight", 6, 8, "session", "count", False, "range",
    )  # fmt: skip
    assert only("The number of sessions (5-10) depends on you.").unit == "session"


def test_inference_takes_the_nearest_unit_word():
    q = only("Sessions take minutes, often 20 to 30.")
    assert q.unit == "minute" and (q.low, q.high) == (20, 30)


def test_inference_passes_over_units_that_have_their_own_number():
    found = find_quantities("Sessions last 20 minutes and 3-5 are needed.")
    assert [(q.text, q.unit) for q in found] == [("20 minutes", "minute"), ("3-5", "session")]
    assert find_quantities("Each of the 10 sessions lasts, on average, 30-45.")[1:] == []


def test_inference_stays_inside_the_window_and_the_sentence():
    far = "Visits were rare and the people we asked in the town said that about 5-10."
    assert find_quantities(far) == []  # "visits" is more than 8 words back
    assert find_quantities("We planned visits. Then 5-10 came.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Variant 3.",
        "Step 1",
        "See Figure 2 for the sessions.",
        "After the sessions, step 2 starts.",
        "In 2019 acupuncture was studied.",
        "Trials in the 1990s found little.",
        "Journal of Pain 2020;21(3):45-52",
        "The 3rd session was the best.",
        "Visits to 20 clinics were made.",  # "20 clinics": a bare number before a noun
        "After several sessions, a review of 20 trials.",
        "After treatment, COVID-19 cases fell.",
        "It is 3 times more likely.",
        "Someone often says one thing.",
        "We met at 10:30 on 12/05.",
        "The single-blind trial.",
        "The third session went well.",
    ],
)
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_two_quantities_separated_by_a_dash_are_not_a_range():
    found = find_quantities("5 sessions - 30 minutes each")
    assert [(q.text, q.unit) for q in found] == [
        ("5 sessions", "session"),
        ("30 minutes", "minute"),
    ]


def test_a_rate_only_turns_counts_into_frequencies():
    q = only("Do it for 20 minutes a day.")
    assert (q.text, q.unit, q.dimension) == ("20 minutes", "minute", "duration")


def test_over_after_a_count_spreads_rather_than_bounds():
    found = find_quantities("Patients had 12 sessions over 6 weeks.")
    assert [(q.text, q.bound) for q in found] == [("12 sessions", "exact"), ("6 weeks", "exact")]
    assert only("It lasted over 6 weeks.").bound == "min"


def test_currency_sign_governs_the_unit():
    q = only("A $100 session.")
    assert (q.text, q.unit) == ("$100", "usd")
    assert [q.text for q in find_quantities("$5 to £10")] == ["$5", "£10"]


# --- comparison ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("roughly thirty minutes", "20 to 30 minutes", True),
        ("six to eight visits", "5-10 sessions", True),
        ("halves the pain", "by as much as 50 percent", True),
        ("10-20 minutes", "20-30 minutes", False),  # touching ranges disagree
        ("10-20 minutes", "15 minutes", True),
        ("10-20 minutes", "20 minutes", True),  # a value at the edge lies in the range
        ("10-20 minutes", "25 minutes", False),
        ("about 22 minutes", "10-20 minutes", True),  # 22 ± 10 % reaches 19.8
        ("22 minutes", "10-20 minutes", False),
        ("up to 80%", "50 percent", True),
        ("up to 40%", "50 percent", False),
        ("at least 6 sessions", "8-10 treatments", True),
        ("at least 12 sessions", "8-10 treatments", False),
        ("1.5 hours", "90 minutes", True),
        ("2 days", "48 hours", True),
        ("an hour", "2 weeks", False),
        ("twice a day", "14 times a week", True),
        ("$70-100", "£80", None),
        ("5 mg", "5 ml", None),
        ("10 minutes", "10 sessions", None),
        ("10 needles", "10 sessions", None),
    ],
)
def test_ranges_overlap(a, b, expected):
    assert ranges_overlap(only(a), only(b)) is expected
    assert ranges_overlap(only(b), only(a)) is expected


# --- formatting and serialisation ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10-20 minutes", "10–20 minutes"),
        ("$70-100", "$70–100"),
        ("by as much as 50 percent", "≤ 50 %"),
        ("5-10 sessions", "5–10 sessions"),
        ("30 minutes", "30 minutes"),
        ("1 minute", "1 minute"),
        ("a single treatment", "1 session"),
        ("at least 6 sessions", "≥ 6 sessions"),
        ("roughly thirty minutes", "~30 minutes"),
        ("14 days", "2 weeks"),
        ("3 months", "3 months"),
        ("10 days", "10 days"),
        ("1.5 weeks", "10.5 days"),
        ("£40", "£40"),
        ("€50", "€50"),
        ("twice a week", "2 per week"),
        ("200 mcg", "0.2 mg"),
        ("reduced by a third", "33.3 %"),
    ],
)
def test_format_quantity(text, expected):
    assert format_quantity(only(text)) == expected


def test_to_dict_is_json_ready_and_complete():
    q = only("up to 80%")
    data = q.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "text": "up to 80%", "start": 0, "end": 9, "low": None, "high": 80.0,
        "unit": "percent", "dimension": "proportion", "approx": False, "bound": "max",
    }  # fmt: skip


def test_quantity_is_frozen():
    q = only("5 sessions")
    with pytest.raises(AttributeError):
        q.low = 1  # type: ignore[misc]


# --- properties ------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["10", "20", "1.5", "2019", "1,000", "-", "–", "—", " to ", " and ", " or ", "between ",
     "from ", "about ", "up to ", "at least ", "~", "$", "£", "€", "%", " percent", " minutes",
     " min", "hour", " an hour", "half", " sessions", " visits", " a week", " times", "twice",
     "six", "twenty", "-five", " a dozen", " mg", "/", ":", ";", "(", ")", ".", ",", " ", "\n",
     "x", "s", "rd", "Step ", "COVID", "ſ", "K", "İ", "½", "٣", "\u00a0"]
)  # fmt: skip
quantity_like = st.lists(_PIECES, max_size=40).map("".join)


def _check(text: str) -> None:
    found = find_quantities(text)
    previous_end = 0
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.text
        assert q.start >= previous_end, "quantities overlap or are out of order"
        previous_end = q.end
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        assert q.bound in ("exact", "range", "max", "min")
        if q.bound == "max":
            assert q.low is None and q.high is not None
        if q.bound == "min":
            assert q.high is None and q.low is not None
        assert q.dimension in (
            "duration", "count", "cost", "proportion", "mass", "volume", "frequency", "other",
        )  # fmt: skip
        json.dumps(q.to_dict(), allow_nan=False)
        format_quantity(q)
        assert ranges_overlap(q, q) in (True, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text):
    _check(text)


@settings(max_examples=500, deadline=None)
@given(quantity_like)
def test_quantity_like_text(text):
    _check(text)


_WORDY = st.lists(
    st.sampled_from(
        ["half", "an", "hour", "a", "quarter", "of", "by", "third", "thirteen", "fifteen",
         "twice", "week", "once", "single", "treatment", "dozen", "needles", "halves", "the",
         "pain", "in", "two-thirds", "more", "than", "up", "to", "sixty", "minutes", "couple"]
    ),
    max_size=12,
).map(" ".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(_WORDY, quantity_like))
def test_precheck_hides_no_quantity(text):
    everything = re.compile("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "MAYBE", everything)
        unfiltered = find_quantities(text)
    assert find_quantities(text) == unfiltered


_LEAD_HEAVY = st.lists(
    st.sampled_from(
        ["about", "approximately", "an average of", "no more than", "as much as", "at least",
         "in excess of", "upwards of", "between", "from", "by", "a", "one", "US$", "USD", "~",
         "≤", ">=", "roughly", "on average", "close to", "within", "over", "under", "10",
         "20", "half", "third", "hour", "sessions", "to", "and", "percent", "$70", "-", "."]
    ),
    max_size=14,
).map(" ".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(_LEAD_HEAVY, quantity_like))
def test_the_lead_before_a_number_hides_no_quantity(text):
    # find_quantities tries its pattern only from where the number's lead words begin
    # (grammar._LEAD_WORDS, read backwards); trying from MAX_LEAD characters before the number
    # must find nothing more: a lead word missing from the list would show here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "_lead_start", lambda t, at: max(0, at - parse.MAX_LEAD))
        unrestricted = find_quantities(text)
    assert find_quantities(text) == unrestricted
