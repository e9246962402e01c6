"""Build or update a knowledge base: plan → per-document stages → corpus stages → one write.

The plan compares each file's content hash (its bytes plus its metadata sidecar) with the
stored one: only new and changed files go through the per-document stages (read, profile,
segment, extract, sketch: DOCUMENT_STAGES), in worker processes; then the corpus stages
(claims, near-duplicates, agreement, conflicts: CORPUS_STAGES) run over every source, and
only the rows that differ are written. Everything is written to a temporary copy that
replaces the KB only when the build is complete.

The KB records the version of every stage (a fingerprint of its code, kb.stages) and the
lexicon's hash. A build whose running stages differ makes again what they made: every
source when a per-document stage or the lexicon changed (sources kept from earlier builds
from the text the KB holds), the corpus-wide results when only a corpus stage changed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kb import __version__, collector, store
from kb.analyze import AGREEMENT, CONFLICTS, agreement, find_conflicts, voices
from kb.analyze.independence import DUPLICATES, SKETCH, Candidates, verify
from kb.errors import BuildError, IngestError, KbNotFoundError, NoSourcesError
from kb.ingest import SUPPORTED_SUFFIXES, FileRef, content_hash, discover, inside, same_file
from kb.ingest.files import is_gone
from kb.model import DuplicatePair, Skipped, Source, Statement
from kb.nlp.lexicon import SHIPPED_LEXICON, Lexicon, load_lexicon, require_concepts
from kb.progress import Progress, StepClock
from kb.stages import Document, Stage, check_order, extract, profile, read, segment
from kb.stages import assemble as claims_stage
from kb.stages.assemble import assemble, linked

__all__ = [
    "CORPUS_STAGES",
    "DOCUMENT_STAGES",
    "BuildReport",
    "Progress",
    "build",
    "default_lexicon_paths",
    "default_workers",
    "derive",
    "process_file",
    "remove",
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
CORPUS_STAGES: tuple[Stage, ...] = (claims_stage.STAGE, DUPLICATES, AGREEMENT, CONFLICTS)
check_order([*DOCUMENT_STAGES, *CORPUS_STAGES], given=("file", "lexicon"))


@dataclass
class BuildReport:
    """What a build did; the CLI prints it as one line."""

    kb_path: Path
    sources: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # sources in the KB that this build was not given, kept as they were
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
    unchanged: list[str]  # named, and the same file with the same bytes as stored
    kept: list[str]  # stored, not named by this build, kept
    removed: list[str]
    skipped: list[Skipped]
    stale: bool  # made with another lexicon or kb: every source is made again

    @property
    def rederive(self) -> list[str]:
        """The kept sources to make again from their stored text."""
        return self.kept if self.stale else []


def stage_versions(stages: tuple[Stage, ...]) -> str:
    """The versions of ``stages`` as the KB records them (JSON, by stage name)."""
    return json.dumps({stage.name: stage.version for stage in stages}, sort_keys=True)


@dataclass(frozen=True, slots=True)
class _Stamp:
    """What the stored results were made with, as the KB's meta table records it."""

    lexicon_sha256: str
    document_stages: str
    corpus_stages: str

    @classmethod
    def running(cls, lexicon: Lexicon) -> _Stamp:
        return cls(lexicon.sha256, stage_versions(DOCUMENT_STAGES), stage_versions(CORPUS_STAGES))

    def documents_differ(self, meta: dict[str, str]) -> bool:
        """Every source must be made again: a per-document stage or the lexicon changed."""
        return (meta.get("lexicon_sha256"), meta.get("document_stages")) != (
            self.lexicon_sha256,
            self.document_stages,
        )

    def corpus_differs(self, meta: dict[str, str]) -> bool:
        return meta.get("corpus_stages") != self.corpus_stages

    def pairs_differ(self, meta: dict[str, str]) -> bool:
        """Stored near-duplicate verdicts were made by another rule: compare every pair."""
        stored = json.loads(meta.get("corpus_stages") or "{}")
        return stored.get(DUPLICATES.name) != DUPLICATES.version


def default_lexicon_paths() -> list[Path]:
    """$KB_LEXICON (folders or files, separated by the OS path separator), else the lexicon
    shipped inside the kb package. Never a folder of the working directory: a lexicon that
    depends on where kb is run from is how an install without its lexicon went unnoticed."""
    named = [Path(p) for p in os.environ.get("KB_LEXICON", "").split(os.pathsep) if p]
    return named or [SHIPPED_LEXICON]


def _plan(
    refs: list[FileRef],
    skipped: list[Skipped],
    existing: dict[str, store.StoredSource],
    rule: _Removal,
    stale: bool,
) -> _Plan:
    """Compare the files with the stored sources by content hash and file; decide which
    stored sources this build removes (see _Removal) and which it keeps as they are.
    ``stale``: the KB was made with another lexicon or kb, so every source is made again."""
    process, unchanged, skipped = [], [], list(skipped)
    for ref in refs:
        try:
            digest = content_hash(ref.path)
        except (IngestError, OSError) as exc:
            skipped.append(Skipped(str(ref.path), getattr(exc, "reason", str(exc))))
            continue
        stored = existing.get(ref.source_id)
        if (
            stored
            and not stale
            and stored.file_sha256 == digest
            and same_file(stored.path, ref.path)
        ):
            unchanged.append(ref.source_id)
        else:
            process.append((ref, digest))
    present = {ref.source_id for ref, _ in process} | set(unchanged)
    removed, kept = [], []
    for source_id, stored in sorted(existing.items()):
        if source_id not in present:
            (removed if rule.removes(stored) else kept).append(source_id)
    return _Plan(process, unchanged, kept, removed, sorted(skipped), stale)


@dataclass(frozen=True, slots=True)
class _Removal:
    """Which stored sources a build removes, of those it did not read.

    A build adds and updates what it is given; it removes a source only when its file is
    gone from a folder it was given (a file kb cannot look at is not gone), with
    ``prune`` every source it was not given, and the ``ids`` removed on purpose
    (`kb remove`). Any other source is kept as it is: adding one file to a KB must not
    drop the rest.
    """

    folders: tuple[Path, ...] = ()
    prune: bool = False
    ids: frozenset[str] = frozenset()

    def check_held(self, existing: dict[str, store.StoredSource], kb_path: Path) -> None:
        """Refuse to remove on purpose a source the KB does not hold, or every source."""
        unknown = sorted(self.ids - set(existing))
        if unknown:
            raise KbNotFoundError(
                f"no source {unknown[0]!r} in {kb_path}; `kb sources` lists the source ids"
            )
        if self.ids and not set(existing) - self.ids:
            raise BuildError(
                f"that would remove every source of {kb_path}; delete the file instead"
            )

    def removes(self, stored: store.StoredSource) -> bool:
        if self.prune or stored.id in self.ids:
            return True
        return is_gone(Path(stored.path)) and inside(stored.path, self.folders)


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
    prune: bool = False,
) -> BuildReport:
    """Build the KB at ``kb_path`` from files and directories, or update it in place.

    The files given are added or updated. A source already in the KB is removed only
    when its file is gone from a folder given here, or, with ``prune``, when this build
    was not given its file; every other source is kept as it is (see _Removal).

    ``lexicon`` defaults to the one default_lexicon_paths() finds. ``workers`` is the
    number of processes that read and extract files (default: every core this process may
    use); the KB is the same, byte for byte, whatever it is.

    Raises NoSourcesError, leaving any existing KB unchanged, when nothing is readable,
    and LexiconError, before touching the KB, when the lexicon is missing or empty.

    Example::

        report = build(["data/sources"], "data/kb.sqlite")
        report.added, report.updated, report.unchanged, report.removed
    """
    paths = [Path(p) for p in paths]
    rule = _Removal(tuple(p for p in paths if p.is_dir()), prune)
    return _update(paths, Path(kb_path), rule, lexicon, progress, workers)


def remove(
    source_ids: Iterable[str],
    kb_path: str | Path,
    *,
    lexicon: Lexicon | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Remove these sources from the KB at ``kb_path``, and everything derived from them;
    claims, agreement and conflicts are worked out again from the sources that remain.

    Raises KbNotFoundError for an id the KB does not hold, and BuildError when nothing
    would remain; the KB is then unchanged.

    Example::

        remove(["003_a243d097950171fd"], "data/kb.sqlite").removed
    """
    kb_path = Path(kb_path)
    store.check_store(kb_path)  # a missing or foreign file: its own error
    return _update([], kb_path, _Removal(ids=frozenset(source_ids)), lexicon, progress, workers)


def _update(
    paths: list[Path],
    kb_path: Path,
    rule: _Removal,
    lexicon: Lexicon | None,
    progress: Progress | None,
    workers: int | None,
) -> BuildReport:
    """Read ``paths`` into the KB, removing the stored sources ``rule`` says to remove."""
    started = time.perf_counter()
    if lexicon is None:
        lexicon = load_lexicon(default_lexicon_paths())
    require_concepts(lexicon)  # a Lexicon made in code is checked too
    report = BuildReport(kb_path=kb_path)
    stamp = _Stamp.running(lexicon)

    with store.build_lock(kb_path):
        fresh = store.is_outdated(kb_path)
        existing = {} if fresh else store.stored_hashes(kb_path)  # refuses non-kb files
        rule.check_held(existing, kb_path)
        meta = {} if fresh else store.stored_meta(kb_path)
        # A new lexicon or per-document stage: every source must be made again.
        stale = bool(existing) and stamp.documents_differ(meta)
        recompute = bool(existing) and stamp.corpus_differs(meta)
        refs, skipped = discover(paths, {k: v.path for k, v in existing.items()})
        report.warnings = [w for ref in refs for w in ref.warnings]
        plan = _plan(refs, skipped, existing, rule, stale)
        report.unchanged, report.kept = len(plan.unchanged), len(plan.kept)
        if paths and not plan.process and not plan.unchanged:
            raise _nothing_readable(paths, plan.skipped)
        report.skipped = list(plan.skipped)

        if (
            fresh
            or plan.process
            or plan.removed
            or plan.rederive
            or recompute
            or _skipped_changed(kb_path, report.skipped)
        ):
            workers = _worker_count(workers, report)
            recompare = stale or stamp.pairs_differ(meta)
            job = _Job(plan, set(existing), lexicon, stamp, paths, fresh, workers, recompare)
            steps = StepClock(progress, json.loads(meta.get("step_seconds") or "{}"))
            _write(kb_path, job, report, progress, steps)
            steps.begin("done")
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
    lexicon: Lexicon
    stamp: _Stamp
    paths: list[Path]
    fresh: bool
    workers: int
    recompare: bool  # near-duplicate verdicts of earlier builds do not hold


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
        return Skipped(str(ref.path), exc.reason)


def derive(source: Source, resources: Resources) -> Document:
    """What the per-document stages derive from a source's text and metadata.

    A source kept from an earlier build is made again from its stored text this way when
    the lexicon or a stage changes; its kind and author, filled from the profile then, stay."""
    return _run(Document(source=source), resources)


def _process(item: Work, resources: Resources) -> Document | Skipped:
    if isinstance(item, Source):
        return derive(item, resources)
    return process_file(item[0], item[1], resources)


def _work_id(item: Work) -> str:
    return item.id if isinstance(item, Source) else item[0].source_id


# Each worker process prepares the stages' resources once, when it starts.
_worker_resources: Resources | None = None


def _start_worker(lexicon: Lexicon) -> None:
    global _worker_resources
    _worker_resources = Resources(lexicon)


def _process_in_worker(item: Work) -> Document | Skipped:
    assert _worker_resources is not None, "worker started without _start_worker"
    return _process(item, _worker_resources)


def _worker_count(asked: int | None, report: BuildReport) -> int:
    """The processes to extract with: as asked, but no more than the cores kb may use
    (more only compete for them: 64 workers on 2 cores ran 7 times slower)."""
    cores = default_workers()
    if asked is None:
        return cores
    if asked > cores:
        report.warnings.append(
            f"{asked} workers asked for, but kb may use {cores} cores here; using {cores}"
        )
        return cores
    return max(1, asked)


def default_workers() -> int:
    """Processes for extraction: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _process_all(items: list[Work], lexicon: Lexicon, workers: int) -> Iterator[Document | Skipped]:
    """Process ``items`` (files, or stored sources to make again) in their order, in
    ``workers`` processes.

    Results come back in input order (imap), so the store is written in the same order as
    by one process and the file is byte-identical. Few files are done in this process:
    starting a worker (importing spaCy, loading the lexicon) costs about a second.
    """
    if workers <= 1 or len(items) < PARALLEL_MIN_SOURCES:
        resources = Resources(lexicon)
        for item in items:
            yield _process(item, resources)
        return
    # "spawn": a fresh interpreter is safe whatever threads the caller runs (a dashboard).
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with context.Pool(workers, _start_worker, (lexicon,)) as pool:
        yield from pool.imap(_process_in_worker, items, chunksize=chunk)


def _write(
    kb_path: Path, job: _Job, report: BuildReport, progress: Progress | None, steps: StepClock
) -> None:
    plan, stored_ids = job.plan, job.stored_ids
    steps.begin("reading")
    with store.writer(kb_path, fresh=job.fresh) as out:
        for source_id in plan.removed:
            out.delete_source(source_id)
        report.removed = len(plan.removed)
        work: list[Work] = [*plan.process, *out.sources(plan.rederive)]
        # What the corpus-wide steps read: the new statements and sketches are kept from
        # processing; only an update reads the unchanged sources' back from the store.
        statements: list[Statement] = []
        candidates = Candidates()
        written: set[str] = set()
        rederived = set(plan.rederive)
        processed = _process_all(work, job.lexicon, job.workers)
        for done, (item, result) in enumerate(zip(work, processed, strict=True), start=1):
            if isinstance(result, Skipped):
                report.skipped.append(result)
                out.delete_source(_work_id(item))  # an unreadable file no longer backs its source
            else:
                source = result.source
                report.warnings.extend(w for w in source.warnings if w not in report.warnings)
                out.put_source(source, result.units, result.statements, result.sketch)
                statements += result.statements
                candidates.add(source.id, result.sketch)
                written.add(source.id)
                if source.id not in rederived:  # counted as kept
                    is_update = source.id in stored_ids
                    report.updated += is_update
                    report.added += not is_update
            if done % 200 == 0:
                out.checkpoint()
            if progress:
                progress(done, len(work), _work_id(item))
        if job.paths and not report.added and not report.updated and not report.unchanged:
            raise _nothing_readable(job.paths, report.skipped)
        # The corpus-wide steps make millions of objects and no cycles: without the
        # collector, a one-source rebuild at 10,000 sources takes 20 s instead of 24.
        with collector.paused():
            _corpus_wide(out, job, report, statements, candidates, written, steps)
        steps.begin("writing")
        out.set_skipped(report.skipped)
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        # Where the lexicon was, so that `kb check` reads sentences as the build read sources.
        files = json.dumps([str(Path(f).resolve()) for f in job.lexicon.files])
        # What each step took, for the next build's estimate of the time left (kb.progress).
        took = json.dumps(steps.seconds, sort_keys=True)
        out.set_meta(built_at=built_at, kb_version=__version__, lexicon_files=files,
                     step_seconds=took, **asdict(job.stamp))  # fmt: skip


def _corpus_wide(
    out: store.Writer,
    job: _Job,
    report: BuildReport,
    statements: list[Statement],
    candidates: Candidates,
    written: set[str],
    steps: StepClock,
) -> None:
    """Claims, near-duplicates, agreement and conflicts over every source, from the
    statements and sketches of the sources this build wrote (``written``) and the stored
    ones of the others; only rows that differ from the stored ones are written."""
    steps.begin("claims")
    if job.plan.unchanged or job.plan.kept:
        statements += out.statements(exclude=written)
        for source_id, sketched in out.sketches(exclude=written):
            candidates.add(source_id, sketched)
    # In the store's order (source, then position), so that every step sees the
    # statements in one order however they were gathered.
    statements.sort(key=lambda s: (s.source, s.start, s.end))
    claims = assemble(statements, job.lexicon)
    statements = linked(statements, claims)
    report.claims_written = out.put_claims(claims, statements)
    steps.begin("near-duplicates")
    pairs, compared = find_near_duplicates(
        out, candidates, set(candidates.source_ids) if job.recompare else written
    )
    out.put_duplicates(pairs, compared)
    steps.begin("agreement")
    # Stored, like the conflicts below, so that listings read one table, not every
    # statement; the whole is recomputed, and only what differs written.
    voice_of = voices(candidates.source_ids, [(p.a, p.b) for p in pairs])
    out.put_agreement(agreement(claims, statements, voice_of, job.lexicon))
    steps.begin("conflicts")
    conflicts = find_conflicts(claims, statements, job.lexicon)
    report.conflicts_written = out.put_conflicts(conflicts, statements)


def find_near_duplicates(
    out: store.Writer, candidates: Candidates, written: set[str]
) -> tuple[list[DuplicatePair], list[tuple[str, str]]]:
    """The near-duplicate pairs among the sources, and the candidate pairs compared (what
    the caller stores). A pair's verdict depends on its two texts alone, so a pair of
    sources this build did not write keeps the verdict of the build that compared it:
    after a change to one source, only that source's pairs and pairs never compared are
    compared."""
    pairs = candidates.pairs()
    compared, stored = out.compared(), out.duplicates()
    settled = [p for p in pairs if p in compared and p[0] not in written and p[1] not in written]
    unsettled = sorted(set(pairs) - set(settled))
    found = verify(unsettled, out.texts(sid for pair in unsettled for sid in pair))
    found += [stored[p] for p in settled if p in stored]
    found.sort(key=lambda p: (p.a, p.b))
    return found, pairs
