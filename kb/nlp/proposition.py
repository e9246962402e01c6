"""What a clause says of its subject, as kb groups it: its verb, in a class ("lowers",
"decreases" and "reduces" are "reduces"), and its object; or the effect a noun names under
a verb that only carries it ("was associated with a lower risk of stroke": reduces risk of
stroke).
"""

from __future__ import annotations

from kb.nlp.parse import PEOPLE, POINTING_BACK, child_of, joined, phrase, prep_object, preposition

__all__ = ["EFFECT_NOUNS", "PREDICATE_TYPES", "nominal_effect", "predicate_type", "proposition"]

# Nouns that name an effect: what "has" one acts ("Exercise has a beneficial effect on
# diabetes"), and "found no effect on X" says X is not affected.
EFFECT_NOUNS = frozenset("effect impact influence benefit".split())
_OBJECT_PREPOSITIONS = frozenset("against for with in on from".split())


# Verbs that say the same of what a treatment does, under one name: "lowers",
# "decreases" and "reduces" triglycerides are one claim. Topic independent.
_VERB_CLASSES = {
    "affects": "affect influence alter",
    "reduces": "reduce lower decrease lessen diminish cut",
    "relieves": "relieve alleviate ease soothe",
    "improves": "improve enhance boost",
    "increases": "increase raise elevate",
    "prevents": "prevent protect",
    "treats": "treat cure heal",
    "helps": "help benefit aid",
    "causes": "cause induce trigger",
    "harms": "harm damage injure impair worsen",
}
_VERB_CLASS = {verb: name for name, verbs in _VERB_CLASSES.items() for verb in verbs.split()}
# The claim type a verb class says: what a treatment does is its efficacy, what it causes
# or harms its safety ("can cause skin blisters", "can damage the heart").
PREDICATE_TYPES = {name: "efficacy" for name in _VERB_CLASSES} | dict.fromkeys(
    ("causes", "harms"), "safety"
)
_OBJECT_RELATIONS = ("dobj", "attr", "acomp", "oprd", "nsubjpass")
# Words of harm: what raises them is a claim of safety ("increases the risk of bleeding",
# "raises safety concerns"), what lowers them one of efficacy ("reduces the risk of stroke").
_HARMS = frozenset("risk concern harm toxicity adverse side".split())


def _object_phrase(verb, obj) -> list:
    """The words of a clause's object (parse.phrase), and of a second object that follows
    it straight on: no verb takes two direct objects, so that is one noun phrase the
    parser split ("reduce blood | triglyceride levels")."""
    words = phrase(obj)
    if obj.dep_ == "dobj":
        later = next((c for c in verb.children if c.dep_ == "dobj" and c.i > obj.i), None)
        if later is not None and later.left_edge.i == words[-1].i + 1:
            words += phrase(later)
    return words


def predicate_type(relation: str, key: str) -> str:
    """The claim type of what a clause says (see proposition), "" when its verb gives none.

    >>> predicate_type("increases", "risk of bleeding"), predicate_type("reduces", "risk of stroke")
    ('safety', 'efficacy')
    """
    said = PREDICATE_TYPES.get(relation, "")
    if relation == "increases" and _HARMS.intersection(key.split()):
        return "safety"
    return said


def proposition(anchor) -> tuple[str, str, str] | None:
    """What a clause says of its subject, from the word that carries it: (predicate,
    object key, object words). The key is lemmas in lower case, so that wordings group:
    "reduced the inflammation" and "reduces inflammation" give ("reduces",
    "inflammation", "inflammation"). None when the clause has no object to name.

    >>> from kb.nlp.scope import main_anchor
    >>> from kb.nlp.parse import parse
    >>> proposition(main_anchor(parse("Curcumin may lower blood sugar levels.")))
    ('reduces', 'blood sugar level', 'blood sugar levels')
    >>> proposition(main_anchor(parse("Omega-3 fatty acids reduce blood triglyceride levels.")))
    ('reduces', 'blood triglyceride level', 'blood triglyceride levels')
    >>> proposition(main_anchor(parse("Aspirin may reduce the risk of dying from cancer.")))
    ('reduces', 'risk of die from cancer', 'risk of dying from cancer')
    >>> proposition(main_anchor(parse("Melatonin is generally safe for adults.")))
    ('is', 'safe', 'safe')
    >>> proposition(main_anchor(parse("Glucosamine was no better than placebo.")))
    ('is', 'better than placebo', 'better than placebo')
    """
    if anchor is None:
        return None
    verb = anchor
    if _is_advice(anchor):
        return None  # "it's essential to discuss X with the practitioner": advice, not X's
    carried = next((c for c in anchor.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if anchor.lemma_.lower() in _CARRYING and carried is not None:
        if _by_authors(anchor.head):
            return None  # "we were able to find one study": what the authors did
        verb = carried  # "is likely to improve sleep", "will be able to tailor": improves
    elif anchor.pos_ in ("ADJ", "NOUN", "PROPN") and anchor.dep_ in ("acomp", "attr"):
        verb = anchor.head  # "is safe", "is a source of": the copula's complement
    # "may help to reduce", "seems to lower": the verb that says what happens.
    while True:
        nxt = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if nxt is None or verb.lemma_.lower() not in ("help", "seem", "appear", "tend"):
            break
        verb = nxt
    if verb.pos_ not in ("VERB", "AUX") and not (
        verb.dep_ == "ROOT" and _VERB_CLASS.get(verb.lower_.removesuffix("s"))
    ):
        return None  # ("Fish oil protects against..." may be tagged as a noun phrase)
    effect = nominal_effect(verb)
    if effect is not None:
        return effect
    if child_of(verb, ("expl",)) is not None or _by_authors(verb):
        return None  # "There are no good studies on X", "We found one study": said in its words
    obj = child_of(verb, _OBJECT_RELATIONS) or _what_changed(verb)
    if obj is not None and obj.lemma_.lower() in PEOPLE:
        # "protects adults from influenza": what it protects them from
        obj = prep_object(verb, ("from", "against")) or obj
    if obj is not None and (verb.lemma_.lower(), obj.lemma_.lower()) in _IDIOMS:
        return None  # "takes place": it happens, no object
    via = ""
    passive_of_it = obj is not None and obj.dep_ == "nsubjpass" and _points_back(obj)
    if passive_of_it:
        # "These operations are associated with risks": the operations are what the
        # clause is about, and what it says of them follows the participle
        obj = None
    if obj is None:
        prep = preposition(verb, _OBJECT_PREPOSITIONS)
        obj = child_of(prep, ("pobj",)) if prep is not None else None
        via = prep.lower_ + " " if obj is not None else ""
    if obj is None or obj.pos_ == "PRON" or not any(ch.isalpha() for ch in obj.text):
        return None  # "They are widely distributed": no object to name
    words = _object_phrase(verb, obj)
    # A comparative keeps its form and what it compares with: "better than placebo".
    key = via + joined(words, lambda t: t.lower_ if t.tag_ in ("JJR", "RBR") else
                                t.lemma_.lower())  # fmt: skip
    text = via + joined(words, lambda t: t.lower_)
    lemma = verb.lemma_.lower()
    if lemma == "be" and key in _VERDICTS:
        return None  # "Health damage from X is unlikely": that is no claim that X "is unlikely"
    if passive_of_it:
        return f"is {verb.lower_}", key, text
    if lemma not in _VERB_CLASS:  # a verb tagged as a noun: "protects"
        lemma = _VERB_CLASS.get(lemma.removesuffix("s"), lemma)
    return _third_person(lemma), key, text


# Adjectives that carry the verb after them: "is likely to improve", "is able to reduce".
_CARRYING = frozenset("able unable likely unlikely".split())
# A verb and object that say nothing of an object: "takes place", "takes part".
_IDIOMS = frozenset({("take", "place"), ("take", "part")})
# What "it is ... to X" says of X when it advises X: "it's essential to discuss ...".
_ADVISED = frozenset(
    "essential important crucial vital necessary advisable wise best recommended".split()
)


# What changes of itself: "the risk of preterm birth increased", "pain decreased".
_CHANGING = frozenset(
    "risk rate level number incidence mortality pain symptom score severity frequency".split()
)


def _what_changed(verb):
    """The subject of a verb of change used without an object, when it names an outcome
    ("the risk of preterm birth increased in one study": increases the risk); else None."""
    if verb.lemma_.lower() not in _VERB_CLASS:
        return None
    subject = child_of(verb, ("nsubj",))
    return subject if subject is not None and subject.lemma_.lower() in _CHANGING else None


def _by_authors(verb) -> bool:
    """ "We found", "we were able to": the authors say what they did."""
    return any(c.dep_ == "nsubj" and c.lower_ in _AUTHORS for c in verb.children)


def _is_advice(anchor) -> bool:
    """ "It is essential to tell the practitioner": the clause advises its reader."""
    frame = anchor.head if anchor.dep_ == "xcomp" else None
    if frame is None or frame.lemma_.lower() != "be":
        return False
    said = child_of(frame, ("acomp",))
    it = child_of(frame, ("nsubj", "expl"))
    return said is not None and said.lower_ in _ADVISED and it is not None and it.lower_ == "it"


def _points_back(noun) -> bool:
    """Whether a noun refers back to what was named before: "these operations"."""
    return any(c.dep_ == "det" and c.lower_ in POINTING_BACK for c in noun.children)


_AUTHORS = frozenset({"we", "i"})
# What is said of a claim, not of a treatment: "X is true", "X is unlikely".
_VERDICTS = frozenset(
    """
    true false correct wrong right accurate case likely unlikely possible impossible proven
    unproven clear unclear certain uncertain plausible implausible
    """.split()
)


# Verbs that only carry an effect named by a noun ("showed a reduction in pain", "was
# associated with a lower risk of stroke", "led to increased triglycerides"), with the
# preposition that introduces it, if any.
_CARRIERS = {"show": "", "find": "", "demonstrate": "", "reveal": "", "observe": "",
             "see": "", "produce": "", "lead": "to", "result": "in",
             "associate": "with", "link": "to"}  # fmt: skip
# Adjectives and nouns that name a change, by the verb class that says it.
_CHANGE_WORDS = {
    "increases": "increased higher greater elevated raised more increase rise",
    "reduces": "reduced lower decreased fewer less smaller reduction decrease decline drop",
    "improves": "improved better improvement",
}
_CHANGE = {word: name for name, words in _CHANGE_WORDS.items() for word in words.split()}


def nominal_effect(verb) -> tuple[str, str, str] | None:
    """What a clause says when its verb only carries an effect a noun names: "studies
    showed a reduction in pain" says it reduces pain; "was associated with a lower risk of
    stroke", that it reduces the risk of stroke. None for any other clause.

    >>> from kb.nlp.scope import main_anchor
    >>> from kb.nlp.parse import parse
    >>> nominal_effect(main_anchor(parse("Fish oil was associated with a lower risk of stroke.")))
    ('reduces', 'risk of stroke', 'risk of stroke')
    """
    lemma = verb.lemma_.lower()
    if lemma == "be" and child_of(verb, ("expl",)) is not None:
        # "There is some evidence of a benefit for X": helps X
        noun = child_of(verb, ("attr",))
        return _effect_in_evidence(noun) if noun is not None else None
    if lemma == "have":  # "X has no effect on Y": X affects Y, denied
        noun = child_of(verb, ("dobj",))
        if noun is None or noun.lemma_.lower() not in EFFECT_NOUNS:
            return None
        return _effect_on(noun)
    if lemma not in _CARRIERS:
        return None
    noun = prep_object(verb, (_CARRIERS[lemma],)) if _CARRIERS[lemma] else child_of(verb, ("dobj",))
    if noun is None:
        return None
    if noun.lemma_.lower() in EFFECT_NOUNS:  # "found no effect on mortality"
        return _effect_on(noun)
    if noun.lemma_.lower() in _EVIDENCE:  # "found tentative evidence of benefit for X"
        return _effect_in_evidence(noun)
    change = _CHANGE.get(noun.lemma_.lower())
    if change:  # "a reduction in pain", "an increase of triglycerides"
        noun = prep_object(noun, ("in", "of"))
        if noun is None:
            return None
        skip: frozenset = frozenset()
    else:  # "a lower risk of stroke", "increased triglycerides"
        said = [c for c in noun.children if c.dep_ == "amod" and c.lower_ in _CHANGE]
        if not said:
            return None
        change, skip = _CHANGE[said[0].lower_], frozenset({said[0].i})
    words = [t for t in phrase(noun) if t.i not in skip]
    key = joined(words, lambda t: t.lemma_.lower())
    return change, key, joined(words, lambda t: t.lower_)


# What says an effect does good ("a beneficial effect on X").
_GOOD = frozenset("beneficial positive protective favorable favourable therapeutic better".split())
_ON = frozenset("on against for in".split())
# What does good when it goes down.
_LOWERED = frozenset("risk incidence mortality".split())
# Nouns of what shows an effect: "evidence of a benefit for X" says the benefit.
_EVIDENCE = frozenset("evidence proof sign indication".split())


def _effect_in_evidence(noun) -> tuple[str, str, str] | None:
    """ "evidence of a benefit for X", "evidence for the effect of Y on X": what the effect
    it names says; None for evidence of anything else."""
    if noun.lemma_.lower() not in _EVIDENCE:
        return None
    effect = prep_object(noun, ("of", "for"))
    if effect is None or effect.lemma_.lower() not in EFFECT_NOUNS:
        return None
    return _effect_on(effect)


def _effect_on(noun) -> tuple[str, str, str] | None:
    """ "an effect on mortality" as what a clause says: affects mortality ("a beneficial
    effect on X", "a benefit for X": helps X); None without what it is an effect on."""
    good = noun.lemma_.lower() == "benefit" or any(
        c.dep_ == "amod" and c.lower_ in _GOOD for c in noun.children
    )
    said = "helps" if good else "affects"
    target = prep_object(noun, _ON)
    if target is None:  # "a benefit for lowering inflammation": it reduces inflammation
        prep = preposition(noun, _ON)
        gerund = child_of(prep, ("pcomp",)) if prep is not None else None
        target = child_of(gerund, ("dobj",)) if gerund is not None else None
        if target is not None:
            said = _VERB_CLASS.get(gerund.lemma_.lower(), said)
    if target is None or target.pos_ not in ("NOUN", "PROPN"):
        return None
    if said == "helps" and target.lemma_.lower() in _LOWERED:
        said = "reduces"  # "a benefit on the risk of premature birth" lowers it
    words = phrase(target)
    key = joined(words, lambda t: t.lemma_.lower())
    return said, key, joined(words, lambda t: t.lower_)


def _third_person(lemma: str) -> str:
    """ "reduces" for reduce, "carries" for carry: the predicate of a claim's label."""
    if lemma in _VERB_CLASSES:
        return lemma
    if lemma in _VERB_CLASS:
        return _VERB_CLASS[lemma]
    if lemma in ("be", "have", "do"):
        return {"be": "is", "have": "has", "do": "does"}[lemma]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    return lemma + "s"
