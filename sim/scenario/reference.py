"""Generate the scenario format reference (Markdown) from the pydantic schema.

``docs/scenario-format.md`` is this module's output (``sim schema --markdown``);
a test fails when the committed file is stale, so the schema stays the single
source of truth.
"""

from __future__ import annotations

import types
import typing
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
        "Contents: " + ", ".join(f"[{m.__name__}](#{m.__name__.lower()})" for m, _ in SECTIONS),
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
    return "\n".join(lines)
