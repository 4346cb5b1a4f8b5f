"""Many runs of one scenario: replicate seeds and per-replicate summaries.

Replicate seeds come from ``numpy.random.SeedSequence(root).spawn(n)``; each
child is turned into a plain 63-bit integer seed, so any single replicate can
be rerun alone with ``sim run --seed <that seed>`` and gives the same result.

This is the small, single-process core that the scenario library's tests use
to check the claims in its teaching notes; parallel ensembles build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sim.model.coefficients import Coefficients, per_replicate
from sim.model.compiled import Compiled, compile_scenario
from sim.model.derive import counteracts, deepen, miscalculates, reading_features
from sim.model.engine import Engine, TurnRecord
from sim.model.indices import escalation_index
from sim.model.outcomes import outcome_names
from sim.scenario.schema import Scenario


def replicate_seeds(root: int, n: int, start: int = 0) -> list[int]:
    """The integer seeds of replicates ``start`` to ``start + n - 1`` of ``root`` (deterministic).

    Replicate ``k``'s seed comes from the ``k``-th child of
    ``SeedSequence(root).spawn(...)``, built directly as
    ``SeedSequence(root, spawn_key=(k,))`` (the same child), so a chunk of an
    ensemble can derive its own seeds without spawning those before it.
    """
    children = (np.random.SeedSequence(root, spawn_key=(k,)) for k in range(start, start + n))
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


OUTCOMES: tuple[str, ...] = outcome_names()
"""Per-replicate outcomes, in column order (each actor's final and peak tension follow).

The names of the one outcome table, :data:`sim.model.outcomes.OUTCOMES`."""


def batch_size(n: int, turns: int) -> int:
    """Most replicates advanced together: 256, fewer for large N so a turn's arrays stay small.

    ``turns`` does not matter: batches keep no per-turn records (see :class:`Tally`).
    """
    del turns
    return max(1, min(256, 1_000_000 // max(1, n * n)))


class Tally:
    """A batch's per-replicate outcomes, folded in turn by turn as the engine plays.

    Nothing shaped ``(T, R, N)`` is kept (unless ``traces``): each turn's record
    is reduced at once to running maxima, counts and chain depths, plus the
    ``(T, R)`` series the outcomes average over time. Every value is
    bit-for-bit what :func:`~sim.model.derive.derive` gives for a single run:
    means over actors and over turns reduce a contiguous last axis as there,
    and maxima and counts do not depend on order.

    Args:
        compiled: The scenario as arrays.
        runs: Replicates in the batch (R).
        turns: Turns to be played (T >= 1).
        traces: Also keep every actor's tension and rung per turn.
        coefficients: Dynamics fields that differ per replicate (as for
            :class:`~sim.model.engine.Engine`); the thresholds that define
            counter-actions and miscalculations are then each replicate's own.
    """

    def __init__(
        self,
        compiled: Compiled,
        runs: int,
        turns: int,
        traces: bool = False,
        coefficients: Mapping[str, ArrayLike] | None = None,
    ) -> None:
        self.compiled, self.turns, self.traces = compiled, turns, traces
        d = compiled.scenario.dynamics
        self.d = Coefficients(d, per_replicate(d, coefficients, runs), 1)
        n = compiled.n
        start = np.ascontiguousarray(np.broadcast_to(compiled.initial_tension, (runs, n)))
        self.mean_tension = np.empty((turns + 1, runs))  # turn 0 is the start
        self.mean_tension[0] = start.mean(axis=-1)
        self.escalation_index = np.empty((turns, runs))
        self.gap = np.empty((turns, runs))
        self.peak = np.full((runs, n), -np.inf)  # each actor's peak tension
        self.peak_mean = np.full(runs, -np.inf)
        self.top = np.zeros((runs, n), dtype=np.int64)  # highest rung played
        self.links = np.zeros((runs, n), dtype=np.int64)
        self.misses = np.zeros((runs, n), dtype=np.int64)
        self.longest = np.zeros((runs, n), dtype=np.int64)
        self.depth = np.zeros((runs, n), dtype=np.int64)
        self.tension, self.norms = start, np.zeros(runs)
        self.hostility = np.zeros((runs, n))
        self.worst: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.tensions: list[np.ndarray] = [start]
        self.rungs: list[np.ndarray] = []
        self.played = 0

    def add(self, r: TurnRecord) -> None:
        """Fold in the record of the next turn (batch shapes: ``(R, N)``, ``(R, N, N)``)."""
        c, d, t = self.compiled, self.d, self.played
        rung = c.rungs[r.move]
        gap, worst = reading_features(r.seen, r.perceived, r.hostility, r.alignment)
        mean = r.tension.mean(axis=-1)
        self.mean_tension[t + 1] = mean
        self.escalation_index[t] = escalation_index(r.tension, rung, c.top_rung)
        self.gap[t] = gap
        np.maximum(self.peak, r.tension, out=self.peak)
        np.maximum(self.peak_mean, mean, out=self.peak_mean)
        np.maximum(self.top, rung, out=self.top)
        if self.worst is not None:  # turn 1 counter-acts nothing: no readings precede it
            sender, reading, meant = self.worst
            countered = counteracts(self.hostility, r.hostility, reading, meant, d)
            self.links += countered
            self.misses += miscalculates(countered, reading, meant, d)
            self.depth = deepen(self.depth, sender, countered)
            np.maximum(self.longest, self.depth, out=self.longest)
        self.hostility, self.worst, self.tension = r.hostility.copy(), worst, r.tension
        self.norms = np.asarray(r.norms)
        if self.traces:
            self.tensions.append(r.tension)
            self.rungs.append(rung)
        self.played = t + 1

    def columns(self, seeds: Sequence[int], ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each replicate's headline outcomes (see :data:`OUTCOMES`), one array per column.

        Columns are ``seed``, the outcomes, then each actor's final and peak
        tension; counts and rungs are int64, the rest float64.
        """
        if self.played != self.turns:
            raise ValueError(f"{self.played} of {self.turns} turns were added")
        mean = self.mean_tension[1:]
        misses = self.misses.sum(axis=-1)
        reduced: dict[str, np.ndarray] = {
            "peak_tension": self.peak.max(axis=-1),
            "peak_mean_tension": self.peak_mean,
            "final_mean_tension": mean[-1],
            "final_escalation_index": self.escalation_index[-1],
            "max_rung": self.top.max(axis=-1),
            "mean_abs_gap": np.ascontiguousarray(self.gap.T).mean(axis=-1),
            "chain_links": self.links.sum(axis=-1),
            "miscalculations": misses,
            "miscalculation_rate": misses / (self.compiled.n * self.turns),
            "longest_chain": self.longest.max(axis=-1),
            "final_norms": self.norms,
        }
        if set(reduced) != set(OUTCOMES):
            raise RuntimeError(
                "the batch tally and sim.model.outcomes.OUTCOMES are out of step: "
                f"reduced here only {sorted(set(reduced) - set(OUTCOMES))}, "
                f"not reduced here {sorted(set(OUTCOMES) - set(reduced))}"
            )
        columns: dict[str, np.ndarray] = {"seed": np.asarray(seeds, dtype=np.int64)}
        columns.update((name, reduced[name]) for name in OUTCOMES)
        for i, actor in enumerate(ids):
            columns[f"final_tension_{actor}"] = self.tension[:, i]
            columns[f"peak_tension_{actor}"] = self.peak[:, i]
        return {
            name: v.astype(np.int64 if np.issubdtype(v.dtype, np.integer) else np.float64)
            for name, v in columns.items()
        }

    def paths(self) -> dict[str, np.ndarray]:
        """The batch's paths, replicate axis first.

        ``mean_tension`` ``(R, T + 1)`` and ``escalation_index`` ``(R, T)``;
        with traces also ``tension`` ``(R, T + 1, N)`` and ``rung`` ``(R, T, N)``.
        """
        paths = {
            "mean_tension": np.ascontiguousarray(self.mean_tension.T),
            "escalation_index": np.ascontiguousarray(self.escalation_index.T),
        }
        if self.traces:
            paths["tension"] = np.stack(self.tensions, axis=1)
            paths["rung"] = np.stack(self.rungs, axis=1)
        return paths


def play_batch(
    compiled: Compiled,
    seeds: Sequence[int],
    turns: int,
    traces: bool = False,
    coefficients: Mapping[str, ArrayLike] | None = None,
) -> Tally:
    """Play a batch of replicates, keeping only what their summaries need (see :class:`Tally`).

    The engine keeps no records: each turn is folded into the tally at once,
    so memory stays small and in cache. ``coefficients``: dynamics fields that
    differ per replicate, one value per seed (see :mod:`sim.model.coefficients`).
    """
    engine = Engine(compiled, list(seeds), keep_records=False, coefficients=coefficients)
    tally = Tally(compiled, len(seeds), turns, traces, coefficients)
    for _ in range(turns):
        tally.add(engine.step())
    return tally


def run_replicates(
    scenario: Scenario,
    seeds: Iterable[int],
    turns: int | None = None,
    *,
    traces: bool = False,
    coefficients: Mapping[str, ArrayLike] | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run ``scenario`` once per seed; return one summary row per seed and the paths.

    Replicates are advanced in batches (see :class:`~sim.model.engine.Engine`);
    each replicate's numbers equal those of a single run with its seed.

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
        traces: Also return every actor's tension and rung paths.
        coefficients: Dynamics fields that differ per replicate: field name -> one
            value per seed, in ``seeds`` order (see :mod:`sim.model.coefficients`);
            replicate ``k`` then equals a run of the scenario with those fields set
            to its values.

    Returns:
        The summary table, one row per seed in ``seeds`` order (columns of
        :meth:`Tally.columns`), and arrays ``mean_tension`` ``(runs, T + 1)``
        and ``escalation_index`` ``(runs, T)``; with ``traces`` also ``tension``
        ``(runs, T + 1, N)`` and ``rung`` ``(runs, T, N)``.
    """
    compiled = compile_scenario(scenario)
    turns = scenario.turns if turns is None else turns
    seeds = [int(seed) for seed in seeds]
    varying = per_replicate(scenario.dynamics, coefficients, len(seeds))
    columns: list[dict[str, np.ndarray]] = []
    paths: dict[str, list[np.ndarray]] = {"mean_tension": [], "escalation_index": []}
    if traces:
        paths |= {"tension": [], "rung": []}
    size = batch_size(compiled.n, turns)
    count = -(-len(seeds) // size)  # batches of (nearly) equal size, none tiny
    for rows in np.array_split(np.arange(len(seeds)), count) if seeds else []:
        batch = [seeds[k] for k in rows]
        part = {name: values[rows] for name, values in varying.items()}
        tally = play_batch(compiled, batch, turns, traces, part)
        columns.append(tally.columns(batch, compiled.ids))
        for name, value in tally.paths().items():
            paths[name].append(value)
    n, t = compiled.n, turns
    empty = {
        "mean_tension": (0, t + 1),
        "escalation_index": (0, t),
        "tension": (0, t + 1, n),
        "rung": (0, t, n),
    }
    arrays = {
        name: np.concatenate(values) if values else np.zeros(empty[name])
        for name, values in paths.items()
    }
    table = pd.DataFrame(
        {name: np.concatenate([part[name] for part in columns]) for name in columns[0]}
        if columns
        else {}
    )
    return table, arrays


def summaries(scenario: Scenario, seeds: Iterable[int], turns: int | None = None) -> pd.DataFrame:
    """Run ``scenario`` once per seed and summarise each run in one row (see :meth:`Tally.columns`).

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
    """
    return run_replicates(scenario, seeds, turns)[0]
