"""The README is the manual: every CLI verb and option is documented there."""

from __future__ import annotations

import argparse
import re

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
