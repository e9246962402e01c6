"""A curator's decisions on a KB: reject a statement kb misread, move it to another claim,
split a claim, merge two, relabel one, confirm or dismiss a conflict — each with a note
and the curator's name, kept in the KB and applied by every rebuild (kb.analyze.curation).

Each action checks what it is about, records the decision and brings the KB up to date at
once: the claims, agreement and conflicts are worked out again (at 10,000 sources, the
corpus-wide steps of a build: about 17 s), and a rejected or restored statement's source
is read again from its stored text.

Example::

    desk = open_kb("data/kb.sqlite").curation
    desk.reject("st_0123456789abcdef", note="a question, not a claim", curator="ana")
    desk.dismiss("cf_0123456789ab", note="different conditions")
    [d.action for d in desk.decisions()]
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb import store
from kb.analyze.curation import reading_of
from kb.api.records import format_records
from kb.errors import CurationError, ExportError, KbNotFoundError
from kb.model import (
    CURATION_ACTIONS,
    STATEMENT_ACTIONS,
    Claim,
    Decision,
    QuoteSelector,
    Statement,
    decision_id,
)
from kb.pipeline import CurationChange, curate

if TYPE_CHECKING:
    from kb.api import KnowledgeBase

__all__ = ["DECISION_FIELDS", "Curation", "decision_record", "default_curator", "read_decisions"]

# The columns of a decision as a flat record (decision_record).
DECISION_FIELDS = (
    "id", "action", "target", "value", "label", "note", "curator", "created", "status",
    "source", "start", "end", "quote",
)  # fmt: skip


def default_curator() -> str:
    """Who is curating: $KB_CURATOR, else the login name."""
    name = os.environ.get("KB_CURATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


class Curation:
    """The curation actions on one KB (``KnowledgeBase.curation``). Each returns the
    decision(s) it made; each raises KbNotFoundError for an id the KB does not hold and
    CurationError for a decision that cannot be made, leaving the KB unchanged."""

    def __init__(self, base: KnowledgeBase) -> None:
        self._base = base

    # -- reading

    def decisions(self, status: str | None = None) -> list[Decision]:
        """Every decision, in the order they were made; ``status`` "active" or "orphaned"
        keeps those only."""
        with store.read_connection(self._base.path) as conn:
            found = store.load_decisions(conn)
        return [d for d in found if status is None or d.status == status]

    def records(self) -> list[dict[str, Any]]:
        """The decisions as flat records (what `kb curate list --format json` prints)."""
        return [decision_record(d) for d in self.decisions()]

    # -- statements

    def reject(self, statement_id: str, note: str = "", curator: str = "") -> Decision:
        """The statement is a wrong reading: it states nothing, in any claim, conflict or
        check."""
        statement = self._statement(statement_id)
        label = f"{statement.claim or statement.claim_type} ({statement.polarity})"
        decision = self._about(statement, "reject", "", label, note, curator)
        return self._apply([decision], rederive=[statement.source])[0]

    def move(self, statement_id: str, claim_id: str, note: str = "", curator: str = "") -> Decision:
        """The statement belongs to the claim ``claim_id``."""
        statement = self._statement(statement_id)
        claim = self._claim(claim_id)
        if statement.claim_id == claim.id:
            raise CurationError(f"{statement_id} is already in claim {claim_id}")
        made = self._about(statement, "move", claim.id, "", note, curator)
        return self._apply([made], replaces=_placing([statement.id]))[0]

    def split(
        self,
        claim_id: str,
        statement_ids: Iterable[str],
        label: str,
        note: str = "",
        curator: str = "",
    ) -> list[Decision]:
        """The statements ``statement_ids`` of the claim ``claim_id`` make a new claim,
        named ``label``."""
        claim = self._claim(claim_id)
        label = _required(label, "the new claim's label (--label)")
        statements = [self._statement(i) for i in dict.fromkeys(statement_ids)]
        if not statements:
            raise CurationError("name the statements that leave the claim")
        strangers = [s.id for s in statements if s.claim_id != claim.id]
        if strangers:
            raise CurationError(f"{strangers[0]} is not in claim {claim_id}; split its own")
        if len(statements) == len(claim.statement_ids):
            raise CurationError(f"that is every statement of {claim_id}; relabel it instead")
        key = f"{claim.id}\x1f{label}\x1f{_now()}"
        new_id = "cl_" + hashlib.sha256(key.encode()).hexdigest()[:12]
        made = [self._about(s, "split", new_id, label, note, curator) for s in statements]
        return self._apply(made, replaces=_placing([s.id for s in statements]))

    # -- claims

    def merge(self, claim_id: str, into: str, note: str = "", curator: str = "") -> Decision:
        """The claim ``claim_id`` is the same as ``into``, which keeps its label."""
        gone, kept = self._claim(claim_id), self._claim(into)
        if gone.id == kept.id:
            raise CurationError("a claim cannot be merged into itself")
        return self._apply([self._new("merge", gone.id, kept.id, "", note, curator)])[0]

    def relabel(self, claim_id: str, label: str, note: str = "", curator: str = "") -> Decision:
        """The claim ``claim_id`` is called ``label``."""
        claim = self._claim(claim_id)
        label = _required(label, "the new label")
        return self._apply([self._new("relabel", claim.id, "", label, note, curator)])[0]

    # -- conflicts

    def confirm(self, conflict_id: str, note: str = "", curator: str = "") -> Decision:
        """A curator read the conflict and found it real."""
        return self._conflict_decision("confirm", conflict_id, note, curator)

    def dismiss(self, conflict_id: str, note: str = "", curator: str = "") -> Decision:
        """A curator read the conflict and found it not real: listings leave it out."""
        return self._conflict_decision("dismiss", conflict_id, note, curator)

    # -- undoing, moving decisions between KBs

    def restore(self, what: str) -> Decision:
        """Undo a decision: ``what`` is its id, or a rejected statement's id (the statement
        is read again and counts again)."""
        found = self.decisions()
        undone = next((d for d in found if d.id == what), None) or next(
            (d for d in found if d.action == "reject" and d.target == what), None
        )
        if undone is None:
            raise KbNotFoundError(
                f"no decision {what!r} and no rejected statement with that id in "
                f"{self._base.path}; `kb curate list` lists the decisions"
            )
        rederive = [undone.selector.source] if undone.action == "reject" and undone.selector else []
        self._change(lambda ds: [d for d in ds if d.id != undone.id], rederive)
        return undone

    def export(self, fmt: str = "json") -> str:
        """Every decision as JSON or JSON Lines (what `kb curate import` reads into another
        KB), or as CSV (flat records, to read; not to import)."""
        found = self.decisions()
        if fmt == "csv":
            return format_records([decision_record(d) for d in found], DECISION_FIELDS, "csv")
        if fmt == "jsonl":
            return "".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in found)
        if fmt == "json":
            return json.dumps([d.to_dict() for d in found], ensure_ascii=False, indent=2) + "\n"
        raise ExportError(f"cannot export the curation as {fmt!r}; choose json, jsonl or csv")

    def import_file(self, path: str | Path) -> list[Decision]:
        """Add the decisions of a file `kb export curation` wrote (JSON or JSON Lines);
        those the KB already holds (same id) are left as they are. Returns those added."""
        incoming = read_decisions(path)
        held = {d.id for d in self.decisions()}
        new = [d for d in incoming if d.id not in held]
        if new:
            sources = [d.selector.source for d in new if d.action == "reject" and d.selector]
            self._change(lambda ds: [*ds, *new], sources)
        return new

    # -- helpers

    def _conflict_decision(self, action: str, conflict_id: str, note: str, curator: str):
        with store.read_connection(self._base.path) as conn:
            known = {c.id for c in store.load_conflicts(conn)}
        if conflict_id not in known:
            raise KbNotFoundError(
                f"no conflict {conflict_id!r} in {self._base.path}; `kb conflicts --all` "
                "lists the conflicts with their ids"
            )
        return self._apply([self._new(action, conflict_id, "", "", note, curator)])[0]

    def _statement(self, statement_id: str) -> Statement:
        with store.read_connection(self._base.path) as conn:
            found = store.load_statements_by_id(conn, [statement_id])
        if not found:
            rejected = any(
                d.action == "reject" and d.target == statement_id for d in self.decisions()
            )
            why = "it is rejected; `kb curate restore` it first" if rejected else (
                "`kb search WORDS` or `kb export statements` list statements with their ids"
            )  # fmt: skip
            raise KbNotFoundError(f"no statement {statement_id!r} in {self._base.path}; {why}")
        return found[0]

    def _claim(self, claim_id: str) -> Claim:
        with store.read_connection(self._base.path) as conn:
            found = [c for c in store.load_claims(conn) if c.id == claim_id]
        if not found:
            raise KbNotFoundError(
                f"no claim {claim_id!r} in {self._base.path}; `kb claims` lists the claim ids"
            )
        return found[0]

    def _about(
        self, statement: Statement, action: str, value: str, label: str, note: str, curator: str
    ) -> Decision:
        """A decision on ``statement``, with its quote selector and reading."""
        with store.read_connection(self._base.path) as conn:
            source = store.load_source(conn, statement.source)
        assert source is not None  # a statement's source is in the KB
        selector = QuoteSelector.of(source.id, source.text, statement.start, statement.end)
        made = self._new(action, statement.id, value, label, note, curator)
        return replace(made, selector=selector, reading=reading_of(statement))

    def _new(
        self, action: str, target: str, value: str, label: str, note: str, curator: str
    ) -> Decision:
        created = _now()
        return Decision(
            id=decision_id(action, target, value, created),
            action=action,
            target=target,
            value=value,
            label=label,
            note=note.strip(),
            curator=curator.strip() or default_curator(),
            created=created,
        )

    def _apply(
        self,
        made: list[Decision],
        rederive: Iterable[str] = (),
        replaces: Callable[[Decision], bool] = lambda d: False,
    ) -> list[Decision]:
        """Record ``made`` (in place of the decisions ``replaces`` picks) and apply it."""
        self._change(lambda ds: [*(d for d in ds if not replaces(d)), *made], rederive)
        stored = {d.id: d for d in self.decisions()}
        return [stored.get(d.id, d) for d in made]

    def _change(
        self, change: Callable[[list[Decision]], list[Decision]], rederive: Iterable[str]
    ) -> None:
        curate(
            self._base.path,
            CurationChange(change, frozenset(rederive)),
            self._base.lexicon(),
        )


def _placing(statement_ids: list[str]) -> Callable[[Decision], bool]:
    """Whether a decision places one of these statements in a claim: a statement is in
    one claim, so a new move or split of it replaces the earlier one."""
    ids = set(statement_ids)
    return lambda d: d.action in ("move", "split") and d.target in ids


def _now() -> str:
    # Microseconds: two decisions a script makes in one second keep their order.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _required(text: str, what: str) -> str:
    if not text.strip():
        raise CurationError(f"give {what}: it may not be empty")
    return text.strip()


def decision_record(decision: Decision) -> dict[str, Any]:
    """A decision as a flat record: its fields, and its selector's source, offsets and
    quote as columns."""
    data = decision.to_dict()
    selector = data.pop("selector") or {}
    data.pop("reading", None)
    return {
        **data,
        "source": selector.get("source", ""),
        "start": selector.get("start"),
        "end": selector.get("end"),
        "quote": selector.get("exact", ""),
    }


def read_decisions(path: str | Path) -> list[Decision]:
    """The decisions in a file `kb export curation` wrote: a JSON list, or JSON Lines.

    Raises CurationError naming the file and what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurationError(
            f"{path}: no such file; give a file `kb export curation` wrote"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{path}: cannot be read ({exc})") from exc
    try:
        stripped = text.lstrip()
        items = json.loads(text) if stripped.startswith("[") else [
            json.loads(line) for line in text.splitlines() if line.strip()
        ]  # fmt: skip
    except json.JSONDecodeError as exc:
        raise CurationError(
            f"{path}: not JSON (line {exc.lineno}: {exc.msg}); give a file "
            "`kb export curation` wrote"
        ) from exc
    return [_decision_from(item, path, n) for n, item in enumerate(items, start=1)]


def _decision_from(item: Any, path: Path, n: int) -> Decision:
    where = f"{path}: decision {n}"
    if not isinstance(item, dict):
        raise CurationError(f"{where} is not an object; give a file `kb export curation` wrote")
    missing = [k for k in ("id", "action", "target", "created") if not item.get(k)]
    if missing:
        raise CurationError(f"{where} has no {missing[0]!r}")
    if item["action"] not in CURATION_ACTIONS:
        raise CurationError(
            f"{where}: unknown action {item['action']!r} (one of {', '.join(CURATION_ACTIONS)})"
        )
    try:
        decision = Decision.from_dict(item)
    except (TypeError, ValueError) as exc:
        raise CurationError(f"{where} is malformed ({exc})") from exc
    if decision.action in STATEMENT_ACTIONS and decision.selector is None:
        raise CurationError(f"{where} ({decision.action}) has no quote selector")
    return decision
