"""The README is the manual: every CLI verb and option, every conflict kind and dashboard
page (their registries) is documented there."""

from __future__ import annotations

import argparse
import re

import pytest

from kb.cli import build_parser
from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _verbs() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_cli_verb_has_a_readme_section_with_an_example():
    for verb in _verbs():
        assert f"### kb {verb}" in README, f"README has no section for `kb {verb}`"
        assert re.search(rf"^kb .*\b{verb}\b", README, re.MULTILINE), f"no example of {verb}"


def test_every_long_option_is_mentioned_in_the_readme():
    for verb, sub in _verbs().items():
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"`kb {verb} {flag}` is not in the README"


def test_every_verb_help_has_an_example():
    for verb, sub in _verbs().items():
        assert "example:" in sub.format_help(), f"`kb {verb} -h` has no example"


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_the_readme_s_sample_claims_table_is_what_kb_claims_prints(kb_cli, seed_kb, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no label is cut
    block = README.split("On the seeds (000 and 003 are a rewrite pair):\n\n```\n", 1)[1]
    sample = block.split("```", 1)[0].strip().splitlines()
    code, out, _ = kb_cli("--kb", seed_kb, "claims")
    printed = out.splitlines()
    assert code == 0
    assert [_cells(line) for line in sample] == [
        _cells(line) for line in [printed[0], *printed[2 : len(sample) + 1]]
    ]


def test_make_clean_removes_the_build_lock_and_a_stopped_build_s_journal_too(tmp_path):
    import subprocess

    kb_path = tmp_path / "kb.sqlite"
    done = subprocess.run(
        ["make", "-n", "clean", f"KB={kb_path}", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert f"{kb_path}.lock" in done.stdout.split()
    assert f"{tmp_path}/.kb.sqlite.resume" in done.stdout.split()


def _section(title: str) -> str:
    """The README's text under the heading ``title``, to the next heading of its level."""
    start = README.index(f"\n{title}\n")
    level = title.split(" ")[0]
    end = README.find(f"\n{level} ", start + len(title) + 2)
    return README[start : end if end != -1 else len(README)]


def test_every_input_format_has_a_row_in_the_readme_s_table():
    # The registry is what kb reads; the table is what a user reads: they must agree.
    from kb.ingest.readers import READERS

    rows = [line for line in _section("## Input formats").splitlines() if line.startswith("| `")]
    documented = {suffix for row in rows for suffix in re.findall(r"`(\.\w+)`", _cells(row)[0])}
    registered = {suffix for reader in READERS for suffix in reader.suffixes}
    assert documented == registered


def _conflict_kinds() -> list[tuple[str, str]]:
    from kb.analyze.conflicts import KINDS

    return [(kind.name, kind.description) for kind in KINDS]


def _dashboard_pages() -> list[tuple[str, str]]:
    from dashboard.pages import PAGES

    return [(page.title, "") for page in PAGES]


# A registry, and the README section that lists it as bullets "- **name**: description…",
# one per entry in the registry's order. Another registry kept in step: one more line.
LISTED = {
    "### kb conflicts": _conflict_kinds,
    "## Dashboard": _dashboard_pages,
}


@pytest.mark.parametrize("heading", list(LISTED))
def test_every_registered_entry_has_its_bullet_in_the_readme(heading):
    entries = LISTED[heading]()
    section = _section(heading)
    bullets = re.findall(r"^- \*\*(.+?)\*\*: ", section, re.MULTILINE)
    assert bullets == [name for name, _ in entries], f"the bullets under {heading!r}"
    flat = " ".join(section.split())  # a bullet's text wraps over lines
    for name, description in entries:
        assert f"- **{name}**: {description}" in flat, f"{name}: say {description!r}"


def _architecture_tree() -> set[str]:
    """The modules the README's Architecture tree lists, as paths ("kb/store/read.py")."""
    block = _section("## Architecture").split("```text\n", 1)[1].split("```", 1)[0]
    listed, folders = set(), []
    for line in block.splitlines():
        name = line.split()[0]
        depth = (len(line) - len(line.lstrip())) // 2
        del folders[depth:]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        else:
            listed.add("/".join([*folders, name]))
    return listed


def test_the_readme_s_architecture_tree_lists_every_module_once_and_no_other():
    # One line per module: a module added, moved or removed shows up here until the
    # README says where it is and what it does.
    modules = {
        str(path.relative_to(ROOT))
        for folder in ("kb", "dashboard")
        for path in (ROOT / folder).rglob("*.py")
        if path.stat().st_size  # empty package markers say nothing
        and path.parent.name != "app_pages"  # the pages: listed under Dashboard
        and path.name != "__main__.py"
        and path.relative_to(ROOT).as_posix() != "kb/__init__.py"
    }
    assert _architecture_tree() == modules
