"""The SQLite store of record: the only package that speaks SQL, always with parameters.

Cut by concern:

- ``files``: the KB file — checking that it is a kb store this version reads, read-only
  connections, the build lock, and a new version written beside it and renamed into place
  (with its mode kept, fsync'd), with what the file system refuses as one kb error;
- ``schema``: the tables, their columns and the schema version;
- ``codecs``: each record ↔ its table row, by column name, and every JSON cell;
- ``read``: the loaders (``load_*``), full-text search and counts;
- ``write``: ``writer()`` and its ``Writer``;
- ``journal``: the per-document results of a build not yet ended, which the next build
  resumes from.

This package imports kb.model, kb.errors and kb alone. What the rest of kb uses is
exported here, so a caller writes ``store.load_claims(conn)`` whichever module holds it.
"""

from kb.store.codecs import quantity_values
from kb.store.files import build_lock, check_store, is_outdated, read_connection
from kb.store.journal import (
    Journal,
    Journaled,
    discard_journal,
    journal_path,
    journal_size,
    open_journal,
)
from kb.store.read import (
    StoredSource,
    carried_decisions,
    count_matches,
    count_rows,
    load_agreement,
    load_claims,
    load_claims_matching,
    load_conflict_quotes,
    load_conflicts,
    load_decisions,
    load_duplicates,
    load_meta,
    load_skipped,
    load_source,
    load_source_facets,
    load_sources,
    load_sources_by_id,
    load_stated,
    load_statement_quotes,
    load_statements,
    load_statements_by_id,
    load_statements_from,
    load_statements_saying,
    load_subject_counts,
    load_units,
    search_claim_labels,
    search_ranked,
    search_statements,
    stored_hashes,
    stored_meta,
)
from kb.store.schema import SCHEMA_VERSION
from kb.store.write import Writer, writer

__all__ = [
    "SCHEMA_VERSION",
    "Journal",
    "Journaled",
    "StoredSource",
    "Writer",
    "build_lock",
    "carried_decisions",
    "check_store",
    "count_matches",
    "count_rows",
    "discard_journal",
    "is_outdated",
    "journal_path",
    "journal_size",
    "load_agreement",
    "load_claims",
    "load_claims_matching",
    "load_conflict_quotes",
    "load_conflicts",
    "load_decisions",
    "load_duplicates",
    "load_meta",
    "load_skipped",
    "load_source",
    "load_source_facets",
    "load_sources",
    "load_sources_by_id",
    "load_stated",
    "load_statement_quotes",
    "load_statements",
    "load_statements_by_id",
    "load_statements_from",
    "load_statements_saying",
    "load_subject_counts",
    "load_units",
    "open_journal",
    "quantity_values",
    "read_connection",
    "search_claim_labels",
    "search_ranked",
    "search_statements",
    "stored_hashes",
    "stored_meta",
    "writer",
]
