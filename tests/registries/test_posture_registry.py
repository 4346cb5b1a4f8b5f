"""Posture is read by name: a field inserted in the middle of ``Posture`` changes no outcome.

The test extends a copy of the ``sim`` package and runs it in a child process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .copies import SCENARIOS, check, copy_sim, python, sim

FLAGSHIP = SCENARIOS / "dec2025_joint_drill.yaml"

NEW_FIELD = """    composure: Posture01 = _posture(
        0.5,
        "How calmly the actor takes bad news (read by no formula yet).",
    )
"""


def _insert_field(root: Path) -> None:
    """Insert ``composure`` just before ``transparency`` (the middle of the class)."""
    path = root / "sim" / "scenario" / "schema" / "posture.py"
    text = path.read_text("utf-8")
    anchor = "    transparency: Posture01 = _posture("
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, NEW_FIELD + anchor), "utf-8")


def _run(root: Path, out: Path) -> Path:
    check(
        sim(
            root,
            "run",
            str(FLAGSHIP),
            "--seed",
            "11",
            "--turns",
            "12",
            "--out",
            str(out),
            "--no-figures",
            "--quiet",
            cwd=out.parent,
        )
    )
    return out


@pytest.mark.slow
def test_a_field_inserted_in_the_middle_of_posture_changes_no_outcome(tmp_path: Path) -> None:
    plain = copy_sim(tmp_path / "plain")
    extended = copy_sim(tmp_path / "extended")
    _insert_field(extended)

    shown = (
        "from sim.scenario.schema import POSTURE_FIELDS, POSTURE_INDEX, Posture, PostureChange\n"
        "Posture(composure=0.9)\n"
        "PostureChange(actor='a', field='composure', delta=0.1)\n"
        "print(POSTURE_INDEX['composure'], POSTURE_INDEX['transparency'], len(POSTURE_FIELDS))\n"
    )
    assert check(python(extended, "-c", shown, cwd=tmp_path)).split() == ["3", "4", "9"]

    before = _run(plain, tmp_path / "before")
    after = _run(extended, tmp_path / "after")
    for name in ("metrics.csv", "events.csv", "links.csv", "transcript.md"):
        assert (before / name).read_bytes() == (after / name).read_bytes(), name

    schema = json.loads(check(sim(extended, "schema", cwd=tmp_path)))
    assert "composure" in schema["$defs"]["Posture"]["properties"]
    assert "composure" in schema["$defs"]["PostureChange"]["properties"]["field"]["enum"]


def test_posture_columns_follow_the_model_s_fields() -> None:
    from sim.model.posture import column
    from sim.scenario.schema import POSTURE_FIELDS, POSTURE_INDEX, Posture

    assert tuple(Posture.model_fields) == POSTURE_FIELDS
    assert [POSTURE_INDEX[f] for f in POSTURE_FIELDS] == list(range(len(POSTURE_FIELDS)))
    import numpy as np

    values = np.array([Posture(restraint=0.9, resolve=0.1).values()])
    assert column(values, "restraint")[0] == 0.9 and column(values, "resolve")[0] == 0.1
    with pytest.raises(KeyError):
        column(values, "bravado")
