"""Segmentation: exact spans, list items with labels, headings as sections."""

from functools import lru_cache

import pytest
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


# Words spaCy's English tokenizer splits or treats specially, beside plain words.
_TRICKY = st.sampled_from(
    ["I'm", "a", "x", "cannot", "gonna", "don't", "U.S.", "vs.", "a.m.", "No.", "St.", "etc.",
     "(", ")", '"', "'s", "n't", "...", "—", "5", "10.5", "Hi", "OK", ":)", "Mr.", "co."]
)  # fmt: skip
shortcut_prone = st.lists(st.one_of(_PIECES, _TRICKY), max_size=80).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(article_like, shortcut_prone))
def test_units_are_the_sentences_spacys_sentencizer_finds_in_each_block(text):
    # split_units tokenizes a shortened text (plain words as one letter) for speed; its
    # sentences must still be those the real component finds in the text with citation
    # markers and abbreviations masked (_masked, which keeps every offset).
    from kb.nlp.segment import _blocks, _masked

    masked = _masked(text)
    expected = []
    for block in _blocks(masked, text):
        if block.kind in ("heading", "furniture") or block.end <= block.start:
            continue
        for sent in _sentencizer()(masked[block.start : block.end]).sents:
            start, end = block.start + sent.start_char, block.start + sent.end_char
            while start < end and masked[start].isspace():
                start += 1
            while end > start and masked[end - 1].isspace():
                end -= 1
            if end > start and any(ch.isalnum() or ch == "_" for ch in text[start:end]):
                expected.append((start, end))
    units = split_units(text)
    assert [(u.start, u.end) for u in units if u.kind in ("sentence", "item")] == expected


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


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("It is effective.[12][13] An overview found more.",
         ["It is effective.", "An overview found more."]),
        ("A trial by Smith et al. found that it relieves pain. It was small.",
         ["A trial by Smith et al. found that it relieves pain.", "It was small."]),
        ("See Fig. 2 for details. It takes approx. 20 minutes. The No. 1 cause is strain.",
         ["See Fig. 2 for details.", "It takes approx. 20 minutes.",
          "The No. 1 cause is strain."]),
        ("Turmeric is used in curries. [citation needed] It is yellow.",
         ["Turmeric is used in curries.", "It is yellow."]),
        ("Curcumin remains unproven.[4]\nIt is safe.",
         ["Curcumin remains unproven.", "It is safe."]),
        ("Does the long list of ingredients in this remedy help against colds? (Reader "
         "inquiry) It works. (See below.)",
         ["Does the long list of ingredients in this remedy help against colds?",
          "(Reader inquiry) It works.", "(See below.)"]),
    ],
    ids=["citation markers", "et al", "abbreviations before numbers", "citation needed",
         "marker at the line end", "an opening bracket opens the next"],
)  # fmt: skip
def test_citation_markers_and_abbreviations_neither_hide_nor_make_a_sentence_end(text, sentences):
    assert [u.text for u in split_units(text) if u.kind == "sentence"] == sentences


@pytest.mark.parametrize(
    "line",
    [
        "Smith J, Doe AB. Acupuncture for chronic pain. J Pain. 2010;11(3):1-10.",
        "Categories: Herbs | Spices | Medicinal plants",
        "Figure 2: Turmeric root and powder.",
        "Keywords: acupuncture, low back pain, randomised trial",
        "Lee, M. S. (2019). Curcumin for arthritis. doi:10.1000/182",
    ],
)
def test_references_captions_and_category_lines_are_furniture(line):
    text = "Turmeric is a plant.\n" + line + "\nIt is yellow."
    units = split_units(text)
    assert [(u.kind, u.text) for u in units] == [
        ("sentence", "Turmeric is a plant."),
        ("furniture", line),
        ("sentence", "It is yellow."),
    ]


def test_a_sentence_that_names_a_year_after_a_short_word_is_no_reference():
    # "and" is not an author's initials: only a case-sensitive pattern tells them apart.
    line = "Turmeric and curcumin have been studied in many trials since 2017."
    assert [u.kind for u in split_units(line)] == ["sentence"]


def test_what_a_references_section_lists_is_furniture():
    text = (
        "Fish oil lowers triglycerides.\n\n## Further reading\n\n"
        "- Smith, Ann. _How fish oil can treat depression_. Penguin.\n\n"
        "## Dietary sources\n\nKrill oil is a source of omega-3."
    )
    kinds = {u.text: u.kind for u in split_units(text)}
    assert kinds["Fish oil lowers triglycerides."] == "sentence"
    assert {kinds[t] for t in kinds if "Smith" in t or "depression" in t} == {"furniture"}
    assert kinds["Krill oil is a source of omega-3."] == "sentence"
