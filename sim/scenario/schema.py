"""The scenario language: pydantic models for one scenario file.

This module is the single source of truth for the scenario format. The JSON
Schema (``sim schema``) and the format reference are generated from it, and
every default value lives here (the default move library and escalation ladder
live in ``default_library.yaml`` beside this file).

All hostility-like quantities are on a 0-1 scale: 0 is fully conciliatory,
1 is the most hostile reading the ladder allows. Alignment is on -1..1:
-1 open rivalry, 0 no special relationship, 1 the closest partnership.

Nothing here describes weapons performance: moves are *signals* (what was
shown, said or announced), never capabilities.
"""

from __future__ import annotations

import operator
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

ActorId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(
        description="Identifier of an actor: lower case letters, digits and '_', "
        "starting with a letter (e.g. 'united_states')."
    ),
]
MoveId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$"),
    Field(description="Identifier of a move in the repertoire (e.g. 'joint_drill')."),
]
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]

SEED_MAX = 2**63 - 1
"""Largest root seed (seeds are whole numbers from 0 to this, as numpy's SeedSequence takes)."""

MAX_TURNS = 10_000
"""Most turns a scenario or a command may ask for."""


ChannelKind = Literal["hotline", "strategic_dialogue", "information_sharing", "pre_notification"]
"""A kind of dialogue channel."""

PostureField = Literal[
    "threat_sensitivity",
    "resolve",
    "restraint",
    "transparency",
    "deterrent_anxiety",
    "hedging",
    "reassurance_propensity",
    "learning_rate",
]
"""A posture dimension."""

POSTURE_FIELDS: tuple[str, ...] = typing.get_args(PostureField)
"""Names of the posture dimensions, in the order the model stores them."""

CHANNEL_KINDS: tuple[str, ...] = typing.get_args(ChannelKind)
"""Kinds of dialogue channel between two actors."""


class _Strict(BaseModel):
    """Base: unknown keys are errors, types are not silently converted."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- sources


class SourceRef(_Strict):
    """A source that parameter bases may cite by key."""

    key: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$"),
        Field(description="Short key cited by `basis.source` (e.g. 'drill-alignment-2025')."),
    ]
    title: Text = Field(description="Title of the article, book or paper.")
    file: str | None = Field(
        default=None, description="File name of the source text, if the project holds it."
    )
    note: str | None = Field(default=None, description="What the source is, in a sentence.")


class Basis(_Strict):
    """Why a parameter has its value: a source, the part of it, and our reasoning."""

    source: str = Field(description="Key of a source listed in `metadata.sources`.")
    part: Text = Field(
        description="Which part of the source (section or paragraph topic) the value rests on."
    )
    reasoning: Text = Field(
        description="Our own reasoning from the source to the number (never a quotation)."
    )


def _number_to_value(v: Any) -> Any:
    """Accept a bare number as shorthand for ``{value: number}``."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return {"value": v}
    return v


class PostureValue(_Strict):
    """A posture value in [0, 1] with the basis for it."""

    value: Unit = Field(description="The value, 0 (none) to 1 (maximal).")
    basis: Basis | None = Field(
        default=None, description="Source and reasoning for the value (required in bundled files)."
    )


Posture01 = Annotated[
    PostureValue,
    BeforeValidator(
        _number_to_value,
        json_schema_input_type=Annotated[float, Field(ge=0.0, le=1.0)] | PostureValue,
    ),
]


def _posture(default: float, description: str) -> Any:
    return Field(default=PostureValue(value=default), description=description)


class Posture(_Strict):
    """Static dispositions of an actor; each in [0, 1] (0.5 is middling)."""

    threat_sensitivity: Posture01 = _posture(
        0.5,
        "How readily the actor reads others' moves as threats. Scales the hostile "
        "lens in perception and the reaction of its tension to perceived hostility.",
    )
    resolve: Posture01 = _posture(
        0.5,
        "Willingness to answer pressure with matching or stronger signals. Raises the "
        "hostility level the actor wants to signal at a given tension.",
    )
    restraint: Posture01 = _posture(
        0.5,
        "Preference for avoiding escalation. Lowers the wanted signal level, penalises "
        "jumps of more than one rung, and speeds the calming of tension.",
    )
    transparency: Posture01 = _posture(
        0.5,
        "How openly the actor states its intentions. Sets how far others initially "
        "believe its public framing (at the start only; credibility then follows the "
        "say-do gap).",
    )
    deterrent_anxiety: Posture01 = _posture(
        0.5,
        "Worry about the credibility of its own second-strike deterrent. Amplifies the "
        "reading of moves tagged 'second_strike' and feeds a standing grievance.",
    )
    hedging: Posture01 = _posture(
        0.5,
        "Tendency to keep options open between blocs: pulls the adaptive policy's "
        "choices toward moves of middling hostility (0.5).",
    )
    reassurance_propensity: Posture01 = _posture(
        0.5,
        "Inclination to send reassuring signals when tension allows; adds utility to "
        "moves tagged 'reassurance'.",
    )
    learning_rate: Posture01 = _posture(
        0.5,
        "How fast beliefs about others move toward what is perceived each turn "
        "(0 never updates, 1 replaces the belief with the latest reading).",
    )

    def values(self) -> list[float]:
        """Posture values in :data:`POSTURE_FIELDS` order."""
        return [float(getattr(self, name).value) for name in POSTURE_FIELDS]


# ---------------------------------------------------------------- policies

PolicyKind = Literal[
    "adaptive",
    "richardson",
    "tit_for_tat",
    "generous_tit_for_tat",
    "contrite_tit_for_tat",
    "hawk",
    "dove",
    "hedger",
    "scripted",
]


def _policy_shorthand(v: Any) -> Any:
    """Accept ``policy: hawk`` as shorthand for ``policy: {kind: hawk}``."""
    if isinstance(v, str):
        return {"kind": v}
    return v


class PolicySpec(_Strict):
    """How an actor chooses its move each turn."""

    kind: PolicyKind = Field(
        default="adaptive",
        description="Decision rule: adaptive (perception-driven logit choice, the default), "
        "richardson, tit_for_tat, generous_tit_for_tat, contrite_tit_for_tat, hawk, dove, "
        "hedger or scripted.",
    )
    generosity: Unit | None = Field(
        default=None,
        description="generous_tit_for_tat: probability of answering hostility with a "
        "conciliatory move instead (default: dynamics.generosity).",
    )
    script: dict[int, MoveId] | None = Field(
        default=None,
        description="scripted: move to play at each listed turn (turns start at 1).",
    )
    default_move: MoveId | None = Field(
        default=None,
        description="scripted: move on turns the script does not list (default: the "
        "least hostile move in the actor's repertoire).",
    )

    @model_validator(mode="after")
    def _fields_match_kind(self) -> PolicySpec:
        if self.kind != "scripted" and (self.script is not None or self.default_move is not None):
            raise ValueError("'script' and 'default_move' only apply to kind 'scripted'")
        if self.kind == "scripted" and not self.script:
            raise ValueError("kind 'scripted' needs a 'script' mapping turn -> move")
        if self.generosity is not None and self.kind != "generous_tit_for_tat":
            raise ValueError("'generosity' only applies to kind 'generous_tit_for_tat'")
        return self


PolicyField = Annotated[
    PolicySpec,
    BeforeValidator(_policy_shorthand, json_schema_input_type=PolicyKind | PolicySpec),
]


# ---------------------------------------------------------------- actors


class Actor(_Strict):
    """A state or bloc. Nothing about any country is built into the code."""

    name: Text = Field(description="Display name (e.g. 'United States').")
    voice: str | None = Field(
        default=None,
        description="How the transcript names its government (e.g. 'Washington'); "
        "defaults to the name.",
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
    policy: PolicyField = Field(default_factory=PolicySpec, description="Decision rule.")
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
    basis: Basis | None = Field(default=None, description="Source and reasoning.")


class Rung(_Strict):
    """One rung of the abstract escalation ladder (after Kahn)."""

    label: Text = Field(description="Name of the rung.")
    description: str = Field(default="", description="What kind of signal sits here.")


# ---------------------------------------------------------------- conditions & injects

Comparison = Literal[">", ">=", "<", "<=", "==", "!="]

_COMPARE = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True, slots=True)
class MetricRule:
    """Which actors a condition metric takes: 'required', 'optional' or 'forbidden'."""

    actor: str
    about: str


CONDITION_METRICS: dict[str, MetricRule] = {
    "tension": MetricRule(actor="required", about="forbidden"),
    "rung": MetricRule(actor="required", about="forbidden"),
    "belief": MetricRule(actor="required", about="required"),
    "credibility": MetricRule(actor="required", about="required"),
    "perception_gap": MetricRule(actor="optional", about="forbidden"),
    "escalation_index": MetricRule(actor="forbidden", about="forbidden"),
    "polarisation": MetricRule(actor="forbidden", about="forbidden"),
    "norms": MetricRule(actor="forbidden", about="forbidden"),
    "turn": MetricRule(actor="forbidden", about="forbidden"),
}
"""The condition metrics a scenario may name, and the actors each takes.

Each needs a reader in :data:`sim.model.conditions.METRICS` (checked at import)."""

if typing.TYPE_CHECKING:
    ConditionMetricName = str
else:  # the names of CONDITION_METRICS, as the one Literal the schema and its JSON Schema use
    ConditionMetricName = Literal[tuple(CONDITION_METRICS)]


class Condition(_Strict):
    """A structured test of the model state (never code)."""

    metric: ConditionMetricName = Field(
        description="tension/rung (of `actor`), belief/credibility (`actor` about `about`), "
        "perception_gap (mean |gap| in the last turn played; of `actor` as observer if "
        "given), escalation_index, polarisation, norms, turn (the turn about to be "
        "played). All are read at the start of the turn, before its injects apply."
    )
    actor: ActorId | None = Field(default=None, description="The actor the metric is about.")
    about: ActorId | None = Field(
        default=None, description="For belief and credibility: the actor being judged."
    )
    op: Comparison = Field(description="Comparison: >, >=, <, <=, == or !=.")
    value: Annotated[float, Field(allow_inf_nan=False)] = Field(
        description="Threshold (rungs are integers; the rest are 0-1 except polarisation -1..1)."
    )

    def holds(self, observed: float) -> bool:
        """Whether ``observed`` (the metric's value) satisfies ``op value``."""
        return bool(self.test(np.asarray(observed, dtype=np.float64)))

    def test(self, observed: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Elementwise :meth:`holds` over an array of metric values (e.g. one per replicate)."""
        result: NDArray[np.bool_] = _COMPARE[self.op](observed, self.value)
        return result

    @model_validator(mode="after")
    def _needs(self) -> Condition:
        rule = CONDITION_METRICS[self.metric]
        if rule.actor == "required" and self.actor is None:
            raise ValueError(f"metric '{self.metric}' needs an 'actor'")
        if rule.actor == "forbidden" and self.actor is not None:
            raise ValueError(f"metric '{self.metric}' is global: remove 'actor'")
        if rule.about == "required" and self.about is None:
            raise ValueError(f"metric '{self.metric}' needs 'about' (whom the belief is about)")
        if rule.about == "forbidden" and self.about is not None:
            with_about = " and ".join(
                n for n, r in CONDITION_METRICS.items() if r.about != "forbidden"
            )
            raise ValueError(f"'about' only applies to {with_about}, not '{self.metric}'")
        return self


class Trigger(_Strict):
    """When an inject fires: at a turn, or when conditions hold."""

    turn: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Fire at the start of this turn (turns start at 1)."
    )
    from_turn: Annotated[int, Field(ge=1)] = Field(
        default=1, description="Conditions are checked from this turn on."
    )
    until_turn: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="...and up to this turn (inclusive)."
    )
    all: list[Condition] = Field(
        default_factory=list, description="Fire when every one of these holds."
    )
    any: list[Condition] = Field(
        default_factory=list, description="Fire when at least one of these holds."
    )

    @model_validator(mode="after")
    def _one_way(self) -> Trigger:
        if self.turn is None and not self.all and not self.any:
            raise ValueError("give a 'turn', or conditions under 'all' or 'any'")
        if self.turn is not None and (self.all or self.any):
            raise ValueError("use either 'turn' or conditions ('all'/'any'), not both")
        return self


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
    effects: Annotated[list[Effect], Field(min_length=1)] = Field(description="What it does.")
    basis: Basis | None = Field(default=None, description="Source and reasoning.")


# ---------------------------------------------------------------- norms, dynamics, debrief


class Norms(_Strict):
    """The arms-control / transparency regime, one strength for the whole system."""

    strength: Unit = Field(
        default=0.5,
        description="0 no working regime, 1 a strong one. Damps perception noise and lends "
        "framing credibility.",
    )
    drift: Annotated[float, Field(ge=-0.2, le=0.2, allow_inf_nan=False)] = Field(
        default=0.0, description="Change per turn without any move (negative: slow erosion)."
    )
    label: str | None = Field(default=None, description="What the regime is (e.g. 'New START').")
    basis: Basis | None = Field(default=None, description="Source and reasoning.")


def default_channel_weights() -> dict[ChannelKind, float]:
    """Clarity per channel kind at full strength (the defaults)."""
    return {
        "hotline": 0.5,
        "strategic_dialogue": 0.4,
        "information_sharing": 0.6,
        "pre_notification": 0.3,
    }


class Dynamics(_Strict):
    """Model coefficients shared by all actors. The defaults are documented in docs/model.md."""

    perception: Literal["lens", "perfect"] = Field(
        default="lens",
        description="'lens': observers read moves through alignment, beliefs, framing and "
        "noise. 'perfect': every move is seen and read exactly as intended.",
    )
    dt: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)] = Field(
        default=1.0, description="Length of a turn in Richardson's equations (0-1]."
    )
    reactivity: Annotated[float, Field(ge=0.0, le=5.0, allow_inf_nan=False)] = Field(
        default=0.45,
        description="Scale of the default Richardson reaction coefficients (0-5).",
    )
    fatigue: Annotated[float, Field(ge=0.0, le=5.0, allow_inf_nan=False)] = Field(
        default=0.35, description="Scale of the default fatigue coefficients (0-5)."
    )
    grievance: Signed = Field(
        default=0.05, description="Scale of the default grievance terms (-1..1)."
    )
    lens_strength: Unit = Field(
        default=0.2,
        description="How far threat sensitivity and alignment bend a reading (0-1).",
    )
    prior_weight: Unit = Field(
        default=0.3,
        description="How far an observer's existing belief about the sender colours a new "
        "reading (Jervis).",
    )
    anxiety_weight: Unit = Field(
        default=0.3,
        description="Extra hostility read into 'second_strike' moves per unit of deterrent "
        "anxiety.",
    )
    noise: Annotated[float, Field(ge=0.0, le=0.5, allow_inf_nan=False)] = Field(
        default=0.06,
        description="Standard deviation of reading noise at zero tension, before the regime "
        "(norm_damping) and channels reduce it (0-0.5).",
    )
    time_pressure: Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)] = Field(
        default=2.0,
        description="How much noise and choice randomness grow with tension (compressed "
        "decision time): factor 1 + time_pressure * tension.",
    )
    norm_damping: Unit = Field(
        default=0.5, description="Share of noise a full-strength regime removes."
    )
    credibility_rate: Unit = Field(
        default=0.3,
        description="How fast framing credibility moves toward the say-do match each turn.",
    )
    cheap_talk_weight: Unit = Field(
        default=0.2,
        description="How much a costless signal can lower a belief, relative to a fully "
        "costly one (Kydd).",
    )
    temperature: Annotated[float, Field(gt=0.0, le=5.0, allow_inf_nan=False)] = Field(
        default=0.08, description="Logit-choice temperature of the adaptive policy at zero tension."
    )
    cost_weight: Unit = Field(
        default=0.15, description="Adaptive policy: how much a move's cost counts against it."
    )
    generosity: Unit = Field(
        default=0.3,
        description="generous_tit_for_tat: default probability of forgiving a hostile reading.",
    )
    hostile_threshold: Unit = Field(
        default=0.4,
        description="A reading at or above this counts as hostile (tit-for-tat, chains).",
    )
    miscalculation_threshold: Unit = Field(
        default=0.3,
        description="A counter-move answering a reading at least this much above the intended "
        "hostility is a miscalculation.",
    )
    channel_weights: dict[
        ChannelKind,
        Unit,
    ] = Field(
        default_factory=default_channel_weights,
        description="How much clarity each channel kind gives at full strength (kinds not "
        "listed keep their defaults); clarity combines as 1 - prod(1 - weight * strength).",
    )


class DebriefPrompt(_Strict):
    """A debrief question, optionally only when something happened in the run."""

    prompt: Text = Field(description="The question.")
    when: Condition | None = Field(
        default=None, description="Ask only if this condition held (see `at`)."
    )
    at: Literal["end", "any_turn"] = Field(
        default="any_turn",
        description="Test `when` at the end of the run, or at any turn during it.",
    )


class Metadata(_Strict):
    """What the scenario is and where its numbers come from."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")] | None = Field(
        default=None, description="Identifier (default: the file name without '.yaml')."
    )
    title: Text = Field(description="Title shown in listings and reports.")
    summary: str = Field(default="", description="One paragraph: what happens and why it matters.")
    learning_objectives: list[str] = Field(
        default_factory=list, description="What students should be able to explain afterwards."
    )
    turn_meaning: str = Field(
        default="one round of moves and readings",
        description="What one turn stands for (e.g. 'about a week of crisis diplomacy').",
    )
    sources: list[SourceRef] = Field(
        default_factory=list, description="Sources that `basis.source` may cite."
    )
    notes: str = Field(
        default="",
        description="Modelling notes, including where the sources disagree and which reading "
        "is used.",
    )


class Scenario(_Strict):
    """A complete scenario, after `extends` merging and default moves are applied."""

    extends: str | None = Field(
        default=None,
        description="File name of a scenario in the same folder that this one modifies; "
        "mappings merge key by key, other values replace, null removes an entry.",
    )
    metadata: Metadata = Field(description="Title, summary, objectives, sources, notes.")
    turns: Annotated[int, Field(ge=1, le=MAX_TURNS)] = Field(
        default=30, description="Number of turns to run (1-10000)."
    )
    seed: Annotated[int, Field(ge=0, le=SEED_MAX)] | None = Field(
        default=None, description="Default root seed (a run given no seed uses this, or picks one)."
    )
    actors: Annotated[dict[ActorId, Actor], Field(min_length=2, max_length=2000)] = Field(
        description="The states or blocs, by id (2 or more)."
    )
    relationships: dict[ActorId, dict[ActorId, Relationship]] = Field(
        default_factory=dict,
        description="Pairs: relationships.<a>.<b>. Pairs not listed have alignment 0 and "
        "no channels.",
    )
    use_default_moves: StrictBool = Field(
        default=True,
        description="Start from the default move library (entries in `moves` extend or "
        "override it).",
    )
    moves: dict[MoveId, Move] = Field(
        default_factory=dict, description="The move repertoire by id."
    )
    ladder: Annotated[list[Rung], Field(min_length=2, max_length=21)] | None = Field(
        default=None,
        description="The escalation ladder, rung 0 first (default: the library's 9 rungs).",
    )
    injects: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Inject] = Field(
        default_factory=dict, description="Exogenous events, by id."
    )
    norms: Norms = Field(default_factory=Norms, description="The arms-control/transparency regime.")
    dynamics: Dynamics = Field(default_factory=Dynamics, description="Model coefficients.")
    debrief: list[DebriefPrompt] = Field(
        default_factory=list, description="The scenario's own debrief questions."
    )

    @property
    def id(self) -> str:
        """The scenario identifier (metadata.id, set from the file name by the loader)."""
        return self.metadata.id or "scenario"

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in file order (this order indexes every model array)."""
        return list(self.actors)

    @property
    def top_rung(self) -> int:
        """Highest rung of the ladder."""
        return len(self.ladder) - 1 if self.ladder else 8
