"""Ensembles: identical across worker counts, resumable after interruption, flat memory.

With ``traces``, each chunk writes a tidy trace table (Parquet, or CSV without
pyarrow); its rows must be exactly the paths of single runs with the same seeds.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.errors import RunFolderError
from sim.outputs import ensemble_chunks
from sim.outputs.ensemble_chunks import load_chunks, read_traces, trace_files
from sim.outputs.ensemble_folder import run_ensemble
from sim.running import ensemble
from sim.running.ensemble import TRACE_COLUMNS, EnsembleSpec
from sim.running.replicates import replicate_seeds
from tests.cli.test_cli import sim as run_cli
from tests.conftest import FLAGSHIP


def spec(runs: int = 60, chunk: int = 16, turns: int = 12, traces: bool = False) -> EnsembleSpec:
    return EnsembleSpec(sim.load_scenario(FLAGSHIP), runs, 42, turns, chunk=chunk, traces=traces)


@pytest.fixture(params=["parquet", "csv"])
def trace_format(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run once writing Parquet traces (needs pyarrow), once as if pyarrow were absent."""
    if request.param == "parquet":
        pytest.importorskip("pyarrow")
    else:
        monkeypatch.setattr(ensemble_chunks, "parquet_available", lambda: False)
    return str(request.param)


def test_one_and_two_workers_and_any_executor_give_identical_files(
    tmp_path: Path, trace_format: str
) -> None:
    s = spec(traces=True)
    one = run_ensemble(s, tmp_path / "one", workers=1, progress=False, figures=False)
    outs = [one, run_ensemble(s, tmp_path / "two", workers=2, progress=False, figures=False)]
    outs.append(run_ensemble(s, tmp_path / "three", workers=3, progress=False, figures=False))
    with ThreadPoolExecutor(3) as pool:
        outs.append(
            run_ensemble(s, tmp_path / "threads", executor=pool, progress=False, figures=False)
        )
    files = [[p.relative_to(out) for p in trace_files(out)] for out in outs]
    assert all(f == files[0] for f in files)
    assert [p.name for p in files[0]] == [f"traces-{k:05d}.{trace_format}" for k in range(4)]
    for name in [Path("summary.csv"), Path("stats.csv"), Path("paths.npz"), *files[0]]:
        assert all((out / name).read_bytes() == (one / name).read_bytes() for out in outs), name
    table, arrays = load_chunks(s, one)
    assert list(table["seed"]) == replicate_seeds(42, 60)
    assert list(table["replicate"]) == list(range(60))
    pd.testing.assert_frame_equal(pd.read_csv(one / "summary.csv"), table)
    assert arrays["mean_tension"].shape == (60, 13)
    with np.load(one / "paths.npz") as npz:
        np.testing.assert_array_equal(npz["mean_tension"], arrays["mean_tension"])


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="patches reach workers by fork"
)
@pytest.mark.parametrize("where", ["worker", "this process"])
def test_a_failing_process_stops_the_ensemble_and_resume_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Local workers take chunks alongside this process: a failure in either stops them all."""
    s = spec(runs=200, chunk=10)
    whole = run_ensemble(s, tmp_path / "whole", progress=False, figures=False)
    me, compute = os.getpid(), ensemble.run_replicates

    def fail(scenario: Any, seeds: list[int], *args: Any, **kwargs: Any) -> Any:
        if (os.getpid() == me) == (where == "this process"):
            raise RuntimeError(f"a chunk failed in {where}")
        return compute(scenario, seeds, *args, **kwargs)

    monkeypatch.setattr(ensemble, "run_replicates", fail)
    with pytest.raises(RuntimeError, match=f"failed in {where}"):
        run_ensemble(s, tmp_path / "cut", workers=2, progress=False, figures=False)
    assert not (tmp_path / "cut" / "summary.csv").exists()
    monkeypatch.setattr(ensemble, "run_replicates", compute)
    run_ensemble(s, tmp_path / "cut", resume=True, progress=False, figures=False)
    for name in ("summary.csv", "stats.csv", "paths.npz"):
        assert (tmp_path / "cut" / name).read_bytes() == (whole / name).read_bytes()


def test_a_replicate_equals_the_single_run_with_its_seed(tmp_path: Path, trace_format: str) -> None:
    s = spec(runs=5, chunk=2, traces=True)
    out = run_ensemble(s, tmp_path / "e", progress=False, figures=False)
    table, arrays = load_chunks(s, out)
    traces = read_traces(out)
    assert list(traces.columns) == list(TRACE_COLUMNS)
    ids = sim.run(FLAGSHIP, seed=1, turns=1).actor_ids
    assert len(traces) == 5 * 13 * len(ids)
    for k in (0, 3, 4):  # the first chunk, the middle of one, the last (short) one
        single = sim.run(FLAGSHIP, seed=int(table.seed[k]), turns=12)
        np.testing.assert_allclose(arrays["mean_tension"][k], single.arrays.tension.mean(axis=1))
        assert table.miscalculations[k] == single.summary()["miscalculations"]
        rows = traces[traces.replicate == k]
        assert set(rows.seed) == {single.seed}
        assert list(rows.turn) == [t for t in range(13) for _ in ids]
        assert list(rows.actor) == ids * 13
        wide = rows.pivot(index="turn", columns="actor", values="tension")[ids]
        np.testing.assert_array_equal(wide.to_numpy(), single.arrays.tension)  # exact
        rungs = rows.pivot(index="turn", columns="actor", values="rung")[ids]
        assert rungs.loc[0].isna().all()
        np.testing.assert_array_equal(rungs.loc[1:].to_numpy(dtype=np.int64), single.arrays.rung)


def test_traces_stay_in_chunk_files(tmp_path: Path, trace_format: str) -> None:
    out = run_ensemble(
        spec(runs=20, chunk=8, traces=True), tmp_path / "e", progress=False, figures=False
    )
    assert not list(out.glob("traces*")), "traces must not be gathered into one file"
    assert not list((out / "chunks").glob(".*")), "no temporary file left behind"
    with np.load(out / "paths.npz") as npz:
        assert sorted(npz.files) == ["escalation_index", "mean_tension"]
    for k in range(3):
        with np.load(out / "chunks" / f"paths-{k:05d}.npz") as npz:
            assert sorted(npz.files) == ["escalation_index", "mean_tension"]
    assert read_traces(out).replicate.unique().tolist() == list(range(20))


def test_without_traces_there_are_none(tmp_path: Path) -> None:
    out = run_ensemble(spec(runs=10, chunk=4), tmp_path / "e", progress=False, figures=False)
    assert trace_files(out) == []
    with pytest.raises(RunFolderError, match="--traces"):
        read_traces(out)


def test_csv_and_parquet_traces_hold_the_same_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    s = spec(runs=12, chunk=5, traces=True)
    parquet = read_traces(run_ensemble(s, tmp_path / "parquet", progress=False, figures=False))
    monkeypatch.setattr(ensemble_chunks, "parquet_available", lambda: False)
    csv = read_traces(run_ensemble(s, tmp_path / "csv", progress=False, figures=False))
    pd.testing.assert_frame_equal(parquet, csv)


def test_interrupted_then_resumed_equals_uninterrupted(tmp_path: Path, trace_format: str) -> None:
    s = spec(traces=True)
    whole = run_ensemble(s, tmp_path / "whole", progress=False, figures=False)

    class Stop(Exception):
        pass

    def stop_after_two(k: int) -> None:
        if k == 1:
            raise Stop

    with pytest.raises(Stop):
        run_ensemble(s, tmp_path / "cut", progress=False, figures=False, on_chunk=stop_after_two)
    written = sorted(p.name for p in (tmp_path / "cut" / "chunks").glob("summary-*.csv"))
    assert written == ["summary-00000.csv", "summary-00001.csv"]
    with pytest.raises(RunFolderError, match="--resume"):
        run_ensemble(s, tmp_path / "cut", progress=False, figures=False)
    computed: list[int] = []
    run_ensemble(
        s, tmp_path / "cut", resume=True, progress=False, figures=False, on_chunk=computed.append
    )
    assert computed == [2, 3]  # finished chunks were not redone
    for name in ("summary.csv", "stats.csv"):
        assert (tmp_path / "cut" / name).read_bytes() == (whole / name).read_bytes()
    pd.testing.assert_frame_equal(read_traces(tmp_path / "cut"), read_traces(whole))


def test_resume_after_a_crash_between_trace_and_summary_files(tmp_path: Path) -> None:
    """A trace file without its summary is an unfinished chunk: redone, and replaced."""
    s = spec(runs=30, chunk=10, traces=True)
    whole = run_ensemble(s, tmp_path / "whole", progress=False, figures=False)
    cut = tmp_path / "cut"
    run_ensemble(s, cut, progress=False, figures=False)
    (cut / "chunks" / "summary-00001.csv").unlink()
    (cut / "summary.csv").unlink()
    stale = trace_files(cut)[1]
    stale.write_bytes(b"half-written")
    computed: list[int] = []
    run_ensemble(s, cut, resume=True, progress=False, figures=False, on_chunk=computed.append)
    assert computed == [1]
    assert (cut / "summary.csv").read_bytes() == (whole / "summary.csv").read_bytes()
    pd.testing.assert_frame_equal(read_traces(cut), read_traces(whole))


def test_resume_without_pyarrow_after_parquet_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder may end up with both formats (resumed on another machine): both are read."""
    pytest.importorskip("pyarrow")
    s = spec(runs=30, chunk=10, traces=True)
    whole = run_ensemble(s, tmp_path / "whole", progress=False, figures=False)

    class Stop(Exception):
        pass

    def stop(k: int) -> None:
        if k == 0:
            raise Stop

    with pytest.raises(Stop):
        run_ensemble(s, tmp_path / "cut", progress=False, figures=False, on_chunk=stop)
    monkeypatch.setattr(ensemble_chunks, "parquet_available", lambda: False)
    run_ensemble(s, tmp_path / "cut", resume=True, progress=False, figures=False)
    names = [p.name for p in trace_files(tmp_path / "cut")]
    assert names == ["traces-00000.parquet", "traces-00001.csv", "traces-00002.csv"]
    pd.testing.assert_frame_equal(read_traces(tmp_path / "cut"), read_traces(whole))


def test_resume_refuses_a_different_ensemble(tmp_path: Path) -> None:
    run_ensemble(spec(runs=20), tmp_path / "e", progress=False, figures=False)
    with pytest.raises(RunFolderError, match="different ensemble"):
        run_ensemble(spec(runs=30), tmp_path / "e", resume=True, progress=False, figures=False)


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
        "--traces",
    )
    assert done.returncode == 0, done.stderr
    assert "40 runs of 10 turns, root seed 5" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    traces = [p.relative_to(out).as_posix() for p in trace_files(out)]
    assert traces and set(traces) <= set(manifest["outputs"])
    assert "replicate, seed, turn, actor, tension, rung" in manifest["ensemble"]["traces"]
    assert len(read_traces(out)) == 40 * 11 * len(sim.run(FLAGSHIP, seed=1, turns=1).actor_ids)
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
    local = run_ensemble(s, tmp_path / "local", progress=False, figures=False)
    with dask_executor(None, 2) as (executor, slots):
        assert slots == 2
        remote = run_ensemble(
            s, tmp_path / "dask", workers=slots, executor=executor, progress=False, figures=False
        )
    for name in ("summary.csv", "stats.csv"):
        assert (local / name).read_bytes() == (remote / name).read_bytes()


def test_cli_on_a_local_dask_cluster(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    args = ("--runs", "30", "--turns", "6", "--seed", "4", "--quiet")
    local = run_cli("ensemble", *args, "--out", str(tmp_path / "local"))
    done = run_cli("ensemble", *args, "--dask-local", "2", "--out", str(tmp_path / "dask"))
    assert local.returncode == 0 and done.returncode == 0, done.stderr
    assert "on a local Dask cluster of 2 workers" in done.stdout
    for name in ("summary.csv", "stats.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


class Gated(ThreadPoolExecutor):
    """Holds every task until ``wanted`` have been submitted: fails if fewer are kept in flight."""

    def __init__(self, wanted: int) -> None:
        super().__init__(wanted)
        self.wanted, self.submitted = wanted, 0
        self.gate = threading.Event()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.submitted += 1
        if self.submitted == self.wanted:
            self.gate.set()

        def held() -> Any:
            if not self.gate.wait(10):
                raise AssertionError(f"fewer than {self.wanted} chunks were in flight")
            return fn(*args, **kwargs)

        return super().submit(held)


def test_an_executor_gets_twice_its_workers_in_chunks(tmp_path: Path) -> None:
    """A cluster with W task slots keeps 2W chunks in flight, so none of its slots idles."""
    with Gated(6) as executor:
        out = run_ensemble(
            spec(runs=60, chunk=6), tmp_path / "e", workers=3, executor=executor, figures=False
        )
    assert executor.submitted == 10
    with np.load(out / "paths.npz") as npz:
        assert npz["mean_tension"].shape == (60, 13)


def _thread_names() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate()]


def test_pool_workers_watch_their_parent() -> None:
    """Sweeps and sensitivity runs use this pool: its workers must not outlive a killed parent."""
    from sim.running.pool import default_executor

    executor = default_executor(2)
    assert executor is not None
    with executor:
        assert "sim-watch-parent" in executor.submit(_thread_names).result()
    assert default_executor(1) is None


def test_the_python_api_writes_the_same_complete_folder_as_the_cli(tmp_path: Path) -> None:
    """run_ensemble is the one writer: fan charts and a manifest of every file, from Python too."""
    api = run_ensemble(spec(runs=20, chunk=ensemble.CHUNK, turns=6), tmp_path / "api")
    cli = tmp_path / "cli"
    args = ("--runs", "20", "--seed", "42", "--turns", "6", "--quiet", "--out", str(cli))
    done = run_cli("ensemble", str(FLAGSHIP), *args)
    assert done.returncode == 0, done.stderr

    def listing(out: Path) -> set[str]:
        return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}

    names = listing(api)
    assert names == listing(cli)
    for name in ("fan_tension.png", "fan_tension.svg", "fan_escalation.png", "manifest.json"):
        assert name in names, name
    manifest = json.loads((api / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == names
    assert manifest["ensemble"]["runs"] == 20 and manifest["seed"] == 42
    for name in ("summary.csv", "stats.csv", "paths.npz", "fan_tension.svg"):
        assert (cli / name).read_bytes() == (api / name).read_bytes(), name


def test_sim_ensemble_writes_a_folder_from_a_path_with_its_seed_rule(tmp_path: Path) -> None:
    """sim.ensemble: the Python face of run_ensemble; the seed rule is the CLI's."""
    out = sim.ensemble(FLAGSHIP, runs=6, turns=4, seed=3, out=tmp_path / "e")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["seed_source"] == "given"
    assert manifest["scenario"]["files"][0]["path"] == f"bundled:{FLAGSHIP.stem}"
    assert (out / "fan_escalation.svg").is_file()
    assert list(pd.read_csv(out / "summary.csv").seed) == replicate_seeds(3, 6)


def test_the_progress_bar_counts_runs_and_is_silent_when_off() -> None:
    import io

    from sim.running.progress import progress_bar

    stream = io.StringIO()
    with progress_bar(300, 50, stream=stream) as bar:
        bar.update(250)
    last = stream.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("[" + "#" * 30 + "] 300/300 runs"), last
    silent = io.StringIO()
    with progress_bar(300, stream=silent, enabled=False) as bar:
        bar.update(300)
    assert silent.getvalue() == ""
