"""Score extracted statements and claims against a gold annotation.

A gold file lists claims, each with the places that state it (source + an exact fragment
of one sentence). Metrics:

- statement recall: gold mentions covered by at least one statement (span overlap);
- claim-type accuracy: covered mentions for which a covering statement has the gold type;
- grouping precision and recall, over pairs of covered mentions from *different* sources:
  a pair is together in the gold when both mentions belong to one gold claim, and
  together in the output when their statements share a claim id;
- subject accuracy: covered mentions of a claim with ``subjects`` whose statement's
  subject is one of them;
- statement precision, for a gold marked ``exhaustive`` (every sentence of its
  ``sources`` was read, so a sentence without a mention states nothing): statements of
  those sources that overlap a gold mention of the gold claim their KB claim stands for
  (the gold claim most of the KB claim's statements overlap). See tests/gold/GUIDE.md.

Which statement stands for a mention when a sentence makes several: gold claims are
aligned one to one with predicted claims by the votes of their mentions' sentences (see
_align); a mention takes the statement of its aligned claim when its sentence has one,
else the one of the gold type whose matched words overlap the fragment most, else any.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from kb.errors import GoldError
from kb.model import CERTAINTIES, CLAIM_TYPES, POLARITIES, Statement
from kb.yamlfile import describe_yaml_error, load_yaml

__all__ = [
    "EvalReport",
    "Gold",
    "GoldMention",
    "evaluate",
    "load_gold",
    "locate_fragment",
    "names_subject",
    "read_gold_yaml",
]


@dataclass(frozen=True, slots=True)
class GoldMention:
    claim: str
    claim_type: str
    source: str
    start: int
    end: int
    fragment: str
    polarity: str = "affirmed"
    certainty: str = "asserted"
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gold:
    """A gold file: its mentions, and whether every sentence of ``sources`` was read."""

    mentions: list[GoldMention]
    exhaustive: bool = False
    sources: tuple[str, ...] = ()


@dataclass
class EvalReport:
    mentions: int = 0
    found: int = 0
    typed: int = 0
    polarity_ok: int = 0
    certainty_ok: int = 0
    pairs_gold: int = 0
    pairs_pred: int = 0
    pairs_both: int = 0
    with_subject: int = 0
    subject_ok: int = 0
    judged: int = 0  # statements of an exhaustive gold's sources
    confirmed: int = 0
    misses: list[GoldMention] = field(default_factory=list)
    mistyped: list[tuple[GoldMention, str]] = field(default_factory=list)
    split: list[tuple[GoldMention, GoldMention]] = field(default_factory=list)
    merged: list[tuple[GoldMention, GoldMention]] = field(default_factory=list)
    wrong_subject: list[tuple[GoldMention, str]] = field(default_factory=list)
    # Covered mentions read with another polarity or certainty: (mention, what kb read).
    wrong_polarity: list[tuple[GoldMention, str]] = field(default_factory=list)
    wrong_certainty: list[tuple[GoldMention, str]] = field(default_factory=list)
    # Statements the gold does not confirm: in a sentence that states nothing ("no
    # claim"), or filed under a KB claim that stands for another gold claim.
    unconfirmed: list[tuple[Statement, str]] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def statement_recall(self) -> float:
        return self._ratio(self.found, self.mentions)

    @property
    def type_accuracy(self) -> float:
        return self._ratio(self.typed, self.found)

    @property
    def grouping_precision(self) -> float:
        return self._ratio(self.pairs_both, self.pairs_pred)

    @property
    def grouping_recall(self) -> float:
        return self._ratio(self.pairs_both, self.pairs_gold)

    @property
    def statement_precision(self) -> float | None:
        """None when the gold is not exhaustive: then precision cannot be measured."""
        return self._ratio(self.confirmed, self.judged) if self.judged else None

    @property
    def subject_accuracy(self) -> float | None:
        return self._ratio(self.subject_ok, self.with_subject) if self.with_subject else None

    def summary(self) -> dict[str, Any]:
        precision, subject = self.statement_precision, self.subject_accuracy
        return {
            "gold_mentions": self.mentions,
            "statement_recall": round(self.statement_recall, 3),
            "statement_precision": None if precision is None else round(precision, 3),
            "subject_accuracy": None if subject is None else round(subject, 3),
            "claim_type_accuracy": round(self.type_accuracy, 3),
            "grouping_precision": round(self.grouping_precision, 3),
            "grouping_recall": round(self.grouping_recall, 3),
            "polarity_accuracy": round(self._ratio(self.polarity_ok, self.found), 3),
            "certainty_accuracy": round(self._ratio(self.certainty_ok, self.found), 3),
            "pairs": {
                "gold": self.pairs_gold,
                "predicted": self.pairs_pred,
                "both": self.pairs_both,
            },
            "statements": {"judged": self.judged, "confirmed": self.confirmed},
        }


def read_gold_yaml(path: str | Path) -> Any:
    """A gold file's YAML; GoldError, in one line naming the file, when it cannot be
    read, is not UTF-8 or is not YAML."""
    path = Path(path)
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"cannot read gold file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise GoldError(f"{path} is not UTF-8 text; save the gold file as UTF-8") from None
    except yaml.YAMLError as exc:
        raise GoldError(f"{path}{describe_yaml_error(exc)}; fix the YAML") from None


def locate_fragment(
    path: str | Path, texts: dict[str, str], source: str, fragment: str, where: str = ""
) -> int:
    """Where ``fragment`` starts in ``source``'s text; GoldError, naming the gold file and
    ``where`` in it, when the source is not in the KB or the fragment not in its text."""
    said = f" ({where})" if where else ""
    if source not in texts:
        raise GoldError(
            f"gold source {source!r}{said} is not in the KB; build the KB from the gold's corpus"
        )
    start = texts[source].find(fragment)
    if start < 0:
        raise GoldError(f"{path}:{said} fragment not found in {source}: {fragment[:60]!r}")
    return start


def load_gold(path: str | Path, texts: dict[str, str]) -> Gold:
    """Read a gold file and locate each fragment in its source's text.

    Raises GoldError, naming the file and the claim, for a file that cannot be read, bad
    YAML (an impossible date included), a value of the wrong shape, or a fragment or
    source that is not in the KB."""
    path = Path(path)
    data = read_gold_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise GoldError(f"{path}: a gold file has a 'claims:' list; see tests/gold/seeds.yaml")
    exhaustive = data.get("exhaustive", False)
    sources = data.get("sources", [])
    if not isinstance(exhaustive, bool) or not (
        isinstance(sources, list) and all(isinstance(s, str) for s in sources)
    ):
        raise GoldError(
            f"{path}: 'exhaustive:' is true or false and 'sources:' a list of source ids; "
            "see tests/gold/GUIDE.md"
        )
    if exhaustive and not sources:
        raise GoldError(f"{path}: an exhaustive gold names its 'sources:'; see tests/gold/GUIDE.md")
    for source in sources:
        if source not in texts:
            raise GoldError(
                f"gold source {source!r} is not in the KB; build the KB from the gold's corpus"
            )
    mentions = [
        mention
        for number, claim in enumerate(data["claims"], start=1)
        for mention in _claim_mentions(claim, number, path, texts)
    ]
    return Gold(mentions, exhaustive, tuple(sources))


def _claim_mentions(
    claim: Any, number: int, path: Path, texts: dict[str, str]
) -> list[GoldMention]:
    """The mentions of one gold claim (the ``number``th in the file), checked."""

    def bad(what: str) -> GoldError:
        name = claim.get("id") if isinstance(claim, dict) else None
        which = f"claim {name!r}" if isinstance(name, str) else f"claim {number}"
        return GoldError(f"{path}: {which} {what}; see tests/gold/seeds.yaml for the shape")

    if not isinstance(claim, dict) or not isinstance(claim.get("id"), str):
        raise bad("needs an 'id:' and 'mentions:'")
    claim_type = claim.get("type", "")
    if claim_type not in CLAIM_TYPES:
        raise bad(f"has unknown type {claim_type!r}; use one of {', '.join(CLAIM_TYPES)}")
    mentions = claim.get("mentions", [])
    if not isinstance(mentions, list):
        raise bad("has 'mentions:' that is not a list")
    subjects = claim.get("subjects", [])
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        raise bad("has 'subjects:' that is not a list of names")
    out = []
    for mention in mentions:
        if not isinstance(mention, dict) or not all(
            isinstance(mention.get(key), str) for key in ("source", "fragment")
        ):
            raise bad("has a mention without text 'source:' and 'fragment:'")
        polarity = mention.get("polarity", "affirmed")
        certainty = mention.get("certainty", "asserted")
        if polarity not in POLARITIES or certainty not in CERTAINTIES:
            raise bad(
                f"has a mention with polarity {polarity!r} or certainty {certainty!r}; use "
                f"{' or '.join(POLARITIES)}, and {', '.join(CERTAINTIES)}"
            )
        source, fragment = mention["source"], mention["fragment"]
        start = locate_fragment(path, texts, source, fragment)
        out.append(
            GoldMention(claim["id"], claim_type, source, start, start + len(fragment), fragment,
                        polarity, certainty, tuple(subjects))
        )  # fmt: skip
    return out


def _covering(mention: GoldMention, by_source: dict[str, list[Statement]]) -> list[Statement]:
    return [
        s
        for s in by_source.get(mention.source, [])
        if s.start < mention.end and mention.start < s.end
    ]


def _overlap(statement: Statement, mention: GoldMention) -> int:
    """How many characters of the statement's matched words lie in the gold fragment."""
    span = statement.qualifiers.matched_span or (statement.start, statement.end)
    return max(0, min(span[1], mention.end) - max(span[0], mention.start))


def _best_in_fragment(statements: list[Statement], mention: GoldMention) -> list[Statement]:
    """The statements whose matched words overlap the fragment most (all, if none does)."""
    if not statements:
        return statements
    best = max(_overlap(s, mention) for s in statements)
    return [s for s in statements if _overlap(s, mention) == best] if best else statements


def _align(covering: dict[GoldMention, list[Statement]]) -> dict[str, str]:
    """Pair each gold claim with at most one predicted claim, one to one, greedily by votes.

    A mention's sentence votes for the claims of its statements of the gold type; a
    statement whose matched words lie in the fragment votes twice. One to one, so that two
    gold claims cannot both be credited to one predicted claim (as in CEAF alignment).
    """
    votes: Counter[tuple[str, str]] = Counter()
    for mention, found in covering.items():
        for statement in found:
            if statement.claim_type == mention.claim_type and statement.claim_id:
                weight = 2 if _overlap(statement, mention) else 1
                votes[(mention.claim, statement.claim_id)] += weight
    aligned: dict[str, str] = {}
    taken: set[str] = set()
    for (gold, predicted), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if gold not in aligned and predicted not in taken:
            aligned[gold] = predicted
            taken.add(predicted)
    return aligned


def names_subject(name: str, subjects: tuple[str, ...]) -> bool:
    """Whether a statement's subject ``name`` is one of the gold's ``subjects``: the same
    words, or the one inside the other ("omega-3" and "omega-3 fatty acids").

    >>> names_subject("turmeric", ("Turmeric", "curcumin"))
    True
    >>> names_subject("surgery", ("turmeric",))
    False
    """
    words = _subject_words(name)
    if not words:
        return False
    for subject in subjects:
        gold = _subject_words(subject)
        if gold and (_contains(gold, words) or _contains(words, gold)):
            return True
    return False


def _subject_words(name: str) -> tuple[str, ...]:
    # A plural names the same thing: "omega-3 fatty acids" is "omega-3 fatty acid".
    return tuple(w.removesuffix("s") for w in name.lower().replace("_", " ").split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _precision(report: EvalReport, gold: Gold, statements: list[Statement]) -> None:
    """Statement precision over an exhaustive gold's sources (see the module docstring)."""
    covered = set(gold.sources)
    mentions_of: dict[str, list[GoldMention]] = {}
    for mention in gold.mentions:
        mentions_of.setdefault(mention.source, []).append(mention)
    stands_for: list[tuple[Statement, set[str]]] = []
    for statement in statements:
        if statement.source not in covered:
            continue
        overlapping = [
            m
            for m in mentions_of.get(statement.source, [])
            if statement.start < m.end and m.start < statement.end
        ]
        # A sentence stating two claims: the statement stands for the one whose fragment
        # holds its matched words, when one does.
        matched = [m for m in overlapping if _overlap(statement, m)]
        stands_for.append((statement, {m.claim for m in matched or overlapping}))
    votes: dict[str, Counter[str]] = {}
    for statement, claims in stands_for:
        votes.setdefault(statement.claim_id or statement.id, Counter()).update(claims)
    meaning = {
        claim: {g for g, n in counted.items() if n == max(counted.values(), default=0)}
        for claim, counted in votes.items()
    }
    for statement, claims in stands_for:
        report.judged += 1
        if claims & meaning[statement.claim_id or statement.id]:
            report.confirmed += 1
        elif not claims:
            report.unconfirmed.append((statement, "no claim"))
        else:
            wanted = ", ".join(sorted(claims))
            held = ", ".join(sorted(meaning[statement.claim_id or statement.id])) or "nothing"
            report.unconfirmed.append((statement, f"states {wanted}; its claim holds {held}"))


def evaluate(
    gold: Gold, statements: list[Statement], subject_name: Callable[[str], str] = str
) -> EvalReport:
    """Score ``statements`` (with claim ids) against ``gold``; ``subject_name`` turns a
    statement's subject (a concept id) into the words that name it."""
    mentions = gold.mentions
    by_source: dict[str, list[Statement]] = {}
    for statement in statements:
        by_source.setdefault(statement.source, []).append(statement)
    report = EvalReport(mentions=len(mentions))
    covering = {m: _covering(m, by_source) for m in mentions}

    aligned = _align(covering)

    chosen: dict[GoldMention, Statement] = {}
    for mention, found in covering.items():
        if not found:
            report.misses.append(mention)
            continue
        same_claim = [s for s in found if s.claim_id == aligned.get(mention.claim)]
        same_type = [s for s in found if s.claim_type == mention.claim_type]
        same_type = _best_in_fragment(same_type, mention)
        pick = (same_claim or same_type or found)[0]
        chosen[mention] = pick
        report.found += 1
        if pick.claim_type == mention.claim_type:
            report.typed += 1
        else:
            report.mistyped.append((mention, pick.claim_type))
        if pick.polarity == mention.polarity:
            report.polarity_ok += 1
        else:
            report.wrong_polarity.append((mention, pick.polarity))
        if pick.certainty == mention.certainty:
            report.certainty_ok += 1
        else:
            report.wrong_certainty.append((mention, pick.certainty))
        if mention.subjects:
            report.with_subject += 1
            name = subject_name(pick.subject) if pick.subject else ""
            if names_subject(name, mention.subjects):
                report.subject_ok += 1
            else:
                report.wrong_subject.append((mention, name or "(none)"))

    for a, b in combinations(sorted(chosen, key=lambda m: (m.source, m.start, m.claim)), 2):
        if a.source == b.source:
            continue
        gold_same = a.claim == b.claim
        pred_same = chosen[a].claim_id == chosen[b].claim_id
        report.pairs_gold += gold_same
        report.pairs_pred += pred_same
        report.pairs_both += gold_same and pred_same
        if gold_same and not pred_same:
            report.split.append((a, b))
        elif pred_same and not gold_same:
            report.merged.append((a, b))
    if gold.exhaustive:
        _precision(report, gold, statements)
    return report
