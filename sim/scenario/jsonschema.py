"""JSON Schema for scenario files, generated from the pydantic models.

Two flavours: the full schema for complete scenarios, and a *variant* schema
for files that ``extends:`` another (nothing is required there, because a
variant only states what changes). Editors use them through the modeline
``# yaml-language-server: $schema=./scenario.schema.json`` at the top of a
scenario file.
"""

from __future__ import annotations

import json
from typing import Any

from sim.scenario.schema import Scenario

SCHEMA_ID = "https://example.invalid/strategy-dialogue-sim/scenario.schema.json"


def scenario_schema(*, variant: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file.

    Args:
        variant: Drop every ``required`` list, for files that use ``extends``.
    """
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Scenario variant" if variant else "Scenario"
    if variant:
        _drop_required(schema)
        schema["required"] = ["extends"]
    return schema


def _drop_required(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)


def schema_text(*, variant: bool = False) -> str:
    """The schema as stable, pretty JSON text (ends with a newline)."""
    return json.dumps(scenario_schema(variant=variant), indent=2, sort_keys=True) + "\n"
