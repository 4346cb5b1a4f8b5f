"""Scenario text for the hostile-text tests: every free-text field of the schema, filled.

The free-text fields are found by walking the pydantic models of
:mod:`sim.scenario.schema` (every ``str`` field, also inside lists, dicts and
optional values, that no identifier pattern constrains), so a field added
later is covered without touching these tests. :func:`fill_text` sets every
such field in a small scenario built from a bundled two-actor one, and
:func:`text_fields` lists them, so a test can check that none was missed.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from sim.scenario.schema import Scenario
from tests.conftest import REPO

#: ``str`` fields that are references, not text: they must name something that exists.
REFERENCES = {("Basis", "source"), ("Scenario", "extends")}

#: The bundled scenario the hostile ones start from: two actors, its own moves and ladder.
BASE = REPO / "scenarios" / "axelrod_noise.yaml"

Field = tuple[str, str]  # (model name, field name)


def _strip(tp: Any, meta: tuple[Any, ...] = ()) -> tuple[Any, tuple[Any, ...]]:
    """``tp`` without ``Annotated`` and ``None`` options, and the metadata collected."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp, *more = typing.get_args(tp)
            meta = (*meta, *more)
        elif origin in (types.UnionType, typing.Union):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(options) != 1:
                return tp, meta
            tp = options[0]
        else:
            return tp, meta


def _kind(tp: Any, meta: tuple[Any, ...] = ()) -> str | None:
    """'text' for a free-text ``str``, 'list' for a list of them, else None."""
    tp, meta = _strip(tp, meta)
    if tp is str:
        patterned = any(getattr(m, "pattern", None) for m in meta)
        return None if patterned else "text"
    if typing.get_origin(tp) is list and _kind(typing.get_args(tp)[0]) == "text":
        return "list"
    return None


def _models(tp: Any) -> Iterator[type[BaseModel]]:
    """Every model class that ``tp`` can hold (inside lists, dicts and unions)."""
    tp, _ = _strip(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp
        return
    for arg in typing.get_args(tp):
        yield from _models(arg)


def text_fields(model: type[BaseModel] = Scenario) -> set[Field]:
    """Every free-text field of ``model`` and the models it contains."""
    found: set[Field] = set()
    seen: set[type[BaseModel]] = set()

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, info in cls.model_fields.items():
            if _kind(info.annotation, tuple(info.metadata)) and (cls.__name__, name) not in (
                REFERENCES
            ):
                found.add((cls.__name__, name))
            for sub in _models(info.annotation):
                visit(sub)

    visit(model)
    return found


def fill_text(data: dict[str, Any], text: Callable[[Field], str]) -> set[Field]:
    """Set every free-text field of every model instance in ``data`` to ``text(field)``.

    Optional text fields that ``data`` leaves out are set too. Returns the
    fields that were set (compare with :func:`text_fields`).
    """
    covered: set[Field] = set()

    def fill_model(cls: type[BaseModel], node: dict[str, Any]) -> None:
        for name, info in cls.model_fields.items():
            field = (cls.__name__, name)
            kind = _kind(info.annotation, tuple(info.metadata))
            if kind and field not in REFERENCES:
                node[name] = text(field) if kind == "text" else [text(field), text(field)]
                covered.add(field)
            elif name in node:
                descend(info.annotation, node[name])

    def descend(tp: Any, value: Any) -> None:
        tp, _ = _strip(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if isinstance(value, dict):
                fill_model(tp, value)
            return
        origin = typing.get_origin(tp)
        if origin is list and isinstance(value, list):
            for item in value:
                descend(typing.get_args(tp)[0], item)
        elif origin is dict and isinstance(value, dict):
            for item in value.values():
                descend(typing.get_args(tp)[1], item)
        elif origin in (types.UnionType, typing.Union):
            for option in typing.get_args(tp):
                descend(option, value)

    fill_model(Scenario, data)
    return covered


def base_data(turns: int = 6) -> dict[str, Any]:
    """The bundled two-actor scenario, with one of everything that holds text.

    Added to it: an inject with a basis, a labelled regime with a basis, a
    channel with a basis, and a debrief prompt asked in every run.
    """
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    basis = {"source": "assumption", "part": "p", "reasoning": "r"}
    data["turns"] = turns
    data["seed"] = 7
    data["injects"] = {
        "snap": {
            "label": "snap check",
            "description": "d",
            "when": {"turn": 2},
            "effects": [{"move": {"actor": "west", "move": "retaliate"}}],
            "basis": dict(basis),
        }
    }
    data["norms"] = {"strength": 0.5, "label": "regime", "basis": dict(basis)}
    data["relationships"]["east"]["west"]["channels"] = {
        "hotline": {"value": 0.2, "basis": dict(basis)}
    }
    data["debrief"].append({"prompt": "asked every time"})
    # a role brief's texts (objectives, private knowledge), so their fields are filled
    data["actors"]["east"]["objectives"] = [{"text": "o", "basis": dict(basis)}]
    data["actors"]["east"]["private_knowledge"] = [{"text": "k", "basis": dict(basis)}]
    east, west = "east", "west"
    data["expectations"] = {  # one fact of each kind, so each kind's text fields are filled
        "shares": {"kind": "move_share", "actors": [east], "moves": ["retaliate"],
                   "at_most": 1, "share": 0},
        "count": {"kind": "move_count", "moves": ["retaliate"], "max": 1000, "share": 0},
        "belief": {"kind": "belief_bound", "actor": east, "about": west, "below": 1, "share": 0},
        "tension": {"kind": "tension_bound", "actor": east, "below": 1, "share": 0},
        "order": {"kind": "order", "quantity": "tension", "actor": east, "relation": "above",
                  "than_actor": west, "share": 0},
        "reading": {"kind": "reading", "observers": [west], "sender": east, "move": "retaliate",
                    "relation": "above", "share": 0},
    }  # fmt: skip
    return copy.deepcopy(data)


class _NoAliases(yaml.SafeDumper):
    """Writes shared values out in full: scenario files may not use aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    """Write scenario data as YAML (control characters come out as escapes)."""
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")
    return path
