"""One browser tab's game: play mode's game object, plus what only the page has.

The game is :class:`sim.play.core.PlaySession`, the same object ``sim play``
plays in the terminal, opened with ``free_choice`` (a person may choose the
move of any state for one turn; the others follow their policies). Its turn
summary is play mode's one :class:`~sim.play.shapes.TurnSummary`, its seed
rule :func:`~sim.play.core.play_seed`, and its live figures the catalogue's
dashboard figures (:mod:`sim.play.figures`). What this module adds is only
what the page needs around the game: a choice of scenarios by name, posture
sliders, one per field of the schema's :class:`~sim.scenario.schema.Posture`
(applied as ``--set`` overrides when the game is reset), and a lock.

Plain Python with no web dependency, so it can be tested (and scripted) on its
own; :mod:`sim.dashboard.app` draws it. Every method is safe to call from the
auto-play thread and a button at once (one lock guards the game).

Only the scenario files the session was given can be played: the browser picks
a *name* from :attr:`Session.choices`, never a path.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.errors import UsageError
from sim.play.core import PlaySession
from sim.play.figures import live_pngs
from sim.play.shapes import InjectInfo, PlayError, TurnSummary
from sim.scenario.schema import POSTURE_FIELDS, Scenario

__all__ = ["POSTURE_FIELDS", "Session"]

# POSTURE_FIELDS (imported above) is the schema's one list of posture fields:
# every field of :class:`~sim.scenario.schema.Posture` gets a slider, so a field
# added to the schema appears in the dashboard with nothing else to edit.


class Session:
    """A scenario being played turn by turn in one browser tab.

    Args:
        choices: Scenario files that may be played, by display name.
        scenario: Name (a key of ``choices``) to start with.
        seed: Root seed (None: chosen by :func:`~sim.play.core.play_seed`,
            then kept when another scenario is selected).

    Attributes:
        choices: As given.
        scenario_name: Name of the scenario being played.
        seed: Root seed of the current game.
        base: The scenario as in its file (no posture changes), for the
            sliders' starting values.
        overrides: Posture values set with the sliders, ``(actor, field) ->
            value``; they take effect on :meth:`reset`.
        applied: The overrides the current game was built with.
        game: The game being played.
        last: What the last turn did (None before turn 1).
    """

    def __init__(self, choices: Mapping[str, Path], scenario: str, seed: int | None = None) -> None:
        if not choices:
            raise UsageError("no scenario files to play")
        self.choices: dict[str, Path] = dict(choices)
        self._lock = threading.RLock()
        self.scenario_name = ""
        self._seed = seed
        self.overrides: dict[tuple[str, str], float] = {}
        self.applied: dict[tuple[str, str], float] = {}
        self.last: TurnSummary | None = None
        self._figure_cache: tuple[int, dict[str, bytes]] | None = None
        self.select(scenario)

    # ------------------------------------------------------------------ set-up

    def select(self, name: str) -> None:
        """Switch to another scenario (dropping posture changes) and start it at turn 0."""
        if name not in self.choices:
            raise UsageError(f"{name!r} is not one of the scenarios this dashboard offers")
        with self._lock:
            game = PlaySession(self.choices[name], [], seed=self._seed, free_choice=True)
            self.scenario_name = name
            self.base: Scenario = game.spec
            self.overrides = {}
            self._start(game, {})

    def reset(self, seed: int | None = None) -> None:
        """Start the game again from turn 0, with the posture changes and ``seed`` (if given)."""
        with self._lock:
            applied = dict(self.overrides)
            texts = [f"actors.{a}.posture.{f}={v!r}" for (a, f), v in sorted(applied.items())]
            game = PlaySession(
                self.choices[self.scenario_name],
                [],
                seed=self.seed if seed is None else seed,
                overrides=texts,
                free_choice=True,
            )
            self._start(game, applied)

    def _start(self, game: PlaySession, applied: dict[tuple[str, str], float]) -> None:
        self.game = game
        self._seed = game.seed
        self.applied = applied
        self.last = None
        self._figure_cache = None

    # ------------------------------------------------------------------ reading

    @property
    def seed(self) -> int:
        """Root seed of the current game."""
        return self.game.seed

    @property
    def model(self) -> Any:
        """The model being played (:class:`~sim.model.mesa_model.EscalationModel`)."""
        return self.game.model

    @property
    def spec(self) -> Scenario:
        """The scenario of the current game (posture changes included)."""
        return self.game.spec

    @property
    def turn(self) -> int:
        """Turns played so far."""
        return self.game.played

    @property
    def turns(self) -> int:
        """Turns the game lasts."""
        return self.game.turns

    @property
    def finished(self) -> bool:
        """True once the last turn has been played."""
        return self.game.finished

    @property
    def title(self) -> str:
        """The scenario's title."""
        return str(self.spec.metadata.title)

    @property
    def pending_moves(self) -> dict[str, str]:
        """Actor id -> move id chosen by a person for the next turn."""
        return dict(self.game.pending().moves)

    @property
    def pending_injects(self) -> list[str]:
        """Inject ids to fire on the next turn."""
        return list(self.game.pending().injects)

    def actors(self) -> list[tuple[str, str]]:
        """(id, display name) of every actor, in scenario order."""
        return [(a, self.game.name(a)) for a in self.game.actors()]

    def allowed_moves(self, actor_id: str) -> list[tuple[str, str]]:
        """(id, label) of the moves ``actor_id`` may choose, least escalatory first."""
        return [(ch["move"], ch["label"]) for ch in self.game.choices(actor_id)]

    def injects(self) -> list[tuple[str, str]]:
        """(id, label) of the scenario's injects."""
        return [(inj["inject"], inj["label"]) for inj in self.game.injects()]

    def inject_menu(self) -> list[InjectInfo]:
        """Every inject as the play core lists it, with ``can_fire`` and ``why_not``.

        ``why_not`` is the sentence saying why an inject may not be fired now (it
        fired before and does not repeat, its ``limit`` forbids it, it is set or
        due this turn, the game is over); None when it may.
        """
        with self._lock:
            return self.game.injects()

    def why_not_fire(self, inject_id: str) -> str | None:
        """Why ``inject_id`` may not be fired now (see :meth:`inject_menu`); None: it may."""
        for inj in self.inject_menu():
            if inj["inject"] == inject_id:
                return inj["why_not"]
        return f"no inject called '{inject_id}'"

    def posture(self, actor_id: str) -> dict[str, float]:
        """The slider values for ``actor_id``: a change if one was made, else the file's."""
        spec = self.base.actors[actor_id].posture
        return {
            f: self.overrides.get((actor_id, f), float(getattr(spec, f).value))
            for f in POSTURE_FIELDS
        }

    @property
    def changes_pending(self) -> bool:
        """True when the sliders differ from what the current game was built with."""
        return self.overrides != self.applied

    def tensions(self) -> dict[str, float]:
        """Current tension of each actor."""
        return self.game.tensions()

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
                self.game.unchoose(actor_id)
            else:
                self.game.choose(actor_id, move_id)

    def fire_inject(self, inject_id: str) -> str | None:
        """Fire inject ``inject_id`` on the next turn (once, however often it is asked).

        Returns:
            None when it is set to fire (or already was); else the play core's
            sentence saying why it may not fire (:class:`~sim.play.shapes.PlayError`),
            for the page to show: an inject that may not fire again never fails the page.
        """
        with self._lock:
            if inject_id in self.game.pending().injects:
                return None
            try:
                self.game.fire(inject_id)
            except PlayError as exc:
                return str(exc)
            return None

    # ------------------------------------------------------------------ playing

    def step(self) -> TurnSummary | None:
        """Play one turn with the pending choices; None when the game is over."""
        with self._lock:
            if self.finished:
                return None
            self.last = self.game.summary(self.game.resolve())
            return self.last

    def figures_png(self) -> dict[str, bytes]:
        """The live figures as PNG bytes, by name (cached per turn)."""
        with self._lock:
            key = self.turn
            if self._figure_cache is not None and self._figure_cache[0] == key:
                return self._figure_cache[1]
            pngs = live_pngs(self.game.result())
            self._figure_cache = (key, pngs)
            return pngs
