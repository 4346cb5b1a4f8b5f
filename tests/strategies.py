"""Hypothesis strategies that generate valid scenarios (as plain data)."""

from __future__ import annotations

import typing
from typing import Any

from hypothesis import strategies as st

from sim.scenario.schema import CHANNEL_KINDS, POSTURE_FIELDS, PolicyKind

# Every policy kind but 'scripted' (which needs a script), in the schema's order.
POLICIES = [kind for kind in typing.get_args(PolicyKind) if kind != "scripted"]
DEFAULT_MOVES = [
    "arms_control_proposal",
    "exercise_pre_notification",
    "reassurance_statement",
    "hold",
    "statement_of_concern",
    "alliance_consultation",
    "command_post_exercise",
    "partner_exercise",
    "deployment_notice",
    "live_fire_exercise",
    "activity_pause",
    "explicit_threat",
]
unit = st.floats(0.0, 1.0, allow_nan=False)
signed = st.floats(-1.0, 1.0, allow_nan=False)


@st.composite
def scenarios(draw: st.DrawFn, min_actors: int = 2, max_actors: int = 12) -> dict[str, Any]:
    """A random valid scenario: actors, postures, relationships, channels, policies, injects."""
    n = draw(st.integers(min_actors, max_actors))
    ids = [f"a{i}" for i in range(n)]
    actors: dict[str, Any] = {}
    for aid in ids:
        actors[aid] = {
            "name": aid.upper(),
            "posture": {f: draw(unit) for f in POSTURE_FIELDS},
            "initial_tension": draw(unit),
            "policy": draw(st.sampled_from(POLICIES)),
        }
        if draw(st.booleans()):
            actors[aid]["moves"] = draw(
                st.lists(st.sampled_from(DEFAULT_MOVES), min_size=1, max_size=5, unique=True)
            )
    relationships: dict[str, Any] = {}
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.integers(0, 2)) == 0:
                rel: dict[str, Any] = {"alignment": draw(signed)}
                kinds = draw(st.lists(st.sampled_from(CHANNEL_KINDS), max_size=2, unique=True))
                if kinds:
                    rel["channels"] = {k: draw(unit) for k in kinds}
                relationships.setdefault(ids[i], {})[ids[j]] = rel
    injects: dict[str, Any] = {}
    for k in range(draw(st.integers(0, 3))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        effect = draw(
            st.sampled_from(
                [
                    {"move": {"actor": a, "move": draw(st.sampled_from(DEFAULT_MOVES))}},
                    {"norms": draw(signed)},
                    {"tension": {"actor": a, "delta": draw(signed)}},
                    {
                        "posture": {
                            "actor": a,
                            "field": draw(st.sampled_from(POSTURE_FIELDS)),
                            "delta": draw(signed),
                        }
                    },
                    {"alignment": {"between": [a, b], "set": draw(signed)}},
                    {
                        "channel": {
                            "between": [a, b],
                            "kind": draw(st.sampled_from(CHANNEL_KINDS)),
                            "set": draw(unit),
                        }
                    },
                ]
            )
        )
        when = draw(
            st.sampled_from(
                [
                    {"turn": draw(st.integers(1, 10))},
                    {"all": [{"metric": "tension", "actor": a, "op": ">", "value": draw(unit)}]},
                    {
                        "any": [
                            {"metric": "escalation_index", "op": ">=", "value": draw(unit)},
                            {
                                "metric": "belief",
                                "actor": a,
                                "about": b,
                                "op": "<",
                                "value": draw(unit),
                            },
                        ]
                    },
                ]
            )
        )
        injects[f"i{k}"] = {
            "label": f"inject {k}",
            "when": when,
            "effects": [effect],
            "repeat": draw(st.booleans()),
        }
    return {
        "metadata": {"title": "Generated"},
        "turns": draw(st.integers(1, 15)),
        "actors": actors,
        "relationships": relationships,
        "injects": injects,
        "norms": {"strength": draw(unit), "drift": draw(st.floats(-0.2, 0.2))},
        "dynamics": {
            "perception": draw(st.sampled_from(["lens", "lens", "perfect"])),
            "noise": draw(st.floats(0.0, 0.5)),
            "time_pressure": draw(st.floats(0.0, 10.0)),
            "reactivity": draw(st.floats(0.0, 5.0)),
            "fatigue": draw(st.floats(0.0, 5.0)),
            "dt": draw(st.floats(0.01, 1.0)),
        },
    }
