"""``belief_bound``: the belief of one actor about another stays below / above a value."""

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
    whose = possessive(names.actor(fact.actor))
    return (
        f"{whose} belief that {names.actor(fact.about)} is hostile "
        f"{stays(fact.over, bounded(fact.above, fact.below))}"
    )


DECLARATION = FactDeclaration(
    name="belief_bound",
    note="the belief of `actor` that `about` is hostile stays below `below` and above `above` "
    "(at every turn, at the end, or on average: `over`)",
    fields={
        "actor": (ActorId, Field(description="Whose belief.")),
        "about": (ActorId, Field(description="About whom.")),
        "below": (Bound, Field(default=None, description="The belief stays under this (0-1).")),
        "above": (Bound, Field(default=None, description="The belief stays over this (0-1).")),
        "over": over_field(),
    },
    actors=("actor", "about"),
    check=bounds_given,
    order=30,
    describe=_describe,
)
