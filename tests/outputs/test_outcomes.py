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
    # every headline number is the table's value, computed from the same series
    assert h.outcomes == values
    assert (h.links, h.miscalculations, h.longest_chain) == (
        values["chain_links"],
        values["miscalculations"],
        values["longest_chain"],
    )
    assert h.norms_end == values["final_norms"]
    assert h.final_mean_tension == values["final_mean_tension"]
    assert h.mean_abs_gap == values["mean_abs_gap"]
    # metrics.csv holds six decimals of what the run computed
    exact = outcome_values(PerTurn.of(result.arrays))
    for name, value in exact.items():
        assert values[name] == pytest.approx(value.item(), abs=1e-6), name
    # the peaks are over the turns played, as in summary.csv; the start has its own line
    assert h.peak_tension == values["peak_tension"] == series.tension[1:].max()
    assert h.peak_mean_tension == values["peak_mean_tension"]
    assert h.start_mean_tension == series.tension[0].mean()
    # the peak's turn and actor are where the same series reaches it (first turn, first actor)
    assert h.peak_turn is not None and h.peak_turn >= 1
    k = result.actor_ids.index(h.peak_actor)
    assert series.tension[h.peak_turn, k] == h.peak_tension
    assert series.tension[1 : h.peak_turn].max(initial=0.0) < h.peak_tension
    assert h.peak_mean_turn is not None
    assert series.tension[h.peak_mean_turn].mean() == h.peak_mean_tension


def test_report_page_states_the_definition(tmp_path: Path) -> None:
    from sim.outputs.report import write_report

    path = REPO / "scenarios" / "richardson_stable.yaml"
    _, h, series = _headline_run(tmp_path, path, 2024)
    # this run peaks in its starting state: the report no longer shows that as the peak
    assert series.tension[0].max() > series.tension[1:].max()
    page = write_report(tmp_path / f"{path.stem}-2024").read_text(encoding="utf-8")
    assert f"{h.peak_tension:.2f} (" in page
    assert "over the turns played" in page and "Mean tension at the start" in page
