"""Stylised facts a scenario expects of its runs: ``Expectation``, built from the declared kinds.

The kinds and their parameters are declared once, one module per kind, in
:mod:`sim.scenario.facts`; this module turns each into a pydantic model with
the parameters every kind shares (``kind``, ``share``, ``basis``, ``label``)
and joins them into one union told apart by ``kind``, so validation, the JSON
Schema and the format reference all follow the declarations.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import Field, create_model, model_validator

from sim.scenario.facts import FactDeclaration, declared
from sim.scenario.schema.basics import Basis, Unit, _Strict

_KINDS: dict[str, FactDeclaration] = {d.name: d for d in declared()}


class _FactRules(_Strict):
    """What every kind of fact has, and the check of its own parameters."""

    kind: str
    share: Unit = Field(
        description="Share of runs in which the claim must hold (0-1); `sim check` measures it."
    )
    basis: Basis | None = Field(
        default=None,
        description="The source, the part of it and the reasoning behind the claim and its "
        "thresholds (thresholds are judgements: say so).",
    )
    label: str | None = Field(default=None, description="The claim in a few words (tables).")

    @model_validator(mode="after")
    def _parameters_agree(self) -> _FactRules:
        check = _KINDS[self.kind].check
        problem = check(self) if check is not None else None
        if problem:
            raise ValueError(problem)
        return self


def _model(decl: FactDeclaration) -> Any:
    name = "".join(part.capitalize() for part in decl.name.split("_")) + "Fact"
    kind: Any = Literal[decl.name]
    fields: dict[str, Any] = dict(decl.fields)
    return create_model(
        name,
        __base__=_FactRules,
        __module__=__name__,
        __doc__=f"`{decl.name}`: {decl.note}.",
        kind=(kind, Field(description=f"'{decl.name}'.")),
        **fields,
    )


FACT_MODELS: dict[str, Any] = {name: _model(decl) for name, decl in _KINDS.items()}
"""Each kind's pydantic model, by kind name."""

globals().update({model.__name__: model for model in FACT_MODELS.values()})  # picklable by name

if typing.TYPE_CHECKING:

    class Expectation(_FactRules):
        """A stylised fact: a claim about runs and the share of runs it must hold in."""

        def __getattr__(self, name: str) -> Any: ...

else:
    Expectation = Annotated[
        typing.Union[tuple(FACT_MODELS.values())],  # noqa: UP007
        Field(discriminator="kind"),
    ]


def fact_refs(
    fact: Any,
) -> tuple[list[tuple[str, int | None, str]], list[tuple[str, int | None, str]]]:
    """The actors and moves a fact names: ``(parameter, list index or None, name)`` each."""

    def named(params: tuple[str, ...]) -> list[tuple[str, int | None, str]]:
        out: list[tuple[str, int | None, str]] = []
        for param in params:
            value = getattr(fact, param)
            if isinstance(value, list):
                out.extend((param, i, v) for i, v in enumerate(value))
            elif value is not None:
                out.append((param, None, value))
        return out

    decl = _KINDS[fact.kind]
    return named(decl.actors), named(decl.moves)
