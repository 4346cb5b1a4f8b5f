"""Generate the scenario format reference (Markdown) from the pydantic schema.

``docs/scenario-format.md`` is this module's output (``sim schema --markdown``);
a test fails when the committed file is stale, so the schema stays the single
source of truth.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sim.scenario import schema as sch

SECTIONS: list[tuple[type[BaseModel], str]] = [
    (sch.Scenario, "The top level of a scenario file."),
    (sch.Metadata, "`metadata:`"),
    (sch.SourceRef, "`metadata.sources[]`"),
    (sch.Actor, "`actors.<id>:`"),
    (sch.Posture, "`actors.<id>.posture:` (each value is a number in [0, 1], or `{value, basis}`)"),
    (sch.PostureValue, "a posture value in its long form"),
    (sch.Basis, "`basis:` wherever a value needs one"),
    (sch.SourcedText, "`actors.<id>.objectives[]` and `actors.<id>.private_knowledge[]`"),
    (sch.PolicySpec, "`actors.<id>.policy:` (or just the kind, e.g. `policy: hawk`)"),
    (sch.Relationship, "`relationships.<a>.<b>:`"),
    (sch.Channel, "`relationships.<a>.<b>.channels.<kind>:` (or just the strength)"),
    (sch.Move, "`moves.<id>:`"),
    (sch.Rung, "`ladder[]`"),
    (sch.Inject, "`injects.<id>:`"),
    (sch.Trigger, "`injects.<id>.when:`"),
    (sch.Condition, "a condition (in `when.all`, `when.any`, `debrief[].when`)"),
    (sch.Effect, "`injects.<id>.effects[]` (exactly one key each)"),
    (sch.MoveEffect, "`effects[].move:`"),
    (sch.ActorDelta, "`effects[].tension:`"),
    (sch.PostureChange, "`effects[].posture:`"),
    (sch.PairChange, "`effects[].alignment:` and `effects[].channel:`"),
    (sch.Norms, "`norms:`"),
    (sch.Dynamics, "`dynamics:` (model coefficients; see docs/model.md)"),
    (sch.DebriefPrompt, "`debrief[]`"),
    *(
        (model, f"`expectations.<id>:` with `kind: {kind}`")
        for kind, model in sch.FACT_MODELS.items()
    ),
]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (types.UnionType, typing.Union):
        parts = [_type_name(a) for a in args if a is not type(None)]
        optional = any(a is type(None) for a in args)
        return " or ".join(parts) + (" (optional)" if optional else "")
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping {_type_name(args[0])} → {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false"}
    if isinstance(annotation, type) and annotation in names:
        return names[annotation]
    return str(annotation)


def _range(info: FieldInfo) -> str:
    """Numeric bounds from the field and from Annotated types inside its annotation."""
    metas: list[Any] = list(info.metadata)
    pending: list[Any] = [info.annotation]
    while pending:
        current = pending.pop()
        metas.extend(getattr(current, "__metadata__", ()))
        if typing.get_origin(current) in (types.UnionType, typing.Union, typing.Annotated):
            pending.extend(
                typing.get_args(current)[:1]
                if typing.get_origin(current) is typing.Annotated
                else typing.get_args(current)
            )
    bounds = []
    for meta in metas:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                bounds.append(f"{sign} {value}")
    return ", ".join(dict.fromkeys(bounds))


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    factory = info.default_factory
    value = factory() if factory is not None else info.default  # type: ignore[call-arg]
    if value is PydanticUndefined:
        return ""
    if isinstance(value, BaseModel):
        dumped = value.model_dump(exclude_none=True)
        return f"`{dumped}`" if len(str(dumped)) < 40 else "see below"
    if value in ({}, []):
        return "empty"
    if value is None:
        return "none"
    return f"`{value}`"


def markdown() -> str:
    """The whole reference as Markdown (ends with a newline)."""
    lines = [
        "# Scenario format reference",
        "",
        "Generated from `sim/scenario/schema/` by `sim schema --markdown`; do not edit by",
        "hand (a test fails when this file is stale). Hostility is on 0–1 (0 conciliatory,",
        "1 most hostile); alignment on −1..1. Unknown keys are errors. Variants use",
        "`extends: other.yaml` and state only what changes: mappings merge key by key, other",
        "values replace, `null` removes an entry.",
        "",
        "Contents: "
        + ", ".join(f"[{m.__name__}](#{m.__name__.lower()})" for m, _ in SECTIONS)
        + ", [the core move library](#the-core-move-library), "
        "[domain move libraries](#domain-move-libraries)",
        "",
    ]
    for model, where in SECTIONS:
        doc = (model.__doc__ or "").strip().splitlines()[0]
        lines += [f"## {model.__name__}", "", f"{where} — {doc}", ""]
        lines += ["| key | type | range | default | meaning |", "|---|---|---|---|---|"]
        for name, info in model.model_fields.items():
            description = (info.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| `{name}` | {_type_name(info.annotation)} | {_range(info)} | "
                f"{_default(info)} | {description} |"
            )
        lines.append("")
    lines += _library_sections()
    return "\n".join(lines)


def _read_yaml(path: Path) -> dict[str, Any]:
    from sim.scenario import yamlsafe

    data = yamlsafe.parse(yamlsafe.decode(path.read_bytes()), path.name).data
    return data if isinstance(data, dict) else {}


def _cell(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(f"`{v}`" for v in value) if value else ""
    return str(value).replace("|", "\\|").replace("\n", " ")


MOVE_COLUMNS = (
    "label",
    "rung",
    "intended_hostility",
    "framed_hostility",
    "cost",
    "visibility",
    "norm_effect",
    "tags",
    "framing",
    "meaning",
)
"""The columns of the core library's table (a field a move leaves out shows its default)."""


def _library_sections() -> list[str]:
    """The core library's ladder and moves, and the domain libraries, from the YAML files."""
    here = Path(__file__).parent
    core = _read_yaml(here / "default_library.yaml")
    lines = [
        "## The core move library",
        "",
        "`sim/scenario/default_library.yaml`: the moves and ladder every scenario starts from",
        "unless it sets `use_default_moves: false`. They are generic signals any region can",
        "use; a scenario's `libraries` and then its own `moves` extend or override them key by",
        "key, and `moves.<id>: null` drops one.",
        "",
        "### The ladder",
        "",
        "| rung | label | description |",
        "|---|---|---|",
    ]
    for i, rung in enumerate(core.get("ladder", [])):
        lines.append(
            f"| {i} | {_cell(rung.get('label', ''))} | {_cell(rung.get('description', ''))} |"
        )
    lines += [
        "",
        "### The moves",
        "",
        "Every default value of each core move, in repertoire order (a field not listed takes",
        "the default of [Move](#move)).",
        "",
        "| id | " + " | ".join(MOVE_COLUMNS) + " |",
        "|---|" + "---|" * len(MOVE_COLUMNS),
    ]
    move_fields = sch.Move.model_fields
    for move_id, move in core.get("moves", {}).items():
        cells = []
        for column in MOVE_COLUMNS:
            value = (
                move[column]
                if column in move
                else move_fields[column].get_default(call_default_factory=True)
            )
            cells.append(_cell(value))
        lines.append(f"| `{move_id}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Domain move libraries",
        "",
        "A scenario loads moves for one domain explicitly, with the top-level key",
        "`libraries:`, a list of references: `library:ID` for a library bundled with sim",
        "(`sim/scenario/libraries/ID.yaml`), or a file name beside the scenario",
        "(`libraries: [my_moves.yaml]`). Layers merge in this order, each over the one",
        "before, key by key: the core library, each library in list order, then the",
        "scenario's own `moves` and `ladder`. A library may override a core move's fields",
        "(the move keeps its place in the repertoire); a library's `ladder` replaces the",
        "ladder before it. A variant (`extends`) inherits its parent's `libraries` and its",
        "own list adds to them (a library listed twice loads once, at its first place);",
        "`libraries: null` in a variant loads none of the parent's. The run manifest lists",
        "the library files among the files read.",
        "",
        "A library file holds `moves:` (a mapping of move ids to [Move](#move) fields, or",
        "`null` to drop an earlier layer's move) and optionally `ladder:` (a list of",
        "[Rung](#rung)); any other key is an error. `sim validate` warns when a move a",
        "library adds is open to an actor the scenario never ties to it (no `available_to`",
        "or `partners`, not in the actor's `moves:`, no inject or script playing it).",
        "",
        "| library | moves it adds | core moves it rewords | ladder |",
        "|---|---|---|---|",
    ]
    for path in sorted((here / "libraries").glob("*.yaml")):
        data = _read_yaml(path)
        moves = data.get("moves") or {}
        added = [m for m in moves if m not in core.get("moves", {})]
        reworded = [m for m in moves if m in core.get("moves", {})]
        ladder = "its own" if "ladder" in data else "the core's"
        lines.append(f"| `library:{path.stem}` | {_cell(added)} | {_cell(reworded)} | {ladder} |")
    lines.append("")
    return lines
