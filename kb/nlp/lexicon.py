"""The concept lexicon: YAML files of concepts, cue words, page furniture and contraries.

A file looks like this (the README documents every key)::

    concepts:
      - id: endorphin_release
        label: endorphin release
        category: mechanism
        parent: neurochemical_release
        claim: "{subject} releases endorphins"
        synonyms: [endorphins, natural opioids, "natural ... opioids"]
    cues:
      safety: [side effect, risk]
    furniture: [contact our team]
    contrary:
      - [harmless, not_for_everyone]

Loading validates everything and raises LexiconError naming the file and line: bad YAML,
an unknown key or category, a duplicate id, an unknown parent or contrary, a parent cycle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from kb.errors import LexiconError
from kb.model import CLAIM_TYPES
from kb.yamlfile import SafeLoader, describe_yaml_error

__all__ = [
    "CATEGORIES",
    "CATEGORY_CLAIM_TYPE",
    "EVIDENCE_STANCES",
    "SHIPPED_LEXICON",
    "Concept",
    "Lexicon",
    "load_lexicon",
    "require_concepts",
]

# The default lexicon, installed with kb as package data (kb/lexicon/*.yaml). Found from
# this file, so that it is the same wherever kb is run from and however it was installed.
SHIPPED_LEXICON = Path(__file__).resolve().parents[1] / "lexicon"

# The claim type a concept of each category makes when a sentence states it. Categories
# not listed here (intervention, condition, ...) qualify a claim rather than make one.
CATEGORY_CLAIM_TYPE = {
    "mechanism": "mechanism",
    "outcome": "efficacy",
    "adverse_event": "safety",
    "safety": "safety",
    "contraindication": "safety",
    "procedure": "procedure",
    "evidence": "evidence",
    "advice": "recommendation",
}
# The relation a claim-making concept's category expresses; a comparative concept is its
# own relation ("more_effective" than a comparator).
RELATIONS = {
    "mechanism": "acts_by",
    "outcome": "improves",
    "adverse_event": "causes",
    "safety": "has_safety",
    "contraindication": "is_risky_for",
    "procedure": "involves",
    "evidence": "evidence_state",
    "advice": "advises",
}
QUALIFIER_CATEGORIES = (
    "intervention", "condition", "body_site", "population", "comparator", "practitioner",
    "substance", "quantity", "other",
)  # fmt: skip
CATEGORIES = tuple(CATEGORY_CLAIM_TYPE) + QUALIFIER_CATEGORIES
QUANTITY_DIMENSIONS = ("duration", "count", "cost", "proportion", "mass", "volume", "frequency")

_CONCEPT_KEYS = {
    "id", "label", "category", "synonyms", "patterns", "parent", "claim", "claim_type",
    "comparative", "quantity", "description", "refine_by_condition", "generic", "evidence",
    "by_target",
}  # fmt: skip
# What a concept of the evidence says about the claims stated beside it: "clinically
# proven" makes them proven, "more research is needed" unproven (certainty conflicts).
EVIDENCE_STANCES = ("proven", "unproven")
_TOP_KEYS = {"topic", "concepts", "cues", "furniture", "contrary"}


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept. ``phrases`` are its synonyms and patterns ("..." marks a gap)."""

    id: str
    label: str
    category: str
    phrases: tuple[str, ...] = ()
    parent: str = ""
    claim: str = ""  # label template of claims about it: "{subject} releases endorphins"
    claim_type: str = ""  # the type of claim it makes; "" for qualifier concepts
    comparative: bool = False  # its claims are split by comparator ("more effective than X")
    quantity: str = ""  # the dimension of quantity its claims carry (duration, cost, ...)
    # (condition, concept): said of this condition, the claim is the more specific concept.
    refine_by_condition: tuple[tuple[str, str], ...] = ()
    generic: bool = False  # a name too general to be what a document is about ("treatment")
    evidence: str = ""  # "proven" | "unproven": what it says of the claims stated beside it
    # Said with no condition the lexicon knows, its claims are split by what the sentence
    # says it acts on, joined by these words: "is effective for" + "preventing heart disease".
    by_target: str = ""
    # The intervention its file is about (the file's ``topic``): its claims are read only in
    # documents about it. "intake" is a step of an acupuncture visit, not of a diet.
    topic: str = ""
    file: str = ""
    line: int = 0

    @property
    def makes_claims(self) -> bool:
        return bool(self.claim_type)

    @property
    def relation(self) -> str:
        """The relation of claims about this concept: "acts_by", "causes", ..."""
        return self.id if self.comparative else RELATIONS.get(self.category, "is")


@dataclass
class Lexicon:
    """All concepts of a set of lexicon files, with cues, furniture and contraries."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    furniture: tuple[str, ...] = ()
    contrary: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()
    sha256: str = ""

    def ancestors(self, concept_id: str) -> list[str]:
        """Parents of a concept, nearest first.

        >>> lex = Lexicon({"a": Concept("a", "a", "condition"),
        ...                "b": Concept("b", "b", "condition", parent="a")})
        >>> lex.ancestors("b")
        ['a']
        """
        chain = []
        current = self.concepts.get(concept_id)
        while current is not None and current.parent:
            chain.append(current.parent)
            current = self.concepts.get(current.parent)
        return chain

    def most_specific(self, ids: list[str]) -> list[str]:
        """``ids`` without those that are ancestors of another: "back pain" goes when "low
        back pain" is there. Order is kept.

        >>> lex = Lexicon({"a": Concept("a", "a", "condition"),
        ...                "b": Concept("b", "b", "condition", parent="a")})
        >>> lex.most_specific(["a", "b"]), lex.most_general(["b", "a"])
        (['b'], ['a'])
        """
        if len(ids) < 2:  # most sentences: nothing to compare
            return list(ids)
        return [c for c in ids if not any(c in self.ancestors(o) for o in ids)]

    def most_general(self, ids: list[str]) -> list[str]:
        """``ids`` without those that descend from another. Order is kept."""
        if len(ids) < 2:
            return list(ids)
        return [c for c in ids if not any(o in self.ancestors(c) for o in ids)]

    def broadest(self, ids: list[str]) -> str:
        """The one of ``ids`` nearest the root, ties by id: a deterministic pick."""
        return min(ids, key=lambda c: (len(self.ancestors(c)), c))

    def is_a(self, concept_id: str, other: str) -> bool:
        """True when ``concept_id`` is ``other`` or one of its descendants."""
        return concept_id == other or other in self.ancestors(concept_id)

    def label(self, concept_id: str) -> str:
        concept = self.concepts.get(concept_id)
        return concept.label if concept else concept_id

    def applies(self, concept_id: str, subject: str) -> bool:
        """Whether claims of a concept are read in a document about ``subject``: a concept
        of a topic's file only where the topic is its subject, or no subject is known.

        >>> lex = Lexicon({"acu": Concept("acu", "acupuncture", "intervention"),
        ...                "intake": Concept("intake", "intake", "procedure", topic="acu")})
        >>> lex.applies("intake", "acu"), lex.applies("intake", "~omega-3")
        (True, False)
        """
        concept = self.concepts.get(concept_id)
        topic = concept.topic if concept else ""
        return not topic or not subject or self.is_a(subject, topic)

    def evidence_stance(self, concept_id: str) -> str:
        """ "proven", "unproven" or "": the concept's own ``evidence`` or its nearest
        ancestor's."""
        for cid in (concept_id, *self.ancestors(concept_id)):
            concept = self.concepts.get(cid)
            if concept is not None and concept.evidence:
                return concept.evidence
        return ""

    def are_contrary(self, a: str, b: str) -> bool:
        """True when claims about ``a`` and ``b`` cannot both hold (descendants included)."""
        for left, right in self.contrary:
            if (self.is_a(a, left) and self.is_a(b, right)) or (
                self.is_a(a, right) and self.is_a(b, left)
            ):
                return True
        return False

    def descendants(self, concept_id: str) -> list[str]:
        """The concepts below ``concept_id``, itself excluded."""
        return [c for c in self.concepts if c != concept_id and self.is_a(c, concept_id)]

    def contraries(self, concept_id: str) -> list[str]:
        """The claim concepts that cannot hold with ``concept_id`` (see are_contrary)."""
        return [
            c
            for c in self.concepts
            if self.concepts[c].makes_claims and self.are_contrary(concept_id, c)
        ]

    def is_comparative(self, concept_id: str) -> bool:
        """Whether claims of the concept compare with something ("more effective than")."""
        concept = self.concepts.get(concept_id)
        return concept is not None and concept.comparative

    def holds_without_exception(self, concept_id: str) -> bool:
        """Whether a concept claims something for every case: the first of a contrary
        pair ("harmless for everyone" against its restrictions, "proven" against "mixed"),
        a comparison excepted ("more effective than" against "as effective as" is one
        claim against another, not a rule against its exceptions)."""
        return (
            concept_id in self.concepts
            and not self.is_comparative(concept_id)
            and any(self.is_a(concept_id, left) for left, _ in self.contrary)
        )


# ---------------------------------------------------------------- YAML with line numbers


class _LineLoader(SafeLoader):
    """A safe loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read the lexicon file ({exc})") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        where, problem = describe_yaml_error(exc).split(": ", 1)
        raise LexiconError(f"{path}{where}: bad YAML: {problem}; fix the file") from None
    if data is None:
        return {"__line__": 1}
    if not isinstance(data, dict):
        raise LexiconError(f"{path} line 1: a lexicon file is a mapping with 'concepts:'")
    return data


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise LexiconError(f"{where}: '{key}' must be a list of phrases")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _concept(entry: Any, path: Path, index: int) -> Concept:
    if not isinstance(entry, dict):
        raise LexiconError(
            f"{path}: concept #{index + 1} must be a mapping with id, label, category"
        )
    line = entry.get("__line__", 0)
    where = f"{path} line {line}"
    unknown = set(entry) - _CONCEPT_KEYS - {"__line__"}
    if unknown:
        raise LexiconError(
            f"{where}: unknown key {sorted(unknown)[0]!r}; "
            f"allowed: {', '.join(sorted(_CONCEPT_KEYS))}"
        )
    for key in ("id", "label", "category"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise LexiconError(f"{where}: concept needs a '{key}'")
    concept_id, category = entry["id"].strip(), entry["category"].strip()
    if category not in CATEGORIES:
        raise LexiconError(
            f"{where}: unknown category {category!r} for {concept_id!r}; "
            f"use one of {', '.join(CATEGORIES)}"
        )
    claim_type = str(entry.get("claim_type") or CATEGORY_CLAIM_TYPE.get(category, ""))
    if claim_type and claim_type not in CLAIM_TYPES:
        raise LexiconError(
            f"{where}: claim_type {claim_type!r} is not one of {', '.join(CLAIM_TYPES)}"
        )
    quantity = str(entry.get("quantity") or "")
    if quantity and quantity not in QUANTITY_DIMENSIONS:
        raise LexiconError(
            f"{where}: quantity {quantity!r} is not one of {', '.join(QUANTITY_DIMENSIONS)}"
        )
    if entry.get("by_target") and not claim_type:
        raise LexiconError(f"{where}: by_target is for a concept that makes claims")
    evidence = str(entry.get("evidence") or "")
    if evidence and evidence not in EVIDENCE_STANCES:
        raise LexiconError(
            f"{where}: evidence {evidence!r} is not one of {', '.join(EVIDENCE_STANCES)}"
        )
    refine = entry.get("refine_by_condition") or {}
    if not isinstance(refine, dict):
        raise LexiconError(f"{where}: refine_by_condition maps a condition id to a concept id")
    refine.pop("__line__", None)
    phrases = _strings(entry.get("synonyms"), where, "synonyms") + _strings(
        entry.get("patterns"), where, "patterns"
    )
    return Concept(
        id=concept_id,
        label=entry["label"].strip(),
        category=category,
        phrases=phrases,
        parent=str(entry.get("parent") or "").strip(),
        claim=str(entry.get("claim") or "").strip(),
        claim_type=claim_type,
        comparative=bool(entry.get("comparative", False)),
        quantity=quantity,
        refine_by_condition=tuple((str(k), str(v)) for k, v in refine.items()),
        generic=bool(entry.get("generic", False)),
        evidence=evidence,
        by_target=str(entry.get("by_target") or "").strip(),
        file=str(path),
        line=line,
    )


_WHAT_TO_DO = (
    "pass a folder of lexicon .yaml files with --lexicon (or in $KB_LEXICON), "
    "or neither to use the lexicon shipped with kb"
)


def lexicon_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .yaml/.yml files named, or found (sorted) in the folders named.

    A path that does not exist, or a folder with no lexicon file, is a LexiconError: it is
    a mistake (a typo, the wrong folder), and building without it would not say so.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
            if not found:
                raise LexiconError(f"no lexicon files (.yaml) in {path}; {_WHAT_TO_DO}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise LexiconError(f"no lexicon at {path}; {_WHAT_TO_DO}")
    if not files:
        raise LexiconError(f"no lexicon given; {_WHAT_TO_DO}")
    return files


def load_lexicon(paths: Iterable[str | Path]) -> Lexicon:
    """Load and validate lexicon files (or folders of them) into one Lexicon.

    Raises LexiconError when there are no files or they define no concept (see
    require_concepts), besides every error of a file's content.
    """
    files = lexicon_files(paths)
    digest = hashlib.sha256()
    lexicon = Lexicon(files=tuple(str(f) for f in files))
    cues: dict[str, list[str]] = {}
    furniture: list[str] = []
    contrary: list[tuple[str, str, str]] = []  # (a, b, where)
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        data = _read_yaml(path)
        unknown = set(data) - _TOP_KEYS - {"__line__"}
        if unknown:
            raise LexiconError(
                f"{path}: unknown section {sorted(unknown)[0]!r}; "
                f"allowed: {', '.join(sorted(_TOP_KEYS))}"
            )
        entries = data.get("concepts") or []
        if not isinstance(entries, list):
            raise LexiconError(f"{path}: 'concepts' must be a list")
        topic = str(data.get("topic") or "").strip()
        for index, entry in enumerate(entries):
            concept = _concept(entry, path, index)
            if topic and concept.makes_claims:
                concept = replace(concept, topic=topic)
            if concept.id in lexicon.concepts:
                first = lexicon.concepts[concept.id]
                raise LexiconError(
                    f"{path} line {concept.line}: duplicate concept id {concept.id!r} "
                    f"(first defined in {first.file} line {first.line}); rename one"
                )
            lexicon.concepts[concept.id] = concept
        raw_cues = data.get("cues") or {}
        if not isinstance(raw_cues, dict):
            raise LexiconError(f"{path}: 'cues' maps a claim type to a list of phrases")
        for claim_type, phrases in raw_cues.items():
            if claim_type == "__line__":
                continue
            if claim_type not in CLAIM_TYPES:
                raise LexiconError(
                    f"{path} line {raw_cues['__line__']}: cue type {claim_type!r} is not one of "
                    f"{', '.join(CLAIM_TYPES)}"
                )
            cues.setdefault(claim_type, []).extend(_strings(phrases, str(path), "cues"))
        furniture.extend(_strings(data.get("furniture"), str(path), "furniture"))
        for pair in data.get("contrary") or []:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise LexiconError(f"{path}: each 'contrary' entry is a pair [concept, concept]")
            contrary.append((str(pair[0]), str(pair[1]), str(path)))
    require_concepts(lexicon)
    _check_references(lexicon, contrary)
    lexicon.cues = {k: tuple(v) for k, v in cues.items()}
    lexicon.furniture = tuple(furniture)
    lexicon.contrary = tuple((a, b) for a, b, _ in contrary)
    lexicon.sha256 = digest.hexdigest()
    return lexicon


def require_concepts(lexicon: Lexicon) -> Lexicon:
    """``lexicon``, or LexiconError when it defines no concept: a build with it would type
    every claim "other" and find no conflict, without a word."""
    if not lexicon.concepts:
        where = ", ".join(lexicon.files) or "the lexicon given (no files)"
        raise LexiconError(f"no concepts in {where}; add 'concepts:' to it, or {_WHAT_TO_DO}")
    return lexicon


def _check_references(lexicon: Lexicon, contrary: list[tuple[str, str, str]]) -> None:
    for concept in lexicon.concepts.values():
        if concept.parent and concept.parent not in lexicon.concepts:
            raise LexiconError(
                f"{concept.file} line {concept.line}: unknown parent {concept.parent!r} "
                f"of {concept.id!r}; define it or fix the id"
            )
    for concept in lexicon.concepts.values():
        seen = {concept.id}
        current = concept
        while current.parent:
            if current.parent in seen:
                raise LexiconError(
                    f"{concept.file} line {concept.line}: parent cycle through {concept.id!r}"
                )
            seen.add(current.parent)
            current = lexicon.concepts[current.parent]
    for concept in lexicon.concepts.values():
        topic = lexicon.concepts.get(concept.topic)
        if concept.topic and (topic is None or topic.category != "intervention"):
            raise LexiconError(
                f"{concept.file}: topic {concept.topic!r} is not an intervention concept; "
                "name one defined in the lexicon"
            )
        for condition, specific in concept.refine_by_condition:
            for concept_id in (condition, specific):
                if concept_id not in lexicon.concepts:
                    raise LexiconError(
                        f"{concept.file} line {concept.line}: refine_by_condition of "
                        f"{concept.id!r} names unknown concept {concept_id!r}"
                    )
    for a, b, where in contrary:
        for concept_id in (a, b):
            if concept_id not in lexicon.concepts:
                raise LexiconError(f"{where}: contrary names unknown concept {concept_id!r}")
