"""Large runs summarise their readings (sim.model.lean): what they keep is what a full run has.

The threshold is lowered with ``SIM_FULL_READINGS_UP_TO`` so bundled scenarios
and a dozen actors exercise the summary; the 1,000-actor run is marked slow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.model import lean
from sim.model.results import RunResult
from sim.outputs.debrief import debrief
from sim.outputs.transcript import transcript
from tests.conftest import REPO, run_sim

SCENARIOS = REPO / "scenarios"
PAIRS = ["belief", "credibility", "perception_gap"]


def many_actors(n: int, *, seed: int = 0) -> dict[str, Any]:
    """A scenario of ``n`` actors, each related to its next three (as benchmarks/bench.py)."""
    rng = np.random.default_rng(seed)
    rel: dict[str, dict[str, Any]] = {}
    for i in range(n):
        for j in range(i + 1, min(n, i + 4)):
            rel.setdefault(f"a{i}", {})[f"a{j}"] = {"alignment": round(rng.uniform(-1, 1), 3)}
    return {
        "metadata": {"title": "many actors"},
        "actors": {f"a{i}": {"name": f"A{i}"} for i in range(n)},
        "relationships": rel,
        "turns": 100,
        "seed": 1,
    }


def both(monkeypatch: pytest.MonkeyPatch, scenario: Any, seed: int) -> tuple[RunResult, RunResult]:
    monkeypatch.setenv(lean.ENVIRONMENT, "10000")
    full = sim.run(scenario, seed=seed)
    monkeypatch.setenv(lean.ENVIRONMENT, "1")
    summarised = sim.run(scenario, seed=seed)
    assert not full.summarised and summarised.summarised
    return full, summarised


@pytest.mark.parametrize(
    "scenario", ["dec2025_joint_drill", "golden_dome", "jervis_spiral", "multilateral_future"]
)
def test_a_summarised_run_keeps_what_a_full_run_has(
    monkeypatch: pytest.MonkeyPatch, scenario: str
) -> None:
    full, short = both(monkeypatch, SCENARIOS / f"{scenario}.yaml", 3)
    assert short.summary() == full.summary()
    # A summarised run keeps no per-turn beliefs, so it cannot decide the stylised facts:
    # its debrief says so where the full run gives each fact's verdict; the rest is equal.
    facts = "## The sources' stylised facts in this run"
    short_text, full_text = debrief(short), debrief(full)
    assert short_text.split(facts)[0] == full_text.split(facts)[0]
    listed = [x for x in short_text.split(facts)[-1].splitlines() if x.startswith("- ")]
    assert all(x.endswith("this run not decided.") for x in listed)
    assert transcript(short) == transcript(full, max_readings=lean.KEPT_READINGS)
    np.testing.assert_array_equal(short.gap_matrix(), full.gap_matrix())
    keep = ~full.metrics.metric.isin(PAIRS)
    pd.testing.assert_frame_equal(
        short.metrics[~short.metrics.metric.isin(PAIRS)].reset_index(drop=True),
        full.metrics[keep].reset_index(drop=True),
    )
    for name in ("links", "injects"):
        pd.testing.assert_frame_equal(getattr(short, name), getattr(full, name))


def test_events_keep_each_moves_most_misread_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    full, short = both(monkeypatch, sim.load_scenario(SCENARIOS / "jervis_spiral.yaml"), 5)
    events = short.events
    assert list(events.columns) == list(full.events.columns)
    assert len(events.drop_duplicates(["turn", "sender"])) == full.turns * len(full.actor_ids)
    seen = full.events[full.events.observed].copy()
    seen["size"] = seen.gap.abs()
    worst = seen.sort_values(["turn", "sender", "size"], ascending=[True, True, False])
    worst = worst.drop_duplicates(["turn", "sender"])  # stable: equal sizes keep observer order
    kept = events[events.observed]
    assert len(kept) == len(worst)
    merged = kept.merge(worst, on=["turn", "sender", "observer"], suffixes=("", "_full"))
    assert len(merged) == len(kept)
    assert (merged.perceived == merged.perceived_full).all()


def test_equal_gaps_keep_observer_order() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        n = int(rng.integers(2, 9))
        seen = rng.random((n, n)) < 0.7
        size = rng.integers(0, 3, (n, n)).astype(float)  # many ties
        k = min(3, n)
        used, top = lean._most_misread(seen, size, k)
        for j in range(n):
            order = sorted((-size[i, j], i) for i in range(n) if seen[i, j])
            expected = sorted(i for _, i in order[:k])
            assert top[used[:, j], j].tolist() == expected


def test_only_the_last_turn_keeps_its_matrices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lean.ENVIRONMENT, "1")
    result = sim.run(SCENARIOS / "jervis_spiral.yaml", seed=2, turns=6)
    assert all(r.belief is None and r.seen is None for r in result.records[:-1])
    assert result.records[-1].belief is not None
    with pytest.raises(lean.SummarisedError):
        _ = result.arrays.credibility[3]
    assert result.readings["mode"] == "summarised"


def test_the_threshold_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lean.ENVIRONMENT, "many")
    with pytest.raises(ValueError, match=lean.ENVIRONMENT):
        lean.full_readings_up_to()
    monkeypatch.delenv(lean.ENVIRONMENT)
    assert lean.full_readings_up_to() == lean.FULL_READINGS_UP_TO
    assert lean.readings_note(9)["mode"] == "full"


def run_folder(tmp_path: Path, n: int, env: dict[str, str]) -> Path:
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump(many_actors(n)), encoding="utf-8")
    out = tmp_path / "run"
    args = ("run", str(path), "--no-figures", "--quiet", "--out", str(out))
    done = run_sim(*args, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    return out


def check_summarised_folder(out: Path, n: int) -> None:
    events = pd.read_csv(out / "events.csv")
    assert len(events) == n * 100  # one row per move: its most misread reading
    metrics = pd.read_csv(out / "metrics.csv", keep_default_na=False)
    assert set(metrics[metrics.metric.isin(PAIRS)]["other"]) == {""}
    for name in ("transcript.md", "debrief.md", "links.csv", "manifest.json"):
        assert (out / name).stat().st_size > 0


def test_a_run_folder_of_a_summarised_run(tmp_path: Path) -> None:
    out = run_folder(tmp_path, 12, {lean.ENVIRONMENT: "5"})
    check_summarised_folder(out, 12)


def test_the_manifest_says_the_readings_were_summarised(tmp_path: Path) -> None:
    out = run_folder(tmp_path, 12, {lean.ENVIRONMENT: "5"})
    readings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["readings"]
    assert readings["mode"] == "summarised"
    assert readings["full_up_to_actors"] == 5
    assert readings["setting"] == lean.ENVIRONMENT


@pytest.mark.slow
def test_a_thousand_actors_run_through_the_command_line(tmp_path: Path) -> None:
    out = run_folder(tmp_path, 1000, {})
    check_summarised_folder(out, 1000)
