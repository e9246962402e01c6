"""Which of the claim concepts found in a sentence it states, and which it only names in
passing: "Your brain may release pain-relieving opioids" states that it releases opioids,
not that it relieves pain; "points for lower back pain" claims no relief.
"""

from __future__ import annotations

from kb.nlp import syntax
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import Match

__all__ = ["stated_claims"]

# Categories whose words state their claim from inside a noun phrase: what is said of the
# evidence ("not conclusive research shows"), of whom a treatment is not for ("people on
# blood thinners should not have it").
_SAID_IN_NOUN_PHRASES = frozenset({"evidence", "contraindication"})


def stated_claims(doc, claims: list[Match], lexicon: Lexicon, named_by_label: bool) -> list[Match]:
    """The matches of ``claims`` that the parsed sentence ``doc`` states. A match only
    named in passing (kb.nlp.syntax.is_mention) goes when another is stated, or when the
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
        or not syntax.is_mention(doc, m.start, m.end)
    ]
    if said or named_by_label:
        claims = said
    specific = set(lexicon.most_specific([m.key for m in claims]))
    return [m for m in claims if m.key in specific]
