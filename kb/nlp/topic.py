"""What a document is about, from its title: the title word its text repeats.

For a document about something the lexicon does not know ("Turmeric (NCCIH herb fact
sheet)"), that word is the subject of the statements that name none ("~turmeric").
"""

from __future__ import annotations

import re

from kb.model import Source

__all__ = ["DASHES", "title_topic"]

# Title words that say what kind of page it is, or name no treatment: not what it is about.
_TITLE_FILLER = frozenset(
    """
        about answers benefits benefit clinical does facts fact guide health herb news
        questions sheet study studies supplement supplements trial trials using what with
        wikipedia rising review overview risks risk effectiveness effects effect efficacy
        safety treatment treatments therapy therapies pain relief chronic back lower neck
        evidence research medicine medical help helps works work your when should english
        complete definitive managing living options option care from does this that
        adults adult patients patient people children women participants population
    """.split()
)
# Web text writes "omega-3" with a minus sign or another dash as often as with a hyphen.
DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-"})
_TITLE_WORD = re.compile(r"[A-Za-z][\w-]*[A-Za-z0-9]")


def title_topic(source: Source, nouns: frozenset[str] | None = None) -> str:
    """For a document about an intervention the lexicon does not know, the first title
    word that the text repeats, as a subject ("~turmeric"); "" when there is none. Given
    ``nouns``, the title's nouns by its parse, only those may be the topic.

    >>> title_topic(Source(id="t", title="Turmeric (NCCIH herb fact sheet)",
    ...                    text="Turmeric is a plant. Turmeric may help."))
    '~turmeric'
    """
    text = source.text.lower().translate(DASHES)
    original = _TITLE_WORD.findall(source.title.translate(DASHES))
    words = [w.lower() for w in original]
    counts = {}
    for word in words:
        if nouns is not None and word not in nouns:
            continue  # "Cardiac injury in ...": an adjective names no topic
        if len(word) >= 4 and word not in _TITLE_FILLER and word not in counts:
            counts[word] = text.count(word)
    # The first title word the text repeats about as often as any ("Omega-3 fatty acid":
    # omega-3, though "acid" comes back more often).
    best = max(counts.values(), default=0)
    if best < 2:
        return ""
    topic = next(word for word, n in counts.items() if n >= 2 and 3 * n >= best)
    # With the title word before it, when the text repeats the two together: "Kinesio
    # Taping" is kinesio taping, not taping.
    at = words.index(topic)
    before = words[at - 1] if at else ""
    # Not an agency's acronym: "NIH Glucosamine/Chondroitin Trial" is about glucosamine.
    acronym = bool(before) and original[at - 1].isupper()
    if before and before not in _TITLE_FILLER and len(before) >= 3 and not acronym:
        pair = f"{before} {topic}"
        if text.count(pair) >= 2:
            return "~" + pair
    return "~" + topic
