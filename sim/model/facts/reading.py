"""``reading``: how observers read a given sender's move, against its framing."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.facts import B, FactEvaluator, Trace


def reading(fact: Any, trace: Trace) -> B:
    """The mean reading by the observers who saw it, minus the move's framed hostility.

    Pooled over every (turn, observer) at which the sender played the move and
    the observer saw it; a replicate with no such reading does not hold.
    """
    (sender,) = trace.actors(fact.sender)
    (move,) = trace.moves(fact.move)
    observers = trace.actors(fact.observers)
    played = trace.move[:, :, sender] == move  # (R, T)
    seen = trace.seen[:, :, observers, sender] & played[:, :, None]  # (R, T, O)
    total = np.where(seen, trace.perceived[:, :, observers, sender], 0.0).sum(axis=(1, 2))
    count = seen.sum(axis=(1, 2))
    mean = total / np.maximum(count, 1)
    gap = mean - trace.compiled.framed[move]
    held = {
        "above": lambda: gap > fact.margin,
        "below": lambda: gap < -fact.margin,
        "within": lambda: np.abs(gap) <= fact.margin,
    }[fact.relation]()
    return np.asarray(held & (count > 0), dtype=bool)


READING = FactEvaluator("reading", reading)
