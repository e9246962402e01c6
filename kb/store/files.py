"""The KB file: what it must be to be read, and how a new version replaces it safely.

A store is a SQLite file whose ``application_id`` marks it as kb's and whose
``user_version`` is the schema version. Builds never write the live file: they write a
temporary file beside it and rename it into place when complete (``os.replace`` is
atomic on POSIX), so a build that is killed leaves the previous KB as it was. What the
file system or SQLite refuses becomes one kb error that says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

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
from kb.store.schema import APPLICATION_ID, SCHEMA_VERSION

_SQLITE_MAGIC = b"SQLite format 3\x00"
UNCHANGED = "; the KB was not changed"

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
def storage_errors(path: Path, action: str, then: str = "") -> Iterator[None]:
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


# ---------------------------------------------------------------- opening and checking


def check_store(path: Path) -> None:
    """Raise unless ``path`` is a kb store this version can read.

    A missing file, a file that is not SQLite, a SQLite file that is not kb's and a
    store from a newer kb each get their own one-line error; so do a path the file
    system refuses (a name too long, no permission).
    """
    with storage_errors(path, "read"):
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
    conn = connect_read_only(path)
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


def is_outdated(path: Path) -> bool:
    """True for a kb store with an older schema, which a build replaces rather than refuses."""
    try:
        check_store(path)
    except SchemaVersionError as exc:
        return exc.found < SCHEMA_VERSION
    except KbNotFoundError:
        return False
    return False


def connect_read_only(path: Path) -> sqlite3.Connection:
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
    """A read-only connection to a checked store, whose rows read by column name. One per
    call: cheap, and thread-safe for the dashboard, which serves each session from its
    own thread."""
    check_store(path)
    with storage_errors(path, "read"):
        conn = connect_read_only(path)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()


# ---------------------------------------------------------------- replacing


@contextlib.contextmanager
def new_version(path: Path) -> Iterator[Path]:
    """A temporary file beside the KB at ``path`` (a symbolic link followed) to write its
    new version in; on normal exit it replaces ``path`` atomically, with the old file's
    mode. On any exception, or if the process is killed, it is discarded and ``path`` is
    untouched. A read-only KB is refused, and what the file system refuses (no space,
    no permission) is one StorageError, inside the block too.
    """
    path = kb_file(path)
    with storage_errors(path, "write", UNCHANGED):
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_read_only(path)
        tmp = _tmp_path(path)
        tmp.unlink(missing_ok=True)
        try:
            yield tmp
            _keep_mode(path, tmp)
            _fsync(tmp)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


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

    with storage_errors(path, "write", UNCHANGED):
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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
