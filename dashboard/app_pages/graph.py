"""Graph: sources, claims and concepts as an interactive drawing; click a node for details.

Drawn with Altair (Vega-Lite), which Streamlit bundles: it works offline, with no CDN.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import data, pages, widgets
from dashboard.markup import md, shorten
from kb import api

KIND_COLOURS = {"source": "#2563eb", "claim": "#16a34a", "concept": "#f59e0b"}
EDGE_COLOURS = {
    "states": "#cbd5e1", "about": "#fde68a", "refines": "#86efac",
    "conflicts_with": "#dc2626", "copies": "#a855f7",
}  # fmt: skip

st.title("Graph")
claim_types = sorted(data.claim_table()["claim_type"].unique())

left, middle, right = st.columns([2, 2, 1])
kinds = left.multiselect(
    "Show", list(api.NODE_KINDS), default=list(api.NODE_KINDS), key="graph_kinds",
    persist_state="session",
)  # fmt: skip
types = middle.multiselect(
    "Claim types", claim_types, key="graph_types", placeholder="all types",
    persist_state="session",
)  # fmt: skip
conflicts_only = right.toggle(
    "Conflicts only", key="graph_conflicts", help="only claims in a conflict",
    persist_state="session",
)  # fmt: skip
max_claims = st.slider(
    "Claims drawn (most sources first)", 5, 300, 60, step=5, key="graph_max_claims",
    persist_state="session",
)  # fmt: skip

nodes, edges, left_out, graphml = data.graph_layout(
    tuple(sorted(kinds)), tuple(sorted(types)), conflicts_only, max_claims
)
counts = nodes["kind"].value_counts()
summary = ", ".join(f"{counts.get(k, 0)} {k}s" for k in api.NODE_KINDS if k in kinds)
st.caption(
    f"{summary or 'nothing'}; {len(edges)} edges."
    + (f" {left_out} less connected node(s) left out to keep the drawing readable." if left_out
       else "")
    + " Click a node for its details; scroll to zoom, drag to pan."
)  # fmt: skip


def _pick_node() -> None:
    chosen = st.session_state["graph_chart"].selection.get("pick") or []
    if chosen and chosen[0].get("node"):
        st.session_state["graph_node"] = chosen[0]["node"]


if nodes.empty:
    st.info("No node matches these filters.")
else:
    # nearest: a click anywhere picks the closest node, so small dots are easy to hit.
    pick = alt.selection_point(fields=["node"], name="pick", on="click", nearest=True, empty=False)
    axis_x = alt.X("x:Q", axis=None, scale=alt.Scale(zero=False))
    axis_y = alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False))
    lines = (
        alt.Chart(edges)
        .mark_rule(strokeWidth=1.2, opacity=0.7)
        .encode(
            x=axis_x, y=axis_y, x2="x2:Q", y2="y2:Q",
            color=alt.Color("relation:N", title="edge",
                            scale=alt.Scale(domain=list(EDGE_COLOURS),
                                            range=list(EDGE_COLOURS.values()))),
        )
    )  # fmt: skip
    dots = (
        alt.Chart(nodes)
        .mark_circle(stroke="#111827")
        .encode(
            x=axis_x, y=axis_y,
            size=alt.Size("degree:Q", scale=alt.Scale(range=[40, 600]), legend=None),
            color=alt.Color("kind:N", title="node",
                            scale=alt.Scale(domain=list(KIND_COLOURS),
                                            range=list(KIND_COLOURS.values()))),
            strokeWidth=alt.condition(pick, alt.value(3), alt.value(0)),
            opacity=alt.value(0.9),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("kind:N"),
                     alt.Tooltip("claim_type:N", title="type"), alt.Tooltip("degree:Q")],
        )
        .add_params(pick)
    )  # fmt: skip
    chart = (
        alt.layer(lines, dots)
        .resolve_scale(color="independent")
        .properties(height=640)
        .interactive()
    )
    st.altair_chart(
        chart, width="stretch", on_select=_pick_node, selection_mode="pick", key="graph_chart"
    )
    st.download_button(
        "Download this view (GraphML)", data=graphml, file_name="kb-view.graphml",
        mime="application/xml", on_click="ignore", icon=":material/download:",
    )  # fmt: skip

ordered = nodes.sort_values(["kind", "label"])
labels = dict(zip(ordered["node"], ordered["kind"] + ": " + ordered["label"], strict=True))
node = st.selectbox(
    "Node details",
    list(labels),
    index=None,
    format_func=lambda n: shorten(labels[n], 140),
    placeholder="Click a node, or choose one here",
    key="graph_node",
)
if not node:
    st.stop()

attributes, neighbours = data.node_details(node)
kind, _, key = node.partition(":")
st.subheader(md(attributes.get("label", key)))
shown = {
    name: value for name, value in attributes.items() if name != "label" and value not in ("", None)
}
st.markdown("  \n".join(f"**{name}**: {md(value)}" for name, value in shown.items()))
if kind == "source":
    widgets.source_link(key, str(attributes.get("label", key)))
elif kind == "claim":
    st.page_link(
        pages.page("claims").file, label="Open in Claims", icon=":material/fact_check:",
        query_params={"claim": key},
    )  # fmt: skip
above, rows = widgets.paged(neighbours, key="graph_neighbours_page", size=25, noun="links")
above.dataframe(
    rows[["relation", "direction", "kind", "label", "node"]],
    hide_index=True,
    width="stretch",
    key="graph_neighbours",
)
