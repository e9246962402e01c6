"""The dashboard, driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import ROOT

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(monkeypatch):
    def run(kb_path) -> AppTest:
        monkeypatch.setenv("KB_PATH", str(kb_path))
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        return at

    return run


def test_sources_page_lists_the_seed_articles(app, seed_kb):
    at = app(seed_kb)
    assert not at.exception
    assert at.title[0].value == "Sources"
    assert at.metric[0].value == "5"
    table = at.dataframe[0].value
    assert "Managing Chronic Back Pain With Acupuncture" in set(table["title"])
    assert len(table) == 5


def test_filter_narrows_the_sources(app, seed_kb):
    at = app(seed_kb)
    at.text_input(key="source_filter").input("definitive guide").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["id"]) == ["004_803d72c8ca441880"]


def test_without_a_kb_the_app_says_how_to_build_one(app, tmp_path):
    at = app(tmp_path / "missing.sqlite")
    assert not at.exception
    assert "kb build" in at.info[0].value


def test_a_file_that_is_not_a_kb_gets_a_clear_message(app, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    at = app(other)
    assert not at.exception
    assert "not a kb store" in at.error[0].value
