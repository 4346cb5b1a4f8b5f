"""Condition metrics: the one evaluator of every ``Condition`` (injects, debrief prompts...).

A condition names a metric (``tension``, ``belief``...), the actor it is
about, and a comparison. This module is the metric registry: :data:`METRICS`
maps each name the scenario schema allows to the function that reads it. The
same function serves the engine (the state now, one value per replicate) and
the debrief (the whole recorded run, one value per turn): each caller hands it
:class:`Readings` whose arrays carry its own leading axes.

Adding a metric is two new files: its name and rules in
``sim/scenario/metrics/<name>.py`` (:class:`sim.scenario.metrics.MetricRule`)
and its reader in ``sim/model/metrics/<name>.py``
(:class:`sim.model.metrics.MetricReader`, or
:class:`~sim.model.metrics.InjectMetricReader` for a metric that names an
inject, such as ``fired``); both are found by walking the packages. A name on
one side and not the other fails at import (:func:`check_registry`); there is
no fallback value, and a condition naming an actor or an inject the scenario
lacks is an error, never actor 0 or "not fired".
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from sim.model.metrics import (
    F,
    InjectMetricReader,
    InjectReader,
    MetricReader,
    Reader,
    Readings,
    UnknownInjectError,
)
from sim.scenario.discovery import RegistryError, instances, out_of_step
from sim.scenario.schema import CONDITION_METRICS, Condition


def _discover() -> dict[str, Reader | InjectReader]:
    found: dict[str, Reader | InjectReader] = {}
    readers: list[tuple[object, MetricReader | InjectMetricReader]] = [
        *instances("sim.model.metrics", MetricReader),
        *instances("sim.model.metrics", InjectMetricReader),
    ]
    for module, reader in readers:
        if reader.name in found:
            raise RegistryError(
                f"condition metric '{reader.name}' has two readers "
                f"({getattr(module, '__name__', module)})"
            )
        found[reader.name] = reader.read
    return found


METRICS: dict[str, Reader | InjectReader] = _discover()
"""Each condition metric's reader, by the name the scenario schema allows.

A metric that names an inject (``fired``) is read as ``read(readings, inject_id)``;
every other as ``read(readings, actor, about)``."""


def check_registry() -> None:
    """Fail loudly when the schema's metric names and :data:`METRICS` differ.

    Raises:
        RegistryError: naming the metrics that lack a reader or a schema entry.
    """
    out_of_step(
        "condition metrics",
        set(CONDITION_METRICS),
        set(METRICS),
        where="declared in sim/scenario/metrics/, read in sim/model/metrics/",
    )


check_registry()


class UnknownActorError(KeyError):
    """A condition names an actor the scenario does not have."""


@dataclass(frozen=True, slots=True)
class Subject:
    """The actors a condition is about, as array indices (None where it names none)."""

    actor: int | None
    about: int | None


def _index(name: str | None, index: dict[str, int], role: str) -> int | None:
    if name is None:
        return None
    if name not in index:
        raise UnknownActorError(
            f"condition names {role} '{name}', which is not an actor of this scenario "
            f"(actors: {', '.join(index)})"
        )
    return index[name]


def subject(cond: Condition, index: dict[str, int]) -> Subject:
    """A condition's actors as indices.

    Raises:
        UnknownActorError: (a ``KeyError``) an actor the scenario does not have (the
            loader's cross-reference check refuses such a scenario first).
    """
    return Subject(_index(cond.actor, index, "actor"), _index(cond.about, index, "about"))


def evaluate(cond: Condition, readings: Readings, index: dict[str, int]) -> F:
    """The condition's metric over ``readings`` (same leading axes).

    Raises:
        UnknownActorError: an actor the scenario does not have.
        UnknownInjectError: an inject the scenario does not have (both ``KeyError``).
    """
    read = METRICS[cond.metric]
    if CONDITION_METRICS[cond.metric].inject != "forbidden":
        if cond.inject is None:
            raise UnknownInjectError(f"metric '{cond.metric}' names no inject")
        return typing.cast(InjectReader, read)(readings, cond.inject)
    who = subject(cond, index)
    return typing.cast(Reader, read)(readings, who.actor, who.about)


__all__ = [
    "METRICS",
    "Readings",
    "Subject",
    "UnknownActorError",
    "UnknownInjectError",
    "check_registry",
    "evaluate",
    "subject",
]
