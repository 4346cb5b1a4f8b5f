"""The `sim` command end to end, through a subprocess, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario.jsonschema import schema_text
from tests.conftest import FLAGSHIP, REPO


def sim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=env,
        timeout=120,
    )


def test_run_writes_a_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = sim("run", "--seed", "11", "--turns", "12", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "seed 11" in done.stdout and f"Wrote {out}" in done.stdout
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert {
        "manifest.json",
        "scenario.resolved.yaml",
        "metrics.csv",
        "events.csv",
        "links.csv",
        "injects.csv",
        "transcript.md",
        "figures/tension.png",
        "figures/tension.svg",
        "figures/rungs.png",
        "figures/perception_gap.png",
    } <= names
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 11 and manifest["seed_source"] == "given"
    assert manifest["turns"] == 12
    assert manifest["versions"]["mesa"].startswith("3.5")
    assert len(manifest["scenario"]["resolved_sha256"]) == 64
    assert manifest["command"][:2] == ["sim", "run"]
    assert sorted(manifest["outputs"]) == sorted(names)
    # the resolved scenario runs again to the same result
    again = tmp_path / "again"
    done = sim(
        "run",
        str(out / "scenario.resolved.yaml"),
        "--seed",
        "11",
        "--turns",
        "12",
        "--out",
        str(again),
        "--no-figures",
    )
    assert done.returncode == 0, done.stderr
    assert (again / "events.csv").read_bytes() == (out / "events.csv").read_bytes()


def test_same_seed_gives_byte_identical_tables(tmp_path: Path) -> None:
    for name in ("a", "b"):
        done = sim(
            "run", str(FLAGSHIP), "--seed", "99", "--out", str(tmp_path / name), "--no-figures"
        )
        assert done.returncode == 0, done.stderr
    for table in ("metrics.csv", "events.csv", "links.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()
    done = sim("run", "--seed", "100", "--out", str(tmp_path / "c"), "--no-figures")
    assert (tmp_path / "c" / "events.csv").read_bytes() != (
        tmp_path / "a" / "events.csv"
    ).read_bytes()


def test_no_seed_is_picked_and_recorded(tmp_path: Path, small: Path) -> None:
    scenario = tmp_path / "noseed.yaml"
    scenario.write_text(small.read_text().replace("seed: 5\n", ""))
    done = sim("run", str(scenario), "--out", str(tmp_path / "r"), "--no-figures")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["seed_source"] == "generated" and isinstance(manifest["seed"], int)
    replay = sim(
        "run",
        str(scenario),
        "--seed",
        str(manifest["seed"]),
        "--out",
        str(tmp_path / "r2"),
        "--no-figures",
    )
    assert replay.returncode == 0
    assert (tmp_path / "r" / "events.csv").read_bytes() == (
        tmp_path / "r2" / "events.csv"
    ).read_bytes()


def test_set_overrides_change_the_run(tmp_path: Path) -> None:
    done = sim(
        "run",
        "--seed",
        "1",
        "--turns",
        "5",
        "--set",
        "actors.china.policy=hawk",
        "--out",
        str(tmp_path / "r"),
        "--no-figures",
    )
    assert done.returncode == 0, done.stderr
    resolved = (tmp_path / "r" / "scenario.resolved.yaml").read_text()
    assert "kind: hawk" in resolved
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["overrides"] == ["actors.china.policy=hawk"]


def test_existing_out_is_refused_and_force_replaces_only_a_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = sim("run", "--turns", "3", "--out", str(out), "--no-figures")
    assert done.returncode == 2
    assert "already exists" in done.stderr and "Traceback" not in done.stderr
    done = sim("run", "--turns", "3", "--out", str(out), "--no-figures", "--force")
    assert done.returncode == 2 and "not" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    run = tmp_path / "run"
    assert sim("run", "--turns", "3", "--out", str(run), "--no-figures").returncode == 0
    done = sim("run", "--turns", "4", "--out", str(run), "--no-figures", "--force")
    assert done.returncode == 0, done.stderr
    assert json.loads((run / "manifest.json").read_text())["turns"] == 4


def test_default_folder_never_overwrites(tmp_path: Path) -> None:
    for _ in range(2):
        assert (
            sim(
                "run", "--seed", "4", "--turns", "3", "--no-figures", "--quiet", cwd=tmp_path
            ).returncode
            == 0
        )
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [
        "dec2025_joint_drill-seed4",
        "dec2025_joint_drill-seed4-2",
    ]


def test_broken_scenario_gives_positions_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("metadata:\n  title: Bad\nactors:\n  a: {name: A, postur: {}}\n  b: {name: B}\n")
    done = sim("run", str(bad), "--out", str(tmp_path / "r"))
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "bad.yaml:4:16: actors.a.postur: unknown key 'postur'; did you mean 'posture'?"
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.yaml"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "--seed", "-3"], "argument --seed: must be between 0"),
        (["run", "--turns", "x"], "argument --turns: not a whole number"),
        (["run", "no_such_scenario"], "no such file or bundled scenario"),
        (["run", "--set", "turns"], "expected dotted.path=value"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], fragment: str) -> None:
    done = sim(*args)
    assert done.returncode == 2
    assert fragment in done.stderr and "Traceback" not in done.stderr


def test_validate_reports_each_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("metadata: {title: X}\nactors:\n  a: {name: A}\n  a: {name: B}\n")
    done = sim("validate", str(FLAGSHIP), str(bad))
    assert done.returncode == 2
    assert "dec2025_joint_drill.yaml: ok" in done.stdout
    assert "bad.yaml:4:3: duplicate key 'a' (first at line 3): keep one of them" in done.stderr


def test_validate_takes_a_bundled_id_as_run_does(tmp_path: Path) -> None:
    done = sim("validate", "dec2025_joint_drill", "nowhere", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("dec2025_joint_drill: ok - ")
    assert "nowhere: no such file" in done.stderr
    assert str(REPO) not in done.stdout  # the id is shown, not a machine path


def test_schema_command_and_committed_schemas_are_current() -> None:
    done = sim("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "actors" in schema["required"]
    committed = REPO / "scenarios" / "scenario.schema.json"
    assert committed.read_text() == schema_text(), (
        "scenarios/scenario.schema.json is stale: run `./dev sim schema > "
        "scenarios/scenario.schema.json`"
    )
    variant = REPO / "scenarios" / "variant.schema.json"
    assert variant.read_text() == schema_text(variant=True), (
        "scenarios/variant.schema.json is stale: run `./dev sim schema --variant > "
        "scenarios/variant.schema.json`"
    )


def test_bundled_scenarios_carry_the_schema_modeline() -> None:
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=./"), path.name


def test_format_reference_is_current() -> None:
    from sim.scenario.reference import markdown

    committed = REPO / "docs" / "scenario-format.md"
    assert committed.read_text(encoding="utf-8") == markdown(), (
        "docs/scenario-format.md is stale: run `./dev sim schema --markdown > "
        "docs/scenario-format.md`"
    )
    text = committed.read_text(encoding="utf-8")
    for field in ("threat_sensitivity", "intended_hostility", "cheap_talk_weight", "extends"):
        assert f"`{field}`" in text
