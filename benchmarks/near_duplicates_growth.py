"""How finding near-duplicates grows with the corpus: candidate pairs, pairs per source, time.

For each size, the corpus of benchmarks/make_corpus.py (as build_speed.py caches it) is
sketched (the per-document half, which a build does on its workers; two processes here),
then the corpus-wide half is timed as a build runs it: the candidate pairs
(kb.analyze.independence.Candidates) and their exact comparison (``verify``). Printed per
size: candidate pairs, pairs per source (mean and most), near-duplicates found, and how
many of the rewrites make_corpus.py planted (2 % of its articles) are among them. The
corpus recombines a few thousand real sentences, so pairs of articles that share a few
sentences by chance grow with the square of the corpus: a candidate rule whose pairs track
them is super-linear here. The run ends with the log-log slopes between sizes (1.0 is
linear).

Sketches here split texts by sketch.regex_sentences (no spaCy), as verification does; a
build sketches from segmentation's units (the module docstring of
kb.analyze.independence.sketch says what differs). 10,000 sources take about a minute;
50,000 about five.

Run: .venv/bin/python benchmarks/near_duplicates_growth.py [--sizes 1000 10000 50000]
         [--cache DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from build_speed import CACHE, cached_corpus, corpus_files  # noqa: E402

from kb.analyze.independence import Candidates, sketch, verify  # noqa: E402
from kb.analyze.independence.candidates import PER_SOURCE_MAX  # noqa: E402
from kb.model import Sketch  # noqa: E402


def _sketch_file(path: Path) -> tuple[str, Sketch]:
    return path.stem, sketch(path.read_text(encoding="utf-8"))


def planted_rewrites(folder: Path) -> set[tuple[str, str]]:
    """The (a, b) pairs, a < b, that make_corpus.py wrote as rewrites of one another."""
    made = json.loads((folder / ".make_corpus.json").read_text(encoding="utf-8"))
    return {tuple(sorted(pair)) for pair in made["rewrite_of"].items()}  # type: ignore[misc]


def measure(n: int, cache: Path) -> dict:
    folder = cached_corpus(n, cache=cache)
    files = corpus_files(folder)
    started = time.perf_counter()
    candidates = Candidates()
    with ProcessPoolExecutor(2) as pool:
        for source_id, sketched in pool.map(_sketch_file, files, chunksize=64):
            candidates.add(source_id, sketched)
    sketched_in = time.perf_counter() - started

    started = time.perf_counter()
    pairs = candidates.pairs()
    candidates_in = time.perf_counter() - started
    texts = {p.stem: p.read_text(encoding="utf-8") for p in files}
    started = time.perf_counter()
    found = verify(pairs, texts)
    verified_in = time.perf_counter() - started

    per_source = Counter(sid for pair in pairs for sid in pair)
    planted = planted_rewrites(folder)
    return {
        "sources": n,
        "sketch_s": sketched_in,
        "candidates_s": candidates_in,
        "verify_s": verified_in,
        "pairs": len(pairs),
        "per_source_mean": 2 * len(pairs) / n,
        "per_source_most": max(per_source.values(), default=0),
        "found": len(found),
        "planted": len(planted),
        "planted_found": len(planted & {(p.a, p.b) for p in found}),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| sources | candidate pairs | per source (mean / most) | near-duplicates "
        "| planted rewrites found | candidates s | verify s | sketches s (2 processes) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['sources']:,} | {r['pairs']:,} | {r['per_source_mean']:.2f} / "
            f"{r['per_source_most']} | {r['found']:,} | {r['planted_found']:,} of "
            f"{r['planted']:,} | {r['candidates_s']:.1f} | {r['verify_s']:.1f} "
            f"| {r['sketch_s']:.1f} |"
        )
    if len(rows) > 1:
        lines += [
            "",
            "| sources | pairs slope | candidates + verify time slope |",
            "|---|---:|---:|",
        ]
        for a, b in itertools.pairwise(rows):
            span = math.log(b["sources"] / a["sources"])
            pairs = math.log(max(b["pairs"], 1) / max(a["pairs"], 1)) / span
            took = b["candidates_s"] + b["verify_s"]
            took_before = a["candidates_s"] + a["verify_s"]
            lines.append(
                f"| {a['sources']:,} → {b['sources']:,} | {pairs:.2f} "
                f"| {math.log(took / took_before) / span:.2f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--cache", type=Path, default=CACHE, help="where corpora are kept")
    args = parser.parse_args(argv)
    print(f"at most {PER_SOURCE_MAX} candidates per source (PER_SOURCE_MAX)", flush=True)
    rows = []
    for n in args.sizes:
        rows.append(measure(n, args.cache))
        print(json.dumps({k: round(v, 2) for k, v in rows[-1].items()}), flush=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
