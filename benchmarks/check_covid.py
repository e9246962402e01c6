"""The checker on Check-COVID (MIT): news claims against the abstracts that back or refute them.

Builds a KB from the 347 abstracts of ../shared/datasets/check_covid/corpus.json (one source
per abstract: its title line, a blank line, then its sentences), checks every claim of the
test split, and prints:
- Recall@1 and Recall@5 of the gold abstract among the sources the check returns (ranked
  by their best match's score);
- evidence-sentence recall: of the gold evidence sentences, the share that a statement the
  check returns from the gold abstract covers;
- verdict accuracy per gold label: SUPPORT is right when the gold abstract supports,
  REFUTE when it contradicts, NOTENOUGHINFO when it does neither; and their macro-F1;
- median and p95 check latency in one warm process, and the median of three cold
  `kb check` calls (a new process each: imports, the lexicon, the parser).
With --semantic, the checks also match by sentence embeddings (the optional extra
``semantic``), and it prints how long the first check takes: loading the model and embedding
every stored sentence into the KB's vector sidecar. Without it the extra is not used even
when installed. --split dev runs the dev claims instead (the semantic thresholds in
kb/check.py were chosen on them, so that the test figures are not tuned on the test set).
Then, with --scale N (default 10,000; 0 skips), builds a synthetic KB of N sources
(benchmarks/make_corpus.py) and prints median and p95 check latency over the test claims.
Target: p95 under 100 ms in-process.

The shipped lexicon knows acupuncture and back pain, not COVID-19: on this corpus the
checker runs on wording alone (FTS5 retrieval, unnormalised statements), which is what
these figures measure. Says so and exits when ../shared is absent.

Run: .venv/bin/python benchmarks/check_covid.py [--scale 10000] [--words 250] [--semantic]
     [--split test|dev]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kb import api, semantic
from kb.model import VERDICTS, CheckResult, SentenceCheck

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "check_covid"
LABEL_VERDICT = {"SUPPORT": "supports", "REFUTE": "contradicts", "NOTENOUGHINFO": "none"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_abstracts(folder: Path) -> dict[str, list[tuple[int, int]]]:
    """One .txt per abstract; returns each abstract's sentence spans in its file's text."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for record in read_jsonl(DATA / "corpus.json"):
        text = record["title"].strip() + "\n\n"
        own = []
        for sentence in record["abstract"]:
            start = len(text)
            text += sentence.strip()
            own.append((start, len(text)))
            text += " "
        (folder / f"{record['cord_id']}.txt").write_text(text, encoding="utf-8")
        spans[record["cord_id"]] = own
    return spans


def ranked_sources(sentence_results: Sequence[SentenceCheck]) -> list[str]:
    best: dict[str, float] = {}
    for sentence in sentence_results:
        for match in sentence.matches:
            for st in match.statements:
                best[st.source] = max(best.get(st.source, 0.0), match.score)
    return sorted(best, key=lambda s: (-best[s], s))


def verdict_for(sentence_results: Sequence[SentenceCheck], source: str) -> str:
    found = {v for s in sentence_results for v in VERDICTS if source in s.sources.of(v)}
    if "supports" in found and "contradicts" not in found:
        return "supports"
    if "contradicts" in found:
        return "contradicts"
    return "none"


def timed_checks(
    base: api.KnowledgeBase, claims: list[str], use_semantic: bool = False
) -> tuple[list[CheckResult], list[float]]:
    started = time.perf_counter()
    base.check("warm up", semantic=use_semantic)  # loads the lexicon (and the vectors) once
    if use_semantic:
        print(f"first semantic check (embeds every stored sentence): "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    results, seconds = [], []
    for claim in claims:
        started = time.perf_counter()
        results.append(base.check(claim, semantic=use_semantic))
        seconds.append(time.perf_counter() - started)
    return results, seconds


def cold_cli_seconds(kb_path: Path, claim: str, runs: int = 3) -> float:
    """The median wall time of ``kb check CLAIM`` in a new Python process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kb", "--kb", str(kb_path), "check", claim],
                       check=True, capture_output=True)  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def print_figures(
    title: str,
    records: list[dict],
    results: list[CheckResult],
    spans: dict[str, list[tuple[int, int]]],
) -> None:
    """Recall@1 and @5, evidence-sentence recall and verdict accuracy per gold label."""
    at1 = at5 = 0
    evidence_total = evidence_found = 0
    verdicts: dict[str, Counter] = {label: Counter() for label in LABEL_VERDICT}
    pairs: Counter = Counter()  # (gold verdict, predicted verdict)
    for record, result in zip(records, results, strict=True):
        gold = record["cord_id"]
        ranked = ranked_sources(result.sentences)
        at1 += ranked[:1] == [gold]
        at5 += gold in ranked[:5]
        returned = [
            (st.start, st.end)
            for s in result.sentences
            for m in s.matches
            for st in m.statements
            if st.source == gold
        ]
        for evidence in record["evidence_set"]:
            start, end = spans[gold][evidence["sent_index"]]
            evidence_total += 1
            evidence_found += any(a < end and start < b for a, b in returned)
        predicted = verdict_for(result.sentences, gold)
        verdicts[record["label"]][predicted == LABEL_VERDICT[record["label"]]] += 1
        pairs[(LABEL_VERDICT[record["label"]], predicted)] += 1

    n = len(records)
    print(f"{title}: {n}")
    print(f"Recall@1 {at1 / n:.3f}   Recall@5 {at5 / n:.3f}")
    print(f"evidence-sentence recall {evidence_found / evidence_total:.3f} "
          f"({evidence_found}/{evidence_total})")  # fmt: skip
    for label, counts in verdicts.items():
        total = counts[True] + counts[False]
        if total:
            print(
                f"verdict accuracy {label:<14} {counts[True] / total:.3f} ({counts[True]}/{total})"
            )
    print(f"verdict macro-F1 {macro_f1(pairs):.3f}")


def macro_f1(pairs: Counter) -> float:
    """The mean over the three verdicts of F1, from (gold, predicted) counts.

    >>> macro_f1(Counter({("supports", "supports"): 1, ("none", "none"): 1,
    ...                   ("contradicts", "contradicts"): 1}))
    1.0
    """
    scores = []
    for verdict in LABEL_VERDICT.values():
        right = pairs[(verdict, verdict)]
        said = sum(n for (_, p), n in pairs.items() if p == verdict)
        truly = sum(n for (g, _), n in pairs.items() if g == verdict)
        scores.append(2 * right / (said + truly) if said + truly else 0.0)
    return sum(scores) / len(scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="sources of the synthetic KB")
    parser.add_argument("--words", type=int, default=250, help="mean words per synthetic source")
    parser.add_argument("--semantic", action="store_true",
                        help="also match by sentence embeddings (the extra: "
                        "kb-claims[semantic])")  # fmt: skip
    parser.add_argument("--split", choices=["test", "dev"], default="test",
                        help="the claims to check (default test)")  # fmt: skip
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"Check-COVID not found at {DATA}: this benchmark needs ../shared; skipped.")
        return 0
    if args.semantic and not semantic.available():
        print(f"--semantic needs the optional extra: {semantic.INSTALL_HINT}", file=sys.stderr)
        return 2
    test = [
        record
        for part in ("composed", "extracted")
        for record in read_jsonl(DATA / args.split / f"covidCheck_{args.split}_{part}.json")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "abstracts"
        folder.mkdir()
        spans = write_abstracts(folder)
        started = time.perf_counter()
        report = api.build([folder], Path(tmp) / "covid.sqlite")
        seconds_to_build = time.perf_counter() - started
        print(f"KB: {report.sources} abstracts, {report.statements} statements, "
              f"{report.claims} claims, built in {seconds_to_build:.1f} s")  # fmt: skip
        base = api.open_kb(Path(tmp) / "covid.sqlite")
        if args.semantic:
            started = time.perf_counter()
            semantic.embedder().model  # noqa: B018 (loads it, to time apart from embedding)
            print(f"semantic model loaded in {time.perf_counter() - started:.1f} s")
        results, seconds = timed_checks(base, [r["claim"] for r in test], args.semantic)
        cold = cold_cli_seconds(Path(tmp) / "covid.sqlite", test[0]["claim"])

    title = f"{args.split} claims" + (" (with semantic matching)" if args.semantic else "")
    print_figures(title, test, results, spans)
    print(f"check latency: median {statistics.median(seconds) * 1000:.1f} ms, "
          f"p95 {p95(seconds) * 1000:.1f} ms")  # fmt: skip
    print(f"cold `kb check` (a new process): median {cold:.2f} s of 3")

    if args.scale:
        scale_latency(args.scale, args.words, [r["claim"] for r in test], args.semantic)
    return 0


def scale_latency(n: int, words: int, claims: list[str], use_semantic: bool) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from make_corpus import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        make_corpus(folder, n, words=words, seed=0)
        started = time.perf_counter()
        report = api.build([folder], Path(tmp) / "big.sqlite")
        print(f"synthetic KB: {report.sources:,} sources, {report.statements:,} statements, "
              f"built in {time.perf_counter() - started:.0f} s")  # fmt: skip
        base = api.open_kb(Path(tmp) / "big.sqlite")
        _, seconds = timed_checks(base, claims, use_semantic)
    print(f"check latency at {n:,} sources: median {statistics.median(seconds) * 1000:.1f} ms, "
          f"p95 {p95(seconds) * 1000:.1f} ms (target p95 < 100 ms)")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
