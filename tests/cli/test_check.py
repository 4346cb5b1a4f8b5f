"""``sim check``: the table, the exit status, JSON, errors, and the command's registration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import build_parser, main
from tests.running.test_check import BASE, BREAKS, variant


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_all_facts_hold_exit_0(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(base), "--runs", "6"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("base: 6 runs of 10 turns, root seed 2005\n")
    header = next(line for line in out.splitlines() if line.startswith("fact"))
    assert header.split() == ["fact", "label", "required", "measured", "95%", "Wilson", "verdict"]
    row = next(line for line in out.splitlines() if line.startswith("share_a "))
    assert "A talks of testing" in row and "1.00" in row and "1.000 (6/6)" in row
    assert "[0.610, 1.000]" in row and row.endswith("holds")
    assert out.rstrip().endswith("all 7 facts hold")


@pytest.mark.parametrize("target", sorted(BREAKS))
def test_negative_control_exits_1(
    base: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body, broken = BREAKS[target]
    assert main(["check", str(variant(base, body)), "--runs", "4"]) == 1
    out = capsys.readouterr().out
    failing = {line.split()[0] for line in out.splitlines() if line.endswith("FAILS")}
    assert failing == broken
    assert f"{len(broken)} of 7 facts fail" in out


def test_json(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(base), "--runs", "5", "--seed", "77", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["scenario"], data["seed"], data["runs"], data["turns"]) == ("base", 77, 5, 10)
    assert data["passed"] is True
    first = data["facts"][0]
    assert first == {
        "id": "share_a",
        "kind": "move_share",
        "label": "A talks of testing",
        "required": 1.0,
        "held": 5,
        "runs": 5,
        "share": 1.0,
        "low": pytest.approx(0.5655, abs=1e-4),
        "high": 1.0,
        "passed": True,
    }
    body, _ = BREAKS["reading"]
    assert main(["check", str(variant(base, body)), "--runs", "5", "--json"]) == 1
    broken = json.loads(capsys.readouterr().out)
    assert broken["passed"] is False and broken["seed"] == 2005
    assert [f["id"] for f in broken["facts"] if not f["passed"]] == ["reading"]


def test_workers_do_not_change_the_json(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(base), "--runs", "60", "--json"])
    one = capsys.readouterr().out
    main(["check", str(base), "--runs", "60", "--json", "--workers", "2"])
    assert capsys.readouterr().out == one


def test_no_expectations_is_a_note_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(BASE.split("expectations:")[0], encoding="utf-8")
    assert main(["check", str(path), "--runs", "3"]) == 0
    assert capsys.readouterr().out == "plain states no expectations: nothing to check.\n"


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "missing.yaml")]) == 2
    assert capsys.readouterr().err.startswith("sim: ")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BASE.replace("actors: [b, c]", "actors: [b, cc]"), encoding="utf-8")
    assert main(["check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:" in err and "expectations.never_others.actors.1" in err
    assert "unknown actor 'cc'; did you mean 'c'?" in err
    assert main(["check", str(broken), "--runs", "0"]) == 2
    assert main(["check"]) == 2


def test_check_is_listed_in_help() -> None:
    assert "check" in build_parser().format_help()
