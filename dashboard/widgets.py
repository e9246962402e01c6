"""Widgets that several pages share: a pager for big tables and links to the reader."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import pages
from dashboard.markup import md

__all__ = ["READER", "page_count", "page_rows", "paged", "source_link", "source_titles"]

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
