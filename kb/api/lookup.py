"""kb.check's view of a store (``StoreLookup``) and the lexicon a KB was built with
(``built_with``): helpers of KnowledgeBase kept out of kb.api's main module."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from kb import store
from kb.errors import LexiconError
from kb.model import Claim, Stated, Statement
from kb.nlp.lexicon import Lexicon, load_lexicon
from kb.pipeline import default_lexicon_paths

__all__ = ["StoreLookup", "built_with"]


class StoreLookup:
    """kb.check's view of a store, over one open connection."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def claims_about(self, objects: Iterable[str]) -> list[Claim]:
        return store.load_claims_matching(self.conn, objects=objects)

    def claims_by_id(self, ids: Iterable[str]) -> list[Claim]:
        return store.load_claims_matching(self.conn, ids=ids)

    def stated(self, claim_ids: Iterable[str]) -> list[Stated]:
        return store.load_stated(self.conn, claim_ids)

    def statements_from(self, pairs: Iterable[tuple[str, str]]) -> list[Statement]:
        return store.load_statements_from(self.conn, pairs)

    def statements_saying(self, claim_ids: Iterable[str], fragment: str) -> Iterable[Statement]:
        return store.load_statements_saying(self.conn, claim_ids, fragment)

    def count_matches(self, query: str, cap: int) -> int:
        return store.count_matches(self.conn, query, cap)

    def search(self, query: str, limit: int) -> list[Statement]:
        return store.search_statements(self.conn, query, limit)

    def statements_by_id(self, ids: Iterable[str]) -> list[Statement]:
        return store.load_statements_by_id(self.conn, list(ids))


def built_with(meta: dict[str, str]) -> Lexicon:
    """The lexicon a KB's ``meta`` says it was built with (see KnowledgeBase.lexicon)."""
    recorded = [Path(f) for f in json.loads(meta.get("lexicon_files") or "[]")]
    wanted = meta.get("lexicon_sha256")
    for files in (recorded, default_lexicon_paths()):
        if files and all(f.exists() for f in files):
            lexicon = load_lexicon(files)
            if wanted in (None, lexicon.sha256):
                return lexicon
    where = ", ".join(str(f) for f in recorded) or "(not recorded)"
    raise LexiconError(
        f"the KB was built with a lexicon that is changed or gone ({where}); rebuild the "
        "KB with `kb build`, or set KB_LEXICON to the lexicon it was built with"
    )
