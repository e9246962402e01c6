"""Packaging: kb installed from a wheel, away from the source tree, builds what the tree builds.

The editable install reads everything from the source tree, so a file the wheel leaves out
(the lexicon once was) goes unnoticed there. This test builds an sdist of the working tree
and a wheel from that sdist (the path pip takes from the index), installs the wheel into a
fresh venv, and builds the seeds with it from a folder outside the tree.

The fresh venv gets kb's dependencies (spaCy, pandas, ...) from the running interpreter's
site-packages through a .pth line instead of from PyPI: that keeps the test offline and
fast. A directory added by a .pth line has its own .pth files ignored, so the editable
install of the source tree that lives there is not picked up; the test checks that kb
is imported from the fresh venv all the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from collections import Counter
from pathlib import Path

import pytest

from tests.support import ROOT, SEEDS

pytestmark = pytest.mark.slow

# Never copied into the sdist's source: caches, venvs and local KBs are not the project.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    "artifacts", "kb.sqlite*", ".kb.sqlite*",
)  # fmt: skip


def _run(command: list, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _wheel(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=_NOT_SOURCE)
    dist = tmp_path / "dist"
    sdist = _run(
        [sys.executable, "-c",
         "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))", dist],
        cwd=tree,
    ).strip().splitlines()[-1]  # fmt: skip
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", dist, dist / sdist],
        cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = dist.glob("*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> tuple[Path, dict]:
    """A venv with only the wheel installed, seeing the dependencies of this interpreter."""
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=tmp_path).strip())  # fmt: skip
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "kb_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", wheel],
        cwd=tmp_path,
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KB_PATH", "KB_LEXICON")}
    return fresh, env


def _claims_and_conflicts(kb: list, kb_path: Path, cwd: Path, env: dict | None) -> tuple:
    claims = json.loads(_run([*kb, "--kb", kb_path, "claims", "--format", "json"], cwd, env))
    conflicts = json.loads(_run([*kb, "--kb", kb_path, "conflicts", "--format", "json"], cwd, env))
    return [(c["id"], c["label"], c["claim_type"]) for c in claims], conflicts


def _summary(result: tuple) -> tuple:
    claims, conflicts = result
    return len(claims), Counter(t for _, _, t in claims), len(conflicts)


def test_a_wheel_installed_elsewhere_builds_the_seeds_as_the_source_tree_does(tmp_path):
    fresh, env = _fresh_venv(tmp_path, _wheel(tmp_path))
    work = tmp_path / "work"  # not the source tree: nothing there may be found by accident
    shutil.copytree(SEEDS, work / "sources")
    probe = "import kb; print(kb.__file__); print(kb.__version__)"
    kb_file, version = _run([fresh / "bin" / "python", "-c", probe], work, env).split()
    assert Path(kb_file).is_relative_to(fresh)  # not the source tree's kb

    _run([fresh / "bin" / "kb", "--kb", "wheel.sqlite", "build", "sources"], work, env)
    from_wheel = _claims_and_conflicts([fresh / "bin" / "kb"], work / "wheel.sqlite", work, env)
    in_tree = [sys.executable, "-m", "kb"]
    tree_env = {**env, "PYTHONPATH": str(ROOT)}
    _run([*in_tree, "--kb", "tree.sqlite", "build", "sources"], work, tree_env)
    from_tree = _claims_and_conflicts(in_tree, work / "tree.sqlite", work, tree_env)

    claims, conflicts = from_tree
    assert {t for _, _, t in claims} - {"other"} and conflicts  # the lexicon was used
    # Counts first, for a failure one can read ("177 claims, all other, 0 conflicts").
    assert _summary(from_wheel) == _summary(from_tree)
    assert from_wheel == from_tree

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert version == project["version"]  # kb finds its own distribution's metadata
    # The name every install hint gives is the distribution that installed kb.
    owner = (
        "import importlib.metadata as m, kb; "
        "print(m.distribution(kb.DISTRIBUTION).metadata['Name']); "
        "print(any(str(f) == 'kb/__init__.py' for f in m.distribution(kb.DISTRIBUTION).files))"
    )
    assert _run([fresh / "bin" / "python", "-c", owner], work, env).split() == [
        project["name"],
        "True",
    ]
