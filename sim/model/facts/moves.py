"""``move_share`` and ``move_count``: who plays which moves, and how often."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.facts import B, FactEvaluator, Trace


def _played(fact: Any, trace: Trace) -> np.ndarray:
    """``(R, T, N)`` True where an actor played one of the fact's moves."""
    return np.isin(trace.move, trace.moves(fact.moves))


def move_share(fact: Any, trace: Trace) -> B:
    """Each listed actor's share of turns on the moves lies within the bounds."""
    share = _played(fact, trace)[:, :, trace.actors(fact.actors)].mean(axis=1)  # (R, A)
    held = np.ones(share.shape, dtype=bool)
    if fact.at_least is not None:
        held &= share >= fact.at_least
    if fact.at_most is not None:
        held &= share <= fact.at_most
    return held.all(axis=-1)


def move_count(fact: Any, trace: Trace) -> B:
    """The plays of the moves by the listed actors add up to between min and max."""
    count = _played(fact, trace)[:, :, trace.actors(fact.actors)].sum(axis=(1, 2))
    held = np.ones(count.shape, dtype=bool)
    if fact.min is not None:
        held &= count >= fact.min
    if fact.max is not None:
        held &= count <= fact.max
    return held


MOVE_SHARE = FactEvaluator("move_share", move_share)
MOVE_COUNT = FactEvaluator("move_count", move_count)
