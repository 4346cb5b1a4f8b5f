"""Run folders: figures rendered in parallel are the same bytes as serially; atomic writes.

Figures are drawn by this process and forked workers while the tables are written; a
worker's error reaches the caller, and no worker outlives a failed or interrupted write.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import sim
from sim.errors import RunFolderError
from sim.outputs.run_folder import render_figures, write_run_folder
from tests.conftest import FLAGSHIP


def test_parallel_and_serial_figures_are_byte_identical(tmp_path: Path) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=10)
    serial = render_figures(result, tmp_path / "one", workers=1)
    parallel = render_figures(result, tmp_path / "two", workers=2)
    assert [p.name for p in serial] == [p.name for p in parallel]
    assert len(serial) == 12  # six figures, png and svg
    for a, b in zip(serial, parallel, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("sim.outputs.transcript.write_transcript", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_run_folder(result, tmp_path / "run", figures=False)
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_refused_and_kept(tmp_path: Path) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)
    target = tmp_path / "run"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    with pytest.raises(RunFolderError, match="already exists"):
        write_run_folder(result, target, figures=False)
    assert (target / "mine.txt").read_text() == "keep"
    with pytest.raises(RunFolderError, match=r"no manifest\.json written by sim"):
        write_run_folder(result, target, figures=False, force=True)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert (target / "mine.txt").read_text() == "keep"
    run = tmp_path / "ours"
    write_run_folder(result, run, figures=False)
    first = (run / "events.csv").read_bytes()
    write_run_folder(sim.run(FLAGSHIP, seed=9, turns=3), run, figures=False, force=True)
    assert (run / "events.csv").read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours", "run"]


def _only_workers_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process leaves every figure to the forked worker, so the worker's path is tested."""
    from sim.outputs import run_folder

    parent = os.getpid()
    draw = run_folder._Drawing.draw

    def worker_draw(self: run_folder._Drawing) -> dict[str, list[Path]]:
        return {} if os.getpid() == parent else draw(self)

    monkeypatch.setattr(run_folder._Drawing, "draw", worker_draw)
    # Workers are forked only from a single-threaded process; earlier tests in this
    # pytest process may have left idle threads, which must not turn the fork off here.
    monkeypatch.setattr("threading.active_count", lambda: 1)


def _failing_figures(monkeypatch: pytest.MonkeyPatch, fail: object) -> None:
    from sim.outputs.figures import FIGURES

    for name in FIGURES:
        monkeypatch.setitem(FIGURES, name, fail)


def test_a_worker_draws_every_figure_when_this_process_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)
    _only_workers_draw(monkeypatch)
    written = render_figures(result, tmp_path / "figures", workers=2)
    assert len(written) == 12 and all(p.is_file() for p in written)


def test_an_error_in_a_figure_worker_reaches_the_caller_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)

    def broken(_: object) -> None:
        raise ValueError("this figure cannot be drawn")

    _only_workers_draw(monkeypatch)
    _failing_figures(monkeypatch, broken)
    with pytest.raises(ValueError, match="cannot be drawn"):
        write_run_folder(result, tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_a_figure_worker_that_dies_is_an_error_not_a_missing_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)

    def dies(_: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    _only_workers_draw(monkeypatch)
    _failing_figures(monkeypatch, dies)
    with pytest.raises(RuntimeError, match="figure worker ended early"):
        write_run_folder(result, tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_figures_are_drawn_stops_the_workers_before_cleaning_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        forked.append(pid)
        return pid

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr("sim.outputs.transcript.write_transcript", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_run_folder(result, tmp_path / "run")
    assert list(tmp_path.iterdir()) == []
    for pid in forked:  # reaped before the staging folder was removed
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_summarised_run_leaves_out_the_figures_it_cannot_draw_and_says_so(
    tmp_path: Path,
) -> None:
    """Above the readings threshold, figures of every turn's matrices are left out, by name."""
    import json
    import subprocess
    import sys

    from tests.conftest import sim_env

    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", "dec2025_joint_drill", "--turns", "6",
         "--out", "run", "--quiet"],
        cwd=tmp_path, env=sim_env(SIM_FULL_READINGS_UP_TO="3", MPLBACKEND="Agg"),
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    stems = sorted({p.stem for p in (tmp_path / "run" / "figures").iterdir()})
    assert stems == ["perception_gap", "rungs", "tension", "timeline"]
    readings = json.loads((tmp_path / "run" / "manifest.json").read_text())["readings"]
    assert readings["mode"] == "summarised"
    assert readings["figures_left_out"] == ["network", "beliefs"]
