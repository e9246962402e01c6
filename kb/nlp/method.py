"""Whether a sentence of a study says how the study was done rather than what it found:
"Patients were randomised to...", "We administered...", "This study aims to evaluate...",
"The primary outcome was...", "METHODS: ...". Such a sentence states no claim, whatever
claim words it holds. The vocabulary of studying is shared with kb.nlp.scope, which reads
"has hardly been studied" as open evidence.

>>> from kb.nlp.syntax import parse
>>> from kb.nlp.scope import main_anchor
>>> describes_method(main_anchor(parse("Patients were randomised to masks or usual care.")))
True
>>> describes_method(main_anchor(parse("We found that masks reduce infections.")))
False
"""

from __future__ import annotations

import re

from kb.nlp.parse import PEOPLE_OR_CASES
from kb.nlp.syntax import child_of, clause_verb

__all__ = [
    "ALMOST_NOT",
    "STUDIED",
    "STUDY_NOUNS",
    "TOPIC_VERBS",
    "describes_method",
    "is_method_part",
    "is_passive",
]

# Adverbs that all but deny: "hardly any evidence", "it scarcely helps".
ALMOST_NOT = frozenset({"hardly", "scarcely", "barely"})
# Their passive subject was studied: "Its effectiveness has hardly been researched".
STUDIED = frozenset("test investigate examine evaluate assess study explore research".split())
# Verbs whose object or complement is what is studied or wanted, not what was found.
TOPIC_VERBS = frozenset(
    """
    test investigate examine evaluate assess study explore determine compare design measure
    analyze analyse
    """.split()
)
# Subjects that report on the topic: what they say is about it.
STUDY_NOUNS = frozenset(
    """
    study review trial evidence research data finding analysis meta-analysis result author
    researcher scientist expert report survey guideline information knowledge understanding
    limitation shortcoming deficiency weakness flaw
    """.split()
)

# What researchers do to run a study: said of a study, these describe its method.
_METHOD_VERBS = TOPIC_VERBS | frozenset(
    """
    include collect recruit enroll enrol randomise randomize record conduct screen allocate
    assign survey interview extract search stratify retrieve select exclude create develop
    describe focus aim seek administer perform vaccinate inoculate
    """.split()
)
# What the authors did to build their analysis: said by "we", it is how the study was done
# ("We used a transmission model to show..."); said of others, it may be a finding.
_BUILT_WITH = frozenset("use apply employ fit simulate construct build".split())
# Who runs a study: what they do in it is its method ("One author extracted the data").
_RUNNERS = frozenset("author reviewer investigator researcher".split())
# Where a study's data came from ("Data were obtained from the registry").
_DATA_NOUNS = frozenset("data datum sample specimen record network dataset information".split())
_GOT = frozenset("obtain derive gather draw source".split())
# What a study set out to do or measure: "The primary endpoint was survival", "The aim of
# this study was to...". A copula with one of these for subject describes the method; as
# does one with an outcome that the study ranks ("The primary outcome was adverse events").
_DESIGN_NOUNS = frozenset("endpoint end-point aim objective purpose goal characteristic".split())
_MEASURES = frozenset("outcome measure".split())
_RANKS = frozenset("primary secondary main co-primary".split())

# The labels of a structured abstract's parts that say how a study was done or paid for,
# in capitals ("METHODS: ..." or "DESIGN. ...") or, followed by a colon, as a word
# ("Objective: To describe...").
_PARTS = (
    r"METHODS?|DESIGN|SETTINGS?|PARTICIPANTS|PATIENTS|INTERVENTIONS?|ELIGIBILITY CRITERIA|"
    r"DATA SOURCES?|STUDY SELECTION|DATA EXTRACTION|MAIN OUTCOME MEASURES?|OBJECTIVES?|AIMS?|"
    r"PURPOSE|MATERIALS? AND METHODS|STUDY DESIGN|FUNDING|TRIAL REGISTRATION|REGISTRATION"
)
_METHOD_PART = re.compile(rf"\s*(?:{_PARTS})\b[^:.\n]{{0,40}}[:.]")
_METHOD_PART_WORD = re.compile(rf"\s*(?:{_PARTS})\s*:", re.IGNORECASE)


def is_method_part(text: str) -> bool:
    """Whether a sentence opens a structured abstract's part on how a study was done
    ("METHODS: We did a randomised trial...", "Objective: To describe..."): how, not what
    was found.

    >>> is_method_part("Objective: To describe viral shedding."), is_method_part("Design matters.")
    (True, False)
    """
    return bool(_METHOD_PART.match(text) or _METHOD_PART_WORD.match(text))


def is_passive(token) -> bool:
    """Whether a verb is in the passive ("were randomised")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def describes_method(anchor) -> bool:
    """Whether the word that carries a sentence says what was done in a study, not what
    was found: "X and Y were compared with placebo", "All inpatients were included", "We
    recorded demographics", "This report describes...", "This study aims to evaluate...",
    "The primary endpoint was survival". "We found that X" reports a finding."""
    if anchor is None:
        return False
    if anchor.dep_ == "xcomp" and anchor.head.lemma_.lower() in _METHOD_VERBS:
        return describes_method(anchor.head)  # "This study aims to evaluate X"
    verb = clause_verb(anchor) or anchor
    subject = child_of(verb, ("nsubj",))
    if verb.lemma_.lower() == "be":
        return subject is not None and _names_design(subject)
    if anchor.lemma_.lower() in _GOT and is_passive(anchor):
        got = child_of(anchor, ("nsubjpass",))
        return got is not None and got.lemma_.lower() in _DATA_NOUNS
    drew_on = getattr(child_of(verb, ("dobj",)), "lemma_", "")  # "We identified 76 patients"
    if subject is not None and subject.lower_ == "we" and drew_on in PEOPLE_OR_CASES:
        return True  # whom a study drew on ("We found one study" says what is known)
    if subject is not None and subject.lower_ == "we" and verb.lemma_.lower() in _BUILT_WITH:
        return True  # "We used a susceptible-infectious-recovered model to show..."
    if anchor.lemma_.lower() not in _METHOD_VERBS:
        return False
    if is_passive(anchor):
        if anchor.lemma_.lower() == "perform":
            # "An analysis was performed"; "something has been performed incorrectly" is
            # said of what a practitioner did
            done = child_of(anchor, ("nsubjpass",))
            return done is not None and done.pos_ in ("NOUN", "PROPN")
        # "X was studied in adults" is what was done; "X has not been studied", what is known
        return anchor.lemma_.lower() not in STUDIED or not any(
            c.dep_ == "neg" or c.lower_ in ALMOST_NOT for c in anchor.children
        )
    # "We recorded", "This report describes": the authors or their text say what they did.
    return subject is not None and (
        subject.lower_ == "we"
        or subject.lemma_.lower() in _RUNNERS  # "One author extracted information"
        or (
            subject.lemma_.lower() in STUDY_NOUNS
            and any(c.lower_ in ("this", "our", "the") for c in subject.children)
        )
    )


def _names_design(subject) -> bool:
    """ "The aim", "the primary outcome": what a study set out to do or measure."""
    lemma = subject.lemma_.lower()
    if lemma in _DESIGN_NOUNS:
        return True
    return lemma in _MEASURES and any(c.lower_ in _RANKS for c in subject.children)
