"""Per-replicate dynamics coefficients in a batch (``Engine(..., coefficients=...)``).

Replicate ``k`` of a batch whose coefficients differ per replicate equals,
bit for bit, the single run whose scenario sets those dynamics fields to
replicate ``k``'s values: every turn's arrays, and the batch summaries of
:func:`sim.running.replicates.run_replicates`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.model.coefficients import FIXED, VARYING
from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.running.replicates import run_replicates
from sim.scenario.loader import scenario_from_dict
from sim.scenario.schema import Dynamics, Scenario
from tests.strategies import scenarios

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
RECORD_FIELDS = ("move", "hostility", "forced", "seen", "perceived", "tension", "belief")
SEEDS = [11, 2**40 + 3, 7, 123456]

# Each varying field's range for drawing values (inside the schema's bounds).
RANGES: dict[str, tuple[float, float]] = {
    "dt": (0.05, 1.0),
    "reactivity": (0.0, 5.0),
    "fatigue": (0.0, 5.0),
    "grievance": (-1.0, 1.0),
    "lens_strength": (0.0, 1.0),
    "prior_weight": (0.0, 1.0),
    "anxiety_weight": (0.0, 1.0),
    "noise": (0.0, 0.5),
    "time_pressure": (0.0, 10.0),
    "norm_damping": (0.0, 1.0),
    "credibility_rate": (0.0, 1.0),
    "cheap_talk_weight": (0.0, 1.0),
    "temperature": (0.001, 5.0),
    "cost_weight": (0.0, 1.0),
    "generosity": (0.0, 1.0),
    "hostile_threshold": (0.0, 1.0),
    "miscalculation_threshold": (0.0, 1.0),
}


def with_dynamics(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with these dynamics fields set (validated as a scenario file would be)."""
    dynamics = Dynamics.model_validate({**scenario.dynamics.model_dump(), **values})
    return scenario.model_copy(update={"dynamics": dynamics})


def assert_replicates_equal_singles(
    scenario: Scenario, seeds: list[int], coefficients: dict[str, np.ndarray], turns: int
) -> None:
    batch = Engine(compile_scenario(scenario), seeds, coefficients=coefficients)
    batch.run(turns)
    table, paths = run_replicates(scenario, seeds, turns, traces=True, coefficients=coefficients)
    for r, seed in enumerate(seeds):
        own = with_dynamics(scenario, {k: float(v[r]) for k, v in coefficients.items()})
        single = Engine(compile_scenario(own), seed)
        single.run(turns)
        for one, many in zip(single.records, batch.records, strict=True):
            for name in RECORD_FIELDS:
                mine, theirs = getattr(one, name), np.asarray(getattr(many, name))[r]
                assert np.array_equal(mine, theirs, equal_nan=True), (seed, one.turn, name)
            assert np.array_equal(one.credibility, many.credibility[r]), (seed, one.turn)
            assert one.norms == np.asarray(many.norms)[r], (seed, one.turn)
        # The batch summaries (links and miscalculations use per-replicate thresholds).
        alone, alone_paths = run_replicates(own, [seed], turns, traces=True)
        for column in alone.columns:
            assert np.array_equal(
                table[column].to_numpy()[r], alone[column].to_numpy()[0], equal_nan=True
            ), (seed, column)
        for name, values in alone_paths.items():
            assert np.array_equal(paths[name][r], values[0], equal_nan=True), (seed, name)


def test_every_field_is_varying_or_fixed_with_a_reason() -> None:
    assert set(VARYING) | set(FIXED) == set(Dynamics.model_fields)
    assert set(RANGES) == set(VARYING)
    assert all(len(why) > 20 for why in FIXED.values())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_field_at_once_on_every_bundled_scenario(path: Path) -> None:
    """Perception (noise, time_pressure, lens_strength), beliefs (prior_weight,
    cheap_talk_weight), tension (reactivity, fatigue, grievance, dt), choice
    (temperature, cost_weight, generosity) and thresholds, all per replicate."""
    rng = np.random.default_rng(len(path.stem))
    coefficients = {name: rng.uniform(lo, hi, len(SEEDS)) for name, (lo, hi) in RANGES.items()}
    assert_replicates_equal_singles(sim.load_scenario(path), SEEDS, coefficients, 25)


@pytest.mark.parametrize(
    "names",
    [
        ("noise", "time_pressure", "lens_strength"),
        ("prior_weight", "cheap_talk_weight"),
        ("reactivity", "fatigue", "grievance", "dt"),
        ("temperature", "cost_weight"),
        ("hostile_threshold", "miscalculation_threshold", "generosity"),
    ],
    ids="-".join,
)
def test_groups_of_fields_on_the_flagship(names: tuple[str, ...]) -> None:
    """A few fields varying, the rest from the scenario (its own, non-default values)."""
    scenario = sim.load_scenario(SCENARIOS[0].with_name("dec2025_joint_drill.yaml"))
    rng = np.random.default_rng(3)
    coefficients = {name: rng.uniform(*RANGES[name], len(SEEDS)) for name in names}
    assert_replicates_equal_singles(scenario, SEEDS, coefficients, 30)


def test_a_policy_of_mixed_actors_keeps_its_own_generosity() -> None:
    """An actor that sets its own generosity keeps it; the others take the replicate's."""
    data = {
        "metadata": {"title": "Generous"},
        "turns": 20,
        "actors": {
            "a": {"name": "A", "policy": {"kind": "generous_tit_for_tat", "generosity": 0.9}},
            "b": {"name": "B", "policy": "generous_tit_for_tat"},
            "c": {"name": "C", "policy": "contrite_tit_for_tat"},
            "d": {"name": "D", "policy": "adaptive"},
        },
        "relationships": {"a": {"b": {"alignment": -0.8}}, "c": {"d": {"alignment": -0.5}}},
        "dynamics": {"noise": 0.3},
    }
    coefficients = {
        "generosity": np.array([0.0, 1.0, 0.5]),
        "hostile_threshold": np.array([0.1, 0.4, 0.2]),
    }
    assert_replicates_equal_singles(scenario_from_dict(data), [1, 2, 3], coefficients, 20)


@st.composite
def coefficient_sets(draw: st.DrawFn, runs: int) -> dict[str, np.ndarray]:
    names = draw(st.lists(st.sampled_from(VARYING), min_size=1, max_size=6, unique=True))
    return {
        name: np.array(
            draw(st.lists(st.floats(*RANGES[name], allow_nan=False), min_size=runs, max_size=runs))
        )
        for name in names
    }


@settings(max_examples=30, deadline=None)
@given(
    data=scenarios(max_actors=6),
    seeds=st.lists(st.integers(0, 2**63 - 1), min_size=1, max_size=3),
    pick=st.data(),
)
def test_random_scenarios_and_values(
    data: dict[str, Any], seeds: list[int], pick: st.DataObject
) -> None:
    coefficients = pick.draw(coefficient_sets(len(seeds)))
    scenario = scenario_from_dict(data)
    assert_replicates_equal_singles(scenario, seeds, coefficients, scenario.turns)


@pytest.fixture(scope="module")
def flagship() -> Any:
    return compile_scenario(sim.load_scenario(SCENARIOS[0].with_name("dec2025_joint_drill.yaml")))


def test_an_unknown_name_is_refused(flagship: Any) -> None:
    with pytest.raises(ValueError, match="'reactivty' is not a field of dynamics"):
        Engine(flagship, [1, 2], coefficients={"reactivty": [0.1, 0.2]})


@pytest.mark.parametrize("name", sorted(FIXED))
def test_a_field_that_cannot_vary_is_refused_with_its_reason(flagship: Any, name: str) -> None:
    with pytest.raises(ValueError, match=f"dynamics.{name} cannot differ per replicate: .+"):
        Engine(flagship, [1, 2], coefficients={name: [0.1, 0.2]})


@pytest.mark.parametrize("values", [[0.1], [0.1, 0.2, 0.3], [[0.1, 0.2]], 0.1])
def test_a_wrong_length_is_refused(flagship: Any, values: Any) -> None:
    with pytest.raises(ValueError, match=r"dynamics.noise: expected one value per replicate \(2\)"):
        Engine(flagship, [1, 2], coefficients={"noise": values})


def test_a_value_out_of_bounds_is_refused(flagship: Any) -> None:
    with pytest.raises(ValueError, match=r"dynamics\.noise of replicate 1 is 0\.9"):
        Engine(flagship, [1, 2], coefficients={"noise": [0.1, 0.9]})
    with pytest.raises(ValueError, match=r"dynamics\.dt of replicate 0 is nan"):
        Engine(flagship, [1, 2], coefficients={"dt": [float("nan"), 0.5]})
    with pytest.raises(ValueError, match="must be numbers"):
        Engine(flagship, [1, 2], coefficients={"dt": ["fast", "slow"]})


def test_a_single_run_refuses_coefficients(flagship: Any) -> None:
    with pytest.raises(ValueError, match="need a batch"):
        Engine(flagship, 1, coefficients={"noise": [0.1]})


def test_run_replicates_checks_the_length_against_all_seeds() -> None:
    scenario = sim.load_scenario(SCENARIOS[0].with_name("jervis_spiral.yaml"))
    with pytest.raises(ValueError, match=r"one value per replicate \(3\)"):
        run_replicates(scenario, [1, 2, 3], 5, coefficients={"noise": [0.1, 0.2]})


def test_run_replicates_splits_coefficients_with_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over several batches, each replicate still gets its own value."""
    from sim.running import replicates

    monkeypatch.setattr(replicates, "batch_size", lambda n, turns: 2)
    scenario = sim.load_scenario(SCENARIOS[0].with_name("jervis_spiral.yaml"))
    seeds, noise = [5, 6, 7, 8, 9], np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    table, _ = run_replicates(scenario, seeds, 10, coefficients={"noise": noise})
    for r, seed in enumerate(seeds):
        alone, _ = run_replicates(with_dynamics(scenario, {"noise": noise[r]}), [seed], 10)
        assert table.iloc[[r]].reset_index(drop=True).equals(alone)
