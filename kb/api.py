"""The Python API: open a knowledge base and read it as pandas DataFrames.

Example::

    import kb
    base = kb.open("data/kb.sqlite")
    base.sources()[["id", "title", "words"]]
    base.statements(source="003_a243d097950171fd")
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from kb import store
from kb.build import BuildReport, Progress
from kb.build import build as _build
from kb.errors import ExportError, KbNotFoundError
from kb.evaluate import EvalReport, evaluate, load_gold
from kb.models import CERTAINTIES, Claim, Sentence, Source, Statement
from kb.nlp.lexicon import Lexicon, load_lexicon

__all__ = [
    "DEFAULT_KB",
    "DEFAULT_SOURCES",
    "KnowledgeBase",
    "build",
    "claim_records",
    "default_kb_path",
    "load_lexicon",
    "open_kb",
    "source_record",
    "statement_record",
]

DEFAULT_KB = Path("data/kb.sqlite")
DEFAULT_SOURCES = Path("data/sources")

# Field order of the public JSON shapes in DESIGN.md; fields may be added, never renamed.
SOURCE_FIELDS = ("id", "title", "author", "site", "url", "kind", "words", "near_duplicates")
STATEMENT_FIELDS = (
    "id", "source", "quote", "start", "end", "claim_id", "claim", "claim_type", "polarity",
    "certainty", "attribution", "quantities",
)  # fmt: skip
_SOURCE_EXTRA = ("date", "format", "encoding", "path", "sha256", "file_sha256", "warnings")
_STATEMENT_EXTRA = ("subject", "relation", "object", "qualifiers", "section", "label")


def default_kb_path() -> Path:
    """$KB_PATH if set, else data/kb.sqlite (relative to the working directory)."""
    return Path(os.environ.get("KB_PATH") or DEFAULT_KB)


def build(
    paths: Iterable[str | Path] | None = None,
    kb_path: str | Path | None = None,
    *,
    lexicon: Lexicon | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build or update the KB (default data/kb.sqlite) from files (default data/sources),
    with ``lexicon`` (default: load_lexicon(default_lexicon_paths()))."""
    paths = list(paths) if paths else [DEFAULT_SOURCES]
    kb_path = Path(kb_path) if kb_path else default_kb_path()
    return _build(paths, kb_path, lexicon=lexicon, progress=progress)


def open_kb(path: str | Path | None = None) -> KnowledgeBase:
    """Open an existing KB; raises KbNotFoundError, NotAKbError or SchemaVersionError."""
    kb_path = Path(path) if path else default_kb_path()
    store.check_store(kb_path)
    return KnowledgeBase(kb_path)


def source_record(source: Source) -> dict[str, Any]:
    """The public JSON shape of a source (without its text)."""
    data = source.to_dict()
    record = {name: data.get(name) for name in SOURCE_FIELDS if name != "near_duplicates"}
    # Copy detection fills this; until a KB has it, no source is known to copy another.
    record["near_duplicates"] = []
    record.update({name: data[name] for name in _SOURCE_EXTRA})
    return record


CLAIM_FIELDS = (
    "id", "claim_type", "label", "sources", "affirming", "negating", "certainty", "statements",
    "subject", "relation", "object", "comparator", "normalised", "refines",
)  # fmt: skip


def claim_records(claims: list[Claim], statements: list[Statement]) -> list[dict[str, Any]]:
    """Claims with who affirms and who negates them and their mix of certainty, most
    widely stated first."""
    by_id = {s.id: s for s in statements}
    records = []
    for claim in claims:
        members = [by_id[i] for i in claim.statement_ids if i in by_id]
        affirming = sorted({s.source for s in members if s.polarity == "affirmed"})
        negating = sorted({s.source for s in members if s.polarity == "negated"})
        certainty = {c: sum(s.certainty == c for s in members) for c in CERTAINTIES}
        records.append(
            {
                "id": claim.id,
                "claim_type": claim.claim_type,
                "label": claim.label,
                "sources": len(set(affirming) | set(negating)),
                "affirming": affirming,
                "negating": negating,
                "certainty": certainty,
                "statements": len(members),
                "subject": claim.subject,
                "relation": claim.relation,
                "object": claim.object,
                "comparator": claim.comparator,
                "normalised": claim.normalised,
                "refines": claim.refines,
            }
        )
    records.sort(key=lambda r: (-r["sources"], -r["statements"], r["claim_type"], r["label"]))
    return records


def statement_record(statement: Statement) -> dict[str, Any]:
    """The public JSON shape of a statement."""
    data = statement.to_dict()
    return {name: data[name] for name in STATEMENT_FIELDS + _STATEMENT_EXTRA}


class KnowledgeBase:
    """A built knowledge base. Each call reads the store afresh, so an instance stays
    valid across rebuilds and may be shared between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"KnowledgeBase({str(self.path)!r})"

    # -- records

    def source_list(self, *, with_text: bool = False) -> list[Source]:
        with store.read_connection(self.path) as conn:
            return store.load_sources(conn, with_text=with_text)

    def source(self, source_id: str) -> Source:
        """One source with its full text."""
        with store.read_connection(self.path) as conn:
            found = store.load_source(conn, source_id)
        if found is None:
            raise KbNotFoundError(f"no source {source_id!r} in {self.path}; see `kb sources`")
        return found

    def units(self, source_id: str) -> list[Sentence]:
        """Headings, sentences and list items of one source, in reading order."""
        with store.read_connection(self.path) as conn:
            return store.load_units(conn, source_id)

    def statement_list(self, source: str | None = None) -> list[Statement]:
        with store.read_connection(self.path) as conn:
            return store.load_statements(conn, source)

    def claim_list(self) -> list[Claim]:
        with store.read_connection(self.path) as conn:
            return store.load_claims(conn)

    def claim_records(self, claim_type: str | None = None) -> list[dict[str, Any]]:
        """Claims as records (see claim_records), optionally of one type."""
        records = claim_records(self.claim_list(), self.statement_list())
        return [r for r in records if claim_type in (None, r["claim_type"])]

    def evaluate(self, gold_path: str | Path) -> EvalReport:
        """Score this KB's statements and claims against a gold file (see kb.evaluate)."""
        texts = {s.id: s.text for s in self.source_list(with_text=True)}
        return evaluate(load_gold(gold_path, texts), self.statement_list())

    def info(self) -> dict[str, Any]:
        """When and by which kb the KB was built, its size, and the files last skipped."""
        with store.read_connection(self.path) as conn:
            meta = store.load_meta(conn)
            counts = store.count_rows(conn)
            skipped = store.load_skipped(conn)
        return {
            "path": str(self.path),
            **meta,
            **counts,
            "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        }

    # -- tables

    def sources(self) -> pd.DataFrame:
        """One row per source, in the public source shape plus metadata columns."""
        records = [source_record(s) for s in self.source_list()]
        return pd.DataFrame.from_records(records, columns=SOURCE_FIELDS + _SOURCE_EXTRA)

    def claims(self, claim_type: str | None = None) -> pd.DataFrame:
        """One row per claim: label, type, sources affirming and negating, certainty mix."""
        return pd.DataFrame.from_records(self.claim_records(claim_type), columns=CLAIM_FIELDS)

    def statements(self, source: str | None = None) -> pd.DataFrame:
        """One row per statement, in reading order; ``source`` limits it to one source."""
        records = [statement_record(s) for s in self.statement_list(source)]
        return pd.DataFrame.from_records(records, columns=STATEMENT_FIELDS + _STATEMENT_EXTRA)

    # -- exports

    def export(self, what: str, fmt: str) -> str:
        """The text of an export: ``what`` in statements|claims|sources, ``fmt`` in
        jsonl|csv|json."""
        if what == "claims":
            records, fields = self.claim_records(), CLAIM_FIELDS
        elif what == "statements":
            records = [statement_record(s) for s in self.statement_list()]
            fields = STATEMENT_FIELDS + _STATEMENT_EXTRA
        elif what == "sources":
            records = [source_record(s) for s in self.source_list()]
            fields = SOURCE_FIELDS + _SOURCE_EXTRA
        else:
            raise ExportError(f"cannot export {what!r}; choose statements, claims or sources")
        return format_records(records, fields, fmt)


def format_records(records: list[dict[str, Any]], fields: Iterable[str], fmt: str) -> str:
    """Records as JSON Lines, a JSON array, or CSV (lists and dicts JSON-encoded in cells)."""
    fields = list(fields)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_cell(record.get(k)) for k in fields})
        return out.getvalue()
    raise ExportError(f"unknown format {fmt!r}; choose jsonl, json or csv")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
