"""Filters on kb's listings: which sources (by kind, site and date) and which claim type.

One ``Where`` is given to every listing (sources, statements, claims, conflicts, search,
exports), so that `kb claims --site nhs.uk` and ``base.claims(site="nhs.uk")`` keep the
same rows. Pure functions of the records; no I/O.

A claim or a conflict is kept when one of the sources that state it (or stand on one of
its sides) is kept: the filter says whose words to look at, not how to count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kb.errors import QueryError
from kb.model import CLAIM_TYPES, SOURCE_KINDS, Source

__all__ = [
    "FILTER_NAMES",
    "Where",
    "keep_claims",
    "keep_conflicts",
    "keep_statements",
    "where_from",
]

# The keyword arguments of the API's listings that filter them, as `kb` spells them.
FILTER_NAMES = ("source_kind", "site", "since", "until", "claim_type")

# A date bound: a year, a month or a day ("2021", "2021-03", "2021-03-04").
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


@dataclass(frozen=True, slots=True)
class Where:
    """What a listing keeps; None keeps everything.

    - ``source_kind``: sources of this kind (SOURCE_KINDS);
    - ``site``: sources whose site is this name (case ignored), or whose URL's host is
      this domain or one of its subdomains ("nhs.uk" keeps www.nhs.uk);
    - ``since``/``until``: sources dated in this range, bounds included; a bound is a
      year, a month or a day, so ``until="2021"`` keeps all of 2021. A source without a
      date is left out once a date is asked for;
    - ``claim_type``: statements and claims of this type (CLAIM_TYPES).

    >>> Where(since="2021-03").admits(Source("a", "", date="2021-03-30"))
    True
    >>> Where(until="2020").admits(Source("a", "", date="2021-01-01"))
    False
    """

    source_kind: str | None = None
    site: str | None = None
    since: str | None = None
    until: str | None = None
    claim_type: str | None = None

    def __post_init__(self) -> None:
        if self.source_kind is not None and self.source_kind not in SOURCE_KINDS:
            raise QueryError(
                f"no source kind {self.source_kind!r}; choose one of {', '.join(SOURCE_KINDS)}"
            )
        if self.claim_type is not None and self.claim_type not in CLAIM_TYPES:
            raise QueryError(
                f"no claim type {self.claim_type!r}; choose one of {', '.join(CLAIM_TYPES)}"
            )
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.fullmatch(value):
                raise QueryError(
                    f"{name} {value!r} is not a date; give a year, a month or a day: "
                    "2021, 2021-03 or 2021-03-04"
                )
        if self.since and self.until and self.since[: len(self.until)] > self.until:
            raise QueryError(f"since {self.since} is after until {self.until}; swap them")

    @property
    def on_sources(self) -> bool:
        """Whether it leaves out some sources (else only, perhaps, a claim type)."""
        return any(v is not None for v in (self.source_kind, self.site, self.since, self.until))

    def admits(self, source: Source | Mapping[str, Any]) -> bool:
        """Whether a source (or its record) is kept by kind, site and date."""
        get = source.get if isinstance(source, Mapping) else lambda name: getattr(source, name)
        if self.source_kind is not None and get("kind") != self.source_kind:
            return False
        if self.site is not None and not _on_site(get("site") or "", get("url") or "", self.site):
            return False
        date = (get("date") or "")[:10]
        if (self.since or self.until) and not date[:4].isdigit():
            return False  # no date (or not an ISO one): not known to be in the range
        if self.since is not None and date[: len(self.since)] < self.since:
            return False
        return self.until is None or date[: len(self.until)] <= self.until

    def source_ids(self, sources: Iterable[Source | Mapping[str, Any]]) -> list[str] | None:
        """The ids of the sources (or their records) it keeps; None when it keeps them all
        (no filter to run)."""
        if not self.on_sources:
            return None
        return [s["id"] if isinstance(s, Mapping) else s.id for s in sources if self.admits(s)]

    def keeps_claim(self, record: Mapping[str, Any], kept: set[str] | None) -> bool:
        """Whether a claim record (claim_records) is of the type and stated by a kept source."""
        if self.claim_type is not None and record["claim_type"] != self.claim_type:
            return False
        stating = (*record["affirming"], *record["negating"], *record["hedging"])
        return kept is None or any(s in kept for s in stating)


def _on_site(site: str, url: str, wanted: str) -> bool:
    """Whether a source's site name or URL is ``wanted`` (a name, or a domain).

    >>> _on_site("", "https://www.nhs.uk/conditions/x", "nhs.uk"), _on_site("NHS", "", "nhs")
    (True, True)
    >>> _on_site("", "https://notnhs.uk/", "nhs.uk")
    False
    """
    wanted = wanted.lower().strip()
    host = (urlsplit(url).hostname or "") if url else ""
    return site.lower() == wanted or host == wanted or host.endswith("." + wanted)


def where_from(filters: Mapping[str, str | None]) -> Where:
    """A Where from an API call's keyword arguments, refusing a name it does not know
    (a misspelt filter would otherwise keep everything)."""
    unknown = sorted(set(filters) - set(FILTER_NAMES))
    if unknown:
        raise TypeError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTER_NAMES)}")
    return Where(**filters)


def keep_claims(
    records: list[dict[str, Any]], where: Where, sources: Iterable[Source | Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The claim records (claim_records) ``where`` keeps."""
    kept = where.source_ids(sources)
    ids = None if kept is None else set(kept)
    return [r for r in records if where.keeps_claim(r, ids)]


def keep_conflicts(
    records: list[dict[str, Any]],
    where: Where,
    sources: Iterable[Source | Mapping[str, Any]],
    claim_types: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The conflict records (conflict_records) ``where`` keeps: one of a kept source on a
    side, about a claim of the type (``claim_types``: claim id → type)."""
    kept = where.source_ids(sources)
    ids = None if kept is None else set(kept)
    out = []
    for record in records:
        types = {claim_types.get(c) for c in record["claim_ids"]}
        if where.claim_type is not None and where.claim_type not in types:
            continue
        on_sides = {st["source"] for side in record["sides"] for st in side["statements"]}
        if ids is None or on_sides & ids:
            out.append(record)
    return out


def keep_statements(
    records: list[dict[str, Any]], where: Where, sources: Iterable[Source | Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The statement records (statement_record) ``where`` keeps."""
    kept = where.source_ids(sources)
    ids = None if kept is None else set(kept)
    return [
        r for r in records
        if where.claim_type in (None, r["claim_type"]) and (ids is None or r["source"] in ids)
    ]  # fmt: skip
