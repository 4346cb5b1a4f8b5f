"""Small hand-built scenarios and what their actors played, shared by the model's tests."""

from __future__ import annotations

from typing import Any

from sim.model.mesa_model import EscalationModel
from sim.scenario.loader import scenario_from_dict
from sim.scenario.schema import Scenario

#: The core moves the missile-defence library stands in for: dropping them and
#: loading the library gives the repertoire of the old default library, in its order.
CORE_ONLY = (
    "partner_exercise",
    "deployment_notice",
    "live_fire_exercise",
    "activity_pause",
    "explicit_threat",
)


def scenario(actors: dict[str, Any], **extra: Any) -> Scenario:
    """A 12-turn scenario of ``actors`` (and any other top-level keys in ``extra``).

    With the default moves, it loads ``library:missile_defence`` without the core's
    generic additions (the old default library the model's tests were written for);
    ``moves`` in ``extra`` merge over that.
    """
    data: dict[str, Any] = {"metadata": {"title": "Test"}, "turns": 12, "actors": actors}
    if extra.get("use_default_moves", True) is True and "libraries" not in extra:
        data["libraries"] = ["library:missile_defence"]
        data["moves"] = {**dict.fromkeys(CORE_ONLY), **extra.pop("moves", {})}
    data.update(extra)
    return scenario_from_dict(data)


def moves_played(s: Scenario, seed: int = 1, turns: int | None = None) -> list[list[str]]:
    """The move id each actor played, turn by turn."""
    result = EscalationModel(s, rng=seed, turns=turns, collect=False).run()
    ids = result.compiled.move_ids
    return [[ids[m] for m in r.move] for r in result.records]
