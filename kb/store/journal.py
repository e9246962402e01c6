"""The resume journal: what a build has read so far, kept beside the KB until the build
ends, so that a build stopped midway — Ctrl+C, a killed process, a lost Dask cluster — is
resumed by the next one instead of started over.

A build writes the KB into a temporary copy and renames it into place only when it has
finished, so a stopped build leaves the previous KB as it was; that copy is discarded with
everything read into it. The journal keeps the per-document results (a source, its units,
statements and sketch: what kb.process makes of one file) in a file of its own,
``.<kb name>.resume`` next to the KB, committed every few documents. The next build takes
a file's results from it when the file has the same bytes and the kb version, per-document
stages and lexicon are the ones that made them (the ``stamp``); a journal with another
stamp is emptied. A build that ends deletes it.

Results are stored as the KB's own codecs encode them (JSON, compressed: zlib at level 1
makes a document's 26 KB 3.7 times smaller for 0.4 ms), in the order they were made, so a
resumed build writes the same KB as one that was never stopped.

Example::

    with open_journal(kb_path, stamp) as journal:
        read = journal.get("001_acupuncture", digest)  # None when not read before
        journal.put("001_acupuncture", digest, Journaled(source, units, statements, sketch))
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import StorageError
from kb.model import Sentence, Sketch, Source, Statement
from kb.store import codecs

__all__ = [
    "COMMIT_EVERY",
    "Journal",
    "Journaled",
    "discard_journal",
    "journal_path",
    "journal_size",
    "open_journal",
]

# Documents between commits: what a stop loses at most, against a commit's cost.
COMMIT_EVERY = 50
# How documents are stored here; part of the stamp, so another layout is never decoded.
_FORMAT = "kb journal 2 (zlib JSON)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stamp (value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    document BLOB NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Journaled:
    """What the per-document stages made of one file (kb.stages.Document's results)."""

    source: Source
    units: list[Sentence]
    statements: list[Statement]
    sketch: Sketch


def journal_path(kb_path: Path) -> Path:
    """Where the journal of builds of ``kb_path`` is kept: hidden, next to it."""
    return kb_path.with_name(f".{kb_path.name}.resume")


def journal_size(kb_path: Path) -> int:
    """How many sources' results the journal of ``kb_path``'s builds holds (0 without one):
    what the next build may take from it rather than read again."""
    path = journal_path(kb_path)
    if not path.is_file():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def discard_journal(kb_path: Path) -> None:
    """Delete the journal of ``kb_path``'s builds (a build that ended needs it no more)."""
    journal_path(kb_path).unlink(missing_ok=True)


class Journal:
    """The per-document results of builds that did not end, by source id and file digest."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._unsaved = 0

    def held(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (source id, digest) the journal holds results for."""
        stored = set(self._conn.execute("SELECT source, digest FROM documents"))
        return stored.intersection(keys)

    def get(self, source_id: str, digest: str) -> Journaled | None:
        """The results of reading ``source_id`` when it had content hash ``digest``."""
        row = self._conn.execute(
            "SELECT document FROM documents WHERE source = ? AND digest = ?", (source_id, digest)
        ).fetchone()
        return None if row is None else _decode(json.loads(zlib.decompress(row[0])))

    def put(self, source_id: str, digest: str, read: Journaled) -> None:
        """Keep ``read``, the results of reading ``source_id`` at ``digest``; saved at the
        latest with the COMMIT_EVERY-th document after it."""
        self._conn.execute(
            "INSERT OR REPLACE INTO documents (source, digest, document) VALUES (?, ?, ?)",
            (source_id, digest, zlib.compress(json.dumps(_encode(read)).encode(), 1)),
        )
        self._unsaved += 1
        if self._unsaved >= COMMIT_EVERY:
            self.save()

    def clear(self) -> None:
        """Forget every result held (a build that reads everything again)."""
        self._conn.execute("DELETE FROM documents")
        self.save()

    def save(self) -> None:
        self._conn.commit()
        self._unsaved = 0


@contextlib.contextmanager
def open_journal(kb_path: Path, stamp: str) -> Iterator[Journal]:
    """The journal of ``kb_path``'s builds, emptied first if another ``stamp`` (other
    per-document stages or lexicon) made it; what was put is saved on leaving, however
    the build leaves. A journal kb cannot open or read is started afresh."""
    path = journal_path(kb_path)
    try:
        conn = _connect(path, stamp)
    except sqlite3.DatabaseError:  # not a journal (truncated by a crash, or another file)
        path.unlink(missing_ok=True)
        conn = _connect(path, stamp)
    try:
        journal = Journal(conn)
        yield journal
    finally:
        # A journal that cannot be saved (a full disk) only means a slower next build.
        with contextlib.suppress(sqlite3.Error):
            conn.commit()
        conn.close()


def _connect(path: Path, stamp: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path)
    except sqlite3.OperationalError as exc:
        raise StorageError(f"cannot write {path}: {exc}; check the folder's permissions") from None
    try:
        # A journal only spares reading files again: losing its last commit to a power
        # cut costs that, not a KB.
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        stamp = f"{_FORMAT} {stamp}"
        stored = conn.execute("SELECT value FROM stamp").fetchone()
        if stored is None or stored[0] != stamp:
            conn.execute("DELETE FROM documents")
            conn.execute("DELETE FROM stamp")
            conn.execute("INSERT INTO stamp (value) VALUES (?)", (stamp,))
            conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def _encode(read: Journaled) -> dict[str, Any]:
    source = read.source
    return {
        "source": codecs.encode_source(source),
        "units": [codecs.encode_unit(source.id, u) for u in read.units],
        "statements": [codecs.encode_statement(s) for s in read.statements],
        "sketch": [list(read.sketch.bands), [list(s) for s in read.sketch.sentences]],
    }


def _decode(data: dict[str, Any]) -> Journaled:
    source = codecs.decode_source(data["source"])
    bands, sentences = data["sketch"]
    return Journaled(
        source=source,
        units=[codecs.decode_unit(u, source.text) for u in data["units"]],
        statements=[codecs.decode_statement(s) for s in data["statements"]],
        sketch=Sketch(bands=tuple(bands), sentences=tuple(tuple(s) for s in sentences)),
    )
