"""Who a clause says does something, from the dependency parse (kb.nlp.parse): the
treatment that acts, the subject of a clause, what a sentence says is taken. The parse's
walks and what a clause says (kb.nlp.proposition) are re-exported here for the readers
that use them together.

>>> subject_at(parse("Massage may relieve chronic low back pain."), 13, 19)
('massage', True)
"""

from __future__ import annotations

from kb.nlp.parse import (
    PARSER_MODEL,
    PEOPLE,
    POINTING_BACK,
    child_of,
    head_of,
    is_infinitive,
    joined,
    parse,
    parser,
    path_to_root,
    phrase,
    prep_object,
    span_of,
)
from kb.nlp.proposition import (
    EFFECT_NOUNS,
    PREDICATE_TYPES,
    nominal_effect,
    predicate_type,
    proposition,
)

__all__ = [
    "GENERIC_TREATMENTS",
    "PARSER_MODEL",
    "PEOPLE",
    "PEOPLE_AND_STUDIES",
    "PREDICATE_TYPES",
    "child_of",
    "clause_subject",
    "clause_verb",
    "head_of",
    "is_infinitive",
    "joined",
    "own_subject",
    "parse",
    "parser",
    "path_to_root",
    "phrase",
    "predicate_type",
    "proposition",
    "span_of",
    "subject_at",
    "subject_lemma",
    "subject_of",
    "taken_in",
    "treatment_words",
]


# Verbs whose subject is the thing that works (or harms): "Massage may relieve pain",
# "Physical therapy helps many people". A subject of another verb ("Your brain might
# create opioids", "The needles stay in") is a part or a participant, not the treatment.
_EFFECT_VERBS = frozenset(
    """
    relieve reduce help improve treat cure prevent ease alleviate lower work benefit decrease
    increase protect heal lessen relax raise worsen cause outperform confer provide offer harm
    damage injure impair lead""".split()
)
# Verbs whose subject may be a treatment or anything else ("Massage is safe", "Women have
# lower risk"): their subject is taken only when it already is a topic (see subject_at).
_WEAK_VERBS = frozenset("be have carry pose".split())
# Who takes a treatment and what studies it: neither is a treatment nor what one acts on.
PEOPLE_AND_STUDIES = PEOPLE | frozenset("study research review trial".split())
# Heads of subjects that are no treatment: who takes it or studies it, what studies give.
_NOT_TREATMENTS = PEOPLE_AND_STUDIES | frozenset(
    """
    evidence data finding doctor practitioner body brain company manufacturer information
    awareness author researcher scientist expert user consumer
    conclusion result background objective method interpretation
    """.split()  # (the last: an abstract's section words, misparsed as a subject)
)
# Heads that name a treatment only with a modifier ("physical therapy").
GENERIC_TREATMENTS = frozenset(
    """
    treatment therapy procedure method practice technique session process approach
    supplement supplementation product intervention
    """.split()
)


_QUANTIFIERS = frozenset("most many some few several all each every any both".split())
# Nouns of a share: "the majority of studies" are studies, "most of the participants" them.
_SHARES = frozenset("majority most number proportion half part".split())
# Head nouns of what a treatment brings about, with or without modifiers.
_OUTCOMES = frozenset(
    """
    relief pain improvement benefit result effect risk symptom outcome change reduction
    increase response level score function
    """.split()
)


def subject_at(doc, start: int, end: int) -> tuple[str, bool]:
    """The treatment a clause says acts, for the words at characters [start, end): the
    subject of the verb they hang on, in lower case without its determiner, and whether
    that verb says it acts ("relieves") or only is or has something ("is safe"); ("",
    False) when the clause names none (its subject is a pronoun, a person, a study...)."""
    token = head_of(doc, start, end)
    if token is None:
        return "", False
    for step, _ in path_to_root(token):
        lemma = step.lemma_.lower()
        if step.pos_ in ("VERB", "AUX") and (lemma in _EFFECT_VERBS or lemma in _WEAK_VERBS):
            subject = subject_of(step)
            words = treatment_words(subject) if subject is not None else ""
            has_effect = lemma == "have" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in EFFECT_NOUNS for c in step.children
            )
            return words, bool(words) and (lemma in _EFFECT_VERBS or has_effect)
        if step.pos_ == "VERB" and nominal_effect(step) is not None:
            # "Tocilizumab was associated with a lower risk of death": it acts
            subject = subject_of(step) or child_of(step, ("nsubjpass",))
            words = treatment_words(subject) if subject is not None else ""
            return words, bool(words)
        if step.dep_ in ("ROOT", "relcl", "advcl", "ccomp", "conj") or (
            step.pos_ in ("VERB", "AUX") and step.dep_ != "xcomp"
        ):
            break  # the clause ended without such a verb ("..., and X may contribute to")
    return "", False


def clause_verb(anchor):
    """The verb of the clause whose main word is ``anchor``: the word itself, or the
    copula of a complement ("is safe", "is a source of"); None for no verb."""
    verb = anchor.head if anchor is not None and anchor.dep_ in ("acomp", "attr") else anchor
    return verb if verb is not None and verb.pos_ in ("VERB", "AUX") else None


def clause_subject(anchor, passive: bool = False, described: bool = False) -> tuple[str, str]:
    """The nominal subject of the clause whose main word is ``anchor`` (its passive
    subject, for ``passive``): its words in lower case (the noun's whole phrase) and its
    head's lemma; ("", "") for none, a pronoun ("it", "they") or a phrase that points
    back ("this treatment", "the tape"; with ``described``, "the" and a noun with words of
    its own is no such phrase: "the most common source of EPA")."""
    verb = clause_verb(anchor)
    if verb is None:
        return "", ""
    subject = child_of(verb, ("nsubjpass",)) if passive else subject_of(verb)
    if subject is not None and subject.lemma_.lower() in _QUANTIFIERS | _SHARES:
        # "Most of the participants had...": the participants
        subject = prep_object(subject, ("of",)) or subject
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return "", ""
    described = described and any(
        c.dep_ in ("prep", "amod", "compound", "acl", "relcl") for c in subject.children
    )
    if any(
        c.dep_ == "det"
        and (
            c.lower_ in POINTING_BACK
            or (c.lower_ == "the" and subject.pos_ == "NOUN" and not described)
        )
        for c in subject.children
    ):
        return "", ""  # what was named before
    # The whole phrase: "Dietary supplementation with omega-3 fatty acids".
    words = [t for t in subject.subtree if t.dep_ not in ("det", "punct")]
    return " ".join(t.lower_ for t in words), subject.lemma_.lower()


def _plural_subject(token) -> bool:
    return token.dep_ in ("nsubj", "nsubjpass") and token.tag_ in ("NNS", "NNPS")


def subject_lemma(anchor) -> str:
    """The lemma of the clause's subject (active, else passive), whatever its determiner:
    "The studies also ran for a short time": study."""
    verb = clause_verb(anchor)
    if verb is None:
        return ""
    subject = subject_of(verb) or child_of(verb, ("nsubjpass",))
    return subject.lemma_.lower() if subject is not None else ""


def own_subject(anchor) -> tuple[str, str]:
    """The subject of the clause of ``anchor`` (active, else passive) when it names
    something of its own ("The most common source of EPA is oily fish", "Most patients
    had fever"), as clause_subject gives it; ("", "") for none, a pronoun, a phrase that
    points back, or a head that leaves the clause's claim the topic's: what a treatment
    changes ("Clinical symptoms were improved", not "Responses peaked"), how it is taken
    ("The use of HCQ shortened..."); a share is what it is a share of (see clause_subject:
    "The majority of studies failed to...": studies).

    >>> from kb.nlp.scope import main_anchor
    >>> own_subject(main_anchor(parse("The most common source of EPA is oily fish.")))
    ('most common source of epa', 'source')
    """
    words, head = clause_subject(anchor, described=True)
    if not words:
        words, head = clause_subject(anchor, passive=True, described=True)
    if head in _TAKING:
        return "", ""
    if head in _OUTCOMES and (said := proposition(anchor)) and said[0] in PREDICATE_TYPES:
        return "", ""
    return words, head


def subject_of(verb, passive: bool = False):
    """A verb's subject (with ``passive``, its passive subject too), or that of the verb
    it is coordinated with or completes ("Yoga improves flexibility and may relieve pain",
    "Turmeric seems to reduce swelling"); "they" is the plural subject before it in the
    sentence ("Many people hear of it, but they need more information"; "Omega-3 pills
    are popular, but they may not work")."""
    relations = ("nsubj", "nsubjpass") if passive else ("nsubj",)
    for _ in range(3):
        subject = child_of(verb, relations)
        if subject is not None and subject.lower_ == "they":
            before = reversed(subject.doc[: subject.i])
            return next((t for t in before if _plural_subject(t)), subject)
        if subject is not None or verb.dep_ not in ("conj", "xcomp"):
            return subject
        verb = verb.head
    return None


# Nouns of taking something, and of how much of it: "daily intake of one gram of X" is X.
_TAKING = frozenset("consumption intake supplementation use administration ingestion".split())
_AMOUNTS = frozenset("gram milligram mg g dose amount serving portion".split())


# Nouns of what a treatment does or is: "the effect of krill oil was similar" is krill oil's.
_OF_IT = EFFECT_NOUNS | frozenset("effectiveness efficacy safety".split())
# Nouns of the form a treatment comes in: "remedies with saw palmetto" are saw palmetto.
_VEHICLES = frozenset("remedy preparation product tablet capsule pill ointment cream".split())


def _taken(noun):
    """What a noun of taking or a form says is taken ("intake of one gram of fish oil":
    oil; "tablets containing lactase": lactase), or None."""
    for _ in range(2):  # through one amount: "of one gram of"
        containing = [c for c in noun.children if c.dep_ == "acl" and c.lemma_ == "contain"]
        if containing:
            noun = child_of(containing[0], ("dobj",))
        else:
            noun = prep_object(noun, ("of", "with", "from"))
        if noun is None or noun.lemma_.lower() not in _AMOUNTS:
            return noun
    return None


_TAKING_VERBS = frozenset("consume eat ingest drink".split())


def taken_in(doc) -> str:
    """The words of the first thing a sentence says is taken: "the use of PUFAs", "fish
    consumption", "should consume oily fish" (PUFAs, fish, oily fish); "" for none.

    >>> taken_in(parse("Brain function relies on dietary intake of DHA."))
    'dha'
    """
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma in _TAKING and token.pos_ == "NOUN":
            taken = _taken(token)
            words = treatment_words(taken) if taken is not None else _taken_before(token)
        elif lemma in _TAKING_VERBS and token.pos_ == "VERB":
            taken = child_of(token, ("dobj",))
            words = treatment_words(taken) if taken is not None else ""
        else:
            continue
        if words:
            return words
    return ""


def _taken_before(noun) -> str:
    """What a noun of taking names before it: "fish oil supplementation" is fish oil,
    "omega-3 fatty acid supplementation" omega-3 fatty acid (not "regular" or "dietary")."""
    words = [
        t
        for t in noun.subtree
        if t.i < noun.i
        and (
            t.dep_ in ("compound", "nmod")
            or (t.dep_ == "amod" and t.pos_ in ("NOUN", "PROPN"))
            or _is_name_part(t)
        )
        and not _ends_hyphenated_adjective(t)
    ]
    return " ".join(t.lower_ for t in words)


def _ends_hyphenated_adjective(token) -> bool:
    """Whether ``token`` closes an adjective written with a hyphen: "long-term use" and
    "high-dose use" say how it is taken, not what ("term", "dose").

    >>> _ends_hyphenated_adjective(parse("long-term use")[2])
    True
    """
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].pos_ == "ADJ"


def _is_name_part(token) -> bool:
    """ "omega-3", "B12": letters and digits, whatever the parser made of them."""
    text = token.text
    return any(c.isalpha() for c in text) and any(c.isdigit() for c in text)


def treatment_words(subject) -> str:
    """A subject's words when they name a treatment: a noun without a determiner
    ("Massage", "Spinal manipulation", "Physical therapy"). With one ("This stimulation",
    "The needles", "Some circumstances") it refers back or names a part, not a treatment."""
    if subject.pos_ not in ("NOUN", "PROPN"):
        return ""
    head = subject.lemma_.lower()
    taken = _taken(subject) if head in _TAKING or head in _VEHICLES or head in _OF_IT else None
    if taken is not None:  # "(The) consumption of omega-3 fatty acids lowers...": omega-3
        return treatment_words(taken)
    before = _taken_before(subject) if head in _TAKING or head in _VEHICLES else ""
    if before:  # "Fish oil supplementation lowers...", "Curcumin products differ": fish oil
        return before
    if any(
        c.dep_ in ("det", "poss", "predet") or c.lower_ in _QUANTIFIERS for c in subject.children
    ):
        return ""
    if head in _OUTCOMES or head in _NOT_TREATMENTS:
        return ""  # "Pain relief may take sessions", "Previous studies": no treatment
    # The noun with its compounds and adjectives: "spinal manipulation", "fish oil", and a
    # name the parser takes for a number ("omega-3 fatty acids").
    words = [
        t
        for t in subject.subtree
        if (t.i < subject.i and (t.dep_ in ("compound", "amod", "nmod") or _is_name_part(t)))
        or t.i == subject.i
    ]
    if len(words) == 1 and head in GENERIC_TREATMENTS:
        return ""  # "treatment" alone refers back; "physical therapy" names one
    text = " ".join(t.lower_ for t in words)
    return text if any(ch.isalpha() for ch in text) else ""
