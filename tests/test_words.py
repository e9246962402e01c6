"""What a word is and which words are function words (kb.nlp.words), and every module that
reads words reading them so: a module that grew its own notion would fail here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.analyze.independence import sketch
from kb.check import _WORD as CHECK_WORD
from kb.cite import citation
from kb.ingest import FileRef, read_source
from kb.model import Source
from kb.nlp.match import BARRIERS, normalize_word, tokenize
from kb.nlp.segment import split_units
from kb.nlp.words import (
    ALIGNMENT_STOPWORDS,
    FUNCTION_WORDS,
    LETTER,
    TITLE_STOPWORDS,
    alnum_runs,
    search_words,
    word_count,
    words,
)
from kb.stages.assemble import content_words

# Every case below in one text: what each caller makes of it shows its notion of word.
SAMPLE = (
    "The patient’s well-known COVID-19 test_case: it's rock'n'roll, "
    "Ελληνικά café 2.5 µg — ‘quoted’ many needles, much pain."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it's the body’s", ["it's", "the", "body’s"]),  # an inner apostrophe, straight or curly
        ("rock'n'roll", ["rock'n'roll"]),
        ("‘quoted’ 'single' don'", ["quoted", "single", "don"]),  # quotes are not in the word
        ("well-known COVID-19", ["well", "known", "COVID", "19"]),  # a hyphen splits
        ("2.5 mg in 2020", ["2", "5", "mg", "in", "2020"]),  # digits make words; "." splits
        ("test_case", ["test_case"]),  # the underscore is a word character
        ("Ελληνικά русский 中文 café µg", ["Ελληνικά", "русский", "中文", "café", "µg"]),
        ("— … * !", []),
    ],
)
def test_what_a_word_is(text, expected):
    assert words(text) == expected


def test_a_source_s_word_count_keeps_hyphenated_compounds_whole():
    assert word_count("A well-known, evidence-based 10-minute treatment") == 5
    assert word_count("it's rock'n'roll") == 2
    assert word_count("COVID-19") == 1 and len(words("COVID-19")) == 2


def test_search_words_split_where_the_full_text_index_does():
    # FTS5's unicode61 tokenizer separates at the underscore; a check queries its tokens.
    assert search_words("test_case") == ["test", "case"]
    assert search_words("it's rock'n'roll") == ["it's", "rock'n", "roll"]
    assert search_words("Ελληνικά 2020") == ["Ελληνικά", "2020"]


def test_alnum_runs_split_at_apostrophes_into_function_word_pieces():
    contractions = "it's we'll they're I've he'd I'm don't"
    pieces = alnum_runs(contractions.lower())
    assert pieces[:2] == ["it", "s"]
    # What an apostrophe leaves ("s", "ll", "t" ...) must weigh nothing in an alignment.
    after_apostrophes = {w for w in pieces if w not in words(contractions.lower())}
    assert after_apostrophes - {"we", "they", "he", "i", "don"} <= ALIGNMENT_STOPWORDS


def test_a_letter_is_a_letter_of_any_script_and_nothing_else():
    letters = re.compile(f"{LETTER}+")
    assert letters.fullmatch("Ελληνικάcafé")
    assert not any(letters.fullmatch(x) for x in ("a1", "a_b", "a-b", "a'b"))


# -- the function word lists -------------------------------------------------------------


def test_function_words_are_lower_case_words_and_carry_no_topic():
    for listed in (FUNCTION_WORDS, ALIGNMENT_STOPWORDS, TITLE_STOPWORDS):
        assert all(words(w) == [w] and w == w.lower() for w in listed)
    assert {"the", "a", "and", "it", "you", "not", "can", "many"} <= FUNCTION_WORDS
    assert not {"pain", "needle", "acupuncture", "study", "cure"} & FUNCTION_WORDS


def test_alignment_stopwords_hold_every_person_because_rewrites_switch_person():
    pronouns = {"i", "me", "my", "you", "your", "yours", "he", "him", "his", "she", "her",
                "we", "us", "our", "ours", "they", "them", "their", "theirs"}  # fmt: skip
    assert pronouns <= ALIGNMENT_STOPWORDS
    assert {"many", "much"}.isdisjoint(ALIGNMENT_STOPWORDS)  # content when aligning


def test_a_title_key_skips_only_a_few_function_words():
    assert TITLE_STOPWORDS < FUNCTION_WORDS
    for skipped in sorted(TITLE_STOPWORDS):
        source = Source(id="s", text="", title=f"{skipped.title()} Needles")
        assert citation(source, "bibtex").startswith("@online{anonneedles,"), skipped
    kept = Source(id="s", text="", title="More Than a Needle")
    assert citation(kept, "bibtex").startswith("@online{anonmore,")


# -- every reader of words reads them so -------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab_1'’-–,;: ()Ωé\n", max_size=40))
def test_the_phrase_matcher_s_words_are_words(text):
    tokens = tokenize(text)
    assert [n for n in tokens.norms if n not in BARRIERS] == [
        normalize_word(w) for w in words(text)
    ]


def test_claim_grouping_compares_words_without_function_words():
    expected = {
        n
        for w in words(SAMPLE)
        if (n := normalize_word(w)) not in FUNCTION_WORDS and w.lower() not in FUNCTION_WORDS
    }
    assert content_words(SAMPLE) == {n for n in expected if len(n) > 2}
    assert "test_cas" in content_words(SAMPLE) and "many" not in content_words(SAMPLE)
    assert content_words("There were these") == frozenset()  # not "ther", "wer", "thes"


def test_a_check_reads_words_as_the_full_text_index_does():
    assert CHECK_WORD.findall(SAMPLE) == search_words(SAMPLE)


def test_near_duplicate_sketches_compare_alnum_runs_without_alignment_stopwords():
    sentence = "Your patient’s rock'n'roll test_case needs many Ελληνικά needles."
    [content] = sketch(sentence).sentences
    runs = alnum_runs(sentence.lower())
    assert content == tuple(sorted({w[:5] for w in runs if w not in ALIGNMENT_STOPWORDS}))
    assert "many" in content and "your" not in content and "s" not in content


def test_a_source_counts_its_words_with_word_count(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    source = read_source(FileRef(path, "w"))
    assert source.words == word_count(SAMPLE) == 17


def test_a_unit_of_text_holds_a_word():
    assert [u.text for u in split_units("* * *\n\n— …\n\nIt works.")] == ["It works."]
