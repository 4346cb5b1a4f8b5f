"""Run-specific debrief questions and the scenario's triggered prompts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import sim
from sim.outputs.debrief import condition_held, condition_series, debrief, generated_questions
from sim.scenario.loader import scenario_from_dict
from sim.scenario.schema import Condition
from tests.conftest import FLAGSHIP


@pytest.fixture(scope="module")
def flagship_run() -> sim.RunResult:
    return sim.run(FLAGSHIP, seed=2025)


def test_condition_series_matches_the_recorded_arrays(flagship_run: sim.RunResult) -> None:
    r = flagship_run
    i, j = r.compiled.index["japan"], r.compiled.index["china"]
    tension = condition_series(r, Condition(metric="tension", actor="japan", op=">", value=0))
    np.testing.assert_array_equal(tension, r.arrays.tension[1:, i])
    belief = condition_series(
        r, Condition(metric="belief", actor="japan", about="china", op=">", value=0)
    )
    np.testing.assert_array_equal(belief, r.arrays.belief[1:, i, j])
    # after turn t the turn about to be played is t + 1, as an inject reads it
    assert condition_series(r, Condition(metric="turn", op=">", value=0)).tolist() == list(
        range(2, 32)
    )


def test_at_end_versus_any_turn(flagship_run: sim.RunResult) -> None:
    r = flagship_run
    peak = float(r.arrays.tension[1:].max())
    final = float(r.arrays.tension[-1].max())
    assert peak >= final
    actor = r.actor_ids[int(r.arrays.tension[1:].max(axis=0).argmax())]
    threshold = peak - 1e-9
    cond = Condition(metric="tension", actor=actor, op=">", value=threshold)
    assert condition_held(r, cond, "any_turn")
    last = float(r.arrays.tension[-1, r.compiled.index[actor]])
    assert condition_held(r, cond, "end") == (last > threshold)


def test_generated_questions_name_the_largest_gap(flagship_run: sim.RunResult) -> None:
    r = flagship_run
    seen = r.events[r.events.observed]
    worst = seen.loc[seen.gap.abs().idxmax()]
    first = generated_questions(r)[0]
    observer = r.scenario.actors[worst.observer].voice
    assert first.startswith(f"In turn {worst.turn}, {observer} read")


def test_scenario_prompts_fire_only_when_their_condition_held() -> None:
    data: dict[str, Any] = {
        "metadata": {"title": "T"},
        "turns": 6,
        "actors": {"a": {"name": "A", "policy": "hawk"}, "b": {"name": "B", "policy": "dove"}},
        "debrief": [
            {"prompt": "Always asked."},
            {
                "prompt": "Asked: A climbed.",
                "when": {"metric": "rung", "actor": "a", "op": ">=", "value": 5},
            },
            {
                "prompt": "Never asked: B climbed.",
                "when": {"metric": "rung", "actor": "b", "op": ">=", "value": 5},
            },
            {
                "prompt": "Not at the end.",
                "when": {"metric": "turn", "op": "<", "value": 3},
                "at": "end",
            },
        ],
    }
    text = debrief(sim.run(scenario_from_dict(data), seed=1))
    assert "Always asked." in text
    assert "Asked: A climbed. *(asked because rung a >= 5 during the run)*" in text
    assert "Never asked" not in text and "Not at the end" not in text


def test_the_markdown_is_written_from_the_debrief_data(flagship_run: sim.RunResult) -> None:
    from sim.outputs.debrief import build_debrief, debrief_markdown
    from sim.outputs.inline import to_markdown

    asked = build_debrief(flagship_run)
    assert debrief_markdown(asked) == debrief(flagship_run)
    assert [to_markdown(q) for q in asked.generated] == generated_questions(flagship_run)
    assert len(asked.prompts) == len(
        [p for p in flagship_run.scenario.debrief if p.when is None]
    ) + sum(1 for p in asked.prompts if p.why is not None)
