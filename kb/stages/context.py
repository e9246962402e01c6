"""What every statement of one sentence shares, and how its statements are made: the
reading of a concept's words (scope, subject, target, comparators, quantities) and of a
sentence no concept covers (its propositions). kb.stages.extract decides which sentences
and concepts to read; this module reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kb.model import Qualifiers, Quantity, Sentence, Source, Statement, statement_id
from kb.nlp import cues, scope, syntax
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import Match, Tokens, drop_contained
from kb.nlp.quantities import find_quantities
from kb.nlp.scope import Scope, concedes, main_anchor
from kb.nlp.subject import (
    about_topic,
    acting,
    names_the_treated,
    names_topic,
    recurring,
    said_of_topic,
)
from kb.nlp.target import target_of

if TYPE_CHECKING:
    from kb.stages.extract import Extractor

__all__ = ["Context", "Found"]

# Claim types whose subject is the treatment a clause names as acting (see _acting).
_ACTS = frozenset({"efficacy", "safety"})


@dataclass(frozen=True, slots=True)
class Found:
    """Matches of one sentence, split by role: claim concepts, qualifier concepts, and cues
    (furniture, claim-type cue words, hedge/purpose/idiom phrases)."""

    claims: list[Match]
    qualifiers: list[Match]
    cues: list[Match]


@dataclass
class Context:
    """What every statement of one sentence shares."""

    extractor: Extractor
    source: Source
    unit: Sentence
    text: str
    tokens: Tokens
    found: Found
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
        found: Found,
        subject: str,
        subject_from: str,
        main: str,
        doc: Any,
    ) -> Context:
        who = cues.attribution(text, tokens)
        concepts = [(m.first, m.last) for m in found.claims]
        compared = [(m.first, m.last) for m in found.qualifiers]
        consumed = cues.consumed_negators(tokens, concepts, found.cues, compared)
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
        qualifiers = drop_contained(self.found.qualifiers)
        # A generic word right after another comparator is part of its name: "sham
        # treatment" is sham acupuncture, not sham and some treatment.
        named = {m.last + 1 for m in qualifiers}
        for m in qualifiers:
            concept = self.lexicon.concepts[m.key]
            if concept.generic and m.first in named:
                continue
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
        lowered = self.extractor.lowered(self.source)
        return about_topic(
            self.anchor, lowered, self.main, lambda: self._acting_at(self.anchor, True)
        )

    def _acting(self, match: Match | None, new: bool) -> str:
        """The treatment the clause at ``match`` (its main one for None) says acts, as a
        lexicon concept or as its words; "" for none (see kb.nlp.subject.acting)."""
        if match is None:
            return self._acting_at(self.anchor, new)
        return acting(self.doc, match.start, match.end, self._named, self.main, new)

    def _clause_of(self, match: Match | None):
        """The word that carries ``match`` in the parse; the sentence's main one for None."""
        return self.anchor if match is None else syntax.head_of(self.doc, match.start, match.end)

    def _acting_at(self, word, new: bool) -> str:
        """The same, for the clause of the parse's token ``word``."""
        if word is None:
            return ""
        return acting(self.doc, word.idx, word.idx + len(word), self._named, self.main, new)

    def _recurring(self, anchor) -> str:
        """The subject of ``anchor``'s clause as "~words", when the source keeps naming it
        and it is not the topic (kb.nlp.subject.recurring); "" otherwise."""
        words = recurring(anchor, self.extractor.lowered(self.source))
        if not words or self._named(words) or names_topic(words, self.main):
            return ""  # (a lexicon name or the topic: the clause's subject already holds)
        if self.main.startswith("~") and names_the_treated(self.text, self.main[1:]):
            return ""  # "Survival was 90% in the anakinra group": the topic's
        return "~" + words

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
        # acts; any claim is the topic's when the clause's subject names the topic. What
        # works or harms may be a thing the source keeps naming ("the effect of krill oil
        # was similar"); how it is done is the topic's ("Needles stay in for 20 minutes").
        new = concept.claim_type in _ACTS
        acting = self._acting(match, new) or (
            self._recurring(self._clause_of(match)) if new else ""
        )
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
        # Who a clause is about: the treatment it says acts, else a thing the source keeps
        # naming ("DHA is transported into the brain"), else the topic.
        acts = [(a, r, self._acting_at(a, True) or self._recurring(a)) for a, r in asserted]
        clauses = [(a, r, s, said_of_topic(a, self.main)) for a, r, s in acts]
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
                    claim_type=syntax.predicate_type(relation, obj)
                    or said_type
                    or claim_type
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
