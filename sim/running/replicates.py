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

from sim.model.compiled import compile_scenario
from sim.model.derive import Derived, derive
from sim.model.engine import Engine, initial_beliefs, initial_credibility
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


def summary_row(seed: int, ids: Sequence[str], d: Derived) -> dict[str, float | int]:
    """One replicate's headline outcomes (see :data:`OUTCOMES`) from its derived arrays."""
    played = d.tension[1:]
    mean = played.mean(axis=1)
    row: dict[str, float | int] = {
        "seed": seed,
        "peak_tension": float(played.max()),
        "peak_mean_tension": float(mean.max()),
        "final_mean_tension": float(mean[-1]),
        "final_escalation_index": float(d.escalation_index[-1]),
        "max_rung": int(d.rung.max()),
        "mean_abs_gap": float(d.mean_abs_gap.mean()),
        "chain_links": int(d.answered.sum()),
        "miscalculations": int(d.miscalculation.sum()),
        "longest_chain": int(d.chain_depth.max(initial=0)),
        "final_norms": float(d.norms[-1]),
    }
    for i, actor in enumerate(ids):
        row[f"final_tension_{actor}"] = float(played[-1, i])
        row[f"peak_tension_{actor}"] = float(played[:, i].max())
    return row


def run_replicates(
    scenario: Scenario, seeds: Iterable[int], turns: int | None = None, *, traces: bool = False
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run ``scenario`` once per seed; return one summary row per seed and the paths.

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
        traces: Also return every actor's tension and rung paths.

    Returns:
        The rows (:func:`summary_row`), and arrays ``mean_tension`` ``(runs, T + 1)``
        and ``escalation_index`` ``(runs, T)``; with ``traces`` also ``tension``
        ``(runs, T + 1, N)`` and ``rung`` ``(runs, T, N)``.
    """
    compiled = compile_scenario(scenario)
    turns = scenario.turns if turns is None else turns
    initial = (
        compiled.initial_tension,
        initial_beliefs(compiled.alignment),
        initial_credibility(compiled.alignment, compiled.posture[:, 3]),
    )
    rows = []
    paths: dict[str, list[np.ndarray]] = {"mean_tension": [], "escalation_index": []}
    if traces:
        paths |= {"tension": [], "rung": []}
    for seed in seeds:
        engine = Engine(compiled, int(seed))
        engine.run(turns)
        d = derive(compiled, engine.records, initial)
        rows.append(summary_row(int(seed), compiled.ids, d))
        paths["mean_tension"].append(d.tension.mean(axis=1))
        paths["escalation_index"].append(d.escalation_index)
        if traces:
            paths["tension"].append(d.tension)
            paths["rung"].append(d.rung)
    return pd.DataFrame(rows), {name: np.array(values) for name, values in paths.items()}


def summaries(scenario: Scenario, seeds: Iterable[int], turns: int | None = None) -> pd.DataFrame:
    """Run ``scenario`` once per seed and summarise each run in one row (see :func:`summary_row`).

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
    """
    return run_replicates(scenario, seeds, turns)[0]
