"""Injects and live condition metrics: the part of the engine that reads conditions.

:class:`InjectsMixin` gives :class:`~sim.model.engine.Engine` its inject
handling (which injects are due, in which replicates, and applying their
effects) and :meth:`~InjectsMixin.metric`, the engine's view of the one
condition evaluator of :mod:`sim.model.conditions`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model.compiled import CHANNEL_INDEX, Compiled, CompiledInject
from sim.model.conditions import evaluate
from sim.model.indices import escalation_index, polarisation
from sim.model.metrics import inject_index
from sim.model.state import State
from sim.scenario.schema import POSTURE_INDEX, Condition

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]


class _StateReadings:
    """The engine's state as :class:`~sim.model.conditions.Readings` (leading axes: none or R)."""

    def __init__(self, engine: InjectsMixin, turn: int) -> None:
        state = engine.state
        self._engine = engine
        self.tension, self.rung = state.tension, state.rung
        self.belief, self.credibility = state.belief, state.credibility
        self.turn = np.full(engine.lead, float(turn))

    def perception_gap(self, observer: int | None) -> F:
        if self._engine._last is None:
            return np.zeros(self._engine.lead)
        seen, perceived, meant = self._engine._last
        gaps = np.abs(perceived - meant)
        axes: tuple[int, ...] = (-2, -1)
        if observer is not None:
            seen, gaps, axes = seen[..., observer, :], gaps[..., observer, :], (-1,)
        count = seen.sum(axis=axes)
        total = np.where(seen, gaps, 0.0).sum(axis=axes)
        return np.asarray(np.where(count > 0, total / np.maximum(count, 1), 0.0))

    def escalation_index(self) -> F:
        s = self._engine.state
        return escalation_index(s.tension, s.rung, self._engine.c.top_rung)

    def polarisation(self) -> F:
        s = self._engine.state
        return polarisation(s.belief, s.alignment)

    def norms(self) -> F:
        return np.asarray(self._engine.state.norms, dtype=np.float64)

    def fired(self, inject: str) -> F:
        keys = [inj.key for inj in self._engine.c.injects]
        k = inject_index(inject, keys)
        return np.asarray(self._engine.state.fired[..., k], dtype=np.float64)


class InjectsMixin:
    """Inject handling and live metrics, mixed into :class:`~sim.model.engine.Engine`."""

    c: Compiled
    state: State
    lead: tuple[int, ...]
    batched: bool
    _spent: set[str]
    _last: tuple[B, F, F] | None  # the last turn's (seen, perceived, meant toward each)

    def _refresh_structure(self) -> None:
        raise NotImplementedError

    @property
    def fired(self) -> set[str]:
        """Ids of the injects that have fired (in any replicate of a batch)."""
        done = self.state.fired.any(axis=0) if self.batched else self.state.fired
        return {inj.key for inj, f in zip(self.c.injects, done, strict=True) if f}

    # ------------------------------------------------------------ live metrics

    def metric(self, cond: Condition, turn: int) -> F:
        """Value of a condition's metric in the current state (end of the last turn).

        A number for a single run, an ``(R,)`` array for a batch. Read through
        the one evaluator of :mod:`sim.model.conditions`.
        """
        return evaluate(cond, _StateReadings(self, turn), self.c.index)

    def holds(self, cond: Condition, turn: int) -> bool:
        """Whether a condition holds now (for the given turn number; in any replicate)."""
        return bool(cond.test(self.metric(cond, turn)).any())

    # ------------------------------------------------------------ injects

    def due(self, turn: int) -> list[str]:
        """Ids of the injects that fire at the start of ``turn`` (in any replicate).

        Scheduled injects for that turn, and conditional ones whose conditions
        hold on the current state; play mode shows them before the turn is played.
        """
        return [inj.key for _, inj, _ in self._due_masks(turn, set())]

    def _due_masks(self, turn: int, extra: set[str]) -> list[tuple[int, CompiledInject, B]]:
        """Each inject that fires this turn, with the replicates it fires in (file order)."""
        masks: list[tuple[int, CompiledInject, B]] = []
        for j, inj in enumerate(self.c.injects):
            if inj.key in extra:
                masks.append((j, inj, np.ones(self.lead, dtype=bool)))
                continue
            # Cheap tests first: most injects cannot fire in most turns.
            if inj.turn is not None:
                if inj.turn != turn:
                    continue
            elif turn < inj.from_turn or (inj.until_turn is not None and turn > inj.until_turn):
                continue
            if inj.key in self._spent:
                continue
            due = self._due(j, inj, turn)
            if due.any():
                masks.append((j, inj, np.asarray(due)))
        return masks

    def _due(self, j: int, inj: CompiledInject, turn: int) -> B:
        """Replicates in which inject ``j``, in its turn or window, fires (a lead-shaped mask)."""
        due: B = self.c.inject_limits.open(self.state.inject_uses, turn)[..., j]
        if inj.turn is None:
            for cond in inj.all:
                due = due & cond.test(self.metric(cond, turn))
            if inj.any:
                either = inj.any[0].test(self.metric(inj.any[0], turn))
                for cond in inj.any[1:]:
                    either = either | cond.test(self.metric(cond, turn))
                due = due & either
        return due

    def _apply(self, inj: CompiledInject, where: B, forced: I) -> None:
        """Apply an inject's effects in the replicates marked by ``where``."""
        s, idx = self.state, self.c.index

        def put(array: F, key: tuple[Any, ...], value: F) -> F:
            out = array.copy()  # records keep the old array
            out[key] = np.where(where, value, array[key])
            return out

        structural = False
        for e in inj.effects:
            if e.move is not None:
                m = self.c.move_index[e.move.move]
                # A joint move is the partnership's: every partner plays it.
                joint = m in self.c.joint
                players = (
                    np.flatnonzero(self.c.partners[m]).tolist() if joint else [idx[e.move.actor]]
                )
                for i in players:
                    forced[..., i] = np.where(where, m, forced[..., i])
            elif e.norms is not None:
                new = np.where(where, np.clip(s.norms + e.norms, 0.0, 1.0), s.norms)
                s.norms = new if self.batched else float(new)
            elif e.tension is not None:
                i = idx[e.tension.actor]
                value = np.clip(s.tension[..., i] + e.tension.delta, 0.0, 1.0)
                s.tension = put(s.tension, (..., i), value)
            elif e.posture is not None:
                i, k = idx[e.posture.actor], POSTURE_INDEX[e.posture.field]
                value = np.clip(s.posture[..., i, k] + e.posture.delta, 0.0, 1.0)
                s.posture = put(s.posture, (..., i, k), value)
                structural = True
            elif e.alignment is not None:
                ch = e.alignment
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                old = s.alignment[..., i, j]
                new = np.full_like(old, ch.set) if ch.set is not None else old + (ch.delta or 0.0)
                value = np.clip(new, -1.0, 1.0)
                s.alignment = put(s.alignment, (..., i, j), value)
                s.alignment[..., j, i] = s.alignment[..., i, j]
                structural = True
            elif e.channel is not None:
                ch = e.channel
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                k = CHANNEL_INDEX[ch.kind or "hotline"]
                old = s.channels[..., k, i, j]
                new = np.full_like(old, ch.set) if ch.set is not None else old + (ch.delta or 0.0)
                value = np.clip(new, 0.0, 1.0)
                s.channels = put(s.channels, (..., k, i, j), value)
                s.channels[..., k, j, i] = s.channels[..., k, i, j]
                structural = True
        if structural:
            self._refresh_structure()

    def _fire_injects(self, turn: int, extra: set[str]) -> tuple[I | None, list[str], B | None]:
        """Decide every inject on the start-of-turn state, then apply them in file order.

        No inject sees another's effect in the same turn. Returns the forced
        moves (-1 where none; None if no inject moves anyone), the ids that
        fired and the mask of fired injects (None if none fired).
        """
        s, c = self.state, self.c
        masks = self._due_masks(turn, extra)
        if not masks:
            return None, [], None
        forced: I = np.full((*self.lead, c.n), -1, dtype=np.int64)
        now = np.zeros((*self.lead, len(c.injects)), dtype=bool)
        for j, inj, due in masks:
            self._apply(inj, due, forced)
            now[..., j] = due
        s.fired = s.fired | now
        s.inject_uses.record(now, turn)
        times = c.inject_limits.times
        for j, inj, _ in masks:
            if (s.inject_uses.count[..., j] >= times[j]).all():
                self._spent.add(inj.key)  # used up everywhere: never due again
        moved = bool((forced >= 0).any())
        return (forced if moved else None), [inj.key for _, inj, _ in masks], now

    # ------------------------------------------------------------ the turn
