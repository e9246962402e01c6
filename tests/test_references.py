"""`kb build --references`: a reference manager's export (BibTeX, RIS, CSL-JSON) gives the
sources it matches (by DOI, URL or file name) their metadata, and keeps giving it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import api
from kb.errors import ReferencesError
from kb.ingest.references import parse_bibtex, parse_csl_json, parse_ris, read_references

FIXTURES = Path(__file__).parent / "fixtures"
REFS = FIXTURES / "references"
LIBRARY = [REFS / "library.bib", REFS / "library.ris", REFS / "library.json"]


@pytest.fixture
def notes(tmp_path) -> Path:
    folder = tmp_path / "notes"
    shutil.copytree(FIXTURES / "library", folder)
    return folder


def test_entries_give_matching_sources_their_metadata(notes, tmp_path, kb_cli):
    kb_path = tmp_path / "kb.sqlite"
    args = [a for path in LIBRARY for a in ("--references", path)]
    code, _, err = kb_cli("--kb", kb_path, "build", notes, *args)
    assert code == 0
    assert "1 reference(s) match no source: orphan2019" in err
    base = api.open_kb(kb_path)
    by_file = base.source("acupuncture-trial")  # matched by the attachment's file name
    assert by_file.title == "Acupuncture for Chronic Back Pain: A Trial in Münster"
    assert (by_file.author, by_file.date) == ("Lee, Ann; Ma, Bo", "2020-05")
    assert (by_file.site, by_file.doi) == ("Journal of Pain", "10.1000/acu.2")
    by_doi = base.source("fish-oil")  # matched by the DOI of its front matter
    assert (by_doi.title, by_doi.author, by_doi.date) == (
        "Fish oil and triglycerides",
        "Ma, Bo; Lee, Ann",
        "2021",
    )
    by_url = base.source("turmeric")  # matched by its URL, spelt otherwise
    assert (by_url.title, by_url.date, by_url.site) == (
        "Turmeric and inflammation",
        "2022-03-04",
        "Example Health",
    )
    citation = base.cite(["acupuncture-trial"], "bibtex")
    assert "doi = {10.1000/acu.2}" in citation and "Lee" in citation


def test_the_library_survives_rebuilds_that_do_not_name_it(notes, tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([notes], kb_path, references=LIBRARY)
    again = api.build([notes], kb_path)
    assert (again.unchanged, again.updated) == (3, 0)
    assert again.unmatched_references == []  # said once, by the build given the library
    (notes / "acupuncture-trial.txt").write_text("Acupuncture eases back pain.\n")
    changed = api.build([notes], kb_path)
    assert changed.updated == 1
    assert api.open_kb(kb_path).source("acupuncture-trial").doi == "10.1000/acu.2"


def test_a_changed_library_updates_the_metadata(notes, tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([notes], kb_path, references=LIBRARY)
    api.build([notes], kb_path, references=[REFS / "library.ris"])
    base = api.open_kb(kb_path)
    assert base.source("fish-oil").title == "Fish oil and triglycerides"
    assert base.source("acupuncture-trial").title == "Acupuncture reduces back pain in adults."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.bib", "broken.bib: a '{' is never closed"),
        ("missing.ris", "missing.ris: no such file"),
        ("library.xml", "kb reads references from .bib (BibTeX), .ris (RIS) or .json"),
    ],
)
def test_an_unreadable_library_is_one_line_and_leaves_the_kb_alone(
    notes, tmp_path, kb_cli, name, message
):
    kb_path = tmp_path / "kb.sqlite"
    api.build([notes], kb_path)
    before = kb_path.read_bytes()
    code, out, err = kb_cli("--kb", kb_path, "build", notes, "--references", REFS / name)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert kb_path.read_bytes() == before


def test_bibtex_parsing():
    (entry,) = parse_bibtex(
        '@Book(who, author = "{World Health Organization}", title = {Guide \\& Notes},'
        " year = 2019, url = {https://who.int/g})"
    )
    assert (entry.key, entry.author, entry.title) == (
        "who",
        "World Health Organization",
        "Guide & Notes",
    )
    assert (entry.date, entry.url) == ("2019", "https://who.int/g")
    assert [e.key for e in parse_bibtex("@string{j = {J}} @misc{a, title={A}}")] == ["a"]


def test_ris_and_csl_json_parsing():
    (record,) = parse_ris(
        "TY  - ELEC\nTI  - Page\nUR  - https://x.org/p\nDA  - 2020/05/01/\nER  - \n"
    )
    assert (record.title, record.url, record.date) == ("Page", "https://x.org/p", "2020-05-01")
    (item,) = parse_csl_json('{"items": [{"id": "k", "author": [{"literal": "NHS"}]}]}')
    assert item.author == "NHS"
    with pytest.raises(ReferencesError, match="a field before any 'TY  -'"):
        parse_ris("TI  - Orphan\n")
    with pytest.raises(ReferencesError, match="not valid JSON"):
        parse_csl_json("[{")


def test_every_fixture_library_reads():
    assert [len(read_references(path)) for path in LIBRARY] == [2, 1, 1]
