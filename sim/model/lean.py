"""Large runs: readings summarised turn by turn instead of kept whole.

A run of N actors makes N x (N - 1) readings a turn, and keeps N x N
matrices of readings, beliefs and framing credibility for every turn: at
1,000 actors and 100 turns that is about 4 GB of records and 100 million
rows of ``events.csv``. Above a threshold of actors, a single run therefore
keeps, for every turn but the last, only a :class:`ReadingSummary` computed
as the turn is played, and drops that turn's N x N matrices. The threshold
is :data:`FULL_READINGS_UP_TO` actors, or the environment variable
``SIM_FULL_READINGS_UP_TO`` (a whole number; tests lower it to exercise the
summary with few actors). Batches (ensembles) are never summarised here:
they keep their own per-replicate summaries.

What a summarised run still has, exactly as a full run would compute it:
moves, tension, rungs, norms, the escalation index, polarisation, the mean
absolute perception gap, counter-actions, miscalculations and chains, the
mean gap of each observer about each sender over the run (``P - meant``),
the full belief and credibility matrices at the start and at the end, and
the belief and credibility of every pair named by a condition (injects,
debrief prompts). What it summarises (:data:`RULE`):

* ``events.csv``: for each move, the readings of the :data:`KEPT_READINGS`
  observer(s) that misread it most (largest absolute gap; equal gaps in
  observer order), in observer order; a move nobody saw has one row with an
  empty observer. The transcript therefore lists that reading under each
  move (the same as a full run's transcript with ``max_readings=1``), and the
  debrief, which quotes the widest misreading of the run, is unchanged;
* ``metrics.csv``: ``belief``, ``credibility`` and ``perception_gap`` are
  per actor (``other`` empty) instead of per pair: the actor's mean belief
  about the others, the mean credibility it gives their framing, and the mean
  signed gap of the moves it saw (no row in a turn where it saw none).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model.compiled import Compiled
from sim.model.indices import polarisation, reading_features
from sim.model.perception import meant

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

FULL_READINGS_UP_TO = 100
"""Runs of up to this many actors keep every reading (the default threshold)."""

KEPT_READINGS = 1
"""Readings kept per move in a summarised run: the most misread one."""

ENVIRONMENT = "SIM_FULL_READINGS_UP_TO"
"""Environment variable that overrides :data:`FULL_READINGS_UP_TO`."""

RULE = (
    "above {limit} actors a run keeps, per move, the {kept} reading(s) with the largest "
    "absolute gap (events.csv; a move nobody saw: one row with no observer), and "
    "per-actor means instead of per-pair belief, credibility and perception_gap rows "
    "(metrics.csv)"
)


def full_readings_up_to() -> int:
    """The threshold in force: ``SIM_FULL_READINGS_UP_TO`` if set, else the default.

    Raises:
        ValueError: the variable is set to something other than a whole number >= 0.
    """
    raw = os.environ.get(ENVIRONMENT, "").strip()
    if not raw:
        return FULL_READINGS_UP_TO
    if not raw.isdigit():
        raise ValueError(f"{ENVIRONMENT} must be a whole number of actors, got {raw!r}")
    return int(raw)


def summarised(n: int) -> bool:
    """Whether a single run of ``n`` actors summarises its readings."""
    return n > full_readings_up_to()


def readings_note(n: int, limit: int | None = None) -> dict[str, Any]:
    """What a run folder's manifest says about its readings (``"readings"``)."""
    limit = full_readings_up_to() if limit is None else limit
    if n <= limit:
        return {"mode": "full", "full_up_to_actors": limit}
    return {
        "mode": "summarised",
        "full_up_to_actors": limit,
        "setting": ENVIRONMENT,
        "rule": RULE.format(limit=limit, kept=KEPT_READINGS),
    }


@dataclass(slots=True)
class ReadingSummary:
    """What a summarised run keeps of one turn's readings (N actors, K kept readings).

    Attributes:
        mean_abs_gap: Mean absolute gap over every reading made.
        worst: ``(sender, reading, meant)``, each ``(N,)``: the most hostile
            reading each observer made and what its sender meant toward the
            observer (as :func:`sim.model.indices.reading_features`).
        prior: ``(N,)`` each observer's belief, before the turn, about the
            sender of its most hostile reading.
        polarisation: Polarisation after the turn.
        observer: ``(K, N)`` the observers of each sender's move kept.
        kept: ``(K, N)`` whether that observer saw the move.
        perceived: ``(K, N)`` its reading (NaN where not kept).
        any_seen: ``(N,)`` the observer saw at least one move.
        observer_abs_gap: ``(N,)`` its mean absolute gap (NaN where it saw none).
        observer_gap: ``(N,)`` its mean signed gap ``P - meant`` (NaN where it saw none).
        mean_belief: ``(N,)`` its mean belief about the others, after the turn.
        mean_credibility: ``(N,)`` the mean credibility it gives the others' framing.
        tracked_belief: ``(P,)`` belief of each tracked pair after the turn.
        tracked_credibility: ``(P,)`` credibility of each tracked pair.
        totals: The run's :class:`GapTotals` (one object for every turn; the sums so far).
    """

    mean_abs_gap: float
    worst: tuple[I, F, F]
    prior: F
    polarisation: float
    observer: I
    kept: B
    perceived: F
    any_seen: B
    observer_abs_gap: F
    observer_gap: F
    mean_belief: F
    mean_credibility: F
    tracked_belief: F
    tracked_credibility: F
    totals: GapTotals


def tracked_pairs(compiled: Compiled) -> tuple[I, I]:
    """The (actor, about) pairs named by a condition (injects, debrief prompts), as indices."""
    conditions = [cond for inj in compiled.injects for cond in (*inj.all, *inj.any)]
    conditions += [p.when for p in compiled.scenario.debrief if p.when is not None]
    index = compiled.index
    pairs = sorted(
        {
            (index[c.actor], index[c.about])
            for c in conditions
            if c.actor in index and c.about in index and c.actor != c.about
        }
    )
    return np.array([i for i, _ in pairs], dtype=np.int64), np.array(
        [j for _, j in pairs], dtype=np.int64
    )


def summarise(
    *,
    seen: B,
    perceived: F,
    hostility: F,
    belief_before: F,
    belief: F,
    credibility: F,
    alignment: F,
    tracked: tuple[I, I],
    totals: GapTotals,
) -> ReadingSummary:
    """One turn's :class:`ReadingSummary`; adds the turn's gaps to ``totals``.

    Gaps are ``P_ij - meant_ij`` with the alignment in force during the turn
    (:func:`sim.model.perception.meant`), as in a full run.
    """
    n = seen.shape[-1]
    mean_abs_gap, worst = reading_features(seen, perceived, hostility, alignment)
    gap = np.where(seen, perceived - meant(hostility, alignment), 0.0)
    count = seen.sum(axis=1)
    abs_total = np.where(seen, np.abs(gap), 0.0).sum(axis=1)
    any_seen = count > 0
    safe = np.maximum(count, 1)
    kept, top = _most_misread(seen, np.abs(gap), min(KEPT_READINGS, n))
    others = max(n - 1, 1)
    off = ~np.eye(n, dtype=bool)
    ti, tj = tracked
    summary = ReadingSummary(
        mean_abs_gap=float(mean_abs_gap),
        worst=worst,
        prior=belief_before[np.arange(n), worst[0]],
        polarisation=float(polarisation(belief, alignment)),
        observer=top,
        kept=kept,
        perceived=np.where(kept, perceived[top, np.arange(n)[None, :]], np.nan),
        any_seen=any_seen,
        observer_abs_gap=np.where(any_seen, abs_total / safe, np.nan),
        observer_gap=np.where(any_seen, gap.sum(axis=1) / safe, np.nan),
        mean_belief=np.where(off, belief, 0.0).sum(axis=1) / others,
        mean_credibility=np.where(off, credibility, 0.0).sum(axis=1) / others,
        tracked_belief=belief[ti, tj],
        tracked_credibility=credibility[ti, tj],
        totals=totals,
    )
    totals.add(gap, seen)
    return summary


def _most_misread(seen: B, size: F, k: int) -> tuple[B, I]:
    """Per sender (column): the ``k`` seen readings of largest ``size`` (equal: observer order).

    Returned ``(k, N)`` in observer order, with a mask of the slots used. The
    same readings as sorting each column by (-size, observer) and taking the
    first ``k``, in linear time per column.
    """
    n = seen.shape[0]
    key = np.where(seen, size, -1.0)  # sizes are >= 0: an unseen reading is never above one
    kth = np.partition(key, n - k, axis=0)[n - k]  # the k-th largest of each column
    above = seen & (key > kth)
    level = seen & (key == kth)
    room = k - above.sum(axis=0)
    chosen = above | (level & (np.cumsum(level, axis=0) <= room))
    slot = np.cumsum(chosen, axis=0) - 1
    rows, cols = np.nonzero(chosen)
    top = np.zeros((k, n), dtype=np.int64)
    used = np.zeros((k, n), dtype=bool)
    top[slot[rows, cols], cols] = rows
    used[slot[rows, cols], cols] = True
    return used, top


@dataclass(slots=True)
class GapTotals:
    """Run-long sums of the signed gap ``P - meant`` and of the readings, observer x sender."""

    total: F
    count: I

    @classmethod
    def zeros(cls, n: int) -> GapTotals:
        """Empty sums for ``n`` actors."""
        return cls(np.zeros((n, n)), np.zeros((n, n), dtype=np.int64))

    def add(self, gap: F, seen: B) -> None:
        """Add one turn's gaps (zero where unseen) and readings."""
        self.total += gap
        self.count += seen

    def mean(self) -> F:
        """Mean gap of each observer about each sender (NaN where it never saw one)."""
        return np.where(self.count > 0, self.total / np.maximum(self.count, 1), np.nan)


class SummarisedError(LookupError):
    """A value a summarised run did not keep was asked for."""


class PairHistory:
    """A ``(T + 1, N, N)`` belief or credibility history, kept only in part.

    Kept: the full matrices at the start (row 0) and at the end (row T), and
    every row of the tracked pairs. For beliefs, also each observer's belief
    before each turn about the sender of its most hostile reading in that turn
    (what the debrief quotes about a miscalculation). Indexing works as on the
    full array for these values (``h[0]``, ``h[-1]``, ``h[1:]``, ``h[t, i, j]``,
    ``h[..., i, j]``); anything else raises :class:`SummarisedError`.
    """

    def __init__(
        self,
        first: F,
        last: F,
        turns: int,
        tracked: dict[tuple[int, int], F],
        prior: tuple[I, F] | None = None,
        rows: I | None = None,
    ) -> None:
        self._first, self._last, self._turns = first, last, turns
        self._tracked, self._prior = tracked, prior
        self._rows = np.arange(turns + 1) if rows is None else rows

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(rows, N, N)``, as the full array's."""
        n = self._first.shape[-1]
        return (len(self._rows), n, n)

    def __len__(self) -> int:
        return len(self._rows)

    def _matrix(self, row: int) -> F:
        if row == 0:
            return self._first
        if row == self._turns:
            return self._last
        raise SummarisedError(
            f"the full matrix after turn {row} is not kept in a run that summarises its readings"
        )

    def _value(self, row: int, i: int, j: int) -> float:
        if row == 0:
            return float(self._first[i, j])
        if row == self._turns:
            return float(self._last[i, j])
        if (i, j) in self._tracked:
            return float(self._tracked[i, j][row])
        if self._prior is not None and row < self._turns:
            sender, prior = self._prior
            if int(sender[row, i]) == j:
                return float(prior[row, i])
        raise SummarisedError(
            f"the value for actors {i}, {j} after turn {row} is not kept in a run that "
            "summarises its readings"
        )

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return PairHistory(
                self._first, self._last, self._turns, self._tracked, self._prior, self._rows[key]
            )
        if isinstance(key, int | np.integer):
            return self._matrix(int(self._rows[key]))
        if isinstance(key, tuple) and len(key) == 3:
            t, i, j = key
            i, j = int(i), int(j)
            if t is Ellipsis or t == slice(None):
                if (i, j) in self._tracked:
                    return self._tracked[i, j][self._rows]
                return np.array([self._value(int(r), i, j) for r in self._rows])
            if isinstance(t, int | np.integer):
                return self._value(int(self._rows[t]), i, j)
        raise SummarisedError(f"index {key!r} is not kept in a run that summarises its readings")


__all__ = [
    "ENVIRONMENT",
    "FULL_READINGS_UP_TO",
    "KEPT_READINGS",
    "RULE",
    "GapTotals",
    "PairHistory",
    "ReadingSummary",
    "SummarisedError",
    "full_readings_up_to",
    "readings_note",
    "summarise",
    "summarised",
    "tracked_pairs",
]
