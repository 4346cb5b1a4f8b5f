"""Small hand-built scenarios and what their actors played, shared by the model's tests."""

from __future__ import annotations

from typing import Any

from sim.model.mesa_model import EscalationModel
from sim.scenario.loader import scenario_from_dict
from sim.scenario.schema import Scenario


def scenario(actors: dict[str, Any], **extra: Any) -> Scenario:
    """A 12-turn scenario of ``actors`` (and any other top-level keys in ``extra``)."""
    data: dict[str, Any] = {"metadata": {"title": "Test"}, "turns": 12, "actors": actors}
    data.update(extra)
    return scenario_from_dict(data)


def moves_played(s: Scenario, seed: int = 1, turns: int | None = None) -> list[list[str]]:
    """The move id each actor played, turn by turn."""
    result = EscalationModel(s, rng=seed, turns=turns, collect=False).run()
    ids = result.compiled.move_ids
    return [[ids[m] for m in r.move] for r in result.records]
