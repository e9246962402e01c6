"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "sources"


def run_kb_process(*args: str, cwd: Path | None = None, **popen) -> subprocess.Popen:
    """Start `python -m kb` as a real process (for kills and exit codes)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("KB_PATH", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kb", *map(str, args)],
        cwd=cwd or ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
