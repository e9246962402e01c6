"""Building and rebuilding: exact quotes, incremental updates, atomic replacement."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from kb import api, store
from kb.errors import NoSourcesError, NotAKbError, SchemaVersionError
from tests.support import (
    ROOT,
    SEEDS,
    build_caught_midway,
    interrupt_caught_build,
    run_kb_process,
)

# A short article that the tests copy: copies are one voice.
ARTICLE = (
    "Acupuncture relieves back pain for many adults. The needles are very thin. "
    "Sessions usually last about half an hour. Most people feel little pain. "
    "Practitioners are licensed in most states. Some patients feel relaxed afterwards."
)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_statements_quote_the_source_exactly(seed_kb):
    base = api.open_kb(seed_kb)
    sources = {s.id: s for s in base.source_list(with_text=True)}
    assert sorted(sources) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    statements = base.statement_list()
    assert len(statements) > 100
    for st in statements:
        assert sources[st.source].text[st.start : st.end] == st.quote
    # The text is the file decoded exactly, so offsets index the file too.
    for source_id, source in sources.items():
        assert (SEEDS / f"{source_id}.txt").read_text(encoding="utf-8") == source.text


def test_rebuild_reprocesses_only_changed_and_drops_removed(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", "Alpha\n\nNeedles stay in for 20 minutes.")
    _write(corpus / "b.txt", "Beta\n\nIt may help back pain.")
    _write(corpus / "c.txt", "Gamma\n\nIt costs $70.")
    kb_path = tmp_path / "kb.sqlite"
    first = api.build([corpus], kb_path)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    ids_before = {s.source: s.id for s in api.open_kb(kb_path).statement_list()}

    mtime = kb_path.stat().st_mtime_ns
    same = api.build([corpus], kb_path)
    assert (same.added, same.updated, same.unchanged, same.removed) == (0, 0, 3, 0)
    assert kb_path.stat().st_mtime_ns == mtime, "an unchanged corpus must not rewrite the KB"

    _write(corpus / "b.txt", "Beta\n\nIt does not help back pain.")
    (corpus / "c.txt").unlink()
    second = api.build([corpus], kb_path)
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 1, 1, 1)
    base = api.open_kb(kb_path)
    assert list(base.sources()["id"]) == ["a", "b"]
    quotes = {s.source: s.quote for s in base.statement_list()}
    assert quotes["b"] == "It does not help back pain."
    # The untouched source keeps its statement ids.
    assert {s.source: s.id for s in base.statement_list()}["a"] == ids_before["a"]


def test_sidecar_change_alone_triggers_reprocessing(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", "Alpha\n\nIt helps.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    _write(corpus / "a.meta.yaml", "title: A better title\nauthor: Jane Roe\n")
    report = api.build([corpus], kb_path)
    assert report.updated == 1
    row = api.open_kb(kb_path).sources().iloc[0]
    assert (row["title"], row["author"]) == ("A better title", "Jane Roe")


def test_a_malformed_url_in_a_header_does_not_stop_the_build(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", "Title: Needles\nURL: https://[bad/page\n\n" + ARTICLE)
    report = api.build([corpus], tmp_path / "kb.sqlite")
    assert report.added == 1 and report.statements > 0


def test_nothing_readable_leaves_existing_kb_untouched(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    before = kb_path.read_bytes()
    junk = tmp_path / "junk"
    (junk / "empty.txt").parent.mkdir()
    (junk / "empty.txt").write_text("")
    (junk / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(NoSourcesError, match="nothing readable"):
        api.build([junk], kb_path)
    assert kb_path.read_bytes() == before


def test_build_refuses_to_overwrite_a_sqlite_file_that_is_not_a_kb(tmp_path):
    other = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(NotAKbError, match="not a kb store"):
        api.build([SEEDS], other)
    assert other.read_bytes() == before


def test_newer_schema_is_refused_with_how_to_upgrade(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    conn = sqlite3.connect(kb_path)
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaVersionError, match="newer kb") as refused:
        api.open_kb(kb_path)
    # The hint names the distribution pyproject.toml declares; plain "kb" on PyPI is
    # another project.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    name = pyproject["project"]["name"]
    assert name != "kb" and f"`pip install -U {name}`" in str(refused.value)


def test_killed_build_leaves_previous_kb_intact(tmp_path):
    process, kb_path, before, tmp_file = build_caught_midway(tmp_path)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL

    assert kb_path.read_bytes() == before
    assert list(api.open_kb(kb_path).sources()["id"]) == ["one"]
    # The next build clears the dead build's temporary file and succeeds.
    api.build([tmp_path / "small"], kb_path)
    assert not tmp_file.exists()


def test_sigterm_during_a_build_says_so_in_one_line_and_keeps_the_kb(tmp_path):
    # Issue 14.11: a multiprocessing warning came out instead of kb's message.
    process, kb_path, before, tmp_file = build_caught_midway(tmp_path, "--workers", "2")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert err.startswith("kb: stopped (SIGTERM); the KB was not changed") and err.count("\n") == 1
    assert kb_path.read_bytes() == before and not tmp_file.exists()


def test_ctrl_c_keeps_the_kb_and_the_next_build_resumes_from_what_was_read(tmp_path):
    process, kb_path, before, tmp_file = build_caught_midway(tmp_path, "--workers", "2", read=50)
    read = interrupt_caught_build(process, kb_path, before)
    assert read >= 50 and not tmp_file.exists()

    report = api.build([tmp_path / "big"], kb_path)

    assert (report.added, report.resumed) == (400, read)
    assert api.resumable(kb_path) == 0  # the journal goes when the KB holds it all
    whole = tmp_path / "whole.sqlite"  # the same builds, never stopped
    api.build([tmp_path / "small"], whole)
    api.build([tmp_path / "big"], whole)
    assert _table_rows(kb_path) == _table_rows(whole)


def _stopped_after(monkeypatch, documents: int):
    """Make builds stop (as at Ctrl+C) once ``documents`` files are read."""
    import kb.process

    process_all = kb.process.process_all

    def stopping(*args, **kwargs):
        for n, result in enumerate(process_all(*args, **kwargs)):
            if n == documents:
                raise KeyboardInterrupt
            yield result

    monkeypatch.setattr(kb.process, "process_all", stopping)
    return lambda: monkeypatch.setattr(kb.process, "process_all", process_all)


def test_a_journal_is_used_only_by_the_same_reading(tmp_path, monkeypatch):
    import kb.pipeline

    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    resume = _stopped_after(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        api.build([corpus], kb_path)
    resume()
    assert not kb_path.exists() and api.resumable(kb_path) == 3
    # A changed file is read again; the rest come from the journal.
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nNeedles stay in for 45 minutes.\n")
    assert api.build([corpus], kb_path).resumed == 2
    assert api.resumable(kb_path) == 0

    # Another lexicon reads differently, and another kb may encode differently: what a
    # stopped build read is read again; so is everything with --from-scratch.
    def with_another_kb():
        monkeypatch.setattr(kb.pipeline, "__version__", "99.0")
        return api.build([corpus], kb_path)

    for rebuild in (
        lambda: api.build([corpus], kb_path, lexicon=api.load_lexicon([_other_lexicon(tmp_path)])),
        with_another_kb,
        lambda: api.build([corpus], kb_path, from_scratch=True),
    ):
        resume = _stopped_after(monkeypatch, 3)
        with pytest.raises(KeyboardInterrupt):
            api.build([corpus], tmp_path / "other.sqlite")
        resume()
        (tmp_path / ".other.sqlite.resume").rename(store.journal_path(kb_path))
        assert api.resumable(kb_path) == 3
        assert rebuild().resumed == 0
        monkeypatch.undo()


def _other_lexicon(tmp_path):
    """The shipped lexicon with one file edited (a comment is enough to be another)."""
    import shutil

    from kb.nlp.lexicon import SHIPPED_LEXICON

    changed = shutil.copytree(SHIPPED_LEXICON, tmp_path / "lexicon")
    first = sorted(changed.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    return changed


def test_a_journal_kb_cannot_read_is_no_error(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    store.journal_path(kb_path).write_text("not a journal")
    assert api.build([SEEDS], kb_path).resumed == 0
    assert api.resumable(kb_path) == 0


def test_source_id_collision_gets_a_suffix_and_a_warning(tmp_path):
    _write(tmp_path / "a" / "notes.txt", "A\n\nFirst text.")
    _write(tmp_path / "b" / "notes.txt", "B\n\nSecond text.")
    report = api.build([tmp_path / "a", tmp_path / "b"], tmp_path / "kb.sqlite")
    assert sorted(api.open_kb(tmp_path / "kb.sqlite").sources()["id"]) == ["notes", "notes-2"]
    assert any("notes-2" in w for w in report.warnings)


def test_an_open_kb_sees_the_next_build(tmp_path):
    # A build replaces the file; a KnowledgeBase opened before it reads the new data.
    kb_path = tmp_path / "kb.sqlite"
    corpus = tmp_path / "c"
    _write(corpus / "a.txt", "A\n\nIt helps.")
    api.build([corpus], kb_path)
    base = api.open_kb(kb_path)
    _write(corpus / "b.txt", "B\n\nIt hurts.")
    api.build([corpus], kb_path)
    assert len(base.sources()) == 2


def test_header_block_is_metadata_not_claims(tmp_path):
    corpus = tmp_path / "c"
    _write(
        corpus / "page.txt",
        "Title: Turmeric fact sheet\nURL: https://example.org/turmeric\n\n"
        "Turmeric\n\nTurmeric may reduce inflammation. Turmeric supplements may cause "
        "stomach upset.\n",
    )
    api.build([corpus], tmp_path / "kb.sqlite")
    base = api.open_kb(tmp_path / "kb.sqlite")
    source = base.sources().iloc[0]
    assert (source["title"], source["url"]) == (
        "Turmeric fact sheet",
        "https://example.org/turmeric",
    )
    statements = base.statement_list()
    assert statements and all("https" not in s.quote for s in statements)
    # The lexicon does not know turmeric: the title names the subject.
    assert {s.subject for s in statements} == {"~turmeric"}
    assert "turmeric reduces inflammation" in set(base.claims()["label"])


def test_kb_from_an_older_schema_is_refused_for_reading_and_rebuilt_by_a_build(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    conn = sqlite3.connect(kb_path)
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="rebuild it with `kb build`"):
        api.open_kb(kb_path)
    report = api.build([SEEDS], kb_path)
    assert report.added == 5 and len(api.open_kb(kb_path).sources()) == 5


def _table_rows(kb_path) -> dict[str, list[tuple]]:
    """Every row of every kb table, sorted (row order is not part of the result); the
    build time and the full-text index's own shadow tables are left out."""
    with closing(sqlite3.connect(kb_path)) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("statements_fts")
        ]
        rows = {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    # When it was built and how long its steps took (kb.progress) differ from build to build.
    rows["meta"] = [r for r in rows["meta"] if r[0] not in ("built_at", "step_seconds")]
    return rows


def _searches(kb_path, words=("needles", "pain", "opioid", "minutes", "blood")) -> dict:
    with store.read_connection(kb_path) as conn:
        return {w: sorted(s.id for s in store.search_statements(conn, w, 1000)) for w in words}


def _copy_seeds(folder):
    for path in SEEDS.glob("*.txt"):
        _write(folder / path.name, path.read_text(encoding="utf-8"))
    return folder


def test_parallel_build_is_the_same_as_one_process(tmp_path, monkeypatch):
    import kb.process

    monkeypatch.setattr(kb.process, "PARALLEL_MIN_SOURCES", 2)  # the seeds are few
    one = api.build([SEEDS], tmp_path / "one.sqlite", workers=1)
    two = api.build([SEEDS], tmp_path / "two.sqlite", workers=2)
    assert (one.statements, one.claims) == (two.statements, two.claims)
    dumps = []
    for name in ("one.sqlite", "two.sqlite"):
        with closing(sqlite3.connect(tmp_path / name)) as conn:
            dumps.append([line for line in conn.iterdump()
                          if "built_at" not in line and "step_seconds" not in line])  # fmt: skip
    assert dumps[0] == dumps[1], "rows, their order and the index must not depend on workers"


def test_one_changed_source_gives_what_a_full_rebuild_gives(tmp_path):
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    before = api.open_kb(kb_path)
    changed = sorted(corpus.glob("*.txt"))[2]
    old_claims = {s.claim_id for s in before.statement_list(changed.stem)}
    listed = before.claim_records(), before.conflict_records()
    # Change what the source claims: a new duration, a denial, a new risk, a new claim.
    text = changed.read_text(encoding="utf-8")
    changed.write_text(
        text + "\n\nNeedles stay in for 45 minutes. Acupuncture does not release endorphins. "
        "Some patients faint during treatment. Acupuncture lowers blood pressure in adults.\n",
        encoding="utf-8",
    )

    update = api.build([corpus], kb_path)
    full = api.build([corpus], tmp_path / "full.sqlite")

    assert (update.updated, update.unchanged) == (1, 4)
    assert _table_rows(kb_path) == _table_rows(tmp_path / "full.sqlite")
    assert _searches(kb_path) == _searches(tmp_path / "full.sqlite")
    # The stored agreement and conflict quotes changed with it.
    updated, rebuilt = api.open_kb(kb_path), api.open_kb(tmp_path / "full.sqlite")
    assert updated.claim_records() == rebuilt.claim_records() != listed[0]
    assert updated.conflict_records() == rebuilt.conflict_records() != listed[1]
    # Only the claims the changed source states (before or after) are rewritten.
    new_claims = {s.claim_id for s in api.open_kb(kb_path).statement_list(changed.stem)}
    assert 0 < update.claims_written <= len(old_claims | new_claims) < full.claims_written
    assert update.conflicts_written > 0
    numeric = [c for c in api.open_kb(kb_path).conflict_list() if c.kind == "numeric"]
    assert any("45" in side.position for c in numeric for side in c.sides)


def test_a_copy_added_by_an_update_counts_once(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "c.txt", "Acupuncture relieves back pain, a trial in Germany found.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    _write(corpus / "b.txt", ARTICLE)  # a copy: one voice with "a"
    api.build([corpus], kb_path)
    api.build([corpus], tmp_path / "full.sqlite")
    assert _table_rows(kb_path) == _table_rows(tmp_path / "full.sqlite")
    [row] = [r for r in api.open_kb(kb_path).claim_records()
             if r["label"] == "acupuncture relieves back pain"]  # fmt: skip
    assert (row["affirming"], row["independent"]) == (["a", "b", "c"], 2)


def _pairs_compared(monkeypatch) -> list[tuple[str, str]]:
    """The list that the near-duplicate pairs a build compares will be added to."""
    import kb.pipeline

    compared: list[tuple[str, str]] = []
    verify = kb.pipeline.verify
    monkeypatch.setattr(kb.pipeline, "verify", lambda pairs, texts: compared.extend(pairs)
                        or verify(pairs, texts))  # fmt: skip
    return compared


def test_an_update_compares_only_the_pairs_of_the_changed_source(tmp_path, monkeypatch):
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    duplicates = api.open_kb(kb_path).near_duplicate_list()
    assert duplicates  # the seeds hold a rewritten pair
    unrelated = next(p for p in sorted(corpus.glob("*.txt"))
                     if all(p.stem not in (d.a, d.b) for d in duplicates))  # fmt: skip
    _write(unrelated, unrelated.read_text(encoding="utf-8") + "\n\nNeedles are thin.\n")
    compared = _pairs_compared(monkeypatch)

    api.build([corpus], kb_path)

    assert compared and all(unrelated.stem in pair for pair in compared)
    assert api.open_kb(kb_path).near_duplicate_list() == duplicates  # kept, not compared


def _changed_code(monkeypatch, module: str) -> None:
    """Make kb see a new version of ``module``'s source, as after an upgrade of kb."""
    import kb.stages

    source = kb.stages._module_source
    monkeypatch.setattr(
        kb.stages, "_module_source", lambda name: source(name) + (b"#" if name == module else b"")
    )
    kb.stages.code_fingerprint.cache_clear()


@pytest.fixture
def fresh_fingerprints():
    import kb.stages

    kb.stages.code_fingerprint.cache_clear()
    yield
    kb.stages.code_fingerprint.cache_clear()


def test_a_new_near_duplicate_rule_makes_every_source_again(
    tmp_path, monkeypatch, fresh_fingerprints
):
    # Stored sketches and the verdicts of compared pairs belong to the rule that made them.
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    _changed_code(monkeypatch, "kb.analyze.independence.sketch")
    compared = _pairs_compared(monkeypatch)

    report = api.build([corpus], kb_path)

    assert (report.updated, report.unchanged) == (5, 0)
    assert len(compared) >= len(api.open_kb(kb_path).near_duplicate_list()) > 0


def test_a_changed_reading_stage_makes_every_source_again_without_a_version_bump(
    tmp_path, monkeypatch, fresh_fingerprints
):
    # Segmentation's code changed (a kb upgrade): statements made by the old rules must go,
    # although nobody bumped a version number.
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    _changed_code(monkeypatch, "kb.nlp.segment")

    report = api.build([corpus], kb_path)

    assert (report.updated, report.unchanged) == (5, 0)
    api.build([corpus], tmp_path / "full.sqlite")
    assert _table_rows(kb_path) == _table_rows(tmp_path / "full.sqlite")


def test_a_changed_corpus_stage_works_out_claims_again_without_reading_sources(
    tmp_path, monkeypatch, fresh_fingerprints
):
    import kb.pipeline

    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    assert api.open_kb(kb_path).conflict_list()
    # A new conflict rule (here: one that finds none) in a kb upgrade.
    _changed_code(monkeypatch, "kb.analyze")
    monkeypatch.setattr(kb.pipeline, "find_conflicts", lambda claims, statements, lexicon: [])

    report = api.build([corpus], kb_path)

    assert (report.updated, report.unchanged) == (0, 5)
    assert api.open_kb(kb_path).conflict_list() == []


def test_pairs_never_compared_are_compared_when_a_change_makes_them_candidates(tmp_path):
    # A text copied into more sources than a bucket holds is not found (MAX_BUCKET):
    # removing one copy makes every pair of the others a candidate, though none changed.
    from kb.analyze.independence import MAX_BUCKET

    corpus = tmp_path / "corpus"
    for n in range(MAX_BUCKET + 1):
        _write(corpus / f"copy{n:02d}.txt", ARTICLE)
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    assert api.open_kb(kb_path).near_duplicate_list() == []
    (corpus / "copy00.txt").unlink()

    api.build([corpus], kb_path)
    api.build([corpus], tmp_path / "full.sqlite")

    assert _table_rows(kb_path) == _table_rows(tmp_path / "full.sqlite")
    assert len(api.open_kb(kb_path).near_duplicate_list()) == MAX_BUCKET * (MAX_BUCKET - 1) // 2


def test_removed_source_leaves_no_trace_in_search(tmp_path):
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    gone = sorted(corpus.glob("*.txt"))[0]
    gone.unlink()
    api.build([corpus], kb_path)
    api.build([corpus], tmp_path / "full.sqlite")
    assert _searches(kb_path) == _searches(tmp_path / "full.sqlite")
    with closing(sqlite3.connect(kb_path)) as conn:  # the index agrees with its statements
        conn.execute(
            "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_two_unsupported_files_do_not_break_a_rebuild_that_changes_nothing(tmp_path):
    # Issue 14.1: comparing the stored list of skipped files sorted Skipped records.
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "notes.rst", "x")
    _write(corpus / "todo.org", "y")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    mtime = kb_path.stat().st_mtime_ns
    again = api.build([corpus], kb_path)
    assert (again.unchanged, len(again.skipped)) == (1, 2)
    assert kb_path.stat().st_mtime_ns == mtime, "nothing changed: the KB is not rewritten"


# --- what a build keeps and removes (issue 14.3) ----------------------------------


def _two_folders(tmp_path):
    first = _write(tmp_path / "first" / "a.txt", ARTICLE).parent
    second = _write(tmp_path / "second" / "b.txt", "Beta\n\nIt may not help back pain.").parent
    return first, second


def test_adding_one_file_keeps_every_source_already_built(tmp_path, kb_cli):
    corpus = _copy_seeds(tmp_path / "corpus")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    claims_before = {r["id"] for r in api.open_kb(kb_path).claim_records()}
    extra = _write(tmp_path / "extra" / "page.txt", "Extra\n\n" + ARTICLE)
    code, out, _ = kb_cli("--kb", kb_path, "build", extra)
    assert code == 0
    assert "(1 new, 0 updated, 0 unchanged, 0 removed, 5 kept)" in out
    base = api.open_kb(kb_path)
    assert sorted(base.sources()["id"]) == sorted([p.stem for p in corpus.glob("*.txt")] + ["page"])
    assert claims_before <= {r["id"] for r in base.claim_records()}


def test_a_source_goes_only_when_its_file_is_gone_from_a_folder_given(tmp_path):
    first, second = _two_folders(tmp_path)
    kb_path = tmp_path / "kb.sqlite"
    api.build([first], kb_path)
    api.build([second], kb_path)
    (first / "a.txt").unlink()
    kept = api.build([second], kb_path)  # first/ is not given: its source stays
    assert (kept.kept, kept.removed) == (1, 0)
    assert sorted(api.open_kb(kb_path).sources()["id"]) == ["a", "b"]
    gone = api.build([first, second], kb_path)
    assert (gone.removed, gone.unchanged) == (1, 1)
    assert list(api.open_kb(kb_path).sources()["id"]) == ["b"]


def test_prune_removes_the_sources_not_given(tmp_path, kb_cli):
    first, second = _two_folders(tmp_path)
    kb_path = tmp_path / "kb.sqlite"
    api.build([first, second], kb_path)
    code, out, _ = kb_cli("--kb", kb_path, "build", "--prune", second)
    assert code == 0 and "1 removed" in out and "kept" not in out
    assert list(api.open_kb(kb_path).sources()["id"]) == ["b"]


def test_the_same_folder_by_another_spelling_reads_nothing_again(tmp_path, monkeypatch):
    first, _ = _two_folders(tmp_path)
    kb_path = tmp_path / "kb.sqlite"
    api.build([first.resolve()], kb_path)
    mtime = kb_path.stat().st_mtime_ns
    monkeypatch.chdir(tmp_path)
    again = api.build([Path("first")], kb_path)
    assert (again.unchanged, again.added, again.updated, again.removed) == (1, 0, 0, 0)
    assert kb_path.stat().st_mtime_ns == mtime, "nothing changed: the KB is not rewritten"
    os.symlink(first, tmp_path / "link")
    assert api.build([tmp_path / "link"], kb_path).unchanged == 1


def test_a_moved_file_keeps_its_id_and_a_new_namesake_of_a_kept_source_gets_a_suffix(tmp_path):
    first, second = _two_folders(tmp_path)
    kb_path = tmp_path / "kb.sqlite"
    api.build([first], kb_path)
    ids = {s.id for s in api.open_kb(kb_path).statement_list()}
    (first / "a.txt").rename(second / "a.txt")
    moved = api.build([second], kb_path)
    assert (moved.updated, moved.added, moved.removed) == (1, 1, 0)  # a moved, b new
    assert sorted(api.open_kb(kb_path).sources()["id"]) == ["a", "b"]
    assert {s.id for s in api.open_kb(kb_path).statement_list("a")} == ids
    _write(tmp_path / "third" / "a.txt", "Another a\n\nIt costs $70.")
    namesake = api.build([tmp_path / "third"], kb_path)
    assert sorted(api.open_kb(kb_path).sources()["id"]) == ["a", "a-2", "b"]
    assert any("'a-2'" in w for w in namesake.warnings)


def test_kept_sources_are_made_again_with_a_new_lexicon(tmp_path):
    from kb.nlp.lexicon import load_lexicon
    from kb.pipeline import default_lexicon_paths

    first, second = _two_folders(tmp_path)
    topic = _write(
        tmp_path / "topic.yaml",
        "concepts:\n  - id: thin_needles\n    label: the needles are thin\n"
        "    category: procedure\n    synonyms: [needles are very thin]\n",
    )
    new = load_lexicon([*default_lexicon_paths(), topic])
    kb_path = tmp_path / "kb.sqlite"
    api.build([first], kb_path)
    report = api.build([second], kb_path, lexicon=new)  # first/'s source is kept, re-read
    assert (report.kept, report.added) == (1, 1)
    api.build([first, second], tmp_path / "full.sqlite", lexicon=new)
    assert _table_rows(kb_path) == _table_rows(tmp_path / "full.sqlite")
    objects = {s.object for s in api.open_kb(kb_path).statement_list("a")}
    assert "thin_needles" in objects


def test_kb_remove_removes_a_source_on_purpose(tmp_path, kb_cli):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "c.txt", "Acupuncture relieves back pain, a trial in Germany found.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    code, out, _ = kb_cli("--kb", kb_path, "remove", "c")
    assert code == 0 and "1 removed" in out and "1 kept" in out
    assert list(api.open_kb(kb_path).sources()["id"]) == ["a"]
    assert (corpus / "c.txt").exists(), "the file is left alone"
    # The same as a build of what remains.
    (corpus / "c.txt").unlink()
    api.build([corpus], tmp_path / "full.sqlite")
    rows, full = _table_rows(kb_path), _table_rows(tmp_path / "full.sqlite")
    assert {t: r for t, r in rows.items() if t != "skipped"} == {
        t: r for t, r in full.items() if t != "skipped"
    }


@pytest.mark.parametrize(
    ("ids", "expected"),
    [(["nope"], "no source 'nope'"), (["a", "c"], "every source")],
    ids=["unknown id", "every source"],
)
def test_kb_remove_refuses_in_one_line_and_changes_nothing(tmp_path, kb_cli, ids, expected):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "c.txt", "Acupuncture relieves back pain, a trial in Germany found.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    before = kb_path.read_bytes()
    code, _, err = kb_cli("--kb", kb_path, "remove", *ids)
    assert code != 0 and err.count("\n") == 1 and expected in err
    assert err.startswith("kb: error: ")
    assert kb_path.read_bytes() == before


# --- files and folders that are not plain sources (issue 14.6, 14.7) ---------------


def test_a_fifo_or_a_link_to_a_device_among_the_sources_is_skipped_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    os.mkfifo(corpus / "p.txt")
    os.symlink("/dev/zero", corpus / "zero.txt")
    kb_path = tmp_path / "kb.sqlite"
    process = run_kb_process("--kb", kb_path, "build", corpus)
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the build hung on a FIFO or a device")
    assert process.returncode == 0, err
    assert "1 new" in out and "2 skipped" in out
    assert f"kb: skipped {corpus / 'p.txt'}: a FIFO (named pipe), not a regular file" in err
    assert f"kb: skipped {corpus / 'zero.txt'}: a character device, not a regular file" in err


def test_a_folder_kb_may_not_read_is_skipped_and_its_sources_are_kept(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "a" / "one.txt", ARTICLE)
    _write(tree / "b" / "two.txt", "Two\n\nIt may not help back pain.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([tree], kb_path)
    (tree / "a").chmod(0)
    try:
        process = run_kb_process("--kb", kb_path, "build", tree, unprivileged=True)
        out, err = process.communicate(timeout=120)
    finally:
        (tree / "a").chmod(0o755)
    assert process.returncode == 0, err
    assert f"kb: skipped {tree / 'a'}: cannot read the folder: permission denied" in err
    assert "0 removed" in out and "1 kept" in out
    assert sorted(api.open_kb(kb_path).sources()["id"]) == ["one", "two"]


def test_a_linked_folder_is_read_and_a_link_loop_ends(tmp_path):
    _write(tmp_path / "elsewhere" / "linked.txt", ARTICLE)
    tree = tmp_path / "tree"
    _write(tree / "own.txt", "Own\n\nIt may not help back pain.")
    os.symlink(tmp_path / "elsewhere", tree / "more")
    os.symlink(tree, tree / "more-again")  # a loop back to the top
    report = api.build([tree], tmp_path / "kb.sqlite")
    assert report.added == 2
    assert sorted(api.open_kb(tmp_path / "kb.sqlite").sources()["id"]) == ["linked", "own"]


def test_a_sidecar_with_an_impossible_date_skips_its_file_and_the_build_goes_on(tmp_path, kb_cli):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "b.txt", "Beta\n\nIt may not help back pain.")
    _write(corpus / "b.meta.yaml", "date: 2023-02-30\n")
    code, out, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", corpus)
    assert code == 0 and "1 new" in out and "1 skipped" in out
    assert f"kb: skipped {corpus / 'b.txt'}: bad metadata in b.meta.yaml line 1: " in err
