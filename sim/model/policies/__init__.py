"""Decision policies: how an actor picks its move each turn, one module per policy.

One small class per policy, each citing where it comes from, each with a
single vectorised ``choose`` over the actors that use it (after the style of
Axelrod-Python's strategies). Policies see a read-only
:class:`~sim.model.policies.base.Situation` and return, for each of their
actors, a move index and the hostility that move carries (the move's intended
hostility, except for continuous policies such as Richardson's, which signal
their level directly). State arrays may carry a leading replicate axis (a
batch of runs advanced together); policies index actors with ``[..., who]``
and reduce over the last axis, so the same code serves both.

Each policy class declares what it needs in a
:class:`~sim.model.policies.base.Classifier` (memory depth, continuous or
discrete, stochastic) and builds itself from its actors' specs
(:meth:`~sim.model.policies.base.Policy.build`); the engine and the compiler
ask the class, never its name.

Add a policy by adding two files: ``sim/model/policies/<name>.py`` with a
:class:`~sim.model.policies.base.Policy` subclass whose ``name`` is ``<name>``,
and its declaration in the scenario language, ``sim/scenario/policies/<name>.py``
(its parameters and description). Both are found by walking the packages;
a kind declared without an implementation, or implemented without a
declaration, fails at import (:func:`check_registry`).
"""

from __future__ import annotations

from typing import Any

from sim.model.policies.adaptive import (
    ANXIETY_WEIGHT,
    FIT_WEIGHT,
    HEDGE_WEIGHT,
    JUMP_WEIGHT,
    REASSURANCE_WEIGHT,
)
from sim.model.policies.base import (
    BuildContext,
    Choice,
    Classifier,
    Policy,
    Situation,
    closest_move,
    least_hostile,
    worst_reading,
)
from sim.scenario.discovery import RegistryError, out_of_step, subclasses
from sim.scenario.policies import kind_names


def _discover() -> dict[str, type[Policy]]:
    found: dict[str, type[Policy]] = {}
    for module, cls in subclasses(__name__, Policy):
        if not cls.name:
            continue  # a shared helper class, not a policy of its own
        stem = module.__name__.rsplit(".", 1)[-1]
        if cls.name != stem or cls.name in found:
            raise RegistryError(
                f"policy '{cls.name}' ({cls.__qualname__}) must be the one policy "
                f"of {__name__}.{cls.name}, not of {module.__name__}"
            )
        found[cls.name] = cls
    return dict(sorted(found.items()))


POLICIES: dict[str, type[Policy]] = _discover()
"""Policy classes by the name used in scenario files (found in this package's modules)."""


def check_registry() -> None:
    """Fail loudly when the declared policy kinds and :data:`POLICIES` differ.

    Raises:
        RegistryError: naming the kinds without an implementation, or the reverse.
    """
    out_of_step(
        "policies",
        set(kind_names()),
        set(POLICIES),
        where="declared in sim/scenario/policies/, implemented in sim/model/policies/",
    )


check_registry()


def __getattr__(name: str) -> Any:
    """Each policy class by its class name too (``from sim.model.policies import Hawk``)."""
    for cls in POLICIES.values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ANXIETY_WEIGHT",
    "FIT_WEIGHT",
    "HEDGE_WEIGHT",
    "JUMP_WEIGHT",
    "POLICIES",
    "REASSURANCE_WEIGHT",
    "BuildContext",
    "Choice",
    "Classifier",
    "Policy",
    "Situation",
    "check_registry",
    "closest_move",
    "least_hostile",
    "worst_reading",
]
