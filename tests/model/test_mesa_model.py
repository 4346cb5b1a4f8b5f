"""The Mesa model and the engine: policies, injects, records, determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mesa.batchrunner import batch_run

import sim
from sim.model.mesa_model import EscalationModel, StateActor
from tests.conftest import FLAGSHIP
from tests.model.small import scenario


def test_one_agent_per_actor_and_thin_views(small: Path) -> None:
    model = EscalationModel(small, rng=3)
    assert len(model.agents) == 3
    assert all(isinstance(a, StateActor) for a in model.agents)
    model.step()
    red = model.actors["red"]
    assert red.tension == model.engine.state.tension[0]
    assert red.last_move == "joint_missile_defence_drill"  # the inject at turn 1
    assert 0.0 <= red.belief_about("blue") <= 1.0


def test_injects_scheduled_conditional_and_their_effects() -> None:
    s = scenario(
        {"a": {"name": "A", "policy": "hawk"}, "b": {"name": "B", "policy": "dove"}},
        relationships={"a": {"b": {"alignment": 0.0}}},
        norms={"strength": 0.5},
        injects={
            "expiry": {
                "label": "Treaty expires",
                "when": {"turn": 2},
                "effects": [{"norms": -0.3}, {"alignment": {"between": ["a", "b"], "set": -0.8}}],
            },
            "alarm": {
                "label": "Alarm",
                "when": {"all": [{"metric": "rung", "actor": "a", "op": ">=", "value": 5}]},
                "effects": [
                    {"move": {"actor": "b", "move": "statement_of_concern"}},
                    {"tension": {"actor": "b", "delta": 0.5}},
                ],
            },
        },
    )
    model = EscalationModel(s, rng=1, collect=False)
    result = model.run()
    fired = result.injects
    assert fired["inject"].tolist() == ["expiry", "alarm"]
    alarm_turn = int(fired.loc[fired.inject == "alarm", "turn"].iloc[0])
    assert alarm_turn == 5  # hawk reaches rung 5 at turn 4; the inject fires at the next start
    assert result.arrays.norms[1] < result.arrays.norms[0] - 0.25
    assert result.records[2].alignment[0, 1] == -0.8
    events = result.events
    b_move = events[(events.turn == alarm_turn) & (events.sender == "b")].iloc[0]
    assert b_move.move == "statement_of_concern" and b_move.source == "inject:alarm"


def test_entirely_different_actors_need_no_code_change() -> None:
    s = scenario(
        {
            "venice": {"name": "Venice", "policy": "adaptive"},
            "genoa": {"name": "Genoa", "policy": "hedger"},
            "pisa": {"name": "Pisa", "policy": "contrite_tit_for_tat"},
            "milan": {"name": "Milan", "policy": "richardson"},
        },
        relationships={"venice": {"genoa": {"alignment": -0.9}}},
    )
    result = sim.run(s, seed=11)
    assert result.turns == 12
    assert set(result.events.sender) == {"venice", "genoa", "pisa", "milan"}


def test_same_seed_same_run_and_different_seed_different_run() -> None:
    a = sim.run(FLAGSHIP, seed=42, turns=25)
    b = sim.run(FLAGSHIP, seed=42, turns=25)
    c = sim.run(FLAGSHIP, seed=43, turns=25)
    np.testing.assert_array_equal(a.arrays.tension, b.arrays.tension)
    assert a.events.equals(b.events)
    assert not np.array_equal(a.arrays.tension, c.arrays.tension)


def test_longer_run_extends_a_shorter_one_exactly() -> None:
    short = sim.run(FLAGSHIP, seed=9, turns=20)
    long = sim.run(FLAGSHIP, seed=9, turns=70)  # crosses several random-number blocks
    np.testing.assert_array_equal(long.arrays.tension[:21], short.arrays.tension)


def test_no_seed_picks_one_and_records_it(small: Path) -> None:
    s = sim.load_scenario(small, ["seed=null"])
    result = sim.run(s)
    again = sim.run(s, seed=result.seed)
    np.testing.assert_array_equal(result.arrays.tension, again.arrays.tension)


def test_batch_run_gives_the_same_runs_as_direct_use() -> None:
    rows = batch_run(
        EscalationModel,
        parameters={"scenario": str(FLAGSHIP)},
        rng=[5, 6],
        max_steps=10,
        number_processes=1,
        display_progress=False,
    )
    for seed in (5, 6):
        direct = sim.run(FLAGSHIP, seed=seed, turns=10)
        final = [r for r in rows if r["rng"] == seed and r["Step"] == 10]
        assert len(final) == len(direct.actor_ids)
        by_actor = {r["actor"]: r["tension"] for r in final}
        for i, actor in enumerate(direct.actor_ids):
            assert by_actor[actor] == pytest.approx(direct.arrays.tension[-1, i], abs=0)


def test_derived_links_are_consistent_with_events() -> None:
    """Every counter-action in links.csv meets docs/model.md 7.12 on the events it cites."""
    result = sim.run(FLAGSHIP, seed=3)
    links, events = result.links, result.events
    assert len(links) > 0
    for row in links.itertuples():
        cause = events[
            (events.turn == row.cause_turn)
            & (events.sender == row.cause_sender)
            & (events.observer == row.responder)
        ].iloc[0]
        assert cause.observed and cause.perceived == pytest.approx(row.perceived)
        # links' intended is what the sender meant toward the responder: P - gap.
        assert cause.perceived - cause.gap == pytest.approx(row.intended)
        assert cause.perceived >= 0.4 and cause.perceived > row.intended
        assert row.miscalculation == (row.perceived - row.intended >= 0.3)
        own = events[events.sender == row.responder].drop_duplicates("turn").set_index("turn")
        now, before = own.intended[row.turn], own.intended[row.turn - 1]
        assert now > before and now >= 0.4
