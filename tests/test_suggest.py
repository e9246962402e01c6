"""kb lexicon suggest: a starter lexicon from what kb read without one, that loads as is."""

from __future__ import annotations

from kb import api
from kb.nlp.lexicon import SHIPPED_LEXICON, load_lexicon
from tests.test_analyze import build_kb

# Two pages on a treatment the shipped lexicon does not know.
PAGES = {
    "a": "Kinesio Taping for Knee Pain\n\nKinesio taping may improve knee stability after "
    "surgery. Kinesio taping was no better than placebo taping in older adults.",
    "b": "Does Kinesio Taping Work?\n\nThe tape improved knee stability within two weeks "
    "in one small trial. Kinesio taping can cause skin blisters in some people.",
}


def test_a_suggestion_names_the_treatment_what_it_does_and_what_it_was_compared_with(tmp_path):
    suggestions = build_kb(tmp_path, PAGES).suggest_lexicon()
    found = {(s.category, s.label): s for s in suggestions}
    assert ("intervention", "kinesio") in found or ("intervention", "kinesio taping") in found
    stability = found[("outcome", "improves knee stability")]
    assert (stability.statements, stability.sources) == (2, 2)
    assert stability.example_source == "a" and "may improve knee stability" in stability.example
    assert ("adverse_event", "causes skin blister") in found
    assert ("comparator", "placebo taping") in found


def test_kb_lexicon_suggest_writes_a_file_that_loads_as_a_lexicon(kb_cli, tmp_path):
    base = build_kb(tmp_path, PAGES)
    out = tmp_path / "suggested.yaml"
    code, _, err = kb_cli("--kb", base.path, "lexicon", "suggest", "-o", out)
    assert code == 0 and "review before you build" in err
    text = out.read_text(encoding="utf-8")
    assert "2 statement(s) in 2 source(s)" in text  # counts and an example quote, as comments
    lexicon = load_lexicon([out])
    outcomes = [c for c in lexicon.concepts.values() if c.category == "outcome"]
    assert any("stability" in c.label for c in outcomes)
    # Built with it, the outcome is a concept: the two pages' statements are one claim.
    rebuilt = tmp_path / "with.sqlite"
    api.build([tmp_path / "src"], rebuilt, lexicon=api.load_lexicon([SHIPPED_LEXICON, out]))
    claims = api.open_kb(rebuilt).claim_records()
    assert any(r["label"].endswith("improves knee stability") and r["sources"] == 2 for r in claims)
