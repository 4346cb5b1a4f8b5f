"""``belief_bound``: the belief of one actor about another stays below / above a value."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.facts import Bound, FactDeclaration, bounds_given, over_field
from sim.scenario.schema.basics import ActorId

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
)
