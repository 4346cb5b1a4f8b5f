"""Decide stylised facts over a batch: the registry of fact evaluators.

The evaluators live one module per kind (or group) in :mod:`sim.model.facts`;
the kinds are declared in :mod:`sim.scenario.facts`. A kind on one side and
not the other fails at import with a ``RegistryError`` that names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.compiled import Compiled
from sim.model.facts import B, FactEvaluator, Trace
from sim.scenario.discovery import RegistryError, instances, out_of_step
from sim.scenario.facts import kind_names

if TYPE_CHECKING:
    from sim.model.state import TurnRecord


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


def run_trace(compiled: Compiled, records: Sequence[TurnRecord]) -> Trace | None:
    """One run's records as a :class:`Trace` of a single replicate (R = 1).

    None when there is nothing to decide from: no turn played, or a run that
    kept only summaries of its readings (:mod:`sim.model.lean`), whose per-turn
    beliefs and readings are gone.
    """
    if not records or any(
        r.belief is None or r.seen is None or r.perceived is None for r in records
    ):
        return None

    def stacked(name: str) -> Any:
        return np.stack([np.asarray(getattr(r, name)) for r in records])[None, ...]

    return Trace(
        compiled=compiled,
        move=stacked("move"),
        tension=stacked("tension"),
        belief=stacked("belief"),
        seen=stacked("seen"),
        perceived=stacked("perceived"),
    )


def held_in_run(
    facts: Sequence[Any],
    compiled: Compiled,
    records: Sequence[TurnRecord],
    others: dict[str, Trace] | None = None,
) -> list[bool] | None:
    """Whether each fact held in this one run (a batch of one), or None if it cannot say.

    A single run with seed ``s`` is the replicate of seed ``s`` in a batch, so
    this is the verdict ``sim check`` counts for that seed over the same turns.
    ``others`` holds the scenarios ``versus`` facts compare with, played on the
    run's seed (see :func:`sim.running.check.decide`).
    """
    trace = run_trace(compiled, records)
    if trace is None:
        return None
    trace.others.update(others or {})
    return [bool(held(fact, trace)[0]) for fact in facts]
