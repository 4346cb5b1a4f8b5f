"""An ensemble killed with SIGKILL at a random point, then resumed, equals an uninterrupted one.

SIGKILL gives the process no chance to clean up: whatever is on disk at that
instant is what ``--resume`` finds. Chunks are written to a hidden temporary
name and renamed into place, so a chunk file is either whole or absent, and
half-written temporary files must never be read as chunks.

* The command line, as a student would use it: ``sim ensemble --runs 600
  --turns 20 --seed 3 --traces`` (chunks of 250), killed after the first
  chunk exists, then ``sim ensemble ... --resume``.
* The Python API with chunks of 20 and traces in a child process, killed at
  three more random points (after a random number of chunks, plus a random
  delay, so the kill may land in the middle of writing one), then resumed;
  at the third, with two workers, only the ensemble's own process is killed
  and its forked worker must stop by itself.
* Ctrl-C on the command line (SIGINT to the process group): exit status 130
  and a message giving the command that finishes the ensemble, which does.

Each chunk writes its trace table, then its fan-chart paths, then its summary:
the summary is the chunk's "done" mark. The resumed traces must equal the
uninterrupted ones, value for value.

The kill points come from a seeded random generator, so a failure can be
reproduced.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.outputs.ensemble_chunks import read_traces, trace_files
from sim.outputs.ensemble_folder import run_ensemble
from sim.running.ensemble import EnsembleSpec
from sim.scenario.loader import load_scenario
from tests.conftest import FLAGSHIP, REPO

RNG = random.Random(20251207)


def env() -> dict[str, str]:
    return dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))


def chunk_names(out: Path, kind: str = "summary") -> list[str]:
    return sorted(p.name for p in (out / "chunks").glob(f"{kind}-*.*"))


def kill_when(proc: subprocess.Popen[bytes], out: Path, chunks: int, delay: float) -> None:
    """SIGKILL ``proc`` ``delay`` seconds after ``chunks`` chunk files exist."""
    deadline = time.monotonic() + 120
    while len(chunk_names(out)) < chunks:
        assert proc.poll() is None, "the ensemble ended before the kill point"
        assert time.monotonic() < deadline, "no chunk appeared in time"
        time.sleep(0.005)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ensemble finished before it was killed"


def processes_with(text: str) -> list[int]:
    """Ids of live processes whose command line mentions ``text`` (forked workers share it)."""
    proc = Path("/proc")
    if not proc.is_dir():
        pytest.skip("no /proc to look for leftover workers")
    found = []
    for entry in proc.iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_text(errors="replace"):
                found.append(int(entry.name))
        except OSError:  # ended while we looked
            continue
    return found


def check_killed_state(out: Path, chunk: int) -> list[str]:
    """Every chunk on disk after the kill is whole; returns the chunk names."""
    names = chunk_names(out)
    assert names, "killed before any chunk was written"
    for name in names:
        table = pd.read_csv(out / "chunks" / name)
        assert len(table) == chunk, f"{name} is not whole"
    traces = trace_files(out)
    assert len(traces) >= len(names), "a chunk's summary was written before its traces"
    for path in traces:  # a trace file on disk is whole, even without its summary yet
        read = pd.read_parquet if path.suffix == ".parquet" else pd.read_csv
        assert read(path).replicate.nunique() == chunk, f"{path.name} is not whole"
    assert not (out / "summary.csv").exists()
    return names


def plant_decoys(out: Path, k: int) -> None:
    """Leftovers a kill could leave for chunk ``k``: they must not be read as chunks."""
    chunks = out / "chunks"
    (chunks / f".summary-{k:05d}.csv.tmp-99999").write_text("seed,peak_tension\n1,oops\n")
    (chunks / f".paths-{k:05d}.npz.tmp-99999.npz").write_bytes(b"PK\x03\x04 truncated")
    for kind in ("parquet", "csv"):
        (chunks / f".traces-{k:05d}.{kind}.tmp-99999").write_bytes(b"PAR1 truncated")


def check_resumed(out: Path, reference: Path, n_chunks: int) -> None:
    for name in ("summary.csv", "stats.csv"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert chunk_names(out) == [f"summary-{k:05d}.csv" for k in range(n_chunks)]
    assert chunk_names(out, "paths") == [f"paths-{k:05d}.npz" for k in range(n_chunks)]
    traces = [p.relative_to(out) for p in trace_files(out)]
    assert traces == [p.relative_to(reference) for p in trace_files(reference)]
    assert len(traces) == n_chunks
    pd.testing.assert_frame_equal(read_traces(out), read_traces(reference))


def test_cli_ensemble_killed_then_resumed(tmp_path: Path) -> None:
    runs, turns, seed = 600, 20, 3
    out = tmp_path / "e"
    args = [sys.executable, "-m", "sim", "ensemble", str(FLAGSHIP), "--runs", str(runs)]
    args += ["--turns", str(turns), "--seed", str(seed), "--out", str(out), "--quiet", "--traces"]
    proc = subprocess.Popen(args, env=env(), cwd=REPO, stdout=subprocess.DEVNULL)
    kill_when(proc, out, chunks=1, delay=RNG.uniform(0.0, 0.3))
    written = check_killed_state(out, 250)
    plant_decoys(out, len(written))

    reference = run_ensemble(
        EnsembleSpec(load_scenario(FLAGSHIP), runs, seed, turns, traces=True),
        tmp_path / "reference",
        progress=False,
        figures=False,
    )
    done = subprocess.run(
        [*args, "--resume"], env=env(), cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    check_resumed(out, reference, 3)
    print(f"\nCLI: killed with {len(written)} of 3 chunks written; resumed to completion")


def test_cli_ensemble_interrupted_says_how_to_resume(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, workers included) ends it with a resume hint."""
    out = tmp_path / "e"
    args = [sys.executable, "-m", "sim", "ensemble", str(FLAGSHIP), "--runs", "1500"]
    args += ["--turns", "20", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(
        args,
        env=env(),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # SIGINT handled as in a terminal, even if this test runs where it is ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not chunk_names(out):
        assert proc.poll() is None and time.monotonic() < deadline, "no chunk appeared"
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    saved = len(chunk_names(out, "record")) * 250  # a chunk counts once its record is written
    assert f"interrupted; {saved} of 1500 replicates are saved in" in err
    hint = err.split("Finish them with:")[1].split()
    assert hint[:2] == ["sim", "ensemble"] and "--resume" in hint and "--seed" in hint
    assert not processes_with(str(out)), "a worker outlived the interrupted ensemble"
    done = subprocess.run(
        [sys.executable, "-m", *hint], env=env(), cwd=REPO, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert chunk_names(out) == [f"summary-{k:05d}.csv" for k in range(6)]


CHILD = """
import sys
from pathlib import Path
from sim.outputs.ensemble_chunks import read_traces, trace_files
from sim.outputs.ensemble_folder import run_ensemble
from sim.running.ensemble import EnsembleSpec
from sim.scenario.loader import load_scenario
spec = EnsembleSpec(load_scenario(sys.argv[1]), 400, 5, 20, chunk=20, traces=True)
run_ensemble(spec, Path(sys.argv[2]), workers=int(sys.argv[3]), progress=False, figures=False)
"""


@pytest.fixture(scope="module")
def small_chunk_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = EnsembleSpec(load_scenario(FLAGSHIP), 400, 5, 20, chunk=20, traces=True)
    return run_ensemble(spec, tmp_path_factory.mktemp("ref") / "e", progress=False, figures=False)


@pytest.mark.parametrize(("point", "workers"), [(0, 1), (1, 1), (2, 2)])
def test_api_ensemble_killed_at_random_points(
    point: int, workers: int, tmp_path: Path, small_chunk_reference: Path
) -> None:
    """With two workers, only the ensemble's own process is killed: its worker must stop too."""
    rng = random.Random(1000 + point)
    after, delay = rng.randint(1, 12), rng.uniform(0.0, 0.05)
    out = tmp_path / "e"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(FLAGSHIP), str(out), str(workers)], env=env(), cwd=REPO
    )
    kill_when(proc, out, chunks=after, delay=delay)
    if workers > 1:  # an orphaned worker ends the chunk in hand, then stops
        time.sleep(0.5)
        settled = chunk_names(out)
        time.sleep(0.3)
        assert chunk_names(out) == settled, "a worker went on after its ensemble was killed"
        assert len(settled) < 20
        assert not processes_with(str(out)), "a worker outlived its ensemble"
    written = check_killed_state(out, 20)
    plant_decoys(out, len(written))

    spec = EnsembleSpec(load_scenario(FLAGSHIP), 400, 5, 20, chunk=20, traces=True)
    run_ensemble(spec, out, resume=True, progress=False, figures=False)
    check_resumed(out, small_chunk_reference, 20)
    print(f"\nAPI: killed {delay:.3f} s after chunk {after}, {len(written)} of 20 on disk")
