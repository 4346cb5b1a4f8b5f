"""Actors, relationships, moves and the escalation ladder."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

from sim.scenario.schema.basics import (
    ActorId,
    Basis,
    ChannelKind,
    MoveId,
    Signed,
    Text,
    Unit,
    _number_to_value,
    _Strict,
)
from sim.scenario.schema.policy import PolicyField, PolicySpec
from sim.scenario.schema.posture import Posture, Posture01, PostureValue


class SourcedText(_Strict):
    """A sentence of an actor's brief (an objective, or something it knows) with its basis."""

    text: Text = Field(description="The sentence, in our own words (shown as plain text).")
    basis: Basis = Field(
        description="Source and reasoning: the paragraph it rests on (`¶N: digest`), or "
        "source `assumption` with the reasoning for it."
    )


class Actor(_Strict):
    """A state or bloc. Nothing about any country is built into the code."""

    name: Text = Field(description="Display name (e.g. 'United States').")
    voice: str | None = Field(
        default=None,
        description="How the transcript names its government (e.g. 'Washington'); "
        "defaults to the name.",
    )
    plural: StrictBool = Field(
        default=False,
        description="The name and voice stand for several states or capitals ('Baltic states', "
        "'Vilnius, Riga and Tallinn'): generated text agrees with them ('read', 'believe').",
    )
    bloc: str | None = Field(
        default=None,
        description="Optional bloc label, for grouping in outputs (the dynamics use "
        "alignment, not blocs).",
    )
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = Field(
        default=None, description="Plot colour as '#rrggbb' (default: a colour-blind-safe palette)."
    )
    posture: Posture = Field(default_factory=Posture, description="Static dispositions.")
    initial_tension: Posture01 = Field(
        default=PostureValue(value=0.2),
        description="Tension at the start, in [0, 1]: how alarmed the actor already is.",
    )
    policy: PolicyField = Field(
        default_factory=PolicySpec,  # type: ignore[arg-type]
        description="Decision rule.",
    )
    moves: list[MoveId] | None = Field(
        default=None,
        description="Moves this actor may choose (default: the whole repertoire). Injects "
        "may still make it play others.",
    )
    reactions: dict[ActorId, Annotated[float, Field(ge=0.0, le=5.0, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="Richardson's reaction coefficient toward named actors, per unit of time "
        "(per turn when dynamics.dt is 1); overrides the value derived from posture and "
        "alignment. 0-5.",
    )
    fatigue: Annotated[float, Field(ge=0.0, le=5.0, allow_inf_nan=False)] | None = Field(
        default=None,
        description="Richardson's fatigue coefficient (how fast tension decays), per unit of "
        "time (per turn when dynamics.dt is 1); default derived from restraint. 0-5.",
    )
    grievance: Signed | None = Field(
        default=None,
        description="Richardson's grievance term, added to tension per unit of time (per turn "
        "when dynamics.dt is 1); default derived from deterrent anxiety. -1..1.",
    )
    description: str | None = Field(default=None, description="Who this actor is, briefly.")
    objectives: list[SourcedText] = Field(
        default_factory=list,
        description="What the actor wants in this crisis, each with its basis (shown in its "
        "team's brief; the dynamics do not read it). A variant's list replaces the parent's.",
    )
    private_knowledge: list[SourcedText] = Field(
        default_factory=list,
        description="What the actor knows that others may not, each with its basis (shown "
        "only in its own team's brief; the dynamics do not read it). A variant's list "
        "replaces the parent's.",
    )


# ---------------------------------------------------------------- relationships


def _channel_shorthand(v: Any) -> Any:
    return _number_to_value(v) if not isinstance(v, dict) else v


class Channel(_Strict):
    """A dialogue channel of one kind between two actors."""

    value: Unit = Field(description="Strength of the channel: 0 absent, 1 fully working.")
    basis: Basis | None = Field(default=None, description="Source and reasoning.")


ChannelField = Annotated[
    Channel,
    BeforeValidator(
        _channel_shorthand,
        json_schema_input_type=Annotated[float, Field(ge=0.0, le=1.0)] | Channel,
    ),
]


class Relationship(_Strict):
    """The relationship between two actors (symmetric; declare each pair once)."""

    alignment: Signed = Field(
        description="-1 open rivalry, 0 no special relationship, 1 closest partnership."
    )
    label: str | None = Field(
        default=None, description="What the relationship is called (e.g. 'QUAD partners')."
    )
    channels: dict[
        ChannelKind,
        ChannelField,
    ] = Field(
        default_factory=dict,
        description="Dialogue channels by kind: hotline, strategic_dialogue, "
        "information_sharing (shared perception, e.g. early-warning fusion), pre_notification.",
    )
    basis: Basis | None = Field(default=None, description="Source and reasoning.")


# ---------------------------------------------------------------- moves


class UseLimit(_Strict):
    """How often something may happen in a run: a move per actor, or an inject."""

    times: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="At most this many times in a run (default: no cap)."
    )
    cooldown: Annotated[int, Field(ge=0)] = Field(
        default=0,
        description="At least this many turns must pass after one time before the next "
        "(0: the next turn may repeat it).",
    )


class Move(_Strict):
    """A signalling move: what is shown, said or announced. Never a capability."""

    label: Text = Field(description="Short name used in the transcript (e.g. 'joint drill').")
    rung: Annotated[int, Field(ge=0, le=20)] = Field(
        description="Position on the abstract escalation ladder (0 = most conciliatory)."
    )
    intended_hostility: Unit = Field(
        description="What the sender means by it, 0 (conciliatory) to 1 (most hostile)."
    )
    framed_hostility: Unit = Field(
        description="What the public framing claims it means, 0-1 (e.g. 'routine and "
        "defensive' is low). The say-do gap is the distance from what observers perceive."
    )
    meaning: str = Field(default="", description="The sender's intended meaning, in words.")
    framing: str = Field(default="", description="The public framing, in words.")
    visibility: Unit = Field(
        default=1.0,
        description="Probability that a non-target actor observes the move each time.",
    )
    targets: list[ActorId] = Field(
        default_factory=list,
        description="Actors the move is aimed at (they always observe it). Empty: none named.",
    )
    tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        default_factory=list,
        description="Labels. Special: 'second_strike' (touches deterrent worries), "
        "'reassurance', 'cheap_talk', 'arms_control', 'missile_defence', 'live_fire'.",
    )
    cost: Unit = Field(
        default=0.0,
        description="How costly the signal is to send, 0 (cheap talk) to 1. Only costly "
        "signals reassure (Kydd).",
    )
    norm_effect: Signed = Field(
        default=0.0,
        description="Change to the arms-control/transparency regime strength when played.",
    )
    shows: list[str] = Field(
        default_factory=list,
        description="Named systems or initiatives displayed or announced, as labels only "
        "(e.g. 'S-400'); never performance.",
    )
    available_to: list[ActorId] | None = Field(
        default=None,
        description="Actors whose policies may choose this move (default: every actor whose "
        "repertoire includes it). Injects may still make anyone play it.",
    )
    partners: Annotated[list[ActorId], Field(min_length=2)] | None = Field(
        default=None,
        description="A joint move: these actors (two or more) hold it together, never one "
        "alone. When one partner plays it, every partner plays it that turn; each pays its "
        "cost and each is read by the others.",
    )
    host: ActorId | None = Field(
        default=None,
        description="The partner that hosts a joint move (named in the transcript); one of "
        "'partners'.",
    )
    scripted_only: StrictBool = Field(
        default=False,
        description="Played only when an inject or a scripted policy makes an actor play it: "
        "no adaptive policy chooses it and players are not offered it.",
    )
    limit: UseLimit | None = Field(
        default=None,
        description="How often each actor may play it: at most 'times' in a run, and at "
        "least 'cooldown' turns between two plays (default: no limit). Injects' once-only "
        "firing is the same rule.",
    )
    basis: Basis | None = Field(default=None, description="Source and reasoning.")

    @model_validator(mode="after")
    def _joint(self) -> Move:
        if self.partners is not None:
            if len(set(self.partners)) != len(self.partners):
                raise ValueError("'partners' names an actor twice")
            if self.available_to is not None and set(self.available_to) != set(self.partners):
                raise ValueError(
                    "a joint move is available to its partners only: drop 'available_to' or "
                    "make it the same actors as 'partners'"
                )
        if self.host is not None and self.partners is None:
            raise ValueError("'host' is for a joint move: give its 'partners' too")
        return self


class Rung(_Strict):
    """One rung of the abstract escalation ladder (after Kahn)."""

    label: Text = Field(description="Name of the rung.")
    description: str = Field(default="", description="What kind of signal sits here.")
