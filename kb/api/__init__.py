"""The Python API: open a knowledge base and read it as pandas DataFrames.

Example::

    import kb
    base = kb.open("data/kb.sqlite")
    base.sources()[["id", "title", "words"]]
    base.statements(source="003_a243d097950171fd")
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kb import collector, store
from kb import semantic as embeddings
from kb.analyze import voices
from kb.analyze.agreement import (
    STANCES,
    STATUSES,
    SourceStance,
    claim_status,
    stance_table,
)
from kb.analyze.conflicts import CONFLICT_KINDS, confidence_note, conflicts_by_claim
from kb.analyze.independence import duplicate_groups
from kb.analyze.pairs import PAIR_COLUMNS, source_pairs
from kb.analyze.suggest import Suggested, suggest_lexicon, suggestion_yaml
from kb.api import exports
from kb.api.building import (
    DEFAULT_KB,
    DEFAULT_SOURCES,
    build,
    default_kb_path,
    remove,
    resumable,
)
from kb.api.curation import Curation, default_curator
from kb.api.exports import BINARY_FORMATS, EXPORT_FORMATS, citation_gaps
from kb.api.extras import conflict_kinds, conflict_quantities, context_span
from kb.api.filters import (
    FILTER_NAMES,
    Where,
    keep_claims,
    keep_conflicts,
    keep_statements,
    where_from,
)
from kb.api.lookup import StoreLookup, built_with
from kb.api.records import (
    AGREEMENT_FIELDS,
    CLAIM_FIELDS,
    CONFLICT_FIELDS,
    SOURCE_COLUMNS,
    SOURCE_FIELDS,
    STATEMENT_COLUMNS,
    STATEMENT_FIELDS,
    agreement_record,
    claim_listing,
    claim_record,
    claim_records,
    conflict_record,
    format_records,
    source_record,
    statement_record,
)
from kb.api.search import SEARCH_COLUMNS, SearchResult, search
from kb.check import Checker, SubjectNames
from kb.cite import CITATION_STYLES, format_citations
from kb.errors import ExportError, KbNotFoundError, SemanticUnavailableError
from kb.evaluate import EvalReport, evaluate, load_gold
from kb.evaluate_check import (
    CheckReport,
    ConflictReport,
    evaluate_checks,
    evaluate_conflicts,
    gold_kind,
    load_check_gold,
    load_disagreements,
)
from kb.graph import GRAPH_FORMATS, build_graph, concept_label, export_graph
from kb.graph.views import MAX_NODES, NODE_KINDS, graph_layout, graph_view, node_details
from kb.model import (
    Agreement,
    CheckResult,
    Claim,
    Conflict,
    DuplicatePair,
    Sentence,
    Source,
    Statement,
)
from kb.nlp.lexicon import Lexicon, load_lexicon
from kb.stages.extract import Extractor

__all__ = [
    "AGREEMENT_FIELDS",
    "BINARY_FORMATS",
    "CITATION_STYLES",
    "CLAIM_FIELDS",
    "CONFLICT_FIELDS",
    "CONFLICT_KINDS",
    "DEFAULT_KB",
    "DEFAULT_SOURCES",
    "EXPORT_FORMATS",
    "FILTER_NAMES",
    "GRAPH_FORMATS",
    "MAX_NODES",
    "NODE_KINDS",
    "PAIR_COLUMNS",
    "SEARCH_COLUMNS",
    "SOURCE_FIELDS",
    "STANCES",
    "STATEMENT_FIELDS",
    "STATUSES",
    "KnowledgeBase",
    "SearchResult",
    "Suggested",
    "Where",
    "agreement_record",
    "build",
    "citation_gaps",
    "claim_record",
    "claim_records",
    "concept_label",
    "confidence_note",
    "conflict_kinds",
    "conflict_quantities",
    "conflict_record",
    "context_span",
    "default_curator",
    "default_kb_path",
    "export_graph",
    "format_records",
    "graph_layout",
    "graph_view",
    "load_lexicon",
    "node_details",
    "open_kb",
    "remove",
    "resumable",
    "source_record",
    "statement_record",
    "suggestion_yaml",
]


def open_kb(path: str | Path | None = None) -> KnowledgeBase:
    """Open an existing KB; raises KbNotFoundError, NotAKbError or SchemaVersionError."""
    kb_path = Path(path) if path else default_kb_path()
    store.check_store(kb_path)
    return KnowledgeBase(kb_path)


class KnowledgeBase:
    """A built knowledge base. Each call reads the store afresh, so an instance stays
    valid across rebuilds and may be shared between threads; only the lexicon that
    ``check`` reads sentences with is loaded once per instance."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lexicon: Lexicon | None = None
        self._checker_extractor: Extractor | None = None
        self._subjects: tuple[str, SubjectNames] | None = None
        self._vectors: embeddings.StatementIndex | None = None
        self._vectors_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KnowledgeBase({str(self.path)!r})"

    # -- records

    def source_list(self, *, with_text: bool = False) -> list[Source]:
        with store.read_connection(self.path) as conn:
            return store.load_sources(conn, with_text=with_text)

    def source_facets(self) -> list[dict[str, str]]:
        """id, kind, site, url and date of every source: what the filters read."""
        with store.read_connection(self.path) as conn:
            return store.load_source_facets(conn)

    def source(self, source_id: str) -> Source:
        """One source with its full text."""
        with store.read_connection(self.path) as conn:
            found = store.load_source(conn, source_id)
        if found is None:
            raise KbNotFoundError(f"no source {source_id!r} in {self.path}; see `kb sources`")
        return found

    def units(self, source_id: str) -> list[Sentence]:
        """Headings, sentences and list items of one source, in reading order."""
        with store.read_connection(self.path) as conn:
            return store.load_units(conn, source_id)

    def statement_list(self, source: str | None = None) -> list[Statement]:
        with store.read_connection(self.path) as conn:
            return store.load_statements(conn, source)

    def claim_list(self) -> list[Claim]:
        with store.read_connection(self.path) as conn:
            return store.load_claims(conn)

    def near_duplicate_list(self) -> list[DuplicatePair]:
        """Pairs of sources that copy or closely paraphrase each other."""
        with store.read_connection(self.path) as conn:
            return store.load_duplicates(conn)

    def voices(self) -> dict[str, str]:
        """The voice of each source that has near-duplicates (they share one; see
        kb.analyze.voices). A source missing from it is a voice of its own, so the
        sources table need not be read."""
        pairs = [(p.a, p.b) for p in self.near_duplicate_list()]
        return voices({s for pair in pairs for s in pair}, pairs)

    def conflict_list(self, *, dismissed: bool = False) -> list[Conflict]:
        """The conflicts, but those a curator dismissed unless ``dismissed``."""
        with store.read_connection(self.path) as conn:
            found = store.load_conflicts(conn)
        return [c for c in found if dismissed or c.status != "dismissed"]

    @property
    def curation(self) -> Curation:
        """The curator's decisions and actions on this KB (kb.api.curation)."""
        return Curation(self)

    def claim_records(
        self, claim_type: str | None = None, status: str | None = None, **where: str | None
    ) -> list[dict[str, Any]]:
        """Claims as records (see claim_records), optionally of one type and one status
        (see claims(); the records do not carry it, so that their shape stays as it was),
        stated by the sources ``where`` keeps (source_kind, site, since, until: kb.api.filters)."""
        return self._listing(claim_type, status, where=where)[0]

    def claims(
        self, claim_type: str | None = None, status: str | None = None, **where: str | None
    ) -> pd.DataFrame:
        """One row per claim, as `kb claims` lists them: label, type, sources affirming,
        negating and hedging, certainty mix; then ``conflicts`` (how many it is in) and
        ``status``: contested (in a conflict, or a source negates it), agreed (two or more
        independent sources, none against) or one voice. Optionally of one type and one
        status (STATUSES), stated by the sources ``where`` keeps (see claim_records)."""
        records, judged = self._listing(claim_type, status, judge=True, where=where)
        frame = pd.DataFrame.from_records(records, columns=CLAIM_FIELDS)
        frame["conflicts"] = [judged[i][0] for i in frame["id"]]
        frame["status"] = [judged[i][1] for i in frame["id"]]
        return frame

    def _listing(
        self, claim_type: str | None, status: str | None, *, judge: bool = False, where=None
    ) -> tuple[list[dict[str, Any]], dict[str, tuple[int, str]]]:
        """The claim records of ``claim_type`` and ``status``, and when asked for (or
        filtered by) claim id → (conflicts it is in, status)."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; choose {', '.join(STATUSES)}")
        with collector.paused():
            claims, stands = self._claims_and_agreement()
            records = claim_listing(claims, stands)
        records = [r for r in records if claim_type in (None, r["claim_type"])]
        if where:
            records = keep_claims(records, where_from(where), self.source_facets())
        judged: dict[str, tuple[int, str]] = {}
        if judge or status is not None:
            in_conflict = conflicts_by_claim(self.conflict_list())
            for record in records:
                found = len(in_conflict.get(record["id"], ()))
                judged[record["id"]] = (found, claim_status(stands[record["id"]], found))
        if status is not None:
            records = [r for r in records if judged[r["id"]][1] == status]
        return records, judged

    def stance_list(self) -> list[SourceStance]:
        """Where each source stands on each claim it states (kb.analyze.agreement): one
        row per (claim, source), in the order of the statements."""
        with collector.paused(), store.read_connection(self.path) as conn:
            stands = store.load_agreement(conn)
            statements = store.load_statements(conn)
            return stance_table(stands, ((s.claim_id, s.source) for s in statements))

    def stances(self) -> pd.DataFrame:
        """One row per source and claim it states: claim_id, source, stance (STANCES):
        negates, hedges (states it only with hedges), affirms, or mixed (as many of its
        statements deny it as affirm it)."""
        return pd.DataFrame(self.stance_list(), columns=list(SourceStance._fields))

    def source_pairs(self) -> pd.DataFrame:
        """Source × source agreement (kb.analyze.pairs): one row per pair of sources that
        share a claim, meet in a conflict or copy each other, with PAIR_COLUMNS: claims
        both take a side on, how many on the same side and the share, conflicts with the
        two on opposite sides, and whether one is a near-copy of the other."""
        pairs = [(p.a, p.b) for p in self.near_duplicate_list()]
        return source_pairs(self.stance_list(), self.conflict_list(), pairs)

    def _claims_and_agreement(self) -> tuple[list[Claim], dict[str, Agreement]]:
        """Every claim (without its statement ids), and its agreement figures as the
        build stored them: reading every statement instead took seconds at 10,000 sources."""
        with store.read_connection(self.path) as conn:
            return store.load_claims(conn, statement_ids=False), store.load_agreement(conn)

    def source_records(self, **where: str | None) -> list[dict[str, Any]]:
        """Sources in the public shape, with their near-duplicates; those ``where`` keeps
        (source_kind, site, since, until: kb.api.filters)."""
        groups = duplicate_groups(self.near_duplicate_list())
        kept = where_from(where).admits
        return [source_record(s, groups.get(s.id)) for s in self.source_list() if kept(s)]

    def conflict_records(
        self,
        kind: str | None = None,
        min_confidence: float = 0.0,
        *,
        dismissed: bool = False,
        **where: str | None,
    ) -> list[dict[str, Any]]:
        """Conflicts in the public shape, optionally of one kind and at least as sure as
        ``min_confidence`` (see kb.analyze.conflicts.confidence), with a source ``where``
        keeps on a side, about a claim of its claim_type (kb.api.filters); those a
        curator dismissed only with ``dismissed``."""
        conflicts = [c for c in self.conflict_list(dismissed=dismissed) if kind in (None, c.kind)]
        conflicts = [c for c in conflicts if c.confidence >= min_confidence]
        with collector.paused(), store.read_connection(self.path) as conn:
            quotes = store.load_conflict_quotes(conn, [c.id for c in conflicts])
            records = [conflict_record(c, quotes[c.id]) for c in conflicts]
            wanted = where_from(where)
            if not where:
                return records
            types = {}  # claim id → type, read only to filter by it
            if wanted.claim_type is not None:
                types = {c.id: c.claim_type for c in store.load_claims(conn, statement_ids=False)}
        return keep_conflicts(records, wanted, self.source_facets(), types)

    def agreement_records(self) -> list[dict[str, Any]]:
        """Agreement figures for every claim, most independent sources first."""
        with collector.paused():
            claims, stands = self._claims_and_agreement()
            records = [agreement_record(stands[c.id], c) for c in claims]
        records.sort(key=lambda r: (-r["independent"], r["label"]))
        return records

    def lexicon(self) -> Lexicon:
        """The lexicon the KB was built with: its files as recorded at the build, or the
        default one if it is the same (same hash); loaded once per KnowledgeBase.

        Raises LexiconError when neither is: a check would read sentences with other
        concepts than the build read the sources with, and match the wrong claims."""
        if self._lexicon is None:
            with store.read_connection(self.path) as conn:
                meta = store.load_meta(conn)
            self._lexicon = built_with(meta)
        return self._lexicon

    def check(self, text: str, semantic: bool | None = None) -> CheckResult:
        """Which sources back or contradict each sentence of ``text`` (see kb.check): a
        CheckResult (kb.model), whose ``to_json()`` is what ``kb check --format json``
        prints (the README gives its shape). ``semantic`` adds matches by sentence embeddings
        (the optional extra, see kb.semantic): True uses them (raising
        SemanticUnavailableError when the extra is not installed) and makes the statement
        vectors on first use; None uses them only when the extra is installed and the
        vectors were made before, so that a default check never starts embedding a whole
        KB (120 sentences/s: minutes for a large one).

        Example::

            base.check("Needles stay in for 25 minutes").sentences[0].matches
        """
        semantic = self._wants_semantic(semantic)
        if self._checker_extractor is None:
            self._checker_extractor = Extractor(self.lexicon())
        # The stamp is read before the store is opened, so it is never newer than what
        # is read: a build in between only makes the next check bring the vectors up to date.
        stamp = _file_stamp(self.path)
        with store.read_connection(self.path) as conn:
            search = self._semantic_search(conn, stamp) if semantic else None
            subjects = self._subject_names(conn, stamp)
            checker = Checker(self._checker_extractor, StoreLookup(conn), search, subjects)
            return checker.check(text)

    def _wants_semantic(self, semantic: bool | None) -> bool:
        """Whether to match by meaning (see check): None when the vectors exist."""
        if semantic is None:
            return self._vectors is not None or (
                embeddings.sidecar_path(self.path).exists() and embeddings.available()
            )
        if semantic and not embeddings.available():
            raise SemanticUnavailableError(
                f"semantic matching needs the optional extra; run {embeddings.INSTALL_HINT}"
            )
        return semantic

    def _stamp(self) -> str:
        return _file_stamp(self.path)

    def search_result(self, text: str, limit: int = 20, semantic: bool | None = None,
                      **where: str | None) -> SearchResult:  # fmt: skip
        """Statements and claims that say ``text``, by words and, when the KB's vectors
        exist, by meaning (kb.api.search); ``where``: the filters of kb.api.filters."""
        return search(self, text, where=where_from(where), limit=limit, semantic=semantic)

    def search(self, text: str, limit: int = 20, semantic: bool | None = None,
               **where: str | None) -> pd.DataFrame:  # fmt: skip
        """The statements of search_result() as a DataFrame of SEARCH_COLUMNS, best first."""
        hits = self.search_result(text, limit, semantic, **where).statements
        return pd.DataFrame([h.to_json() for h in hits], columns=list(SEARCH_COLUMNS))

    def _subject_names(self, conn, stamp: str) -> SubjectNames:
        """The KB's subjects (kb.subjects.SubjectNames), read once per version of the file
        (``stamp``, read before ``conn`` was opened)."""
        if self._subjects is None or self._subjects[0] != stamp:
            self._subjects = (stamp, SubjectNames(store.load_subject_counts(conn)))
        return self._subjects[1]

    def _semantic_search(self, conn, stamp: str) -> embeddings.SemanticSearch:
        """Statement vectors up to date with the KB: from memory, else from the sidecar
        file, embedding only the statements added since and saving the result."""
        with self._vectors_lock:
            index = self._vectors
            if index is None or index.stamp != stamp:
                path = embeddings.sidecar_path(self.path)
                stored = embeddings.load_index(path)
                index = stored if stored is not None else index
                if index is None or index.stamp != stamp:
                    current = store.load_statement_quotes(conn)
                    index = embeddings.update_index(index, current, embeddings.embedder(), stamp)
                    # A KB in a read-only folder keeps its vectors in memory only.
                    with contextlib.suppress(OSError):
                        embeddings.save_index(index, path)
                self._vectors = index
        return embeddings.SemanticSearch(index, embeddings.embedder())

    def cite(self, source_ids: Iterable[str], style: str) -> str:
        """Citations of the given sources in ``style`` (markdown, bibtex or csl-json)."""
        with store.read_connection(self.path) as conn:
            found = store.load_sources_by_id(conn, source_ids)
        try:
            return format_citations(found, style)
        except ValueError as exc:
            raise ExportError(str(exc)) from None

    def suggest_lexicon(self, top: int = 15) -> list[Suggested]:
        """A starter lexicon for this KB's corpus: the treatments, outcomes, adverse events
        and comparators kb read without a concept, most stated first, ``top`` of each
        (see kb.analyze.suggest); ``suggestion_yaml`` writes them as a lexicon file."""
        return suggest_lexicon(self.statement_list(), top)

    def evaluate(self, gold_path: str | Path) -> EvalReport | CheckReport | ConflictReport:
        """Score this KB against a gold file, by its kind (kb.evaluate_check.gold_kind):
        its statements and claims against a claims gold (kb.evaluate), its checks
        against a check gold, its conflicts against a disagreement gold
        (kb.evaluate_check)."""
        texts = {s.id: s.text for s in self.source_list(with_text=True)}
        kind = gold_kind(gold_path)
        if kind == "checks":
            checks = load_check_gold(gold_path, texts)
            return evaluate_checks(checks, lambda text: self.check(text).without_related())
        if kind == "disagreements":
            disagreements = load_disagreements(gold_path, texts)
            return evaluate_conflicts(disagreements, self.conflict_list(), self.statement_list())
        gold = load_gold(gold_path, texts)
        lexicon = self.lexicon()
        # A subject the lexicon does not know is a word of the text: "~turmeric".
        return evaluate(gold, self.statement_list(), lambda s: lexicon.label(s).lstrip("~"))

    def info(self) -> dict[str, Any]:
        """When and by which kb the KB was built, its size, and the files last skipped."""
        with store.read_connection(self.path) as conn:
            meta = store.load_meta(conn)
            counts = store.count_rows(conn)
            skipped = store.load_skipped(conn)
        return {
            "path": str(self.path),
            **meta,
            **counts,
            "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        }

    # -- tables

    def sources(self, **where: str | None) -> pd.DataFrame:
        """One row per source, in the public source shape plus metadata columns; those
        ``where`` keeps (see source_records)."""
        return pd.DataFrame.from_records(self.source_records(**where), columns=SOURCE_COLUMNS)

    def conflicts(
        self,
        kind: str | None = None,
        min_confidence: float = 0.0,
        *,
        dismissed: bool = False,
        **where: str | None,
    ) -> pd.DataFrame:
        """One row per conflict: kind, topic, claims, sides with quotes, detail, confidence,
        status (open, confirmed, or dismissed: those only with ``dismissed``); filters as
        conflict_records."""
        records = self.conflict_records(kind, min_confidence, dismissed=dismissed, **where)
        return pd.DataFrame.from_records(records, columns=CONFLICT_FIELDS)

    def agreement(self) -> pd.DataFrame:
        """One row per claim: sources affirming, negating, hedging, opposing, independent,
        consensus.

        consensus = (independent sources affirming − independent sources negating or
        opposing) / independent sources taking a side, from −1 (all against) to +1 (all
        affirm)."""
        return pd.DataFrame.from_records(self.agreement_records(), columns=AGREEMENT_FIELDS)

    def graph(self) -> nx.MultiDiGraph:
        """The KB as a networkx MultiDiGraph (see kb.graph)."""
        with store.read_connection(self.path) as conn:
            return build_graph(
                store.load_sources(conn),
                store.load_statements(conn),
                store.load_claims(conn),
                [c for c in store.load_conflicts(conn) if c.status != "dismissed"],
                store.load_duplicates(conn),
            )

    def statements(self, source: str | None = None, **where: str | None) -> pd.DataFrame:
        """One row per statement, in reading order; ``source`` limits it to one source,
        ``where`` to the sources and claim type it keeps (kb.api.filters)."""
        return pd.DataFrame.from_records(self.statement_records(source, **where),
                                         columns=STATEMENT_COLUMNS)  # fmt: skip

    def statement_records(self, source: str | None = None, **where: str | None) -> list[dict]:
        records = [statement_record(s) for s in self.statement_list(source)]
        if not where:
            return records
        return keep_statements(records, where_from(where), self.source_facets())

    # -- exports

    def export(
        self, what: str, fmt: str, sources: Sequence[str] | None = None, **where: str | None
    ) -> str | bytes:
        """The text of an export (bytes for parquet), as `kb export` writes it: ``what``
        and ``fmt`` as in EXPORT_FORMATS; ``sources`` limits annotations and citations to
        those source ids, ``where`` a table's rows to those it keeps (kb.api.filters; the
        graph is always whole). See kb.api.exports."""
        return exports.export(self, what, fmt, sources, **where)


def _file_stamp(path: Path) -> str:
    """Which build of the KB file this is: a build that changes it renames a new file into
    place (new inode and mtime); one that changes nothing leaves it as it was."""
    try:
        st = os.stat(path)
    except OSError:
        return ""  # no KB: opening it says so
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
