"""Decide stylised facts over a batch: the registry of fact evaluators.

The evaluators live one module per kind (or group) in :mod:`sim.model.facts`;
the kinds are declared in :mod:`sim.scenario.facts`. A kind on one side and
not the other fails at import with a ``RegistryError`` that names it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.facts import B, FactEvaluator, Trace
from sim.scenario.discovery import RegistryError, instances, out_of_step
from sim.scenario.facts import kind_names


def _collect() -> dict[str, FactEvaluator]:
    found: dict[str, FactEvaluator] = {}
    for module, evaluator in instances("sim.model.facts", FactEvaluator):
        if evaluator.name in found:
            raise RegistryError(
                f"fact kind '{evaluator.name}' has two evaluators ({module.__name__})"
            )
        found[evaluator.name] = evaluator
    out_of_step(
        "fact kinds",
        set(kind_names()),
        set(found),
        where="sim/scenario/facts/ declares, sim/model/facts/ evaluates",
    )
    return found


EVALUATORS: dict[str, FactEvaluator] = _collect()
"""Each fact kind's evaluator, by name."""


def held(fact: Any, trace: Trace) -> B:
    """``(R,)``: whether ``fact`` held in each replicate of the batch."""
    return np.asarray(EVALUATORS[fact.kind].evaluate(fact, trace), dtype=bool)
