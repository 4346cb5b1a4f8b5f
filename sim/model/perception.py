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

_clip = np.clip if not hasattr(np, "_core") else np._core.umath.clip

F = NDArray[np.float64]
B = NDArray[np.bool_]


def channel_clarity(strengths: F, weights: F) -> F:
    """Combine dialogue channels into one clarity per pair.

    Args:
        strengths: ``(..., K, N, N)`` channel strengths in [0, 1], one layer per kind.
        weights: ``(K,)`` clarity each kind gives at full strength, in [0, 1].

    Returns:
        ``(..., N, N)`` clarity in [0, 1]: ``1 - prod_k(1 - weight_k * strength_k)``.
    """
    return 1.0 - np.prod(1.0 - weights[:, None, None] * strengths, axis=-3)


def noise_scale(
    base: float | F,
    time_pressure: float | F,
    tension: F,
    norm_damping: float | F,
    norms: float | F,
) -> F:
    """Reading noise of each observer before channels: ``(..., N)``.

    ``base * (1 + time_pressure * tension_i) * (1 - norm_damping * norms)``;
    channels then scale it by each pair's opacity (see :func:`perceived_hostility`).

    Args:
        base: Noise at zero tension with no regime (0-0.5).
        time_pressure: Growth of noise with tension (0-10): compressed decision time.
        tension: ``(..., N)`` observers' tension in [0, 1].
        norm_damping: Share of noise a full-strength regime removes (0-1).
        norms: Regime strength in [0, 1] (a float, or ``(..., 1)`` per replicate).

    Each coefficient is a float, or ``(R, 1)`` per replicate of a batch.
    """
    return (base * (1.0 - norm_damping * norms)) * (1.0 + time_pressure * tension)


def perceived_hostility(
    *,
    intended: F,
    framing_pull: F,
    face_pull: F,
    belief: F,
    credibility: F,
    lens_bias: F,
    opacity: F,
    prior_weight: float | F,
    noise_sd: F,
    noise: F,
) -> F:
    """Read every sender's move through every observer's lens.

    All arguments are ``(..., N, N)`` arrays indexed ``[observer, sender]``
    (sender-level quantities repeated down the columns), except ``noise_sd``.
    With ``c`` the credibility of the sender's framing and ``k = 1 - prior_weight``::

        lens = k * ((1 - c) * face_j + c * framed_j)       # face value vs framing
             + alarm_ij                                    # deterrent anxiety, second-strike moves
             + prior_weight * belief_ij                    # images colour readings (Jervis)
             + lens_bias_ij                                # sensitivity x alignment
        reading = clip(h_j + opacity_ij * (lens - h_j + noise_sd_i * z_ij), 0, 1)

    so channels (``opacity = 1 - clarity``) let the intended meaning ``h_j``
    through and block noise in the same proportion.

    Args:
        intended: ``h_j``, what each sender means (0-1); ``(..., 1, N)`` is enough.
        framing_pull: ``k * (framed_j - face_j)``, scaled by the regime's backing of framings.
        face_pull: ``k * face_j + alarm_ij``: face = rung / top rung (0-1), and the
            alarm ``anxiety_weight * anxiety_i * face_j`` at second-strike moves (else 0).
            Both depend only on the move and the observer, so the engine gathers their sum.
        belief: Observer's belief about the sender's hostility (0-1).
        credibility: Credibility of the sender's framing (0-1).
        lens_bias: See :func:`lens_bias` (about -0.2..0.2).
        opacity: ``1 - clarity`` of the pair's channels (0-1).
        prior_weight: Weight of the existing belief (0-1); ``(R, 1, 1)`` per replicate.
        noise_sd: ``(..., N)`` observers' noise before channels (see :func:`noise_scale`).
        noise: Standard normal draws.

    Returns:
        ``(..., N, N)`` perceived hostility in [0, 1].
    """
    reading = credibility * framing_pull
    reading += face_pull
    reading += prior_weight * belief
    reading += lens_bias
    reading -= intended
    reading += noise_sd[..., :, None] * noise
    reading *= opacity
    reading += intended
    return np.asarray(_clip(reading, 0.0, 1.0, out=reading))


def partner_discount(alignment: F) -> F:
    """How much of a sender's meaning is aimed at each observer: ``1 - max(0, A_ij)``.

    A move's intended hostility is meant toward the sender's rivals and the
    unaligned; a partner is not its audience. Toward observer ``i`` the sender
    means the share ``1 - max(0, A_ij)`` of it: all of it for a rival or an
    unaligned observer, a fifth of it for a partner at alignment 0.8, none for
    a partner at 1. A partnership that sours (alignment falling to 0 or below)
    is read in full again. See docs/model.md 7.5.

    Args:
        alignment: ``(..., N, N)`` in [-1, 1].

    Returns:
        ``(..., N, N)`` in [0, 1].
    """
    return 1.0 - np.maximum(alignment, 0.0)


def meant(hostility: F, alignment: F) -> F:
    """Hostility each sender means toward each observer: ``(1 - max(0, A_ij)) * h_j``.

    Args:
        hostility: ``(..., N)`` what each sender emitted, ``h_j``.
        alignment: ``(..., N, N)`` in [-1, 1] (observer, sender).

    Returns:
        ``(..., N, N)`` indexed ``[observer, sender]``; the perception gap is
        the reading minus this.
    """
    return partner_discount(alignment) * hostility[..., None, :]


def lens_bias(lens_strength: float | F, threat_sensitivity: F, alignment: F) -> F:
    """Bias of each observer's reading of each sender, from sensitivity and alignment.

    ``lens_strength * (threat_sensitivity_i - 0.5 - 0.5 * alignment_ij)``: a
    maximally sensitive observer reading a sworn rival adds ``lens_strength``;
    a relaxed observer reading its closest partner subtracts it.

    Args:
        lens_strength: Scale (0-1); ``(R, 1, 1)`` per replicate.
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
        visibility: Each sender's move visibility (0-1), as ``(..., 1, N)`` rows or
            repeated down the observer axis, ``(..., N, N)``.
        targeted: ``(..., N, N)`` True where observer i is a target of sender j's move.
        not_self: ``(N, N)`` False on the diagonal.

    Returns:
        ``(..., N, N)`` True where observer i saw sender j's move.
    """
    seen = uniforms < visibility
    seen |= targeted
    seen &= not_self
    return seen
