"""Negation, hedges and reported speech on real sentences (tests/gold/scope.yaml, written
before kb was tuned to it; see tests/gold/GUIDE.md): how kb reads the polarity and the
certainty of the proposition each sentence states."""

from __future__ import annotations

from collections import Counter

import yaml

from kb.nlp import cues
from kb.nlp.match import tokenize
from kb.nlp.scope import main_anchor, scope_of
from kb.nlp.syntax import parse
from tests.support import ROOT

GOLD = ROOT / "tests" / "gold" / "scope.yaml"


def read(text: str) -> tuple[str, str]:
    """(polarity, certainty) of a sentence's main assertion, as kb's extraction reads a
    sentence no concept covers: the parse, and who the sentence says says it."""
    scope = scope_of(main_anchor(parse(text)))
    if cues.attribution(text, tokenize(text)) or scope.certainty == "reported":
        certainty = "reported"
    else:
        certainty = scope.certainty
    return ("negated" if scope.negated else "affirmed"), certainty


def scored() -> tuple[list[dict], Counter]:
    entries = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["sentences"]
    tally: Counter = Counter()
    wrong = []
    for entry in entries:
        polarity, certainty = read(entry["text"])
        tally["polarity"] += polarity == entry["polarity"]
        tally["certainty"] += certainty == entry["certainty"]
        if polarity != entry["polarity"]:
            wrong.append({**entry, "read": polarity})
    tally["n"] = len(entries)
    return wrong, tally


def test_the_scope_set_is_large_and_balanced_enough_to_mean_something():
    entries = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["sentences"]
    polarities = Counter(e["polarity"] for e in entries)
    assert len(entries) >= 60 and min(polarities.values()) >= 20, polarities


def test_polarity_is_read_right_as_often_as_measured():
    # Measured when the set was written (issue 16): 0.879 of 215 (0.853 on the 156 the
    # larger half holds, 0.953 on the other 64); 0.902 since "no" on a verb's object
    # negates ("has no effect on"), 0.907 with "unlikely". The target is 0.9.
    wrong, tally = scored()
    accuracy = tally["polarity"] / tally["n"]
    assert accuracy >= 0.9, (accuracy, [(w["text"], w["polarity"]) for w in wrong])
