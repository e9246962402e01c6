"""Source reader: a source's full text with its statements highlighted, and its metadata.

Other pages open a source here with the query parameter ``source`` (``?source=ID``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, widgets
from dashboard.markup import CLAIM_TYPE_COLOURS, highlight, legend, md
from kb.model import web_url

st.title("Source reader")
sources = data.sources()
titles = widgets.source_titles(sources)
if not titles:
    st.info("The KB has no sources.")
    st.stop()

wanted = st.query_params.get("source")
if wanted in titles and st.session_state.get("_source_from_url") != wanted:
    st.session_state["reader_source"] = wanted
source_id = st.selectbox(
    "Source", list(titles), format_func=lambda i: f"{titles[i]} ({i})", key="reader_source"
)
# Keep the URL on the source shown, so it can be shared or reloaded.
st.session_state["_source_from_url"] = source_id
st.query_params["source"] = source_id

row = sources.set_index("id").loc[source_id]
source = data.source(source_id)
statements = data.statements()
stated = statements[statements["source"] == source_id]

st.subheader(md(titles[source_id]))
left, right = st.columns([3, 2])
with left:
    facts = {
        "author": row["author"],
        "site": row["site"],
        "date": row["date"],
        "kind": row["kind"],
        "words": f"{int(row['words']):,}",
        "format": f"{row['format']} ({row['encoding']})",
        "file": row["path"],
        "id": source_id,
    }
    st.markdown("  \n".join(f"**{name}**: {md(value)}" for name, value in facts.items() if value))
    if web_url(str(row["url"])):
        st.link_button("Open the original", web_url(row["url"]), icon=":material/open_in_new:")
    if len(row["kind_reasons"]):
        st.markdown("**Why this kind**")
        st.markdown("\n".join(f"- {md(reason)}" for reason in row["kind_reasons"]))
    if len(row["warnings"]):
        st.warning("  \n".join(md(w) for w in row["warnings"]))
with right:
    st.markdown("**Near-duplicates**")
    if len(row["near_duplicates"]):
        st.caption("These copy or closely paraphrase this source; they count once together.")
        for other in row["near_duplicates"]:
            widgets.source_link(other, titles.get(other, other))
    else:
        st.caption("none found")
    st.markdown("**Works it cites**")
    if len(row["cites"]):
        st.markdown("\n".join(f"- {md(cite)}" for cite in row["cites"]))
    else:
        st.caption("none found")

present = [t for t in CLAIM_TYPE_COLOURS if t in set(stated["claim_type"])]
counts = stated["claim_type"].value_counts()
shown_types = st.pills(
    "Highlight statements of type",
    present,
    selection_mode="multi",
    default=present,
    format_func=lambda t: f"{t} ({counts.get(t, 0)})",
    key="reader_types",
)
marked = stated[stated["claim_type"].isin(shown_types or [])]
spans = [
    (
        r.start,
        r.end,
        r.claim_type,
        f"{r.claim_type}: {r.claim} ({r.certainty}"
        + (", negated" if r.polarity == "negated" else "")
        + (f", per {r.attribution}" if r.attribution else "")
        + ")",
    )
    for r in marked.itertuples()
]
st.html(legend(CLAIM_TYPE_COLOURS, present))
st.caption(
    f"{len(stated)} statement(s); {len(marked)} highlighted. Hover a highlight for its claim."
)
with st.container(height=640, border=True):
    st.html(highlight(source.text, spans, CLAIM_TYPE_COLOURS))

with st.expander(f"Statements ({len(stated)})"):
    st.dataframe(
        stated[
            ["quote", "claim_type", "claim", "polarity", "certainty", "attribution", "start",
             "end"]
        ],
        hide_index=True,
        width="stretch",
        key="reader_statements",
    )  # fmt: skip
