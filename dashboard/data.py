"""The dashboard's only cached loaders, each a thin wrapper around kb.api calls (and, for
the claims table, the display counts of dashboard/tables.py).

Cache keys include the KB file's modification time, so a rebuild shows up on the next
rerun without restarting the app. Callers must not mutate what these return: the large
read-only objects (all statements, the graph) are shared between sessions through
st.cache_resource rather than copied on every rerun.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from dashboard import tables
from kb import api
from kb.errors import KbError
from kb.model import CheckResult, Sentence, Source

__all__ = [
    "can_check",
    "check",
    "citation_styles",
    "citations",
    "claim_table",
    "conflicts",
    "curate",
    "decisions",
    "export",
    "graph",
    "graph_layout",
    "info",
    "kb_path",
    "kb_status",
    "kept_sources",
    "node_details",
    "search",
    "source",
    "source_pairs",
    "sources",
    "stances",
    "statements",
    "units",
]

_BIG = 2  # entries kept of a large cached object: the current KB and the previous one
_CHECK_LOCK = threading.Lock()  # one spaCy pipeline serves every session's checks


def kb_path() -> Path:
    """The KB the app shows: $KB_PATH (set by `kb dashboard`) or data/kb.sqlite."""
    return api.default_kb_path().resolve()


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _key() -> tuple[str, float]:
    path = kb_path()
    return os.fspath(path), _stamp(path)


def kb_status() -> tuple[Path, str | None]:
    """The KB path, and None when it opens or the one-line reason when it does not."""
    path = kb_path()
    try:
        api.open_kb(path)
    except KbError as exc:
        return path, str(exc)
    return path, None


# ------------------------------------------------------------------ kb.api calls


@st.cache_resource(show_spinner=False, max_entries=_BIG)
def _base(path: str, stamp: float) -> api.KnowledgeBase:
    # One per KB version, so that its checker (a spaCy pipeline and the lexicon) loads once.
    return api.open_kb(path)


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _info(path: str, stamp: float) -> dict:
    return _base(path, stamp).info()


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _sources(path: str, stamp: float) -> pd.DataFrame:
    return _base(path, stamp).sources()


@st.cache_resource(show_spinner=False, max_entries=_BIG)
def _statements(path: str, stamp: float) -> pd.DataFrame:
    return _base(path, stamp).statements()


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _claims(path: str, stamp: float) -> pd.DataFrame:
    return _base(path, stamp).claims()


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _conflicts(path: str, stamp: float, dismissed: bool) -> list[dict[str, Any]]:
    return _base(path, stamp).conflict_records(dismissed=dismissed)


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _decisions(path: str, stamp: float) -> list[dict[str, Any]]:
    return _base(path, stamp).curation.records()


@st.cache_resource(show_spinner=False, max_entries=_BIG)
def _graph(path: str, stamp: float) -> nx.MultiDiGraph:
    return _base(path, stamp).graph()


@st.cache_data(show_spinner=False, max_entries=64)
def _source(path: str, stamp: float, source_id: str) -> Source:
    return _base(path, stamp).source(source_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _units(path: str, stamp: float, source_id: str) -> list[Sentence]:
    return _base(path, stamp).units(source_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _check(path: str, stamp: float, text: str) -> CheckResult:
    with _CHECK_LOCK:
        return _base(path, stamp).check(text)


@st.cache_data(show_spinner=False, max_entries=32)
def _citations(path: str, stamp: float, source_ids: tuple[str, ...], style: str) -> str:
    return _base(path, stamp).cite(source_ids, style)


@st.cache_data(show_spinner=False, max_entries=4)
def _export(path: str, stamp: float, what: str, fmt: str) -> str | bytes:
    return _base(path, stamp).export(what, fmt)


@st.cache_data(show_spinner=False, max_entries=16)
def _kept_sources(path: str, stamp: float, where: tuple[tuple[str, str], ...]) -> list[str]:
    return [r["id"] for r in _base(path, stamp).source_records(**dict(where))]


@st.cache_data(show_spinner=False, max_entries=32)
def _search(
    path: str, stamp: float, text: str, where: tuple[tuple[str, str], ...]
) -> api.SearchResult:
    with _CHECK_LOCK:  # by meaning, it shares the checker's sentence encoder
        return _base(path, stamp).search_result(text, 50, **dict(where))


def info() -> dict:
    return _info(*_key())


def sources() -> pd.DataFrame:
    return _sources(*_key())


def statements() -> pd.DataFrame:
    """Every statement (shared, read-only)."""
    return _statements(*_key())


def claims() -> pd.DataFrame:
    return _claims(*_key())


def conflicts(dismissed: bool = False) -> list[dict[str, Any]]:
    """The conflicts; those a curator dismissed too with ``dismissed``."""
    return _conflicts(*_key(), dismissed)


def decisions() -> list[dict[str, Any]]:
    """The curator's decisions as flat records (kb.api.curation.decision_record)."""
    return _decisions(*_key())


def curate(action: str, *args: Any, **kwargs: Any) -> Any:
    """Make a curation decision (a method of kb.api's Curation: "reject", "dismiss", ...).
    It replaces the KB file, so every loader above reads the new KB on the next rerun."""
    # The cached KnowledgeBase: its lexicon, which an action reads with, is loaded once.
    return getattr(_base(*_key()).curation, action)(*args, **kwargs)


def graph() -> nx.MultiDiGraph:
    """The KB graph (shared, read-only)."""
    return _graph(*_key())


def source(source_id: str) -> Source:
    """One source with its full text."""
    return _source(*_key(), source_id)


def units(source_id: str) -> list[Sentence]:
    return _units(*_key(), source_id)


def can_check() -> bool:
    """Whether this kb has the checker (KnowledgeBase.check)."""
    return hasattr(api.KnowledgeBase, "check")


def check(text: str) -> CheckResult:
    """kb's reading of ``text`` against the KB (see `kb check`)."""
    return _check(*_key(), text)


def kept_sources(where: dict[str, str]) -> set[str] | None:
    """The ids of the sources ``where`` keeps (widgets.source_filters); None: all."""
    if not where:
        return None
    return set(_kept_sources(*_key(), tuple(sorted(where.items()))))


def search(text: str, where: dict[str, str]) -> api.SearchResult:
    """What `kb search` finds for ``text``, up to 50 statements and claims (kb.api.search);
    ``where``: the listing filters, claim_type included."""
    return _search(*_key(), text, tuple(sorted(where.items())))


def export(what: str, fmt: str) -> str | bytes:
    """What `kb export WHAT --format FMT` writes (bytes for Parquet)."""
    return _export(*_key(), what, fmt)


def citation_styles() -> tuple[str, ...]:
    """The citation styles kb offers (markdown, bibtex, csl-json, apa)."""
    return tuple(api.CITATION_STYLES)


def citations(source_ids: tuple[str, ...], style: str) -> str:
    """The citations of the given sources (in that order) in ``style``."""
    return _citations(*_key(), tuple(source_ids), style)


# ------------------------------------------------------- what kb derives from them


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _claim_table(path: str, stamp: float) -> pd.DataFrame:
    return tables.claim_table(_claims(path, stamp))


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _stances(path: str, stamp: float) -> pd.DataFrame:
    return _base(path, stamp).stances()


@st.cache_data(show_spinner=False, max_entries=_BIG)
def _source_pairs(path: str, stamp: float) -> pd.DataFrame:
    return _base(path, stamp).source_pairs()


@st.cache_data(show_spinner=False, max_entries=16)
def _graph_layout(
    path: str,
    stamp: float,
    kinds: tuple[str, ...],
    claim_types: tuple[str, ...],
    conflicts_only: bool,
    max_claims: int,
    max_nodes: int,
) -> tuple[pd.DataFrame, pd.DataFrame, int, str]:
    view = api.graph_view(
        _graph(path, stamp),
        kinds=kinds,
        claim_types=claim_types,
        conflicts_only=conflicts_only,
        max_claims=max_claims,
        max_nodes=max_nodes,
    )
    nodes, edges = api.graph_layout(view)
    graphml = api.export_graph(nx.MultiDiGraph(view), "graphml")
    return nodes, edges, view.graph["left_out"], graphml


@st.cache_data(show_spinner=False, max_entries=64)
def _node_details(path: str, stamp: float, node: str) -> tuple[dict[str, Any], pd.DataFrame]:
    return api.node_details(_graph(path, stamp), node)


def claim_table() -> pd.DataFrame:
    """kb's claims with their status, and the counts the tables show (see
    tables.claim_table)."""
    return _claim_table(*_key())


def stances() -> pd.DataFrame:
    """(claim_id, source, stance) for every source that states a claim (kb.api stances)."""
    return _stances(*_key())


def source_pairs() -> pd.DataFrame:
    """Source × source agreement (kb.api source_pairs)."""
    return _source_pairs(*_key())


def graph_layout(
    kinds: tuple[str, ...],
    claim_types: tuple[str, ...],
    conflicts_only: bool,
    max_claims: int,
    max_nodes: int = api.MAX_NODES,
) -> tuple[pd.DataFrame, pd.DataFrame, int, str]:
    """Nodes and edges with positions for the graph page (kb.api graph_view and
    graph_layout), how many nodes the cap left out, and the view as GraphML."""
    return _graph_layout(*_key(), kinds, claim_types, conflicts_only, max_claims, max_nodes)


def node_details(node: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """A node's attributes and its neighbours in the KB graph (kb.api node_details)."""
    return _node_details(*_key(), node)
