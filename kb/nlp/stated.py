"""Which of the claim concepts found in a sentence it states, and which it only names in
passing: "Your brain may release pain-relieving opioids" states that it releases opioids,
not that it relieves pain; "in addition to its potential for pain relief, it is popular"
claims no relief.
"""

from __future__ import annotations

from kb.nlp import syntax
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import Match
from kb.nlp.proposition import EFFECT_NOUNS

__all__ = ["is_mention", "stated_claims"]

# Categories whose words state their claim from inside a noun phrase: what is said of the
# evidence ("not conclusive research shows"), of whom a treatment is not for ("people on
# blood thinners should not have it").
_SAID_IN_NOUN_PHRASES = frozenset({"evidence", "contraindication"})


def stated_claims(doc, claims: list[Match], lexicon: Lexicon, named_by_label: bool) -> list[Match]:
    """The matches of ``claims`` that the parsed sentence ``doc`` states. A match only
    named in passing (see is_mention) goes when another is stated, or when the
    sentence's list label (``named_by_label``) says what it claims; a sentence that only
    names things keeps them all, as that is all it says. A more general concept adds
    nothing when a more specific one is stated.
    """
    concepts = lexicon.concepts
    said = [
        m
        for m in claims
        if concepts[m.key].category in _SAID_IN_NOUN_PHRASES
        or concepts[m.key].comparative  # "a better treatment than surgery"
        or not is_mention(doc, m.start, m.end)
    ]
    if said or named_by_label:
        claims = said
    else:
        # A sentence that only names things keeps them, but an adjective of a noun says
        # nothing even then ("making efficacious vaccines available" claims no efficacy),
        # nor does a clause that says which way it happens ("the mechanism by which it
        # relieves pain" claims how, and leaves whether to the rest of the sentence).
        claims = [
            m
            for m in claims
            if not _is_adjective_of_noun(doc, m.start, m.end) and not _says_how(doc, m.start, m.end)
        ]
    specific = set(lexicon.most_specific([m.key for m in claims]))
    return [m for m in claims if m.key in specific]


# Relations by which a word modifies a noun: words that hang by them name a kind of
# thing ("pain-relieving opioids", "pain relief methods"), they do not say it happens.
_NOUN_MODIFIERS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod"})
# Nouns of how or why something happens: a clause that says which one names the effect.
_MANNER_NOUNS = frozenset("mechanism way means reason pathway manner route".split())
# Relations of a clause that the sentence asserts in its own right.
# (A conjunct says what the word it is joined to says: the walk goes on through it.)
_CLAUSES = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "parataxis", "csubj"})


def is_mention(doc, start: int, end: int) -> bool:
    """Whether the words at [start, end) only name something, inside a noun phrase or a
    clause that says which thing is meant, rather than carry what their clause says.

    >>> doc = syntax.parse("Your brain may release pain-relieving opioids.")
    >>> is_mention(doc, doc.text.index("pain-"), doc.text.index(" opioids"))
    True
    >>> doc = syntax.parse("In addition to its potential for pain relief, it is popular.")
    >>> is_mention(doc, doc.text.index("pain"), doc.text.index(","))
    True
    >>> doc = syntax.parse("Acupuncture can relieve pain, which helps many patients.")
    >>> is_mention(doc, doc.text.index("relieve"), doc.text.index(","))
    False
    """
    token = _predicate_of(doc, start, end)
    while token is not None and token.head.i != token.i:
        relation, head = token.dep_, token.head
        if relation in _NOUN_MODIFIERS:
            return True
        if relation == "relcl" and syntax.is_infinitive(token):
            return True  # "many ways to relieve back pain"
        if _says_which_way(token):
            return True  # "the mechanism by which it relieves pain": how, not whether
        if relation == "acl" and head.dep_ not in ("attr", "appos") and not _is_content(token):
            # "muscles affected by back pain" says which muscles; "the claims that it
            # relieves pain" says what is claimed, and "X is a technique known for Y" says Y.
            return True
        if (
            relation in ("pobj", "pcomp")
            and head.head.pos_ in ("NOUN", "PROPN", "PRON")
            and head.lower_ != "of"  # "the release of endorphins" is about endorphins
        ):
            return True  # "the potential for pain relief"
        if token.pos_ in ("VERB", "AUX", "ADJ") and relation in _CLAUSES:
            return False
        token = head
    return False


def _predicate_of(doc, start: int, end: int):
    """The word that carries the words at [start, end) as a claim: their head, or the
    participle inside them that describes it ("needles inserted at specific points" is
    said of the needles, as "the inserted needles" would be)."""
    head = syntax.head_of(doc, start, end)
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        return head
    described = next(
        (c for c in head.children if c.dep_ == "acl" and start <= c.idx < end and c.tag_ == "VBN"),
        None,
    )
    return described or head


def _says_how(doc, start: int, end: int) -> bool:
    """Whether the words at [start, end) lie in a clause that says which way or mechanism
    is meant ("the mechanism by which acupuncture relieves pain")."""
    token = syntax.head_of(doc, start, end)
    while token is not None and token.head.i != token.i:
        if _says_which_way(token):
            return True
        token = token.head
    return False


def _says_which_way(clause) -> bool:
    """Whether ``clause`` is a relative clause of a way or mechanism: "the mechanism by
    which it relieves pain"; not "works in a way to change", which says it does."""
    return (
        clause.dep_ == "relcl"
        and clause.head.lemma_.lower() in _MANNER_NOUNS
        and not syntax.is_infinitive(clause)
    )


def _is_adjective_of_noun(doc, start: int, end: int) -> bool:
    """ "efficacious vaccines", "the effective reproduction number": an adjective that only
    says which thing, not of a noun that the clause says the treatment is ("X might be
    an effective option") nor of an effect ("a beneficial role for X", "a beneficial
    effect cannot be ruled out")."""
    token = syntax.head_of(doc, start, end)
    if token is None or token.dep_ != "amod" or token.pos_ != "ADJ":
        return False
    noun = token.head
    return noun.dep_ not in _SAID and noun.lemma_.lower() not in _EFFECTS


_EFFECTS = EFFECT_NOUNS | {"role"}
# What a copula says its subject is: "X might be an effective option".
_SAID = frozenset({"attr", "appos", "oprd"})


def _is_content(clause) -> bool:
    """ "the claims that it relieves pain": what the claims say, not which claims."""
    return syntax.child_of(clause, ("mark",)) is not None
