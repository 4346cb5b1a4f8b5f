"""Dynamics coefficients that differ per replicate of a batch.

A batch (``Engine(compiled, seeds, coefficients={...})``) may give any
numeric field of :class:`~sim.scenario.schema.Dynamics` one value per
replicate, so an uncertainty analysis can sample them. Inside the engine a
per-replicate coefficient is an array shaped to broadcast against the batch
axes, ``(R, 1)`` against ``(R, N)`` arrays and ``(R, 1, 1)`` against
``(R, N, N)`` ones; a coefficient that does not vary stays the scenario's
float, so a batch without per-replicate coefficients does exactly the
arithmetic it did before, and replicate ``k`` of a batch equals the single
run whose scenario sets each field to replicate ``k``'s value (elementwise
operations on the same operands give the same floats).

Every value is checked as the scenario's own field would be (its bounds), and
an unknown name, a field that cannot vary per replicate (see
:data:`FIXED`), or a wrong number of values is an error: nothing falls back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import ValidationError

from sim.scenario.schema import Dynamics

F = NDArray[np.float64]

FIXED: dict[str, str] = {
    "perception": "it is a choice of reading model ('lens' or 'perfect'), not a number: "
    "it selects which code path the whole batch runs",
    "channel_weights": "it is a table of weights per channel kind, not one number; vary "
    "it by running one batch per setting",
}
"""Fields of :class:`Dynamics` that cannot vary per replicate, and why."""

VARYING: tuple[str, ...] = tuple(
    name
    for name, info in Dynamics.model_fields.items()
    if info.annotation is float and name not in FIXED
)
"""Fields of :class:`Dynamics` that may take one value per replicate (every numeric field)."""


def _check_fields() -> None:
    """Every field of Dynamics is either varying or fixed with a reason (fails at import)."""
    unsorted = set(Dynamics.model_fields) - set(VARYING) - set(FIXED)
    if unsorted or set(FIXED) - set(Dynamics.model_fields):
        raise RuntimeError(
            "sim.model.coefficients is out of step with Dynamics: "
            f"neither varying nor fixed: {sorted(unsorted)}; "
            f"fixed but not a field: {sorted(set(FIXED) - set(Dynamics.model_fields))}"
        )


_check_fields()


def per_replicate(
    dynamics: Dynamics, coefficients: Mapping[str, ArrayLike] | None, runs: int
) -> dict[str, F]:
    """Check ``coefficients`` and return them as ``(runs,)`` float arrays, by field name.

    Args:
        dynamics: The scenario's dynamics (its type names the fields).
        coefficients: Field name -> one value per replicate (None or empty: none vary).
        runs: Replicates in the batch.

    Raises:
        ValueError: an unknown name, a field in :data:`FIXED`, not exactly
            ``runs`` values, or a value outside the field's bounds.
    """
    checked: dict[str, F] = {}
    for name, given in (coefficients or {}).items():
        if name in FIXED:
            raise ValueError(f"dynamics.{name} cannot differ per replicate: {FIXED[name]}")
        if name not in VARYING:
            raise ValueError(
                f"'{name}' is not a field of dynamics that can differ per replicate "
                f"(those are: {', '.join(VARYING)})"
            )
        try:
            values = np.array(given, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"dynamics.{name}: per-replicate values must be numbers") from error
        if values.shape != (runs,):
            raise ValueError(
                f"dynamics.{name}: expected one value per replicate ({runs}), "
                f"got an array of shape {values.shape}"
            )
        for k, value in enumerate(values.tolist()):
            try:
                type(dynamics).model_validate({name: value})
            except ValidationError as error:
                reason = error.errors()[0]["msg"]
                raise ValueError(f"dynamics.{name} of replicate {k} is {value}: {reason}") from None
        checked[name] = values
    return checked


class Coefficients:
    """The dynamics of a batch, each field a float or shaped to broadcast per replicate.

    Reads like :class:`Dynamics` (``k.reactivity``): a field that varies is an
    ``(R,) + (1,) * ndim`` array, one that does not is the scenario's float.

    Args:
        dynamics: The scenario's dynamics.
        varying: Per-replicate values by field (from :func:`per_replicate`).
        ndim: Trailing axes to broadcast over: 1 against ``(R, N)``, 2 against ``(R, N, N)``.
    """

    def __init__(self, dynamics: Dynamics, varying: Mapping[str, F], ndim: int) -> None:
        self.varying = frozenset(varying)
        for name in VARYING:
            value = varying.get(name)
            shaped = (
                getattr(dynamics, name)
                if value is None
                else value.reshape(value.shape + (1,) * ndim)
            )
            setattr(self, name, shaped)

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> float | F: ...


__all__ = ["FIXED", "VARYING", "Coefficients", "per_replicate"]
