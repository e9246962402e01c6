"""Statements from minimal texts: types, polarity, certainty, quantities, anaphora, labels."""

from __future__ import annotations

import pytest

from kb.model import Source, sha256_text
from kb.nlp.lexicon import SHIPPED_LEXICON, load_lexicon
from kb.nlp.scope import describes_method, main_anchor
from kb.nlp.segment import split_units
from kb.nlp.subject import recurring
from kb.nlp.syntax import parse, proposition
from kb.stages.extract import Extractor

LEXICON = load_lexicon([SHIPPED_LEXICON])
EXTRACTOR = Extractor(LEXICON)


def statements_of(text: str, source_id: str = "t"):
    source = Source(id=source_id, text=text, sha256=sha256_text(text))
    return EXTRACTOR.extract(source, split_units(text))


def only(text: str, **expected):
    """The one statement of ``text`` whose fields include ``expected``."""
    found = [s for s in statements_of(text) if all(getattr(s, k) == v for k, v in expected.items())]
    assert len(found) == 1, [(s.claim_type, s.object, s.polarity) for s in statements_of(text)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "claim_type", "obj"),
    [
        ("Acupuncture releases endorphins.", "mechanism", "endorphin_release"),
        ("Acupuncture relieves chronic back pain.", "efficacy", "pain_relief"),
        ("Acupuncture has few side effects.", "safety", "few_side_effects"),
        (
            "Acupuncture needles stay in place for 10 to 20 minutes.",
            "procedure",
            "needle_retention",
        ),
        ("The evidence on acupuncture is mixed.", "evidence", "evidence_mixed"),
        # that more research is needed, or questions are open, says the evidence is mixed
        ("Larger studies of acupuncture would be needed.", "evidence", "evidence_mixed"),
        ("Acupuncture research leaves many questions unanswered.", "evidence", "evidence_mixed"),
        # what is not clear or not known is open, not denied
        ("Whether acupuncture has an impact on sleep is not clear.", "evidence", "evidence_mixed"),
        ("It is not known if acupuncture helps with sleep.", "evidence", "evidence_mixed"),
        ("It is an open question whether acupuncture helps.", "evidence", "evidence_mixed"),
        ("The mechanism of acupuncture is not clear.", "evidence", "mechanism_unclear"),
        # what has hardly been studied is unknown, not disproved
        ("Acupuncture for sleep has not been studied in adults.", "evidence", "evidence_mixed"),
        ("There are hardly any studies on acupuncture.", "evidence", "evidence_mixed"),
        ("Acupuncture for asthma has never been tested.", "evidence", "evidence_mixed"),
        ("Whether acupuncture helps cannot be assessed.", "evidence", "evidence_mixed"),
        ("That acupuncture helps is neither proven nor disproven.", "evidence", "evidence_mixed"),
        ("Whether acupuncture helps is insufficiently researched.", "evidence", "evidence_mixed"),
        (
            "Whether acupuncture actually protects against dementia remains open.",
            "evidence",
            "evidence_mixed",
        ),
        ("Studies cannot answer whether acupuncture helps.", "evidence", "evidence_mixed"),
        ("Studies on acupuncture to date are contradictory.", "evidence", "evidence_mixed"),
        (
            "Studies of acupuncture are deficient, contradictory and small.",
            "evidence",
            "evidence_mixed",
        ),
        ("The link between acupuncture and sleep is controversial.", "evidence", "evidence_mixed"),
        ("There are limited data on the efficacy of acupuncture.", "evidence", "evidence_mixed"),
        (
            "Whether acupuncture helps in the long term has not been sufficiently researched.",
            "evidence",
            "evidence_mixed",
        ),
        ("Consult your doctor before trying acupuncture.", "recommendation", "consult_doctor"),
        (
            "Acupuncture works best combined with other treatments such as exercise.",
            "procedure",
            "combined_care",
        ),
        (
            "Acupuncture comes from traditional Chinese medicine.",
            "other",
            "traditional_medicine",
        ),
    ],
)
def test_each_claim_type(text, claim_type, obj):
    statement = only(text, object=obj)
    # what is only named in its words is no claim of its own ("data on the efficacy")
    assert {s.claim_type for s in statements_of(text)} == {claim_type}
    assert statement.claim_type == claim_type
    assert statement.subject == "acupuncture"
    assert statement.quote == text


@pytest.mark.parametrize(
    ("text", "obj", "polarity"),
    [
        ("Acupuncture relieves back pain.", "pain_relief", "affirmed"),
        ("Acupuncture does not relieve back pain.", "pain_relief", "negated"),
        ("Acupuncture does not work for back pain.", "pain_relief", "negated"),
        ("Acupuncture is no better than sham acupuncture.", "more_effective", "negated"),
        ("Acupuncture is not more effective than physical therapy.", "more_effective", "negated"),
        # "not harmful" is itself a safety claim, affirmed: acupuncture is safe.
        ("Acupuncture is not harmful.", "low_risk", "affirmed"),
        # Two negators cancel.
        ("That does not mean it will not work for you.", "efficacy", "affirmed"),
        # what is said of the evidence: none of it, or that it is open
        (
            "There is no high-quality evidence that acupuncture works.",
            "evidence_supports",
            "negated",
        ),
        ("It remains unclear whether acupuncture relieves pain.", "evidence_mixed", "affirmed"),
        # what is said of the evidence's quality: it is mixed, not "not robust"
        ("The evidence for acupuncture is not very robust.", "evidence_mixed", "affirmed"),
        ("Studies of acupuncture were small and poorly conducted.", "evidence_mixed", "affirmed"),
        # unclear results are mixed evidence; an unclear reason is an unclear mechanism
        ("However, the results of acupuncture are not very clear.", "evidence_mixed", "affirmed"),
        ("The reasoning behind it is still not very clear.", "mechanism_unclear", "affirmed"),
        # "inconclusive" is the concept's own word: the evidence is mixed, not "not mixed"
        (
            "Studies of acupuncture to date are deficient and inconclusive.",
            "evidence_mixed",
            "affirmed",
        ),
    ],
)
def test_polarity_and_negation_scope(text, obj, polarity):
    assert only("Acupuncture helps.\n\n" + text if text.startswith("That") else text, object=obj,
                quote=text).polarity == polarity  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Therefore, we cannot judge whether oolong tea helps overweight people lose weight.",
        "We do not know whether oolong tea helps people lose weight.",
        "It is not possible to say whether oolong tea helps people lose weight.",
    ],
)
def test_not_knowing_whether_it_works_is_open_evidence_not_a_denial(text):
    source = Source(id="o", text=text, sha256=sha256_text(text), title="Oolong tea")
    [statement] = EXTRACTOR.extract(source, split_units(text))
    assert (statement.object, statement.polarity) == ("evidence_mixed", "affirmed")


def test_negation_does_not_cross_a_clause():
    statement = only("It is not cheap, but acupuncture relieves back pain.", object="pain_relief")
    assert statement.polarity == "affirmed"


def test_negator_inside_a_phrase_negates_nothing_else():
    text = "Scientists don't understand how it works, but evidence shows that it relieves pain."
    assert only(text, object="pain_relief").polarity == "affirmed"
    assert only(text, object="mechanism_unclear").polarity == "affirmed"
    # "received no benefits" says responses vary; its "no" is the phrase's own
    text = "In contrast, others claim they received no benefits from acupuncture sessions."
    assert only(text, object="individual_variation").polarity == "affirmed"


@pytest.mark.parametrize(
    ("text", "certainty", "attribution"),
    [
        ("Acupuncture releases endorphins.", "asserted", ""),
        ("Acupuncture may release endorphins.", "hedged", ""),
        ("Acupuncture might release endorphins.", "hedged", ""),
        ("Acupuncture could release endorphins.", "hedged", ""),
        ("Acupuncture is believed to release endorphins.", "hedged", ""),
        ("Acupuncture has been suggested to release endorphins.", "hedged", ""),
        ("One theory is that acupuncture releases endorphins.", "hedged", ""),
        ("Acupuncture aims to release endorphins.", "hedged", ""),
        ("According to Dr. Claflin of Oklahoma, acupuncture releases endorphins.", "reported",
         "Dr. Claflin of Oklahoma"),
        ("A meta-analysis in the Journal of Pain concluded that acupuncture releases endorphins.",
         "reported", "A meta-analysis in the Journal of Pain"),
        ("Some claim that acupuncture releases endorphins.", "reported", "Some"),
    ],
)  # fmt: skip
def test_certainty_and_attribution(text, certainty, attribution):
    statement = only(text, object="endorphin_release")
    assert (statement.certainty, statement.attribution) == (certainty, attribution)


def test_quantities_are_normalised_and_point_into_the_source():
    text = "Intro line.\n\nThe needles are left in place for about 20 to 30 minutes."
    statement = only(text, object="needle_retention")
    (quantity,) = statement.quantities
    assert (quantity.low, quantity.high, quantity.unit) == (20, 30, "minute")
    assert quantity.approx is True
    assert text[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("The needles stay in for 10-20 minutes.", 10, 20, "minute"),
        ("The needles stay in for half an hour.", 30, 30, "minute"),
        ("A single treatment may cost $70-100.", 70, 100, "usd"),
        ("Most commonly few visits are needed varying from 5-10.", 5, 10, "session"),
        ("Acupuncture can alleviate pain by as much as 50 percent.", None, 50, "percent"),
    ],
)
def test_quantity_forms_reach_their_claim(text, low, high, unit):
    (statement,) = [s for s in statements_of(text) if s.quantities]
    quantity = statement.quantities[0]
    assert (quantity.low, quantity.high, quantity.unit) == (low, high, unit)


@pytest.mark.parametrize(
    ("sentence", "pointer"),
    [
        ("It releases endorphins.", "It"),
        ("The process may release endorphins.", "The process"),
        ("This stimulation can boost endorphins.", "This stimulation"),
        ("The needles stay in place for 20 minutes.", "The needles"),
        ("The treatment relieves back pain.", "treatment"),
    ],
)
def test_anaphora_resolve_to_the_main_intervention(sentence, pointer):
    text = "Acupuncture for back pain\n\nAcupuncture is popular.\n\n" + sentence
    (statement,) = [s for s in statements_of(text) if s.quote == sentence]
    assert statement.subject == "acupuncture"
    assert statement.qualifiers.subject_from == pointer


def test_list_label_names_the_claim_of_its_body():
    text = "Theories include:\n• Release of Natural Opioids: The process may help the brain.\n"
    statement = only(text, object="endorphin_release")
    assert statement.quote == "The process may help the brain."
    assert statement.label == "Release of Natural Opioids"
    assert statement.certainty == "hedged"


@pytest.mark.parametrize(
    "text",
    [
        "Report this page",
        "Contact our team online if you have any questions about acupuncture.",
        "You may schedule a spine consultation using our online portal.",
        "Does acupuncture relieve back pain?",
        "How Acupuncture Works",
    ],
)
def test_calls_to_action_questions_and_headings_are_not_claims(text):
    assert statements_of(text) == []


def test_one_sentence_can_make_several_claims():
    text = "While evidence proves it relieves pain, how acupuncture works is not fully understood."
    objects = {s.object for s in statements_of(text)}
    assert {"evidence_proven", "pain_relief", "mechanism_unclear"} <= objects
    ids = [s.id for s in statements_of(text)]
    assert len(ids) == len(set(ids))


def test_each_comparator_is_its_own_statement():
    text = (
        "A meta-analysis concluded that acupuncture is more effective than no treatment "
        "and sham acupuncture."
    )
    comparators = {
        s.qualifiers.comparator for s in statements_of(text) if s.object == "more_effective"
    }
    assert comparators == {"no_treatment", "sham_acupuncture"}


def test_purpose_clause_is_not_a_claim():
    text = "It's essential to seek a licensed acupuncturist to ensure safety and effectiveness."
    assert {s.object for s in statements_of(text)} == {"qualified_practitioner"}


def test_statement_ids_are_stable_and_quotes_exact():
    text = "Acupuncture releases endorphins. It may reduce inflammation."
    first, second = statements_of(text), statements_of(text)
    assert [s.id for s in first] == [s.id for s in second]
    for statement in first:
        assert text[statement.start : statement.end] == statement.quote


def test_a_sentence_about_another_treatment_is_about_that_treatment():
    text = (
        "Acupuncture relieves chronic low back pain. Acupuncture is safe. "
        "Massage may relieve chronic low back pain. Spinal manipulation can reduce back pain."
    )
    subjects = {s.quote: s.subject for s in statements_of(text) if s.claim_type == "efficacy"}
    assert subjects == {
        "Acupuncture relieves chronic low back pain.": "acupuncture",
        "Massage may relieve chronic low back pain.": "~massage",
        "Spinal manipulation can reduce back pain.": "~spinal manipulation",
    }


def test_what_has_a_beneficial_effect_is_what_works():
    text = "Yoga is popular. Yoga may help. Exercise has a beneficial effect on diabetes."
    source = Source(id="y", text=text, sha256=sha256_text(text), title="Yoga")
    [works] = [s for s in EXTRACTOR.extract(source, split_units(text)) if "Exercise" in s.quote]
    assert works.subject == "~exercise"


def test_a_title_decides_the_topic_over_a_treatment_the_text_only_mentions_often():
    text = (
        "Massage therapy is popular. Surgery is a last resort, surgery has risks and surgery "
        "is costly. Massage relieves back pain for many. Unlike surgery, massage is safe."
    )
    source = Source(id="m", text=text, sha256=sha256_text(text),
                    title="Risks and Effectiveness of Massage Therapy")  # fmt: skip
    found = EXTRACTOR.extract(source, split_units(text))
    subjects = {s.quote: s.subject for s in found if s.claim_type in ("efficacy", "safety")}
    assert subjects["Massage relieves back pain for many."] == "~massage"
    assert subjects["Unlike surgery, massage is safe."] == "~massage"


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        # what the question asks about comes before its verb; the form it comes in is no topic
        ("Does ointment with comfrey help with osteoarthritis?", "~comfrey"),
        # an acronym is a name, however short
        ("Does the dietary supplement MSM help with osteoarthritis?", "~msm"),
        # the word after it, when the text repeats the two together
        ("Can taking vitamin C help with osteoarthritis?", "~vitamin c"),
        # a passive question names its treatment after "with"
        ("Can osteoarthritis be successfully treated with comfrey?", "~comfrey"),
    ],
)
def test_a_question_title_is_about_what_it_asks_about(title, topic):
    named = topic.lstrip("~")
    text = (
        f"{title}\n\nTrials of {named} as an ointment or a dietary supplement found that it "
        "may relieve stiffness in osteoarthritis."
    )
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    subjects = {s.subject for s in EXTRACTOR.extract(source, split_units(text))}
    assert subjects == {topic}, subjects


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        # named only there: the words before its verb, past filler ("remedies from")
        ("Can remedies from papaya relieve stomach pain?", "~papaya"),
        ("Can a straight bar improve tension in the neck?", "~straight bar"),
        # with no verb of its own, the first words it asks about, up to a comparison
        ("Is a vegan diet healthier than a vegetarian diet?", "~vegan diet"),
        # what it is said to be names no topic, nor does what a relative clause says
        ("Are movement exercises useful for back pain?", "~movement exercises"),
        ("Is the Feldenkrais Method effective against neck pain?", "~feldenkrais method"),
        ("Do green tea products provide support for weight loss?", "~green tea"),
    ],
)
def test_a_short_answer_is_about_what_its_question_asks_about(title, topic):
    # the answer never repeats the title's words: "it", "such remedies"
    text = f"{title}\n\nThere is no good evidence that it relieves pain in adults."
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    assert {s.subject for s in EXTRACTOR.extract(source, split_units(text))} == {topic}


def test_it_right_after_another_treatment_is_that_treatment():
    title = "Acupuncture for back pain"
    text = (
        f"{title}\n\nAcupuncture may help. Massage may relieve back pain. It is also "
        "generally safe. Acupuncture is popular.\n\nIt is generally safe."
    )
    source = Source(id="a", text=text, sha256=sha256_text(text), title=title)
    said = [(s.subject, s.quote) for s in EXTRACTOR.extract(source, split_units(text))
            if s.claim_type == "safety"]  # fmt: skip
    # the "it" of the next sentence is massage; after a paragraph on the topic, the topic
    assert said == [
        ("~massage", "It is also generally safe."),
        ("acupuncture", "It is generally safe."),
    ]


def test_a_question_title_of_only_an_aside_names_no_topic():
    # nothing is left of it to name a topic: the reading goes on without one
    title = "(Pelargonium) helps?"
    text = f"{title}\n\nThere is no good evidence that it relieves pain in adults."
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    assert {s.subject for s in EXTRACTOR.extract(source, split_units(text))} == {""}


def test_a_question_about_methods_in_general_names_no_topic():
    title = "Are there methods that effectively help against hormonal hair loss?"
    text = f"{title}\n\nFinasteride can help, but it has side effects."
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    assert "~effectively" not in {s.subject for s in EXTRACTOR.extract(source, split_units(text))}


@pytest.mark.parametrize(
    ("title", "body", "topic"),
    [
        ("Does cat's claw improve joint pain?", "Cat's claw is a vine. Cat's claw", "~cat's claw"),
        (
            "Does extra folic acid in men help?",
            "Folic acid is a vitamin. Folic acid",
            "~folic acid",
        ),
        ("Omega-3 fatty acid", "Omega-3 fatty acids are fats. Omega-3 fatty acids", "~omega-3"),
        # three nouns, when the text mostly says them together
        (
            "The blood group diet",
            "The blood group diet is popular. Blood tests are cheap. The blood group diet",
            "~blood group diet",
        ),
        # a function word after it names nothing: "consumption of"
        (
            "Does consumption of flaxseed help?",
            "Consumption of flaxseed is common. Consumption of flaxseed",
            "~flaxseed",
        ),
        # the noun after it, though a filler noun follows ("therapy", "capsules")
        (
            "Effectiveness of convalescent plasma therapy in severe patients",
            "Convalescent plasma therapy is given. Convalescent plasma",
            "~convalescent plasma",
        ),
    ],
)
def test_a_title_topic_takes_the_noun_its_text_repeats_with_it(title, body, topic):
    text = f"{title}\n\n{body} may relieve pain in adults."
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    assert {s.subject for s in EXTRACTOR.extract(source, split_units(text))} == {topic}


@pytest.mark.parametrize(
    ("title", "body", "topic"),
    [
        # the illness a title names is what is treated, never what treats
        (
            "COVID-19 patients treated with convalescent plasma",
            "COVID-19 is a disease. Convalescent plasma has few side effects.",
            "~convalescent plasma",
        ),
        ("Arthritis and yoga", "Arthritis is common. Yoga has few side effects.", "~yoga"),
        # as long as it does not name it: "influenza vaccination", "lung cancer screening"
        (
            "Influenza vaccination in older adults",
            "Influenza vaccination has few side effects.",
            "~influenza vaccination",
        ),
        (
            "Lung cancer screening in smokers",
            "Lung cancer screening has few side effects.",
            "~lung cancer screening",
        ),
        # a title that names only an illness and how it was studied names no treatment
        ("Association of cardiac injury with mortality", "Cardiac injury was common.", ""),
        # nor does a question that asks what "they" do: "delay" is no treatment
        ("Can they delay the progression of eye disease?", "Delay is common. Delay", ""),
    ],
)
def test_a_title_topic_is_no_illness(title, body, topic):
    text = f"{title}\n\n{body} It may relieve pain in adults."
    source = Source(id="q", text=text, sha256=sha256_text(text), title=title)
    assert {s.subject for s in EXTRACTOR.extract(source, split_units(text))} == {topic}


def test_what_a_study_tested_or_a_person_sought_is_no_statement():
    assert not [s for s in statements_of(
        "The study tested whether acupuncture relieved back pain in older adults. "
        "People seeking acupuncture to relieve back pain often have many questions."
    ) if s.object == "pain_relief"]  # fmt: skip


def test_they_is_the_plural_subject_before_it():
    text = (
        "Acupuncture is popular. Yoga classes are popular, but they may not relieve back pain. "
        "Many people hear about acupuncture, but they need more information."
    )
    relief = only(text, object="pain_relief")
    assert (relief.subject, relief.polarity) == ("~yoga classes", "negated")
    assert not [s for s in statements_of(text) if s.relation == "needs"]  # the people do


@pytest.mark.parametrize(
    "text",
    [
        "Acupuncture relieves pain. This study is registered with ClinicalTrials.gov, NCT0173.",
        "Acupuncture relieves pain. Trial Registration: ChiCTR2000029757 for acupuncture safety.",
        "Acupuncture relieves pain. The authors declare no conflict of interest about acupuncture.",
    ],
)
def test_a_paper_s_registration_and_declarations_state_nothing(text):
    assert [s.quote for s in statements_of(text)] == ["Acupuncture relieves pain."]


def test_a_sore_throat_is_a_symptom_not_a_reaction_to_the_treatment():
    assert not [s for s in statements_of("Patients had fever and a sore throat.") if s.object]


def test_what_studies_suggest_tends_not_to_happen_is_no_evidence_that_it_works():
    text = "Previous studies suggest that acupuncture tends not to bring a significant change."
    (said,) = [s for s in statements_of(text) if s.object == "evidence_supports"]
    assert (said.polarity, said.certainty) == ("negated", "reported")


def test_no_firm_conclusions_is_mixed_evidence_not_its_denial():
    text = (
        "Due to serious flaws and partly contradictory results, no firm conclusions about "
        "acupuncture can be drawn from them."
    )
    assert {(s.object, s.polarity) for s in statements_of(text)} == {("evidence_mixed", "affirmed")}


def test_no_before_a_comparator_s_words_is_a_comparator_only_after_a_comparison():
    said = statements_of(
        "No therapies have been shown effective to date. "
        "Acupuncture is more effective than no treatment."
    )
    assert {(s.object, s.polarity) for s in said} == {
        ("efficacy", "negated"),  # not the comparator "no treatment"
        ("more_effective", "affirmed"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "However, this claimed effect of acupuncture on potency is by no means proven.",
        "Acupuncture by no means relieves back pain.",
    ],
)
def test_by_no_means_negates(text):
    assert {s.polarity for s in statements_of(text)} == {"negated"}


def test_a_clause_before_a_semicolon_keeps_its_own_polarity():
    text = (
        "Overall, many questions remain open; the study situation is not satisfactory "
        "enough to recommend acupuncture."
    )
    (said,) = [s for s in statements_of(text) if s.object == "evidence_mixed"]
    assert said.polarity == "affirmed"  # the "not" is the second clause's


def test_what_has_hardly_been_researched_is_open_not_denied():
    text = "The effectiveness of acupuncture for sinusitis has hardly been researched."
    assert {(s.object, s.polarity) for s in statements_of(text)} == {
        ("evidence_mixed", "affirmed")  # not "acupuncture is effective, negated"
    }


def test_a_passive_said_of_what_was_named_before_says_what_follows_the_participle():
    said = statements_of(
        "Surgery is an option. However, these operations are associated with risks."
    )
    assert ("is associated", "~with risk") in {(s.relation, s.object) for s in said}


def test_what_leads_to_complications_is_what_causes_them():
    text = "Acupuncture uses points on the ear. Earrings very often lead to complications."
    (said,) = [s for s in statements_of(text) if s.object == "side_effects"]
    assert said.subject == "~earrings"  # not acupuncture, the document's topic


def test_what_a_treatment_damages_is_its_safety():
    (said,) = statements_of("Hydroxychloroquine can damage the heart and kidneys.")
    assert (said.claim_type, said.relation, said.object) == ("safety", "harms", "~heart")


def test_each_clause_of_a_sentence_no_concept_covers_states_its_own_claim():
    text = "Omega-3 supplements reduce triglyceride levels but do not change LDL cholesterol."
    found = {(s.relation, s.object, s.polarity) for s in statements_of(text)}
    assert ("reduces", "~triglyceride level", "affirmed") in found
    assert ("changes", "~ldl cholesterol", "negated") in found


def test_a_concession_beside_evidence_is_a_claim_of_its_own():
    text = (
        "Turmeric is a spice. Although long used in Ayurvedic medicine, no high-quality "
        "clinical evidence exists for turmeric as a therapy."
    )
    source = Source(id="t", text=text, sha256=sha256_text(text), title="Turmeric")
    said = {
        (s.claim_type, s.relation, s.polarity) for s in EXTRACTOR.extract(source, split_units(text))
    }
    assert said == {("evidence", "evidence_state", "negated"), ("other", "is", "affirmed")}
    # and so is one no concept covers, in its own words
    text = text.replace("in Ayurvedic medicine", "as a dye for cloth")
    source = Source(id="t", text=text, sha256=sha256_text(text), title="Turmeric")
    said = {(s.claim_type, s.polarity) for s in EXTRACTOR.extract(source, split_units(text))}
    assert said == {("evidence", "negated"), ("other", "affirmed")}


def test_what_evidence_is_about_is_a_claim_of_its_own():
    text = "Turmeric is a spice. There is no good evidence that turmeric prevents cancer."
    source = Source(id="t", text=text, sha256=sha256_text(text), title="Turmeric")
    said = {(s.claim_type, s.relation, s.object, s.polarity, s.certainty)
            for s in EXTRACTOR.extract(source, split_units(text))}  # fmt: skip
    assert said == {
        ("evidence", "evidence_state", "evidence_supports", "negated", "asserted"),
        ("efficacy", "prevents", "~cancer", "negated", "reported"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Tocilizumab was associated with a lower risk of death.",
        "Tocilizumab showed a reduction in the risk of death.",
        "Tocilizumab led to a lower risk of death.",
    ],
)
def test_an_effect_a_noun_names_is_what_the_clause_says(text):
    # "was associated with a lower risk of X" says what "reduces the risk of X" says
    [said] = [(s.relation, s.object) for s in statements_of(text)]
    assert said == ("reduces", "~risk of death")
    assert statements_of("Tocilizumab reduced the risk of death.")[0].object == "~risk of death"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Blood pressure drugs have no effect on the risk of death.",
         ("affects", "~risk of death", "negated")),
        ("Researchers found no effect on mortality.", ("affects", "~mortality", "negated")),
        ("Fish oil has a small benefit for heart health.", ("helps", "~heart health", "affirmed")),
    ],
)  # fmt: skip
def test_an_effect_on_something_is_a_claim_that_it_affects_it(text, said):
    assert [(s.relation, s.object, s.polarity) for s in statements_of(text)] == [said]


def test_how_a_study_was_done_states_nothing_but_what_it_found_does():
    text = (
        "METHODS: We did a randomised trial of acupuncture for chronic back pain. "
        "Patients were randomised to acupuncture or sham acupuncture. "
        "We recorded the back pain scores of every patient weekly. "
        "RESULTS: Acupuncture relieved chronic back pain better than sham acupuncture."
    )
    assert [s.quote for s in statements_of(text)] == [
        "RESULTS: Acupuncture relieved chronic back pain better than sham acupuncture."
    ] * len(statements_of(text))
    assert statements_of(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The primary endpoint was survival at 28 days after admission.",
        "This report describes the public health response to the outbreak in patients.",
        "We created an indicator of bereavement for the families of patients.",
        "Patients with terminal disease were excluded from the analysis.",
        # where its data came from, what it focused on, whom it included after a part label
        "Data of patients with the disease were obtained from the provincial registry.",
        "Our current research focused on the risk of death in patients.",
        "FINDINGS: 154 patients were included, of whom 78 received tocilizumab.",
        "Baseline characteristics of the patients were similar between groups.",
        "RESULTS: We identified 76,819 patients diagnosed with the disease in the registry.",
        # what it aimed at, ranked as its outcomes, gave its participants or ran
        "This study aims to evaluate the efficacy of tocilizumab in patients with the disease.",
        "Objective: To describe the effect of tocilizumab on deaths in patients.",
        "The primary outcome was adverse events in the 7 days after the first dose.",
        "In phase 2, we administered tocilizumab intravenously to every patient.",
        "An as-treated post hoc analysis of deaths in patients was performed.",
        # what the authors built their analysis with, and what those who ran it did
        "We used a transmission model to show the effects of tocilizumab on deaths.",
        "One author extracted information on deaths in patients for each study.",
    ],
)
def test_what_a_study_set_out_to_do_states_nothing(sentence):
    said = statements_of("Tocilizumab reduced deaths in patients. " + sentence)
    assert [s.quote for s in said] == ["Tocilizumab reduced deaths in patients."]


def test_what_a_trial_s_treated_group_had_is_about_the_treatment():
    title = "Cloth masks for health workers"
    text = (
        f"{title}\n\nCloth masks were compared with medical masks. Rates of respiratory "
        "illness were lower in the cloth masks arm than in the control arm."
    )
    source = Source(id="t", text=text, sha256=sha256_text(text), title=title)
    said = EXTRACTOR.extract(source, split_units(text))
    assert [(s.subject, s.quote[:5]) for s in said] == [("~cloth masks", "Rates")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Manufacturers of melatonin pills advertise a positive effect on sleep in adults.",
        "Melatonin is produced by the brain in response to darkness at night.",
    ],
)
def test_what_makers_do_or_what_is_done_to_the_topic_is_no_proposition_of_it(sentence):
    title = "Melatonin"
    text = f"{title}\n\nMelatonin is a hormone. Melatonin may help sleep. {sentence}"
    source = Source(id="t", text=text, sha256=sha256_text(text), title=title)
    said = [s for s in EXTRACTOR.extract(source, split_units(text)) if s.quote == sentence]
    assert said and all(not s.relation for s in said)  # grouped by its own words


def test_what_went_wrong_in_a_treatment_is_no_method():
    text = "If it hurts, something has likely been performed incorrectly by the acupuncturist."
    assert not describes_method(main_anchor(parse(text)))


def test_where_a_substance_is_got_from_is_no_method():
    for text in ("Curcumin is derived from turmeric.", "Omega-3 can be obtained from fish."):
        assert not describes_method(main_anchor(parse(text)))


def test_a_fact_of_health_or_diet_is_a_claim_without_a_cue_word_but_botany_is_not():
    text = (
        "Krill oil is a source of omega-3 fatty acids for people who eat no fish. "
        "The leaves of the plant are alternate and arranged in two rows."
    )
    source = Source(id="o", text=text, sha256=sha256_text(text), title="Omega-3 fatty acid")
    [fact] = EXTRACTOR.extract(source, split_units(text))
    assert (fact.claim_type, fact.quote) == ("other", text.split(". ")[0] + ".")


@pytest.mark.parametrize(
    "text",
    [
        "Remedies with saw palmetto do not improve the symptoms of an enlarged prostate.",
        "Capsules containing saw palmetto do not improve the symptoms of an enlarged prostate.",
    ],
)
def test_the_form_a_treatment_comes_in_is_not_its_subject(text):
    assert {s.subject for s in statements_of(text)} == {"~saw palmetto"}


@pytest.mark.parametrize(
    "sentence",
    [
        "There are no good studies on the efficacy of glucosamine.",
        "We found a single study on glucosamine in knee pain.",
        "The studies published to date are very small and, for the most part, poorly conducted.",
        "The studies also had gross flaws, few participants, and ran for a very short time.",
    ],
)
def test_what_exists_what_the_authors_did_and_what_is_true_are_no_proposition(sentence):
    # "There are good studies" is no claim that glucosamine "is good studies"
    assert {(s.relation, s.object) for s in statements_of(sentence)} <= {
        ("", ""),
        ("evidence_state", "evidence_supports"),
        ("evidence_state", "evidence_mixed"),
    }
    said = [s for s in statements_of(sentence) if s.relation in ("is", "has", "finds", "conducts")]
    assert not said
    # nor is what is said of a claim about the topic: "X is unlikely"
    text = "Aspartame is a sweetener. Health damage from aspartame is unlikely."
    source = Source(id="a", text=text, sha256=sha256_text(text), title="Aspartame")
    assert "is" not in {s.relation for s in EXTRACTOR.extract(source, split_units(text))}
    # what studies show the topic does is still its claim
    said = {(s.relation, s.object) for s in statements_of("Studies show a reduction in pain.")}
    assert ("reduces", "~pain") in said


def test_what_a_sentence_says_is_taken_is_its_subject():
    text = (
        "Omega-3 fatty acid. The AHA recommends regular fish consumption for adults. "
        "Brain function relies on dietary intake of DHA. Omega-3 fatty acids are fats. "
        "Fish oil supplementation has not been shown to benefit revascularization."
    )
    source = Source(id="o", text=text, sha256=sha256_text(text), title="Omega-3 fatty acid")
    subjects = {s.quote: s.subject for s in EXTRACTOR.extract(source, split_units(text))}
    assert subjects["The AHA recommends regular fish consumption for adults."] == "~fish"
    assert subjects["Brain function relies on dietary intake of DHA."] == "~dha"
    # what a noun of taking names before it: fish oil, not "oil"
    quote = "Fish oil supplementation has not been shown to benefit revascularization."
    assert subjects[quote] == "~fish oil"


def test_an_acronym_of_the_topic_names_the_topic():
    title = "Hydroxychloroquine for COVID-19"
    text = (
        f"{title}\n\nHydroxychloroquine (HCQ) is an antimalarial drug. Hydroxychloroquine was "
        "given to 62 patients. HCQ reduced the time to clinical recovery."
    )
    source = Source(id="h", text=text, sha256=sha256_text(text), title=title)
    subjects = {s.quote: s.subject for s in EXTRACTOR.extract(source, split_units(text))}
    assert subjects["HCQ reduced the time to clinical recovery."] == "~hydroxychloroquine"


def test_a_share_is_what_it_is_a_share_of():
    # the participants' blood pressure is not the topic's
    title = "Can olive leaf extract reduce high blood pressure?"
    text = (
        f"{title}\n\nOlive leaf extract may lower blood pressure. The problem is that most "
        "of the study participants had only slightly elevated blood pressure."
    )
    source = Source(id="o", text=text, sha256=sha256_text(text), title=title)
    said = [(s.relation, s.quote) for s in EXTRACTOR.extract(source, split_units(text))]
    assert [quote for relation, quote in said if relation] == [
        "Olive leaf extract may lower blood pressure."
    ]


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("There is some evidence of a benefit of fish oil for dry eye.", ("helps", "dry eye")),
        ("A review found evidence of benefit for lowering inflammation levels.",
         ("reduces", "inflammation level")),
        ("The trial showed a modest effect for improving ADHD symptoms.",
         ("improves", "adhd symptom")),
        ("There is evidence of mercury in fish oil.", None),  # of no effect
    ],
)  # fmt: skip
def test_evidence_of_an_effect_says_the_effect(sentence, said):
    found = proposition(main_anchor(parse(sentence)))
    assert (found[:2] if found else None) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        # what is likely, or what it is able to do, is what it does
        ("Melatonin is likely to improve sleep in adults.", ("improves", "sleep")),
        ("A smoking ban is able to reduce heart attacks.", ("reduces", "heart attack")),
        # whom it protects from something: what from
        ("Flu vaccination protects adults from influenza.", ("prevents", "influenza")),
        # an idiom, advice to the reader and what the authors did name no object of it
        ("The treatment of acupuncture takes place in a quiet room.", None),
        ("It is essential to discuss existing conditions with the acupuncturist.", None),
        ("We were able to find only one study of thyme.", None),
        # an outcome that changes of itself is what changes
        (
            "In one study, the risk of preterm birth increased.",
            ("increases", "risk of preterm birth"),
        ),
    ],
)
def test_what_a_clause_says_through_its_frame(sentence, said):
    found = proposition(main_anchor(parse(sentence)))
    assert (found[:2] if found else None) == said


def test_an_effect_said_for_the_topic_is_no_effect_on_it():
    # "an effect for beta-carotene" names the topic, not what it acts on
    text = "No evidence of a cancer risk-reducing effect for beta-carotene was found."
    source = Source(id="b", text=text, sha256=sha256_text(text), title="Beta-carotene")
    said = {(s.relation, s.object) for s in EXTRACTOR.extract(source, split_units(text))}
    assert not any("carotene" in obj for _, obj in said)


@pytest.mark.parametrize(
    ("sentence", "efficacy"),
    [
        # an adjective that says which thing claims nothing of it
        ("Such trials may make efficacious vaccines available more quickly.", False),
        ("The effective reproduction number of the virus dropped below 1.", False),
        # but what the clause says a treatment is, or an effect, is a claim
        ("Convalescent plasma might be an effective option to combat the virus.", True),
        ("A possible beneficial effect of zinc cannot be ruled out.", True),
    ],
)
def test_an_adjective_that_says_which_thing_claims_nothing(sentence, efficacy):
    found = [s for s in statements_of(sentence) if s.claim_type == "efficacy"]
    assert bool(found) == efficacy, [(s.relation, s.object) for s in found]


def test_findings_combined_with_other_reports_are_no_combined_care():
    text = "Combined with previous reports on acupuncture, our findings shed light on pain."
    assert "combined_care" not in {s.object for s in statements_of(text)}


def test_what_raises_a_risk_is_a_safety_claim_and_what_lowers_it_one_of_efficacy():
    raised = statements_of("Zinc lozenges may increase the risk of nausea.")
    lowered = statements_of("Zinc lozenges may reduce the risk of colds.")
    assert [(s.claim_type, s.relation) for s in raised] == [("safety", "increases")]
    assert [(s.claim_type, s.relation) for s in lowered] == [("efficacy", "reduces")]


def test_that_something_is_true_or_false_names_no_proposition():
    assert proposition(main_anchor(parse("This popular claim about fish oil is not true."))) is None
    said = proposition(main_anchor(parse("This popular fish oil is not safe.")))
    assert said == ("is", "safe", "safe")


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Studies suggest that green tea cannot reduce the risk of cancer.", "negated"),
        ("Research shows that turmeric does not prevent cancer.", "negated"),
        ("Studies suggest that green tea reduces the risk of cancer.", "affirmed"),
        ("No studies suggest that green tea reduces the risk of cancer.", "negated"),
    ],
)
def test_evidence_that_a_treatment_does_not_work_is_no_evidence_that_it_works(text, polarity):
    [evidence] = [s for s in statements_of(text) if s.claim_type == "evidence"]
    assert (evidence.object, evidence.polarity) == ("evidence_supports", polarity)


def test_what_the_topic_changes_or_how_it_is_taken_is_still_said_of_it():
    text = (
        "Tocilizumab for COVID-19. Clinical symptoms were significantly improved. "
        "The use of tocilizumab was associated with fewer deaths."
    )
    source = Source(id="t", text=text, sha256=sha256_text(text), title="Tocilizumab for COVID-19")
    said = [(s.subject, s.relation, s.object) for s in EXTRACTOR.extract(source, split_units(text))]
    assert said == [
        ("~tocilizumab", "improves", "~clinical symptom"),
        ("~tocilizumab", "reduces", "~death"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Only twelve patients had comorbidities at baseline.",
        "Of 150 patients, 148 had mild disease.",  # a count of them
        "The most widely available dietary source of omega-3 is oily fish.",
        "Humoral responses against the virus peaked at day 28 in healthy adults.",
    ],
)
def test_a_fact_of_something_else_than_the_topic_is_grouped_by_its_words(text):
    # "Only 12 patients had comorbidities" is no claim that the topic "has comorbidities"
    for title in ("Tocilizumab", ""):  # whether or not the topic is known
        source = Source(id="c", text=text, sha256=sha256_text(text), title=title)
        [fact] = EXTRACTOR.extract(source, split_units(text))
        assert (fact.relation, fact.object) == ("", "")


def test_a_fact_of_what_the_source_keeps_naming_is_about_that_thing():
    # In a page on omega-3 that keeps naming DHA, "DHA is transported into the brain" is
    # about DHA, not omega-3.
    text = (
        "Omega-3 fatty acids are fats. DHA is one of them, and DHA is in fish. "
        "DHA is transported into the brain by a protein."
    )
    source = Source(id="o", text=text, sha256=sha256_text(text), title="Omega-3 fatty acids")
    subjects = {s.quote: s.subject for s in EXTRACTOR.extract(source, split_units(text))}
    assert subjects["DHA is transported into the brain by a protein."] == "~dha"


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Curcumin products may differ in composition.", "curcumin"),  # a form of it
        ("The effect of krill oil was similar to that of fish oil.", "krill oil"),  # its effect
        ("The safety of melatonin is not known.", "melatonin"),
    ],
)
def test_a_form_or_an_effect_of_a_thing_is_said_of_the_thing(sentence, named):
    text = (named + ". ") * 3
    assert recurring(main_anchor(parse(sentence)), text.lower()) == named


def test_a_letter_of_a_name_is_not_the_topic():
    # The title's topic ("delay") holds the letter "e", which is no reason to read
    # "vitamin e" as the topic.
    title = "Can they delay the progression of eye disease?"
    text = f"{title}\n\nVitamin E cannot prevent the development of macular degeneration."
    source = Source(id="v", text=text, sha256=sha256_text(text), title=title)
    [statement] = EXTRACTOR.extract(source, split_units(text))
    assert statement.subject == "~vitamin e"


def test_a_verb_joined_to_another_speaks_of_that_verbs_subject():
    # "isolation ... is used and may be necessary": the second verb's subject is isolation
    sentence = "Isolation is widely used and may be necessary to control the spread."
    text = (sentence + " ") * 3
    anchor = main_anchor(parse(sentence))
    assert recurring(anchor, text.lower()) == "isolation"
    be = next(t for t in anchor.doc if t.text == "be")
    assert recurring(be, text.lower()) == "isolation"


@pytest.mark.parametrize(
    "sentence",
    [
        "Mortality varied over time.",  # what a study measured
        "The needles stay in for twenty minutes.",  # a part of the topic's own story
        "Your brain releases opioids.",
        "GAIT is the first large trial of glucosamine.",  # a study of the topic, named
        "Ten percent of the GAIT participants had side effects.",  # an amount
        "Patients were treated in GAIT.",  # people
    ],
)
def test_what_no_source_would_call_a_subject_of_its_own_is_none(sentence):
    text = (sentence + " ") * 3  # mentioned often enough to recur
    assert recurring(main_anchor(parse(sentence)), text.lower()) == ""


def test_a_hyphenated_adjective_says_how_a_thing_is_taken_not_what():
    text = (
        "Melatonin is a hormone. Melatonin helps some people sleep. But information on the "
        "safety of long-term use and of taking high doses is lacking."
    )
    source = Source(id="m", text=text, sha256=sha256_text(text), title="Melatonin")
    subjects = {s.subject for s in EXTRACTOR.extract(source, split_units(text))}
    assert subjects == {"~melatonin"}


def test_what_studies_investigated_is_no_finding_but_their_results_are():
    text = (
        "Numerous studies have investigated the effectiveness of acupuncture in treating "
        "back pain, with mixed results."
    )
    assert [(s.claim_type, s.object) for s in statements_of(text)] == [
        ("evidence", "evidence_mixed")
    ]


def test_that_a_treatment_works_is_split_by_what_the_sentence_says_it_works_for():
    text = (
        "Omega-3 supplements may be beneficial in preventing heart disease. "
        "Omega-3 supplements were effective for dry eye in two trials. "
        "Omega-3 supplements were not effective for dry eye in a later trial."
    )
    found = [(s.relation, s.object, s.polarity) for s in statements_of(text)
             if s.claim_type == "efficacy"]  # fmt: skip
    assert found == [
        ("is effective for", "~preventing heart disease", "affirmed"),
        ("is effective for", "~dry eye", "affirmed"),
        ("is effective for", "~dry eye", "negated"),
    ]


def test_what_a_treatment_helps_in_whom_is_what_they_have():
    # "helpful in cases of depression" works for depression, "for people with heart
    # disease" for heart disease; "for most adults" names whom, not for what.
    text = (
        "There is preliminary evidence that EPA is helpful in cases of depression. "
        "EPA may be beneficial for people with heart disease. EPA is effective for most adults."
    )
    found = [(s.relation, s.object) for s in statements_of(text) if s.claim_type == "efficacy"]
    assert found == [
        ("is effective for", "~depression"),
        ("is effective for", "~heart disease"),
        ("improves", "efficacy"),
    ]


def test_that_a_treatment_works_is_said_of_the_pain_its_article_is_about():
    # The lexicon knows back pain: "it works" there is the claim that it relieves pain,
    # whether the sentence or only the title names the pain; else it works, for nothing named.
    text = "Massage is popular. Many patients say that massage works well."
    titled = Source(id="m", text=text, sha256=sha256_text(text), title="Massage for Back Pain")
    in_titled = EXTRACTOR.extract(titled, split_units(text))
    assert [s.object for s in in_titled if s.claim_type == "efficacy"] == ["pain_relief"]
    assert [s.object for s in statements_of(text) if s.claim_type == "efficacy"] == ["efficacy"]


def test_a_topic_lexicon_reads_only_documents_on_its_topic():
    # "intake" is a step of an acupuncture visit in acupuncture.yaml (topic: acupuncture).
    visit = "Acupuncture starts with an intake. The intake covers your history."
    diet = "Omega-3 comes from fish. A daily intake of omega-3 reduces triglyceride levels."
    assert "initial_assessment" in {s.object for s in statements_of(visit)}
    source = Source(id="o", text=diet, sha256=sha256_text(diet), title="Omega-3 Fatty Acids")
    on_omega = EXTRACTOR.extract(source, split_units(diet))
    assert "initial_assessment" not in {s.object for s in on_omega}
    # read as if no concept covered it: by its parse
    assert ("reduces", "~triglyceride level") in {(s.relation, s.object) for s in on_omega}


@pytest.mark.parametrize(
    ("text", "stated", "named"),
    [
        # a noun's modifier names a kind of thing
        ("Acupuncture may release pain-relieving endorphins.", "endorphin_release", "pain_relief"),
        # a prepositional phrase of a noun
        (
            "In addition to its potential for pain relief, acupuncture improves sleep.",
            "sleep_improvement",
            "pain_relief",
        ),
        # a clause that says which ways
        ("There are many ways to relieve back pain, and acupuncture releases endorphins.",
         "endorphin_release", "pain_relief"),
        # a clause that says which muscles
        ("Acupuncture can relax muscles affected by lower back pain.", "muscle_relaxation",
         "pain_relief"),
    ],
)  # fmt: skip
def test_a_claim_named_in_passing_is_not_stated(text, stated, named):
    objects = {s.object for s in statements_of(text)}
    assert stated in objects and named not in objects, objects


def test_a_claim_in_passing_is_kept_when_the_sentence_says_nothing_else():
    # all it has: what a reader takes from it
    assert {s.object for s in statements_of("It has pain-relieving effects.")} == {"pain_relief"}


@pytest.mark.parametrize(
    ("text", "circumstance", "stated"),
    [
        ("If acupuncture relieves your pain after one session, you may need no more treatments.",
         "pain_relief", "session_count"),
        ("When the acupuncturist inserts thin needles into your skin, you may feel a dull ache.",
         "needle_insertion", "minor_reactions"),
    ],
)  # fmt: skip
def test_a_condition_or_time_clause_states_nothing(text, circumstance, stated):
    objects = {s.object for s in statements_of(text)}
    assert stated in objects and circumstance not in objects, objects


def test_a_condition_s_name_is_no_claim_about_it():
    # "lower back pain" is not "lower ... pain"; "pregnant women" alone claims no caution
    objects = {s.object for s in statements_of("Acupuncture is used for lower back pain.")}
    assert "pain_relief" not in objects
    text = "Omega-3 was studied in 200 pregnant women with depression."
    assert {s.claim_type for s in statements_of(text)} <= {"other", "evidence"}
    caution = statements_of("Pregnant women should avoid acupuncture.")
    assert [s.object for s in caution] == ["pregnancy_caution"]


def test_a_participle_that_says_which_things_is_no_claim_beside_what_the_clause_says():
    said = statements_of("Acupuncture needles inserted at specific points promote blood flow.")
    assert [s.object for s in said] == ["blood_flow"]
    # Where the participle phrase is all there is, it is what the sentence says.
    assert [s.object for s in statements_of("Acupuncture is thin needles inserted at points.")] == [
        "needle_insertion"
    ]


def test_a_claim_the_lexicon_covers_is_about_what_the_source_keeps_naming():
    text = (
        "Omega-3 fatty acids are fats. Krill oil is a source of omega-3. Krill oil comes in "
        "capsules. Krill oil is red. The effect of krill oil was similar to that of fish oil."
    )
    source = Source(id="o", text=text, sha256=sha256_text(text), title="Omega-3 fatty acids")
    [similar] = [s for s in EXTRACTOR.extract(source, split_units(text)) if "similar" in s.quote]
    assert (similar.subject, similar.object) == ("~krill oil", "as_effective")
