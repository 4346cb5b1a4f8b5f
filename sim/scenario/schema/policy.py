"""An actor's decision rule: ``PolicyKind`` and ``PolicySpec``, built from the declared kinds.

The kinds, their parameters and the words that describe them are declared
once, one module per kind, in :mod:`sim.scenario.policies`; this module turns
them into the pydantic model that validates ``policy:`` (and so into the JSON
Schema and the format reference). Scenario files write ``policy: hawk`` or
``policy: {kind: generous_tit_for_tat, generosity: 0.2}``.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, create_model, model_validator

from sim.scenario.policies import PolicyDeclaration, declared
from sim.scenario.schema.basics import _Strict

_KINDS: dict[str, PolicyDeclaration] = {d.name: d for d in declared()}

if typing.TYPE_CHECKING:
    PolicyKind = str
else:  # the declared kinds, in schema order
    PolicyKind = Literal[tuple(_KINDS)]
"""A policy kind's name."""


def _policy_shorthand(v: Any) -> Any:
    """Accept ``policy: hawk`` as shorthand for ``policy: {kind: hawk}``."""
    if isinstance(v, str):
        return {"kind": v}
    return v


def _kind_help() -> str:
    names = [f"{d.name} ({d.note})" if d.note else d.name for d in _KINDS.values()]
    listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    return f"Decision rule: {listed}."


class _PolicyRules(_Strict):
    """Checks shared by every kind: parameters belong to their kind; needed ones are given."""

    kind: str

    @model_validator(mode="after")
    def _fields_match_kind(self) -> _PolicyRules:
        for name, what in _KINDS[self.kind].needs.items():
            if not getattr(self, name):
                raise ValueError(f"kind '{self.kind}' needs {what}")
        for other in _KINDS.values():
            if other.name == self.kind or not other.fields:
                continue
            if any(getattr(self, name) is not None for name in other.fields):
                names = " and ".join(f"'{name}'" for name in other.fields)
                verb = "applies" if len(other.fields) == 1 else "apply"
                raise ValueError(f"{names} only {verb} to kind '{other.name}'")
        return self


if typing.TYPE_CHECKING:

    class PolicySpec(_PolicyRules):
        """How an actor chooses its move each turn (parameters depend on the kind)."""

        def __getattr__(self, name: str) -> Any: ...

else:
    PolicySpec = create_model(
        "PolicySpec",
        __base__=_PolicyRules,
        __module__="sim.scenario.schema",
        __doc__="How an actor chooses its move each turn.",
        kind=(
            PolicyKind,
            Field(
                default=next(d.name for d in _KINDS.values() if d.default),
                description=_kind_help(),
            ),
        ),
        **{name: spec for d in _KINDS.values() for name, spec in d.fields.items()},
    )

PolicyField = Annotated[
    PolicySpec,
    BeforeValidator(_policy_shorthand, json_schema_input_type=PolicyKind | PolicySpec),
]
"""``policy:`` in an actor: a :class:`PolicySpec`, or just the kind's name."""
