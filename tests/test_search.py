"""`kb search` and KnowledgeBase.search: statements and claims found by words (and by
meaning when the vectors exist), filtered like the listings; user words never FTS5 syntax."""

from __future__ import annotations

import json

import pytest

import kb
from kb import semantic
from kb.errors import QueryError
from tests.test_analyze import build_kb
from tests.test_semantic import needs_extra


def test_search_finds_the_quote_with_its_source_and_claim(kb_cli, dated_kb):
    code, out, _ = kb_cli("--kb", dated_kb, "search", "blood flow", "--format", "json")
    found = json.loads(out)
    assert code == 0
    [hit] = found["statements"]
    assert hit["source"] == "blog_2022" and hit["via"] == "words"
    assert hit["claim"] == "acupuncture improves local blood flow"
    text = kb.open(dated_kb).source("blog_2022").text
    assert text[hit["start"] : hit["end"]] == hit["quote"] == "Acupuncture improves blood flow."
    assert [c["label"] for c in found["claims"]] == ["acupuncture improves local blood flow"]
    assert found["by_meaning"] is False


def test_search_table_says_what_it_found_and_how(kb_cli, dated_kb):
    code, out, err = kb_cli("--kb", dated_kb, "search", "needles")
    assert code == 0
    assert "Needles stay in for 20 minutes." in out and "Needles stay in for 45" in out
    assert "the needles stay in for a stated time" in out  # the claim whose label matches
    assert "2 statements, 1 claims; searched by words" in err
    # Each statement's id, what `kb curate` takes to reject or move it.
    found = json.loads(kb_cli("--kb", dated_kb, "search", "needles", "--format", "json")[1])
    assert all(hit["id"] in out for hit in found["statements"])


def test_every_word_must_be_in_the_statement_and_stems_match(kb_cli, dated_kb):
    code, out, _ = kb_cli("--kb", dated_kb, "search", "needle 45", "--format", "json")
    assert code == 0
    assert [h["source"] for h in json.loads(out)["statements"]] == ["blog_2022"]


def test_search_keeps_one_claim_type_and_the_filtered_sources(kb_cli, dated_kb):
    _, out, _ = kb_cli("--kb", dated_kb, "search", "acupuncture", "--type", "safety",
                       "--format", "json")  # fmt: skip
    assert {h["claim_type"] for h in json.loads(out)["statements"]} == {"safety"}
    _, out, _ = kb_cli("--kb", dated_kb, "search", "acupuncture", "--since", "2020",
                       "--format", "json")  # fmt: skip
    found = json.loads(out)
    assert {h["source"] for h in found["statements"]} == {"blog_2022"}
    assert "acupuncture can cause minor reactions" not in json.dumps(found["claims"])


@pytest.mark.parametrize("text", ['needles AND "', "blood*", "NEAR(needles", "-x OR"])
def test_fts_syntax_in_the_words_is_searched_for_not_obeyed(kb_cli, dated_kb, text):
    code, _, err = kb_cli("--kb", dated_kb, "search", text, "--format", "json")
    assert code == 0 and err == ""


@pytest.mark.parametrize("text", ["", "  ", '"', "*** ()"])
def test_nothing_to_search_for_is_one_clear_line(kb_cli, dated_kb, text):
    code, out, err = kb_cli("--kb", dated_kb, "search", text)
    assert code == 2 and out == ""
    assert err.startswith("kb: error: nothing to search for") and err.count("\n") == 1


def test_the_api_gives_a_flat_dataframe_best_first(dated_kb):
    frame = kb.open(dated_kb).search("acupuncture back pain", source_kind="government")
    assert list(frame["source"]) == ["nhs_2019"]
    assert {"score", "via", "source", "quote", "claim_type", "claim_id"} <= set(frame.columns)
    assert frame["quote"].map(type).eq(str).all()  # flat: no lists or dicts in the cells
    assert kb.open(dated_kb).search("nothing like this here").empty


def test_a_misspelt_filter_is_refused_not_ignored(dated_kb):
    with pytest.raises(TypeError, match="unknown filter 'sites'"):
        kb.open(dated_kb).search("needles", sites="nhs.uk")
    with pytest.raises(QueryError, match="is not a date"):
        kb.open(dated_kb).search("needles", until="June 2020")


@needs_extra
def test_by_meaning_once_the_vectors_exist_and_it_says_so(tmp_path, kb_cli, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the model loads from its wheel, never a hub
    walk = "Daily walking lowers blood pressure in older adults."
    base = build_kb(tmp_path, {"walk": walk, "guitar": "Guitar lessons improve maths grades."})
    words_only = base.search_result("strolls reduce hypertension among seniors")
    assert not words_only.by_meaning and words_only.statements == []
    found = base.search_result("strolls reduce hypertension among seniors", semantic=True)
    assert found.by_meaning and [(h.statement.quote, h.via) for h in found.statements] == [
        (walk, "meaning")
    ]
    # The vectors are kept beside the KB: the command line uses them from then on.
    code, _, err = kb_cli("--kb", base.path, "search", "walking blood pressure")
    assert code == 0 and "searched by words and meaning" in err


def test_by_meaning_without_the_extra_is_one_clear_line(kb_cli, dated_kb, monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)
    code, out, err = kb_cli("--kb", dated_kb, "search", "needles", "--semantic")
    assert code == 2 and out == "" and err.count("\n") == 1 and "optional extra" in err
