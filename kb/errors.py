"""Named exceptions. Each message says what was wrong, with the value, and what to do.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "ExportError",
    "GoldError",
    "IngestError",
    "KbError",
    "KbNotFoundError",
    "LexiconError",
    "NoSourcesError",
    "NotAKbError",
    "SchemaVersionError",
    "SemanticUnavailableError",
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


class SemanticUnavailableError(KbError):
    """A semantic check was asked for without the optional extra installed."""

    exit_code = 2
