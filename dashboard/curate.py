"""Curation controls the pages share: beside a quote (reject it, move it to another
claim), beside a claim (relabel, merge, split) and beside a conflict (confirm, dismiss).
Each makes one decision through kb's API (dashboard.data.curate), which every rebuild
applies, and reruns the page on the new KB.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from dashboard import data
from dashboard.markup import shorten
from kb import api
from kb.errors import KbError

__all__ = [
    "announce",
    "claim_controls",
    "conflict_controls",
    "curator",
    "statement_controls",
    "undo",
]


def curator() -> str:
    """Who is curating: the sidebar's name, else kb's default ($KB_CURATOR, the login)."""
    return st.session_state.get("curator") or api.default_curator()


def _decide(action: str, *args: Any, done: str, **kwargs: Any) -> None:
    """Make the decision; say what happened, or why it could not be made."""
    try:
        data.curate(action, *args, curator=curator(), **kwargs)
    except KbError as exc:
        st.error(str(exc))
        return
    st.session_state["_curated"] = done
    st.rerun()


def undo(decision_id: str) -> None:
    """Undo a decision (a rejected statement counts again)."""
    try:
        undone = data.curate("restore", decision_id)
    except KbError as exc:
        st.error(str(exc))
        return
    st.session_state["_curated"] = f"Undid {undone.action} {undone.target}."
    st.rerun()


def announce() -> None:
    """Say what the last decision did, once, after the rerun it caused."""
    done = st.session_state.pop("_curated", None)
    if done:
        st.success(done, icon=":material/check:")


def statement_controls(
    statement_id: str, claim_id: str, claim_labels: Mapping[str, str], where: Any = st
) -> None:
    """Reject a statement as a wrong reading, or move it to another claim."""
    with where.popover("Curate", icon=":material/edit_note:"):
        note = st.text_input("Note", key=f"note_{statement_id}", placeholder="why (optional)")
        if st.button("Reject: wrong reading", key=f"reject_{statement_id}", type="primary"):
            _decide("reject", statement_id, note=note, done=f"Rejected {statement_id}.")
        others = [c for c in claim_labels if c != claim_id]
        target = st.selectbox(
            "Move to claim", others, index=None, key=f"move_to_{statement_id}",
            format_func=lambda c: shorten(claim_labels[c], 80), placeholder="Choose a claim",
        )  # fmt: skip
        if st.button("Move", key=f"move_{statement_id}", disabled=target is None):
            _decide("move", statement_id, target, note=note, done=f"Moved {statement_id}.")


def claim_controls(
    claim_id: str,
    label: str,
    claim_labels: Mapping[str, str],
    statements: Mapping[str, str],
) -> None:
    """Relabel a claim, merge it into another, or split some of its ``statements``
    (statement id → its quote) into a claim of their own."""
    with st.popover("Curate this claim", icon=":material/edit_note:"):
        note = st.text_input("Note", key=f"claim_note_{claim_id}", placeholder="why (optional)")
        new_label = st.text_input("Label", value=label, key=f"label_{claim_id}")
        if st.button("Relabel", key=f"relabel_{claim_id}", disabled=new_label.strip() == label):
            _decide("relabel", claim_id, new_label, note=note, done="Relabelled the claim.")
        others = [c for c in claim_labels if c != claim_id]
        into = st.selectbox(
            "Same claim as", others, index=None, key=f"merge_into_{claim_id}",
            format_func=lambda c: shorten(claim_labels[c], 80), placeholder="Choose a claim",
        )  # fmt: skip
        if st.button("Merge into it", key=f"merge_{claim_id}", disabled=into is None):
            _decide("merge", claim_id, into, note=note, done="Merged the claim.")
        leaving = st.multiselect(
            "Statements that make a claim of their own", list(statements),
            format_func=lambda s: shorten(statements[s], 80), key=f"split_{claim_id}",
        )  # fmt: skip
        split_label = st.text_input("Their claim's label", key=f"split_label_{claim_id}")
        ready = bool(leaving) and bool(split_label.strip())
        if st.button("Split", key=f"split_button_{claim_id}", disabled=not ready):
            _decide("split", claim_id, leaving, split_label, note=note, done="Split the claim.")


def conflict_controls(record: Mapping[str, Any]) -> None:
    """Confirm a conflict as real or dismiss it; its status when a curator has."""
    conflict_id = record["id"]
    if record["status"] != "open":
        st.caption(f"A curator {record['status']} this conflict.")
    with st.popover("Curate", icon=":material/edit_note:"):
        note = st.text_input("Note", key=f"cnote_{conflict_id}", placeholder="why (optional)")
        left, right = st.columns(2)
        if left.button("Real: confirm", key=f"confirm_{conflict_id}"):
            _decide("confirm", conflict_id, note=note, done=f"Confirmed {conflict_id}.")
        if right.button("Not real: dismiss", key=f"dismiss_{conflict_id}"):
            _decide("dismiss", conflict_id, note=note, done=f"Dismissed {conflict_id}.")
