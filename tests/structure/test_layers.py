"""The package's layers only point down, and no two modules import each other.

Layers, lowest first (docs/architecture.md draws the graph)::

    base       sim.errors, sim.text, sim.names, sim.files, sim.paths
    scenario   sim.scenario            the scenario language
    model      sim.model               the turn engine, its registries, results
    running    sim.running             compute only: replicates, ensembles, sweeps
    outputs    sim.outputs             everything written: run folders, reports …
    faces      sim.play, sim.api       the play core and the Python API
               sim.dashboard           the browser face
               sim.seminar             the classroom server (uses the dashboard's Host guard)
               sim.cli, sim.__main__   the command line

A module may import its own layer or any below it. Every import counts,
including the lazy ones inside functions: a lazy upward import is still an
upward dependency. The check reads the source with ``ast``; nothing is
imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sim"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("sim.errors", "sim.text", "sim.names", "sim.files", "sim.paths")),
    ("scenario", ("sim.scenario",)),
    ("model", ("sim.model",)),
    ("running", ("sim.running",)),
    ("outputs", ("sim.outputs",)),
    ("play and api", ("sim.play", "sim.api")),
    ("dashboard", ("sim.dashboard",)),
    ("seminar", ("sim.seminar",)),
    ("cli", ("sim.cli", "sim.__main__")),
    ("package", ("sim",)),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank >= 0, f"{module} is in no layer: add it to LAYERS"
    return rank


def imports(module: str) -> set[str]:
    """The sim modules that ``module`` imports, anywhere in its source."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("sim") and name != module:
                found.add(name)
    # "from sim.x import y" also names sim.x; keep the most specific module only.
    return {m for m in found if not any(o.startswith(m + ".") for o in found)} | {
        m for m in found if m == "sim"
    }


GRAPH = {m: imports(m) for m in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    mine = layer(module)
    upward = sorted(
        f"{target} ({LAYERS[layer(target)][0]})"
        for target in GRAPH[module]
        if layer(target) > mine and target != "sim"
    )
    assert not upward, f"{module} ({LAYERS[mine][0]}) imports upward: {', '.join(upward)}"


def cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w == "sim" or w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_the_checker_sees_an_upward_import_and_a_cycle() -> None:
    """Negative control: the rules above would catch both faults."""
    saved = {k: set(v) for k, v in GRAPH.items()}
    try:
        GRAPH["sim.model.engine"].add("sim.cli.main")
        GRAPH["sim.cli.main"].add("sim.model.engine")
        assert layer("sim.cli.main") > layer("sim.model.engine")
        assert any("sim.model.engine" in c and "sim.cli.main" in c for c in cycles())
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
