"""Records ↔ table rows, by column name: one codec (an ``encode_*``/``decode_*`` pair) per
record, and every JSON cell encoded and decoded here.

``encode_X(record)`` gives the row as a dict of column name → value (the writer binds it
by name); ``decode_X(row)`` reads a ``sqlite3.Row`` or any mapping by column name, so a
query may select the columns in any order, and a record's fields may be reordered,
without a value landing in the wrong field.

JSON cells: a source's warnings and profile; a statement's quantities, qualifiers and
quantity values; a claim's refines; a near-duplicate pair's examples; a conflict's claim
ids, sides and quotes; the lists and certainty mix of agreement; a check's grouped sources;
a curation decision's quote selector.
"""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from kb.model import (
    Agreement,
    Claim,
    Conflict,
    Decision,
    DuplicatePair,
    Qualifiers,
    Quantity,
    Sentence,
    Sketch,
    Skipped,
    Source,
    Stated,
    Statement,
)

Row = Mapping[str, Any]  # a sqlite3.Row, or a dict of column name → value


def _json(value: Any) -> str:
    # Some cells are stored with ASCII escapes (json.dumps' default) and some without, as
    # schema 5 has always written them: changing one changes the bytes stored (and makes
    # the next build rewrite every row it is in).
    return json.dumps(value, ensure_ascii=False)


def _list(text: str) -> Any:
    return [] if text == "[]" else json.loads(text)  # most lists stored are empty


# ---------------------------------------------------------------- sources and units


def encode_source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id, "path": source.path, "format": source.format,
        "encoding": source.encoding, "title": source.title, "author": source.author,
        "site": source.site, "url": source.url, "date": source.date, "doi": source.doi,
        "fetched": source.fetched, "kind": source.kind,
        "file_sha256": source.file_sha256, "sha256": source.sha256, "words": source.words,
        "warnings": json.dumps(source.warnings),
        "profile": json.dumps(source.profile, ensure_ascii=False, sort_keys=True),
        "text": source.text,
    }  # fmt: skip


def decode_source(row: Row) -> Source:
    """A source; its ``text`` is empty when the row has none (loaders leave out the bulk)."""
    # keys(): ``in`` on a sqlite3.Row looks among its values.
    text = row["text"] if "text" in row.keys() else ""  # noqa: SIM118
    return Source(
        id=row["id"], path=row["path"], format=row["format"], encoding=row["encoding"],
        title=row["title"], author=row["author"], site=row["site"], url=row["url"],
        date=row["date"], doi=row["doi"], fetched=row["fetched"], kind=row["kind"],
        file_sha256=row["file_sha256"],
        sha256=row["sha256"], words=row["words"], warnings=json.loads(row["warnings"]),
        profile=json.loads(row["profile"]), text=text,
    )  # fmt: skip


def encode_unit(source_id: str, unit: Sentence) -> dict[str, Any]:
    return {"source": source_id, "idx": unit.index, "start": unit.start, "end": unit.end,
            "kind": unit.kind, "section": unit.section, "label": unit.label}  # fmt: skip


def decode_unit(row: Row, text: str) -> Sentence:
    """A heading, sentence or item of the source whose ``text`` is given: units store
    their span, not their words."""
    start, end = row["start"], row["end"]
    return Sentence(start=start, end=end, text=text[start:end], kind=row["kind"],
                    section=row["section"], label=row["label"], index=row["idx"])  # fmt: skip


def encode_skipped(skipped: Skipped) -> dict[str, Any]:
    return {"path": skipped.path, "reason": skipped.reason}


def decode_skipped(row: Row) -> Skipped:
    return Skipped(path=row["path"], reason=row["reason"])


# ---------------------------------------------------------------- statements


def quantity_values(quantities: Iterable[Quantity]) -> list[Quantity]:
    """Quantities without their text and offsets (Quantity.as_value): equal for "20
    minutes" in two sources, and stored apart so that a check groups statements by them."""
    return [q.as_value() for q in quantities]


def encode_quantities(quantities: Iterable[Quantity]) -> str:
    """A statement's quantities (or quantity values) as stored: Quantity.to_dict() each.

    >>> encode_quantities([])
    '[]'
    >>> encode_quantities([Quantity("5 µg", 0, 4, 5.0, 5.0, "µg", "mass")])
    '[{"text": "5 µg", "start": 0, "end": 4, "low": 5.0, "high": 5.0, "unit": "µg", \
"dimension": "mass", "approx": false, "bound": "exact"}]'
    """
    # Most statements have none; json.dumps costs ~2 µs even on an empty list.
    data = [q.to_dict() for q in quantities]
    return _json(data) if data else "[]"


def decode_quantities(text: str) -> list[Quantity]:
    """The quantities ``encode_quantities`` stored.

    >>> decode_quantities('[{"text": "", "start": 0, "end": 0, "low": 20.0, "high": 20.0, '
    ...                   '"unit": "minute", "dimension": "duration"}]')[0].low
    20.0
    """
    return [Quantity.from_dict(q) for q in _list(text)]


def encode_qualifiers(qualifiers: Qualifiers) -> str:
    """A statement's qualifiers as stored: Qualifiers.to_dict() as JSON.

    >>> encode_qualifiers(Qualifiers()), encode_qualifiers(Qualifiers(normalised=False))
    ('{}', '{"normalised": false}')
    """
    data = qualifiers.to_dict()
    return _json(data) if data else "{}"


def decode_qualifiers(text: str) -> Qualifiers:
    """The qualifiers ``encode_qualifiers`` stored. Most are one of a few short objects
    ('{"normalised": false}' for 140,000 of 283,000 statements at 10,000 sources), read
    once each: the record is immutable, so statements share it.

    >>> decode_qualifiers('{"normalised": false}') == Qualifiers(normalised=False)
    True
    """
    if len(text) < 80:
        return _short_qualifiers(text)
    return Qualifiers.from_dict(json.loads(text))


@functools.lru_cache(maxsize=4096)
def _short_qualifiers(text: str) -> Qualifiers:
    return Qualifiers.from_dict(json.loads(text))


def encode_statement(statement: Statement) -> dict[str, Any]:
    # Attribute by attribute: dataclasses.asdict deep-copies, which cost more than the insert.
    s = statement
    return {
        "id": s.id, "source": s.source, "start": s.start, "end": s.end, "quote": s.quote,
        "claim_type": s.claim_type, "subject": s.subject, "relation": s.relation,
        "object": s.object, "polarity": s.polarity, "certainty": s.certainty,
        "attribution": s.attribution, "quantities": encode_quantities(s.quantities),
        "qualifiers": encode_qualifiers(s.qualifiers), "section": s.section,
        "label": s.label, "claim_id": s.claim_id, "claim": s.claim,
        "quantity_values": encode_quantities(quantity_values(s.quantities)),
    }  # fmt: skip


def decode_statement(row: Row) -> Statement:
    return Statement(
        id=row["id"], source=row["source"], quote=row["quote"], start=row["start"],
        end=row["end"], claim_type=row["claim_type"], subject=row["subject"],
        relation=row["relation"], object=row["object"], polarity=row["polarity"],
        certainty=row["certainty"], attribution=row["attribution"],
        quantities=decode_quantities(row["quantities"]),
        qualifiers=decode_qualifiers(row["qualifiers"]), section=row["section"],
        label=row["label"], claim_id=row["claim_id"], claim=row["claim"],
    )  # fmt: skip


# What citing a statement reads of it (Statement.ref() and its claim id): a check cites
# thousands, and reading the rest took most of its time.
CITED_COLUMNS = ("id", "source", "quote", "start", "end", "polarity", "certainty",
                 "quantities", "claim_id")  # fmt: skip


def decode_cited(row: Row) -> Statement:
    """A statement with only its CITED_COLUMNS read; the other fields keep their defaults."""
    return Statement(
        id=row["id"], source=row["source"], quote=row["quote"], start=row["start"],
        end=row["end"], polarity=row["polarity"], certainty=row["certainty"],
        quantities=decode_quantities(row["quantities"]), claim_id=row["claim_id"],
    )  # fmt: skip


def decode_stated(row: Row) -> Stated:
    """A group of statements alike for a check's verdict; ``statements`` is their count
    and ``sources`` a JSON array of their sources (SQL's json_group_array)."""
    return Stated(
        claim_id=row["claim_id"], polarity=row["polarity"], certainty=row["certainty"],
        quantities=tuple(decode_quantities(row["quantity_values"])),
        statements=row["statements"],
        sources=frozenset(json.loads(row["sources"])),
    )  # fmt: skip


# ---------------------------------------------------------------- claims and agreement


def encode_claim(claim: Claim) -> dict[str, Any]:
    """A claim's row; its statements point at it (their claim_id), it does not list them."""
    c = claim
    return {"id": c.id, "claim_type": c.claim_type, "label": c.label, "subject": c.subject,
            "relation": c.relation, "object": c.object, "comparator": c.comparator,
            "normalised": int(c.normalised), "refines": json.dumps(c.refines)}  # fmt: skip


def decode_claim(row: Row, statement_ids: list[str]) -> Claim:
    return Claim(
        id=row["id"], claim_type=row["claim_type"], label=row["label"],
        subject=row["subject"], relation=row["relation"], object=row["object"],
        comparator=row["comparator"], normalised=bool(row["normalised"]),
        refines=_list(row["refines"]), statement_ids=statement_ids,
    )  # fmt: skip


_AGREEMENT_LISTS = ("affirming", "negating", "hedging", "opposing", "certainty")


def encode_agreement(stand: Agreement) -> dict[str, Any]:
    a = stand
    return {
        "claim_id": a.claim_id, "affirming": _json(a.affirming), "negating": _json(a.negating),
        "hedging": _json(a.hedging), "opposing": _json(a.opposing),
        "independent_affirming": a.independent_affirming,
        "independent_negating": a.independent_negating,
        "independent_opposing": a.independent_opposing, "independent": a.independent,
        "consensus": a.consensus, "sources": a.sources, "statements": a.statements,
        "certainty": json.dumps(a.certainty),
    }  # fmt: skip


def decode_agreements(rows: Iterable[Row]) -> list[Agreement]:
    """The agreement figures of many claims at once: one json.loads for the lists of all
    (per row, its overhead was most of the time for 9,000 claims). Each stored text is
    JSON, so their join is too."""
    rows = list(rows)
    lists = json.loads(
        "[" + ",".join("[" + ",".join(row[c] for c in _AGREEMENT_LISTS) + "]" for row in rows) + "]"
    )
    return [
        Agreement(
            claim_id=row["claim_id"], affirming=affirming, negating=negating, hedging=hedging,
            opposing=opposing, independent_affirming=row["independent_affirming"],
            independent_negating=row["independent_negating"],
            independent_opposing=row["independent_opposing"], independent=row["independent"],
            consensus=row["consensus"], sources=row["sources"], statements=row["statements"],
            certainty=certainty,
        )
        for row, (affirming, negating, hedging, opposing, certainty)
        in zip(rows, lists, strict=True)
    ]  # fmt: skip


# ---------------------------------------------------------------- near-duplicates


def encode_duplicate(pair: DuplicatePair) -> dict[str, Any]:
    p = pair
    return {"a": p.a, "b": p.b, "similarity": p.shingle_similarity, "aligned": p.aligned,
            "aligned_share": p.aligned_share, "examples": json.dumps(p.examples)}  # fmt: skip


def decode_duplicate(row: Row) -> DuplicatePair:
    examples = tuple(tuple(map(tuple, e)) for e in json.loads(row["examples"]))
    return DuplicatePair(a=row["a"], b=row["b"], shingle_similarity=row["similarity"],
                         aligned=row["aligned"], aligned_share=row["aligned_share"],
                         examples=examples)  # fmt: skip


def encode_sketch(source_id: str, sketch: Sketch) -> dict[str, Any]:
    """The ``sketches`` row of a source's sketch (``decode_sketch`` reads it back).

    >>> row = encode_sketch("a", Sketch((1, 2), (("minut", "needl"), ("place",))))
    >>> row["bands"].hex(), row["sentences"]
    ('00000000000000010000000000000002', 'minut needl\\nplace')
    """
    bands = struct.pack(f">{len(sketch.bands)}Q", *sketch.bands)
    sentences = "\n".join(" ".join(words) for words in sketch.sentences)
    return {"source": source_id, "bands": bands, "sentences": sentences}


def decode_sketch(row: Row) -> Sketch:
    bands, sentences = row["bands"], row["sentences"]
    return Sketch(
        bands=struct.unpack(f">{len(bands) // 8}Q", bands),
        sentences=tuple(tuple(line.split(" ")) for line in sentences.split("\n"))
        if sentences
        else (),
    )


# ---------------------------------------------------------------- conflicts


def encode_conflict(conflict: Conflict, quotes: list[dict[str, Any]]) -> dict[str, Any]:
    """A conflict's row, with ``quotes``: Statement.ref() of the statements on its sides."""
    c = conflict
    return {"id": c.id, "kind": c.kind, "topic": c.topic, "claim_ids": json.dumps(c.claim_ids),
            "sides": _json([asdict(s) for s in c.sides]), "detail": c.detail,
            "confidence": c.confidence, "quotes": _json(quotes), "status": c.status}  # fmt: skip


def decode_conflict(row: Row) -> Conflict:
    return Conflict.from_dict(
        {"id": row["id"], "kind": row["kind"], "topic": row["topic"],
         "claim_ids": json.loads(row["claim_ids"]), "sides": json.loads(row["sides"]),
         "detail": row["detail"], "confidence": row["confidence"], "status": row["status"]}
    )  # fmt: skip


def decode_conflict_quotes(row: Row) -> dict[str, dict[str, Any]]:
    """Statement id → Statement.ref() of the statements on a conflict's sides."""
    return {ref["id"]: ref for ref in json.loads(row["quotes"])}


# ---------------------------------------------------------------- curation


def encode_decision(decision: Decision) -> dict[str, Any]:
    data = decision.to_dict()
    data["selector"] = _json(data["selector"]) if data["selector"] else ""
    return data


def decode_decision(row: Row) -> Decision:
    """A decision's row; a column an older store lacks takes its default (decisions are
    carried over from a store of an earlier kb version)."""
    data = {k: row[k] for k in row.keys()}  # noqa: SIM118 (a sqlite3.Row has no items())
    data["selector"] = json.loads(data["selector"]) if data.get("selector") else None
    return Decision.from_dict(data)
