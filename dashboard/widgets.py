"""Widgets that several pages share: a pager for big tables, links to the reader, and the
filters by source (kind, site, dates) of kb's listings."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import pages
from dashboard.markup import md
from kb import api
from kb.errors import QueryError
from kb.model import SOURCE_KINDS

__all__ = [
    "READER",
    "page_count",
    "page_rows",
    "paged",
    "source_filters",
    "source_link",
    "source_titles",
]

READER = pages.page("reader").file


def page_count(rows: int, size: int) -> int:
    """Pages needed for ``rows`` rows, ``size`` a page; at least one.

    >>> page_count(0, 25), page_count(50, 25), page_count(51, 25)
    (1, 2, 3)
    """
    return max(1, math.ceil(rows / max(1, size)))


def page_rows(frame: pd.DataFrame, page: int, size: int) -> pd.DataFrame:
    """Rows of the 1-based ``page``."""
    start = (max(1, page) - 1) * size
    return frame.iloc[start : start + size]


def paged(
    frame: pd.DataFrame, key: str, size: int = 25, noun: str = "rows"
) -> tuple[DeltaGenerator, pd.DataFrame]:
    """A container to draw a page of ``frame`` in, that page's rows, and under the
    container a pager (when there is more than one page) and a count of what is shown."""
    above = st.container()
    count = page_count(len(frame), size)
    page = st.pagination(count, key=key) if count > 1 else 1
    rows = page_rows(frame, page, size)
    if len(frame):
        first = (page - 1) * size + 1
        st.caption(f"{noun} {first:,}–{first + len(rows) - 1:,} of {len(frame):,}")
    else:
        st.caption(f"no {noun}")
    return above, rows


def source_titles(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> its title, or its id when it has none."""
    titles = sources["title"].fillna("").astype(str)
    return {i: t or i for i, t in zip(sources["id"], titles, strict=True)}


def source_link(source_id: str, title: str, container=st) -> None:
    """A link that opens the source in the Source reader."""
    container.page_link(
        READER,
        label=md(title or source_id),
        icon=":material/article:",
        help=f"Read source {source_id}",
        query_params={"source": source_id},
    )


def source_filters(key: str) -> dict[str, str]:
    """The filters by source of kb's listings (kb.api.filters: kind, site, dates), in a
    folded box; what was given, as kb.api's listings take it. A date that is not one is
    said under the box and left out."""
    with st.expander("Filter by source: kind, site, dates"):
        left, middle, right, last = st.columns(4)
        kind = left.selectbox("Kind", ["any", *SOURCE_KINDS], key=f"{key}_kind")
        site = middle.text_input("Site", key=f"{key}_site", help="a site name, or a web domain")
        since = right.text_input("Since", key=f"{key}_since", placeholder="2021, 2021-03")
        until = last.text_input("Until", key=f"{key}_until", placeholder="2021-03-04",
                                help="a year or a month includes all of it")  # fmt: skip
    where = {"source_kind": None if kind == "any" else kind, "site": site.strip() or None,
             "since": since.strip() or None, "until": until.strip() or None}  # fmt: skip
    where = {name: value for name, value in where.items() if value}
    try:
        api.Where(**where)
    except QueryError as exc:
        st.warning(str(exc))
        return {n: v for n, v in where.items() if n in ("source_kind", "site")}
    return where
