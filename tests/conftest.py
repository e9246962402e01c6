"""Shared fixtures: the seed KB (built once per session) and a way to run the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import api
from kb.cli import main
from tests.support import ROOT, SEEDS

DATED = ROOT / "tests" / "fixtures" / "dated"


@pytest.fixture(autouse=True)
def _no_kb_settings_from_the_environment(monkeypatch):
    # A developer's $KB_PATH must not leak into tests that rely on --kb, nor their
    # $KB_LEXICON into tests that rely on the shipped lexicon.
    monkeypatch.delenv("KB_PATH", raising=False)
    monkeypatch.delenv("KB_LEXICON", raising=False)


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory) -> Path:
    """A KB built from the five seed articles; read-only for tests."""
    path = tmp_path_factory.mktemp("seed") / "kb.sqlite"
    api.build([SEEDS], path)
    return path


@pytest.fixture(scope="session")
def dated_kb(tmp_path_factory) -> Path:
    """Two sources with sidecars (tests/fixtures/dated): an NHS page of 2019 (government,
    www.nhs.uk) and a blog of 2022, which disagree on two claims; read-only for tests."""
    path = tmp_path_factory.mktemp("dated") / "kb.sqlite"
    api.build([DATED], path)
    return path


class Cli:
    """Run `kb` in-process: returns (exit code, stdout, stderr)."""

    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def kb_cli(capsys) -> Cli:
    return Cli(capsys)
