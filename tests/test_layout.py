"""The house rules of the layout, held by tests: imports flow one way, data down the
folders (model ← nlp ← ingest/stages ← analyze ← store ← pipeline/graph ← api ←
cli/dashboard); the dashboard reads only kb's public API; no module grows past 600 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import ROOT

# A module may import kb modules of its own layer or a lower one, never a higher one.
LAYERS = {
    "kb": 0,  # the package's __init__: its name and version (kb.open imports the API lazily)
    "kb.model": 0,
    "kb.errors": 0,
    "kb.yamlfile": 0,
    "kb.outfile": 0,
    "kb.collector": 0,
    "kb.progress": 0,
    "kb.nlp": 1,
    "kb.ingest": 2,
    "kb.stages": 2,
    "kb.analyze": 3,
    "kb.store": 4,
    "kb.pipeline": 5,
    "kb.process": 5,
    "kb.distributed": 5,
    "kb.dask_stages": 5,
    "kb.graph": 5,
    "kb.check": 5,
    "kb.cite": 5,
    "kb.evaluate": 5,
    "kb.evaluate_check": 5,
    "kb.subjects": 5,
    "kb.semantic": 5,
    "kb.api": 6,
    "kb.cli": 7,
    "kb.__main__": 7,
}
DASHBOARD_MAY_IMPORT = ("kb.api", "kb.model", "kb.errors")
MAX_LINES = 600


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import of a kb or dashboard module or streamlit."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name.split(".")[0] in ("kb", "streamlit")]


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@pytest.mark.parametrize("path", _modules("kb"), ids=lambda p: _name(p))
def test_kb_imports_flow_down_the_layers(path):
    module = _name(path)
    upward = [
        f"line {line}: {name}"
        for name, line in _imports(path)
        if name.startswith("kb") and _is_module(name) and _layer(name) > _layer(module)
        and not (module == "kb" and name == "kb.api")
    ]  # fmt: skip
    assert not upward, f"{module} (layer {_layer(module)}) imports a higher layer: {upward}"
    assert not [n for n, _ in _imports(path) if n.startswith("streamlit")], (
        "kb/ never imports streamlit"
    )


@pytest.mark.parametrize("path", _modules("dashboard"), ids=lambda p: _name(p))
def test_the_dashboard_reads_only_kb_s_public_api(path):
    private = [
        f"line {line}: {name}"
        for name, line in _imports(path)
        if name.startswith("kb") and _is_module(name)
        and not name.startswith(DASHBOARD_MAY_IMPORT) and name != "kb"
    ]  # fmt: skip
    assert not private, f"{_name(path)} imports kb internals: {private}"


def test_no_module_is_longer_than_600_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("kb", "dashboard", "benchmarks")
        for path in _modules(folder)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by concern: {long}"
