"""`sim compare`: input diff, outcome table, overlay figure, through the CLI."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.model.outcomes import headline_labels
from sim.outputs.compare import (
    Comparison,
    Side,
    compare,
    grouped_diff,
    input_diff,
    load_side,
    markdown,
    outcome_rows,
    overlay_figure,
    t_quantile,
)
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
    rows = outcome_rows(same)
    assert all(r.diff_mean == 0 and r.diff_low == r.diff_high == 0 for r in rows)
    assert all((r.b_lower, r.ties, r.b_higher, r.winner) == (0, 5, 0, "tie") for r in rows)
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
    assert "| `injects.new_start_expires` | present (" in done.stdout
    assert "| outcome | better when | A | B | B − A | did better |" in done.stdout
    header = (out / "outcomes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("outcome,label,better,runs,A_mean,A_sd,B_mean,B_sd,B_minus_A_mean,")
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


# ---- what each number of the outcome table is (issue 17) ----------------------------------

OUTCOME_NAMES = list(headline_labels())


def hand_pair(a_values: list[float], b_values: list[float]) -> Comparison:
    """A comparison over len(a_values) seeds whose every headline outcome has these values."""
    scenario = load_scenario(FLAGSHIP)
    runs = len(a_values)
    table_a = pd.DataFrame({name: a_values for name in OUTCOME_NAMES})
    table_b = pd.DataFrame({name: b_values for name in OUTCOME_NAMES})
    paths = np.zeros((runs, 3))
    return Comparison(
        Side("a", scenario, 1), Side("b", scenario, 1), list(range(runs)), [],
        table_a, table_b, paths, paths,
    )  # fmt: skip


def test_student_t_quantiles_match_published_values() -> None:
    for df, value in ((1, 12.7062047362), (3, 3.1824463053), (4, 2.7764451052), (19, 2.0930240544)):
        assert t_quantile(0.975, df) == pytest.approx(value, abs=1e-9)
    assert t_quantile(0.975, 9999) == pytest.approx(1.9602012636, abs=1e-8)


def test_paired_difference_interval_ties_and_direction_by_hand() -> None:
    # differences B - A: -0.05, 0 (a tie), -0.10, -0.05: mean -0.05,
    # sd = sqrt((0 + 0.05² + 0.05² + 0) / 3) = 0.0408248, se = sd / 2 = 0.0204124,
    # t(0.975, 3) = 3.1824463, half-width 0.0649614: [-0.1149614, +0.0149614]
    c = hand_pair([0.50, 0.60, 0.40, 0.70], [0.45, 0.60, 0.30, 0.65])
    rows = {r.name: r for r in outcome_rows(c)}
    peak = rows["peak_mean_tension"]
    assert peak.diff_mean == pytest.approx(-0.05)
    assert peak.diff_low == pytest.approx(-0.05 - 3.1824463053 * math.sqrt(0.005 / 3) / 2)
    assert peak.diff_low == pytest.approx(-0.1149614, abs=1e-7)
    assert peak.diff_high == pytest.approx(0.0149614, abs=1e-7)
    assert (peak.b_lower, peak.ties, peak.b_higher) == (3, 1, 0)
    assert peak.winner == "no clear difference" and peak.better == "lower"
    assert peak.a_sd == pytest.approx(float(np.std([0.5, 0.6, 0.4, 0.7], ddof=1)))

    text = markdown(c)
    assert (
        "A and B: mean over the 4 seeds ± standard deviation (the figure shows medians). "
        "B − A: mean of the paired differences (replicate k of A and of B share a seed) with "
        "its 95% Student's t interval (3 degrees of freedom). B lower, tie, B higher: seeds out "
        "of 4; a tie is A and B equal to 2 decimals. Better when: the direction the outcome "
        "registry counts as better. Did better: the side on whose better side the whole "
        "interval lies, else no clear difference; negligible when it lies on one side but "
        "B − A rounds to 0 at 2 decimals.\n\n"
        "| outcome | better when | A mean ± sd | B mean ± sd | B − A [95% t interval] | B lower "
        "| tie | B higher | did better |\n"
    ) in text
    assert (
        "| peak of mean tension | lower | 0.55 ± 0.13 | 0.50 ± 0.16 | -0.05 [-0.11, +0.01] "
        "| 3 | 1 | 0 | no clear difference |"
    ) in text
    # the regime's strength is better higher: the same numbers read the other way
    assert "| regime strength at the end | higher | 0.55 ± 0.13 |" in text


def test_a_tie_to_the_printed_precision_is_a_tie_and_the_interval_decides_who_did_better() -> None:
    # 0.301 and 0.304 print as 0.30: a tie, though B is higher by 0.003
    c = hand_pair([0.301, 0.20, 0.20], [0.304, 0.30, 0.31])
    final = {r.name: r for r in outcome_rows(c)}
    assert (final["final_norms"].b_lower, final["final_norms"].ties) == (0, 1)
    assert final["final_norms"].b_higher == 2
    # B higher on every seed, the interval above 0 or not: check it by hand
    d = np.array([0.003, 0.10, 0.11])
    half = t_quantile(0.975, 2) * d.std(ddof=1) / math.sqrt(3)
    assert final["final_norms"].diff_low == pytest.approx(d.mean() - half)
    clear = hand_pair([0.20, 0.20, 0.20, 0.20], [0.30, 0.31, 0.29, 0.30])
    by_name = {r.name: r for r in outcome_rows(clear)}
    assert by_name["final_norms"].winner == "B"  # higher regime strength is better
    assert by_name["peak_mean_tension"].winner == "A"  # higher tension is worse
    # B higher on every seed by 0.001 to 0.003: the interval excludes 0, but B − A
    # prints as +0.00, so no side is named the better one
    tiny = hand_pair([0.204, 0.304, 0.404, 0.504], [0.206, 0.306, 0.407, 0.505])
    by_name = {r.name: r for r in outcome_rows(tiny)}
    assert by_name["final_norms"].diff_low > 0
    assert by_name["final_norms"].winner == "negligible"
    same = {r.name: r for r in outcome_rows(hand_pair([0.2, 0.3], [0.2, 0.3]))}
    assert same["peak_mean_tension"].winner == "tie" and same["peak_mean_tension"].ties == 2


def test_a_single_run_says_it_has_no_spread() -> None:
    text = markdown(hand_pair([0.40], [0.404]))
    assert (
        "A and B: the outcome of one run each, on seed 0 (no spread and no interval from one "
        "run; --runs N gives means, spreads and a 95% interval). B − A: B minus A. Better when: "
        "the direction the outcome registry counts as better. Did better: the side whose value "
        "is on the better side, or a tie when A and B are equal to 2 decimals.\n\n"
        "| outcome | better when | A | B | B − A | did better |\n"
    ) in text
    assert "| peak of mean tension | lower | 0.40 | 0.40 | +0.00 | tie |" in text
    one = markdown(hand_pair([0.40], [0.35]))
    assert "| peak of mean tension | lower | 0.40 | 0.35 | -0.05 | B |" in one
    assert "| regime strength at the end | higher | 0.40 | 0.35 | -0.05 | A |" in one


def test_a_removed_inject_is_one_line_and_an_added_one_too(tmp_path: Path) -> None:
    a = Side("base", load_scenario(FLAGSHIP), 1)
    b = Side("calm", load_scenario(variant(tmp_path)), 1)
    diff = input_diff(a.scenario, b.scenario)
    removed = [p for p, _, _ in diff if p.startswith("injects.new_start_expires.")]
    assert len(removed) > 1  # several values, one line
    c = Comparison(a, b, [1], diff, pd.DataFrame(), pd.DataFrame(), np.zeros(1), np.zeros(1))
    rows = grouped_diff(c)
    assert rows == [
        ("actors.russia.posture.restraint.value", "0.45", "0.95"),
        ("injects.new_start_expires", f"present ({len(removed)} values)", "absent: removed in B"),
    ]
    back = Comparison(b, a, [1], input_diff(b.scenario, a.scenario), *c_tables(), *c_paths())
    assert grouped_diff(back)[1] == (
        "injects.new_start_expires",
        "absent: added in B",
        f"present ({len(removed)} values)",
    )


def c_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(), pd.DataFrame()


def c_paths() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(1), np.zeros(1)
