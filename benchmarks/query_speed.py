"""Query latency on a KB of 10,000 sources, in-process: opening, listings, the graph, check.

The KB is built from the corpus of benchmarks/make_corpus.py (seed 0, 600 words on average)
into benchmarks/.cache/ (git-ignored) and kept there. A later run builds it again, which
is incremental: the same corpus costs only the hashing of its files, and a KB made by an
older kb or lexicon is brought up to date first. Then, after one warm-up call each (shown
as "first call": what a fresh process pays), it times:

- api.open_kb, claim_records(), conflict_records(), source_records() and graph() (the
  networkx graph), each --repeat times. Targets: the claims and conflicts listings under
  500 ms;
- check() on about 200 sentences: half from the seed articles, half from the corpus, of
  which a third as written, a third with their numbers changed and a third with a "not"
  inserted. Target: p95 under 100 ms. Without the optional sentence embeddings (kb.semantic)
  unless --semantic is given: then both are timed, and the first semantic check embeds
  every statement of the KB (slow; the vectors are then kept beside the KB).

The full run (10,000 sources) needs the KB: a first build takes several minutes, a run on a
built KB a couple of minutes. --quick uses 1,000 sources.

Run: .venv/bin/python benchmarks/query_speed.py [--sources 10000] [--quick] [--repeat 3]
         [--semantic] [--words 600] [--seed 0] [--workers N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import inspect
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_speed import CACHE, cached_corpus, corpus_files  # noqa: E402

from kb import api  # noqa: E402
from kb.errors import KbError  # noqa: E402
from kb.nlp.segment import split_units  # noqa: E402
from kb.pipeline import build  # noqa: E402

SEEDS = ROOT / "data" / "sources"
CHECK_SENTENCES = 200
# An auxiliary or modal to put "not" after; a sentence without one is denied as a whole.
_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|can|may|might|could|does|do|did|will|would|should|has|have|had)\b"
)
_NUMBER = re.compile(r"\d+")


def sentences_of(text: str) -> list[str]:
    """The sentences and list items of a text that are long enough to claim something."""
    return [u.text for u in split_units(text) if u.kind != "heading" and len(u.text.split()) >= 4]


def perturb(sentence: str, how: int, rng: random.Random) -> str:
    """The sentence as written (0), with its numbers changed (1), or with "not" (2); a
    sentence without a number gets "not" instead."""
    if how == 1 and _NUMBER.search(sentence):
        return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), sentence)
    if how == 0:
        return sentence
    auxiliary = _AUXILIARY.search(sentence)
    if auxiliary:
        return f"{sentence[: auxiliary.end()]} not{sentence[auxiliary.end() :]}"
    return "It is not true that " + sentence[0].lower() + sentence[1:]


def check_sentences(corpus: Path, count: int = CHECK_SENTENCES, seed: int = 0) -> list[str]:
    """The fixed sentences check() is timed on: half from the seeds, half from the corpus."""
    rng = random.Random(seed)
    seeds = [
        s
        for path in sorted(SEEDS.glob("*.txt"))
        for s in sentences_of(path.read_text(encoding="utf-8"))
    ]
    chosen = rng.sample(seeds, min(count // 2, len(seeds)))
    files = corpus_files(corpus)
    while len(chosen) < count:
        found = sentences_of(rng.choice(files).read_text(encoding="utf-8"))
        if found:
            chosen.append(perturb(rng.choice(found), len(chosen) % 3, rng))
    return chosen


def timed(call: Callable[[], object], repeat: int) -> tuple[float, list[float], object]:
    """The first call's seconds (the warm-up), then ``repeat`` more, and the last result."""
    started = time.perf_counter()
    result = call()
    first = time.perf_counter() - started
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return first, seconds, result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def ready_kb(args: argparse.Namespace) -> tuple[Path, Path]:
    """The corpus and its KB in the cache, built or brought up to date."""
    corpus = cached_corpus(args.sources, args.words, args.seed, args.cache)
    kb_path = args.cache / f"kb-n{args.sources}-w{args.words}-s{args.seed}.sqlite"
    options = {}
    if args.workers is not None and "workers" in inspect.signature(build).parameters:
        options["workers"] = args.workers
    started = time.perf_counter()
    report = build([corpus], kb_path, **options)
    seconds = time.perf_counter() - started
    if report.changed:
        print(f"built {kb_path}: {report.sources:,} sources ({report.added:,} new, "
              f"{report.updated:,} updated), {report.statements:,} statements, "
              f"{report.claims:,} claims in {seconds:.0f} s")  # fmt: skip
    else:
        print(f"reused {kb_path}: {report.sources:,} sources, {report.statements:,} "
              f"statements, {report.claims:,} claims (checked in {seconds:.1f} s)")  # fmt: skip
    return corpus, kb_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: query_speed.py --sources 1000 --repeat 5",
    )
    parser.add_argument("--sources", type=int, help="sources in the KB (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000 sources")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per listing")
    parser.add_argument("--words", type=int, default=600, help="mean words per source")
    parser.add_argument("--seed", type=int, default=0, help="make_corpus.py's seed")
    parser.add_argument("--workers", type=int, help="passed to kb.pipeline.build when it takes it")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the KB is kept")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also time check() with sentence embeddings (embeds every statement on first use)",
    )
    args = parser.parse_args(argv)
    args.sources = args.sources or (1_000 if args.quick else 10_000)

    corpus, kb_path = ready_kb(args)
    sentences = check_sentences(corpus)

    rows: list[tuple[str, float, list[float], str]] = []  # name, first, timed, target
    first, seconds, base = timed(lambda: api.open_kb(kb_path), args.repeat)
    rows.append(("api.open_kb", first, seconds, ""))
    found = {}
    for name, call, target in [
        ("claim_records()", base.claim_records, "median < 500 ms"),
        ("conflict_records()", base.conflict_records, "median < 500 ms"),
        ("source_records()", base.source_records, ""),
        ("graph()", base.graph, ""),
    ]:
        first, seconds, found[name] = timed(call, args.repeat)
        rows.append((name, first, seconds, target))
    graph = found["graph()"]
    print(f"KB: {len(found['source_records()']):,} sources, "
          f"{len(found['claim_records()']):,} claims, "
          f"{len(found['conflict_records()']):,} conflicts; graph of "
          f"{graph.number_of_nodes():,} nodes and {graph.number_of_edges():,} edges")  # fmt: skip

    # kb.check's optional sentence embeddings (kb.semantic) are on by default when the
    # extra is installed; the p95 target is for the check without them unless asked.
    modes = [("check()", {})]
    if "semantic" in inspect.signature(base.check).parameters:
        modes = [("check(semantic=False)", {"semantic": False})]
        if args.semantic:
            modes.append(("check(semantic=True)", {"semantic": True}))
    for name, options in modes:
        try:
            # The warm-up loads the lexicon (and with embeddings, the model and the
            # vectors of every statement, embedded on first use and kept beside the KB).
            first, _, _ = timed(lambda o=options: base.check(sentences[0], **o), 0)
        except KbError as error:
            print(f"{name}: skipped: {error}")
            continue
        seconds = []
        for sentence in sentences:
            started = time.perf_counter()
            base.check(sentence, **options)
            seconds.append(time.perf_counter() - started)
        rows.append((f"{name}, {len(sentences)} sentences", first, seconds, "p95 < 100 ms"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    print()
    print(f"| at {args.sources:,} sources | first call | median | p95 | worst | target | |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, first, seconds, target in rows:
        median, worst = statistics.median(seconds), max(seconds)
        tail = p95(seconds) if len(seconds) >= 20 else None
        measured = {"median < 500 ms": median < 0.5, "p95 < 100 ms": (tail or worst) < 0.1}
        verdict = ("meets" if measured[target] else "misses") if target else ""
        print(f"| {name} | {ms(first)} | {ms(median)} | {ms(tail) if tail else ''} "
              f"| {ms(worst)} | {target} | {verdict} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
