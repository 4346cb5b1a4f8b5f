"""A condition may say "inject X fired": for debrief prompts and conditional injects alike."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import sim
from sim.outputs.debrief import prompt_lines
from sim.outputs.inline import to_markdown
from sim.scenario.loader import load_scenario, scenario_from_dict
from sim.scenario.schema import Condition
from tests.conftest import FLAGSHIP

ASKED = "Washington crossed the line: how did the others read it?"
FIRED = {"metric": "fired", "inject": "watch", "op": "==", "value": 1}


def _flagship() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    return data


def _chained(threshold: float) -> dict[str, Any]:
    """The flagship with an inject ``watch`` (from turn 3, when Washington's tension is
    above ``threshold``), an inject ``after_watch`` on ``watch`` having fired, and a
    debrief prompt asked because ``watch`` fired."""
    data = copy.deepcopy(_flagship())
    data["injects"]["watch"] = {
        "label": "Watch",
        "when": {
            "from_turn": 3,
            "all": [{"metric": "tension", "actor": "united_states", "op": ">", "value": threshold}],
        },
        "effects": [{"move": {"actor": "japan", "move": "deployment_announcement"}}],
    }
    data["injects"]["after_watch"] = {
        "label": "After the watch",
        "when": {"all": [FIRED]},
        "effects": [{"move": {"actor": "japan", "move": "deployment_announcement"}}],
    }
    data["debrief"].append({"prompt": ASKED, "when": FIRED, "at": "any_turn"})
    return data


def _fired_turns(result: sim.RunResult) -> dict[str, list[int]]:
    table = result.injects
    return {
        key: [int(t) for t in table.loc[table["inject"] == key, "turn"]]
        for key in ("watch", "after_watch")
    }


def test_a_prompt_asked_because_an_inject_fired_appears_exactly_when_it_fired() -> None:
    """Two runs of one seed: ``watch`` fires at turn 3 (tension > 0 there) and the
    chained inject the turn after, with the prompt; with a threshold tension
    never reaches, neither fires and the prompt is not asked."""
    fires = sim.run(scenario_from_dict(_chained(0.0), "fires"), seed=11, turns=6)
    assert _fired_turns(fires) == {"watch": [3], "after_watch": [4]}
    asked = {to_markdown(p.text): to_markdown(p.why or ()) for p in prompt_lines(fires)}
    assert asked[ASKED] == "asked because inject watch fired during the run"

    quiet = sim.run(scenario_from_dict(_chained(2.0), "quiet"), seed=11, turns=6)
    assert _fired_turns(quiet) == {"watch": [], "after_watch": []}
    assert ASKED not in {to_markdown(p.text) for p in prompt_lines(quiet)}


def test_a_chained_inject_fires_the_turn_after_a_scheduled_one() -> None:
    """``after_drill`` waits on the flagship's turn-1 drill: it fires at turn 2, once."""
    data = _flagship()
    data["injects"]["after_drill"] = {
        "label": "After the drill",
        "when": {"all": [{**FIRED, "inject": "december_drill"}]},
        "effects": [{"move": {"actor": "japan", "move": "deployment_announcement"}}],
    }
    result = sim.run(scenario_from_dict(data, "after"), seed=4, turns=4)
    table = result.injects
    assert table.loc[table["inject"] == "after_drill", "turn"].tolist() == [2]


def test_an_unknown_inject_gets_a_did_you_mean(tmp_path: Path) -> None:
    data = _chained(0.0)
    data["injects"]["after_watch"]["when"]["all"][0]["inject"] = "wacth"
    data["debrief"][-1]["when"] = {**FIRED, "inject": "december_dril"}
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(sim.ScenarioError) as info:
        load_scenario(path)
    got = {d.path: d.message for d in info.value.diagnostics}
    assert got["injects.after_watch.when.all.0.inject"] == (
        "unknown inject 'wacth'; did you mean 'watch'? (known: december_drill, "
        "new_start_expires, allied_md_acceleration, watch, after_watch)"
    )
    assert got[f"debrief.{len(data['debrief']) - 1}.when.inject"] == (
        "unknown inject 'december_dril'; did you mean 'december_drill'? (known: "
        "december_drill, new_start_expires, allied_md_acceleration, watch, after_watch)"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"metric": "fired", "op": "==", "value": 1}, "metric 'fired' needs an 'inject'"),
        (
            {"metric": "fired", "inject": "x", "actor": "a", "op": "==", "value": 1},
            "metric 'fired' is global: remove 'actor'",
        ),
        (
            {"metric": "turn", "inject": "x", "op": ">", "value": 1},
            "'inject' only applies to fired, not 'turn'",
        ),
    ],
)
def test_the_inject_field_is_required_by_fired_and_refused_elsewhere(
    given: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Condition.model_validate(given)


@pytest.mark.parametrize(
    ("op", "value", "said"),
    [
        ("==", 1, "fired"),
        (">", 0.5, "fired"),
        ("==", 0, "had not fired"),
        ("<", 1, "had not fired"),
    ],
)
def test_the_prompts_note_says_whether_the_inject_fired_or_had_not(
    op: str, value: float, said: str
) -> None:
    """The flagship's turn-9 expiry, in 10 turns: before turn 9 it had not fired, then it had."""
    data = _flagship()
    cond = {"metric": "fired", "inject": "new_start_expires", "op": op, "value": value}
    data["debrief"].append({"prompt": ASKED, "when": cond, "at": "any_turn"})
    result = sim.run(scenario_from_dict(data, "expiry"), seed=2, turns=10)
    asked = {to_markdown(p.text): to_markdown(p.why or ()) for p in prompt_lines(result)}
    assert asked[ASKED] == f"asked because inject new_start_expires {said} during the run"
