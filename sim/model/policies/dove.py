"""Policy ``dove``: always the most conciliatory move."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    Choice,
    I,
    Policy,
    Situation,
    least_hostile,
)


class Dove(Policy):
    """Always the most conciliatory move available."""

    name = "dove"
    cites = "Baseline (the unconditional cooperator of Axelrod's tournaments)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Pick the least hostile move."""
        pick = least_hostile(s.allowed[..., who, :], s.intended, s.cost)
        pick = np.broadcast_to(pick, s.tension.shape[:-1] + pick.shape)
        return pick, s.intended[pick]
