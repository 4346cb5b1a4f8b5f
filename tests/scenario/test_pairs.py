"""Relationship pairs are unordered: a variant and ``--set`` may name a pair either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario.loader import read_scenario

BASE = """\
metadata:
  title: Baltic base
actors:
  russia: {name: Russia}
  baltic: {name: Baltic states}
  nordic: {name: Nordic states}
relationships:
  russia:
    baltic:
      alignment: -0.6
      label: neighbours
      channels: {hotline: 0.3}
  baltic:
    nordic: {alignment: 0.7}
"""


def shown(exc: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    """Each diagnostic with the file as its bare name (tmp_path is outside the cwd)."""
    return [
        f"{Path(d.file).name}:{str(d).removeprefix(d.file + ':')}" for d in exc.value.diagnostics
    ]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path, "base.yaml", BASE)


def variant(folder: Path, relationships: str) -> Path:
    return write(folder, "variant.yaml", f"extends: base.yaml\nrelationships:\n{relationships}")


def test_variant_in_the_other_order_adds_a_channel_and_keeps_the_base(base: Path) -> None:
    path = variant(
        base.parent, "  baltic:\n    russia:\n      channels: {strategic_dialogue: 0.4}\n"
    )
    loaded = read_scenario(path)
    rels = loaded.scenario.relationships
    pair = rels["russia"]["baltic"]  # the base's spelling is kept
    assert pair.alignment == -0.6
    assert pair.label == "neighbours"
    assert {k: c.value for k, c in pair.channels.items()} == {
        "hotline": 0.3,
        "strategic_dialogue": 0.4,
    }
    assert "russia" not in rels["baltic"]
    assert rels["baltic"]["nordic"].alignment == 0.7  # the other pair is untouched
    assert loaded.data["relationships"] == {
        "russia": {
            "baltic": {
                "alignment": -0.6,
                "label": "neighbours",
                "channels": {"hotline": 0.3, "strategic_dialogue": 0.4},
            }
        },
        "baltic": {"nordic": {"alignment": 0.7}},
    }


def test_variant_in_the_other_order_changes_a_field(base: Path) -> None:
    path = variant(base.parent, "  baltic:\n    russia: {alignment: -0.2}\n")
    pair = read_scenario(path).scenario.relationships["russia"]["baltic"]
    assert pair.alignment == -0.2
    assert pair.label == "neighbours"
    assert set(pair.channels) == {"hotline"}


def test_null_in_the_other_order_removes_the_pair(base: Path) -> None:
    path = variant(base.parent, "  baltic:\n    russia: null\n")
    rels = read_scenario(path).scenario.relationships
    assert "baltic" not in rels.get("russia", {})
    assert "russia" not in rels["baltic"]
    assert rels["baltic"]["nordic"].alignment == 0.7


def test_a_folded_entry_is_still_placed_on_the_variants_line(base: Path) -> None:
    path = variant(base.parent, "  baltic:\n    russia: {alignment: -1.5}\n")
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert shown(info) == [
        "variant.yaml:4:25: relationships.russia.baltic.alignment: must be at least -1.0 (got -1.5)"
    ]


def test_set_in_the_other_order_changes_the_existing_pair(base: Path) -> None:
    loaded = read_scenario(base, ["relationships.baltic.russia.alignment=0.1"])
    rels = loaded.scenario.relationships
    assert rels["russia"]["baltic"].alignment == 0.1
    assert rels["russia"]["baltic"].label == "neighbours"
    assert "russia" not in rels["baltic"]
    again = loaded.with_overrides(["relationships.baltic.russia.channels.hotline=0.9"])
    assert again.relationships["russia"]["baltic"].channels["hotline"].value == 0.9
    assert "russia" not in again.relationships["baltic"]
    gone = read_scenario(base, ["relationships.baltic.russia=null"]).scenario.relationships
    assert "baltic" not in gone.get("russia", {})


def test_set_a_new_pair_keeps_its_own_spelling(base: Path) -> None:
    """Negative control: a pair the scenario lacks is created as written."""
    rels = read_scenario(base, ["relationships.nordic.russia.alignment=-0.3"]).scenario
    assert rels.relationships["nordic"]["russia"].alignment == -0.3
    assert "nordic" not in rels.relationships["russia"]


def test_variant_pair_the_base_lacks_keeps_its_spelling(base: Path) -> None:
    """Negative control: only a pair the base declares is respelt."""
    path = variant(base.parent, "  nordic:\n    russia: {alignment: -0.3}\n")
    loaded = read_scenario(path)
    assert loaded.data["relationships"]["nordic"] == {"russia": {"alignment": -0.3}}
    assert loaded.scenario.relationships["russia"] == {
        "baltic": loaded.scenario.relationships["russia"]["baltic"]
    }


def test_declared_twice_in_one_file_names_both_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "twice.yaml",
        BASE + "  nordic:\n    baltic: {alignment: 0.6}\n",
    )
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert shown(info) == [
        "twice.yaml:16:13: relationships.nordic.baltic: pair declared twice "
        "(also as relationships.baltic.nordic): pairs are unordered, so nordic.baltic and "
        "baltic.nordic are one pair; keep relationships.baltic.nordic and move this entry's "
        "fields into it"
    ]


def test_variant_declaring_both_orders_is_told_to_keep_the_bases(base: Path) -> None:
    path = variant(
        base.parent,
        "  russia:\n    baltic: {alignment: -0.5}\n  baltic:\n    russia: {alignment: -0.4}\n",
    )
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert shown(info) == [
        "variant.yaml:6:13: relationships.baltic.russia: pair declared twice "
        "(also as relationships.russia.baltic): pairs are unordered, so baltic.russia and "
        "russia.baltic are one pair; keep relationships.russia.baltic and move this entry's "
        "fields into it"
    ]
