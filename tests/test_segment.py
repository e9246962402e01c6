"""Segmentation: exact spans, list items with labels, headings as sections."""

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.nlp.segment import blank_nlp, sentence_spans, split_units

# Text shaped like web articles: words, punctuation, bullets, digits, odd whitespace.
_PIECES = st.sampled_from(
    ["Acupuncture", "helps", "pain", ".", "?", "!", ":", ",", " ", "  ", "\n", "\n\n", "\t",
     "\u00a0", "•", "1.", "2)", "-", "#", "Dr.", "10-20", "$70", "“", "”", "’", "\r", "e.g."]
)  # fmt: skip
article_like = st.lists(_PIECES, max_size=80).map("".join)


def _check_units(text: str) -> None:
    units = split_units(text)
    previous_end = 0
    for unit in units:
        assert text[unit.start : unit.end] == unit.text
        assert unit.start >= previous_end, "units overlap"
        assert unit.text == unit.text.strip() and unit.text
        previous_end = unit.end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_exact_nonoverlapping_units(text):
    _check_units(text)


@settings(max_examples=300, deadline=None)
@given(article_like)
def test_article_like_text_gives_exact_nonoverlapping_units(text):
    _check_units(text)


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@settings(max_examples=300, deadline=None)
@given(article_like)
def test_sentences_split_where_spacys_sentencizer_splits(text):
    # sentence_spans applies the sentencizer's rule to token arrays for speed; it must
    # agree with the real component on every text.
    expected = [(s.start_char, s.end_char) for s in _sentencizer()(text).sents]
    assert sentence_spans(blank_nlp()(text)) == expected


def test_numbered_item_is_its_own_unit_and_carries_its_label():
    text = "Theories exist:\n  1. Pain Gate Theory: Acupuncture closes the gate. It helps.\n"
    units = split_units(text)
    items = [u for u in units if u.kind == "item"]
    assert [u.text for u in items] == ["Acupuncture closes the gate.", "It helps."]
    assert {u.label for u in items} == {"Pain Gate Theory"}


def test_bullet_after_no_break_space_and_unpunctuated_items():
    text = (
        "Points include:\n"
        "• Release of natural opioids:\u00a0Your brain makes opioids.\n• Neck\n• Hip\n"
    )
    units = split_units(text)
    assert [(u.kind, u.label, u.text) for u in units[1:]] == [
        ("item", "Release of natural opioids", "Your brain makes opioids."),
        ("item", "", "Neck"),
        ("item", "", "Hip"),
    ]


def test_bullet_items_do_not_merge_with_following_paragraph():
    units = split_units("• Neck\nThe needles stay in.")
    assert [u.text for u in units] == ["Neck", "The needles stay in."]


def test_heading_becomes_section_of_following_units():
    text = "How It Works\n\nNeedles stay in for 20 minutes. It is safe.\n\nCosts\n\nIt costs $70."
    units = split_units(text)
    assert [(u.kind, u.section) for u in units] == [
        ("heading", ""),
        ("sentence", "How It Works"),
        ("sentence", "How It Works"),
        ("heading", ""),
        ("sentence", "Costs"),
    ]


def test_short_last_line_of_a_wrapped_paragraph_is_not_a_heading():
    units = split_units("Acupuncture is used for back pain and has shown\npromise in trials")
    assert [u.kind for u in units] == ["sentence"]


def test_markdown_heading_marks_are_not_part_of_the_heading():
    units = split_units("## Safety\n\nIt is safe.")
    assert (units[0].kind, units[0].text) == ("heading", "Safety")
    assert units[1].section == "Safety"


def test_abbreviations_do_not_end_sentences():
    units = split_units("According to Dr. Claflin, it works. It is cheap.")
    assert [u.text for u in units] == ["According to Dr. Claflin, it works.", "It is cheap."]
