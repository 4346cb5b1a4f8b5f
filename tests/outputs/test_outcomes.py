"""The headline-outcome table: every consumer's definition, computed both ways on real runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.model.compiled import compile_scenario
from sim.model.derive import derive
from sim.model.engine import Engine, initial_beliefs, initial_credibility
from sim.model.outcomes import (
    OUTCOME,
    OUTCOMES,
    PerTurn,
    headline_labels,
    outcome_names,
    outcome_values,
    summary_columns,
)
from sim.running import replicates
from sim.running.replicates import play_batch, run_replicates
from sim.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))
SEEDS = (11, 2024, 90210)


def test_names_are_the_ensemble_columns() -> None:
    assert outcome_names() == tuple(replicates.OUTCOMES)


def test_headline_labels_are_the_compare_table() -> None:
    import importlib.util

    # the comparison's computing half is moving from outputs/ to running/
    tables = [
        getattr(importlib.import_module(name), "OUTCOMES", None)
        for name in ("sim.running.compare", "sim.outputs.compare")
        if importlib.util.find_spec(name) is not None
    ]
    table = next(t for t in tables if t is not None)
    assert list(headline_labels().items()) == list(table.items())


def test_every_outcome_says_what_better_means() -> None:
    for o in OUTCOMES:
        assert o.better in ("lower", "higher") and o.label and o.unit
        assert o.high is None or o.low < o.high
    assert OUTCOME["final_norms"].better == "higher"  # a stronger regime is calmer
    assert OUTCOME["peak_tension"].improved(0.6, 0.4)
    assert not OUTCOME["peak_tension"].improved(0.4, 0.6)
    assert OUTCOME["final_norms"].improved(0.4, 0.6)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_run_equals_its_ensemble_row_exactly(path: Path) -> None:
    scenario = load_scenario(path)
    table, _ = run_replicates(scenario, SEEDS)
    for k, seed in enumerate(SEEDS):
        result = sim.run(scenario, seed=seed)
        columns = summary_columns(PerTurn.of(result.arrays), result.actor_ids)
        assert list(columns) == list(table.columns)[1:]  # after "seed"
        for name, value in columns.items():
            assert value.dtype == table[name].dtype, name
            assert value.item() == table[name].iloc[k], (name, seed)  # bit for bit
        for o in OUTCOMES:
            v = float(o.of(PerTurn.of(result.arrays)))
            assert o.low <= v and (o.high is None or v <= o.high), o.name


def test_batched_arrays_equal_the_tally() -> None:
    scenario = load_scenario(REPO / "scenarios" / "dec2025_joint_drill.yaml")
    compiled = compile_scenario(scenario)
    seeds = [3, 5, 8, 13]
    tally = play_batch(compiled, seeds, scenario.turns)
    engine = Engine(compiled, seeds, keep_records=False)
    records = [engine.step() for _ in range(scenario.turns)]
    c = compiled
    initial = (
        c.initial_tension,
        initial_beliefs(c.alignment),
        initial_credibility(c.alignment, c.posture[:, 3]),
    )
    series = PerTurn.of(derive(c, records, initial))
    expected = tally.columns(seeds, c.ids)
    for name, value in outcome_values(series).items():
        assert value.shape == (len(seeds),)
        assert np.array_equal(value, expected[name]), name


def _headline_run(tmp_path: Path, path: Path, seed: int):
    from sim.outputs.report import headline
    from sim.outputs.run_folder import write_run_folder

    result = sim.run(path, seed=seed)
    folder = write_run_folder(result, tmp_path / f"{path.stem}-{seed}", figures=False)
    metrics = pd.read_csv(folder / "metrics.csv", keep_default_na=False)
    series = PerTurn.from_metrics(metrics, result.actor_ids)
    return result, headline(folder, result.actor_ids), series


@pytest.mark.parametrize(
    "path", [REPO / "scenarios" / f"{s}.yaml" for s in ("dec2025_joint_drill", "richardson_stable")]
)
def test_report_headline_from_metrics_csv(tmp_path: Path, path: Path) -> None:
    result, h, series = _headline_run(tmp_path, path, 2024)
    values = {k: v.item() for k, v in outcome_values(series).items()}
    # counts and the regime: exactly
    assert (h.links, h.miscalculations, h.longest_chain) == (
        values["chain_links"],
        values["miscalculations"],
        values["longest_chain"],
    )
    assert h.norms_end == values["final_norms"]
    # means: the report adds in Python, the table in numpy; equal as the report prints them
    means = {"final_mean_tension": h.final_mean_tension, "mean_abs_gap": h.mean_abs_gap}
    for name, shown in means.items():
        assert f"{shown:.2f}" == f"{values[name]:.2f}", name
        assert shown == pytest.approx(values[name], abs=1e-12)
    # metrics.csv holds six decimals of what the run computed
    exact = outcome_values(PerTurn.of(result.arrays))
    for name, value in exact.items():
        assert values[name] == pytest.approx(value.item(), abs=1e-6), name
    # the report's "highest tension" counts the starting state (turn 0); the
    # ensemble's peak_tension is over the turns played
    assert h.peak_tension == series.tension.max()
    assert values["peak_tension"] == series.tension[1:].max()
