"""One person's play session: the model, the choices waiting for the next turn, the figures.

Plain Python with no web dependency, so it can be tested (and scripted) on its
own; :mod:`sim.dashboard.app` draws it. Every method is safe to call from the
auto-play thread and a button at once (one lock guards the model).

Only the scenario files the session was given can be played: the browser picks
a *name* from :attr:`Session.choices`, never a path.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.errors import UsageError
from sim.model.mesa_model import EscalationModel
from sim.outputs.figures import gap_matrix_figure, rung_heatmap, tension_figure
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

POSTURE_FIELDS: tuple[str, ...] = (
    "threat_sensitivity",
    "resolve",
    "restraint",
    "deterrent_anxiety",
)
"""The posture dimensions the dashboard's sliders change (applied on reset)."""

FIGURES: tuple[tuple[str, str], ...] = (
    ("tension", "Tension per actor over the turns"),
    ("rungs", "Escalation rung of every move, actor by turn"),
    ("gap", "Mean perception gap, observer by sender"),
)
"""The live figures: (key, alt text)."""

FIGURE_DPI = 90
"""Resolution of the live figures."""

DEFAULT_SEED = 1
"""Seed of a session whose first scenario names none."""


@dataclass(frozen=True, slots=True)
class MoveLine:
    """One actor's move in a turn.

    Attributes:
        actor_id: Actor id.
        actor: Display name.
        move_id: Move id.
        move: Move label.
        rung: Escalation rung of the move.
        source: ``"you"`` (chosen in the dashboard), ``"inject"`` (forced by an
            inject) or ``"model"`` (the actor's policy).
    """

    actor_id: str
    actor: str
    move_id: str
    move: str
    rung: int
    source: str


@dataclass(frozen=True, slots=True)
class TurnSummary:
    """What the last turn did, for the dashboard's text panel.

    Attributes:
        turn: 1-based turn number.
        moves: One line per actor, in scenario order.
        injects: (id, label) of the injects that fired this turn.
    """

    turn: int
    moves: tuple[MoveLine, ...]
    injects: tuple[tuple[str, str], ...]


def png_data_url(png: bytes) -> str:
    """A ``data:`` URL for PNG bytes (the page then loads nothing else)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class Session:
    """A scenario being played turn by turn.

    Args:
        choices: Scenario files that may be played, by display name.
        scenario: Name (a key of ``choices``) to start with.
        seed: Root seed (None: the scenario's, else :data:`DEFAULT_SEED`).

    Attributes:
        choices: As given.
        scenario_name: Name of the scenario being played.
        seed: Root seed of the current run.
        base: The scenario as in its file (no posture changes), for the
            sliders' starting values.
        overrides: Posture values set with the sliders, ``(actor, field) ->
            value``; they take effect on :meth:`reset`.
        applied: The overrides the current run was built with.
        model: The model being played.
        pending_moves: Actor id -> move id chosen for the next turn.
        pending_injects: Inject ids to fire on the next turn.
        last: What the last turn did (None before turn 1).
    """

    def __init__(self, choices: Mapping[str, Path], scenario: str, seed: int | None = None) -> None:
        if not choices:
            raise UsageError("no scenario files to play")
        self.choices: dict[str, Path] = dict(choices)
        self._lock = threading.RLock()
        self.scenario_name = ""
        self.seed = seed if seed is not None else -1
        self.overrides: dict[tuple[str, str], float] = {}
        self.applied: dict[tuple[str, str], float] = {}
        self.pending_moves: dict[str, str] = {}
        self.pending_injects: list[str] = []
        self.last: TurnSummary | None = None
        self._figure_cache: tuple[int, dict[str, bytes]] | None = None
        self.select(scenario)

    # ------------------------------------------------------------------ set-up

    def select(self, name: str) -> None:
        """Switch to another scenario (dropping posture changes) and reset."""
        if name not in self.choices:
            raise UsageError(f"{name!r} is not one of the scenarios this dashboard offers")
        with self._lock:
            self.scenario_name = name
            self.base = load_scenario(self.choices[name])
            self.overrides = {}
            if self.seed < 0:
                self.seed = self.base.seed if self.base.seed is not None else DEFAULT_SEED
            self.reset()

    def reset(self, seed: int | None = None) -> None:
        """Start the run again from turn 0, with the posture changes and ``seed`` (if given)."""
        if seed is not None and not 0 <= seed < 2**63:
            raise UsageError("the seed must be between 0 and 2**63 - 1")
        with self._lock:
            if seed is not None:
                self.seed = int(seed)
            applied = dict(self.overrides)
            texts = [f"actors.{a}.posture.{f}={v!r}" for (a, f), v in sorted(applied.items())]
            spec = load_scenario(self.choices[self.scenario_name], texts) if texts else self.base
            self.model = EscalationModel(spec, rng=self.seed, collect=False)
            self.applied = applied
            self.pending_moves = {}
            self.pending_injects = []
            self.last = None
            self._figure_cache = None

    # ------------------------------------------------------------------ reading

    @property
    def spec(self) -> Scenario:
        """The scenario of the current run (posture changes included)."""
        spec: Scenario = self.model.spec
        return spec

    @property
    def turn(self) -> int:
        """Turns played so far."""
        return int(self.model.engine.state.turn)

    @property
    def turns(self) -> int:
        """Turns the run lasts."""
        return int(self.model.turns)

    @property
    def finished(self) -> bool:
        """True once the last turn has been played."""
        return self.turn >= self.turns

    @property
    def title(self) -> str:
        """The scenario's title."""
        return str(self.spec.metadata.title)

    def actors(self) -> list[tuple[str, str]]:
        """(id, display name) of every actor, in scenario order."""
        return [(a, self.spec.actors[a].name) for a in self.model.compiled.ids]

    def allowed_moves(self, actor_id: str) -> list[tuple[str, str]]:
        """(id, label) of the moves ``actor_id`` may choose, least escalatory first."""
        c = self.model.compiled
        i = c.index[actor_id]
        ids = [m for k, m in enumerate(c.move_ids) if c.allowed[i, k]]
        ids.sort(key=lambda m: (int(c.rungs[c.move_index[m]]), c.move_index[m]))
        return [(m, self.spec.moves[m].label) for m in ids]

    def injects(self) -> list[tuple[str, str]]:
        """(id, label) of the scenario's injects."""
        return [(k, inj.label) for k, inj in self.spec.injects.items()]

    def posture(self, actor_id: str) -> dict[str, float]:
        """The slider values for ``actor_id``: a change if one was made, else the file's."""
        spec = self.base.actors[actor_id].posture
        return {
            f: self.overrides.get((actor_id, f), float(getattr(spec, f).value))
            for f in POSTURE_FIELDS
        }

    @property
    def changes_pending(self) -> bool:
        """True when the sliders differ from what the current run was built with."""
        return self.overrides != self.applied

    # ------------------------------------------------------------------ choosing

    def set_posture(self, actor_id: str, field: str, value: float) -> None:
        """Change one posture value (it takes effect on the next :meth:`reset`)."""
        if actor_id not in self.base.actors or field not in POSTURE_FIELDS:
            raise UsageError(f"no posture {field!r} for actor {actor_id!r}")
        value = round(min(1.0, max(0.0, float(value))), 4)
        base = float(getattr(self.base.actors[actor_id].posture, field).value)
        with self._lock:
            if abs(value - base) < 1e-9:
                self.overrides.pop((actor_id, field), None)
            else:
                self.overrides[(actor_id, field)] = value

    def clear_posture(self, actor_id: str | None = None) -> None:
        """Drop the posture changes of one actor (or of all)."""
        with self._lock:
            self.overrides = {
                k: v for k, v in self.overrides.items() if actor_id is not None and k[0] != actor_id
            }

    def choose_move(self, actor_id: str, move_id: str | None) -> None:
        """Have a person choose ``actor_id``'s move next turn (None: its policy decides)."""
        with self._lock:
            if move_id is None:
                self.pending_moves.pop(actor_id, None)
                return
            if move_id not in dict(self.allowed_moves(actor_id)):
                raise UsageError(f"{actor_id} may not play {move_id!r} in this scenario")
            self.pending_moves[actor_id] = move_id

    def fire_inject(self, inject_id: str) -> None:
        """Fire inject ``inject_id`` on the next turn."""
        with self._lock:
            if inject_id not in self.spec.injects:
                raise UsageError(f"no inject {inject_id!r} in this scenario")
            if inject_id not in self.pending_injects:
                self.pending_injects.append(inject_id)

    # ------------------------------------------------------------------ playing

    def step(self) -> TurnSummary | None:
        """Play one turn with the pending choices; None when the run is over."""
        with self._lock:
            if self.finished:
                return None
            record = self.model.play(
                human_moves=dict(self.pending_moves), injects=list(self.pending_injects)
            )
            c = self.model.compiled
            spec = self.spec
            human = set(record.human) | {c.index[a] for a in self.pending_moves}
            lines = []
            for i, aid in enumerate(c.ids):
                mid = c.move_ids[int(record.move[i])]
                source = "you" if i in human else ("inject" if record.forced[i] else "model")
                lines.append(
                    MoveLine(
                        actor_id=aid,
                        actor=spec.actors[aid].name,
                        move_id=mid,
                        move=spec.moves[mid].label,
                        rung=int(c.rungs[int(record.move[i])]),
                        source=source,
                    )
                )
            fired = tuple((k, spec.injects[k].label) for k in record.injects)
            self.last = TurnSummary(turn=int(record.turn), moves=tuple(lines), injects=fired)
            self.pending_moves = {}
            self.pending_injects = []
            return self.last

    def figures_png(self) -> dict[str, bytes]:
        """The live figures as PNG bytes, by key of :data:`FIGURES` (cached per turn)."""
        with self._lock:
            key = self.turn
            if self._figure_cache is not None and self._figure_cache[0] == key:
                return self._figure_cache[1]
            result = self.model.result()
            out: dict[str, bytes] = {}
            for name, make in (
                ("tension", tension_figure),
                ("rungs", rung_heatmap),
                ("gap", gap_matrix_figure),
            ):
                fig = make(result)
                buf = io.BytesIO()
                fig.savefig(
                    buf,
                    format="png",
                    dpi=FIGURE_DPI,
                    bbox_inches="tight",
                    metadata={"Software": None},
                )
                out[name] = buf.getvalue()
            self._figure_cache = (key, out)
            return out

    def tensions(self) -> dict[str, float]:
        """Current tension of each actor."""
        t = np.asarray(self.model.engine.state.tension, dtype=float)
        return {a: float(t[i]) for i, a in enumerate(self.model.compiled.ids)}
