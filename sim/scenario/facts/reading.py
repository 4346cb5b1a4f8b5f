"""``reading``: observers read a move, when a given sender plays it, above / below its framing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenario.facts import FactDeclaration, Names, joined, possessive, value
from sim.scenario.schema.basics import ActorId, MoveId


def _check(fact: Any) -> str | None:
    if fact.sender in fact.observers:
        return "the sender does not observe its own move: leave it out of 'observers'"
    return None


def _describe(fact: Any, names: Names) -> str:
    who = joined([names.actor(o) for o in fact.observers])
    verb = "read" if len(fact.observers) > 1 else "reads"
    whose = f"{possessive(names.actor(fact.sender))} {names.move(fact.move)}"
    if fact.relation == "within":
        return f"{who} {verb} {whose} as it was framed, within {value(fact.margin)}"
    how = "more" if fact.relation == "above" else "less"
    by = f" by more than {value(fact.margin)}" if fact.margin > 0 else ""
    return f"{who} {verb} {whose} as {how} hostile than it was framed{by}"


DECLARATION = FactDeclaration(
    name="reading",
    note="over the turns `sender` plays `move`, the mean reading by `observers` who saw it is "
    "`relation` the move's framed hostility: above or below it by more than `margin`, or "
    "within `margin` of it; a run in which they never see it does not hold",
    fields={
        "observers": (
            Annotated[list[ActorId], Field(min_length=1)],
            Field(description="Who reads the move (their readings are pooled)."),
        ),
        "sender": (ActorId, Field(description="Who plays the move.")),
        "move": (MoveId, Field(description="The move read.")),
        "relation": (
            Literal["above", "below", "within"],
            Field(
                description="'above': read as more hostile than framed; 'below': less; "
                "'within': read as framed, give or take the margin."
            ),
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
