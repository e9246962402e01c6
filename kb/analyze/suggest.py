"""A starter lexicon for a corpus, from what kb read in it without one: the treatments its
clauses say act, what they say those treatments do (outcomes) or cause (adverse events),
and what they are compared with, each with counts and an example quote.

The suggestion is for a person to review and save as a lexicon file (README, The lexicon):
kb never applies it by itself. Everything comes from statements no concept covered, so a
topic the lexicon already knows suggests little.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import yaml

from kb.model import Statement

__all__ = ["Suggested", "suggest_lexicon", "suggestion_yaml"]


@dataclass(frozen=True, slots=True)
class Suggested:
    """One concept to consider: its category, label and phrases, how often and in how many
    sources kb read it, and one statement that says it (source and quote)."""

    category: str  # intervention | outcome | adverse_event | comparator
    label: str
    phrases: tuple[str, ...]
    statements: int
    sources: int
    example_source: str
    example: str
    claim: str = ""  # the claim label template, for a concept that makes claims


# "better than placebo", "no more effective than sham acupuncture": what is compared with.
_COMPARED = re.compile(
    r"\b(?:better|worse|more effective|less effective|superior|inferior|similar|equivalent)"
    r"\s+(?:than|to)\s+(?:a |an |the )?((?:[a-z][\w-]*\s?){1,3})",
    re.IGNORECASE,
)
_COMPARED_STOP = frozenset("in for at on with and or but when after who which that".split())


def suggest_lexicon(statements: list[Statement], top: int = 15) -> list[Suggested]:
    """The ``top`` suggestions of each category, most stated first.

    >>> st = Statement("s1", "a", "Massage may reduce pain.", 0, 24, "efficacy",
    ...                subject="~massage", relation="reduces", object="~pain")
    >>> [(s.category, s.label) for s in suggest_lexicon([st])]
    [('intervention', 'massage'), ('outcome', 'reduces pain')]
    """
    groups: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    phrases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for st in statements:
        if st.subject.startswith("~"):
            key = ("intervention", st.subject[1:])
            groups[key].append(st)
            phrases[key].add(st.subject[1:])
        if st.object.startswith("~") and st.claim_type in ("efficacy", "safety", "mechanism"):
            category = "adverse_event" if st.claim_type == "safety" else "outcome"
            key = (category, f"{st.relation} {st.object[1:]}")
            groups[key].append(st)
            phrases[key].add(st.qualifiers.matched or key[1])
        for found in _COMPARED.finditer(st.quote):
            words = []
            for word in found.group(1).split():
                if word.lower() in _COMPARED_STOP:
                    break
                words.append(word.lower())
            if words:
                key = ("comparator", " ".join(words))
                groups[key].append(st)
                phrases[key].add(key[1])
    out: list[Suggested] = []
    for category in ("intervention", "outcome", "adverse_event", "comparator"):
        ranked = sorted(
            ((key, members) for key, members in groups.items() if key[0] == category),
            key=lambda item: (-len({s.source for s in item[1]}), -len(item[1]), item[0][1]),
        )
        for (_, label), members in ranked[:top]:
            first = min(members, key=lambda s: (s.source, s.start))
            out.append(
                Suggested(
                    category=category,
                    label=label,
                    phrases=tuple(sorted(phrases[(category, label)])),
                    statements=len(members),
                    sources=len({s.source for s in members}),
                    example_source=first.source,
                    example=" ".join(first.quote.split()),
                    claim=_claim_template(category, label),
                )
            )
    return out


def _claim_template(category: str, label: str) -> str:
    """The claim label of a suggested concept that makes claims: "{subject} reduces
    swelling" for an outcome, "{subject} causes skin blister" for an adverse event
    (labelled "causes skin blister" already); "" for one that only qualifies."""
    if category == "outcome":
        return f"{{subject}} {label}"
    if category == "adverse_event":
        return f"{{subject}} causes {label.split(' ', 1)[-1]}"
    return ""


def _concept_id(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "concept"
    if base[0].isdigit():
        base = "c_" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def suggestion_yaml(suggestions: list[Suggested], kb_path: str = "") -> str:
    """A lexicon file of ``suggestions``, each concept with a comment that says how often it
    was read and quotes one example. It loads as it is (kb.nlp.lexicon.load_lexicon)."""
    lines = [
        "# A starter lexicon suggested by `kb lexicon suggest`"
        + (f" from {kb_path}" if kb_path else "")
        + ".",
        "# Review it: keep what names your topic, merge synonyms, delete the rest. Then build",
        "# with it beside kb's shipped lexicon (README, The lexicon):",
        '#   kb build --lexicon "$shipped" --lexicon this-file.yaml SOURCES',
        "concepts:",
    ]
    taken: set[str] = set()
    for s in suggestions:
        example = s.example if len(s.example) <= 160 else s.example[:159] + "…"
        lines.append(
            f"  # {s.category}: {s.statements} statement(s) in {s.sources} source(s); "
            f"e.g. {s.example_source}: {example!r}"
        )
        entry: dict[str, object] = {
            "id": _concept_id(s.label, taken),
            "label": s.label,
            "category": s.category,
        }
        if s.claim:
            entry["claim"] = s.claim
        entry["synonyms"] = list(s.phrases)
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
        lines.extend("  " + line for line in dumped.rstrip().splitlines())
    if not suggestions:
        lines.append("  []  # kb read no statement that no concept covered")
    return "\n".join(lines) + "\n"
