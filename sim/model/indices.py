"""System-level indices and reading features, shared by the engine and the post-run derivation."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

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


def reading_features(seen: B, raw: F, hostility: F) -> tuple[F, tuple[I, F, F]]:
    """What the summaries need from a turn's readings (any leading axes: turns, replicates).

    Args:
        seen: ``(..., N, N)`` observer i saw sender j's move.
        raw: ``(..., N, N)`` readings (only meaningful where seen).
        hostility: ``(..., N)`` hostility each move carried as meant.

    Returns:
        The mean absolute perception gap over seen moves ``(...)`` (0 if none),
        and for each observer the most hostile move it saw: its sender, the
        reading and the sender's intended hostility, each ``(..., N)`` (a
        reading of -1 where it saw nothing).
    """
    count = seen.sum(axis=(-2, -1))
    abs_sum = np.where(seen, np.abs(raw - hostility[..., None, :]), 0.0).sum(axis=(-2, -1))
    mean_abs_gap = np.where(count > 0, abs_sum / np.maximum(count, 1), 0.0)
    readings = np.where(seen, raw, -1.0)
    sender = readings.argmax(axis=-1)
    reading = np.take_along_axis(readings, sender[..., None], axis=-1)[..., 0]
    intended = np.take_along_axis(hostility, sender, axis=-1)
    return mean_abs_gap, (sender, reading, intended)
