"""Citations: each style on full and bare sources, escaping, unique keys, bad styles."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.cite import (
    CITATION_STYLES,
    citation,
    format_citations,
    missing_metadata,
    parse_date,
    split_authors,
)
from kb.model import Source

FULL = Source(
    id="002_3d8a8a3cfc7bd624",
    text="",
    title="Can acupuncture help relieve back pain?",
    author="Jane Doe and Mayo Clinic Staff",
    site="Harvard Health",
    url="https://www.health.harvard.edu/pain/acupuncture",
    date="2021-03-04",
    kind="news",
)
BARE = Source(id="001_74bcc08647316d1d", text="", title="Acupuncture and Lower Back Pain")


def test_markdown_full_source():
    assert citation(FULL, "markdown") == (
        "- Jane Doe and Mayo Clinic Staff (2021). "
        "[Can acupuncture help relieve back pain?](https://www.health.harvard.edu/pain/acupuncture)"
        " *Harvard Health*."
    )


def test_markdown_bare_source_has_no_empty_parts():
    assert citation(BARE, "markdown") == "- Acupuncture and Lower Back Pain."
    untitled = Source(id="s7", text="", date="May 2020")
    assert citation(untitled, "markdown") == "- s7 (2020)."


def test_markdown_escapes_title_markup_and_link_breakers():
    source = Source(id="x", text="", title="[Draft] *Needles* & pain_scores",
                    url="https://x.org/a (b)")  # fmt: skip
    line = citation(source, "markdown")
    assert line == r"- [\[Draft\] \*Needles\* & pain\_scores](https://x.org/a%20%28b%29)."


def test_bibtex_full_source():
    assert citation(FULL, "bibtex") == (
        "@online{doe2021acupuncture,\n"
        "  title = {Can acupuncture help relieve back pain?},\n"
        "  author = {Doe, Jane and {Mayo Clinic Staff}},\n"
        "  year = {2021},\n"
        "  date = {2021-03-04},\n"
        "  url = {https://www.health.harvard.edu/pain/acupuncture},\n"
        "  organization = {Harvard Health},\n"
        "  note = {kb source 002\\_3d8a8a3cfc7bd624},\n"
        "}"
    )


def test_bibtex_bare_source():
    assert citation(BARE, "bibtex") == (
        "@online{anonacupuncture,\n"
        "  title = {Acupuncture and Lower Back Pain},\n"
        "  note = {kb source 001\\_74bcc08647316d1d},\n"
        "}"
    )


def test_bibtex_escapes_special_characters_but_not_the_url():
    source = Source(id="s", text="", title="R&D: 50% of $5 #1 a_b {x} ~ ^ \\",
                    author="Zoë Ünal", url="https://x.org/?a=1%20&b_c")  # fmt: skip
    entry = citation(source, "bibtex")
    assert (
        r"title = {R\&D: 50\% of \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{}"
        r" \textbackslash{}}," in entry
    )
    assert "url = {https://x.org/?a=1%20&b_c}," in entry
    assert entry.startswith("@online{unalrd,")  # the key is ASCII only


def test_bibtex_keys_are_unique_within_one_call():
    twin = Source(id="other", text="", title=FULL.title, author="Jane Doe", date="2021")
    entries = format_citations([FULL, twin, FULL], "bibtex")
    keys = [line.split("{")[1].rstrip(",") for line in entries.splitlines() if line[:1] == "@"]
    assert keys == ["doe2021acupuncture", "doe2021acupuncturea", "doe2021acupunctureb"]


def test_csl_json_full_source():
    (item,) = json.loads(citation(FULL, "csl-json"))
    assert item == {
        "id": FULL.id,
        "type": "webpage",
        "title": FULL.title,
        "author": [{"family": "Doe", "given": "Jane"}, {"literal": "Mayo Clinic Staff"}],
        "URL": FULL.url,
        "issued": {"date-parts": [[2021, 3, 4]]},
        "container-title": "Harvard Health",
    }


def test_csl_json_bare_source_and_journal_type():
    journal = Source(id="j", text="", title="Trial", kind="journal", date="Published June 2019")
    items = json.loads(format_citations([BARE, journal], "csl-json"))
    assert items[0] == {"id": BARE.id, "type": "webpage", "title": BARE.title}
    assert items[1]["type"] == "article-journal"
    assert items[1]["issued"] == {"date-parts": [[2019, 6]]}


def test_csl_json_is_sorted_and_indented():
    text = citation(FULL, "csl-json")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2021", (2021,)),
        ("2021-03", (2021, 3)),
        ("2021-03-04T09:30:00+00:00", (2021, 3, 4)),
        ("March 4, 2021", (2021, 3, 4)),
        ("4th March 2021", (2021, 3, 4)),
        ("03/04/2021", (2021,)),
        ("2021-02-30", (2021, 2)),
        ("", ()),
        ("unknown", ()),
    ],
)
def test_parse_date(text, parts):
    assert parse_date(text) == parts


def test_split_authors_reads_one_inverted_name_as_one_person():
    assert split_authors("Smith, John") == ["Smith, John"]
    assert split_authors("Jane Doe, John Smith") == ["Jane Doe", "John Smith"]
    assert split_authors("Doe, Jane; Smith, John") == ["Doe, Jane", "Smith, John"]


@pytest.mark.parametrize("style", ["chicago", "Markdown", ""])
def test_unknown_style_names_it_and_the_valid_ones(style):
    with pytest.raises(ValueError, match="unknown citation style") as error:
        format_citations([FULL], style)
    assert repr(style) in str(error.value)
    assert all(valid in str(error.value) for valid in CITATION_STYLES)


def test_no_sources_give_empty_output():
    assert format_citations([], "apa") == format_citations([], "markdown") == ""
    assert format_citations([], "bibtex") == ""
    assert json.loads(format_citations([], "csl-json")) == []


_FIELD = st.text(
    st.one_of(st.sampled_from(" \n\t&%$#_{}~^\\[]*()<>,;.:-"), st.characters(codec="utf-8")),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(title=_FIELD, author=_FIELD, site=_FIELD, url=_FIELD, date=_FIELD)
def test_any_metadata_gives_well_formed_citations(title, author, site, url, date):
    source = Source(id="s", text="", title=title, author=author, site=site, url=url, date=date)
    assert json.loads(citation(source, "csl-json"))[0]["id"] == "s"
    entry = citation(source, "bibtex")
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")
    assert entry.split("{")[1].split(",")[0].isascii()
    line = citation(source, "markdown")
    assert line.startswith("- ") and "\n" not in line
    assert "\n" not in citation(source, "apa")
    lines = entry.splitlines()
    assert lines[-1] == "}" and all(re.fullmatch(r"  \w+ = \{.*\},", x) for x in lines[1:-1])


def test_urls_with_whitespace_stay_one_link():
    source = Source(id="s", text="", url="https://x.org/a\nb c{d}")
    assert citation(source, "markdown") == "- [s](https://x.org/a%0Ab%20c{d})."
    assert "url = {https://x.org/a%0Ab%20c%7Bd%7D}," in citation(source, "bibtex")


def test_apa_full_source():
    assert citation(FULL, "apa") == (
        "Doe, J., & Mayo Clinic Staff. (2021, March 4). Can acupuncture help relieve back "
        "pain? Harvard Health. https://www.health.harvard.edu/pain/acupuncture"
    )


def test_apa_without_author_or_date_puts_the_title_first_and_says_n_d():
    assert citation(BARE, "apa") == "Acupuncture and Lower Back Pain. (n.d.)."
    person = Source(id="s", text="", author="Dr. Jean-Paul Smith Jr., MD", date="May 2020")
    assert citation(person, "apa") == "Smith, J.-P., Jr. (2020, May). s."


def test_missing_metadata_names_what_each_citation_lacks():
    assert missing_metadata([FULL, BARE]) == {BARE.id: ["author", "date", "url"]}
    assert missing_metadata([Source(id="s", text="")]) == {"s": ["author", "date", "title", "url"]}
