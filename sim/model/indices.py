"""System-level indices and reading features, shared by the engine and the post-run derivation."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model import perception as per

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]


def escalation_index(tension: F, rung: NDArray[np.int64] | F, top_rung: int) -> F:
    """``mean_i(0.5 * tension_i + 0.5 * rung_i / top_rung)`` over the last axis, in [0, 1]."""
    return np.asarray(0.5 * tension.mean(axis=-1) + 0.5 * rung.mean(axis=-1) / top_rung)


def polarisation(belief: F, alignment: F) -> F:
    """Mean belief about rivals (alignment < 0) minus about partners (> 0), in [-1, 1].

    Zero where there are no rivals or no partners.
    """
    n = belief.shape[-1]
    off = ~np.eye(n, dtype=bool)
    rivals = (alignment < 0) & off
    partners = (alignment > 0) & off
    n_r = rivals.sum(axis=(-2, -1))
    n_p = partners.sum(axis=(-2, -1))
    mean_r = (belief * rivals).sum(axis=(-2, -1)) / np.maximum(n_r, 1)
    mean_p = (belief * partners).sum(axis=(-2, -1)) / np.maximum(n_p, 1)
    return np.asarray(np.where((n_r > 0) & (n_p > 0), mean_r - mean_p, 0.0))


def reading_features(
    seen: B, raw: F, hostility: F, alignment: F | None = None
) -> tuple[F, tuple[I, F, F]]:
    """What the summaries need from a turn's readings (any leading axes: turns, replicates).

    Every gap is taken against what the sender *meant toward the observer*,
    ``meant_ij = (1 - max(0, A_ij)) * h_j`` (:func:`sim.model.perception.meant`):
    toward a rival or an unaligned observer all of ``h_j``, toward a partner
    only part of it (docs/model.md 7.12).

    Args:
        seen: ``(..., N, N)`` observer i saw sender j's move.
        raw: ``(..., N, N)`` readings (only meaningful where seen).
        hostility: ``(..., N)`` hostility each sender emitted, ``h_j``.
        alignment: ``(..., N, N)`` alignment in force when the readings were
            made (observer, sender); None: no partners (``meant_ij = h_j``).

    Returns:
        The mean absolute perception gap ``|P_ij - meant_ij|`` over seen moves
        ``(...)`` (0 if none), and for each observer the most hostile move it
        saw (ties: the lowest sender index): its sender, the reading and what
        the sender meant toward that observer, each ``(..., N)`` (a reading of
        -1 where it saw nothing).
    """
    meant = hostility[..., None, :] if alignment is None else per.meant(hostility, alignment)
    count = seen.sum(axis=(-2, -1))
    abs_sum = np.where(seen, np.abs(raw - meant), 0.0).sum(axis=(-2, -1))
    mean_abs_gap = np.where(count > 0, abs_sum / np.maximum(count, 1), 0.0)
    readings = np.where(seen, raw, -1.0)
    sender = readings.argmax(axis=-1)
    reading = np.take_along_axis(readings, sender[..., None], axis=-1)[..., 0]
    meant_b = np.broadcast_to(meant, readings.shape)
    toward = np.take_along_axis(meant_b, sender[..., None], axis=-1)[..., 0]
    return mean_abs_gap, (sender, reading, toward)
