"""Which root seed a command uses, and why: the one place seeds are chosen.

Every face (``sim run``, ``sim ensemble``, sweeps, sensitivity, compare, the
Python API) picks its root seed here, so the rule is written once:

1. a seed given (command line or API) wins;
2. else the scenario's ``seed:``;
3. else a ``fallback`` if the command has one (sweeps, sensitivity analyses
   and comparisons default to 0, so reruns match);
4. else a fresh seed from the OS (:func:`sim.model.mesa_model.new_seed`),
   recorded in the manifest so the run can be repeated.

Example::

    >>> root_seed(7, 3)
    (7, 'given')
    >>> root_seed(None, 3)
    (3, 'scenario')
    >>> root_seed(None, None, fallback=0)
    (0, 'default')
"""

from __future__ import annotations

from typing import Literal

SeedSource = Literal["given", "scenario", "default", "generated"]
"""How a root seed was chosen (written to manifests as ``seed_source``)."""


def root_seed(
    given: int | None, scenario_seed: int | None, fallback: int | None = None
) -> tuple[int, SeedSource]:
    """The root seed and how it was chosen: 'given', 'scenario', 'default' or 'generated'.

    Args:
        given: The seed passed on the command line or to the API, if any.
        scenario_seed: The scenario's own ``seed:``, if any.
        fallback: Used when neither is set; None draws a new seed instead.
    """
    if given is not None:
        return given, "given"
    if scenario_seed is not None:
        return scenario_seed, "scenario"
    if fallback is not None:
        return fallback, "default"
    from sim.model.mesa_model import new_seed

    return new_seed(), "generated"
