"""JSON Schema for scenario files, generated from the pydantic models.

Two flavours: the full schema for complete scenarios, and a *variant* schema
for files that ``extends:`` another (nothing is required there, because a
variant only states what changes). Editors use them through the modeline
``# yaml-language-server: $schema=./scenario.schema.json`` at the top of a
scenario file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim import files
from sim.errors import UsageError
from sim.scenario.schema import Scenario

SCHEMA_ID = "https://example.invalid/strategy-dialogue-sim/scenario.schema.json"
MARK = "Written by strategy-dialogue-sim (sim schema); `sim schema --write DIR` refreshes it."
"""The ``$comment`` of every schema this tool writes: the mark that lets it replace one."""
FILE_NAMES = {False: "scenario.schema.json", True: "variant.schema.json"}
_READ_LIMIT = 4 * 1024 * 1024


def scenario_schema(*, variant: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file.

    Args:
        variant: Drop every ``required`` list, for files that use ``extends``.
    """
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Scenario variant" if variant else "Scenario"
    schema["$comment"] = MARK
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


def write_schemas(folder: str | Path) -> list[Path]:
    """Write both schemas into ``folder`` (for scenarios and variants written there).

    An existing file of that name is replaced only when it is a schema this tool
    wrote (its ``$comment`` is :data:`MARK`), so a file of the user's is never lost.

    Raises:
        UsageError: the folder does not exist, or holds a file of that name that
            this tool did not write.
    """
    where = Path(folder)
    if not where.is_dir():
        raise UsageError(f"{where}: no such folder: create it first")
    targets = [(where / FILE_NAMES[v], v) for v in (False, True)]
    for target, _ in targets:  # check both before writing either
        if (target.exists() or target.is_symlink()) and not _ours(target):
            raise UsageError(
                f"{target}: exists and was not written by sim schema; move it away first"
            )
    for target, variant in targets:
        files.write_atomic(target, schema_text(variant=variant), replace=True)
    return [t for t, _ in targets]


def _ours(path: Path) -> bool:
    try:
        data = files.read_json(path, limit=_READ_LIMIT, what="schema file")
    except (files.FileProblem, ValueError):
        return False
    return isinstance(data, dict) and data.get("$comment") == MARK
