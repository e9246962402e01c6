"""The tables of a kb store: the SQL that makes them, their columns, and its version.

Every other module of the store names columns through the tuples here, so a column is
renamed or added in one place (with SCHEMA_VERSION, which a build compares to rebuild an
older store whole).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

APPLICATION_ID = 0x4B42_0001  # "KB" + 1: marks a SQLite file as a kb store
# 2: claims; 3: profiles, near-duplicates, conflicts, full-text index; 4: agreement per
# claim, the quotes of each conflict, statements' quantity values and the check's indexes;
# 5: each source's near-duplicate sketch and the candidate pairs the build compared;
# 6: each conflict's confidence, and the sources that oppose a claim in its agreement;
# 7: curation (a curator's decisions), each conflict's status, each source's DOI and, for a
# web page, when it was fetched, and the full-text index naming its content table as
# Datasette looks for it (content="statements")
SCHEMA_VERSION = 7

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT NOT NULL, encoding TEXT NOT NULL,
    title TEXT NOT NULL, author TEXT NOT NULL, site TEXT NOT NULL, url TEXT NOT NULL,
    date TEXT NOT NULL, doi TEXT NOT NULL, fetched TEXT NOT NULL, kind TEXT NOT NULL,
    file_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL,
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
    hedging TEXT NOT NULL, opposing TEXT NOT NULL, independent_affirming INTEGER NOT NULL,
    independent_negating INTEGER NOT NULL, independent_opposing INTEGER NOT NULL,
    independent INTEGER NOT NULL, consensus REAL,
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
    sides TEXT NOT NULL, detail TEXT NOT NULL, confidence REAL NOT NULL, quotes TEXT NOT NULL,
    status TEXT NOT NULL
);
-- A curator's decisions (kb.model.curation.Decision), applied by every build, in the
-- order they were made; selector: the quote selector of a statement decision (JSON).
-- A build that starts a new store (a new kb version) carries them over.
CREATE TABLE curation (
    id TEXT PRIMARY KEY, action TEXT NOT NULL, target TEXT NOT NULL, value TEXT NOT NULL,
    label TEXT NOT NULL, note TEXT NOT NULL, curator TEXT NOT NULL, created TEXT NOT NULL,
    status TEXT NOT NULL, selector TEXT NOT NULL, reading TEXT NOT NULL
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
-- Lexical retrieval for `kb check`: the words of every statement's sentence. content="..."
-- in double quotes: that text is how Datasette finds a table's full-text index (its detect_fts).
CREATE VIRTUAL TABLE statements_fts USING fts5(
    quote, content="statements", tokenize='porter unicode61'
);
"""

# Indexes that only readers use. A new store gets them once its rows are in: one sorted
# build each, instead of an update per statement inserted and per claim link written
# (at 10,000 sources: claim links 12.4 s -> 8.7 s, writing sources 23.2 s -> 20.9 s).
READ_INDEXES = """
-- The quotes a check shows: a claim's statements by one source.
CREATE INDEX statements_claim ON statements(claim_id, source, start);
-- What a check's verdicts read of a claim's statements, without the table (load_stated).
CREATE INDEX statements_stance
    ON statements(claim_id, polarity, certainty, quantity_values, source);
"""

# The columns of each table, as the SQL above makes them (tests/test_store.py holds them
# equal). Rows are read and written by these names, never by position.
SOURCE_COLUMNS = (
    "id", "path", "format", "encoding", "title", "author", "site", "url", "date", "doi",
    "fetched", "kind",
    "file_sha256", "sha256", "words", "warnings", "profile", "text",
)  # fmt: skip
UNIT_COLUMNS = ("source", "idx", "start", "end", "kind", "section", "label")
STATEMENT_COLUMNS = (
    "id", "source", "start", "end", "quote", "claim_type", "subject", "relation", "object",
    "polarity", "certainty", "attribution", "quantities", "qualifiers", "section", "label",
    "claim_id", "claim", "quantity_values",
)  # fmt: skip
CLAIM_COLUMNS = (
    "id", "claim_type", "label", "subject", "relation", "object", "comparator", "normalised",
    "refines",
)  # fmt: skip
AGREEMENT_COLUMNS = (
    "claim_id", "affirming", "negating", "hedging", "opposing", "independent_affirming",
    "independent_negating", "independent_opposing", "independent", "consensus", "sources",
    "statements", "certainty",
)  # fmt: skip
SKIPPED_COLUMNS = ("path", "reason")
DUPLICATE_COLUMNS = ("a", "b", "similarity", "aligned", "aligned_share", "examples")
CONFLICT_COLUMNS = (
    "id", "kind", "topic", "claim_ids", "sides", "detail", "confidence", "quotes", "status",
)  # fmt: skip
CURATION_COLUMNS = (
    "id", "action", "target", "value", "label", "note", "curator", "created", "status",
    "selector", "reading",
)  # fmt: skip
SKETCH_COLUMNS = ("source", "bands", "sentences")
COMPARED_COLUMNS = ("a", "b")
META_COLUMNS = ("key", "value")

TABLES = {
    "meta": META_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "units": UNIT_COLUMNS,
    "statements": STATEMENT_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "agreement": AGREEMENT_COLUMNS,
    "skipped": SKIPPED_COLUMNS,
    "duplicates": DUPLICATE_COLUMNS,
    "conflicts": CONFLICT_COLUMNS,
    "sketches": SKETCH_COLUMNS,
    "compared": COMPARED_COLUMNS,
    "curation": CURATION_COLUMNS,
}

# What the loaders read: a source without its text (the bulk of the table), and a
# statement without its quantity values (those are for grouping in SQL only).
SOURCE_COLUMNS_BUT_TEXT = tuple(c for c in SOURCE_COLUMNS if c != "text")
STATEMENT_READ_COLUMNS = tuple(c for c in STATEMENT_COLUMNS if c != "quantity_values")


def columns(names: Iterable[str], table: str = "") -> str:
    """A select list of ``names``, quoted ("end" is an SQL keyword); with ``table``, each
    qualified and named for itself, so that rows of a join read by the same names.

    >>> columns(["id", "end"]), columns(["id"], "s")
    ('"id", "end"', 's."id" AS "id"')
    """
    if table:
        return ", ".join(f'{table}."{c}" AS "{c}"' for c in names)
    return ", ".join(f'"{c}"' for c in names)


def insert(table: str, names: Iterable[str], *, replace: bool = False) -> str:
    """An INSERT of one row given as a mapping of column name → value.

    >>> insert("skipped", ["path", "reason"])
    'INSERT INTO skipped ("path", "reason") VALUES (:path, :reason)'
    """
    names = list(names)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    values = ", ".join(f":{c}" for c in names)
    return f"{verb} INTO {table} ({columns(names)}) VALUES ({values})"


def create(conn: sqlite3.Connection) -> None:
    """The tables of a new store; the writer adds READ_INDEXES once the rows are in."""
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()
