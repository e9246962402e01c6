"""Agreement matrix: claims × sources stances, and source × source agreement."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, tables, widgets
from dashboard.markup import STANCE_COLOURS, shorten

SORTS = {
    "most sources": (["sources", "statements", "label"], [False, False, True]),
    "most contested": (
        ["conflicts", "negating_n", "consensus", "sources"], [False, False, True, False]
    ),
    "lowest consensus": (["consensus", "sources"], [True, False]),
    "claim type": (["claim_type", "sources", "label"], [True, False, True]),
}  # fmt: skip

st.title("Agreement matrix")
table = data.claim_table()
stance_table = data.stances()
titles = widgets.source_titles(data.sources())

view = st.segmented_control(
    "View", ["Claims × sources", "Source × source"], default="Claims × sources",
    key="matrix_view", persist_state="session",
)  # fmt: skip

if view != "Source × source":
    left, middle, right, last = st.columns(4)
    types = left.multiselect("Type", sorted(table["claim_type"].unique()), key="matrix_types")
    order = middle.selectbox("Sort claims by", list(SORTS), key="matrix_sort")
    claims_per_page = right.slider("Claims per page", 10, 100, 30, step=10, key="matrix_rows")
    sources_per_page = last.slider("Sources per page", 5, 60, 30, step=5, key="matrix_cols")

    chosen = tables.filter_claims(table, types=types)
    by, ascending = SORTS[order]
    chosen = chosen.sort_values(by, ascending=ascending, na_position="last")
    # Sources that state the most claims come first.
    stating = stance_table[stance_table["claim_id"].isin(set(chosen["id"]))]
    ranked = stating["source"].value_counts()
    source_order = list(ranked.index) + sorted(set(titles) - set(ranked.index))

    st.caption(
        "Each cell: how a source stands on a claim. Hedges: states it only with hedges; "
        "mixed: as many of its statements deny it as affirm it; silent: does not state it."
    )
    chart_slot = st.container()
    pager_left, pager_right = st.columns(2)
    with pager_left:
        _, claim_rows = widgets.paged(chosen, key="matrix_claims_page", size=claims_per_page,
                                      noun="claims")  # fmt: skip
    with pager_right:
        source_frame = pd.DataFrame({"source": source_order})
        _, source_rows = widgets.paged(
            source_frame, key="matrix_sources_page", size=sources_per_page, noun="sources"
        )
    claim_ids = list(claim_rows["id"])
    source_ids = list(source_rows["source"])
    cells = tables.matrix_cells(stance_table, claim_ids, source_ids)
    labels = dict(zip(claim_rows["id"], claim_rows["label"], strict=True))
    # Row names must be unique; two claims may read alike, so the id's end is added.
    rows = {i: shorten(labels[i], 70) + f" ·{i[-4:]}" for i in claim_ids}
    cells = cells.assign(
        claim=cells["claim_id"].map(rows),
        title=cells["source"].map(titles),
    )
    if cells.empty:
        chart_slot.info("No claims match these filters.")
    else:
        heatmap = (
            alt.Chart(cells)
            .mark_rect(stroke="white", strokeWidth=1)
            .encode(
                x=alt.X("source:N", sort=source_ids, title=None,
                        axis=alt.Axis(labelAngle=-60, labelLimit=120)),
                y=alt.Y("claim:N", sort=[rows[i] for i in claim_ids], title=None,
                        axis=alt.Axis(labelLimit=420)),
                color=alt.Color(
                    "stance:N",
                    scale=alt.Scale(domain=list(tables.MATRIX_STANCES),
                                    range=[STANCE_COLOURS[s] for s in tables.MATRIX_STANCES]),
                    legend=alt.Legend(orient="top", title=None),
                ),
                tooltip=[alt.Tooltip("claim:N"), alt.Tooltip("title:N", title="source"),
                         alt.Tooltip("source:N", title="id"), alt.Tooltip("stance:N")],
            )
            .properties(height=alt.Step(22))
        )  # fmt: skip
        chart_slot.altair_chart(heatmap, width="stretch", key="matrix_chart")
        with chart_slot.expander("The same cells as a table"):
            grid = cells.pivot(index="claim", columns="source", values="stance")
            st.dataframe(grid.loc[[rows[i] for i in claim_ids], source_ids], width="stretch")
else:
    pairs = data.source_pairs()
    flagged_only = st.toggle(
        "Only pairs in a conflict or near-copies", key="pairs_flagged", value=False
    )
    st.caption(
        "Share: of the claims both sources take a side on, the share on which they take the "
        "same side. Conflicts: conflicts with the two on opposite sides. Near-copy: one "
        "copies or closely paraphrases the other, so they count once as independent sources."
    )
    top = st.slider("Sources in the heatmap", 5, 60, 25, step=5, key="pairs_top")
    counts = stance_table["source"].value_counts()
    leading = list(counts.index[:top])
    subset = pairs[pairs["a"].isin(leading) & pairs["b"].isin(leading)]
    mirrored = pd.concat(
        [subset, subset.rename(columns={"a": "b", "b": "a"})], ignore_index=True
    ).assign(
        copy=lambda f: f["near_copy"].map({True: "≈", False: ""}),
        title_a=lambda f: f["a"].map(titles),
        title_b=lambda f: f["b"].map(titles),
    )
    if mirrored.empty:
        st.info("No two sources share a claim.")
    else:
        base = alt.Chart(mirrored).encode(
            x=alt.X("a:N", sort=leading, title=None, axis=alt.Axis(labelAngle=-60)),
            y=alt.Y("b:N", sort=leading, title=None),
        )
        squares = base.mark_rect().encode(
            color=alt.Color("share:Q", scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                            title="share agreeing"),
            tooltip=["title_a:N", "title_b:N", "shared:Q", "agree:Q", "share:Q",
                     "conflicts:Q", "near_copy:N"],
        )  # fmt: skip
        marks = base.mark_text(fontWeight="bold").encode(text="copy:N")
        st.altair_chart(
            (squares + marks).properties(height=alt.Step(24)), width="stretch", key="pairs_chart"
        )
        st.caption("≈ marks near-copies.")
    listing = pairs[(pairs["conflicts"] > 0) | pairs["near_copy"]] if flagged_only else pairs
    listing = listing.assign(title_a=listing["a"].map(titles), title_b=listing["b"].map(titles))
    above, rows = widgets.paged(listing, key="pairs_page", size=50, noun="pairs")
    above.dataframe(
        rows[["title_a", "title_b", "shared", "agree", "share", "conflicts", "near_copy", "a",
              "b"]],
        hide_index=True,
        width="stretch",
        column_config={
            "title_a": "source", "title_b": "other source",
            "shared": st.column_config.NumberColumn("shared claims"),
            "share": st.column_config.ProgressColumn("share agreeing", min_value=0, max_value=1,
                                                     format="percent"),
            "near_copy": st.column_config.CheckboxColumn("near-copy"),
        },
        key="pairs_table",
    )  # fmt: skip
