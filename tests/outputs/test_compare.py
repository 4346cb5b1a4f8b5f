"""`sim compare`: input diff, outcome table, overlay figure, through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from sim.outputs.compare import Side, compare, input_diff, load_side, overlay_figure
from sim.scenario.loader import load_scenario
from tests.cli.test_cli import sim
from tests.conftest import FLAGSHIP


def variant(tmp_path: Path) -> Path:
    shutil.copy(FLAGSHIP, tmp_path / FLAGSHIP.name)
    path = tmp_path / "calm.yaml"
    path.write_text(
        "extends: dec2025_joint_drill.yaml\nmetadata: {title: Calm}\n"
        "actors:\n  russia:\n    posture: {restraint: 0.95}\n"
        "injects:\n  new_start_expires: null\n"
    )
    return path


def test_input_diff_lists_exactly_what_changed(tmp_path: Path) -> None:
    a = load_scenario(FLAGSHIP)
    b = load_scenario(variant(tmp_path))
    rows = {p: (va, vb) for p, va, vb in input_diff(a, b)}
    assert rows["actors.russia.posture.restraint.value"] == (0.45, 0.95)
    assert rows["injects.new_start_expires.label"] == ("New START expires", None)
    assert all(not p.startswith("metadata.") and ".basis." not in p for p in rows)
    assert input_diff(a, a) == []


def test_same_seeds_for_both_sides_and_identical_sides_tie() -> None:
    a = load_side(str(FLAGSHIP))
    same = compare(a, a, runs=5, seed=1, turns=10)
    assert len(same.seeds) == 5
    np.testing.assert_array_equal(same.paths_a, same.paths_b)
    table = same.outcome_table()
    assert (table["B - A"] == 0).all() and set(table["B < A"]) == {"0%"}
    fig = overlay_figure(same)
    assert len(fig.axes[0].lines) == 2


def test_more_restraint_lowers_tension_over_many_seeds(tmp_path: Path) -> None:
    a = Side("base", load_scenario(FLAGSHIP), 1)
    b = Side("calm", load_scenario(variant(tmp_path)), 1)
    result = compare(a, b, runs=40, seed=11)
    table = result.outcome_table().set_index("metric")
    assert table.loc["mean tension at the end", "B - A"] < -0.03


def test_cli_compare_writes_a_folder_and_accepts_run_folders(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert (
        sim("run", "--seed", "4", "--turns", "6", "--out", str(run), "--no-figures").returncode == 0
    )
    out = tmp_path / "cmp"
    done = sim("compare", str(run), str(variant(tmp_path)), "--turns", "6", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "| `actors.russia.posture.restraint.value` | 0.45 | 0.95 |" in done.stdout
    assert "seed 4" in done.stdout  # the run folder's seed is used
    assert {p.name for p in out.iterdir()} == {
        "compare.md",
        "outcomes.csv",
        "input_diff.csv",
        "compare_tension.png",
        "compare_tension.svg",
        "manifest.json",
    }
    again = sim("compare", str(run), str(run), "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
