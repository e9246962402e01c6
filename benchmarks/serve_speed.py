"""`kb serve` under load: latency of POST /check with 20 concurrent clients on a KB of
10,000 sources, against a cold `kb check`.

The KB is the one benchmarks/query_speed.py builds and keeps in benchmarks/.cache/ (the
corpus of make_corpus.py, seed 0): built on the first run (several minutes at 10,000
sources), reused after. Then:

- a cold `kb check` of one sentence, as a new process (what an editor pays without the
  server);
- `kb serve` is started as a process on a free port; the time until it listens (its
  checker warmed) is printed;
- one client posts each sentence in turn (latency alone), then --clients clients post
  --requests sentences each at once, each over its own keep-alive connection (the
  sentences of query_speed.py: from the seeds and the corpus, some with their numbers
  changed or a "not" inserted; each client starts at its own place among them);
- p50, p95 and worst latency, and requests per second; the server is stopped.

Run: .venv/bin/python benchmarks/serve_speed.py [--sources 10000] [--quick] [--clients 20]
         [--requests 20] [--workers N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_speed import CACHE  # noqa: E402
from query_speed import check_sentences, ready_kb  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(kb_path: Path, port: int) -> tuple[subprocess.Popen, float]:
    """`kb serve` as a process, and the seconds until it said it listens."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "--kb", str(kb_path), "serve", "--port", str(port)],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    line = process.stderr.readline()
    if "kb serve on" not in line:
        process.kill()
        raise SystemExit(f"kb serve did not start: {line.strip()}")
    # Keep reading its stderr (a full pipe would block it), passing it on.
    threading.Thread(target=_pass_on, args=(process.stderr,), daemon=True).start()
    return process, time.perf_counter() - started


def _pass_on(stream) -> None:
    for line in stream:
        print(f"server: {line.rstrip()}", file=sys.stderr, flush=True)


def cold_check(kb_path: Path, sentence: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kb", "--kb", str(kb_path), "check", sentence,
                    "--format", "json"], capture_output=True, check=True, env=env)  # fmt: skip
    return time.perf_counter() - started


def client(port: int, sentences: list[str]) -> list[float]:
    """Post each sentence to /check over one keep-alive connection; the latencies."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    seconds = []
    for sentence in sentences:
        body = json.dumps({"text": sentence})
        started = time.perf_counter()
        connection.request("POST", "/check", body, {"Content-Type": "application/json"})
        answer = connection.getresponse()
        data = answer.read()
        seconds.append(time.perf_counter() - started)
        if answer.status != 200:
            raise SystemExit(f"/check answered {answer.status}: {data[:200]!r}")
    connection.close()
    return seconds


def summary(name: str, seconds: list[float], wall: float) -> str:
    p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) >= 20 else max(seconds)
    median, worst = statistics.median(seconds), max(seconds)
    return (f"| {name} | {len(seconds)} | {median * 1000:,.1f} | {p95 * 1000:,.1f} | "
            f"{worst * 1000:,.1f} | {len(seconds) / wall:,.1f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="example: serve_speed.py --quick"
    )
    parser.add_argument("--sources", type=int, help="sources in the KB (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000 sources")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--requests", type=int, default=20,
                        help="checks each concurrent client posts (20)")  # fmt: skip
    parser.add_argument("--words", type=int, default=600, help="mean words per source")
    parser.add_argument("--seed", type=int, default=0, help="make_corpus.py's seed")
    parser.add_argument("--workers", type=int, help="build workers")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the KB is kept")
    args = parser.parse_args(argv)
    args.sources = args.sources or (1_000 if args.quick else 10_000)

    corpus, kb_path = ready_kb(args)
    sentences = check_sentences(corpus)
    print(f"cold `kb check` (a new process): {cold_check(kb_path, sentences[0]):.2f} s")
    port = free_port()
    server, ready = start_server(kb_path, port)
    try:
        print(f"kb serve listening, checker warm, after {ready:.2f} s")
        client(port, sentences[:5])  # the first requests of a connection, not timed
        started = time.perf_counter()
        alone = client(port, sentences)
        alone_wall = time.perf_counter() - started
        # Each client starts at its own place in the sentences, so that they do not all
        # ask the same thing at once.
        step = len(sentences) // args.clients
        shares = [
            [sentences[(i * step + k) % len(sentences)] for k in range(args.requests)]
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            together = [s for got in pool.map(lambda s: client(port, s), shares) for s in got]
        together_wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print()
    print(
        f"| POST /check at {args.sources:,} sources | requests | p50 ms | p95 ms | "
        "worst ms | requests/s |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(summary("1 client", alone, alone_wall))
    print(summary(f"{args.clients} concurrent clients", together, together_wall))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
