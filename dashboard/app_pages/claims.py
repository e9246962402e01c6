"""Claims: filter them, then read every source's quotes of one claim in context."""

from __future__ import annotations

import json

import streamlit as st

from dashboard import curate, data, pages, tables, widgets
from dashboard.markup import STANCE_COLOURS, md, quote_block, shorten
from kb import api
from kb.model import CERTAINTIES

STANCE_BADGES = {"affirms": "green", "hedges": "blue", "mixed": "orange", "negates": "red"}

st.title("Claims")
everything = data.claim_table()
titles = widgets.source_titles(data.sources())

# A link such as /claims?claim=cl_... (from the graph) selects that claim once.
wanted = st.query_params.get("claim")
if wanted and st.session_state.get("_claim_from_url") != wanted:
    st.session_state["_claim_from_url"] = wanted
    st.session_state["claim"] = wanted

concepts = sorted({c for cs in everything["concepts"] for c in cs}, key=api.concept_label)
left, middle, right, last = st.columns(4)
types = left.multiselect(
    "Type", sorted(everything["claim_type"].unique()), key="claims_types",
    persist_state="session",
)  # fmt: skip
chosen_concepts = middle.multiselect(
    "Concept", concepts, format_func=api.concept_label, key="claims_concepts",
    persist_state="session",
)  # fmt: skip
chosen_sources = right.multiselect(
    "Source", list(titles), format_func=lambda i: titles[i], key="claims_sources",
    persist_state="session",
)  # fmt: skip
certainties = last.multiselect(
    "Certainty", list(CERTAINTIES), key="claims_certainty",
    help="claims with at least one statement of this certainty", persist_state="session",
)  # fmt: skip
text = st.text_input("Label contains", key="claims_text", persist_state="session")
kept = data.kept_sources(widgets.source_filters("claims"))
if kept is not None:  # the sources picked that the filters keep, else all they keep
    chosen_sources = [s for s in chosen_sources if s in kept] if chosen_sources else kept
shown = tables.filter_claims(
    everything,
    types=types,
    concepts=chosen_concepts,
    sources=chosen_sources,
    certainties=certainties,
    text=text.strip(),
)
if kept is not None and not chosen_sources:  # no source kept: no claim stated by one
    shown = shown.iloc[0:0]

columns = [
    "label", "claim_type", "affirming_n", "negating_n", "hedging_n", "opposing_n", "independent",
    "consensus", "statements", "asserted", "hedged", "reported", "conflicts", "id",
]  # fmt: skip
above, rows = widgets.paged(shown, key="claims_page", size=50, noun="claims")
page_ids = list(rows["id"])


def _pick_row() -> None:
    picked = st.session_state["claims_table"].selection.rows
    if picked and picked[0] < len(page_ids):
        st.session_state["claim"] = page_ids[picked[0]]


above.dataframe(
    rows[columns],
    hide_index=True,
    width="stretch",
    on_select=_pick_row,
    selection_mode="single-row",
    key="claims_table",
    column_config={
        "label": st.column_config.TextColumn("claim", width="medium"),
        "claim_type": "type",
        "affirming_n": st.column_config.NumberColumn("affirm", help="sources affirming"),
        "negating_n": st.column_config.NumberColumn("negate", help="sources denying"),
        "hedging_n": st.column_config.NumberColumn(
            "hedge", help="sources that state it only with hedges"
        ),
        "opposing_n": st.column_config.NumberColumn(
            "oppose", help="sources affirming a claim that cannot hold with it"
        ),
        "independent": st.column_config.NumberColumn(
            "indep", help="independent sources stating it: near-copies count once"
        ),
        "consensus": st.column_config.NumberColumn(
            "consensus",
            format="%+.2f",
            help="+1 all independent sources affirm, −1 all deny or oppose",
        ),
        "conflicts": st.column_config.NumberColumn("conflicts"),
    },
)


def _filtered_csv() -> str:
    # List cells as JSON, as in `kb export claims --format csv`.
    lists = {
        name: shown[name].map(json.dumps)
        for name in ("affirming", "negating", "hedging", "opposing")
    }
    return shown[columns].assign(**lists).to_csv(index=False)


st.download_button(
    "Download these claims (CSV)",
    data=_filtered_csv,
    file_name="claims.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)

options = list(shown["id"])
current = st.session_state.get("claim")
if current and current not in options and current in set(everything["id"]):
    options.insert(0, current)  # keep a chosen claim even when the filters hide it
labels = dict(zip(everything["id"], everything["label"], strict=True))
claim_id = st.selectbox(
    "Claim",
    options,
    index=None,
    format_func=lambda i: shorten(labels[i], 140),
    placeholder="Choose a claim, or select a row of the table",
    key="claim",
)
if not claim_id:
    st.stop()

claim = everything.set_index("id").loc[claim_id]
curate.announce()
st.subheader(md(claim["label"]))
st.markdown(
    f":blue-badge[{claim['claim_type']}] "
    f":{'red' if claim['status'] == 'contested' else 'green'}-badge[{claim['status']}] "
    f"`{claim_id}`"
)
cells = st.columns(6)
cells[0].metric("Affirm", int(claim["affirming_n"]))
cells[1].metric("Negate", int(claim["negating_n"]))
cells[2].metric("Hedge", int(claim["hedging_n"]))
cells[3].metric("Oppose", int(claim["opposing_n"]))
cells[4].metric("Independent", int(claim["independent"]))
consensus = claim["consensus"]
cells[5].metric("Consensus", "—" if consensus != consensus else f"{consensus:+.2f}")
st.caption(
    "Independent sources count near-copies once; consensus is (independent affirming − "
    "independent denying or opposing) ÷ independent sources taking a side."
)
if claim["opposing_n"]:
    # Sources that do not state this claim but one the lexicon says cannot hold with it.
    st.markdown(
        "**Opposed by** (they affirm a contrary claim): "
        + ", ".join(md(titles.get(s, s)) for s in claim["opposing"])
    )
if claim["conflicts"]:
    st.page_link(
        pages.page("conflicts").file,
        label=f"In {claim['conflicts']} conflict(s): see Conflicts",
        icon=":material/compare_arrows:",
    )

statements = data.statements()
stated = statements[statements["claim_id"] == claim_id].sort_values(["source", "start"])
curate.claim_controls(
    claim_id, claim["label"], labels, dict(zip(stated["id"], stated["quote"], strict=True))
)
by_source = stated.groupby("source", sort=False)
source_ids = list(by_source.groups)
st.markdown(f"**{len(stated)} statement(s) in {len(source_ids)} source(s)**")
st.html(
    "".join(
        f'<span style="border-left:6px solid {STANCE_COLOURS[s]};padding:0 0.5em;'
        f'margin-right:0.75em">{s}</span>'
        for s in ("affirms", "hedges", "mixed", "negates")
    )
)
source_frame = stated.drop_duplicates("source")[["source"]]
above, page = widgets.paged(source_frame, key="claim_sources_page", size=10, noun="sources")
# Where each source stands on the claim, as kb decides it (kb.api stances()).
stances = data.stances()
stance_on = dict(
    stances.loc[stances["claim_id"] == claim_id, ["source", "stance"]].itertuples(index=False)
)
with above:
    for source_id in page["source"]:
        stance = stance_on[source_id]
        text = data.source(source_id).text
        units = data.units(source_id)
        with st.container(border=True):
            head, badge = st.columns([5, 1])
            widgets.source_link(source_id, titles.get(source_id, source_id), head)
            badge.badge(stance, color=STANCE_BADGES[stance])
            for row in by_source.get_group(source_id).itertuples():
                start, end = api.context_span(units, row.start, row.end)
                notes = [row.certainty]
                if row.polarity == "negated":
                    notes.append("negated")
                if row.attribution:
                    notes.append(f"attributed to: {row.attribution}")
                if row.section:
                    notes.append(f"section: {row.section}")
                notes.append(f"offsets {row.start}–{row.end}")
                curate.statement_controls(row.id, claim_id, labels)
                st.html(
                    quote_block(
                        text[start:end],
                        [(row.start - start, row.end - start)],
                        note=" · ".join(notes),
                        colour="#fecaca" if row.polarity == "negated" else "#fde68a",
                    )
                )
