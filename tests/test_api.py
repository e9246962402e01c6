"""The Python API's listings read what the build stored; they must equal what the
statements give when counted afresh."""

from __future__ import annotations

import pytest

from kb import api


def test_claim_listing_equals_a_count_from_the_statements(seed_kb):
    base = api.open_kb(seed_kb)
    fresh = api.claim_records(
        base.claim_list(), base.statement_list(), base.voices(), base.lexicon()
    )
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


def test_claims_carry_kb_s_status_and_filter_by_it(seed_kb):
    base = api.open_kb(seed_kb)
    frame = base.claims()
    assert list(frame.columns) == [*api.CLAIM_FIELDS, "conflicts", "status"]
    assert set(frame["status"]) == set(api.STATUSES)
    needles = frame.set_index("label").loc["the needles stay in for a stated time"]
    assert (needles["conflicts"], needles["status"]) == (1, "contested")
    contested = base.claims(status="contested")
    assert list(contested["id"]) == list(frame.loc[frame["status"] == "contested", "id"])
    assert base.claims("safety", "contested")["claim_type"].eq("safety").all()
    assert [r["id"] for r in base.claim_records(status="one voice")] == list(
        frame.loc[frame["status"] == "one voice", "id"]
    )
    with pytest.raises(ValueError, match="one voice"):
        base.claims(status="disputed")


def test_stances_cover_every_source_stating_each_claim(seed_kb):
    base = api.open_kb(seed_kb)
    stances = base.stances()
    stated = {(s.claim_id, s.source) for s in base.statement_list()}
    assert set(zip(stances["claim_id"], stances["source"], strict=True)) == stated
    assert len(stances) == len(stated)
    assert set(stances["stance"]) <= set(api.STANCES)
    claims = base.claims().set_index("id")
    lists = {"affirms": "affirming", "negates": "negating", "hedges": "hedging"}
    for row in stances.itertuples():
        if row.stance != "mixed":
            assert row.source in claims.loc[row.claim_id, lists[row.stance]]


def test_source_pairs_list_each_pair_once(seed_kb):
    pairs = api.open_kb(seed_kb).source_pairs()
    assert list(pairs.columns) == list(api.PAIR_COLUMNS)
    assert (pairs["a"] < pairs["b"]).all() and not pairs.duplicated(["a", "b"]).any()
    copy = pairs[pairs["near_copy"]]
    assert list(zip(copy["a"], copy["b"], strict=True)) == [
        ("000_e44dd3ef341e0fbe", "003_a243d097950171fd")
    ]


def test_a_conflict_s_quantities_read_as_kb_writes_them(seed_kb):
    base = api.open_kb(seed_kb)
    [numeric] = base.conflict_records("numeric")
    rows = api.conflict_quantities(numeric)
    assert list(rows.columns) == ["side", "position", "source", "text", "low", "high", "unit"]
    assert set(rows["side"]) == {1, 2} and set(rows["unit"]) == {"minute"}
    assert "~20–30 minutes" in set(rows.loc[rows["side"] == 2, "text"])
    assert set(rows.loc[rows["side"] == 1, "text"]) <= {"10–20 minutes", "~10–20 minutes"}
    [contrary, *_] = base.conflict_records("contrary")
    assert api.conflict_quantities(contrary).empty


def test_a_quote_s_context_is_its_neighbours_within_its_section(seed_kb):
    base = api.open_kb(seed_kb)
    statement = base.statement_list("002_3d8a8a3cfc7bd624")[5]
    units = base.units(statement.source)
    start, end = api.context_span(units, statement.start, statement.end)
    assert start <= statement.start and end >= statement.end
    assert (start, end) != (statement.start, statement.end)
    inside = [u for u in units if u.start >= start and u.end <= end]
    assert 2 <= len(inside) <= 3 and all(u.kind != "heading" for u in inside)
    assert api.context_span(units, statement.start, statement.end, around=0) == (
        min(u.start for u in units if u.start < statement.end and u.end > statement.start),
        max(u.end for u in units if u.start < statement.end and u.end > statement.start),
    )


def test_the_api_lists_the_conflict_kinds_with_what_each_means():
    kinds = api.conflict_kinds()
    assert tuple(kinds) == api.CONFLICT_KINDS
    assert kinds["numeric"].startswith("statements of one claim give quantities")


def test_graph_views_through_the_api(seed_kb):
    base = api.open_kb(seed_kb)
    graph = base.graph()
    view = api.graph_view(graph, kinds=("claim",), max_claims=3)
    assert view.number_of_nodes() == 3
    nodes, edges = api.graph_layout(view)
    assert set(nodes["node"]) == set(view.nodes) and len(edges) == view.number_of_edges()
    attributes, links = api.node_details(graph, "source:000_e44dd3ef341e0fbe")
    assert attributes["kind"] == "source"
    assert "copies" in set(links["relation"]) and "states" in set(links["relation"])
