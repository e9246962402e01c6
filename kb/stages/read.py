"""The first per-document stage: a file's bytes (and its metadata sidecar) into a Source."""

from __future__ import annotations

from typing import Any

from kb.ingest import read_source
from kb.stages import Document, Stage

__all__ = ["STAGE"]


def _read(document: Document, resources: Any) -> Document:
    """Read ``document.origin`` = (FileRef, content hash); raises IngestError, which the
    pipeline reports as a skipped file."""
    ref, digest = document.origin
    source = read_source(ref)
    source.file_sha256 = digest  # the hash the plan compared, not a second read
    return Document(source=source, origin=document.origin)


STAGE = Stage("read", needs=("file",), makes="source", code=("kb.ingest",), run=_read,
              packages=("pypdf", "trafilatura"))  # fmt: skip
