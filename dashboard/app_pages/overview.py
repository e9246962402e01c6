"""Overview: corpus size, claims by type and status, the most contested claims, sources."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import data, pages, widgets
from kb import api

STATUS_COLOURS = dict(zip(api.STATUSES, ["#16a34a", "#dc2626", "#9ca3af"], strict=True))

st.title("Overview")
info = data.info()
sources = data.sources()
table = data.claim_table()
conflicts = data.conflicts()

cells = st.columns(5)
cells[0].metric("Sources", f"{len(sources):,}")
cells[1].metric("Words", f"{int(sources['words'].sum()):,}")
cells[2].metric("Statements", f"{info['statements']:,}")
cells[3].metric("Claims", f"{len(table):,}")
cells[4].metric("Conflicts", f"{len(conflicts):,}")

st.subheader("Claims by type: agreed or contested")
# Claims per (type, status): kb decides each claim's status (see kb.api claims()).
counts = table.groupby(["claim_type", "status"]).size().rename("claims").reset_index()
chart = (
    alt.Chart(counts)
    .mark_bar()
    .encode(
        x=alt.X("sum(claims):Q", title="claims"),
        y=alt.Y("claim_type:N", title=None, sort="-x"),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(orient="top", title=None),
        ),
        order=alt.Order("status:N"),
        tooltip=["claim_type:N", "status:N", "claims:Q"],
    )
    .properties(height=alt.Step(30))
)
st.altair_chart(chart, width="stretch")
by_status = table["status"].value_counts()
by_kind = {}
for record in conflicts:
    by_kind[record["kind"]] = by_kind.get(record["kind"], 0) + 1
kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items())) or "none"
st.caption(
    f"**{by_status.get('agreed', 0):,} agreed** (two or more independent sources, none "
    f"against) · **{by_status.get('contested', 0):,} contested** (in a conflict, or a source "
    f"denies it) · **{by_status.get('one voice', 0):,} one voice** (one independent source). "
    f"Conflicts: {kinds}. Near-copies of a source count once as independent sources."
)

st.subheader("Most contested claims")
contested = table[table["status"] == "contested"].sort_values(
    ["conflicts", "negating_n", "independent", "label"], ascending=[False, False, False, True]
)
st.dataframe(
    contested.head(10)[
        ["label", "claim_type", "affirming_n", "negating_n", "independent", "conflicts",
         "consensus"]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "label": st.column_config.TextColumn("claim", width="large"),
        "claim_type": "type",
        "affirming_n": st.column_config.NumberColumn("affirm", help="sources affirming"),
        "negating_n": st.column_config.NumberColumn("negate", help="sources denying"),
        "independent": st.column_config.NumberColumn(
            "indep", help="independent sources stating it (near-copies count once)"
        ),
        "conflicts": st.column_config.NumberColumn("conflicts"),
        "consensus": st.column_config.NumberColumn("consensus", format="%+.2f"),
    },
    key="contested_table",
)  # fmt: skip
if contested.empty:
    st.caption("No claim is contested: no source denies a claim and no conflict was found.")
st.page_link(
    pages.page("conflicts").file, label="See every conflict", icon=":material/arrow_forward:"
)

st.subheader("Sources")
listing = sources[["id", "title", "kind", "author", "near_duplicates", "words"]].assign(
    near_duplicates=sources["near_duplicates"].map(", ".join)
)
above, rows = widgets.paged(listing, key="overview_sources_page", noun="sources")
above.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    column_config={
        "near_duplicates": st.column_config.TextColumn(
            "near-duplicates", help="sources that copy or closely paraphrase this one"
        ),
        "words": st.column_config.NumberColumn("words", format="%d"),
    },
    key="overview_sources",
)
