"""English cue words: negators and the phrases that own them, hedging phrases, reported
speech and attribution, anaphora, purpose clauses and topics of study. Topic independent;
topic words live in the lexicon. Polarity, scope and certainty are read on the parse
(kb.nlp.scope); these cues work on the words alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.nlp.match import BARRIERS, Match, Tokens, normalize_word
from kb.nlp.scope import ALMOST_NOT, NEGATIVE_PREDICATES

__all__ = [
    "anaphor",
    "attribution",
    "consumed_negators",
    "is_topic_only",
    "purpose_start",
]

# Normalised forms (see normalize_word) of words that negate what follows them.
NEGATORS = frozenset(
    normalize_word(w)
    for w in """
        not no never none neither nor without cannot don't doesn't didn't isn't aren't wasn't
        weren't won't can't couldn't shouldn't wouldn't hasn't haven't hadn't lacks fails failed
        unable
    """.split()
) | {normalize_word(w) for w in ALMOST_NOT}
# Words after which a new clause starts: who says something stands in its own clause.
SCOPE_BREAKS = frozenset(
    normalize_word(w)
    for w in """
        but however although though while whereas yet which who because since
    """.split()
)

# Multi-word cues, keyed so that a caller can fold them into one matcher with its own
# phrases (one pass over a sentence instead of one per list): see PHRASE_CUES.
HEDGE = "~hedge"
PURPOSE = "~purpose"
IDIOM = "~idiom"
PHRASE_CUES = {
    HEDGE: [
        "said to", "thought to", "claimed to", "is believed", "are believed", "in theory",
        "some evidence", "it is possible", "there is some", "to some extent",
    ],
    # Why to do something, not a claim: "to ensure safety".
    PURPOSE: ["to ensure", "to make sure", "in order to", "so that", "to help you decide"],
    # Phrases whose negative word negates nothing that follows.
    IDIOM: [
        "do not forget", "don't forget", "not only", "no doubt", "not to mention", "no matter",
        "no longer", "none other",
    ],
}  # fmt: skip


# Verbs of saying and finding; with a source before them the statement is reported.
REPORT_VERBS = frozenset(
    normalize_word(w)
    for w in """
        concluded concludes conclude found finds showed reported reports report states state
        stated claims claim claimed suggests suggest suggested indicates indicate indicated says
        say said argues argue argued recommends recommend recommended demonstrated demonstrates
        believe believes estimates estimated warns warned notes noted
    """.split()
)
# Head words of who says it: a study, researchers, a doctor, "some", "others".
SOURCE_HEADS = frozenset(
    normalize_word(w)
    for w in """
        study studies research researchers review reviews meta analysis trial trials scientists
        scientist experts expert doctors doctor dr physicians physician philosophy patients
        people others some many authors author guidelines guideline survey report nih nccih nice
        cdc who fda proponents critics practitioners association society college journal
        organization organisation institute agency university professor
    """.split()
)
_MODALS = frozenset(
    normalize_word(w) for w in ["may", "might", "could", "would", "will", "should", "can"]
)
_DISCOURSE_LEAD = re.compile(
    r"^(?:for (?:instance|example)|however|in fact|moreover|furthermore|also|and|but|while|"
    r"whereas|although|indeed|notably|in contrast|in addition)\b[\s,]*",
    re.IGNORECASE,
)
# The source named after "according to", up to the clause's end; a title's full stop
# ("Dr.") does not end it.
_ACCORDING_TO = re.compile(
    r"\baccording to\s+((?:(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|Inc|U\.S|U\.K)\.|[^,;:.])+)",
    re.IGNORECASE,
)


# The look at the first letter ("i" or "t") rejects most places before the alternatives
# are tried one by one; it changes no match.
_ANAPHOR = re.compile(
    r"\b(?=[it])(?:it|its|this (?:stimulation|method|practice|treatment|procedure|therapy|"
    r"process|technique|acceleration)|the (?:process|procedure|treatment|therapy|needles|"
    r"method|practice|technique|session))\b",
    re.IGNORECASE,
)


def consumed_negators(
    tokens: Tokens,
    spans: list[tuple[int, int]],
    cue_matches: list[Match],
    compared: Sequence[tuple[int, int]] = (),
) -> set[int]:
    """Indexes of negators that belong to a phrase: a matched concept ("not fully
    understood", "no firm conclusions") or an idiom ("do not forget"). They negate nothing
    else. A comparator (``compared``) that starts with its negator is one only where
    something is compared with it: "better than no treatment", but not "No therapies have
    been shown effective"."""
    if _NEGATING.isdisjoint(tokens.norms):
        return set()
    spans = [*spans, *(s for s in compared if _compared_with(tokens, s[0]))]
    spans = spans + [(m.first, m.last) for m in cue_matches if m.key == IDIOM]
    return {
        i
        for i, norm in enumerate(tokens.norms)
        if norm in _NEGATING and any(first <= i <= last for first, last in spans)
    }


def _compared_with(tokens: Tokens, first: int) -> bool:
    if tokens.norms[first] not in NEGATORS:
        return True
    return first > 0 and tokens.norms[first - 1] in _COMPARING


_COMPARING = frozenset(
    normalize_word(w) for w in "than versus vs with to or and over against compared".split()
)


# Negators and the negative predicates the parse reads ("inconclusive", "unproven"): in a
# concept's phrase ("mixed or inconclusive") they are its own words.
_NEGATING = NEGATORS | {normalize_word(w) for w in NEGATIVE_PREDICATES}


# Verbs that make what follows a topic of study, not a finding: "studies have investigated
# the effectiveness", "research continues to explore its effectiveness".
TOPIC_VERBS = frozenset(
    normalize_word(w)
    for w in """
        investigated investigate investigating explore explores exploring examined examine
        examining evaluate evaluated evaluating assess assessed studied study researched tested
    """.split()
)
TOPIC_WINDOW = 3


def is_topic_only(tokens: Tokens, first: int) -> bool:
    """Whether the words from ``tokens[first]`` are what a study looks at, not what it found.

    >>> from kb.nlp.match import tokenize
    >>> is_topic_only(tokenize("Studies have investigated the effectiveness of it"), 4)
    True
    """
    for i in range(first - 1, max(-1, first - 1 - TOPIC_WINDOW), -1):
        if tokens.norms[i] in BARRIERS:
            return False
        if tokens.norms[i] in TOPIC_VERBS:
            return True
    return False


def attribution(text: str, tokens: Tokens) -> str:
    """Who the sentence says said it, as the source's own words; "" when nobody is named.

    >>> from kb.nlp.match import tokenize
    >>> attribution("According to Dr. Claflin of Oklahoma, it works.", tokenize(""))
    'Dr. Claflin of Oklahoma'
    >>> s = "For instance, a meta-analysis in the Journal of Pain concluded that it works."
    >>> attribution(s, tokenize(s))
    'a meta-analysis in the Journal of Pain'
    """
    # Cheap tests first, as most sentences name nobody. A non-ASCII text goes to the
    # regex whatever it holds: case-insensitive matching knows letters lower() does not.
    if "ccording" in text.lower() or not text.isascii():
        according = _ACCORDING_TO.search(text)
        if according:
            return according.group(1).strip()
    norms = tokens.norms
    if REPORT_VERBS.isdisjoint(norms):
        return ""
    for i, norm in enumerate(norms):
        if norm not in REPORT_VERBS:
            continue
        if i > 0 and norms[i - 1] in _MODALS:
            continue  # "your doctor may suggest": advice that might be given, not a report
        start = i
        while start > 0 and norms[start - 1] not in BARRIERS and i - start < 12:
            if norms[start - 1] in SCOPE_BREAKS and start - 1 > 0:
                break
            start -= 1
        if start == i or SOURCE_HEADS.isdisjoint(norms[start:i]):
            continue
        phrase = text[tokens.starts[start] : tokens.ends[i - 1]]
        return _DISCOURSE_LEAD.sub("", phrase).strip()
    return ""


def purpose_start(cue_matches: list[Match]) -> int:
    """Offset where a purpose clause ("to ensure...", "to make sure...") starts, or -1.

    What follows is why to do something, not a claim the source makes.
    """
    starts = [m.start for m in cue_matches if m.key == PURPOSE]
    return min(starts) if starts else -1


def anaphor(text: str) -> str:
    """The first word or phrase that points back to the main intervention ("it",
    "the process", "the needles"), or ""."""
    found = _ANAPHOR.search(text)
    return found.group(0) if found else ""
