"""A joint move in the transcript: one act of all its partners (docs/model.md 7.10.1).

The partners' moves are narrated as one sentence; each partner's part keeps its
readings by the observers, and scenario text stays escaped.
"""

from __future__ import annotations

from typing import Any

from sim.model.mesa_model import EscalationModel
from sim.model.results import RunResult
from sim.outputs.transcript import build_transcript, transcript
from sim.scenario.loader import scenario_from_dict

DRILL: dict[str, Any] = {
    "label": "joint *harbour* drill",
    "rung": 5,
    "intended_hostility": 0.5,
    "framed_hostility": 0.1,
    "framing": "Routine and *defensive*",
    "partners": ["north", "east"],
    "host": "east",
}
QUIET = {"label": "diplomacy", "rung": 1, "intended_hostility": 0.1, "framed_hostility": 0.1}


def run(**drill: Any) -> RunResult:
    moves = {"quiet": QUIET, "drill": {**DRILL, **drill}}
    script = {"kind": "scripted", "script": {2: "drill"}, "default_move": "quiet"}
    calm = {"kind": "scripted", "script": {1: "quiet"}, "default_move": "quiet"}
    data = {
        "metadata": {"title": "Harbour", "turn_meaning": "a day"},
        "turns": 3,
        "actors": {
            "north": {"name": "Northland", "policy": script},
            "east": {"name": "Eastland", "policy": calm},
            "south": {"name": "Southland", "policy": calm},
        },
        "relationships": {"north": {"east": {"alignment": 0.8}, "south": {"alignment": -0.6}}},
        "use_default_moves": False,
        "moves": moves,
    }
    return EscalationModel(scenario_from_dict(data), rng=11, collect=False).run()


def turn_two(text: str) -> str:
    return text.split("### Turn 2\n", 1)[1].split("### Turn 3", 1)[0]


def test_a_joint_move_is_narrated_as_one_act() -> None:
    result = run()
    played = [result.compiled.move_ids[m] for m in result.records[1].move]
    assert played[:2] == ["drill", "drill"]  # the partner joined the joint move
    body = turn_two(transcript(result, max_readings=3))
    sentence = (
        "- **Northland and Eastland** hold a joint \\*harbour\\* drill together, hosted by "
        'Eastland (rung 5), framed as "Routine and \\*defensive\\*".'
    )
    assert sentence in body.splitlines()
    assert "**Northland** hold" not in body and "**Eastland** hold" not in body
    # each partner's part keeps its readings (the other partner and the rival see both)
    minutes = build_transcript(result, max_readings=3)
    (move,) = [m for m in minutes.turns[1].moves if m.move == "drill"]
    assert move.partners == ("north", "east")
    events = result.events
    seen = events[(events.turn == 2) & events.observed & (events.move == "drill")]
    assert {(r.observer, r.perceived) for r in move.readings} == {
        (o, p) for o, p in zip(seen.observer, seen.perceived, strict=True)
    }
    assert "reads Northland's part as" in body and "reads Eastland's part as" in body
    assert "Quiet: Southland." in body


def test_a_joint_move_without_a_host_names_none() -> None:
    body = turn_two(transcript(run(host=None), max_readings=3))
    assert "- **Northland and Eastland** hold a joint \\*harbour\\* drill together (rung 5)" in body
    assert "hosted by" not in body
