"""Adding a fact kind is two new files; one half alone stops the import.

Each test extends a copy of the ``sim`` package and runs it in a child process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .copies import add_file, assert_import_stops, copy_sim, sim

DECLARATION = """
    from typing import Annotated

    from pydantic import Field

    from sim.scenario.facts import FactDeclaration

    DECLARATION = FactDeclaration(
        name="quiet",
        note="`actor` never climbs above rung `rung`",
        fields={
            "actor": (str, Field(description="Whose moves.")),
            "rung": (Annotated[int, Field(ge=0)], Field(description="Highest rung allowed.")),
        },
        actors=("actor",),
        describe=lambda fact, names: "nobody climbs past a rung",
    )
"""

EVALUATOR = """
    from sim.model.facts import FactEvaluator

    def quiet(fact, trace):
        (i,) = trace.actors(fact.actor)
        return (trace.compiled.rungs[trace.move[:, :, i]] <= fact.rung).all(axis=1)

    QUIET = FactEvaluator("quiet", quiet)
"""

SCENARIO = """\
metadata: {{title: Quiet}}
turns: 6
actors:
  a: {{name: A, policy: {{kind: scripted, script: {{3: live_fire_exercise}}, default_move: hold}}}}
  b: {{name: B, policy: dove}}
expectations:
  calm: {{kind: quiet, actor: a, rung: {rung}, share: 1}}
"""


def test_a_new_kind_validates_and_is_checked(tmp_path: Path) -> None:
    root = copy_sim(tmp_path / "copy")
    add_file(root, "sim/scenario/facts/quiet.py", DECLARATION)
    add_file(root, "sim/model/facts/quiet.py", EVALUATOR)
    (tmp_path / "hold.yaml").write_text(SCENARIO.format(rung=8), encoding="utf-8")
    (tmp_path / "break.yaml").write_text(SCENARIO.format(rung=2), encoding="utf-8")
    done = sim(root, "check", "hold.yaml", "--runs", "5", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["facts"][0]["kind"] == "quiet"
    broken = sim(root, "check", "break.yaml", "--runs", "5", cwd=tmp_path)
    assert broken.returncode == 1 and "FAILS" in broken.stdout
    typo = tmp_path / "typo.yaml"
    typo.write_text(SCENARIO.format(rung=2).replace("actor: a", "actor: aa"), encoding="utf-8")
    bad = sim(root, "check", "typo.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "expectations.calm.actor: unknown actor 'aa'" in bad.stderr
    reference = sim(root, "schema", "--markdown", cwd=tmp_path)
    assert "## QuietFact" in reference.stdout


@pytest.mark.parametrize("half", ["declaration only", "evaluator only"])
def test_a_kind_with_one_half_missing_fails_at_import(tmp_path: Path, half: str) -> None:
    root = copy_sim(tmp_path / "copy")
    if half == "declaration only":
        add_file(root, "sim/scenario/facts/quiet.py", DECLARATION)
    else:
        add_file(root, "sim/model/facts/quiet.py", EVALUATOR)
    assert_import_stops(root, tmp_path, "fact kinds", "quiet", module="sim.running.check")
