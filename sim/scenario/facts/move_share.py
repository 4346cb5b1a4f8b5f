"""``move_share``: actors play some moves in at least / at most a share of their turns."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sim.scenario.facts import Bound, FactDeclaration, Names, bounds_given, joined, percent
from sim.scenario.schema.basics import ActorId, MoveId

Actors = Annotated[list[ActorId], Field(min_length=1)]
Moves = Annotated[list[MoveId], Field(min_length=1)]


def _describe(fact: Any, names: Names) -> str:
    many = len(fact.actors) > 1
    who = joined([names.actor(a) for a in fact.actors])
    what = joined([names.move(m) for m in fact.moves], "or")
    low, high = fact.at_least, fact.at_most
    if high == 0 and not low:
        return f"{who} never {'play' if many else 'plays'} {what}"
    if low is not None and high is not None:
        how = f"between {percent(low)} and {percent(high)}"
    elif low is not None:
        how = f"at least {percent(low)}"
    else:
        how = f"at most {percent(high)}"
    verb = "each play" if many else "plays"
    return f"{who} {verb} {what} in {how} of {'their' if many else 'its'} turns"


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
    describe=_describe,
)
