"""Build or update a knowledge base from files: ingest → segment → extract → store.

A rebuild compares each file's content hash (its bytes plus its metadata sidecar) with
the stored one and reprocesses only what changed; sources whose files are gone are
dropped. Everything is written to a temporary copy that replaces the KB only when the
build is complete.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from kb import __version__, collector, store
from kb.analyze import agreement, find_conflicts, voices
from kb.assemble import assemble
from kb.errors import IngestError, NoSourcesError
from kb.extract import Extractor
from kb.independence import FEATURES_VERSION, Candidates, DuplicatePair, Sketch, sketch, verify
from kb.ingest import SUPPORTED_SUFFIXES, FileRef, content_hash, discover, read_source
from kb.ingest.text import parse_header
from kb.models import Sentence, Skipped, Source, Statement
from kb.nlp.lexicon import SHIPPED_LEXICON, Lexicon, load_lexicon, require_concepts
from kb.nlp.segment import split_units
from kb.profile import profile_source

__all__ = [
    "EXTRACTOR_VERSION",
    "BuildReport",
    "Progress",
    "build",
    "default_lexicon_paths",
    "default_workers",
    "process_file",
]

# Below this many files to process, one process is quicker than starting workers.
PARALLEL_MIN_SOURCES = 40

# Bump when extraction changes what it produces from the same text, so that rebuilds
# reprocess every source instead of keeping statements made by the old rules.
EXTRACTOR_VERSION = "13"

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, source_id)`` after each source is processed."""


@dataclass
class BuildReport:
    """What a build did; the CLI prints it as one line."""

    kb_path: Path
    sources: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    statements: int = 0
    claims: int = 0
    claims_written: int = 0  # claims inserted, changed or deleted by this build
    conflicts_written: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class _Plan:
    process: list[tuple[FileRef, str]]  # (file, content hash) to read and extract
    unchanged: list[str]
    removed: list[str]
    skipped: list[Skipped]


def body_start(source) -> int:
    """Where a plain-text source's body begins: after a "Title: / URL:" header block,
    which is metadata (read by ingestion), not claims."""
    return parse_header(source.text)[0] if source.format in ("txt", "md") else 0


def apply_profile(source: Source) -> None:
    """Record how kb read the source (kind and why, author, works cited); fill kind and
    author from it where the metadata leaves them unknown."""
    profile = profile_source(source)
    source.profile = asdict(profile)
    if source.kind == "unknown":
        source.kind = profile.kind
    if not source.author:
        source.author = profile.author


def default_lexicon_paths() -> list[Path]:
    """$KB_LEXICON (folders or files, separated by the OS path separator), else the lexicon
    shipped inside the kb package. Never a folder of the working directory: a lexicon that
    depends on where kb is run from is how an install without its lexicon went unnoticed."""
    named = [Path(p) for p in os.environ.get("KB_LEXICON", "").split(os.pathsep) if p]
    return named or [SHIPPED_LEXICON]


def _plan(refs: list[FileRef], skipped: list[Skipped], existing: dict) -> _Plan:
    """Compare the files with the stored sources by content hash and path."""
    process, unchanged, skipped = [], [], list(skipped)
    for ref in refs:
        try:
            digest = content_hash(ref.path)
        except (IngestError, OSError) as exc:
            skipped.append(Skipped(str(ref.path), getattr(exc, "reason", str(exc))))
            continue
        stored = existing.get(ref.source_id)
        if stored and stored.file_sha256 == digest and stored.path == str(ref.path):
            unchanged.append(ref.source_id)
        else:
            process.append((ref, digest))
    present = {ref.source_id for ref, _ in process} | set(unchanged)
    removed = sorted(set(existing) - present)
    return _Plan(process, unchanged, removed, skipped)


def _nothing_readable(paths: list[Path], skipped: list[Skipped]) -> NoSourcesError:
    where = ", ".join(str(p) for p in paths)
    if not skipped:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        return NoSourcesError(f"no files to read in {where}; kb reads {kinds}")
    first = skipped[0]
    more = f" (and {len(skipped) - 1} more skipped)" if len(skipped) > 1 else ""
    return NoSourcesError(
        f"nothing readable in {where}: {first.path}: {first.reason}{more}; the KB was not changed"
    )


def build(
    paths: Iterable[str | Path],
    kb_path: str | Path,
    *,
    lexicon: Lexicon | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Build the KB at ``kb_path`` from files and directories, or update it in place.

    ``lexicon`` defaults to the one default_lexicon_paths() finds. ``workers`` is the
    number of processes that read and extract files (default: every core this process may
    use); the KB is the same, byte for byte, whatever it is.

    Raises NoSourcesError, leaving any existing KB unchanged, when nothing is readable,
    and LexiconError, before touching the KB, when the lexicon is missing or empty.

    Example::

        report = build(["data/sources"], "data/kb.sqlite")
        report.added, report.updated, report.unchanged, report.removed
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    kb_path = Path(kb_path)
    if lexicon is None:
        lexicon = load_lexicon(default_lexicon_paths())
    require_concepts(lexicon)  # a Lexicon made in code is checked too
    refs, skipped = discover(paths)
    report = BuildReport(kb_path=kb_path)
    report.warnings = [w for ref in refs for w in ref.warnings]
    stamp = {
        "lexicon_sha256": lexicon.sha256,
        "extractor_version": EXTRACTOR_VERSION,
        "independence_version": FEATURES_VERSION,
    }

    with store.build_lock(kb_path):
        fresh = store.is_outdated(kb_path)
        existing = {} if fresh else store.stored_hashes(kb_path)  # refuses non-kb files
        if existing and any(store.stored_meta(kb_path).get(k) != v for k, v in stamp.items()):
            # A new lexicon or extractor: every source's statements must be made again.
            existing = {k: replace(v, file_sha256="") for k, v in existing.items()}
        plan = _plan(refs, skipped, existing)
        report.unchanged = len(plan.unchanged)
        if not plan.process and not plan.unchanged:
            raise _nothing_readable(paths, plan.skipped)
        report.skipped = list(plan.skipped)

        if fresh or plan.process or plan.removed or _skipped_changed(kb_path, report.skipped):
            workers = default_workers() if workers is None else max(1, workers)
            job = _Job(plan, set(existing), Extractor(lexicon), stamp, paths, fresh, workers)
            _write(kb_path, job, report, progress)
        with store.read_connection(kb_path) as conn:
            counts = store.count_rows(conn)
    report.sources = counts["sources"]
    report.statements = counts["statements"]
    report.claims = counts["claims"]
    report.seconds = time.perf_counter() - started
    return report


def _skipped_changed(kb_path: Path, skipped: list[Skipped]) -> bool:
    if not kb_path.exists():
        return True
    with store.read_connection(kb_path) as conn:
        return sorted(store.load_skipped(conn)) != sorted(set(skipped))


@dataclass(frozen=True, slots=True)
class _Job:
    plan: _Plan
    stored_ids: set[str]
    extractor: Extractor
    stamp: dict[str, str]
    paths: list[Path]
    fresh: bool
    workers: int


Processed = tuple[Source, list[Sentence], list[Statement], Sketch]


def process_file(ref: FileRef, digest: str, extractor: Extractor) -> Processed | Skipped:
    """Everything kb derives from one file alone: the source (profiled), its units, its
    statements and its near-duplicate sketch; or why it was skipped. A pure function of
    the file and the lexicon, which is what lets sources be processed in any process, in
    any order."""
    try:
        source = read_source(ref)
    except IngestError as exc:
        return Skipped(str(ref.path), exc.reason)
    source.file_sha256 = digest  # the hash the plan compared, not a second read
    apply_profile(source)
    units = split_units(source.text, start=body_start(source))
    return source, units, extractor.extract(source, units), sketch(source.text)


# Each worker process holds one extractor, made from the lexicon once when it starts.
_worker_extractor: Extractor | None = None


def _start_worker(lexicon: Lexicon) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(lexicon)


def _process_in_worker(item: tuple[FileRef, str]) -> Processed | Skipped:
    assert _worker_extractor is not None, "worker started without _start_worker"
    return process_file(item[0], item[1], _worker_extractor)


def default_workers() -> int:
    """Processes for extraction: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _process_all(
    items: list[tuple[FileRef, str]], extractor: Extractor, workers: int
) -> Iterator[Processed | Skipped]:
    """process_file over ``items``, in their order, in ``workers`` processes.

    Results come back in input order (imap), so the store is written in the same order as
    by one process and the file is byte-identical. Few files are done in this process:
    starting a worker (importing spaCy, loading the lexicon) costs about a second.
    """
    if workers <= 1 or len(items) < PARALLEL_MIN_SOURCES:
        for ref, digest in items:
            yield process_file(ref, digest, extractor)
        return
    # "spawn": a fresh interpreter is safe whatever threads the caller runs (a dashboard).
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with context.Pool(workers, _start_worker, (extractor.lexicon,)) as pool:
        yield from pool.imap(_process_in_worker, items, chunksize=chunk)


def _write(kb_path: Path, job: _Job, report: BuildReport, progress: Progress | None) -> None:
    plan, stored_ids = job.plan, job.stored_ids
    with store.writer(kb_path, fresh=job.fresh) as out:
        for source_id in plan.removed:
            out.delete_source(source_id)
        report.removed = len(plan.removed)
        total = len(plan.process)
        # What the corpus-wide steps read: the new statements and sketches are kept from
        # processing; only an update reads the unchanged sources' back from the store.
        statements: list[Statement] = []
        candidates = Candidates()
        written: set[str] = set()
        processed = _process_all(plan.process, job.extractor, job.workers)
        for done, ((ref, _), result) in enumerate(
            zip(plan.process, processed, strict=True), start=1
        ):
            if isinstance(result, Skipped):
                report.skipped.append(result)
                out.delete_source(ref.source_id)  # an unreadable file no longer backs its source
            else:
                source, units, stated, sketched = result
                report.warnings.extend(w for w in source.warnings if w not in report.warnings)
                out.put_source(source, units, stated, sketched)
                statements += stated
                candidates.add(source.id, sketched)
                written.add(source.id)
                is_update = source.id in stored_ids
                report.updated += is_update
                report.added += not is_update
            if done % 200 == 0:
                out.checkpoint()
            if progress:
                progress(done, total, ref.source_id)
        if not report.added and not report.updated and not report.unchanged:
            raise _nothing_readable(job.paths, report.skipped)
        # The corpus-wide steps make millions of objects and no cycles: without the
        # collector, a one-source rebuild at 10,000 sources takes 20 s instead of 24.
        with collector.paused():
            _corpus_wide(out, job, report, statements, candidates, written)
        out.set_skipped(report.skipped)
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        # Where the lexicon was, so that `kb check` reads sentences as the build read sources.
        files = json.dumps([str(Path(f).resolve()) for f in job.extractor.lexicon.files])
        out.set_meta(built_at=built_at, kb_version=__version__, lexicon_files=files, **job.stamp)


def _corpus_wide(
    out: store.Writer,
    job: _Job,
    report: BuildReport,
    statements: list[Statement],
    candidates: Candidates,
    written: set[str],
) -> None:
    """Claims, near-duplicates, agreement and conflicts over every source, from the
    statements and sketches of the sources this build wrote (``written``) and the stored
    ones of the others; only rows that differ from the stored ones are written."""
    if job.plan.unchanged:
        statements += out.statements(exclude=written)
        for source_id, sketched in out.sketches(exclude=written):
            candidates.add(source_id, sketched)
    # In the store's order (source, then position), so that every step sees the
    # statements in one order however they were gathered.
    statements.sort(key=lambda s: (s.source, s.start, s.end))
    claims = assemble(statements, job.extractor.lexicon)
    report.claims_written = out.put_claims(claims, statements)
    pairs = find_near_duplicates(out, candidates, written)
    # Stored, like the conflicts below, so that listings read one table, not every
    # statement; the whole is recomputed, and only what differs written.
    voice_of = voices(candidates.source_ids, [(p.a, p.b) for p in pairs])
    out.put_agreement(agreement(claims, statements, voice_of))
    conflicts = find_conflicts(claims, statements, job.extractor.lexicon)
    report.conflicts_written = out.put_conflicts(conflicts, statements)


def find_near_duplicates(
    out: store.Writer, candidates: Candidates, written: set[str]
) -> list[DuplicatePair]:
    """The near-duplicate pairs among the sources (stored, with the candidate pairs
    compared). A pair's verdict depends on its two texts alone, so a pair of sources this
    build did not write keeps the verdict of the build that compared it: after a change to
    one source, only that source's pairs and pairs never compared are compared."""
    pairs = candidates.pairs()
    compared, stored = out.compared(), out.duplicates()
    settled = [p for p in pairs if p in compared and p[0] not in written and p[1] not in written]
    unsettled = sorted(set(pairs) - set(settled))
    found = verify(unsettled, out.texts(sid for pair in unsettled for sid in pair))
    found += [stored[p] for p in settled if p in stored]
    found.sort(key=lambda p: (p.a, p.b))
    out.put_duplicates(found, pairs)
    return found
