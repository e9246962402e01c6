"""Main-text extraction of HTML pages against ground truth: kb's reader, its own rules and
trafilatura on the pages of the article-extraction benchmark.

The benchmark (https://github.com/scrapinghub/article-extraction-benchmark, 181 real
pages, each with the article's text as a person marked it) scores an extractor by
shingles: the text is cut into word tokens (``\\w+``), then into runs of 4 tokens; per
page, precision and recall are over those runs (counted with repetition, normalised so
that a long page weighs what a short one does), averaged over pages; F1 is their
harmonic mean. The scoring below is the benchmark's evaluate.py, without its bootstrap.

Printed per extractor: F1, precision, recall; pages that lose all their text; and the
share of paragraphs (lines of 4 tokens or more) that come from outside the article:
fewer than half of their 4-token runs occur in the ground truth. A paragraph is where kb
takes statements from, so that share is about the share of statements that are furniture.

Extractors:

* kb: what kb's HTML reader stores (read_html: trafilatura, laid out by kb; kb's rules
  when trafilatura finds no article);
* kb-rules: kb's own rules alone (largest <article>, else <main>, else <body>);
* trafilatura: trafilatura.extract with its defaults (comments included), as plain text.

With ``--statements``, the pages are also built into a KB (in one process, the shipped
lexicon) with kb's reader and with its rules alone, and the share of statements whose quote
comes from outside the article (fewer than half of its 4-token runs in the ground truth) is
printed: what a user of kb sees.

Get the pages first (the benchmark is not part of kb):

    git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb

Run: .venv/bin/python benchmarks/html_extraction.py /tmp/aeb [--only kb kb-rules] [--statements]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import kb.ingest.html as html_reader
from kb import api
from kb.errors import IngestError
from kb.ingest.html import parse_html, read_html
from kb.ingest.text import decode_bytes

_TOKEN = re.compile(r"\w+")
_N = 4


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _tokens(text)
    return Counter(tuple(tokens[i : i + _N]) for i in range(max(1, len(tokens) - _N + 1)))


def _tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """The benchmark's string_shingle_matching: counts normalised to sum to 1."""
    t, p = _shingles(true), _shingles(pred)
    t.pop((), None)
    p.pop((), None)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def _scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return 2 * precision * recall / (precision + recall), precision, recall


def _outside(true: str, pred: str) -> tuple[int, int]:
    """(paragraphs of ``pred`` mostly outside ``true``, paragraphs of ``pred``)."""
    truth = _shingles(true)
    outside = total = 0
    for line in pred.split("\n"):
        runs = _shingles(line)
        if len(_tokens(line)) < _N:
            continue
        total += 1
        inside = sum(n for run, n in runs.items() if run in truth)
        outside += inside * 2 < sum(runs.values())
    return outside, total


def _kb(data: bytes) -> str:
    try:
        return read_html(data, "page.html").text
    except IngestError:
        return ""


def _kb_rules(data: bytes) -> str:
    return parse_html(decode_bytes(data, "page.html").text, extractor="rules").text


def _trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(decode_bytes(data, "page.html").text) or ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "kb": _kb,
    "kb-rules": _kb_rules,
    "trafilatura": _trafilatura,
}


def _quote_outside(truth: Counter[tuple[str, ...]], tokens: set[str], quote: str) -> bool:
    runs = _shingles(quote)
    if len(_tokens(quote)) < _N:  # too short for a run of 4: its words
        return not set(_tokens(quote)) <= tokens
    return sum(n for run, n in runs.items() if run in truth) * 2 < sum(runs.values())


def _statements_outside(pages: dict[str, bytes], truth: dict[str, dict], rules: bool) -> str:
    """Build the pages into a KB and say how many statements quote outside the article."""
    keep = html_reader._extracted_text
    if rules:  # kb's rules alone: trafilatura finds nothing
        html_reader._extracted_text = lambda markup: ""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp, "pages")
            folder.mkdir()
            for key, data in pages.items():
                (folder / f"{key}.html").write_bytes(data)
            api.build([folder], Path(tmp, "kb.sqlite"), workers=1)
            statements = api.open_kb(Path(tmp, "kb.sqlite")).statement_list()
    finally:
        html_reader._extracted_text = keep
    outside = 0
    cache: dict[str, tuple[Counter[tuple[str, ...]], set[str]]] = {}
    for statement in statements:
        if statement.source not in cache:
            body = truth[statement.source].get("articleBody", "")
            cache[statement.source] = (_shingles(body), set(_tokens(body)))
        outside += _quote_outside(*cache[statement.source], statement.quote)
    share = outside / len(statements) if statements else 0.0
    return f"{len(statements)} statements, {outside} ({share:.1%}) from outside the article"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "benchmark", type=Path, nargs="?", default=Path("/tmp/aeb"),
        help="a clone of article-extraction-benchmark (default /tmp/aeb)",
    )  # fmt: skip
    parser.add_argument("--only", nargs="+", choices=sorted(EXTRACTORS), default=list(EXTRACTORS))
    parser.add_argument("--statements", action="store_true", help="also build KBs (minutes)")
    args = parser.parse_args()
    if not (args.benchmark / "ground-truth.json").is_file():
        # `make bench` runs every script: without the pages there is nothing to measure.
        print(f"skipped: no article-extraction-benchmark at {args.benchmark} (see the docstring)")
        return
    truth = json.loads((args.benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {
        key: gzip.decompress((args.benchmark / "html" / f"{key}.html.gz").read_bytes())
        for key in sorted(truth)
    }
    print(f"{len(pages)} pages")
    print(
        f"{'extractor':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'empty':>6} "
        f"{'outside':>8} {'s/page':>7}"
    )
    for name in args.only:
        extract = EXTRACTORS[name]
        counts, empty, outside, paragraphs = [], [], 0, 0
        started = time.perf_counter()
        for key, data in pages.items():
            text = extract(data)
            true = truth[key].get("articleBody", "")
            counts.append(_tp_fp_fn(true, text))
            if not _tokens(text):
                empty.append(key[:12])
            out, total = _outside(true, text)
            outside += out
            paragraphs += total
        seconds = (time.perf_counter() - started) / len(pages)
        f1, precision, recall = _scores(counts)
        share = outside / paragraphs if paragraphs else 0.0
        print(
            f"{name:<12} {f1:6.3f} {precision:6.3f} {recall:6.3f} {len(empty):6d} "
            f"{share:8.1%} {seconds:7.3f}"
        )
        if empty:
            print(f"  pages with no text: {', '.join(empty)}")
    if args.statements:
        for name, rules in (("kb", False), ("kb-rules", True)):
            print(f"{name:<12} {_statements_outside(pages, truth, rules)}")


if __name__ == "__main__":
    main()
