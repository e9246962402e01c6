"""Markdown front matter: a YAML block between '---' lines at the top of a .md file.

Static-site generators, Obsidian and Zotero's Markdown exports put a note's metadata
there. kb takes its title, author(s), date, url and DOI as the source's metadata; the block
stays in the source's text (so offsets index the file exactly, as for every .md) but is
not where statements come from: segmentation starts after it (readers.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from kb.model import normalize_doi
from kb.yamlfile import describe_yaml_error, load_yaml

__all__ = ["front_matter_end", "read_front_matter"]

_BLOCK = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Which keys give which field; the first present wins.
_KEYS = {
    "title": ("title",),
    "author": ("author", "authors", "creator"),
    "date": ("date", "published", "created", "issued"),
    "url": ("url", "link", "source", "canonical_url"),
    "doi": ("doi",),
}


def front_matter_end(text: str) -> int:
    """Where the text after a front-matter block starts; 0 without one.

    >>> front_matter_end("---\\ntitle: A\\n---\\nBody")
    17
    >>> front_matter_end("Body\\n---\\n")
    0
    """
    found = _BLOCK.match(text)
    return found.end() if found else 0


def _names(value: Any) -> str:
    """One author or many ("A; B"), from a string, a list, or CSL-like {family, given}."""
    if isinstance(value, list):
        return "; ".join(name for item in value if (name := _names(item)))
    if isinstance(value, dict):
        name = value.get("name") or " ".join(
            str(value[k]) for k in ("given", "family") if value.get(k)
        )
        return str(name).strip()
    return str(value).strip() if value is not None else ""


def _text(field: str, value: Any) -> str:
    if field == "author":
        return _names(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if field == "doi":
        return normalize_doi(str(value))
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def read_front_matter(text: str, path: str) -> tuple[dict[str, str], list[str]]:
    """The metadata of ``text``'s front matter ({} without one) and warnings: a block that
    is not valid YAML, or not a mapping, gives no metadata and says so (the note is still
    read; front matter is often written by hand).

    >>> read_front_matter("---\\ntitle: Fish oil\\nauthors: [Ann Lee, Bo Ma]\\n---\\nText", "a.md")
    ({'title': 'Fish oil', 'author': 'Ann Lee; Bo Ma'}, [])
    """
    found = _BLOCK.match(text)
    if not found:
        return {}, []
    try:
        data = load_yaml(found.group(1) or "")
    except yaml.YAMLError as exc:
        why = describe_yaml_error(exc).strip()
        return {}, [f"{path}: the front matter is not valid YAML ({why}); its metadata is ignored"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        why = "is not a set of 'key: value' lines"
        return {}, [f"{path}: the front matter {why}; its metadata is ignored"]
    lowered = {str(k).lower(): v for k, v in data.items()}
    meta = {}
    for field, keys in _KEYS.items():
        for key in keys:
            if lowered.get(key) not in (None, "", []):
                value = _text(field, lowered[key])
                if value:
                    meta[field] = value
                break
    return meta, []
