"""Ingest: turn files on disk into :class:`kb.model.Source` objects.

``discover`` expands the paths a user gave into the files to read (each with a
unique source id), ``content_hash`` fingerprints a file and its sidecar cheaply
for incremental builds, and ``read_source`` reads one file into a Source.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kb.errors import IngestError
from kb.ingest.fetch import Page, is_url, page_id
from kb.ingest.files import is_gone, not_regular, open_regular, os_reason
from kb.ingest.html import host_of
from kb.ingest.meta import is_sidecar, parse_sidecar, read_sidecar_bytes, sidecar_path
from kb.ingest.readers import SUPPORTED_SUFFIXES, Reader, reader_for, reader_of_format
from kb.model import Skipped, Source, sha256_text, web_url
from kb.nlp.words import word_count

__all__ = [
    "SUPPORTED_SUFFIXES",
    "FileRef",
    "assign_ids",
    "content_hash",
    "discover",
    "inside",
    "page_refs",
    "read_source",
    "ref_hash",
    "same_file",
    "same_origin",
]

# Separates file bytes from sidecar bytes in the hash, so that moving bytes from
# one to the other cannot give the same hash.
_SIDECAR_MARK = b"\x00kb-sidecar\x00"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRef:
    """A file to read (or a fetched web page: ``page``), the unique id its Source will
    have, and notes from discovery."""

    path: Path
    source_id: str
    warnings: tuple[str, ...] = ()
    page: Page | None = None

    @property
    def where(self) -> str:
        """The file's path or the page's address, as a source's ``path`` holds it."""
        return self.page.url if self.page else str(self.path)


def page_refs(pages: list[Page], stored: Mapping[str, str], taken: Iterable[str]) -> list[FileRef]:
    """FileRefs for fetched pages: a page the KB holds keeps its id (``stored`` maps ids
    to paths, a page's path being its address); a new one is named after its host and
    path (see page_id), with '-2', '-3'... when that id is ``taken`` or stored.

    >>> page = Page("https://a.org/x", "https://a.org/x", b"", "html", "")
    >>> [ref.source_id for ref in page_refs([page, page], {}, ["a.org-x"])]
    ['a.org-x-2', 'a.org-x-3']
    """
    by_url = {path: sid for sid, path in stored.items()}
    used = set(taken) | set(stored)
    refs = []
    for page in pages:
        source_id = by_url.get(page.url)
        if source_id is None:
            base = source_id = page_id(page.url)
            n = 1
            while source_id in used:
                n += 1
                source_id = f"{base}-{n}"
        used.add(source_id)
        refs.append(FileRef(Path(page_id(page.url)), source_id, page=page))
    return refs


def _unsupported(path: Path) -> str:
    """Why ``path`` is skipped, naming the formats kb does read.

    >>> _unsupported(Path("photo.png"))
    "unsupported format '.png'; kb reads .txt, .md, .html, .htm, .pdf"
    """
    what = f"'{path.suffix}'" if path.suffix else "(no file extension)"
    return f"unsupported format {what}; kb reads {', '.join(SUPPORTED_SUFFIXES)}"


def _walk_dir(root: Path, skipped: list[Skipped]) -> Iterable[Path]:
    """Files under ``root``, hidden files and directories left out.

    Symbolic links to folders are followed, each real folder once (a link back up the
    tree would otherwise loop forever). A folder that cannot be read goes to ``skipped``: silently
    missing, its sources would look deleted.
    """
    visited: set[tuple[int, int] | str] = set()

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or root)
        skipped.append(Skipped(_printable(where), f"cannot read the folder: {os_reason(exc)}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        visited.add(_identity(Path(dirpath)))
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue  # pruning in place keeps os.walk out of .git and the like
            # A link to a folder already read (or up the tree: a loop) adds no file.
            if _identity(Path(dirpath, name)) not in visited:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def _undecodable(path: Path) -> str | None:
    """Why a file whose name is not UTF-8 is skipped (its name could not be stored)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8; rename the file"
    return None


def _printable(path: Path) -> str:
    r"""The path as text that can be stored and shown: bytes that are not UTF-8 as \xff.

    >>> _printable(Path(os.fsdecode(b"bad\xffname.txt")))
    'bad\\xffname.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two spellings of a path the same file: its device and inode (one
    stat, where resolving every link took ten), or for a path that does not exist its
    absolute spelling."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return os.path.abspath(path)
    return st.st_dev, st.st_ino


def _real(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when two spellings name one file ("data/x.txt" and "/home/me/data/x.txt")."""
    return str(a) == str(b) or _identity(Path(a)) == _identity(Path(b))


def inside(path: str | Path, folders: Iterable[Path]) -> bool:
    """True when ``path`` lies under one of ``folders``, as spelt or once links resolve."""
    spelt, real = Path(os.path.abspath(path)), _real(path)
    return any(
        spelt.is_relative_to(os.path.abspath(folder)) or real.is_relative_to(_real(folder))
        for folder in folders
    )


def assign_ids(files: list[Path], stored: Mapping[str, str] | None = None) -> list[FileRef]:
    """Give each file an id: the one a stored source of the same file has, else its stem;
    a stem taken by another file gets '-2', '-3'... and a warning.

    ``stored`` maps the KB's source ids to their files' paths. A stored source whose file
    is still on disk keeps its id even when this build does not name it; one whose file
    is gone gives its id up, so that a file moved to another folder stays the same source.
    """
    stored = stored or {}
    by_spelling = {path: sid for sid, path in stored.items()}
    ids = {path: by_spelling.get(str(path)) for path in files}
    if not all(ids.values()):  # a file spelt otherwise than at the last build (or new)
        by_file = {_identity(Path(path)): sid for sid, path in stored.items()}
        ids = {path: sid or by_file.get(_identity(path)) for path, sid in ids.items()}
    owners = {sid: str(path) for path, sid in ids.items() if sid}
    for sid, path in stored.items():
        # A page's id stays its own: its "path" is its address, never a file on disk.
        if sid not in owners and (is_url(path) or not is_gone(Path(path))):
            owners[sid] = path
    refs = []
    for path in files:
        warnings: tuple[str, ...] = ()
        source_id = ids[path]
        if source_id is None:
            base = source_id = path.stem
            n = 1
            while source_id in owners:
                n += 1
                source_id = f"{base}-{n}"
            if source_id != base:
                warnings = (
                    f"source id '{base}' already used by {owners[base]}; {path} is '{source_id}'",
                )
            owners[source_id] = str(path)
        refs.append(FileRef(path, source_id, warnings))
    return refs


def discover(
    paths: Iterable[str | Path], stored: Mapping[str, str] | None = None
) -> tuple[list[FileRef], list[Skipped]]:
    """Expand files and directories (recursively) into the files to read.

    Returns the files kb reads, each with a unique source id (see assign_ids; ``stored``
    maps a KB's source ids to their paths), and what it skips with the reason: files it
    cannot read (unsupported formats, FIFOs, devices, broken links) and folders it cannot
    list. Sidecars (``*.meta.yaml``) are neither: they are read with their source.
    Raises IngestError for a path that does not exist.
    """
    found: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk_dir(path, skipped))
        elif os.path.lexists(path) or path.exists():
            found.append(path)  # named explicitly: read even if hidden
        else:
            raise IngestError(str(given), "no such file or directory; check the path")
    seen: set[tuple[int, int] | str] = set()
    readable: list[Path] = []
    for path in sorted(found, key=str):
        identity = _identity(path)
        if identity in seen:
            continue
        seen.add(identity)
        if is_sidecar(path):
            continue
        why = (
            _undecodable(path)
            or not_regular(path)
            or (None if reader_for(path.suffix) else _unsupported(path))
        )
        if why:
            skipped.append(Skipped(_printable(path), why))
        else:
            readable.append(path)
    skipped.sort()
    return assign_ids(readable, stored), skipped


def _read_bytes(path: Path) -> bytes:
    try:
        with open_regular(path) as handle:
            return handle.read()
    except OSError as exc:
        raise IngestError(str(path), os_reason(exc)) from exc


def _digest(data_or_path: bytes | Path, sidecar: bytes | None) -> str:
    """sha256 of the file (bytes, or streamed from a path) followed by its sidecar's bytes."""
    digest = hashlib.sha256()
    if isinstance(data_or_path, bytes):
        digest.update(data_or_path)
    else:
        try:
            with open_regular(data_or_path) as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError as exc:
            raise IngestError(str(data_or_path), os_reason(exc)) from exc
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


def ref_hash(ref: FileRef) -> str:
    """What incremental builds compare: a page's sha256, or the file's (see content_hash)."""
    if ref.page is not None:
        return hashlib.sha256(ref.page.data).hexdigest()
    return content_hash(ref.path)


def same_origin(stored_path: str, ref: FileRef) -> bool:
    """True when a stored source came from the file or page ``ref`` names."""
    if ref.page is not None:
        return stored_path == ref.page.url
    return same_file(stored_path, ref.path)


def _reader_of(path: Path) -> Reader:
    reader = reader_for(path.suffix)
    if reader is None:
        raise IngestError(str(path), _unsupported(path))
    return reader


def read_source(ref: FileRef) -> Source:
    """Read one file (and its sidecar) into a Source.

    Raises IngestError(path, reason) when the file cannot be read; the reason
    is short and says what to do.
    """
    path = Path(ref.path)
    if ref.page is not None:  # fetched: no sidecar; the address is the page's url
        reader, data, side = reader_of_format(ref.page.format), ref.page.data, None
        overrides = {"url": ref.page.final_url}
    else:
        reader = _reader_of(path)
        data = _read_bytes(path)
        side = read_sidecar_bytes(path)
        # Parse the sidecar first: its errors are cheap to find and to fix.
        overrides = (
            parse_sidecar(side, sidecar_path(path).name, str(path)) if side is not None else {}
        )
    parsed = reader.read(data, ref.where)
    source = Source(
        id=ref.source_id,
        text=parsed.text,
        path=ref.where,
        format=reader.format,
        encoding=parsed.encoding,
        title=overrides.get("title", parsed.title),
        author=overrides.get("author", parsed.author),
        site=overrides.get("site", parsed.site),
        url=overrides.get("url", parsed.url),
        date=overrides.get("date", parsed.date),
        doi=overrides.get("doi", parsed.doi),
        fetched=ref.page.fetched if ref.page else "",
        kind=overrides.get("kind", "unknown"),
        file_sha256=_digest(data, side),
        sha256=sha256_text(parsed.text),
        words=word_count(parsed.text),
        warnings=[*ref.warnings, *parsed.warnings],
    )
    url = web_url(source.url)
    if source.url and not url:
        source.warnings.append(
            f"ignored the url {source.url[:80]!r}: kb keeps only http and https addresses"
        )
    source.url = url
    if source.url and not source.site:
        source.site = host_of(source.url)  # the rule pages follow, for every format
    return source
