"""Tables and graph views that the pages show, shaped from kb.api results.

Pure functions of DataFrames, conflict records and graphs (no Streamlit, no SQL, no
extraction logic): they only reshape and count what kb/ computed. dashboard/data.py
caches them; pages call data.py. Inputs are never modified.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from kb.graph import concept_label  # how kb labels concept nodes

__all__ = [
    "CERTAINTIES",
    "MAX_NODES",
    "NODE_KINDS",
    "STANCES",
    "STATUSES",
    "claim_table",
    "concept_label",
    "conflict_ranges",
    "conflicts_by_claim",
    "context_span",
    "filter_claims",
    "graph_layout",
    "graph_view",
    "matrix_cells",
    "node_details",
    "page_count",
    "page_rows",
    "range_texts",
    "shorten",
    "source_pairs",
    "stance_of",
    "stances",
    "status_counts",
]

STATUSES = ("agreed", "contested", "one voice")
STANCES = ("affirms", "hedges", "mixed", "negates", "silent")
NODE_KINDS = ("source", "claim", "concept")
CERTAINTIES = ("asserted", "hedged", "reported")
# networkx lays out 500 nodes or more with SciPy, which kb does not need; stay below.
MAX_NODES = 450
_PAIR_BLOCK = 512  # sources per block of the source × source products


# ---------------------------------------------------------------- pagination


def page_count(rows: int, size: int) -> int:
    """Pages needed for ``rows`` rows, ``size`` a page; at least one."""
    return max(1, math.ceil(rows / max(1, size)))


def page_rows(frame: pd.DataFrame, page: int, size: int) -> pd.DataFrame:
    """Rows of the 1-based ``page``."""
    start = (max(1, page) - 1) * size
    return frame.iloc[start : start + size]


# -------------------------------------------------------------------- claims


def conflicts_by_claim(conflicts: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Claim id -> ids of the conflicts it is part of."""
    found: dict[str, list[str]] = defaultdict(list)
    for record in conflicts:
        ids = set(record["claim_ids"]) | {s["claim_id"] for s in record["sides"] if s["claim_id"]}
        for claim_id in sorted(ids):
            found[claim_id].append(record["id"])
    return dict(found)


def claim_table(claims: pd.DataFrame, conflicts: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per claim (kb.api claims() order) with counts for display: sources
    affirming, negating and hedging, certainty counts, conflicts, concepts and a status:
    contested (in a conflict, or some source negates it), agreed (two or more independent
    sources and none against), or one voice."""
    in_conflict = conflicts_by_claim(conflicts)
    table = pd.DataFrame(
        {
            "id": claims["id"],
            "label": claims["label"],
            "claim_type": claims["claim_type"],
            "sources": claims["sources"].astype(int),
            "affirming_n": claims["affirming"].map(len),
            "negating_n": claims["negating"].map(len),
            "hedging_n": claims["hedging"].map(len),
            "independent": claims["independent"].astype(int),
            "consensus": claims["consensus"],
            "statements": claims["statements"].astype(int),
            "conflicts": claims["id"].map(lambda i: len(in_conflict.get(i, []))),
        }
    )
    for certainty in CERTAINTIES:
        table[certainty] = claims["certainty"].map(lambda c, k=certainty: int(c.get(k, 0)))
    table["concepts"] = [
        tuple(c for c in (s, o, k) if c)
        for s, o, k in zip(claims["subject"], claims["object"], claims["comparator"], strict=True)
    ]
    table["affirming"] = claims["affirming"]
    table["negating"] = claims["negating"]
    table["hedging"] = claims["hedging"]
    contested = (table["conflicts"] > 0) | (table["negating_n"] > 0)
    table["status"] = np.where(
        contested, "contested", np.where(table["independent"] >= 2, "agreed", "one voice")
    )
    return table.reset_index(drop=True)


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Claims per (claim_type, status), for the overview chart."""
    counts = table.groupby(["claim_type", "status"]).size().rename("claims").reset_index()
    return counts.sort_values(["claim_type", "status"]).reset_index(drop=True)


def filter_claims(
    table: pd.DataFrame,
    *,
    types: Iterable[str] = (),
    concepts: Iterable[str] = (),
    sources: Iterable[str] = (),
    certainties: Iterable[str] = (),
    text: str = "",
) -> pd.DataFrame:
    """Claims of any of ``types``, about any of ``concepts``, stated by any of ``sources``
    and with at least one statement of any of ``certainties``; empty filters pass all."""
    keep = pd.Series(True, index=table.index)
    if types := set(types):
        keep &= table["claim_type"].isin(types)
    if concepts := set(concepts):
        keep &= table["concepts"].map(lambda cs: not concepts.isdisjoint(cs))
    if sources := set(sources):
        stated = table["affirming"] + table["negating"] + table["hedging"]
        keep &= stated.map(lambda ss: not sources.isdisjoint(ss))
    if certainties := [c for c in certainties if c in CERTAINTIES]:
        keep &= table[certainties].sum(axis=1) > 0
    if text:
        keep &= table["label"].str.contains(text, case=False, regex=False)
    return table[keep]


# ------------------------------------------------------------ agreement matrix


# A source listed under several of a claim's columns stands by the first; none: "mixed".
_STANCE_ORDER = (("negating", "negates"), ("hedging", "hedges"), ("affirming", "affirms"))


def stances(claims: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Long table (claim_id, source, stance) of every source that states a claim:
    negates, hedges (states it only with hedges), affirms, or mixed (as many statements
    affirm as deny it)."""
    stated = statements.loc[statements["claim_id"] != "", ["claim_id", "source"]]
    stated = stated.drop_duplicates().reset_index(drop=True)

    def members(column: str) -> set[tuple[str, str]]:
        pairs = claims[["id", column]].explode(column).dropna()
        return set(zip(pairs["id"], pairs[column], strict=True))

    stance: dict[tuple[str, str], str] = {}
    for column, name in reversed(_STANCE_ORDER):  # later updates win
        stance.update(dict.fromkeys(members(column), name))
    keys = zip(stated["claim_id"], stated["source"], strict=True)
    stated["stance"] = [stance.get(k, "mixed") for k in keys]
    return stated


def stance_of(claim: Mapping[str, Any], source: str) -> str:
    """Where ``source`` stands on ``claim`` (a claims() row), as in stances()."""
    return next((name for column, name in _STANCE_ORDER if source in claim[column]), "mixed")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut.

    >>> shorten("acupuncture relieves back pain", 12), shorten("short", 12)
    ('acupuncture…', 'short')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def matrix_cells(
    stance_table: pd.DataFrame, claim_ids: Sequence[str], source_ids: Sequence[str]
) -> pd.DataFrame:
    """Every (claim, source) cell of the given rows and columns, ``silent`` where the
    source does not state the claim."""
    grid = pd.MultiIndex.from_product([list(claim_ids), list(source_ids)])
    known = stance_table[
        stance_table["claim_id"].isin(claim_ids) & stance_table["source"].isin(source_ids)
    ].set_index(["claim_id", "source"])["stance"]
    cells = known.reindex(grid, fill_value="silent")
    cells.index.names = ["claim_id", "source"]
    return cells.rename("stance").reset_index()


def source_pairs(
    stance_table: pd.DataFrame,
    conflicts: Sequence[Mapping[str, Any]],
    near_duplicates: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Every pair of sources that share a claim, meet in a conflict or copy each other:
    shared (claims both take a side on), agree (same side), share (agree ÷ shared),
    conflicts (conflicts with them on opposite sides), near_copy.

    Sides are counted with sources × claims matrix products over claims that two or more
    sources state, a block of sources at a time: time grows with sources² × claims (about
    0.5 s for 1,000 sources and 4,000 claims), memory with sources × claims."""
    sided = stance_table[stance_table["stance"] != "mixed"]
    stated_by = sided["claim_id"].value_counts()
    sided = sided[sided["claim_id"].isin(stated_by.index[stated_by >= 2])]
    source_ids = sorted(set(sided["source"]))
    index = {s: i for i, s in enumerate(source_ids)}
    column = {c: j for j, c in enumerate(sorted(set(sided["claim_id"])))}
    yes = np.zeros((len(source_ids), len(column)), dtype=np.float32)
    no = np.zeros_like(yes)
    rows = sided["source"].map(index).to_numpy()
    cols = sided["claim_id"].map(column).to_numpy()
    negates = (sided["stance"] == "negates").to_numpy()
    yes[rows[~negates], cols[~negates]] = 1
    no[rows[negates], cols[negates]] = 1
    both = yes + no

    names = np.array(source_ids, dtype=object)
    found = []
    for start in range(0, len(source_ids), _PAIR_BLOCK):
        stop = min(len(source_ids), start + _PAIR_BLOCK)
        shared = both[start:stop] @ both.T
        agree = yes[start:stop] @ yes.T + no[start:stop] @ no.T
        first, second = np.nonzero(shared)
        upper = second > first + start
        first, second = first[upper], second[upper]
        found.append(
            pd.DataFrame(
                {
                    "a": names[first + start],
                    "b": names[second],
                    "shared": shared[first, second].astype(int),
                    "agree": agree[first, second].astype(int),
                }
            )
        )

    opposed: dict[tuple[str, str], int] = defaultdict(int)
    for record in conflicts:
        sides = [set(side["sources"]) for side in record["sides"]]
        met = set()
        for i, left in enumerate(sides):
            for right in sides[i + 1 :]:
                met |= {(min(a, b), max(a, b)) for a in left - right for b in right - left}
        for pair in met:
            opposed[pair] += 1
    copies = {(min(a, b), max(a, b)) for a, bs in near_duplicates.items() for b in bs if a != b}

    columns = ["a", "b", "shared", "agree"]
    pairs = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    known = set(zip(pairs["a"], pairs["b"], strict=True))
    unshared = sorted((set(opposed) | copies) - known)
    if unshared:
        extra = pd.DataFrame([(a, b, 0, 0) for a, b in unshared], columns=columns)
        pairs = pd.concat([pairs, extra], ignore_index=True)
    pairs["shared"] = pairs["shared"].astype(int)
    pairs["agree"] = pairs["agree"].astype(int)
    pairs["share"] = (pairs["agree"] / pairs["shared"].where(pairs["shared"] > 0)).round(3)
    keys = list(zip(pairs["a"], pairs["b"], strict=True))
    pairs["conflicts"] = [opposed.get(k, 0) for k in keys]
    pairs["near_copy"] = [k in copies for k in keys]
    return pairs.sort_values(
        ["conflicts", "near_copy", "shared", "a", "b"], ascending=[False, False, False, True, True]
    ).reset_index(drop=True)


# ------------------------------------------------------------------ conflicts


def conflict_ranges(record: Mapping[str, Any]) -> pd.DataFrame:
    """The quantities each side of a conflict states: side, position, source, text, low,
    high, unit (one row per quantity)."""
    rows = [
        {
            "side": number,
            "position": side["position"],
            "source": statement["source"],
            "text": quantity.get("text", ""),
            "low": quantity.get("low"),
            "high": quantity.get("high"),
            "unit": quantity.get("unit", ""),
        }
        for number, side in enumerate(record["sides"], start=1)
        for statement in side["statements"]
        for quantity in statement.get("quantities") or []
    ]
    columns = ["side", "position", "source", "text", "low", "high", "unit"]
    return pd.DataFrame(rows, columns=columns)


def range_texts(ranges: pd.DataFrame) -> list[str]:
    """The distinct ranges of conflict_ranges() rows as text: "10–20 minute", "25 minute"."""
    texts = {
        (f"{low:g}–{high:g}" if low != high else f"{low:g}") + (f" {unit}" if unit else "")
        for low, high, unit in ranges[["low", "high", "unit"]].itertuples(index=False)
        if pd.notna(low) and pd.notna(high)
    }
    return sorted(texts)


# ------------------------------------------------------------------ reading


def context_span(units: Sequence[Any], start: int, end: int, around: int = 1) -> tuple[int, int]:
    """Offsets of the units that hold ``[start, end)`` and up to ``around`` sentences or
    items either side, not crossing a heading, so a quote can be shown in its context."""
    inside = [i for i, u in enumerate(units) if u.start < end and u.end > start]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    for _ in range(around):
        if first > 0 and units[first - 1].kind != "heading":
            first -= 1
        if last < len(units) - 1 and units[last + 1].kind != "heading":
            last += 1
    return min(units[first].start, start), max(units[last].end, end)


# ---------------------------------------------------------------------- graph


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
        for source in stated_by.get(claim, ()):
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
