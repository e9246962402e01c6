"""A build's progress: every step is reported, with the time left, on a terminal only."""

from __future__ import annotations

import io
import shutil

import kb
from kb.cli import ProgressBar
from kb.progress import BUILD_STEPS
from tests.support import SEEDS


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Recorder:
    """A progress reporter that notes each step and what it was told to expect."""

    def __init__(self):
        self.steps, self.expected, self.sources = [], [], 0

    def __call__(self, done, total, source_id):
        self.sources = total

    def stage(self, name, expected):
        self.steps.append(name)
        self.expected.append(dict(expected))


def test_a_build_reports_each_step_and_the_next_build_expects_what_they_took(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    first, again = Recorder(), Recorder()
    kb.api.build([corpus], tmp_path / "kb.sqlite", progress=first)
    assert first.steps == [*BUILD_STEPS, "done"] and first.sources == 5
    assert first.expected[0] == {}  # a first build has no last build to go by
    changed = next(corpus.iterdir())
    changed.write_text(changed.read_text() + "\nAcupuncture eases neck pain.\n")
    kb.api.build([corpus], tmp_path / "kb.sqlite", progress=again)
    assert again.steps == [*BUILD_STEPS, "done"] and again.sources == 1
    assert set(again.expected[0]) == set(BUILD_STEPS) - {"writing"}


def test_the_bar_says_the_step_and_the_time_left():
    stream, clock = Terminal(), Clock()
    bar = ProgressBar(stream, clock=clock)
    last = {"reading": 100.0, "claims": 30.0, "near-duplicates": 60.0, "agreement": 5.0,
            "conflicts": 5.0}  # fmt: skip
    bar.stage("reading", last)
    for done in range(1, 11):
        clock.now += 2.0
        bar(done, 10, f"doc{done}")
    # Half read in 10 s: 10 s more, then the 100 s the later steps took last time.
    assert "5/10 doc5" in stream.getvalue() and "1:50 left" in stream.getvalue()
    bar.stage("claims", last)
    clock.now += 10
    bar.stage("near-duplicates", last)
    assert "step 3/6: near-duplicates (read 10 sources) 1:10 left" in stream.getvalue()
    bar.stage("done", last)
    assert stream.getvalue().endswith("\r")  # the line is cleared for the summary


def test_a_first_build_estimates_the_later_steps_from_its_reading():
    stream, clock = Terminal(), Clock()
    bar = ProgressBar(stream, clock=clock)
    bar.stage("reading", {})
    for done in range(1, 11):
        clock.now += 10.0
        bar(done, 10, "doc")
    bar.stage("claims", {})  # 100 s of reading: the later steps, 5 s in all
    assert "step 2/6: claims (read 10 sources) 0:05 left" in stream.getvalue()


def test_the_bar_is_silent_in_a_pipe():
    pipe = io.StringIO()
    bar = ProgressBar(pipe)
    bar.stage("reading", {})
    for done in range(1, 11):
        bar(done, 10, "doc")
    for step in [*BUILD_STEPS[1:], "done"]:
        bar.stage(step, {})
    assert pipe.getvalue() == ""


def test_tables_are_whole_in_a_pipe_and_fit_columns_when_asked(kb_cli, seed_kb, monkeypatch):
    import json

    _, listed, _ = kb_cli("--kb", seed_kb, "claims", "--format", "json")
    labels = [c["label"] for c in json.loads(listed)]
    monkeypatch.delenv("COLUMNS", raising=False)
    _, whole, _ = kb_cli("--kb", seed_kb, "claims")  # standard output is not a terminal
    assert all(label in whole for label in labels)
    monkeypatch.setenv("COLUMNS", "100")  # a terminal's width, or one asked for
    _, out, _ = kb_cli("--kb", seed_kb, "claims")
    assert max(map(len, out.splitlines())) <= 100 < max(map(len, whole.splitlines()))
