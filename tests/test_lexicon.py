"""Lexicon loading: the shipped lexicon is valid and used wherever kb runs; every error names
the file (and line), and a missing or empty lexicon stops a build."""

from __future__ import annotations

import json

import pytest

from kb import api
from kb.errors import LexiconError
from kb.nlp.lexicon import SHIPPED_LEXICON, Lexicon, load_lexicon
from tests.support import SEEDS


def _load(tmp_path, text: str):
    path = tmp_path / "topic.yaml"
    path.write_text(text, encoding="utf-8")
    return load_lexicon([tmp_path])


def test_shipped_lexicon_loads_with_hierarchy_and_contraries():
    lexicon = load_lexicon([SHIPPED_LEXICON])
    assert lexicon.is_a("chronic_low_back_pain", "back_pain")
    assert lexicon.is_a("endorphin_release", "neurochemical_release")
    assert lexicon.are_contrary("harmless", "bleeding_risk")
    assert not lexicon.are_contrary("harmless", "low_risk")


def test_unknown_parent_names_file_and_line(tmp_path):
    text = "concepts:\n  - id: a\n    label: a\n    category: condition\n    parent: nowhere\n"
    with pytest.raises(LexiconError, match=r"topic\.yaml line 2: unknown parent 'nowhere'"):
        _load(tmp_path, text)


def test_duplicate_id_names_both_places(tmp_path):
    text = (
        "concepts:\n"
        "  - {id: a, label: a, category: condition}\n"
        "  - {id: a, label: again, category: condition}\n"
    )
    with pytest.raises(LexiconError, match=r"line 3: duplicate concept id 'a' \(first defined in"):
        _load(tmp_path, text)


def test_bad_yaml_names_file_and_line(tmp_path):
    with pytest.raises(LexiconError, match=r"topic\.yaml line \d+: bad YAML"):
        _load(tmp_path, "concepts:\n  - id: a\n    label: [unclosed\n")


def test_unknown_category_and_key(tmp_path):
    with pytest.raises(LexiconError, match="unknown category 'feeling'"):
        _load(tmp_path, "concepts:\n  - {id: a, label: a, category: feeling}\n")
    with pytest.raises(LexiconError, match="unknown key 'synonym'"):
        _load(tmp_path, "concepts:\n  - {id: a, label: a, category: condition, synonym: [x]}\n")


def test_contrary_with_unknown_concept(tmp_path):
    text = "concepts:\n  - {id: a, label: a, category: safety}\ncontrary:\n  - [a, b]\n"
    with pytest.raises(LexiconError, match="unknown concept 'b'"):
        _load(tmp_path, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("concepts:\n  - {id: a, label: a, category: condition, parent: b}\n",
         "x.yaml line 2: unknown parent 'b'"),
        ("concepts:\n  - id: a\n    label: a\n    category: condition\n"
         "    reviewed: 2023-02-30\n",  # issue 14.8: was an internal ValueError
         "x.yaml line 5: bad YAML: '2023-02-30' is not a date"),
        ("concepts:\n  - {id: a, label: a, category: condition, by_target: for}\n",
         "x.yaml line 2: by_target is for a concept that makes claims"),
        ("topic: b\nconcepts:\n  - {id: a, label: a, category: mechanism}\n"
         "  - {id: b, label: b, category: condition}\n",
         "x.yaml: topic 'b' is not an intervention concept"),
    ],
    ids=["unknown parent", "impossible date", "by_target on a qualifier", "topic not a treatment"],
)  # fmt: skip
def test_bad_lexicon_stops_a_build_with_one_line_and_no_kb(kb_cli, tmp_path, text, expected):
    bad = tmp_path / "lexicon"
    bad.mkdir()
    (bad / "x.yaml").write_text(text)
    kb_path = tmp_path / "kb.sqlite"
    code, _, err = kb_cli("--kb", kb_path, "build", SEEDS, "--lexicon", bad)
    assert code != 0 and expected in err
    assert len(err.strip().splitlines()) == 1 and not kb_path.exists()


def test_the_shipped_lexicon_is_used_wherever_kb_runs(kb_cli, tmp_path, monkeypatch):
    # A data/lexicon folder where kb runs was once taken as the lexicon; now it is ignored.
    stray = tmp_path / "data" / "lexicon"
    stray.mkdir(parents=True)
    (stray / "broken.yaml").write_text("concepts: [unclosed\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("Acupuncture relieves back pain.\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = kb_cli("--kb", "kb.sqlite", "build", "src")
    assert code == 0, err
    code, out, _ = kb_cli("--kb", "kb.sqlite", "claims", "--format", "json")
    assert [c["claim_type"] for c in json.loads(out)] == ["efficacy"]


def _one_error_line(code: int, err: str) -> str:
    lines = err.strip().splitlines()
    assert code != 0 and len(lines) == 1 and lines[0].startswith("kb: error: "), err
    return lines[0]


@pytest.mark.parametrize("given_by", ["--lexicon", "KB_LEXICON"])
def test_a_lexicon_folder_without_files_stops_the_build_and_leaves_the_kb(
    kb_cli, tmp_path, monkeypatch, given_by
):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("Acupuncture relieves back pain.\n")
    kb_path = tmp_path / "kb.sqlite"
    assert kb_cli("--kb", kb_path, "build", source)[0] == 0
    before = kb_path.read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a lexicon file\n")
    if given_by == "KB_LEXICON":
        monkeypatch.setenv("KB_LEXICON", str(empty))
    option = ["--lexicon", empty] if given_by == "--lexicon" else []
    for target in (kb_path, tmp_path / "new.sqlite"):
        code, _, err = kb_cli("--kb", target, "build", source, *option)
        assert f"no lexicon files (.yaml) in {empty}; pass a folder" in _one_error_line(code, err)
    assert kb_path.read_bytes() == before and not (tmp_path / "new.sqlite").exists()


def test_a_lexicon_without_concepts_or_missing_stops_the_build(kb_cli, tmp_path):
    only_cues = tmp_path / "cues.yaml"
    only_cues.write_text("cues:\n  safety: [risk]\n")
    nowhere = tmp_path / "nowhere"
    for lexicon, expected in ((only_cues, "no concepts in"), (nowhere, "no lexicon at")):
        code, _, err = kb_cli("--kb", tmp_path / "kb.sqlite", "build", SEEDS, "--lexicon", lexicon)
        assert f"{expected} {lexicon}; " in _one_error_line(code, err)
    with pytest.raises(LexiconError, match="no concepts in the lexicon given"):
        api.build([SEEDS], tmp_path / "kb.sqlite", lexicon=Lexicon())
    assert not (tmp_path / "kb.sqlite").exists()


def test_a_check_reads_with_the_lexicon_the_kb_was_built_with_or_says_it_cannot(kb_cli, tmp_path):
    # A KB once fell back silently to the default lexicon when its own had changed: a
    # check then read sentences with other concepts than the build had read the sources.
    import shutil

    sentence = "Needles stay in for 25 minutes"
    copy, edited = tmp_path / "copy", tmp_path / "edited"
    shutil.copytree(SHIPPED_LEXICON, copy)
    shutil.copytree(SHIPPED_LEXICON, edited)
    with (edited / "general.yaml").open("a", encoding="utf-8") as lexicon_file:
        lexicon_file.write("\n# a curator's note\n")
    answers = {}
    for lexicon in (copy, edited):
        kb_path = tmp_path / f"{lexicon.name}.sqlite"
        assert kb_cli("--kb", kb_path, "build", SEEDS, "--lexicon", lexicon)[0] == 0
        answers[lexicon] = kb_cli("--kb", kb_path, "check", sentence, "--format", "json")[1]
        shutil.rmtree(lexicon)

    # Gone, but the shipped lexicon is the same one (same hash): that one reads the check.
    code, out, _ = kb_cli("--kb", tmp_path / "copy.sqlite", "check", sentence, "--format", "json")
    assert (code, out) == (0, answers[copy])
    # Gone, and nothing else is the lexicon the KB was built with: one line says so.
    code, _, err = kb_cli("--kb", tmp_path / "edited.sqlite", "check", sentence)
    assert "the KB was built with a lexicon that is changed or gone" in _one_error_line(code, err)
