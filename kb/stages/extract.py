"""Sentences → Statements: typed, hedged, negated, quantified, attributed.

Per sentence or list item:
1. Headings, questions and page furniture ("Contact our team") make no statement.
2. Lexicon concepts are found. Concepts of a claim-making category (mechanism, outcome,
   safety, procedure, evidence, advice) each give a statement whose object is the concept;
   qualifier concepts (intervention, condition, comparator, ...) fill subject and qualifiers.
3. A list item's label ("Release of Natural Opioids:") decides the claim its body states.
4. The subject is the intervention named in the sentence, or else the document's main
   intervention: that is how "it", "the process" and "the needles" are resolved.
5. The sentence's dependency parse (kb.nlp.scope) says whether it asserts the claim's
   words at all (not in a purpose, an aim of a study, a question or a noun's modifier),
   and its polarity and certainty there; attribution from "according to X" / "X
   concluded", quantities from the sentence.
A sentence no concept covers gives statements when cue words type it (_Context.unnormalised).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from kb.model import Qualifiers, Quantity, Sentence, Source, Statement, statement_id
from kb.nlp import cues, scope, syntax
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import Match, PhraseMatcher, Tokens, drop_contained, tokenize
from kb.nlp.quantities import find_quantities
from kb.nlp.scope import Scope, concedes, main_anchor
from kb.nlp.stated import stated_claims
from kb.nlp.subject import about_topic, acting, said_of_topic
from kb.nlp.target import target_of
from kb.nlp.topic import DASHES, title_topic
from kb.stages import Document, Stage

__all__ = ["STAGE", "Extractor"]

_FURNITURE = "~furniture"
_CUE = "~cue:"

_MIN_WORDS_UNNORMALISED = 5
# Claim types whose subject is the treatment a clause names as acting (see _acting).
_ACTS = frozenset({"efficacy", "safety"})


@dataclass(frozen=True, slots=True)
class _Found:
    """Matches of one sentence, split by role: claim concepts, qualifier concepts, and cues
    (furniture, claim-type cue words, hedge/purpose/idiom phrases)."""

    claims: list[Match]
    qualifiers: list[Match]
    cues: list[Match]


class Extractor:
    """Holds a lexicon's matchers; build once, call ``extract`` per source."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # Everything a sentence is searched for, in one matcher: one pass per sentence.
        # Cue keys start with "~", which no concept id can (ids are YAML words).
        self._all = PhraseMatcher(
            {
                **{c.id: c.phrases for c in lexicon.concepts.values()},
                _FURNITURE: lexicon.furniture,
                **{_CUE + t: phrases for t, phrases in lexicon.cues.items()},
                **cues.PHRASE_CUES,
            }
        )
        self._context_cache: dict[str, list[Match]] = {}
        self._label_cache: dict[str, str] = {}
        self._cue_order = {claim_type: i for i, claim_type in enumerate(lexicon.cues)}

    @cached_property
    def interventions(self) -> frozenset[str]:
        concepts = self.lexicon.concepts.values()
        return frozenset(c.id for c in concepts if c.category == "intervention")

    # -- per sentence

    def _find(self, text: str, tokens: Tokens) -> _Found:
        concepts = self.lexicon.concepts
        everything = self._all.find(text, tokens)
        matches = [m for m in everything if m.key in concepts]
        cue_matches = [m for m in everything if m.key not in concepts]
        # A phrase inside a longer one of the same claim type is part of it ("side effects"
        # in "few side effects"); of another type, it is a claim of its own ("has proved"
        # in "has proved to help" is evidence as well as efficacy).
        by_type: dict[str, list[Match]] = {}
        for m in matches:
            if concepts[m.key].makes_claims:
                by_type.setdefault(concepts[m.key].claim_type, []).append(m)
        claims = sorted(
            (m for group in by_type.values() for m in drop_contained(group)),
            key=lambda m: (m.start, -m.end, m.key),
        )
        qualifiers = drop_contained([m for m in matches if not concepts[m.key].makes_claims])
        # Words that name a condition claim nothing: "lower back pain" is no "lower ... pain".
        named = [(m.start, m.end) for m in qualifiers if concepts[m.key].category == "condition"]
        claims = [m for m in claims if not any(a <= m.start and m.end <= b for a, b in named)]
        return _Found(claims, qualifiers, cue_matches)

    def _claim_matches(self, found: _Found, text: str, tokens: Tokens) -> list[Match]:
        """The claim concepts a sentence may state, outside purpose clauses."""
        claims = found.claims
        purpose = cues.purpose_start(found.cues)
        if purpose >= 0 and any(m.start < purpose for m in claims):
            claims = [m for m in claims if m.start < purpose]
        concepts = self.lexicon.concepts
        return [  # a concept may be matched twice: the first asserted match states it
            m
            for m in claims
            if concepts[m.key].claim_type != "efficacy" or not cues.is_topic_only(tokens, m.first)
        ]

    def cue_type(self, found: _Found, within: tuple[int, int] | None = None) -> str:
        """The first claim type (in lexicon order) whose cue words occur (``within`` those
        characters of the sentence, when given), or ""."""
        types = {
            m.key[len(_CUE) :]
            for m in found.cues
            if m.key.startswith(_CUE) and (within is None or within[0] <= m.start < within[1])
        }
        return min(types, key=self._cue_order.__getitem__) if types else ""

    def context_concepts(self, text: str) -> list[Match]:
        """Concepts of a label or section heading; these repeat, so they are cached."""
        cached = self._context_cache.get(text)
        if cached is None:
            if len(self._context_cache) > 10_000:
                self._context_cache.clear()
            concepts = self.lexicon.concepts
            found = [m for m in self._all.find(text) if m.key in concepts]
            cached = self._context_cache[text] = found
        return cached

    # -- per document

    def main_intervention(self, found: Iterable[_Found]) -> str:
        """The intervention a document is about: the one it names most often."""
        concepts = self.lexicon.concepts
        counts: Counter[str] = Counter(
            m.key
            for f in found
            for m in f.qualifiers
            if m.key in self.interventions and not concepts[m.key].generic
        )
        if not counts:
            return ""
        best = max(counts.values())
        # Ties go to the most general: "acupuncture" over "electroacupuncture".
        return self.lexicon.broadest([c for c, n in counts.items() if n == best])

    def _main_subject(self, source: Source, found: list[_Found], nouns: frozenset[str]) -> str:
        """What a document is about: the intervention of the lexicon it names most, unless
        its title names something else the text repeats (an article on massage that
        mentions surgery often is about massage, not surgery). ``nouns`` are the words its
        parsed sentences use as nouns: a title word that is not one ("Cardiac Injury in
        COVID-19") names no topic."""
        named = self.main_intervention(found)
        topic = title_topic(source, nouns)
        if not named or not topic:
            return named or topic
        title = self.context_concepts(source.title) if source.title else []
        if any(m.key == named or named in self.lexicon.ancestors(m.key) for m in title):
            return named
        return topic

    def extract(self, source: Source, units: list[Sentence]) -> list[Statement]:
        """The statements of one source, in reading order.

        >>> from kb.nlp.lexicon import Concept
        >>> from kb.nlp.segment import split_units
        >>> lex = Lexicon({"acu": Concept("acu", "acupuncture", "intervention", ("acupuncture",)),
        ...                "endo": Concept("endo", "endorphins", "mechanism", ("endorphins",),
        ...                                claim_type="mechanism")})
        >>> src = Source(id="a", text="Acupuncture may release endorphins.", sha256="x")
        >>> [(s.claim_type, s.subject, s.object, s.certainty)
        ...  for s in Extractor(lex).extract(src, split_units(src.text))]
        [('mechanism', 'acu', 'endo', 'hedged')]
        """
        # One pass finds every unit's concepts: the main intervention needs them all.
        analysed = []
        for unit in units:
            tokens = tokenize(unit.text)
            analysed.append((unit, tokens, self._find(unit.text, tokens)))
        plans = [
            plan
            for unit, tokens, found in analysed
            if unit.kind in ("sentence", "item")  # headings and furniture state nothing
            # nor does a title too long to look like a heading (it has no full stop)
            and not (unit.text == source.title and unit.text[-1] not in ".!")
            and (plan := self._plan(unit, tokens, found)) is not None
        ]
        # The parse is the costliest step: only what may state something, in one batch.
        docs = list(syntax.parser().pipe((plan.unit.text for plan in plans), batch_size=256))
        nouns = frozenset(
            t.lower_.translate(DASHES)
            for doc in docs
            for t in doc
            if t.pos_ in ("NOUN", "PROPN") or "-" in t.text
        )
        main = self._main_subject(source, [found for _, _, found in analysed], nouns)
        statements: list[Statement] = []
        for plan, doc in zip(plans, docs, strict=True):
            statements.extend(self._statements(source, plan, doc, main))
        return statements

    def _plan(self, unit: Sentence, tokens: Tokens, found: _Found) -> _Plan | None:
        """What a unit may state, from its words alone; None when it states nothing."""
        text = unit.text
        if text.rstrip().endswith("?"):
            return None  # a question asks; it does not claim
        if scope.is_method_part(text):
            return None  # "METHODS: We did a randomised trial...": how, not what was found
        if any(m.key == _FURNITURE for m in found.cues):
            return None
        claims = self._claim_matches(found, text, tokens)
        # The label names the claim the item's sentences support ("Release of Natural
        # Opioids: The process may..."), whether or not the body repeats its words.
        label_claim = self._label_claim(unit.label)
        claims = [m for m in claims if m.key != label_claim]
        # No concept claims anything: half of all sentences of abstracts stop here, before
        # the parse, as no cue word types them.
        claim_type = "" if claims or label_claim else self._loose_type(tokens, found)
        if not (claims or label_claim or claim_type):
            return None
        return _Plan(unit, tokens, found, claims, label_claim, claim_type)

    def _loose_type(self, tokens: Tokens, found: _Found) -> str:
        """The type cue words give a sentence no concept covers (it works, harms, was
        studied...); "" when it only describes ("Turmeric is a plant of the ginger family")."""
        return self.cue_type(found) if tokens.words() >= _MIN_WORDS_UNNORMALISED else ""

    def _statements(self, source: Source, plan: _Plan, doc, main: str) -> list[Statement]:
        unit, text = plan.unit, plan.unit.text
        subject, subject_from = self._subject(text, plan.found, main)
        context = _Context.of(
            self, source, unit, text, plan.tokens, plan.found, subject, subject_from, main, doc
        )
        if scope.describes_method(context.anchor):
            return []  # how a study was done ("Patients were randomised to..."), not a claim
        # A topic's concepts read only documents on it ("intake" in one on omega-3 is no
        # step of an acupuncture visit): the sentence is read as if no concept covered it.
        applies = self.lexicon.applies
        claims = [m for m in plan.claims if applies(m.key, main)]
        label_claim = plan.label_claim if applies(plan.label_claim or "", main) else ""
        if not claims and not label_claim:
            claim_type = plan.claim_type or self.cue_type(plan.found)
            return context.unnormalised(claim_type) if claim_type else []
        claims = stated_claims(doc, claims, self.lexicon, named_by_label=bool(label_claim))
        out: list[Statement] = []
        if label_claim:
            out.extend(context.statements(label_claim, None, len(out)))
        stated: set[str] = set()
        for match in claims:
            if match.key in stated:
                continue
            # "how it works ..., but it relieves pain": the first match says nothing there.
            made = context.statements(match.key, match, len(out))
            if made:
                stated.add(match.key)
            out.extend(made)
        if out and all(s.claim_type == "evidence" for s in out):
            # "no good evidence that it prevents cancer": what it is about is a claim too
            out.extend(context.unnormalised("other", first=len(out), effects_only=True))
        return out

    def _subject(self, text: str, found: _Found, main: str) -> tuple[str, str]:
        """Who a sentence's statements are about, and the words that refer to it when
        they are not its name ("the treatment", "it"); the main intervention by default.
        A name more general than the main intervention refers back to it: "the treatment"
        in an article about acupuncture is acupuncture."""
        lexicon = self.lexicon

        def is_generic(key: str) -> bool:
            return lexicon.concepts[key].generic or key in lexicon.ancestors(main)

        interventions = [m for m in found.qualifiers if m.key in self.interventions]
        named = [m for m in interventions if not is_generic(m.key)]
        if named:
            return named[0].key, ""
        generic = [m for m in interventions if main and is_generic(m.key)]
        if generic:
            return main, text[generic[0].start : generic[0].end]
        return main, cues.anaphor(text)

    def _label_claim(self, label: str) -> str:
        if not label:
            return ""
        if label not in self._label_cache:
            if len(self._label_cache) > 10_000:
                self._label_cache.clear()
            tokens = tokenize(label)
            claims = self._claim_matches(self._find(label, tokens), label, tokens)
            self._label_cache[label] = claims[0].key if claims else ""
        return self._label_cache[label]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a unit may state, decided from its words before it is parsed."""

    unit: Sentence
    tokens: Tokens
    found: _Found
    claims: list[Match]  # the concepts it states
    label_claim: str  # the concept its list item's label states, "" for none
    claim_type: str  # for a unit no concept covers: the type its cue words give


@dataclass
class _Context:
    """What every statement of one sentence shares."""

    extractor: Extractor
    source: Source
    unit: Sentence
    text: str
    tokens: Tokens
    found: _Found
    subject: str
    subject_from: str
    main: str  # what the document is about
    doc: Any  # the sentence's dependency parse (a spaCy Doc)
    attribution: str
    consumed: set[int]

    @classmethod
    def of(
        cls,
        extractor: Extractor,
        source: Source,
        unit: Sentence,
        text: str,
        tokens: Tokens,
        found: _Found,
        subject: str,
        subject_from: str,
        main: str,
        doc: Any,
    ) -> _Context:
        who = cues.attribution(text, tokens)
        spans = [(m.first, m.last) for m in found.claims + found.qualifiers]
        consumed = cues.consumed_negators(tokens, spans, found.cues)
        return cls(extractor, source, unit, text, tokens, found, subject, subject_from, main,
                   doc, who, consumed)  # fmt: skip

    @property
    def lexicon(self) -> Lexicon:
        return self.extractor.lexicon

    @cached_property
    def condition(self) -> str:
        return self._qualifier("condition")

    @cached_property
    def population(self) -> str:
        return self._qualifier("population")

    @cached_property
    def sentence_quantities(self) -> list[Quantity]:
        return find_quantities(self.text)

    def _qualifier(self, category: str, contexts: tuple[str, ...] = ()) -> str:
        """The most specific concept of ``category`` in the sentence, else in its list
        label, else in its section heading, else in ``contexts``."""
        concepts = self.lexicon.concepts
        ids = [m.key for m in self.found.qualifiers if concepts[m.key].category == category]
        for context in (self.unit.label, self.unit.section, *contexts):
            if ids or not context:
                continue
            found = self.extractor.context_concepts(context)
            ids = [m.key for m in found if concepts[m.key].category == category]
        ids = self.lexicon.most_specific(ids)
        return ids[0] if ids else ""

    def _refined(self, concept_id: str, condition: str) -> str:
        """A concept's more specific variant for the condition, if the lexicon has one
        ("where the needles go" for low back pain → "points for lower back pain")."""
        concept = self.lexicon.concepts[concept_id]
        for wanted, specific in concept.refine_by_condition:
            if condition and self.lexicon.is_a(condition, wanted):
                return specific
        return concept_id

    def _comparators(self, match: Match | None) -> list[tuple[str, Match | None]]:
        """Comparators after a comparative phrase (the most general of a family), each
        with the match that reaches it: "more effective than ... sham acupuncture"."""
        if match is None:
            return [("", None)]
        found: dict[str, Match] = {}
        for m in self.found.qualifiers:
            concept = self.lexicon.concepts[m.key]
            is_other = concept.category == "comparator" or (
                m.key in self.extractor.interventions and m.key != self.subject
            )
            if is_other and m.start >= match.start:
                found.setdefault(m.key, m)
        ids = self.lexicon.most_general(list(found))
        return [(c, found[c]) for c in ids] or [("", match)]

    def _quantities(self, concept_id: str) -> list[Quantity]:
        """Quantities of the dimension the concept carries; all of them for a statement no
        concept covers; none for a concept that carries none."""
        concept = self.lexicon.concepts.get(concept_id)
        if concept is not None and not concept.quantity:
            return []
        found = self.sentence_quantities
        if concept is not None:
            found = [q for q in found if q.dimension == concept.quantity]
        # Quantity offsets are within the sentence; statements index the source.
        return [q.shifted(self.unit.start) for q in found]

    def _about_the_topic(self) -> bool:
        """Whether a sentence no concept covers speaks of the topic (kb.nlp.subject)."""
        return about_topic(
            self.anchor, self.source.text, self.main, lambda: self._acting_at(self.anchor, True)
        )

    def _acting(self, match: Match | None, new: bool) -> str:
        """The treatment the clause at ``match`` (its main one for None) says acts, as a
        lexicon concept or as its words; "" for none (see kb.nlp.subject.acting)."""
        if match is None:
            return self._acting_at(self.anchor, new)
        return acting(self.doc, match.start, match.end, self._named, self.main, new)

    def _acting_at(self, word, new: bool) -> str:
        """The same, for the clause of the parse's token ``word``."""
        if word is None:
            return ""
        return acting(self.doc, word.idx, word.idx + len(word), self._named, self.main, new)

    def _named(self, words: str) -> str:
        """The lexicon's (non-generic) intervention ``words`` name, or ""."""
        concepts = self.lexicon.concepts
        named = [  # "physical therapy" is not the lexicon's generic "treatment"
            m.key
            for m in self.extractor.context_concepts(words)
            if m.key in self.extractor.interventions and not concepts[m.key].generic
        ]
        return named[0] if named else ""

    def _statement(self, n: int, qualifiers: Qualifiers, subject: str = "", **fields) -> Statement:
        unit = self.unit
        subject = subject or self.subject
        qualifiers = replace(
            qualifiers,
            # No concept covers it: grouped by what the parse says it says, or by wording.
            normalised=bool(fields["object"]) and not fields["object"].startswith("~"),
            list_label=unit.label,
            subject_from=self.subject_from if subject == self.subject and subject else "",
        )
        return Statement(
            id=statement_id(self.source.id, self.source.sha256, unit.start, unit.end, n),
            source=self.source.id,
            quote=self.source.text[unit.start : unit.end],
            start=unit.start,
            end=unit.end,
            subject=subject,
            attribution=self.attribution,
            qualifiers=qualifiers,
            section=unit.section,
            label=unit.label,
            **fields,
        )

    @cached_property
    def anchor(self):
        """The word that carries what the sentence says (kb.nlp.scope.main_anchor)."""
        return main_anchor(self.doc)

    @cached_property
    def consumed_spans(self) -> list[tuple[int, int]]:
        """Character spans whose negative words belong to a phrase of their own (a concept
        such as "not fully understood", an idiom such as "do not forget")."""
        return [(self.tokens.starts[i], self.tokens.ends[i]) for i in sorted(self.consumed)]

    def reading(self, match: Match | None) -> Scope:
        """How the sentence treats a match's words, or its main assertion for none."""
        if match is None:
            return scope.scope_of(self.anchor, self.consumed_spans)
        return scope.scope_at(self.doc, match.start, match.end, self.consumed_spans)

    def certainty_of(self, reading: Scope) -> str:
        """Reported when someone is named as saying it or the parse says so; hedged when
        the path to it hedges or the sentence has a hedging phrase ("said to")."""
        if self.attribution or reading.certainty == "reported":
            return "reported"
        if reading.certainty == "hedged" or any(m.key == cues.HEDGE for m in self.found.cues):
            return "hedged"
        return "asserted"

    def statements(self, concept_id: str, match: Match | None, n: int) -> list[Statement]:
        reading = self.reading(match)
        if not reading.asserted:
            return []  # a purpose, a question, an aim of a study: it states nothing here
        condition = self.condition
        # "It works" in an article titled "... for Back Pain" says it works for back pain.
        said_of = condition or self._qualifier("condition", (self.source.title,))
        concept = self.lexicon.concepts[self._refined(concept_id, said_of)]
        # "Studies suggest that X cannot reduce...": evidence that it does not work.
        negated = reading.negated != (concept.category == "evidence" and scope.frames_a_denial(
            self.doc, match, self.anchor, self.consumed_spans))  # fmt: skip
        # Whether a treatment works or harms is said of the treatment that the clause says
        # acts; any claim is the topic's when the clause's subject names the topic.
        acting = self._acting(match, new=concept.claim_type in _ACTS)
        comparators = self._comparators(match) if concept.comparative else [("", match)]
        relation, obj = concept.relation, concept.id
        if concept.by_target and not said_of and match is not None:
            # "beneficial in preventing heart disease", "effective for dry eye": two claims.
            subject = self.lexicon.label(acting).lstrip("~")
            if target := target_of(self.doc, match.start, match.end, subject):
                relation, obj = concept.by_target, "~" + target[0]
        return [
            self._statement(
                n + i,
                subject=acting,
                certainty=self.certainty_of(reading),
                claim_type=concept.claim_type,
                relation=relation,
                object=obj,
                polarity="negated" if negated else "affirmed",
                quantities=self._quantities(concept.id),
                qualifiers=Qualifiers(
                    comparator=comparator,
                    condition=condition,
                    population=self.population,
                    # The words that made this claim: why a reader sees it here.
                    matched=self.text[match.start : reach.end] if match else self.unit.label,
                    matched_span=_span(match, reach, self.unit),
                ),
            )
            for i, (comparator, reach) in enumerate(comparators)
        ]

    def unnormalised(
        self, claim_type: str, first: int = 0, effects_only: bool = False
    ) -> list[Statement]:
        """Statements no concept covers, one per claim the sentence makes ("Omega-3 reduces
        triglycerides but does not change LDL" makes two), of the type its words give, from
        statement number ``first``; with ``effects_only``, only what a treatment does and
        what a concession says. The caller has checked the sentence can make one."""
        if not self._about_the_topic():
            return []
        # What each clause says of its subject, when the parse names it ("reduces" +
        # "inflammation"): statements that say the same group under it, whatever their
        # words; a sentence where no clause names one is grouped by its wording.
        asserted = scope.asserted_clauses(self.doc, self.consumed_spans)
        acts = [(a, r, self._acting_at(a, True)) for a, r in asserted]
        clauses = [(a, r, s, said_of_topic(a, self.main, bool(s))) for a, r, s in acts]
        out: list[Statement] = []
        seen: set[tuple[str, str]] = set()
        for anchor, reading, subject, said in clauses:
            relation, obj, words = said or ("", "", "")
            if effects_only and relation not in syntax.PREDICATE_TYPES and not concedes(anchor):
                continue
            if (relation, obj) in seen or (not said and any(c[3] for c in clauses)):
                continue  # a joined clause that names nothing adds nothing
            seen.add((relation, obj))
            # The type is what is said, not who says it: the verb first, else the cue words.
            said_type = self.extractor.cue_type(self.found, syntax.span_of(anchor))
            out.append(
                self._statement(
                    first + len(out),
                    subject=subject,
                    certainty=self.certainty_of(reading),
                    claim_type=syntax.PREDICATE_TYPES.get(relation, said_type or claim_type)
                    or "other",
                    relation=relation,
                    object="~" + obj if obj else "",
                    polarity="negated" if reading.negated else "affirmed",
                    quantities=self._quantities(""),
                    qualifiers=Qualifiers(
                        condition=self.condition, matched=f"{relation} {words}" if said else ""
                    ),
                )
            )
        return out


def _span(match: Match | None, reach: Match | None, unit: Sentence) -> tuple[int, int]:
    """Source offsets of the matched words, through ``reach`` (a comparator); the whole
    unit for a claim that comes from the unit's label."""
    if match is None:
        return unit.start, unit.end
    return unit.start + match.start, unit.start + max(match.end, reach.end if reach else 0)


def _extract(document: Document, extractor: Extractor) -> Document:
    return replace(document, statements=extractor.extract(document.source, document.units))


# The extractor (the lexicon's matchers) is made once per process, not once per source.
STAGE = Stage("extract", needs=("source", "units", "lexicon"), makes="statements",
              code=(__name__,), run=_extract, prepare=Extractor)  # fmt: skip
