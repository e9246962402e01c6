"""The CLI: each verb's output, and bad inputs as one clear line with a non-zero exit."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support import ROOT, SEEDS, run_kb_process


def _one_clear_line(code: int, err: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("kb: error: ")
    return lines[0]


def test_build_prints_a_one_line_summary(kb_cli, tmp_path):
    code, out, _ = kb_cli("--kb", tmp_path / "kb.sqlite", "build", SEEDS)
    assert code == 0
    assert out.count("\n") == 1
    assert "5 sources (5 new" in out and "0 skipped" in out and "statements" in out
    assert out.rstrip().endswith(" s")


def test_sources_table_json_and_csv(kb_cli, seed_kb, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal shows whole titles
    code, out, _ = kb_cli("--kb", seed_kb, "sources")
    assert code == 0 and "003_a243d097950171fd" in out
    assert "Managing Chronic Back Pain With Acupuncture" in out
    code, out, _ = kb_cli("--kb", seed_kb, "sources", "--format", "json")
    records = json.loads(out)
    assert len(records) == 5
    assert {"id", "title", "author", "site", "url", "kind", "words", "near_duplicates"} <= set(
        records[0]
    )
    code, out, _ = kb_cli("--kb", seed_kb, "sources", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 5


def test_export_statements_jsonl_quotes_match_source_text(kb_cli, seed_kb):
    code, out, _ = kb_cli("--kb", seed_kb, "export", "statements", "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for row in rows:
        assert set(row) >= {
            "id",
            "source",
            "quote",
            "start",
            "end",
            "claim_id",
            "claim",
            "claim_type",
            "polarity",
            "certainty",
            "attribution",
            "quantities",
        }
        assert texts[row["source"]][row["start"] : row["end"]] == row["quote"]


def test_export_csv_to_file(kb_cli, seed_kb, tmp_path):
    target = tmp_path / "statements.csv"
    code, _, err = kb_cli("--kb", seed_kb, "export", "statements", "-o", target)
    assert code == 0 and "wrote" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows and rows[0]["quote"]


def test_export_into_missing_folder_is_one_line(kb_cli, seed_kb, tmp_path):
    code, _, err = kb_cli("--kb", seed_kb, "export", "statements", "-o", tmp_path / "no" / "x.csv")
    assert "does not exist" in _one_clear_line(code, err)


@pytest.mark.parametrize(
    ("make_input", "expected"),
    [
        (lambda d: (d / "empty.txt").write_text(""), "empty file"),
        (lambda d: (d / "blob.txt").write_bytes(bytes(range(256)) * 4), "binary"),
        (lambda d: (d / "photo.png").write_bytes(b"\x89PNG\r\n"), "unsupported format"),
    ],
    ids=["empty file", "binary file", "directory with nothing readable"],
)
def test_bad_build_input_is_one_clear_line(kb_cli, tmp_path, make_input, expected):
    folder = tmp_path / "in"
    folder.mkdir()
    make_input(folder)
    target = next(folder.iterdir())
    kb_path = tmp_path / "kb.sqlite"
    code, _, err = kb_cli(
        "--kb", kb_path, "build", target if expected != "unsupported format" else folder
    )
    assert expected in _one_clear_line(code, err)
    assert not kb_path.exists(), "no half-written KB"


def test_missing_path_is_one_clear_line(kb_cli, tmp_path):
    code, _, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", tmp_path / "nowhere")
    assert "no such file" in _one_clear_line(code, err)


def test_sqlite_file_that_is_not_a_kb_is_refused(kb_cli, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    for verb in (["sources"], ["export", "statements"], ["build", SEEDS]):
        code, _, err = kb_cli("--kb", other, *verb)
        assert "not a kb store" in _one_clear_line(code, err)


def test_text_file_passed_as_kb_is_refused(kb_cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, _, err = kb_cli("--kb", notes, "sources")
    assert "not a kb store" in _one_clear_line(code, err)


def test_missing_kb_says_how_to_build_one(kb_cli, tmp_path):
    code, _, err = kb_cli("--kb", tmp_path / "none.sqlite", "sources")
    assert "kb build" in _one_clear_line(code, err)


def test_kb_path_from_environment(kb_cli, seed_kb, monkeypatch):
    monkeypatch.setenv("KB_PATH", str(seed_kb))
    code, out, _ = kb_cli("sources", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 5


def test_python_dash_m_kb_runs_and_reports_errors_without_traceback(tmp_path):
    process = run_kb_process("--kb", tmp_path / "kb.sqlite", "build", tmp_path / "missing")
    _, err = process.communicate(timeout=120)
    assert process.returncode != 0
    assert err.strip().startswith("kb: error:") and "Traceback" not in err


def test_progress_bar_draws_on_a_terminal_and_stays_silent_in_a_pipe():
    from kb.cli import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        for done in range(1, 11):
            bar(done, 10, f"doc{done}")
    assert "5/10 doc5" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_kb_option_after_the_verb(kb_cli, seed_kb):
    code, out, _ = kb_cli("sources", "--kb", seed_kb, "--format", "json")
    assert code == 0 and len(json.loads(out)) == 5


@pytest.mark.parametrize("workers", ["0", "two"])
def test_bad_worker_count_is_one_clear_line(kb_cli, tmp_path, workers):
    kb_path = tmp_path / "kb.sqlite"
    with pytest.raises(SystemExit) as exit_:  # argparse's usage error
        kb_cli("--kb", kb_path, "build", "--workers", workers, "data/sources")
    err = kb_cli.capsys.readouterr().err
    assert exit_.value.code == 2
    assert "argument --workers: expected a whole number of at least 1" in err.splitlines()[-1]
    assert not kb_path.exists()


# --- where an export may write (issue 14.4, 14.16) --------------------------------


def test_export_through_a_symlink_writes_the_file_it_points_to(kb_cli, seed_kb, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    code, _, _ = kb_cli("--kb", seed_kb, "export", "sources", "-o", link)
    assert code == 0 and link.is_symlink()
    assert len(real.read_text().splitlines()) == 5


def test_export_to_a_fifo_or_a_terminal_writes_through_and_leaves_it_be(kb_cli, seed_kb, tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    code, _, _ = kb_cli("--kb", seed_kb, "export", "sources", "-o", fifo)
    reader.join(timeout=60)
    assert code == 0 and received and len(received[0].splitlines()) == 5
    assert stat.S_ISFIFO(fifo.stat().st_mode)

    main_fd, terminal_fd = os.openpty()
    terminal = os.ttyname(terminal_fd)
    shown = bytearray()

    def read_screen() -> None:  # a terminal holds a few KB unread; then writing waits
        with contextlib.suppress(OSError):
            while chunk := os.read(main_fd, 65536):
                shown.extend(chunk)

    screen = threading.Thread(target=read_screen, daemon=True)
    screen.start()
    try:
        code, _, _ = kb_cli("--kb", seed_kb, "export", "claims", "-o", terminal)
        assert code == 0 and stat.S_ISCHR(os.stat(terminal).st_mode)
    finally:
        os.close(terminal_fd)
        screen.join(timeout=10)
        os.close(main_fd)
    assert b'"claim_type"' in shown


def test_export_to_one_of_the_process_s_own_streams_writes_through(kb_cli, seed_kb):
    # /dev/fd/N as /dev/stdout is: a link into /proc that must be written, not replaced
    # (a pipe here, so that a regression cannot replace the machine's /dev/stdout).
    read_end, write_end = os.pipe()
    try:
        code, _, _ = kb_cli("--kb", seed_kb, "export", "sources", "-o", f"/dev/fd/{write_end}")
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            assert code == 0 and len(pipe.read().splitlines()) == 5
    finally:
        with contextlib.suppress(OSError):
            os.close(write_end)


def test_export_to_a_socket_is_refused_in_one_line(kb_cli, seed_kb, tmp_path):
    import socket

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        code, _, err = kb_cli("--kb", seed_kb, "export", "sources", "-o", path)
        assert "is a socket" in _one_clear_line(code, err)
        assert path.is_socket()


def test_export_keeps_a_file_s_mode_and_gives_a_new_one_the_usual_mode(kb_cli, seed_kb, tmp_path):
    import stat

    private = tmp_path / "private.csv"
    private.write_text("")
    private.chmod(0o600)
    assert kb_cli("--kb", seed_kb, "export", "claims", "-o", private)[0] == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    mask = os.umask(0o022)
    try:
        assert kb_cli("--kb", seed_kb, "export", "claims", "-o", tmp_path / "new.csv")[0] == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ["claims.xlsx", "x.gexf"])
def test_an_export_extension_kb_does_not_write_is_refused(kb_cli, seed_kb, tmp_path, name):
    code, _, err = kb_cli("--kb", seed_kb, "export", "claims", "-o", tmp_path / name)
    assert "name the file .jsonl, .json, .csv, .parquet," in _one_clear_line(code, err)
    assert not (tmp_path / name).exists()
    code, _, _ = kb_cli("--kb", seed_kb, "export", "claims", "--format", "csv",
                        "-o", tmp_path / name)  # fmt: skip
    assert code == 0 and (tmp_path / name).read_text().startswith("id,claim_type")


# --- option values and signals (issue 14.11, 14.13, 14.15) --------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["dashboard", "--port", "99999"], "argument --port: expected a port from 1 to 65535"),
        (["check", "Acupuncture helps.", "--limit", "0"], "argument --limit: expected a whole"),
        (["check", "Acupuncture helps.", "--limit", "-3"], "argument --limit: expected a whole"),
    ],
    ids=["port 99999", "limit 0", "limit -3"],
)
def test_out_of_range_options_are_usage_errors(kb_cli, seed_kb, args, expected):
    with pytest.raises(SystemExit) as exit_:
        kb_cli("--kb", seed_kb, *args)
    err = kb_cli.capsys.readouterr().err
    assert exit_.value.code == 2 and expected in err.splitlines()[-1]


def test_more_workers_than_cores_are_capped_with_a_warning(kb_cli, tmp_path):
    from kb.pipeline import default_workers

    many = default_workers() + 62
    code, _, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", "--workers", many, SEEDS)
    assert code == 0
    assert (
        f"kb: warning: {many} workers asked for, but kb may use {default_workers()} cores here"
        in err
    )


def test_kb_version_does_not_load_the_library():
    # `kb --version` took 1.2 s importing pandas and spaCy it does not use, then 0.14 s
    # building a parser whose choices import kb.analyze (the lexicon's YAML, the grammar).
    code = (
        "import sys, contextlib, io\n"
        "from kb.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--version'])\n"
        "print(sorted(m for m in ('pandas', 'spacy', 'networkx', 'kb.api', 'kb.analyze', "
        "'streamlit', 'numpy', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr


def _listening(port: int) -> set[str]:
    """The local addresses a TCP socket listens on at ``port`` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as handle:
            for row in list(handle)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_dashboard(seed_kb, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    # A session of its own, so that the test can stop whatever `kb dashboard` started.
    process = run_kb_process(
        "--kb", seed_kb, "dashboard", "--port", str(port), *args, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while not _listening(port):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the dashboard never listened"
        time.sleep(0.2)
    return process, port


def test_the_dashboard_listens_on_this_machine_only_and_stops_on_sigterm(seed_kb):
    process, port = _start_dashboard(seed_kb)
    try:
        assert _listening(port) == {"0100007F"}, "only 127.0.0.1"
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _listening(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _listening(port), "SIGTERM to `kb dashboard` must stop the server"
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Kill the process and anything it started (its session), and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)


def test_the_dashboard_shares_on_every_interface_when_asked(seed_kb):
    process, port = _start_dashboard(seed_kb, "--host", "0.0.0.0")
    try:
        assert "00000000" in _listening(port)
    finally:
        _stop(process)


def test_a_taken_port_is_one_line(seed_kb):
    import socket

    # In a process of its own: `kb dashboard` becomes Streamlit once the port is free.
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        process = run_kb_process("--kb", seed_kb, "dashboard", "--port", port)
        try:
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert f"cannot serve on 127.0.0.1:{port}" in _one_clear_line(process.returncode, err)


# --- control characters from sources (issue 14.12) ---------------------------------

_HOSTILE = "\x1b]0;owned\x07\x1b[2J"  # set the terminal's title, clear the screen


def test_control_characters_from_sources_are_escaped_on_screen_and_exact_in_json(kb_cli, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        f"Title: Needles{_HOSTILE}\n\nAcupuncture relieves back pain{_HOSTILE}. "
        "Needles stay in for 20 minutes.\n"
    )
    (corpus / "b.txt").write_text("B\n\nAcupuncture does not relieve back pain. "
                                  "Needles stay in for 45 minutes.\n")  # fmt: skip
    (corpus / f"photo{_HOSTILE}.png").write_bytes(b"\x89PNG")
    kb_path = tmp_path / "kb.sqlite"
    outputs = [kb_cli("--kb", kb_path, "build", corpus)]
    for args in (["sources"], ["conflicts"], ["check", "Acupuncture relieves back pain."],
                 ["claims"]):  # fmt: skip
        outputs.append(kb_cli("--kb", kb_path, *args))
    for code, out, err in outputs:
        assert code == 0
        assert "\x1b" not in out + err and "\x07" not in out + err
    screen = "".join(out + err for _, out, err in outputs)
    assert "\\x1b]0;owned\\x07" in screen
    [source] = [s for s in json.loads(kb_cli("--kb", kb_path, "sources", "--format",
                                             "json")[1]) if s["id"] == "a"]  # fmt: skip
    assert _HOSTILE in source["title"], "JSON keeps the exact text"


def test_an_error_naming_a_hostile_file_is_one_escaped_line(kb_cli, tmp_path):
    missing = tmp_path / "new\nline\x1b[2J"
    code, _, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", missing)
    line = _one_clear_line(code, err)
    assert "\\x0aline\\x1b[2J" in line


def test_text_to_check_that_is_not_utf8_is_one_line(seed_kb):
    done = subprocess.run(
        [sys.executable, "-m", "kb", "--kb", str(seed_kb), "check", "-"],
        input=b"\xff\xfe needles", capture_output=True, cwd=ROOT, timeout=120,
        env={**os.environ, "LC_ALL": "C"},  # a C locale let such bytes through as surrogates
    )  # fmt: skip
    line = _one_clear_line(done.returncode, done.stderr.decode())
    assert "standard input is not UTF-8" in line


def test_a_file_name_that_is_not_utf8_is_skipped_with_the_reason(kb_cli, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A\n\nAcupuncture may help back pain.")
    (corpus / os.fsdecode(b"bad\xffname.txt")).write_text("B\n\nIt may not help.")
    code, out, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", corpus)
    assert code == 0 and "1 new" in out and "1 skipped" in out
    assert "bad\\xffname.txt: the file name is not valid UTF-8; rename the file" in err
