"""Ensembles: many replicates of one scenario, computed in chunks, in parallel.

This module computes; :mod:`sim.outputs.ensemble_folder` writes the folder
(chunk files, ``summary.csv``, ``stats.csv``, ``paths.npz``, fan charts and
``manifest.json``) and is what ``sim ensemble`` and
:func:`sim.outputs.ensemble_folder.run_ensemble` call.

* Replicate seeds come from ``SeedSequence(S).spawn(N)`` (see
  :func:`sim.running.replicates.replicate_seeds`); replicate ``k`` always gets
  the same seed, whatever the number of workers or chunks. Each task derives
  its own chunk's seeds.
* Replicates are grouped in chunks of fixed size (:data:`CHUNK`): the unit of
  work, of writing and of resuming. A process holds one chunk at a time, so
  memory stays flat.
* Locally (``workers``), this process and ``W - 1`` forked ones (a process
  pool with an explicit start-method *context*, so the caller's process-wide
  start method is never changed) each take the next chunk from a shared
  counter when free, and hand it to the ``store`` they were given (which
  writes it). With any other ``concurrent.futures.Executor`` (threads, a Dask
  cluster), each chunk is one task whose result comes back to be stored here.

Example::

    from sim.running.ensemble import EnsembleSpec
    from sim.outputs.ensemble_folder import run_ensemble

    spec = EnsembleSpec(sim.load_scenario("scenarios/dec2025_joint_drill.yaml"), 500, 1, 20)
    run_ensemble(spec, Path("runs/drill-ensemble"), workers=2)
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.running.pool import run_shared
from sim.running.replicates import OUTCOMES, replicate_seeds, run_replicates
from sim.scenario.loader import scenario_hash
from sim.scenario.schema import Scenario

CHUNK = 250
"""Replicates per chunk (the unit of work, of writing and of resuming)."""

LAYOUT = 3
"""Version of the chunk files' layout (part of the fingerprint: a folder written
in another layout is not resumed). 2: chunk summaries carry the ``replicate``
column. 3: each chunk ends with a record of its files' digests."""


@dataclass(frozen=True, slots=True)
class EnsembleSpec:
    """What an ensemble computes; identical specs give identical results."""

    scenario: Scenario
    runs: int
    root_seed: int
    turns: int
    chunk: int = CHUNK
    traces: bool = False

    @property
    def chunks(self) -> int:
        """Number of chunks."""
        return (self.runs + self.chunk - 1) // self.chunk

    def span(self, k: int) -> tuple[int, int]:
        """Chunk ``k``'s first replicate and its number of replicates (the last may be short)."""
        first = k * self.chunk
        return first, min(self.chunk, self.runs - first)

    def fingerprint(self) -> str:
        """Hash of everything that determines the results (for safe resuming)."""
        text = json.dumps(
            {
                "scenario": scenario_hash(self.scenario),
                "runs": self.runs,
                "root_seed": self.root_seed,
                "turns": self.turns,
                "chunk": self.chunk,
                "traces": self.traces,
                "layout": LAYOUT,
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()


Store = Callable[[int, pd.DataFrame, dict[str, np.ndarray]], int]
"""Keeps chunk ``k``'s summary table and arrays (writes them); returns the replicates kept.

It must be picklable (a module-level function or a ``functools.partial`` of
one): local workers call it themselves.
"""


def run_chunk(
    data: dict[str, Any], seeds: Sequence[int], turns: int, traces: bool
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run one chunk of replicates (the task a worker executes).

    Args:
        data: The scenario as plain data (``model_dump``), cheap to send to a worker.
        seeds: Replicate seeds.
        turns: Turns per run.
        traces: Also return per-actor tension and rung paths.

    Returns:
        See :func:`sim.running.replicates.run_replicates`.
    """
    return run_replicates(Scenario.model_validate(data), seeds, turns, traces=traces)


def run_block(
    data: dict[str, Any], root: int, first: int, count: int, turns: int, traces: bool
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run replicates ``first`` to ``first + count - 1`` of root seed ``root`` (an ensemble's task).

    The task derives its replicates' seeds itself
    (:func:`~sim.running.replicates.replicate_seeds` with ``start``), so the
    parent process spawns none and sends only four integers. Otherwise as
    :func:`run_chunk`.
    """
    return run_chunk(data, replicate_seeds(root, count, first), turns, traces)


def run_and_store(spec: EnsembleSpec, store: Store, k: int) -> int:
    """Compute chunk ``k`` and hand it to ``store`` (the task of a local worker)."""
    first, count = spec.span(k)
    seeds = replicate_seeds(spec.root_seed, count, first)
    table, arrays = run_replicates(spec.scenario, seeds, spec.turns, traces=spec.traces)
    return store(k, table, arrays)


TRACE_COLUMNS = ("replicate", "seed", "turn", "actor", "tension", "rung")
"""Columns of a trace table: one row per replicate x turn x actor.

``replicate`` is the replicate's index in the whole ensemble and ``seed`` its
seed (``sim run --seed <seed>`` replays it); ``turn`` runs from 0 (the
starting state) to T; ``actor`` is the actor id; ``tension`` is that actor's
tension after the turn; ``rung`` is the rung of the move it played that turn
(missing, ``<NA>``, at turn 0). Rows are ordered by replicate, turn, then
actor in the scenario's actor order.
"""


def trace_table(
    first: int, seeds: Sequence[int], ids: Sequence[str], tension: np.ndarray, rung: np.ndarray
) -> pd.DataFrame:
    """A chunk's traces as a tidy table (see :data:`TRACE_COLUMNS`).

    Args:
        first: Ensemble index of the chunk's first replicate.
        seeds: The chunk's replicate seeds.
        ids: Actor ids, in array order.
        tension: ``(runs, T + 1, N)`` tension, turn 0 first.
        rung: ``(runs, T, N)`` rung of each actor's move, turns 1..T.
    """
    runs, steps, n = tension.shape
    per_run = steps * n
    rungs = np.zeros((runs, steps, n), dtype=np.int64)
    rungs[:, 1:] = rung
    missing = np.zeros((runs, steps, n), dtype=bool)
    missing[:, 0] = True
    return pd.DataFrame(
        {
            "replicate": np.repeat(np.arange(first, first + runs, dtype=np.int64), per_run),
            "seed": np.repeat(np.asarray(seeds, dtype=np.int64), per_run),
            "turn": np.tile(np.repeat(np.arange(steps, dtype=np.int64), n), runs),
            "actor": np.tile(np.asarray(ids, dtype=object), runs * steps),
            "tension": tension.reshape(-1).astype(np.float64),
            "rung": pd.arrays.IntegerArray(rungs.reshape(-1), missing.reshape(-1)),
        }
    )


def statistics(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and 5/25/50/75/95% quantiles of each outcome."""
    rows = []
    for name in OUTCOMES:
        v = table[name].to_numpy(float)
        q = np.percentile(v, [5, 25, 50, 75, 95])
        rows.append(
            {
                "outcome": name,
                "mean": v.mean(),
                "sd": v.std(ddof=1) if len(v) > 1 else 0.0,
                "q05": q[0],
                "q25": q[1],
                "median": q[2],
                "q75": q[3],
                "q95": q[4],
            }
        )
    return pd.DataFrame(rows)


def compute_chunks(
    spec: EnsembleSpec,
    todo: Sequence[int],
    store: Store,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    on_chunk: Callable[[int], None] | None = None,
    on_count: Callable[[int], None] | None = None,
) -> None:
    """Compute chunks ``todo`` of ``spec`` and hand each to ``store`` as it is done.

    Args:
        spec: What to compute.
        todo: Chunk indices, in the order they are handed out.
        store: Keeps a chunk (see :data:`Store`); local workers call it themselves.
        workers: Processes that compute, this one included: it takes chunks
            alongside ``workers - 1`` forked ones. With an ``executor``: how many
            tasks it runs at once (twice as many chunks are kept in flight).
        executor: Any ``concurrent.futures.Executor`` (e.g. a Dask client's executor).
        on_chunk: Called here with each chunk index once it is stored.
        on_count: Called here with the number of replicates stored so far.
    """

    def stored(k: int) -> None:
        if on_chunk is not None:
            on_chunk(k)

    def counted(total: int) -> None:
        if on_count is not None:
            on_count(total)

    if executor is None:  # local: this process and workers - 1 forked ones share the chunks
        compute = functools.partial(run_and_store, spec, store)
        if workers > 1 and len(todo) > 1:
            pool = run_shared(
                compute, list(todo), min(workers, len(todo)), on_item=stored, on_count=counted
            )
            if pool is not None:  # the idle workers exit while the caller goes on
                pool.shutdown(wait=False)
            return
        total = 0
        for k in todo:
            total += compute(k)
            stored(k)
            counted(total)
        return
    # Any other executor (threads, a Dask cluster): one task per chunk. A
    # remote worker may not share this file system, so it sends its chunk back;
    # it gets the scenario as plain data, cheap to send.
    data = spec.scenario.model_dump(mode="python")
    pending: dict[Future[Any], int] = {}
    queue = list(todo)
    total = 0
    while queue or pending:
        while queue and len(pending) < 2 * max(1, workers):
            k = queue.pop(0)
            task = (data, spec.root_seed, *spec.span(k), spec.turns, spec.traces)
            pending[executor.submit(run_block, *task)] = k
        finished = _first_finished(pending)
        k = pending.pop(finished)
        table, arrays = finished.result()
        total += store(k, table, arrays)
        stored(k)
        counted(total)


def _first_finished(futures: dict[Future[Any], int]) -> Future[Any]:
    """A finished future; among several, the lowest chunk index (a deterministic pick)."""
    done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
    return min(done, key=lambda f: futures[f])
