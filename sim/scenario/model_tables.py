"""Generate docs/model.md's parameter tables (posture, dynamics) from the schema.

``docs/model.md`` is written by hand except for the blocks between
``<!-- generated: NAME -->`` and ``<!-- end generated -->``: those are this
module's output, so a field added to ``Posture`` or ``Dynamics`` appears in
the model description with its default, range and meaning, and a test fails
when the committed document is stale. Refresh it with::

    ./dev python -m sim.scenario.model_tables docs/model.md
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.files import write_atomic
from sim.scenario import schema as sch

BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.DOTALL
)


def _bounds(info: FieldInfo, model: type[BaseModel]) -> tuple[object, object, bool, bool]:
    """(lower, upper, lower open, upper open) from the field's JSON Schema."""
    prop = model.model_json_schema()["properties"][_alias(info, model)]
    for candidate in [prop, *prop.get("anyOf", [])]:
        if "$ref" in candidate:
            ref = candidate["$ref"].rsplit("/", 1)[-1]
            candidate = model.model_json_schema()["$defs"][ref]["properties"].get("value", {})
        lo = candidate.get("minimum", candidate.get("exclusiveMinimum"))
        hi = candidate.get("maximum", candidate.get("exclusiveMaximum"))
        if lo is not None or hi is not None:
            return lo, hi, "exclusiveMinimum" in candidate, "exclusiveMaximum" in candidate
    return None, None, False, False


def _alias(info: FieldInfo, model: type[BaseModel]) -> str:
    for name, field in model.model_fields.items():
        if field is info:
            return field.alias or name
    raise KeyError(info)


def _number(x: object) -> str:
    return f"{x:g}".replace("-", "−") if isinstance(x, int | float) else str(x)


def _range(info: FieldInfo, model: type[BaseModel]) -> str:
    lo, hi, lo_open, hi_open = _bounds(info, model)
    if lo is None and hi is None:
        prop = model.model_json_schema()["properties"][_alias(info, model)]
        values = prop.get("additionalProperties", {})
        if "minimum" in values and "maximum" in values:
            return f"{_number(values['minimum'])}–{_number(values['maximum'])} each"
        args = typing.get_args(info.annotation)
        return ", ".join(f"`{a}`" for a in args if isinstance(a, str))
    if lo_open or hi_open:
        return f"{'(' if lo_open else '['}{_number(lo)}, {_number(hi)}{')' if hi_open else ']'}"
    dash = ".." if isinstance(lo, int | float) and lo < 0 else "–"
    return f"{_number(lo)}{dash}{_number(hi)}"


def _default(value: object) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump().get("value", value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_number(v)}" for k, v in value.items())
    if isinstance(value, str):
        return f"`{value}`"
    return _number(value)


def _meaning(info: FieldInfo) -> str:
    return " ".join((info.description or "").split()).replace("|", "\\|")


def posture_table() -> str:
    """The posture fields: name, range and default, meaning."""
    rows = ["| attribute | range, default | meaning |", "|---|---|---|"]
    defaults = sch.Posture()
    for name, info in sch.Posture.model_fields.items():
        value = _default(getattr(defaults, name))
        rows.append(
            f"| `posture.{name}` | {_range(info, sch.Posture)}, {value} | {_meaning(info)} |"
        )
    return "\n".join(rows) + "\n"


def dynamics_table() -> str:
    """The dynamics coefficients: name, default, range, meaning."""
    rows = ["| parameter | default | range | meaning |", "|---|---|---|---|"]
    defaults = sch.Dynamics().model_dump()
    for name, info in sch.Dynamics.model_fields.items():
        rows.append(
            f"| `{name}` | {_default(defaults[name])} | {_range(info, sch.Dynamics)} | "
            f"{_meaning(info)} |"
        )
    return "\n".join(rows) + "\n"


def policies_table() -> str:
    """The policy kinds, in schema order: name, own parameters, what it does."""
    import importlib

    from sim.scenario.policies import declared

    rows = ["| kind | its own parameters | what it does |", "|---|---|---|"]
    for d in declared():
        module = importlib.import_module(f"sim.scenario.policies.{d.name}")
        doc = (module.__doc__ or "").strip().splitlines()[0]
        what = doc.split(":", 1)[1].strip() if ":" in doc else doc
        params = ", ".join(f"`{p}`" for p in d.fields) or "none"
        default = " (the default)" if d.default else ""
        rows.append(f"| `{d.name}`{default} | {params} | {what} |")
    return "\n".join(rows) + "\n"


TABLES = {"posture": posture_table, "dynamics": dynamics_table, "policies": policies_table}


def refresh(text: str) -> str:
    """``text`` with every generated block rewritten; an unknown block name is an error."""

    def block(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in TABLES:
            raise KeyError(f"docs/model.md names a generated block {name!r} that does not exist")
        return f"{m.group(1)}{TABLES[name]()}{m.group(4)}"

    return BLOCK.sub(block, text)


def main(argv: list[str]) -> int:
    """Rewrite the generated blocks of the file named in ``argv`` in place."""
    path = Path(argv[0])
    text = path.read_text(encoding="utf-8")
    write_atomic(path, refresh(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
