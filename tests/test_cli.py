"""The CLI: each verb's output, and bad inputs as one clear line with a non-zero exit."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tests.support import SEEDS, run_kb_process


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
