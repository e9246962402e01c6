"""Render time of every dashboard page, measured with Streamlit's AppTest (no browser).

Two KBs: the seed articles (data/sources) and a synthetic corpus of N sources (default
1,000) made by benchmarks/make_corpus.py (or, without it, by recombining the seeds'
sentences) and built with kb.api.build into a temporary directory. Building 1,000
sources takes a few minutes; --keep DIR keeps that KB in DIR and reuses it next time.

For each page: "cold" is the first visit in a fresh process (kb.api calls, caching),
"warm" a rerun (what every widget change costs). Interactions are timed too: selecting a
claim, the source × source view, a check, choosing a graph node. Times are the Python side
of a run (AppTest waits for the script); the browser adds drawing time on top.

Run:  .venv/bin/python benchmarks/dashboard_speed.py [--sources 1000] [--keep DIR]
                                                     [--seed-only]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402

from dashboard.pages import PAGES, page  # noqa: E402
from kb import api  # noqa: E402

APP = str(ROOT / "dashboard" / "app.py")
SEEDS = ROOT / "data" / "sources"
CHECK_TEXT = "Acupuncture cures back pain for everyone. The needles stay in for 45 minutes."


def make_sources(out_dir: Path, n: int) -> str:
    """Write ``n`` articles into ``out_dir``; say where their text came from."""
    summary = make_corpus(out_dir, n, words=600, seed=0, force=True)
    return f"make_corpus: {summary['origin']}"


def synthetic_kb(n: int, folder: Path) -> Path:
    """The KB of ``n`` synthetic sources in ``folder``, built unless already there."""
    folder.mkdir(parents=True, exist_ok=True)
    kb_path = folder / "kb.sqlite"
    if kb_path.exists() and api.open_kb(kb_path).info()["sources"] == n:
        print(f"reusing {kb_path} ({n:,} sources)")
        return kb_path
    started = time.perf_counter()
    origin = make_sources(folder / "sources", n)
    api.build([folder / "sources"], kb_path)
    print(f"built {n:,} sources ({origin}) in {time.perf_counter() - started:.0f} s: {kb_path}")
    return kb_path


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    at = run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the app raised: {[e.value for e in at.exception]}")
    return seconds


def measure(kb_path: Path) -> list[tuple[str, float, float | None]]:
    """(what, cold seconds, warm seconds) for every page and a few interactions."""
    from streamlit.testing.v1 import AppTest

    os.environ["KB_PATH"] = str(kb_path)
    at = AppTest.from_file(APP, default_timeout=600)
    rows = []
    for entry in PAGES:
        if entry.default:
            cold = _timed(at.run)  # the page the app opens on
        else:
            cold = _timed(lambda f=entry.file: at.switch_page(f).run())
        rows.append((entry.name, cold, _timed(at.run)))

    def interaction(name: str, where: str, act: Callable[[], object]) -> None:
        at.switch_page(page(where).file).run()
        rows.append((name, _timed(act), _timed(at.run)))

    interaction(
        "claims: select the top claim",
        "claims",
        lambda: at.selectbox(key="claim").set_value(at.selectbox(key="claim").options[0]).run(),
    )
    interaction(
        "matrix: source × source",
        "matrix",
        lambda: at.segmented_control(key="matrix_view").set_value("Source × source").run(),
    )

    if hasattr(api.KnowledgeBase, "check"):

        def check():
            at.text_area(key="check_text").input(CHECK_TEXT)
            return at.button[0].click().run()

        interaction("check: two sentences", "check", check)
    interaction("graph: conflicts only", "graph",
                lambda: at.toggle(key="graph_conflicts").set_value(True).run())  # fmt: skip
    interaction("graph: node details", "graph",
                lambda: at.selectbox(key="graph_node").select_index(0).run())  # fmt: skip
    return rows


def report(title: str, kb_path: Path) -> None:
    info = api.open_kb(kb_path).info()
    print(f"\n{title}: {info['sources']:,} sources, {info['statements']:,} statements, "
          f"{info['claims']:,} claims")  # fmt: skip
    print(f"{'page / interaction':32s} {'cold s':>8s} {'warm s':>8s}")
    for name, cold, warm in measure(kb_path):
        print(f"{name:32s} {cold:8.2f} {warm:8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000, help="synthetic KB size")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the synthetic KB here")
    parser.add_argument("--seed-only", action="store_true", help="skip the synthetic KB")
    args = parser.parse_args(argv)

    from streamlit.logger import get_logger

    # AppTest logs a harmless "missing ScriptRunContext" warning on every run.
    get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True

    with tempfile.TemporaryDirectory(prefix="kb-dashboard-seed-") as folder:
        seed = Path(folder) / "kb.sqlite"
        started = time.perf_counter()
        api.build([SEEDS], seed)
        print(f"built the seed KB in {time.perf_counter() - started:.1f} s")
        report("seed KB", seed)
    if args.seed_only:
        return 0
    if args.keep:
        report("synthetic KB", synthetic_kb(args.sources, args.keep))
    else:
        with tempfile.TemporaryDirectory(prefix="kb-dashboard-bench-") as folder:
            report("synthetic KB", synthetic_kb(args.sources, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
