"""The scenario library's variants of the flagship: what the files themselves must say.

Each variant in ``scenarios/`` extends ``dec2025_joint_drill.yaml``. What the variants show
in their runs is stated as stylised facts in their ``expectations:`` and checked, with a
negative control per fact, in ``tests/library/test_variant_facts.py``; the teaching notes'
tables are those facts' ``sim check`` tables.
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
