"""HTML reading time against page size: deeply nested pages and an ordinary one.

read_html (decode, parse, repair, main text and metadata) on synthetic pages of about
220 KB, 440 KB and 1.1 MB (issue 14: parsing was quadratic in the nesting depth, 220 KB
took 15 s and 1.1 MB 268 s). The shapes:

* nested <div>s: "<div>word " repeated, then all the </div>s;
* unclosed list items: "<ul><li>item " repeated (lists nested in items, none closed);
* stray end tags: half the page nested <div>s, half "word </span>" with no <span> open;
* nested articles: "<article><p>word " repeated, none closed;
* ordinary page: the seed articles (data/sources) as <article>s with headings, paragraphs,
  lists, navigation and scripts, repeated; nesting stays shallow.

Printed: seconds per size (best of --repeat runs) and the growth exponent, the slope of
log(time) against log(size) from the smallest to the largest size: 1 is linear, 2
quadratic. A shape whose time passes --max-seconds is not run at the larger sizes.

Run: .venv/bin/python benchmarks/html_speed.py [--kb 220 440 1100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import html
import math
import platform
import time
from collections.abc import Callable
from pathlib import Path

from kb.ingest.html import read_html

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "sources"


def _repeat(unit: str, size: int) -> int:
    return max(1, size // len(unit.encode("utf-8")))


def nested_divs(size: int) -> str:
    n = _repeat("<div>word </div>", size)
    return "<div>word " * n + "</div>" * n


def unclosed_list_items(size: int) -> str:
    return "<ul><li>item " * _repeat("<ul><li>item ", size)


def stray_end_tags(size: int) -> str:
    half = size // 2
    return "<div>" * _repeat("<div>", half) + "word </span>" * _repeat("word </span>", half)


def nested_articles(size: int) -> str:
    return "<article><p>word " * _repeat("<article><p>word ", size)


def _seed_article(text: str) -> str:
    """One seed as an <article>: a heading, paragraphs, and a list from its short lines."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    parts = [f"<h1>{html.escape(paragraphs[0])}</h1>"] if paragraphs else []
    for i, paragraph in enumerate(paragraphs[1:]):
        if i % 7 == 6:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in paragraph.split(". ")[:5])
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{html.escape(paragraph)}</p>")
    return "<article>" + "\n".join(parts) + "</article>"


def ordinary_page(size: int) -> str:
    articles = [_seed_article(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    head = (
        "<!DOCTYPE html><html><head><title>Seeds</title>"
        '<meta name="author" content="Benchmark"><script>var x = 1;</script></head><body>'
        '<nav><a href="/">Home</a> <a href="/about">About</a></nav><main>'
    )
    tail = "<footer>Footer text</footer></main></body></html>"
    body, length, i = [], len(head) + len(tail), 0
    while length < size:
        piece = f'<section id="s{i}">' + articles[i % len(articles)] + "</section>\n"
        body.append(piece)
        length += len(piece.encode("utf-8"))
        i += 1
    return head + "".join(body) + tail


SHAPES: dict[str, Callable[[int], str]] = {
    "nested <div>s": nested_divs,
    "unclosed list items": unclosed_list_items,
    "stray end tags": stray_end_tags,
    "nested articles": nested_articles,
    "ordinary page": ordinary_page,
}


def seconds_to_read(data: bytes, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        read_html(data, "bench.html")
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, nargs="+", default=[220, 440, 1100], help="sizes, KB")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the best is kept")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    sizes = sorted(args.kb)
    print(f"read_html, Python {platform.python_version()}, best of {args.repeat} run(s)")
    print(f"{'shape':<22}" + "".join(f"{f'{s:,} KB':>11}" for s in sizes) + f"{'exponent':>10}")
    for name, make in SHAPES.items():
        measured: list[tuple[int, float]] = []
        cells = []
        for size in sizes:
            if measured and measured[-1][1] > args.max_seconds:
                cells.append(f"{'—':>11}")
                continue
            data = make(size * 1000).encode("utf-8")
            seconds = seconds_to_read(data, args.repeat)
            measured.append((len(data), seconds))
            cells.append(f"{seconds:9.3f} s")
        if len(measured) > 1:
            (b0, t0), (b1, t1) = measured[0], measured[-1]
            exponent = f"{math.log(t1 / t0) / math.log(b1 / b0):10.2f}"
        else:
            exponent = f"{'—':>10}"
        print(f"{name:<22}" + "".join(cells) + exponent)


if __name__ == "__main__":
    main()
