"""How often something may happen in a run: one rule for moves and injects.

A :class:`~sim.scenario.schema.UseLimit` says *at most ``times`` in a run, at
least ``cooldown`` turns apart*. A move's limit applies to each actor
separately; an inject that does not repeat has the limit ``times: 1`` (it
fires once). :class:`Limits` holds the rule for ``K`` things as arrays, and
:class:`Uses` counts, per replicate, how often each has happened and when it
last did (docs/model.md 7.11).

With ``u`` the uses so far, ``l`` the turn of the last use (never: far in the
past) and ``t`` the turn about to be played, a thing is *open* when

    u < times  and  t - l > cooldown
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.scenario.schema import UseLimit

I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

NEVER = -(10**9)
"""The 'last use' of something never used: far enough back for any cooldown."""

UNCAPPED = np.iinfo(np.int64).max
"""``times`` of something without a cap."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of ``K`` things: ``times`` and ``cooldown``, each ``(K,)``."""

    times: I
    cooldown: I

    @classmethod
    def of(cls, limits: Sequence[UseLimit | None]) -> Limits:
        """The arrays for these limits (None: no limit)."""
        times = [UNCAPPED if x is None or x.times is None else x.times for x in limits]
        cooldown = [0 if x is None else x.cooldown for x in limits]
        return cls(np.array(times, dtype=np.int64), np.array(cooldown, dtype=np.int64))

    def open(self, uses: Uses, turn: int) -> B:
        """Whether each thing may happen at ``turn`` (shaped like ``uses.count``)."""
        return (uses.count < self.times) & (turn - uses.last > self.cooldown)


@dataclass(slots=True)
class Uses:
    """How often each of ``K`` things has happened, and the turn it last did.

    ``count`` and ``last`` share a shape ending in ``K`` (leading axes: replicates,
    actors); arrays are replaced, never changed in place, so records may keep them.
    """

    count: I
    last: I

    @classmethod
    def none(cls, shape: tuple[int, ...]) -> Uses:
        """Nothing has happened yet."""
        return cls(np.zeros(shape, dtype=np.int64), np.full(shape, NEVER, dtype=np.int64))

    def record(self, used: B, turn: int) -> None:
        """Count what happened at ``turn`` (``used`` shaped like ``count``)."""
        self.count = self.count + used
        self.last = np.where(used, turn, self.last)
