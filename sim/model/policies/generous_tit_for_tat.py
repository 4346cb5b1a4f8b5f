"""Policy ``generous_tit_for_tat``: forgive a hostile reading sometimes."""

from __future__ import annotations

import numpy as np

from sim.model.policies.base import (
    B,
    BuildContext,
    Classifier,
    F,
    I,
    Situation,
)
from sim.model.policies.tit_for_tat import TitForTat


class GenerousTitForTat(TitForTat):
    """Tit-for-tat that forgives a hostile reading with probability ``generosity``.

    Generosity breaks the echo of retaliation that noise starts (Nowak &
    Sigmund 1992; Wu & Axelrod 1995).
    """

    name = "generous_tit_for_tat"
    classifier = Classifier(memory_depth=1, stochastic=True)
    cites = "Nowak & Sigmund (1992); Wu & Axelrod, J. Conflict Resolution (1995)."

    def __init__(self, generosity: F) -> None:
        self.generosity = generosity

    @classmethod
    def build(cls, who: I, context: BuildContext) -> GenerousTitForTat:
        """Each actor's ``generosity``, or ``dynamics.generosity`` where it gives none."""
        generosity = np.full(len(context.ids), context.scenario.dynamics.generosity)
        for i in who:
            own = context.spec(int(i)).generosity
            if own is not None:
                generosity[i] = own
        return cls(generosity)

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.asarray(s.uniforms[..., who] >= self.generosity[who], dtype=bool)
