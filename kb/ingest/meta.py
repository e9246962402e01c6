"""Sidecar metadata: ``<stem>.meta.yaml`` next to a source file.

A sidecar lets a user state what the file itself does not (or states wrongly):
title, author, site, url, date and kind. For ``a/b/article.txt`` the sidecar
is ``a/b/article.meta.yaml``. A sidecar is strict on purpose: a misspelt key
silently ignored would be metadata silently lost.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from kb.errors import IngestError
from kb.model import SOURCE_KINDS, normalize_doi
from kb.yamlfile import describe_yaml_error, load_yaml

__all__ = [
    "SIDECAR_KEYS",
    "SIDECAR_SUFFIX",
    "is_sidecar",
    "parse_sidecar",
    "read_sidecar_bytes",
    "sidecar_path",
]

SIDECAR_SUFFIX = ".meta.yaml"
SIDECAR_KEYS = ("title", "author", "url", "date", "kind", "site", "doi")


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` would be.

    >>> sidecar_path(Path("a/b/article.txt")).as_posix()
    'a/b/article.meta.yaml'
    """
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """True for ``*.meta.yaml`` files, which describe a source rather than being one.

    >>> is_sidecar(Path("x/article.meta.yaml")), is_sidecar(Path("x/article.yaml"))
    (True, False)
    """
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def read_sidecar_bytes(path: Path) -> bytes | None:
    """The raw bytes of ``path``'s sidecar, or None when it has none.

    Raw bytes so that hashing and parsing see the very same content.
    """
    side = sidecar_path(path)
    if not side.is_file():
        return None
    try:
        return side.read_bytes()
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else "cannot be read"
        raise IngestError(str(path), f"sidecar {side.name}: {reason}; check the file") from exc


def _to_text(key: str, value: Any, name: str, source: str) -> str:
    """One sidecar value as a string: dates become ISO strings, author lists are joined."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        # "author: [A, B]" is natural for several authors.
        return ", ".join(str(v).strip() for v in value)
    raise IngestError(
        source,
        f"bad metadata in {name}: {key} must be text, not a {type(value).__name__}"
        "; write it as 'key: value'",
    )


def _yaml_reason(exc: yaml.YAMLError, name: str) -> str:
    """A one-line reason for a YAML error, with its line number when yaml knows it."""
    return f"bad metadata in {name}{describe_yaml_error(exc)}; fix the YAML"


def parse_sidecar(data: bytes, name: str, source: str) -> dict[str, str]:
    """Validate sidecar bytes and return its values as strings.

    ``name`` is the sidecar's file name (for messages); ``source`` the path of
    the file it describes (the IngestError path). Keys set to nothing are ignored.

    >>> parse_sidecar(b"title: Real title\\ndate: 2021-03-04\\n", "a.meta.yaml", "a.txt")
    {'title': 'Real title', 'date': '2021-03-04'}
    """
    try:
        loaded = load_yaml(data)
    except yaml.YAMLError as exc:
        raise IngestError(source, _yaml_reason(exc, name)) from exc
    if loaded is None:
        return {}  # an empty sidecar says nothing, which is fine
    if not isinstance(loaded, dict):
        raise IngestError(
            source,
            f"bad metadata in {name}: expected 'key: value' lines, got a {type(loaded).__name__}"
            "; fix the YAML",
        )
    values: dict[str, str] = {}
    for key, value in loaded.items():
        if key not in SIDECAR_KEYS:
            raise IngestError(
                source,
                f"bad metadata in {name}: unknown key {key!r}; "
                f"allowed keys are {', '.join(SIDECAR_KEYS)}",
            )
        if value is None:
            continue
        values[key] = _to_text(key, value, name, source)
    if "doi" in values and not normalize_doi(values["doi"]):
        raise IngestError(
            source, f"bad metadata in {name}: {values['doi']!r} is not a DOI (10.NNNN/...)"
        )
    if "doi" in values:
        values["doi"] = normalize_doi(values["doi"])
    kind = values.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        raise IngestError(
            source,
            f"bad metadata in {name}: kind {kind!r} is not allowed; "
            f"use one of {', '.join(SOURCE_KINDS)}",
        )
    return values
