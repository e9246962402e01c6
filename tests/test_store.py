"""The store: schema versions, and the rows a build adds so that listings and checks read
little (agreement per claim, the quotes of conflicts, statements grouped for verdicts)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from kb import api, store
from kb.errors import SchemaVersionError
from tests.support import SEEDS


def _as_schema_4(kb_path) -> None:
    """Make a KB look as kb wrote it before schema 5: no near-duplicate sketches, no
    compared pairs, and the version number 4."""
    with closing(sqlite3.connect(kb_path)) as conn:
        conn.execute("DROP TABLE sketches")
        conn.execute("DROP TABLE compared")
        conn.execute("PRAGMA user_version = 4")
        conn.commit()


def test_a_kb_of_schema_4_is_refused_for_reading_and_rebuilt_whole(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    expected = api.open_kb(kb_path).claim_records()
    _as_schema_4(kb_path)
    with pytest.raises(SchemaVersionError, match=r"old schema \(4, now 5\).*`kb build`"):
        api.open_kb(kb_path)
    report = api.build([SEEDS], kb_path)
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    assert api.open_kb(kb_path).claim_records() == expected


def test_statements_grouped_for_verdicts_cover_every_statement(seed_kb):
    base = api.open_kb(seed_kb)
    statements = base.statement_list()
    claim_ids = sorted({s.claim_id for s in statements if s.claim_id})
    with store.read_connection(seed_kb) as conn:
        groups = store.load_stated(conn, claim_ids)
    for claim_id in claim_ids:
        mine = [s for s in statements if s.claim_id == claim_id]
        stated = [g for g in groups if g.claim_id == claim_id]
        assert sum(g.statements for g in stated) == len(mine)
        for polarity in ("affirmed", "negated"):
            assert set().union(*(g.sources for g in stated if g.polarity == polarity)) == {
                s.source for s in mine if s.polarity == polarity
            }


def test_quantity_values_leave_out_where_the_quantity_is():
    twenty = {"text": "20 minutes", "start": 31, "end": 41, "low": 20.0, "high": 20.0,
              "unit": "minute", "dimension": "duration"}  # fmt: skip
    elsewhere = {**twenty, "text": "20 min", "start": 5, "end": 11}
    assert store.quantity_values([twenty]) == store.quantity_values([elsewhere])
    assert store.quantity_values([twenty]) != store.quantity_values([{**twenty, "low": 10.0}])


def test_a_new_kb_and_an_updated_one_have_the_indexes_check_reads(tmp_path):
    # A new store gets the readers' indexes after its rows are written; they must be there.
    import sqlite3

    from kb.build import build

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Acupuncture relieves back pain.", encoding="utf-8")
    kb_path = tmp_path / "kb.sqlite"

    def indexes() -> set[str]:
        with sqlite3.connect(kb_path) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {name for (name,) in rows}

    build([folder], kb_path)
    assert {"statements_claim", "statements_stance"} <= indexes()
    (folder / "b.txt").write_text("Acupuncture does not relieve back pain.", encoding="utf-8")
    build([folder], kb_path)
    assert {"statements_claim", "statements_stance"} <= indexes()
