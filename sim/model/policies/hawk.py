"""Policy ``hawk``: climb a rung at a time (Kahn's ladder)."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    Choice,
    I,
    Policy,
    Situation,
)


class Hawk(Policy):
    """Climb: the most hostile move at most one rung above the last (Kahn's ladder)."""

    name = "hawk"
    cites = "H. Kahn, On Escalation (1965), as an abstract ladder."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the most hostile move within one rung of the last."""
        reach = s.rungs <= (s.rung[..., who] + 1)[..., None]
        ok = s.allowed[..., who, :] & reach
        ok = np.where(ok.any(axis=-1)[..., None], ok, s.allowed[..., who, :])
        pick = np.asarray(np.where(ok, s.intended, -np.inf).argmax(axis=-1), dtype=np.int64)
        return pick, s.intended[pick]
