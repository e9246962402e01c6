"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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


def build_caught_midway(tmp_path, *options: str, read: int = 0):
    """A KB of one source, and a `kb build` of 400 more in a process of its own, caught
    once it is writing its temporary copy (and, with ``read``, once its journal holds that
    many sources): (process, KB path, the KB's bytes before, the temporary file)."""
    from kb import api

    kb_path = tmp_path / "kb.sqlite"
    small = tmp_path / "small"
    small.mkdir()
    (small / "one.txt").write_text("One\n\nAcupuncture may help back pain.", encoding="utf-8")
    api.build([small], kb_path)
    # A corpus large enough that the build is still extracting when it is stopped.
    big = tmp_path / "big"
    big.mkdir()
    seed_texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(400):
        (big / f"doc{i:04d}.txt").write_text(seed_texts[i % 5] + f"\n\nVariant {i}.")
    # A session of its own, so that Ctrl+C can go to its whole process group, as a
    # terminal sends it (interrupt_caught_build).
    process = run_kb_process("--kb", kb_path, "build", *options, big, start_new_session=True)
    tmp_file = kb_path.with_name(f".{kb_path.name}.tmp-{process.pid}")
    deadline = time.monotonic() + 90
    while not tmp_file.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)
    time.sleep(0.2)  # let it write part of the corpus
    while api.resumable(kb_path) < read:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline + 60, "the build never read enough to resume from"
        time.sleep(0.05)
    return process, kb_path, (tmp_path / "kb.sqlite").read_bytes(), tmp_file


def interrupt_caught_build(process: subprocess.Popen, kb_path: Path, before: bytes) -> int:
    """Ctrl+C to a build that build_caught_midway caught, as a terminal sends it: to the
    build and every worker it started. It says in one line that the KB is unchanged and
    what the next build resumes from (no worker's traceback), exits 130 and leaves the KB's
    bytes as they were. Returns how many sources the next build may resume."""
    import signal

    from kb import api

    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    read = api.resumable(kb_path)
    assert process.returncode == 130 and read >= 1, err
    assert err == (
        f"kb: interrupted; the KB was not changed; the next build resumes from the {read} "
        "sources it read\n"
    )
    assert kb_path.read_bytes() == before
    return read


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
