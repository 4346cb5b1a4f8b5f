"""SIGTERM and SIGHUP end a command as Ctrl-C does: nothing half-written; it says what is kept.

The signal goes to the command's process group, as a terminal's hang-up or a
service manager's stop does (its forked workers get it too).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import run_sim, start_sim


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return start_sim(*args, cwd=cwd, new_session=True)  # its own group, as a terminal job


def when(condition: object, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not callable(condition) or not condition():
        assert proc.poll() is None, "the command ended before the signal"
        assert time.monotonic() < deadline, "the moment to signal never came"
        time.sleep(0.005)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_run_writes_nothing_and_says_so(signum: int, tmp_path: Path) -> None:
    proc = start(["run", "--turns", "30", "--out", "run"], tmp_path)
    when(lambda: any(tmp_path.glob(".run.partial-*")), proc)  # it is writing the folder
    os.killpg(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    name = signal.Signals(signum).name
    assert err.strip() == f"sim: stopped by {name}; nothing was written"
    # No result appears, and the hidden staging folder is removed on the way out: the
    # figure workers are stopped and reaped before it is removed, so none writes into it.
    assert [p.name for p in tmp_path.iterdir()] == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_ensemble_says_what_is_kept_and_how_to_finish(
    signum: int, tmp_path: Path
) -> None:
    args = ["ensemble", "dec2025_joint_drill", "--runs", "3000", "--turns", "20", "--out", "e"]
    proc = start([*args, "--seed", "3", "--workers", "2"], tmp_path)
    when(lambda: any((tmp_path / "e" / "chunks").glob("record-*")), proc)
    os.killpg(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    saved = len(list((tmp_path / "e" / "chunks").glob("record-*.json"))) * 250
    name = signal.Signals(signum).name
    assert f"sim: stopped by {name}; {saved} of 3000 replicates are saved in e/" in err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    again = err.split("Finish them with:")[1].strip().splitlines()[0].split()
    assert again[0] == "sim"
    done = run_sim(*again[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "e" / "chunks").glob("record-*.json"))) == 12
