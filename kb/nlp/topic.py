"""What a document is about, from its title: the title word its text repeats.

For a document about something the lexicon does not know ("Turmeric (NCCIH herb fact
sheet)"), that word is the subject of the statements that name none ("~turmeric").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.model import Source
from kb.nlp.words import FUNCTION_WORDS

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
        ointment ointments cream creams remedy remedies patch patches tablet
        tablets capsule capsules suppository suppositories drops preparation preparations
        product products dietary taking intake active ingredient ingredients together
        consumption regular effective safe against beneficial useful helpful harmful dangerous
        association associations characterization characterisation assessment analysis
        analyses case cases cohort model models evaluation comparison predictors trends
    """.split()
)
# The verbs of a question title ("Does ointment with comfrey help against back pain?"):
# what comes before the first is what it asks about, what follows is what it may do.
_QUESTION_VERBS = frozenset(
    """
    help helps improve improves reduce reduces prevent prevents treat treats relieve relieves
    alleviate alleviates cure cures cause causes increase increases lower lowers promote
    promotes protect protects work works have has ease eases shorten shortens strengthen
    strengthens lead leads make makes affect affects raise raises harm harms slow slows
    exist exists decrease decreases provide provides delay delays enhance enhances boost boosts
    support supports stop stops fight fights
    """.split()
)
# What a title names as the illness, its course or its outcome is what a treatment acts
# on, never the treatment: in "Hospitalized COVID-19 Patients treated with Convalescent
# Plasma" or "Association of Cardiac Injury With Mortality" the subject of "is effective"
# is not COVID-19 or the injury.
_CONDITIONS = frozenset(
    """
    disease diseases illness syndrome disorder disorders infection infections injury injuries
    cancer cancers tumour tumor virus viruses coronavirus covid-19 covid sars-cov-2 pandemic
    epidemic outbreak pneumonia influenza flu mortality death deaths outcomes outcome
    characteristics symptoms symptom complications hospitalized hospitalised dysfunction
    deficiency failure
    """.split()
)
# Words the medical vocabulary builds for inflammations, blood conditions and pains.
_CONDITION_ENDING = re.compile(r"(?:itis|emia|algia|plegia)$")  # not "-pathy": homeopathy treats
_NOT_IN_NAMES = _TITLE_FILLER | FUNCTION_WORDS  # an illness may be part of a name
_NOT_TOPICS = _NOT_IN_NAMES | _CONDITIONS
# A passive question names its treatment after "with" or "by".
_PASSIVE = re.compile(
    r"\b(?:be|is|are)\s+(?:\w+ly\s+)?(?:treated|cured|fought|combated|relieved|prevented|"
    r"alleviated|eased|healed|helped|managed|reduced|improved)\s+(?:with|by)\s",
    re.IGNORECASE,
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
    title = source.title.translate(DASHES)
    question = "?" in title
    passive = _PASSIVE.search(title) if question else None
    if passive:
        # "Can headaches be treated with heat?" asks about heat.
        title = title[passive.end() :]
    # A question asks about its subject, the words before its verb: "Does the dietary
    # supplement MSM help with osteoarthritis?" is about MSM, not osteoarthritis.
    verb_at = next(_verb_at(title), None) if question else None
    asked = title if verb_at is None else title[:verb_at]
    original = _TITLE_WORD.findall(asked)
    words = [w.lower() for w in original]
    counts = {}
    for word, spelled in zip(words, original, strict=True):
        # What a question asks about may be an acronym ("MSM", "PrEP"), whatever the
        # parser says of it; elsewhere a short acronym is more often an agency's ("NIH").
        acronym = question and any(c.isupper() for c in spelled[1:])
        if nouns is not None and word not in nouns and not acronym:
            continue  # "Cardiac injury in ...": an adjective names no topic
        named = len(word) >= 4 or (len(word) == 3 and acronym)
        if named and word not in _NOT_TOPICS and word not in counts:
            if _CONDITION_ENDING.search(word):
                continue  # "arthritis", "neuropathy": what is treated
            counts[word] = text.count(word)
    # The first title word the text repeats about as often as any ("Omega-3 fatty acid":
    # omega-3, though "acid" comes back more often).
    best = max(counts.values(), default=0)
    if best < 2:
        # A short answer may name what its question asks about only there: "Can echinacea
        # protect against covid-19?" is about echinacea, "Can a straight bar improve
        # tension?" about a straight bar.
        return _asked_about(asked, verb_at is not None) if question else ""
    topic = next(word for word, n in counts.items() if n >= 2 and 3 * n >= best)
    # With the title word before it, when the text repeats the two together: "Kinesio
    # Taping" is kinesio taping, not taping.
    at = words.index(topic)
    before = words[at - 1] if at else ""
    # Not an agency's acronym: "NIH Glucosamine/Chondroitin Trial" is about glucosamine.
    acronym = bool(before) and original[at - 1].isupper()
    # An illness may name it ("flu vaccination"), as it is not its head.
    if before and before not in _NOT_IN_NAMES and len(before) >= 3 and not acronym:
        for pair in (f"{before} {topic}", f"{before}'s {topic}", f"{before}’s {topic}"):
            if text.count(pair) >= 2:  # "kinesio taping", "cat's claw"
                return "~" + pair.replace("’", "'")
    # With what follows it, when the text repeats the two together: a letter or number
    # ("vitamin C", "omega 3") or, after a possessive, a noun ("monk's pepper").
    after = _NEXT_WORD.match(title.lower(), _word_end(title.lower(), topic))
    if after and after.group(0).strip(" -") in _NOT_TOPICS:
        after = None  # "consumption of ...": a function word names nothing
    if after and text.count(topic + after.group(0)) >= 2:
        return "~" + topic + after.group(0)
    # Or the noun that ends its phrase: "folic acid in men", "fish oil with omega-3" (not
    # "omega-3 fatty acid": "fatty" ends nothing).
    following = words[at + 1 : at + 3]
    if nouns and len(following) == 2 and set(following) <= nouns:
        # A name of three nouns, when the text mostly says it whole: "blood group diet",
        # "lung cancer screening" (an illness may be part of it); but "omega-3", which the
        # text mostly says without "fatty acid".
        triple = " ".join([topic, *following])
        count = text.count(triple)
        if following[1] not in _NOT_TOPICS and count >= 2 and 2 * count >= counts[topic]:
            return "~" + triple
    # (a filler noun ends it too: "convalescent plasma therapy" is convalescent plasma)
    ends = bool(nouns and following) and (
        len(following) < 2 or following[1] not in nouns or following[1] in _NOT_TOPICS
    )
    if ends and following[0] in nouns and following[0] not in _NOT_TOPICS:
        pair = f"{topic} {following[0]}"
        if text.count(pair) >= 2:
            return "~" + pair
    return "~" + topic


def _asked_about(asked: str, has_verb: bool) -> str:
    """What a question title asks about, as a subject, from the words it ``asked`` before
    its verb (all of them when it ``has_verb`` not): a run of words between filler,
    function words and punctuation, the last before its verb ("Can remedies from papaya
    [improve...]": papaya) or, with none, the first ("Is a vegan diet healthier than...":
    vegan diet); "" for none.

    >>> _asked_about("Can a straight bar ", True)
    '~straight bar'
    >>> _asked_about("Are there methods that effectively ", True)
    ''
    """
    title = _ASIDE.sub(" ", asked)  # "the Cape geranium (Pelargonium sidoides)": an aside
    runs: list[list[str]] = [[]]
    pieces = [piece.lower() for piece in _PIECE.findall(title)]
    for word, following in zip(pieces, [*pieces[1:], ""][: len(pieces)], strict=True):
        # A comparison ends it: "Is a vegan diet healthier than..." asks about a vegan diet.
        alone = word in _KINDS and not runs[-1]  # "radioactive agents" names some
        # An adverb names nothing: "Are there methods that effectively help...".
        adverb = word.endswith("ly") and len(word) > 5
        if not word[0].isalpha() or word in _NOT_TOPICS or alone or adverb or following == "than":
            runs.append([])
        else:
            runs[-1].append(word)
    found = [run for run in runs if run]
    if not found:
        return ""
    topic = " ".join((found[-1] if has_verb else found[0])[-3:])
    return "~" + topic if len(topic) >= 3 else ""


def _verb_at(title: str) -> Iterator[int]:
    """Where the question verbs of a title start, after its first word."""
    words = _TITLE_WORD.finditer(title)
    next(words, None)  # the first: "Help for ..." asks about help
    for match in words:
        if match.group(0).lower() in _QUESTION_VERBS:
            yield match.start()


_ASIDE = re.compile(r"\([^)]*\)")
# Words for a kind of means: alone they name none ("Are there methods that help..."), though
# they may end a name the text repeats ("the Feldenkrais method").
_KINDS = frozenset("method methods means way ways agent agents".split())
_PIECE = re.compile(r"[A-Za-z][\w'’-]*[A-Za-z0-9]|[A-Za-z]|[^\w\s]")


_NEXT_WORD = re.compile(r"(?:'s|’s) [a-z][\w-]*|[ -][a-z0-9]{1,2}\b")


def _word_end(title: str, word: str) -> int:
    """Where ``word``, as a whole word, ends in the lower-case ``title``."""
    found = re.search(rf"\b{re.escape(word)}\b", title)
    return found.end() if found else len(title)
