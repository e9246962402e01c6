"""The dashboard, driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import html
import re
import sqlite3

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import tables, widgets
from dashboard.markup import md, shorten
from dashboard.pages import PAGES, page
from kb import api
from tests.support import DENIAL, RELIEF, ROOT, dispute_kb

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(monkeypatch):
    def run(kb_path, name: str | None = None, **query: str) -> AppTest:
        monkeypatch.setenv("KB_PATH", str(kb_path))
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if name:
            at.query_params.update(query)
            at.switch_page(page(name).file).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


@pytest.fixture(scope="module")
def seed(seed_kb):
    return api.open_kb(seed_kb)


def _html(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def _plain(markdown: str) -> str:
    """Markdown escaped by dashboard.markup.md, read back as text."""
    return markdown.replace("\\", "")


# -------------------------------------------------------------------- the app


def test_without_a_kb_the_app_says_how_to_build_one(app, tmp_path):
    at = app(tmp_path / "missing.sqlite")
    assert "kb build" in at.info[0].value


def test_a_file_that_is_not_a_kb_gets_a_clear_message(app, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    at = app(other)
    assert "not a kb store" in at.error[0].value


def test_a_damaged_kb_gets_the_cli_s_line_not_a_traceback(app, tmp_path):
    from tests.test_store import _damage, _small_corpus

    kb_path = tmp_path / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], kb_path)
    _damage(kb_path)
    for name in (None, *(p.name for p in PAGES)):
        at = app(kb_path, name)
        if name == "check":  # the checker reads the KB once asked to check
            at.text_area(key="check_text").input("Acupuncture releases endorphins.")
            at.button[0].click().run()
            assert not at.exception
        [error] = at.error
        assert f"{kb_path} is damaged" in error.value and "remove it" in error.value, name


@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.name)
def test_every_page_renders(app, seed_kb, entry):
    at = app(seed_kb, entry.name)
    assert at.title[0].value == entry.title


def test_every_page_script_is_in_the_registry_and_one_opens_first():
    # A script missing from dashboard/pages.py would never be reachable.
    assert {p.file for p in PAGES} == {
        f"app_pages/{f.name}" for f in (ROOT / "dashboard" / "app_pages").glob("[!_]*.py")
    }
    assert [p.name for p in PAGES if p.default] == ["overview"]


# ------------------------------------------------------- shaping for display


def test_the_claim_table_counts_what_kb_lists(seed):
    claims = seed.claims()
    table = tables.claim_table(claims)
    assert list(table["id"]) == list(claims["id"])
    assert list(table["status"]) == list(claims["status"])  # kb's, not recomputed
    assert list(table["affirming_n"]) == [len(a) for a in claims["affirming"]]
    for certainty in ("asserted", "hedged", "reported"):
        assert list(table[certainty]) == [c[certainty] for c in claims["certainty"]]
    [row] = table[table["label"].str.startswith("acupuncture releases endorphins")].itertuples()
    assert row.concepts == ("acupuncture", "endorphin_release")


def test_claims_filter_by_every_widget(seed):
    table = tables.claim_table(seed.claims())
    assert tables.filter_claims(table).equals(table)
    safety = tables.filter_claims(table, types=["safety"])
    assert set(safety["claim_type"]) == {"safety"} and len(safety) == len(seed.claims("safety"))
    worded = tables.filter_claims(table, text="NEEDLES")
    assert len(worded) and worded["label"].str.contains("needles").all()
    source = "001_74bcc08647316d1d"
    by_source = tables.filter_claims(table, sources=[source])
    assert all(source in a + n + h for a, n, h in
               zip(by_source["affirming"], by_source["negating"], by_source["hedging"],
                   strict=True))  # fmt: skip
    assert (tables.filter_claims(table, certainties=["reported"])["reported"] > 0).all()


def test_matrix_cells_are_kb_s_stances_or_silent():
    stances = pd.DataFrame(
        {"claim_id": ["c1", "c1", "c2"], "source": ["a", "b", "a"],
         "stance": ["affirms", "negates", "hedges"]}
    )  # fmt: skip
    cells = tables.matrix_cells(stances, ["c1", "c2"], ["b", "a"])
    assert list(cells.itertuples(index=False, name=None)) == [
        ("c1", "b", "negates"), ("c1", "a", "affirms"),
        ("c2", "b", "silent"), ("c2", "a", "hedges"),
    ]  # fmt: skip


def test_pages_of_a_table_and_shortened_labels():
    frame = pd.DataFrame({"n": range(51)})
    assert [widgets.page_count(n, 25) for n in (0, 25, 26, 51)] == [1, 1, 2, 3]
    assert list(widgets.page_rows(frame, 3, 25)["n"]) == [50]
    assert list(widgets.page_rows(frame, 0, 25)["n"]) == list(range(25))
    assert shorten("acupuncture relieves back pain", 12) == "acupuncture…"


# -------------------------------------------------------------------- overview


def test_overview_counts_the_corpus_and_charts_agreement(app, seed_kb, seed):
    at = app(seed_kb)  # the default page
    assert at.title[0].value == "Overview"
    info = seed.info()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sources"] == str(info["sources"])
    assert metrics["Statements"] == f"{info['statements']:,}"
    assert metrics["Claims"] == f"{info['claims']:,}"
    assert metrics["Conflicts"] == str(len(seed.conflict_records()))
    assert at.get("vega_lite_chart"), "the claims-by-status chart"
    contested = at.dataframe[0].value
    assert len(contested) > 0
    listing = at.dataframe[1].value
    assert set(listing["id"]) == set(seed.sources()["id"])
    # 000 and 003 are a rewrite pair: each lists the other as a near-duplicate.
    near = dict(zip(listing["id"], listing["near_duplicates"], strict=True))
    assert "003_a243d097950171fd" in near["000_e44dd3ef341e0fbe"]


# -------------------------------------------------------------------- sources


def test_sources_page_lists_the_seed_articles(app, seed_kb):
    at = app(seed_kb, "sources")
    assert at.metric[0].value == "5"
    table = at.dataframe[0].value
    assert "Managing Chronic Back Pain With Acupuncture" in set(table["title"])
    assert len(table) == 5


def test_a_url_that_is_not_http_never_becomes_a_link(app, tmp_path):
    # A KB built before kb kept only web addresses may hold a javascript: URL.
    from tests.test_store import _small_corpus

    kb_path = tmp_path / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], kb_path)
    conn = sqlite3.connect(kb_path)
    conn.execute("UPDATE sources SET url = 'javascript:alert(1)'")
    conn.commit()
    conn.close()
    at = app(kb_path, "sources")
    assert list(at.dataframe[0].value["url"]) == [""]
    at = app(kb_path, "reader", source="one")
    assert not at.get("link_button")


def test_filter_narrows_the_sources(app, seed_kb):
    at = app(seed_kb, "sources")
    at.text_input(key="source_filter").input("definitive guide").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["id"]) == ["004_803d72c8ca441880"]


# -------------------------------------------------------------------- claims


def test_claims_filter_by_type_and_certainty(app, seed_kb, seed):
    at = app(seed_kb, "claims")
    assert len(at.dataframe(key="claims_table").value) == min(50, len(seed.claims()))
    at.multiselect(key="claims_types").select("procedure").run()
    table = at.dataframe(key="claims_table").value
    assert set(table["claim_type"]) == {"procedure"}
    assert len(table) == len(seed.claims("procedure"))
    at.multiselect(key="claims_certainty").select("reported").run()
    narrowed = at.dataframe(key="claims_table").value
    assert 0 < len(narrowed) < len(table)
    assert (narrowed["reported"] > 0).all()


def test_claims_filter_by_source_and_concept(app, seed_kb, seed):
    at = app(seed_kb, "claims")
    at.multiselect(key="claims_sources").select("001_74bcc08647316d1d").run()
    table = at.dataframe(key="claims_table").value
    claims = seed.claims().set_index("id")
    for claim_id in table["id"]:
        row = claims.loc[claim_id]
        assert "001_74bcc08647316d1d" in row["affirming"] + row["negating"] + row["hedging"]
    at.multiselect(key="claims_concepts").select("endorphin_release").run()
    table = at.dataframe(key="claims_table").value
    assert len(table) >= 1
    assert all("endorphin" in label for label in table["label"])


def test_selecting_a_claim_shows_each_quote_in_its_context(app, seed_kb, seed):
    numeric = seed.conflict_records("numeric")[0]
    claim_id = numeric["claim_ids"][0]
    at = app(seed_kb, "claims")
    at.selectbox(key="claim").set_value(claim_id).run()
    assert not at.exception
    claim = seed.claims().set_index("id").loc[claim_id]
    assert _plain(at.subheader[0].value) == claim["label"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Affirm"] == str(len(claim["affirming"]))
    assert metrics["Independent"] == str(claim["independent"])
    body = _html(at)
    quotes = seed.statements().query("claim_id == @claim_id")["quote"]
    for quote in quotes:
        assert f"{html.escape(quote)}</mark>" in body
    links = {p.proto.query_string for p in at.get("page_link")}
    for source in claim["affirming"]:
        assert f"source={source}" in links


def test_each_source_of_a_claim_shows_kb_s_stance(app, tmp_path):
    from tests.test_analyze import STANCE_TEXTS, build_kb

    base = build_kb(tmp_path, STANCE_TEXTS)
    [claim_id] = set(base.stances()["claim_id"])
    at = app(base.path, "claims", claim=claim_id)
    shown = " ".join(m.value for m in at.markdown)
    for stance in ("affirms", "hedges", "negates", "mixed"):
        assert f"-badge[{stance}]" in shown


def test_a_claim_names_the_sources_that_oppose_it(app, seed_kb, seed):
    # On the seeds, 004 says acupuncture is harmless for everyone; three sources that
    # never say so say it is not suitable for everyone, and the page says who.
    claims = seed.claims()
    [harmless] = claims[claims["label"].str.startswith("acupuncture is harmless")].itertuples()
    assert harmless.opposing
    at = app(seed_kb, "claims", claim=harmless.id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Oppose"] == str(len(harmless.opposing))
    [named] = [m.value for m in at.markdown if m.value.startswith("**Opposed by**")]
    titles = seed.sources().set_index("id")["title"]
    for source in harmless.opposing:
        assert _plain(titles[source]) in _plain(named)


def test_a_claim_can_be_opened_from_the_url(app, seed_kb, seed):
    claim_id = seed.claims()["id"].iloc[0]
    at = app(seed_kb, "claims", claim=claim_id)
    assert at.selectbox(key="claim").value == claim_id
    assert at.subheader


# -------------------------------------------------------------------- matrix


def test_matrix_shows_claims_by_sources(app, seed_kb, seed):
    at = app(seed_kb, "matrix")
    assert at.get("vega_lite_chart")
    grid = at.dataframe[0].value  # "the same cells as a table"
    assert len(grid) == min(30, len(seed.claims()))
    assert set(grid.columns) == set(seed.sources()["id"])
    assert set(grid.to_numpy().ravel()) <= {"affirms", "hedges", "mixed", "negates", "silent"}
    at.selectbox(key="matrix_sort").set_value("most contested").run()
    assert not at.exception
    at.slider(key="matrix_rows").set_value(10).run()
    assert len(at.dataframe[0].value) == 10


def test_source_pairs_flag_near_copies_and_conflicts(app, seed_kb):
    at = app(seed_kb, "matrix")
    at.segmented_control(key="matrix_view").set_value("Source × source").run()
    assert not at.exception
    pairs = at.dataframe[0].value
    copy = pairs[pairs["near_copy"]]
    assert {tuple(x) for x in copy[["a", "b"]].to_numpy()} == {
        ("000_e44dd3ef341e0fbe", "003_a243d097950171fd")
    }
    assert pairs["conflicts"].max() >= 1
    assert ((pairs["share"] >= 0) & (pairs["share"] <= 1)).all()
    at.toggle(key="pairs_flagged").set_value(True).run()
    flagged = at.dataframe[0].value
    assert ((flagged["conflicts"] > 0) | flagged["near_copy"]).all()


# -------------------------------------------------------------------- conflicts


def test_conflicts_show_their_sides_and_numeric_ranges(app, seed_kb, seed):
    records = seed.conflict_records()
    at = app(seed_kb, "conflicts")
    topics = [_plain(s.value) for s in at.subheader]
    assert topics == [r["topic"] for r in records][:5]
    text = re.sub(r"<[^>]+>", "", _html(at))  # quantities are marked inside quotes
    for record in records[:5]:
        for side in record["sides"]:
            first_quotes = {}  # each side shows its first sources, each with its first quotes
            for statement in side["statements"]:
                first_quotes.setdefault(statement["source"], statement["quote"])
            for quote in list(first_quotes.values())[:5]:
                assert html.escape(quote) in text
    ranges = [m.value for m in at.markdown if m.value.startswith("Range:")]
    assert len(ranges) >= 2  # one per side of the numeric conflict
    at.pills(key="conflict_kinds").set_value(["numeric"]).run()
    assert [_plain(s.value) for s in at.subheader] == [
        r["topic"] for r in records if r["kind"] == "numeric"
    ]


def test_each_conflict_says_why_and_how_sure_and_the_unsure_can_be_hidden(app, seed_kb, seed):
    records = seed.conflict_records()
    at = app(seed_kb, "conflicts")
    captions = [c.value for c in at.caption]
    for record in records[:5]:
        assert "Why: " + record["detail"] in [_plain(c) for c in captions]
    assert any(c.startswith("Confidence 0.75: one side only reports") for c in captions)
    at.toggle(key="conflict_sure").set_value(True).run()
    sure = [r["topic"] for r in records if r["confidence"] >= 1.0]
    assert sure != [r["topic"] for r in records]  # the seeds have an unsure one
    assert [_plain(s.value) for s in at.subheader] == sure


def test_the_conflicts_page_offers_every_registered_kind(app, seed_kb, monkeypatch):
    # A kind added to kb's registry shows on the page, with what it means, unedited.
    from kb.analyze import conflicts
    from kb.analyze.conflicts import ConflictKind

    extra = ConflictKind("rhetorical", "a kind added for this test", lambda evidence: ())
    monkeypatch.setattr(conflicts, "KINDS", (*conflicts.KINDS, extra))
    at = app(seed_kb, "conflicts")
    kinds = at.pills(key="conflict_kinds")
    assert list(kinds.options) == [*api.CONFLICT_KINDS, "rhetorical"]
    assert "rhetorical: a kind added for this test" in kinds.help
    assert "0 rhetorical" in at.caption[0].value


# -------------------------------------------------------------------- reader


def test_reader_opens_the_source_named_in_the_url(app, seed_kb, seed):
    source = seed.source("002_3d8a8a3cfc7bd624")
    at = app(seed_kb, "reader", source=source.id)
    assert at.selectbox(key="reader_source").value == source.id
    assert _plain(at.subheader[0].value) == source.title
    body = _html(at)
    statements = seed.statements(source=source.id)
    assert body.count("<mark") >= len(statements["start"].unique()) > 0
    assert "efficacy" in body  # the legend


def test_source_text_is_escaped_never_markup(app, tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "Evil <b>page</b>\n\n"
        "Acupuncture relieves back pain <script>alert(1)</script> says [a link](http://x.test).\n"
        "![img](http://x.test/p.png) Acupuncture may release endorphins.\n",
        encoding="utf-8",
    )
    path = tmp_path / "kb.sqlite"
    api.build([folder], path)
    at = app(path, "reader", source="evil")
    body = _html(at)
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<b>" not in body and "&lt;b&gt;" in body
    title = api.open_kb(path).source("evil").title
    assert "<b>" in title and at.subheader[0].value == md(title)
    text = "\n".join(m.value for m in at.markdown)
    assert "](http" not in text  # a Markdown link in a source stays text


# -------------------------------------------------------------------- check


def test_check_finds_support_overclaims_and_cites(app, seed_kb):
    from dashboard import data

    if not data.can_check():
        pytest.skip("kb.api KnowledgeBase.check is not in this tree yet")
    at = app(seed_kb, "check")
    text = "Acupuncture cures back pain for everyone. Acupuncture releases endorphins."
    at.text_area(key="check_text").input(text)
    at.button[0].click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sentences"] == "2"
    assert int(metrics["Supported"]) >= 1
    assert int(metrics["Overclaims"]) >= 1
    assert any("Overclaim" in w.value for w in at.warning)
    assert any(e.label.startswith("supports:") for e in at.expander)
    citations = at.code[0].value
    assert "Acupuncture" in citations
    at.segmented_control(key="cite_style").set_value("bibtex").run()
    assert not at.exception
    assert at.code[0].value.startswith("@")


def test_check_names_each_contradicting_source_with_why_and_hides_related_claims(app, seed_kb):
    at = app(seed_kb, "check")
    at.text_area(key="check_text").input("Acupuncture works no better than sham treatment.")
    at.button[0].click().run()
    assert not at.exception
    assert any(m.value.startswith("**contradicted**") for m in at.markdown)
    assert any("the source affirms what the sentence denies" in c.value for c in at.caption)
    assert not any(e.label.startswith("related:") for e in at.expander)
    at.toggle(key="check_related").set_value(True)
    at.button[0].click().run()
    assert any(e.label.startswith("related:") for e in at.expander)


def test_check_links_to_the_claim_for_sources_it_counted_but_did_not_quote(
    app, tmp_path, monkeypatch
):
    from tests.test_analyze import build_kb

    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture relieves back pain.",
            "b": "Acupuncture relieves back pain.",
            "c": "Acupuncture does not relieve back pain.",
        },
    )
    monkeypatch.setattr("kb.check._QUOTED_SOURCES", 1)  # as if thousands stated it
    at = app(base.path, "check")
    at.text_area(key="check_text").input("Acupuncture relieves back pain.")
    at.button[0].click().run()
    assert not at.exception
    labels = [link.proto.label for link in at.get("page_link")]
    assert "quotes of 2 of 3 sources: see the claim" in labels


def test_check_page_without_a_checker_says_so(app, seed_kb, monkeypatch):
    monkeypatch.delattr(api.KnowledgeBase, "check", raising=False)
    at = app(seed_kb, "check")
    assert "no checker" in at.info[0].value


# -------------------------------------------------------------------- graph


def test_graph_filters_and_node_details(app, seed_kb, seed):
    at = app(seed_kb, "graph")
    assert at.get("vega_lite_chart")
    everything = at.selectbox(key="graph_node").options
    assert any(o.startswith("source:") for o in everything)
    at.toggle(key="graph_conflicts").set_value(True).run()
    assert not at.exception
    disputed = at.selectbox(key="graph_node").options
    assert 0 < len(disputed) < len(everything)
    at.multiselect(key="graph_kinds").set_value(["claim"]).run()
    claims_only = at.selectbox(key="graph_node").options
    assert claims_only and all(o.startswith("claim:") for o in claims_only)
    # A node clicked in the chart lands in this box; choose one directly.
    at.selectbox(key="graph_node").select_index(0).run()
    assert not at.exception
    assert at.subheader
    neighbours = at.dataframe[0].value
    assert {"conflicts_with", "about"} <= set(neighbours["relation"])
    assert any(p.proto.page == "claims" for p in at.get("page_link"))


# -------------------------------------------------------------------- downloads


@pytest.mark.parametrize("what", list(api.EXPORT_FORMATS))
def test_downloads_offer_every_export_in_every_format(app, seed_kb, what):
    at = app(seed_kb, "downloads")
    at.selectbox(key="download_what").set_value(what).run()
    assert not at.exception
    assert at.radio(key="download_format").options == list(api.EXPORT_FORMATS[what])
    assert at.get("download_button")
    assert f"kb export {what}" in at.code[0].value


def test_download_content_is_kb_export(seed_kb, monkeypatch):
    from dashboard import data

    monkeypatch.setenv("KB_PATH", str(seed_kb))
    assert data.export("claims", "csv") == api.open_kb(seed_kb).export("claims", "csv")
    assert data.export("claims", "parquet") == api.open_kb(seed_kb).export("claims", "parquet")


# -------------------------------------------------------------------- curation


@pytest.fixture
def tiny_kb(tmp_path):
    return dispute_kb(tmp_path)


def test_a_conflict_dismissed_on_the_page_leaves_it_and_the_kb_keeps_the_decision(app, tiny_kb):
    numeric = next(c for c in tiny_kb.conflict_list() if c.kind == "numeric")
    at = app(tiny_kb.path, "conflicts")
    at.sidebar.text_input(key="curator").set_value("ana").run()
    at.text_input(key=f"cnote_{numeric.id}").set_value("two kinds of session").run()
    at.button(key=f"dismiss_{numeric.id}").click().run()
    assert not at.exception
    assert any("Dismissed" in s.value for s in at.success)
    assert numeric.id not in " ".join(m.value for m in at.markdown)
    [decision] = tiny_kb.curation.decisions()
    assert (decision.action, decision.curator, decision.note) == (
        "dismiss", "ana", "two kinds of session",
    )  # fmt: skip
    at.toggle(key="conflict_dismissed").set_value(True).run()
    assert any("curator dismissed" in c.value for c in at.caption)


def test_a_statement_rejected_on_the_claim_page_is_gone_and_can_be_undone(app, tiny_kb):
    [denial] = [s for s in tiny_kb.statement_list() if s.quote == DENIAL]
    at = app(tiny_kb.path, "claims", claim=RELIEF)
    at.button(key=f"reject_{denial.id}").click().run()
    assert not at.exception
    assert f"{html.escape(DENIAL)}</mark>" not in _html(at)
    assert DENIAL not in [s.quote for s in tiny_kb.statement_list()]

    at.switch_page(page("curation").file).run()
    assert not at.exception
    [shown] = [d.value for d in at.dataframe]
    assert list(shown["quote"]) == [DENIAL]
    decision_id = shown["id"].iloc[0]
    at.selectbox(key="curation_undo").set_value(decision_id).run()
    at.button(key="curation_undo_button").click().run()
    assert not at.exception
    assert DENIAL in [s.quote for s in tiny_kb.statement_list()]


def test_a_claim_relabelled_on_its_page_keeps_its_new_label(app, tiny_kb):
    at = app(tiny_kb.path, "claims", claim=RELIEF)
    at.text_input(key=f"label_{RELIEF}").set_value("acupuncture eases back pain").run()
    at.button(key=f"relabel_{RELIEF}").click().run()
    assert not at.exception
    assert _plain(at.subheader[0].value) == "acupuncture eases back pain"
