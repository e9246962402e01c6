"""Downloads: any dataset of the KB as CSV, JSON, JSON Lines or GraphML (as `kb export`)."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import data

FORMATS = {
    "claims": ("csv", "json", "jsonl"),
    "statements": ("csv", "json", "jsonl"),
    "conflicts": ("json", "jsonl", "csv"),
    "sources": ("csv", "json", "jsonl"),
    "graph": ("graphml", "json"),
}
MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "graphml": "application/xml",
}
PREVIEW_ROWS = 100

st.title("Downloads")
left, right = st.columns(2)
what = left.selectbox("Dataset", list(FORMATS), key="download_what")
fmt = right.radio("Format", FORMATS[what], horizontal=True, key="download_format")
fmt = fmt if fmt in FORMATS[what] else FORMATS[what][0]

if what == "graph":
    graph = data.graph()
    kinds = pd.Series([d.get("kind", "") for _, d in graph.nodes(data=True)]).value_counts()
    relations = pd.Series([d.get("relation", "") for *_, d in graph.edges(data=True)])
    st.markdown(
        f"**{graph.number_of_nodes():,} nodes** ("
        + ", ".join(f"{n:,} {k}" for k, n in kinds.items())
        + f"), **{graph.number_of_edges():,} edges** ("
        + ", ".join(f"{n:,} {r}" for r, n in relations.value_counts().items())
        + "). GraphML opens in Gephi and Cytoscape; JSON is networkx node-link data."
    )
else:
    if what == "claims":
        table = data.claims()
    elif what == "statements":
        table = data.statements()
    elif what == "sources":
        table = data.sources()
    else:
        table = pd.DataFrame(data.conflicts())
    st.caption(
        f"{len(table):,} {what}; the first {min(PREVIEW_ROWS, len(table)):,} shown. "
        "In CSV, list and dict cells are JSON."
    )
    st.dataframe(table.head(PREVIEW_ROWS), hide_index=True, width="stretch", key="preview")

st.download_button(
    f"Download {what} ({fmt})",
    # Made when clicked: a big export should not slow every rerun of this page.
    data=functools.partial(data.export, what, fmt),
    file_name=f"kb-{what}.{fmt}",
    mime=MIME[fmt],
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    key="download_button",
)
st.caption("The same file from the command line:")
st.code(f"kb export {what} --format {fmt} -o kb-{what}.{fmt}", language="sh")
