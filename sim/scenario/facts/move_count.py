"""``move_count``: some moves are played between ``min`` and ``max`` times per run."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sim.scenario.facts import FactDeclaration, Names, joined
from sim.scenario.schema.basics import ActorId, MoveId

Count = Annotated[int, Field(ge=0)] | None


def _check(fact: Any) -> str | None:
    if fact.min is None and fact.max is None:
        return "give 'min', 'max' or both"
    if fact.min is not None and fact.max is not None and fact.min > fact.max:
        return "'min' is above 'max': no count can meet both"
    return None


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _describe(fact: Any, names: Names) -> str:
    what = joined([names.move(m) for m in fact.moves], "or")
    low, high = fact.min, fact.max
    if high == 0:
        how = "is never played"
    elif low is not None and low == high:
        how = f"is played exactly {_times(low)}"
    elif low is not None and high is not None:
        how = f"is played between {low} and {high} times"
    elif low is not None:
        how = f"is played at least {_times(low)}"
    else:
        how = f"is played at most {_times(high)}"
    by = (
        f", counting plays by {joined([names.actor(a) for a in fact.actors])}"
        if fact.actors
        else ""
    )
    return f"{what} {how} in a run{by}"


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
    describe=_describe,
)
