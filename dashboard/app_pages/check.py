"""Check a statement: which sources back or contradict each sentence, overclaims, and
citations ready to copy."""

from __future__ import annotations

import streamlit as st

from dashboard import data, widgets
from dashboard.markup import VERDICT_COLOURS, md, quote_block
from kb.model import QuotedStatement

MATCHES_SHOWN = 5  # per sentence, best first
SOURCES_SHOWN = 5  # per match; the Claims page lists them all
QUOTES_SHOWN = 2  # per source and match
RULES = {"supports": "#16a34a", "contradicts": "#dc2626", "related": "#9ca3af"}
VERDICT_WORDS = {"supports": "supporting", "contradicts": "contradicting", "related": "related"}
CODE_LANGUAGE = {"markdown": "markdown", "bibtex": "bibtex", "csl-json": "json", "apa": None}
EXAMPLE = "Acupuncture cures back pain for everyone. The needles stay in for 45 minutes."


def _quote(quote: QuotedStatement) -> str:
    note = f"{quote.verdict} · {quote.certainty}"
    if quote.polarity == "negated":
        note += " · negated"
    if quote.reason:
        note += f" · {quote.reason}"
    return quote_block(quote.quote, note=note, rule=RULES[quote.verdict])


def _source_verdicts(sentence, titles: dict[str, str]) -> None:
    """Each source that supports or contradicts the sentence, strongest first, with why
    and its best quote."""
    for verdict in ("supports", "contradicts"):
        taking = [v for v in sentence.verdicts if v.verdict == verdict]
        if not taking:
            continue
        st.markdown(f"**{VERDICT_WORDS[verdict].capitalize()} sources**")
        for v in taking[:SOURCES_SHOWN]:
            widgets.source_link(v.source, titles.get(v.source, v.source))
            st.caption(f"{md(v.reason)} · strength {v.strength:g} · claim: {md(v.claim)}")
            if v.quote is not None:
                st.html(_quote(v.quote))
        if len(taking) > SOURCES_SHOWN:
            more = len(taking) - SOURCES_SHOWN
            st.caption(f"and {more} more {VERDICT_WORDS[verdict]} source(s)")


st.title("Check a statement")
if not data.can_check():
    st.info(
        "This version of kb has no checker yet (`KnowledgeBase.check`); update kb to "
        "check text against the sources."
    )
    st.stop()

with st.form("check_form"):
    text = st.text_area(
        "Text to check",
        key="check_text",
        height=140,
        placeholder=f"Paste a sentence or a paragraph, e.g. “{EXAMPLE}”",
        persist_state="session",
    )
    show_related = st.toggle(
        "Also show related claims (sharing words or a more general claim)", key="check_related"
    )
    submitted = st.form_submit_button("Check", type="primary", icon=":material/rule:")
if submitted:
    st.session_state["checked_text"] = text
checked = st.session_state.get("checked_text", "")
if not checked.strip():
    st.caption(
        "kb reads each sentence as it reads a source, finds the claims it makes, and shows "
        "the quotes that support or contradict it, with a flag where the sentence claims "
        "more than its sources do."
    )
    st.stop()

with st.spinner("Checking…"):
    result = data.check(checked)
if not st.session_state.get("check_related"):
    result = result.without_related()
titles = widgets.source_titles(data.sources())
sentences = result.sentences
if result.message:
    st.info(md(result.message))

cells = st.columns(4)
cells[0].metric("Sentences", len(sentences))
cells[1].metric("Supported", sum(bool(s.sources.supports) for s in sentences))
cells[2].metric("Contradicted", sum(bool(s.sources.contradicts) for s in sentences))
cells[3].metric("Overclaims", sum(bool(s.overclaim) for s in sentences))

for sentence in sentences:
    with st.container(border=True):
        st.markdown(f"**“{md(sentence.text)}”**")
        counts = sentence.sources.counts()
        shown_verdicts = ("supports", "contradicts", "related") if counts["related"] else (
            "supports", "contradicts")  # fmt: skip
        st.markdown(
            f"**{sentence.outcome}** "
            + " ".join(
                f":{VERDICT_COLOURS[v]}-badge[{counts[v]} {VERDICT_WORDS[v]}]"
                for v in shown_verdicts
            )
        )
        if sentence.overclaim:
            st.warning(f"Overclaim: {md(sentence.overclaim.reason)}", icon="⚠️")
        read = "; ".join(
            f"{r.claim_type}: {r.object or '(no concept)'}"
            + (" (negated)" if r.polarity == "negated" else "")
            + (f", {r.certainty}" if r.certainty != "asserted" else "")
            for r in sentence.statements
        )
        st.caption("kb reads: " + (md(read) if read else "no claim"))
        _source_verdicts(sentence, titles)
        matches = sentence.matches
        if not matches:
            st.caption("No source states anything like this.")
        for match in matches[:MATCHES_SHOWN]:
            verdict = match.verdict
            label = f"{verdict}: {md(match.claim)} · score {match.score:.2f} · via {match.via}"
            with st.expander(label, expanded=False):
                st.caption(f"{match.claim_type} claim `{match.claim_id}`")
                by_source: dict[str, list[QuotedStatement]] = {}
                for quote in match.statements:
                    if verdict == "related" or quote.verdict != "related":
                        by_source.setdefault(quote.source, []).append(quote)
                for source_id, quotes in list(by_source.items())[:SOURCES_SHOWN]:
                    widgets.source_link(source_id, titles.get(source_id, source_id))
                    st.html("".join(_quote(q) for q in quotes[:QUOTES_SHOWN]))
                    if len(quotes) > QUOTES_SHOWN:
                        st.caption(f"and {len(quotes) - QUOTES_SHOWN} more from this source")
                hidden = len(by_source) - SOURCES_SHOWN
                # On a large KB the check quotes only some sources of a widely stated
                # claim and says how many it counted ("quotes of 10 of 3,222 sources").
                more = match.shown or (f"{hidden} more source(s)" if hidden > 0 else "")
                if more:
                    st.page_link(
                        "app_pages/claims.py",
                        label=f"{more}: see the claim",
                        icon=":material/fact_check:",
                        query_params={"claim": match.claim_id},
                    )
        if len(matches) > MATCHES_SHOWN:
            st.caption(f"{len(matches) - MATCHES_SHOWN} weaker match(es) not shown.")

st.subheader("Citations")
styles = data.citation_styles()
left, right = st.columns(2)
which = left.radio(
    "Cite", ["sources that support it", "every source that matched"], horizontal=True,
    key="cite_which",
)  # fmt: skip
style = right.segmented_control("Style", styles, default=styles[0], key="cite_style") or styles[0]
verdicts = ("supports",) if which.startswith("sources that") else tuple(VERDICT_COLOURS)
cited = tuple(result.sources_of(verdicts))
if not cited:
    st.caption("Nothing to cite: no source " + ("supports" if len(verdicts) == 1 else "matched"))
else:
    st.caption(f"{len(cited)} source(s); the copy button is at the top right of the box.")
    st.code(data.citations(cited, style), language=CODE_LANGUAGE[style])
