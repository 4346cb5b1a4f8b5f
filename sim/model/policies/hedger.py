"""Policy ``hedger``: answer half the worst threat believed, below the ladder's middle."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    Choice,
    I,
    Policy,
    Situation,
    closest_move,
)


class Hedger(Policy):
    """Answer half of the worst threat believed, never above the ladder's middle."""

    name = "hedger"
    cites = "Hedging in alignment theory (e.g. Kuik 2008)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the move nearest half the largest belief, capped at the middle rung."""
        target = 0.5 * s.belief[..., who, :].max(axis=-1)
        ok = s.allowed[..., who, :] & (s.rungs <= s.top_rung // 2)[None, :]
        ok = np.where(ok.any(axis=-1)[..., None], ok, s.allowed[..., who, :])
        pick = closest_move(target, ok, s.intended)
        return pick, s.intended[pick]
