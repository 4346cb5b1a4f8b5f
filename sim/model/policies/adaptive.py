"""Policy ``adaptive``: perception-driven utility with logit (softmax) choice."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    Choice,
    Classifier,
    F,
    I,
    Policy,
    Situation,
)
from sim.model.posture import column

# Adaptive utility weights (documented in docs/model.md, "Decision").
FIT_WEIGHT = 4.0
REASSURANCE_WEIGHT = 0.4
ANXIETY_WEIGHT = 0.3
JUMP_WEIGHT = 1.5
HEDGE_WEIGHT = 1.0


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
    classifier = Classifier(stochastic=True)
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
            - HEDGE_WEIGHT * column(p, "hedging")[..., None] * (h - 0.5) ** 2
        )
        # The repertoire is folded into the table; what a turn withholds (limits, joint
        # moves: see Engine.allowed_now) is masked in `choose`.
        base = np.where(s.repertoire[who], base, -np.inf)
        self._features = np.vstack([2.0 * FIT_WEIGHT * s.intended, s.reassurance, s.second_strike])
        # Coefficients on the three features are linear in tension: c = c0 + T * c1.
        reassure = REASSURANCE_WEIGHT * column(p, "reassurance_propensity")
        zero = np.zeros_like(reassure)
        self._c0 = np.stack([zero, reassure, zero], axis=-1)
        self._c1 = np.stack(
            [
                1.0 + column(p, "resolve") - column(p, "restraint"),
                -reassure,
                ANXIETY_WEIGHT * column(p, "deterrent_anxiety"),
            ],
            -1,
        )
        rungs = np.arange(s.top_rung + 1)[:, None]
        jumps = np.maximum(0, s.rungs[None, :] - rungs - 1) / s.top_rung
        jump_table = JUMP_WEIGHT * column(p, "restraint")[..., None, None] * jumps
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
        if s.allowed is not s.repertoire:
            utility = np.where(s.allowed[..., who, :], utility, -np.inf)
        pick = utility.argmax(axis=-1)
        return pick, s.intended[pick]
