"""Metrics derived from a run's records, vectorised over all turns.

The turn loop records only what the dynamics produce; everything that
describes a run is computed here in one pass over arrays shaped
``(T, N)`` or ``(T, N, N)``. Records of a batch of replicates (see
:class:`~sim.model.engine.Engine`) give arrays shaped ``(T, R, N)`` and
``(T, R, N, N)``: every step works on the last axes, so one pass serves both.

* perception gap: the reading minus the hostility the sender meant toward
  that observer, ``P_ij - meant_ij`` with ``meant_ij = (1 - max(0, A_ij)) * h_j``
  (:func:`sim.model.perception.meant`; for rivals and the unaligned, ``h_j``);
* escalation index: mean over actors of ``0.5 * tension + 0.5 * rung / top``;
* polarisation: mean belief about rivals minus mean belief about partners;
* counter-actions: at turn t >= 2, actor i counter-acts the sender ``c`` of the
  most hostile move it read at t-1 (reading ``P``, meant toward i ``mu``) when
  its own move is more hostile than its previous one and itself hostile
  (``h_i(t) > h_i(t-1)`` and ``h_i(t) >= hostile_threshold``), and that reading
  was hostile and more hostile than meant (``P >= hostile_threshold`` and
  ``P > mu``); the counter-action is a *miscalculation* when
  ``P - mu >= miscalculation_threshold``; a chain is a run of counter-actions
  in which each one is itself counter-acted (docs/model.md 7.12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.model.coefficients import Coefficients
from sim.model.compiled import Compiled
from sim.model.engine import TurnRecord
from sim.model.indices import escalation_index, polarisation
from sim.model.indices import reading_features as reading_features  # re-exported
from sim.model.perception import meant
from sim.scenario.schema import Dynamics

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]


@dataclass(slots=True)
class Derived:
    """A run's records stacked into arrays, with the derived metrics.

    Shapes: T turns played, N actors. ``tension``, ``belief`` and
    ``credibility`` have T + 1 rows (row 0 is the start); the rest have T.
    For a batch every array has a replicate axis after the turn axis.
    """

    move: I
    rung: I
    hostility: F
    forced: B
    seen: B
    perceived: F  # NaN where unseen
    gap: F  # P_ij - meant_ij; NaN where unseen
    tension: F
    belief: F
    credibility: F
    norms: F
    mean_abs_gap: F
    escalation_index: F
    polarisation: F
    answered: B  # (T, N) the actor counter-acted a move this turn (a counter-action)
    cause: I  # (T, N) sender of the most hostile move it read the turn before
    cause_reading: F  # (T, N) how hostile it read that move (-1: it saw none)
    cause_intended: F  # (T, N) how hostile that move was meant toward it (meant_ic)
    miscalculation: B  # (T, N) a counter-action to a reading far above the meaning
    chain_depth: I  # (T, N) counter-actions in the chain ending here (0: none)


def counteracts(before: F, after: F, reading: F, meant: F, d: Dynamics | Coefficients) -> B:
    """Whether each actor counter-acts the most hostile move it read (docs/model.md 7.12).

    ``h_i(t) > h_i(t-1)`` and ``h_i(t) >= hostile_threshold`` (an answer more
    hostile than its previous move, and itself hostile: a step up from a
    reassurance statement is not one), after a reading ``P >= hostile_threshold``
    with ``P > meant`` (the move was read as more hostile than it was meant
    toward the actor). Forced and human moves count like chosen ones.

    Args:
        before: Hostility each actor emitted at turn t - 1, ``h_i(t-1)``.
        after: Hostility it emitted at turn t, ``h_i(t)``.
        reading: The most hostile reading it made at turn t - 1 (-1 if none), ``P``.
        meant: What the sender of that move meant toward it, ``meant_ic(t-1)``.
        d: The scenario's dynamics (``hostile_threshold``), or a batch's
            :class:`~sim.model.coefficients.Coefficients` (``(R, 1)`` per replicate).
    """
    threshold = d.hostile_threshold
    return (after > before) & (after >= threshold) & (reading >= threshold) & (reading > meant)


def miscalculates(countered: B, reading: F, meant: F, d: Dynamics | Coefficients) -> B:
    """Whether a counter-action is a miscalculation: ``P - meant >= miscalculation_threshold``."""
    return countered & (reading - meant >= d.miscalculation_threshold)


def deepen(depth: I, cause: I, countered: B) -> I:
    """Chain depth after a turn: one more than the counter-acted sender's depth, else 0.

    Args:
        depth: ``(..., N)`` each actor's chain depth at turn t - 1.
        cause: ``(..., N)`` the sender each actor counter-acted (index along the last axis).
        countered: ``(..., N)`` whether it counter-acted.
    """
    return np.where(countered, np.take_along_axis(depth, cause, axis=-1) + 1, 0)


def chain_links(hostility: F, worst: tuple[I, F, F], d: Dynamics) -> tuple[I, F, F, B, B, I]:
    """Counter-actions, miscalculations and chains from hostilities and each turn's worst readings.

    Args:
        hostility: ``(T, ..., N)`` hostility each actor emitted per turn.
        worst: The per-turn ``(sender, reading, meant)`` of :func:`reading_features`,
            each ``(T, ..., N)``.
        d: The scenario's dynamics (thresholds).

    Returns:
        ``(cause, cause_reading, cause_meant, countered, miscalculation, chain_depth)``,
        each ``(T, ..., N)``: at turn t, the most hostile move each actor read at
        turn t - 1 and whether it counter-acted it (turn 1 counter-acts nothing:
        no readings precede it). Turn by turn, this is :func:`counteracts`,
        :func:`miscalculates` and :func:`deepen`.
    """
    sender, reading, meant = worst
    turns = hostility.shape[0]
    cause = np.zeros(hostility.shape, dtype=np.int64)
    cause_reading = np.zeros(hostility.shape)
    cause_meant = np.zeros(hostility.shape)
    countered = np.zeros(hostility.shape, dtype=bool)
    if turns > 1:
        cause[1:], cause_reading[1:], cause_meant[1:] = sender[:-1], reading[:-1], meant[:-1]
        countered[1:] = counteracts(
            hostility[:-1], hostility[1:], cause_reading[1:], cause_meant[1:], d
        )
    miscalculation = miscalculates(countered, cause_reading, cause_meant, d)
    depth = np.zeros(hostility.shape, dtype=np.int64)
    for t in range(1, turns):
        depth[t] = deepen(depth[t - 1], cause[t], countered[t])
    return cause, cause_reading, cause_meant, countered, miscalculation, depth


def derive(compiled: Compiled, records: list[TurnRecord], initial: tuple[F, F, F]) -> Derived:
    """Stack ``records`` and compute every derived metric.

    Args:
        compiled: The scenario as arrays.
        records: The turns played.
        initial: Starting (tension, belief, credibility).
    """
    c = compiled
    n = c.n
    d = c.scenario.dynamics
    t0, b0, c0 = initial
    if records:
        move = np.array([r.move for r in records], dtype=np.int64)
        hostility = np.array([r.hostility for r in records])
        forced = np.array([r.forced for r in records], dtype=bool)
        seen = np.array([r.seen for r in records], dtype=bool)
        raw = np.array([r.perceived for r in records])
        lead = (1, *move.shape[1:-1])  # (1,) for one run, (1, R) for a batch

        def start(x: F, rows: list[F]) -> F:
            return np.concatenate([np.broadcast_to(x, lead + x.shape), np.array(rows)])

        tension = start(t0, [r.tension for r in records])
        belief = start(b0, [r.belief for r in records])
        credibility = start(c0, [r.credibility for r in records])
        alignment = np.array([r.alignment for r in records])
        norms = np.array([r.norms for r in records])
    else:
        move = np.zeros((0, n), dtype=np.int64)
        hostility = np.zeros((0, n))
        forced = np.zeros((0, n), dtype=bool)
        seen = np.zeros((0, n, n), dtype=bool)
        raw = np.zeros((0, n, n))
        tension, belief, credibility = t0[None], b0[None], c0[None]
        alignment = np.zeros((0, n, n))
        norms = np.zeros(0)
    rung = c.rungs[move]
    perceived = np.where(seen, raw, np.nan)
    gap = perceived - meant(hostility, alignment)
    mean_abs_gap, worst = reading_features(seen, raw, hostility, alignment)
    index = escalation_index(tension[1:], rung, c.top_rung)
    polar = polarisation(belief[1:], alignment)
    links = chain_links(hostility, worst, d)
    cause, cause_reading, cause_intended, answered, miscalculation, depth = links
    return Derived(
        move=move,
        rung=rung,
        hostility=hostility,
        forced=forced,
        seen=seen,
        perceived=perceived,
        gap=gap,
        tension=tension,
        belief=belief,
        credibility=credibility,
        norms=norms,
        mean_abs_gap=mean_abs_gap,
        escalation_index=index,
        polarisation=polar,
        answered=answered,
        cause=cause,
        cause_reading=cause_reading,
        cause_intended=cause_intended,
        miscalculation=miscalculation,
        chain_depth=depth,
    )
