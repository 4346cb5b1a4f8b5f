"""`sim play` against hostile save files, ``--moves`` files and ``--save`` paths.

Every case goes through the real command line and must end with exit status
2, one line on stderr that names the file, no traceback, and nothing written
or half-written. Cases that could hang or eat memory if the reader were
unbounded (devices, FIFOs) run ``python -m sim`` in a child process with its
address space limited and a timeout; the others call ``sim.cli.main.main``.
A positive control checks that a normal save, resume and replace still work.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.cli.main import main
from sim.play.session import SAVE_FORMAT, PlaySession
from tests.conftest import FLAGSHIP, REPO

MEMORY_LIMIT = 2 * 1024**3
"""Address space of a ``sim play`` child that reads a hostile file (bytes)."""

TIMEOUT = 10.0
"""Seconds a refused ``sim play`` child may take (importing numpy and reading the scenario)."""

HUMANS = ["--human", "china", "--human", "united_states"]
TURN_MOVES = {1: "{china: hold, united_states: hold}", 2: "{china: 1, united_states: hold}"}

needs_posix = pytest.mark.skipif(os.name != "posix", reason="devices, FIFOs and rlimits")


# ---------------------------------------------------------------- helpers


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _child(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m sim play ARGS`` in ``cwd``, memory-limited, killed after TIMEOUT."""
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "sim", "play", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
    )


def _snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder``: a regular file's bytes, else its kind (FIFOs not opened)."""
    out: dict[str, Any] = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root, name)
            mode = path.lstat().st_mode
            key = str(path.relative_to(folder))
            out[key] = path.read_bytes() if stat.S_ISREG(mode) else stat.S_IFMT(mode)
    return out


def _one_line(stderr: str, *needles: str) -> str:
    """The single message line on stderr; it holds every needle, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _refused(
    capsys: pytest.CaptureFixture[str], folder: Path, before: dict[str, Any], *args: str
) -> str:
    """Run ``sim play ARGS`` in-process; it must exit 2 with one line and change nothing."""
    code = main(["play", *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert _snapshot(folder) == before, "something was written"
    return _one_line(err)


@pytest.fixture(scope="module")
def saved_game(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A save file's content after 2 turns of a 3-turn game, beside its scenario ``scen.yaml``."""
    folder = tmp_path_factory.mktemp("template")
    scenario = folder / "scen.yaml"
    shutil.copyfile(FLAGSHIP, scenario)
    session = PlaySession(scenario, ["china", "united_states"], seed=11, turns=3)
    for _ in range(2):
        session.choose("china", "hold")
        session.choose("united_states", "hold")
        session.resolve()
    data: dict[str, Any] = json.loads(session.save(folder / "game.json").read_text())
    assert data["scenario"] == "scen.yaml" and data["format"] == SAVE_FORMAT
    return data


@pytest.fixture
def game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Any]:  # (folder, writer of a save file)
    """``tmp_path`` as the current folder, with ``scen.yaml``; and a writer of save files."""
    shutil.copyfile(FLAGSHIP, tmp_path / "scen.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))  # never read by a refused game

    def write(name: str, text: str) -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path / name

    return tmp_path, write


def _changed(data: dict[str, Any], **fields: Any) -> str:
    return json.dumps({**data, **fields}, indent=2)


def _moves(tmp_path: Path, name: str, turns: list[int]) -> Path:
    path = tmp_path / name
    path.write_text("".join(f"{t}: {TURN_MOVES[t]}\n" for t in turns), encoding="utf-8")
    return path


# ---------------------------------------------------------------- devices and FIFOs (children)


@needs_posix
def test_resume_dev_zero_is_refused(tmp_path: Path) -> None:
    done = _child("--resume", "/dev/zero", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "/dev/zero", "not a file", "save file")
    assert not list(tmp_path.iterdir())


@needs_posix
def test_resume_dev_urandom_is_refused(tmp_path: Path) -> None:
    done = _child("--resume", "/dev/urandom", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "/dev/urandom", "not a file", "save file")
    assert not list(tmp_path.iterdir())


@needs_posix
def test_resume_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    done = _child("--resume", "pipe.json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "pipe.json", "FIFO", "save file")
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.json"]


@needs_posix
def test_moves_dev_zero_is_refused(tmp_path: Path) -> None:
    done = _child(str(FLAGSHIP), *HUMANS, "--moves", "/dev/zero", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "/dev/zero", "not a file", "moves file")
    assert not list(tmp_path.iterdir())


@needs_posix
def test_moves_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "moves.yaml")
    done = _child(str(FLAGSHIP), *HUMANS, "--moves", "moves.yaml", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "moves.yaml", "FIFO", "moves file")
    assert [p.name for p in tmp_path.iterdir()] == ["moves.yaml"]


@needs_posix
def test_saved_scenario_dev_zero_is_refused(tmp_path: Path, saved_game: dict[str, Any]) -> None:
    (tmp_path / "game.json").write_text(_changed(saved_game, scenario="/dev/zero"))
    before = _snapshot(tmp_path)
    done = _child("--resume", "game.json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    line = _one_line(done.stderr, "game.json", "scenario", "/dev/zero", "not a scenario file")
    assert re.match(r"sim: game\.json:\d+:\d+: scenario: ", line), line
    assert _snapshot(tmp_path) == before


@needs_posix
def test_saved_scenario_fifo_is_refused(tmp_path: Path, saved_game: dict[str, Any]) -> None:
    os.mkfifo(tmp_path / "scen.yaml")
    (tmp_path / "game.json").write_text(_changed(saved_game))  # scenario: scen.yaml, a FIFO
    before = _snapshot(tmp_path)
    done = _child("--resume", "game.json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "game.json", "scenario", "scen.yaml", "FIFO")
    assert _snapshot(tmp_path) == before


@needs_posix
def test_save_at_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "game.json")
    done = _child(str(FLAGSHIP), *HUMANS, "--save", "game.json", "--force", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    _one_line(done.stderr, "game.json", "FIFO", "choose another --save")
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"]
    assert stat.S_ISFIFO((tmp_path / "game.json").lstat().st_mode)


# ---------------------------------------------------------------- hostile save files


def test_deep_json_save_is_refused(game: tuple[Path, Any], capsys: Any) -> None:
    folder, write = game
    write("game.json", "[" * 100_000 + "]" * 100_000)
    before = _snapshot(folder)
    line = _refused(capsys, folder, before, "--resume", "game.json")
    assert "game.json" in line and "nesting deeper than" in line


def test_seed_beyond_what_sim_run_accepts_is_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    write("game.json", _changed(saved_game, seed=2**70))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert re.match(r"sim: game\.json:\d+:\d+: seed: must be between 0 and \d+", line), line
    assert str(2**70) in line and "sim run --seed" in line


def test_fractional_seed_is_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    write("game.json", _changed(saved_game, seed=3.5))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert re.match(r"sim: game\.json:\d+:\d+: seed: expected a whole number, got 3\.5", line)


def test_turns_below_the_turns_played_is_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    write("game.json", _changed(saved_game, turns=1))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert "game.json" in line and "turns: 1 is fewer than the 2 turns already played" in line


def test_humans_as_a_string_is_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    write("game.json", _changed(saved_game, humans="china"))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert re.match(r'sim: game\.json:\d+:\d+: humans: expected a list .*got "china"', line), line


def test_duplicate_keys_in_a_save_are_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    text = _changed(saved_game)
    write("game.json", text.replace('"seed": 11,', '"seed": 11,\n  "seed": 12,', 1))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert "game.json" in line and "'seed' is given twice" in line


def test_unknown_key_in_a_save_is_refused(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    write("game.json", _changed(saved_game, colour="red"))
    line = _refused(capsys, folder, _snapshot(folder), "--resume", "game.json")
    assert re.match(r"sim: game\.json:\d+:\d+: colour: not a key of a save file", line), line


# ---------------------------------------------------------------- hostile --moves files


def test_duplicate_turn_in_moves_file_is_refused_with_line_and_column(
    game: tuple[Path, Any], capsys: Any
) -> None:
    folder, write = game
    write("moves.yaml", f"1: {TURN_MOVES[1]}\n2: {TURN_MOVES[2]}\n1: {TURN_MOVES[2]}\n")
    before = _snapshot(folder)
    line = _refused(capsys, folder, before, "scen.yaml", *HUMANS, "--moves", "moves.yaml")
    assert line.startswith("sim: moves.yaml:3:1: duplicate key 1 (first at line 1)"), line


# ---------------------------------------------------------------- hostile --save paths


def test_save_at_an_existing_folder_is_refused(game: tuple[Path, Any], capsys: Any) -> None:
    folder, _ = game
    (folder / "saves").mkdir()
    (folder / "saves" / "keep.txt").write_text("mine")
    before = _snapshot(folder)
    args = ["scen.yaml", *HUMANS, "--save", "saves", "--force"]
    line = _refused(capsys, folder, before, *args)
    assert line == "sim: saves is a folder, not a save file: choose another --save (a file)"


def test_save_at_an_existing_other_file_is_refused_and_left_alone(
    game: tuple[Path, Any], capsys: Any
) -> None:
    folder, write = game
    write("notes.json", '{"my": "notes"}\n')
    before = _snapshot(folder)
    for extra in ([], ["--force"]):  # --force starts afresh over a save file, never over this
        line = _refused(
            capsys, folder, before, "scen.yaml", *HUMANS, "--save", "notes.json", *extra
        )
        assert line == "sim: notes.json exists and is not a sim save file: choose another --save"
    assert (folder / "notes.json").read_bytes() == b'{"my": "notes"}\n'


def test_save_under_a_regular_file_is_refused(game: tuple[Path, Any], capsys: Any) -> None:
    folder, write = game
    write("plain.txt", "text\n")
    before = _snapshot(folder)
    line = _refused(capsys, folder, before, "scen.yaml", *HUMANS, "--save", "plain.txt/game.json")
    assert "plain.txt/game.json" in line and "plain.txt is a file, not a folder" in line


# ---------------------------------------------------------------- positive controls


def test_save_resume_and_replace_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    shutil.copyfile(FLAGSHIP, first / "scen.yaml")
    _moves(first, "m1.yaml", [1])
    monkeypatch.chdir(first)
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))  # turn 2 is typed: quit
    args = ["scen.yaml", *HUMANS, "--seed", "11", "--turns", "3", "--moves", "m1.yaml"]
    assert main(["play", *args, "--save", "game.json", "--no-figures"]) == 0, capsys.readouterr()
    text = (first / "game.json").read_text()
    data = json.loads(text)
    assert data["format"] == SAVE_FORMAT and data["scenario"] == "scen.yaml"
    assert "scenario_file" not in data and str(tmp_path) not in text  # no absolute path
    assert data["played"] == 1 and [i["turn"] for i in data["inputs"]] == [1]

    # the folder moves; the save still finds its scenario (relative to the save file)
    moved = tmp_path / "moved"
    first.rename(moved)
    monkeypatch.chdir(tmp_path)
    _moves(moved, "m2.yaml", [2])
    monkeypatch.setattr(sys, "stdin", io.StringIO("hold\nhold\n\n"))  # turn 3 at the keyboard
    resume = ["--resume", "moved/game.json", "--moves", "moved/m2.yaml"]
    assert main(["play", *resume, "--out", "moved/run", "--no-figures"]) == 0
    out = capsys.readouterr()
    assert "Resuming after turn 1." in out.out and "Traceback" not in out.err
    data = json.loads((moved / "game.json").read_text())  # replaced after turns 2 and 3
    assert data["played"] == 3 and [i["turn"] for i in data["inputs"]] == [1, 2, 3]
    assert data["scenario"] == "scen.yaml"
    assert (moved / "run" / "events.csv").is_file()
    assert not [p for p in moved.iterdir() if p.name.startswith(".")]  # no temporary file left

    # --force starts afresh over a save file (and only over one)
    monkeypatch.chdir(moved)
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))
    again = ["scen.yaml", *HUMANS, "--seed", "12", "--save", "game.json", "--force"]
    assert main(["play", *again, "--no-figures"]) == 0
    data = json.loads((moved / "game.json").read_text())
    assert data["seed"] == 12 and data["inputs"] == []


def test_a_save_file_of_the_first_format_still_loads(
    game: tuple[Path, Any], capsys: Any, saved_game: dict[str, Any]
) -> None:
    folder, write = game
    old = {**saved_game, "format": "sim-play/1", "scenario": "gone/scen.yaml"}
    old["scenario_file"] = str(folder / "scen.yaml")  # sim-play/1 kept the absolute path too
    write("old.json", json.dumps(old, indent=2))
    assert main(["play", "--resume", "old.json", "--no-figures"]) == 0
    out = capsys.readouterr()
    assert "Resuming after turn 2." in out.out and "Traceback" not in out.err
    data = json.loads((folder / "old.json").read_text())  # saved again, in today's format
    assert data["format"] == SAVE_FORMAT and data["scenario"] == "scen.yaml"
    assert "scenario_file" not in data and len(data["inputs"]) == 2
