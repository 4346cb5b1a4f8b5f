"""A condition metric is one file in sim/scenario/metrics/ plus its reader in sim/model/metrics/.

Each test extends a copy of the ``sim`` package and runs it in a child process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .copies import add_file, assert_import_stops, check, copy_sim, sim

RULE = '''
    """Condition metric ``alarm``: an actor's tension, squared."""

    from sim.scenario.metrics import MetricRule

    ALARM = MetricRule("alarm", "required", "forbidden", "tension of `actor`, squared")
'''

READER = '''
    """Reader of the condition metric ``alarm``."""

    import numpy as np

    from sim.model.metrics import MetricReader

    ALARM = MetricReader("alarm", lambda r, actor, about: np.asarray(r.tension[..., actor] ** 2))
'''

SCENARIO = """
metadata:
  title: An alarm metric
turns: 5
actors:
  blue:
    name: Blue
  red:
    name: Red
    initial_tension: 0.5
relationships:
  blue:
    red: {alignment: -0.5}
injects:
  alarm_rings:
    label: The alarm rings in Red's capital
    when:
      all:
        - {metric: alarm, actor: red, op: ">=", value: 0.2}
        - {metric: alarm, actor: red, op: "<", value: 0.3}
    effects:
      - tension: {actor: blue, delta: 0.1}
debrief:
  - prompt: Why did the alarm ring in Red's capital?
    when: {metric: alarm, actor: red, op: ">", value: 0.01}
    at: any_turn
"""


@pytest.mark.slow
def test_a_new_metric_in_two_new_files_is_picked_up_everywhere(tmp_path: Path) -> None:
    root = copy_sim(tmp_path / "copy")
    add_file(root, "sim/scenario/metrics/alarm.py", RULE)
    add_file(root, "sim/model/metrics/alarm.py", READER)
    scenario = add_file(tmp_path, "alarm.yaml", SCENARIO)

    # Injects and debrief prompts read it through the one evaluator.
    out = tmp_path / "run"
    check(
        sim(
            root,
            "run",
            str(scenario),
            "--seed",
            "1",
            "--out",
            str(out),
            "--no-figures",
            "--quiet",
            cwd=tmp_path,
        )
    )
    assert "The alarm rings in Red's capital" in (out / "transcript.md").read_text("utf-8")
    assert "Why did the alarm ring" in (out / "debrief.md").read_text("utf-8")

    # It is in the JSON Schema and the format reference, with its rule enforced.
    schema = json.loads(check(sim(root, "schema", cwd=tmp_path)))
    metric = schema["$defs"]["Condition"]["properties"]["metric"]
    assert "alarm" in metric["enum"] and "tension of `actor`, squared" in metric["description"]
    assert "`alarm`" in check(sim(root, "schema", "--markdown", cwd=tmp_path))
    no_actor = add_file(
        tmp_path, "no_actor.yaml", SCENARIO.replace(', actor: red, op: ">"', ', op: ">"')
    )
    done = sim(root, "validate", str(no_actor), cwd=tmp_path)
    assert done.returncode != 0
    assert "metric 'alarm' needs an 'actor'" in done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("half", ["rule only", "reader only"])
def test_a_metric_with_one_half_missing_fails_at_import(tmp_path: Path, half: str) -> None:
    root = copy_sim(tmp_path / "copy")
    if half == "rule only":
        add_file(root, "sim/scenario/metrics/alarm.py", RULE)
    else:
        add_file(root, "sim/model/metrics/alarm.py", READER)
    assert_import_stops(root, tmp_path, "condition metrics", "alarm")
