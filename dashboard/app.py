"""kb dashboard entry point: page navigation and the KB check only; pages hold widgets.

Run it with `kb dashboard` (or `streamlit run dashboard/app.py`). The pages are listed in
dashboard/pages.py. Pages pass a source to the Source reader as the query parameter
``source`` (``/reader?source=ID``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.pages import PAGES
from kb import api
from kb.errors import KbError

st.set_page_config(page_title="kb — claims and evidence", layout="wide")

path, problem = data.kb_status()
if problem:
    st.title("kb")
    if not path.exists():
        st.info(
            f"No knowledge base yet at `{path}`. Build one from your sources with "
            "`kb build data/sources` (or `make run`), then reload this page."
        )
    else:
        st.error(f"The knowledge base cannot be opened: {problem}")
    st.stop()

navigation: dict[str, list] = {}
for entry in PAGES:
    navigation.setdefault(entry.section, []).append(
        st.Page(entry.file, title=entry.title, icon=entry.icon, default=entry.default)
    )
st.sidebar.caption(f"KB `{path.name}`")
# Who makes the curation decisions of this session (kept with each decision).
st.sidebar.text_input("Curator", key="curator", placeholder=api.default_curator())
try:
    st.navigation(navigation).run()
except KbError as exc:  # a KB damaged past its first page fails only when a page reads it
    st.error(f"The knowledge base cannot be read: {exc}")
