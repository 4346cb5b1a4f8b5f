"""Write an ensemble folder, complete: chunks, tables, fan charts and manifest.

:func:`run_ensemble` is the one way an ensemble folder is written, by
``sim ensemble`` and from Python alike. It computes the chunks with
:mod:`sim.running.ensemble` and writes, all through :mod:`sim.files`
(atomically: a file is whole or absent)::

    <out>/
      ensemble.json         the ensemble's record: fingerprint, then every chunk's digests
      chunks/               summary-<k>.csv, paths-<k>.npz, traces-<k>.* and record-<k>.json
                            (see sim.outputs.ensemble_chunks)
      summary.csv           one row per replicate
      stats.csv             mean, sd and 5/25/50/75/95% quantiles of each outcome
      paths.npz             mean tension and escalation index of every replicate
      fan_tension.png/.svg, fan_escalation.png/.svg
                            median with 50% and 90% bands
      manifest.json         seed, versions, command, and every file of the folder

``resume`` skips chunks already on disk (a chunk counts once its record is
written), after checking that the ensemble's parameters are the same. An
interrupted ensemble, resumed, gives the same files as an uninterrupted one.
The folder is locked while it is written (:func:`sim.files.locked`).

Example::

    import sim
    from sim.running.ensemble import EnsembleSpec
    from sim.outputs.ensemble_folder import run_ensemble

    spec = EnsembleSpec(sim.load_scenario("scenarios/my_scenario.yaml"), 500, 1, 20)
    run_ensemble(spec, Path("runs/my-500"), workers=2)
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import files
from sim.errors import RunFolderError
from sim.model.compiled import compile_scenario
from sim.outputs.ensemble_chunks import (
    FAN_ARRAYS,
    chunk_done,
    chunk_paths,
    chunk_record,
    store_chunk,
    summary_text,
    trace_files,
)
from sim.outputs.tables import write_csv
from sim.running.ensemble import EnsembleSpec, compute_chunks, statistics
from sim.running.progress import progress_bar

STAMP = "ensemble.json"
"""The ensemble's record: the tool's marker, the fingerprint and, once done, the chunks' digests."""

FIGURES_TEMP = ".figures-"
_FIGURES_TEMP_NAME = re.compile(re.escape(FIGURES_TEMP) + r"[a-z0-9_]{8}")  # mkdtemp's names
"""Prefix of the temporary folder the fan charts are drawn in (inside the ensemble folder)."""


def run_ensemble(
    spec: EnsembleSpec,
    out: Path,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    resume: bool = False,
    progress: bool = True,
    on_chunk: Callable[[int], None] | None = None,
    figures: bool = True,
    files_read: Sequence[Path] = (),
    seed_source: str = "given",
    overrides: Sequence[str] = (),
    command: Sequence[str] = (),
    on_computed: Callable[[], None] | None = None,
) -> Path:
    """Compute an ensemble and write its whole folder ``out``; return it.

    Args:
        spec: What to compute.
        out: The ensemble folder.
        workers: Processes that compute, this one included (see
            :func:`sim.running.ensemble.compute_chunks`).
        executor: Any ``concurrent.futures.Executor`` (e.g. a Dask client's executor).
        resume: Continue an interrupted ensemble in ``out`` instead of refusing it.
        progress: Show a progress bar on stderr.
        on_chunk: Called with each chunk index when it is written (for tests).
        figures: Draw the fan charts (matplotlib; the slowest part of a small ensemble).
        files_read: Scenario files read (for the manifest).
        seed_source: How the root seed was chosen (see :mod:`sim.running.seeds`).
        overrides: ``--set`` overrides applied.
        command: The command line to record.
        on_computed: Called once the chunks are joined, before fan charts and manifest.

    Raises:
        RunFolderError: ``out`` exists and ``resume`` is false, or it holds a
            different ensemble.
        FileProblem: a file cannot be written (what is done is kept for ``resume``).
    """
    out = Path(out)
    open_folder(out, resume=resume)
    with files.locked(out, "ensemble folder"):
        _compute_into(spec, out, workers, executor, progress, on_chunk)
        if on_computed is not None:
            on_computed()
        write_ensemble_outputs(
            spec,
            out,
            files_read=list(files_read),
            seed_source=seed_source,
            overrides=list(overrides),
            command=list(command),
            figures=figures,
        )
    return out


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


def _stamp(spec: EnsembleSpec, fingerprint: str) -> dict[str, Any]:
    return {
        "tool": files.TOOL,
        "fingerprint": fingerprint,
        "runs": spec.runs,
        "root_seed": spec.root_seed,
        "turns": spec.turns,
        "chunk": spec.chunk,
    }


def _clean_temporaries(out: Path) -> None:
    """Remove temporary files an interrupted writer of this (locked) folder left behind."""
    for folder in (out, out / "chunks"):
        for path in files.temporaries(folder):
            path.unlink(missing_ok=True)
    for path in out.iterdir():  # fan charts being drawn when it stopped
        if _FIGURES_TEMP_NAME.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _compute_into(
    spec: EnsembleSpec,
    out: Path,
    workers: int,
    executor: Executor | None,
    progress: bool,
    on_chunk: Callable[[int], None] | None,
) -> None:
    """Compute the chunks not yet on disk into ``out`` (locked), then join them."""
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

    todo = [k for k in range(spec.chunks) if not chunk_done(spec, out, k, fingerprint)]
    done_runs = spec.runs - sum(spec.span(k)[1] for k in todo)
    ids = tuple(compile_scenario(spec.scenario).ids)
    store = functools.partial(store_chunk, out, ids, spec.traces, fingerprint, spec.chunk)
    with progress_bar(spec.runs, done_runs, enabled=progress) as bar:

        def shown(written: int) -> None:
            bar.update(done_runs + written - bar.n)

        compute_chunks(
            spec, todo, store, workers=workers, executor=executor, on_chunk=on_chunk, on_count=shown
        )
    _combine(spec, out, fingerprint)


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
    text = summary_text(spec, out)
    arrays = chunk_paths(spec, out)
    files.write_atomic(out / "summary.csv", text)
    with files.writing(out / "stats.csv") as tmp:
        write_csv(statistics(pd.read_csv(io.BytesIO(text))), tmp)
    with files.writing(out / "paths.npz") as tmp:
        np.savez(tmp, **{name: arrays[name] for name in FAN_ARRAYS})  # type: ignore[arg-type]
    files.write_atomic(
        out / STAMP, json.dumps({**_stamp(spec, fingerprint), "chunks": digests}, indent=2) + "\n"
    )


FAN_CHARTS = (
    ("fan_tension", "mean_tension", "mean tension over actors (0–1)", 0, "mean tension"),
    ("fan_escalation", "escalation_index", "escalation index (0–1)", 1, "escalation index"),
)
"""The fan charts: file stem, array in paths.npz, y label, first turn, what it shows."""


def _draw_fan_charts(spec: EnsembleSpec, out: Path) -> None:
    """Draw the fan charts from ``paths.npz``; each file appears whole (drawn aside, renamed)."""
    from sim.outputs.figures import save_figure

    data = files.read_inside(out, "paths.npz", what="ensemble paths")
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    title = spec.scenario.metadata.title
    drawing = Path(tempfile.mkdtemp(prefix=FIGURES_TEMP, dir=out))
    try:
        for name, key, ylabel, first, what in FAN_CHARTS:
            fig = fan_figure(arrays[key], f"{title} — {what} over {spec.runs} runs", ylabel, first)
            for path in save_figure(fig, drawing, name):
                os.replace(path, out / path.name)
    except OSError as exc:
        raise files.FileProblem(
            f"{files.shown(out)}: cannot write the fan charts: {files.explain(exc)}"
        ) from None
    finally:
        shutil.rmtree(drawing, ignore_errors=True)  # this call's own temporary folder


def write_ensemble_outputs(
    spec: EnsembleSpec,
    out: Path,
    *,
    files_read: list[Path],
    seed_source: str,
    overrides: list[str],
    command: list[str],
    figures: bool = True,
) -> Path:
    """Draw the fan charts and write ``manifest.json`` into a finished ensemble folder.

    Called by :func:`run_ensemble`, holding the folder's lock. The manifest
    lists every file of the folder (relative paths), so the folder is
    recognisably this tool's.

    Returns:
        The manifest's path.
    """
    from sim.outputs.manifest import build_manifest
    from sim.scenario.loader import scenario_hash

    if figures:
        _draw_fan_charts(spec, out)
    manifest = build_manifest(
        seed=spec.root_seed,
        seed_source=seed_source,
        scenario_id=spec.scenario.id,
        title=spec.scenario.metadata.title,
        files=files_read,
        scenario_hash=scenario_hash(spec.scenario),
        turns=spec.turns,
        overrides=overrides,
        command=command,
        folder=out,
    )
    manifest["ensemble"] = {
        "runs": spec.runs,
        "root_seed": spec.root_seed,
        "replicate_seeds": "SeedSequence(root).spawn(runs)",
        "chunk": spec.chunk,
        "fingerprint": spec.fingerprint(),
        "record": f"{STAMP}: every chunk's SHA-256 digests",
    }
    if spec.traces:
        manifest["ensemble"]["traces"] = (
            "chunks/traces-<k>.parquet (or .csv): one row per replicate, turn and actor; "
            "columns replicate, seed, turn, actor, tension, rung (read with "
            "sim.outputs.ensemble_chunks.read_traces)"
        )
        manifest["ensemble"]["trace_files"] = [
            p.relative_to(out).as_posix() for p in trace_files(out)
        ]
    listed = sorted(
        (Path(root) / name).relative_to(out).as_posix()
        for root, _, names in os.walk(out)
        for name in names
        if not name.startswith(".") or name == files.LOCK_FILE
    )
    manifest["tool"] = files.TOOL
    manifest["outputs"] = sorted({*listed, files.MANIFEST})
    return files.write_atomic(out / files.MANIFEST, json.dumps(manifest, indent=2) + "\n")


def fan_figure(values: np.ndarray, title: str, ylabel: str, first_turn: int = 0) -> Any:
    """A fan chart: median with 50% and 90% bands over replicates (rows) per turn (columns)."""
    from sim.outputs import style

    fig, ax = style.chart()
    turns = np.arange(first_turn, first_turn + values.shape[1])
    q = list(style.quantiles(values))  # its rows
    style.bands(ax, turns, q)
    style.median(ax, turns, q, width=style.FAN_MEDIAN_WIDTH)
    ax.set_ylim(0, 1)
    ax.set_xlim(turns[0], turns[-1])
    style.finish(ax, "turn", ylabel, title)
    return fig
