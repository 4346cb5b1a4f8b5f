"""Which root seed a run uses, and why: the one place seeds are chosen.

Every face (``sim run``, ``sim ensemble``, sweeps, sensitivity, compare, the
Python API, play, :class:`~sim.model.mesa_model.EscalationModel`) picks its
root seed here, so the rule is written once:

1. a seed given (command line or API) wins;
2. else the scenario's ``seed:``;
3. else a ``fallback`` if the command has one (sweeps, sensitivity analyses
   and comparisons default to 0, so reruns match);
4. else a fresh seed from the OS (:func:`new_seed`), recorded in the
   manifest so the run can be repeated.

It lives in the model layer so the model itself can use it;
:mod:`sim.running.seeds` re-exports it for the layers above.

Example::

    >>> root_seed(7, 3)
    (7, 'given')
    >>> root_seed(None, 3)
    (3, 'scenario')
    >>> root_seed(None, None, fallback=0)
    (0, 'default')
"""

from __future__ import annotations

import secrets
from typing import Literal

SeedSource = Literal["given", "scenario", "default", "generated"]
"""How a root seed was chosen (written to manifests as ``seed_source``)."""


def new_seed() -> int:
    """A fresh root seed (63 bits from the OS), for runs given none."""
    return secrets.randbits(63)


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
    return new_seed(), "generated"


__all__ = ["SeedSource", "new_seed", "root_seed"]
