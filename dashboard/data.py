"""The dashboard's only cached loaders, each a thin wrapper around a kb.api call.

Cache keys include the KB file's modification time, so a rebuild shows up on the next
rerun without restarting the app. Callers must not mutate what these return.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from kb import api
from kb.errors import KbError

__all__ = ["info", "kb_path", "kb_status", "sources", "statements"]


def kb_path() -> Path:
    """The KB the app shows: $KB_PATH (set by `kb dashboard`) or data/kb.sqlite."""
    return api.default_kb_path().resolve()


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def kb_status() -> tuple[Path, str | None]:
    """The KB path, and None when it opens or the one-line reason when it does not."""
    path = kb_path()
    try:
        api.open_kb(path)
    except KbError as exc:
        return path, str(exc)
    return path, None


@st.cache_data(show_spinner=False)
def _info(path: str, stamp: float) -> dict:
    return api.open_kb(path).info()


@st.cache_data(show_spinner=False)
def _sources(path: str, stamp: float) -> pd.DataFrame:
    return api.open_kb(path).sources()


@st.cache_data(show_spinner=False)
def _statements(path: str, stamp: float) -> pd.DataFrame:
    return api.open_kb(path).statements()


def info() -> dict:
    path = kb_path()
    return _info(os.fspath(path), _stamp(path))


def sources() -> pd.DataFrame:
    path = kb_path()
    return _sources(os.fspath(path), _stamp(path))


def statements() -> pd.DataFrame:
    path = kb_path()
    return _statements(os.fspath(path), _stamp(path))
