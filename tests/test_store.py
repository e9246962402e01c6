"""The store: schema versions, the rows a build adds so that listings and checks read
little (agreement per claim, the quotes of conflicts, statements grouped for verdicts),
rows read by column name, and what the package shows the rest of kb."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import resource
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from dataclasses import replace

import pytest

from kb import api, store
from kb.errors import SchemaVersionError
from kb.model import Qualifiers, Quantity
from kb.store import codecs, schema
from kb.store.read import select
from tests.support import ROOT, SEEDS, run_kb_process

BENCHMARKS = ROOT / "benchmarks"


def _as_schema_6(kb_path) -> None:
    """Make a KB look as kb wrote it before schema 7: no curation, no conflict status, no
    DOI or fetch time of a source, and the version number 6."""
    with closing(sqlite3.connect(kb_path)) as conn:
        conn.execute("DROP TABLE curation")
        conn.execute("ALTER TABLE conflicts DROP COLUMN status")
        conn.execute("ALTER TABLE sources DROP COLUMN doi")
        conn.execute("ALTER TABLE sources DROP COLUMN fetched")
        conn.execute("PRAGMA user_version = 6")
        conn.commit()


def test_a_kb_of_an_older_schema_is_refused_for_reading_and_rebuilt_whole(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([SEEDS], kb_path)
    expected = api.open_kb(kb_path).claim_records()
    _as_schema_6(kb_path)
    with pytest.raises(SchemaVersionError, match=rf"old schema \(6, now {store.SCHEMA_VERSION}\)"):
        api.open_kb(kb_path)
    report = api.build([SEEDS], kb_path)
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    assert api.open_kb(kb_path).claim_records() == expected


def test_statements_grouped_for_verdicts_cover_every_statement(seed_kb):
    base = api.open_kb(seed_kb)
    statements = base.statement_list()
    claim_ids = sorted({s.claim_id for s in statements if s.claim_id})
    with store.read_connection(seed_kb) as conn:
        groups = store.load_stated(conn, claim_ids)
    for claim_id in claim_ids:
        mine = [s for s in statements if s.claim_id == claim_id]
        stated = [g for g in groups if g.claim_id == claim_id]
        assert sum(g.statements for g in stated) == len(mine)
        for polarity in ("affirmed", "negated"):
            assert set().union(*(g.sources for g in stated if g.polarity == polarity)) == {
                s.source for s in mine if s.polarity == polarity
            }


def test_quantity_values_leave_out_where_the_quantity_is():
    twenty = Quantity("20 minutes", 31, 41, 20.0, 20.0, "minute", "duration")
    elsewhere = replace(twenty, text="20 min", start=5, end=11)
    assert store.quantity_values([twenty]) == store.quantity_values([elsewhere])
    assert store.quantity_values([twenty]) != store.quantity_values([replace(twenty, low=10.0)])


def test_qualifiers_round_trip_through_the_store_and_the_export(seed_kb):
    # The qualifiers column and `kb export statements` hold Qualifiers.to_dict(), key order
    # included, and reading either back gives the record the build made.
    base = api.open_kb(seed_kb)
    with closing(sqlite3.connect(seed_kb)) as conn:
        stored = dict(conn.execute("SELECT id, qualifiers FROM statements"))
    lines = base.export("statements", "jsonl").splitlines()
    exported = {r["id"]: r["qualifiers"] for r in map(json.loads, lines)}
    keys = set()
    for statement in base.statement_list():
        assert codecs.encode_qualifiers(statement.qualifiers) == stored[statement.id]
        assert json.dumps(exported[statement.id], ensure_ascii=False) == stored[statement.id]
        assert Qualifiers.from_dict(exported[statement.id]) == statement.qualifiers
        keys |= set(exported[statement.id])
    assert keys >= {"comparator", "condition", "matched", "matched_span", "normalised"}
    with pytest.raises(ValueError, match="unknown qualifiers: colour"):
        Qualifiers.from_dict({"colour": "red"})


def test_a_new_kb_and_an_updated_one_have_the_indexes_check_reads(tmp_path):
    # A new store gets the readers' indexes after its rows are written; they must be there.
    import sqlite3

    from kb.pipeline import build

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Acupuncture relieves back pain.", encoding="utf-8")
    kb_path = tmp_path / "kb.sqlite"

    def indexes() -> set[str]:
        with sqlite3.connect(kb_path) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {name for (name,) in rows}

    build([folder], kb_path)
    assert {"statements_claim", "statements_stance"} <= indexes()
    (folder / "b.txt").write_text("Acupuncture does not relieve back pain.", encoding="utf-8")
    build([folder], kb_path)
    assert {"statements_claim", "statements_stance"} <= indexes()


# --- rows by column name, and the package's surface ---------------------------------

# Each table's codec, reading one row into its record.
DECODE = {
    "sources": codecs.decode_source,
    "units": lambda row: codecs.decode_unit(row, text=""),
    "statements": codecs.decode_statement,
    "claims": lambda row: codecs.decode_claim(row, statement_ids=[]),
    "agreement": lambda row: codecs.decode_agreements([row])[0],
    "duplicates": codecs.decode_duplicate,
    "conflicts": codecs.decode_conflict,
    "sketches": codecs.decode_sketch,
}


@pytest.mark.parametrize("table", DECODE)
def test_a_row_decodes_by_column_name_whatever_the_order_of_its_columns(seed_kb, table):
    names = schema.TABLES[table]
    with store.read_connection(seed_kb) as conn:

        def records(order):
            sql = f"SELECT {schema.columns(order)} FROM {table} ORDER BY {schema.columns(names)}"
            return [DECODE[table](row) for row in select(conn, sql)]

        as_created = records(names)
        assert as_created and records(names[::-1]) == as_created


def test_the_column_lists_are_the_tables_the_schema_makes(seed_kb):
    with closing(sqlite3.connect(seed_kb)) as conn:
        for table, names in schema.TABLES.items():
            made = tuple(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
            assert made == names, table


def test_what_a_kb_holds_comes_back_from_its_rows_as_it_went_in(seed_kb):
    with store.read_connection(seed_kb) as conn:
        sources = store.load_sources(conn, with_text=True)
        statements = store.load_statements(conn)
        claims = store.load_claims(conn, statement_ids=False)
        stands = list(store.load_agreement(conn).values())
        pairs, conflicts = store.load_duplicates(conn), store.load_conflicts(conn)
    assert any(s.quantities for s in statements) and pairs and conflicts
    written = {
        "sources": [(s, codecs.encode_source(s), codecs.decode_source) for s in sources],
        "statements": [(s, codecs.encode_statement(s), codecs.decode_statement)
                       for s in statements],
        "claims": [(c, codecs.encode_claim(c), DECODE["claims"]) for c in claims],
        "agreement": [(a, codecs.encode_agreement(a), DECODE["agreement"]) for a in stands],
        "duplicates": [(p, codecs.encode_duplicate(p), codecs.decode_duplicate) for p in pairs],
        "conflicts": [(c, codecs.encode_conflict(c, []), codecs.decode_conflict)
                      for c in conflicts],
    }  # fmt: skip
    for table, rows in written.items():
        for record, row, decode in rows:
            assert tuple(row) == schema.TABLES[table], table
            assert decode(row) == record, table


def _is_wrapped_store_name(node) -> bool:
    """A ("kb.store", "Writer.put_source") entry: what benchmarks/build_speed.py times."""
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(isinstance(e, ast.Constant) for e in node.elts)
        and node.elts[0].value == "kb.store"
    )


def _store_names_used(path) -> set[str]:
    """The names a module outside the store takes from kb.store: ``store.X`` (kb.store
    imported as ``store``), ``from kb.store import X`` and the benchmark's wrapped names;
    kb.store's own modules (which tests import) and dunders (``store.__all__``) are not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "kb" for a in node.names if a.name == "store"}  # fmt: skip
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "kb.store":
            used |= {a.name for a in node.names}
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            used |= {node.attr} if node.value.id in aliases else set()
        elif _is_wrapped_store_name(node):
            used.add(node.elts[1].value.split(".")[0])
    modules = {p.stem for p in (ROOT / "kb" / "store").glob("*.py")}
    return {name for name in used - modules if not name.startswith("__")}


def test_kb_store_exports_exactly_what_the_rest_of_kb_uses():
    store_folder = ROOT / "kb" / "store"
    used = set().union(*(
        _store_names_used(path)
        for folder in ("kb", "dashboard", "benchmarks", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if not path.is_relative_to(store_folder)
    ))  # fmt: skip
    assert used - set(store.__all__) == set(), "used outside kb.store: export them"
    assert set(store.__all__) - used == set(), "exported but used nowhere outside kb.store"


def test_every_step_the_build_benchmark_times_is_found_in_kb():
    # benchmarks/build_speed.py wraps these by module and name, and leaves out (times as
    # 0 s) a step it does not find: a renamed function would silently drop from its table.
    spec = importlib.util.spec_from_file_location("build_speed", BENCHMARKS / "build_speed.py")
    build_speed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_speed)
    steps = {**build_speed.START_UP, **build_speed.WRITING, **build_speed.CORPUS_WIDE}
    missing = []
    for step, places in steps.items():
        for module_name, attribute in places:
            owner = importlib.import_module(module_name)
            for part in attribute.split("."):
                owner = getattr(owner, part, None)
            if not callable(owner):
                missing.append((step, module_name, attribute))
    assert missing == []


def test_the_store_imports_only_the_model_the_errors_and_itself():
    allowed = ("kb", "kb.model", "kb.errors", "kb.store")
    for path in (ROOT / "kb" / "store").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kb"):
                assert node.module in allowed or node.module.startswith("kb.store."), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("kb") for a in node.names), path.name


# --- the KB file's mode, links, and what the file system refuses (issue 14.5, 14.10) --


def _small_corpus(folder, text="One\n\nAcupuncture may help back pain."):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.txt").write_text(text, encoding="utf-8")
    return folder


def _one_line(code: int, err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code != 0 and "Traceback" not in err and len(lines) == 1, err
    assert lines[0].startswith("kb: error: ")
    return lines[0]


def test_a_read_only_kb_is_refused_and_left_as_it_is(tmp_path, kb_cli):
    kb_path = tmp_path / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], kb_path)
    kb_path.chmod(0o444)
    before = kb_path.read_bytes()
    _small_corpus(tmp_path / "c", "One\n\nAcupuncture does not help back pain.")
    code, _, err = kb_cli("--kb", kb_path, "build", tmp_path / "c")
    assert "is read-only (mode 0444)" in _one_line(code, err)
    assert kb_path.read_bytes() == before and stat.S_IMODE(kb_path.stat().st_mode) == 0o444


def test_a_rebuild_keeps_the_kb_s_mode(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], kb_path)
    kb_path.chmod(0o600)
    _small_corpus(tmp_path / "c", "One\n\nAcupuncture does not help back pain.")
    assert api.build([tmp_path / "c"], kb_path).updated == 1
    assert stat.S_IMODE(kb_path.stat().st_mode) == 0o600


def test_a_rebuild_through_a_symlink_writes_the_file_it_points_to(tmp_path):
    real = tmp_path / "store" / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], real)
    link = tmp_path / "kb.sqlite"
    link.symlink_to(real)
    _small_corpus(tmp_path / "c", "One\n\nAcupuncture does not help back pain.")
    assert api.build([tmp_path / "c"], link).updated == 1
    assert link.is_symlink() and link.resolve() == real
    quotes = [s.quote for s in api.open_kb(real).statement_list()]
    assert quotes == ["Acupuncture does not help back pain."]


def test_a_kb_in_a_folder_kb_may_not_write_is_one_line(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    corpus = _small_corpus(tmp_path / "c")
    folder.chmod(0o555)
    try:
        process = run_kb_process("--kb", folder / "kb.sqlite", "build", corpus, unprivileged=True)
        _, err = process.communicate(timeout=120)
    finally:
        folder.chmod(0o755)
    line = _one_line(process.returncode, err)
    assert "cannot write" in line and "permission denied" in line
    assert list(folder.iterdir()) == []


def _fill_disk_at(limit: int):
    """A preexec_fn: files this process writes may not grow past ``limit`` bytes (what
    a full disk does to a build, without one)."""

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


def test_a_disk_that_fills_during_a_build_is_one_line_and_the_kb_stays(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    api.build([_small_corpus(tmp_path / "c")], kb_path)
    before = kb_path.read_bytes()
    process = run_kb_process(
        "--kb", kb_path, "build", SEEDS, preexec_fn=_fill_disk_at(len(before) + 4096)
    )
    _, err = process.communicate(timeout=180)
    line = _one_line(process.returncode, err)
    assert f"cannot write {kb_path}" in line and "the KB was not changed" in line
    assert kb_path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kb.sqlite.tmp")] == []


@pytest.mark.skipif(
    subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0,
    reason="needs a user namespace to mount a small disk (unshare -rm)",
)
def test_a_full_disk_says_so(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f"mount -t tmpfs -o size=256k tmpfs {disk} && "
        f"{sys.executable} -m kb --kb {disk / 'kb.sqlite'} build {SEEDS}"
    )
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    line = _one_line(done.returncode, done.stderr)
    assert "the disk is full; free some space" in line and "the KB was not changed" in line


def test_a_kb_name_too_long_is_one_line(tmp_path, kb_cli):
    long_name = tmp_path / ("k" * 300 + ".sqlite")
    code, _, err = kb_cli("--kb", long_name, "build", _small_corpus(tmp_path / "c"))
    assert "file name is too long" in _one_line(code, err)
    code, _, err = kb_cli("--kb", long_name, "sources")
    assert "file name is too long" in _one_line(code, err)


def _damage(kb_path) -> None:
    """Overwrite the KB's pages after the first (its header stays a kb store's)."""
    data = bytearray(kb_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    kb_path.write_bytes(bytes(data))


def test_a_damaged_kb_says_to_remove_it_when_read_or_built(tmp_path, kb_cli):
    kb_path = tmp_path / "kb.sqlite"
    corpus = _small_corpus(tmp_path / "c")
    api.build([corpus], kb_path)
    _damage(kb_path)
    before = kb_path.read_bytes()
    for verb in (["sources"], ["claims"], ["build", corpus]):
        code, _, err = kb_cli("--kb", kb_path, *verb)
        line = _one_line(code, err)
        assert f"{kb_path} is damaged" in line and "remove it" in line, verb
    assert kb_path.read_bytes() == before


# Datasette's detect_fts_sql (datasette/utils/__init__.py, simonw/datasette): how it decides
# that a table has a full-text index, and so offers a search box on it.
DATASETTE_DETECT_FTS = """
    select name from sqlite_master
        where rootpage = 0
        and (
            sql like '%VIRTUAL TABLE%USING FTS%content="{table}"%'
            or sql like '%VIRTUAL TABLE%USING FTS%content=[{table}]%'
            or (
                tbl_name = "{table}"
                and sql like '%VIRTUAL TABLE%USING FTS%'
            )
        )
"""


def test_datasette_detects_the_full_text_index_of_statements(seed_kb):
    with closing(sqlite3.connect(seed_kb)) as conn:
        found = conn.execute(DATASETTE_DETECT_FTS.format(table="statements")).fetchall()
        assert found == [("statements_fts",)]
        # What Datasette's ?_search= then runs finds statements by their words.
        matched = conn.execute(
            "SELECT count(*) FROM statements WHERE rowid IN (SELECT rowid FROM statements_fts "
            "WHERE statements_fts MATCH ?)",
            ["acupuncture"],
        ).fetchone()[0]
    assert matched > 0
