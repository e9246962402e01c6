"""Views of the KB graph for reading and drawing: a capped, filtered view of sources,
claims and concepts; positions to draw it; and one node's neighbours.

A view folds statements into source–claim ``states`` edges: a drawing of every statement
would be unreadable, and a reader asks which sources state a claim, not which sentences.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

__all__ = ["MAX_NODES", "NODE_KINDS", "graph_layout", "graph_view", "node_details"]

NODE_KINDS = ("source", "claim", "concept")
# networkx lays out 500 nodes or more with SciPy, which kb does not need; stay below.
MAX_NODES = 450


def graph_view(
    graph: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] = NODE_KINDS,
    claim_types: Iterable[str] = (),
    conflicts_only: bool = False,
    max_claims: int = 60,
    max_nodes: int = MAX_NODES,
) -> nx.Graph:
    """A drawable view of the KB graph: sources, claims and concepts, statements folded
    into source–claim ``states`` edges. Claims are those of ``claim_types`` (all when
    empty), only the ones in a conflict if ``conflicts_only``, at most ``max_claims`` of
    them (most sources first). Sources and concepts are those linked to the claims kept;
    then only nodes of ``kinds`` remain, and at most ``max_nodes``: claims first, then the
    best-connected others. ``view.graph["left_out"]`` counts the nodes cut by that cap."""
    kinds = set(kinds)
    types = set(claim_types)
    stated_by: dict[str, set[str]] = defaultdict(set)
    for source, statement, data in graph.edges(data=True):
        if data.get("relation") != "states":
            continue
        for _, claim, asserted in graph.out_edges(statement, data=True):
            if asserted.get("relation") == "asserts":
                stated_by[claim].add(source)
    disputed = {
        node
        for u, v, data in graph.edges(data=True)
        if data.get("relation") == "conflicts_with"
        for node in (u, v)
    }
    claims = [
        n
        for n, data in graph.nodes(data=True)
        if data.get("kind") == "claim"
        and (not types or data.get("claim_type") in types)
        and (not conflicts_only or n in disputed)
    ]
    claims.sort(key=lambda n: (-len(stated_by.get(n, ())), n))
    claims = claims[: max(0, max_claims)]

    view = nx.Graph()
    for claim in claims:
        view.add_node(claim, **graph.nodes[claim])
        # In order: nodes go in in a fixed order, so the view (which end an edge reports
        # first) and its layout are the same in every process, whatever the hash seed.
        for source in sorted(stated_by.get(claim, ())):
            view.add_node(source, **graph.nodes[source])
            view.add_edge(source, claim, relation="states")
        for _, other, data in graph.out_edges(claim, data=True):
            relation = data.get("relation")
            if relation == "about":
                view.add_node(other, **graph.nodes[other])
                view.add_edge(claim, other, relation="about")
    kept = set(view.nodes)
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        linked = relation in ("refines", "conflicts_with", "copies")
        if linked and u != v and u in kept and v in kept:
            view.add_edge(u, v, relation=relation)
    shown = [n for n, d in view.nodes(data=True) if d.get("kind") in kinds]
    shown.sort(key=lambda n: (view.nodes[n].get("kind") != "claim", -view.degree(n), n))
    cap = max(1, min(max_nodes, MAX_NODES))
    result = view.subgraph(shown[:cap]).copy()
    result.graph["left_out"] = max(0, len(shown) - cap)
    return result


def graph_layout(view: nx.Graph, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions for drawing ``view``: nodes (node, kind, label, claim_type, x, y, degree)
    and edges (relation, x, y, x2, y2). Spring layout, the same for the same view."""
    node_columns = ["node", "kind", "label", "claim_type", "x", "y", "degree"]
    edge_columns = ["relation", "x", "y", "x2", "y2"]
    if not view.number_of_nodes():
        return pd.DataFrame(columns=node_columns), pd.DataFrame(columns=edge_columns)
    size = view.number_of_nodes()
    positions = nx.spring_layout(view, seed=seed, k=2 / math.sqrt(size), iterations=60)
    nodes = pd.DataFrame(
        [
            {
                "node": n,
                "kind": d.get("kind", ""),
                "label": str(d.get("label", n)),
                "claim_type": d.get("claim_type", ""),
                "x": float(positions[n][0]),
                "y": float(positions[n][1]),
                "degree": view.degree(n),
            }
            for n, d in view.nodes(data=True)
        ],
        columns=node_columns,
    )
    edges = pd.DataFrame(
        [
            {
                "relation": d.get("relation", ""),
                "x": float(positions[u][0]),
                "y": float(positions[u][1]),
                "x2": float(positions[v][0]),
                "y2": float(positions[v][1]),
            }
            for u, v, d in view.edges(data=True)
        ],
        columns=edge_columns,
    )
    return nodes, edges


def node_details(graph: nx.MultiDiGraph, node: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """A node's attributes, and its neighbours in the KB graph with statements folded:
    (relation, direction, node, kind, label), for a source the claims it states and for a
    claim the sources that state it."""
    attributes = dict(graph.nodes[node])
    rows = []

    def add(relation: str, direction: str, other: str) -> None:
        data = graph.nodes[other]
        rows.append(
            {
                "relation": relation,
                "direction": direction,
                "node": other,
                "kind": data.get("kind", ""),
                "label": str(data.get("label", other)),
            }
        )

    for _, other, data in graph.out_edges(node, data=True):
        relation = data.get("relation", "")
        if relation == "states":
            for _, claim, asserted in graph.out_edges(other, data=True):
                if asserted.get("relation") == "asserts":
                    add("states", "out", claim)
        elif relation != "asserts":
            add(relation, "out", other)
    for other, _, data in graph.in_edges(node, data=True):
        relation = data.get("relation", "")
        if relation == "asserts":
            for source, _, states in graph.in_edges(other, data=True):
                if states.get("relation") == "states":
                    add("states", "in", source)
        elif relation not in ("states", "copies"):  # copies come both ways: seen above
            add(relation, "in", other)
    columns = ["relation", "direction", "node", "kind", "label"]
    table = pd.DataFrame(rows, columns=columns).drop_duplicates().reset_index(drop=True)
    return attributes, table
