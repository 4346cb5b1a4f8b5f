"""Policy ``tit_for_tat``: mirror last turn's worst reading, weighted by relationship (Axelrod)."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    B,
    Choice,
    Classifier,
    I,
    Policy,
    Situation,
    answered_readings,
    closest_move,
    least_hostile,
)


class TitForTat(Policy):
    """Start conciliatory, then mirror last turn's most hostile reading, weighted by relationship.

    A graded tit-for-tat (Axelrod 1984): each sender's reading is scaled by how
    much the relationship with it counts (:func:`relationship_weights`: rivals
    fully, unaligned actors and partners less), and the largest scaled reading is
    the one answered. Below the hostile threshold the answer is the most
    conciliatory move; at or above it, the move nearest in hostility to that
    reading. Under perception noise this echoes retaliation. With two actors the
    other one's reading is answered as it is.
    """

    name = "tit_for_tat"
    classifier = Classifier(memory_depth=1)
    cites = "R. Axelrod, The Evolution of Cooperation (1984)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Mirror last turn's most hostile weighted reading."""
        worst = answered_readings(s, who).max(axis=-1)
        hostile = worst >= s.hostile_threshold
        mirror = closest_move(worst, s.allowed[..., who, :], s.intended)
        calm = least_hostile(s.allowed[..., who, :], s.intended, s.cost)
        pick = np.where(hostile & self._retaliate(who, s), mirror, calm)
        return pick, s.intended[pick]

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.ones(s.tension.shape[:-1] + who.shape, dtype=bool)
