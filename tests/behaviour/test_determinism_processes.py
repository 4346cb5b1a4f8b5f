"""Same seed, same bytes: across interpreter processes, hash seeds and worker counts.

String hashing is randomised per process unless ``PYTHONHASHSEED`` is set, so
any result that depends on the iteration order of a set (or on ``hash()``)
would differ between processes. These tests run the real command line in
separate processes with different hash seeds and compare the files byte for
byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import FLAGSHIP, REPO


def sim(*args: str, hashseed: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO), PYTHONHASHSEED=hashseed)
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


RUN_FILES = ("metrics.csv", "events.csv", "links.csv", "injects.csv", "transcript.md")


def test_run_is_byte_identical_under_any_hash_seed(tmp_path: Path) -> None:
    seeds = ("0", "1", "random")
    outs = {h: tmp_path / f"hash-{h}" for h in seeds}
    with ThreadPoolExecutor(len(seeds)) as pool:
        done = {
            h: pool.submit(
                sim,
                "run",
                str(FLAGSHIP),
                "--seed",
                "7",
                "--out",
                str(outs[h]),
                "--no-figures",
                "--quiet",
                hashseed=h,
            )
            for h in seeds
        }
        results = {h: f.result() for h, f in done.items()}
    for h, result in results.items():
        assert result.returncode == 0, (h, result.stderr)
    for name in RUN_FILES:
        contents = {h: (outs[h] / name).read_bytes() for h in seeds}
        assert contents["0"], f"{name} is empty"
        assert contents["0"] == contents["1"] == contents["random"], f"{name} differs"


def test_ensemble_is_byte_identical_for_one_and_two_workers(tmp_path: Path) -> None:
    common = ["ensemble", str(FLAGSHIP), "--runs", "30", "--turns", "8", "--seed", "11", "--quiet"]
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(
            sim, *common, "--workers", "1", "--out", str(tmp_path / "one"), hashseed="0"
        )
        two = pool.submit(
            sim, *common, "--workers", "2", "--out", str(tmp_path / "two"), hashseed="random"
        )
        results = [one.result(), two.result()]
    for result in results:
        assert result.returncode == 0, result.stderr
    for name in ("summary.csv", "stats.csv"):
        a = (tmp_path / "one" / name).read_bytes()
        b = (tmp_path / "two" / name).read_bytes()
        assert a and a == b, f"{name} differs between --workers 1 and --workers 2"
    assert (tmp_path / "one" / "summary.csv").read_text().count("\n") == 31
