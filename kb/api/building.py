"""Building the KB from the Python API: the defaults (data/sources into data/kb.sqlite,
$KB_PATH) around kb.pipeline's build and remove."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kb import store
from kb.nlp.lexicon import Lexicon
from kb.pipeline import BuildReport, Progress
from kb.pipeline import build as _build
from kb.pipeline import remove as _remove

__all__ = ["DEFAULT_KB", "DEFAULT_SOURCES", "build", "default_kb_path", "remove", "resumable"]

DEFAULT_KB = Path("data/kb.sqlite")
DEFAULT_SOURCES = Path("data/sources")


def default_kb_path() -> Path:
    """$KB_PATH if set, else data/kb.sqlite (relative to the working directory)."""
    return Path(os.environ.get("KB_PATH") or DEFAULT_KB)


def build(
    paths: Iterable[str | Path] | None = None,
    kb_path: str | Path | None = None,
    *,
    lexicon: Lexicon | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    prune: bool = False,
    timeout: float = 20.0,
    references: Iterable[str | Path] | None = None,
    from_scratch: bool = False,
    scheduler: str | None = None,
) -> BuildReport:
    """Build or update the KB (default data/kb.sqlite) from files (default data/sources)
    and pages ("https://..." strings, fetched within ``timeout`` s), with ``lexicon``
    (default: load_lexicon(default_lexicon_paths())), extracting in ``workers`` processes
    (default: one per core). Sources of the KB whose files are not given are kept, unless
    their file is gone from a folder given or ``prune`` is set (see kb.pipeline.build).
    ``references``: .bib, .ris or CSL-JSON files whose entries give the sources they match
    their metadata; kept in the KB for later builds given none. ``from_scratch`` reads
    every file again. A curator's decisions are kept and applied (KnowledgeBase.curation).
    ``scheduler``: a Dask cluster for the per-document work ("local:2", "tcp://host:8786";
    the extra ``distributed``); the KB is the same as without.

    Example::

        build(["notes/", "https://www.nhs.uk/conditions/acupuncture/"], references=["my.bib"])
    """
    return _build(
        list(paths or [DEFAULT_SOURCES]),
        Path(kb_path) if kb_path else default_kb_path(),
        lexicon=lexicon,
        progress=progress,
        workers=workers,
        prune=prune,
        timeout=timeout,
        references=None if references is None else list(references),
        from_scratch=from_scratch,
        scheduler=scheduler,
    )


def remove(
    source_ids: Iterable[str],
    kb_path: str | Path | None = None,
    *,
    lexicon: Lexicon | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Remove sources from the KB (default data/kb.sqlite) on purpose; see kb.pipeline.remove."""
    kb_path = Path(kb_path) if kb_path else default_kb_path()
    return _remove(source_ids, kb_path, lexicon=lexicon, progress=progress, workers=workers)


def resumable(kb_path: str | Path) -> int:
    """How many sources a stopped build of ``kb_path`` read that the next build takes as
    they are (when their files and kb's reading are unchanged) instead of reading again.

    Example::

        resumable("data/kb.sqlite")  # 0 unless a build was stopped midway
    """
    return store.journal_size(Path(kb_path))
