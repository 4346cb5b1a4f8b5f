"""The ensemble folder's own outputs: fan charts and the manifest, written once the chunks are in.

The chunks, ``summary.csv``, ``stats.csv`` and ``paths.npz`` are written by
:func:`sim.running.ensemble.run_ensemble`; this adds what a person looks at
(the fan charts) and ``manifest.json``, which lists every file of the folder
(relative paths), so the folder is recognisably this tool's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from sim import files
from sim.running.ensemble import STAMP, EnsembleSpec, trace_files

FIGURES_TEMP = ".figures-"
"""Prefix of the temporary folder the fan charts are drawn in (inside the ensemble folder)."""


def write_ensemble_outputs(
    spec: EnsembleSpec,
    out: Path,
    *,
    files_read: list[Path],
    seed_source: str,
    overrides: list[str],
    command: list[str],
) -> Path:
    """Draw the fan charts and write ``manifest.json`` into a finished ensemble folder.

    Call it while holding the folder's lock (:func:`sim.files.locked`), as
    ``sim ensemble`` does.

    Returns:
        The manifest's path.
    """
    from sim.outputs.figures import save_figure
    from sim.running.manifest import build_manifest
    from sim.scenario.loader import scenario_hash

    data = files.read_inside(out, "paths.npz", what="ensemble paths")
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    title = spec.scenario.metadata.title
    charts = (
        ("fan_tension", "mean_tension", "mean tension over actors (0–1)", 0, "mean tension"),
        ("fan_escalation", "escalation_index", "escalation index (0–1)", 1, "escalation index"),
    )
    drawing = Path(tempfile.mkdtemp(prefix=FIGURES_TEMP, dir=out))
    try:
        for name, key, ylabel, first, what in charts:
            fig = fan_figure(arrays[key], f"{title} — {what} over {spec.runs} runs", ylabel, first)
            for path in save_figure(fig, drawing, name):
                os.replace(path, out / path.name)
    except OSError as exc:
        raise files.FileProblem(
            f"{files.shown(out)}: cannot write the fan charts: {files.explain(exc)}"
        ) from None
    finally:
        shutil.rmtree(drawing, ignore_errors=True)  # this call's own temporary folder
    manifest = build_manifest(
        seed=spec.root_seed,
        seed_source=seed_source,
        scenario_id=spec.scenario.id,
        title=title,
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
            "sim.running.ensemble.read_traces)"
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
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5.5))
    fig.set_layout_engine("constrained")
    ax = fig.add_subplot()
    turns = np.arange(first_turn, first_turn + values.shape[1])
    q5, q25, q50, q75, q95 = np.percentile(values, [5, 25, 50, 75, 95], axis=0)
    ax.fill_between(turns, q5, q95, color="#0072B2", alpha=0.18, lw=0, label="90% of runs")
    ax.fill_between(turns, q25, q75, color="#0072B2", alpha=0.35, lw=0, label="50% of runs")
    ax.plot(turns, q50, color="#0072B2", lw=2.4, label="median")
    ax.set_ylim(0, 1)
    ax.set_xlim(turns[0], turns[-1])
    ax.set_xlabel("turn", fontsize=12)
    ax.set_ylabel(ylabel, fontsize=12)
    ax.set_title(title, fontsize=13)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=10)
    return fig
