"""Writing a store: ``writer()`` opens a Writer on a new version of the KB file, which
replaces the old one only when the build is complete (kb.store.files.new_version).

The corpus-wide tables are made to hold exactly what a build computed, writing only the
rows that differ from the stored ones: after a change to one source, the claims,
conflicts and pairs it touches.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kb.model import (
    Agreement,
    Claim,
    Conflict,
    Decision,
    DuplicatePair,
    Sentence,
    Sketch,
    Skipped,
    Source,
    Statement,
)
from kb.store import codecs, schema
from kb.store.files import check_store, connect_read_only, kb_file, new_version
from kb.store.read import (
    load_decisions,
    load_duplicates,
    load_source,
    load_statements,
    rows_in,
    select,
)


class Writer:
    """Writes a new version of a store into a temporary file; ``writer()`` renames it into
    place when the block ends without an error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # ------------------------------------------------------------ per source

    def delete_source(self, source_id: str) -> None:
        # Statements and units go with it (ON DELETE CASCADE); the full-text index is
        # external to the statements table, so their entries are taken out first.
        self._conn.execute(
            "INSERT INTO statements_fts (statements_fts, rowid, quote) "
            "SELECT 'delete', rowid, quote FROM statements WHERE source = ?",
            (source_id,),
        )
        self._conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def put_source(
        self, source: Source, units: list[Sentence], statements: list[Statement], sketch: Sketch
    ) -> None:
        """Insert or replace one source with everything derived from it."""
        self.delete_source(source.id)
        self._conn.execute(
            schema.insert("sources", schema.SOURCE_COLUMNS), codecs.encode_source(source)
        )
        self._conn.executemany(
            schema.insert("units", schema.UNIT_COLUMNS),
            [codecs.encode_unit(source.id, u) for u in units],
        )
        self._conn.executemany(
            schema.insert("statements", schema.STATEMENT_COLUMNS),
            [codecs.encode_statement(s) for s in statements],
        )
        self._conn.execute(
            "INSERT INTO statements_fts (rowid, quote) "
            "SELECT rowid, quote FROM statements WHERE source = ?",
            (source.id,),
        )
        self._conn.execute(
            schema.insert("sketches", schema.SKETCH_COLUMNS),
            codecs.encode_sketch(source.id, sketch),
        )

    # ------------------------------------------------------------ reading back

    def sketches(self, exclude: Iterable[str] = ()) -> Iterator[tuple[str, Sketch]]:
        """(source id, sketch) of every source written so far but the ``exclude`` ones,
        one at a time: 10,000 sketches held at once take 268 MB, packed into
        kb.analyze.independence.Candidates as they come, 40 MB."""
        skip = set(exclude)
        sql = f"SELECT {schema.columns(schema.SKETCH_COLUMNS)} FROM sketches ORDER BY source"
        for row in select(self._conn, sql):
            if row["source"] not in skip:
                yield row["source"], codecs.decode_sketch(row)

    def sources(self, ids: Iterable[str]) -> list[Source]:
        """The written sources with these ids, with their text, in the order given."""
        return [s for s in map(functools.partial(load_source, self._conn), ids) if s]

    def compared(self) -> set[tuple[str, str]]:
        """The candidate pairs the last build compared."""
        return {(r["a"], r["b"]) for r in select(self._conn, "SELECT a, b FROM compared")}

    def duplicates(self) -> dict[tuple[str, str], DuplicatePair]:
        """The stored near-duplicate pairs, by (a, b)."""
        return {(p.a, p.b): p for p in load_duplicates(self._conn)}

    def statements(self, exclude: Iterable[str] = ()) -> list[Statement]:
        """Every statement written so far, but those of the ``exclude`` sources."""
        return load_statements(self._conn, exclude=exclude)

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Source id → text of the sources ``ids`` that are written."""
        rows = rows_in(self._conn, "SELECT id, text FROM sources", "id", sorted(set(ids)))
        return {r["id"]: r["text"] for r in rows}

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in select(self._conn, "SELECT key, value FROM meta")}

    # ------------------------------------------------------------ corpus-wide

    def put_claims(self, claims: list[Claim], statements: list[Statement]) -> int:
        """Make the stored claims these, and point each statement at its claim, writing
        only what differs from what is stored: after a change to one source, the claims
        it touches (a full rebuild writes them all). Returns the claims written or deleted."""
        rows = [codecs.encode_claim(c) for c in claims]
        changed = self._replace_rows("claims", schema.CLAIM_COLUMNS, rows, key=("id",))
        stored = select(self._conn, "SELECT id, claim_id, claim FROM statements")
        links = {r["id"]: (r["claim_id"], r["claim"]) for r in stored}
        self._conn.executemany(
            "UPDATE statements SET claim_id = ?, claim = ? WHERE id = ?",
            [(s.claim_id, s.claim, s.id) for s in statements
             if links.get(s.id) != (s.claim_id, s.claim)],
        )  # fmt: skip
        return changed

    def put_duplicates(
        self, pairs: Iterable[DuplicatePair], compared: Iterable[tuple[str, str]]
    ) -> None:
        """Make the stored near-duplicate pairs these, and the compared candidate pairs
        ``compared`` (writing only the difference)."""
        rows = [codecs.encode_duplicate(p) for p in pairs]
        self._replace_rows("duplicates", schema.DUPLICATE_COLUMNS, rows, key=("a", "b"))
        pairs_compared = [{"a": a, "b": b} for a, b in compared]
        self._replace_rows("compared", schema.COMPARED_COLUMNS, pairs_compared, key=("a", "b"))

    def put_conflicts(self, conflicts: list[Conflict], statements: Iterable[Statement]) -> int:
        """Make the stored conflicts these, each with the quotes of its sides from
        ``statements`` (writing only the difference); returns the conflicts written or
        deleted."""
        quoted = {i for c in conflicts for side in c.sides for i in side.statement_ids}
        refs = {s.id: s.ref() for s in statements if s.id in quoted}
        rows = []
        for c in conflicts:
            ids = dict.fromkeys(i for side in c.sides for i in side.statement_ids)
            rows.append(codecs.encode_conflict(c, [refs[i] for i in ids if i in refs]))
        return self._replace_rows("conflicts", schema.CONFLICT_COLUMNS, rows, key=("id",))

    def decisions(self) -> list[Decision]:
        """The curator's decisions written so far, in the order they were made."""
        return load_decisions(self._conn)

    def put_decisions(self, decisions: Iterable[Decision]) -> None:
        """Make the stored decisions these (writing only the difference)."""
        rows = [codecs.encode_decision(d) for d in decisions]
        self._replace_rows("curation", schema.CURATION_COLUMNS, rows, key=("id",))

    def put_agreement(self, stands: Iterable[Agreement]) -> None:
        """Make the stored agreement figures these (writing only the difference)."""
        rows = [codecs.encode_agreement(a) for a in stands]
        self._replace_rows("agreement", schema.AGREEMENT_COLUMNS, rows, key=("claim_id",))

    def _replace_rows(
        self,
        table: str,
        names: Sequence[str],
        rows: list[Mapping[str, Any]],
        key: Sequence[str],
    ) -> int:
        """Make ``table`` hold exactly ``rows`` (identified by their ``key`` columns),
        deleting, inserting and replacing only the rows that differ; returns how many
        rows it deleted, inserted or replaced."""
        stored = {
            tuple(row[k] for k in key): dict(row)
            for row in select(self._conn, f"SELECT {schema.columns(names)} FROM {table}")
        }
        wanted = {tuple(row[k] for k in key): row for row in rows}
        gone = list(stored.keys() - wanted.keys())
        changed = [row for k, row in wanted.items() if stored.get(k) != row]
        where = " AND ".join(f'"{c}" = ?' for c in key)
        self._conn.executemany(f"DELETE FROM {table} WHERE {where}", gone)
        self._conn.executemany(schema.insert(table, names, replace=True), changed)
        return len(gone) + len(changed)

    # ------------------------------------------------------------ the build's own

    def set_skipped(self, skipped: Iterable[Skipped]) -> None:
        self._conn.execute("DELETE FROM skipped")
        self._conn.executemany(
            schema.insert("skipped", schema.SKIPPED_COLUMNS, replace=True),
            [codecs.encode_skipped(s) for s in skipped],
        )

    def set_meta(self, **values: str) -> None:
        self._conn.executemany(
            schema.insert("meta", schema.META_COLUMNS, replace=True),
            [{"key": k, "value": v} for k, v in values.items()],
        )

    def checkpoint(self) -> None:
        """Commit what is written so far (to the temporary file only)."""
        self._conn.commit()


@contextlib.contextmanager
def writer(path: Path, *, fresh: bool = False) -> Iterator[Writer]:
    """Open a writer on a copy of the store at ``path`` (or an empty one, if there is none
    or ``fresh``).

    On normal exit the copy replaces ``path`` atomically, with the old file's mode; a
    symbolic link is followed, so the file it points to is the one replaced. On any
    exception, or if the process is killed, the copy is discarded and ``path`` is
    untouched. A read-only KB is refused, and what the file system refuses (no space,
    no permission) is one StorageError.
    """
    path = kb_file(path)
    with new_version(path) as tmp:
        start_empty = fresh or not path.exists()
        if not start_empty:
            check_store(path)
        conn = sqlite3.connect(tmp)
        try:
            if start_empty:
                schema.create(conn)
            else:
                source = connect_read_only(path)
                try:
                    source.backup(conn)  # a consistent copy even if a reader is open
                finally:
                    source.close()
            conn.execute("PRAGMA foreign_keys = ON")
            # The temporary file is disposable until the rename, so it need not survive
            # a power cut before then; the rename happens only after a full commit.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            yield Writer(conn)
            if start_empty:
                conn.executescript(schema.READ_INDEXES)
            conn.commit()
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
