"""Build speed, incremental rebuilds and peak memory at 100, 1,000 and 10,000 sources.

For each size, the corpus of benchmarks/make_corpus.py (seed 0, 600 words on average; made
once and kept in benchmarks/.cache/, which git ignores) is copied to a scratch folder and,
in a fresh process so that peak memory is that size's own, timed:

- a first build into a new KB: MB/s and sources/s;
- a rebuild with nothing changed (target: under 5% of the first build);
- a rebuild after one source gains a sentence (target: that source, plus only the claims
  and conflicts it touches). The time spent in the corpus-wide steps (claims,
  near-duplicates, conflicts, reading the stored statements back) is shown for every build:
  it is what a one-source change should not pay in full;
- spaCy's bare tokenizer (blank English, one process, as benchmarks/extract_speed.py runs
  it) over the same texts, and build time ÷ tokenizer time (target: at most 5×).

Peak memory is the peak RSS of the process plus that of its largest child (getrusage
RUSAGE_SELF + RUSAGE_CHILDREN), counted once per worker process the build runs at once: a
bound from above, since the workers and the corpus-wide steps do not peak together
(target: under 2 GB). Times include loading the lexicon and spaCy inside the build, not
Python's start-up. The run ends with a markdown growth table and the log-log slope of time
and memory against sources between successive sizes (1.0 is linear).

The full run (100, 1,000, 10,000) takes several minutes, most of it the 10,000 size; --quick
runs 100 and 1,000.

Run: .venv/bin/python benchmarks/build_speed.py [--sizes 100 1000 10000] [--workers N]
         [--scheduler local:2]
         [--quick] [--words 600] [--seed 0] [--cache DIR]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import inspect
import itertools
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
CACHE = BENCHMARKS / ".cache"
SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (100, 1_000)
# What the one-source change appends: a sentence that makes claims the lexicon knows, so
# that it touches existing claims and, with its 45 minutes, a numeric conflict.
CHANGE = "\n\nAcupuncture does not relieve back pain, and the needles stay in for 45 minutes.\n"

# Steps of a build timed by wrapping them where kb calls them; a step that is not found is
# left out (tests/test_store.py fails when one is not found in this tree). Start-up is paid
# once per build whatever its size; preparing the stages (the lexicon's matchers) is part
# of it only when this process extracts (with workers, each worker prepares its own). The
# corpus-wide steps are what a one-source change should not pay in full.
START_UP = {"start-up": [("kb.nlp.segment", "blank_nlp"), ("kb.pipeline", "load_lexicon"),
                         ("kb.pipeline", "Resources.__init__")]}  # fmt: skip
# Writing each source's rows (and their full-text index entries) happens in the main
# process while workers extract.
WRITING = {"writing sources": [("kb.store", "Writer.put_source"),
                               ("kb.store", "Writer.delete_source"),
                               ("kb.store", "Writer.checkpoint")]}  # fmt: skip
CORPUS_WIDE = {
    "claims": [("kb.pipeline", "assemble"), ("kb.store", "Writer.put_claims")],
    # Sketches are made per document, with extraction; here are packing them, reading
    # the unchanged sources' back, finding the candidate pairs and comparing them.
    "near-duplicates": [
        ("kb.pipeline", "find_near_duplicates"),
        ("kb.analyze.independence", "Candidates.add"),
        ("kb.store.codecs", "decode_sketch"),
        ("kb.store", "Writer.put_duplicates"),
    ],
    "conflicts": [("kb.pipeline", "find_conflicts"), ("kb.store", "Writer.put_conflicts")],
    "reading back": [
        ("kb.store", "Writer.statements"),
        ("kb.store", "Writer.sources"),
    ],
}


# ------------------------------------------------------------------ the cached corpus


def cached_corpus(n: int, words: int = 600, seed: int = 0, cache: Path = CACHE) -> Path:
    """The folder of make_corpus.py's ``n`` articles, made once and reused while the
    generator, its arguments and the presence of ../shared (its real text) are the same."""
    sys.path.insert(0, str(BENCHMARKS))
    import make_corpus

    folder = cache / f"corpus-n{n}-w{words}-s{seed}"
    stamp_path = folder.with_suffix(".json")
    stamp = {
        "files": n,
        "words": words,
        "seed": seed,
        "make_corpus_sha256": hashlib.sha256(Path(make_corpus.__file__).read_bytes()).hexdigest(),
        "check_covid": make_corpus.CHECK_COVID.is_file(),
    }
    try:
        if json.loads(stamp_path.read_text(encoding="utf-8")) == stamp and folder.is_dir():
            return folder
    except (OSError, ValueError):
        pass
    stamp_path.unlink(missing_ok=True)  # written last: a corpus without it is incomplete
    if folder.exists():
        shutil.rmtree(folder)
    counts = make_corpus.make_corpus(folder, n, words=words, seed=seed)
    print(f"made {n:,} sources ({counts['bytes'] / 1e6:.1f} MB) in {counts['seconds']:.1f} s "
          f"from {counts['origin']} -> {folder}", flush=True)  # fmt: skip
    stamp_path.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt") if not p.name.startswith("."))


# ------------------------------------------------------------------ one size, in a child


def _wrap_steps(totals: dict[str, float]) -> None:
    """Add the time of each step of START_UP, WRITING and CORPUS_WIDE to ``totals``
    whenever a build runs it."""
    import importlib

    def timed(fn, stage):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - started

        return wrapper

    for stage, places in {**START_UP, **WRITING, **CORPUS_WIDE}.items():
        for module_name, attribute in places:
            owner = importlib.import_module(module_name)
            *outer, name = attribute.split(".")
            for part in outer:
                owner = getattr(owner, part, None)
            if owner is not None and callable(getattr(owner, name, None)):
                setattr(owner, name, timed(getattr(owner, name), stage))


def _worker_processes(workers: int | None, takes_workers: bool) -> int:
    """How many worker processes the build may run at once."""
    if not takes_workers:
        return 1
    if workers is not None:
        return max(1, workers)
    import kb.pipeline

    default = getattr(kb.pipeline, "default_workers", None)
    return default() if default else os.cpu_count() or 1


def peak(f: dict) -> float:
    """The bound on peak memory, in MB: the process and each worker at its largest."""
    return f["peak_self_mb"] + f.get("processes", 1) * f["peak_children_mb"]


def _peak_mb() -> tuple[float, float]:
    """Peak RSS in MB of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def measure(
    corpus: Path, workers: int | None, workers_given: bool, scheduler: str | None = None
) -> dict:
    """Build, rebuild unchanged, rebuild with one source changed, and tokenize, on a
    scratch copy of ``corpus``; the figures as a dict."""
    totals: dict[str, float] = defaultdict(float)
    _wrap_steps(totals)
    from kb.pipeline import build

    options = {}
    takes_workers = "workers" in inspect.signature(build).parameters
    if takes_workers and workers_given:
        options["workers"] = workers
    if not takes_workers:
        workers_label = "one process: kb.pipeline.build takes no workers"
    elif workers_given:
        workers_label = f"workers={workers}"
    else:
        workers_label = "kb.pipeline's default workers"
    if scheduler:  # the per-document stages on Dask (kb.distributed)
        options["scheduler"] = scheduler
        workers_label = f"scheduler {scheduler}"
    with tempfile.TemporaryDirectory(prefix="kb-build-speed-") as scratch:
        folder = Path(scratch) / "corpus"
        shutil.copytree(corpus, folder, ignore=shutil.ignore_patterns(".*"))
        kb_path = Path(scratch) / "kb.sqlite"
        files = corpus_files(folder)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        figures: dict = {"sources": len(files), "mb": megabytes, "workers": workers_label}

        def timed_build(name: str):
            totals.clear()
            started = time.perf_counter()
            report = build([folder], kb_path, **options)
            figures[name] = time.perf_counter() - started
            figures[name + "_steps"] = dict(totals)
            return report

        report = timed_build("first")
        figures.update(statements=report.statements, claims=report.claims)
        unchanged = timed_build("unchanged")
        figures["unchanged_rewrote"] = unchanged.changed
        changed = files[len(files) // 2]
        with changed.open("a", encoding="utf-8") as fh:
            fh.write(CHANGE)
        report = timed_build("one_changed")
        figures["one_changed_counts"] = {
            "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            # rows the build wrote, where kb.pipeline reports them
            "claims written": getattr(report, "claims_written", None),
            "conflicts written": getattr(report, "conflicts_written", None),
        }  # fmt: skip
        figures["peak_self_mb"], figures["peak_children_mb"] = _peak_mb()
        figures["processes"] = _worker_processes(options.get("workers"), takes_workers)

        texts = [p.read_text(encoding="utf-8") for p in files]
    # spaCy's own blank English pipeline, fresh: it meets the text for the first time, as
    # the build did (kb's pipeline computes fewer word attributes; see blank_nlp).
    from extract_speed import time_tokenizer

    figures["tokens"], figures["tokenizer"] = time_tokenizer(texts)
    return figures


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _steps(total: float, timings: dict[str, float]) -> str:
    """Where a build's time went: start-up, per-document work (the rest; with workers,
    what the main process waits for them), writing sources, corpus-wide steps."""
    start_up = sum(timings.get(name, 0.0) for name in START_UP)
    writing = sum(timings.get(name, 0.0) for name in WRITING)
    wide = {name: timings[name] for name in CORPUS_WIDE if name in timings}
    parts = ", ".join(f"{name} {_seconds(t)}" for name, t in wide.items())
    return (
        f"start-up {_seconds(start_up)}, "
        f"per-document {_seconds(total - start_up - writing - sum(wide.values()))}, "
        f"writing sources {_seconds(writing)}, "
        f"corpus-wide {_seconds(sum(wide.values()))} ({parts or 'steps not found in kb.pipeline'})"
    )


def print_size(f: dict) -> None:
    """The figures of one size, as lines a reader can check against the targets."""
    print(f"== {f['sources']:,} sources, {f['mb']:.1f} MB, {f['statements']:,} statements, "
          f"{f['claims']:,} claims ({f['workers']})")  # fmt: skip
    first = f["first"]
    print(f"first build          {_seconds(first):>8}  {f['sources'] / first:7.1f} sources/s "
          f"{f['mb'] / first:6.3f} MB/s")  # fmt: skip
    print(f"    {_steps(first, f['first_steps'])}")
    share = f["unchanged"] / first
    print(f"rebuild, unchanged   {_seconds(f['unchanged']):>8}  {share:7.1%} of the first build "
          f"(target < 5%: {'meets' if share < 0.05 else 'misses'})"
          + ("; the KB was rewritten" if f["unchanged_rewrote"] else ""))  # fmt: skip
    counts = f["one_changed_counts"]
    print(f"rebuild, one changed {_seconds(f['one_changed']):>8}  "
          f"{f['one_changed'] / first:7.1%} of the first build "
          f"({counts['updated']} updated, {counts['added']} added, "
          f"{counts['unchanged']:,} unchanged"
          + "".join(f", {counts[k]:,} {k}" for k in ("claims written", "conflicts written")
                    if counts.get(k) is not None)
          + ")")  # fmt: skip
    print(f"    {_steps(f['one_changed'], f['one_changed_steps'])}")
    tokenizer = f["tokenizer"]
    print(f"bare tokenizer       {_seconds(tokenizer):>8}  {f['sources'] / tokenizer:7.1f} "
          f"sources/s {f['mb'] / tokenizer:6.3f} MB/s "
          f"({f['tokens']:,} tokens, one process)")  # fmt: skip
    ratio = first / tokenizer
    start_up = sum(f["first_steps"].get(name, 0.0) for name in START_UP)
    print(f"build / tokenizer    {ratio:7.1f}×  (target ≤ 5×: "
          f"{'meets' if ratio <= 5 else 'misses'}; {(first - start_up) / tokenizer:.1f}× "
          "without start-up)")  # fmt: skip
    bound = peak(f)
    children = f"{f.get('processes', 1)} × largest child {f['peak_children_mb']:.0f} MB"
    print(f"peak memory        ≤ {bound:6.0f} MB  (process {f['peak_self_mb']:.0f} MB + "
          f"{children}; target < 2 GB: {'meets' if bound < 2048 else 'misses'})",
          flush=True)  # fmt: skip


# ------------------------------------------------------------------ all sizes


def growth_table(rows: list[dict]) -> str:
    """The markdown growth table, then the log-log slopes between successive sizes."""
    lines = [
        "| sources | MB | build s | sources/s | MB/s | peak MB | rebuild unchanged s "
        "| rebuild one changed s | × tokenizer |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in rows:
        lines.append(
            f"| {f['sources']:,} | {f['mb']:.1f} | {f['first']:.1f} "
            f"| {f['sources'] / f['first']:.1f} | {f['mb'] / f['first']:.3f} | {peak(f):.0f} "
            f"| {f['unchanged']:.2f} | {f['one_changed']:.1f} | {f['first'] / f['tokenizer']:.1f} |"
        )
    if len(rows) > 1:
        lines += ["", "| sources | time slope | memory slope |", "|---|---:|---:|"]
        for a, b in itertools.pairwise(rows):
            span = math.log(b["sources"] / a["sources"])
            time_slope = math.log(b["first"] / a["first"]) / span
            memory_slope = math.log(peak(b) / peak(a)) / span
            lines.append(f"| {a['sources']:,} → {b['sources']:,} | {time_slope:.2f} "
                         f"| {memory_slope:.2f} |")  # fmt: skip
    return "\n".join(lines)


def run_size(n: int, args: argparse.Namespace) -> dict:
    """Measure one size in a fresh process; its figures."""
    corpus = cached_corpus(n, args.words, args.seed, args.cache)
    with tempfile.TemporaryDirectory(prefix="kb-build-speed-") as scratch:
        out = Path(scratch) / "figures.json"
        command = [sys.executable, __file__, "--child", str(corpus), "--out", str(out)]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        if args.scheduler:
            command += ["--scheduler", args.scheduler]
        subprocess.run(command, check=True, cwd=ROOT)
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: build_speed.py --sizes 100 1000 --workers 1",
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="sources per run (100 1000 10000)")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1000 only")
    parser.add_argument("--workers", type=int, help="passed to kb.pipeline.build when it takes it")
    parser.add_argument("--scheduler", help="a Dask cluster for the reading (local:2, tcp://...)")
    parser.add_argument("--words", type=int, default=600, help="mean words per source")
    parser.add_argument("--seed", type=int, default=0, help="make_corpus.py's seed")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where corpora are kept")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # one size, in its own process
        figures = measure(args.child, args.workers, args.workers is not None, args.scheduler)
        print_size(figures)
        args.out.write_text(json.dumps(figures), encoding="utf-8")
        return 0

    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    print(f"cores: {os.cpu_count()}; the bare tokenizer runs in one process, the build with "
          f"workers={args.workers if args.workers is not None else 'its default'}")  # fmt: skip
    rows = []
    for n in sorted(sizes):
        rows.append(run_size(n, args))
    print()
    print(growth_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
