"""The per-document stages of a build, run on files or stored sources in this process or
in worker processes: a pure function of a file (or a stored text) and the lexicon, so
results are the same in any process and any order (kb.pipeline writes them in order).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator

from kb import store
from kb.analyze.independence import SKETCH
from kb.errors import IngestError
from kb.ingest import FileRef
from kb.model import Skipped, Source
from kb.nlp.lexicon import Lexicon
from kb.stages import Document, Stage, extract, profile, read, segment

__all__ = [
    "DOCUMENT_STAGES",
    "PARALLEL_MIN_SOURCES",
    "Resources",
    "Work",
    "default_workers",
    "derive",
    "interrupts_left_to_this_process",
    "process_all",
    "process_file",
    "process_item",
    "resume_or_process",
    "work_id",
]

# Below this many files to process, one process is quicker than starting workers.
PARALLEL_MIN_SOURCES = 40

# The stages, in the order they run; what each needs must be made before it.
DOCUMENT_STAGES: tuple[Stage, ...] = (
    read.STAGE,
    profile.STAGE,
    segment.STAGE,
    extract.STAGE,
    SKETCH,
)

# What a build processes: a file with its content hash, or a stored source to make again.
Work = tuple[FileRef, str] | Source


class Resources:
    """What the per-document stages prepare once per process (the lexicon's matchers, a
    model), by stage name.

    Example::

        derive(source, Resources(lexicon)).statements
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.by_stage = {stage.name: stage.prepare(lexicon) for stage in DOCUMENT_STAGES}


def _run(document: Document, resources: Resources) -> Document:
    """Run the per-document stages on ``document``, skipping what it already holds (a
    stored source is not read again)."""
    for stage in DOCUMENT_STAGES:
        if stage.makes == "source" and document.source is not None:
            continue
        document = stage.run(document, resources.by_stage[stage.name])
    return document


def process_file(ref: FileRef, digest: str, resources: Resources) -> Document | Skipped:
    """Everything kb derives from one file alone, or why it was skipped. A pure function
    of the file and the lexicon, which is what lets sources be processed in any process,
    in any order."""
    try:
        return _run(Document(origin=(ref, digest)), resources)
    except IngestError as exc:
        return Skipped(ref.where, exc.reason)


def derive(source: Source, resources: Resources) -> Document:
    """What the per-document stages derive from a source's text and metadata.

    A source kept from an earlier build is made again from its stored text this way when
    the lexicon or a stage changes; its kind and author, filled from the profile then, stay."""
    return _run(Document(source=source), resources)


def process_item(item: Work, resources: Resources) -> Document | Skipped:
    """A file or a stored source through the stages ``resources`` prepared."""
    if isinstance(item, Source):
        return derive(item, resources)
    return process_file(item[0], item[1], resources)


def work_id(item: Work) -> str:
    return item.id if isinstance(item, Source) else item[0].source_id


# Each worker process prepares the stages' resources once, when it starts.
_worker_resources: Resources | None = None


def _start_worker(lexicon: Lexicon) -> None:
    global _worker_resources
    _worker_resources = Resources(lexicon)


def _process_in_worker(item: Work) -> Document | Skipped:
    assert _worker_resources is not None, "worker started without _start_worker"
    return process_item(item, _worker_resources)


def default_workers() -> int:
    """Processes for extraction: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_all(
    items: list[Work], lexicon: Lexicon, workers: int, scheduler: str | None = None
) -> Iterator[Document | Skipped]:
    """Process ``items`` (files, or stored sources to make again) in their order, in
    ``workers`` processes, or on the Dask cluster ``scheduler`` names (kb.distributed).

    Results come back in input order (imap), so the store is written in the same order as
    by one process and the file is byte-identical. Few files are done in this process:
    starting a worker (importing spaCy, loading the lexicon) costs about a second.
    """
    if scheduler and items:
        from kb.distributed import process_on_dask  # Dask is an optional extra

        yield from process_on_dask(items, lexicon, scheduler)
        return
    if workers <= 1 or len(items) < PARALLEL_MIN_SOURCES:
        resources = Resources(lexicon)
        for item in items:
            yield process_item(item, resources)
        return
    # "spawn": a fresh interpreter is safe whatever threads the caller runs (a dashboard).
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with interrupts_left_to_this_process():
        pool = context.Pool(workers, _start_worker, (lexicon,))
    with pool:
        yield from pool.imap(_process_in_worker, items, chunksize=chunk)


@contextlib.contextmanager
def interrupts_left_to_this_process() -> Iterator[None]:
    """Processes started inside ignore Ctrl+C (SIGINT). A terminal sends it to the whole
    process group, and each of a build's workers would print a KeyboardInterrupt traceback;
    this process alone handles it (stopping them, and saying so in one line). A Ctrl+C
    while they start is lost. Only the main thread may change how a signal is handled:
    elsewhere (a dashboard's script thread) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def journal_key(item: Work) -> tuple[str, str]:
    """What a work item's results are kept under in a build's journal (kb.store.journal):
    its source id and the hash of what is read (a file's bytes, or a stored source's text)."""
    if isinstance(item, Source):
        return item.id, f"text:{item.sha256}"
    return item[0].source_id, item[1]


def resume_or_process(
    items: list[Work],
    journal: store.Journal,
    lexicon: Lexicon,
    workers: int,
    scheduler: str | None = None,
) -> tuple[int, Iterator[Document | Skipped]]:
    """How many of ``items`` the ``journal`` holds results for (read by a build that was
    stopped, with the same stages and lexicon: the journal's stamp says), and the results
    of every item in order: those from the journal, the rest processed as process_all
    does and put in the journal, for the build after this one if this one is stopped too."""
    keys = [journal_key(item) for item in items]
    held = journal.held(keys)
    rest = [item for item, key in zip(items, keys, strict=True) if key not in held]

    def results() -> Iterator[Document | Skipped]:
        processed = process_all(rest, lexicon, workers, scheduler)
        for key in keys:
            if key in held:
                kept = journal.get(*key)
                assert kept is not None
                yield Document(source=kept.source, units=kept.units,
                               statements=kept.statements, sketch=kept.sketch)  # fmt: skip
                continue
            result = next(processed)
            if isinstance(result, Document):
                assert result.source is not None and result.sketch is not None
                journal.put(*key, store.Journaled(result.source, result.units,
                                                  result.statements, result.sketch))  # fmt: skip
            yield result

    return len(held), results()
