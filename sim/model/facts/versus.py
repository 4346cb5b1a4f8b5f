"""``versus``: this scenario's quantity against another scenario's, replicate by replicate."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.facts import B, F, FactEvaluator, Trace, ordered


def series(fact: Any, trace: Trace) -> F:
    """``(R, T)``: the fact's quantity after each turn, in this trace."""
    if fact.quantity == "belief":
        (i,) = trace.actors(fact.actor)
        (j,) = trace.actors(fact.about)
        return trace.belief[:, :, i, j]
    if fact.quantity == "move_share":
        who = trace.actors(fact.actor)
        playing = np.isin(trace.move[:, :, who], trace.moves(fact.moves))
        return playing.mean(axis=-1).astype(np.float64)
    if fact.actor is None:
        return trace.tension.mean(axis=-1)
    (i,) = trace.actors(fact.actor)
    return trace.tension[:, :, i]


def versus(fact: Any, trace: Trace) -> B:
    """This trace's quantity minus the other scenario's, on the same seeds, past the margin.

    ``trace.others[fact.against]`` holds the other scenario's batch (same seeds,
    same turns): see :func:`sim.running.check.decide`.
    """
    other = trace.others[fact.against]
    here = series(fact, trace)
    there = series(fact, other)
    shift = fact.margin if fact.relation == "above" else -fact.margin
    return ordered(here, there + shift, fact)


VERSUS = FactEvaluator("versus", versus)
