"""Perception: how each observer reads each sender's move.

Pure, vectorised functions over observer x sender arrays. Arrays indexed
``[..., i, j]`` mean *observer i* reading *sender j*; any leading axes (for
example replicates) broadcast. All hostility values are on the 0-1 scale.

The reading of a move (Jervis 1976; see docs/model.md, "Perception") mixes:

* the move's face value (its rung on the ladder) and the sender's framing,
  weighted by how credible the observer finds the sender's framing;
* the observer's existing belief about the sender (images colour readings);
* a lens: threat-sensitive observers read non-allies more darkly, allies
  more kindly;
* extra alarm at moves touching second-strike worries, scaled by the
  observer's deterrent anxiety;
* dialogue channels, which let the intended meaning through directly;
* noise that grows with the observer's tension (compressed decision time)
  and shrinks with channels and a strong arms-control regime.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
B = NDArray[np.bool_]


def channel_clarity(strengths: F, weights: F) -> F:
    """Combine dialogue channels into one clarity per pair.

    Args:
        strengths: ``(K, N, N)`` channel strengths in [0, 1], one layer per kind.
        weights: ``(K,)`` clarity each kind gives at full strength, in [0, 1].

    Returns:
        ``(N, N)`` clarity in [0, 1]: ``1 - prod_k(1 - weight_k * strength_k)``.
    """
    return 1.0 - np.prod(1.0 - weights[:, None, None] * strengths, axis=0)


def noise_scale(base: float, time_pressure: float, tension: F, norm_damping: float, norms: float) -> F:
    """Reading noise of each observer before channels: ``(..., N)``.

    ``base * (1 + time_pressure * tension_i) * (1 - norm_damping * norms)``;
    channels then scale it by each pair's opacity (see :func:`perceived_hostility`).

    Args:
        base: Noise at zero tension with no regime (0-0.5).
        time_pressure: Growth of noise with tension (0-10): compressed decision time.
        tension: ``(..., N)`` observers' tension in [0, 1].
        norm_damping: Share of noise a full-strength regime removes (0-1).
        norms: Regime strength in [0, 1].
    """
    return (base * (1.0 - norm_damping * norms)) * (1.0 + time_pressure * tension)


def perceived_hostility(
    *,
    intended: F,
    framed: F,
    face: F,
    second_strike: F,
    belief: F,
    credibility: F,
    credibility_scale: float,
    lens_bias: F,
    opacity: F,
    anxiety: F,
    prior_weight: float,
    anxiety_weight: float,
    noise_sd: F,
    noise: F,
) -> F:
    """Read every sender's move through every observer's lens.

    With ``c = credibility_scale * credibility_ij`` the credibility of the
    sender's framing, the lens reading is::

        taken  = (1 - c) * face_j + c * framed_j          # face value vs framing
        lens   = (1 - prior_weight) * taken + prior_weight * belief_ij   # images (Jervis)
               + lens_bias_ij                              # sensitivity x alignment
               + anxiety_weight * anxiety_i * second_strike_j * face_j   # deterrent worry

    and channels let the intended meaning through: with ``q = opacity_ij``
    (1 - clarity), the reading is ``h_j + q * (lens - h_j + noise_sd_i * z_ij)``,
    clipped to [0, 1]. Noise is blocked by channels in the same proportion.

    Args:
        intended: ``(..., N)`` what each sender means (0-1).
        framed: ``(..., N)`` what each sender's framing claims (0-1).
        face: ``(..., N)`` face value of each move: rung / top rung (0-1).
        second_strike: ``(..., N)`` 1.0 where the move touches second-strike worries.
        belief: ``(..., N, N)`` observer's belief about sender hostility (0-1).
        credibility: ``(..., N, N)`` credibility of each sender's framing (0-1).
        credibility_scale: Share of credibility that counts (0-1; the regime's backing).
        lens_bias: ``(..., N, N)`` alignment/sensitivity bias (see :func:`lens_bias`).
        opacity: ``(..., N, N)`` 1 - channel clarity (0-1).
        anxiety: ``(..., N)`` observers' deterrent anxiety (0-1).
        prior_weight: Weight of the existing belief (0-1).
        anxiety_weight: Extra hostility per unit anxiety on second-strike moves (0-1).
        noise_sd: ``(..., N)`` observers' noise before channels (see :func:`noise_scale`).
        noise: ``(..., N, N)`` standard normal draws.

    Returns:
        ``(..., N, N)`` perceived hostility in [0, 1].
    """
    keep = 1.0 - prior_weight
    deviation = credibility * (keep * credibility_scale * (framed - face))[..., None, :]
    deviation += (keep * face - intended)[..., None, :]
    deviation += prior_weight * belief
    deviation += lens_bias
    deviation += (anxiety_weight * anxiety)[..., :, None] * (second_strike * face)[..., None, :]
    deviation += noise_sd[..., :, None] * noise
    deviation *= opacity
    deviation += intended[..., None, :]
    np.maximum(deviation, 0.0, out=deviation)
    np.minimum(deviation, 1.0, out=deviation)
    return deviation


def lens_bias(lens_strength: float, threat_sensitivity: F, alignment: F) -> F:
    """Bias of each observer's reading of each sender, from sensitivity and alignment.

    ``lens_strength * (threat_sensitivity_i - 0.5 - 0.5 * alignment_ij)``: a
    maximally sensitive observer reading a sworn rival adds ``lens_strength``;
    a relaxed observer reading its closest partner subtracts it.

    Args:
        lens_strength: Scale (0-1).
        threat_sensitivity: ``(..., N)`` in [0, 1].
        alignment: ``(..., N, N)`` in [-1, 1].

    Returns:
        ``(..., N, N)`` bias in [-lens_strength, lens_strength].
    """
    return lens_strength * (threat_sensitivity[..., :, None] - 0.5 - 0.5 * alignment)


def observed(uniforms: F, visibility: F, targeted: B, not_self: B) -> B:
    """Which observers see which senders' moves this turn.

    Args:
        uniforms: ``(..., N, N)`` uniform draws in [0, 1).
        visibility: ``(..., N)`` each sender's move visibility (0-1).
        targeted: ``(..., N, N)`` True where observer i is a target of sender j's move.
        not_self: ``(N, N)`` False on the diagonal.

    Returns:
        ``(..., N, N)`` True where observer i saw sender j's move.
    """
    seen = uniforms < visibility[..., None, :]
    seen |= targeted
    seen &= not_self
    return seen
