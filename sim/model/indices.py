"""System-level indices, shared by the live engine and the post-run derivation."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]


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
