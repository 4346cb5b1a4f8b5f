"""Reciprocal policies and the hawk with many actors (docs/model.md 7.10.4-7.10.7).

Every scenario here brings its own ladder, so the tests do not depend on the default library.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.model.policies import ContriteTitForTat, GenerousTitForTat, Situation, TitForTat
from sim.model.policies.base import (
    answered_readings,
    closest_move,
    least_hostile,
    relationship_weights,
    worst_reading,
)
from sim.model.policies.hawk import HAWK_BAND
from tests.model.small import moves_played, scenario


def _move(rung: int, hostility: float) -> dict[str, Any]:
    return {
        "label": f"rung {rung}",
        "rung": rung,
        "intended_hostility": hostility,
        "framed_hostility": hostility,
    }


LADDER: dict[str, Any] = {
    "calm": _move(0, 0.0),
    "note": _move(1, 0.2),
    "exercise": _move(2, 0.45),
    "deploy": _move(3, 0.6),
    "drill": _move(4, 0.8),
    "threat": _move(5, 0.9),
}
ORDER = list(LADDER)
HOSTILITY = np.array([m["intended_hostility"] for m in LADDER.values()])
RUNG = np.array([m["rung"] for m in LADDER.values()])


def _scripted(name: str, default: str, script: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "policy": {"kind": "scripted", "script": script or {1: default}, "default_move": default},
    }


def _seven(policy: Any, rival_alignment: float = -0.8) -> Any:
    """T (``policy``), its rival R (one exercise at turn 2), a stranger S that threatens every
    turn, an unaligned U and three partners P1-P3, all calm; perfect perception."""
    actors = {
        "t": {"name": "T", "policy": policy},
        "r": _scripted("R", "calm", {2: "exercise"}),
        "s": _scripted("S", "threat"),
        "u": _scripted("U", "calm"),
        "p1": _scripted("P1", "calm"),
        "p2": _scripted("P2", "calm"),
        "p3": _scripted("P3", "calm"),
    }
    relations = {"r": {"alignment": rival_alignment}, "s": {"alignment": 0.0}}
    relations.update({p: {"alignment": 0.6} for p in ("p1", "p2", "p3")})
    return scenario(
        actors,
        turns=6,
        use_default_moves=False,
        moves=LADDER,
        relationships={"t": relations},
        dynamics={"perception": "perfect"},
    )


def _t_moves(policy: Any, rival_alignment: float = -0.8) -> list[str]:
    return [row[0] for row in moves_played(_seven(policy, rival_alignment), seed=7, turns=6)]


# ---------------------------------------------------------------- reciprocal policies


def test_a_calm_tit_for_tat_answers_its_rival_not_a_hostile_stranger() -> None:
    """The stranger's threat (0.9) counts at (1/4)/(0.81) of its value, 0.278 < 0.4: not
    answered; the rival's exercise (0.45) counts fully and is mirrored the turn after."""
    assert _t_moves("tit_for_tat") == ["calm", "calm", "exercise", "calm", "calm", "calm"]


def test_the_old_rule_would_have_mirrored_the_stranger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: with the rule before (worst reading from anyone) the same state
    answers the stranger's threat from turn 2 on."""

    def old_choose(self: TitForTat, who: np.ndarray, s: Situation) -> Any:
        pick = _old_tit_for_tat(who, s, np.ones(who.shape, dtype=bool))
        return pick, s.intended[pick]

    monkeypatch.setattr(TitForTat, "choose", old_choose)
    assert _t_moves("tit_for_tat") == ["calm"] + ["threat"] * 5


def test_a_weak_rivalry_lets_the_stranger_count_more() -> None:
    """Rival at A = -0.2 (weight 0.36): the stranger's 0.9 counts 0.9 * 0.25 / 0.36 = 0.625,
    hostile, and is answered with the nearest move (deploy, 0.6) every turn but the first;
    at turn 3 the rival's 0.45 is below it and the stranger is still the one answered."""
    moves = _t_moves("tit_for_tat", rival_alignment=-0.2)
    assert moves == ["calm", "deploy", "deploy", "deploy", "deploy", "deploy"]


def test_every_reciprocal_policy_ignores_the_stranger_at_full_weight() -> None:
    """Generosity 0 and contrition (no misreading under perfect perception) change nothing."""
    expected = ["calm", "calm", "exercise", "calm", "calm", "calm"]
    assert _t_moves({"kind": "generous_tit_for_tat", "generosity": 0.0}) == expected
    assert _t_moves("contrite_tit_for_tat") == expected


def test_relationship_weights_are_exact() -> None:
    """w = ((1 - A)/2)^2 scaled by the row's largest; self 0; all-partner rows count fully."""
    a = np.array(
        [
            [1.0, -0.8, 0.0, 0.6],
            [-0.8, 1.0, 1.0, 1.0],
            [0.0, 1.0, 1.0, 1.0],
            [0.6, 1.0, 1.0, 1.0],
        ]
    )
    w = relationship_weights(a, np.array([0, 2]))
    assert np.allclose(w[0], [0.0, 1.0, 0.25 / 0.81, 0.04 / 0.81], rtol=0, atol=1e-15)
    assert w[1].tolist() == [1.0, 0.0, 0.0, 0.0]  # only the unaligned actor 0 counts
    full = relationship_weights(np.ones((3, 3)), np.array([1]))
    assert full.tolist() == [[1.0, 0.0, 1.0]]


def _situation(last: np.ndarray, alignment: np.ndarray, uniforms: np.ndarray) -> Situation:
    n = last.shape[-1]
    m = len(HOSTILITY)
    return Situation(
        turn=3,
        tension=np.zeros(last.shape[:-1]),
        rung=np.zeros(last.shape[:-1], dtype=np.int64),
        belief=np.zeros(last.shape),
        alignment=alignment,
        last_perceived=last,
        misread=np.zeros(last.shape),
        posture=np.zeros((n, 8)),
        allowed=np.ones((n, m), dtype=bool),
        repertoire=np.ones((n, m), dtype=bool),
        intended=HOSTILITY,
        rungs=RUNG,
        cost=np.zeros(m),
        reassurance=np.zeros(m),
        second_strike=np.zeros(m),
        top_rung=8,
        temperature=0.1,
        time_pressure=1.0,
        cost_weight=0.1,
        hostile_threshold=0.4,
        miscalculation_threshold=0.3,
        uniforms=uniforms,
        gumbel=np.zeros((n, m)),
    )


def _old_tit_for_tat(who: np.ndarray, s: Situation, retaliate: np.ndarray) -> np.ndarray:
    """The rule before issue 15: mirror the worst reading from anyone."""
    worst = worst_reading(s.last_perceived[..., who, :])
    mirror = closest_move(worst, s.allowed[..., who, :], s.intended)
    calm = least_hostile(s.allowed[..., who, :], s.intended, s.cost)
    return np.asarray(np.where((worst >= s.hostile_threshold) & retaliate, mirror, calm))


reading = st.one_of(st.just(np.nan), st.floats(0.0, 1.0))
align = st.floats(-1.0, 1.0)
misreading = st.floats(0.0, 1.0)


@settings(max_examples=300, deadline=None)
@given(reading, reading, align, st.floats(0.0, 0.999), st.floats(0.0, 1.0), misreading, misreading)
def test_two_actors_answer_exactly_as_before(
    p01: float, p10: float, a: float, u: float, generosity: float, m01: float, m10: float
) -> None:
    """With two actors the weighted reading is the other's reading, bit for bit, whatever
    the alignment (full partners included), and all three reciprocal policies choose as the
    rule before did."""
    last = np.array([[np.nan, p01], [p10, np.nan]])
    alignment = np.array([[1.0, a], [a, 1.0]])
    s = _situation(last, alignment, np.full(2, u))
    s.misread = np.array([[0.0, m01], [m10, 0.0]])
    who = np.array([0, 1])
    assert np.array_equal(worst_reading(last), answered_readings(s, who).max(axis=-1))
    assert np.array_equal(TitForTat().choose(who, s)[0], _old_tit_for_tat(who, s, np.ones(2, bool)))
    forgiving = GenerousTitForTat(np.full(2, generosity)).choose(who, s)[0]
    assert np.array_equal(forgiving, _old_tit_for_tat(who, s, np.full(2, u >= generosity)))
    # The rule before for contrition: the provoker is the sender of the worst reading.
    provoker = np.where(np.isnan(last), 0.0, last).argmax(axis=-1)
    innocent = s.misread[provoker, who] < s.miscalculation_threshold
    assert np.array_equal(ContriteTitForTat().choose(who, s)[0], _old_tit_for_tat(who, s, innocent))


@settings(max_examples=200, deadline=None)
@given(st.integers(3, 9), st.randoms(use_true_random=False))
def test_the_weighted_reading_never_exceeds_the_worst_and_is_it_among_equals(
    n: int, rnd: Any
) -> None:
    """Weights lie in [0, 1], so the answered reading is at most the worst one; with every
    counterpart in the same relationship it is exactly the worst one."""
    last = np.array([[rnd.random() for _ in range(n)] for _ in range(n)])
    np.fill_diagonal(last, np.nan)
    a = np.array([[rnd.uniform(-1, 1) for _ in range(n)] for _ in range(n)])
    s = _situation(last, a, np.zeros(n))
    who = np.arange(n)
    assert (answered_readings(s, who).max(axis=-1) <= worst_reading(last)).all()
    same = _situation(last, np.full((n, n), rnd.uniform(-1, 1)), np.zeros(n))
    assert np.array_equal(answered_readings(same, who).max(axis=-1), worst_reading(last))


# ---------------------------------------------------------------- hawk


def _hawks(turns: int = 30) -> Any:
    """Seven hawks, rivals in a ring of partners and strangers (alignment does not matter to
    a hawk); a cap on the threat for one of them."""
    ids = [f"h{k}" for k in range(7)]
    actors = {i: {"name": i.upper(), "policy": "hawk"} for i in ids}
    relations = {ids[k]: {ids[k + 1]: {"alignment": (-0.8, 0.0, 0.6)[k % 3]}} for k in range(6)}
    return scenario(
        actors, turns=turns, use_default_moves=False, moves=LADDER, relationships=relations
    )


SEEDS = list(range(101, 141))


def _hawk_moves(seeds: list[int], turns: int = 30) -> np.ndarray:
    """``(R, T, N)`` move indices."""
    e = Engine(compile_scenario(_hawks(turns)), seeds)
    records = e.run(turns)
    return np.stack([np.asarray(r.move) for r in records], axis=1)


def test_a_hawk_varies_among_its_hostile_moves() -> None:
    """In every one of 40 seeds each of the seven hawks, once at the top (turns 5-30), plays
    at least two different moves (the rule before played the threat at all 26)."""
    moves = _hawk_moves(SEEDS)[:, 4:, :]
    distinct = np.array([[len(set(moves[r, :, i])) for i in range(7)] for r in range(len(SEEDS))])
    assert (distinct >= 2).all()


def test_a_hawk_climbs_then_stays_within_the_band() -> None:
    """The invariant, at every turn of every seed: the move is at most one rung above the
    last (start rung 1); while some move lies above the last rung it is exactly the most
    hostile move in reach (the rule before); and it is never less hostile than the most
    hostile move in reach minus HAWK_BAND."""
    moves = _hawk_moves(SEEDS)
    last = np.ones((len(SEEDS), 7), dtype=np.int64)
    for t in range(moves.shape[1]):
        m = moves[:, t, :]
        reach = (last + 1)[..., None] >= RUNG
        best = np.where(reach, HOSTILITY, -np.inf).max(axis=-1)
        assert (RUNG[m] <= last + 1).all()
        assert (HOSTILITY[m] >= best - HAWK_BAND).all()
        climbing = last < RUNG.max()
        assert (HOSTILITY[m][climbing] == best[climbing]).all()
        last = RUNG[m]


def test_the_climb_is_exact_and_the_ceiling_draws_between_drill_and_threat() -> None:
    """One rung a turn from rung 1: exercise, deploy, drill, threat at turns 1-4. At the top
    the hawk draws between drill (0.8) and threat (0.9), the moves within 0.15 of the most
    hostile; after a drill it climbs straight back to the threat."""
    moves = _hawk_moves(SEEDS)
    climb = [ORDER.index(k) for k in ("exercise", "deploy", "drill", "threat")]
    assert (moves[:, :4, :] == np.array(climb)[None, :, None]).all()
    later = moves[:, 4:, :]
    assert np.isin(later, [ORDER.index("drill"), ORDER.index("threat")]).all()
    after_drill = later[:, :-1, :] == ORDER.index("drill")
    assert (later[:, 1:, :][after_drill] == ORDER.index("threat")).all()
    # Measured, not a rule: the threat's share of turns 5-30 over these 40 seeds x 7 hawks.
    share = float((later == ORDER.index("threat")).mean())
    assert 0.62 < share < 0.72  # 2/3 expected: threat, then a fair draw, drill -> threat


def test_hawk_batch_equals_single_runs() -> None:
    seeds = SEEDS[:5]
    batch = _hawk_moves(seeds)
    for r, seed in enumerate(seeds):
        assert np.array_equal(_hawk_moves([seed])[0], batch[r])
