"""The flagship's stylised facts hold, and each has a negative control on which it fails.

Facts are measured as ``sim check`` measures them (``sim.running.check.check``) on a
root seed no note mentions (31337); each negative control is a small variant built
to break one fact (issue 14: "no fact holds by construction").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sim.running.check import CheckResult, check
from sim.scenario.loader import load_scenario
from tests.conftest import FLAGSHIP

ROOT = 31337


@cache
def _checked(*overrides: str, runs: int = 200) -> CheckResult:
    return check(load_scenario(FLAGSHIP, overrides), runs=runs, seed=ROOT)


def test_every_flagship_fact_holds_on_a_fresh_root_seed() -> None:
    result = _checked()
    failing = [f.id for f in result.facts if not f.passed]
    assert failing == []
    assert len(result.facts) == 11


BREAKS = {
    # Washington too restrained to climb to the testing talk.
    "us_talks_of_testing": ("actors.united_states.posture.restraint.value=0.95",),
    # Anyone may talk of testing again: Moscow does.
    "only_washington_talks_of_testing": ("moves.nuclear_testing_rhetoric.available_to=null",),
    # Policies may hold the December drill whenever they like.
    "one_december_drill": ("moves.sino_russian_md_drill.scripted_only=false",),
    # Framed as firmly as it is meant: the West no longer reads it far above its framing.
    "west_reads_the_drill_as_coercive": ("moves.sino_russian_md_drill.framed_hostility=0.45",),
    # Without the partnership Beijing reads Moscow's half at full weight.
    "partners_read_the_drill_as_framed": ("relationships.china.russia.alignment=0",),
    # New Delhi estranged from Moscow.
    "india_warier_of_china": ("relationships.russia.india.alignment=-0.6",),
    # A Washington that barely reads threats stays calm.
    "washington_grows_concerned": ("actors.united_states.posture.threat_sensitivity.value=0.1",),
    # So does such a Tokyo.
    "tokyo_grows_concerned": ("actors.japan.posture.threat_sensitivity.value=0.1",),
    # New Delhi estranged from Washington.
    "india_works_with_the_quad": ("relationships.united_states.india.alignment=-0.7",),
}


@pytest.mark.parametrize("fact", sorted(BREAKS))
def test_each_negative_control_breaks_its_fact(fact: str) -> None:
    result = _checked(*BREAKS[fact], runs=100)
    verdicts = {f.id: f.passed for f in result.facts}
    assert verdicts[fact] is False


SOURS = """\
extends: bundled:dec2025_joint_drill
injects:
  partnership_sours:
    label: "The partnership sours"
    when: {turn: 4}
    effects:
      - alignment: {between: [china, russia], set: -0.3}
"""


def test_a_partnership_that_sours_is_read_as_hostile(tmp_path: Path) -> None:
    """Negative control for both partners' trust: from turn 4 they are rivals, and each
    reads the other's moves in full; the beliefs climb past 0.3."""
    path = tmp_path / "soured.yaml"
    path.write_text(SOURS, encoding="utf-8")
    result = check(load_scenario(path), runs=100, seed=ROOT)
    verdicts = {f.id: f.passed for f in result.facts}
    assert verdicts["china_trusts_russia"] is False
    assert verdicts["russia_trusts_china"] is False
