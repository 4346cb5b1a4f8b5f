"""Random numbers for a run or a batch: three independent streams per root seed.

Randomness comes from three streams spawned from the root seed (choices,
observation, reading noise), drawn in fixed shapes every turn, so two
variants of a scenario with the same actors and moves share their random
numbers (common random numbers), and results never depend on how draws are
batched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]

_BLOCK = 32


class Draws:
    """Random numbers for one run or a batch: three streams per root seed, drawn in blocks.

    Per turn and replicate: uniforms ``(N, M + 1)`` for choices (the first M
    columns become Gumbel draws for logit choice, the last is a plain
    uniform), uniforms ``(N, N)`` for observation and standard normals
    ``(N, N)`` for reading noise. Blocks are C-ordered slices of each stream,
    so the numbers a turn gets depend neither on the block size nor on which
    other replicates share the batch.

    Each stream fills its replicate's slice of buffers allocated once, so
    drawing a block allocates nothing: a batch's turn gets views with the
    replicate axis first.

    Args:
        seeds: Root seeds, one per replicate.
        n: Actors.
        m: Moves.
        batched: Give every array a leading replicate axis (else one seed).
    """

    def __init__(self, seeds: Sequence[int], n: int, m: int, *, batched: bool) -> None:
        self._streams = [
            tuple(
                np.random.Generator(np.random.PCG64(s))
                for s in np.random.SeedSequence(seed).spawn(3)
            )
            for seed in seeds
        ]
        self._m, self._batched = m, batched
        # Turns drawn per block: up to 32, fewer for large batches so a block stays near 8 MB.
        per_turn = len(seeds) * (n * n + n * (m + 1))
        self._block = max(1, min(_BLOCK, 1_000_000 // max(1, per_turn)))
        self._k = self._block
        runs, block = len(seeds), self._block
        self._raw: F = np.empty((runs, block, n, m + 1))
        self._g: F = np.empty((runs, block, n, m))
        self._o: F = np.empty((runs, block, n, n))
        self._z: F = np.empty((runs, block, n, n))

    def _refill(self) -> None:
        for r, (c, o, z) in enumerate(self._streams):
            c.random(out=self._raw[r])
            o.random(out=self._o[r])
            z.standard_normal(out=self._z[r])
        g = self._g
        with np.errstate(divide="ignore"):  # Gumbel draws: -log(-log(u))
            np.log(self._raw[..., : self._m], out=g)
            np.negative(g, out=g)
            np.log(g, out=g)
        np.negative(g, out=g)
        self._k = 0

    def next(self) -> tuple[F, F, F, F]:
        """This turn's (choice uniforms, Gumbel draws, observation uniforms, normals)."""
        if self._k >= self._block:
            self._refill()
        k = self._k
        self._k += 1
        if self._batched:
            return self._raw[:, k, :, self._m], self._g[:, k], self._o[:, k], self._z[:, k]
        return self._raw[0, k, :, self._m], self._g[0, k], self._o[0, k], self._z[0, k]
