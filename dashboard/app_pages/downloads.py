"""Downloads: every export of the KB, in every format kb writes it (as `kb export`)."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import data
from kb import api

# Every kind of export and its formats, from kb (its default first).
FORMATS = api.EXPORT_FORMATS
MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "cytoscape": "application/json",
    "jsonld": "application/ld+json",
    "apa": "text/plain",
    "bibtex": "application/x-bibtex",
    "csl-json": "application/json",
    "markdown": "text/markdown",
}
SUFFIX = {"cytoscape": "cyjs", "apa": "txt", "bibtex": "bib", "csl-json": "json", "markdown": "md"}
TABLES = {"claims", "statements", "sources", "conflicts"}
PREVIEW_ROWS = 100

st.title("Downloads")
left, right = st.columns(2)
# Claims first, and a table as CSV, the first things most people want from here.
KINDS = ["claims", *(k for k in FORMATS if k != "claims")]
what = left.selectbox("Dataset", KINDS, key="download_what")
offered = FORMATS[what]
fmt = right.radio(
    "Format", offered, index=offered.index("csv") if "csv" in offered else 0,
    horizontal=True, key="download_format",
)  # fmt: skip
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
elif what in TABLES:
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
else:
    st.caption(
        {
            "annotations": "Each statement as a W3C Web Annotation, with the exact quote, "
            "32 characters either side and its offsets.",
            "citations": "A citation of every source, in the style chosen.",
            "curation": "Every curator's decision; JSON imports into another KB.",
        }.get(what, "")
    )

st.download_button(
    f"Download {what} ({fmt})",
    # Made when clicked: a big export should not slow every rerun of this page.
    data=functools.partial(data.export, what, fmt),
    file_name=f"kb-{what}.{SUFFIX.get(fmt, fmt)}",
    mime=MIME[fmt],
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    key="download_button",
)
st.caption("The same file from the command line:")
option = "--style" if what == "citations" else "--format"
st.code(f"kb export {what} {option} {fmt} -o kb-{what}.{SUFFIX.get(fmt, fmt)}", language="sh")
