"""The theory scenarios' stylised facts hold, and each has a negative control on which it fails.

Richardson (stable, runaway), Jervis (spiral, deterrence) and Axelrod (plain, generous,
contrite tit-for-tat) each state ``expectations:`` (issue 14). Facts are measured as
``sim check`` measures them (``sim.running.check.check``) on a root seed no note
mentions (2718); each negative control is a small variant built to break one fact, on
which that fact's verdict is False. The Richardson files are deterministic (perfect
perception), so a few runs decide them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sim.running.check import CheckResult, check
from sim.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
ROOT = 2718
DETERMINISTIC = ("richardson_stable", "richardson_runaway")
FACTS = {
    "richardson_stable": {"x_settles_at_equilibrium", "y_settles_at_equilibrium", "no_race"},
    "richardson_runaway": {"x_at_the_ceiling", "y_at_the_ceiling", "race_to_the_top"},
    "jervis_spiral": {
        "red_reads_the_deployment_darkly",
        "blue_comes_to_fear_red",
        "blue_ends_more_alarmed",
        "red_ends_more_alarmed",
        "blue_rarely_repeats_the_deployment",
    },
    "jervis_deterrence": {
        "red_reads_the_deployment_darkly",
        "red_ends_more_alarmed",
        "blue_keeps_deploying",
        "blue_ends_near_the_top",
    },
    "axelrod_noise": {"echoes_cost_cooperation", "cooperate_read_as_framed"},
    "axelrod_generous": {"cooperate_read_as_framed", "generosity_restores_cooperation"},
    "axelrod_contrite": {
        "cooperate_read_as_framed",
        "contrition_restores_cooperation",
        "one_defection_per_misreading",
    },
}


@cache
def _checked(name: str, *overrides: str, runs: int = 200) -> CheckResult:
    if name in DETERMINISTIC:
        runs = 5
    return check(load_scenario(SCENARIOS / f"{name}.yaml", overrides), runs=runs, seed=ROOT)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_fact_holds_on_a_fresh_root_seed(name: str) -> None:
    result = _checked(name)
    assert {f.id for f in result.facts} == FACTS[name]
    assert [f.id for f in result.facts if not f.passed] == []


BOTH_TFT = ("actors.east.policy=tit_for_tat", "actors.west.policy=tit_for_tat")
# A lens with a hostile image of the other: readings no longer centre on what was meant.
BIASED = ("dynamics.lens_strength=1", "relationships.east.west.alignment=-0.8")
BREAKS: dict[tuple[str, str], tuple[str, ...]] = {
    # X's grievance doubled: a different equilibrium.
    ("richardson_stable", "x_settles_at_equilibrium"): ("actors.x.grievance=0.1",),
    ("richardson_stable", "y_settles_at_equilibrium"): ("actors.y.grievance=0.1",),
    # X reacts as in the runaway file: k*l > a*b, a race.
    ("richardson_stable", "no_race"): ("actors.x.reactions.y=0.8",),
    # X tires faster than it reacts at the corner (k - a + g < 0): it settles below 1.
    ("richardson_runaway", "x_at_the_ceiling"): ("actors.x.fatigue=0.9",),
    ("richardson_runaway", "y_at_the_ceiling"): ("actors.y.fatigue=0.8",),
    # X barely reacts: k*l = 0.07 < a*b = 0.12, stable again.
    ("richardson_runaway", "race_to_the_top"): ("actors.x.reactions.y=0.1",),
    # Blue frames the deployment as hostile as it looks: no longer read far above it.
    ("jervis_spiral", "red_reads_the_deployment_darkly"): (
        "moves.blue_deployment.framed_hostility=0.6",
    ),
    # Red answers with nothing but conciliation: no spiral.
    ("jervis_spiral", "blue_comes_to_fear_red"): ("actors.red.policy=dove",),
    ("jervis_spiral", "blue_ends_more_alarmed"): ("actors.red.policy=dove",),
    # Blue only ever conciliates after its deployment.
    ("jervis_spiral", "red_ends_more_alarmed"): ("actors.blue.policy=dove",),
    # Blue has the aggressor's intent and posture of jervis_deterrence.yaml.
    ("jervis_spiral", "blue_rarely_repeats_the_deployment"): (
        "moves.blue_deployment.intended_hostility=0.75",
        "actors.blue.posture.resolve.value=0.85",
        "actors.blue.posture.restraint.value=0.25",
    ),
    ("jervis_deterrence", "red_reads_the_deployment_darkly"): (
        "moves.blue_deployment.framed_hostility=0.75",
    ),
    ("jervis_deterrence", "red_ends_more_alarmed"): ("actors.blue.policy=dove",),
    # Blue has the security seeker's resolve and restraint of jervis_spiral.yaml.
    ("jervis_deterrence", "blue_keeps_deploying"): (
        "actors.blue.posture.resolve.value=0.5",
        "actors.blue.posture.restraint.value=0.5",
    ),
    ("jervis_deterrence", "blue_ends_near_the_top"): ("actors.blue.posture.restraint.value=0.9",),
    # A full hotline halves the noise: misreadings become too rare for echoes.
    ("axelrod_noise", "echoes_cost_cooperation"): ("relationships.east.west.channels.hotline=1",),
    ("axelrod_noise", "cooperate_read_as_framed"): BIASED,
    ("axelrod_generous", "cooperate_read_as_framed"): BIASED,
    # No generosity: plain tit-for-tat.
    ("axelrod_generous", "generosity_restores_cooperation"): (
        "actors.east.policy.generosity=0",
        "actors.west.policy.generosity=0",
    ),
    ("axelrod_contrite", "cooperate_read_as_framed"): BIASED,
    # No contrition: plain tit-for-tat, whose echoes contrition would have stopped.
    ("axelrod_contrite", "contrition_restores_cooperation"): BOTH_TFT,
    # Noise 0.4: each move misread with probability Phi(-1.25) = 0.11, many misreadings.
    ("axelrod_contrite", "one_defection_per_misreading"): ("dynamics.noise=0.4",),
}


def test_every_fact_has_a_negative_control() -> None:
    assert set(BREAKS) == {(name, fact) for name, facts in FACTS.items() for fact in facts}


@pytest.mark.parametrize(("name", "fact"), sorted(BREAKS))
def test_each_negative_control_breaks_its_fact(name: str, fact: str) -> None:
    result = _checked(name, *BREAKS[name, fact], runs=100)
    verdicts = {f.id: f.passed for f in result.facts}
    assert verdicts[fact] is False
