"""kb dashboard entry point: page navigation and the KB check only; pages hold widgets.

Run it with `kb dashboard` (or `streamlit run dashboard/app.py`).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data

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

pages = [
    st.Page("app_pages/sources.py", title="Sources", icon=":material/library_books:", default=True),
]
st.navigation(pages).run()
