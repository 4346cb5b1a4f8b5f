"""The Axelrod files as a symmetric-noise prisoner's dilemma (docs/teaching/axelrod_noise.md).

``axelrod_noise.yaml`` switches off every state-dependent term of a reading (lens,
prior belief, deterrent anxiety, framing, the regime's damping, time pressure) and
has no channel, so each reading is ``clip(h + sigma*z, 0, 1)`` (docs/model.md 7.3-7.5).
Cooperate means 0, defect means 1 and the hostile threshold is 0.5, so each move is
misread as the other with the same probability ``eps = Phi(-0.5/sigma)``. Each claim
of the teaching note is checked here: exactly where the run is deterministic, else
over replicate seeds of the root ``ROOT``; the measured values are in the comments.

Echoes are measured from the move sequences alone: a *defection spell* is a run of
consecutive turns in which at least one side defects.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.running.replicates import replicate_seeds
from sim.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FILES = ("axelrod_noise", "axelrod_generous", "axelrod_contrite")
ROOT = 1995
LONG = 2000  # turns of a long run
N_LONG = 40  # long runs per file
N_CLASS = 200  # classroom runs (the files' own 60 turns) per file
C, D = 0, 1  # move indices: cooperate, defect (id "retaliate")


def phi(x: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


EPS = phi(-0.5 / 0.25)  # 0.02275: Phi(-2)


@cache
def play(name: str, seed: int, turns: int, *overrides: str) -> tuple[np.ndarray, np.ndarray]:
    """Moves ``(turns, 2)`` (0 cooperate, 1 defect) and readings ``(turns, 2, 2)`` of one run."""
    c = compile_scenario(load_scenario(SCENARIOS / f"{name}.yaml", overrides))
    assert c.move_ids == ["cooperate", "retaliate"]
    engine = Engine(c, seed)
    engine.run(turns)
    moves = np.array([r.move for r in engine.records])
    readings = np.array([r.perceived for r in engine.records])
    return moves, readings


def misreadings(moves: np.ndarray, readings: np.ndarray) -> tuple[int, int, int, int]:
    """(C read as D, C moves read, D read as C, D moves read) over both observers."""
    counts = [0, 0, 0, 0]
    for i in (0, 1):
        read, meant = readings[:, i, 1 - i], moves[:, 1 - i]
        counts[0] += int(((read >= 0.5) & (meant == C)).sum())
        counts[1] += int((meant == C).sum())
        counts[2] += int(((read < 0.5) & (meant == D)).sum())
        counts[3] += int((meant == D).sum())
    return counts[0], counts[1], counts[2], counts[3]


def spells(moves: np.ndarray) -> list[int]:
    """Lengths of the runs of consecutive turns in which at least one side defects."""
    out: list[int] = []
    k = 0
    for any_defect in (moves == D).any(axis=1):
        if any_defect:
            k += 1
        elif k:
            out, k = [*out, k], 0
    return [*out, k] if k else out


@cache
def long_runs(name: str) -> dict[str, np.ndarray]:
    """Per long run: cooperation share, mutual-defection share, mean spell length."""
    coop, mutual, spell = [], [], []
    for seed in replicate_seeds(ROOT, N_LONG):
        moves, _ = play(name, seed, LONG)
        coop.append((moves == C).mean())
        mutual.append((moves == D).all(axis=1).mean())
        spell.append(np.mean(spells(moves)))
    return {"coop": np.array(coop), "mutual": np.array(mutual), "spell": np.array(spell)}


# ----------------------------------------------------------------- the settings


def test_settings_leave_nothing_but_symmetric_noise() -> None:
    s = load_scenario(SCENARIOS / "axelrod_noise.yaml")
    d = s.dynamics
    assert (d.lens_strength, d.prior_weight, d.anxiety_weight) == (0, 0, 0)
    assert (d.time_pressure, d.norm_damping, d.noise) == (0, 0, 0.25)
    assert d.hostile_threshold == d.miscalculation_threshold == 0.5
    assert s.relationships["east"]["west"].alignment == 0
    assert not s.relationships["east"]["west"].channels
    assert s.ladder is not None
    top = len(s.ladder) - 1
    coop, defect = s.moves["cooperate"], s.moves["retaliate"]
    for m in (coop, defect):
        assert m.framed_hostility == m.intended_hostility == m.rung / top
        assert "second_strike" not in m.tags and m.visibility == 1 and m.cost == 1
    # The threshold lies half-way between the two meanings: d = 0.5 on each side.
    assert d.hostile_threshold - coop.intended_hostility == 0.5
    assert defect.intended_hostility - d.hostile_threshold == 0.5


def test_without_noise_every_reading_is_exactly_what_was_meant() -> None:
    # A hawk East defects from turn 1 while West, a tit-for-tat, cooperates on turn 1
    # and then defects: both moves are read, as tension, beliefs and credibility move.
    moves, readings = play("axelrod_noise", 7, 60, "dynamics.noise=0", "actors.east.policy=hawk")
    assert (moves[:, 0] == D).all() and moves[0, 1] == C and (moves[1:, 1] == D).all()
    meant = moves.astype(float)
    assert np.array_equal(readings[:, 1, 0], meant[:, 0])
    assert np.array_equal(readings[:, 0, 1], meant[:, 1])


def test_cooperate_and_defect_are_misread_equally_often() -> None:
    # 40 long tit-for-tat runs: C read as D 0.0228 (of ~80,000), D read as C 0.0230.
    c_d = c_n = d_c = d_n = 0
    for seed in replicate_seeds(ROOT, N_LONG):
        a, b, c, d = misreadings(*play("axelrod_noise", seed, LONG))
        c_d, c_n, d_c, d_n = c_d + a, c_n + b, d_c + c, d_n + d
    se = math.sqrt(EPS * (1 - EPS))
    assert min(c_n, d_n) > 60_000
    assert abs(c_d / c_n - EPS) < 4 * se / math.sqrt(c_n)
    assert abs(d_c / d_n - EPS) < 4 * se / math.sqrt(d_n)
    assert abs(c_d / c_n - d_c / d_n) < 4 * se * math.sqrt(1 / c_n + 1 / d_n)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(sigma=st.floats(0.15, 0.5), seed=st.integers(0, 2**31 - 1))
def test_misreading_rate_is_phi_of_minus_half_over_sigma(sigma: float, seed: int) -> None:
    # East always cooperates (dove), then always defects (hawk): West's 2,000 readings
    # of each move. Clipping to [0, 1] never moves a reading across 0.5, so the
    # misreading rate is exactly Phi(-0.5/sigma) for both moves.
    eps = phi(-0.5 / sigma)
    for policy, meant in (("dove", C), ("hawk", D)):
        moves, readings = play(
            "axelrod_noise", seed, LONG, f"dynamics.noise={sigma!r}", f"actors.east.policy={policy}"
        )
        assert (moves[:, 0] == meant).all()
        read = readings[:, 1, 0]
        wrong = int(((read >= 0.5) if meant == C else (read < 0.5)).sum())
        assert abs(wrong / LONG - eps) < 4.5 * math.sqrt(eps * (1 - eps) / LONG) + 2 / LONG


# ----------------------------------------------------------------- long-run cooperation


def test_plain_tit_for_tat_cooperates_half_of_the_time() -> None:
    # Mean share of cooperating actor-turns over 40 runs of 2,000 turns: 0.506.
    r = long_runs("axelrod_noise")
    assert 0.45 < r["coop"].mean() < 0.55
    # Mutual defection on a quarter of turns (0.247): the two sides' moves are
    # independent in the long run, each C or D with probability 1/2.
    assert 0.2 < r["mutual"].mean() < 0.3


def generous_share(g: float) -> float:
    """Long-run cooperation of two generous tit-for-tat players (generosity ``g``).

    Each actor copies the other's last move through the noise and forgives a read D
    with probability g: Pr(C after C) = a, Pr(C after D) = b; stationary b/(1-a+b).
    """
    a, b = 1 - EPS + EPS * g, EPS + (1 - EPS) * g
    return b / (1 - a + b)


def test_generous_tit_for_tat_recovers_cooperation() -> None:
    gen, tft = long_runs("axelrod_generous"), long_runs("axelrod_noise")
    assert abs(gen["coop"].mean() - generous_share(0.333)) < 0.01  # 0.957 against 0.958
    assert (gen["coop"] > tft["coop"] + 0.3).all()  # paired by seed, all 40
    assert gen["mutual"].mean() < 0.01  # 0.0019


def test_more_generosity_follows_the_same_formula() -> None:
    # Generosity 0.6: formula 0.985, measured 0.984 (20 runs of 2,000 turns).
    sets = ("actors.east.policy.generosity=0.6", "actors.west.policy.generosity=0.6")
    coop = [
        (play("axelrod_generous", seed, LONG, *sets)[0] == C).mean()
        for seed in replicate_seeds(ROOT, 20)
    ]
    assert abs(np.mean(coop) - generous_share(0.6)) < 0.01


def test_a_full_hotline_halves_the_noise() -> None:
    # With a full hotline (clarity 0.5) noise 0.5 reads like noise 0.25 without one:
    # East always cooperates; West misreads 0.0215 of 8,000 readings (Phi(-2) = 0.0228).
    sets = ("dynamics.noise=0.5", "relationships.east.west.channels.hotline=1")
    wrong = 0
    for seed in replicate_seeds(ROOT, 4):
        _, readings = play("axelrod_noise", seed, LONG, *sets, "actors.east.policy=dove")
        wrong += int((readings[:, 1, 0] >= 0.5).sum())
    n = 4 * LONG
    assert abs(wrong / n - EPS) < 4 * math.sqrt(EPS * (1 - EPS) / n)


def test_contrite_tit_for_tat_recovers_more_than_generous() -> None:
    con, gen = long_runs("axelrod_contrite"), long_runs("axelrod_generous")
    assert con["coop"].mean() > 0.97  # 0.978: each misread C costs about one D
    assert con["coop"].mean() > gen["coop"].mean() + 0.01  # 0.978 against 0.957
    assert (con["coop"] > gen["coop"]).mean() >= 0.9  # measured 40 of 40
    assert con["mutual"].mean() < 0.002  # measured: no turn of mutual defection


def test_repairs_cut_the_defection_spells_short() -> None:
    # Mean length of a spell of turns with at least one defection (mean over the 40
    # runs of each run's mean): 69 (tit-for-tat), 3.0 (generous), 1.02 (contrite).
    tft, gen, con = (long_runs(n)["spell"].mean() for n in FILES)
    assert tft > 30
    assert gen < 5
    assert con < 1.1


# ----------------------------------------------------------------- classroom runs


def test_in_classroom_runs_contrition_never_lengthens_the_longest_spell() -> None:
    s = load_scenario(SCENARIOS / "axelrod_noise.yaml")
    longest: dict[str, list[int]] = {n: [] for n in FILES}
    coop: dict[str, list[float]] = {n: [] for n in FILES}
    for seed in replicate_seeds(ROOT, N_CLASS):
        for name in FILES:
            moves, _ = play(name, seed, s.turns)
            longest[name].append(max(spells(moves), default=0))
            coop[name].append(float((moves == C).mean()))
    t, g, c = (np.array(longest[n]) for n in FILES)
    assert (c <= t).all()  # all 200 seeds
    assert (g < t).mean() > 0.85  # measured 0.93
    # Mean cooperation in 60 turns: 0.66, 0.96, 0.98.
    assert np.mean(coop["axelrod_noise"]) < 0.75
    assert np.mean(coop["axelrod_generous"]) > 0.93
    assert np.mean(coop["axelrod_contrite"]) > 0.96


def test_seed_1_walkthrough() -> None:
    s = load_scenario(SCENARIOS / "axelrod_noise.yaml")
    runs = {name: play(name, 1, s.turns) for name in FILES}
    for moves, readings in runs.values():
        # The first misreading: East reads West's turn-8 cooperate as a defect.
        assert (moves[:8] == C).all()
        assert readings[7, 0, 1] >= 0.5 and readings[7, 1, 0] < 0.5
    tft = runs["axelrod_noise"][0]
    # Plain tit-for-tat: East defects on turn 9, then exactly one side defects on
    # every turn from 9 to 37, East on odd turns and West on even ones.
    turns = np.arange(9, 38)
    assert (tft[turns - 1].sum(axis=1) == 1).all()
    assert (tft[turns - 1, 0] == turns % 2).all()
    gen = runs["axelrod_generous"][0]
    # Generous: East defects on 9, West answers on 10, East forgives on 11.
    assert gen[8:11].tolist() == [[D, C], [C, D], [C, C]]
    con, con_readings = runs["axelrod_contrite"]
    # Contrite: one defection per misread cooperate (turns 8, 38, 52), none answered.
    misread = [
        (t + 1, i)
        for t in range(s.turns)
        for i in (0, 1)
        if con[t, 1 - i] == C and con_readings[t, i, 1 - i] >= 0.5
    ]
    assert misread == [(8, 0), (38, 1), (52, 1)]
    assert [(int(t) + 1, int(i)) for t, i in np.argwhere(con == D)] == [(9, 0), (39, 1), (53, 1)]
