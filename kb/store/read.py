"""Reading a store: the loaders (``load_*``), full-text search and counts.

Each takes an open connection (kb.store.read_connection, or the writer's) and reads rows
by column name through kb.store.codecs, whatever the connection's row factory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.model import (
    Agreement,
    Claim,
    Conflict,
    Decision,
    DuplicatePair,
    Sentence,
    Skipped,
    Source,
    Stated,
    Statement,
)
from kb.store import codecs
from kb.store.files import read_connection
from kb.store.schema import (
    AGREEMENT_COLUMNS,
    CLAIM_COLUMNS,
    SOURCE_COLUMNS,
    SOURCE_COLUMNS_BUT_TEXT,
    STATEMENT_READ_COLUMNS,
    columns,
)


def select(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
    """The rows of ``sql`` as ``sqlite3.Row``s, which read by column name (the writer's
    connection gives plain tuples by default)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


def rows_in(
    conn: sqlite3.Connection,
    sql: str,
    column: str,
    values: list[Any],
    *,
    where: str = "",
    params: Sequence[Any] = (),
    tail: str = "",
) -> Iterator[sqlite3.Row]:
    """Rows of ``sql ... WHERE column IN (values) [AND where] [tail]``, with ``params``
    for ``where``, in chunks under SQLite's limit on parameters."""
    condition = f" AND {where}" if where else ""
    for chunk in range(0, len(values), 500):
        part = values[chunk : chunk + 500]
        marks = ", ".join("?" * len(part))
        yield from select(conn, f"{sql} WHERE {column} IN ({marks}){condition} {tail}",
                          [*part, *params])  # fmt: skip


# ---------------------------------------------------------------- by path, for a build


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
        rows = select(conn, "SELECT id, path, file_sha256 FROM sources").fetchall()
    return {r["id"]: StoredSource(r["id"], r["path"], r["file_sha256"]) for r in rows}


def stored_meta(path: Path) -> dict[str, str]:
    """The meta table of the store at ``path``; empty when there is none."""
    if not path.exists():
        return {}
    with read_connection(path) as conn:
        return load_meta(conn)


def load_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["key"]: r["value"] for r in select(conn, "SELECT key, value FROM meta")}


def load_skipped(conn: sqlite3.Connection) -> list[Skipped]:
    rows = select(conn, "SELECT path, reason FROM skipped ORDER BY path")
    return [codecs.decode_skipped(r) for r in rows]


def count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Number of sources, units, statements and claims."""
    tables = ("sources", "units", "statements", "claims")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


# ---------------------------------------------------------------- sources


def load_sources(conn: sqlite3.Connection, *, with_text: bool = False) -> list[Source]:
    """All sources ordered by id; ``text`` is left empty unless asked for (it is the bulk)."""
    names = SOURCE_COLUMNS if with_text else SOURCE_COLUMNS_BUT_TEXT
    rows = select(conn, f"SELECT {columns(names)} FROM sources ORDER BY id")
    return [codecs.decode_source(r) for r in rows]


def load_source_facets(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """The id, kind, site, url and date of every source, ordered by id: what a filter by
    source reads (decoding whole sources took 150 ms at 10,000)."""
    rows = select(conn, "SELECT id, kind, site, url, date FROM sources ORDER BY id")
    return [dict(r) for r in rows]


def load_sources_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> list[Source]:
    """The sources with these ids (text left empty), in the order given."""
    ids = list(dict.fromkeys(ids))
    sql = f"SELECT {columns(SOURCE_COLUMNS_BUT_TEXT)} FROM sources"
    found = {r["id"]: codecs.decode_source(r) for r in rows_in(conn, sql, "id", ids)}
    return [found[i] for i in ids if i in found]


def load_source(conn: sqlite3.Connection, source_id: str) -> Source | None:
    """The source with this id, with its text."""
    sql = f"SELECT {columns(SOURCE_COLUMNS)} FROM sources WHERE id = ?"
    row = select(conn, sql, (source_id,)).fetchone()
    return codecs.decode_source(row) if row else None


def load_units(conn: sqlite3.Connection, source_id: str) -> list[Sentence]:
    """The headings, sentences and items of one source; their text is cut from the source."""
    source = select(conn, "SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
    if source is None:
        return []
    rows = select(
        conn,
        'SELECT idx, start, "end", kind, section, label FROM units WHERE source = ? ORDER BY idx',
        (source_id,),
    )
    return [codecs.decode_unit(r, source["text"]) for r in rows]


# ---------------------------------------------------------------- statements


_STATEMENTS = f"SELECT {columns(STATEMENT_READ_COLUMNS)} FROM statements"
_READING_ORDER = 'ORDER BY source, start, "end"'


def load_statements(
    conn: sqlite3.Connection, source_id: str | None = None, *, exclude: Iterable[str] = ()
) -> list[Statement]:
    """Statements in reading order (source, then position), but those of the ``exclude``
    sources (left out before they are decoded)."""
    sql, params = _STATEMENTS, ()
    if source_id is not None:
        sql, params = f"{sql} WHERE source = ?", (source_id,)
    rows = select(conn, f"{sql} {_READING_ORDER}", params)
    skip = set(exclude)
    return [codecs.decode_statement(r) for r in rows if r["source"] not in skip]


def load_statements_by_id(conn: sqlite3.Connection, ids: list[str]) -> list[Statement]:
    """The statements with these ids, in the order given."""
    found = {s.id: s for s in map(codecs.decode_statement, rows_in(conn, _STATEMENTS, "id", ids))}
    return [found[i] for i in ids if i in found]


def load_statement_quotes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, quote) of every statement in reading order: what sentence vectors embed."""
    rows = select(conn, f"SELECT id, quote FROM statements {_READING_ORDER}")
    return [(r["id"], r["quote"]) for r in rows]


def load_stated(conn: sqlite3.Connection, claim_ids: Iterable[str]) -> list[Stated]:
    """The statements of the given claims grouped by what a check's verdict reads
    (polarity, certainty, quantity values), each group with its sources: a claim stated
    10,000 times comes back as a few rows, read from an index alone."""
    sql = (
        "SELECT claim_id, polarity, certainty, quantity_values, count(*) AS statements, "
        "json_group_array(source) AS sources FROM statements"
    )
    tail = "GROUP BY claim_id, polarity, certainty, quantity_values"
    rows = rows_in(conn, sql, "claim_id", list(dict.fromkeys(claim_ids)), tail=tail)
    return [codecs.decode_stated(r) for r in rows]


def load_statements_from(
    conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]
) -> list[Statement]:
    """The statements of each (claim id, source id) pair, in reading order, with what
    citing them needs (Statement.ref() and the claim id) and nothing else: a check cites
    thousands, and reading the rest took most of its time."""
    pairs = sorted(set(pairs))
    out = []
    for chunk in range(0, len(pairs), 250):  # two parameters a pair
        part = pairs[chunk : chunk + 250]
        rows = select(
            conn,
            f"SELECT {columns(codecs.CITED_COLUMNS, 's')} "
            f"FROM (VALUES {', '.join(['(?, ?)'] * len(part))}) AS wanted "
            "JOIN statements s ON s.claim_id = wanted.column1 AND s.source = wanted.column2",
            [value for pair in part for value in pair],
        )
        out += map(codecs.decode_cited, rows)
    return sorted(out, key=lambda s: (s.source, s.start, s.end, s.id))


def load_statements_saying(
    conn: sqlite3.Connection, claim_ids: Iterable[str], fragment: str
) -> Iterator[Statement]:
    """The statements of the given claims whose quote contains ``fragment`` (ASCII case
    ignored), one at a time: a caller that needs one stops reading there."""
    rows = rows_in(
        conn, _STATEMENTS, "claim_id", list(dict.fromkeys(claim_ids)),
        where="instr(lower(quote), ?) > 0", params=(fragment.lower(),),
    )  # fmt: skip
    return map(codecs.decode_statement, rows)


def count_matches(conn: sqlite3.Connection, query: str, cap: int) -> int:
    """How many statements an FTS5 ``query`` matches, counted up to ``cap`` (a count
    costs time in proportion to it)."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? LIMIT ?)",
        (query, cap),
    ).fetchone()[0]


def search_statements(conn: sqlite3.Connection, query: str, limit: int) -> list[Statement]:
    """The statements whose sentence best matches an FTS5 ``query`` (bm25 order)."""
    return [statement for statement, _ in search_ranked(conn, query, limit)]


def search_ranked(
    conn: sqlite3.Connection,
    query: str,
    limit: int,
    *,
    claim_type: str | None = None,
    source_ids: Sequence[str] | None = None,
) -> list[tuple[Statement, float]]:
    """The statements whose sentence best matches an FTS5 ``query``, each with its bm25
    rank (lower is better), optionally of one claim type and from ``source_ids`` only."""
    where, params = _statement_filter("s", claim_type, source_ids)
    rows = select(
        conn,
        f"SELECT {columns(STATEMENT_READ_COLUMNS, 's')}, bm25(statements_fts) AS rank "
        "FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
        f"WHERE statements_fts MATCH ?{where} ORDER BY rank LIMIT ?",
        (query, *params, limit),
    )
    return [(codecs.decode_statement(r), r["rank"]) for r in rows]


def _statement_filter(
    alias: str, claim_type: str | None, source_ids: Sequence[str] | None
) -> tuple[str, list[Any]]:
    """SQL conditions (each starting " AND") and their parameters on the statements
    ``alias``: of one claim type, from some sources (one JSON parameter, whatever their
    number)."""
    where, params = "", []
    if claim_type is not None:
        where += f" AND {alias}.claim_type = ?"
        params.append(claim_type)
    if source_ids is not None:
        where += f" AND {alias}.source IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(source_ids)))
    return where, params


def search_claim_labels(
    conn: sqlite3.Connection,
    words: Sequence[str],
    limit: int,
    *,
    claim_type: str | None = None,
    source_ids: Sequence[str] | None = None,
) -> list[Claim]:
    """The claims whose label holds every one of ``words`` (ASCII case ignored), most
    widely stated first; optionally of one type and stated by one of ``source_ids``."""
    if not words:
        return []
    where = " AND ".join(["c.label LIKE ? ESCAPE '\\'"] * len(words))
    params: list[Any] = [f"%{_like_escaped(w)}%" for w in words]
    if claim_type is not None:
        where += " AND c.claim_type = ?"
        params.append(claim_type)
    if source_ids is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM statements s WHERE s.claim_id = c.id "
            "AND s.source IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(list(source_ids)))
    rows = select(
        conn,
        f"SELECT {columns(CLAIM_COLUMNS, 'c')} FROM claims c "
        f"LEFT JOIN agreement a ON a.claim_id = c.id WHERE {where} "
        "ORDER BY a.sources DESC, c.label, c.id LIMIT ?",
        (*params, limit),
    )
    return [codecs.decode_claim(r, []) for r in rows]


def _like_escaped(word: str) -> str:
    r"""``word`` as a LIKE pattern matches it literally: "%" and "_" are wildcards there.

    >>> _like_escaped("50%_x")
    '50\\%\\_x'
    """
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------- claims and agreement


def load_claims(conn: sqlite3.Connection, *, statement_ids: bool = True) -> list[Claim]:
    """All claims, each with the ids of its statements in reading order (unless
    ``statement_ids`` is False: finding them reads every statement)."""
    members: dict[str, list[str]] = {}
    if statement_ids:
        rows = select(
            conn, f"SELECT claim_id, id FROM statements WHERE claim_id IS NOT NULL {_READING_ORDER}"
        )
        for row in rows:
            members.setdefault(row["claim_id"], []).append(row["id"])
    rows = select(conn, f"SELECT {columns(CLAIM_COLUMNS)} FROM claims ORDER BY id")
    return [codecs.decode_claim(r, members.get(r["id"], [])) for r in rows]


def load_claims_matching(
    conn: sqlite3.Connection, *, objects: Iterable[str] = (), ids: Iterable[str] = ()
) -> list[Claim]:
    """The claims about any of ``objects`` or with any of ``ids`` (statement_ids left empty)."""
    found: dict[str, Claim] = {}
    sql = f"SELECT {columns(CLAIM_COLUMNS)} FROM claims"
    for column, values in (("object", list(objects)), ("id", list(ids))):
        for row in rows_in(conn, sql, column, values):
            found[row["id"]] = codecs.decode_claim(row, [])
    return sorted(found.values(), key=lambda c: c.id)


def load_subject_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Each subject the KB's claims are about, with how many claims are about it."""
    rows = select(
        conn, "SELECT subject, COUNT(*) AS n FROM claims WHERE subject != '' GROUP BY subject"
    )
    return {row["subject"]: row["n"] for row in rows}


def load_agreement(conn: sqlite3.Connection) -> dict[str, Agreement]:
    """Claim id → its agreement figures, as the build stored them."""
    rows = select(conn, f"SELECT {columns(AGREEMENT_COLUMNS)} FROM agreement")
    return {a.claim_id: a for a in codecs.decode_agreements(rows)}


# ---------------------------------------------------------------- near-duplicates, conflicts


def load_duplicates(conn: sqlite3.Connection) -> list[DuplicatePair]:
    """Pairs of sources that copy or closely paraphrase each other."""
    rows = select(
        conn,
        "SELECT a, b, similarity, aligned, aligned_share, examples FROM duplicates ORDER BY a, b",
    )
    return [codecs.decode_duplicate(r) for r in rows]


def load_conflicts(conn: sqlite3.Connection) -> list[Conflict]:
    rows = select(
        conn,
        "SELECT id, kind, topic, claim_ids, sides, detail, confidence, status FROM conflicts "
        "ORDER BY kind, topic, id",
    )
    return [codecs.decode_conflict(r) for r in rows]


def load_conflict_quotes(
    conn: sqlite3.Connection, ids: Iterable[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Conflict id → statement id → Statement.ref() of the statements on its sides, as the
    build stored them, for the conflicts with these ids."""
    rows = rows_in(conn, "SELECT id, quotes FROM conflicts", "id", list(ids))
    return {r["id"]: codecs.decode_conflict_quotes(r) for r in rows}


def load_decisions(conn: sqlite3.Connection) -> list[Decision]:
    """The curator's decisions, in the order they were made."""
    return [codecs.decode_decision(r) for r in select(conn, _DECISIONS)]


_DECISIONS = "SELECT * FROM curation ORDER BY created, id"


def carried_decisions(path: Path) -> list[Decision]:
    """The decisions in the KB file at ``path`` whatever kb version made it (none when it
    has no curation table or is no SQLite file): what a build that must start a new
    store keeps."""
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        conn.row_factory = sqlite3.Row
        return [codecs.decode_decision(r) for r in conn.execute(_DECISIONS)]
    except sqlite3.Error:
        return []  # an earlier kb version's store, from before curation
    finally:
        conn.close()
