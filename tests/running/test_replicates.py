"""Replicate seeds and per-replicate summaries."""

from __future__ import annotations

import numpy as np

import sim
from sim.running.replicates import replicate_seeds, summaries
from tests.conftest import FLAGSHIP


def test_replicate_seeds_are_spawned_deterministically() -> None:
    seeds = replicate_seeds(7, 5)
    assert seeds == replicate_seeds(7, 5)
    assert len(set(seeds)) == 5
    assert seeds[:3] == replicate_seeds(7, 3)  # a prefix does not depend on n
    assert all(0 <= s < 2**63 for s in seeds)
    assert replicate_seeds(8, 5) != seeds
    assert replicate_seeds(7, 2, start=3) == seeds[3:]  # a chunk derives its own seeds
    children = np.random.SeedSequence(7).spawn(5)  # the documented definition
    assert seeds == [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def test_a_replicate_is_the_same_as_a_single_run_with_its_seed() -> None:
    scenario = sim.load_scenario(FLAGSHIP)
    seeds = replicate_seeds(3, 4)
    table = summaries(scenario, seeds, turns=15)
    assert list(table["seed"]) == seeds
    single = sim.run(scenario, seed=seeds[2], turns=15)
    s = single.summary()
    row = table.iloc[2]
    assert row["final_mean_tension"] == s["final_mean_tension"]
    assert row["miscalculations"] == s["miscalculations"]
    assert row["longest_chain"] == s["longest_chain"]
    i = single.actor_ids.index("russia")
    assert row["final_tension_russia"] == single.arrays.tension[-1, i]
    assert np.isclose(row["peak_tension"], single.arrays.tension[1:].max())


def test_one_root_seed_rule() -> None:
    """Given, else the scenario's, else the command's fallback, else a new one."""
    from sim.running.seeds import root_seed

    assert root_seed(7, 3) == (7, "given")
    assert root_seed(0, 3) == (0, "given")
    assert root_seed(None, 3, fallback=0) == (3, "scenario")
    assert root_seed(None, None, fallback=0) == (0, "default")
    seed, source = root_seed(None, None)
    assert source == "generated" and 0 <= seed < 2**63
