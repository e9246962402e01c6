"""kb dashboard entry point: page navigation and the KB check only; pages hold widgets.

Run it with `kb dashboard` (or `streamlit run dashboard/app.py`). Pages pass a source
to the Source reader as the query parameter ``source`` (``/reader?source=ID``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
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

pages = {
    "Explore": [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:",
                default=True),
        st.Page("app_pages/claims.py", title="Claims", icon=":material/fact_check:"),
        st.Page("app_pages/matrix.py", title="Agreement matrix", icon=":material/grid_on:"),
        st.Page("app_pages/conflicts.py", title="Conflicts", icon=":material/compare_arrows:"),
        st.Page("app_pages/graph.py", title="Graph", icon=":material/hub:"),
    ],
    "Sources": [
        st.Page("app_pages/sources.py", title="Sources", icon=":material/library_books:"),
        st.Page("app_pages/reader.py", title="Source reader", icon=":material/article:"),
    ],
    "Tools": [
        st.Page("app_pages/check.py", title="Check a statement", icon=":material/rule:"),
        st.Page("app_pages/downloads.py", title="Downloads", icon=":material/download:"),
    ],
}  # fmt: skip
st.sidebar.caption(f"KB `{path.name}`")
try:
    st.navigation(pages).run()
except KbError as exc:  # a KB damaged past its first page fails only when a page reads it
    st.error(f"The knowledge base cannot be read: {exc}")
