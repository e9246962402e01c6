"""Who a statement is about, from the parse of its sentence: the treatment a clause says
acts ("Massage may relieve pain", in an article on acupuncture, is about massage), and
whether a sentence no concept covers speaks of the topic at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.nlp import scope, syntax
from kb.nlp.topic import DASHES

__all__ = [
    "about_topic",
    "acting",
    "names_the_treated",
    "names_topic",
    "recurring",
    "said_of_topic",
]

RECURRING = 3  # mentions that make a subject part of what a source is about


def acting(doc, start: int, end: int, named: Callable[[str], str], main: str, new: bool) -> str:
    """The subject of a statement at characters [start, end) of ``doc``: the treatment
    its clause names as acting, as the lexicon concept ``named`` gives for its words, else
    as its words ("~massage"); "" when the clause names none (then the sentence's subject
    holds). ``main`` is the document's topic, ``new`` whether the claim may be of a
    treatment other than the topic (what works or harms may; a mechanism is the topic's).
    """
    words, acts = syntax.subject_at(doc, start, end)
    # Else what the sentence says is taken: "The AHA recommends fish consumption": fish.
    taken = "" if words else syntax.taken_in(doc)
    words = (words or taken).translate(DASHES)
    if not words:
        return ""
    concept = named(words)
    if concept:
        return concept
    if main and (names_topic(words, main) or _abbreviates(words, main)):
        return main  # the topic itself: "Massage is safe" in an article on it
    # Another treatment only where the clause says it acts ("Yoga relieves pain") and for a
    # claim of what acts, or where it is taken: the subject of "is" or "has" may be anything
    # ("Women have lower risk"), and a mechanism is the topic's ("Your brain releases opioids").
    return "~" + words if (acts and new) or taken else ""


def names_topic(words: str, main: str) -> bool:
    """Whether ``words`` name the topic ``main`` ("~omega-3 fatty acid"): one of them is
    one of its words, in the singular or plural; a letter or a piece of a word is not
    ("vitamin e" does not name "~delay").

    >>> names_topic("omega-3 supplements", "~omega-3 fatty acid")
    True
    >>> names_topic("fatty acids", "~omega-3 fatty acid"), names_topic("vitamin e", "~delay")
    (True, False)
    >>> names_topic("cortisone - like medications", "~cortisone-like drugs")
    True
    """
    topic = _name_words(main.lstrip("~"))
    return not topic.isdisjoint(_name_words(words))


def _name_words(name: str) -> set[str]:
    """The words of a name in the singular, a hyphenated one whole and its longer parts
    ("cortisone-like": cortisonelike, cortisone), as the parse may drop the hyphen
    ("cortisone like medications"); not numbers or stray marks."""
    words = set()
    for word in name.replace(" - ", "-").split():
        parts = [p for p in word.split("-") if p]
        words.add("".join(parts))
        words.update(p for p in parts if len(p) >= 5)
    return {w.removesuffix("s") for w in words if any(c.isalpha() for c in w)}


def recurring(anchor, text: str) -> str:
    """The words of the subject of ``anchor``'s clause when they name a thing the source
    keeps naming (``text`` is its text in lower case, dashes as hyphens): what the clause
    says is said of it, not of the topic. In a page on omega-3, "DHA is transported into
    the brain" and "Krill oil is a source of omega-3" are about DHA and krill oil. ""
    when the subject is none, a person, a study, a part of the body or a phrase with a
    determiner ("The needles", "Your brain": parts of the topic's own story).

    >>> from kb.nlp.scope import main_anchor
    >>> recurring(main_anchor(syntax.parse("DHA is carried into the brain.")), "dha, dha, dha")
    'dha'
    """
    verb = syntax.clause_verb(anchor) if anchor is not None else None
    if verb is None:
        return ""
    # (A coordinated verb's is that of the verb before it: "curcumin is unstable and has
    # low bioavailability".)
    said = syntax.subject_of(verb, passive=True)
    if said is None or any(c.dep_ in ("nummod", "quantmod") for c in said.children):
        return ""  # "10 percent of the AMDR can be consumed as EPA": an amount
    is_a = syntax.child_of(verb, ("attr",)) if verb.lemma_ == "be" else None
    if is_a is not None and is_a.lemma_.lower() in scope.STUDY_NOUNS:
        return ""  # "GAIT is the first large trial": a study of the topic, named
    if said.lemma_.lower() in _MEASURED:
        return ""  # "Mortality varied over time": what a study of the topic measured
    words = syntax.treatment_words(said)
    return words if words and text.count(words) >= RECURRING else ""


# What a study measures, not a thing it is about: "Survival was 90% in the anakinra group".
_MEASURED = frozenset(
    """
    mortality survival death infection incidence prevalence seroprevalence rate risk titre
    titer level case data datum estimate factor susceptibility transmission
    """.split()
)


def about_topic(anchor, text: str, main: str, acts: Callable[[], str]) -> bool:
    """Whether the clause of ``anchor`` (a sentence's main word) speaks of ``main``, the
    topic of the source whose ``text`` it is (in lower case, dashes as hyphens, made once
    per source: this runs per sentence): it has no subject of its own, or one that
    names the topic, a generic treatment ("Supplementation"), a study of it ("Studies
    show..."), a thing the source keeps coming back to ("ALA", in a page on omega-3), or a
    treatment that ``acts``. "The University of Utah coordinated this study" and
    "Companies do not have to prove their products work" speak of something else.

    >>> from kb.nlp.scope import main_anchor
    >>> from kb.nlp.syntax import parse
    >>> about_topic(main_anchor(parse("The University of Utah coordinated the study.")),
    ...             "glucosamine. glucosamine.", "~glucosamine", lambda: "")
    False
    """
    words, head = syntax.clause_subject(anchor)
    if not words or not main or head in scope.STUDY_NOUNS:
        return True  # (with no topic known, nothing is off it)
    if main.startswith("~") and text.count(main[1:].split()[0]) < 2:
        return True  # a topic named only in the title: what the text says is about it
    if head in syntax.GENERIC_TREATMENTS:
        return True
    if names_topic(words.translate(DASHES), main):
        return True
    if text.count(head.translate(DASHES)) >= RECURRING:
        return True
    if main.startswith("~") and names_the_treated(anchor.doc.text, main[1:]):
        return True  # "Rates of illness were lower in the mask arm"
    return bool(acts())


def names_the_treated(sentence: str, topic: str) -> bool:
    """Whether a sentence names ``topic`` as what a group of a trial had.

    >>> names_the_treated("Rates were lower in the mask arm.", "mask")
    True
    """
    found = _TREATED.finditer(sentence.lower().translate(DASHES))
    return any(topic in (m.group("a") or m.group("b")) for m in found)


# Where a trial's sentence names the treatment as what a group had: "in the mask arm",
# "the tocilizumab group", "patients treated with HCQ", "those receiving it".
_TREATED = re.compile(
    r"(?P<a>[\w-]+(?: [\w-]+)?)(?:-treated| arm\b| group\b| recipients\b)"
    r"|(?:treated with|receiving|given) (?P<b>[\w-]+(?: [\w-]+)?)"
)


def said_of_topic(anchor, main: str) -> tuple[str, str, str] | None:
    """What the clause of ``anchor`` says of the topic ``main``, or of a treatment that
    acts in it (syntax.proposition); None when the clause says it of something else
    ("Grass-fed animals accumulate more omega-3", "Only 12 patients had comorbidities",
    "Cell responses were detected in all participants"): that is no claim of the topic,
    and its statement is grouped by its wording.

    >>> from kb.nlp.scope import main_anchor
    >>> said_of_topic(main_anchor(syntax.parse("Most patients had fever.")), "~x")
    >>> said_of_topic(main_anchor(syntax.parse("It lowers blood pressure.")), "~x")
    ('reduces', 'blood pressure', 'blood pressure')
    """
    words, head = syntax.own_subject(anchor)
    said = syntax.proposition(anchor)
    if _counted(anchor):
        return None  # "(10 had hypertension, 1 had cancer)": how many of those counted
    if said and main and said[1] and said[1].replace("-", " ") in main.replace("-", " "):
        said = None  # "Spermidine is sold as a supplement" is no "spermidine sells spermidine"
    acts = anchor is not None and syntax.subject_at(anchor.doc, anchor.idx, anchor.idx + 1)[1]
    if (head or syntax.subject_lemma(anchor)) in scope.STUDY_NOUNS and not acts:
        # "Studies show a reduction in pain" says what the topic does; "The studies are
        # small and poorly conducted", only what the studies are.
        return said if said and said[0] in syntax.PREDICATE_TYPES else None
    if acts or not words or head in syntax.GENERIC_TREATMENTS:
        return said
    if head in syntax.PEOPLE_AND_STUDIES or head in _MAKERS:
        # "Manufacturers of spermidine drugs advertise an effect", "People taking melatonin
        # reported drowsiness": what they do, though the topic names them
        return None
    if main and names_topic(words.translate(DASHES), main):
        return said
    return None


def _counted(anchor) -> bool:
    """Whether the subject of ``anchor``'s clause is a bare number: "1 had cancer", "Eight
    developed a fever" count people or cases, they name no treatment."""
    verb = syntax.clause_verb(anchor) if anchor is not None else None
    subject = syntax.subject_of(verb, passive=True) if verb is not None else None
    return subject is not None and subject.like_num and not list(subject.children)


# Who makes or sells a treatment: what they do is not what it does.
_MAKERS = frozenset("manufacturer company maker seller producer vendor industry firm".split())


def _abbreviates(words: str, main: str) -> bool:
    """Whether ``words`` is an acronym of the topic ``main``: three to five letters that
    start it and come in its order ("hcq" for hydroxychloroquine, "cp" is too short).

    >>> _abbreviates("hcq", "~hydroxychloroquine"), _abbreviates("hiv", "~hydroxychloroquine")
    (True, False)
    """
    if not (3 <= len(words) <= 5 and words.isalpha()) or words[0] != main.lstrip("~")[:1]:
        return False
    letters = iter(main.lstrip("~"))
    return all(letter in letters for letter in words)
