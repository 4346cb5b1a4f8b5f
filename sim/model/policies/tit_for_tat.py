"""Policy ``tit_for_tat``: mirror the most hostile reading of last turn (Axelrod 1984)."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    B,
    Choice,
    Classifier,
    I,
    Policy,
    Situation,
    closest_move,
    least_hostile,
    worst_reading,
)


class TitForTat(Policy):
    """Start conciliatory, then mirror the most hostile reading of last turn.

    A graded tit-for-tat (Axelrod 1984): readings below the hostile threshold
    are answered with the most conciliatory move; hostile readings with the
    move nearest in hostility to what was perceived. Under perception noise
    this echoes retaliation.
    """

    name = "tit_for_tat"
    classifier = Classifier(memory_depth=1)
    cites = "R. Axelrod, The Evolution of Cooperation (1984)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Mirror last turn's worst reading."""
        worst = worst_reading(s.last_perceived[..., who, :])
        hostile = worst >= s.hostile_threshold
        mirror = closest_move(worst, s.allowed[..., who, :], s.intended)
        calm = least_hostile(s.allowed[..., who, :], s.intended, s.cost)
        pick = np.where(hostile & self._retaliate(who, s), mirror, calm)
        return pick, s.intended[pick]

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.ones(s.tension.shape[:-1] + who.shape, dtype=bool)
