"""A bare numpy floor: the per-turn work of one turn, with no bookkeeping.

The benchmark measures the engine against this floor in the same run, so a
slow machine slows both. It does what a turn must do and nothing else:

* the random draws (one uniform per actor for the choice, one normal per
  observer and sender for perception noise, one uniform per pair for
  observation);
* a logit choice per actor over its allowed moves (utility from its tension,
  the rung it wants and each move's cost; softmax; inverse-CDF draw);
* every observer's reading of every move: lens bias, framing weighted by
  credibility, channel opacity scaling the noise, clipped to 0..1;
* the belief update of what was seen, and the tension update (Richardson-like:
  reaction to the worst reading, fatigue, grievance);
* a record of the turn (moves, readings, seen mask, beliefs, tension) kept in
  preallocated arrays.

It shares no code with ``sim`` on purpose: it is the cost of the arithmetic,
not of the engine's design. Shapes are ``(batch, n)`` and ``(batch, n, n)``;
``batch=None`` runs one unbatched replicate (what ``sim run`` does).
"""

from __future__ import annotations

import numpy as np


def make_inputs(n: int, m: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Fixed, plausible parameters for ``n`` actors and ``m`` moves."""
    rng = np.random.default_rng(seed)
    alignment = rng.uniform(-1, 1, (n, n))
    alignment = (alignment + alignment.T) / 2
    np.fill_diagonal(alignment, 0.0)
    return {
        "intended": np.sort(rng.uniform(0, 1, m)),
        "framed": np.sort(rng.uniform(0, 0.8, m)),
        "rung": np.linspace(0, 1, m),
        "cost": rng.uniform(0, 0.3, m),
        "allowed": rng.uniform(0, 1, (n, m)) < 0.8,
        "lens": 0.2 * np.clip(-alignment, 0, 1) * rng.uniform(0, 1, (n, 1)),
        "opacity": rng.uniform(0.2, 1, (n, n)),
        "visibility": rng.uniform(0.7, 1, (n, n)),
        "reaction": rng.uniform(0, 0.3, (n, n)),
        "fatigue": rng.uniform(0.05, 0.2, n),
        "grievance": rng.uniform(-0.05, 0.05, n),
        "learning": rng.uniform(0.2, 0.6, n),
        "resolve": rng.uniform(0, 1, n),
        "alignment": alignment,
    }


BLOCK = 32  # turns of random numbers drawn at once per stream (as the engine does)


def _streamed_draws(
    n: int, turns: int, batch: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same draws from one generator per replicate, a block of turns at a time.

    A batch whose replicate k must equal a single run with seed k (and whose
    results do not depend on how replicates are grouped into batches or
    workers) cannot share one generator across replicates: each replicate
    draws from its own stream. This is the cheapest way to do that.
    """
    gens = [np.random.default_rng([seed, k]) for k in range(batch)]
    u = np.empty((turns, batch, n))
    z = np.empty((turns, batch, n, n))
    look = np.empty((turns, batch, n, n))
    for start in range(0, turns, BLOCK):
        t = min(BLOCK, turns - start)
        for k, g in enumerate(gens):
            u[start : start + t, k] = g.random((t, n))
            z[start : start + t, k] = g.standard_normal((t, n, n))
            look[start : start + t, k] = g.random((t, n, n))
    return u, z, look


def floor_run(
    p: dict[str, np.ndarray],
    turns: int,
    batch: int | None,
    seed: int,
    *,
    streams: bool = False,
) -> np.ndarray:
    """Run ``turns`` turns; return the final tension (so nothing is optimised away).

    With ``streams=True`` (a batch only) each replicate draws from its own
    generator (:func:`_streamed_draws`); otherwise one generator serves the
    whole batch, the cheapest possible draw.
    """
    rng = np.random.default_rng(seed)
    n = p["allowed"].shape[0]
    lead: tuple[int, ...] = () if batch is None else (batch,)
    drawn = _streamed_draws(n, turns, batch, seed) if streams and batch else None
    tension = np.full((*lead, n), 0.2)
    belief = np.full((*lead, n, n), 0.3)
    credibility = np.full((*lead, n, n), 0.5)
    log_allowed = np.where(p["allowed"], 0.0, -np.inf)
    noise_scale = 0.1 * p["opacity"]
    rec_move = np.empty((turns, *lead, n), dtype=np.int64)
    rec_perceived = np.empty((turns, *lead, n, n))
    rec_seen = np.empty((turns, *lead, n, n), dtype=bool)
    rec_belief = np.empty((turns, *lead, n, n))
    rec_tension = np.empty((turns, *lead, n))
    for t in range(turns):
        if drawn is None:
            u = rng.random((*lead, n))
            z = rng.standard_normal((*lead, n, n))
            look = rng.random((*lead, n, n))
        else:
            u, z, look = drawn[0][t], drawn[1][t], drawn[2][t]
        # logit choice: want a rung near resolve-weighted tension, pay the cost
        want = (0.5 * tension + 0.5 * p["resolve"])[..., None]
        utility = -np.abs(p["rung"] - want) - p["cost"] + log_allowed
        temperature = 0.08 + 0.2 * tension[..., None]
        w = np.exp((utility - utility.max(axis=-1, keepdims=True)) / temperature)
        cdf = np.cumsum(w, axis=-1)
        move = (cdf < (u * cdf[..., -1])[..., None]).sum(axis=-1)
        # every observer i reads every sender j's move
        intended = p["intended"][move][..., None, :]
        framed = p["framed"][move][..., None, :]
        face = credibility * framed + (1 - credibility) * intended
        perceived = np.clip(face + p["lens"] + noise_scale * z, 0.0, 1.0)
        seen = look < p["visibility"]
        # beliefs move toward what was seen; tension reacts to the worst reading
        rate = p["learning"][:, None]
        belief = np.where(seen, belief + rate * (perceived - belief), belief)
        worst = np.where(seen, perceived * p["reaction"], 0.0).max(axis=-1)
        tension = np.clip(tension + worst - p["fatigue"] * tension + p["grievance"], 0.0, 1.0)
        credibility = np.where(
            seen, 0.9 * credibility + 0.1 * (1 - np.abs(face - intended)), credibility
        )
        rec_move[t] = move
        rec_perceived[t] = perceived
        rec_seen[t] = seen
        rec_belief[t] = belief
        rec_tension[t] = tension
    return tension
