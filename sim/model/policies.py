"""Decision policies: how an actor picks its move each turn.

One small class per policy, each citing where it comes from, each with a
single vectorised ``choose`` over the actors that use it (after the style of
Axelrod-Python's strategies). Policies see a read-only :class:`Situation` and
return, for each of their actors, a move index and the hostility that move
carries (the move's intended hostility, except for Richardson actors, who
signal their level directly). State arrays may carry a leading replicate
axis (a batch of runs advanced together); policies index actors with
``[..., who]`` and reduce over the last axis, so the same code serves both.

Add a policy by subclassing :class:`Policy` and registering it in
:data:`POLICIES`; the scenario schema's ``PolicyKind`` lists the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

# Adaptive utility weights (documented in docs/model.md, "Decision").
FIT_WEIGHT = 4.0
REASSURANCE_WEIGHT = 0.4
ANXIETY_WEIGHT = 0.3
JUMP_WEIGHT = 1.5
HEDGE_WEIGHT = 1.0


@dataclass(slots=True)
class Situation:
    """What policies may look at when choosing (arrays over all N actors).

    State arrays (tension, rung, belief, alignment, last_perceived, misread,
    posture, uniforms, gumbel) may have a leading replicate axis ``R``; the
    scenario's tables (allowed, intended, rungs, cost, ...) never do.

    Attributes:
        turn: The turn being played (1-based).
        tension: ``(N,)`` in [0, 1].
        rung: ``(N,)`` rung of each actor's previous move.
        belief: ``(N, N)`` i's belief about j's hostility, 0-1.
        alignment: ``(N, N)`` in [-1, 1].
        last_perceived: ``(N, N)`` readings of last turn's moves (NaN where unseen).
        misread: ``(N, N)`` ``[j, i]``: how much more hostile j read i's moves of
            the last two turns than i meant (0 where not).
        posture: ``(N, 8)`` posture values (order of ``POSTURE_FIELDS``).
        allowed: ``(N, M)`` repertoire mask.
        intended: ``(M,)`` intended hostility of each move.
        rungs: ``(M,)`` rung of each move.
        cost: ``(M,)`` cost of each move.
        reassurance: ``(M,)`` 1.0 for moves tagged 'reassurance'.
        second_strike: ``(M,)`` 1.0 for moves tagged 'second_strike'.
        top_rung: Highest rung.
        temperature: Logit temperature at zero tension.
        time_pressure: Growth of randomness with tension.
        cost_weight: Weight of a move's cost.
        hostile_threshold: A reading at or above this is hostile.
        miscalculation_threshold: A misreading at least this large is a mistake.
        uniforms: ``(N,)`` uniform draws for this turn's choices.
        gumbel: ``(N, M)`` standard Gumbel draws for logit choice.
    """

    turn: int
    tension: F
    rung: I
    belief: F
    alignment: F
    last_perceived: F
    misread: F
    posture: F
    allowed: B
    intended: F
    rungs: I
    cost: F
    reassurance: F
    second_strike: F
    top_rung: int
    temperature: float
    time_pressure: float
    cost_weight: float
    hostile_threshold: float
    miscalculation_threshold: float
    uniforms: F
    gumbel: F


Choice = tuple[I, F]


def closest_move(target: F, allowed: B, intended: F) -> I:
    """Index of the allowed move whose intended hostility is nearest ``target``.

    Args:
        target: ``(..., k)`` wanted hostility per actor.
        allowed: ``(k, M)`` repertoire mask.
        intended: ``(M,)`` intended hostility per move.
    """
    distance = np.abs(intended - target[..., None])
    return np.asarray(np.where(allowed, distance, np.inf).argmin(axis=-1), dtype=np.int64)


def least_hostile(allowed: B, intended: F, cost: F) -> I:
    """Index of the most conciliatory allowed move (ties: the costlier, i.e. more credible)."""
    score = intended[None, :] - 1e-6 * cost[None, :]
    return np.asarray(np.where(allowed, score, np.inf).argmin(axis=1), dtype=np.int64)


def worst_reading(last_perceived: F) -> F:
    """Highest reading of any sender's last move, per observer (0 if none seen)."""
    filled = np.where(np.isnan(last_perceived), 0.0, last_perceived)
    return np.asarray(filled.max(axis=-1), dtype=np.float64)


class Policy:
    """Base class: a named, cited decision rule."""

    name: ClassVar[str] = ""
    cites: ClassVar[str] = ""

    def choose(self, who: I, s: Situation) -> Choice:
        """Return (move index, emitted hostility) for each actor in ``who``."""
        raise NotImplementedError


class Adaptive(Policy):
    """Perception-driven utility with logit (softmax) choice.

    Each actor wants to signal at ``h* = T (1 + resolve - restraint)``
    (clipped to [0, 1]) and scores each move by its fit to ``h*``, its cost,
    a pull toward reassurance when calm, a pull toward second-strike moves
    when anxious and tense, a penalty for jumping more than one rung, and (for
    hedgers) a pull toward the middle. Choice is logit with a temperature that
    rises with tension, so decisions get noisier under time pressure
    (McKelvey & Palfrey's quantal response; Schelling on crisis pressure).
    """

    name = "adaptive"
    cites = "Logit choice (McFadden 1974); quantal response (McKelvey & Palfrey 1995)."

    def __init__(self) -> None:
        self._posture_seen: F | None = None
        self._who_seen: I | None = None

    def _prepare(self, who: I, s: Situation) -> None:
        """Precompute the parts of the utility that only change with posture."""
        p = s.posture[..., who, :]
        h = s.intended[None, :]
        base = (
            -FIT_WEIGHT * h**2
            - s.cost_weight * s.cost[None, :]
            - HEDGE_WEIGHT * p[..., 5][..., None] * (h - 0.5) ** 2
        )
        base = np.where(s.allowed[who], base, -np.inf)
        self._features = np.vstack([2.0 * FIT_WEIGHT * s.intended, s.reassurance, s.second_strike])
        # Coefficients on the three features are linear in tension: c = c0 + T * c1.
        reassure = REASSURANCE_WEIGHT * p[..., 6]
        zero = np.zeros_like(reassure)
        self._c0 = np.stack([zero, reassure, zero], axis=-1)
        self._c1 = np.stack(
            [1.0 + p[..., 1] - p[..., 2], -reassure, ANXIETY_WEIGHT * p[..., 4]], -1
        )
        rungs = np.arange(s.top_rung + 1)[:, None]
        jumps = np.maximum(0, s.rungs[None, :] - rungs - 1) / s.top_rung
        jump_table = JUMP_WEIGHT * p[..., 2][..., None, None] * jumps
        # The tension-free part of the utility, by the rung an actor stands on.
        # Rows: (replicate * k + actor) * (top + 1) + rung, one table for all replicates.
        fixed = base[..., :, None, :] - jump_table
        self._fixed = fixed.reshape(-1, jumps.shape[1])
        self._cap = np.array([1.0, np.inf, np.inf])  # the wanted level is at most 1
        k = who.shape[0]
        replicates = np.arange(self._fixed.shape[0] // (k * (s.top_rung + 1)))
        self._rows = (replicates[:, None] * k + np.arange(k)) * (s.top_rung + 1)
        self._rows = self._rows.reshape((*p.shape[:-2], k))
        self._all = bool(k == s.posture.shape[-2] and (who == np.arange(k)).all())
        self._posture_seen, self._who_seen = s.posture, who

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick ``argmax(U + temperature * Gumbel)``: a draw from the logit (softmax) choice."""
        if s.posture is not self._posture_seen or who is not self._who_seen:
            self._prepare(who, s)
        tension = s.tension if self._all else s.tension[..., who]
        rung = s.rung if self._all else s.rung[..., who]
        gumbel = s.gumbel if self._all else s.gumbel[..., who, :]
        # -FIT (h - wanted)^2 = -FIT h^2 + 2 FIT wanted h + const; the constant drops out.
        # Columns: wanted level (clipped to 1), reassurance pull, second-strike pull.
        coef = tension[..., None] * self._c1
        coef += self._c0
        np.minimum(coef, self._cap, out=coef)
        # np.dot is matmul for one run's 2-D arrays (the same BLAS call), and cheaper to call.
        utility = np.dot(coef, self._features) if coef.ndim == 2 else coef @ self._features
        utility += self._fixed.take(self._rows + rung, axis=0)
        # Logit choice: argmax(U / temperature + Gumbel) = argmax(U + temperature * Gumbel).
        temperature = tension * (s.temperature * s.time_pressure)
        temperature += s.temperature
        utility += temperature[..., None] * gumbel
        pick = utility.argmax(axis=-1)
        return pick, s.intended[pick]


class Richardson(Policy):
    """Signal one's level directly (Richardson 1960).

    The emitted hostility is the actor's tension itself (Richardson's
    continuous "armament" variable, here a level of signalling); the move
    recorded is the allowed move nearest that level.
    """

    name = "richardson"
    cites = "L. F. Richardson, Arms and Insecurity (1960)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Emit the tension level; label it with the nearest move."""
        level = s.tension[..., who]
        return closest_move(level, s.allowed[who], s.intended), level.copy()


class TitForTat(Policy):
    """Start conciliatory, then mirror the most hostile reading of last turn.

    A graded tit-for-tat (Axelrod 1984): readings below the hostile threshold
    are answered with the most conciliatory move; hostile readings with the
    move nearest in hostility to what was perceived. Under perception noise
    this echoes retaliation.
    """

    name = "tit_for_tat"
    cites = "R. Axelrod, The Evolution of Cooperation (1984)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Mirror last turn's worst reading."""
        worst = worst_reading(s.last_perceived[..., who, :])
        hostile = worst >= s.hostile_threshold
        mirror = closest_move(worst, s.allowed[who], s.intended)
        calm = least_hostile(s.allowed[who], s.intended, s.cost)
        pick = np.where(hostile & self._retaliate(who, s), mirror, calm)
        return pick, s.intended[pick]

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.ones(s.tension.shape[:-1] + who.shape, dtype=bool)


class GenerousTitForTat(TitForTat):
    """Tit-for-tat that forgives a hostile reading with probability ``generosity``.

    Generosity breaks the echo of retaliation that noise starts (Nowak &
    Sigmund 1992; Wu & Axelrod 1995).
    """

    name = "generous_tit_for_tat"
    cites = "Nowak & Sigmund (1992); Wu & Axelrod, J. Conflict Resolution (1995)."

    def __init__(self, generosity: F) -> None:
        self.generosity = generosity

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.asarray(s.uniforms[..., who] >= self.generosity[who], dtype=bool)


class ContriteTitForTat(TitForTat):
    """Tit-for-tat that does not retaliate when its own move was misread.

    If the actor that now looks hostile had read one of our last two moves as
    clearly more hostile than we meant, we answer with the most conciliatory
    move instead of mirroring (contrition; Boyd 1989, Wu & Axelrod 1995).
    """

    name = "contrite_tit_for_tat"
    cites = "Boyd (1989); Wu & Axelrod, J. Conflict Resolution (1995)."

    def _retaliate(self, who: I, s: Situation) -> B:
        last = s.last_perceived[..., who, :]
        provoker = np.where(np.isnan(last), 0.0, last).argmax(axis=-1)
        # misread[..., provoker, actor]: how far the provoker misread the actor's moves.
        misread = np.take_along_axis(s.misread[..., who], provoker[..., None, :], axis=-2)[
            ..., 0, :
        ]
        our_fault = misread >= s.miscalculation_threshold
        return np.asarray(~our_fault, dtype=bool)


class Hawk(Policy):
    """Climb: the most hostile move at most one rung above the last (Kahn's ladder)."""

    name = "hawk"
    cites = "H. Kahn, On Escalation (1965), as an abstract ladder."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the most hostile move within one rung of the last."""
        reach = s.rungs <= (s.rung[..., who] + 1)[..., None]
        ok = s.allowed[who] & reach
        ok = np.where(ok.any(axis=-1)[..., None], ok, s.allowed[who])
        pick = np.asarray(np.where(ok, s.intended, -np.inf).argmax(axis=-1), dtype=np.int64)
        return pick, s.intended[pick]


class Dove(Policy):
    """Always the most conciliatory move available."""

    name = "dove"
    cites = "Baseline (the unconditional cooperator of Axelrod's tournaments)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the least hostile move."""
        pick = least_hostile(s.allowed[who], s.intended, s.cost)
        pick = np.broadcast_to(pick, s.tension.shape[:-1] + pick.shape)
        return pick, s.intended[pick]


class Hedger(Policy):
    """Answer half of the worst threat believed, never above the ladder's middle."""

    name = "hedger"
    cites = "Hedging in alignment theory (e.g. Kuik 2008)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the move nearest half the largest belief, capped at the middle rung."""
        target = 0.5 * s.belief[..., who, :].max(axis=-1)
        ok = s.allowed[who] & (s.rungs <= s.top_rung // 2)[None, :]
        ok = np.where(ok.any(axis=1)[:, None], ok, s.allowed[who])
        pick = closest_move(target, ok, s.intended)
        return pick, s.intended[pick]


class Scripted(Policy):
    """Moves fixed in the scenario by turn; a default move otherwise."""

    name = "scripted"
    cites = "Scripted play, as in a tabletop exercise's control team."

    def __init__(self, scripts: dict[int, dict[int, int]], defaults: dict[int, int]) -> None:
        self.scripts = scripts
        self.defaults = defaults

    def choose(self, who: I, s: Situation) -> Choice:
        """Look up each actor's move for this turn."""
        pick = np.array(
            [self.scripts[int(a)].get(s.turn, self.defaults[int(a)]) for a in who],
            dtype=np.int64,
        )
        pick = np.broadcast_to(pick, s.tension.shape[:-1] + pick.shape)
        return pick, s.intended[pick]


POLICIES: dict[str, type[Policy]] = {
    cls.name: cls
    for cls in (
        Adaptive,
        Richardson,
        TitForTat,
        GenerousTitForTat,
        ContriteTitForTat,
        Hawk,
        Dove,
        Hedger,
        Scripted,
    )
}
"""Policy classes by the name used in scenario files."""
