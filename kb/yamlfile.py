"""YAML as kb reads it (sidecars, lexicons, gold files): safe, and bad values are YAML
errors with their line, never a crash.

PyYAML's safe loader turns ``date: 2023-02-30`` into ``datetime.date(2023, 2, 30)`` and
so raises a bare ValueError, with no line, from deep inside the loader.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["SafeLoader", "describe_yaml_error", "load_yaml"]


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader, but an impossible date is a ConstructorError at its line."""


def _timestamp(loader: SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date ({exc}); write it as YYYY-MM-DD",
            node.start_mark,
        ) from None  # fmt: skip


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML text safely; raises yaml.YAMLError (with its line) on any bad input.

    >>> load_yaml("date: 2023-02-28")
    {'date': datetime.date(2023, 2, 28)}
    """
    return yaml.load(text, Loader=SafeLoader)


def describe_yaml_error(exc: yaml.YAMLError) -> str:
    """The line and problem of a YAML error, as " line N: what is wrong" (no line when
    yaml knows none).

    >>> try:
    ...     load_yaml("title: A\\ndate: 2023-02-30")
    ... except yaml.YAMLError as exc:
    ...     describe_yaml_error(exc)
    " line 2: '2023-02-30' is not a date (day is out of range for month); write it as YYYY-MM-DD"
    """
    mark = getattr(exc, "problem_mark", None)
    where = f" line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    return f"{where}: {problem}"
