"""Search: the statements and claims that say something (kb search), filtered by claim
type and by source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, pages, widgets
from dashboard.markup import md
from kb.errors import QueryError
from kb.model import CLAIM_TYPES

st.title("Search")
titles = widgets.source_titles(data.sources())
left, right = st.columns([3, 1])
text = left.text_input(
    "Words to find", key="search_text", placeholder='needles "blood flow"',
    help='every word must be in the statement; "a phrase" in quotes',
)  # fmt: skip
claim_type = right.selectbox("Type", ["any", *CLAIM_TYPES], key="search_type")
where = widgets.source_filters("search")
if claim_type != "any":
    where["claim_type"] = claim_type
if not text.strip():
    st.info("Type words to find the statements that say them, with their quotes.")
    st.stop()
try:
    found = data.search(text, where)
except QueryError as exc:
    st.warning(str(exc))
    st.stop()

how = "words and meaning" if found.by_meaning else "words (no sentence vectors: not by meaning)"
st.caption(f"{len(found.statements)} statement(s), {len(found.claims)} claim(s); by {how}")
if found.statements:
    rows = pd.DataFrame([hit.to_json() for hit in found.statements])
    rows["title"] = rows["source"].map(lambda s: titles.get(s, s))
    st.dataframe(
        rows[["score", "via", "claim_type", "title", "quote", "claim", "start", "source"]],
        hide_index=True,
        width="stretch",
        column_config={
            "quote": st.column_config.TextColumn("quote", width="large"),
            "claim_type": "type",
        },
    )
else:
    st.info("No statement says that.")
if found.claims:
    st.subheader("Claims")
    for claim in found.claims:
        st.page_link(
            pages.page("claims").file,
            label=f"{md(claim.label)} ({claim.claim_type})",
            icon=":material/fact_check:",
            query_params={"claim": claim.id},
        )
