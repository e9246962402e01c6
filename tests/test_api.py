"""The Python API's listings read what the build stored; they must equal what the
statements give when counted afresh."""

from __future__ import annotations

from kb import api


def test_claim_listing_equals_a_count_from_the_statements(seed_kb):
    base = api.open_kb(seed_kb)
    fresh = api.claim_records(base.claim_list(), base.statement_list(), base.voices())
    assert base.claim_records() == fresh
    assert base.claim_records("safety") == [r for r in fresh if r["claim_type"] == "safety"]


def test_conflict_listing_quotes_the_statements_of_each_side(seed_kb):
    base = api.open_kb(seed_kb)
    by_id = {s.id: s for s in base.statement_list()}
    fresh = [api.conflict_record(c, by_id) for c in base.conflict_list()]
    assert base.conflict_records() == fresh
    assert base.conflict_records("numeric") == [c for c in fresh if c["kind"] == "numeric"]


def test_agreement_listing_counts_copies_once(seed_kb):
    base = api.open_kb(seed_kb)
    [row] = [r for r in base.agreement_records() if r["label"] == "acupuncture relieves pain"]
    assert (len(row["affirming"]), row["independent_affirming"]) == (5, 4)
