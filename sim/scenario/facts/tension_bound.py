"""``tension_bound``: an actor's tension (or the mean over actors) stays below / above a value."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sim.scenario.facts import (
    Bound,
    FactDeclaration,
    Names,
    bounded,
    bounds_given,
    over_field,
    possessive,
    stays,
)
from sim.scenario.schema.basics import ActorId


def _describe(fact: Any, names: Names) -> str:
    whose = (
        "the mean tension over all actors"
        if fact.actor is None
        else f"{possessive(names.actor(fact.actor))} tension"
    )
    return f"{whose} {stays(fact.over, bounded(fact.above, fact.below))}"


DECLARATION = FactDeclaration(
    name="tension_bound",
    note="the tension of `actor` (default: the mean over actors) stays below `below` and above "
    "`above` (at every turn, at the end, or on average: `over`)",
    fields={
        "actor": (
            ActorId | None,
            Field(default=None, description="Whose tension (default: the mean over actors)."),
        ),
        "below": (Bound, Field(default=None, description="Tension stays under this (0-1).")),
        "above": (Bound, Field(default=None, description="Tension stays over this (0-1).")),
        "over": over_field(),
    },
    actors=("actor",),
    check=bounds_given,
    order=40,
    describe=_describe,
)
