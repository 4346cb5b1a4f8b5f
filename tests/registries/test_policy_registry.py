"""A policy is one file in sim/model/policies/ plus its declaration in sim/scenario/policies/.

Each test extends a copy of the ``sim`` package and runs it in a child process.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from .copies import add_file, assert_import_stops, check, copy_sim, python, sim

IMPLEMENTATION = '''
    """Policy ``grim_trigger``: calm until ``patience`` hostile turns, then hostile for ever."""

    from __future__ import annotations

    import numpy as np

    from sim.model.policies.base import (
        BuildContext, Choice, Classifier, I, Policy, Situation, least_hostile, worst_reading,
    )


    class GrimTrigger(Policy):
        """Friedman's grim trigger, graded: once provoked, the most hostile move allowed."""

        name = "grim_trigger"
        cites = "J. W. Friedman, Review of Economic Studies (1971)."
        classifier = Classifier(memory_depth=1)

        def __init__(self, patience: int) -> None:
            self.patience = patience
            self.provoked = None

        @classmethod
        def build(cls, who: I, context: BuildContext) -> GrimTrigger:
            own = [context.spec(int(i)).patience for i in who]
            return cls(max((p or 0) for p in own))

        def choose(self, who: I, s: Situation) -> Choice:
            hostile = worst_reading(s.last_perceived[..., who, :]) >= s.hostile_threshold
            count = hostile.astype(int)
            self.provoked = count if self.provoked is None else self.provoked + count
            worst = np.where(s.allowed[who], s.intended, -np.inf).argmax(axis=-1)
            calm = least_hostile(s.allowed[who], s.intended, s.cost)
            pick = np.where(self.provoked > self.patience, worst, calm)
            return pick, s.intended[pick]
'''

DECLARATION = '''
    """Policy kind ``grim_trigger``: never forgives once provoked."""

    from typing import Annotated

    from pydantic import Field

    from sim.scenario.policies import PolicyDeclaration

    DECLARATION = PolicyDeclaration(
        name="grim_trigger",
        note="never forgives once provoked",
        fields={
            "patience": (
                Annotated[int, Field(ge=0, le=10)] | None,
                Field(default=None, description="grim_trigger: hostile turns tolerated."),
            )
        },
    )
'''

SCENARIO = """
metadata:
  title: Grim trigger against a hawk
turns: 8
actors:
  blue:
    name: Blue
    policy: hawk
  red:
    name: Red
    policy: {kind: grim_trigger, patience: 1}
relationships:
  blue:
    red: {alignment: -0.5}
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_a_new_policy_in_two_new_files_is_picked_up_everywhere(tmp_path: Path) -> None:
    root = copy_sim(tmp_path / "copy")
    add_file(root, "sim/model/policies/grim_trigger.py", IMPLEMENTATION)
    add_file(root, "sim/scenario/policies/grim_trigger.py", DECLARATION)
    scenario = add_file(tmp_path, "grim.yaml", SCENARIO)

    # A scenario using it validates and runs; the engine hands it last turn's readings
    # because the class asks for them (memory_depth 1), so it ends up retaliating.
    check(sim(root, "validate", str(scenario), cwd=tmp_path))
    out = tmp_path / "run"
    check(
        sim(
            root,
            "run",
            str(scenario),
            "--seed",
            "3",
            "--out",
            str(out),
            "--no-figures",
            "--quiet",
            cwd=tmp_path,
        )
    )
    red = [r for r in _rows(out / "events.csv") if r["sender"] == "red"]
    assert {r["source"] for r in red} == {"grim_trigger"}
    assert int(red[0]["rung"]) == 0 and max(int(r["rung"]) for r in red) > 4

    # A batch of replicates runs it too (the path ensembles and sweeps take).
    batch = (
        "import sim\n"
        "from sim.model.compiled import compile_scenario\n"
        "from sim.model.engine import Engine\n"
        f"c = compile_scenario(sim.load_scenario({str(scenario)!r}))\n"
        "e = Engine(c, [1, 2, 3]); e.run(8)\n"
        "print(int(e.state.rung[:, 1].max()))\n"
    )
    assert int(check(python(root, "-c", batch, cwd=tmp_path))) > 4

    # Its name and its parameter are in the JSON Schema and the format reference.
    schema = json.loads(check(sim(root, "schema", cwd=tmp_path)))
    spec = schema["$defs"]["PolicySpec"]
    assert "grim_trigger" in spec["properties"]["kind"]["enum"]
    assert "never forgives once provoked" in spec["properties"]["kind"]["description"]
    assert "patience" in spec["properties"]
    reference = check(sim(root, "schema", "--markdown", cwd=tmp_path))
    assert "`grim_trigger`" in reference and "`patience`" in reference

    # Its parameter belongs to it: another kind may not take it.
    wrong = add_file(
        tmp_path,
        "wrong.yaml",
        SCENARIO.replace("policy: hawk", "policy: {kind: hawk, patience: 2}"),
    )
    done = sim(root, "validate", str(wrong), cwd=tmp_path)
    assert done.returncode != 0
    assert "'patience' only applies to kind 'grim_trigger'" in done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("half", ["declaration only", "implementation only"])
def test_a_policy_with_one_half_missing_fails_at_import(tmp_path: Path, half: str) -> None:
    root = copy_sim(tmp_path / "copy")
    if half == "declaration only":
        add_file(root, "sim/scenario/policies/grim_trigger.py", DECLARATION)
    else:
        add_file(root, "sim/model/policies/grim_trigger.py", IMPLEMENTATION)
    assert_import_stops(root, tmp_path, "policies", "grim_trigger")


def test_a_declaration_in_a_file_of_another_name_is_refused(tmp_path: Path) -> None:
    root = copy_sim(tmp_path / "copy")
    add_file(root, "sim/scenario/policies/grim.py", DECLARATION)
    done = python(root, "-c", "import sim.scenario.schema", cwd=tmp_path)
    assert done.returncode != 0
    assert "sim.scenario.policies.grim_trigger" in done.stderr
