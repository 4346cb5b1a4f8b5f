"""Local workers: every item computed exactly once, by this process and forked workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.running.pool import run_shared
from tests.conftest import REPO


@dataclass(frozen=True)
class Touch:
    """Writes one file per item naming the process that computed it; counts the item's value.

    With ``here`` (the calling process's id), a worker waits before its first item
    until that process has taken one, so "this process computes some items itself"
    does not depend on how the machine schedules the processes.
    """

    folder: Path
    here: int | None = None

    def __call__(self, item: int) -> int:
        took = self.folder.parent / f"{self.folder.name}.here-took-one"
        if self.here is not None:
            if os.getpid() == self.here:
                took.touch()
            else:
                deadline = time.monotonic() + 60
                while not took.exists() and time.monotonic() < deadline:
                    time.sleep(0.005)
        path = self.folder / f"{item}.txt"
        with path.open("x") as f:  # fails if the item were computed twice
            f.write(str(os.getpid()))
        return item


@pytest.mark.parametrize("workers", [2, 3])
def test_every_item_runs_once_and_is_reported_once(tmp_path: Path, workers: int) -> None:
    items = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0]
    seen: list[int] = []
    totals: list[int] = []
    done = tmp_path / "done"
    done.mkdir()
    task = Touch(done, here=os.getpid())
    pool = run_shared(task, items, workers, on_item=seen.append, on_count=totals.append)
    assert pool is not None
    pool.shutdown()
    assert sorted(int(p.stem) for p in done.iterdir()) == sorted(items)
    assert sorted(seen) == sorted(items)
    assert totals and totals[-1] <= sum(items) and totals == sorted(totals)
    pids = {(done / f"{i}.txt").read_text() for i in items}
    assert str(os.getpid()) in pids  # this process computed some items itself


def test_needs_two_workers(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 2"):
        run_shared(Touch(tmp_path), [1], 1)


HANGS_IF_WAITED_FOR = """
import os
from sim.running.pool import run_shared
me = os.getpid()

def fail_here(item):
    if os.getpid() == me:
        raise RuntimeError("failed here")
    return 1

try:  # a lambda cannot be pickled: the worker's task never reaches it
    run_shared(lambda item: fail_here(item), list(range(10)), 2)
except RuntimeError as exc:
    print("raised:", exc)
"""


def test_a_failure_here_is_raised_at_once_even_if_a_task_never_reached_a_worker() -> None:
    """A task that cannot be pickled runs here alone: handed to the executor, it could
    deadlock CPython's ProcessPoolExecutor at exit (seen once in 24 runs under load)."""
    done = subprocess.run(
        [sys.executable, "-c", HANGS_IF_WAITED_FOR],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    assert done.returncode == 0, done.stderr
    assert "raised: failed here" in done.stdout
