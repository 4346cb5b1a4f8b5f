"""``order``: one actor's belief or tension is above / below another's."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sim.scenario.facts import FactDeclaration, Names, Relation, over_field, possessive
from sim.scenario.schema.basics import ActorId

ABOUT = {"belief": True, "tension": False}
"""Whether each quantity is about another actor (a belief is; tension is not)."""


def _check(fact: Any) -> str | None:
    sides = (fact.about is not None, fact.than_about is not None)
    if ABOUT[fact.quantity] and sides != (True, True):
        return f"a {fact.quantity} ordering needs 'about' and 'than_about'"
    if not ABOUT[fact.quantity] and sides != (False, False):
        return f"a {fact.quantity} ordering takes no 'about' or 'than_about'"
    if (fact.actor, fact.about) == (fact.than_actor, fact.than_about):
        return "compares a quantity with itself"
    return None


def _side(quantity: str, actor: str, about: str | None, names: Names) -> str:
    whose = possessive(names.actor(actor))
    if quantity == "belief" and about is not None:
        return f"{whose} belief that {names.actor(about)} is hostile"
    return f"{whose} tension"


WHEN = {"every_turn": "at every turn", "end": "at the end", "mean": "on average over the run"}


def _describe(fact: Any, names: Names) -> str:
    first = _side(fact.quantity, fact.actor, fact.about, names)
    second = _side(fact.quantity, fact.than_actor, fact.than_about, names)
    return f"{first} stands {fact.relation} {second} {WHEN[fact.over]}"


DECLARATION = FactDeclaration(
    name="order",
    note="`quantity` of `actor` (about `about`) is `relation` (above or below) that of "
    "`than_actor` (about `than_about`), at every turn, at the end, or on average",
    fields={
        "quantity": (
            Literal["belief", "tension"],
            Field(description="What is compared: a belief (of actor about another) or tension."),
        ),
        "actor": (ActorId, Field(description="The first side's actor.")),
        "about": (
            ActorId | None,
            Field(default=None, description="Whom the first side's belief is about."),
        ),
        "relation": (
            Relation,
            Field(description="'above' or 'below': how the first side stands to the second."),
        ),
        "than_actor": (ActorId, Field(description="The second side's actor.")),
        "than_about": (
            ActorId | None,
            Field(default=None, description="Whom the second side's belief is about."),
        ),
        "over": over_field("end"),
    },
    actors=("actor", "about", "than_actor", "than_about"),
    check=_check,
    order=50,
    describe=_describe,
)
