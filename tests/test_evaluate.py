"""The seed gold: kb holds statement recall, type accuracy and grouping at 0.9 or more."""

from __future__ import annotations

import json

import pytest

from kb import api
from tests.support import ROOT

GOLD = ROOT / "tests" / "gold" / "seeds.yaml"


def test_seed_gold_scores_at_least_0_9(seed_kb):
    summary = api.open_kb(seed_kb).evaluate(GOLD).summary()
    for metric in ("statement_recall", "claim_type_accuracy", "grouping_precision",
                   "grouping_recall"):  # fmt: skip
        assert summary[metric] >= 0.9, (metric, summary)


def test_kb_eval_prints_every_metric(kb_cli, seed_kb):
    code, out, _ = kb_cli("--kb", seed_kb, "eval", GOLD)
    assert code == 0
    for metric in ("statement_recall", "claim_type_accuracy", "grouping_precision",
                   "grouping_recall"):  # fmt: skip
        assert metric in out
    code, out, _ = kb_cli("--kb", seed_kb, "eval", GOLD, "--format", "json")
    assert json.loads(out)["gold_mentions"] == 228


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
        ("claims: 3\n", "a gold file has a 'claims:' list"),
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
