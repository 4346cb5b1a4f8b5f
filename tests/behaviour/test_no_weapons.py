"""The model has no weapons performance: no field, key or number can hold one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sim.scenario.jsonschema import scenario_schema
from sim.scenario.yamlsafe import decode, parse
from tests.conftest import REPO

FORBIDDEN = re.compile(
    r"range|probab|p_?kill|kill|damage|casualt|lethal|yield|payload|accuracy|"
    r"intercept|speed|velocity|warhead|munition|force_size|inventory",
    re.IGNORECASE,
)


def keys(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(str(k))
            out |= keys(v)
    elif isinstance(node, list):
        for v in node:
            out |= keys(v)
    return out


def test_no_schema_field_could_hold_a_capability() -> None:
    schema = scenario_schema()
    names = set()
    for definition in [schema, *schema["$defs"].values()]:
        names |= set(definition.get("properties", {}))
    bad = sorted(n for n in names if FORBIDDEN.search(n))
    assert bad == []


def test_no_key_in_any_bundled_file_names_a_capability() -> None:
    files = [
        *sorted((REPO / "scenarios").glob("*.yaml")),
        REPO / "sim" / "scenario" / "default_library.yaml",
        *sorted((REPO / "sim" / "scenario" / "libraries").glob("*.yaml")),
    ]
    for path in files:
        data = parse(decode(Path(path).read_bytes()), path.name).data
        # move ids and actor ids are keys too; none may name a capability either
        bad = sorted(k for k in keys(data) if FORBIDDEN.search(k))
        assert bad == [], f"{path.name}: {bad}"
