"""What a sentence does with the words of a claim: asserts, negates, hedges or reports
them, or only mentions them. Read from spaCy's dependency parse, for any topic.

The claim's words are followed up the parse to the sentence's root. On that path:

- **negation** is a ``neg`` child ("not", "never", "no better"), "no" on the word or on
  the subject of a verb ("No study has shown that..."), a negative predicate ("failed to
  reduce", "lack of", "X remain unproven"), or an evidence noun that says there is none
  ("little/no/insufficient evidence that..."), "hardly" or "scarcely" ("hardly any good
  studies"), or a denied "to be" ("Side effects are not to be expected"). Two negations
  cancel (one "no" is counted once, however the walk meets it). A negation off the
  path ("Turmeric, which is not a drug, reduces inflammation") negates something else.
- **not asserted**: the words lie in a question ("whether", "if"), an aim or topic of study
  ("tested whether", "designed to test", "to evaluate"), a purpose clause ("used to treat
  pain", "seeking acupuncture to relieve pain") or a modifier of a noun ("people seeking
  acupuncture to relieve pain have questions"): the sentence states nothing about them.
- **reported** when a verb of saying or finding with a subject governs them ("a review
  concluded that...", "was shown to"), "according to" hangs on the path, or an evidence
  noun frames them; **hedged** for a modal ("may", "might", "could"), a hedging verb or
  adverb ("appears", "suggests", "possibly"); else **asserted**.

>>> from kb.nlp.syntax import parse
>>> scope_at(parse("Acupuncture failed to reduce pain."), 22, 28).negated
True
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.nlp.method import (
    ALMOST_NOT,
    STUDIED,
    STUDY_NOUNS,
    TOPIC_VERBS,
    describes_method,
    is_method_part,
    is_passive,
)
from kb.nlp.syntax import child_of, head_of, is_infinitive, path_to_root

__all__ = [
    "ALMOST_NOT",
    "NEGATIVE_PREDICATES",
    "STUDY_NOUNS",
    "Scope",
    "asserted_clauses",
    "concedes",
    "describes_method",
    "frames_a_denial",
    "is_method_part",
    "main_anchor",
    "main_anchors",
    "scope_at",
    "scope_of",
]

Spans = tuple[tuple[int, int], ...] | list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Scope:
    """How a sentence treats a claim's words; ``why`` names the words that decided."""

    asserted: bool = True
    negated: bool = False
    certainty: str = "asserted"  # asserted | hedged | reported
    why: tuple[str, ...] = ()


_NEGATIVE_DETERMINERS = frozenset({"no", "neither", "never", "nor", "none"})
# Predicates that deny their complement or their subject's content.
NEGATIVE_PREDICATES = frozenset(
    """
    fail lack unproven unsubstantiated unsupported ineffective unable absent disprove refute
    unfounded baseless ineffectual useless unconfirmed undemonstrated inconclusive
    unconvincing insufficient undetectable unsafe unhelpful unsuccessful unlikely
    """.split()
)
# What says a claim is probable, not certain: "it is likely that X".
_PROBABLE = frozenset("likely possible probable plausible conceivable".split())
# What is said of a claim that leaves it open.
_OPEN = frozenset("unclear uncertain questionable doubtful debatable controversial".split())
# What is said of a claim to credit it; "not" on one of these denies the claim.
_CREDIBLE = frozenset("plausible proven established true correct credible convincing".split())
# What evidence that fails to show something is: "the evidence ... is poor".
_WEAK = frozenset("poor weak scant scarce lacking limited".split())
# Nouns that frame a claim as evidence for it: "evidence that X", "no proof of X".
_EVIDENCE_NOUNS = frozenset(
    "evidence proof support data indication sign claim claims finding findings".split()
)
# What says there is none of it: "little evidence", "insufficient proof".
_NONE_OF = frozenset(
    "no little insufficient inadequate scant scarce lacking minimal negligible".split()
)
_REPORT_VERBS = frozenset(
    """
    find show conclude report suggest indicate demonstrate say claim state note reveal
    confirm observe argue estimate establish prove document
    """.split()
)
_HEDGE_VERBS = frozenset(
    "appear seem tend believe think hypothesize speculate propose aim intend".split()
)
# Subjects that make a copula's complement a conjecture: "One theory is that X".
_CONJECTURES = frozenset("theory hypothesis belief idea possibility speculation".split())
_HEDGE_MODALS = frozenset("may might could".split())
_HEDGE_ADVERBS = frozenset(
    "possibly perhaps probably likely potentially presumably arguably conceivably".split()
)
_QUESTION_MARKS = frozenset({"whether", "if"})
# What is found out by judging, not by a finding: "cannot be determined" says it is unknown.
_JUDGED = frozenset("determine assess answer judge clarify quantify ascertain".split())
# Verbs whose infinitive is wished for, not said to happen.
_WANTING = frozenset("want wish hope try seek intend plan desire".split())
# Words that open an adverbial clause setting the condition or time the claim holds at.
_CONDITIONS = frozenset({"if", "unless", "when", "whenever", "once", "before", "after", "until"})
# Verbs whose "how"/"why" clause is asked about, not said: "nobody knows how it works"
# (where "it changes how we feel pain" says something).
_WONDER = frozenset(
    """
    know understand explain wonder ask learn question investigate explore examine study
    pinpoint predict tell determine say
    """.split()
)
_SUBORDINATE = frozenset({"ccomp", "acl", "relcl", "pcomp", "csubj", "csubjpass", "advcl"})
# Prepositions that say what a study looked at, not what it found ("with mixed results").
_STUDIED_AS = frozenset("in for as on against".split())
# Prepositions whose clause says when something is done, not what it does.
_CIRCUMSTANCES = frozenset("before after while until upon since".split())
# Verbs that only frame their complement: "there is evidence that X", "it does not mean X".
_FRAME_VERBS = frozenset("be mean imply".split())


def scope_at(doc, start: int, end: int, consumed: Spans = ()) -> Scope:
    """How the sentence ``doc`` treats the words at characters [start, end); negative
    words inside ``consumed`` spans belong to a phrase of their own and negate nothing."""
    return scope_of(head_of(doc, start, end), consumed)


def scope_of(anchor, consumed: Spans = ()) -> Scope:
    """How the sentence treats the word ``anchor`` (a spaCy Token) and what hangs on it."""
    if anchor is None:
        return Scope()
    negations: list[str] = []
    why_not: list[str] = []
    reported: list[str] = []
    hedged: list[str] = []
    path = path_to_root(anchor)
    text = anchor.doc.text  # (rare words checked on the text first: this runs per claim)
    came_by = ""  # the relation by which the walk entered the current token
    answered: int | None = None  # how many negations count: those below an open question
    for step, (token, relation) in enumerate(path):
        lemma = token.lemma_.lower()
        children = list(token.children)
        # A clause joined by "but", or with a subject of its own, is not negated or
        # hedged by the clause it is joined to: "It is not cheap, but it relieves pain";
        # nor is an adverbial clause opened by a conjunction by the clause it qualifies:
        # "Although long used in medicine, there is no evidence that it works". (One that
        # only elaborates shares its modality: "it may help, improving appetite".)
        below = path[step - 1][0] if step else None
        own_clause = (
            (came_by == "advcl" and _opens_own(below))
            or (came_by == "conj" and _stands_alone(below, token))
            # "Questions remain open; the study is not satisfactory": two sentences in one
            or (came_by in _JOINED and ";" in text and _semicolon_between(below, token))
        )
        previous = path[step - 1][0].i if step else -1  # the token the walk came from
        asked = False
        if not own_clause and "no means" in text and _by_no_means(token):
            negations.append("by no means")  # "this effect is by no means proven"
        for child in children:
            low = child.lower_
            if _inside(child, consumed) or (own_clause and child.dep_ in _CLAUSE_OWN):
                continue
            if child.dep_ == "neg":
                if not _starts_not_only(child):
                    negations.append(child.text)
            elif child.dep_ in ("det", "preconj") and low in _NEGATIVE_DETERMINERS:
                negations.append(child.text)  # "no", "It can neither relieve X nor Y"
            elif child.dep_ == "advmod" and low in ALMOST_NOT:
                negations.append(child.text)  # "there are hardly any good studies"
            elif (
                child.dep_ == "xcomp"
                and lemma == "be"
                and child.i != previous  # counted there
                and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)
                and any(g.dep_ == "neg" for g in child.children)
            ):
                negations.append(child.text)  # "Side effects are not to be expected."
            elif (
                child.dep_ in ("nsubj", "nsubjpass")
                and child.i != previous  # counted there
                and any(
                    g.dep_ == "det"
                    and g.lower_ in _NEGATIVE_DETERMINERS
                    and not _inside(g, consumed)
                    for g in child.children
                )
            ):
                negations.append(f"{child.text}: no")  # "No study has shown..."
            elif relation == "advcl" and child.dep_ in ("mark", "advmod") and low in _CONDITIONS:
                # "If you feel relief after one session, ...", "When the needles go in, ...":
                # the circumstance the claim is made under, not a claim.
                why_not.append(child.text)
            elif child.dep_ == "mark" and low in _QUESTION_MARKS:
                if relation in ("csubj", "csubjpass"):
                    # "Whether X works is still being studied": X, as an open question,
                    # which what is said of it does not answer ("has never been studied")
                    hedged.append(child.text)
                    asked = True
                elif low == "whether" or relation in ("ccomp", "dobj", "pcomp"):
                    why_not.append(child.text)  # asked, not said; a condition is not
            elif (child.dep_ == "aux" and low in _HEDGE_MODALS) or (
                child.dep_ == "advmod" and low in _HEDGE_ADVERBS
            ):
                hedged.append(child.text)
            elif child.dep_ == "prep" and low == "according":
                reported.append("according to")
        if (step or token.pos_ in ("NOUN", "ADJ") or _rules_out(token)) and _denies(
            token, consumed
        ):
            negations.append(token.text)  # "failed to reduce", "a lack of", "ineffective"
            if _rules_out(token) and any(c.dep_ == "neg" for c in children):
                hedged.append(token.text)  # "An effect cannot be ruled out": it may be
        for child in children:
            if own_clause or child.dep_ not in ("dobj", "attr") or child.i == previous:
                continue
            # "found no evidence that X", "studies find no evidence of X"; and "no" on
            # what the verb has or shows: "X has no effect on Y", "showed no response".
            none_of = _NONE_OF if child.lemma_.lower() in _EVIDENCE_NOUNS else _NEGATIVE_DETERMINERS
            if any(
                g.dep_ in ("det", "amod") and g.lower_ in none_of and not _inside(g, consumed)
                for g in child.children
            ):
                negations.append(f"no {child.text}")
        if (
            step
            and lemma == "be"
            and came_by in ("ccomp", "attr", "acomp")
            and any(c.dep_ == "nsubj" and c.lemma_.lower() in _CONJECTURES for c in children)
        ):
            hedged.append(token.text)
        if (
            token.pos_ == "ADJ"
            and lemma in _PROBABLE
            and (came_by == "xcomp" or any(c.dep_ == "xcomp" for c in children))
            and not any(c.lower_ in ("more", "less", "most", "least") for c in children)
        ):
            # "Whole grains are likely to lower the risk": from the verb it carries, or
            # from the adjective itself when the clause is read from it; "is more likely
            # to affect older men" compares chances, and says so without a hedge
            hedged.append(token.text)
        if step and lemma == "be" and came_by == "ccomp":
            # "It is unlikely that the virus came from pangolins": the clause is denied.
            negations += [c.text for c in children if c.dep_ == "acomp" and _denies(c, consumed)]
            # "It is likely that dairy products reduce the risk": said as probable; "it is
            # not plausible that X" denies X, whatever concept "not plausible" is part of.
            for c in children:
                if c.dep_ != "acomp" or c.lower_ not in _PROBABLE:
                    continue
                if any(g.dep_ == "neg" and not _inside(g, consumed) for g in children):
                    continue  # "It is not likely that X": that "not" is counted above
                denied = any(g.dep_ == "neg" for g in [*children, *c.children])
                (negations if denied else hedged).append(c.text)
        if came_by in ("nsubj", "nsubjpass", "csubj"):
            # The claim is the subject's content: "Claims that X remain unproven", "The
            # evidence linking X to Y is poor".
            failing = NEGATIVE_PREDICATES
            if path[step - 1][0].lemma_.lower() in _EVIDENCE_NOUNS:
                failing = NEGATIVE_PREDICATES | _WEAK
            for child in children:
                if child.dep_ in ("acomp", "attr", "oprd") and _denies(child, consumed, failing):
                    negations.append(child.text)
                elif child.dep_ == "acomp" and child.lemma_.lower() in _OPEN:
                    hedged.append(child.text)  # "The effectiveness of X is unclear"
                elif child.dep_ == "acomp" and child.lemma_.lower() in _CREDIBLE:
                    # "X and Y are scientifically not plausible" (the parse may hang "not"
                    # on the adjective rather than on "are")
                    negations += [g.text for g in child.children if g.dep_ == "neg"]
        if step and lemma in _EVIDENCE_NOUNS and came_by in ("acl", "prep", "ccomp", "relcl"):
            reported.append(token.text)
            for child in children:
                # "no" was counted above as any determiner is; "little" is counted here.
                if child.dep_ in ("det", "amod") and child.lower_ in _NONE_OF - {"no"}:
                    negations.append(f"{child.text} {token.text}")
        if step and came_by in ("ccomp", "xcomp", "dobj", "acl", "advcl", "pcomp"):
            if lemma in _REPORT_VERBS and _has_subject(token) and not is_passive(token):
                reported.append(token.text)  # "a review concluded that X"
            elif lemma in _REPORT_VERBS and token.tag_ == "VBN" and lemma != "suggest":
                reported.append(token.text)  # "X has been shown to": by others
            elif lemma == "suggest":
                hedged.append(token.text)  # "it has been suggested that X"
            elif lemma in _HEDGE_VERBS:
                hedged.append(token.text)
            elif lemma in TOPIC_VERBS and token.pos_ == "VERB":
                why_not.append(token.text)  # what a study looks at, not what it found
            elif lemma == "use" and came_by in ("xcomp", "advcl"):
                why_not.append(token.text)  # "used to treat pain": a use, not a result
            elif lemma in _WANTING and came_by == "xcomp":
                why_not.append(token.text)  # "women who want to relieve symptoms": a wish
        elif step and came_by == "nsubjpass" and lemma in STUDIED and token.pos_ == "VERB":
            why_not.append(token.text)  # "Its effectiveness has hardly been researched"
        elif step and came_by == "nsubjpass" and lemma in _JUDGED and negations:
            # "Neither effects nor side effects can be reliably determined": not known either
            # way, an open question that states neither ("has not been shown" does deny)
            negations.clear()
            why_not.append(token.text)
        elif (
            step
            and came_by == "prep"
            and lemma in STUDIED
            and token.pos_ == "VERB"
            and path[step - 1][0].lower_ in _STUDIED_AS
        ):
            why_not.append(token.text)  # "Studies have investigated X in treating pain"
        if (
            relation in _SUBORDINATE
            and (token.head.pos_ in ("NOUN", "ADP") or token.head.lemma_.lower() in _WONDER)
            and any(c.dep_ == "advmod" and c.i < token.i and _asks(c) for c in children)
        ):
            why_not.append(token.text)  # "the theories behind why it reduces pain": a topic
        if relation == "advcl" and is_infinitive(token):
            why_not.append(token.text)  # "...to increase their effectiveness": why, not what
        if relation == "pcomp" and token.head.lower_ in _CIRCUMSTANCES:
            why_not.append(token.text)  # "before exploring it as a treatment": a circumstance
        if (
            relation == "acl"
            and token.pos_ == "VERB"
            and token.head.dep_ in ("nsubj", "nsubjpass")
            and token.head.lemma_.lower() not in _EVIDENCE_NOUNS
        ):
            why_not.append(token.text)  # who the subject is: "people seeking X have..."
        came_by = relation
        if asked:
            answered = len(negations)
    if answered is not None:
        negations = negations[:answered]
    certainty = "reported" if reported else "hedged" if hedged else "asserted"
    return Scope(
        asserted=not why_not,
        negated=len(negations) % 2 == 1,
        certainty=certainty,
        why=tuple(negations + why_not + reported + hedged),
    )


# What one clause has and a clause joined to it does not share.
_CLAUSE_OWN = frozenset({"neg", "det", "nsubj", "nsubjpass", "aux", "advmod", "mark"})
_JOINED = frozenset({"ccomp", "parataxis", "conj"})  # clauses the parse joins to another


def _by_no_means(token) -> bool:
    """Whether "by no means" hangs on ``token``, or on its subject or auxiliary (where the
    parser often puts it: "X by no means relieves", "X is by no means proven")."""
    near = [token, *(c for c in token.children if c.dep_ in _NEAR_VERB)]
    return any(_is_no_means(by) for word in near for by in word.children)


_NEAR_VERB = frozenset({"aux", "auxpass", "nsubj", "nsubjpass"})


def _is_no_means(by) -> bool:
    means = child_of(by, ("pobj",)) if by.lower_ == "by" else None
    said = {c.lower_ for c in means.children} if means is not None else set()
    return means is not None and means.lower_ == "means" and "no" in said


def _semicolon_between(a, b) -> bool:
    low, high = sorted((a.i, b.i))
    return any(t.text == ";" for t in a.doc[low + 1 : high])


def _stands_alone(conjunct, head) -> bool:
    return _has_subject(conjunct) or any(
        c.dep_ == "cc" and c.lower_ in ("but", "yet", "whereas", "although") for c in head.children
    )


def _asks(adverb) -> bool:
    """ "why", "how", or an adverb that "how" asks about ("how well", "how often")."""
    return adverb.lower_ in ("why", "how") or any(
        c.dep_ == "advmod" and c.lower_ == "how" for c in adverb.children
    )


def _opens_own(clause) -> bool:
    """Whether an adverbial clause has a conjunction ("although", "because") or a subject."""
    return _has_subject(clause) or child_of(clause, ("mark",)) is not None


def _denies(token, consumed: Spans, predicates: frozenset = NEGATIVE_PREDICATES) -> bool:
    """Whether a word is a negative predicate ("failed", "unproven") of its own, not one of a
    concept's phrase ("inconclusive" in "mixed or inconclusive")."""
    denies = token.lemma_.lower() in predicates or _rules_out(token)
    return denies and not _inside(token, consumed)


def _rules_out(token) -> bool:
    """ "rule out" denies what it rules out: "cannot be ruled out" leaves it possible."""
    return token.lemma_.lower() == "rule" and any(
        c.dep_ == "prt" and c.lower_ == "out" for c in token.children
    )


def _inside(token, spans: Spans) -> bool:
    return any(start <= token.idx < end for start, end in spans)


def _starts_not_only(token) -> bool:
    """ "not only X but also Y" affirms X."""
    doc = token.doc
    return token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "only"


def _has_subject(token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def main_anchor(doc):
    """The word that carries what the sentence says: its root, or, when the root only
    reports or frames it ("A review concluded that X", "There is little evidence that X",
    "Claims that X remain unproven"), the verb of X. None for an empty doc."""
    roots = [t for t in doc if t.head.i == t.i]
    if not roots:
        return None
    token = roots[0]
    # "X has been studied in many trials, but the results were negative": what comes after
    # "but" is what the sentence says.
    if any(c.dep_ == "cc" and c.lower_ in ("but", "yet") for c in token.children):
        token = child_of(token, ("conj",)) or token
    if _is_part_label(token):
        # "FINDINGS: 154 patients were included": what follows the abstract's label
        token = child_of(token, ("acl", "appos", "relcl", "ccomp")) or token
    return _content(token)


def _is_part_label(token) -> bool:
    """A structured abstract's part label the parser took for the sentence's root."""
    after = token.doc[token.i + 1 : token.i + 2].text
    return token.text.isupper() and len(token.text) > 3 and after == ":"


def frames_a_denial(doc, words, content, consumed: Spans = ()) -> bool:
    """Whether ``words`` (a match: characters ``start`` to ``end``; None for none) frame a
    ``content`` (the sentence's main_anchor) that the sentence denies where they are not
    denied: "Studies suggest that green tea cannot reduce the risk" is evidence that it
    does not work.

    >>> from kb.nlp.match import Match
    >>> from kb.nlp.syntax import parse
    >>> doc = parse("Studies suggest that green tea cannot reduce the risk of cancer.")
    >>> frames_a_denial(doc, Match("x", 0, 15, 0, 1), main_anchor(doc))
    True
    """
    inside = [t for t in doc if words and t.idx < words.end and t.idx + len(t) > words.start]
    if not inside or content is None:
        return False
    # The highest of the words: "suggest" in "studies suggest", whatever "studies" hangs on.
    frame = min(inside, key=lambda t: sum(1 for _ in t.ancestors))
    if frame not in content.ancestors:
        return False
    return scope_of(content, consumed).negated and not scope_of(frame, consumed).negated


def asserted_clauses(doc, consumed: Spans = ()) -> list[tuple[object, Scope]]:
    """The main clauses a sentence asserts (see main_anchors), each with how it reads
    them; not those that ask, aim or describe how a study was done."""
    readings = [(anchor, scope_of(anchor, consumed)) for anchor in main_anchors(doc)]
    return [(a, r) for a, r in readings if r.asserted and not describes_method(a)]


def main_anchors(doc) -> list:
    """The words that carry each claim a sentence makes: its root's and those of the
    clauses joined to it ("Omega-3 reduces triglycerides but does not change LDL": reduces,
    change), each past what only reports or frames it (see main_anchor)."""
    roots = [t for t in doc if t.head.i == t.i]
    if not roots:
        return []
    heads = [roots[0]] + [
        c
        for c in roots[0].children
        if (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")) or concedes(c)
    ]
    return [_content(token) for token in heads]


# Conjunctions whose clause the sentence asserts as well as its main one: "Although long
# used in medicine, there is no evidence that it works" says both.
_CONCESSIVE = frozenset({"although", "though", "while", "whereas"})


def concedes(clause) -> bool:
    """Whether a clause is a concession the sentence asserts ("Although long used...")."""
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in clause.children
    )


def _content(token):
    """The word past the reports and frames above it ("A review concluded that X")."""
    for _ in range(4):  # report within frame within report: a few levels at most
        lemma = token.lemma_.lower()
        nxt = None
        if lemma in _REPORT_VERBS or lemma in _HEDGE_VERBS or lemma in _FRAME_VERBS:
            nxt = child_of(token, ("ccomp", "xcomp")) or _evidence_content(token)
        elif lemma in TOPIC_VERBS:  # "Whether X works is still being studied": X
            nxt = child_of(token, ("ccomp", "csubj", "csubjpass"))
        elif lemma in NEGATIVE_PREDICATES:
            nxt = child_of(token, ("xcomp",))
        elif _rules_out(token):  # "could not rule out that X": X, as possible
            nxt = child_of(token, ("ccomp",))
        elif lemma in ("remain", "be"):
            nxt = _subject_content(token)
        if nxt is None:
            nxt = _subject_content(token) if _negative_complement(token) else None
        if nxt is None and lemma == "be":
            # A copula carries nothing: "X was no better than sham" says "better".
            nxt = child_of(token, ("acomp", "attr"))
            if nxt is not None and nxt.lemma_.lower() in _EVIDENCE_NOUNS:
                nxt = None
        if nxt is None:
            break
        token = nxt
    return token


def _evidence_content(token):
    """The content clause of an evidence noun the verb has: "is [no evidence that X]"."""
    for child in token.children:
        if child.lemma_.lower() in _EVIDENCE_NOUNS:
            content = child_of(child, ("acl", "ccomp", "relcl"))
            if content is not None:
                return content
    return None


def _subject_content(token):
    """What a subject says when a predicate judges it: the content of "claims that X",
    or "the effect of X on Y" itself."""
    subject = child_of(token, ("nsubj", "nsubjpass"))
    if subject is not None and subject.lemma_.lower() in _EVIDENCE_NOUNS:
        return child_of(subject, ("acl", "ccomp", "relcl"))
    if subject is not None and subject.lemma_.lower() in _EFFECT_NOUNS:
        return subject
    return None


# Nouns that are themselves a claim: "The effect of X on Y is inconclusive".
_EFFECT_NOUNS = frozenset(
    "effect benefit role link association impact efficacy effectiveness".split()
)


def _negative_complement(token) -> bool:
    return any(
        c.dep_ in ("acomp", "attr", "oprd") and c.lemma_.lower() in NEGATIVE_PREDICATES
        for c in token.children
    )
