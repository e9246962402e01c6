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
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kb import __version__, collector, store
from kb.analyze import AGREEMENT, CONFLICTS, agreement, find_conflicts, voices
from kb.analyze.curation import (
    anchor_statements,
    apply_to_claims,
    conflict_status,
    decisions_by_source,
    orphan_gone_sources,
)
from kb.analyze.independence import DUPLICATES, Candidates, verify
from kb.distributed import parse_scheduler
from kb.errors import BuildError, IngestError, KbNotFoundError, NoSourcesError
from kb.ingest import (
    SUPPORTED_SUFFIXES,
    FileRef,
    discover,
    inside,
    page_refs,
    ref_hash,
    same_origin,
)
from kb.ingest.fetch import DEFAULT_TIMEOUT, Page, fetch_page, is_url
from kb.ingest.files import is_gone
from kb.ingest.references import ReferenceIndex, read_library
from kb.model import Decision, DuplicatePair, Skipped, Statement
from kb.nlp.lexicon import SHIPPED_LEXICON, Lexicon, load_lexicon, require_concepts
from kb.process import (
    DOCUMENT_STAGES,
    Work,
    default_workers,
    derive,
    process_file,
    resume_or_process,
    work_id,
)
from kb.progress import Progress, StepClock
from kb.stages import Stage, check_order
from kb.stages import assemble as claims_stage
from kb.stages.assemble import assemble, linked

__all__ = [
    "CORPUS_STAGES",
    "DOCUMENT_STAGES",
    "BuildReport",
    "Progress",
    "build",
    "curate",
    "default_lexicon_paths",
    "default_workers",
    "derive",
    "process_file",
    "remove",
]

CORPUS_STAGES: tuple[Stage, ...] = (claims_stage.STAGE, DUPLICATES, AGREEMENT, CONFLICTS)
check_order([*DOCUMENT_STAGES, *CORPUS_STAGES], given=("file", "lexicon"))

NO_REFERENCES = "[]"


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
    resumed: int = 0  # of those read, how many an earlier, stopped build had read
    statements: int = 0
    claims: int = 0
    claims_written: int = 0  # claims inserted, changed or deleted by this build
    conflicts_written: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched_references: list[str] = field(default_factory=list)  # keys of library entries

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
    references: str  # the library's entries (JSON) the sources' metadata was taken from

    @classmethod
    def running(cls, lexicon: Lexicon, refs: str) -> _Stamp:
        stages = stage_versions(DOCUMENT_STAGES), stage_versions(CORPUS_STAGES)
        return cls(lexicon.sha256, *stages, refs)

    def documents_differ(self, meta: dict[str, str]) -> bool:
        """Every source must be made again: a per-document stage, the lexicon or the
        reference library changed."""
        return (
            meta.get("lexicon_sha256"),
            meta.get("document_stages"),
            meta.get("references", NO_REFERENCES),
        ) != (self.lexicon_sha256, self.document_stages, self.references)

    def journal_key(self) -> str:
        """What must be the same for a stopped build's per-document results to be
        taken as they are (kb.store.journal): the reading, and the kb that encoded them."""
        made_by = [__version__, store.SCHEMA_VERSION]
        return json.dumps([*made_by, self.lexicon_sha256, self.document_stages])

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
            digest = ref_hash(ref)
        except (IngestError, OSError) as exc:
            skipped.append(Skipped(ref.where, getattr(exc, "reason", str(exc))))
            continue
        stored = existing.get(ref.source_id)
        if stored and not stale and stored.file_sha256 == digest and same_origin(stored.path, ref):
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
        if is_url(stored.path):  # a page is no file that can be gone from a folder
            return False
        return is_gone(Path(stored.path)) and inside(stored.path, self.folders)


def _nothing_readable(paths: list[Path | str], skipped: list[Skipped]) -> NoSourcesError:
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
    timeout: float = DEFAULT_TIMEOUT,
    references: Iterable[str | Path] | None = None,
    from_scratch: bool = False,
    scheduler: str | None = None,
) -> BuildReport:
    """Build the KB at ``kb_path`` from files, directories and web pages (http(s):// strings,
    each fetched first within ``timeout`` s; one that cannot be raises FetchError), or update
    it in place. ``references``: reference managers' exports (.bib, .ris, CSL-JSON .json)
    whose entries give the sources they match their metadata; the KB keeps them for builds
    given none (kb.ingest.references; ReferencesError before anything when unreadable).

    The files and pages given are added or updated. A source already in the KB is removed
    only when its file is gone from a folder given here, or, with ``prune``, when this build
    was not given it; every other source is kept as it is (see _Removal). With
    ``from_scratch``, every file is read again and everything made anew. A curator's
    decisions are kept and applied whatever is made again (kb.analyze.curation).
    ``scheduler`` runs the per-document stages on a Dask cluster ("tcp://host:8786", or
    "local:N" worker processes; kb.distributed) instead of ``workers`` local processes;
    the KB is the same either way.

    ``lexicon`` defaults to the one default_lexicon_paths() finds. ``workers`` is the
    number of processes that read and extract files (default: every core this process may
    use); the KB is the same, byte for byte, whatever it is.

    Raises NoSourcesError, leaving any existing KB unchanged, when nothing is readable,
    and LexiconError, before touching the KB, when the lexicon is missing or empty.

    Example::

        report = build(["data/sources"], "data/kb.sqlite")
        report.added, report.updated, report.unchanged, report.removed
    """
    given = list(paths)
    library = read_library(references)
    urls = [str(p) for p in given if is_url(p)]
    pages = [fetch_page(url, timeout=timeout) for url in dict.fromkeys(urls)]
    files = [Path(p) for p in given if not is_url(p)]
    rule = _Removal(tuple(p for p in files if p.is_dir()), prune)
    if scheduler:
        parse_scheduler(scheduler)  # a bad address is refused before anything is read
    return _update(files, Path(kb_path), rule, lexicon, progress, workers, pages=pages,
                   library=library, from_scratch=from_scratch, scheduler=scheduler)  # fmt: skip


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
    curation: CurationChange | None = None,
    from_scratch: bool = False,
    pages: list[Page] | None = None,
    library: str | None = None,
    scheduler: str | None = None,
) -> BuildReport:
    """Read ``paths`` and fetched ``pages`` into the KB, removing the stored sources
    ``rule`` says to remove, and change the curator's decisions as ``curation`` says."""
    started = time.perf_counter()
    if lexicon is None:
        lexicon = load_lexicon(default_lexicon_paths())
    require_concepts(lexicon)  # a Lexicon made in code is checked too
    report = BuildReport(kb_path=kb_path)

    with store.build_lock(kb_path):
        fresh = store.is_outdated(kb_path)
        existing = {} if fresh else store.stored_hashes(kb_path)  # refuses non-kb files
        rule.check_held(existing, kb_path)
        meta = {} if fresh else store.stored_meta(kb_path)
        # A build given no --references keeps the library of the builds before it.
        stamp = _Stamp.running(lexicon, library or meta.get("references", NO_REFERENCES))
        # A new lexicon or per-document stage: every source must be made again.
        stale = bool(existing) and (from_scratch or stamp.documents_differ(meta))
        # A new store (a kb version with another schema) keeps the old one's decisions.
        carried = store.carried_decisions(kb_path) if fresh else None
        recompute = bool(existing) and stamp.corpus_differs(meta)
        stored_paths = {k: v.path for k, v in existing.items()}
        refs, skipped = discover(paths, stored_paths)
        refs += page_refs(pages or [], stored_paths, (ref.source_id for ref in refs))
        given: list[Path | str] = [*paths, *(page.url for page in pages or [])]
        report.warnings = [w for ref in refs for w in ref.warnings]
        plan = _plan(refs, skipped, existing, rule, stale)
        report.unchanged, report.kept = len(plan.unchanged), len(plan.kept)
        if given and not plan.process and not plan.unchanged:
            raise _nothing_readable(given, plan.skipped)
        report.skipped = list(plan.skipped)

        if (
            fresh
            or plan.process
            or plan.removed
            or plan.rederive
            or recompute
            or curation is not None
            or _skipped_changed(kb_path, report.skipped)
        ):
            workers = _worker_count(workers, report)
            recompare = stale or stamp.pairs_differ(meta)
            job = _Job(plan, set(existing), lexicon, stamp, given, fresh, workers, recompare,
                       curation or CurationChange(), carried, scheduler,
                       resume=not from_scratch)  # fmt: skip
            steps = StepClock(progress, json.loads(meta.get("step_seconds") or "{}"))
            _write(kb_path, job, report, progress, steps)
            steps.begin("done")
        with store.read_connection(kb_path) as conn:
            counts = store.count_rows(conn)
            if library:  # said by the build given the library, not by every build after
                entries = ReferenceIndex.from_json(library)
                report.unmatched_references = entries.unmatched(store.load_sources(conn))
    report.sources = counts["sources"]
    report.statements = counts["statements"]
    report.claims = counts["claims"]
    report.seconds = time.perf_counter() - started
    return report


def curate(kb_path: str | Path, curation: CurationChange, lexicon: Lexicon) -> BuildReport:
    """Change the curator's decisions in the KB at ``kb_path`` and apply them: the
    sources ``curation.rederive`` names are made again from their stored text, and the
    claims, agreement and conflicts worked out again. ``lexicon`` must be the one the KB
    was built with (else every source would be made again)."""
    kb_path = Path(kb_path)
    store.check_store(kb_path)
    return _update([], kb_path, _Removal(), lexicon, None, 1, curation=curation)


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
    paths: list[Path | str]  # the files, folders and page addresses given
    fresh: bool
    workers: int
    recompare: bool  # near-duplicate verdicts of earlier builds do not hold
    curation: CurationChange
    carried: list[Decision] | None  # a new store's decisions, from the old one
    scheduler: str | None = None  # a Dask cluster for the per-document stages
    resume: bool = True  # take what a stopped build read from its journal


@dataclass(frozen=True, slots=True)
class CurationChange:
    """A change to the curator's decisions (kb.api.curation makes them), and the stored
    sources to read again for it: a rejected or restored statement is dropped or made
    again where its source is read."""

    change: Callable[[list[Decision]], list[Decision]] = list
    rederive: frozenset[str] = frozenset()


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


def _write(
    kb_path: Path, job: _Job, report: BuildReport, progress: Progress | None, steps: StepClock
) -> None:
    plan, stored_ids = job.plan, job.stored_ids
    steps.begin("reading")
    index = ReferenceIndex.from_json(job.stamp.references)
    with (
        store.writer(kb_path, fresh=job.fresh) as out,
        store.open_journal(kb_path, job.stamp.journal_key()) as journal,
    ):
        decisions = job.curation.change(out.decisions() if job.carried is None else job.carried)
        about = decisions_by_source(decisions)
        for source_id in plan.removed:
            out.delete_source(source_id)
        report.removed = len(plan.removed)
        busy = {work_id(item) for item in plan.process} | set(plan.removed)
        again = sorted(set(plan.rederive) | (job.curation.rederive - busy))
        work: list[Work] = [*plan.process, *out.sources(again)]
        # What the corpus-wide steps read: the new statements and sketches are kept from
        # processing; only an update reads the unchanged sources' back from the store.
        statements: list[Statement] = []
        candidates = Candidates()
        written: set[str] = set()
        rederived = set(again)
        if not job.resume:
            journal.clear()  # what it holds is not to be taken: nor kept for a next build
        report.resumed, processed = resume_or_process(
            work, journal, job.lexicon, job.workers, job.scheduler
        )
        for done, (item, result) in enumerate(zip(work, processed, strict=True), start=1):
            if isinstance(result, Skipped):
                report.skipped.append(result)
                out.delete_source(work_id(item))  # an unreadable file no longer backs its source
            else:
                source = result.source
                index.apply(source)  # the library's metadata, over what the file says
                report.warnings.extend(w for w in source.warnings if w not in report.warnings)
                mine = about.get(source.id, [])
                kept, anchored = anchor_statements(
                    [decisions[i] for i in mine], source.id, source.text, result.statements
                )
                for i, decision in zip(mine, anchored, strict=True):
                    decisions[i] = decision
                out.put_source(source, result.units, kept, result.sketch)
                statements += kept
                candidates.add(source.id, result.sketch)
                written.add(source.id)
                if source.id not in rederived:  # counted as kept
                    is_update = source.id in stored_ids
                    report.updated += is_update
                    report.added += not is_update
            if done % 200 == 0:
                out.checkpoint()
            if progress:
                progress(done, len(work), work_id(item))
        if job.paths and not report.added and not report.updated and not report.unchanged:
            raise _nothing_readable(job.paths, report.skipped)
        # The corpus-wide steps make millions of objects and no cycles: without the
        # collector, a one-source rebuild at 10,000 sources takes 20 s instead of 24.
        with collector.paused():
            _corpus_wide(out, job, report, statements, candidates, written, decisions, steps)
        steps.begin("writing")
        out.set_skipped(report.skipped)
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        # Where the lexicon was, so that `kb check` reads sentences as the build read sources.
        files = json.dumps([str(Path(f).resolve()) for f in job.lexicon.files])
        # What each step took, for the next build's estimate of the time left (kb.progress).
        took = json.dumps(steps.seconds, sort_keys=True)
        out.set_meta(built_at=built_at, kb_version=__version__, lexicon_files=files,
                     step_seconds=took, **asdict(job.stamp))  # fmt: skip
    store.discard_journal(kb_path)  # the KB holds it all now


def _corpus_wide(
    out: store.Writer,
    job: _Job,
    report: BuildReport,
    statements: list[Statement],
    candidates: Candidates,
    written: set[str],
    decisions: list[Decision],
    steps: StepClock,
) -> None:
    """Claims, near-duplicates, agreement and conflicts over every source, from the
    statements and sketches of the sources this build wrote (``written``) and the stored
    ones of the others, as the curator's ``decisions`` have them; only rows that differ
    from the stored ones are written."""
    steps.begin("claims")
    if job.plan.unchanged or job.plan.kept:
        statements += out.statements(exclude=written)
        for source_id, sketched in out.sketches(exclude=written):
            candidates.add(source_id, sketched)
    # In the store's order (source, then position), so that every step sees the
    # statements in one order however they were gathered.
    statements.sort(key=lambda s: (s.source, s.start, s.end))
    claims, decisions = apply_to_claims(assemble(statements, job.lexicon), decisions)
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
    conflicts, decisions = conflict_status(
        find_conflicts(claims, statements, job.lexicon), decisions
    )
    report.conflicts_written = out.put_conflicts(conflicts, statements)
    out.put_decisions(orphan_gone_sources(decisions, set(candidates.source_ids)))


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
