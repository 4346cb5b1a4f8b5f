"""A batch of replicates advanced together equals the single runs of its seeds, bit for bit.

Ensembles, sweeps, sensitivity analysis and the library's claims all run
replicates in batches (``Engine(compiled, [seed, ...])``); these tests pin
that a replicate's numbers do not depend on which other replicates share its
batch, nor on the batch size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.model.compiled import compile_scenario
from sim.model.derive import derive
from sim.model.engine import Engine, initial_beliefs, initial_credibility
from sim.model.posture import column
from sim.running import replicates
from sim.scenario.loader import scenario_from_dict
from tests.model.small import CORE_ONLY
from tests.strategies import scenarios

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
FIELDS = ("move", "hostility", "forced", "seen", "perceived", "tension", "belief", "credibility")


def assert_batch_equals_singles(compiled: Any, seeds: list[int], turns: int) -> None:
    batch = Engine(compiled, seeds)
    batch.run(turns)
    for r, seed in enumerate(seeds):
        single = Engine(compiled, seed)
        single.run(turns)
        for one, many in zip(single.records, batch.records, strict=True):
            for name in FIELDS:
                mine = getattr(one, name)
                theirs = np.asarray(getattr(many, name))[r]
                assert np.array_equal(mine, theirs, equal_nan=True), (seed, one.turn, name)
            assert np.array_equal(one.alignment, many.alignment[r]), (seed, one.turn)
            assert one.norms == np.asarray(many.norms)[r], (seed, one.turn)
            assert many.fired is not None or not one.injects
            fired = [
                inj.key
                for j, inj in enumerate(compiled.injects)
                if many.fired is not None and many.fired[r, j]
            ]
            assert fired == one.injects, (seed, one.turn)
        assert single.fired <= batch.fired


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_batches_exactly(path: Path) -> None:
    scenario = sim.load_scenario(path)
    assert_batch_equals_singles(compile_scenario(scenario), [11, 2**40 + 3, 7, 123456], 30)


@settings(max_examples=40, deadline=None)
@given(
    data=scenarios(max_actors=7), seeds=st.lists(st.integers(0, 2**63 - 1), min_size=2, max_size=4)
)
def test_random_scenarios_batch_exactly(data: dict[str, Any], seeds: list[int]) -> None:
    """Mixed policies, and conditional injects (posture, alignment, channel, tension,
    norms, moves) that fire in some replicates and not others."""
    assert_batch_equals_singles(compile_scenario(scenario_from_dict(data)), seeds, data["turns"])


def test_scripted_and_forced_moves_batch_exactly() -> None:
    data = {
        "metadata": {"title": "Scripted"},
        "turns": 8,
        "actors": {
            "a": {"name": "A", "policy": {"kind": "scripted", "script": {2: "live_fire_drill"}}},
            "b": {"name": "B", "policy": "dove"},
            "c": {"name": "C", "policy": "hawk"},
        },
        "relationships": {"a": {"b": {"alignment": -0.5}}},
        "libraries": ["library:missile_defence"],
        "moves": dict.fromkeys(CORE_ONLY),
        "injects": {
            "late": {
                "label": "b climbs when tense",
                "when": {"all": [{"metric": "tension", "actor": "b", "op": ">", "value": 0.2}]},
                "effects": [
                    {"move": {"actor": "b", "move": "deployment_announcement"}},
                    {"alignment": {"between": ["a", "c"], "delta": -0.4}},
                ],
            }
        },
    }
    compiled = compile_scenario(scenario_from_dict(data))
    seeds = list(range(6))
    assert_batch_equals_singles(compiled, seeds, 8)
    batch = Engine(compiled, seeds)
    batch.run(8)
    first = {
        int(r): rec.turn
        for rec in reversed(batch.records)
        if rec.fired is not None
        for r in np.flatnonzero(rec.fired[:, 0])
    }
    # The inject fires in different turns in different replicates (divergent structure).
    assert len(set(first.values())) > 1


def reference_row(scenario: Any, seed: int, turns: int) -> dict[str, float | int]:
    """A replicate's summary computed from its own single run, one number at a time."""
    compiled = compile_scenario(scenario)
    engine = Engine(compiled, seed)
    engine.run(turns)
    initial = (
        compiled.initial_tension,
        initial_beliefs(compiled.alignment),
        initial_credibility(compiled.alignment, column(compiled.posture, "transparency")),
    )
    d = derive(compiled, engine.records, initial)
    played = d.tension[1:]
    row: dict[str, float | int] = {
        "seed": seed,
        "peak_tension": float(played.max()),
        "peak_mean_tension": float(played.mean(axis=1).max()),
        "final_mean_tension": float(played[-1].mean()),
        "final_escalation_index": float(d.escalation_index[-1]),
        "max_rung": int(d.rung.max()),
        "mean_abs_gap": float(d.mean_abs_gap.mean()),
        "chain_links": int(d.answered.sum()),
        "miscalculations": int(d.miscalculation.sum()),
        "miscalculation_rate": int(d.miscalculation.sum()) / (len(d.move) * compiled.n),
        "longest_chain": int(d.chain_depth.max(initial=0)),
        "final_norms": float(d.norms[-1]),
    }
    for i, actor in enumerate(compiled.ids):
        row[f"final_tension_{actor}"] = float(played[-1, i])
        row[f"peak_tension_{actor}"] = float(played[:, i].max())
    return row


@pytest.mark.parametrize("size", [1, 3, 128])
def test_summaries_do_not_depend_on_batch_size(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    scenario = sim.load_scenario(SCENARIOS[0].parent / "dec2025_joint_drill.yaml")
    seeds = replicates.replicate_seeds(5, 7)
    monkeypatch.setattr(replicates, "batch_size", lambda n, turns: size)
    table, paths = replicates.run_replicates(scenario, seeds, 20, traces=True)
    for k, seed in enumerate(seeds):
        assert table.to_dict("records")[k] == reference_row(scenario, seed, 20)
        single = sim.run(scenario, seed=seed, turns=20)
        assert np.array_equal(paths["tension"][k], single.arrays.tension)
        assert np.array_equal(paths["rung"][k], single.arrays.rung)
        assert np.array_equal(paths["escalation_index"][k], single.arrays.escalation_index)


@pytest.mark.parametrize("name", ["dec2025_joint_drill", "axelrod_contrite", "richardson_runaway"])
def test_dense_and_row_gathers_give_the_same_run(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Small single runs gather dense (observer, move) tables, large ones (sender,) rows."""
    from sim.model import engine as engine_module

    compiled = compile_scenario(sim.load_scenario(SCENARIOS[0].parent / f"{name}.yaml"))
    dense = Engine(compiled, 99)
    dense.run(25)
    monkeypatch.setattr(engine_module, "_DENSE_MAX", 0)
    rows = Engine(compiled, 99)
    rows.run(25)
    assert dense._dense and not rows._dense
    for a, b in zip(dense.records, rows.records, strict=True):
        for field in FIELDS:
            assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True), field
