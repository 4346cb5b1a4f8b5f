"""Policy ``hawk``: climb a rung at a time (Kahn's ladder), then vary among its top moves."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    Choice,
    Classifier,
    I,
    Policy,
    Situation,
)

#: How far below the most hostile reachable move a hawk at its ceiling may go (hostility, 0-1).
HAWK_BAND = 0.15


class Hawk(Policy):
    """Climb: the most hostile move at most one rung above the last (Kahn's ladder).

    While some allowed move lies on a higher rung than its last move, the hawk
    plays the most hostile allowed move at most one rung up (ties: repertoire
    order). At its ceiling (no allowed move above its last rung) it draws, with
    its choice uniform, one of the allowed moves within :data:`HAWK_BAND` of the
    most hostile one, in repertoire order, so it varies among its hostile moves
    instead of repeating one.
    """

    name = "hawk"
    classifier = Classifier(stochastic=True)
    cites = "H. Kahn, On Escalation (1965), as an abstract ladder."

    def choose(self, who: I, s: Situation) -> Choice:
        """Climb while it can; at the ceiling, draw among the most hostile moves."""
        allowed = s.allowed[..., who, :]
        last = s.rung[..., who]
        reach = s.rungs <= (last + 1)[..., None]
        ok = allowed & reach
        ok = np.where(ok.any(axis=-1)[..., None], ok, allowed)
        hostility = np.where(ok, s.intended, -np.inf)
        top = np.asarray(hostility.argmax(axis=-1), dtype=np.int64)
        ceiling = ~(allowed & (s.rungs > last[..., None])).any(axis=-1)
        band = ok & (s.intended >= hostility.max(axis=-1, keepdims=True) - HAWK_BAND)
        count = band.sum(axis=-1)
        nth = np.minimum((s.uniforms[..., who] * count).astype(np.int64), count - 1)
        drawn = np.asarray((band.cumsum(axis=-1) > nth[..., None]).argmax(axis=-1), dtype=np.int64)
        pick = np.asarray(np.where(ceiling, drawn, top), dtype=np.int64)
        return pick, s.intended[pick]
