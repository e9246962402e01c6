"""Filters on the listings (kb.api.filters): the same rows from the command line and the
API, by source kind, site, dates and claim type; bad filter values are one clear line."""

from __future__ import annotations

import json

import pytest

import kb


def _json(kb_cli, *args):
    code, out, err = kb_cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_sources_by_kind_site_and_date(kb_cli, dated_kb):
    ids = lambda *a: [s["id"] for s in _json(kb_cli, "--kb", dated_kb, "sources", *a)]  # noqa: E731
    assert ids("--kind", "blog") == ["blog_2022"]
    assert ids("--site", "nhs.uk") == ["nhs_2019"]  # the URL's host is www.nhs.uk
    assert ids("--site", "pain diary") == ["blog_2022"]  # the site's name, case ignored
    assert ids("--since", "2019-06") == ["blog_2022", "nhs_2019"]
    assert ids("--until", "2019") == ["nhs_2019"]  # all of 2019
    assert ids("--since", "2019-06-02", "--until", "2022-03-15") == ["blog_2022"]
    assert ids("--kind", "journal") == []


def test_claims_stated_by_the_kept_sources(kb_cli, dated_kb):
    claims = _json(kb_cli, "--kb", dated_kb, "claims", "--source-kind", "government")
    assert "acupuncture improves local blood flow" not in [c["label"] for c in claims]
    assert all("nhs_2019" in c["affirming"] + c["negating"] for c in claims)
    # Counts stay those of the whole KB: the blog still negates the claim both state.
    [both] = [c for c in claims if c["label"] == "acupuncture relieves back pain"]
    assert both["negating"] == ["blog_2022"]


def test_conflicts_with_a_kept_source_on_a_side_and_of_a_claim_type(kb_cli, dated_kb):
    kinds = lambda *a: [c["kind"] for c in _json(kb_cli, "--kb", dated_kb, "conflicts", *a)]  # noqa: E731
    assert kinds() == ["numeric", "polarity"]
    assert kinds("--type", "procedure") == ["numeric"]
    assert kinds("--since", "2022") == ["numeric", "polarity"]  # the blog is on a side of each
    assert kinds("--source-kind", "news") == []


def test_export_keeps_the_filtered_rows_and_refuses_to_filter_the_graph(kb_cli, dated_kb):
    code, out, _ = kb_cli("--kb", dated_kb, "export", "statements", "--format", "json",
                          "--type", "safety", "--site", "nhs.uk")  # fmt: skip
    [statement] = json.loads(out)
    assert code == 0 and statement["source"] == "nhs_2019" and statement["claim_type"] == "safety"
    code, out, err = kb_cli("--kb", dated_kb, "export", "graph", "--since", "2020")
    assert code == 2 and out == "" and "the graph is exported whole" in err


def test_the_api_listings_take_the_same_filters(dated_kb):
    base = kb.open(dated_kb)
    assert list(base.sources(source_kind="government")["id"]) == ["nhs_2019"]
    assert set(base.statements(since="2020")["source"]) == {"blog_2022"}
    assert set(base.statements(claim_type="mechanism")["claim_type"]) == {"mechanism"}
    assert (
        list(base.claims(site="paindiary.example.com")["label"]).count(
            "acupuncture improves local blood flow"
        )
        == 1
    )
    assert list(base.conflicts(until="2018")["kind"]) == []
    assert len(base.export("claims", "jsonl", source_kind="blog").splitlines()) == 3


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sources", "--since", "2021-02-30x"], "'2021-02-30x' is not a date"),
        (["claims", "--until", "yesterday"], "'yesterday' is not a date"),
        (["conflicts", "--since", "2022", "--until", "2021"], "since 2022 is after until 2021"),
    ],
)
def test_a_bad_date_is_one_clear_line(kb_cli, dated_kb, args, said):
    code, out, err = kb_cli("--kb", dated_kb, *args)
    assert code == 2 and out == ""
    assert err.startswith("kb: error: ") and said in err and err.count("\n") == 1


def test_a_source_without_a_date_is_left_out_once_a_date_is_asked_for(seed_kb):
    base = kb.open(seed_kb)  # the seeds have no dates
    assert len(base.sources()) == 5 and base.sources(since="1900").empty
