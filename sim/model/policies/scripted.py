"""Policy ``scripted``: moves fixed in the scenario by turn."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    BuildContext,
    Choice,
    I,
    Policy,
    Situation,
    least_hostile,
)


class Scripted(Policy):
    """Moves fixed in the scenario by turn; a default move otherwise."""

    name = "scripted"
    cites = "Scripted play, as in a tabletop exercise's control team."

    def __init__(self, scripts: dict[int, dict[int, int]], defaults: dict[int, int]) -> None:
        self.scripts = scripts
        self.defaults = defaults

    @classmethod
    def build(cls, who: I, context: BuildContext) -> Scripted:
        """Each actor's script as move indices; its default move (or its least hostile one)."""
        scripts: dict[int, dict[int, int]] = {}
        defaults: dict[int, int] = {}
        for i in who:
            spec = context.spec(int(i))
            scripts[int(i)] = {t: context.move_index[m] for t, m in (spec.script or {}).items()}
            if spec.default_move is not None:
                defaults[int(i)] = context.move_index[spec.default_move]
            else:
                allowed = context.allowed[[i]]
                defaults[int(i)] = int(least_hostile(allowed, context.intended, context.cost)[0])
        return cls(scripts, defaults)

    def choose(self, who: I, s: Situation) -> Choice:
        """Look up each actor's move for this turn."""
        pick = np.array(
            [self.scripts[int(a)].get(s.turn, self.defaults[int(a)]) for a in who],
            dtype=np.int64,
        )
        pick = np.broadcast_to(pick, s.tension.shape[:-1] + pick.shape)
        return pick, s.intended[pick]
