"""A student's first hour, end to end, through ``./dev`` from a folder outside the checkout.

The steps a new student takes (README, "Scenario files in one minute"): start a
scenario from nothing, check it, make the usual mistakes and read the exact
answers, write a variant that names a pair the other way round, try a ``--set``
with a misspelt actor, run, and compare the two scenarios over 20 seeds. Every
command is a real ``dev`` process started in the student's own folder, and
every file lands there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import sim
from tests.conftest import REPO

pytestmark = pytest.mark.slow

DEV = str(REPO / "dev")

FIRED_QUESTION = """\
  - prompt: Russia's exercise happened. Did the Baltic states read the next turns differently?
    when: {metric: fired, inject: opening_exercise, op: "==", value: 1}
"""

HOTLINE = """\
# yaml-language-server: $schema=./variant.schema.json
extends: baltic.yaml
metadata:
  title: "Baltic: with a hotline"
relationships:
  baltic_states:
    russia:
      channels: {hotline: 0.9}
"""


def dev(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DEV, "sim", *args], cwd=folder, capture_output=True, text=True, check=False, timeout=600
    )


def test_a_students_first_hour(tmp_path: Path) -> None:
    home = tmp_path / "my-seminar"
    home.mkdir()
    assert not home.resolve().is_relative_to(REPO.resolve())

    # 1. a scenario from nothing, with its schema beside it
    done = dev(home, "new", "baltic", "--actors", "russia,baltic_states")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Wrote baltic.yaml: edit it, then check and run it with\n"
        "  sim validate baltic.yaml\n"
        "  sim run baltic.yaml\n"
    )
    assert sorted(p.name for p in home.iterdir()) == ["baltic.yaml", "scenario.schema.json"]

    # 2. it checks as it is; a bundled id checks too; a misspelt id gets a did-you-mean
    done = dev(home, "validate", "baltic.yaml", "dec2025_joint_drill")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == (
        "baltic.yaml: ok - Russia and Baltic States: a scenario of my own "
        "(2 actors, 12 moves, 1 inject, 20 turns)"
    )
    assert second.startswith("dec2025_joint_drill: ok - ")
    done = dev(home, "validate", "dec2025_joint_dril")
    assert done.returncode == 2
    assert done.stderr == (
        "dec2025_joint_dril: no such file or bundled scenario; did you mean "
        "'dec2025_joint_drill'?\n1 of 1 file has errors\n"
    )

    # 3. the usual mistakes, every one answered in one pass, sorted by line
    text = (home / "baltic.yaml").read_text(encoding="utf-8")
    mistakes = (
        text.replace(
            "threat_sensitivity:\n        value: 0.6", "threat_sensitivty:\n        value: 0.6"
        )
        .replace("restraint: 0.6", "restraint: 1.6")
        .replace("actor: russia, move: command_post_exercise", "actor: rusia, move: snap_exercise")
        .replace("moves: [explicit_threat]", "moves: [explicit_thret]")
    )
    (home / "mistakes.yaml").write_text(mistakes, encoding="utf-8")
    done = dev(home, "validate", "mistakes.yaml")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "mistakes.yaml:42:7: actors.russia.posture.threat_sensitivty: unknown key "
        "'threat_sensitivty'; did you mean 'threat_sensitivity'?",
        "mistakes.yaml:54:18: actors.baltic_states.posture.restraint.value: must be at most "
        "1.0 (got 1.6)",
        "mistakes.yaml:84:30: injects.opening_exercise.effects.0.move.actor: unknown actor "
        "'rusia'; did you mean 'russia'? (known: russia, baltic_states)",
        "mistakes.yaml:84:43: injects.opening_exercise.effects.0.move.move: unknown move "
        "'snap_exercise'; did you mean 'partner_exercise' or 'command_post_exercise'? (known "
        "moves with 'snap' or 'exercise': exercise_pre_notification, command_post_exercise, "
        "partner_exercise, live_fire_exercise; 12 moves in all)",
        "mistakes.yaml:98:13: expectations.no_threats_in_the_main.moves.0: unknown move "
        "'explicit_thret'; did you mean 'explicit_threat'? (12 known moves)",
        "1 of 1 file has errors",
    ]

    # 4. a debrief question asked because an inject fired
    (home / "baltic.yaml").write_text(
        text.replace("\n# Stylised facts", FIRED_QUESTION + "\n# Stylised facts", 1),
        encoding="utf-8",
    )

    # 5. a variant naming the pair the other way round merges with the base's entry
    (home / "hotline.yaml").write_text(HOTLINE, encoding="utf-8")
    done = dev(home, "validate", "hotline.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("hotline.yaml: ok - Baltic: with a hotline (2 actors")
    pair = sim.load_scenario(home / "hotline.yaml").relationships["russia"]["baltic_states"]
    assert pair.channels["hotline"].value == 0.9
    assert pair.alignment == -0.4  # kept from the base
    # ...and one naming it both ways hears that pairs are unordered, with the base's spelling
    twice = HOTLINE + "  russia:\n    baltic_states:\n      alignment: -0.2\n"
    (home / "twice.yaml").write_text(twice, encoding="utf-8")
    done = dev(home, "validate", "twice.yaml")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "twice.yaml:8:7: relationships.baltic_states.russia: pair declared twice (also as "
        "relationships.russia.baltic_states): pairs are unordered, so baltic_states.russia and "
        "russia.baltic_states are one pair; keep relationships.russia.baltic_states and move "
        "this entry's fields into it"
    )

    # 6. --set with a misspelt actor: a did-you-mean, no new actor, nothing written
    done = dev(home, "run", "baltic.yaml", "--set", "actors.rusia.posture.restraint=0.9")
    assert done.returncode == 2
    assert done.stderr == (
        "sim: --set 'actors.rusia.posture.restraint=0.9': unknown actor 'rusia'; did you mean "
        "'russia'? (known: russia, baltic_states) (--set changes an existing actor; add a new "
        "one in the scenario file)\n"
    )
    assert not (home / "runs").exists()

    # 7. a run lands in the student's folder, and the inject's question is asked
    done = dev(home, "run", "baltic.yaml", "--seed", "3", "--no-figures")
    assert done.returncode == 0, done.stderr
    (folder,) = (home / "runs").iterdir()
    debrief = (folder / "debrief.md").read_text(encoding="utf-8")
    assert "Did the Baltic states read the next turns differently?" in debrief

    # 8. compare over 20 seeds: what each number is, the paired difference, ties, direction
    done = dev(home, "compare", "baltic.yaml", "hotline.yaml", "--runs", "20")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "| `relationships.russia.baltic_states.channels.hotline.value` | 0.5 | 0.9 |" in out
    assert (
        "A and B: mean over the 20 seeds ± standard deviation (the figure shows medians). "
        "B − A: mean of the paired differences (replicate k of A and of B share a seed) with "
        "its 95% Student's t interval (19 degrees of freedom). B lower, tie, B higher: seeds "
        "out of 20; a tie is A and B equal to 2 decimals."
    ) in out
    assert (
        "| outcome | better when | A mean ± sd | B mean ± sd | B − A [95% t interval] "
        "| B lower | tie | B higher | did better |"
    ) in out
    rows = [line for line in out.splitlines() if line.startswith("| mean perception gap")]
    assert len(rows) == 1 and rows[0].split(" | ")[1] == "lower"
    compared = [p.name for p in (home / "runs").iterdir() if p.name.startswith("compare-")]
    assert len(compared) == 1
