"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "sources"


# As root, file permissions bind only once the capabilities that override them are gone;
# util-linux's setpriv drops them for the child (it stays root otherwise).
_UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def unprivileged_prefix() -> list[str]:
    """What to put before a command so that file permissions apply to it, even as root."""
    return _UNPRIVILEGED if os.geteuid() == 0 else []


def run_kb_process(
    *args: str, cwd: Path | None = None, unprivileged: bool = False, **popen
) -> subprocess.Popen:
    """Start `python -m kb` as a real process (for kills and exit codes); ``unprivileged``:
    one that file permissions bind, as they bind a user."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("KB_PATH", None)
    prefix = unprivileged_prefix() if unprivileged else []
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "kb", *map(str, args)],
        cwd=cwd or ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


# Two sources that disagree on whether acupuncture relieves back pain and on how long the
# needles stay in: the smallest KB with statements, claims and conflicts to curate.
DISPUTE_A = (
    "Acupuncture for back pain\n\nAcupuncture relieves chronic back pain. Acupuncture is safe. "
    "Needles stay in for 20 minutes.\n"
)
DISPUTE_B = (
    "Acupuncture\n\nAcupuncture does not relieve back pain. Needles stay in for 45 minutes. "
    "Acupuncture has few side effects.\n"
)
DENIAL = "Acupuncture does not relieve back pain."
RELIEF = "cl_206483ae74bf"  # "acupuncture relieves back pain": a claim's id is its key's


def dispute_kb(folder: Path):
    """The two DISPUTE sources written to ``folder``/sources and built into
    ``folder``/kb.sqlite; the KnowledgeBase."""
    from kb import api

    sources = folder / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text(DISPUTE_A, encoding="utf-8")
    (sources / "b.txt").write_text(DISPUTE_B, encoding="utf-8")
    return api.open_kb(api.build([sources], folder / "kb.sqlite").kb_path)
