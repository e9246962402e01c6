"""The answer of a check (kb.check): per sentence of the text, what kb read in it, the
claims it matches with the source statements quoted and their verdicts, the sources per
verdict, and any overclaim.

Each record's ``to_json()`` is its shape in ``kb check --format json`` (see the README):
fields that are not set (a match's ``meaning`` when no semantic search ran, the counts of
a match that quotes every source, a result's ``message``) are left out, not null.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from kb.model.quantity import Quantity
from kb.model.statement import Statement

__all__ = [
    "VERDICTS",
    "CheckResult",
    "ClaimMatch",
    "Overclaim",
    "QuotedStatement",
    "Reading",
    "SentenceCheck",
    "SourceVerdict",
    "VerdictSources",
]

# What a source statement does to a checked sentence, in the order they are listed.
VERDICTS = ("supports", "contradicts", "related")


@dataclass(frozen=True, slots=True)
class Reading:
    """What kb read in a checked sentence: one statement it makes, as extraction reads
    the sources' statements."""

    claim_type: str
    subject: str
    object: str
    polarity: str
    certainty: str
    quantities: tuple[Quantity, ...] = ()

    @classmethod
    def of(cls, statement: Statement) -> Reading:
        s = statement
        return cls(s.claim_type, s.subject, s.object, s.polarity, s.certainty,
                   tuple(s.quantities))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "claim_type": self.claim_type,
            "subject": self.subject,
            "object": self.object,
            "polarity": self.polarity,
            "certainty": self.certainty,
            "quantities": [q.to_dict() for q in self.quantities],
        }


@dataclass(frozen=True, slots=True)
class QuotedStatement:
    """A source statement a match quotes, where it is (``quote == text[start:end]`` of
    ``source``) and its verdict on the sentence."""

    id: str
    source: str
    quote: str
    start: int
    end: int
    polarity: str
    certainty: str
    quantities: tuple[Quantity, ...]
    verdict: str
    reason: str = ""  # why this verdict: the rule that decided it ("the source denies it")

    @classmethod
    def of(cls, statement: Statement, verdict: str, reason: str = "") -> QuotedStatement:
        s = statement
        return cls(s.id, s.source, s.quote, s.start, s.end, s.polarity, s.certainty,
                   tuple(s.quantities), verdict, reason)  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Statement.ref() with the verdict and its reason."""
        return {
            "id": self.id,
            "source": self.source,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "polarity": self.polarity,
            "certainty": self.certainty,
            "quantities": [q.to_dict() for q in self.quantities],
            "verdict": self.verdict,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SourceVerdict:
    """What one source does to a checked sentence, all its statements weighed: it
    ``supports`` or ``contradicts`` it, with the claim and the reason of its strongest
    statement, how strong that is (the match's score times a weight for how the source
    states it: asserted 1, reported 0.9, hedged 0.8), and its quote when the check read
    it (on a large KB only the first sources of a claim are quoted)."""

    source: str
    verdict: str
    strength: float
    claim: str
    claim_id: str
    reason: str
    quote: QuotedStatement | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "verdict": self.verdict,
            "strength": self.strength,
            "claim": self.claim,
            "claim_id": self.claim_id,
            "reason": self.reason,
            "quote": self.quote.to_json() if self.quote else None,
        }


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """A stored claim a sentence matches: how it was found (``via``: concept, refines,
    contrary, lexical or semantic), its score, the verdict its sources give on the
    whole, and the statements it quotes.

    On a large KB a match quotes only some of its sources; then ``source_counts`` gives
    how many sources take each verdict and ``shown`` says how many are quoted ("quotes of
    19 of 3,222 sources"). Both are None when every source is quoted."""

    claim_id: str
    claim: str  # the claim's label
    claim_type: str
    score: float
    verdict: str
    via: str
    statements: tuple[QuotedStatement, ...] = ()
    meaning: float | None = None  # nearness in meaning, when the semantic search ran
    source_counts: dict[str, int] | None = None
    shown: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "claim_id": self.claim_id,
            "claim": self.claim,
            "claim_type": self.claim_type,
            "score": self.score,
            "verdict": self.verdict,
            "via": self.via,
        }
        if self.meaning is not None:
            data["meaning"] = self.meaning
        data["statements"] = [s.to_json() for s in self.statements]
        if self.shown is not None:
            data["source_counts"] = dict(self.source_counts or {})
            data["shown"] = self.shown
        return data


@dataclass(frozen=True, slots=True)
class Overclaim:
    """Why a sentence asserts more than its backing ("it says 'cures' where no backing
    source does")."""

    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"reason": self.reason}


@dataclass(frozen=True, slots=True)
class VerdictSources:
    """The sources (ids, sorted) that take each verdict on a sentence, one verdict per
    source (see SourceVerdict): a source whose statements both support and contradict
    it is listed where its strongest statement puts it; "related" holds the sources that
    only share words or a more general claim with it."""

    supports: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def of(self, verdict: str) -> tuple[str, ...]:
        """The sources of one of VERDICTS.

        >>> VerdictSources(supports=("a", "b")).of("supports")
        ('a', 'b')
        """
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
        return getattr(self, verdict)

    def counts(self) -> dict[str, int]:
        """How many sources take each verdict, in VERDICTS order."""
        return {v: len(self.of(v)) for v in VERDICTS}

    def to_json(self) -> dict[str, list[str]]:
        return {v: list(self.of(v)) for v in VERDICTS}


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """The check of one sentence at ``[start, end)`` of the text: what kb read in it
    (``statements``: none when it states no claim kb knows), the claims it matches best
    first, any overclaim, and the sources per verdict over all matches."""

    text: str
    start: int
    end: int
    statements: tuple[Reading, ...] = ()
    matches: tuple[ClaimMatch, ...] = ()
    overclaim: Overclaim | None = None
    sources: VerdictSources = VerdictSources()
    verdicts: tuple[SourceVerdict, ...] = ()  # supports, then contradicts; strongest first

    @property
    def outcome(self) -> str:
        """The sentence's verdict for a writer: "contradicted" when any source contradicts
        it, else "supported" when one supports it, else "unsupported" when kb read a claim
        in it that no source backs, else "no claim".

        >>> SentenceCheck("x", 0, 1).outcome
        'no claim'
        """
        if self.sources.contradicts:
            return "contradicted"
        if self.sources.supports:
            return "supported"
        return "unsupported" if self.statements else "no claim"

    def without_related(self) -> SentenceCheck:
        """The check without what only shares words or a general claim with the sentence:
        matches whose verdict is "related", and the related quotes of the others."""
        matches = tuple(
            replace(m, statements=tuple(s for s in m.statements if s.verdict != "related"))
            for m in self.matches
            if m.verdict != "related"
        )
        return replace(self, matches=matches, sources=replace(self.sources, related=()))

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "outcome": self.outcome,
            "statements": [r.to_json() for r in self.statements],
            "verdicts": [v.to_json() for v in self.verdicts],
            "matches": [m.to_json() for m in self.matches],
            "overclaim": self.overclaim.to_json() if self.overclaim else None,
            "sources": self.sources.to_json(),
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The check of a text: one SentenceCheck per sentence; ``message`` says when there
    was nothing to check or kb read no claim ("" otherwise); ``citations`` are the
    supporting sources' citations when they were asked for (``kb check --cite``).

    >>> CheckResult("").to_json()
    {'text': '', 'sentences': []}
    """

    text: str
    sentences: tuple[SentenceCheck, ...] = ()
    message: str = ""
    citations: str | None = None

    def without_related(self) -> CheckResult:
        """The check with only what supports or contradicts (``kb check`` without
        ``--related``); see SentenceCheck.without_related."""
        return replace(self, sentences=tuple(s.without_related() for s in self.sentences))

    def fails(self, on: str) -> list[SentenceCheck]:
        """The sentences that fail a gate: ``on`` "contradicted" (a source contradicts
        them) or "unsupported" (kb read a claim no source supports; contradicted ones
        included).

        >>> CheckResult("", (SentenceCheck("x", 0, 1),)).fails("unsupported")
        []
        """
        if on == "contradicted":
            return [s for s in self.sentences if s.outcome == "contradicted"]
        if on == "unsupported":
            return [s for s in self.sentences if s.outcome in ("contradicted", "unsupported")]
        raise ValueError(f"unknown gate {on!r}; contradicted or unsupported")

    def supporting_sources(self) -> list[str]:
        """The sources that support any sentence, sentence by sentence (repeats kept)."""
        return [sid for s in self.sentences for sid in s.sources.supports]

    def sources_of(self, verdicts: Iterable[str]) -> list[str]:
        """The sources that take any of ``verdicts`` on any sentence, each once, in the
        order the sentences and verdicts list them."""
        verdicts = list(verdicts)
        found = (sid for s in self.sentences for v in verdicts for sid in s.sources.of(v))
        return list(dict.fromkeys(found))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "sentences": [s.to_json() for s in self.sentences],
        }
        if self.message:
            data["message"] = self.message
        if self.citations is not None:
            data["citations"] = self.citations
        return data
