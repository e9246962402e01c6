"""What `kb export` writes and KnowledgeBase.export returns: each kind of export, the
formats it comes in, and the one binary format, Parquet.

Tables (statements, claims, conflicts, sources) come as JSON Lines, JSON, CSV or Parquet;
the graph as GraphML, GEXF, node-link JSON or Cytoscape.js JSON (kb.graph); statements
as W3C Web Annotations (kb.api.annotations); sources as citations in a style of
kb.cite. A format that a kind does not come in is an ExportError naming the ones it does.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.api.annotations import annotations_json
from kb.api.records import (
    CLAIM_FIELDS,
    CONFLICT_FIELDS,
    SOURCE_COLUMNS,
    STATEMENT_COLUMNS,
    format_records,
)
from kb.cite import CITATION_STYLES, format_citations, missing_metadata
from kb.errors import ExportError, KbNotFoundError
from kb.graph import GRAPH_FORMATS, export_graph
from kb.model import Source

if TYPE_CHECKING:
    from kb.api import KnowledgeBase

__all__ = ["BINARY_FORMATS", "EXPORT_FORMATS", "citation_gaps", "export", "parquet_bytes"]

TABLE_FORMATS = ("jsonl", "json", "csv", "parquet")
TABLES = ("statements", "claims", "conflicts", "sources")
# Each kind of export and its formats, the default first; for citations the formats are
# citation styles.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "statements": TABLE_FORMATS,
    "claims": TABLE_FORMATS,
    "conflicts": TABLE_FORMATS,
    "sources": TABLE_FORMATS,
    "graph": GRAPH_FORMATS,
    "annotations": ("jsonld",),
    "citations": ("apa", *(s for s in CITATION_STYLES if s != "apa")),
    # A curator's decisions: JSON (what `kb curate import` reads), JSON Lines, or CSV to read.
    "curation": ("json", "jsonl", "csv"),
}
# Formats that are bytes, not text: they go to a file, never to a terminal or a pipe's text.
BINARY_FORMATS = ("parquet",)
# The kinds that may be limited to some sources.
BY_SOURCE = ("annotations", "citations")


def export(
    base: KnowledgeBase,
    what: str,
    fmt: str,
    sources: Sequence[str] | None = None,
    **where: str | None,
) -> str | bytes:
    """The export ``what`` of ``base`` in ``fmt`` (see EXPORT_FORMATS): text, or bytes for
    a format in BINARY_FORMATS. ``sources`` limits annotations and citations to those
    source ids (an unknown id is a KbNotFoundError); ``where`` the rows of a table to
    those it keeps (kb.api.filters), and is refused for anything else."""
    if what not in EXPORT_FORMATS:
        raise ExportError(f"cannot export {what!r}; choose {', '.join(EXPORT_FORMATS)}")
    if fmt not in EXPORT_FORMATS[what]:
        noun = "style" if what == "citations" else "format"
        raise ExportError(
            f"cannot export {what} in the {noun} {fmt!r}; choose {', '.join(EXPORT_FORMATS[what])}"
        )
    if sources is not None and what not in BY_SOURCE:
        raise ExportError(f"--source limits {' and '.join(BY_SOURCE)}, not {what}; leave it out")
    where = {k: v for k, v in where.items() if v is not None}
    if where and what not in TABLES:
        raise ExportError(
            f"the {what} is exported whole; filter a table instead, e.g. "
            "kb export claims --source-kind journal"
        )
    if what == "graph":
        return export_graph(base.graph(), fmt)
    if what == "curation":
        return base.curation.export(fmt)
    if what == "citations":
        return format_citations(chosen_sources(base, sources), fmt) + "\n"
    if what == "annotations":
        texts = {s.id: s for s in chosen_sources(base, sources, with_text=True)}
        return annotations_json((s for s in base.statement_list() if s.source in texts), texts)
    records, fields = table_records(base, what, where)
    if fmt == "parquet":
        return parquet_bytes(records, fields)
    return format_records(records, fields, fmt)


def chosen_sources(
    base: KnowledgeBase, ids: Sequence[str] | None, *, with_text: bool = False
) -> list[Source]:
    """Every source of ``base``, or those of ``ids`` in that order; an id the KB does not
    have is a KbNotFoundError naming it."""
    every = base.source_list(with_text=with_text)
    if ids is None:
        return every
    by_id = {s.id: s for s in every}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise KbNotFoundError(f"no source {unknown[0]!r} in {base.path}; see `kb sources`")
    return [by_id[i] for i in dict.fromkeys(ids)]


def citation_gaps(base: KnowledgeBase, ids: Sequence[str] | None = None) -> dict[str, list[str]]:
    """What the citations of ``base``'s sources (or those of ``ids``) lack: source id ->
    the fields missing among author, date, title and url (kb.cite.missing_metadata)."""
    return missing_metadata(chosen_sources(base, ids))


def table_records(
    base: KnowledgeBase, what: str, where: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], Sequence[str]]:
    """The records of one of the tables (those ``where`` keeps), and their fields in order."""
    where = dict(where or {})
    if what == "claims":
        return base.claim_records(**where), CLAIM_FIELDS
    if what == "conflicts":
        return base.conflict_records(**where), CONFLICT_FIELDS
    if what == "statements":
        return base.statement_records(**where), STATEMENT_COLUMNS
    where.pop("claim_type", None)  # a source has no claim type
    return base.source_records(**where), SOURCE_COLUMNS


def parquet_bytes(records: Sequence[dict[str, Any]], fields: Sequence[str]) -> bytes:
    """Records as a Parquet file: one column per field, in order. A column of lists of
    plain values (source ids, labels) stays a list column; one that holds dicts or lists
    of them (qualifiers, quantities, a conflict's sides) is JSON text, as in CSV.

    >>> import pyarrow.parquet as pq
    >>> data = parquet_bytes([{"id": "a", "sources": ["s1"], "certainty": {"hedged": 1}}],
    ...                      ["id", "sources", "certainty"])
    >>> pq.read_table(io.BytesIO(data)).to_pylist()
    [{'id': 'a', 'sources': ['s1'], 'certainty': '{"hedged": 1}'}]
    """
    import pyarrow as pa  # here: 0.16 s to import, for Parquet only
    import pyarrow.parquet as pq

    arrays = {}
    for name in fields:
        values = [record.get(name) for record in records]
        if any(_nested(v) for v in values):
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        column = pa.array(values)
        # A column with nothing in it (no value, or only empty lists) gets a type all the same.
        if pa.types.is_null(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_list(column.type) and pa.types.is_null(column.type.value_type):
            column = column.cast(pa.list_(pa.string()))
        arrays[name] = column
    out = io.BytesIO()
    pq.write_table(pa.table(arrays), out)
    return out.getvalue()


def _nested(value: Any) -> bool:
    """True for a value a flat column cannot hold: a dict, or a list of dicts or lists."""
    if isinstance(value, dict):
        return True
    return isinstance(value, list | tuple) and any(isinstance(v, dict | list) for v in value)
