"""docs/model.md states the defaults the code uses (the schema is the source of truth)."""

from __future__ import annotations

import re

from sim.model import engine, policies
from sim.scenario.schema import Dynamics, default_channel_weights
from tests.conftest import REPO

DOC = (REPO / "docs" / "model.md").read_text(encoding="utf-8")


def test_parameter_table_matches_the_dynamics_defaults() -> None:
    table = dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", DOC, flags=re.MULTILINE))
    defaults = Dynamics().model_dump()
    for name, value in defaults.items():
        assert name in table, f"docs/model.md's parameter table lacks {name}"
        shown = table[name].strip().strip("`")
        if name == "channel_weights":
            for kind, weight in default_channel_weights().items():
                assert f"{kind} {weight:g}" in shown
        elif isinstance(value, str):
            assert shown == value
        else:
            assert float(shown) == value, f"{name}: doc says {shown}, code uses {value}"


def test_constants_named_in_the_doc_match_the_code() -> None:
    for name in (
        "FIT_WEIGHT",
        "HEDGE_WEIGHT",
        "REASSURANCE_WEIGHT",
        "ANXIETY_WEIGHT",
        "JUMP_WEIGHT",
    ):
        value = getattr(policies, name)
        assert f"`{name} = {value:g}" in DOC or f"`{name} = {value}" in DOC, name
    assert "0.3 − 0.2·A" in DOC
    import numpy as np

    assert engine.initial_beliefs(np.array([[0.0, 1.0], [1.0, 0.0]]))[0, 1] == 0.3 - 0.2


def test_generated_tables_are_current() -> None:
    """docs/model.md's posture, dynamics and policy tables are the schema's (regenerate if not)."""
    from sim.scenario.model_tables import refresh

    assert refresh(DOC) == DOC, (
        "docs/model.md is stale: run ./dev python -m sim.scenario.model_tables docs/model.md"
    )
    for name in ("posture", "dynamics", "policies"):
        assert f"<!-- generated: {name} -->" in DOC


def test_a_new_dynamics_field_would_appear_in_the_generated_table() -> None:
    """Negative control: the generator reads the schema, so a stale document fails the test."""
    from sim.scenario.model_tables import refresh

    stale = DOC.replace("| `cost_weight` |", "| `cost_weight_old` |", 1)
    assert stale != DOC
    assert refresh(stale) == DOC
