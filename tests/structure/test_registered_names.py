"""No code outside a registry compares a registered name with a string literal.

A policy, a condition metric, a figure, a headline outcome and a posture field
are each declared once, in their registry. Code that asks ``if kind ==
"tit_for_tat"`` or ``if metric in ("tension", "turn")`` is a second,
silent list of names: adding a name to the registry does not reach it. This
test reads the package's source and fails on every such comparison (``==``,
``!=``, ``in``, ``not in`` against a literal or a literal tuple, list or set,
and ``match`` cases), outside the modules that are the registries.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.structure.registered import is_home, registered_names

PACKAGE = Path(__file__).resolve().parents[2] / "sim"


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        return [v for v in values if isinstance(v, str)]
    return []


def comparisons(source: str, names: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, literal, what it names) for each comparison of a registered name with a literal."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(source)):
        sides: list[ast.AST] = []
        if isinstance(node, ast.Compare):
            ops = node.ops
            if all(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in ops):
                sides = [node.left, *node.comparators]
        elif isinstance(node, ast.MatchValue):
            sides = [node.value]
        for side in sides:
            for literal in _literals(side):
                if literal in names:
                    found.append((getattr(node, "lineno", 0), literal, names[literal]))
    return found


def test_no_registered_name_is_compared_with_a_literal_outside_its_registry() -> None:
    names = registered_names()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if is_home(rel):
            continue
        for line, literal, what in comparisons(path.read_text(encoding="utf-8"), names):
            problems.append(f"{rel}:{line}: compares {what} {literal!r} with a literal")
    assert not problems, "\n".join(problems)


def test_the_scan_finds_each_kind_of_comparison() -> None:
    """Negative control: each form the rule forbids is found."""
    names = {"hawk": "policy", "tension": "condition metric"}
    source = (
        "if kind == 'hawk': pass\n"
        "if 'tension' != m: pass\n"
        "if m in ('turn', 'tension'): pass\n"
        "match kind:\n    case 'hawk': pass\n"
        "if label == 'hawks': pass\n"
    )
    assert [line for line, _, _ in comparisons(source, names)] == [1, 2, 3, 5]


def test_every_registry_contributes_names() -> None:
    kinds = set(registered_names().values())
    assert {
        "policy",
        "condition metric",
        "posture field",
        "figure",
        "outcome",
        "fact kind",
    } <= kinds
