"""Score `kb check` and kb's conflicts against gold files written by reading the sources.

A **check gold** (``sentences:``, see tests/gold/checks.yaml) lists sentences a writer might
check, each with the sources expected to support it and those expected to contradict it
(each with an exact fragment that shows it); a source not listed does neither. Sentences
of a corpus none of whose sources is in the KB are left out, so one file serves several
corpora. Metrics, over (sentence, source) pairs:

- support recall: expected supporting pairs that kb lists as supporting;
- contradict recall: expected contradicting pairs that kb lists as contradicting;
- contradict precision: kb's contradicting pairs that the gold expects (a source kb says
  contradicts but the gold says supports or does neither is wrong);
- support precision, likewise;
- false alarms: sentences the gold expects no source to take a side on, that kb gives one.

A **disagreement gold** (``disagreements:``, tests/gold/disagreements.yaml) lists what a
reader finds disputed between sources, each side with a fragment. A disagreement between
two sources is found when one of kb's conflicts holds, on different sides, a statement over
each of two of its fragments; one a source contrasts itself (``within_source: true``) is
counted but not scored, as kb's conflicts are between sources. Conflict precision
against it is a lower bound: a conflict the gold does not list may still be real, so every
one is listed for reading (``--show-errors``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from kb.errors import GoldError
from kb.evaluate import locate_fragment, read_gold_yaml
from kb.model import CheckResult, Conflict, Statement

__all__ = [
    "CheckGold",
    "CheckReport",
    "ConflictReport",
    "Disagreement",
    "Evidence",
    "GoldSentence",
    "evaluate_checks",
    "evaluate_conflicts",
    "gold_kind",
    "load_check_gold",
    "load_disagreements",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A place in a source that shows its side: ``text[start:end] == fragment``."""

    source: str
    fragment: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoldSentence:
    id: str
    corpus: str
    text: str
    supports: tuple[Evidence, ...] = ()
    contradicts: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckGold:
    sentences: tuple[GoldSentence, ...]
    corpora: tuple[str, ...]  # the corpora whose sources are in the KB


@dataclass(frozen=True, slots=True)
class Disagreement:
    id: str
    kind: str
    description: str
    sides: tuple[Evidence, ...]
    within_source: bool = False  # one source contrasting two findings of its own


@dataclass
class CheckReport:
    """What `kb eval` prints for a check gold. Per verdict ("supports", "contradicts"),
    counts of (sentence, source) pairs: ``expected`` by the gold, ``found`` of those by
    kb, ``given`` by kb, ``right`` of those in the gold. ``errors`` are (sentence id,
    what went wrong, source) for ``--show-errors``."""

    corpora: tuple[str, ...] = ()
    sentences: int = 0
    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    given: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    quiet: int = 0  # sentences no source takes a side on
    false_alarms: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "corpora": list(self.corpora),
            "sentences": self.sentences,
            "support_recall": _ratio(self.found["supports"], self.expected["supports"]),
            "support_precision": _ratio(self.right["supports"], self.given["supports"]),
            "contradict_recall": _ratio(self.found["contradicts"], self.expected["contradicts"]),
            "contradict_precision": _ratio(self.right["contradicts"], self.given["contradicts"]),
            "false_alarm_rate": _ratio(self.false_alarms, self.quiet),
            "pairs": {
                v: {
                    "expected": self.expected[v],
                    "found": self.found[v],
                    "given": self.given[v],
                    "right": self.right[v],
                }
                for v in _SIDES
            },
            "quiet_sentences": self.quiet,
        }


_SIDES = ("supports", "contradicts")


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


@dataclass
class ConflictReport:
    """Disagreements found among kb's conflicts, and the conflicts no disagreement of
    the gold accounts for (to be read: they may still be real)."""

    disagreements: int = 0
    between_sources: int = 0  # of the disagreements: those of two sources (kb's conflicts)
    found: list[str] = field(default_factory=list)
    missed: list[Disagreement] = field(default_factory=list)
    conflicts: int = 0
    unlisted: list[Conflict] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        listed = self.conflicts - len(self.unlisted)
        return {
            "disagreements": self.disagreements,
            "between_sources": self.between_sources,
            "disagreement_recall": _ratio(len(self.found), self.between_sources),
            "conflicts": self.conflicts,
            "conflicts_in_gold": listed,
            "conflict_precision_at_least": _ratio(listed, self.conflicts),
        }


def gold_kind(path: str | Path) -> str:
    """Which kind of gold a file is: "claims", "checks" or "disagreements" (by its
    top-level list), so that one verb scores all three."""
    data = read_gold_yaml(path)
    for kind, key in (("claims", "claims"), ("checks", "sentences"),
                      ("disagreements", "disagreements")):  # fmt: skip
        if isinstance(data, dict) and isinstance(data.get(key), list):
            return kind
    raise GoldError(
        f"{path}: a gold file has a 'claims:', 'sentences:' or 'disagreements:' list; "
        "see tests/gold/GUIDE.md"
    )


def load_check_gold(path: str | Path, texts: dict[str, str]) -> CheckGold:
    """The sentences of a check gold whose corpus is in the KB (``texts``: source id →
    text), with every fragment located. Raises GoldError naming the sentence for a bad
    shape, a source of a present corpus missing from the KB, or a fragment not found."""
    data = read_gold_yaml(path)
    items = data.get("sentences") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GoldError(f"{path}: a check gold has a 'sentences:' list; see tests/gold/GUIDE.md")
    raw = [_raw_sentence(item, n, path) for n, item in enumerate(items, start=1)]
    present = {
        corpus
        for corpus, sources in _sources_by_corpus(raw).items()
        if any(s in texts for s in sources)
    }
    sentences = tuple(
        GoldSentence(
            id_,
            corpus,
            text,
            tuple(_locate(e, texts, path, id_) for e in supports),
            tuple(_locate(e, texts, path, id_) for e in contradicts),
        )
        for id_, corpus, text, supports, contradicts in raw
        if corpus in present
    )
    return CheckGold(sentences, tuple(sorted(present)))


def load_disagreements(path: str | Path, texts: dict[str, str]) -> list[Disagreement]:
    """The disagreements of a gold whose sources are all in the KB, located."""
    data = read_gold_yaml(path)
    items = data.get("disagreements") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GoldError(f"{path}: a disagreement gold has a 'disagreements:' list")
    out = []
    for number, item in enumerate(items, start=1):
        sides = item.get("sides") if isinstance(item, dict) else None
        name = item.get("id", number) if isinstance(item, dict) else number
        if not isinstance(sides, list) or len(sides) < 2:
            raise GoldError(f"{path}: disagreement {name!r} needs two or more 'sides:'")
        evidence = [_evidence(side, path, str(name)) for side in sides]
        if not all(source in texts for source, _ in evidence):
            continue  # another corpus
        located = tuple(_locate(e, texts, path, str(name)) for e in evidence)
        out.append(Disagreement(str(name), str(item.get("kind", "")),
                                str(item.get("description", "")), located,
                                item.get("within_source") is True))  # fmt: skip
    return out


def evaluate_checks(gold: CheckGold, check: Callable[[str], CheckResult]) -> CheckReport:
    """Check each gold sentence with ``check`` and compare its sources per verdict."""
    report = CheckReport(corpora=gold.corpora)
    for sentence in gold.sentences:
        result = check(sentence.text)
        given = {"supports": set(result.sources_of(["supports"])),
                 "contradicts": set(result.sources_of(["contradicts"]))}  # fmt: skip
        given["supports"] -= given["contradicts"]  # one verdict per source
        expected = {"supports": {e.source for e in sentence.supports},
                    "contradicts": {e.source for e in sentence.contradicts}}  # fmt: skip
        # A source the gold lists on both sides reports both findings: kb, which gives one
        # verdict per source, is expected to show the contradiction, and is not wrong to
        # say it supports.
        both = expected["supports"] & expected["contradicts"]
        expected["supports"] -= both
        report.sentences += 1
        for verdict in _SIDES:
            want, got = expected[verdict], given[verdict]
            report.expected[verdict] += len(want)
            report.found[verdict] += len(want & got)
            report.given[verdict] += len(got - (both if verdict == "supports" else set()))
            report.right[verdict] += len(got & want)
            report.errors += [(sentence.id, f"missed {verdict}", s) for s in sorted(want - got)]
            wrong = got - want - (both if verdict == "supports" else set())
            report.errors += [(sentence.id, f"wrong {verdict}", s) for s in sorted(wrong)]
        if not (expected["supports"] or expected["contradicts"]):
            report.quiet += 1
            report.false_alarms += bool(given["supports"] or given["contradicts"])
    return report


def evaluate_conflicts(
    gold: list[Disagreement], conflicts: list[Conflict], statements: Iterable[Statement]
) -> ConflictReport:
    """Which gold disagreements between sources kb's ``conflicts`` find, and which
    conflicts no gold disagreement accounts for. A source contrasting two findings of its
    own ("some studies found..., others...") is no conflict between sources: such
    disagreements are counted, not scored."""
    where = {s.id: (s.source, s.start, s.end) for s in statements}
    between = [d for d in gold if not d.within_source]
    report = ConflictReport(disagreements=len(gold), between_sources=len(between),
                            conflicts=len(conflicts))  # fmt: skip
    explained: set[str] = set()
    for disagreement in between:
        hits = [c.id for c in conflicts if _shows(c, disagreement, where)]
        if hits:
            report.found.append(disagreement.id)
            explained.update(hits)
        else:
            report.missed.append(disagreement)
    report.unlisted = [c for c in conflicts if c.id not in explained]
    return report


# ------------------------------------------------------------------ helpers


def _shows(conflict: Conflict, disagreement: Disagreement, where) -> bool:
    """Whether two sides of ``conflict`` hold statements over two different fragments of
    ``disagreement``."""
    covers = [
        {
            i
            for i, e in enumerate(disagreement.sides)
            if any(_over(where.get(s), e) for s in side.statement_ids)
        }
        for side in conflict.sides
    ]
    return any(any(i != j for i in a for j in b) for a, b in combinations(covers, 2))


def _over(place: tuple[str, int, int] | None, evidence: Evidence) -> bool:
    if place is None:
        return False
    source, start, end = place
    return source == evidence.source and start < evidence.end and evidence.start < end


def _raw_sentence(item: Any, number: int, path: Path):
    name = item.get("id") if isinstance(item, dict) else None
    which = f"sentence {name!r}" if isinstance(name, str) else f"sentence {number}"
    if not isinstance(item, dict) or not all(
        isinstance(item.get(k), str) for k in ("id", "corpus", "text")
    ):
        raise GoldError(f"{path}: {which} needs 'id:', 'corpus:' and 'text:'")
    lists = []
    for key in ("supports", "contradicts"):
        value = item.get(key) or []
        if not isinstance(value, list):
            raise GoldError(f"{path}: {which} has '{key}:' that is not a list")
        lists.append([_evidence(e, path, item["id"]) for e in value])
    return item["id"], item["corpus"], item["text"], lists[0], lists[1]


def _evidence(item: Any, path: Path, name: str) -> tuple[str, str]:
    if not isinstance(item, dict) or not all(
        isinstance(item.get(k), str) for k in ("source", "fragment")
    ):
        raise GoldError(f"{path}: {name!r} has evidence without text 'source:' and 'fragment:'")
    return item["source"], item["fragment"]


def _sources_by_corpus(raw) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for _, corpus, _, supports, contradicts in raw:
        out.setdefault(corpus, set()).update(s for s, _ in supports + contradicts)
    return out


def _locate(evidence: tuple[str, str], texts: dict[str, str], path: Path, name: str) -> Evidence:
    source, fragment = evidence
    start = locate_fragment(path, texts, source, fragment, name)
    return Evidence(source, fragment, start, start + len(fragment))
