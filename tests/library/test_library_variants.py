"""The scenario library's variants of the flagship, and the claims their teaching notes make.

Each variant in ``scenarios/`` extends ``dec2025_joint_drill.yaml``. The ensemble tests run
200 replicates (root seed 2026) of a variant and of the baseline and check the qualitative
outcome that ``docs/teaching/<id>.md`` promises. Margins are set well inside the measured
effects (numbers in the comments, measured with these seeds); the variants keep the baseline's
actors and moves where they can, so the replicates share random numbers with the baseline's
(common random numbers) and the paired differences are tight.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

import sim
from sim.running.replicates import replicate_seeds, summaries
from tests.conftest import FLAGSHIP, REPO

SCENARIOS = REPO / "scenarios"
VARIANTS = ["golden_dome", "new_start_lapse", "transparency", "live_fire", "multilateral_future"]
SEEDS = replicate_seeds(2026, 200)

# live_fire.yaml lowers China's and Russia's restraint as well as changing the drill; these
# overrides put the flagship's restraint back, so only the drill differs.
FLAGSHIP_RESTRAINT = ("actors.china.posture.restraint=0.6", "actors.russia.posture.restraint=0.45")
# multilateral_future.yaml with its inject pushed past the last turn: same moves, same random
# numbers, no exercise.
NO_NEXT_ITERATION = ("injects.next_iteration.when.turn=31",)


def _path(name: str) -> Path:
    return FLAGSHIP if name == "baseline" else SCENARIOS / f"{name}.yaml"


@cache
def ensemble(name: str, turns: int | None = None, overrides: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per-replicate summaries of a scenario over the shared seeds (cached per session)."""
    return summaries(sim.load_scenario(_path(name), overrides), SEEDS, turns=turns)


def paired(variant: pd.DataFrame, base: pd.DataFrame, column: str) -> pd.Series:
    """Per-seed difference variant − base (rows are in seed order in both)."""
    assert list(variant["seed"]) == list(base["seed"])
    return variant[column] - base[column]


# ---------------------------------------------------------------- the files themselves


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_validates(name: str) -> None:
    scenario = sim.load_scenario(_path(name))
    assert scenario.turns == 30
    assert len(scenario.actors) == 9


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_extends_the_flagship_and_says_what_it_is(name: str) -> None:
    text = _path(name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./variant.schema.json"
    assert "models NO weapons performance" in text
    raw = yaml.safe_load(text)
    assert raw["extends"] == "dec2025_joint_drill.yaml"
    meta = raw["metadata"]
    for key in ("title", "summary", "learning_objectives", "notes"):
        assert meta.get(key), f"{name}: metadata.{key} missing"
    prompts = raw["debrief"]
    assert any("when" in p for p in prompts), f"{name}: no conditional debrief prompt"
    assert any("when" not in p for p in prompts), f"{name}: no unconditional debrief prompt"
    assert (REPO / "docs" / "teaching" / f"{name}.md").is_file()


def _bases_missing(raw: dict) -> list[str]:
    """Paths of values the file sets that carry no complete basis."""
    missing = []

    def check(path: str, basis: object) -> None:
        if not (
            isinstance(basis, dict) and all(basis.get(k) for k in ("source", "part", "reasoning"))
        ):
            missing.append(path)

    for actor, spec in (raw.get("actors") or {}).items():
        for field, value in (spec.get("posture") or {}).items():
            check(
                f"actors.{actor}.posture.{field}",
                value.get("basis") if isinstance(value, dict) else None,
            )
        if "initial_tension" in spec:
            value = spec["initial_tension"]
            check(
                f"actors.{actor}.initial_tension",
                value.get("basis") if isinstance(value, dict) else None,
            )
    for a, row in (raw.get("relationships") or {}).items():
        for b, rel in row.items():
            if "alignment" in rel:
                check(f"relationships.{a}.{b}", rel.get("basis"))
            for kind, channel in (rel.get("channels") or {}).items():
                basis = channel.get("basis") if isinstance(channel, dict) else None
                check(f"relationships.{a}.{b}.channels.{kind}", basis)
    for mid, move in (raw.get("moves") or {}).items():
        check(f"moves.{mid}", move.get("basis"))
    for iid, inject in (raw.get("injects") or {}).items():
        check(f"injects.{iid}", inject.get("basis"))
    if "norms" in raw:
        check("norms", raw["norms"].get("basis"))
    return missing


@pytest.mark.parametrize("name", VARIANTS)
def test_every_value_the_variant_sets_has_a_basis(name: str) -> None:
    raw = yaml.safe_load(_path(name).read_text(encoding="utf-8"))
    assert _bases_missing(raw) == []


def test_the_basis_check_notices_a_bare_posture_value() -> None:
    raw = {"actors": {"china": {"posture": {"resolve": 0.9, "restraint": {"value": 0.5}}}}}
    assert _bases_missing(raw) == [
        "actors.china.posture.resolve",
        "actors.china.posture.restraint",
    ]


# ---------------------------------------------------------------- golden_dome


def test_golden_dome_raises_chinese_and_russian_tension() -> None:
    base, dome = ensemble("baseline"), ensemble("golden_dome")
    # Measured: China's peak tension 0.454 -> 0.513 (paired +0.059, sd 0.020); Russia's
    # 0.578 -> 0.649 (+0.071, sd 0.024); higher in all 200 seeds for both.
    for actor, margin in (("china", 0.03), ("russia", 0.035)):
        diff = paired(dome, base, f"peak_tension_{actor}")
        assert diff.mean() > margin
        assert (diff > 0).mean() > 0.95


def test_golden_dome_effect_comes_mostly_from_the_raised_anxiety() -> None:
    base, dome = ensemble("baseline"), ensemble("golden_dome")
    # The same inject with both anxiety increases set to zero: the announcement alone.
    only_move = ensemble(
        "golden_dome",
        overrides=(
            "injects.golden_dome_unveiled.effects.1.posture.delta=0",
            "injects.golden_dome_unveiled.effects.2.posture.delta=0",
        ),
    )
    # Measured: China +0.005 from the announcement alone vs +0.059 with the anxiety rise.
    full = paired(dome, base, "peak_tension_china").mean()
    alone = paired(only_move, base, "peak_tension_china").mean()
    assert alone < 0.3 * full


# ---------------------------------------------------------------- new_start_lapse


def test_new_start_lapse_erodes_norms_and_widens_the_perception_gap() -> None:
    base, lapse = ensemble("baseline"), ensemble("new_start_lapse")
    # Measured: final regime strength 0.275 -> 0.001 (paired -0.274);
    # mean |perception gap| 0.1048 -> 0.1158 (paired +0.0109, sd 0.0029, higher in every seed).
    assert lapse["final_norms"].mean() < base["final_norms"].mean() - 0.15
    gap = paired(lapse, base, "mean_abs_gap")
    assert gap.mean() > 0.005
    assert (gap > 0).mean() > 0.95


# ---------------------------------------------------------------- transparency


def test_transparency_lowers_peak_tension_and_miscalculations() -> None:
    base, clear = ensemble("baseline"), ensemble("transparency")
    # Measured: mean peak tension 0.578 -> 0.499 (paired -0.079, sd 0.035, lower in every
    # seed); miscalculations 16.8 -> 10.8 per run (paired -5.9, sd 3.8).
    assert clear["peak_tension"].mean() < base["peak_tension"].mean() - 0.04
    assert (paired(clear, base, "peak_tension") < 0).mean() > 0.95
    assert clear["miscalculations"].mean() < base["miscalculations"].mean() - 3.0
    # Measured: mean |perception gap| 0.1048 -> 0.0930.
    assert clear["mean_abs_gap"].mean() < base["mean_abs_gap"].mean() - 0.005


# ---------------------------------------------------------------- live_fire


def test_live_fire_escalates_faster_in_the_first_weeks() -> None:
    base, live = ensemble("baseline", turns=6), ensemble("live_fire", turns=6)
    # Measured over turns 1-6: peak mean tension 0.270 -> 0.299 (paired +0.029, sd 0.009);
    # miscalculations 2.05 -> 3.03 per run (paired +0.98, sd 1.39).
    assert paired(live, base, "peak_mean_tension").mean() > 0.015
    assert live["miscalculations"].mean() > base["miscalculations"].mean() + 0.5


def test_live_fire_drill_alone_still_causes_more_early_miscalculations() -> None:
    base = ensemble("baseline", turns=6)
    drill_only = ensemble("live_fire", turns=6, overrides=FLAGSHIP_RESTRAINT)
    # With the flagship's restraint restored, only the drill differs. Measured over turns
    # 1-6: miscalculations 2.05 -> 2.98 (paired +0.93, sd 1.26); peak mean tension +0.014.
    assert drill_only["miscalculations"].mean() > base["miscalculations"].mean() + 0.5
    assert paired(drill_only, base, "peak_mean_tension").mean() > 0.007


def test_live_fire_full_run_gap_is_mostly_the_lower_restraint() -> None:
    base, live = ensemble("baseline"), ensemble("live_fire")
    drill_only = ensemble("live_fire", overrides=FLAGSHIP_RESTRAINT)
    # Measured over 30 turns: peak tension +0.142 with both changes, +0.032 from the drill alone.
    both = paired(live, base, "peak_tension").mean()
    alone = paired(drill_only, base, "peak_tension").mean()
    assert both > 0.08
    assert 0 < alone < 0.5 * both


# ---------------------------------------------------------------- multilateral_future


def test_multilateral_future_matches_the_baseline_before_its_inject() -> None:
    # Measured over turns 1-15: peak mean tension 0.2957 (baseline) vs 0.2951. The extra move
    # changes the choice stream, so this is a comparison of ensembles, not of paired seeds.
    base, future = ensemble("baseline", turns=15), ensemble("multilateral_future", turns=15)
    assert abs(future["peak_mean_tension"].mean() - base["peak_mean_tension"].mean()) < 0.01


def test_multilateral_future_raises_tension_after_its_inject() -> None:
    base, future = ensemble("baseline"), ensemble("multilateral_future")
    # Measured at turn 30: mean tension 0.328 -> 0.357 vs the baseline (+0.029).
    assert future["final_mean_tension"].mean() > base["final_mean_tension"].mean() + 0.01
    # Against itself without the inject (same random numbers): mean tension +0.030 (sd 0.013,
    # higher in every seed); Washington +0.057, Tokyo +0.059.
    without = ensemble("multilateral_future", overrides=NO_NEXT_ITERATION)
    diff = paired(future, without, "final_mean_tension")
    assert diff.mean() > 0.015
    assert (diff > 0).mean() > 0.95
    for actor in ("united_states", "japan"):
        assert paired(future, without, f"final_tension_{actor}").mean() > 0.03


def test_multilateral_exercise_alone_adds_little_late_in_the_crisis() -> None:
    future = ensemble("multilateral_future")
    without = ensemble("multilateral_future", overrides=NO_NEXT_ITERATION)
    # The exercise and the alignment changes without the observers' posture shifts
    # (effects 4-6 set to zero). Measured: mean tension at turn 30 +0.003 vs +0.030.
    exercise_only = ensemble(
        "multilateral_future",
        overrides=tuple(f"injects.next_iteration.effects.{k}.posture.delta=0" for k in (4, 5, 6)),
    )
    full = paired(future, without, "final_mean_tension").mean()
    alone = paired(exercise_only, without, "final_mean_tension").mean()
    assert alone < 0.3 * full


# ---------------------------------------------------------------- the notes' shares, out of sample

# A root seed no teaching note names: the notes' "more than 95% of seeds" claims must hold on
# fresh seeds too, not only on the ones their figures were measured with.
FRESH = replicate_seeds(4242, 200)


@pytest.mark.parametrize(
    ("variant", "column", "sign", "overrides"),
    [
        ("golden_dome", "peak_tension_china", 1, ()),
        ("golden_dome", "peak_tension_russia", 1, ()),
        ("new_start_lapse", "mean_abs_gap", 1, ()),
        ("transparency", "peak_tension", -1, ()),
        ("multilateral_future", "final_mean_tension", 1, NO_NEXT_ITERATION),
    ],
)
def test_note_shares_hold_on_a_fresh_root_seed(
    variant: str, column: str, sign: int, overrides: tuple[str, ...]
) -> None:
    # multilateral_future is compared with itself without its inject; the rest with the flagship.
    base_path, base_over = (_path(variant), overrides) if overrides else (FLAGSHIP, ())
    base = summaries(sim.load_scenario(base_path, base_over), FRESH)
    var = summaries(sim.load_scenario(_path(variant)), FRESH)
    assert (sign * paired(var, base, column) > 0).mean() > 0.95
