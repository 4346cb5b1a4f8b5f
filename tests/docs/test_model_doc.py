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
