"""The seed gold: kb holds statement recall, type accuracy and grouping at 0.9 or more."""

from __future__ import annotations

import json

import pytest

from kb import api
from kb.errors import GoldError
from kb.evaluate import evaluate, load_gold
from kb.model import Statement
from tests.support import ROOT
from tests.test_analyze import build_kb

GOLD = ROOT / "tests" / "gold" / "seeds.yaml"


def test_seed_gold_scores_at_least_what_was_measured(seed_kb):
    # Since the gold became exhaustive (2026-12-05) it also measures precision (0.789).
    # Grouping recall is 0.845: kb files "Thus, it can relieve pain longer." under the more
    # specific "lasting pain relief"; since a claim named in passing is no statement,
    # "In addition to its potential for pain relief, ..." claims no relief, and since a
    # purpose is no result, "work with providers to develop a comprehensive plan" claims no
    # plan, where the gold says they do. Issue 16's targets are 0.9: these are floors.
    summary = api.open_kb(seed_kb).evaluate(GOLD).summary()
    floors = {
        "statement_recall": 0.95,
        "claim_type_accuracy": 0.95,
        "grouping_precision": 0.9,
        "grouping_recall": 0.84,
        "subject_accuracy": 0.95,
        "statement_precision": 0.78,
    }
    for metric, floor in floors.items():  # fmt: skip
        assert summary[metric] >= floor, (metric, summary)


def test_a_sentence_whose_clauses_say_something_is_not_also_kept_as_wording(seed_kb):
    # "Many people hear about acupuncture and are told ... that it will help them, but they
    # need more information": its clauses' propositions are its statements, not its words.
    by_sentence: dict[tuple, list] = {}
    for statement in api.open_kb(seed_kb).statement_list():
        by_sentence.setdefault((statement.source, statement.start), []).append(statement)
    mixed = [
        found[0].quote
        for found in by_sentence.values()
        if any(s.relation and s.object.startswith("~") for s in found)
        and any(not s.object for s in found)
    ]
    assert not mixed, mixed


def test_kb_eval_prints_every_metric(kb_cli, seed_kb):
    code, out, _ = kb_cli("--kb", seed_kb, "eval", GOLD)
    assert code == 0
    for metric in ("statement_recall", "claim_type_accuracy", "grouping_precision",
                   "grouping_recall"):  # fmt: skip
        assert metric in out
    code, out, _ = kb_cli("--kb", seed_kb, "eval", GOLD, "--format", "json")
    assert json.loads(out)["gold_mentions"] == 236


def test_show_errors_says_which_polarity_kb_read_where_the_gold_reads_another(kb_cli, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Acupuncture does not release endorphins.")
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "claims:\n  - id: endorphins\n    type: mechanism\n    mentions:\n"
        "      - {source: a, fragment: release endorphins}\n",
        encoding="utf-8",
    )
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    code, out, _ = kb_cli("--kb", kb_path, "eval", gold, "--show-errors")
    assert code == 0
    assert "polarity endorphins (affirmed → negated) a: release endorphins" in out


def test_gold_for_another_corpus_is_refused(kb_cli, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "other.txt").write_text("Acupuncture releases endorphins.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    code, _, err = kb_cli("--kb", kb_path, "eval", GOLD)
    assert code != 0 and "not in the KB" in err and "Traceback" not in err


def test_kb_claims_lists_who_affirms_and_negates(kb_cli, seed_kb):
    code, out, _ = kb_cli("--kb", seed_kb, "claims", "--format", "json")
    assert code == 0
    records = json.loads(out)
    labels = {r["label"]: r for r in records}
    endorphins = labels["acupuncture releases endorphins (the body's own opioids)"]
    assert endorphins["claim_type"] == "mechanism" and endorphins["sources"] >= 4
    retention = next(r for r in records if r["object"] == "needle_retention")
    assert len(retention["affirming"]) == 4
    code, out, _ = kb_cli("--kb", seed_kb, "claims", "--type", "safety")
    assert code == 0 and "safety" in out and "mechanism" not in out


@pytest.mark.parametrize(
    ("gold", "expected"),
    [
        ("claims:\n  - id: c1\n    type: efficacy\n    reviewed: 2023-02-30\n",
         "line 4: '2023-02-30' is not a date"),
        ("claims:\n  - just a sentence\n", "claim 1 needs an 'id:'"),
        ("claims:\n  - id: c1\n    type: efficacy\n    mentions: [a, b]\n",
         "claim 'c1' has a mention without text 'source:' and 'fragment:'"),
        ("claims:\n  - id: c1\n    type: efficacy\n    mentions:\n"
         "      - {source: seed, fragment: [x]}\n", "without text 'source:' and 'fragment:'"),
        ("claims:\n  - id: c1\n    type: efficacy\n    mentions: {source: seed}\n",
         "claim 'c1' has 'mentions:' that is not a list"),
        ("claims:\n  - id: c1\n    type: efficacy\n    mentions:\n"
         "      - {source: seed, fragment: Acupuncture, polarity: maybe}\n",
         "polarity 'maybe'"),
        ("claims: 3\n", "a gold file has a 'claims:', 'sentences:' or 'disagreements:' list"),
    ],
    ids=["impossible date", "claim not a mapping", "mention not a mapping",
         "fragment not text", "mentions not a list", "unknown polarity", "claims not a list"],
)  # fmt: skip
def test_a_gold_file_of_the_wrong_shape_is_one_line(kb_cli, tmp_path, gold, expected):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "seed.txt").write_text("Acupuncture releases endorphins.")
    kb_path = tmp_path / "kb.sqlite"
    api.build([corpus], kb_path)
    path = tmp_path / "gold.yaml"
    path.write_text(gold, encoding="utf-8")
    code, _, err = kb_cli("--kb", kb_path, "eval", path)
    lines = err.strip().splitlines()
    assert code != 0 and len(lines) == 1 and lines[0].startswith("kb: error: "), err
    assert expected in err


# Two sentences; the gold says only the first states a claim, and reads every sentence.
_TEXT = "Acupuncture releases endorphins. Call our clinic today."
_EXHAUSTIVE = """exhaustive: true
sources: [a]
claims:
  - id: endorphins
    type: mechanism
    subjects: [acupuncture]
    mentions:
      - {source: a, fragment: releases endorphins}
"""


def _statement(start: int, end: int, claim_id: str, subject: str = "acupuncture") -> Statement:
    return Statement(f"s{start}", "a", _TEXT[start:end], start, end, "mechanism",
                     subject=subject, claim_id=claim_id)  # fmt: skip


def _gold(tmp_path, text: str = _EXHAUSTIVE):
    path = tmp_path / "gold.yaml"
    path.write_text(text, encoding="utf-8")
    return load_gold(path, {"a": _TEXT})


def test_precision_counts_a_statement_in_a_sentence_the_gold_says_states_nothing(tmp_path):
    report = evaluate(_gold(tmp_path), [_statement(0, 32, "c1"), _statement(33, 55, "c2")])
    assert (report.statement_recall, report.statement_precision) == (1.0, 0.5)
    assert [why for _, why in report.unconfirmed] == ["no claim"]


def test_precision_counts_a_statement_filed_under_a_claim_that_means_something_else(tmp_path):
    gold = _gold(tmp_path, _EXHAUSTIVE.replace("fragment: releases endorphins",
                                               "fragment: Acupuncture releases endorphins.")
                 + "  - id: clinic\n    type: other\n    mentions:\n"
                   "      - {source: a, fragment: Call our clinic today.}\n")  # fmt: skip
    # Both sentences under one KB claim: it stands for one gold claim (a tie keeps both),
    # so a third statement of the first sentence's meaning settles it.
    statements = [_statement(0, 32, "c1"), _statement(0, 32, "c1"), _statement(33, 55, "c1")]
    report = evaluate(gold, statements)
    assert report.statement_precision == 2 / 3
    assert "its claim holds endorphins" in report.unconfirmed[0][1]


def test_precision_needs_a_gold_that_read_every_sentence(tmp_path):
    gold = _gold(tmp_path, _EXHAUSTIVE.replace("exhaustive: true", "exhaustive: false"))
    report = evaluate(gold, [_statement(0, 32, "c1"), _statement(33, 55, "c2")])
    assert report.statement_precision is None and report.summary()["statement_precision"] is None


def test_subject_accuracy_names_the_subject_kb_read(tmp_path):
    report = evaluate(_gold(tmp_path), [_statement(0, 32, "c1", subject="surgery")])
    assert report.subject_accuracy == 0.0
    assert report.wrong_subject[0][1] == "surgery"
    report = evaluate(_gold(tmp_path), [_statement(0, 32, "c1", subject="acu")],
                      subject_name={"acu": "Acupuncture"}.get)  # fmt: skip
    assert report.subject_accuracy == 1.0


def test_an_exhaustive_gold_names_its_sources(tmp_path):
    with pytest.raises(GoldError, match="names its 'sources:'"):
        _gold(tmp_path, _EXHAUSTIVE.replace("sources: [a]\n", ""))
    with pytest.raises(GoldError, match="'b' is not in the KB"):
        _gold(tmp_path, _EXHAUSTIVE.replace("sources: [a]", "sources: [a, b]"))


SHARED_CORPUS = ROOT.parent / "shared" / "corpora" / "other_interventions"
OTHER_GOLD = ROOT / "tests" / "gold" / "other_interventions.yaml"


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="needs ../shared/corpora (real text)")
def test_a_topic_without_a_lexicon_is_read_at_least_as_well_as_measured(tmp_path):
    # The gold was written before kb was tuned to it. These are floors at the figures
    # measured (issue 16, session 5: precision 0.896, subject 0.863, polarity 0.902,
    # recall 0.817, grouping 0.875 / 0.875 since 'traditional medicine' became general);
    # the targets are higher.
    api.build([SHARED_CORPUS], tmp_path / "kb.sqlite")
    summary = api.open_kb(tmp_path / "kb.sqlite").evaluate(OTHER_GOLD).summary()
    floors = {"statement_precision": 0.89, "subject_accuracy": 0.85, "polarity_accuracy": 0.9,
              "statement_recall": 0.8, "grouping_precision": 0.8,
              "grouping_recall": 0.8}  # fmt: skip
    assert all(summary[k] >= v for k, v in floors.items()), summary


CHECK_GOLD = ROOT / "tests" / "gold" / "checks.yaml"
DISAGREEMENT_GOLD = ROOT / "tests" / "gold" / "disagreements.yaml"


def test_checks_on_the_seeds_score_at_least_what_was_measured(seed_kb):
    # Issue 17, session 1 (the gold written before tuning): support 0.609 / 0.700,
    # contradict 0.450 / 0.818; the targets are 0.85 recall, 0.8 and 0.9 for contradicting.
    summary = api.open_kb(seed_kb).evaluate(CHECK_GOLD).summary()
    assert summary["corpora"] == ["seeds"] and summary["sentences"] == 32
    floors = {"support_recall": 0.6, "support_precision": 0.65, "contradict_recall": 0.45,
              "contradict_precision": 0.8}  # fmt: skip
    assert all(summary[k] >= v for k, v in floors.items()), summary
    assert summary["false_alarm_rate"] == 0.0


def test_conflicts_on_the_seeds_find_what_a_reader_finds(seed_kb):
    # 7 of the 9 disagreements between two sources; 3 of the 4 conflicts are among them.
    # The fourth, read: 000 and 004 state as proven that it relieves pain, 002 that research
    # continues to explore it -- the gold's d01/d02, over other sentences than it names.
    summary = api.open_kb(seed_kb).evaluate(DISAGREEMENT_GOLD).summary()
    assert summary["between_sources"] == 9 and summary["disagreement_recall"] >= 0.77, summary
    assert summary["conflict_precision_at_least"] >= 0.75, summary


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="needs ../shared/corpora (real text)")
def test_checks_on_a_topic_without_a_lexicon_score_at_least_what_was_measured(tmp_path):
    # Issue 17, session 1: support 0.286 / 0.667, contradict 0.250 / 1.000.
    api.build([SHARED_CORPUS], tmp_path / "kb.sqlite")
    summary = api.open_kb(tmp_path / "kb.sqlite").evaluate(CHECK_GOLD).summary()
    assert summary["corpora"] == ["other_interventions"] and summary["sentences"] == 43
    floors = {"support_recall": 0.28, "support_precision": 0.65, "contradict_recall": 0.25,
              "contradict_precision": 0.95}  # fmt: skip
    assert all(summary[k] >= v for k, v in floors.items()), summary


# ------------------------------------------------------------------ check and conflict golds

_CHECK_SOURCES = {
    "yes": "Acupuncture relieves back pain.",
    "no": "Acupuncture does not relieve back pain.",
    "needles": "The needles stay in for 10 to 20 minutes.",
}
_CHECK_GOLD = """sentences:
  - id: works
    corpus: here
    text: "Acupuncture eases back pain."
    supports: [{source: "yes", fragment: "relieves back pain"}]
    contradicts: [{source: "no", fragment: "does not relieve"}]
  - id: hour
    corpus: here
    text: "The needles stay in for an hour."
    contradicts: [{source: needles, fragment: "10 to 20 minutes"}]
  - id: moon
    corpus: here
    text: "The moon is made of cheese."
  - id: elsewhere
    corpus: another
    text: "Turmeric cures everything."
    contradicts: [{source: turmeric_page, fragment: "no good evidence"}]
"""


def test_a_check_gold_scores_which_sources_kb_says_support_and_contradict(tmp_path, kb_cli):
    base = build_kb(tmp_path, _CHECK_SOURCES)
    gold = tmp_path / "checks.yaml"
    gold.write_text(_CHECK_GOLD, encoding="utf-8")
    summary = base.evaluate(gold).summary()
    # the sentence of the other corpus is left out, not an error
    assert summary["corpora"] == ["here"] and summary["sentences"] == 3
    assert summary["support_recall"] == 1.0 and summary["support_precision"] == 1.0
    assert summary["contradict_recall"] == 1.0 and summary["contradict_precision"] == 1.0
    assert summary["false_alarm_rate"] == 0.0
    # A gold that expects what kb does not say: missed and wrong pairs are listed.
    gold.write_text(_CHECK_GOLD.replace('contradicts: [{source: "no"', 'supports: [{source: "no"')
                    .replace('    supports: [{source: "yes"', '    contradicts: [{source: "yes"'),
                    encoding="utf-8")  # fmt: skip
    report = base.evaluate(gold)
    assert report.summary()["contradict_precision"] == 0.5
    assert ("works", "wrong contradicts", "no") in report.errors
    code, out, _ = kb_cli("--kb", base.path, "eval", gold, "--show-errors")
    assert code == 0 and "contradict_recall" in out and "missed contradicts" in out


def test_a_check_gold_with_a_fragment_not_in_its_source_is_one_line(tmp_path, kb_cli):
    base = build_kb(tmp_path, _CHECK_SOURCES)
    gold = tmp_path / "checks.yaml"
    gold.write_text(_CHECK_GOLD.replace("does not relieve", "never relieves"), encoding="utf-8")
    code, _, err = kb_cli("--kb", base.path, "eval", gold)
    assert code != 0 and err.count("\n") == 1 and "fragment not found in no" in err


def test_a_disagreement_gold_scores_the_conflicts_kb_found(tmp_path, kb_cli):
    base = build_kb(tmp_path, {**_CHECK_SOURCES, "long": "Needles stay in for 45 to 60 minutes."})
    gold = tmp_path / "disagreements.yaml"
    gold.write_text(
        """disagreements:
  - id: works
    kind: polarity
    description: whether acupuncture relieves back pain
    sides:
      - {source: "yes", fragment: "relieves back pain"}
      - {source: "no", fragment: "does not relieve"}
  - id: minutes
    kind: numeric
    description: how long the needles stay in
    sides:
      - {source: needles, fragment: "10 to 20 minutes"}
      - {source: long, fragment: "45 to 60 minutes"}
""",
        encoding="utf-8",
    )
    report = base.evaluate(gold)
    assert sorted(report.found) == ["minutes", "works"]
    assert report.summary()["disagreement_recall"] == 1.0
    assert report.summary()["conflict_precision_at_least"] == 1.0
    code, out, _ = kb_cli("--kb", base.path, "eval", gold, "--format", "json")
    assert code == 0 and json.loads(out)["disagreements"] == 2
