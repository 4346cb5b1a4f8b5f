"""Policy ``generous_tit_for_tat``: forgive a hostile reading sometimes."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from sim.model.coefficients import Coefficients


class GenerousTitForTat(TitForTat):
    """Tit-for-tat that forgives a hostile reading with probability ``generosity``.

    Generosity breaks the echo of retaliation that noise starts (Nowak &
    Sigmund 1992; Wu & Axelrod 1995).
    """

    name = "generous_tit_for_tat"
    classifier = Classifier(memory_depth=1, stochastic=True)
    cites = "Nowak & Sigmund (1992); Wu & Axelrod, J. Conflict Resolution (1995)."

    def __init__(self, generosity: F, own: B | None = None) -> None:
        self.generosity = generosity
        self.own = np.zeros(generosity.shape[-1], dtype=bool) if own is None else own

    @classmethod
    def build(cls, who: I, context: BuildContext) -> GenerousTitForTat:
        """Each actor's ``generosity``, or ``dynamics.generosity`` where it gives none."""
        generosity = np.full(len(context.ids), context.scenario.dynamics.generosity)
        own = np.zeros(len(context.ids), dtype=bool)
        for i in who:
            given = context.spec(int(i)).generosity
            if given is not None:
                generosity[i], own[i] = given, True
        return cls(generosity, own)

    def for_replicates(self, coefficients: Coefficients) -> GenerousTitForTat:
        """With ``dynamics.generosity`` per replicate: ``(R, N)``, actors' own values kept."""
        varying = coefficients.generosity
        if not isinstance(varying, np.ndarray):
            return self
        return GenerousTitForTat(np.where(self.own, self.generosity, varying), self.own)

    def _retaliate(self, who: I, s: Situation) -> B:
        return np.asarray(s.uniforms[..., who] >= self.generosity[..., who], dtype=bool)
