"""The decision rules: each policy's behaviour on small, exact cases."""

from __future__ import annotations

import numpy as np

from tests.model.small import moves_played, scenario


def test_hawk_climbs_one_rung_a_turn_and_dove_stays_conciliatory() -> None:
    s = scenario({"h": {"name": "H", "policy": "hawk"}, "d": {"name": "D", "policy": "dove"}})
    played = moves_played(s)
    rungs = [s.moves[turn[0]].rung for turn in played]
    assert rungs[:7] == [2, 3, 4, 5, 6, 7, 8]  # then it draws among its top moves (7.10.7)
    assert all(r >= 7 for r in rungs[7:])
    assert {turn[1] for turn in played} == {"arms_control_proposal"}


def test_scripted_policy_follows_its_script() -> None:
    s = scenario(
        {
            "a": {
                "name": "A",
                "policy": {
                    "kind": "scripted",
                    "script": {2: "live_fire_drill"},
                    "default_move": "hold",
                },
            },
            "b": {"name": "B", "policy": {"kind": "scripted", "script": {1: "hold"}}},
        }
    )
    played = moves_played(s, turns=3)
    assert [t[0] for t in played] == ["hold", "live_fire_drill", "hold"]
    assert [t[1] for t in played] == ["hold", "arms_control_proposal", "arms_control_proposal"]


def test_tit_for_tat_mirrors_a_hostile_reading_then_returns_to_calm() -> None:
    s = scenario(
        {
            "a": {
                "name": "A",
                "policy": {
                    "kind": "scripted",
                    "script": {
                        1: "live_fire_drill",
                        2: "arms_control_proposal",
                        3: "arms_control_proposal",
                    },
                },
            },
            "t": {"name": "T", "policy": "tit_for_tat"},
        },
        dynamics={"perception": "perfect"},
    )
    played = [t[1] for t in moves_played(s, turns=4)]
    assert played == [
        "arms_control_proposal",
        "live_fire_drill",
        "arms_control_proposal",
        "arms_control_proposal",
    ]


def test_generous_tit_for_tat_forgives_about_as_often_as_told() -> None:
    actors = {
        "a": {
            "name": "A",
            "policy": {
                "kind": "scripted",
                "script": {1: "live_fire_drill"},
                "default_move": "live_fire_drill",
            },
        },
        "g": {"name": "G", "policy": {"kind": "generous_tit_for_tat", "generosity": 0.3}},
    }
    s = scenario(actors, turns=400, dynamics={"perception": "perfect"})
    played = [t[1] for t in moves_played(s, turns=400)][1:]
    forgiven = sum(m == "arms_control_proposal" for m in played) / len(played)
    assert 0.24 < forgiven < 0.36


def test_contrite_tit_for_tat_does_not_answer_a_reaction_to_its_own_misread_move() -> None:
    from sim.model.policies import ContriteTitForTat, Situation

    n, m = 2, 3
    base = dict(
        turn=3,
        tension=np.zeros(n),
        rung=np.zeros(n, dtype=np.int64),
        belief=np.zeros((n, n)),
        alignment=np.zeros((n, n)),
        posture=np.zeros((n, 8)),
        allowed=np.ones((n, m), bool),
        repertoire=np.ones((n, m), bool),
        intended=np.array([0.0, 0.5, 0.9]),
        rungs=np.array([0, 4, 8]),
        cost=np.zeros(m),
        reassurance=np.zeros(m),
        second_strike=np.zeros(m),
        top_rung=8,
        temperature=0.1,
        time_pressure=1.0,
        cost_weight=0.1,
        hostile_threshold=0.4,
        miscalculation_threshold=0.3,
        uniforms=np.zeros(n),
        gumbel=np.zeros((n, m)),
    )
    last = np.array([[np.nan, 0.9], [0.1, np.nan]])  # actor 0 read actor 1 as very hostile
    misread = np.zeros((n, n))
    innocent = Situation(last_perceived=last, misread=misread, **base)  # type: ignore[arg-type]
    misread_ours = misread.copy()
    misread_ours[1, 0] = 0.5  # ... but actor 1 had badly misread actor 0's move
    guilty = Situation(last_perceived=last, misread=misread_ours, **base)  # type: ignore[arg-type]
    who = np.array([0])
    assert ContriteTitForTat().choose(who, innocent)[0].tolist() == [2]  # retaliate
    assert ContriteTitForTat().choose(who, guilty)[0].tolist() == [0]  # apologise
