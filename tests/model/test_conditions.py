"""Condition metrics: one registry, one evaluator for injects and debrief prompts, no fallback."""

from __future__ import annotations

import os
import subprocess
import sys
import typing

import numpy as np
import pytest

import sim
from sim.model import conditions
from sim.model.mesa_model import EscalationModel
from sim.outputs.debrief import condition_series
from sim.scenario.schema import CONDITION_METRICS, Condition
from tests.conftest import FLAGSHIP, REPO


def test_the_schema_and_the_readers_name_the_same_metrics() -> None:
    literal = typing.get_args(Condition.model_fields["metric"].annotation)
    assert set(literal) == set(CONDITION_METRICS) == set(conditions.METRICS)


@pytest.mark.parametrize(
    "change",
    [
        "schema.CONDITION_METRICS['alarm'] = schema.MetricRule('alarm', 'required', 'forbidden')",
        "del schema.CONDITION_METRICS['norms']",
    ],
)
def test_a_metric_without_its_other_half_fails_at_import(change: str) -> None:
    """A name in the schema without a reader (or a reader without a name) is an error, loudly."""
    code = f"import sim.scenario.schema as schema\n{change}\nimport sim.model.conditions\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode != 0
    assert "condition metrics out of step" in done.stderr


def test_an_unknown_actor_is_an_error_not_actor_zero() -> None:
    result = sim.run(FLAGSHIP, seed=3, turns=2)
    cond = Condition.model_construct(
        metric="tension", actor="atlantis", about=None, op=">", value=0
    )
    with pytest.raises(KeyError, match="atlantis"):
        condition_series(result, cond)


def _conditions(result: sim.RunResult) -> list[Condition]:
    a, b = result.actor_ids[:2]
    made = [
        Condition(metric="tension", actor=a, op=">", value=0),
        Condition(metric="rung", actor=b, op=">", value=0),
        Condition(metric="belief", actor=a, about=b, op=">", value=0),
        Condition(metric="credibility", actor=b, about=a, op=">", value=0),
        Condition(metric="perception_gap", op=">", value=0),
        Condition(metric="perception_gap", actor=a, op=">", value=0),
        Condition(metric="escalation_index", op=">", value=0),
        Condition(metric="polarisation", op=">", value=0),
        Condition(metric="norms", op=">", value=0),
        Condition(metric="turn", op=">", value=0),
        *(
            Condition(metric="fired", inject=key, op="==", value=1)
            for key in result.scenario.injects
        ),
    ]
    assert {c.metric for c in made} == set(CONDITION_METRICS)
    return made


def test_the_debrief_reads_what_the_engine_read_at_the_start_of_the_next_turn() -> None:
    """Every metric, turn by turn: the recorded run's value after turn t is the engine's
    value at the start of turn t + 1 (when an inject would test it). ``fired`` is
    checked for every inject, through turn 9 when New START expires (0 then 1)."""
    turns = 10
    model = EscalationModel(sim.load_scenario(FLAGSHIP), rng=5, turns=turns, collect=False)
    engine = model.engine
    live: list[list[float]] = []
    result_conditions: list[Condition] | None = None
    for t in range(1, turns + 1):
        model.step()
        if result_conditions is None:
            result_conditions = _conditions(model.result())
        live.append([float(engine.metric(c, t + 1)) for c in result_conditions])
    result = model.result()
    assert result_conditions is not None
    recorded = np.array([condition_series(result, c) for c in result_conditions]).T
    np.testing.assert_allclose(recorded, np.array(live), rtol=0, atol=1e-12)
    expiry = [k for k, c in enumerate(result_conditions) if c.inject == "new_start_expires"]
    assert recorded[:, expiry[0]].tolist() == [0.0] * 8 + [1.0] * 2


def test_the_engine_refuses_an_unknown_actor_by_name() -> None:
    """``Engine.metric`` (what injects read) names the actor it does not know; never actor 0."""
    model = EscalationModel(sim.load_scenario(FLAGSHIP), rng=5, turns=2, collect=False)
    cond = Condition.model_construct(
        metric="belief", actor=model.compiled.ids[0], about="atlantis", op=">", value=0
    )
    with pytest.raises(conditions.UnknownActorError, match="'atlantis'"):
        model.engine.metric(cond, 1)


def test_the_engine_asks_each_policy_class_what_it_needs() -> None:
    """History is kept, and emitted levels read, because of the classes' classifiers."""
    from sim.model.policies import POLICIES

    remembering = {name for name, cls in POLICIES.items() if cls.classifier.memory_depth > 0}
    assert {"tit_for_tat", "generous_tit_for_tat", "contrite_tit_for_tat"} <= remembering
    assert POLICIES["richardson"].classifier.continuous
    assert not any(cls.classifier.continuous for n, cls in POLICIES.items() if n != "richardson")
