"""Check a writer's text against the knowledge base: which sources back each sentence,
which contradict it, and whether it claims more than they do.

Each sentence goes through the same extractor as the sources. Its statements are matched
to stored claims by concept key (same object, compatible subject and comparator), by
refinement (a source's more specific claim backs a general sentence), and by the lexicon's
contrary pairs; full-text retrieval (SQLite FTS5) adds claims that share its words. With
the optional extra ``semantic``, sentence embeddings (see kb.semantic) add claims whose
statements are near it in meaning, and weigh nearness in meaning into the score of claims
found by their words.

A sentence with no subject of its own is about the KB subjects it names (kb.subjects).
Verdict of a source statement, with the reason a writer reads (Checker._judge):
- supports: same claim, same polarity, and quantities whose ranges overlap (or none to
  compare); a more specific claim supports a more general sentence; a contrary claim
  supports a sentence that denies its contrary;
- contradicts: opposite polarity, quantities that do not overlap, or a contrary claim;
- related: everything else that matched (words in common, a more general claim).
Each source then takes one verdict, its strongest statement's (_source_verdicts).
An overclaim is flagged when the sentence asserts more than its backing: an absolute word
("cures", "proves", "everyone") no backing quote uses, backing that only hedges, or sources
that restrict what the sentence says holds without exception.

Every statement of a matched claim counts in the verdicts, but statements alike in what a
verdict reads (polarity, certainty, quantity values) are judged once, as one group with its
sources (kb.model.Stated). Quotes are bounded: the best _QUOTED_MATCHES matches quote the
first _QUOTED_SOURCES sources of each verdict, the others _QUOTED_SOURCES_BEYOND, saying so
("quotes of 19 of 3,222 sources"): in a large KB a general claim has thousands.

The store is reached through a ``Lookup`` (kb.api provides one over SQLite), so this module
needs no SQL. Cost per sentence: one extraction, one indexed query per concept, one FTS5
query over the sentence's rarer words, one grouped read of the matched claims' statements
from an index, and one read of the quotes shown: independent of corpus size except through
the number of matched claims and of their sources. The semantic search adds one embedding
and one product with every stored sentence's vector.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kb.model import Claim, Quantity, Source, Stated, Statement, sha256_text
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
from kb.nlp.cues import NEGATORS
from kb.nlp.match import normalize_word, tokenize
from kb.nlp.quantities import ranges_overlap
from kb.nlp.segment import split_units
from kb.nlp.words import FUNCTION_WORDS, SEARCH_WORD
from kb.stages.assemble import same_subject, states
from kb.stages.extract import Extractor
from kb.subjects import SubjectNames

__all__ = ["VERDICTS", "Checker", "Lookup", "Semantic", "SubjectNames"]

# Words that claim without exception; a sentence using one claims more than sources that
# do not ("cures" against "may help").
ABSOLUTE_WORDS = frozenset(
    normalize_word(w)
    for w in """
        cure cures cured proves proven prove guarantee guaranteed guarantees always never
        everyone anyone everybody anybody completely totally entirely definitely certainly
        undoubtedly permanently eliminates eliminate
    """.split()
)
_WORD = SEARCH_WORD  # words as the full-text index splits them (kb.nlp.words)
_LEXICAL_LIMIT = 30
# FTS5 scores every statement a query matches, so a query with a common word scored tens
# of thousands at 10,000 sources (50 ms median, 120 ms p95). Past this many matches the
# query keeps the sentence's rarest words while the statements holding them number at
# most this (the rarest word always): at 10,000 sources 11 ms median, and the same 30
# hits for 83% of the benchmark's sentences; at 1,000 sources it changed only "related"
# matches by shared words, in 23 of 204 sentences. Coverage still counts every word.
_SEARCH_ROWS = 10_000
# The sources a match quotes per verdict (the first by id): _QUOTED_SOURCES for the best
# _QUOTED_MATCHES matches of a sentence, _QUOTED_SOURCES_BEYOND for the rest; counts and
# the sources listed per verdict cover every statement. Reading the quotes of every match
# took most of a check at 10,000 sources (p95 0.94 s); quoting none past the best 50 lost
# a seventh of the evidence sentences on check_covid, where most claims have one source.
# One past them keeps every one, and the p95 at 10,000 sources at 91 ms.
_QUOTED_MATCHES = 50
_QUOTED_SOURCES = 10
_QUOTED_SOURCES_BEYOND = 1
SAME_WORDING = 0.5  # content-word Jaccard above which two unnormalised sentences agree
_MIN_SHARED_WORDS = 2
# Nearness in meaning is the cosine similarity of sentence vectors (kb.semantic), searched
# among the _SEMANTIC_K nearest sentences. Chosen on the Check-COVID dev claims
# (benchmarks/check_covid.py --split dev): below SEMANTIC_MIN a neighbour is about
# something else (0.4 to 0.6 move Recall@1 by 0.03 at most). From SAME_MEANING, meaning
# alone gives a verdict between sentences no concept covers: there its "supports" are as
# often right as the lexical matcher's (0.40 and 0.42), while lower thresholds turn more
# not-enough-info claims into "supports" (0.7: 26% of them; 0.85: 15%; words only: 12%).
# No threshold from 0.7 to 0.9 changes how many verdicts are right (68-70 of 207; 69
# without meaning).
_SEMANTIC_K = 50
SEMANTIC_MIN = 0.5
SAME_MEANING = 0.85


# What a verdict rests on, per way of matching (see Checker._judge).
_SAME = {
    "concept": "it states the same claim",
    "refines": "it states a more specific claim",
    "lexical": "it is worded almost alike",
    "semantic": "it means nearly the same",
}
_NEAR = {"lexical": "it shares words only", "semantic": "it is near in meaning only"}
# How much a verdict weighs by how its source states it: a source's own assertion first.
_CERTAINTY_WEIGHT = {"asserted": 1.0, "reported": 0.9, "hedged": 0.8}


class Lookup(Protocol):
    """What the checker reads from a knowledge base."""

    def claims_about(self, objects: Iterable[str]) -> list[Claim]: ...
    def claims_by_id(self, ids: Iterable[str]) -> list[Claim]: ...
    def stated(self, claim_ids: Iterable[str]) -> list[Stated]: ...
    def statements_from(self, pairs: Iterable[tuple[str, str]]) -> list[Statement]:
        """The statements of each (claim id, source id) pair, in reading order."""
        ...

    def statements_saying(self, claim_ids: Iterable[str], fragment: str) -> Iterable[Statement]:
        """The statements of these claims whose quote contains ``fragment``, any case."""
        ...

    def count_matches(self, query: str, cap: int) -> int: ...
    def search(self, query: str, limit: int) -> list[Statement]: ...
    def statements_by_id(self, ids: Iterable[str]) -> list[Statement]: ...


class Semantic(Protocol):
    """Stored statements near a sentence in meaning (kb.semantic.SemanticSearch)."""

    def search(self, text: str, k: int) -> list[tuple[str, float]]: ...


@dataclass
class _Match:
    claim: Claim
    via: str  # concept | refines | contrary | lexical | semantic
    score: float
    reading: Statement | None  # the writer's statement it matched, if any
    judged: list[tuple[Stated, str]] = field(default_factory=list)  # every statement
    sources: dict[str, set[str]] = field(default_factory=lambda: {v: set() for v in VERDICTS})
    quoted: dict[str, set[str]] = field(default_factory=dict)  # verdict → sources quoted
    # The quotes listed, each with its verdict and reason.
    shown: list[tuple[Statement, tuple[str, str]]] = field(default_factory=list)
    similarity: float = 0.0  # of content words, for lexical matches
    meaning: float | None = None  # nearness in meaning, when the semantic search ran
    decisive: bool = False  # its contradiction decides its sources' verdict, whatever else

    @property
    def statement_count(self) -> int:
        return sum(group.statements for group, _ in self.judged)


class Checker:
    """Checks text against one knowledge base; build once, call ``check`` per text."""

    def __init__(
        self,
        extractor: Extractor,
        lookup: Lookup,
        semantic: Semantic | None = None,
        subjects: SubjectNames | None = None,
    ) -> None:
        self.extractor = extractor
        self.lexicon = extractor.lexicon
        self.lookup = lookup
        self.semantic = semantic
        self.subjects = subjects

    def check(self, text: str) -> CheckResult:
        """The check of ``text``: per sentence, what kb read, the matching claims with a
        verdict for each source statement, and any overclaim; its ``to_json()`` is the
        JSON of ``kb check`` (the README gives its shape)."""
        # A writer's line without a full stop is still a sentence to check, not a heading.
        units = [replace(u, kind="sentence") for u in split_units(text)]
        source = Source(id="~check", text=text, sha256=sha256_text(text))
        readings = self.extractor.extract(source, units) if units else []
        sentences = []
        for unit in units:
            mine = [s for s in readings if s.start == unit.start and s.end == unit.end]
            if self.subjects is not None:
                named = self.subjects.named_in(unit.text)
                mine = [r for reading in mine for r in self.subjects.about(reading, named)]
            # kb read no claim in it: the bare reading only matches words, and is not shown.
            checked = self._check_sentence(unit.text, unit.start, unit.end, mine or [_bare(unit)])
            sentences.append(checked if mine else replace(checked, statements=()))
        message = ""
        if not text.strip():
            message = "nothing to check: the text is empty"
        elif not any(s.statements for s in sentences):
            means = "shared words and meaning" if self.semantic else "shared words"
            message = f"kb found no claim in this text; matches are by {means} only"
        return CheckResult(text, tuple(sentences), message)

    # -- one sentence

    def _check_sentence(
        self, text: str, start: int, end: int, readings: list[Statement]
    ) -> SentenceCheck:
        matches = self._concept_matches(readings)
        matches += self._lexical_matches(text, readings, {m.claim.id for m in matches})
        if self.semantic is not None:
            matches = self._weigh_meaning(self.semantic, text, readings, matches)
        by_claim: dict[str, list[Stated]] = {}
        for group in self.lookup.stated([m.claim.id for m in matches]):
            by_claim.setdefault(group.claim_id, []).append(group)
        for match in matches:
            match.judged = [(g, self._judge(match, g)[0]) for g in by_claim.get(match.claim.id, [])]
            for group, verdict in match.judged:
                match.sources[verdict] |= group.sources
        matches = [m for m in matches if m.judged]
        matches.sort(key=lambda m: (-m.score, -m.statement_count, m.claim.id))
        self._quote(matches)
        verdicts = _source_verdicts(matches, self._judge, _content_words(text))
        related = set().union(*(m.sources["related"] for m in matches)) - {
            v.source for v in verdicts
        }
        return SentenceCheck(
            text=text,
            start=start,
            end=end,
            statements=tuple(Reading.of(s) for s in readings),
            matches=tuple(_claim_match(m) for m in matches),
            overclaim=self._overclaim(text, readings, matches),
            sources=VerdictSources(
                supports=tuple(sorted(v.source for v in verdicts if v.verdict == "supports")),
                contradicts=tuple(sorted(v.source for v in verdicts if v.verdict == "contradicts")),
                related=tuple(sorted(related)),
            ),
            verdicts=verdicts,
        )

    def _concept_matches(self, readings: list[Statement]) -> list[_Match]:
        lexicon = self.lexicon
        wanted: dict[str, list[tuple[Statement, str]]] = {}
        for reading in readings:
            if not reading.object:
                continue
            wanted.setdefault(reading.object, []).append((reading, "concept"))
            for below in lexicon.descendants(reading.object):
                wanted.setdefault(below, []).append((reading, "refines"))
            for other in lexicon.contraries(reading.object):
                wanted.setdefault(other, []).append((reading, "contrary"))
        found: dict[str, _Match] = {}
        for claim in self.lookup.claims_about(wanted):
            for reading, via in wanted[claim.object]:
                if not (
                    self._states(reading, claim) if via == "concept" else
                    same_subject(reading, claim)
                    and self._comparable(reading, claim, contrary=via == "contrary")
                ):  # fmt: skip
                    continue
                score = {"concept": 1.0, "contrary": 0.9, "refines": 0.8}[via]
                # What a sentence claims for everyone, a source's exception decides, however
                # it says it ("harmless for everyone", "works for everyone" against "responses
                # may vary"; "proven" is no claim about everyone).
                decisive = (
                    via == "contrary"
                    and lexicon.holds_without_exception(reading.object)
                    and lexicon.concepts[reading.object].category != "evidence"
                )
                score *= 1.0 if reading.subject else 0.9  # "it" or no subject: less sure
                if claim.id not in found or found[claim.id].score < score:
                    found[claim.id] = _Match(
                        claim, via, round(score, 3), reading, decisive=decisive
                    )
        return list(found.values())

    def _states(self, reading: Statement, claim: Claim) -> bool:
        """kb.stages.assemble.states, with comparators of one kind: "not more effective
        than conventional treatments" is said of physical therapy, one of them."""
        same = replace(reading, qualifiers=replace(reading.qualifiers, comparator=claim.comparator))
        return states(same, claim) and self._comparable(reading, claim)

    def _comparable(self, reading: Statement, claim: Claim, contrary: bool = False) -> bool:
        """Whether the comparators of a sentence's reading and a claim name one thing, or
        one a kind of the other (none on either side: both claim no comparison; for a
        ``contrary`` claim, that is no comparison of one thing either: "more effective than
        the alternatives" and "as effective as the alternatives")."""
        mine, theirs = reading.qualifiers.comparator, claim.comparator
        if not mine or not theirs:
            return mine == theirs and not (contrary and self.lexicon.is_comparative(claim.object))
        return self.lexicon.is_a(mine, theirs) or self.lexicon.is_a(theirs, mine)

    def _lexical_matches(
        self, text: str, readings: list[Statement], known: set[str]
    ) -> list[_Match]:
        words = _content_words(text)
        if not words:
            return []
        hits = self.lookup.search(self._search_query(words), _LEXICAL_LIMIT)
        best: dict[str, float] = {}  # claim → how much of the sentence its best hit covers
        same: dict[str, float] = {}  # claim → the Jaccard similarity of that hit
        for rank, st in enumerate(hits):
            if not st.claim_id or st.claim_id in known:
                continue
            theirs = _content_words(st.quote)
            shared = len(words & theirs)
            if shared < min(_MIN_SHARED_WORDS, len(words)):
                continue
            # bm25 order breaks ties: rarer shared words rank first.
            coverage = shared / len(words) - rank / (10 * _LEXICAL_LIMIT)
            if coverage > best.get(st.claim_id, -1.0):
                best[st.claim_id] = coverage
                same[st.claim_id] = shared / len(words | theirs)
        # Shared words find what the concepts missed; beside concept matches they are
        # only a hint, so fewer are kept.
        keep = sorted(best, key=lambda c: (-best[c], c))[: 3 if known else 5]
        reading = readings[0] if len(readings) == 1 else None
        return [
            _Match(claim, "lexical", round(0.6 * max(best[claim.id], 0.0), 3), reading,
                   similarity=same[claim.id])
            for claim in self.lookup.claims_by_id(keep)
        ]  # fmt: skip

    def _search_query(self, words: set[str]) -> str:
        """The FTS5 query for statements sharing the sentence's words: all of them, or on
        a large KB the rarest (see _SEARCH_ROWS)."""
        query = " OR ".join(f'"{w}"' for w in sorted(words))
        if self.lookup.count_matches(query, _SEARCH_ROWS + 1) <= _SEARCH_ROWS:
            return query
        counts = {w: self.lookup.count_matches(f'"{w}"', _SEARCH_ROWS + 1) for w in words}
        chosen: list[str] = []
        total = 0
        for word in sorted(words, key=lambda w: (counts[w], w)):
            if chosen and total + counts[word] > _SEARCH_ROWS:
                break
            chosen.append(word)
            total += counts[word]
        return " OR ".join(f'"{w}"' for w in sorted(chosen))

    def _weigh_meaning(
        self, semantic: Semantic, text: str, readings: list[Statement], matches: list[_Match]
    ) -> list[_Match]:
        """Lexical matches scored by meaning as well, and the claims near the sentence in
        meaning that nothing else found."""
        hits = {sid: s for sid, s in semantic.search(text, _SEMANTIC_K) if s >= SEMANTIC_MIN}
        near: dict[str, float] = {}  # claim → the similarity of its nearest statement
        for st in self.lookup.statements_by_id(list(hits)):
            if st.claim_id:
                near[st.claim_id] = max(near.get(st.claim_id, 0.0), hits[st.id])
        # Words and meaning each give a score up to 0.6 (below the concept matches); a
        # claim scores their mean, so one that both find ranks first. Recall@1 on the
        # Check-COVID dev claims: 0.25 by words alone, 0.24 by the better of the two,
        # 0.34 by their mean.
        for match in matches:
            match.meaning = near.get(match.claim.id, 0.0)
            if match.via == "lexical":
                match.score = round((match.score + 0.6 * match.meaning) / 2, 3)
        known = {m.claim.id for m in matches}
        keep = sorted((c for c in near if c not in known), key=lambda c: (-near[c], c))
        reading = readings[0] if len(readings) == 1 else None
        return matches + [
            _Match(claim, "semantic", round(0.3 * near[claim.id], 3), reading,
                   meaning=near[claim.id])
            for claim in self.lookup.claims_by_id(keep[: 3 if known else 5])
        ]  # fmt: skip

    def _quote(self, matches: list[_Match]) -> None:
        """Read the quotes the matches list: the statements of the first few sources (by
        id) of each verdict, each source with its statements of that verdict; more for
        the best matches (see _QUOTED_SOURCES)."""
        for rank, match in enumerate(matches):
            match.quoted = {
                v: set(heapq.nsmallest(_quoted_sources(rank), ids))
                for v, ids in match.sources.items()
            }
        pairs = [(m.claim.id, s) for m in matches for ids in m.quoted.values() for s in ids]
        by_claim: dict[str, list[Statement]] = {}
        for st in self.lookup.statements_from(pairs):
            by_claim.setdefault(st.claim_id or "", []).append(st)
        for match in matches:
            judged = [(st, self._judge(match, st)) for st in by_claim.get(match.claim.id, [])]
            match.shown = [(st, v) for st, v in judged if st.source in match.quoted[v[0]]]

    # -- verdicts

    def _judge(self, match: _Match, st: Statement | Stated) -> tuple[str, str]:
        """A source statement's verdict on the sentence ``match`` was found for, and the
        rule that decided it, in words a writer reads ("the source denies it")."""
        reading = match.reading
        if reading is None:
            return "related", "shares words with a sentence of several claims"
        if match.via in ("lexical", "semantic") and (
            reading.qualifiers.normalised
            or (match.similarity < SAME_WORDING and (match.meaning or 0.0) < SAME_MEANING)
        ):
            # Wording or meaning alone decides only between sentences no concept covers
            # (a proposition the parse read is no concept), and only when they are nearly
            # the same.
            return "related", _NEAR[match.via]
        if match.via == "contrary":
            if st.polarity == reading.polarity == "affirmed":
                return "contradicts", "it states a contrary claim"
            if st.polarity == "affirmed":
                # A contrary claim implies the sentence's denial: "as good as usual care"
                # backs "no better than usual care".
                return "supports", "it states a contrary claim, which implies the denial"
            return "related", "a contrary claim, denied"
        if st.polarity != reading.polarity:
            said = "denies it" if st.polarity == "negated" else "affirms what the sentence denies"
            return "contradicts", f"the source {said}"
        quantities = _quantities_agree(reading.quantities, st.quantities)
        if quantities is False:
            return "contradicts", "its figures do not overlap the sentence's"
        how = _SAME[match.via] + (", and its figures overlap" if quantities else "")
        return "supports", how

    def _overclaim(
        self, text: str, readings: list[Statement], matches: list[_Match]
    ) -> Overclaim | None:
        asserted = [r for r in readings if r.certainty == "asserted" and r.polarity == "affirmed"]
        if not asserted or not matches:
            return None
        supporting = [group for m in matches for group, v in m.judged if v == "supports"]
        restricting = sorted(
            {source for m in matches if m.via == "contrary" for source in m.sources["contradicts"]}
        )
        absolute = {
            w: raw for raw in _WORD.findall(text) if (w := normalize_word(raw)) in ABSOLUTE_WORDS
        }
        disputed = any(self.lexicon.holds_without_exception(r.object) for r in asserted)
        proven = any(self.lexicon.evidence_stance(r.object) == "proven" for r in asserted)
        reasons = []
        if (absolute or disputed or proven) and restricting:
            reasons.append(
                f"it holds without exception, but {len(restricting)} source(s) restrict it: "
                + ", ".join(restricting)
            )
        unbacked = [raw for w, raw in absolute.items()
                    if supporting and not self._backed(w, matches)]  # fmt: skip
        if unbacked:
            said = ", ".join(f"'{w}'" for w in unbacked)
            reasons.append(f"it says {said} where no backing source does")
        if supporting and all(group.certainty != "asserted" for group in supporting):
            hedges = sorted({group.certainty for group in supporting})
            reasons.append(
                f"it asserts what its backing sources only state as {' or '.join(hedges)}"
            )
        return Overclaim("; ".join(reasons)) if reasons else None

    def _backed(self, word: str, matches: list[_Match]) -> bool:
        """Whether the quote of a supporting statement uses ``word`` (normalised): the
        quotes listed first, then the store, asked only for quotes that contain the word's
        stem, so that a general claim's thousands of statements are not all read."""
        if any(
            v == "supports" and word in _words(st.quote) for m in matches for st, (v, _) in m.shown
        ):
            return True
        backing = {m.claim.id: m for m in matches if m.sources["supports"]}
        for st in self.lookup.statements_saying(backing, _stem(word)):
            supports = self._judge(backing[st.claim_id or ""], st)[0] == "supports"
            if supports and word in _words(st.quote):
                return True
        return False


# ------------------------------------------------------------------ helpers


def _bare(unit) -> Statement:
    """A reading of a sentence that states no claim kb knows: only its polarity, so that
    wording can still decide between it and sentences worded almost alike."""
    negators = [n for n in tokenize(unit.text).norms if n in NEGATORS]
    polarity = "negated" if len(negators) % 2 else "affirmed"
    return Statement("~bare", "~check", unit.text, unit.start, unit.end, polarity=polarity)


def _quantities_agree(mine: Iterable[Quantity], theirs: Iterable[Quantity]) -> bool | None:
    """True when a pair of quantities overlaps, False when every comparable pair does not,
    None when nothing compares."""
    answers = [ranges_overlap(a, b) for a in mine for b in theirs]
    if any(answers):
        return True
    if any(a is False for a in answers):
        return False
    return None


def _words(text: str) -> set[str]:
    return {normalize_word(w) for w in _WORD.findall(text)}


def _quoted_sources(rank: int) -> int:
    """How many sources per verdict the match at ``rank`` (0 is the best) quotes."""
    return _QUOTED_SOURCES if rank < _QUOTED_MATCHES else _QUOTED_SOURCES_BEYOND


def _stem(normalised: str) -> str:
    """What every word that normalises to ``normalised`` contains, lower-cased:
    normalize_word only cuts endings, but for "-ies" that becomes "-y" ("studies" →
    "study"), and it reads "’" as "'".

    >>> _stem("study"), _stem("cur")
    ('stud', 'cur')
    """
    stem = normalised[:-1] if normalised.endswith("y") else normalised
    return stem.split("'")[0]


def _jaccard(words: set[str], text: str) -> float:
    """How alike ``text``'s content words are to ``words`` (0 to 1)."""
    theirs = _content_words(text)
    return len(words & theirs) / len(words | theirs) if words or theirs else 0.0


def _content_words(text: str) -> set[str]:
    """Lower-cased words that are not stopwords, as FTS5 query terms (porter-stemmed there)."""
    return {
        w.lower()
        for w in _WORD.findall(text)
        if w.lower() not in FUNCTION_WORDS and len(w) > 2 and not w.isdigit()
    }


def _source_verdicts(
    matches: list[_Match], judge: Callable[[_Match, Stated], tuple[str, str]], words: set[str]
) -> tuple[SourceVerdict, ...]:
    """One verdict per source that supports or contradicts: that of its strongest
    statement (the match's score times _CERTAINTY_WEIGHT of how the source states it); at
    equal strength "contradicts", so that a writer sees the disagreement; an exception to
    what the sentence claims for everyone decides whatever else the source says. (That any of a
    source's statements contradicting would decide was measured worse on the check gold:
    sources that state a claim also say in passing things read as its contrary.)
    Supporting sources first, then contradicting ones, each strongest first."""
    best: dict[str, tuple[tuple[bool, float, bool], _Match, Stated, str]] = {}
    for match in matches:
        for group, verdict in match.judged:
            if verdict == "related":
                continue
            strength = round(match.score * _CERTAINTY_WEIGHT.get(group.certainty, 0.8), 3)
            decides = match.decisive and verdict == "contradicts"
            rank = (decides, strength, verdict == "contradicts")
            for source in group.sources:
                if source not in best or rank > best[source][0]:
                    best[source] = (rank, match, group, verdict)
    out = []
    for source, ((_, strength, _), match, group, verdict) in best.items():
        quotes = [st for st, (v, _) in match.shown if st.source == source and v == verdict]
        # The quote that shows it best: stated as surely as the group, worded most alike.
        quotes.sort(key=lambda st: (st.certainty != group.certainty, -_jaccard(words, st.quote)))
        reason = judge(match, group)[1]
        quote = QuotedStatement.of(quotes[0], verdict, reason) if quotes else None
        out.append(SourceVerdict(source, verdict, strength, match.claim.label, match.claim.id,
                                 reason, quote))  # fmt: skip
    out.sort(key=lambda v: (VERDICTS.index(v.verdict), -v.strength, v.source))
    return tuple(out)


def _claim_match(match: _Match) -> ClaimMatch:
    counts = {v: len(match.sources[v]) for v in VERDICTS}
    if counts["contradicts"] and counts["contradicts"] >= counts["supports"]:
        verdict = "contradicts"
    elif counts["supports"]:
        verdict = "supports"
    else:
        verdict = "related"
    shown = sorted(match.shown, key=lambda p: (VERDICTS.index(p[1][0]), p[0].source, p[0].start))
    return ClaimMatch(
        claim_id=match.claim.id,
        claim=match.claim.label,
        claim_type=match.claim.claim_type,
        score=match.score,
        verdict=verdict,
        via=match.via,
        statements=tuple(QuotedStatement.of(st, v, why) for st, (v, why) in shown),
        meaning=None if match.meaning is None else round(match.meaning, 3),
        **_left_out(match, counts),
    )


def _left_out(match: _Match, counts: dict[str, int]) -> dict[str, Any]:
    """When a match lists the quotes of only some of its sources: how many sources take
    each verdict, and a note of how many are quoted ("quotes of 19 of 3,222 sources").
    Nothing otherwise, so that the output of a small KB keeps its shape."""
    if all(len(match.quoted[v]) == len(ids) for v, ids in match.sources.items()):
        return {}
    everyone = len(set().union(*match.sources.values()))
    quoted = len(set().union(*match.quoted.values()))
    noun = "source" if everyone == 1 else "sources"
    return {"source_counts": counts, "shown": f"quotes of {quoted:,} of {everyone:,} {noun}"}
