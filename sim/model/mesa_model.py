"""The Mesa host: :class:`EscalationModel` with one :class:`StateActor` per actor.

The model is a real ``mesa.Model``: step it yourself, or hand it to
``mesa.batch_run``::

    from mesa.batchrunner import batch_run
    from sim import EscalationModel

    rows = batch_run(
        EscalationModel,
        parameters={"scenario": "scenarios/dec2025_joint_drill.yaml"},
        rng=[1, 2, 3],            # one run per seed; do not use iterations=
        max_steps=30,
        number_processes=1,
    )

All the maths lives in pure functions driven by :class:`~sim.model.engine.Engine`;
the agents are thin views on its arrays. A Mesa ``DataCollector`` records a few
scalar model and agent reporters each step when ``collect=True`` (the default,
so ``batch_run`` works); pass ``collect=False`` for speed, and read the full
record from :meth:`EscalationModel.result` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.model.compiled import compile_scenario
from sim.model.engine import Engine, TurnRecord
from sim.model.seeds import new_seed, root_seed
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.model.results import RunResult


def resolve_seed(seed: Any, scenario: Scenario) -> int:
    """The root seed to use, by the one rule of :func:`sim.model.seeds.root_seed`.

    The one given, else the scenario's, else a new one.

    Raises:
        TypeError: ``seed`` is not a non-negative integer.
    """
    if seed is not None and (
        isinstance(seed, (bool, float)) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise TypeError(f"seed must be a non-negative integer, got {seed!r}")
    chosen, _ = root_seed(None if seed is None else int(seed), scenario.seed)
    return int(chosen)


class StateActor(mesa.Agent):  # type: ignore[misc]
    """A state or bloc; a thin view on the engine's arrays.

    Attributes:
        actor_id: Identifier from the scenario (e.g. 'china').
        name: Display name.
        index: Position in every model array.
        policy: Name of its decision policy.
    """

    def __init__(self, model: EscalationModel, actor_id: str, index: int) -> None:
        super().__init__(model)
        spec = model.spec.actors[actor_id]
        self.actor_id = actor_id
        self.name = spec.name
        self.index = index
        self.policy = spec.policy.kind

    @property
    def tension(self) -> float:
        """Current tension in [0, 1]."""
        return float(self.model.engine.state.tension[self.index])

    @property
    def rung(self) -> int:
        """Rung of the actor's latest move."""
        return int(self.model.engine.state.rung[self.index])

    @property
    def last_move(self) -> str | None:
        """Id of the latest move, or None before the first turn."""
        m = int(self.model.engine.state.last_move[self.index])
        return self.model.compiled.move_ids[m] if m >= 0 else None

    def belief_about(self, other: str) -> float:
        """Belief (0-1) that ``other`` is hostile."""
        j = self.model.compiled.index[other]
        return float(self.model.engine.state.belief[self.index, j])


class EscalationModel(mesa.Model):  # type: ignore[misc]
    """Signalling, perception and escalation among the actors of a scenario.

    Args:
        scenario: A :class:`~sim.scenario.schema.Scenario`, or a path to a
            scenario file.
        rng: Root seed (non-negative int). None: the scenario's ``seed``, or a
            fresh one (recorded in :attr:`seed`).
        turns: Number of turns after which ``running`` becomes False
            (default: the scenario's ``turns``).
        overrides: ``dotted.path=value`` changes, when ``scenario`` is a path.
        collect: Keep a Mesa ``DataCollector`` (needed by ``mesa.batch_run``).

    Attributes:
        spec: The scenario.
        seed: The root seed actually used.
        engine: The turn engine holding the state arrays.
        actors: Agents by actor id.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path,
        *,
        rng: int | None = None,
        turns: int | None = None,
        overrides: tuple[str, ...] | list[str] = (),
        collect: bool = True,
    ) -> None:
        spec = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, overrides)
        seed = resolve_seed(rng, spec)
        super().__init__(rng=seed)
        self.spec = spec
        self.seed = seed
        self.turns = int(turns if turns is not None else spec.turns)
        self.compiled = compile_scenario(spec)
        self.engine = Engine(self.compiled, seed)
        self.actors: dict[str, StateActor] = {
            aid: StateActor(self, aid, i) for i, aid in enumerate(self.compiled.ids)
        }
        self.datacollector: mesa.DataCollector | None = None
        if collect:
            self.datacollector = mesa.DataCollector(
                model_reporters={
                    "mean_tension": lambda m: float(m.engine.state.tension.mean()),
                    "max_rung": lambda m: int(m.engine.state.rung.max()),
                    "norms": lambda m: m.engine.state.norms,
                },
                agent_reporters={"actor": "actor_id", "tension": "tension", "rung": "rung"},
            )
            self.datacollector.collect(self)
        self.running = self.turns > 0

    def step(self) -> None:
        """Play one turn."""
        self.engine.step()
        if self.datacollector is not None:
            self.datacollector.collect(self)
        if self.engine.state.turn >= self.turns:
            self.running = False

    def play(
        self,
        human_moves: dict[str, str] | None = None,
        injects: list[str] | None = None,
        overrides: dict[str, dict[str, float]] | None = None,
    ) -> TurnRecord:
        """Play one turn with moves chosen by people and injects fired by hand.

        Args:
            human_moves: Actor id -> move id for human-played actors.
            injects: Ids of scenario injects to fire this turn as well.
            overrides: Actor id -> ``{"intended": x, "framed": y}`` for this
                turn only (see :meth:`~sim.model.engine.Engine.step`).
        """
        c = self.compiled
        moves = {c.index[a]: c.move_index[m] for a, m in (human_moves or {}).items()}
        by_index = {c.index[a]: dict(v) for a, v in (overrides or {}).items() if v}
        record = self.engine.step(
            human_moves=moves, extra_injects=injects, overrides=by_index or None
        )
        if self.datacollector is not None:
            self.datacollector.collect(self)
        if self.engine.state.turn >= self.turns:
            self.running = False
        return record

    def run(self) -> RunResult:
        """Play the remaining turns and return the result.

        Uses Mesa's ``run_for``, which advances the event clock over all the
        remaining steps in one call (cheaper than calling ``step`` per turn).
        """
        remaining = self.turns - self.engine.state.turn
        if self.running and remaining > 0:
            self.run_for(remaining)
        return self.result()

    def result(self) -> RunResult:
        """The run so far as tables (see :class:`~sim.model.results.RunResult`)."""
        from sim.model.results import RunResult

        return RunResult(self.spec, self.compiled, self.seed, list(self.engine.records))


__all__ = ["EscalationModel", "StateActor", "new_seed", "resolve_seed"]
