"""Conflicts: each conflict's sides side by side, with their sources and exact quotes."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import curate, data, pages, widgets
from dashboard.markup import md, quote_block
from kb import api

# The kinds kb finds, each with what it means, from kb's registry: a new kind shows here
# without a change to this page. Badges take colours in the registry's order.
KINDS = api.conflict_kinds()
BADGE_COLOURS = ("red", "orange", "violet", "blue", "green", "gray")
KIND_BADGES = {kind: BADGE_COLOURS[n % len(BADGE_COLOURS)] for n, kind in enumerate(KINDS)}
SOURCES_SHOWN = 5  # per side; the Claims page lists them all
QUOTES_SHOWN = 2  # per source and side


def _quote(statement: dict) -> str:
    """The quote with its quantities marked, its certainty and offsets."""
    offset = statement["start"]
    marks = [
        (q["start"] - offset, q["end"] - offset)
        for q in statement.get("quantities") or []
        if "start" in q and "end" in q
    ]
    note = f"{statement['certainty']} · offsets {statement['start']}–{statement['end']}"
    return quote_block(statement["quote"], marks, note=note)


def _ranges_chart(ranges: pd.DataFrame) -> alt.Chart | None:
    ranges = ranges.dropna(subset=["low", "high"])
    if ranges.empty:
        return None
    ranges = ranges.assign(side=ranges["side"].map(lambda n: f"side {n}"))
    base = alt.Chart(ranges).encode(
        y=alt.Y("side:N", title=None),
        color=alt.Color("side:N", legend=None),
        tooltip=["side:N", "position:N", "source:N", "text:N", "low:Q", "high:Q", "unit:N"],
    )
    unit = ", ".join(sorted(set(ranges["unit"]) - {""}))
    bars = base.mark_rule(strokeWidth=8, opacity=0.6).encode(
        x=alt.X("low:Q", title=unit or "value", scale=alt.Scale(zero=False)), x2="high:Q"
    )
    ticks = base.mark_tick(thickness=2, size=18).encode(x="low:Q")
    ends = base.mark_tick(thickness=2, size=18).encode(x="high:Q")
    return (bars + ticks + ends).properties(height=alt.Step(36))


st.title("Conflicts")
curate.announce()
dismissed = st.toggle(
    "Show dismissed", key="conflict_dismissed",
    help="also the conflicts a curator dismissed as not real",
)  # fmt: skip
records = data.conflicts(dismissed=dismissed)
titles = widgets.source_titles(data.sources())

left, middle, right = st.columns([2, 1, 2])
kinds = left.pills(
    "Kind", list(KINDS), selection_mode="multi", key="conflict_kinds",
    help="; ".join(f"{k}: {v}" for k, v in KINDS.items()),
)  # fmt: skip
surest = middle.toggle(
    "Only sure ones", key="conflict_sure",
    help="only conflicts where every side asserts its position (confidence 1.0), "
    "not where one side only reports or hedges it",
)  # fmt: skip
topic = right.text_input("Topic contains", key="conflict_topic")
kept = data.kept_sources(widgets.source_filters("conflicts"))
chosen = [
    r
    for r in records
    if (not kinds or r["kind"] in kinds)
    and topic.casefold() in r["topic"].casefold()
    and (not surest or r["confidence"] >= 1.0)
    and (kept is None or any(s in kept for side in r["sides"] for s in side["sources"]))
]
counts = pd.Series([r["kind"] for r in records]).value_counts()
st.caption(
    f"{len(records)} conflict(s): "
    + (", ".join(f"{counts.get(k, 0)} {k}" for k in KINDS) if records else "none")
)
if not chosen:
    st.info("No conflict matches." if records else "The sources do not conflict anywhere.")
    st.stop()

above, page = widgets.paged(
    pd.DataFrame({"at": range(len(chosen))}), key="conflicts_page", size=5, noun="conflicts"
)
with above:
    for at in page["at"]:
        record = chosen[at]
        with st.container(border=True):
            st.subheader(md(record["topic"]))
            st.markdown(
                f":{KIND_BADGES.get(record['kind'], 'gray')}-badge[{record['kind']}] "
                f"`{record['id']}`"
            )
            # Why kb calls it a conflict (the rule), and how sure it is.
            if record["detail"]:
                st.caption("Why: " + md(record["detail"]))
            confidence = record["confidence"]
            st.caption(f"Confidence {confidence:.2f}: {api.confidence_note(confidence)}")
            curate.conflict_controls(record)
            # The quantities each side states, as kb writes them ("10–20 minutes").
            ranges = api.conflict_quantities(record)
            if not ranges.empty:
                chart = _ranges_chart(ranges)
                if chart is not None:
                    st.altair_chart(chart, width="stretch", key=f"ranges_{record['id']}")
            sides = record["sides"]
            for number, (column, side) in enumerate(
                zip(st.columns(len(sides)), sides, strict=True), start=1
            ):
                with column:
                    st.markdown(f"**{md(side['position'])}**")
                    stated = sorted(set(ranges.loc[ranges["side"] == number, "text"]))
                    if stated:
                        st.markdown("Range: " + md(" / ".join(stated)))
                    st.caption(f"{len(side['sources'])} source(s)")
                    by_source: dict[str, list[dict]] = {}
                    for statement in side["statements"]:
                        by_source.setdefault(statement["source"], []).append(statement)
                    for source_id, statements in list(by_source.items())[:SOURCES_SHOWN]:
                        widgets.source_link(source_id, titles.get(source_id, source_id))
                        st.html("".join(_quote(s) for s in statements[:QUOTES_SHOWN]))
                        if len(statements) > QUOTES_SHOWN:
                            st.caption(f"and {len(statements) - QUOTES_SHOWN} more quote(s)")
                    hidden = len(by_source) - SOURCES_SHOWN
                    if hidden > 0 and side["claim_id"]:
                        st.page_link(
                            pages.page("claims").file,
                            label=f"{hidden} more source(s): see the claim",
                            icon=":material/fact_check:",
                            query_params={"claim": side["claim_id"]},
                        )
                    elif hidden > 0:
                        st.caption(f"and {hidden} more source(s)")
