"""Many runs of one scenario: replicate seeds and per-replicate summaries.

Replicate seeds come from ``numpy.random.SeedSequence(root).spawn(n)``; each
child is turned into a plain 63-bit integer seed, so any single replicate can
be rerun alone with ``sim run --seed <that seed>`` and gives the same result.

This is the small, single-process core that the scenario library's tests use
to check the claims in its teaching notes; parallel ensembles build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from sim.model.compiled import Compiled, compile_scenario
from sim.model.derive import Outcomes, chain_links, reading_features
from sim.model.engine import Engine
from sim.model.indices import escalation_index
from sim.scenario.schema import Scenario


def replicate_seeds(root: int, n: int) -> list[int]:
    """``n`` independent integer seeds spawned from ``root`` (deterministic)."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


OUTCOMES = (
    "peak_tension",
    "peak_mean_tension",
    "final_mean_tension",
    "final_escalation_index",
    "max_rung",
    "mean_abs_gap",
    "chain_links",
    "miscalculations",
    "longest_chain",
    "final_norms",
)
"""Per-replicate outcomes, in column order (each actor's final and peak tension follow)."""


def summary_rows(
    seeds: Sequence[int], ids: Sequence[str], d: Outcomes
) -> list[dict[str, float | int]]:
    """Each replicate's headline outcomes (see :data:`OUTCOMES`) from a batch's derived arrays.

    ``d`` holds a batch (arrays shaped ``(T, R, ...)``, replicates in ``seeds``
    order). Every reduction runs over a contiguous last axis, as it would for
    one run alone, so each row is bit-for-bit the row of a single run.
    """

    def per_replicate(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(np.moveaxis(a, 1, 0))  # (R, T, ...)

    played = per_replicate(d.tension[1:])  # (R, T, N)
    mean = played.mean(axis=-1)  # (R, T)
    flat = played.reshape(len(seeds), -1)
    columns: dict[str, np.ndarray] = {
        "seed": np.asarray(seeds, dtype=np.int64),
        "peak_tension": flat.max(axis=-1),
        "peak_mean_tension": mean.max(axis=-1),
        "final_mean_tension": mean[:, -1],
        "final_escalation_index": d.escalation_index[-1],
        "max_rung": per_replicate(d.rung).reshape(len(seeds), -1).max(axis=-1),
        "mean_abs_gap": per_replicate(d.mean_abs_gap).mean(axis=-1),
        "chain_links": per_replicate(d.answered).reshape(len(seeds), -1).sum(axis=-1),
        "miscalculations": per_replicate(d.miscalculation).reshape(len(seeds), -1).sum(axis=-1),
        "longest_chain": per_replicate(d.chain_depth)
        .reshape(len(seeds), -1)
        .max(axis=-1, initial=0),
        "final_norms": d.norms[-1],
    }
    for i, actor in enumerate(ids):
        columns[f"final_tension_{actor}"] = played[:, -1, i]
        columns[f"peak_tension_{actor}"] = played[:, :, i].max(axis=-1)
    names = list(columns)
    return [
        dict(zip(names, values, strict=True))
        for values in zip(*(columns[k].tolist() for k in names), strict=True)
    ]


def batch_size(n: int, turns: int) -> int:
    """Most replicates advanced together: 256, fewer for large N so a turn's arrays stay small.

    ``turns`` does not matter: batches keep no per-turn records (see :func:`play_batch`).
    """
    del turns
    return max(1, min(256, 1_000_000 // max(1, n * n)))


def play_batch(compiled: Compiled, seeds: Sequence[int], turns: int) -> Outcomes:
    """Play a batch of replicates, keeping only what their summaries need.

    The engine keeps no records; each turn's readings are reduced at once to
    the perception gap and each observer's most hostile reading
    (:func:`~sim.model.derive.reading_features`), so memory stays small and in
    cache. The numbers equal :func:`~sim.model.derive.derive` on full records.
    """
    engine = Engine(compiled, list(seeds), keep_records=False)
    per_turn = []
    for _ in range(turns):
        r = engine.step()
        gap, worst = reading_features(r.seen, r.perceived, r.hostility)
        per_turn.append((r.move, r.tension, r.norms, gap, *worst))
    columns = list(zip(*per_turn, strict=True)) if per_turn else [()] * 7
    move, after, norms, gap, sender, reading, intended = (np.array(c) for c in columns)
    shape = (turns, len(seeds), compiled.n)
    rung = compiled.rungs[move.reshape(shape).astype(np.int64)]
    start = np.broadcast_to(compiled.initial_tension, (1, *shape[1:]))
    tension = np.concatenate([start, after.reshape(shape)])
    worst = (
        sender.reshape(shape).astype(np.int64),
        reading.reshape(shape),
        intended.reshape(shape),
    )
    _, _, _, answered, miscalculation, depth = chain_links(rung, worst, compiled.scenario.dynamics)
    return Outcomes(
        tension=tension,
        rung=rung,
        norms=norms.reshape(shape[:2]),
        mean_abs_gap=gap.reshape(shape[:2]),
        escalation_index=escalation_index(tension[1:], rung, compiled.top_rung),
        answered=answered,
        miscalculation=miscalculation,
        chain_depth=depth,
    )


def run_replicates(
    scenario: Scenario, seeds: Iterable[int], turns: int | None = None, *, traces: bool = False
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run ``scenario`` once per seed; return one summary row per seed and the paths.

    Replicates are advanced in batches (see :class:`~sim.model.engine.Engine`);
    each replicate's numbers equal those of a single run with its seed.

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
        traces: Also return every actor's tension and rung paths.

    Returns:
        The rows (:func:`summary_rows`), and arrays ``mean_tension`` ``(runs, T + 1)``
        and ``escalation_index`` ``(runs, T)``; with ``traces`` also ``tension``
        ``(runs, T + 1, N)`` and ``rung`` ``(runs, T, N)``.
    """
    compiled = compile_scenario(scenario)
    turns = scenario.turns if turns is None else turns
    seeds = [int(seed) for seed in seeds]
    rows: list[dict[str, float | int]] = []
    paths: dict[str, list[np.ndarray]] = {"mean_tension": [], "escalation_index": []}
    if traces:
        paths |= {"tension": [], "rung": []}
    size = batch_size(compiled.n, turns)
    count = -(-len(seeds) // size)  # batches of (nearly) equal size, none tiny
    for part in np.array_split(np.asarray(seeds, dtype=np.int64), count) if seeds else []:
        batch = [int(seed) for seed in part]
        o = play_batch(compiled, batch, turns)
        rows.extend(summary_rows(batch, compiled.ids, o))
        paths["mean_tension"].append(o.tension.mean(axis=-1).T)
        paths["escalation_index"].append(np.asarray(o.escalation_index).T)
        if traces:
            paths["tension"].append(np.moveaxis(o.tension, 1, 0))
            paths["rung"].append(np.moveaxis(o.rung, 1, 0))
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
    return pd.DataFrame(rows), arrays


def summaries(scenario: Scenario, seeds: Iterable[int], turns: int | None = None) -> pd.DataFrame:
    """Run ``scenario`` once per seed and summarise each run in one row (see :func:`summary_row`).

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
    """
    return run_replicates(scenario, seeds, turns)[0]
