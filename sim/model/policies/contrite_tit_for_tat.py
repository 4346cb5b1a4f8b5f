"""Policy ``contrite_tit_for_tat``: do not retaliate when one's own move was misread."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    B,
    Classifier,
    I,
    Situation,
    answered_readings,
)
from sim.model.policies.tit_for_tat import TitForTat


class ContriteTitForTat(TitForTat):
    """Tit-for-tat that does not retaliate when its own move was misread.

    If the actor whose weighted reading is answered (the provoker, as in
    :class:`TitForTat`) had read one of our last two moves as clearly more
    hostile than we meant, we answer with the most conciliatory move instead of
    mirroring (contrition; Boyd 1989, Wu & Axelrod 1995).
    """

    name = "contrite_tit_for_tat"
    classifier = Classifier(memory_depth=2)
    cites = "Boyd (1989); Wu & Axelrod, J. Conflict Resolution (1995)."

    def _retaliate(self, who: I, s: Situation) -> B:
        provoker = answered_readings(s, who).argmax(axis=-1)
        # misread[..., provoker, actor]: how far the provoker misread the actor's moves.
        misread = np.take_along_axis(s.misread[..., who], provoker[..., None, :], axis=-2)[
            ..., 0, :
        ]
        our_fault = misread >= s.miscalculation_threshold
        return np.asarray(~our_fault, dtype=bool)
