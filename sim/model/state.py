"""What a run holds between turns (:class:`State`) and what each turn did (:class:`TurnRecord`).

Also the starting values every run shares: beliefs, framing credibility and rung.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

if TYPE_CHECKING:
    from sim.model.lean import ReadingSummary
    from sim.model.limits import Uses


@dataclass(slots=True)
class TurnRecord:
    """What one turn did (arrays are never mutated after the turn).

    Shapes are for a single run; in a batch every array gains a leading
    replicate axis ``R`` and ``norms`` is an ``(R,)`` array.

    Attributes:
        turn: 1-based turn number.
        move: ``(N,)`` index of each actor's move.
        hostility: ``(N,)`` hostility each move carried as meant (0-1).
        forced: ``(N,)`` True where an inject or a person chose the move.
        seen: ``(N, N)`` observer i saw sender j's move.
        perceived: ``(N, N)`` reading of j's move by i (only meaningful where seen).
        tension: ``(N,)`` tension after the turn.
        belief: ``(N, N)`` beliefs after the turn.
        credibility: ``(N, N)`` framing credibility after the turn.
        alignment: ``(N, N)`` alignment during the turn.
        norms: Regime strength after the turn.
        injects: Ids of injects that fired at the start of the turn (in any replicate).
        human: Actor indices whose move a person chose.
        fired: ``(J,)`` which of the scenario's injects fired this turn.
        summary: In a run that summarises its readings (:mod:`sim.model.lean`), what
            the turn's readings come to; ``seen``, ``perceived``, ``belief`` and
            ``credibility`` are then None on every turn but the last.
    """

    turn: int
    move: I
    hostility: F
    forced: B
    seen: B
    perceived: F
    tension: F
    belief: F
    credibility: F
    alignment: F
    norms: float | F
    injects: list[str]
    human: tuple[int, ...] = ()
    fired: B | None = None
    summary: ReadingSummary | None = None


@dataclass(slots=True)
class State:
    """The mutable state of a run (or a batch) between turns.

    ``norms`` is a float for a single run and an ``(R,)`` array in a batch;
    ``fired`` marks the injects that have fired, ``(J,)`` or ``(R, J)``;
    ``inject_uses`` counts their firings and ``move_uses`` each actor's plays of
    the moves with a limit, ``(N, L)`` or ``(R, N, L)`` (:mod:`sim.model.limits`).
    """

    turn: int
    tension: F
    rung: I
    belief: F
    credibility: F
    norms: float | F
    posture: F
    alignment: F
    channels: F
    last_move: I
    last_hostility: F
    last_perceived: F
    last_gap: F
    misread: F
    fired: B
    inject_uses: Uses
    move_uses: Uses


def initial_beliefs(alignment: F) -> F:
    """Starting belief about each other actor's hostility: ``0.3 - 0.2 * alignment``."""
    b = 0.3 - 0.2 * alignment
    np.fill_diagonal(b, 0.0)
    return b


def initial_credibility(alignment: F, transparency: F) -> F:
    """Starting credibility of each sender's framing, in [0, 1].

    ``0.5 + 0.25 * alignment_ij + 0.3 * (transparency_j - 0.5)``.
    """
    c = np.clip(0.5 + 0.25 * alignment + 0.3 * (transparency[None, :] - 0.5), 0.0, 1.0)
    np.fill_diagonal(c, 1.0)
    return c


def start_rung(top_rung: int) -> int:
    """Rung every actor is taken to stand on before turn 1 (1, 'routine', when it exists)."""
    return min(1, top_rung)
