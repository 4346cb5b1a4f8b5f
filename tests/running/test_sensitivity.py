"""Sensitivity analysis with SALib: indices find the parameter that matters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.errors import UsageError
from sim.running.sensitivity import Bound, analyse, parse_bound
from tests.cli.test_cli import sim as run_cli
from tests.conftest import FLAGSHIP

pytest.importorskip("SALib")


def test_parse_bound() -> None:
    assert parse_bound("a.b=0.1:0.9") == Bound("a.b", 0.1, 0.9)
    for bad in ("a.b", "a.b=1:0", "a.b=x:1", "=0:1"):
        with pytest.raises(UsageError):
            parse_bound(bad)


def test_morris_ranks_a_parameter_with_no_effect_last() -> None:
    # Russia's restraint moves the outcome; a bystander's transparency barely does
    bounds = [
        Bound("actors.russia.posture.restraint", 0.1, 0.9),
        Bound("actors.southeast_asia.posture.transparency", 0.1, 0.9),
    ]
    settings: dict[str, Any] = {
        "method": "morris",
        "outcome": "final_mean_tension",
        "samples": 6,
        "replicates": 3,
        "root_seed": 1,
        "turns": 15,
    }
    indices, samples = analyse(FLAGSHIP, bounds, **settings)
    assert len(samples) == 6 * (len(bounds) + 1)
    assert indices.parameter.iloc[0] == "actors.russia.posture.restraint"
    top, bottom = indices.mu_star.iloc[0], indices.mu_star.iloc[-1]
    assert top > 5 * bottom
    again, _ = analyse(FLAGSHIP, bounds, **settings)
    assert again.equals(indices)  # seeded sampler, seeded replicates, seeded bootstrap


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(UsageError, match="power of 2"):
        analyse(
            FLAGSHIP,
            [Bound("norms.strength", 0, 1)],
            method="sobol",
            outcome="final_mean_tension",
            samples=10,
            replicates=1,
            root_seed=1,
        )


def test_cli_sobol(tmp_path: Path) -> None:
    out = tmp_path / "s"
    done = run_cli(
        "sensitivity",
        "--method",
        "sobol",
        "--params",
        "actors.russia.posture.restraint=0.1:0.9",
        "norms.strength=0:1",
        "--samples",
        "8",
        "--replicates",
        "2",
        "--turns",
        "10",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {
        "indices.csv",
        "samples.csv",
        "sensitivity.png",
        "sensitivity.svg",
        "manifest.json",
    }
    assert "S1" in done.stdout and "ST" in done.stdout
