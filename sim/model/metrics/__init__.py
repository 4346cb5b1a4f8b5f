"""Readers of the condition metrics: one module per metric (or group), found automatically.

Each module declares :class:`MetricReader` objects: a metric's name (as
declared in ``sim/scenario/metrics/``) and the function that reads it from
:class:`Readings`. :mod:`sim.model.conditions` collects them into its
registry and checks, at import, that the names match the scenario language's
exactly.

Add a metric's reader in ``sim/model/metrics/<name>.py``::

    import numpy as np

    from sim.model.metrics import MetricReader

    ALARM = MetricReader("alarm", lambda r, actor, about: np.asarray(r.tension[..., actor] ** 2))

A metric that names an inject (``MetricRule(..., inject="required")``) is read
by an :class:`InjectMetricReader` instead: ``read(readings, inject)`` with the
inject's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

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

    def fired(self, inject: str) -> F:
        """1.0 where inject ``inject`` has fired before the turn about to be played, else 0.

        Raises:
            UnknownInjectError: the scenario has no inject of that id.
        """
        ...


Reader = Callable[[Readings, int | None, int | None], F]
"""``read(readings, actor, about)``: the metric's values, with the readings' leading axes."""


@dataclass(frozen=True, slots=True)
class MetricReader:
    """How the model reads one condition metric.

    Attributes:
        name: The metric's name, as declared in ``sim/scenario/metrics/``.
        read: ``read(readings, actor, about)`` with actor indices (None where the
            condition names none).
    """

    name: str
    read: Reader


InjectReader = Callable[[Readings, str], F]
"""``read(readings, inject)``: a metric about one inject, named by its id."""


@dataclass(frozen=True, slots=True)
class InjectMetricReader:
    """How the model reads a condition metric that names an inject (``fired``).

    Attributes:
        name: The metric's name, as declared in ``sim/scenario/metrics/``.
        read: ``read(readings, inject)`` with the inject's id.
    """

    name: str
    read: InjectReader


class UnknownInjectError(KeyError):
    """A condition names an inject the scenario does not have."""


def inject_index(inject: str, keys: list[str]) -> int:
    """The position of ``inject`` among the scenario's injects (file order).

    Raises:
        UnknownInjectError: (a ``KeyError``) naming the inject and the known ones; the
            loader's cross-reference check refuses such a scenario first.
    """
    if inject not in keys:
        raise UnknownInjectError(
            f"condition names inject '{inject}', which is not an inject of this scenario "
            f"(injects: {', '.join(keys) or 'none'})"
        )
    return keys.index(inject)
