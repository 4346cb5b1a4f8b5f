"""Evaluators of the stylised facts: one module per kind, found automatically.

Each module declares a :class:`FactEvaluator`: a kind's name (as declared in
``sim/scenario/facts/``) and the function that decides, for every replicate
of a batch, whether the fact held, from the batch's :class:`Trace`.
:mod:`sim.model.expectations` collects them and checks, at import, that the
names match the scenario language's exactly.

Add an evaluator in ``sim/model/facts/<name>.py``::

    from sim.model.facts import FactEvaluator

    QUIET = FactEvaluator("quiet", lambda fact, trace: (trace.rung <= 2).all(axis=(1, 2)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model.compiled import Compiled

F = NDArray[np.float64]
B = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Trace:
    """What a batch of R replicates did over T turns, replicate axis first.

    Attributes:
        compiled: The scenario as arrays (actor and move indices).
        move: ``(R, T, N)`` index of each actor's move each turn.
        tension: ``(R, T, N)`` tension after each turn.
        belief: ``(R, T, N, N)`` belief of row about column after each turn.
        seen: ``(R, T, N, N)`` observer i saw sender j's move that turn.
        perceived: ``(R, T, N, N)`` reading of j's move by i (meaningful where seen).
        others: The same seeds played in the scenarios that ``versus`` facts compare
            with, by the reference the fact gives (``against``).
    """

    compiled: Compiled
    move: NDArray[np.int64]
    tension: F
    belief: F
    seen: B
    perceived: F
    others: dict[str, Trace] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """R, the replicates in the batch."""
        return int(self.move.shape[0])

    def actors(self, names: list[str] | str | None) -> list[int]:
        """Actor indices of ``names`` (every actor for None)."""
        if names is None:
            return list(range(self.compiled.n))
        listed = [names] if isinstance(names, str) else names
        return [self.compiled.index[a] for a in listed]

    def moves(self, names: list[str] | str) -> list[int]:
        """Move indices of ``names``."""
        listed = [names] if isinstance(names, str) else names
        return [self.compiled.move_index[m] for m in listed]


def within(series: F, fact: Any) -> B:
    """Whether an ``(R, T)`` series met the fact's ``below``/``above`` bounds ``over`` turns.

    ``every_turn``: strictly inside at each turn; ``end``: at the last turn;
    ``mean``: the mean over turns.
    """
    values = _over(series, fact.over)
    held = np.ones(values.shape, dtype=bool)
    if fact.below is not None:
        held &= values < fact.below
    if fact.above is not None:
        held &= values > fact.above
    return held.all(axis=-1) if fact.over == "every_turn" else held


def _over(series: F, over: str) -> F:
    if over == "end":
        return series[:, -1]
    if over == "mean":
        return series.mean(axis=-1)
    return series


Evaluate = Callable[[Any, Trace], B]
"""``evaluate(fact, trace)``: ``(R,)`` whether the fact held in each replicate."""


@dataclass(frozen=True, slots=True)
class FactEvaluator:
    """How the model decides one kind of fact.

    Attributes:
        name: The kind's name, as declared in ``sim/scenario/facts/``.
        evaluate: ``evaluate(fact, trace)`` -> ``(R,)`` bool.
    """

    name: str
    evaluate: Evaluate


def ordered(first: F, second: F, fact: Any) -> B:
    """Whether ``(R, T)`` series ``first`` stood strictly ``fact.relation`` ``second``."""
    a, b = _over(first, fact.over), _over(second, fact.over)
    held = a > b if fact.relation == "above" else a < b
    return held.all(axis=-1) if fact.over == "every_turn" else held
