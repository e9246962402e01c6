"""Applying a curator's decisions (kb.model.curation) to what a build computed: pure
functions, run by every build, so that what a person decided survives any rebuild.

- ``anchor_statements`` finds each statement decision's statement among a source's newly
  read statements — by id, else by its quote selector (the quote where its prefix and
  suffix fit best, nearest its old place) and the same reading — and drops the rejected
  ones; a decision whose quote is gone is orphaned.
- ``apply_to_claims`` merges, moves, splits and relabels claims.
- ``conflict_status`` says which conflicts a curator confirmed or dismissed.

Each returns the decisions with their target and status as this build found them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kb.model import (
    CONFLICT_ACTIONS,
    STATEMENT_ACTIONS,
    Claim,
    Conflict,
    Decision,
    QuoteSelector,
    Statement,
)
from kb.stages.assemble import claim_key

__all__ = [
    "anchor_statements",
    "apply_to_claims",
    "conflict_status",
    "decisions_by_source",
    "orphan_gone_sources",
    "reading_of",
]

_STATUS_OF = {"confirm": "confirmed", "dismiss": "dismissed"}


def reading_of(statement: Statement) -> str:
    """What kb read in a statement, as a decision keeps it: its claim key and polarity,
    which tell apart the statements one sentence makes."""
    return "\x1f".join((*claim_key(statement), statement.polarity))


def anchor_statements(
    decisions: list[Decision], source_id: str, text: str, statements: list[Statement]
) -> tuple[list[Statement], list[Decision]]:
    """The statements of the source ``source_id`` (whose text is ``text``) without those a
    curator rejected, and ``decisions`` with those about this source's statements pointed
    at the statement they are about now (orphaned when it is gone).

    >>> from kb.model import Statement, Decision, QuoteSelector
    >>> text = "New line. Acupuncture is safe."
    >>> said = Statement("st_new", "s", text[10:], 10, 30, claim_type="safety", object="safe")
    >>> old = QuoteSelector("s", 0, 20, "Acupuncture is safe.")
    >>> rejected = Decision("cu_1", "reject", "st_old", selector=old, reading=reading_of(said))
    >>> kept, [decision] = anchor_statements([rejected], "s", text, [said])
    >>> kept, decision.target, decision.selector.start, decision.status
    ([], 'st_new', 10, 'active')
    """
    by_id = {s.id: s for s in statements}
    rejected: set[str] = set()
    out: list[Decision] = []
    for decision in decisions:
        selector = decision.selector
        if decision.action not in STATEMENT_ACTIONS or not selector or selector.source != source_id:
            out.append(decision)
            continue
        same = by_id.get(decision.target)
        found = same if same and reading_of(same) == decision.reading else None
        found = found or _relocate(decision, selector, text, statements)
        if found is None:
            out.append(replace(decision, status="orphaned"))
            continue
        out.append(
            replace(
                decision,
                target=found.id,
                status="active",
                selector=QuoteSelector.of(source_id, text, found.start, found.end),
            )
        )
        if decision.action == "reject":
            rejected.add(found.id)
    return [s for s in statements if s.id not in rejected], out


def _relocate(
    decision: Decision, selector: QuoteSelector, text: str, statements: list[Statement]
) -> Statement | None:
    """The statement with the decision's reading at the place its quote now is."""
    spans = {(s.start, s.end) for s in statements if reading_of(s) == decision.reading}
    width = len(selector.exact)
    places = [p for p in _occurrences(selector.exact, text) if (p, p + width) in spans]
    if not places:
        return None
    best = max(places, key=lambda p: (_fit(selector, text, p), -abs(p - selector.start)))
    end = best + width
    return next(
        s
        for s in statements
        if (s.start, s.end) == (best, end) and reading_of(s) == decision.reading
    )


def _occurrences(exact: str, text: str) -> Iterable[int]:
    if not exact:
        return
    at = text.find(exact)
    while at != -1:
        yield at
        at = text.find(exact, at + 1)


def _fit(selector: QuoteSelector, text: str, at: int) -> int:
    """How many characters of the selector's prefix and suffix the text has around ``at``:
    the prefix's counted back from the quote, the suffix's forward from its end."""
    before = text[max(0, at - len(selector.prefix)) : at]
    after_start = at + len(selector.exact)
    after = text[after_start : after_start + len(selector.suffix)]
    return _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def apply_to_claims(
    claims: list[Claim], decisions: list[Decision]
) -> tuple[list[Claim], list[Decision]]:
    """``claims`` as the curator decided (new Claim objects; the given ones are not
    changed), and ``decisions`` with the status this build found: merges first (a later
    move to a merged claim goes to the claim it was merged into), then moves and splits,
    then relabels. A claim left with no statement is gone.

    >>> from kb.model import Claim, Decision
    >>> a = Claim("cl_a", "efficacy", "relieves pain", statement_ids=["st_1"])
    >>> b = Claim("cl_b", "efficacy", "eases pain", statement_ids=["st_2"])
    >>> merged, _ = apply_to_claims([a, b], [Decision("cu_1", "merge", "cl_b", value="cl_a")])
    >>> [(c.id, c.statement_ids) for c in merged]
    [('cl_a', ['st_1', 'st_2'])]
    """
    order = {sid: i for i, sid in enumerate(s for c in claims for s in c.statement_ids)}
    by_id = {
        c.id: replace(c, statement_ids=list(c.statement_ids), refines=list(c.refines))
        for c in claims
    }
    claim_of = {sid: c.id for c in by_id.values() for sid in c.statement_ids}
    merged_into: dict[str, str] = {}

    def current(claim_id: str) -> str:
        while claim_id in merged_into:
            claim_id = merged_into[claim_id]
        return claim_id

    def move(statement_id: str, to: str) -> None:
        by_id[claim_of[statement_id]].statement_ids.remove(statement_id)
        by_id[to].statement_ids.append(statement_id)
        claim_of[statement_id] = to

    out: dict[str, Decision] = {}
    for d in (d for d in decisions if d.action == "merge"):
        gone, kept = current(d.target), current(d.value)
        applies = gone in by_id and kept in by_id and gone != kept
        if applies:
            for statement_id in list(by_id[gone].statement_ids):
                move(statement_id, kept)
            merged_into[gone] = kept
        out[d.id] = _with_status(d, applies)
    for d in (d for d in decisions if d.action in ("move", "split")):
        if d.status == "orphaned" or d.target not in claim_of:
            out[d.id] = _with_status(d, False)
            continue
        to = current(d.value)
        if d.action == "split" and to not in by_id:
            origin = by_id[claim_of[d.target]]
            by_id[to] = replace(origin, id=to, label=d.label, statement_ids=[], refines=[])
        applies = to in by_id
        if applies:
            move(d.target, to)
        out[d.id] = _with_status(d, applies)
    for d in (d for d in decisions if d.action == "relabel"):
        claim = by_id.get(current(d.target))
        if claim is not None:
            claim.label = d.label
        out[d.id] = _with_status(d, claim is not None)
    kept_claims = [c for c in by_id.values() if c.statement_ids]
    alive = {c.id for c in kept_claims}
    for claim in kept_claims:
        claim.statement_ids.sort(key=lambda sid: order.get(sid, len(order)))
        refines = dict.fromkeys(current(r) for r in claim.refines)
        claim.refines = [r for r in refines if r in alive and r != claim.id]
    return kept_claims, [out.get(d.id, d) for d in decisions]


def _with_status(decision: Decision, applies: bool) -> Decision:
    return replace(decision, status="active" if applies else "orphaned")


def conflict_status(
    conflicts: list[Conflict], decisions: list[Decision]
) -> tuple[list[Conflict], list[Decision]]:
    """``conflicts`` with the status a curator gave them ("confirmed", "dismissed"; the
    latest decision on a conflict holds), others "open"; and ``decisions`` with theirs.

    >>> from kb.model import Conflict, Decision
    >>> found = [Conflict("cf_1", "polarity", "relieves pain", [], [])]
    >>> [c.status for c in conflict_status(found, [Decision("cu_1", "dismiss", "cf_1")])[0]]
    ['dismissed']
    """
    ids = {c.id for c in conflicts}
    status: dict[str, str] = {}
    out = []
    for d in decisions:
        if d.action not in CONFLICT_ACTIONS:
            out.append(d)
            continue
        if d.target in ids:
            status[d.target] = _STATUS_OF[d.action]
        out.append(_with_status(d, d.target in ids))
    return [replace(c, status=status.get(c.id, "open")) for c in conflicts], out


def decisions_by_source(decisions: list[Decision]) -> dict[str, list[int]]:
    """Source id → the positions in ``decisions`` of those about its statements: each
    source's are re-anchored when it is read, without a pass over every decision."""
    about: dict[str, list[int]] = {}
    for i, decision in enumerate(decisions):
        if decision.selector is not None:
            about.setdefault(decision.selector.source, []).append(i)
    return about


def orphan_gone_sources(decisions: list[Decision], present: set[str]) -> list[Decision]:
    """Decisions about statements of sources the KB no longer holds are orphaned (they
    apply again if the source comes back)."""
    return [
        replace(d, status="orphaned") if d.selector and d.selector.source not in present else d
        for d in decisions
    ]
