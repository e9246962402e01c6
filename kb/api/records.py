"""The public JSON shapes of kb's records (README, Command line) and the export formats.

What `kb sources/claims/conflicts --format json`, `kb export` and the DataFrames of
kb.api are made of: a record's fields keep their order and names; fields may be added,
never renamed. Pure functions of the typed records (kb.model); no I/O.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from kb.analyze import agreement
from kb.errors import ExportError
from kb.model import Agreement, Claim, Conflict, Quantity, Source, Statement
from kb.nlp.lexicon import Lexicon
from kb.nlp.quantities import format_quantity

__all__ = [
    "AGREEMENT_FIELDS",
    "CLAIM_FIELDS",
    "CONFLICT_FIELDS",
    "QUANTITY_COLUMNS",
    "SOURCE_COLUMNS",
    "SOURCE_FIELDS",
    "STATEMENT_COLUMNS",
    "STATEMENT_FIELDS",
    "agreement_record",
    "claim_listing",
    "claim_record",
    "claim_records",
    "conflict_record",
    "format_records",
    "quantity_rows",
    "source_record",
    "statement_record",
]

# Field order of the public JSON shapes in the README; fields may be added, never renamed.
SOURCE_FIELDS = ("id", "title", "author", "site", "url", "kind", "words", "near_duplicates")
STATEMENT_FIELDS = (
    "id", "source", "quote", "start", "end", "claim_id", "claim", "claim_type", "polarity",
    "certainty", "attribution", "quantities",
)  # fmt: skip
_SOURCE_EXTRA = (
    "date", "doi", "fetched", "format", "encoding", "path", "sha256", "file_sha256",
    "warnings", "kind_reasons", "cites",
)  # fmt: skip
_STATEMENT_EXTRA = ("subject", "relation", "object", "qualifiers", "section", "label")
# The columns of the sources and statements tables: the public shape, then metadata.
SOURCE_COLUMNS = SOURCE_FIELDS + _SOURCE_EXTRA
STATEMENT_COLUMNS = STATEMENT_FIELDS + _STATEMENT_EXTRA


def source_record(source: Source, near_duplicates: list[str] | None = None) -> dict[str, Any]:
    """The public JSON shape of a source (without its text), with the sources it copies
    or closely paraphrases, why kb gave it its kind, and the works it cites."""
    data = source.to_dict()
    record = {name: data.get(name) for name in SOURCE_FIELDS if name != "near_duplicates"}
    record["near_duplicates"] = list(near_duplicates or [])
    record.update({name: data[name] for name in _SOURCE_EXTRA if name in data})
    record["kind_reasons"] = list(source.profile.get("kind_reasons", []))
    record["cites"] = [c["text"] for c in source.profile.get("cites", [])]
    return record


CLAIM_FIELDS = (
    "id", "claim_type", "label", "sources", "affirming", "negating", "hedging", "opposing",
    "independent", "consensus", "certainty", "statements", "subject", "relation", "object",
    "comparator", "normalised", "refines",
)  # fmt: skip
AGREEMENT_FIELDS = (
    "claim_id", "label", "claim_type", "affirming", "negating", "hedging", "opposing",
    "independent_affirming", "independent_negating", "independent_opposing", "independent",
    "consensus",
)  # fmt: skip
CONFLICT_FIELDS = ("id", "kind", "topic", "claim_ids", "sides", "detail", "confidence", "status")
QUANTITY_COLUMNS = ("side", "position", "source", "text", "low", "high", "unit")


def claim_records(
    claims: list[Claim],
    statements: Iterable[Statement],
    voice_of: dict[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> list[dict[str, Any]]:
    """Claims with the sources affirming, negating, hedging and opposing them, how many
    independent sources state them, their consensus and mix of certainty; most widely
    stated first.

    A source affirms a claim when most of its statements of it do, and opposes it when
    it affirms a claim that ``lexicon`` declares contrary instead (see kb.analyze)."""
    stands = agreement(claims, statements, voice_of or {}, lexicon)
    return claim_listing(claims, {a.claim_id: a for a in stands})


def claim_listing(claims: list[Claim], stands: Mapping[str, Agreement]) -> list[dict[str, Any]]:
    """Claims as records with their agreement figures, most widely stated first."""
    records = [claim_record(claim, stands[claim.id]) for claim in claims]
    records.sort(key=lambda r: (-r["sources"], -r["statements"], r["claim_type"], r["label"]))
    return records


def claim_record(claim: Claim, stand: Agreement) -> dict[str, Any]:
    """One claim with its agreement figures, in the shape of the claim listing."""
    return {
        "id": claim.id,
        "claim_type": claim.claim_type,
        "label": claim.label,
        "sources": stand.sources,
        "affirming": stand.affirming,
        "negating": stand.negating,
        "hedging": stand.hedging,
        "opposing": stand.opposing,
        "independent": stand.independent,
        "consensus": stand.consensus,
        "certainty": stand.certainty,
        "statements": stand.statements,
        "subject": claim.subject,
        "relation": claim.relation,
        "object": claim.object,
        "comparator": claim.comparator,
        "normalised": claim.normalised,
        "refines": claim.refines,
    }


def agreement_record(stand: Agreement, claim: Claim) -> dict[str, Any]:
    """One claim's agreement figures (see kb.analyze.Agreement)."""
    return {
        "claim_id": claim.id,
        "label": claim.label,
        "claim_type": claim.claim_type,
        "affirming": stand.affirming,
        "negating": stand.negating,
        "hedging": stand.hedging,
        "opposing": stand.opposing,
        "independent_affirming": stand.independent_affirming,
        "independent_negating": stand.independent_negating,
        "independent_opposing": stand.independent_opposing,
        "independent": stand.independent,
        "consensus": stand.consensus,
    }


def conflict_record(
    conflict: Conflict, quotes: Mapping[str, Statement | dict[str, Any]]
) -> dict[str, Any]:
    """The public JSON shape of a conflict: each side with its statements' exact quotes,
    from ``quotes`` (statement id → the statement, or its ref() as the build stored it)."""
    return {
        "id": conflict.id,
        "kind": conflict.kind,
        "topic": conflict.topic,
        "claim_ids": conflict.claim_ids,
        "sides": [
            {
                "position": side.position,
                "claim_id": side.claim_id,
                "sources": side.sources,
                "statements": [_ref(quotes[i]) for i in side.statement_ids if i in quotes],
            }
            for side in conflict.sides
        ],
        "detail": conflict.detail,
        "confidence": conflict.confidence,
        "status": conflict.status,
    }


def _ref(quoted: Statement | dict[str, Any]) -> dict[str, Any]:
    return quoted.ref() if isinstance(quoted, Statement) else quoted


def quantity_rows(conflict: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The quantities each side of a conflict record states, one row per quantity with
    QUANTITY_COLUMNS: ``side`` numbers the sides from 1 and ``text`` is the quantity as kb
    writes it (kb.nlp.quantities.format_quantity: "10–20 minutes", "~25 minutes")."""
    return [
        {
            "side": number,
            "position": side["position"],
            "source": statement["source"],
            "text": format_quantity(Quantity.from_dict(quantity)),
            "low": quantity.get("low"),
            "high": quantity.get("high"),
            "unit": quantity.get("unit", ""),
        }
        for number, side in enumerate(conflict["sides"], start=1)
        for statement in side["statements"]
        for quantity in statement.get("quantities") or []
    ]


def statement_record(statement: Statement) -> dict[str, Any]:
    """The public JSON shape of a statement."""
    data = statement.to_dict()
    return {name: data[name] for name in STATEMENT_COLUMNS}


def format_records(records: list[dict[str, Any]], fields: Iterable[str], fmt: str) -> str:
    """Records as JSON Lines, a JSON array, or CSV (lists and dicts JSON-encoded in cells)."""
    fields = list(fields)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_cell(record.get(k)) for k in fields})
        return out.getvalue()
    raise ExportError(f"unknown format {fmt!r}; choose jsonl, json or csv")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
