"""What a curator's decision costs: each `kb curate` action brings the KB up to date at once
(the claims, agreement and conflicts worked out again; a rejected or restored statement's
source read again), and every build applies every decision.

On a KB of benchmarks/make_corpus.py's corpus (seed 0, 600 words), built into a temporary
folder (or --kb, reused), it times: rejecting a statement, restoring it, dismissing a
conflict, relabelling a claim; then a rebuild that changes nothing and one that changes
one file, with 200 decisions in the KB against none.

Run: .venv/bin/python benchmarks/curation_speed.py [--sources 1000] [--kb PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_speed import CHANGE, cached_corpus  # noqa: E402

from kb import api  # noqa: E402
from kb.analyze.curation import reading_of  # noqa: E402
from kb.model import Decision, QuoteSelector, decision_id  # noqa: E402

DECISIONS = 200


def _timed(label: str, call) -> object:
    started = time.perf_counter()
    result = call()
    print(f"  {label:<48} {time.perf_counter() - started:7.2f} s")
    return result


def _rejection(base, statement) -> Decision:
    """A rejection of ``statement`` as `kb curate reject` records it."""
    text = base.source(statement.source).text
    created = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    return Decision(
        id=decision_id("reject", statement.id, "", created),
        action="reject",
        target=statement.id,
        curator="bench",
        created=created,
        selector=QuoteSelector.of(statement.source, text, statement.start, statement.end),
        reading=reading_of(statement),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1_000)
    parser.add_argument("--kb", type=Path, default=None, help="a KB to build or reuse")
    args = parser.parse_args()
    corpus = cached_corpus(args.sources)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "corpus"
        shutil.copytree(corpus, folder)
        kb_path = args.kb or Path(scratch) / "kb.sqlite"
        print(f"{args.sources} sources: {kb_path}")
        _timed("build (or update)", lambda: api.build([folder], kb_path))
        base = api.open_kb(kb_path)
        desk = base.curation
        statements = base.statement_list()
        print(f"  ({len(statements)} statements, {len(base.claim_list())} claims)")
        first = statements[0]
        _timed("reject a statement", lambda: desk.reject(first.id))
        _timed("restore it", lambda: desk.restore(first.id))
        conflicts = base.conflict_list()
        if conflicts:
            _timed("dismiss a conflict", lambda: desk.dismiss(conflicts[0].id))
        claim = base.claim_list()[0]
        _timed("relabel a claim", lambda: desk.relabel(claim.id, claim.label + " (checked)"))
        _timed("rebuild, nothing changed", lambda: api.build([folder], kb_path))
        # Many decisions: reject one statement in each of DECISIONS sources, in one import.
        by_source = {}
        for statement in statements[1:]:
            by_source.setdefault(statement.source, statement)
        rejected = list(by_source.values())[:DECISIONS]
        made = [_rejection(base, statement) for statement in rejected]
        exported = Path(scratch) / "decisions.jsonl"
        exported.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in made), "utf-8")
        _timed(f"import {len(made)} rejections (sources read again)",
               lambda: desk.import_file(exported))  # fmt: skip
        _timed(f"rebuild, nothing changed, {len(desk.decisions())} decisions",
               lambda: api.build([folder], kb_path))  # fmt: skip
        changed = sorted(folder.glob("*.txt"))[0]
        changed.write_text(changed.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
        _timed("rebuild, one file changed", lambda: api.build([folder], kb_path))
        orphaned = len(desk.decisions("orphaned"))
        print(f"  decisions: {len(desk.decisions())}, orphaned {orphaned}")


if __name__ == "__main__":
    main()
