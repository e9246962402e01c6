"""Ingest: turn files on disk into :class:`kb.models.Source` objects.

``discover`` expands the paths a user gave into the files to read (each with a
unique source id), ``content_hash`` fingerprints a file and its sidecar cheaply
for incremental builds, and ``read_source`` reads one file into a Source.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import IngestError
from kb.ingest.html import host_of, read_html
from kb.ingest.meta import is_sidecar, parse_sidecar, read_sidecar_bytes, sidecar_path
from kb.ingest.pdf import read_pdf
from kb.ingest.text import Parsed, read_markdown, read_text
from kb.models import Skipped, Source, sha256_text

__all__ = ["SUPPORTED_SUFFIXES", "FileRef", "content_hash", "discover", "read_source"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_READERS: dict[str, Callable[[bytes, str], Parsed]] = {
    "txt": read_text,
    "md": read_markdown,
    "html": read_html,
    "pdf": read_pdf,
}
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Separates file bytes from sidecar bytes in the hash, so that moving bytes from
# one to the other cannot give the same hash.
_SIDECAR_MARK = b"\x00kb-sidecar\x00"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRef:
    """A file to read, the unique id its Source will have, and notes from discovery."""

    path: Path
    source_id: str
    warnings: tuple[str, ...] = ()


def _unsupported(path: Path) -> str:
    """Why ``path`` is skipped, naming the formats kb does read.

    >>> _unsupported(Path("photo.png"))
    "unsupported format '.png'; kb reads .txt, .md, .html, .htm, .pdf"
    """
    what = f"'{path.suffix}'" if path.suffix else "(no file extension)"
    return f"unsupported format {what}; kb reads {', '.join(SUPPORTED_SUFFIXES)}"


def _os_reason(exc: OSError) -> str:
    """A short, actionable reason for an OSError."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory; check the path"
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file; name the files or the directory itself"
    why = exc.strerror.lower() if exc.strerror else type(exc).__name__
    return f"cannot read the file ({why}); check the file"


def _walk_dir(root: Path) -> Iterable[Path]:
    """Files under ``root``, hidden files and directories left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        # Pruning in place stops os.walk from entering hidden directories (.git ...).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def _identity(path: Path) -> str:
    """What makes two spellings of a path the same file."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def _assign_ids(files: list[Path]) -> list[FileRef]:
    """Give each file its stem as id; a taken id gets '-2', '-3'... and a warning."""
    owners: dict[str, Path] = {}
    refs = []
    for path in files:
        base = path.stem
        source_id, n = base, 1
        while source_id in owners:
            n += 1
            source_id = f"{base}-{n}"
        warnings: tuple[str, ...] = ()
        if source_id != base:
            warnings = (
                f"source id '{base}' already used by {owners[base]}; {path} is '{source_id}'",
            )
        owners[source_id] = path
        refs.append(FileRef(path, source_id, warnings))
    return refs


def discover(paths: Iterable[str | Path]) -> tuple[list[FileRef], list[Skipped]]:
    """Expand files and directories (recursively) into the files to read.

    Returns the files kb reads, each with a unique source id, and the files it
    skips with the reason. Sidecars (``*.meta.yaml``) are neither: they are read
    with their source. Raises IngestError for a path that does not exist.
    """
    found: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk_dir(path))
        elif path.is_file():
            found.append(path)  # named explicitly: read even if hidden
        elif os.path.lexists(path):
            skipped.append(Skipped(str(path), "not a regular file; name a file or a directory"))
        else:
            raise IngestError(str(given), "no such file or directory; check the path")
    seen: set[str] = set()
    readable: list[Path] = []
    for path in sorted(found, key=str):
        identity = _identity(path)
        if identity in seen:
            continue
        seen.add(identity)
        if is_sidecar(path):
            continue
        if path.suffix.lower() in _FORMATS:
            readable.append(path)
        else:
            skipped.append(Skipped(str(path), _unsupported(path)))
    skipped.sort(key=lambda s: s.path)
    return _assign_ids(readable), skipped


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), _os_reason(exc)) from exc


def _digest(data_or_path: bytes | Path, sidecar: bytes | None) -> str:
    """sha256 of the file (bytes, or streamed from a path) followed by its sidecar's bytes."""
    digest = hashlib.sha256()
    if isinstance(data_or_path, bytes):
        digest.update(data_or_path)
    else:
        try:
            with data_or_path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError as exc:
            raise IngestError(str(data_or_path), _os_reason(exc)) from exc
    if sidecar is not None:
        digest.update(_SIDECAR_MARK)
        digest.update(sidecar)
    return digest.hexdigest()


def content_hash(path: Path) -> str:
    """sha256 hex of the file's bytes plus, when present, its sidecar's bytes.

    What incremental builds compare: no decoding or parsing. Without a sidecar
    it is the plain sha256 of the file (what ``sha256sum`` prints).
    """
    path = Path(path)
    return _digest(path, read_sidecar_bytes(path))


def _format_of(path: Path) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(str(path), _unsupported(path))
    return fmt


def read_source(ref: FileRef) -> Source:
    """Read one file (and its sidecar) into a Source.

    Raises IngestError(path, reason) when the file cannot be read; the reason
    is short and says what to do.
    """
    path = Path(ref.path)
    fmt = _format_of(path)
    data = _read_bytes(path)
    side = read_sidecar_bytes(path)
    # Parse the sidecar first: its errors are cheap to find and to fix.
    overrides = parse_sidecar(side, sidecar_path(path).name, str(path)) if side is not None else {}
    parsed = _READERS[fmt](data, str(path))
    source = Source(
        id=ref.source_id,
        text=parsed.text,
        path=str(path),
        format=fmt,
        encoding=parsed.encoding,
        title=overrides.get("title", parsed.title),
        author=overrides.get("author", parsed.author),
        site=overrides.get("site", parsed.site),
        url=overrides.get("url", parsed.url),
        date=overrides.get("date", parsed.date),
        kind=overrides.get("kind", "unknown"),
        file_sha256=_digest(data, side),
        sha256=sha256_text(parsed.text),
        words=len(_WORD.findall(parsed.text)),
        warnings=[*ref.warnings, *parsed.warnings],
    )
    if source.url and not source.site:
        source.site = host_of(source.url)  # the rule pages follow, for every format
    return source
