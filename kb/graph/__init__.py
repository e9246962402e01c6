"""The knowledge base as a networkx MultiDiGraph, and its exports: GraphML, GEXF, node-link
JSON and Cytoscape.js JSON.

Nodes carry ``kind`` (source, statement, claim, concept) and a ``label``; node ids are
prefixed by kind ("source:000_e44d", "claim:cl_206483ae74bf") so that ids of different
kinds cannot collide. Edges carry ``relation``:

- source ``states`` statement
- statement ``asserts`` claim, with the statement's polarity and certainty
- claim ``refines`` claim (the more general one)
- claim ``about`` concept, with the concept's ``role`` (subject, object, comparator)
- claim ``conflicts_with`` claim, with the conflict's id, kind and confidence
- source ``copies`` source (near-duplicates, both directions), with the similarity

Attribute values are strings, numbers or booleans only, so GraphML and GEXF readers (Gephi,
Cytoscape, networkx) read every attribute back. Building is linear in the number of
statements, claims and conflicts.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import networkx as nx

from kb.model import Claim, Conflict, DuplicatePair, Source, Statement

__all__ = ["GRAPH_FORMATS", "build_graph", "export_graph", "gexf_ready", "node_id"]

GRAPH_FORMATS = ("graphml", "gexf", "json", "cytoscape")

# Node attributes GEXF keeps for itself: networkx writes "start" and "end" as a node's
# lifetime, which would make each statement a time interval in Gephi.
_GEXF_RENAMED = {"start": "quote_start", "end": "quote_end"}


def node_id(kind: str, key: str) -> str:
    """The graph id of a node: ``node_id("claim", "cl_1") == "claim:cl_1"``."""
    return f"{kind}:{key}"


def concept_label(concept: str) -> str:
    """How a concept id reads: "~turmeric" (a title word) is "turmeric", "back_pain" is
    "back pain".

    >>> concept_label("low_back_pain"), concept_label("~turmeric")
    ('low back pain', 'turmeric')
    """
    return concept.lstrip("~").replace("_", " ")


def build_graph(
    sources: Iterable[Source],
    statements: Iterable[Statement],
    claims: Iterable[Claim],
    conflicts: Iterable[Conflict] = (),
    duplicates: Iterable[DuplicatePair] = (),
) -> nx.MultiDiGraph:
    """The graph of a knowledge base.

    >>> from kb.model import Claim, Source, Statement
    >>> g = build_graph([Source("a", "It helps.")],
    ...                 [Statement("st_1", "a", "It helps.", 0, 9, claim_id="cl_1")],
    ...                 [Claim("cl_1", "efficacy", "it helps", object="helps")])
    >>> sorted(g.nodes), g.number_of_edges()
    (['claim:cl_1', 'concept:helps', 'source:a', 'statement:st_1'], 3)
    """
    graph = nx.MultiDiGraph()
    for s in sources:
        graph.add_node(
            node_id("source", s.id), kind="source", label=s.title or s.id, source_kind=s.kind,
            author=s.author, url=s.url, words=s.words,
        )  # fmt: skip
    claim_ids = set()
    for c in claims:
        claim_ids.add(c.id)
        graph.add_node(
            node_id("claim", c.id), kind="claim", label=c.label, claim_type=c.claim_type,
            normalised=c.normalised,
        )  # fmt: skip
        for role in ("subject", "object", "comparator"):
            concept = getattr(c, role)
            if concept:
                cid = node_id("concept", concept)
                if cid not in graph:
                    graph.add_node(cid, kind="concept", label=concept_label(concept))
                graph.add_edge(node_id("claim", c.id), cid, relation="about", role=role)
    for c in claims:
        for parent in c.refines:
            if parent in claim_ids:
                graph.add_edge(node_id("claim", c.id), node_id("claim", parent), relation="refines")
    for st in statements:
        sid = node_id("statement", st.id)
        graph.add_node(
            sid, kind="statement", label=st.quote, source=st.source, start=st.start,
            end=st.end, claim_type=st.claim_type, polarity=st.polarity, certainty=st.certainty,
        )  # fmt: skip
        graph.add_edge(node_id("source", st.source), sid, relation="states")
        if st.claim_id in claim_ids:
            graph.add_edge(
                sid, node_id("claim", st.claim_id), relation="asserts", polarity=st.polarity,
                certainty=st.certainty,
            )  # fmt: skip
    for conflict in conflicts:
        ids = [c for c in conflict.claim_ids if c in claim_ids]
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                graph.add_edge(
                    node_id("claim", a), node_id("claim", b), relation="conflicts_with",
                    conflict=conflict.id, conflict_kind=conflict.kind,
                    confidence=conflict.confidence,
                )  # fmt: skip
        if len(ids) == 1:  # polarity and numeric conflicts sit within one claim
            graph.nodes[node_id("claim", ids[0])]["contested"] = True
    for pair in duplicates:
        for a, b in ((pair.a, pair.b), (pair.b, pair.a)):
            graph.add_edge(
                node_id("source", a), node_id("source", b), relation="copies",
                similarity=pair.shingle_similarity, aligned=pair.aligned,
            )  # fmt: skip
    return graph


def export_graph(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as GraphML or GEXF (Gephi, Cytoscape), node-link JSON (networkx) or
    Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``).

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="x")
    >>> export_graph(g, "json").count('"relation": "x"')
    1
    >>> json.loads(export_graph(g, "cytoscape"))["elements"]["edges"][0]["data"]["relation"]
    'x'
    """
    if fmt in ("graphml", "gexf"):
        out = io.BytesIO()
        if fmt == "graphml":
            nx.write_graphml(graph, out, encoding="utf-8")
        else:
            nx.write_gexf(gexf_ready(graph), out, encoding="utf-8")
        return out.getvalue().decode("utf-8")
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "cytoscape":
        return json.dumps(nx.cytoscape_data(graph), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}; choose {', '.join(GRAPH_FORMATS)}")


def gexf_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` that GEXF can hold: a node's quote offsets as quote_start and
    quote_end (see _GEXF_RENAMED), and any None, list or dict value as text (GEXF has
    no type for them: None as "", the others as JSON).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s", start=3, end=9, tags=["a"], note=None)
    >>> gexf_ready(g).nodes["s"]
    {'tags': '["a"]', 'note': '', 'quote_start': 3, 'quote_end': 9}
    """
    ready = graph.copy()
    for _, data in ready.nodes(data=True):
        for old, new in _GEXF_RENAMED.items():
            if old in data:
                data[new] = data.pop(old)
    for data in [d for _, d in ready.nodes(data=True)] + [d for *_, d in ready.edges(data=True)]:
        for name, value in data.items():
            if value is None:
                data[name] = ""
            elif isinstance(value, list | tuple | dict):
                data[name] = json.dumps(value, ensure_ascii=False)
    return ready
