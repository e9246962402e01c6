"""`kb search`: the statements and claims that say something, found by words and, when
the KB's sentence vectors exist, by meaning.

Words: every word (and "quoted phrase") of the text must be in a statement's sentence
(the FTS5 index, porter-stemmed: "needles" finds "needle"), best first by bm25; claims
whose label holds every word, most widely stated first. The text is never passed to
FTS5 as a query: its words are quoted one by one, so that ``AND``, ``*`` or an unbalanced
quote are words to find, not syntax that fails.

Meaning (the extra ``semantic``, see kb.semantic): the statements nearest to the text,
added after the word hits, with ``via`` saying how each was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kb import store
from kb.api.filters import Where
from kb.errors import QueryError
from kb.model import Claim, Statement

if TYPE_CHECKING:
    from kb.api import KnowledgeBase

__all__ = ["SEARCH_COLUMNS", "SearchHit", "SearchResult", "fts_query", "search", "search_words"]

# Nearness in meaning below which a statement is not a hit (cosine similarity of
# all-MiniLM-L6-v2 vectors; kb.check keeps matches from 0.5 up, a search shows a little more).
MEANING_MIN = 0.45

# The flat columns of KnowledgeBase.search(): a notebook filters and sorts them directly.
SEARCH_COLUMNS = (
    "score", "via", "source", "quote", "start", "end", "claim_id", "claim", "claim_type",
    "polarity", "certainty", "id",
)  # fmt: skip

_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"\w+")


def search_words(text: str) -> list[list[str]]:
    """The terms of a search: each "quoted phrase" or bare word, as its words.

    >>> search_words('needle "blood flow" AND x*')
    [['needle'], ['blood', 'flow'], ['AND'], ['x']]
    """
    terms = []
    for phrase, bare in _TERM.findall(text):
        words = _WORD.findall(phrase or bare)
        if words:
            terms.append(words)
    return terms


def fts_query(terms: list[list[str]]) -> str:
    """An FTS5 query that every term must match, each quoted (a phrase, or one word), so
    that nothing in it is FTS5 syntax.

    >>> fts_query([['needle'], ['blood', 'flow'], ['AND']])
    '"needle" "blood flow" "AND"'
    """
    return " ".join('"' + " ".join(words) + '"' for words in terms)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A statement found: ``score`` is bm25's (higher is better) for a hit by words, the
    cosine similarity for one by meaning only; ``via`` says how it was found."""

    statement: Statement
    score: float
    via: str  # "words", "meaning" or "words+meaning"

    def to_json(self) -> dict[str, Any]:
        st = self.statement
        return {
            "score": self.score, "via": self.via, "source": st.source, "quote": st.quote,
            "start": st.start, "end": st.end, "claim_id": st.claim_id, "claim": st.claim,
            "claim_type": st.claim_type, "polarity": st.polarity, "certainty": st.certainty,
            "id": st.id,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What `kb search` prints: the text, whether meaning was searched, statements and
    claims found."""

    text: str
    by_meaning: bool
    statements: list[SearchHit] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{text, by_meaning, statements: [{score, via, source, quote, start, end, claim_id,
        claim, claim_type, polarity, certainty, id}], claims: [{id, claim_type, label}]}``."""
        return {
            "text": self.text,
            "by_meaning": self.by_meaning,
            "statements": [hit.to_json() for hit in self.statements],
            "claims": [
                {"id": c.id, "claim_type": c.claim_type, "label": c.label} for c in self.claims
            ],
        }


def search(
    base: KnowledgeBase,
    text: str,
    *,
    where: Where | None = None,
    limit: int = 20,
    semantic: bool | None = None,
) -> SearchResult:
    """Statements and claims of ``base`` that say ``text`` (see the module), up to ``limit``
    of each, kept by ``where``. ``semantic`` as for KnowledgeBase.check: None searches by
    meaning when the extra is installed and the KB's vectors were made."""
    where = where or Where()
    terms = search_words(text)
    if not terms:
        raise QueryError(f"nothing to search for in {text!r}; give words, e.g. kb search needles")
    if limit < 1:
        raise QueryError(f"limit {limit} finds nothing; give 1 or more")
    by_meaning = base._wants_semantic(semantic)
    source_ids = where.source_ids(base.source_facets()) if where.on_sources else None
    stamp = base._stamp()  # before the store opens; see KnowledgeBase.check
    with store.read_connection(base.path) as conn:
        ranked = store.search_ranked(
            conn, fts_query(terms), limit, claim_type=where.claim_type, source_ids=source_ids
        )
        hits = [SearchHit(st, round(-rank, 3), "words") for st, rank in ranked]
        if by_meaning:
            near = base._semantic_search(conn, stamp).search(text, limit * 5)
            hits = _with_meaning(hits, near, conn, where, source_ids, limit)
        words = [word for term in terms for word in term]
        claims = store.search_claim_labels(
            conn, words, limit, claim_type=where.claim_type, source_ids=source_ids
        )
    return SearchResult(text, by_meaning, hits, claims)


def _with_meaning(
    hits: list[SearchHit],
    near: list[tuple[str, float]],
    conn: Any,
    where: Where,
    source_ids: list[str] | None,
    limit: int,
) -> list[SearchHit]:
    """The hits by words, marked when meaning found them too, then the statements only
    meaning found (nearest first), kept by ``where``, up to ``limit`` more."""
    similarity = {sid: s for sid, s in near if s >= MEANING_MIN}
    found = {hit.statement.id for hit in hits}
    out = [
        SearchHit(h.statement, h.score, "words+meaning") if h.statement.id in similarity else h
        for h in hits
    ]
    kept = None if source_ids is None else set(source_ids)
    added = 0
    for st in store.load_statements_by_id(conn, [s for s in similarity if s not in found]):
        if added == limit:
            break
        if where.claim_type not in (None, st.claim_type) or (
            kept is not None and st.source not in kept
        ):
            continue
        out.append(SearchHit(st, round(similarity[st.id], 3), "meaning"))
        added += 1
    return out
