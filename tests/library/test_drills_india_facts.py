"""The 2016-2017 drills and India's balancing act: their stylised facts hold, and each
fact of their own has a negative control on which it fails.

Facts are measured as ``sim check`` measures them (``sim.running.check.check``) on a
root seed no note mentions (27182); each negative control is a small change built to
break one fact (issue 14: "no fact holds by construction").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sim.model.compiled import compile_scenario
from sim.running.check import CheckResult, check, trace
from sim.running.replicates import replicate_seeds
from sim.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
ROOT = 27182


@cache
def _checked(name: str, *overrides: str, runs: int = 200) -> CheckResult:
    return check(load_scenario(SCENARIOS / f"{name}.yaml", overrides), runs=runs, seed=ROOT)


@pytest.mark.parametrize(("name", "count"), [("drills_2016_2017", 8), ("india_balancing", 13)])
def test_every_fact_holds_on_a_fresh_root_seed(name: str, count: int) -> None:
    result = _checked(name)
    failing = [f.id for f in result.facts if not f.passed]
    assert failing == []
    assert len(result.facts) == count


# ----------------------------------------------------------------- 2016-2017 drills


def test_drills_drop_only_the_facts_about_2025() -> None:
    ids = {f.id for f in _checked("drills_2016_2017").facts}
    for dropped in (
        "us_talks_of_testing",
        "one_december_drill",
        "west_reads_the_drill_as_coercive",
        "partners_read_the_drill_as_framed",
        "washington_grows_concerned",
        "tokyo_grows_concerned",
    ):
        assert dropped not in ids
    assert {"calmer_than_2025", "washington_calmer_than_2025", "beijing_calmer_than_2025"} <= ids


# The 2025 setting put back into the 2016-2017 file: the December drill instead of the
# simulation drill, the eroding regime with New START's expiry, the partners' 2025
# deterrent anxiety, Washington's full repertoire (Golden Dome and testing talk) and the
# joint patrols. It is then the flagship in all but its move list, and no longer
# calmer than it.
SETTING_2025 = """\
extends: bundled:drills_2016_2017
actors:
  china: {posture: {deterrent_anxiety: {value: 0.8}}}
  russia: {posture: {deterrent_anxiety: {value: 0.8}}}
  united_states:
    moves: null
moves:
  sino_russian_joint_patrol: {scripted_only: false}
injects:
  december_drill:
    effects:
      - move: {actor: russia, move: sino_russian_md_drill}
  new_start_expires:
    label: "New START expires"
    when: {turn: 9}
    effects:
      - norms: -0.15
norms:
  strength: 0.35
  drift: -0.005
"""


def test_with_the_2025_setting_back_no_calm_fact_holds(tmp_path: Path) -> None:
    path = tmp_path / "setting_2025.yaml"
    path.write_text(SETTING_2025, encoding="utf-8")
    result = check(load_scenario(path), runs=100, seed=ROOT)
    verdicts = {f.id: f.passed for f in result.facts}
    assert verdicts["calmer_than_2025"] is False
    assert verdicts["washington_calmer_than_2025"] is False
    assert verdicts["beijing_calmer_than_2025"] is False


# ----------------------------------------------------------------- India

BREAKS = {
    # New Delhi as friendly with Beijing as with Moscow: Beijing's half reads mildly.
    "india_reads_beijings_half_darkly": ("relationships.china.india.alignment=0.3",),
    # New Delhi as wary of Moscow as of Beijing: Moscow's half reads darkly.
    "india_reads_moscows_half_mildly": ("relationships.russia.india.alignment=-0.45",),
}


@pytest.mark.parametrize("fact", sorted(BREAKS))
def test_each_india_negative_control_breaks_its_fact(fact: str) -> None:
    result = _checked("india_balancing", *BREAKS[fact], runs=100)
    verdicts = {f.id: f.passed for f in result.facts}
    assert verdicts[fact] is False


def test_joint_moves_are_held_by_all_their_partners_once() -> None:
    """INDRA-2025, the naval drill and the QUAD consultation are each one act of all
    their partners, staged by one inject effect; no policy ever chooses them."""
    s = load_scenario(SCENARIOS / "india_balancing.yaml")
    c = compile_scenario(s)
    t = trace(c, replicate_seeds(ROOT, 50), s.turns)
    partners = {
        "indra_naval_exercise": ("india", "russia"),
        "sino_russian_naval_drill": ("china", "russia"),
        "quad_consultation": ("india", "united_states", "japan", "australia"),
    }
    for move, who in partners.items():
        assert s.moves[move].scripted_only
        m = c.move_ids.index(move)
        played = t.move == m  # (R, T, N)
        cols = [c.ids.index(a) for a in who]
        others = [k for k in range(c.n) if k not in cols]
        assert not played[:, :, others].any(), move
        together = played[:, :, cols]
        assert (together.all(axis=-1) == together.any(axis=-1)).all(), move
        assert (together.any(axis=-1).sum(axis=1) <= 1).all(), move
    naval = c.move_ids.index("sino_russian_naval_drill")
    assert (t.move[:, 5, c.ids.index("russia")] == naval).all()
    assert np.isin(c.move_ids.index("indra_naval_exercise"), t.move[:, 2, c.ids.index("russia")])
