"""``versus``: a quantity in this scenario against the same quantity in another, seed by seed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenario.facts import FactDeclaration, Names, Relation, over_field, possessive, value
from sim.scenario.schema.basics import ActorId, MoveId

QUANTITIES = ("tension", "belief", "move_share")


def _check(fact: Any) -> str | None:
    if fact.quantity == "belief" and (fact.actor is None or fact.about is None):
        return "a belief comparison needs 'actor' and 'about'"
    if fact.quantity != "belief" and fact.about is not None:
        return f"a {fact.quantity} comparison takes no 'about'"
    if fact.quantity == "move_share":
        if not fact.moves:
            return "a move_share comparison needs 'moves'"
        if fact.over != "mean":
            return "a move_share comparison is over the whole run: set over: mean"
    elif fact.moves:
        return f"a {fact.quantity} comparison takes no 'moves'"
    return None


def _what(fact: Any, names: Names) -> str:
    if fact.quantity == "belief":
        whose = possessive(names.actor(fact.actor))
        return f"{whose} belief that {names.actor(fact.about)} is hostile"
    if fact.quantity == "move_share":
        moves = ", ".join(names.move(m) for m in fact.moves)
        who = names.actor(fact.actor) if fact.actor else "all actors"
        return f"the share of turns {who} play {moves}"
    return f"{possessive(names.actor(fact.actor))} tension" if fact.actor else "mean tension"


def _describe(fact: Any, names: Names) -> str:
    when = {"every_turn": "at every turn", "end": "at the end", "mean": "on average"}[fact.over]
    how = "higher" if fact.relation == "above" else "lower"
    by = f" by more than {value(fact.margin)}" if fact.margin > 0 else ""
    return f"{_what(fact, names)} is {how} {when} than in {fact.against} on the same seed{by}"


DECLARATION = FactDeclaration(
    name="versus",
    note="`quantity` (tension of `actor` or the mean, the belief of `actor` about `about`, or "
    "the share of turns `actor` plays `moves`) is `relation` the same quantity in scenario "
    "`against`, run on the same seeds, by more than `margin` (`over` every turn, the end or "
    "the mean)",
    fields={
        "against": (
            Annotated[str, Field(pattern=r"^(bundled:[A-Za-z0-9_-]+|[^/\\:\x00-\x1f]+\.ya?ml)$")],
            Field(
                description="The scenario compared with: bundled:ID, or a file name in this "
                "scenario's folder. It is run on the same seeds and for as many turns."
            ),
        ),
        "quantity": (
            Literal["tension", "belief", "move_share"],
            Field(description="What is compared."),
        ),
        "actor": (
            ActorId | None,
            Field(default=None, description="Whose quantity (tension: none means the mean)."),
        ),
        "about": (ActorId | None, Field(default=None, description="Whom a belief is about.")),
        "moves": (
            list[MoveId],
            Field(default_factory=list, description="The moves counted (move_share)."),
        ),
        "relation": (
            Relation,
            Field(description="'above': higher here than there; 'below': lower."),
        ),
        "margin": (
            Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)],
            Field(default=0.0, description="By how much at least (0-1)."),
        ),
        "over": over_field("end"),
    },
    actors=("actor", "about"),
    moves=("moves",),
    check=_check,
    order=70,
    describe=_describe,
)
