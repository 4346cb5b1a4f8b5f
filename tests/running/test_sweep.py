"""Parameter sweeps: grid parsing, common seeds across the grid, tidy results, CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UsageError
from sim.running.sweep import Axis, parse_param, run_sweep
from tests.cli.test_cli import sim as run_cli
from tests.conftest import FLAGSHIP


def test_parse_param() -> None:
    assert parse_param("a.b=0:1:3") == Axis("a.b", (0.0, 0.5, 1.0))
    assert parse_param("a.b=0.2,0.4") == Axis("a.b", (0.2, 0.4))
    for bad in ("a.b", "a.b=0:1", "a.b=x:1:3", "=0:1:3", "a.b=0:1:0"):
        with pytest.raises(UsageError):
            parse_param(bad)


def test_grid_is_tidy_and_shares_seeds_across_points() -> None:
    axes = [
        parse_param("actors.russia.posture.restraint=0.1:0.9:3"),
        parse_param("norms.strength=0.2,0.8"),
    ]
    table = run_sweep(FLAGSHIP, axes, runs=6, root_seed=3, turns=10)
    assert len(table) == 3 * 2 * 6
    assert list(table.columns[:3]) == [
        "actors.russia.posture.restraint",
        "norms.strength",
        "replicate",
    ]
    seeds = table.groupby(["actors.russia.posture.restraint", "norms.strength"])["seed"].apply(list)
    assert all(s == seeds.iloc[0] for s in seeds)  # the same seeds at every grid point
    means = table.groupby("actors.russia.posture.restraint")["final_mean_tension"].mean()
    assert means.iloc[0] > means.iloc[-1]  # more Russian restraint, calmer ending


def test_out_of_range_value_is_reported_before_running() -> None:
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"must be at most 1\.0"):
        run_sweep(
            FLAGSHIP,
            [parse_param("actors.russia.posture.restraint=0.5:1.5:3")],
            runs=2,
            root_seed=1,
        )


def test_cli_sweep(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    done = run_cli(
        "sweep",
        "--param",
        "dynamics.reactivity=0.35:0.55:3",
        "--runs",
        "5",
        "--turns",
        "8",
        "--workers",
        "2",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "sweep.csv")
    assert len(table) == 15 and (out / "response.png").is_file()
    bad = run_cli("sweep", "--param", "dynamics.reactivity", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "expected dotted.path=start:stop:steps" in bad.stderr
