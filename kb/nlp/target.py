"""What a treatment is said to work for: the target of "effective", "helps", "efficacy" in
a sentence's parse ("effective for dry eye", "beneficial in preventing heart disease"), so
that "it works" is one claim per thing it works for.
"""

from __future__ import annotations

from kb.nlp.parse import PEOPLE_OR_CASES, prep_object
from kb.nlp.syntax import PEOPLE_AND_STUDIES, child_of, head_of, joined, phrase
from kb.nlp.topic import DASHES

__all__ = ["target_of"]

# "effective for X", "beneficial in preventing X", "efficacy against X", "helps with X".
_TARGET_PREPOSITIONS = frozenset("for in against on with".split())


def target_of(doc, start: int, end: int, subject: str = "") -> tuple[str, str] | None:
    """What the words at characters [start, end) say a treatment acts on, when they name
    it: (key, words), the key in lemmas so that wordings group. The target of "effective",
    "helps", "efficacy" is what the sentence says it is effective for; None when the
    sentence does not say, or names only the ``subject`` (words): "the efficacy of
    omega-3" is about omega-3, not for anything.

    >>> from kb.nlp.syntax import parse
    >>> doc = parse("Omega-3 may be beneficial in preventing heart disease.")
    >>> target_of(doc, 15, 25)
    ('preventing heart disease', 'preventing heart disease')
    >>> target_of(parse("Melatonin can help promote sleep."), 10, 18)
    ('promoting sleep', 'promoting sleep')
    >>> doc = parse("The effectiveness of glucosamine is controversial.")
    >>> target_of(doc, 4, 17, subject="glucosamine") is None
    True
    """
    head = head_of(doc, start, end)
    if head is None:
        return None
    # The word itself ("effective for"), then the verb it completes ("is effective ...
    # in"), then, for a verb of helping, the verb it helps ("can help promote sleep").
    helped = [c for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    words = [head]
    if head.dep_ in ("acomp", "attr", "amod", "dobj", "nsubj", "pobj"):
        words.append(head.head)
    subject = subject.lower().translate(DASHES)
    for word in words:
        # "can help promote sleep": what it helps do is the target, "promoting sleep".
        nouns = helped if word is head and helped else []
        nouns += _targets(word, direct=word is not head or word.pos_ == "VERB")
        for noun in nouns:
            if start <= noun.idx < end:
                continue  # the words themselves: "find relief"
            found = _target_words(noun)
            if found and not (subject and subject in _words_of(noun)):
                return found
    return None


def _words_of(token) -> str:
    """The text of a word and all that hangs on it, in lower case with plain hyphens."""
    span = token.doc.text[token.left_edge.idx : token.right_edge.idx + len(token.right_edge)]
    return span.lower().translate(DASHES)


def _targets(word, direct: bool) -> list:
    """The nouns (or gerunds) ``word`` takes as what it acts on: its object when it is a
    verb (``direct``), the object of its for/in/against/on/with phrase."""
    found = [c for c in word.children if direct and c.dep_ == "dobj"]
    for prep in word.children:
        if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPOSITIONS:
            for c in prep.children:
                if c.dep_ not in ("pobj", "pcomp"):
                    continue
                # "effective in ulcerative colitis" says for what; "relief in the first
                # session" says when, "effective for most adults" for whom, and "helpful in
                # cases of depression" or "for people with diabetes" for what, in whom.
                if c.lemma_.lower() in PEOPLE_OR_CASES:
                    c = prep_object(c, ("of", "with")) or c
                if c.lemma_.lower() not in _NOT_TARGETS:
                    found.append(c)
    return sorted(found, key=lambda t: t.i)


# Nouns of time, people and studies: when, in whom or where something was found, not what
# a treatment acts on.
_NOT_TARGETS = PEOPLE_AND_STUDIES | frozenset(
    """
    session week month year day time term period while analysis subject case group
    population practice principle combination addition part some many most all one
    """.split()
)


def _target_words(noun) -> tuple[str, str] | None:
    """(key, words) of a target: a noun phrase, or a gerund with its object ("preventing
    heart disease")."""
    if noun.pos_ == "VERB":
        obj = child_of(noun, ("dobj",))
        if obj is None or obj.pos_ == "PRON":
            return None
        verb = _gerund(noun.lemma_.lower())
        key = joined(phrase(obj), lambda t: t.lemma_.lower())
        return f"{verb} {key}", f"{verb} {joined(phrase(obj), lambda t: t.lower_)}"
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    words = phrase(noun)
    return joined(words, lambda t: t.lemma_.lower()), joined(words, lambda t: t.lower_)


def _gerund(lemma: str) -> str:
    """ "preventing" for prevent, "reducing" for reduce: a target said as an action."""
    if lemma.endswith("e") and not lemma.endswith("ee"):
        lemma = lemma[:-1]
    return lemma + "ing"
