"""Ensembles: identical across worker counts, resumable after interruption, flat memory."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.errors import RunFolderError
from sim.running.ensemble import EnsembleSpec, load_chunks, run_ensemble
from sim.running.replicates import replicate_seeds

from .conftest import FLAGSHIP
from .test_cli import sim as run_cli


def spec(runs: int = 60, chunk: int = 16, turns: int = 12) -> EnsembleSpec:
    return EnsembleSpec(sim.load_scenario(FLAGSHIP), runs, 42, turns, chunk=chunk)


def test_one_and_two_workers_and_any_executor_give_identical_files(tmp_path: Path) -> None:
    s = spec()
    one = run_ensemble(s, tmp_path / "one", workers=1, progress=False)
    two = run_ensemble(s, tmp_path / "two", workers=2, progress=False)
    with ThreadPoolExecutor(3) as pool:
        three = run_ensemble(s, tmp_path / "three", executor=pool, progress=False)
    for name in ("summary.csv", "stats.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes() == (three / name).read_bytes()
    table, arrays = load_chunks(s, one)
    assert list(table["seed"]) == replicate_seeds(42, 60)
    assert arrays["mean_tension"].shape == (60, 13)


def test_a_replicate_equals_the_single_run_with_its_seed(tmp_path: Path) -> None:
    s = spec(runs=5, chunk=2)
    table, arrays = load_chunks(s, run_ensemble(s, tmp_path / "e", progress=False))
    single = sim.run(FLAGSHIP, seed=int(table.seed[3]), turns=12)
    np.testing.assert_allclose(arrays["mean_tension"][3], single.arrays.tension.mean(axis=1))
    assert table.miscalculations[3] == single.summary()["miscalculations"]


def test_interrupted_then_resumed_equals_uninterrupted(tmp_path: Path) -> None:
    s = spec()
    whole = run_ensemble(s, tmp_path / "whole", progress=False)

    class Stop(Exception):
        pass

    def stop_after_two(k: int) -> None:
        if k == 1:
            raise Stop

    with pytest.raises(Stop):
        run_ensemble(s, tmp_path / "cut", progress=False, on_chunk=stop_after_two)
    written = sorted(p.name for p in (tmp_path / "cut" / "chunks").glob("summary-*.csv"))
    assert written == ["summary-00000.csv", "summary-00001.csv"]
    with pytest.raises(RunFolderError, match="--resume"):
        run_ensemble(s, tmp_path / "cut", progress=False)
    computed: list[int] = []
    run_ensemble(s, tmp_path / "cut", resume=True, progress=False, on_chunk=computed.append)
    assert computed == [2, 3]  # finished chunks were not redone
    for name in ("summary.csv", "stats.csv"):
        assert (tmp_path / "cut" / name).read_bytes() == (whole / name).read_bytes()


def test_resume_refuses_a_different_ensemble(tmp_path: Path) -> None:
    run_ensemble(spec(runs=20), tmp_path / "e", progress=False)
    with pytest.raises(RunFolderError, match="different ensemble"):
        run_ensemble(spec(runs=30), tmp_path / "e", resume=True, progress=False)


def test_cli_ensemble_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "ens"
    done = run_cli(
        "ensemble",
        "--runs",
        "40",
        "--workers",
        "2",
        "--seed",
        "5",
        "--turns",
        "10",
        "--out",
        str(out),
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    assert "40 runs of 10 turns, root seed 5" in done.stdout
    for name in (
        "summary.csv",
        "stats.csv",
        "fan_tension.png",
        "fan_escalation.svg",
        "manifest.json",
        "paths.npz",
    ):
        assert (out / name).is_file(), name
    stats = pd.read_csv(out / "stats.csv").set_index("outcome")
    summary = pd.read_csv(out / "summary.csv")
    assert stats.loc["final_mean_tension", "mean"] == pytest.approx(
        summary.final_mean_tension.mean(), abs=1e-6
    )


def test_a_dask_cluster_gives_the_same_ensemble(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    from sim.running.distributed import dask_executor

    s = spec(runs=40, chunk=10)
    local = run_ensemble(s, tmp_path / "local", progress=False)
    with dask_executor(None, 2) as executor:
        remote = run_ensemble(s, tmp_path / "dask", executor=executor, progress=False)
    for name in ("summary.csv", "stats.csv"):
        assert (local / name).read_bytes() == (remote / name).read_bytes()
