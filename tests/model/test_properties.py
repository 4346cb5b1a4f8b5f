"""Property tests: random valid scenarios keep every invariant at every turn."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.model.perception import meant
from sim.scenario.loader import scenario_from_dict
from tests.strategies import scenarios


@given(data=scenarios(max_actors=30), seed=st.integers(0, 2**63 - 1))
def test_invariants_hold_for_random_scenarios(data: dict[str, Any], seed: int) -> None:
    s = scenario_from_dict(data)
    result = sim.run(s, seed=seed)
    a = result.arrays
    n = len(s.actors)
    assert result.turns == s.turns
    assert a.tension.shape == (s.turns + 1, n)  # no actor lost or gained
    for name in (
        "tension",
        "belief",
        "credibility",
        "hostility",
        "norms",
        "escalation_index",
        "mean_abs_gap",
    ):
        values = getattr(a, name)
        assert np.isfinite(values).all(), name
        assert (values >= 0).all() and (values <= 1).all(), name
    assert ((a.polarisation >= -1) & (a.polarisation <= 1)).all()
    assert ((a.rung >= 0) & (a.rung <= s.top_rung)).all()
    seen = a.seen
    assert not seen[:, np.arange(n), np.arange(n)].any()  # no one observes itself
    assert np.isfinite(a.perceived[seen]).all() and np.isnan(a.perceived[~seen]).all()
    assert ((a.perceived[seen] >= 0) & (a.perceived[seen] <= 1)).all()
    # the gap is exactly perceived minus what the sender meant toward the observer (7.12)
    alignment = np.array([r.alignment for r in result.records])
    toward = meant(a.hostility, alignment)
    np.testing.assert_allclose(a.gap[seen], (a.perceived - toward)[seen], rtol=0, atol=0)
    events = result.events
    assert len(events) == s.turns * n * (n - 1)
    obs = events[events.observed]
    index = {actor: k for k, actor in enumerate(result.actor_ids)}
    tt = obs.turn.to_numpy() - 1
    oo, ss = obs.observer.map(index).to_numpy(), obs.sender.map(index).to_numpy()
    np.testing.assert_allclose(obs.gap, obs.perceived - toward[tt, oo, ss], atol=1e-15)


@given(data=scenarios(max_actors=6), seed=st.integers(0, 2**32))
def test_runs_are_reproducible(data: dict[str, Any], seed: int) -> None:
    s = scenario_from_dict(data)
    one, two = sim.run(s, seed=seed), sim.run(s, seed=seed)
    np.testing.assert_array_equal(one.arrays.tension, two.arrays.tension)
    np.testing.assert_array_equal(one.arrays.move, two.arrays.move)
