"""Joint moves, scripted-only moves, limits on moves and injects, and partners' readings.

docs/model.md 7.5 (meaning aimed at partners), 7.10.1 (joint moves) and 7.11 (limits).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.model.limits import Limits, Uses
from sim.model.perception import meant, partner_discount
from sim.scenario.schema import UseLimit
from tests.model.small import moves_played, scenario

MOVES: dict[str, Any] = {
    "calm": {"label": "calm", "rung": 0, "intended_hostility": 0.0, "framed_hostility": 0.0},
    "talk": {"label": "talk", "rung": 2, "intended_hostility": 0.3, "framed_hostility": 0.1},
    "drill": {
        "label": "joint drill",
        "rung": 5,
        "intended_hostility": 0.5,
        "framed_hostility": 0.1,
        "partners": ["a", "b"],
        "host": "b",
    },
    "threat": {"label": "threat", "rung": 8, "intended_hostility": 0.9, "framed_hostility": 0.5},
}


def _world(moves: dict[str, Any] | None = None, **extra: Any) -> Any:
    actors = {k: {"name": k.upper(), "policy": "hawk"} for k in ("a", "b", "c")}
    actors.update(extra.pop("actors", {}))
    extra.setdefault("relationships", {"a": {"b": {"alignment": 0.8}, "c": {"alignment": -0.6}}})
    return scenario(actors, use_default_moves=False, moves=moves or MOVES, **extra)


CALLS_AT_2 = {"name": "A", "policy": {"kind": "scripted", "script": {2: "drill"}}}


# ---------------------------------------------------------------- joint moves


def test_a_joint_move_is_held_by_every_partner_or_by_none() -> None:
    """A's script calls the joint drill at turn 2; its partner B, a dove, holds it too;
    the non-partner never plays it."""
    s = _world(actors={"a": CALLS_AT_2, "b": {"name": "B", "policy": "dove"}})
    played = moves_played(s, seed=3, turns=6)
    for row in played:
        a, b, c = row
        assert (a == "drill") == (b == "drill")
        assert c != "drill"
    assert played[1][:2] == ["drill", "drill"]  # A called it, the dove joined


def test_a_joint_move_called_in_vain_is_chosen_again_without_joint_moves() -> None:
    """A partner whose move a person fixed cannot join: the caller re-chooses, and the
    person's move stands."""
    s = _world(actors={"a": CALLS_AT_2})
    c = compile_scenario(s)
    e = Engine(c, 1)
    calm = c.move_index["calm"]
    e.step()
    record = e.step(human_moves={1: calm})
    assert record.move[1] == calm
    assert record.move[0] == calm  # the script's joint move cannot be held: its calmest move


def test_a_person_cannot_hold_a_joint_move_alone() -> None:
    s = _world()
    c = compile_scenario(s)
    e = Engine(c, 1)
    with pytest.raises(ValueError, match="joint move of a and b"):
        e.step(human_moves={0: c.move_index["drill"], 1: c.move_index["calm"]})


def test_an_inject_that_moves_one_partner_moves_them_all() -> None:
    s = _world(
        actors={k: {"name": k, "policy": "dove"} for k in ("a", "b", "c")},
        injects={
            "drill": {
                "label": "The drill",
                "when": {"turn": 2},
                "effects": [{"move": {"actor": "b", "move": "drill"}}],
            }
        },
    )
    played = moves_played(s, turns=3)
    assert played[1] == ["drill", "drill", "calm"]
    assert played[0] == played[2] == ["calm", "calm", "calm"]


def test_partners_a_host_and_available_to_are_checked() -> None:
    bad = dict(MOVES, drill=dict(MOVES["drill"], host="c"))
    with pytest.raises(ScenarioError, match="'host' must be one of"):
        _world(moves=bad)
    bad = dict(MOVES, drill=dict(MOVES["drill"], available_to=["a"]))
    with pytest.raises(ScenarioError, match="available to its partners only"):
        _world(moves=bad)
    bad = dict(MOVES, drill=dict(MOVES["drill"], partners=["a", "b", "zz"]))
    with pytest.raises(ScenarioError, match="unknown actor 'zz'"):
        _world(moves=bad)


# ---------------------------------------------------------------- scripted-only moves


def test_no_policy_chooses_a_scripted_only_move_but_an_inject_may() -> None:
    moves = dict(MOVES, threat=dict(MOVES["threat"], scripted_only=True))
    s = _world(moves=moves, turns=12)
    c = compile_scenario(s)
    assert not c.allowed[:, c.move_index["threat"]].any()
    played = moves_played(s)
    assert all("threat" not in row for row in played)
    s2 = _world(
        moves=moves,
        injects={
            "t": {
                "label": "T",
                "when": {"turn": 3},
                "effects": [{"move": {"actor": "c", "move": "threat"}}],
            }
        },
    )
    assert moves_played(s2, turns=3)[2][2] == "threat"


# ---------------------------------------------------------------- limits


def _ladder(**threat: Any) -> dict[str, Any]:
    """Three moves on rungs 0-2: a hawk (start rung 1) reaches the threat at once."""
    return {
        "calm": MOVES["calm"],
        "talk": dict(MOVES["talk"], rung=1),
        "threat": dict(MOVES["threat"], rung=2, **threat),
    }


def test_a_capped_move_is_played_at_most_its_times_per_actor() -> None:
    """Hawks would hold the top move every turn; a cap of 2 stops them."""
    moves = _ladder(limit={"times": 2})
    s = _world(moves=moves, relationships={})
    played = moves_played(s, turns=12)
    for k in range(3):
        assert sum(row[k] == "threat" for row in played) == 2


def test_a_cooldown_spaces_the_plays_of_a_move() -> None:
    moves = _ladder(limit={"cooldown": 2})
    s = _world(moves=moves, relationships={})
    played = moves_played(s, turns=12)
    for k in range(3):
        turns = [t for t, row in enumerate(played, start=1) if row[k] == "threat"]
        assert turns and all(b - a == 3 for a, b in pairwise(turns))


def test_a_batch_with_limits_and_joint_moves_equals_its_single_runs() -> None:
    moves = dict(MOVES, threat=dict(MOVES["threat"], limit={"times": 3, "cooldown": 1}))
    actors = {k: {"name": k} for k in ("a", "b", "c")}  # adaptive: random choices
    s = _world(moves=moves, actors=actors, turns=15)
    c = compile_scenario(s)
    seeds = [5, 6, 7, 8]
    batch = Engine(c, seeds).run(15)
    for k, seed in enumerate(seeds):
        single = Engine(c, seed).run(15)
        assert np.array_equal(
            np.array([r.move[k] for r in batch]), np.array([r.move for r in single])
        )
        assert np.array_equal(
            np.array([r.belief[k] for r in batch]), np.array([r.belief for r in single])
        )


def test_a_repeating_inject_follows_the_same_limit_rule() -> None:
    s = _world(
        actors={k: {"name": k, "policy": "dove"} for k in ("a", "b", "c")},
        injects={
            "jolt": {
                "label": "Jolt",
                "when": {"from_turn": 1, "all": [{"metric": "turn", "op": ">=", "value": 1}]},
                "repeat": True,
                "limit": {"times": 3, "cooldown": 1},
                "effects": [{"tension": {"actor": "c", "delta": 0.01}}],
            }
        },
    )
    c = compile_scenario(s)
    e = Engine(c, 1)
    fired = [bool(e.step().injects) for _ in range(10)]
    assert fired == [True, False, True, False, True, False, False, False, False, False]


def test_a_limit_on_an_inject_that_does_not_repeat_is_refused() -> None:
    with pytest.raises(ScenarioError, match="add 'repeat: true'"):
        _world(
            injects={
                "x": {
                    "label": "X",
                    "when": {"turn": 1},
                    "limit": {"times": 2},
                    "effects": [{"norms": 0.1}],
                }
            }
        )


@settings(max_examples=60, deadline=None)
@given(
    times=st.one_of(st.none(), st.integers(1, 5)),
    cooldown=st.integers(0, 4),
    wanted=st.lists(st.booleans(), min_size=1, max_size=30),
)
def test_limits_never_let_more_through_than_they_say(
    times: int | None, cooldown: int, wanted: list[bool]
) -> None:
    """Whatever is wanted turn by turn, what the limit lets through is capped and spaced."""
    limits = Limits.of([UseLimit(times=times, cooldown=cooldown)])
    uses = Uses.none((1,))
    happened = []
    for turn, want in enumerate(wanted, start=1):
        go = bool(want and limits.open(uses, turn)[0])
        uses.record(np.array([go]), turn)
        if go:
            happened.append(turn)
    if times is not None:
        assert len(happened) <= times
    assert all(b - a > cooldown for a, b in pairwise(happened))


# ---------------------------------------------------------------- partners' readings


def test_toward_a_partner_a_sender_means_the_unshared_part_of_its_move() -> None:
    alignment = np.array([[0.0, 0.8, -0.6], [0.8, 0.0, 0.0], [-0.6, 0.0, 0.0]])
    assert np.allclose(partner_discount(alignment)[0], [1.0, 0.2, 1.0])
    assert np.allclose(meant(np.array([0.5, 0.5, 0.9]), alignment)[0], [0.5, 0.1, 0.9])


def _partner_belief(alignment: float, b_policy: str, seeds: int = 40) -> float:
    """A's belief about B after 20 turns, median over seeds, with B as given."""
    s = scenario(
        {
            "a": {"name": "A", "policy": "dove"},
            "b": {"name": "B", "policy": b_policy},
            "c": {"name": "C", "policy": "hawk"},
        },
        turns=20,
        relationships={"a": {"b": {"alignment": alignment}}, "b": {"c": {"alignment": -0.7}}},
    )
    c = compile_scenario(s)
    e = Engine(c, list(range(seeds)))
    last = e.run(20)[-1]
    return float(np.median(last.belief[:, 0, 1]))


def test_partners_do_not_talk_themselves_into_rivalry() -> None:
    """B answers a hawkish rival with hawkish moves; its partner A does not read them as
    aimed at itself (negative control below: the same moves from an unaligned B)."""
    assert _partner_belief(0.8, "hawk") < 0.3


def test_a_partner_that_turns_hostile_is_still_read_as_hostile() -> None:
    """Negative control: without the partnership the very same moves read as hostile."""
    assert _partner_belief(0.0, "hawk") > 0.6
