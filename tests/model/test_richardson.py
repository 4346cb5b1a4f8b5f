"""The model reduces to Richardson's arms-race equations in the documented configuration.

Two actors, perfect perception, learning rate 1, both on the richardson
policy, cheap talk fully weighted: tension then follows the Euler-discretised
system ``x' = x + dt (k y - a x + g)``, ``y' = y + dt (l x - b y + h)``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.compiled import compile_scenario
from sim.model.engine import Engine
from sim.scenario.schema import Scenario


def richardson(
    a: float,
    b: float,
    k: float,
    l: float,
    g: float,
    h: float,
    *,
    dt: float = 1.0,
    x0: float = 0.0,
    y0: float = 0.0,
) -> Scenario:
    def actor(
        name: str, react_to: str, coef: float, fatigue: float, grievance: float, start: float
    ) -> dict[str, object]:
        return {
            "name": name,
            "policy": "richardson",
            "initial_tension": start,
            "posture": {"learning_rate": 1.0},
            "reactions": {react_to: coef},
            "fatigue": fatigue,
            "grievance": grievance,
        }

    return Scenario.model_validate(
        {
            "metadata": {"title": "Richardson"},
            "turns": 200,
            "dynamics": {"perception": "perfect", "cheap_talk_weight": 1.0, "dt": dt},
            "actors": {
                "x": actor("X", "y", k, a, g, x0),
                "y": actor("Y", "x", l, b, h, y0),
            },
            "moves": {
                "low": {
                    "label": "low",
                    "rung": 0,
                    "intended_hostility": 0.0,
                    "framed_hostility": 0.0,
                },
                "high": {
                    "label": "high",
                    "rung": 1,
                    "intended_hostility": 1.0,
                    "framed_hostility": 1.0,
                },
            },
            "use_default_moves": False,
            "ladder": [{"label": "low"}, {"label": "high"}],
        }
    )


def trajectory(s: Scenario, turns: int) -> np.ndarray:
    engine = Engine(compile_scenario(s), seed=1)
    engine.run(turns)
    return np.array([s_.tension for s_ in engine.records])


def exact(
    a: float,
    b: float,
    k: float,
    l: float,
    g: float,
    h: float,
    dt: float,
    x0: float,
    y0: float,
    turns: int,
) -> np.ndarray:
    """The discrete Richardson recurrence, unbounded."""
    m = np.array([[1 - dt * a, dt * k], [dt * l, 1 - dt * b]])
    c = np.array([dt * g, dt * h])
    v = np.array([x0, y0])
    out = []
    for _ in range(turns):
        v = m @ v + c
        out.append(v)
    return np.array(out)


STABLE = dict(a=0.6, b=0.5, k=0.3, l=0.2, g=0.1, h=0.05)
RUNAWAY = dict(a=0.2, b=0.25, k=0.5, l=0.4, g=0.05, h=0.04)


def test_stable_case_converges_to_the_analytic_equilibrium() -> None:
    p = STABLE
    assert p["a"] * p["b"] > p["k"] * p["l"]  # stability condition holds
    x_star = (p["b"] * p["g"] + p["k"] * p["h"]) / (p["a"] * p["b"] - p["k"] * p["l"])
    y_star = (p["a"] * p["h"] + p["l"] * p["g"]) / (p["a"] * p["b"] - p["k"] * p["l"])
    path = trajectory(richardson(**p), 150)
    assert path[-1] == pytest.approx([x_star, y_star], abs=1e-12)
    assert (x_star, y_star) == pytest.approx((0.27083333333, 0.20833333333))


def test_every_step_matches_the_recurrence_exactly() -> None:
    p = STABLE
    got = trajectory(richardson(**p, dt=0.5, x0=0.6, y0=0.1), 60)
    want = exact(**p, dt=0.5, x0=0.6, y0=0.1, turns=60)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


def test_runaway_case_diverges_until_the_top_of_the_ladder() -> None:
    p = RUNAWAY
    assert p["a"] * p["b"] < p["k"] * p["l"]  # stability condition fails
    got = trajectory(richardson(**p), 60)
    want = exact(**p, dt=1.0, x0=0.0, y0=0.0, turns=60)
    inside = (want < 1.0).all(axis=1)
    first_out = int(np.argmin(inside))
    assert first_out > 3
    # exact until the unbounded solution leaves [0, 1] ...
    np.testing.assert_allclose(got[:first_out], want[:first_out], rtol=0, atol=1e-14)
    # ... then it saturates at the ceiling and stays there
    assert (got[-10:] == 1.0).all()
    assert (np.diff(got, axis=0) >= -1e-15).all()
    # the unbounded recurrence really diverges
    assert np.abs(exact(**p, dt=1.0, x0=0, y0=0, turns=200)[-1]).min() > 1e6


def test_stability_condition_separates_the_two_cases() -> None:
    for p, stable in ((STABLE, True), (RUNAWAY, False)):
        m = np.array([[-p["a"], p["k"]], [p["l"], -p["b"]]])
        assert (np.linalg.eigvals(m).real.max() < 0) == stable
        assert (p["a"] * p["b"] > p["k"] * p["l"]) == stable
