"""The engine's per-turn overrides for moves chosen outside the model (docs/model.md 7.10.1)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.model.engine import Engine
from sim.model.mesa_model import EscalationModel
from tests.model.small import scenario


def _two(perception: str = "perfect") -> Any:
    actors = {
        "a": {"name": "A", "policy": {"kind": "scripted", "script": {1: "hold"}}},
        "b": {"name": "B", "policy": {"kind": "scripted", "script": {1: "hold"}}},
    }
    return scenario(actors, dynamics={"perception": perception}, turns=3)


def test_perfect_readings_equal_the_overridden_intended_value() -> None:
    s = _two()
    model = EscalationModel(s, rng=5, collect=False)
    c = model.compiled
    drill = c.move_index["live_fire_drill"]
    record = model.play({"a": "live_fire_drill"}, overrides={"a": {"intended": 0.37}})
    assert record.move[0] == drill
    assert record.hostility[0] == 0.37
    assert record.perceived[1, 0] == 0.37  # B reads exactly what A meant, not the move's own
    assert float(c.intended[drill]) != 0.37


def test_without_an_override_the_reading_is_the_moves_own_value() -> None:
    """Negative control: the same turn without the override reads the move's intended value."""
    s = _two()
    model = EscalationModel(s, rng=5, collect=False)
    c = model.compiled
    drill = c.move_index["live_fire_drill"]
    record = model.play({"a": "live_fire_drill"})
    assert record.perceived[1, 0] == float(c.intended[drill])
    assert record.hostility[0] == float(c.intended[drill])


def test_framed_override_sets_the_claim_credibility_is_judged_against() -> None:
    """Perfect readings: credibility moves toward 1 - |perceived - framed| with the framed given."""
    s = _two()
    m = EscalationModel(s, rng=5, collect=False)
    before = m.engine.state.credibility.copy()
    rate = float(s.dynamics.credibility_rate)
    record = m.play({"a": "live_fire_drill"}, overrides={"a": {"intended": 0.6, "framed": 0.1}})
    target = 1.0 - abs(0.6 - 0.1)
    expected = before[1, 0] + rate * (target - before[1, 0])
    assert record.credibility[1, 0] == pytest.approx(expected, abs=1e-12)
    plain = EscalationModel(s, rng=5, collect=False).play(
        {"a": "live_fire_drill"}, overrides={"a": {"intended": 0.6}}
    )
    assert plain.credibility[1, 0] != pytest.approx(record.credibility[1, 0], abs=1e-6)


def test_framed_override_pulls_noisy_readings_like_a_move_with_that_framing() -> None:
    """Under noisy perception the override equals a move whose framed_hostility is the value."""
    base = _two("lens")
    drill = base.moves["live_fire_drill"]
    claim = 0.05 if drill.framed_hostility != 0.05 else 0.1
    edited = base.model_copy(
        update={
            "moves": {
                **base.moves,
                "live_fire_drill": drill.model_copy(update={"framed_hostility": claim}),
            }
        }
    )
    over = EscalationModel(base, rng=9, collect=False).play(
        {"a": "live_fire_drill"}, overrides={"a": {"framed": claim}}
    )
    same = EscalationModel(edited, rng=9, collect=False).play({"a": "live_fire_drill"})
    np.testing.assert_allclose(over.perceived, same.perceived, rtol=0, atol=1e-12)
    assert over.hostility[0] == same.hostility[0]  # only the claim changed


def test_overrides_last_one_turn_and_are_checked() -> None:
    s = _two()
    model = EscalationModel(s, rng=5, collect=False)
    model.play({"a": "live_fire_drill"}, overrides={"a": {"intended": 0.37}})
    second = model.play({"a": "live_fire_drill"})
    drill = model.compiled.move_index["live_fire_drill"]
    assert second.hostility[0] == float(model.compiled.intended[drill])
    engine = Engine(model.compiled, 1)
    with pytest.raises(ValueError, match="unknown override"):
        engine.step({0: drill}, overrides={0: {"meant": 0.5}})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        engine.step({0: drill}, overrides={0: {"intended": 1.5}})
    assert engine.state.turn == 0  # refused before anything was drawn or played


def test_a_batch_applies_the_override_in_every_replicate() -> None:
    s = _two("lens")
    model = EscalationModel(s, rng=3, collect=False)
    c = model.compiled
    drill = c.move_index["live_fire_drill"]
    batch = Engine(c, [3, 4])
    rec = batch.step({0: drill}, overrides={0: {"intended": 0.42, "framed": 0.2}})
    single = Engine(c, 4).step({0: drill}, overrides={0: {"intended": 0.42, "framed": 0.2}})
    assert rec.hostility[:, 0].tolist() == [0.42, 0.42]
    np.testing.assert_allclose(rec.perceived[1], single.perceived, rtol=0, atol=1e-12)
