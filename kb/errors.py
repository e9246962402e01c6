"""Named exceptions. Each message says what was wrong, with the value, and what to do.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``.
"""

from __future__ import annotations

import errno

__all__ = [
    "BuildError",
    "CurationError",
    "DamagedKbError",
    "ExportError",
    "FetchError",
    "GoldError",
    "IngestError",
    "KbError",
    "KbNotFoundError",
    "LexiconError",
    "NoSourcesError",
    "NotAKbError",
    "QueryError",
    "ReferencesError",
    "SchedulerError",
    "SchemaVersionError",
    "SemanticUnavailableError",
    "StorageError",
    "describe_os_error",
]


class KbError(Exception):
    """Base of every error kb raises on purpose."""

    exit_code = 1


class IngestError(KbError):
    """A file could not be read as a source; ``reason`` is the short why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FetchError(KbError):
    """A web page could not be fetched; nothing was changed. ``reason`` is the short why."""

    exit_code = 2

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ReferencesError(KbError):
    """A reference manager's export (BibTeX, RIS, CSL-JSON) could not be read; nothing was
    changed. The message names the file and what is wrong."""

    exit_code = 2


class NoSourcesError(KbError):
    """A build found nothing it could read."""

    exit_code = 2


class BuildError(KbError):
    """A build could not be completed; the previous KB is untouched."""


class KbNotFoundError(KbError):
    """No KB file at the path."""

    exit_code = 2


class NotAKbError(KbError):
    """The file exists but is not a kb store."""

    exit_code = 2


class SchemaVersionError(KbError):
    """The store has another schema version than this kb's; ``found`` is the store's."""

    exit_code = 2

    def __init__(self, message: str, found: int) -> None:
        super().__init__(message)
        self.found = found


class DamagedKbError(KbError):
    """The file is a kb store, but some of its pages are damaged."""

    exit_code = 2


class StorageError(KbError):
    """The file system refused: no space left, read-only, no permission, a name too
    long. Nothing was changed."""

    exit_code = 74  # EX_IOERR: the machine, not the input


class GoldError(KbError):
    """A gold annotation is invalid or does not fit the KB."""

    exit_code = 2


class LexiconError(KbError):
    """A lexicon is missing, has no files or concepts, or a file of it is invalid; the
    message names the path (and the line)."""

    exit_code = 2


class ExportError(KbError):
    """An export was asked for in a way that cannot be done."""

    exit_code = 2


class CurationError(KbError):
    """A curation decision that cannot be made, or a curation file that cannot be read."""

    exit_code = 2


class QueryError(KbError):
    """A search or a filter that cannot be run: no words to search, a date that is not
    one, a claim type kb does not know."""

    exit_code = 2


class SchedulerError(KbError):
    """A build on Dask that cannot start (a bad --scheduler, no Dask, no scheduler or no
    workers there) or whose workers keep dying."""

    exit_code = 2


class SemanticUnavailableError(KbError):
    """A semantic check was asked for without the optional extra installed."""

    exit_code = 2


# What an OSError from the environment means, and what to do about it.
_OS_PROBLEMS = {
    errno.ENOSPC: "the disk is full; free some space or choose another disk",
    errno.EDQUOT: "the disk quota is used up; free some space or choose another disk",
    errno.EFBIG: "the file would be larger than this system allows (ulimit -f); raise the "
    "limit or choose another disk",
    errno.EROFS: "the file system is read-only; choose a folder you can write",
    errno.EACCES: "permission denied; check the permissions or choose a folder you can write",
    errno.EPERM: "permission denied; check the permissions or choose a folder you can write",
    errno.ENAMETOOLONG: "the file name is too long for the file system; choose a shorter one",
    errno.EIO: "the disk reported an input/output error; check that it has space and works",
}


def describe_os_error(exc: OSError) -> str | None:
    """What an environment error means and what to do, or None for other errors.

    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full; free some space or choose another disk'
    """
    return _OS_PROBLEMS.get(exc.errno) if exc.errno is not None else None
