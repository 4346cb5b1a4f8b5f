"""``move_share``: actors play some moves in at least / at most a share of their turns."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.facts import Bound, FactDeclaration, bounds_given
from sim.scenario.schema.basics import ActorId, MoveId

Actors = Annotated[list[ActorId], Field(min_length=1)]
Moves = Annotated[list[MoveId], Field(min_length=1)]

DECLARATION = FactDeclaration(
    name="move_share",
    note="each of `actors` plays one of `moves` in at least `at_least` and at most `at_most` "
    "of its turns (at_most: 0 is 'never')",
    fields={
        "actors": (Actors, Field(description="Actors the claim is about (each must meet it).")),
        "moves": (Moves, Field(description="Moves counted (any of them).")),
        "at_least": (Bound, Field(default=None, description="Least share of its turns, 0-1.")),
        "at_most": (Bound, Field(default=None, description="Greatest share of its turns, 0-1.")),
    },
    actors=("actors",),
    moves=("moves",),
    check=bounds_given,
    order=10,
)
