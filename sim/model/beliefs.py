"""Beliefs about others' hostility, framing credibility, and tension.

Pure, vectorised functions. ``[..., i, j]`` is observer i about sender j.

* Beliefs move toward what is perceived at each actor's learning rate; a
  *lower* reading (reassurance) moves them only in proportion to the cost of
  the signal, so cheap talk barely reassures (Kydd 2005).
* Framing credibility moves toward how well the sender's framing matched
  what the observer perceived (the say-do gap).
* Tension follows Richardson's equations (1960), discretised with step ``dt``
  and kept in [0, 1]: ``T_i += dt * (sum_j K_ij * belief_ij - a_i * T_i + g_i)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_clip = np.clip if not hasattr(np, "_core") else np._core.umath.clip

F = NDArray[np.float64]
B = NDArray[np.bool_]


def update_beliefs(belief: F, perceived: F, rate: F, reassurance_weight: F) -> F:
    """Move beliefs toward this turn's readings.

    ``belief_ij += rate_ij * w_ij * (perceived_ij - belief_ij)`` where
    ``w_ij = 1`` for a reading above the belief and ``reassurance_weight_ij``
    (``cheap_talk_weight + (1 - cheap_talk_weight) * cost_j``) for one below it:
    only costly signals reassure (Kydd 2005).

    Args:
        belief: ``(..., N, N)`` current beliefs in [0, 1].
        perceived: ``(..., N, N)`` this turn's readings in [0, 1] (finite everywhere).
        rate: ``(..., N, N)`` observer's learning rate where the move was seen, 0 where not.
        reassurance_weight: ``(..., N, N)`` weight of a reassuring reading, by sender's move.

    Returns:
        ``(..., N, N)`` new beliefs in [0, 1].
    """
    step = perceived - belief
    rise = np.maximum(step, 0.0)
    fall = np.minimum(step, 0.0, out=step)
    fall *= reassurance_weight
    rise += fall
    rise *= rate
    rise += belief
    return rise


def update_credibility(credibility: F, perceived: F, framed: F, rate: F) -> F:
    """Move framing credibility toward the say-do match.

    The target is ``1 - |perceived_ij - framed_j|``: a framing that matches what
    the observer saw earns trust; one that keeps diverging loses it.

    Args:
        credibility: ``(..., N, N)`` in [0, 1].
        perceived: ``(..., N, N)`` this turn's readings (finite everywhere).
        framed: ``(..., N, N)`` what each sender's framing claimed (repeated down columns).
        rate: ``(..., N, N)`` speed of adjustment where the move was seen, 0 where not.

    Returns:
        ``(..., N, N)`` new credibility in [0, 1].
    """
    miss = np.abs(perceived - framed)
    miss += credibility
    miss -= 1.0  # = -(target - credibility)
    miss *= rate
    return credibility - miss


def richardson_coefficients(reaction: F, fatigue: F, grievance: F, dt: float | F) -> tuple[F, F, F]:
    """Richardson's coefficients in per-step form, for :func:`richardson_step`.

    Args:
        reaction: ``(..., N, N)`` Richardson's k (zero diagonal), per turn.
        fatigue: ``(..., N)`` Richardson's a, per turn.
        grievance: ``(..., N)`` Richardson's g, per turn.
        dt: Step length (0-1], or ``(R, 1)`` one per replicate.

    Returns:
        ``(dt * K, 1 - dt * a, dt * g)``.
    """
    pairs = dt[..., None] if isinstance(dt, np.ndarray) else dt
    return pairs * reaction, 1.0 - dt * fatigue, dt * grievance


def richardson_step(tension: F, belief: F, coefficients: tuple[F, F, F], ceiling: float = 1.0) -> F:
    """One Euler step of Richardson's equations, kept in [0, ceiling].

    ``T_i + dt * (sum_j K_ij * belief_ij - a_i * T_i + g_i)``, computed as
    ``sum_j (dt K_ij) belief_ij + (1 - dt a_i) T_i + dt g_i`` from the
    per-step coefficients of :func:`richardson_coefficients`. With two actors,
    perfect perception and learning rate 1 (so belief_ij is T_j of the previous
    turn) this is exactly the discretised system ``dx/dt = k y - a x + g``,
    ``dy/dt = l x - b y + h``.

    Args:
        tension: ``(..., N)`` in [0, ceiling].
        belief: ``(..., N, N)`` beliefs (the perceived level of each other actor).
        coefficients: ``(dt K, 1 - dt a, dt g)`` shaped ``(..., N, N)``, ``(..., N)``, ``(..., N)``.
        ceiling: Upper bound (1.0: the top of the ladder).

    Returns:
        ``(..., N)`` new tension.
    """
    step_reaction, persistence, push = coefficients
    new = np.add.reduce(step_reaction * belief, axis=-1)
    new += persistence * tension
    new += push
    return np.asarray(_clip(new, 0.0, ceiling, out=new))


def default_coefficients(
    threat_sensitivity: F,
    restraint: F,
    deterrent_anxiety: F,
    alignment: F,
    reactivity: float | F,
    fatigue_scale: float | F,
    grievance_scale: float | F,
) -> tuple[F, F, F]:
    """Richardson coefficients derived from posture and alignment.

    * reaction ``K_ij = reactivity * ts_i * w_ij / max(1, sum_j w_ij)`` with
      ``w_ij = (1 - alignment_ij) / 2`` (rivals weigh fully, partners little);
    * fatigue ``a_i = fatigue_scale * (0.5 + restraint_i)``;
    * grievance ``g_i = grievance_scale * (2 * deterrent_anxiety_i - 1)``.

    The scales are floats, or per replicate of a batch: ``reactivity`` ``(R, 1, 1)``,
    ``fatigue_scale`` and ``grievance_scale`` ``(R, 1)``.

    Returns:
        ``(K, a, g)`` with shapes ``(..., N, N)``, ``(..., N)``, ``(..., N)``.
    """
    n = alignment.shape[-1]
    weight = (1.0 - alignment) / 2.0
    weight = weight * (1.0 - np.eye(n))
    norm = np.maximum(1.0, weight.sum(axis=-1, keepdims=True))
    reaction = reactivity * threat_sensitivity[..., :, None] * weight / norm
    fatigue = fatigue_scale * (0.5 + restraint)
    grievance = grievance_scale * (2.0 * deterrent_anxiety - 1.0)
    return reaction, fatigue, grievance
