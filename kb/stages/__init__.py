"""Stages: what kb derives from sources, each declaring what it needs, what it makes and
its version.

A per-document stage is a pure function of one source (and the lexicon): it reads fields
of a ``Document`` and fills one more, so documents can be processed in any process, in
any order. A corpus stage (claims, near-duplicates, agreement, conflicts) reads every
document's output. kb/pipeline.py runs them in the order it lists them, and checks at
import that each stage's needs are made by an earlier one.

A stage's version is a fingerprint of its code — the source of its modules and of every
kb module they import — never a number bumped by hand: a build whose stored fingerprints
differ from the running code's makes again what that stage made (see kb.pipeline), so an
upgrade never leaves results made by old rules.

Adding a stage, model-backed or not: a module here (or in kb/analyze for a corpus stage)
declaring ``STAGE = Stage(...)``, a field of ``Document`` for what it makes (and a column or
table in kb/store to keep it), and its place in kb/pipeline.py's list. A model is loaded
by ``prepare``, once per process, never once per document.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kb.model import Sentence, Sketch, Source, Statement

__all__ = ["Document", "Stage", "check_order", "code_fingerprint"]


@dataclass(slots=True)
class Document:
    """One source and what the per-document stages derived from it, filled stage by stage.

    ``origin`` is what the first stage reads: a file to read (its ref and content hash), or
    nothing when the source is made again from the text the KB holds."""

    source: Source | None = None
    units: list[Sentence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    sketch: Sketch | None = None
    origin: Any = None


def _nothing(lexicon: Any) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of a build.

    ``needs`` and ``makes`` name ``Document`` fields for a per-document stage (plus
    "lexicon" for one that reads it), and corpus-wide artefacts ("claims", "duplicates",
    ...) for a corpus stage. ``run(document, resources)`` returns the document with
    ``makes`` filled; ``resources`` is what ``prepare(lexicon)`` made once in this process
    (matchers, a model). ``code`` names the modules whose source is the stage's version.
    """

    name: str
    needs: tuple[str, ...]
    makes: str
    code: tuple[str, ...]
    run: Callable[[Document, Any], Document] | None = None  # None: a corpus stage
    prepare: Callable[[Any], Any] = _nothing
    packages: tuple[str, ...] = ()  # libraries whose version changes what it makes (spaCy)

    @property
    def version(self) -> str:
        """The fingerprint of the stage's code (see code_fingerprint) and the versions of
        the ``packages`` it relies on."""
        versions = "".join(f" {p}={_package_version(p)}" for p in self.packages)
        return code_fingerprint(self.code) + versions


def check_order(stages: Sequence[Stage], given: Iterable[str]) -> None:
    """Raise ValueError unless each stage's needs are ``given`` or made by an earlier stage.

    >>> a = Stage("a", ("source",), "units", ())
    >>> check_order([a, Stage("b", ("units",), "statements", ())], ["source"])
    >>> check_order([Stage("b", ("units",), "statements", ())], ["source"])
    Traceback (most recent call last):
    ...
    ValueError: stage 'b' needs units, which no earlier stage makes
    """
    made = set(given)
    for stage in stages:
        missing = [need for need in stage.needs if need not in made]
        if missing:
            raise ValueError(
                f"stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage makes"
            )
        made.add(stage.makes)


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@cache
def code_fingerprint(modules: tuple[str, ...]) -> str:
    """sha256 of the source of ``modules`` and of every kb module they import, at any
    depth: a change anywhere in the code a stage runs changes it.

    >>> code_fingerprint(("kb.model",)) == code_fingerprint(("kb.model.source", "kb.model"))
    True
    """
    digest = hashlib.sha256()
    for name in sorted(_with_imports(modules)):
        digest.update(name.encode() + b"\0" + _module_source(name) + b"\0")
    return digest.hexdigest()[:16]


def _with_imports(modules: Iterable[str]) -> set[str]:
    """The modules and every kb module they import (including package __init__ files)."""
    seen: set[str] = set()
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen or _module_path(name) is None:
            continue
        seen.add(name)
        todo.extend(_kb_imports(name))
    return seen


@cache
def _module_path(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


@cache
def _module_source(name: str) -> bytes:
    path = _module_path(name)
    return path.read_bytes() if path else b""


def _kb_imports(name: str) -> list[str]:
    """The kb modules ``name`` imports: "from kb.nlp import cues" gives kb.nlp and
    kb.nlp.cues (the latter only if it is a module)."""
    tree = ast.parse(_module_source(name))
    package = name if _module_path(name).name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.append(base)
            found += [f"{base}.{a.name}" for a in node.names]
    kb_names = [n for n in found if n == "kb" or n.startswith("kb.")]
    # A package's parents run too ("kb.nlp.cues" runs kb/nlp/__init__.py); "kb" itself
    # holds only the version, which must not make every stage new.
    parents = {n.rsplit(".", i)[0] for n in kb_names for i in range(1, n.count("."))}
    return [n for n in {*kb_names, *parents} if n != "kb" and _is_module(n)]


def _is_module(name: str) -> bool:
    try:
        return _module_path(name) is not None
    except (ImportError, ValueError):  # "kb.nlp.cues.NEGATORS": a name, not a module
        return False
