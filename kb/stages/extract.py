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
A sentence no concept covers gives statements when cue words type it. kb.stages.context
reads each sentence's statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from kb.model import Sentence, Source, Statement
from kb.nlp import cues, scope, syntax
from kb.nlp.lexicon import Lexicon
from kb.nlp.match import Match, PhraseMatcher, Tokens, drop_contained, tokenize
from kb.nlp.stated import stated_claims
from kb.nlp.topic import DASHES, title_topic
from kb.stages import Document, Stage
from kb.stages.context import Context, Found

__all__ = ["STAGE", "Extractor"]

_FURNITURE = "~furniture"
_CUE = "~cue:"

_MIN_WORDS_UNNORMALISED = 5


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
        self._lowered: tuple[str, str] = ("", "")  # one source's sha256 and lowered text
        self._cue_order = {claim_type: i for i, claim_type in enumerate(lexicon.cues)}

    @cached_property
    def interventions(self) -> frozenset[str]:
        concepts = self.lexicon.concepts.values()
        return frozenset(c.id for c in concepts if c.category == "intervention")

    # -- per sentence

    def _find(self, text: str, tokens: Tokens) -> Found:
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
        return Found(claims, qualifiers, cue_matches)

    def _claim_matches(self, found: Found, text: str, tokens: Tokens) -> list[Match]:
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

    def cue_type(self, found: Found, within: tuple[int, int] | None = None) -> str:
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

    def lowered(self, source: Source) -> str:
        """``source``'s text in lower case with dashes as hyphens, made once per source:
        what counting a name's mentions searches."""
        if self._lowered[0] != source.sha256 or not source.sha256:
            self._lowered = (source.sha256, source.text.lower().translate(DASHES))
        return self._lowered[1]

    def main_intervention(self, found: Iterable[Found]) -> str:
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

    def _main_subject(self, source: Source, found: list[Found], nouns: frozenset[str]) -> str:
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
        # Each plan with its unit's place: a unit reads the one just before it ("It is safe").
        plans = [
            (place, plan)
            for place, (unit, tokens, found) in enumerate(analysed)
            if unit.kind in ("sentence", "item")  # headings and furniture state nothing
            # nor does a title too long to look like a heading (it has no full stop)
            and not (unit.text == source.title and unit.text[-1] not in ".!")
            and (plan := self._plan(unit, tokens, found)) is not None
        ]
        # The parse is the costliest step: only what may state something, in one batch.
        texts = (plan.unit.text for _, plan in plans)
        docs = list(syntax.parser().pipe(texts, batch_size=256))
        nouns = frozenset(
            t.lower_.translate(DASHES)
            for doc in docs
            for t in doc
            if t.pos_ in ("NOUN", "PROPN") or "-" in t.text
        )
        main = self._main_subject(source, [found for _, _, found in analysed], nouns)
        statements: list[Statement] = []
        before: tuple[int, str] = (-2, "")  # the last unit's place and the treatment it named
        for (place, plan), doc in zip(plans, docs, strict=True):
            made = self._statements(source, plan, doc, main)
            if before[0] == place - 1 and before[1]:
                made = _refer_back(made, doc, main, before[1])
            statements.extend(made)
            before = (place, _named_other(made, main))
        return statements

    def _plan(self, unit: Sentence, tokens: Tokens, found: Found) -> _Plan | None:
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

    def _loose_type(self, tokens: Tokens, found: Found) -> str:
        """The type cue words give a sentence no concept covers (it works, harms, was
        studied...); "" when it only describes ("Turmeric is a plant of the ginger family")."""
        return self.cue_type(found) if tokens.words() >= _MIN_WORDS_UNNORMALISED else ""

    def _statements(self, source: Source, plan: _Plan, doc, main: str) -> list[Statement]:
        unit, text = plan.unit, plan.unit.text
        subject, subject_from = self._subject(text, plan.found, main)
        context = Context.of(
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

    def _subject(self, text: str, found: Found, main: str) -> tuple[str, str]:
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


def _named_other(statements: list[Statement], main: str) -> str:
    """The one treatment other than the topic that a unit's statements name, or ""."""
    named = {s.subject for s in statements if not s.qualifiers.subject_from}
    return named.pop() if len(named) == 1 and main not in named else ""


def _refer_back(statements: list[Statement], doc, main: str, antecedent: str) -> list[Statement]:
    """A sentence whose subject is "it" or "they" right after one that named another
    treatment speaks of that treatment: "Massage may relieve pain. It is also safe." is
    about massage, not the topic. "it" takes a singular name, "they" a plural one."""
    verb = syntax.clause_verb(scope.main_anchor(doc))
    said = syntax.child_of(verb, ("nsubj", "nsubjpass")) if verb is not None else None
    pronoun = said.lower_ if said is not None else ""
    plural = antecedent.endswith("s")
    if not ((pronoun == "it" and not plural) or (pronoun == "they" and plural)):
        return statements
    return [
        replace(s, subject=antecedent)
        # (the topic's statements only: those of what the sentence names stay its own)
        if s.subject == main and (not main or s.qualifiers.subject_from.lower() == pronoun)
        else s
        for s in statements
    ]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a unit may state, decided from its words before it is parsed."""

    unit: Sentence
    tokens: Tokens
    found: Found
    claims: list[Match]  # the concepts it states
    label_claim: str  # the concept its list item's label states, "" for none
    claim_type: str  # for a unit no concept covers: the type its cue words give


def _extract(document: Document, extractor: Extractor) -> Document:
    return replace(document, statements=extractor.extract(document.source, document.units))


# The extractor (the lexicon's matchers) is made once per process, not once per source.
STAGE = Stage("extract", needs=("source", "units", "lexicon"), makes="statements",
              code=(__name__,), run=_extract, prepare=Extractor)  # fmt: skip
