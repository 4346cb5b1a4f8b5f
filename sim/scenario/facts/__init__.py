"""The kinds of stylised fact a scenario may expect: one module per kind, found automatically.

A scenario's ``expectations:`` maps an id to a claim about its runs (who plays
which move and how often, a belief or tension bound, an ordering between
actors, how observers read a move) and the share of runs in which it must
hold. Each module here declares one :class:`FactDeclaration`: the kind's name
(as written after ``kind:``), a few words for the format reference, its own
parameters (pydantic annotations and ``Field`` s), which of them name actors
or moves (checked against the scenario, with a did-you-mean), and a check of
their combination. :mod:`sim.scenario.schema.expectations` builds one pydantic
model per kind from these (so validation, the JSON Schema and the format
reference follow). The model evaluates each kind with the evaluator of the same
name in ``sim/model/facts/``; a kind declared here without an evaluator there,
or the other way round, fails at import with a ``RegistryError``.

Add a kind by adding ``sim/scenario/facts/<name>.py``::

    from sim.scenario.facts import FactDeclaration

    DECLARATION = FactDeclaration(name="quiet", note="nobody passes rung 2", fields={...})

and its evaluator in ``sim/model/facts/<name>.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenario.discovery import RegistryError, instances

Check = Callable[[Any], str | None]
"""``check(fact)``: what is wrong with a combination of parameters, or None."""

Bound = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] | None
"""An optional bound on a quantity that lies in 0-1."""

Over = Literal["every_turn", "end", "mean"]
"""When a bound or an ordering must hold: after every turn, after the last, or on average."""

Relation = Literal["above", "below"]


def over_field(default: str = "every_turn") -> tuple[Any, Any]:
    """The ``over`` parameter: when the claim is tested."""
    return (
        Over,
        Field(
            default=default,
            description="'every_turn': after each turn 1..T; 'end': after the last turn; "
            "'mean': the average over turns 1..T.",
        ),
    )


def bounds_given(fact: Any) -> str | None:
    """A check: at least one of ``below``/``above`` (or ``at_least``/``at_most``) is given."""
    low, high = ("above", "below") if hasattr(fact, "above") else ("at_least", "at_most")
    if getattr(fact, low) is None and getattr(fact, high) is None:
        return f"give '{low}', '{high}' or both"
    if (
        getattr(fact, low) is not None
        and getattr(fact, high) is not None
        and getattr(fact, low) > getattr(fact, high)
    ):
        return f"'{low}' is above '{high}': no value can meet both"
    return None


@dataclass(frozen=True, slots=True)
class FactDeclaration:
    """A kind of stylised fact as the scenario language knows it.

    Attributes:
        name: The kind's name in scenario files (the module's name too).
        note: What the kind claims, in a sentence (format reference).
        fields: Its parameters: name -> (annotation, ``Field(...)``).
        actors: Parameters that name an actor, or a list of actors.
        moves: Parameters that name a move, or a list of moves.
        check: What is wrong with a combination of parameters (or None).
        order: Position among the kinds in the schema and its reference (then by name).
    """

    name: str
    note: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()
    check: Check | None = None
    order: int = 100


SHARED = ("kind", "share", "basis", "label")
"""Parameters every kind has (the schema adds them); a kind may not declare them."""


@cache
def declared() -> tuple[FactDeclaration, ...]:
    """Every declared kind, in schema order.

    Raises:
        RegistryError: a kind declared in a module of another name, declared twice,
            or declaring a shared parameter or an unknown reference field.
    """
    found = instances(__name__, FactDeclaration)
    names: set[str] = set()
    for module, decl in found:
        stem = module.__name__.rsplit(".", 1)[-1]
        if decl.name != stem:
            raise RegistryError(
                f"fact kind '{decl.name}' is declared in {module.__name__}: "
                f"declare it in {__name__}.{decl.name}"
            )
        if decl.name in names:
            raise RegistryError(f"fact kind '{decl.name}' is declared twice")
        names.add(decl.name)
        clash = set(SHARED) & set(decl.fields)
        if clash:
            raise RegistryError(f"fact kind '{decl.name}' declares shared {sorted(clash)}")
        loose = (set(decl.actors) | set(decl.moves)) - set(decl.fields)
        if loose:
            raise RegistryError(f"fact kind '{decl.name}': no parameters {sorted(loose)}")
    return tuple(sorted((decl for _, decl in found), key=lambda d: (d.order, d.name)))


def kind_names() -> tuple[str, ...]:
    """The declared kinds' names, in schema order."""
    return tuple(d.name for d in declared())
