"""Ensembles: many replicates of one scenario, in chunks, resumable, in parallel.

``sim ensemble SCENARIO --runs N [--workers W] [--seed S] [--out DIR] [--resume]``

* Replicate seeds come from ``SeedSequence(S).spawn(N)`` (see
  :func:`sim.running.replicates.replicate_seeds`); replicate ``k`` always gets
  the same seed, whatever the number of workers or chunks. Each task derives
  its own chunk's seeds.
* Replicates are grouped in chunks of fixed size, each written atomically as
  ``chunks/summary-<k>.csv`` (the chunk's rows of ``summary.csv``, header
  included) and ``chunks/paths-<k>.npz``. Memory stays flat: a process holds
  one chunk at a time.
* Locally (``--workers W``), this process and ``W - 1`` forked ones (a
  process pool with an explicit start-method *context*, so the caller's
  process-wide start method is never changed) each take the next chunk from a
  shared counter when free, and write it themselves. With any other
  ``concurrent.futures.Executor`` (threads, a Dask cluster), each chunk is one
  task whose result comes back to be written here.
* ``--resume`` skips chunks already on disk (a chunk file exists only when it
  is complete), after checking that the ensemble's parameters are the same.
  An interrupted ensemble, resumed, gives the same files as an uninterrupted
  one.
* At the end: ``summary.csv`` (one row per replicate), ``stats.csv`` (mean,
  standard deviation and quantiles of each outcome), ``paths.npz`` (mean
  tension and escalation index of every replicate, for the fan charts), fan
  charts (median with 50% and 90% bands), and ``manifest.json``.
* With ``traces`` (``--traces``), each chunk also writes every actor's
  per-turn tension and rung as a tidy table, ``chunks/traces-<k>.parquet``
  (``chunks/traces-<k>.csv`` where pyarrow is not installed), written
  atomically before the chunk's summary. One row per replicate x turn x actor
  (see :data:`TRACE_COLUMNS`); the chunk files are the result and are never
  concatenated in memory. :func:`read_traces` reads them back as one table.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
import json
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import files
from sim.errors import RunFolderError
from sim.model.compiled import compile_scenario
from sim.outputs.tables import write_csv
from sim.running.pool import run_shared
from sim.running.replicates import OUTCOMES, replicate_seeds, run_replicates
from sim.scenario.loader import scenario_hash
from sim.scenario.schema import Scenario

CHUNK = 250
"""Replicates per chunk (the unit of work, of writing and of resuming)."""

LAYOUT = 3
"""Version of the chunk files' layout (part of the fingerprint: a folder written
in another layout is not resumed). 2: chunk summaries carry the ``replicate``
column. 3: each chunk ends with a record of its files' digests."""

RECORD_LIMIT = 65_536
"""Largest chunk record read back, in bytes."""


@dataclass(frozen=True, slots=True)
class EnsembleSpec:
    """What an ensemble computes; identical specs give identical results."""

    scenario: Scenario
    runs: int
    root_seed: int
    turns: int
    chunk: int = CHUNK
    traces: bool = False

    @property
    def chunks(self) -> int:
        """Number of chunks."""
        return (self.runs + self.chunk - 1) // self.chunk

    def span(self, k: int) -> tuple[int, int]:
        """Chunk ``k``'s first replicate and its number of replicates (the last may be short)."""
        first = k * self.chunk
        return first, min(self.chunk, self.runs - first)

    def fingerprint(self) -> str:
        """Hash of everything that determines the results (for safe resuming)."""
        text = json.dumps(
            {
                "scenario": scenario_hash(self.scenario),
                "runs": self.runs,
                "root_seed": self.root_seed,
                "turns": self.turns,
                "chunk": self.chunk,
                "traces": self.traces,
                "layout": LAYOUT,
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()


def run_chunk(
    data: dict[str, Any], seeds: Sequence[int], turns: int, traces: bool
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run one chunk of replicates (the task a worker executes).

    Args:
        data: The scenario as plain data (``model_dump``), cheap to send to a worker.
        seeds: Replicate seeds.
        turns: Turns per run.
        traces: Also return per-actor tension and rung paths.

    Returns:
        See :func:`sim.running.replicates.run_replicates`.
    """
    return run_replicates(Scenario.model_validate(data), seeds, turns, traces=traces)


def run_block(
    data: dict[str, Any], root: int, first: int, count: int, turns: int, traces: bool
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run replicates ``first`` to ``first + count - 1`` of root seed ``root`` (an ensemble's task).

    The task derives its replicates' seeds itself
    (:func:`~sim.running.replicates.replicate_seeds` with ``start``), so the
    parent process spawns none and sends only four integers. Otherwise as
    :func:`run_chunk`.
    """
    return run_chunk(data, replicate_seeds(root, count, first), turns, traces)


TRACE_COLUMNS = ("replicate", "seed", "turn", "actor", "tension", "rung")
"""Columns of a trace table: one row per replicate x turn x actor.

``replicate`` is the replicate's index in the whole ensemble and ``seed`` its
seed (``sim run --seed <seed>`` replays it); ``turn`` runs from 0 (the
starting state) to T; ``actor`` is the actor id; ``tension`` is that actor's
tension after the turn; ``rung`` is the rung of the move it played that turn
(missing, ``<NA>``, at turn 0). Rows are ordered by replicate, turn, then
actor in the scenario's actor order.
"""

TRACE_KINDS = ("parquet", "csv")
"""Trace chunk formats, in order of preference."""


def parquet_available() -> bool:
    """True when pyarrow can be imported (traces are then written as Parquet, else CSV)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return True


def _chunk_files(out: Path, k: int) -> tuple[Path, Path]:
    return out / "chunks" / f"summary-{k:05d}.csv", out / "chunks" / f"paths-{k:05d}.npz"


def _trace_file(out: Path, k: int) -> Path | None:
    """Chunk ``k``'s trace file on disk, whichever format it was written in (None if absent)."""
    for kind in TRACE_KINDS:
        path = out / "chunks" / f"traces-{k:05d}.{kind}"
        if path.is_file():
            return path
    return None


def trace_table(
    first: int, seeds: Sequence[int], ids: Sequence[str], tension: np.ndarray, rung: np.ndarray
) -> pd.DataFrame:
    """A chunk's traces as a tidy table (see :data:`TRACE_COLUMNS`).

    Args:
        first: Ensemble index of the chunk's first replicate.
        seeds: The chunk's replicate seeds.
        ids: Actor ids, in array order.
        tension: ``(runs, T + 1, N)`` tension, turn 0 first.
        rung: ``(runs, T, N)`` rung of each actor's move, turns 1..T.
    """
    runs, steps, n = tension.shape
    per_run = steps * n
    rungs = np.zeros((runs, steps, n), dtype=np.int64)
    rungs[:, 1:] = rung
    missing = np.zeros((runs, steps, n), dtype=bool)
    missing[:, 0] = True
    return pd.DataFrame(
        {
            "replicate": np.repeat(np.arange(first, first + runs, dtype=np.int64), per_run),
            "seed": np.repeat(np.asarray(seeds, dtype=np.int64), per_run),
            "turn": np.tile(np.repeat(np.arange(steps, dtype=np.int64), n), runs),
            "actor": np.tile(np.asarray(ids, dtype=object), runs * steps),
            "tension": tension.reshape(-1).astype(np.float64),
            "rung": pd.arrays.IntegerArray(rungs.reshape(-1), missing.reshape(-1)),
        }
    )


def _write_traces(out: Path, k: int, traces: pd.DataFrame) -> None:
    """Write chunk ``k``'s trace table atomically, as Parquet if pyarrow is there, else CSV."""
    kind = "parquet" if parquet_available() else "csv"
    path = out / "chunks" / f"traces-{k:05d}.{kind}"
    for other in TRACE_KINDS:  # a resumed chunk may have been half-done in the other format
        if other != kind:
            path.with_suffix(f".{other}").unlink(missing_ok=True)
    with files.writing(path) as tmp:
        if kind == "parquet":
            traces.to_parquet(tmp, index=False, engine="pyarrow")
        else:  # full precision: the values read back are exactly those computed
            traces.to_csv(tmp, index=False, lineterminator="\n")


def _write_chunk(
    out: Path,
    k: int,
    table: pd.DataFrame,
    arrays: dict[str, np.ndarray],
    traces: pd.DataFrame | None = None,
) -> None:
    """Write one chunk atomically: the summary file appears last, only when the others are whole.

    ``table`` is the chunk's rows of ``summary.csv``, ``replicate`` column first.
    """
    summary, paths = _chunk_files(out, k)
    if traces is not None:
        _write_traces(out, k, traces)
    fan = {name: arrays[name] for name in ("mean_tension", "escalation_index")}
    with files.writing(paths) as tmp:
        np.savez(tmp, **fan)  # type: ignore[arg-type]
    with files.writing(summary) as tmp:
        write_csv(table, tmp)


def _store_chunk(
    out: Path,
    k: int,
    first: int,
    ids: Sequence[str],
    table: pd.DataFrame,
    arrays: dict[str, np.ndarray],
    traces: bool,
    fingerprint: str,
) -> int:
    """Write chunk ``k`` (replicates from ``first`` on) as computed by :func:`run_block`.

    Returns:
        The number of replicates written.
    """
    table.insert(0, "replicate", np.arange(first, first + len(table), dtype=np.int64))
    trace = None
    if traces:
        trace = trace_table(first, table["seed"].tolist(), ids, arrays["tension"], arrays["rung"])
    _write_chunk(out, k, table, arrays, trace)
    _write_record(out, k, fingerprint, traces)
    return len(table)


def run_and_store(spec: EnsembleSpec, out: Path, ids: Sequence[str], k: int) -> int:
    """Compute chunk ``k`` and write it (the task of a local worker); return its replicate count."""
    first, count = spec.span(k)
    seeds = replicate_seeds(spec.root_seed, count, first)
    table, arrays = run_replicates(spec.scenario, seeds, spec.turns, traces=spec.traces)
    return _store_chunk(out, k, first, ids, table, arrays, spec.traces, spec.fingerprint())


def _record_file(out: Path, k: int) -> Path:
    return out / "chunks" / f"record-{k:05d}.json"


def _chunk_paths(out: Path, k: int, traces: bool) -> list[Path]:
    """Chunk ``k``'s data files that exist (summary, paths and, with traces, the trace file)."""
    found = [p for p in _chunk_files(out, k) if p.is_file()]
    trace = _trace_file(out, k) if traces else None
    return found + ([trace] if trace is not None else [])


def _digests(paths: Sequence[Path]) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(files.read_bytes(p, limit=files.RUN_INPUT_LIMIT)).hexdigest()
        for p in paths
    }


def _write_record(out: Path, k: int, fingerprint: str, traces: bool) -> None:
    """Chunk ``k``'s record, written last: the ensemble it belongs to and its files' digests."""
    record = {
        "tool": files.TOOL,
        "fingerprint": fingerprint,
        "chunk": k,
        "sha256": _digests(_chunk_paths(out, k, traces)),
    }
    files.write_atomic(_record_file(out, k), json.dumps(record, indent=1) + "\n")


def chunk_record(spec: EnsembleSpec, out: Path, k: int, fingerprint: str) -> dict[str, str] | None:
    """Chunk ``k``'s digests if its files are whole and belong to this ensemble, else None.

    A chunk is taken only when its record names this ensemble's fingerprint and
    every file's bytes match the record: a chunk of another seed, edited,
    truncated or copied from elsewhere is not taken (it is computed again).
    """
    try:
        record = files.read_json(_record_file(out, k), limit=RECORD_LIMIT, what="chunk record")
    except files.FileProblem:
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
        return None
    if record.get("chunk") != k or not isinstance(record.get("sha256"), dict):
        return None
    paths = _chunk_paths(out, k, spec.traces)
    if len(paths) != 2 + spec.traces:
        return None
    try:
        digests = _digests(paths)
    except files.FileProblem:
        return None
    return digests if digests == record["sha256"] else None


def _done(spec: EnsembleSpec, out: Path, k: int, fingerprint: str) -> bool:
    return chunk_record(spec, out, k, fingerprint) is not None


def replicates_done(spec: EnsembleSpec, out: Path) -> int:
    """How many of the ensemble's replicates are in finished chunks of this ensemble in ``out``."""
    fingerprint = spec.fingerprint()
    return sum(
        spec.span(k)[1] for k in range(spec.chunks) if _done(spec, Path(out), k, fingerprint)
    )


def trace_files(out: Path) -> list[Path]:
    """An ensemble's trace chunk files, in chunk order (empty without ``--traces``)."""
    found: dict[int, Path] = {}
    for kind in reversed(TRACE_KINDS):  # the preferred format wins if both are there
        for path in (Path(out) / "chunks").glob(f"traces-*.{kind}"):
            found[int(path.stem.removeprefix("traces-"))] = path
    return [found[k] for k in sorted(found)]


def read_traces(out: Path) -> pd.DataFrame:
    """All of an ensemble's traces as one tidy table (see :data:`TRACE_COLUMNS`).

    Concatenates ``chunks/traces-<k>.parquet`` (or ``.csv``) in chunk order.
    This holds every trace in memory: for large ensembles, read the chunk files
    (:func:`trace_files`) one at a time, or with a tool that streams Parquet.

    Raises:
        RunFolderError: ``out`` holds no traces (the ensemble ran without ``--traces``).
    """
    files = trace_files(out)
    if not files:
        raise RunFolderError(f"{out} holds no traces: run the ensemble with --traces")
    # pandas 3 parses floats exactly by default (and deprecates float_precision)
    exact = {"float_precision": "round_trip"} if pd.__version__.startswith("2.") else {}
    frames = [
        pd.read_parquet(path)
        if path.suffix == ".parquet"
        else pd.read_csv(path, keep_default_na=False, na_values=[""], **exact)
        for path in files
    ]
    table = pd.concat(frames, ignore_index=True)
    return table.astype(
        {
            "replicate": "int64",
            "seed": "int64",
            "turn": "int64",
            "actor": str,
            "tension": "float64",
            "rung": "Int64",
        }
    )[list(TRACE_COLUMNS)]


class Progress:
    """A one-line progress bar with an ETA on stderr (plain lines when not a terminal)."""

    def __init__(self, total: int, done: int = 0, stream: Any = None) -> None:
        self.total, self.done = total, done
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.first = done
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0

    def update(self, n: int) -> None:
        """Count ``n`` more replicates done and redraw (at most every 0.2 s off a terminal: 2 s)."""
        self.done += n
        now = time.perf_counter()
        if now - self._last < (0.2 if self.tty else 2.0) and self.done < self.total:
            return
        self._last = now
        elapsed = now - self.start
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "." * (width - filled)
        text = (
            f"[{bar}] {self.done}/{self.total} runs  {rate:,.0f} runs/s  ETA {left:,.0f} s"
            if left == left
            else f"[{bar}] {self.done}/{self.total} runs"
        )
        end = "\r" if self.tty and self.done < self.total else "\n"
        self.stream.write(text + end)
        self.stream.flush()


def run_ensemble(
    spec: EnsembleSpec,
    out: Path,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    resume: bool = False,
    progress: bool = True,
    on_chunk: Callable[[int], None] | None = None,
) -> Path:
    """Compute an ensemble into folder ``out`` and return it.

    Args:
        spec: What to compute.
        out: The ensemble folder.
        workers: Processes that compute, this one included: it takes chunks
            alongside ``workers - 1`` forked ones. With an ``executor``: how many
            tasks it runs at once (twice as many chunks are kept in flight).
        executor: Any ``concurrent.futures.Executor`` (e.g. a Dask client's executor).
        resume: Continue an interrupted ensemble in ``out`` instead of refusing it.
        progress: Show a progress bar on stderr.
        on_chunk: Called with each chunk index when it is written (for tests).

    Raises:
        RunFolderError: ``out`` exists and ``resume`` is false, or it holds a
            different ensemble.
    """
    out = Path(out)
    open_folder(out, resume=resume)
    with files.locked(out, "ensemble folder"):
        return _run_locked(spec, out, workers, executor, progress, on_chunk)


STAMP = "ensemble.json"
"""The ensemble's record: the tool's marker, the fingerprint and, once done, the chunks' digests."""


def open_folder(out: Path, *, resume: bool) -> None:
    """Create the ensemble folder ``out``, or check that it is one to resume.

    Raises:
        RunFolderError: ``out`` exists and ``resume`` is false; or it is not a
            folder (or not empty) without being an ensemble folder of this tool.
    """
    out = Path(out)
    if not resume:
        files.check_target(out, force=False, option="--out (or add --resume to continue it)")
    try:
        out.mkdir(parents=True, exist_ok=resume)
    except FileExistsError:
        raise RunFolderError(
            f"{files.shown(out)}: already exists: use --resume to continue it, "
            "or choose another --out"
        ) from None
    except OSError as exc:
        raise RunFolderError(
            f"{files.shown(out)}: cannot create the ensemble folder: {files.explain(exc)}"
        ) from None
    if not out.is_dir() or out.is_symlink():
        raise RunFolderError(f"{files.shown(out)}: is not a folder: choose another --out")
    if not (out / STAMP).exists() and any(p.name != files.LOCK_FILE for p in out.iterdir()):
        raise RunFolderError(
            f"{files.shown(out)}: is not an ensemble folder that sim wrote (no {STAMP}): "
            "--resume writes only into its own folders; choose another --out"
        )


def _read_stamp(out: Path) -> dict[str, Any]:
    data = files.read_json(out / STAMP, limit=files.MANIFEST_LIMIT, what="ensemble record")
    if not isinstance(data, dict):
        raise RunFolderError(f"{files.shown(out / STAMP)}: not an ensemble record of sim")
    return data


def _clean_temporaries(out: Path) -> None:
    """Remove temporary files an interrupted writer of this (locked) folder left behind."""
    for folder in (out, out / "chunks"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp*"):
                if path.is_file() and not path.is_symlink():
                    path.unlink(missing_ok=True)
    for path in out.glob(".figures-*"):  # fan charts being drawn when it stopped
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _run_locked(
    spec: EnsembleSpec,
    out: Path,
    workers: int,
    executor: Executor | None,
    progress: bool,
    on_chunk: Callable[[int], None] | None,
) -> Path:
    fingerprint = spec.fingerprint()
    stamp = out / STAMP
    if stamp.exists():
        try:
            previous = _read_stamp(out)
        except files.FileProblem as exc:
            raise RunFolderError(
                f"{exc}; this ensemble folder's record is damaged: choose another --out"
            ) from None
        if previous.get("fingerprint") != fingerprint:
            raise RunFolderError(
                f"{files.shown(out)} holds a different ensemble (its scenario, seed, runs or "
                "turns, or the version of sim that wrote it, differ); "
                "resume it with the same arguments, or choose another --out"
            )
    _clean_temporaries(out)
    try:
        (out / "chunks").mkdir(exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"{files.shown(out)}: cannot write: {files.explain(exc)}") from None
    files.write_atomic(stamp, json.dumps(_stamp(spec, fingerprint), indent=2) + "\n")

    todo = [k for k in range(spec.chunks) if not _done(spec, out, k, fingerprint)]
    done_runs = spec.runs - sum(spec.span(k)[1] for k in todo)
    bar = Progress(spec.runs, done_runs) if progress else None

    ids = compile_scenario(spec.scenario).ids

    def stored(k: int) -> None:
        if on_chunk is not None:
            on_chunk(k)

    def shown(written: int) -> None:
        if bar is not None:
            bar.update(done_runs + written - bar.done)

    if executor is None:  # local: this process and workers - 1 forked ones share the chunks
        compute = functools.partial(run_and_store, spec, out, tuple(ids))
        if workers > 1 and len(todo) > 1:
            workers = min(workers, len(todo))
            pool = run_shared(compute, todo, workers, on_item=stored, on_count=shown)
            try:
                _combine(spec, out, fingerprint)
            finally:  # the idle workers exit while the caller goes on
                if pool is not None:
                    pool.shutdown(wait=False)
            return out
        written = 0
        for k in todo:
            written += compute(k)
            stored(k)
            shown(written)
        _combine(spec, out, fingerprint)
        return out

    # Any other executor (threads, a Dask cluster): one task per chunk. A
    # remote worker may not share this file system, so it sends its chunk back;
    # it gets the scenario as plain data, cheap to send.
    data = spec.scenario.model_dump(mode="python")
    pending: dict[Future[Any], int] = {}
    queue = list(todo)
    written = 0
    while queue or pending:
        while queue and len(pending) < 2 * max(1, workers):
            k = queue.pop(0)
            task = (data, spec.root_seed, *spec.span(k), spec.turns, spec.traces)
            pending[executor.submit(run_block, *task)] = k
        finished = next(iter(_as_completed(pending)))
        k = pending.pop(finished)
        table, arrays = finished.result()
        written += _store_chunk(
            out, k, spec.span(k)[0], ids, table, arrays, spec.traces, fingerprint
        )
        stored(k)
        shown(written)
    _combine(spec, out, fingerprint)
    return out


def _as_completed(futures: dict[Future[Any], int]) -> Any:
    from concurrent.futures import FIRST_COMPLETED

    done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
    # deterministic pick among those finished: the lowest chunk index
    return [min(done, key=lambda f: futures[f])]


def _stamp(spec: EnsembleSpec, fingerprint: str) -> dict[str, Any]:
    return {
        "tool": files.TOOL,
        "fingerprint": fingerprint,
        "runs": spec.runs,
        "root_seed": spec.root_seed,
        "turns": spec.turns,
        "chunk": spec.chunk,
    }


def _chunk_bytes(out: Path, path: Path) -> bytes:
    return files.read_inside(out, path.relative_to(out), what="ensemble chunk")


def _summary_text(spec: EnsembleSpec, out: Path) -> bytes:
    """``summary.csv``: the chunk summaries joined, one header (they are its slices)."""
    header = b""
    bodies = []
    for k in range(spec.chunks):
        text = _chunk_bytes(out, _chunk_files(out, k)[0])
        first, _, body = text.partition(b"\n")
        if header and first != header:
            raise RunFolderError(f"{out}: chunk {k} has other columns than chunk 0")
        header = first
        bodies.append(body)
    return b"\n".join([header, b"".join(bodies)])


def _paths(spec: EnsembleSpec, out: Path) -> dict[str, np.ndarray]:
    arrays = []
    for k in range(spec.chunks):
        data = _chunk_bytes(out, _chunk_files(out, k)[1])
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays.append({name: npz[name] for name in npz.files})
        except (ValueError, OSError, KeyError, EOFError) as exc:
            raise RunFolderError(
                f"{files.shown(_chunk_files(out, k)[1])}: not a chunk of sim ({exc}): "
                "run the ensemble again into a new --out"
            ) from None
    return {name: np.concatenate([a[name] for a in arrays]) for name in arrays[0]}


def load_chunks(spec: EnsembleSpec, out: Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """All chunks' summaries and fan-chart paths, in replicate order (see also read_traces)."""
    return pd.read_csv(io.BytesIO(_summary_text(spec, out))), _paths(spec, out)


def statistics(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and 5/25/50/75/95% quantiles of each outcome."""
    rows = []
    for name in OUTCOMES:
        v = table[name].to_numpy(float)
        q = np.percentile(v, [5, 25, 50, 75, 95])
        rows.append(
            {
                "outcome": name,
                "mean": v.mean(),
                "sd": v.std(ddof=1) if len(v) > 1 else 0.0,
                "q05": q[0],
                "q25": q[1],
                "median": q[2],
                "q75": q[3],
                "q95": q[4],
            }
        )
    return pd.DataFrame(rows)


def _combine(spec: EnsembleSpec, out: Path, fingerprint: str) -> None:
    """Join the chunks into summary.csv, stats.csv and paths.npz; record every chunk's digests."""
    digests = {}
    for k in range(spec.chunks):
        record = chunk_record(spec, out, k, fingerprint)
        if record is None:
            raise RunFolderError(
                f"{files.shown(out)}: chunk {k} changed or vanished while the ensemble ran: "
                "run the command again with --resume to recompute it"
            )
        digests[f"{k:05d}"] = record
    text = _summary_text(spec, out)
    arrays = _paths(spec, out)
    files.write_atomic(out / "summary.csv", text)
    with files.writing(out / "stats.csv") as tmp:
        write_csv(statistics(pd.read_csv(io.BytesIO(text))), tmp)
    with files.writing(out / "paths.npz") as tmp:
        np.savez(
            tmp, mean_tension=arrays["mean_tension"], escalation_index=arrays["escalation_index"]
        )
    files.write_atomic(
        out / STAMP, json.dumps({**_stamp(spec, fingerprint), "chunks": digests}, indent=2) + "\n"
    )
