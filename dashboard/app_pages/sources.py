"""Sources: what the KB was built from, with metadata and what was skipped."""

from __future__ import annotations

import streamlit as st

from dashboard import data, widgets
from kb.model import web_url

st.title("Sources")
info = data.info()
sources = data.sources()

left, middle, right = st.columns(3)
left.metric("Sources", f"{len(sources):,}")
middle.metric("Words", f"{int(sources['words'].sum()):,}")
right.metric("Statements", f"{info['statements']:,}")
st.caption(
    f"KB `{info['path']}` · built {info.get('built_at', '?')} · kb {info.get('kb_version', '?')}"
)

query = st.text_input("Filter by id, title, author or site", key="source_filter")
kept = data.kept_sources(widgets.source_filters("sources"))
shown = sources if kept is None else sources[sources["id"].isin(kept)]
if query:
    needle = query.casefold()
    haystack = (
        sources[["id", "title", "author", "site"]].astype(str).agg(" ".join, axis=1).str.casefold()
    )
    shown = shown[haystack[shown.index].str.contains(needle, regex=False)]

# Only web addresses become links (a KB built before kb kept only those may hold others).
table = shown[["id", "title", "author", "site", "kind", "date", "words", "url", "format",
               "encoding"]].assign(url=shown["url"].map(web_url))  # fmt: skip
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "url": st.column_config.LinkColumn("url"),
        "words": st.column_config.NumberColumn("words", format="%d"),
    },
)
st.caption(f"{len(shown):,} of {len(sources):,} sources shown")

if info["skipped"]:
    with st.expander(f"{len(info['skipped'])} file(s) skipped at the last build"):
        st.dataframe(info["skipped"], hide_index=True, width="stretch")
