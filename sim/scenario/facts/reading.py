"""``reading``: observers read a move, when a given sender plays it, above / below its framing."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sim.scenario.facts import FactDeclaration, Names, Relation, joined, possessive, value
from sim.scenario.schema.basics import ActorId, MoveId


def _check(fact: Any) -> str | None:
    if fact.sender in fact.observers:
        return "the sender does not observe its own move: leave it out of 'observers'"
    return None


def _describe(fact: Any, names: Names) -> str:
    who = joined([names.actor(o) for o in fact.observers])
    verb = "read" if len(fact.observers) > 1 else "reads"
    how = "more" if fact.relation == "above" else "less"
    by = f" by more than {value(fact.margin)}" if fact.margin > 0 else ""
    return (
        f"{who} {verb} {possessive(names.actor(fact.sender))} {names.move(fact.move)} "
        f"as {how} hostile than it was framed{by}"
    )


DECLARATION = FactDeclaration(
    name="reading",
    note="over the turns `sender` plays `move`, the mean reading by `observers` who saw it is "
    "`relation` (above or below) the move's framed hostility by more than `margin`; a run in "
    "which they never see it does not hold",
    fields={
        "observers": (
            Annotated[list[ActorId], Field(min_length=1)],
            Field(description="Who reads the move (their readings are pooled)."),
        ),
        "sender": (ActorId, Field(description="Who plays the move.")),
        "move": (MoveId, Field(description="The move read.")),
        "relation": (
            Relation,
            Field(description="'above': read as more hostile than framed; 'below': less."),
        ),
        "margin": (
            Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)],
            Field(default=0.0, description="How far above or below the framing (0-1)."),
        ),
    },
    actors=("observers", "sender"),
    moves=("move",),
    check=_check,
    order=60,
    describe=_describe,
)
