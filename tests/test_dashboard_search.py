"""The dashboard's Search page and its filters by source (AppTest, no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import page
from tests.support import ROOT

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(monkeypatch):
    def run(kb_path, name: str) -> AppTest:
        monkeypatch.setenv("KB_PATH", str(kb_path))
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(page(name).file).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _quotes(at: AppTest) -> list[str]:
    return sorted(at.dataframe[0].value["quote"])


def test_search_shows_the_quotes_and_claims_and_filters_them(app, dated_kb):
    at = app(dated_kb, "search")
    at.text_input(key="search_text").input("needles").run()
    assert not at.exception
    assert _quotes(at) == ["Needles stay in for 20 minutes.", "Needles stay in for 45 minutes."]
    assert "the needles stay in for a stated time" in " ".join(
        link.proto.label for link in at.get("page_link")
    )
    at.text_input(key="search_since").input("2020").run()
    assert _quotes(at) == ["Needles stay in for 45 minutes."]
    at.selectbox(key="search_type").select("safety").run()
    assert "No statement says that." in [i.value for i in at.info]


def test_search_with_nothing_to_find_or_a_bad_date_says_so(app, dated_kb):
    at = app(dated_kb, "search")
    at.text_input(key="search_text").input('"*').run()
    assert "nothing to search for" in at.warning[0].value
    at.text_input(key="search_text").input("needles").run()
    at.text_input(key="search_until").input("soon").run()
    assert not at.exception and "'soon' is not a date" in at.warning[0].value


def test_listing_pages_filter_by_source(app, dated_kb):
    at = app(dated_kb, "sources")
    at.selectbox(key="sources_kind").select("government").run()
    assert list(at.dataframe[0].value["id"]) == ["nhs_2019"]

    at = app(dated_kb, "claims")
    at.text_input(key="claims_site").input("paindiary.example.com").run()
    labels = list(at.dataframe(key="claims_table").value["label"])
    assert "acupuncture improves local blood flow" in labels
    assert not any("minor reactions" in label for label in labels)  # only the NHS says it

    at = app(dated_kb, "conflicts")
    assert "2 conflict(s)" in at.caption[0].value
    at.text_input(key="conflicts_until").input("2018").run()
    assert "No conflict matches." in [i.value for i in at.info]
