"""Curation: a person's decisions about what kb read, kept in the KB and applied by every
build (kb.analyze.curation), so that a rebuild never undoes a curator's work.

A decision on a statement holds a quote selector — the exact quote, 32 characters either
side and its offsets, as W3C Web Annotation's TextQuoteSelector and TextPositionSelector
have them — so that it finds its statement again when the source is edited and the quote
moves, and says it is orphaned when the quote is gone.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "CLAIM_ACTIONS",
    "CONFLICT_ACTIONS",
    "CURATION_ACTIONS",
    "DECISION_STATUSES",
    "STATEMENT_ACTIONS",
    "Decision",
    "QuoteSelector",
    "decision_id",
]

# What a decision does, by what it is about:
# - reject: the statement is a wrong reading; it states nothing, anywhere;
# - move: the statement belongs to another claim (``value``);
# - split: the statement leaves its claim for a new one (``value``, named ``label``);
STATEMENT_ACTIONS = ("reject", "move", "split")
# - merge: the claim (``target``) is the same as another (``value``), which keeps its label;
# - relabel: the claim's label is ``label``;
CLAIM_ACTIONS = ("merge", "relabel")
# - confirm / dismiss: a curator read the conflict and found it real / not real.
CONFLICT_ACTIONS = ("confirm", "dismiss")
CURATION_ACTIONS = STATEMENT_ACTIONS + CLAIM_ACTIONS + CONFLICT_ACTIONS
# active: applied by the last build; orphaned: what it is about is gone (the quote was
# deleted from its source, the claim or conflict no longer exists). An orphaned decision
# is kept: it applies again when what it is about comes back.
DECISION_STATUSES = ("active", "orphaned")

CONTEXT = 32  # characters of prefix and suffix a quote selector keeps


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """Where a quote is in its source: ``exact`` is ``text[start:end]``, ``prefix`` and
    ``suffix`` the characters around it.

    >>> selector = QuoteSelector.of("s", "Acupuncture relieves pain. It is safe.", 27, 38)
    >>> selector.exact, selector.prefix, selector.suffix
    ('It is safe.', 'Acupuncture relieves pain. ', '')
    """

    source: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def of(cls, source: str, text: str, start: int, end: int) -> QuoteSelector:
        """The selector of ``text[start:end]`` in the source ``source``."""
        return cls(
            source=source,
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
        )


@dataclass(slots=True)
class Decision:
    """One curator's decision. ``target`` is what it is about as the last build knew it:
    a statement id (STATEMENT_ACTIONS, with its ``selector`` and ``reading``), a claim id
    (CLAIM_ACTIONS) or a conflict id (CONFLICT_ACTIONS). ``reading`` says which of its
    sentence's statements a statement decision is about (kb.analyze.curation.reading_of);
    ``label`` is a claim's new label (relabel, split), or what kb had read (reject).
    """

    id: str
    action: str
    target: str
    value: str = ""
    label: str = ""
    note: str = ""
    curator: str = ""
    created: str = ""
    status: str = "active"
    selector: QuoteSelector | None = None
    reading: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        """The decision ``to_dict`` wrote; keys this version does not know are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__slots__}
        selector = known.get("selector")
        if isinstance(selector, dict):
            known["selector"] = QuoteSelector(**selector)
        return cls(**known)


def decision_id(action: str, target: str, value: str, created: str) -> str:
    """A decision's id: the same decision made at the same time has the same one, so that
    importing a file twice adds it once.

    >>> decision_id("reject", "st_1", "", "2026-12-06T08:00:00+00:00")[:3]
    'cu_'
    """
    key = "\x1f".join((action, target, value, created))
    return "cu_" + hashlib.sha256(key.encode()).hexdigest()[:12]
