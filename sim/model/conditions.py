"""Condition metrics: the one evaluator of every ``Condition`` (injects, debrief prompts...).

A condition names a metric (``tension``, ``belief``...), the actor it is
about, and a comparison. This module is the metric registry: :data:`METRICS`
maps each name the scenario schema allows to the function that reads it. The
same function serves the engine (the state now, one value per replicate) and
the debrief (the whole recorded run, one value per turn): each caller hands it
:class:`Readings` whose arrays carry its own leading axes.

Adding a metric is two edits: its name and rules in
:data:`sim.scenario.schema.CONDITION_METRICS`, and its function here. A name
in one place and not the other fails at import (:func:`check_registry`);
there is no fallback value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from sim.scenario.schema import CONDITION_METRICS, Condition

F = NDArray[np.float64]


class Readings(Protocol):
    """What a metric may read, with any leading axes (``()``, replicates, or turns).

    Attributes:
        tension: ``(..., N)`` tension of each actor.
        rung: ``(..., N)`` rung of each actor's last move.
        belief: ``(..., N, N)`` belief of row about column.
        credibility: ``(..., N, N)`` credibility row grants column's framing.
        turn: ``(...)`` the turn about to be played.
    """

    tension: F
    rung: NDArray[Any]
    belief: F
    credibility: F
    turn: F

    def perception_gap(self, observer: int | None) -> F:
        """Mean |perceived - meant| of the last turn's readings (of ``observer``, or of all)."""
        ...

    def escalation_index(self) -> F:
        """The global escalation index (0-1)."""
        ...

    def polarisation(self) -> F:
        """Bloc polarisation (-1..1)."""
        ...

    def norms(self) -> F:
        """Strength of the arms-control / transparency regime (0-1)."""
        ...


Reader = Callable[[Readings, int | None, int | None], F]


def _tension(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.tension[..., i])


def _rung(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.rung[..., i], dtype=np.float64)


def _belief(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.belief[..., i, j])


def _credibility(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.credibility[..., i, j])


METRICS: dict[str, Reader] = {
    "tension": _tension,
    "rung": _rung,
    "belief": _belief,
    "credibility": _credibility,
    "perception_gap": lambda r, i, j: r.perception_gap(i),
    "escalation_index": lambda r, i, j: r.escalation_index(),
    "polarisation": lambda r, i, j: r.polarisation(),
    "norms": lambda r, i, j: r.norms(),
    "turn": lambda r, i, j: np.asarray(r.turn, dtype=np.float64),
}
"""Each condition metric's reader, by the name the scenario schema allows."""


def check_registry() -> None:
    """Fail loudly when the schema's metric names and :data:`METRICS` differ.

    Raises:
        RuntimeError: naming the metrics that lack a reader or a schema entry.
    """
    schema, here = set(CONDITION_METRICS), set(METRICS)
    if schema != here:
        raise RuntimeError(
            "condition metrics out of step: "
            f"in the schema without a reader: {sorted(schema - here)}; "
            f"with a reader but not in the schema: {sorted(here - schema)}"
        )


check_registry()


@dataclass(frozen=True, slots=True)
class Subject:
    """The actors a condition is about, as array indices (None where it names none)."""

    actor: int | None
    about: int | None


def subject(cond: Condition, index: dict[str, int]) -> Subject:
    """A condition's actors as indices.

    Raises:
        KeyError: an actor the scenario does not have (the loader's
            cross-reference check refuses such a scenario first).
    """
    return Subject(
        index[cond.actor] if cond.actor is not None else None,
        index[cond.about] if cond.about is not None else None,
    )


def evaluate(cond: Condition, readings: Readings, index: dict[str, int]) -> F:
    """The condition's metric over ``readings`` (same leading axes)."""
    who = subject(cond, index)
    return METRICS[cond.metric](readings, who.actor, who.about)
