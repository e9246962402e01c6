"""The SQLite store of record. The only module that speaks SQL, always with parameters.

A store is a SQLite file whose ``application_id`` marks it as kb's and whose
``user_version`` is the schema version. Builds never write the live file: they write a
temporary file beside it and rename it into place when complete (``os.replace`` is
atomic on POSIX), so a build that is killed leaves the previous KB as it was.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import sqlite3
import stat
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kb import DISTRIBUTION
from kb.errors import (
    BuildError,
    DamagedKbError,
    KbNotFoundError,
    NotAKbError,
    SchemaVersionError,
    StorageError,
    describe_os_error,
)
from kb.model import (
    Agreement,
    Claim,
    Conflict,
    DuplicatePair,
    Sentence,
    Sketch,
    Skipped,
    Source,
    Stated,
    Statement,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "StoredSource",
    "Writer",
    "build_lock",
    "check_store",
    "kb_file",
    "read_connection",
    "stored_hashes",
    "writer",
]

APPLICATION_ID = 0x4B42_0001  # "KB" + 1: marks a SQLite file as a kb store
# 2: claims; 3: profiles, near-duplicates, conflicts, full-text index; 4: agreement per
# claim, the quotes of each conflict, statements' quantity values and the check's indexes;
# 5: each source's near-duplicate sketch and the candidate pairs the build compared
SCHEMA_VERSION = 5
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
-- quantity_values: the quantities without their text and offsets, what a check's verdict
-- compares, so that statements alike in it group in SQL (see load_stated).
CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote TEXT NOT NULL,
    claim_type TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL,
    object TEXT NOT NULL, polarity TEXT NOT NULL, certainty TEXT NOT NULL,
    attribution TEXT NOT NULL, quantities TEXT NOT NULL, qualifiers TEXT NOT NULL,
    section TEXT NOT NULL, label TEXT NOT NULL, claim_id TEXT, claim TEXT,
    quantity_values TEXT NOT NULL
);
CREATE INDEX statements_source ON statements(source, start);
CREATE TABLE claims (
    id TEXT PRIMARY KEY, claim_type TEXT NOT NULL, label TEXT NOT NULL,
    subject TEXT NOT NULL, relation TEXT NOT NULL, object TEXT NOT NULL,
    comparator TEXT NOT NULL, normalised INTEGER NOT NULL, refines TEXT NOT NULL
);
CREATE INDEX claims_object ON claims(object);
-- kb.analyze.agreement of each claim, made by the build: listing the claims of a large
-- KB would otherwise read every statement. Lists and the certainty mix are JSON.
CREATE TABLE agreement (
    claim_id TEXT PRIMARY KEY, affirming TEXT NOT NULL, negating TEXT NOT NULL,
    hedging TEXT NOT NULL, independent_affirming INTEGER NOT NULL,
    independent_negating INTEGER NOT NULL, independent INTEGER NOT NULL, consensus REAL,
    sources INTEGER NOT NULL, statements INTEGER NOT NULL, certainty TEXT NOT NULL
);
CREATE TABLE skipped (path TEXT PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE duplicates (
    a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL, aligned INTEGER NOT NULL,
    aligned_share REAL NOT NULL, examples TEXT NOT NULL, PRIMARY KEY (a, b)
);
-- quotes: Statement.ref() of every statement on its sides, so that listing conflicts
-- reads one table.
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, topic TEXT NOT NULL, claim_ids TEXT NOT NULL,
    sides TEXT NOT NULL, detail TEXT NOT NULL, quotes TEXT NOT NULL
);
-- kb.analyze.independence.Sketch of each source: band keys (big-endian uint64s) and the content
-- words of its sentences (a line each), so that a rebuild reads them, not every text.
CREATE TABLE sketches (
    source TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    bands BLOB NOT NULL, sentences TEXT NOT NULL
) WITHOUT ROWID;
-- The candidate pairs of sources the build compared (those that are near-duplicates are
-- in duplicates): a rebuild compares again only pairs with a changed source, or new ones.
CREATE TABLE compared (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
-- Lexical retrieval for `kb check`: the words of every statement's sentence.
CREATE VIRTUAL TABLE statements_fts USING fts5(
    quote, content='statements', tokenize='porter unicode61'
);
"""

_SOURCE_COLUMNS = (
    "id", "path", "format", "encoding", "title", "author", "site", "url", "date", "kind",
    "file_sha256", "sha256", "words", "warnings", "profile", "text",
)  # fmt: skip
# Statement's fields, in its order: rows are decoded by position.
_STATEMENT_COLUMNS = tuple(f.name for f in fields(Statement))
_STATEMENT_ROW = (*_STATEMENT_COLUMNS, "quantity_values")  # what is written
_DUPLICATE_COLUMNS = ("a", "b", "similarity", "aligned", "aligned_share", "examples")
_CONFLICT_COLUMNS = ("id", "kind", "topic", "claim_ids", "sides", "detail", "quotes")
_AGREEMENT_COLUMNS = (
    "claim_id", "affirming", "negating", "hedging", "independent_affirming",
    "independent_negating", "independent", "consensus", "sources", "statements", "certainty",
)  # fmt: skip
_AGREEMENT_LISTS = ("affirming", "negating", "hedging", "certainty")
_SOURCE_AT = _STATEMENT_COLUMNS.index("source")
_QUANTITIES_AT = _STATEMENT_COLUMNS.index("quantities")
_QUALIFIERS_AT = _STATEMENT_COLUMNS.index("qualifiers")


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


# ---------------------------------------------------------------- opening and checking


# SQLite's result codes for what the file system refused, as the errno they stand for.
_SQLITE_ERRNO = (
    ("SQLITE_FULL", errno.ENOSPC),
    ("SQLITE_IOERR", errno.EIO),
    ("SQLITE_READONLY", errno.EACCES),
    ("SQLITE_CANTOPEN", errno.EACCES),
    ("SQLITE_PERM", errno.EACCES),
)
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


@contextlib.contextmanager
def _storage_errors(path: Path, action: str, then: str = "") -> Iterator[None]:
    """Turn what the file system or SQLite refuses about the KB at ``path`` into one kb
    error that says what happened and what to do; ``action`` is "read" or "write",
    ``then`` what became of the KB. Other errors pass through."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(_DAMAGED):
            raise DamagedKbError(
                f"{path} is damaged ({exc}); remove it (or move it away) and run `kb build` "
                "to make it again"
            ) from None
        code = next((code for prefix, code in _SQLITE_ERRNO if name.startswith(prefix)), None)
        if code is None:
            raise
        problem = describe_os_error(OSError(code, str(exc)))
        raise StorageError(f"cannot {action} {path} ({exc}): {problem}{then}") from None
    except OSError as exc:
        problem = describe_os_error(exc)
        if problem is None:
            raise
        raise StorageError(f"cannot {action} {path}: {problem}{then}") from None


def kb_file(path: Path) -> Path:
    """The file a KB path names: a symbolic link's target, so that a build replaces the
    real file, not the link (which would leave the file it points to stale)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_store(path: Path) -> None:
    """Raise unless ``path`` is a kb store this version can read.

    A missing file, a file that is not SQLite, a SQLite file that is not kb's and a
    store from a newer kb each get their own one-line error; so do a path the file
    system refuses (a name too long, no permission).
    """
    with _storage_errors(path, "read"):
        _check_store(path)


def _check_store(path: Path) -> None:
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
            f"{SCHEMA_VERSION}); upgrade kb with `pip install -U {DISTRIBUTION}`",
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
    with _storage_errors(path, "read"):
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


def _decode_source(row: Sequence[Any], with_text: bool) -> Source:
    # By position, so that any connection's rows decode (the writer's are plain tuples).
    data = dict(zip(_SOURCE_COLUMNS, row, strict=False))
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


def load_sources_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> list[Source]:
    """The sources with these ids (text left empty), in the order given."""
    ids = list(dict.fromkeys(ids))
    select = f"SELECT {_quoted(_SOURCE_COLUMNS[:-1])} FROM sources"
    found = {r["id"]: _decode_source(r, False) for r in _rows_in(conn, select, "id", ids)}
    return [found[i] for i in ids if i in found]


def load_source(conn: sqlite3.Connection, source_id: str) -> Source | None:
    row = conn.execute(
        f"SELECT {_quoted(_SOURCE_COLUMNS)} FROM sources WHERE id = ?", (source_id,)
    ).fetchone()
    return _decode_source(row, True) if row else None


def load_statements(
    conn: sqlite3.Connection, source_id: str | None = None, *, exclude: Iterable[str] = ()
) -> list[Statement]:
    """Statements in reading order (source, then position), but those of the ``exclude``
    sources (left out before they are decoded)."""
    sql = f"SELECT {_quoted(_STATEMENT_COLUMNS)} FROM statements"
    params: tuple[Any, ...] = ()
    if source_id is not None:
        sql += " WHERE source = ?"
        params = (source_id,)
    rows = conn.execute(sql + ' ORDER BY source, start, "end"', params)
    skip = set(exclude)
    return [_decode_statement(row) for row in rows if row[_SOURCE_AT] not in skip]


def _decode_statement(row: Sequence[Any]) -> Statement:
    # By position (_STATEMENT_COLUMNS are Statement's fields, in order): a dict per row
    # was a third of reading 283,000 statements back.
    values = list(row)
    values[_QUANTITIES_AT] = _from_json(values[_QUANTITIES_AT])
    values[_QUALIFIERS_AT] = _qualifiers(values[_QUALIFIERS_AT])
    return Statement(*values)


@functools.lru_cache(maxsize=4096)
def _parsed_flat(text: str) -> tuple[tuple[str, Any], ...] | None:
    """The items of a JSON object whose values are all immutable, else None."""
    value = json.loads(text)
    if all(isinstance(v, str | int | float | bool | None) for v in value.values()):
        return tuple(value.items())
    return None


def _qualifiers(text: str) -> dict[str, Any]:
    """A statement's qualifiers. Most are one of a few objects of plain values
    ('{"normalised": false}' for 140,000 of 283,000 statements at 10,000 sources), parsed
    once each; every statement still gets a dict of its own."""
    items = _parsed_flat(text) if len(text) < 80 else None
    return dict(items) if items is not None else json.loads(text)


_CLAIM_COLUMNS = (
    "id", "claim_type", "label", "subject", "relation", "object", "comparator", "normalised",
    "refines",
)  # fmt: skip


def load_claims(conn: sqlite3.Connection, *, statement_ids: bool = True) -> list[Claim]:
    """All claims, each with the ids of its statements in reading order (unless
    ``statement_ids`` is False: finding them reads every statement)."""
    members: dict[str, list[str]] = {}
    if statement_ids:
        rows = conn.execute(
            "SELECT claim_id, id FROM statements WHERE claim_id IS NOT NULL "
            'ORDER BY source, start, "end"'
        )
        for row in rows:
            members.setdefault(row[0], []).append(row[1])
    rows = conn.execute(f"SELECT {_quoted(_CLAIM_COLUMNS)} FROM claims ORDER BY id")
    return [_decode_claim(row, members.get(row[0], [])) for row in rows]


def _decode_claim(row: Sequence[Any], statement_ids: list[str]) -> Claim:
    # By position: building a dict per row was most of listing 9,000 claims.
    return Claim(*(row[i] for i in range(7)), normalised=bool(row[7]),
                 refines=_from_json(row[8]), statement_ids=statement_ids)  # fmt: skip


def _rows_in(
    conn: sqlite3.Connection,
    select: str,
    column: str,
    values: list[Any],
    *,
    where: str = "",
    params: Sequence[Any] = (),
    tail: str = "",
) -> Iterator[sqlite3.Row]:
    """Rows of ``select ... WHERE column IN (values) [AND where] [tail]``, with ``params``
    for ``where``, in chunks under SQLite's limit on parameters."""
    condition = f" AND {where}" if where else ""
    for chunk in range(0, len(values), 500):
        part = values[chunk : chunk + 500]
        marks = ", ".join("?" * len(part))
        yield from conn.execute(
            f"{select} WHERE {column} IN ({marks}){condition} {tail}", [*part, *params]
        )


def load_claims_matching(
    conn: sqlite3.Connection, *, objects: Iterable[str] = (), ids: Iterable[str] = ()
) -> list[Claim]:
    """The claims about any of ``objects`` or with any of ``ids`` (statement_ids left empty)."""
    found: dict[str, Claim] = {}
    select = f"SELECT {_quoted(_CLAIM_COLUMNS)} FROM claims"
    for column, values in (("object", list(objects)), ("id", list(ids))):
        for row in _rows_in(conn, select, column, values):
            found[row[0]] = _decode_claim(row, [])
    return sorted(found.values(), key=lambda c: c.id)


def load_stated(conn: sqlite3.Connection, claim_ids: Iterable[str]) -> list[Stated]:
    """The statements of the given claims grouped by what a check's verdict reads
    (polarity, certainty, quantity values), each group with its sources: a claim stated
    10,000 times comes back as a few rows, read from an index alone."""
    select = (
        "SELECT claim_id, polarity, certainty, quantity_values, count(*), "
        "json_group_array(source) FROM statements"
    )
    tail = "GROUP BY claim_id, polarity, certainty, quantity_values"
    values: dict[str, list[dict[str, Any]]] = {}  # few distinct ones: decoded once each
    out = []
    for claim_id, polarity, certainty, quantities, count, sources in _rows_in(
        conn, select, "claim_id", list(dict.fromkeys(claim_ids)), tail=tail
    ):
        if quantities not in values:
            values[quantities] = json.loads(quantities)
        out.append(
            Stated(claim_id, polarity, certainty, values[quantities], count,
                   frozenset(json.loads(sources)))
        )  # fmt: skip
    return out


_CITED_COLUMNS = ("id", "source", "quote", "start", "end", "polarity", "certainty", "quantities",
                  "claim_id")  # fmt: skip


def load_statements_from(
    conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]
) -> list[Statement]:
    """The statements of each (claim id, source id) pair, in reading order, with what
    citing them needs (Statement.ref() and the claim id) and nothing else: a check cites
    thousands, and reading the rest took most of its time."""
    pairs = sorted(set(pairs))
    columns = ", ".join(f's."{c}"' for c in _CITED_COLUMNS)
    out = []
    for chunk in range(0, len(pairs), 250):  # two parameters a pair
        part = pairs[chunk : chunk + 250]
        rows = conn.execute(
            f"SELECT {columns} FROM (VALUES {', '.join(['(?, ?)'] * len(part))}) AS wanted "
            "JOIN statements s ON s.claim_id = wanted.column1 AND s.source = wanted.column2",
            [value for pair in part for value in pair],
        )
        for sid, source, quote, start, end, polarity, certainty, quantities, claim_id in rows:
            out.append(
                Statement(sid, source, quote, start, end, polarity=polarity, certainty=certainty,
                          quantities=_from_json(quantities), claim_id=claim_id)
            )  # fmt: skip
    return sorted(out, key=lambda s: (s.source, s.start, s.end, s.id))


def load_statements_saying(
    conn: sqlite3.Connection, claim_ids: Iterable[str], fragment: str
) -> Iterator[Statement]:
    """The statements of the given claims whose quote contains ``fragment`` (ASCII case
    ignored), one at a time: a caller that needs one stops reading there."""
    select = f"SELECT {_quoted(_STATEMENT_COLUMNS)} FROM statements"
    rows = _rows_in(
        conn, select, "claim_id", list(dict.fromkeys(claim_ids)),
        where="instr(lower(quote), ?) > 0", params=(fragment.lower(),),
    )  # fmt: skip
    return map(_decode_statement, rows)


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
        DuplicatePair(a, b, similarity, aligned, share,
                      tuple(tuple(map(tuple, e)) for e in json.loads(examples)))
        for a, b, similarity, aligned, share, examples in rows
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


def load_conflict_quotes(
    conn: sqlite3.Connection, ids: Iterable[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Conflict id → statement id → Statement.ref() of the statements on its sides, as the
    build stored them, for the conflicts with these ids."""
    rows = _rows_in(conn, "SELECT id, quotes FROM conflicts", "id", list(ids))
    return {cid: {ref["id"]: ref for ref in json.loads(quotes)} for cid, quotes in rows}


def load_agreement(conn: sqlite3.Connection) -> dict[str, Agreement]:
    """Claim id → its agreement figures, as the build stored them."""
    rows = conn.execute(f"SELECT {_quoted(_AGREEMENT_COLUMNS)} FROM agreement").fetchall()
    at = [_AGREEMENT_COLUMNS.index(name) for name in _AGREEMENT_LISTS]
    # One json.loads for the lists of every claim: per call, its overhead was most of
    # the time for 9,000 claims. Each stored text is JSON, so their join is too.
    lists = json.loads(
        "[" + ",".join("[" + ",".join(row[i] for i in at) + "]" for row in rows) + "]"
    )
    out = {}
    for row, decoded in zip(rows, lists, strict=True):
        values = list(row)
        for i, value in zip(at, decoded, strict=True):
            values[i] = value
        out[row[0]] = Agreement(*values)
    return out


def count_matches(conn: sqlite3.Connection, query: str, cap: int) -> int:
    """How many statements an FTS5 ``query`` matches, counted up to ``cap`` (a count
    costs time in proportion to it)."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? LIMIT ?)",
        (query, cap),
    ).fetchone()[0]


def search_statements(conn: sqlite3.Connection, query: str, limit: int) -> list[Statement]:
    """The statements whose sentence best matches an FTS5 ``query`` (bm25 order)."""
    columns = ", ".join(f's."{c}"' for c in _STATEMENT_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns} FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
        "WHERE statements_fts MATCH ? ORDER BY bm25(statements_fts) LIMIT ?",
        (query, limit),
    )
    return [_decode_statement(row) for row in rows]


def load_statement_quotes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, quote) of every statement in reading order: what sentence vectors embed."""
    return conn.execute('SELECT id, quote FROM statements ORDER BY source, start, "end"').fetchall()


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

    with _storage_errors(path, "write", _UNCHANGED):
        path = kb_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = path.with_name(path.name + ".lock")
        with lock_path.open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildError(
                    f"another kb build is writing {path}; wait for it to finish and try again"
                ) from None
            _refuse_read_only(path)
            _remove_stale_tmp(path)  # safe now: no other build can be writing
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


_UNCHANGED = "; the KB was not changed"


def _refuse_read_only(path: Path) -> None:
    """A KB made read-only (chmod 444) is one its owner wants kept as it is."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise StorageError(
            f"{path} is read-only (mode {stat.S_IMODE(mode):04o}); make it writable "
            f"(chmod u+w {path}) to rebuild it, or build another KB with --kb PATH"
        )
    if not os.access(path, os.W_OK):
        raise OSError(errno.EACCES, "Permission denied", str(path))


def _keep_mode(old: Path, new: Path) -> None:
    """Give ``new`` the permissions (and, where allowed, the owner) of ``old``: a
    rebuild must not widen a private KB (0600) to the default 0644."""
    try:
        st = os.stat(old)
    except FileNotFoundError:
        return
    os.chmod(new, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(new, st.st_uid, st.st_gid)


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
        self, source: Source, units: list[Sentence], statements: list[Statement], sketch: Sketch
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
            f"INSERT INTO statements ({_quoted(_STATEMENT_ROW)}) "
            f"VALUES ({', '.join('?' * len(_STATEMENT_ROW))})",
            [_statement_row(s) for s in statements],
        )
        self._conn.execute(
            "INSERT INTO statements_fts (rowid, quote) "
            "SELECT rowid, quote FROM statements WHERE source = ?",
            (source.id,),
        )
        self._conn.execute(
            "INSERT INTO sketches (source, bands, sentences) VALUES (?, ?, ?)",
            (source.id, *_encode_sketch(sketch)),
        )

    def sketches(self, exclude: Iterable[str] = ()) -> Iterator[tuple[str, Sketch]]:
        """(source id, sketch) of every source written so far but the ``exclude`` ones,
        one at a time: 10,000 sketches held at once take 268 MB, packed into
        kb.analyze.independence.Candidates as they come, 40 MB."""
        skip = set(exclude)
        rows = self._conn.execute("SELECT source, bands, sentences FROM sketches ORDER BY source")
        for sid, bands, sentences in rows:
            if sid not in skip:
                yield sid, _decode_sketch(bands, sentences)

    def sources(self, ids: Iterable[str]) -> list[Source]:
        """The written sources with these ids, with their text, in the order given."""
        return [s for s in map(functools.partial(load_source, self._conn), ids) if s]

    def compared(self) -> set[tuple[str, str]]:
        """The candidate pairs the last build compared."""
        return set(self._conn.execute("SELECT a, b FROM compared"))

    def duplicates(self) -> dict[tuple[str, str], DuplicatePair]:
        """The stored near-duplicate pairs, by (a, b)."""
        return {(p.a, p.b): p for p in load_duplicates(self._conn)}

    def statements(self, exclude: Iterable[str] = ()) -> list[Statement]:
        """Every statement written so far, but those of the ``exclude`` sources."""
        return load_statements(self._conn, exclude=exclude)

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Source id → text of the sources ``ids`` that are written."""
        rows = _rows_in(self._conn, "SELECT id, text FROM sources", "id", sorted(set(ids)))
        return dict(rows)

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

    def put_duplicates(
        self, pairs: Iterable[DuplicatePair], compared: Iterable[tuple[str, str]]
    ) -> None:
        """Make the stored near-duplicate pairs these, and the compared candidate pairs
        ``compared`` (writing only the difference)."""
        rows = [
            (p.a, p.b, p.shingle_similarity, p.aligned, p.aligned_share, json.dumps(p.examples))
            for p in pairs
        ]
        self._replace_rows("duplicates", _DUPLICATE_COLUMNS, rows, key_width=2)
        self._replace_rows("compared", ("a", "b"), list(compared), key_width=2)

    def put_conflicts(self, conflicts: list[Conflict], statements: Iterable[Statement]) -> int:
        """Make the stored conflicts these, each with the quotes of its sides from
        ``statements`` (writing only the difference); returns the conflicts written or
        deleted."""
        quoted = {i for c in conflicts for side in c.sides for i in side.statement_ids}
        refs = {s.id: s.ref() for s in statements if s.id in quoted}
        rows = []
        for c in conflicts:
            ids = dict.fromkeys(i for side in c.sides for i in side.statement_ids)
            quotes = [refs[i] for i in ids if i in refs]
            rows.append(
                (c.id, c.kind, c.topic, json.dumps(c.claim_ids),
                 json.dumps([asdict(s) for s in c.sides], ensure_ascii=False), c.detail,
                 json.dumps(quotes, ensure_ascii=False))
            )  # fmt: skip
        return self._replace_rows("conflicts", _CONFLICT_COLUMNS, rows)

    def put_agreement(self, stands: Iterable[Agreement]) -> None:
        """Make the stored agreement figures these (writing only the difference)."""
        rows = [
            (a.claim_id, json.dumps(a.affirming, ensure_ascii=False),
             json.dumps(a.negating, ensure_ascii=False), json.dumps(a.hedging, ensure_ascii=False),
             a.independent_affirming, a.independent_negating, a.independent, a.consensus,
             a.sources, a.statements, json.dumps(a.certainty))
            for a in stands
        ]  # fmt: skip
        self._replace_rows("agreement", _AGREEMENT_COLUMNS, rows)

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


def _encode_sketch(sketch: Sketch) -> tuple[bytes, str]:
    """The ``sketches`` row of a sketch (``_decode_sketch`` reads it back).

    >>> bands, words = _encode_sketch(Sketch((1, 2), (("minut", "needl"), ("place",))))
    >>> bands.hex(), words
    ('00000000000000010000000000000002', 'minut needl\\nplace')
    """
    bands = struct.pack(f">{len(sketch.bands)}Q", *sketch.bands)
    return bands, "\n".join(" ".join(words) for words in sketch.sentences)


def _decode_sketch(bands: bytes, sentences: str) -> Sketch:
    return Sketch(
        bands=struct.unpack(f">{len(bands) // 8}Q", bands),
        sentences=tuple(tuple(line.split(" ")) for line in sentences.split("\n"))
        if sentences
        else (),
    )


def _statement_row(statement: Statement) -> list[Any]:
    # Attribute by attribute: dataclasses.asdict deep-copies, which cost more than the insert.
    row = [getattr(statement, c) for c in _STATEMENT_COLUMNS]
    row[_QUANTITIES_AT] = _json(statement.quantities)
    row[_QUALIFIERS_AT] = _json(statement.qualifiers)
    row.append(_json(quantity_values(statement.quantities)))
    return row


def quantity_values(quantities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quantities without their text and offsets: equal for "20 minutes" in two sources.

    >>> quantity_values([{"text": "20 min", "start": 9, "end": 15, "low": 20.0}])
    [{'text': '', 'start': 0, 'end': 0, 'low': 20.0}]
    """
    return [{**q, "text": "", "start": 0, "end": 0} for q in quantities]


def _from_json(text: str) -> Any:
    return [] if text == "[]" else json.loads(text)  # most statements have no quantities


def _json(value: Any) -> str:
    # Most statements have no quantities; json.dumps costs ~2 µs even on an empty list.
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


# Indexes that only readers use. A new store gets them once its rows are in: one sorted
# build each, instead of an update per statement inserted and per claim link written
# (at 10,000 sources: claim links 12.4 s -> 8.7 s, writing sources 23.2 s -> 20.9 s).
_READ_INDEXES = """
-- The quotes a check shows: a claim's statements by one source.
CREATE INDEX statements_claim ON statements(claim_id, source, start);
-- What a check's verdicts read of a claim's statements, without the table (load_stated).
CREATE INDEX statements_stance
    ON statements(claim_id, polarity, certainty, quantity_values, source);
"""


def _create_schema(conn: sqlite3.Connection) -> None:
    """The tables of a new store; the writer adds _READ_INDEXES once the rows are in."""
    conn.executescript(_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()


@contextlib.contextmanager
def writer(path: Path, *, fresh: bool = False) -> Iterator[Writer]:
    """Open a writer on a copy of the store at ``path`` (or an empty one).

    On normal exit the copy replaces ``path`` atomically, with the old file's mode; a
    symbolic link is followed, so the file it points to is the one replaced. On any
    exception, or if the process is killed, the copy is discarded and ``path`` is
    untouched. A read-only KB is refused, and what the file system refuses (no space,
    no permission) is one StorageError.
    """
    path = kb_file(path)
    with _storage_errors(path, "write", _UNCHANGED):
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_read_only(path)
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
            # The temporary file is disposable until the rename, so it need not survive
            # a power cut before then; the rename happens only after a full commit.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            yield Writer(path, conn, tmp)
            if start_empty:
                conn.executescript(_READ_INDEXES)
            conn.commit()
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.close()
            _keep_mode(path, tmp)
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
