"""``versus`` facts: a quantity against another scenario's on the same seeds (model.md 7.14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.running.check import check
from sim.scenario.loader import load_scenario

BASE = """\
metadata: {title: Base}
turns: 8
seed: 3
actors:
  a: {name: A, initial_tension: 0.2}
  b: {name: B, initial_tension: 0.2}
"""

FACT = """\
expectations:
  tenser:
    kind: versus
    against: {against}
    quantity: tension
    actor: a
    relation: above
    over: {over}
    margin: {margin}
    share: 1.0
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _share(folder: Path, variant: str, over: str = "every_turn", margin: float = 0.0) -> float:
    _write(folder, "base.yaml", BASE)
    body = variant + FACT.format(against="base.yaml", over=over, margin=margin)
    result = check(load_scenario(_write(folder, "v.yaml", body)), runs=20)
    (fact,) = result.facts
    return fact.share


def test_the_same_scenario_is_never_strictly_above_itself(tmp_path: Path) -> None:
    """Same seeds, same scenario: identical series, so 'above' never holds (the control)."""
    assert _share(tmp_path, "extends: base.yaml\n") == 0.0


def test_a_tenser_start_is_above_the_base_on_every_seed(tmp_path: Path) -> None:
    """A starts 0.5 higher; on the same seeds A's mean tension stays above the base's
    by more than 0.05 in every run."""
    variant = "extends: base.yaml\nactors:\n  a:\n    initial_tension: 0.7\n"
    assert _share(tmp_path, variant, over="mean", margin=0.05) == 1.0


def test_a_reference_to_nothing_is_refused_where_it_is_written(tmp_path: Path) -> None:
    body = BASE + FACT.format(against="nowhere.yaml", over="end", margin=0)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, "v.yaml", body))
    message = str(caught.value)
    assert "v.yaml:" in message and "expectations.tenser.against" in message


def test_an_actor_missing_from_the_other_scenario_is_refused(tmp_path: Path) -> None:
    other = BASE.replace("  a: {name: A, initial_tension: 0.2}\n", "  c: {name: C}\n")
    _write(tmp_path, "other.yaml", other)
    body = BASE + FACT.format(against="other.yaml", over="end", margin=0)
    scenario = load_scenario(_write(tmp_path, "v.yaml", body))
    with pytest.raises(ScenarioError, match=r"other\.yaml has no actor or move 'a'"):
        check(scenario, runs=2)
