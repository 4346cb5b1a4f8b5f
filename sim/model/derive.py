"""Metrics derived from a run's records, vectorised over all turns.

The turn loop records only what the dynamics produce; everything that
describes a run is computed here in one pass over arrays shaped
``(T, N)`` or ``(T, N, N)``. Records of a batch of replicates (see
:class:`~sim.model.engine.Engine`) give arrays shaped ``(T, R, N)`` and
``(T, R, N, N)``: every step works on the last axes, so one pass serves both.

* perception gap: perceived minus intended hostility, per observer and sender;
* escalation index: mean over actors of ``0.5 * tension + 0.5 * rung / top``;
* polarisation: mean belief about rivals minus mean belief about partners;
* action-counteraction links: an actor that climbs the ladder at turn t after
  reading a hostile move (at or above ``hostile_threshold``) at turn t-1 is
  answering the most hostile move it read; the link is a *miscalculation*
  when that reading exceeded the sender's intended hostility by at least
  ``miscalculation_threshold``; a chain is a run of links in which each
  response is itself answered.
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
    gap: F  # NaN where unseen
    tension: F
    belief: F
    credibility: F
    norms: F
    mean_abs_gap: F
    escalation_index: F
    polarisation: F
    answered: B  # (T, N) responder answered a move this turn
    cause: I  # (T, N) sender of the move it answered
    cause_reading: F  # (T, N) how hostile that move was read
    cause_intended: F  # (T, N) how hostile it was meant
    miscalculation: B  # (T, N)
    chain_depth: I  # (T, N) links in the chain ending here (0: none)


def answers(before: I, after: I, reading: F, d: Dynamics | Coefficients) -> B:
    """Whether each actor answers what it read: it climbs the ladder after a hostile reading.

    Args:
        before: Rung of each actor's move at turn t - 1.
        after: Rung of its move at turn t.
        reading: The most hostile reading it made at turn t - 1 (-1 if none).
        d: The scenario's dynamics (``hostile_threshold``), or a batch's
            :class:`~sim.model.coefficients.Coefficients` (``(R, 1)`` per replicate).
    """
    return (after > before) & (reading >= d.hostile_threshold)


def miscalculates(answered: B, reading: F, intended: F, d: Dynamics | Coefficients) -> B:
    """Whether an answer is a miscalculation: the reading exceeded the intent by the threshold."""
    return answered & (reading - intended >= d.miscalculation_threshold)


def deepen(depth: I, cause: I, answered: B) -> I:
    """Chain depth after a turn: one more than the answered sender's depth, else 0.

    Args:
        depth: ``(..., N)`` each actor's chain depth at turn t - 1.
        cause: ``(..., N)`` the sender each actor answered (index along the last axis).
        answered: ``(..., N)`` whether it answered.
    """
    return np.where(answered, np.take_along_axis(depth, cause, axis=-1) + 1, 0)


def chain_links(rung: I, worst: tuple[I, F, F], d: Dynamics) -> tuple[I, F, F, B, B, I]:
    """Action-counteraction links and chains from rungs and each turn's worst readings.

    Args:
        rung: ``(T, ..., N)`` rung of each actor's move per turn.
        worst: The per-turn ``(sender, reading, intended)`` of :func:`reading_features`,
            each ``(T, ..., N)``.
        d: The scenario's dynamics (thresholds).

    Returns:
        ``(cause, cause_reading, cause_intended, answered, miscalculation, chain_depth)``,
        each ``(T, ..., N)``: at turn t, what each actor answered from turn t - 1
        (turn 1 answers nothing: no readings precede it). Turn by turn, this is
        :func:`answers`, :func:`miscalculates` and :func:`deepen`.
    """
    sender, reading, intended = worst
    turns = rung.shape[0]
    cause = np.zeros(rung.shape, dtype=np.int64)
    cause_reading = np.zeros(rung.shape)
    cause_intended = np.zeros(rung.shape)
    answered = np.zeros(rung.shape, dtype=bool)
    if turns > 1:
        cause[1:], cause_reading[1:], cause_intended[1:] = sender[:-1], reading[:-1], intended[:-1]
        answered[1:] = answers(rung[:-1], rung[1:], cause_reading[1:], d)
    miscalculation = miscalculates(answered, cause_reading, cause_intended, d)
    depth = np.zeros(rung.shape, dtype=np.int64)
    for t in range(1, turns):
        depth[t] = deepen(depth[t - 1], cause[t], answered[t])
    return cause, cause_reading, cause_intended, answered, miscalculation, depth


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
    gap = perceived - hostility[..., None, :]
    mean_abs_gap, worst = reading_features(seen, raw, hostility)
    index = escalation_index(tension[1:], rung, c.top_rung)
    polar = polarisation(belief[1:], alignment)
    links = chain_links(rung, worst, d)
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
