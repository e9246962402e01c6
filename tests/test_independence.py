"""Near-duplicate sources: copies and rewrites are found, independent articles are not."""

from __future__ import annotations

import pytest

from kb.analyze import voices
from kb.analyze.independence import (
    DUPLICATES,
    SKETCH,
    DuplicatePair,
    duplicate_groups,
    near_duplicates,
    score_all_pairs,
    sketch,
)
from kb.model import Source
from kb.nlp.segment import split_units
from kb.stages import Document
from tests.support import ROOT

ORIGINAL = (
    "Turmeric has been used in South Asian cooking and folk medicine for centuries. "
    "Its bright yellow colour comes from curcumin, a compound that laboratory studies link "
    "to lower inflammation. "
    "The body absorbs curcumin poorly, so supplements often add black pepper extract to raise "
    "the amount that reaches the blood. "
    "Small clinical trials suggest that daily curcumin may ease knee pain from osteoarthritis. "
    "However, most of these trials lasted only a few weeks and enrolled fewer than a hundred "
    "people. "
    "High doses can upset the stomach and may interact with blood-thinning drugs such as "
    "warfarin. "
    "People with gallstones are usually told to avoid concentrated turmeric supplements. "
    "Anyone thinking about taking curcumin should first talk to a pharmacist or doctor."
)
# The same paragraph reworded, two sentences swapped: few five-word runs survive.
REWRITE = (
    "For centuries, turmeric has been part of folk medicine and cooking across South Asia. "
    "Curcumin gives the spice its bright yellow colour, and studies in the laboratory have "
    "tied this compound to reduced inflammation. "
    "Because curcumin is poorly absorbed by the body, many supplements include black pepper "
    "extract to increase how much gets into the blood. "
    "Taking curcumin every day might ease the knee pain of osteoarthritis, according to a few "
    "small clinical trials. "
    "Concentrated turmeric supplements are generally not advised for people who have "
    "gallstones. "
    "Yet these trials were short, lasting just weeks, and each enrolled under a hundred people. "
    "In high doses it may upset your stomach and interact with blood thinners like warfarin. "
    "Talk to your doctor or pharmacist before you start taking curcumin."
)
# Another article on the same topic, written independently.
INDEPENDENT = (
    "Turmeric is a root in the ginger family, grown mostly in India. "
    "Cooks dry and grind it into the orange powder found in curry blends. "
    "Researchers have tested its main compound, curcumin, for arthritis, depression and "
    "heart disease, with results that are hard to interpret. "
    "A 2016 review found that curcumin reduced joint pain about as much as ibuprofen, but the "
    "studies were small and often poorly designed. "
    "Supplements vary widely in how much curcumin they contain. "
    "Some products sold online have been found to contain lead. "
    "Liver injury has been reported in a small number of people taking concentrated extracts. "
    "Buying from brands that use third-party testing lowers the risk."
)


def test_a_rewrite_is_found_with_aligned_sentences_as_evidence():
    texts = {"original": ORIGINAL, "rewrite": REWRITE}
    [pair] = near_duplicates(texts)
    assert (pair.a, pair.b) == ("original", "rewrite")
    assert pair.shingle_similarity < 0.1  # a paraphrase, not a copy
    assert pair.aligned >= 6 and pair.aligned_share >= 0.7
    assert 1 <= len(pair.examples) <= 3
    for (a_start, a_end), (b_start, b_end) in pair.examples:
        # The spans are whole sentences of each text.
        assert ORIGINAL[a_start:a_end].endswith(".") and REWRITE[b_start:b_end].endswith(".")


def test_independent_articles_on_the_same_topic_are_left_alone():
    assert near_duplicates({"original": ORIGINAL, "other": INDEPENDENT}) == []
    [score] = score_all_pairs({"original": ORIGINAL, "other": INDEPENDENT})
    assert score.aligned <= 1


def test_an_exact_copy_is_found():
    [pair] = near_duplicates({"b": ORIGINAL, "a": ORIGINAL, "c": INDEPENDENT})
    assert (pair.a, pair.b) == ("a", "b")
    assert pair.shingle_similarity == 1.0


def test_a_copy_inside_a_longer_page_is_found():
    page = "Menu\nHome | Shop | About\n\n" + INDEPENDENT + "\n\n" + ORIGINAL + "\n\nShare this."
    [pair] = near_duplicates({"article": ORIGINAL, "page": page})
    assert pair.shingle_similarity == 1.0


def test_sentence_units_may_be_given():
    def units(text):
        from kb.model import Sentence

        out, start = [], 0
        for part in text.split(". "):
            end = start + len(part) + (0 if part.endswith(".") else 1)
            out.append(Sentence(start, end, text[start:end], index=len(out)))
            start = end + 1
        return out

    texts = {"original": ORIGINAL, "rewrite": REWRITE, "other": INDEPENDENT}
    found = near_duplicates(texts, {sid: units(text) for sid, text in texts.items()})
    assert [(p.a, p.b) for p in found] == [("original", "rewrite")]


def test_an_article_and_its_rewrite_count_once():
    pairs = near_duplicates({"original": ORIGINAL, "rewrite": REWRITE, "other": INDEPENDENT})
    assert independent_count(["original", "rewrite", "other"], pairs) == 2
    assert independent_count(["original", "other"], pairs) == 2
    assert duplicate_groups(pairs) == {"original": ["rewrite"], "rewrite": ["original"]}


def test_copies_of_copies_are_one_voice():
    pairs = [DuplicatePair("a", "b", 1.0, 8, 1.0), DuplicatePair("b", "c", 0.0, 6, 0.6)]
    assert independent_count(["a", "b", "c", "d"], pairs) == 2
    assert independent_count([], pairs) == 0


def test_many_copies_are_compared_a_bounded_number_of_times_and_still_count_once(monkeypatch):
    # Each source brings its PER_SOURCE_MAX best candidates: with 2, six copies of one
    # article are 9 comparisons, not 15, and their verdicts still make one voice.
    import kb.analyze.independence.candidates as candidates

    monkeypatch.setattr(candidates, "PER_SOURCE_MAX", 2)
    copies = {f"copy{n}": ORIGINAL for n in range(6)}
    pairs = near_duplicates({**copies, "other": INDEPENDENT})
    assert len(pairs) == 9  # each pair among the 2 best of one of its sources (ties: first)
    assert sorted(sum(sid in (p.a, p.b) for p in pairs) for sid in copies) == [2, 2, 2, 2, 5, 5]
    assert independent_count([*copies, "other"], pairs) == 2


def test_results_are_the_same_every_time():
    texts = {"original": ORIGINAL, "rewrite": REWRITE, "other": INDEPENDENT, "copy": ORIGINAL}
    assert near_duplicates(texts) == near_duplicates(dict(reversed(texts.items())))


def test_empty_and_tiny_texts_are_no_duplicates():
    assert near_duplicates({}) == []
    assert near_duplicates({"a": "", "b": "", "c": "Hi."}) == []


SEEDS = ROOT / "data" / "sources"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus {SEEDS} is absent")
def test_on_the_seeds_only_the_rewritten_pair_is_found_and_with_margin():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    assert len(texts) == 5
    found = near_duplicates(texts)
    assert len(found) == 1
    rewrite = found[0]
    assert rewrite.aligned_share >= 0.38  # measured 0.42; the rule needs 0.3
    for pair in score_all_pairs(texts):
        if (pair.a, pair.b) != (rewrite.a, rewrite.b):
            assert pair.aligned_share <= 0.22  # measured at most 0.19
            assert pair.shingle_similarity <= 0.02
    assert independent_count(texts, found) == 4


def independent_count(source_ids, pairs) -> int:
    """Voices among ``source_ids``: an article and its rewrite count once."""
    return len(set(voices(source_ids, [(p.a, p.b) for p in pairs]).values()))


@pytest.fixture
def changed_code(monkeypatch):
    """Make kb see a new version of a module's source, as after an upgrade of kb."""
    import kb.stages

    source = kb.stages._module_source

    def change(module: str) -> None:
        monkeypatch.setattr(
            kb.stages, "_module_source", lambda name: source(name) + (b"#" * (name == module))
        )
        kb.stages.code_fingerprint.cache_clear()

    kb.stages.code_fingerprint.cache_clear()
    yield change
    kb.stages.code_fingerprint.cache_clear()


def test_a_new_verdict_rule_keeps_the_sketches_and_a_new_sketch_remakes_them(changed_code):
    # A stage's version is the fingerprint of its code: a build makes again what a changed
    # stage made. The rule and the comparison are not the sketch's code, so changing them
    # compares pairs again without sketching (reading) every source again.
    sketch_version, duplicates_version = SKETCH.version, DUPLICATES.version
    for module in ("kb.analyze.independence.rule", "kb.analyze.independence.verify"):
        changed_code(module)
        assert SKETCH.version == sketch_version, module
        assert DUPLICATES.version != duplicates_version, module
    changed_code("kb.analyze.independence.sketch")
    assert SKETCH.version != sketch_version and DUPLICATES.version != duplicates_version


def test_the_sketch_stage_reads_the_units_segmentation_made():
    # Segmentation keeps "Dr. Li" in one sentence; the regex splitter would cut after "Dr.".
    text = "Dr. Li says thin needles placed at chosen points ease lower back pain."
    units = split_units(text)
    document = SKETCH.run(Document(source=Source(id="s", text=text), units=units), None)
    assert "units" in SKETCH.needs
    assert document.sketch == sketch(text, units) != sketch(text)
    assert "dr" in document.sketch.sentences[0]
