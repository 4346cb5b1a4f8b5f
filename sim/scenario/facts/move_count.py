"""``move_count``: some moves are played between ``min`` and ``max`` times per run."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sim.scenario.facts import FactDeclaration
from sim.scenario.schema.basics import ActorId, MoveId

Count = Annotated[int, Field(ge=0)] | None


def _check(fact: Any) -> str | None:
    if fact.min is None and fact.max is None:
        return "give 'min', 'max' or both"
    if fact.min is not None and fact.max is not None and fact.min > fact.max:
        return "'min' is above 'max': no count can meet both"
    return None


DECLARATION = FactDeclaration(
    name="move_count",
    note="the moves in `moves`, played by `actors` (default: anyone), add up to between "
    "`min` and `max` plays per run",
    fields={
        "moves": (
            Annotated[list[MoveId], Field(min_length=1)],
            Field(description="Moves counted (any of them)."),
        ),
        "actors": (
            Annotated[list[ActorId], Field(min_length=1)] | None,
            Field(default=None, description="Whose plays count (default: every actor's)."),
        ),
        "min": (Count, Field(default=None, description="Fewest plays in a run.")),
        "max": (Count, Field(default=None, description="Most plays in a run.")),
    },
    actors=("actors",),
    moves=("moves",),
    check=_check,
    order=20,
)
