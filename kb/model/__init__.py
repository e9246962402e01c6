"""The kb data model: typed records that cross the layers, no I/O.

Every other layer imports from here; this package imports nothing else from kb.
Offsets are character offsets into ``Source.text``, and ``text[start:end]`` is always
the exact quote.
"""

from kb.model.check import (
    VERDICTS,
    CheckResult,
    ClaimMatch,
    Overclaim,
    QuotedStatement,
    Reading,
    SentenceCheck,
    SourceVerdict,
    VerdictSources,
)
from kb.model.claim import CLAIM_TYPES, Agreement, Claim
from kb.model.conflict import Conflict, ConflictSide
from kb.model.curation import (
    CLAIM_ACTIONS,
    CONFLICT_ACTIONS,
    CURATION_ACTIONS,
    DECISION_STATUSES,
    STATEMENT_ACTIONS,
    Decision,
    QuoteSelector,
    decision_id,
)
from kb.model.duplicate import DuplicatePair, Sketch
from kb.model.quantity import Quantity
from kb.model.source import (
    SOURCE_KINDS,
    UNIT_KINDS,
    Sentence,
    Skipped,
    Source,
    normalize_doi,
    sha256_text,
    web_url,
)
from kb.model.statement import (
    CERTAINTIES,
    POLARITIES,
    Qualifiers,
    Stated,
    Statement,
    statement_id,
)

__all__ = [
    "CERTAINTIES",
    "CLAIM_ACTIONS",
    "CLAIM_TYPES",
    "CONFLICT_ACTIONS",
    "CURATION_ACTIONS",
    "DECISION_STATUSES",
    "POLARITIES",
    "SOURCE_KINDS",
    "STATEMENT_ACTIONS",
    "UNIT_KINDS",
    "VERDICTS",
    "Agreement",
    "CheckResult",
    "Claim",
    "ClaimMatch",
    "Conflict",
    "ConflictSide",
    "Decision",
    "DuplicatePair",
    "Overclaim",
    "Qualifiers",
    "Quantity",
    "QuoteSelector",
    "QuotedStatement",
    "Reading",
    "Sentence",
    "SentenceCheck",
    "Sketch",
    "Skipped",
    "Source",
    "SourceVerdict",
    "Stated",
    "Statement",
    "VerdictSources",
    "decision_id",
    "normalize_doi",
    "sha256_text",
    "statement_id",
    "web_url",
]
