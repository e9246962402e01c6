"""Reading a sentence's parse: what it asserts, negates, hedges or reports, and which
treatment a clause says acts. One real-looking sentence per behaviour."""

from __future__ import annotations

import pytest

from kb.nlp.scope import asserted_clauses, main_anchor, scope_at, scope_of
from kb.nlp.syntax import parse, subject_at


def main_scope(text: str):
    return scope_of(main_anchor(parse(text)))


def at(text: str, words: str):
    start = text.index(words)
    return scope_at(parse(text), start, start + len(words))


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Acupuncture failed to reduce pain.", True),
        ("There is little evidence that glucosamine was any better than a placebo.", True),
        ("Claims that curcumin may help to reduce inflammation remain unproven.", True),
        ("Real acupuncture was no better than sham acupuncture.", True),
        ("No study has shown that turmeric prevents cancer.", True),
        ("A 2013 review concluded that omega-3 supplements did not reduce heart attacks.", True),
        ("Turmeric, which is not a drug, reduces inflammation.", False),
        ("It does not mean it will not work.", False),
        ("Acupuncture is not only safe but also effective.", False),
        ("Omega-3 supplements reduce triglycerides.", False),
        ("The evidence linking fish oil to a lower risk of cancer is poor.", True),
        ("The effect of fish oil on prostate cancer is inconclusive.", True),
        ("The trial found no evidence that the drug reduced deaths.", True),
        ("There is a lack of evidence supporting mask use for prevention.", True),
        ("The virus is undetectable in tears.", True),
        ("It is unlikely that the virus passed from pangolins to humans.", True),
        ("Side effects are not to be expected.", True),
        ("Side effects are to be expected.", False),
        ("There are hardly any good studies on these remedies.", True),
        ("No scientifically proven statements can be made about its side effects.", True),
        ("Travel restrictions are unlikely to delay the spread by weeks.", True),
        # "no" on what the verb has or shows
        ("Blood pressure drugs have no effect on the severity of the disease.", True),
        ("In mice, the oral vaccine produced no immune response.", True),
        ("Reliable studies found no difference between the drug and a placebo.", True),
        ("Blood pressure drugs have an effect on the severity of the disease.", False),
        # "with no side effects" is said of the relief: it does not deny it
        ("Acupuncture relieves pain with no side effects.", False),
    ],
)
def test_negation_counts_only_on_the_way_from_the_claim_to_the_root(text, negated):
    assert main_scope(text).negated is negated


def test_a_clause_joined_by_but_keeps_its_own_polarity():
    assert not at("It is not cheap, but acupuncture relieves back pain.", "relieves").negated
    assert at("It did not reduce pain or improve function.", "improve").negated
    assert at("It can neither relieve pain nor improve function.", "improve").negated
    assert at("It can neither relieve pain nor improve function.", "relieve").negated


def test_a_clause_opened_by_a_conjunction_keeps_its_own_polarity_and_certainty():
    text = "Although long used in Ayurvedic medicine, there is no evidence that turmeric works."
    assert not at(text, "used").negated
    text = "While fish oil may prevent heart disease, the ratio does not matter."
    assert not at(text, "prevent").negated
    text = "No studies have shown the ester form to be superior, although it is cheaper."
    assert not at(text, "cheaper").negated
    # one that only elaborates shares the clause's modality and polarity
    assert at("Omega-3 may be of benefit, improving appetite.", "improving").certainty == "hedged"
    assert at("Omega-3 did not help, worsening appetite.", "worsening").negated


def test_what_is_not_plausible_is_denied_wherever_the_parse_hangs_not():
    text = (
        "The advertised detoxification of the body by fasting is besides scientifically "
        "not plausible."
    )
    assert at(text, "detoxification").negated
    assert not at(text.replace("not ", ""), "detoxification").negated


def test_what_is_ruled_out_is_denied_and_what_cannot_be_is_possible():
    assert at("A beneficial effect of ivermectin was ruled out.", "beneficial effect").negated
    reading = at("A beneficial effect of ivermectin cannot be ruled out.", "beneficial effect")
    assert (reading.negated, reading.certainty) == (False, "hedged")
    reading = main_scope("Researchers could not rule out that turmeric damages the liver.")
    assert (reading.negated, reading.certainty) == (False, "hedged")
    reading = main_scope("However, infection cannot be completely ruled out.")
    assert (reading.negated, reading.certainty) == (False, "hedged")


def test_a_claim_said_to_be_likely_is_hedged():
    text = "It is likely that dairy products reduce the risk of colon cancer."
    assert (at(text, "reduce").negated, at(text, "reduce").certainty) == (False, "hedged")
    assert at(text.replace("likely", "true"), "reduce").certainty == "asserted"
    assert at(text.replace("is likely", "is not likely"), "reduce").negated
    # the same said of the treatment: "X is likely to Y"; a comparison of chances is not
    text = "Flu vaccination is likely to protect adults from influenza."
    assert (main_scope(text).negated, main_scope(text).certainty) == (False, "hedged")
    text = "The infection is more likely to affect older men."
    assert main_scope(text).certainty == "asserted"
    # "not scientifically plausible" is a concept's phrase; it still denies what it frames
    text = "It is not scientifically plausible that homeopathic remedies are effective."
    assert at(text, "effective").negated


def test_a_claim_said_to_be_unclear_is_hedged():
    assert at("The effectiveness of glucosamine is unclear.", "effectiveness").certainty == (
        "hedged"
    )
    assert at("The effectiveness of glucosamine is clear.", "effectiveness").certainty == (
        "asserted"
    )


def test_a_concession_is_asserted_beside_the_main_clause():
    for text in (
        "Although tocilizumab reduced deaths, it did not shorten the stay in hospital.",
        "Tocilizumab did not shorten the stay in hospital, although it reduced deaths.",
    ):
        assert [r.negated for _, r in asserted_clauses(parse(text))] == [True, False]
    # a condition is not asserted that way: "If X, Y" says Y under X
    assert len(asserted_clauses(parse("If it reduced deaths, it was cheap."))) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The study tested whether glucosamine reduced pain in knee osteoarthritis.", "pain"),
        ("In addition, people seeking acupuncture to relieve back pain have many questions.",
         "relieve"),
        ("Acupuncture is used to treat back pain.", "treat"),
        ("The theories behind why acupuncture can reduce pain include these.", "reduce"),
        ("Patients ask questions before exploring it as a treatment for pain.", "treatment"),
        ("The acupuncturist may heat the needles to increase their effectiveness.",
         "effectiveness"),
        ("Therefore, it is hard to pinpoint how well it will work for someone.", "work"),
    ],
    ids=["a study's question", "who the subject is", "a use, not a result", "why, as a topic",
         "a circumstance", "a purpose", "how well, as a question"],
)  # fmt: skip
def test_words_a_sentence_only_mentions_are_not_asserted(text, words):
    assert not at(text, words).asserted


def test_a_how_clause_is_said_when_it_is_what_changes():
    assert at("Acupuncture changes how the brain processes pain signals.", "processes").asserted
    assert at("Acupuncture is effective for relieving pain.", "relieving").asserted


def test_a_condition_is_still_asserted_but_an_open_question_is_hedged():
    assert at("If you feel sharp pain, the needle was placed wrongly.", "placed").asserted
    scope = main_scope("Whether acupuncture relieves back pain is still being studied.")
    assert scope.asserted


def test_what_someone_wants_to_do_is_not_said_to_happen():
    text = "Women who want to relieve hot flushes with hormones should ask their doctor."
    assert not at(text, "relieve").asserted
    assert at("Hormones relieve hot flushes in women who want them.", "relieve").asserted


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # what is said of the question leaves its answer open
        ("Whether thyme relieves cough has not yet been researched in studies.", False),
        ("Whether thyme can relieve a cough has never been investigated in studies.", False),
        # a question that asks about a denial still asks about it
        ("Whether thyme does not relieve cough is unclear.", True),
    ],
)
def test_an_open_question_is_not_answered_by_what_is_said_of_it(text, negated):
    scope = at(text, "relieve")
    assert (scope.negated, scope.certainty) == (negated, "hedged")


def test_what_cannot_be_determined_is_neither_said_nor_denied():
    text = "Neither benefits nor side effects can be reliably determined."
    assert not at(text, "side effects").asserted
    assert not at("Side effects cannot be determined.", "effects").negated
    # what has not been shown is no finding: denied
    assert at("Side effects have not been shown.", "effects").negated


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("A review concluded that acupuncture relieves back pain.", "reported"),
        ("Acupuncture has been shown to relieve back pain.", "reported"),
        ("Omega-3 may reduce inflammation.", "hedged"),
        ("It has been suggested that turmeric eases arthritis.", "hedged"),
        ("Melatonin helps people fall asleep.", "asserted"),
    ],
)
def test_certainty_follows_the_verbs_above_the_claim(text, certainty):
    assert main_scope(text).certainty == certainty


@pytest.mark.parametrize(
    ("text", "words", "subject"),
    [
        ("Massage may relieve chronic low back pain.", "relieve", ("massage", True)),
        ("Yoga improves flexibility and may relieve back pain.", "relieve", ("yoga", True)),
        ("Physical therapy helps many people.", "helps", ("physical therapy", True)),
        ("This stimulation relieves pain.", "relieves", ("", False)),
        ("Most patients reported less pain.", "reported", ("", False)),
        ("Massage is safe.", "safe", ("massage", False)),
        # what is taken, not the taking; a name the parser reads as a number
        ("Consumption of omega-3 fatty acids lowers inflammation.", "lowers",
         ("omega-3 fatty acids", True)),
        ("The daily intake of one gram of fish oil may prevent heart attacks.", "prevent",
         ("fish oil", True)),
        ("Tocilizumab was associated with a lower risk of death.", "associated",
         ("tocilizumab", True)),
        ("ALA does not confer the heart benefits of EPA.", "confer", ("ala", True)),
    ],
)  # fmt: skip
def test_the_treatment_a_clause_says_acts(text, words, subject):
    start = text.index(words)
    assert subject_at(parse(text), start, start + len(words)) == subject
