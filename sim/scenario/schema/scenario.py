"""The regime, the dynamics coefficients, debrief prompts, metadata and the scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
)

from sim.scenario.schema.basics import (
    MAX_TURNS,
    SEED_MAX,
    ActorId,
    Basis,
    ChannelKind,
    MoveId,
    Signed,
    SourceRef,
    Text,
    Unit,
    _Strict,
)
from sim.scenario.schema.conditions import Condition
from sim.scenario.schema.expectations import Expectation
from sim.scenario.schema.injects import Inject
from sim.scenario.schema.world import Actor, Move, Relationship, Rung


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
        description="Pairs: relationships.<a>.<b>. A pair is unordered (<a>.<b> and <b>.<a> "
        "are the same pair), so declare each once. A variant may name its parent's pair in "
        "either order: the entry merges field by field into the parent's (`null` removes the "
        "pair), and so does `--set relationships.<b>.<a>.alignment=...`. Pairs not listed "
        "have alignment 0 and no channels.",
    )
    use_default_moves: StrictBool = Field(
        default=True,
        description="Start from the core move library (domain `libraries`, then entries in "
        "`moves`, extend or override it).",
    )
    libraries: list[
        Annotated[
            str,
            StringConstraints(
                min_length=1, max_length=200, pattern=r"^([a-z]+:[A-Za-z0-9_-]+|[^/\\:\x00-\x1f]+)$"
            ),
        ]
    ] = Field(
        default_factory=list,
        description="Domain move libraries merged over the core library, in order, before "
        "`moves`: `library:ID` for one bundled with sim (e.g. `library:missile_defence`) or a "
        "file name beside the scenario (`my_moves.yaml`). A variant's list adds to its "
        "parent's; `null` in a variant loads none of the parent's.",
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
    expectations: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Expectation
    ] = Field(
        default_factory=dict,
        description="Stylised facts the runs must show, by id: each a claim (`kind` and its "
        "parameters), the share of runs it must hold in, and its basis. `sim check` measures "
        "them over an ensemble.",
    )

    _origin: Path | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Path | None:
        """The file the scenario was read from (None for one built in Python).

        References such as a ``versus`` fact's ``against`` are resolved from its folder.
        """
        return self._origin

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
