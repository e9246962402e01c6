"""Standard exports (issue 18): W3C Web Annotations, GEXF and Cytoscape.js graphs,
citations of sources, Parquet tables; from the CLI and the Python API, and bad asks."""

from __future__ import annotations

import io
import json
from collections import Counter

import networkx as nx
import pyarrow.parquet as pq
import pytest

from kb import api
from kb.api.annotations import annotation
from kb.cli.verbs import EXPORT_FORMAT_NAMES, EXPORT_KINDS
from kb.errors import ExportError
from kb.graph import gexf_ready
from kb.model import Source, Statement


def _one_line_error(code: int, err: str) -> str:
    assert code == 2 and err.count("\n") == 1 and err.startswith("kb: error: ")
    return err


# --- Web Annotation ------------------------------------------------------------------


def test_each_statement_is_an_annotation_whose_selectors_find_its_quote(seed_kb, kb_cli):
    code, out, _ = kb_cli("--kb", seed_kb, "export", "annotations")
    assert code == 0
    notes = json.loads(out)
    base = api.open_kb(seed_kb)
    texts = {s.id: s.text for s in base.source_list(with_text=True)}
    statements = {f"urn:kb:statement:{s.id}": s for s in base.statement_list()}
    assert [n["id"] for n in notes] == list(statements)
    for note in notes:
        assert note["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert note["type"] == "Annotation"
        statement = statements[note["id"]]
        text = texts[statement.source]
        quote, position = note["target"]["selector"]
        start, end = position["start"], position["end"]
        assert (quote["type"], position["type"]) == ("TextQuoteSelector", "TextPositionSelector")
        assert quote["exact"] == text[start:end] == statement.quote
        assert quote["prefix"] == text[max(0, start - 32) : start]
        assert quote["suffix"] == text[end : end + 32]
        tags = [b["value"] for b in note["body"] if b["purpose"] == "tagging"]
        assert tags == [statement.claim_type, statement.polarity, statement.certainty]
        assert note["body"][0] == {
            "type": "TextualBody", "purpose": "describing", "value": statement.claim,
            "format": "text/plain",
        }  # fmt: skip


def test_an_annotation_targets_the_source_url_or_else_a_urn_of_its_text():
    text = "Needles stay in for 20 minutes."
    statement = Statement("st_1", "a", text[:7], 0, 7, claim="needles stay in")
    with_url = Source(id="a", text=text, url="https://example.org/a", sha256="ab12")
    target = annotation(statement, with_url)["target"]
    assert target["source"] == "https://example.org/a"
    assert target["selector"][0]["prefix"] == ""  # the quote opens the text
    assert target["selector"][0]["suffix"] == " stay in for 20 minutes."
    assert annotation(statement, Source(id="a", text=text, sha256="ab12"))["target"]["source"] == (
        "urn:sha256:ab12"
    )


def test_annotations_of_one_source_from_the_api(seed_kb):
    base = api.open_kb(seed_kb)
    one = base.source_list()[1].id
    notes = json.loads(base.export("annotations", "jsonld", sources=[one]))
    assert len(notes) == len(base.statement_list(one)) > 0


# --- graph: GEXF and Cytoscape.js ------------------------------------------------------


def test_gexf_reads_back_with_node_kinds_and_edge_relations(seed_kb, kb_cli, tmp_path):
    out = tmp_path / "kb.gexf"  # the extension chooses the format
    assert kb_cli("--kb", seed_kb, "export", "graph", "-o", out)[0] == 0
    graph = api.open_kb(seed_kb).graph()
    back = nx.read_gexf(out)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert Counter(d["kind"] for _, d in back.nodes(data=True)) == Counter(
        d["kind"] for _, d in graph.nodes(data=True)
    )
    assert Counter(d["relation"] for *_, d in back.edges(data=True)) == Counter(
        d["relation"] for *_, d in graph.edges(data=True)
    )
    node, data = next((n, d) for n, d in graph.nodes(data=True) if d["kind"] == "statement")
    # A statement's offsets are data, not GEXF's lifetime of a node (start/end).
    assert (back.nodes[node]["quote_start"], back.nodes[node]["quote_end"]) == (
        data["start"],
        data["end"],
    )


def test_gexf_holds_no_value_it_has_no_type_for():
    graph = nx.MultiDiGraph()
    graph.add_node("a", kind="claim", refines=["b"], note=None, extra={"x": 1})
    graph.add_edge("a", "b", relation="refines", sides=[1, 2])
    back = nx.read_gexf(io.BytesIO(api.export_graph(graph, "gexf").encode()))
    assert back.nodes["a"]["refines"] == '["b"]' and back.nodes["a"]["note"] == ""
    assert gexf_ready(graph).nodes["a"]["extra"] == '{"x": 1}'
    assert graph.nodes["a"]["refines"] == ["b"]  # the graph itself is left as it was


def test_cytoscape_json_has_every_node_and_edge(seed_kb, kb_cli, tmp_path):
    out = tmp_path / "kb.cyjs"
    assert kb_cli("--kb", seed_kb, "export", "graph", "-o", out)[0] == 0
    data = json.loads(out.read_text())
    graph = api.open_kb(seed_kb).graph()
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert {n["data"]["id"] for n in nodes} == set(graph.nodes)
    assert {n["data"]["kind"] for n in nodes} == {"source", "statement", "claim", "concept"}
    assert all(e["data"]["source"] in graph and e["data"]["relation"] for e in edges)


# --- citations -------------------------------------------------------------------------


def test_citations_of_all_sources_say_what_metadata_is_missing(seed_kb, kb_cli):
    code, out, err = kb_cli("--kb", seed_kb, "export", "citations")
    assert code == 0
    sources = api.open_kb(seed_kb).source_list()
    lines = out.splitlines()
    assert len(lines) == len(sources) and all("(n.d.)" in line for line in lines)  # APA
    assert f"kb: {len(sources)} source(s) have no date:" in err


def test_citations_by_style_and_by_extension(seed_kb, kb_cli, tmp_path):
    first = api.open_kb(seed_kb).source_list()[0].id
    code, out, _ = kb_cli("--kb", seed_kb, "export", "citations", "--style", "csl-json",
                          "--source", first)  # fmt: skip
    assert code == 0 and [item["id"] for item in json.loads(out)] == [first]
    bib = tmp_path / "refs.bib"
    assert kb_cli("--kb", seed_kb, "export", "citations", "-o", bib)[0] == 0
    assert bib.read_text().count("@online{") == len(api.open_kb(seed_kb).source_list())


def test_citations_from_the_api(seed_kb):
    base = api.open_kb(seed_kb)
    first = base.source_list()[0]
    assert base.export("citations", "apa", sources=[first.id]).startswith(first.title)
    assert set(api.citation_gaps(base, [first.id])[first.id]) >= {"date", "url"}


# --- Parquet ---------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["statements", "claims", "conflicts", "sources"])
def test_parquet_tables_hold_what_the_json_export_holds(seed_kb, kb_cli, tmp_path, what):
    out = tmp_path / f"{what}.parquet"
    assert kb_cli("--kb", seed_kb, "export", what, "-o", out)[0] == 0
    rows = pq.read_table(out).to_pylist()
    records = json.loads(api.open_kb(seed_kb).export(what, "json"))
    assert len(rows) == len(records) > 0
    for row, record in zip(rows, records, strict=True):
        assert list(row) == list(record)
        for name, value in record.items():
            nested = isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
            )
            if nested or (isinstance(row[name], str) and isinstance(value, list)):
                assert json.loads(row[name]) == value  # a column of nested values is JSON
            else:
                assert row[name] == value  # lists of plain values stay lists


def test_parquet_from_the_api_is_bytes(seed_kb):
    data = api.open_kb(seed_kb).export("sources", "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.field("near_duplicates").type.value_type.equals(
        table.schema.field("cites").type.value_type
    )  # list<string>, even when every list is empty


def test_parquet_to_standard_output_asks_for_a_file(seed_kb, kb_cli):
    code, out, err = kb_cli("--kb", seed_kb, "export", "claims", "--format", "parquet")
    assert "write it with -o FILE.parquet" in _one_line_error(code, err)
    assert out == ""


def test_parquet_into_a_missing_folder_or_a_directory_writes_nothing(seed_kb, kb_cli, tmp_path):
    code, _, err = kb_cli("--kb", seed_kb, "export", "claims", "-o", tmp_path / "no" / "c.parquet")
    assert "does not exist" in _one_line_error(code, err)
    folder = tmp_path / "c.parquet"
    folder.mkdir()
    code, _, err = kb_cli("--kb", seed_kb, "export", "claims", "--format", "parquet", "-o", folder)
    assert "is a directory" in _one_line_error(code, err)
    assert list(tmp_path.rglob("*")) == [folder]


# --- bad asks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["graph", "--format", "parquet"], "choose graphml, gexf, json, cytoscape"),
        (["annotations", "--format", "csv"], "choose jsonld"),
        (["citations", "--format", "json"], "citations take --style"),
        (["claims", "--style", "apa"], "--style is for citations"),
        (["claims", "--source", "x"], "--source limits annotations and citations"),
        (["citations", "--source", "nope"], "no source 'nope'"),
    ],
)
def test_an_export_asked_for_wrongly_is_one_line_and_leaves_the_file(
    seed_kb, kb_cli, tmp_path, args, said
):
    target = tmp_path / "old.json"
    target.write_text("kept")
    code, _, err = kb_cli("--kb", seed_kb, "export", *args, "-o", target)
    assert code == 2 and err.count("\n") == 1 and said in err
    assert target.read_text() == "kept"


def test_the_cli_offers_the_kinds_and_formats_the_api_exports():
    # The CLI names them itself, so that `kb -h` answers without importing pandas.
    assert tuple(api.EXPORT_FORMATS) == EXPORT_KINDS
    formats = {
        f for kind, names in api.EXPORT_FORMATS.items() if kind != "citations" for f in names
    }
    assert set(EXPORT_FORMAT_NAMES) == formats


def test_the_api_refuses_a_format_a_kind_does_not_come_in(seed_kb):
    with pytest.raises(ExportError, match="cannot export citations in the style 'chicago'"):
        api.open_kb(seed_kb).export("citations", "chicago")
    with pytest.raises(ExportError, match="cannot export 'everything'"):
        api.open_kb(seed_kb).export("everything", "json")
