"""Policy ``richardson``: signal one's level directly (Richardson 1960)."""

from __future__ import annotations

from sim.model.policies.base import (
    Choice,
    Classifier,
    I,
    Policy,
    Situation,
    closest_move,
)


class Richardson(Policy):
    """Signal one's level directly (Richardson 1960).

    The emitted hostility is the actor's tension itself (Richardson's
    continuous "armament" variable, here a level of signalling); the move
    recorded is the allowed move nearest that level.
    """

    name = "richardson"
    classifier = Classifier(continuous=True)
    cites = "L. F. Richardson, Arms and Insecurity (1960)."

    def choose(self, who: I, s: Situation) -> Choice:
        """Emit the tension level; label it with the nearest move."""
        level = s.tension[..., who]
        return closest_move(level, s.allowed[..., who, :], s.intended), level.copy()
