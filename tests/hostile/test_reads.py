"""Every read is bounded while reading: devices, FIFOs and /proc files never hang or fill memory.

Each case runs in a child process under a 2 GiB address-space cap, so a read
that tried to take a whole device would die there, not in the test runner.
A read that hung would be stopped by the subprocess timeout and fail the
test; how long a refusal takes is measured by the benchmark, not asserted
here (the child still reports it, for the log).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CAP = 2 << 30

CHILD = """
import json, sys, time
from pathlib import Path
from sim import files
from sim.outputs.compare import load_side
from sim.outputs.report import render_report
from sim.play.session import PlaySession
from sim.scenario.loader import load_scenario
kind, target, folder = sys.argv[1], sys.argv[2], sys.argv[3]
started = time.perf_counter()
try:
    if kind == "scenario":
        load_scenario(target)
    elif kind == "save":
        PlaySession.load(target)
    elif kind == "report":
        render_report(Path(folder))
    elif kind == "compare":
        load_side(folder)
    elif kind == "json":
        files.read_json(target, limit=files.SAVE_LIMIT, what="save file")
    outcome = "accepted"
except Exception as exc:  # the outcome is reported, not raised
    outcome = f"{type(exc).__name__}: {exc}"
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))
"""


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def refuse(kind: str, target: str | Path, folder: Path) -> str:
    """Run one read in a capped child; return its error text (it must be refused quickly)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(target), str(folder)],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["outcome"] != "accepted"
    assert report["outcome"].split(":")[0] in {
        "ScenarioError",
        "FileProblem",
        "PlayError",
        "RunFolderError",
    }, report
    return str(report["outcome"])


def make_run(tmp_path: Path) -> Path:
    from sim.cli.main import main

    run = tmp_path / "run"
    assert (
        main(["run", "richardson_stable", "--turns", "3", "--no-figures", "--out", str(run)]) == 0
    )
    return run


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


SPECIALS = ["/dev/zero", "/dev/urandom", "fifo", "/proc/self/status", "/proc/self/environ"]


def target_of(name: str, fifo: Path) -> str:
    return str(fifo) if name == "fifo" else name


@pytest.mark.parametrize("special", SPECIALS)
@pytest.mark.parametrize("kind", ["scenario", "save", "json"])
def test_special_files_are_refused_at_once(
    kind: str, special: str, fifo: Path, tmp_path: Path
) -> None:
    text = refuse(kind, target_of(special, fifo), tmp_path)
    assert "not a file" in text or "pseudo-file" in text, text


@pytest.mark.parametrize("special", SPECIALS)
@pytest.mark.parametrize("inside", ["transcript.md", "metrics.csv", "manifest.json"])
def test_a_run_folder_file_that_is_special_is_refused(
    inside: str, special: str, fifo: Path, tmp_path: Path
) -> None:
    from sim.cli.main import main

    run = tmp_path / "run"
    assert (
        main(["run", "richardson_stable", "--turns", "3", "--no-figures", "--out", str(run)]) == 0
    )
    (run / inside).unlink()
    (run / inside).symlink_to(target_of(special, fifo))
    text = refuse("report", "-", run)
    assert "leads out of its folder" in text, text
    if inside == "manifest.json":
        refuse("compare", "-", run)


def test_a_fifo_inside_the_run_folder_is_refused(tmp_path: Path) -> None:
    from sim.cli.main import main

    run = tmp_path / "run"
    assert (
        main(["run", "richardson_stable", "--turns", "3", "--no-figures", "--out", str(run)]) == 0
    )
    (run / "metrics.csv").unlink()
    os.mkfifo(run / "metrics.csv")
    assert "not a file" in refuse("report", "-", run)


def test_a_large_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:  # sparse: 4 GiB on paper, no disk used
        fh.truncate(4 << 30)
    for kind in ("scenario", "save", "json"):
        assert "the limit is" in refuse(kind, big, tmp_path)


def test_deep_json_is_refused_before_parsing(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    assert "nesting deeper than" in refuse("json", deep, tmp_path)


def test_negative_control_a_regular_file_is_read(tmp_path: Path) -> None:
    """The reader the cases above rely on does read an ordinary file."""
    from sim import files

    path = tmp_path / "ok.json"
    path.write_text('{"a": [1, 2, {"b": null}]}')
    assert files.read_json(path, limit=100, what="save file") == {"a": [1, 2, {"b": None}]}
    with pytest.raises(files.FileProblem, match="the limit is 10 bytes"):
        files.read_json(path, limit=10, what="save file")
