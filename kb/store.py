"""The SQLite store of record. The only module that speaks SQL, always with parameters.

A store is a SQLite file whose ``application_id`` marks it as kb's and whose
``user_version`` is the schema version. Builds never write the live file: they write a
temporary file beside it and rename it into place when complete (``os.replace`` is
atomic on POSIX), so a build that is killed leaves the previous KB as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kb.errors import BuildError, KbNotFoundError, NotAKbError, SchemaVersionError
from kb.independence import DuplicatePair
from kb.models import Claim, Conflict, Sentence, Skipped, Source, Stance, Statement

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "StoredSource",
    "Writer",
    "build_lock",
    "check_store",
    "read_connection",
    "stored_hashes",
    "writer",
]

APPLICATION_ID = 0x4B42_0001  # "KB" + 1: marks a SQLite file as a kb store
SCHEMA_VERSION = 3  # 2: claims; 3: profiles, near-duplicates, conflicts, full-text index
_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT NOT NULL, encoding TEXT NOT NULL,
    title TEXT NOT NULL, author TEXT NOT NULL, site TEXT NOT NULL, url TEXT NOT NULL,
    date TEXT NOT NULL, kind TEXT NOT NULL, file_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL,
    words INTEGER NOT NULL, warnings TEXT NOT NULL, profile TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE units (
    source TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    kind TEXT NOT NULL, section TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (source, idx)
);
CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote TEXT NOT NULL,
    claim_type TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL,
    object TEXT NOT NULL, polarity TEXT NOT NULL, certainty TEXT NOT NULL,
    attribution TEXT NOT NULL, quantities TEXT NOT NULL, qualifiers TEXT NOT NULL,
    section TEXT NOT NULL, label TEXT NOT NULL, claim_id TEXT, claim TEXT
);
CREATE INDEX statements_source ON statements(source, start);
CREATE INDEX statements_claim ON statements(claim_id);
CREATE TABLE claims (
    id TEXT PRIMARY KEY, claim_type TEXT NOT NULL, label TEXT NOT NULL,
    subject TEXT NOT NULL, relation TEXT NOT NULL, object TEXT NOT NULL,
    comparator TEXT NOT NULL, normalised INTEGER NOT NULL, refines TEXT NOT NULL
);
CREATE INDEX claims_object ON claims(object);
CREATE TABLE skipped (path TEXT PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE duplicates (
    a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL, aligned INTEGER NOT NULL,
    aligned_share REAL NOT NULL, examples TEXT NOT NULL, PRIMARY KEY (a, b)
);
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, topic TEXT NOT NULL, claim_ids TEXT NOT NULL,
    sides TEXT NOT NULL, detail TEXT NOT NULL
);
-- Lexical retrieval for `kb check`: the words of every statement's sentence.
CREATE VIRTUAL TABLE statements_fts USING fts5(
    quote, content='statements', tokenize='porter unicode61'
);
"""

_SOURCE_COLUMNS = (
    "id", "path", "format", "encoding", "title", "author", "site", "url", "date", "kind",
    "file_sha256", "sha256", "words", "warnings", "profile", "text",
)  # fmt: skip
_STATEMENT_COLUMNS = (
    "id", "source", "start", "end", "quote", "claim_type", "subject", "relation", "object",
    "polarity", "certainty", "attribution", "quantities", "qualifiers", "section", "label",
    "claim_id", "claim",
)  # fmt: skip
_DUPLICATE_COLUMNS = ("a", "b", "similarity", "aligned", "aligned_share", "examples")
_CONFLICT_COLUMNS = ("id", "kind", "topic", "claim_ids", "sides", "detail")
_QUANTITIES_AT = _STATEMENT_COLUMNS.index("quantities")
_QUALIFIERS_AT = _STATEMENT_COLUMNS.index("qualifiers")


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


# ---------------------------------------------------------------- opening and checking


def check_store(path: Path) -> None:
    """Raise unless ``path`` is a kb store this version can read.

    A missing file, a file that is not SQLite, a SQLite file that is not kb's and a
    store from a newer kb each get their own one-line error.
    """
    if not path.exists():
        raise KbNotFoundError(
            f"no knowledge base at {path}; build one with `kb build` or pass --kb PATH"
        )
    if path.is_dir():
        raise NotAKbError(f"{path} is a directory, not a kb store; pass the .sqlite file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise NotAKbError(f"cannot read {path}: {exc.strerror}") from None
    if header != _SQLITE_MAGIC:
        raise NotAKbError(
            f"{path} is not a kb store (not a SQLite file); pass a kb file with --kb "
            "or choose a new path to build one"
        )
    conn = _connect_ro(path)
    try:
        app_id, version = _identity(conn)
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        raise NotAKbError(
            f"{path} is a SQLite file but not a kb store; kb will not read or overwrite it "
            "— pass another path with --kb"
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} was written by a newer kb (schema {version}, this kb reads up to "
            f"{SCHEMA_VERSION}); upgrade kb with `pip install -U kb`",
            version,
        )
    if version < SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} has an old schema ({version}, now {SCHEMA_VERSION}); "
            "rebuild it with `kb build`",
            version,
        )


def _connect_ro(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotAKbError(f"cannot open {path}: {exc}") from None


def _identity(conn: sqlite3.Connection) -> tuple[int, int]:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotAKbError(f"not a kb store: {exc}") from None
    return app_id, version


@contextlib.contextmanager
def read_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a checked store. One per call: cheap, and thread-safe
    for the dashboard, which serves each session from its own thread."""
    check_store(path)
    conn = _connect_ro(path)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class StoredSource:
    """What an incremental build compares a file against."""

    id: str
    path: str
    file_sha256: str


def stored_hashes(path: Path) -> dict[str, StoredSource]:
    """Source id → (path, file hash) of the store at ``path``; empty when there is none."""
    if not path.exists():
        return {}
    with read_connection(path) as conn:
        rows = conn.execute("SELECT id, path, file_sha256 FROM sources").fetchall()
    return {r["id"]: StoredSource(r["id"], r["path"], r["file_sha256"]) for r in rows}


def stored_meta(path: Path) -> dict[str, str]:
    """The meta table of the store at ``path``; empty when there is none."""
    if not path.exists():
        return {}
    with read_connection(path) as conn:
        return load_meta(conn)


def is_outdated(path: Path) -> bool:
    """True for a kb store with an older schema, which a build replaces rather than refuses."""
    try:
        check_store(path)
    except SchemaVersionError as exc:
        return exc.found < SCHEMA_VERSION
    except KbNotFoundError:
        return False
    return False


def _decode_source(row: sqlite3.Row, with_text: bool) -> Source:
    data = dict(row)
    data["warnings"] = json.loads(data["warnings"])
    data["profile"] = json.loads(data["profile"])
    if not with_text:
        data["text"] = ""
    return Source(**data)


def load_sources(conn: sqlite3.Connection, *, with_text: bool = False) -> list[Source]:
    """All sources ordered by id; ``text`` is left empty unless asked for (it is the bulk)."""
    columns = _SOURCE_COLUMNS if with_text else _SOURCE_COLUMNS[:-1]
    rows = conn.execute(f"SELECT {_quoted(columns)} FROM sources ORDER BY id").fetchall()
    return [_decode_source(r, with_text) for r in rows]


def load_source(conn: sqlite3.Connection, source_id: str) -> Source | None:
    row = conn.execute(
        f"SELECT {_quoted(_SOURCE_COLUMNS)} FROM sources WHERE id = ?", (source_id,)
    ).fetchone()
    return _decode_source(row, True) if row else None


def load_statements(conn: sqlite3.Connection, source_id: str | None = None) -> list[Statement]:
    """Statements in reading order (source, then position)."""
    sql = f"SELECT {_quoted(_STATEMENT_COLUMNS)} FROM statements"
    params: tuple[Any, ...] = ()
    if source_id is not None:
        sql += " WHERE source = ?"
        params = (source_id,)
    rows = conn.execute(sql + ' ORDER BY source, start, "end"', params).fetchall()
    return [_decode_statement(row) for row in rows]


def _decode_statement(row: sqlite3.Row) -> Statement:
    data = dict(row)
    data["quantities"] = json.loads(data["quantities"])
    data["qualifiers"] = json.loads(data["qualifiers"])
    return Statement(**data)


_CLAIM_COLUMNS = (
    "id", "claim_type", "label", "subject", "relation", "object", "comparator", "normalised",
    "refines",
)  # fmt: skip


def load_claims(conn: sqlite3.Connection) -> list[Claim]:
    """All claims, each with the ids of its statements in reading order."""
    members: dict[str, list[str]] = {}
    rows = conn.execute(
        "SELECT claim_id, id FROM statements WHERE claim_id IS NOT NULL "
        'ORDER BY source, start, "end"'
    )
    for row in rows:
        members.setdefault(row[0], []).append(row[1])
    claims = []
    for row in conn.execute(f"SELECT {_quoted(_CLAIM_COLUMNS)} FROM claims ORDER BY id"):
        data = dict(row)
        data["normalised"] = bool(data["normalised"])
        data["refines"] = json.loads(data["refines"])
        claims.append(Claim(**data, statement_ids=members.get(data["id"], [])))
    return claims


def _rows_in(
    conn: sqlite3.Connection, select: str, column: str, values: list[Any]
) -> Iterator[sqlite3.Row]:
    """Rows of ``select ... WHERE column IN (values)``, in chunks under SQLite's limit
    on parameters."""
    for chunk in range(0, len(values), 500):
        part = values[chunk : chunk + 500]
        yield from conn.execute(f"{select} WHERE {column} IN ({', '.join('?' * len(part))})", part)


def load_claims_matching(
    conn: sqlite3.Connection, *, objects: Iterable[str] = (), ids: Iterable[str] = ()
) -> list[Claim]:
    """The claims about any of ``objects`` or with any of ``ids`` (statement_ids left empty)."""
    found: dict[str, Claim] = {}
    select = f"SELECT {_quoted(_CLAIM_COLUMNS)} FROM claims"
    for column, values in (("object", list(objects)), ("id", list(ids))):
        for row in _rows_in(conn, select, column, values):
            data = dict(row)
            data["normalised"] = bool(data["normalised"])
            data["refines"] = json.loads(data["refines"])
            found[data["id"]] = Claim(**data)
    return sorted(found.values(), key=lambda c: c.id)


def load_statements_of_claims(
    conn: sqlite3.Connection, claim_ids: Iterable[str]
) -> list[Statement]:
    """The statements of the given claims, in reading order."""
    select = f"SELECT {_quoted(_STATEMENT_COLUMNS)} FROM statements"
    out = [_decode_statement(r) for r in _rows_in(conn, select, "claim_id", list(claim_ids))]
    return sorted(out, key=lambda s: (s.source, s.start, s.end, s.id))


def load_units(conn: sqlite3.Connection, source_id: str) -> list[Sentence]:
    """The headings, sentences and items of one source; their text is cut from the source."""
    source = conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
    if source is None:
        return []
    text = source["text"]
    rows = conn.execute(
        'SELECT idx, start, "end", kind, section, label FROM units WHERE source = ? ORDER BY idx',
        (source_id,),
    ).fetchall()
    return [
        Sentence(r["start"], r["end"], text[r["start"] : r["end"]], r["kind"], r["section"],
                 r["label"], r["idx"])
        for r in rows
    ]  # fmt: skip


def load_duplicates(conn: sqlite3.Connection) -> list[DuplicatePair]:
    """Pairs of sources that copy or closely paraphrase each other."""
    rows = conn.execute(
        "SELECT a, b, similarity, aligned, aligned_share, examples FROM duplicates ORDER BY a, b"
    ).fetchall()
    return [
        DuplicatePair(r["a"], r["b"], r["similarity"], r["aligned"], r["aligned_share"],
                      tuple(tuple(map(tuple, e)) for e in json.loads(r["examples"])))
        for r in rows
    ]  # fmt: skip


def load_conflicts(conn: sqlite3.Connection) -> list[Conflict]:
    rows = conn.execute(
        "SELECT id, kind, topic, claim_ids, sides, detail FROM conflicts ORDER BY kind, topic, id"
    ).fetchall()
    return [
        Conflict.from_dict(
            {**dict(r), "claim_ids": json.loads(r["claim_ids"]), "sides": json.loads(r["sides"])}
        )
        for r in rows
    ]


def search_statements(conn: sqlite3.Connection, query: str, limit: int) -> list[str]:
    """Ids of the statements whose sentence best matches an FTS5 ``query`` (bm25 order)."""
    rows = conn.execute(
        "SELECT s.id FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
        "WHERE statements_fts MATCH ? ORDER BY bm25(statements_fts) LIMIT ?",
        (query, limit),
    ).fetchall()
    return [r[0] for r in rows]


def load_stances(conn: sqlite3.Connection) -> list[Stance]:
    """What agreement counts of every statement (id, source, claim, polarity, certainty),
    without quote, offsets or qualifiers: listing the claims of a large KB needs no more,
    and reading the full statements was most of its time (10,000 sources: 8 s)."""
    return list(
        map(Stance._make, conn.execute(
            "SELECT id, source, claim_id, polarity, certainty FROM statements"))
    )  # fmt: skip


def load_statements_by_id(conn: sqlite3.Connection, ids: list[str]) -> list[Statement]:
    """The statements with these ids, in the order given."""
    select = f"SELECT {_quoted(_STATEMENT_COLUMNS)} FROM statements"
    found = {s.id: s for s in map(_decode_statement, _rows_in(conn, select, "id", ids))}
    return [found[i] for i in ids if i in found]


def load_skipped(conn: sqlite3.Connection) -> list[Skipped]:
    rows = conn.execute("SELECT path, reason FROM skipped ORDER BY path").fetchall()
    return [Skipped(r["path"], r["reason"]) for r in rows]


def load_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta")}


def count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Number of sources, units and statements."""
    return {
        "sources": conn.execute("SELECT count(*) FROM sources").fetchone()[0],
        "units": conn.execute("SELECT count(*) FROM units").fetchone()[0],
        "statements": conn.execute("SELECT count(*) FROM statements").fetchone()[0],
        "claims": conn.execute("SELECT count(*) FROM claims").fetchone()[0],
    }


# ---------------------------------------------------------------- writing


_TMP_PATTERN = re.compile(r"^\.(?P<name>.+)\.tmp-(?P<pid>\d+)$")


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _remove_stale_tmp(path: Path) -> None:
    """Delete temporary files left by builds that were killed (their process is gone)."""
    for candidate in path.parent.glob(f".{path.name}.tmp-*"):
        match = _TMP_PATTERN.match(candidate.name)
        if not match or match["name"] != path.name:
            continue
        pid = int(match["pid"])
        if pid != os.getpid() and _pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<kb>.lock`` so that two builds never race to rename,
    and clear the temporary files of builds that were killed."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another kb build is writing {path}; wait for it to finish and try again"
            ) from None
        _remove_stale_tmp(path)  # safe now: no other build can be writing
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Writer:
    """Writes a new version of a store into a temporary file; ``commit`` renames it into place."""

    def __init__(self, path: Path, conn: sqlite3.Connection, tmp: Path) -> None:
        self.path = path
        self.tmp = tmp
        self._conn = conn

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
        self, source: Source, units: list[Sentence], statements: list[Statement]
    ) -> None:
        """Insert or replace one source with everything derived from it."""
        self.delete_source(source.id)
        row = {c: getattr(source, c) for c in _SOURCE_COLUMNS}  # asdict deep-copies: slow
        row["warnings"] = json.dumps(source.warnings)
        row["profile"] = json.dumps(source.profile, ensure_ascii=False, sort_keys=True)
        self._conn.execute(
            f"INSERT INTO sources ({_quoted(_SOURCE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_SOURCE_COLUMNS))})",
            [row[c] for c in _SOURCE_COLUMNS],
        )
        self._conn.executemany(
            'INSERT INTO units (source, idx, start, "end", kind, section, label) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(source.id, u.index, u.start, u.end, u.kind, u.section, u.label) for u in units],
        )
        self._conn.executemany(
            f"INSERT INTO statements ({_quoted(_STATEMENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_STATEMENT_COLUMNS))})",
            [_statement_row(s) for s in statements],
        )
        self._conn.execute(
            "INSERT INTO statements_fts (rowid, quote) "
            "SELECT rowid, quote FROM statements WHERE source = ?",
            (source.id,),
        )

    def statements(self, exclude: Iterable[str] = ()) -> list[Statement]:
        """Every statement written so far, but those of the ``exclude`` sources."""
        skip = set(exclude)
        self._conn.row_factory = sqlite3.Row
        try:
            return [s for s in load_statements(self._conn) if s.source not in skip]
        finally:
            self._conn.row_factory = None

    def texts(self, exclude: Iterable[str] = ()) -> dict[str, str]:
        """Source id → text of every source written so far, but the ``exclude`` ones."""
        skip = set(exclude)
        rows = self._conn.execute("SELECT id, text FROM sources ORDER BY id")
        return {sid: text for sid, text in rows if sid not in skip}

    def put_claims(self, claims: list[Claim], statements: list[Statement]) -> int:
        """Make the stored claims these, and point each statement at its claim, writing
        only what differs from what is stored: after a change to one source, the claims
        it touches (a full rebuild writes them all). Returns the claims written or deleted."""
        rows = [
            (c.id, c.claim_type, c.label, c.subject, c.relation, c.object, c.comparator,
             int(c.normalised), json.dumps(c.refines))
            for c in claims
        ]  # fmt: skip
        changed = self._replace_rows("claims", _CLAIM_COLUMNS, rows)
        query = "SELECT id, claim_id, claim FROM statements"
        links = {i: (claim_id, label) for i, claim_id, label in self._conn.execute(query)}
        self._conn.executemany(
            "UPDATE statements SET claim_id = ?, claim = ? WHERE id = ?",
            [(s.claim_id, s.claim, s.id) for s in statements
             if links.get(s.id) != (s.claim_id, s.claim)],
        )  # fmt: skip
        return changed

    def _replace_rows(
        self, table: str, columns: Sequence[str], rows: list[tuple], key_width: int = 1
    ) -> int:
        """Make ``table`` hold exactly ``rows`` (keyed by their first ``key_width``
        columns), deleting, inserting and replacing only the rows that differ; returns
        how many rows it deleted, inserted or replaced."""
        stored = {
            tuple(row[:key_width]): row
            for row in self._conn.execute(f"SELECT {_quoted(columns)} FROM {table}")
        }
        wanted = {tuple(row[:key_width]): tuple(row) for row in rows}
        where = " AND ".join(f'"{c}" = ?' for c in columns[:key_width])
        gone = list(stored.keys() - wanted.keys())
        changed = [row for key, row in wanted.items() if stored.get(key) != row]
        self._conn.executemany(f"DELETE FROM {table} WHERE {where}", gone)
        self._conn.executemany(
            f"INSERT OR REPLACE INTO {table} ({_quoted(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            changed,
        )
        return len(gone) + len(changed)

    def put_duplicates(self, pairs: Iterable[DuplicatePair]) -> None:
        """Make the stored near-duplicate pairs these (writing only the difference)."""
        rows = [
            (p.a, p.b, p.shingle_similarity, p.aligned, p.aligned_share, json.dumps(p.examples))
            for p in pairs
        ]
        self._replace_rows("duplicates", _DUPLICATE_COLUMNS, rows, key_width=2)

    def put_conflicts(self, conflicts: Iterable[Conflict]) -> int:
        """Make the stored conflicts these (writing only the difference); returns the
        conflicts written or deleted."""
        rows = [
            (c.id, c.kind, c.topic, json.dumps(c.claim_ids),
             json.dumps([asdict(s) for s in c.sides], ensure_ascii=False), c.detail)
            for c in conflicts
        ]  # fmt: skip
        return self._replace_rows("conflicts", _CONFLICT_COLUMNS, rows)

    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def set_skipped(self, skipped: Iterable[Skipped]) -> None:
        self._conn.execute("DELETE FROM skipped")
        self._conn.executemany(
            "INSERT OR REPLACE INTO skipped (path, reason) VALUES (?, ?)",
            [(s.path, s.reason) for s in skipped],
        )

    def set_meta(self, **values: str) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items())
        )

    def checkpoint(self) -> None:
        """Commit what is written so far (to the temporary file only)."""
        self._conn.commit()


def _statement_row(statement: Statement) -> list[Any]:
    # Attribute by attribute: dataclasses.asdict deep-copies, which cost more than the insert.
    row = [getattr(statement, c) for c in _STATEMENT_COLUMNS]
    row[_QUANTITIES_AT] = _json(statement.quantities)
    row[_QUALIFIERS_AT] = _json(statement.qualifiers)
    return row


def _json(value: Any) -> str:
    # Most statements have no quantities; json.dumps costs ~2 µs even on an empty list.
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()


@contextlib.contextmanager
def writer(path: Path, *, fresh: bool = False) -> Iterator[Writer]:
    """Open a writer on a copy of the store at ``path`` (or an empty one).

    On normal exit the copy replaces ``path`` atomically. On any exception, or if the
    process is killed, the copy is discarded and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(path)
    tmp.unlink(missing_ok=True)
    start_empty = fresh or not path.exists()
    if not start_empty:
        check_store(path)
    conn = sqlite3.connect(tmp)
    try:
        if start_empty:
            _create_schema(conn)
        else:
            source = _connect_ro(path)
            try:
                source.backup(conn)  # a consistent copy even if a reader is open
            finally:
                source.close()
        conn.execute("PRAGMA foreign_keys = ON")
        # The temporary file is disposable until the rename, so it need not survive a
        # power cut before then; the rename happens only after a full commit.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        yield Writer(path, conn, tmp)
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
