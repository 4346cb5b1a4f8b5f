"""``belief_bound``, ``tension_bound`` and ``order``: where beliefs and tension stand."""

from __future__ import annotations

from typing import Any

from sim.model.facts import B, F, FactEvaluator, Trace, ordered, within


def _quantity(trace: Trace, actor: str, about: str | None) -> F:
    """``(R, T)``: an actor's belief about ``about`` (or its tension for None), after each turn."""
    (i,) = trace.actors(actor)
    if about is not None:
        (j,) = trace.actors(about)
        return trace.belief[:, :, i, j]
    return trace.tension[:, :, i]


def belief_bound(fact: Any, trace: Trace) -> B:
    """The belief of ``actor`` about ``about`` stays within the bounds."""
    return within(_quantity(trace, fact.actor, fact.about), fact)


def tension_bound(fact: Any, trace: Trace) -> B:
    """An actor's tension (or the mean over actors) stays within the bounds."""
    if fact.actor is None:
        return within(trace.tension.mean(axis=-1), fact)
    return within(_quantity(trace, fact.actor, None), fact)


def order(fact: Any, trace: Trace) -> B:
    """One side's quantity stands above (or below) the other's."""
    # the schema ties the quantity to `about`: a belief names whom, tension does not
    first = _quantity(trace, fact.actor, fact.about)
    second = _quantity(trace, fact.than_actor, fact.than_about)
    return ordered(first, second, fact)


BELIEF_BOUND = FactEvaluator("belief_bound", belief_bound)
TENSION_BOUND = FactEvaluator("tension_bound", tension_bound)
ORDER = FactEvaluator("order", order)
