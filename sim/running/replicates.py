"""Many runs of one scenario: replicate seeds and per-replicate summaries.

Replicate seeds come from ``numpy.random.SeedSequence(root).spawn(n)``; each
child is turned into a plain 63-bit integer seed, so any single replicate can
be rerun alone with ``sim run --seed <that seed>`` and gives the same result.

This is the small, single-process core that the scenario library's tests use
to check the claims in its teaching notes; parallel ensembles build on it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.model.compiled import compile_scenario
from sim.model.derive import derive
from sim.model.engine import Engine, initial_beliefs, initial_credibility
from sim.scenario.schema import Scenario


def replicate_seeds(root: int, n: int) -> list[int]:
    """``n`` independent integer seeds spawned from ``root`` (deterministic)."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


def summaries(scenario: Scenario, seeds: Iterable[int], turns: int | None = None) -> pd.DataFrame:
    """Run ``scenario`` once per seed and summarise each run in one row.

    Columns: ``seed``, ``peak_tension`` (highest tension of any actor after
    turn 0), ``peak_mean_tension`` (highest mean over actors), ``final_mean_tension``,
    ``final_escalation_index``, ``max_rung``, ``mean_abs_gap``, ``chain_links``,
    ``miscalculations``, ``longest_chain``, ``final_norms``, and
    ``final_tension_<actor>`` / ``peak_tension_<actor>`` for every actor.

    Args:
        scenario: The scenario.
        seeds: Root seeds, one run each.
        turns: Turns per run (default: the scenario's).
    """
    compiled = compile_scenario(scenario)
    turns = scenario.turns if turns is None else turns
    initial = (
        compiled.initial_tension,
        initial_beliefs(compiled.alignment),
        initial_credibility(compiled.alignment, compiled.posture[:, 3]),
    )
    rows = []
    for seed in seeds:
        engine = Engine(compiled, seed)
        engine.run(turns)
        a = derive(compiled, engine.records, initial)
        played = a.tension[1:]
        row: dict[str, float | int] = {
            "seed": seed,
            "peak_tension": float(played.max()),
            "peak_mean_tension": float(played.mean(axis=1).max()),
            "final_mean_tension": float(played[-1].mean()),
            "final_escalation_index": float(a.escalation_index[-1]),
            "max_rung": int(a.rung.max()),
            "mean_abs_gap": float(a.mean_abs_gap.mean()),
            "chain_links": int(a.answered.sum()),
            "miscalculations": int(a.miscalculation.sum()),
            "longest_chain": int(a.chain_depth.max(initial=0)),
            "final_norms": float(a.norms[-1]),
        }
        for i, actor in enumerate(compiled.ids):
            row[f"final_tension_{actor}"] = float(played[-1, i])
            row[f"peak_tension_{actor}"] = float(played[:, i].max())
        rows.append(row)
    return pd.DataFrame(rows)
