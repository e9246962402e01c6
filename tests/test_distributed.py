"""`kb build --scheduler`: the per-document stages on Dask give the KB a one-process build
gives, byte for byte; a bad or unreachable scheduler is one line and changes nothing."""

from __future__ import annotations

import os
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kb import api
from kb.errors import SchedulerError
from kb.nlp.segment import split_units
from tests.support import SEEDS, build_caught_midway, interrupt_caught_build

if os.environ.get("CI"):
    import distributed  # noqa: F401  (CI installs the extra: its absence is a failure there)
else:
    pytest.importorskip("distributed", reason="the optional extra `distributed` is not installed")


def _dump(kb_path) -> list[str]:
    with closing(sqlite3.connect(kb_path)) as conn:
        return [line for line in conn.iterdump()
                if "built_at" not in line and "step_seconds" not in line]  # fmt: skip


def _corpus(folder, documents: int = 200):
    """The seeds, and ``documents`` more made of their sentences in another order."""
    sentences = [
        u.text
        for path in sorted(SEEDS.glob("*.txt"))
        for u in split_units(path.read_text(encoding="utf-8"))
        if u.kind != "heading" and len(u.text.split()) > 4
    ]
    rng = random.Random(0)
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for n in range(documents):
        body = " ".join(rng.sample(sentences, 12))
        (folder / f"made_{n:03}.txt").write_text(f"Acupuncture note {n}\n\n{body}\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes, reached by its address as any cluster is."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as running:
        yield running.scheduler_address


def test_a_build_on_a_cluster_is_byte_for_byte_a_local_build(tmp_path, cluster):
    corpus = _corpus(tmp_path / "corpus")
    local = api.build([corpus], tmp_path / "local.sqlite", workers=1)
    on_dask = api.build([corpus], tmp_path / "dask.sqlite", scheduler=cluster)
    assert (local.added, on_dask.added) == (205, 205)
    assert _dump(tmp_path / "local.sqlite") == _dump(tmp_path / "dask.sqlite")
    # An update on the cluster stays equal too: one changed file, the rest kept.
    for kb in ("local", "dask"):
        (corpus / "made_007.txt").write_text("Acupuncture\n\nNeedles stay in for 45 minutes.\n")
        report = api.build([corpus], tmp_path / f"{kb}.sqlite",
                           scheduler=cluster if kb == "dask" else None)  # fmt: skip
        assert (report.updated, report.unchanged) == (1, 204)
    assert _dump(tmp_path / "local.sqlite") == _dump(tmp_path / "dask.sqlite")


class _Told:
    """A progress reporter that notes everything it is told but times."""

    def __init__(self):
        self.calls = []

    def __call__(self, done, total, source_id):
        self.calls.append((done, total, source_id))

    def stage(self, name, expected):
        self.calls.append(name)


def test_a_build_on_a_cluster_reports_its_progress_as_a_local_build_does(tmp_path, cluster):
    local, on_dask = _Told(), _Told()
    api.build([SEEDS], tmp_path / "local.sqlite", workers=1, progress=local)
    api.build([SEEDS], tmp_path / "dask.sqlite", scheduler=cluster, progress=on_dask)
    assert on_dask.calls == local.calls
    seeds = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert local.calls[1:6] == [(n, 5, stem) for n, stem in enumerate(seeds, 1)]


def test_a_local_cluster_is_started_for_the_build_and_stopped_after(tmp_path, kb_cli):
    code, out, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", SEEDS, "--scheduler",
                            "local:1")  # fmt: skip
    assert code == 0 and "5 new" in out, err
    assert _dump(tmp_path / "kb.sqlite") == _dump_of_seeds(tmp_path)


def _dump_of_seeds(tmp_path):
    api.build([SEEDS], tmp_path / "one.sqlite", workers=1)
    return _dump(tmp_path / "one.sqlite")


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("local:0", "give local:N with N from 1 to 256"),
        ("somewhere", "give a Dask scheduler's address"),
    ],
)
def test_a_bad_scheduler_is_one_line_before_anything_is_read(tmp_path, kb_cli, address, said):
    code, out, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", SEEDS, "--scheduler", address)
    assert code == 2 and out == "" and said in err and err.count("\n") == 1
    assert not (tmp_path / "kb.sqlite").exists()


def test_an_unreachable_scheduler_is_one_line_and_the_kb_is_unchanged(tmp_path, monkeypatch):
    import kb.distributed

    monkeypatch.setattr(kb.distributed, "CONNECT_TIMEOUT", "1s")
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    before = kb_path.read_bytes()
    (tmp_path / "new.txt").write_text("Acupuncture\n\nAcupuncture relieves back pain.\n")
    with pytest.raises(SchedulerError, match=r"cannot reach the Dask scheduler at tcp://127"):
        api.build([tmp_path / "new.txt"], kb_path, scheduler="tcp://127.0.0.1:9")
    assert kb_path.read_bytes() == before


def test_a_worker_killed_mid_build_has_its_work_done_again_by_another(tmp_path, cluster):
    import signal
    import threading
    import time

    from distributed import Client

    corpus = _corpus(tmp_path / "corpus", documents=120)
    api.build([corpus], tmp_path / "local.sqlite", workers=1)
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        with Client(cluster, timeout="10s") as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not killed:
                busy = [w for w, tasks in client.processing().items() if tasks]
                if busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    api.build([corpus], tmp_path / "dask.sqlite", scheduler=cluster)
    killer.join()
    assert killed, "no worker was busy to kill"
    assert _dump(tmp_path / "local.sqlite") == _dump(tmp_path / "dask.sqlite")


def test_a_scheduler_with_no_workers_is_one_line_not_a_build_that_waits(tmp_path, monkeypatch):
    from distributed import LocalCluster

    import kb.distributed

    monkeypatch.setattr(kb.distributed, "CONNECT_TIMEOUT", "1s")
    no_workers = pytest.raises(SchedulerError, match="has no workers; start some with `dask")
    with LocalCluster(n_workers=0, dashboard_address=":0") as empty, no_workers:
        api.build([SEEDS], tmp_path / "kb.sqlite", scheduler=empty.scheduler_address)
    assert not (tmp_path / "kb.sqlite").exists()


def test_workers_that_keep_dying_are_one_line(tmp_path):
    from distributed import KilledWorker

    import kb.distributed

    class Worker:  # what Dask says of the last worker that died
        address = "tcp://10.0.0.7:40000"

    class Doomed:  # a chunk whose every worker died (Dask gave up after its retries)
        def result(self):
            raise KilledWorker("process_chunk-1", Worker(), 3)

    with pytest.raises(SchedulerError, match="Dask workers died running kb's reading"):
        kb.distributed._result(Doomed())


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started, and theirs (from /proc)."""
    found, parents = set(), {pid}
    while parents:
        parents = {
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent(stat) in parents
        } - found
        found |= parents
    return found


def _parent(stat: Path) -> int | None:
    try:  # "pid (name) state ppid ...": the name may hold spaces, not a ")"
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None  # the process ended while it was read


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_ctrl_c_stops_the_cluster_keeps_the_kb_and_the_next_build_resumes(tmp_path):
    import time

    process, kb_path, before, tmp_file = build_caught_midway(
        tmp_path, "--scheduler", "local:2", read=50
    )
    cluster = _children(process.pid)
    assert len(cluster) >= 2  # the LocalCluster's worker processes, at least
    read = interrupt_caught_build(process, kb_path, before)
    assert read >= 50 and not tmp_file.exists()
    deadline = time.monotonic() + 30
    while any(map(_alive, cluster)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, cluster)), "the build's Dask workers outlived it"

    report = api.build([tmp_path / "big"], kb_path, workers=1)
    assert (report.added, report.resumed) == (400, read)
