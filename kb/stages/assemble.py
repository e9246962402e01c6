"""Statements → Claims: one claim per normalised key, refinement links, and grouping by
wording for statements no concept covers.

A normalised statement's key is (claim_type, subject, relation, object, comparator), the
INDRA "matches key": statements with equal keys are the same claim whatever words they
use. Conditions and quantities qualify a claim without splitting it, so "10–20 minutes"
and "20–30 minutes" land in one claim, where the conflict between them can be seen.

Unnormalised statements are grouped greedily by the Jaccard similarity of their content
words (threshold SIMILARITY), within a claim type; an inverted index on words keeps this
near linear: each statement is compared only with groups sharing one of its rarer words.
Claim ids are hashes of keys (or of a group's first statement id), so they are stable
across rebuilds of the same corpus.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from copy import copy as _copy

from kb.model import Claim, Statement
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import normalize_word
from kb.nlp.words import FUNCTION_WORDS, WORD
from kb.stages import Stage

__all__ = [
    "SIMILARITY",
    "STAGE",
    "assemble",
    "claim_key",
    "claim_label",
    "content_words",
    "linked",
    "of_someone_unnamed",
    "same_subject",
    "states",
]

SIMILARITY = 0.5
_BLOCKING_WORDS = 4


def claim_key(statement: Statement) -> tuple[str, str, str, str, str]:
    """The key that decides which claim a normalised statement belongs to."""
    return (
        statement.claim_type,
        statement.subject,
        statement.relation,
        statement.object,
        statement.qualifiers.comparator,
    )


def same_subject(statement: Statement, claim: Claim) -> bool:
    """Whether ``statement`` may be about ``claim``'s subject: the same one, or either has
    none ("it reduces pain" may be said of any treatment)."""
    return not statement.subject or not claim.subject or statement.subject == claim.subject


def states(statement: Statement, claim: Claim) -> bool:
    """Whether ``statement`` states ``claim``, for a statement that was not grouped with
    it (a checked sentence): the claim key's object and comparator, and a subject that
    may be the claim's (see same_subject). The one definition of "the same claim" besides
    claim_key, which groups statements that name their subject.

    >>> s = Statement("s", "a", "", 0, 1, subject="", object="endo")
    >>> states(s, Claim("c", "mechanism", "", subject="acu", object="endo"))
    True
    """
    return (
        statement.object == claim.object
        and statement.qualifiers.comparator == claim.comparator
        # A concept implies its relation; a proposition the parse read ("~liver") does
        # not: "harms the liver" and "protects the liver" are different claims.
        and (not claim.object.startswith("~") or statement.relation == claim.relation)
        and same_subject(statement, claim)
    )


def _hash_id(*parts: str) -> str:
    return "cl_" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def _said(statement: Statement, relation: str) -> str:
    """A proposition's words as its statement has them ("reduces elevated triglycerides"),
    when they are what its key was read from; else ""."""
    matched = statement.qualifiers.matched
    return matched if relation and matched.startswith(relation + " ") else ""


def claim_label(key: tuple[str, ...], lexicon: Lexicon, condition: str = "", said: str = "") -> str:
    """Plain words for a normalised claim: "acupuncture releases endorphins"; for what
    the parse read, the words ``said`` of a statement ("reduces elevated triglycerides"),
    else the key's lemmas ("reduces elevate triglyceride").

    >>> from kb.nlp.lexicon import Concept
    >>> lex = Lexicon({"acu": Concept("acu", "acupuncture", "intervention"),
    ...                "endo": Concept("endo", "endorphin release", "mechanism",
    ...                                claim="{subject} releases endorphins")})
    >>> claim_label(("mechanism", "acu", "acts_by", "endo", ""), lex)
    'acupuncture releases endorphins'
    """
    _, subject, relation, obj, comparator = key
    concept = lexicon.concepts.get(obj)
    # A subject the lexicon does not know is a word of the text: "~turmeric" reads "turmeric".
    subject_label = lexicon.label(subject).lstrip("~") if subject else "the treatment"
    comparator_label = lexicon.label(comparator) if comparator else "the alternatives"
    if obj.startswith("~"):  # what the parse read: "turmeric reduces inflammation"
        return f"{subject_label} {said or relation + ' ' + obj[1:]}"
    if concept is None:
        return obj
    template = concept.claim or "{subject}: " + concept.label
    condition_label = lexicon.label(condition) if condition else "symptoms"
    return template.format(
        subject=subject_label, comparator=comparator_label, condition=condition_label
    )


def _main_condition(statements: list[Statement], lexicon: Lexicon) -> str:
    """The condition a claim's statements name most; ties go to the more general."""
    counts = Counter(s.qualifiers.condition for s in statements)
    counts.pop("", None)
    if not counts:
        return ""
    best = max(counts.values())
    return lexicon.broadest([c for c, n in counts.items() if n == best])


def content_words(text: str) -> frozenset[str]:
    """Normalised words (kb.nlp.words.WORD) of ``text`` without function words or words
    of one or two letters: what similarity compares.

    >>> sorted(content_words("It reduces the joint inflammation"))
    ['inflammation', 'joint', 'reduc']
    """
    kept = _CONTENT
    if len(kept) > 200_000:
        kept.clear()
    found = []
    for raw in WORD.findall(text):
        word = kept.get(raw)
        if word is None:  # one dict lookup per word: this runs on every statement
            norm = normalize_word(raw)
            # Both forms: "there" is a function word whose normal form ("ther") is not one.
            function = raw.lower() in FUNCTION_WORDS or norm in FUNCTION_WORDS
            word = kept[raw] = norm if not function and len(norm) > 2 else ""
        if word:
            found.append(word)
    return frozenset(found)


_CONTENT: dict[str, str] = {}  # raw word -> its normalised content word, "" for none


def _group_unnormalised(statements: list[Statement]) -> list[list[Statement]]:
    """Greedy single-pass clustering by word overlap, in reading order."""
    words = {s.id: content_words(s.quote) for s in statements}
    frequency = Counter(w for ws in words.values() for w in ws)
    # Words from rarest to commonest (ties by the word): a statement blocks on its first.
    rank = {w: n for n, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    by_rank = rank.__getitem__
    groups: list[list[Statement]] = []
    signatures: list[frozenset[str]] = []
    sizes: list[int] = []
    index: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for statement in statements:
        mine = words[statement.id]
        size = len(mine)
        # Only what is said of one subject groups: "There is evidence of a possible effect"
        # on a herb and "There is no evidence of such an effect" on socks are two claims.
        block = (statement.claim_type, statement.subject)
        rare = sorted(mine, key=by_rank)[:_BLOCKING_WORDS]
        candidates = set().union(*[index.get((*block, w), ()) for w in rare])
        best, best_score = -1, SIMILARITY
        for g in sorted(candidates):
            # Jaccard is at most the smaller size over the larger: a group far longer or
            # shorter cannot reach the best score (a third of candidates at 10,000 sources).
            # Divided, not multiplied: rounding is monotonic, so the bound never drops
            # below a score it allows, and ties go where they went without it.
            other = sizes[g]
            if (size / other if size < other else other / size) < best_score:
                continue
            # Jaccard without building the union; a candidate shares a word, so never 0/0.
            shared = len(mine & signatures[g])
            score = shared / (size + other - shared)
            if score >= best_score and groups[g][0].source != statement.source:
                best, best_score = g, score
        if best < 0:
            groups.append([statement])
            signatures.append(mine)
            sizes.append(size)
            best = len(groups) - 1
            for w in mine:
                index[(*block, w)].append(best)
        else:
            groups[best].append(statement)
    return groups


def _refinements(
    key: tuple[str, ...], keys: dict[tuple[str, ...], str], lexicon: Lexicon
) -> list[str]:
    """Ids of the nearest existing claims that ``key`` is a case of, through the lexicon's
    parents of its object, its subject and its comparator (in its source, for a key that
    names one: see assemble)."""
    claim_type, subject, relation, obj, comparator = key[:5]
    found: list[str] = []

    def first_existing(candidates: Iterable[tuple[str, ...]]) -> None:
        for candidate in candidates:
            candidate += key[5:]
            if candidate in keys and keys[candidate] not in found:
                found.append(keys[candidate])
                return

    concepts = lexicon.concepts

    def object_key(parent: str) -> tuple[str, ...]:
        concept = concepts[parent]
        return (concept.claim_type, subject, concept.relation, parent, comparator)

    first_existing(
        object_key(p) for p in lexicon.ancestors(obj) if p in concepts and concepts[p].makes_claims
    )
    first_existing((claim_type, p, relation, obj, comparator) for p in lexicon.ancestors(subject))
    if comparator:
        first_existing(
            (claim_type, subject, relation, obj, p) for p in lexicon.ancestors(comparator)
        )
    return found


def of_someone_unnamed(statement: Statement, lexicon: Lexicon) -> bool:
    """Whether a statement is said of a treatment nobody named, so that it is grouped only
    within its source: two sources' "the treatment carries a risk of infection" may be about
    two treatments. A concept of a topic's lexicon names it ("the needles stay in for 20
    minutes" is about acupuncture), and advice ("consult a doctor") is anyone's."""
    if statement.subject or statement.claim_type == "recommendation":
        return False
    concept = lexicon.concepts.get(statement.object)
    return concept is None or not concept.topic


def assemble(statements: list[Statement], lexicon: Lexicon) -> list[Claim]:
    """Group statements into claims, sorted by id; each claim lists its statement ids.
    The statements are not changed: ``linked`` gives them with their claim."""
    ordered = sorted(statements, key=lambda s: (s.source, s.start, s.id))
    claims: dict[str, Claim] = {}
    keys: dict[tuple[str, ...], str] = {}
    loose: list[Statement] = []
    for statement in ordered:
        if not statement.object:
            loose.append(statement)
            continue
        key = claim_key(statement)
        if of_someone_unnamed(statement, lexicon):
            key += (statement.source,)
        claim_id = keys.get(key)
        if claim_id is None:
            claim_id = keys[key] = _hash_id(*key)
            claims[claim_id] = Claim(
                id=claim_id,
                claim_type=key[0],
                label="",  # labelled below, once its statements are all known
                subject=key[1],
                relation=key[2],
                object=key[3],
                comparator=key[4],
                normalised=not key[3].startswith("~"),  # a proposition the parse read
            )
        claims[claim_id].statement_ids.append(statement.id)
    by_id = {s.id: s for s in statements}
    for key, claim_id in keys.items():
        claim = claims[claim_id]
        claim.refines = _refinements(key, keys, lexicon)
        members = [by_id[i] for i in claim.statement_ids]
        claim.label = claim_label(
            key[:5], lexicon, _main_condition(members, lexicon), _said(members[0], key[2])
        )
    for group in _group_unnormalised(loose):
        first = group[0]
        claim_id = _hash_id("~", first.id)
        label = " ".join(first.quote.split())
        claims[claim_id] = Claim(
            id=claim_id,
            claim_type=first.claim_type,
            label=label if len(label) <= 90 else label[:89].rstrip() + "…",
            subject=first.subject,
            normalised=False,
            statement_ids=[s.id for s in group],
        )
    return sorted(claims.values(), key=lambda c: c.id)


def linked(statements: list[Statement], claims: Iterable[Claim]) -> list[Statement]:
    """Copies of ``statements`` (in their order) pointing at their claim: ``claim_id``
    and the claim's label. The statements given are not changed."""
    claim_of = {i: claim for claim in claims for i in claim.statement_ids}
    out = []
    for statement in statements:
        copy = _copy(statement)  # a shallow copy: claims are computed again on every build
        claim = claim_of.get(statement.id)
        copy.claim_id, copy.claim = (claim.id, claim.label) if claim else (None, None)
        out.append(copy)
    return out


STAGE = Stage("claims", needs=("statements", "lexicon"), makes="claims", code=(__name__,))
