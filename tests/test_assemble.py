"""Claims: the same proposition across sources, refinement, grouping without a lexicon."""

from __future__ import annotations

from kb.model import Source, sha256_text
from kb.nlp.lexicon import Lexicon
from kb.nlp.segment import split_units
from kb.stages.assemble import assemble, linked
from kb.stages.extract import Extractor
from tests.test_extract import LEXICON


def _statements(texts: dict[str, str], lexicon: Lexicon = LEXICON):
    extractor = Extractor(lexicon)
    out = []
    for source_id, text in texts.items():
        source = Source(id=source_id, text=text, sha256=sha256_text(text))
        out.extend(extractor.extract(source, split_units(text)))
    return out


def _titled_statements(texts: dict[str, tuple[str, str]]):
    """The statements of sources given as (title, body), read as a file starting with
    its title line is."""
    extractor = Extractor(LEXICON)
    out = []
    for source_id, (title, body) in texts.items():
        text = f"{title}\n\n{body}"
        source = Source(id=source_id, text=text, sha256=sha256_text(text), title=title)
        out.extend(extractor.extract(source, split_units(text)))
    return out


def _assembled(statements, lexicon: Lexicon = LEXICON):
    """The claims, and the statements pointing at them."""
    claims = assemble(statements, lexicon)
    return claims, linked(statements, claims)


def _claim_of(statements, source, obj):
    return next(s.claim_id for s in statements if s.source == source and s.object == obj)


def test_paraphrases_from_different_sources_are_one_claim():
    statements = _statements(
        {
            "a": "Acupuncture may trigger the release of natural opioids.",
            "b": "Acupuncture boosts the body's own opioids, such as endorphins.",
            "c": "Acupuncture releases endorphins.",
        }
    )
    claims, statements = _assembled(statements)
    ids = {_claim_of(statements, s, "endorphin_release") for s in "abc"}
    assert len(ids) == 1
    (claim,) = [c for c in claims if c.id in ids]
    assert claim.label == "acupuncture releases endorphins (the body's own opioids)"
    assert claim.normalised


def test_quantities_and_conditions_do_not_split_a_claim():
    statements = _statements(
        {
            "a": "Acupuncture needles stay in for 10 to 20 minutes.",
            "b": "With acupuncture the needles are left in place for 20-30 minutes.",
        }
    )
    _, statements = _assembled(statements)
    assert _claim_of(statements, "a", "needle_retention") == _claim_of(
        statements, "b", "needle_retention"
    )


def test_comparators_split_claims():
    statements = _statements(
        {
            "a": "Acupuncture is more effective than sham acupuncture.",
            "b": "Acupuncture is more effective than no treatment.",
        }
    )
    _, statements = _assembled(statements)
    assert _claim_of(statements, "a", "more_effective") != _claim_of(
        statements, "b", "more_effective"
    )


def test_specific_claim_refines_the_general_one():
    statements = _statements(
        {
            "a": "Acupuncture releases endorphins.",
            "b": "Acupuncture makes the body release chemicals that dull pain.",
        }
    )
    found, statements = _assembled(statements)
    claims = {c.id: c for c in found}
    specific = claims[_claim_of(statements, "a", "endorphin_release")]
    general = _claim_of(statements, "b", "neurochemical_release")
    assert specific.refines == [general]


def test_claim_ids_are_stable_across_runs():
    texts = {"a": "Acupuncture releases endorphins. It may reduce inflammation."}
    first = [c.id for c in assemble(_statements(texts), LEXICON)]
    second = [c.id for c in assemble(_statements(texts), LEXICON)]
    assert first == second


def test_without_a_lexicon_similar_statements_group_and_are_not_normalised():
    empty = Lexicon(cues={"efficacy": ("reduces",), "safety": ("side effects",)})
    statements = _statements(
        {
            "a": "Turmeric reduces joint inflammation in people with arthritis.",
            "b": "In people with arthritis, turmeric reduces joint inflammation.",
            "c": "Turmeric supplements can cause stomach side effects in some people.",
        },
        empty,
    )
    _, statements = _assembled(statements, empty)
    by_source = {s.source: s for s in statements}
    assert by_source["a"].claim_id == by_source["b"].claim_id != by_source["c"].claim_id
    assert by_source["a"].qualifiers.normalised is False
    assert by_source["a"].claim_type == "efficacy" and by_source["c"].claim_type == "safety"


def test_grouping_leaves_the_statements_it_reads_as_they_were():
    # A build groups statements read back from the store and made anew alike: grouping
    # must not change them behind the caller's back.
    statements = _statements({"a": "Acupuncture releases endorphins.", "b": "It is safe."})
    before = [s.to_dict() for s in statements]
    claims = assemble(statements, LEXICON)
    after = linked(statements, claims)
    assert [s.to_dict() for s in statements] == before
    assert all(s.claim_id for s in after) and all(s.claim_id is None for s in statements)
    assert {s.claim_id for s in after} == {c.id for c in claims}


def test_a_claim_the_parse_read_is_labelled_in_its_source_s_words():
    statements = _statements(
        {
            "a": "Omega-3 supplements lowered elevated triglycerides in adults.",
            "b": "Omega-3 supplements reduce elevated triglycerides.",
        }
    )
    claims, statements = _assembled(statements)
    ids = {s.claim_id for s in statements if s.relation == "reduces"}
    assert len(ids) == 1  # one claim across wording and sources
    (claim,) = [c for c in claims if c.id in ids]
    # its words, not the lemmas it was grouped by ("elevate triglyceride")
    assert claim.label.endswith("reduces elevated triglycerides"), claim.label


def test_claims_of_a_treatment_nobody_named_do_not_group_across_sources():
    # two abstracts on unnamed treatments: their risks may be of two treatments
    statements = _statements(
        {
            "a": "The treatment carries a risk of infection.",
            "b": "The treatment carries a risk of infection.",
        }
    )
    _, statements = _assembled(statements)
    assert statements and all(not s.subject for s in statements)
    assert len({s.claim_id for s in statements}) == 2
    # a topic lexicon's concept names its topic, and advice is anyone's
    statements = _statements(
        {"a": "The needles stay in for 20 minutes.", "b": "The needles stay in for 30 minutes."}
    )
    _, statements = _assembled(statements)
    assert len({s.claim_id for s in statements if s.object == "needle_retention"}) == 1


def test_a_remedy_of_any_traditional_system_is_one_claim():
    # "traditional medicine" is not only the Chinese one the acupuncture seeds name
    texts = {
        "a": ("Turmeric", "Turmeric has long been used in Ayurvedic medicine."),
        "b": ("Turmeric", "Turmeric is a folk remedy for skin disorders."),
        "c": ("Acupuncture", "Acupuncture comes from traditional Chinese medicine."),
    }
    statements = _titled_statements(texts)
    claims, statements = _assembled(statements)
    traditional = {s.source: s.claim_id for s in statements if s.object == "traditional_medicine"}
    assert traditional.keys() == {"a", "b", "c"}
    assert traditional["a"] == traditional["b"] != traditional["c"]  # each treatment its own
    (claim,) = [c for c in claims if c.id == traditional["a"]]
    assert claim.label == "turmeric comes from traditional medicine"


def test_a_general_concept_s_label_says_nothing_of_another_topic():
    # the general lexicon began on acupuncture for back pain: its labels must not carry that
    texts = {
        "a": ("Face masks", "Face masks are common. Face masks are commonly used in public."),
        "b": ("Face masks", "Face masks are common. Face masks were combined with distancing."),
    }
    statements = _titled_statements(texts)
    claims, _ = _assembled(statements)
    labels = {c.label for c in claims}
    assert "face masks is commonly used" in labels, labels
    assert not [label for label in labels if "pain" in label or "treatment plan" in label]


def test_what_is_said_in_the_same_words_of_two_subjects_is_two_claims():
    texts = {
        "a": (
            "Cape geranium",
            "Cape geranium has few side effects. There is evidence of an effect.",
        ),
        "b": (
            "Copper socks",
            "Copper socks have few side effects. There is no evidence of an effect.",
        ),
        "c": ("Cape geranium", "Cape geranium is well tolerated. There is evidence of an effect."),
    }
    statements = _titled_statements(texts)
    _, statements = _assembled(statements)
    said = {s.source: s for s in statements if "of an effect" in s.quote}
    assert said["a"].subject == "~cape geranium" and said["b"].subject == "~copper socks"
    assert said["a"].claim_id == said["c"].claim_id != said["b"].claim_id
