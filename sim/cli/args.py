"""Argument types of the ``sim`` commands: whole numbers within bounds, with plain messages.

``bounded``, ``seed`` and ``turns`` are defined once, with ``sim play``'s own
arguments (:mod:`sim.play.arguments`, a layer below the CLI), so every
command accepts and refuses a seed or a number of turns alike.
"""

from __future__ import annotations

from sim.play.arguments import bounded, seed, turns

__all__ = ["bounded", "runs", "seed", "turns", "workers"]

runs = bounded(1, 10_000_000)
"""A number of replicates (or samples)."""

workers = bounded(1, 256)
"""A number of worker processes."""
