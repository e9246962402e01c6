"""The per-document stages on a Dask cluster: `kb build --scheduler ADDRESS`.

The per-document work (read, profile, segment, extract, sketch: kb.process) is a pure
function of a file (or a stored text) and the lexicon, so it can run anywhere. Here it
runs on Dask workers, in chunks of documents; each worker prepares the stages (the
lexicon's matchers, spaCy) once, through a worker plugin, not once per document. Results
come back in the order of the documents, so the main process writes the store exactly as
a one-process build does: the KB is the same, byte for byte.

``ADDRESS`` is a running scheduler (``tcp://host:8786``; its workers must see the files at
the same paths, as Dask's own file readers assume) or ``local:N``, a LocalCluster of N
worker processes on this machine, started for the build and stopped after it.

What happens when things go wrong is what happens locally: a worker that dies mid-build
has its chunks run again on another (the work is pure; Dask retries a chunk on up to 3
workers before giving up); Ctrl+C or a failure ends the build with the previous KB
intact (the new one is written to a temporary file), and the next build resumes from what
this one read (kb.store.journal).

Dask is the optional extra ``distributed`` (``pip install 'kb-claims[distributed]'``);
nothing else of kb imports it.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Iterator

from kb.errors import SchedulerError
from kb.model import Skipped
from kb.nlp.lexicon import Lexicon
from kb.process import Work, interrupts_left_to_this_process
from kb.stages import Document

__all__ = ["CHUNK", "CONNECT_TIMEOUT", "parse_scheduler", "process_on_dask"]

CONNECT_TIMEOUT = "20s"  # to reach a scheduler that is not there
CHUNK = 16  # documents per task: a task costs the scheduler ~1 ms, a document 10-100 ms
_AHEAD = 4  # chunks in flight per worker: results wait on workers, not in this process
_INSTALL = "pip install 'kb-claims[distributed]'"


def parse_scheduler(address: str) -> tuple[str, int]:
    """("local", N) for "local:N", ("remote", 0) for a scheduler's address; SchedulerError
    for anything else.

    >>> parse_scheduler("local:2"), parse_scheduler("tcp://10.0.0.5:8786")
    (('local', 2), ('remote', 0))
    """
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if count.isdigit() and 1 <= int(count) <= 256:
            return "local", int(count)
        raise SchedulerError(f"--scheduler {address!r}: give local:N with N from 1 to 256")
    if "://" in address and address.split("://", 1)[1]:
        return "remote", 0
    raise SchedulerError(
        f"--scheduler {address!r}: give a Dask scheduler's address (tcp://host:8786) or "
        "local:N for N worker processes on this machine"
    )


def process_on_dask(
    items: list[Work], lexicon: Lexicon, address: str
) -> Iterator[Document | Skipped]:
    """Process ``items`` on the Dask cluster at ``address`` (see the module docstring),
    yielding the results in the order of ``items``."""
    kind, count = parse_scheduler(address)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SchedulerError(f"a build on Dask needs the distributed extra: {_INSTALL}") from None
    with contextlib.ExitStack() as stack:
        if kind == "local":
            with interrupts_left_to_this_process():  # Ctrl+C: one line, not one per worker
                local = LocalCluster(
                    n_workers=count,
                    threads_per_worker=1,  # spaCy and the matchers are not shared by threads
                    processes=True,
                    dashboard_address=":0",  # any free port: never a clash with 8787
                    silence_logs=logging.ERROR,
                )
            cluster = stack.enter_context(local)
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(_connect(Client, address))
        from kb.dask_stages import Stages, process_chunk

        plugin = Stages(lexicon)
        client.register_plugin(plugin, name=plugin.name)
        yield from _in_order(client, process_chunk, items, plugin.name)


@contextlib.contextmanager
def _connect(client_type, address: str):
    try:
        client = client_type(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(
            f"kb cannot reach the Dask scheduler at {address} ({exc}); start one "
            "(`dask scheduler`, then `dask worker ADDRESS`) or use --scheduler local:N"
        ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError):
            raise SchedulerError(
                f"the Dask scheduler at {address} has no workers; start some with "
                f"`dask worker {address}`"
            ) from None
        yield client
    finally:
        client.close()


def _in_order(client, task, items: list[Work], plugin: str) -> Iterator[Document | Skipped]:
    """Submit chunks of ``items`` a few ahead of what has been read back, and yield their
    results in order: memory holds a bounded number of results, whatever the corpus."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    ahead = _AHEAD * max(1, len(client.scheduler_info().get("workers", {})))
    pending: deque = deque()
    submitted = 0
    try:
        while submitted < len(chunks) or pending:
            while submitted < len(chunks) and len(pending) < ahead:
                pending.append(client.submit(task, chunks[submitted], plugin, pure=False))
                submitted += 1
            yield from _result(pending.popleft())
    finally:
        for future in pending:  # a build stopped early leaves no work behind
            future.cancel()


def _result(future) -> list[Document | Skipped]:
    """A chunk's results; its workers dying again and again is one line, not a traceback."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise SchedulerError(
            f"Dask workers died running kb's reading ({exc}); the KB is unchanged: look at "
            "the workers' logs (memory? a worker needs ~1 GB) and build again"
        ) from None
