"""Curation: every decision a curator made on this KB, what it is about and whether the
last build could apply it; undo one, move them to another KB."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import curate, data
from dashboard.markup import shorten
from kb.errors import KbError

st.title("Curation")
curate.announce()
st.caption(
    "Decisions made on the Claims and Conflicts pages (or with `kb curate`). Every rebuild "
    "applies them; a decision about a quote follows it when its source is edited, and is "
    "orphaned when the quote is gone (it applies again if the quote comes back)."
)
records = data.decisions()
status = st.segmented_control(
    "Status", ["active", "orphaned"], selection_mode="single", key="curation_status"
)
shown = [r for r in records if status in (None, r["status"])]
columns = [
    "action",
    "target",
    "label",
    "value",
    "status",
    "curator",
    "note",
    "quote",
    "created",
    "id",
]
st.dataframe(
    pd.DataFrame.from_records(shown, columns=columns),
    hide_index=True,
    width="stretch",
    column_config={
        "target": "about",
        "label": "label / what kb read",
        "value": "to",
        "quote": st.column_config.TextColumn("quote", width="large"),
    },
)
st.caption(f"{len(shown)} of {len(records)} decision(s)")

if records:
    labels = {r["id"]: f"{r['action']} {r['target']} — {shorten(r['quote'] or r['label'], 60)}"
              for r in records}  # fmt: skip
    left, right = st.columns([3, 1])
    undo = left.selectbox("Undo a decision", list(labels), index=None,
                          format_func=labels.get, key="curation_undo")  # fmt: skip
    if right.button("Undo", disabled=undo is None, key="curation_undo_button"):
        curate.undo(undo)
    st.download_button(
        "Download the decisions (JSON, for another KB)",
        data=lambda: data.export("curation", "json"),
        file_name="curation.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
    )

uploaded = st.file_uploader("Import decisions (a file `kb export curation` wrote)", type="json")
if uploaded is not None and st.button("Import", key="curation_import"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "curation.json"
        path.write_bytes(uploaded.getvalue())
        try:
            added = data.curate("import_file", path)
        except KbError as exc:
            st.error(str(exc))
        else:
            st.session_state["_curated"] = f"Imported {len(added)} decision(s)."
            st.rerun()
