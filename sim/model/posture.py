"""Posture values by name: the model never reads a posture dimension by its position.

Posture arrays are ``(..., N, P)``, one column per field of
:class:`sim.scenario.schema.Posture` in the order of
:data:`~sim.scenario.schema.POSTURE_INDEX`, which is built from that class.
Reading through :func:`column` means adding, removing or reordering posture
fields cannot silently change which value a formula uses.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.scenario.schema import POSTURE_INDEX

F = NDArray[np.float64]


def column(posture: F, name: str) -> F:
    """``posture[..., name]``: one dimension of every actor (any leading axes).

    Raises:
        KeyError: ``name`` is not a field of :class:`~sim.scenario.schema.Posture`.
    """
    return posture[..., POSTURE_INDEX[name]]
