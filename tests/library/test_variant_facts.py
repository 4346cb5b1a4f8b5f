"""The flagship's variants hold their stylised facts, and each new fact has a negative control.

Facts are measured as ``sim check`` measures them (``sim.running.check.check``) on a root
seed no teaching note mentions (9091). Each variant's own facts compare it with the flagship
on the same seeds (``versus``); each negative control is an override that takes away what the
variant changes, or turns it round, and on which that fact fails (issue 14: "no fact holds by
construction").
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml

from sim.running.check import CheckResult, check
from sim.scenario.loader import load_scenario
from tests.conftest import REPO

SCENARIOS = REPO / "scenarios"
ROOT = 9091
VARIANTS = ["golden_dome", "live_fire", "new_start_lapse", "transparency", "multilateral_future"]


@cache
def _checked(name: str, *overrides: str, runs: int = 200) -> CheckResult:
    return check(load_scenario(SCENARIOS / f"{name}.yaml", overrides), runs=runs, seed=ROOT)


def _verdicts(result: CheckResult) -> dict[str, bool]:
    return {f.id: f.passed for f in result.facts}


def _shares(result: CheckResult) -> dict[str, float]:
    return {f.id: f.share for f in result.facts}


@pytest.mark.parametrize("name", VARIANTS)
def test_every_fact_of_the_variant_holds_on_a_fresh_root_seed(name: str) -> None:
    result = _checked(name)
    assert [f.id for f in result.facts if not f.passed] == []


# The facts each variant removes from the flagship's list, and why (see the YAML comments).
REMOVED = {
    "new_start_lapse": {"us_talks_of_testing"},  # staged by an inject: would hold by construction
    "transparency": {"us_talks_of_testing", "washington_grows_concerned"},  # what channels undo
    "multilateral_future": {"india_warier_of_china"},  # the variant cools Russia-India on purpose
}


@pytest.mark.parametrize("name", VARIANTS)
def test_the_variant_keeps_the_flagship_facts_it_does_not_remove(name: str) -> None:
    flagship = {
        f.id
        for f in check(
            load_scenario(SCENARIOS / "dec2025_joint_drill.yaml"), runs=1, seed=ROOT
        ).facts
    }
    ids = {f.id for f in _checked(name).facts}
    assert flagship - ids == REMOVED.get(name, set())
    assert len(ids - flagship) >= 2  # the variant's own lesson


NO_DOME = ("injects.golden_dome_unveiled.when.turn=31",)
SIMULATED_DRILL = (
    "moves.sino_russian_md_drill.rung=5",
    "moves.sino_russian_md_drill.intended_hostility=0.45",
    "moves.sino_russian_md_drill.cost=0.5",
    "actors.china.posture.restraint.value=0.6",
    "actors.russia.posture.restraint.value=0.45",
)
STRONG_REGIME = (
    "norms.strength=0.9",
    "norms.drift=0",
    "injects.new_start_expires.effects.0.norms=0",
)
NO_CHANNELS = (
    *(
        f"relationships.{a}.united_states.channels.{kind}.value=0"
        for a in ("china", "russia")
        for kind in ("hotline", "pre_notification", "strategic_dialogue")
    ),
    "norms.strength=0.35",
    "actors.united_states.posture.transparency.value=0.55",
)
NO_NEXT_ITERATION = ("injects.next_iteration.when.turn=31",)

BREAKS = {
    # Framed as firmly as Washington means it: the readings no longer sit far above the framing.
    ("golden_dome", "golden_dome_read_as_aimed_at_deterrents"): (
        "moves.golden_dome_announcement.framed_hostility=0.5",
    ),
    # No announcement: the run is the baseline's, never strictly tenser.
    ("golden_dome", "beijing_tenser_than_without_the_dome"): NO_DOME,
    ("golden_dome", "moscow_tenser_than_without_the_dome"): NO_DOME,
    # The drill back in simulation with the flagship's restraint: the baseline again.
    ("live_fire", "live_fire_tenser_than_simulation"): SIMULATED_DRILL,
    ("live_fire", "washington_warier_of_moscow"): SIMULATED_DRILL,
    # A strong, steady regime instead of a lapsing one.
    ("new_start_lapse", "moscow_warier_of_washington"): STRONG_REGIME,
    ("new_start_lapse", "crisis_ends_tenser"): STRONG_REGIME,
    # The channels and the stronger regime taken away: the baseline again.
    ("transparency", "channels_calm_the_crisis"): NO_CHANNELS,
    ("transparency", "washington_less_suspicious_of_beijing"): NO_CHANNELS,
    # No next iteration (and so no cooling, no shifts in the U.S. camp).
    ("multilateral_future", "india_warier_of_moscow"): NO_NEXT_ITERATION,
    ("multilateral_future", "washington_tenser_after_the_next_iteration"): NO_NEXT_ITERATION,
}


@pytest.mark.parametrize(("name", "fact"), sorted(BREAKS))
def test_each_negative_control_breaks_its_fact(name: str, fact: str) -> None:
    assert _verdicts(_checked(name, *BREAKS[(name, fact)], runs=100))[fact] is False


def test_new_start_lapse_lesson_does_not_rest_on_the_hand_set_anxiety() -> None:
    """The expiry inject also raises Washington's and Moscow's deterrent anxiety by hand;
    without that rise both of the variant's facts still hold (the lesson is the regime's)."""
    no_anxiety = _checked(
        "new_start_lapse",
        "injects.new_start_expires.effects.1.posture.delta=0",
        "injects.new_start_expires.effects.2.posture.delta=0",
    )
    verdicts = _verdicts(no_anxiety)
    assert verdicts["moscow_warier_of_washington"]
    assert verdicts["crisis_ends_tenser"]


def test_multilateral_future_washington_fact_rests_mostly_on_the_hand_set_shifts() -> None:
    """The U.S. camp's posture shifts are set by the inject. Without them the exercise alone
    leaves Washington tenser than the baseline in far fewer runs: the fact fails."""
    exercise_only = _checked(
        "multilateral_future",
        *(f"injects.next_iteration.effects.{k}.posture.delta=0" for k in (3, 4, 5)),
    )
    fact = "washington_tenser_after_the_next_iteration"
    assert _verdicts(exercise_only)[fact] is False
    assert _shares(exercise_only)[fact] < _shares(_checked("multilateral_future"))[fact] - 0.2


def test_live_fire_lesson_holds_with_the_flagship_restraint() -> None:
    """live_fire also lowers China's and Russia's restraint; with the flagship's restraint
    put back only the drill differs, and both of the variant's facts still hold."""
    verdicts = _verdicts(
        _checked(
            "live_fire",
            "actors.china.posture.restraint.value=0.6",
            "actors.russia.posture.restraint.value=0.45",
        )
    )
    assert verdicts["live_fire_tenser_than_simulation"]
    assert verdicts["washington_warier_of_moscow"]


def test_transparency_undoes_the_two_flagship_facts_it_removes(tmp_path: Path) -> None:
    """The two facts transparency.yaml removes fail when put back: calmer through its
    channels, Washington neither talks of testing nor grows concerned as the flagship does."""
    flagship = yaml.safe_load((SCENARIOS / "dec2025_joint_drill.yaml").read_text("utf-8"))
    removed = sorted(REMOVED["transparency"])
    child = {
        "extends": "transparency.yaml",
        "expectations": {k: flagship["expectations"][k] for k in removed},
    }
    for name in ("dec2025_joint_drill.yaml", "transparency.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    path = tmp_path / "put_back.yaml"
    path.write_text(yaml.safe_dump(child, sort_keys=False), encoding="utf-8")
    verdicts = _verdicts(check(load_scenario(path), runs=200, seed=ROOT))
    assert [verdicts[k] for k in removed] == [False, False]
