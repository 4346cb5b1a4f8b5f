"""Injects: exogenous events and their effects."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    StrictBool,
    model_validator,
)

from sim.scenario.schema.basics import (
    ActorId,
    Basis,
    ChannelKind,
    MoveId,
    Signed,
    Text,
    _Strict,
)
from sim.scenario.schema.conditions import Trigger
from sim.scenario.schema.posture import PostureField
from sim.scenario.schema.world import UseLimit


class MoveEffect(_Strict):
    """Make an actor play a move this turn (replacing its own choice)."""

    actor: ActorId = Field(description="Who plays the move.")
    move: MoveId = Field(description="Which move.")


class ActorDelta(_Strict):
    """Change one actor's tension."""

    actor: ActorId = Field(description="Whose tension changes.")
    delta: Signed = Field(description="Amount added (result kept in [0, 1]).")


class PostureChange(_Strict):
    """Change one posture value of an actor."""

    actor: ActorId = Field(description="Whose posture changes.")
    field: PostureField = Field(description="Which posture dimension.")
    delta: Signed = Field(default=0.0, description="Amount added (kept in [0, 1]).")


class PairChange(_Strict):
    """Change the alignment of a pair, or one of its channels."""

    between: Annotated[list[ActorId], Field(min_length=2, max_length=2)] = Field(
        description="The two actors."
    )
    kind: ChannelKind | None = Field(
        default=None, description="Channel kind (for channel changes only)."
    )
    delta: Signed | None = Field(default=None, description="Amount added.")
    set: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] | None = Field(
        default=None, description="Value to set instead."
    )

    @model_validator(mode="after")
    def _one(self) -> PairChange:
        if (self.delta is None) == (self.set is None):
            raise ValueError("give exactly one of 'delta' or 'set'")
        if self.between[0] == self.between[1]:
            raise ValueError("'between' needs two different actors")
        return self


class Effect(_Strict):
    """One effect of an inject; give exactly one of the keys."""

    move: MoveEffect | None = Field(default=None, description="An actor plays a move.")
    norms: Signed | None = Field(
        default=None, description="Add to the regime strength (negative erodes it)."
    )
    tension: ActorDelta | None = Field(default=None, description="Shift an actor's tension.")
    posture: PostureChange | None = Field(default=None, description="Shift a posture value.")
    alignment: PairChange | None = Field(default=None, description="Shift a pair's alignment.")
    channel: PairChange | None = Field(default=None, description="Open, close or change a channel.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Effect:
        given = [
            k
            for k in ("move", "norms", "tension", "posture", "alignment", "channel")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "an effect has exactly one of: move, norms, tension, posture, alignment, "
                f"channel (got {', '.join(given) or 'none'}); split it into separate effects"
            )
        if self.channel is not None and self.channel.kind is None:
            raise ValueError("a channel effect needs 'kind'")
        if self.channel is not None and self.channel.set is not None and self.channel.set < 0:
            raise ValueError("a channel strength is in [0, 1]")
        return self


class Inject(_Strict):
    """An exogenous event from the scenario: scheduled or conditional."""

    label: Text = Field(description="Headline used in the transcript.")
    description: str = Field(default="", description="What happens, in a sentence or two.")
    when: Trigger = Field(description="When it fires.")
    repeat: StrictBool = Field(
        default=False, description="Fire again each turn its conditions hold (default once)."
    )
    limit: UseLimit | None = Field(
        default=None,
        description="With repeat: at most 'times' firings, at least 'cooldown' turns apart "
        "(the same rule as a move's limit). Without repeat an inject fires once.",
    )
    effects: Annotated[list[Effect], Field(min_length=1)] = Field(description="What it does.")
    basis: Basis | None = Field(default=None, description="Source and reasoning.")

    @model_validator(mode="after")
    def _limit_needs_repeat(self) -> Inject:
        if self.limit is not None and not self.repeat:
            raise ValueError("'limit' applies to a repeating inject: add 'repeat: true'")
        return self

    def use_limit(self) -> UseLimit:
        """How often it may fire: once, or as its limit says when it repeats."""
        if not self.repeat:
            return UseLimit(times=1)
        return self.limit or UseLimit()
