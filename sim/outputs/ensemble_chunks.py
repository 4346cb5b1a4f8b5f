"""An ensemble's chunk files: written atomically, checked by digest, read back.

Each chunk ``k`` of an ensemble folder is::

    chunks/summary-<k>.csv     the chunk's rows of summary.csv, header included
    chunks/paths-<k>.npz       mean tension and escalation index per replicate and turn
    chunks/traces-<k>.parquet  with traces: every actor's tension and rung per turn
                               (.csv where pyarrow is not installed)
    chunks/record-<k>.json     written last: the ensemble's fingerprint and the
                               SHA-256 of each file above

A chunk counts as done only when its record names this ensemble and every
file's bytes match it, so a chunk cut short, edited, or copied from another
ensemble is computed again on ``--resume``. Trace files are the result and are
never gathered into one file: :func:`read_traces` reads them back as one table.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim import files
from sim.errors import RunFolderError
from sim.outputs.tables import write_csv
from sim.running.ensemble import TRACE_COLUMNS, EnsembleSpec, trace_table

TRACE_KINDS = ("parquet", "csv")
"""Trace chunk formats, in order of preference."""

RECORD_LIMIT = 65_536
"""Largest chunk record read back, in bytes."""

FAN_ARRAYS = ("mean_tension", "escalation_index")
"""The per-replicate paths kept for the fan charts (``paths-<k>.npz`` and ``paths.npz``)."""


def parquet_available() -> bool:
    """True when pyarrow can be imported (traces are then written as Parquet, else CSV)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return True


def chunk_files(out: Path, k: int) -> tuple[Path, Path]:
    """Chunk ``k``'s summary and paths files."""
    return out / "chunks" / f"summary-{k:05d}.csv", out / "chunks" / f"paths-{k:05d}.npz"


def _trace_file(out: Path, k: int) -> Path | None:
    """Chunk ``k``'s trace file on disk, whichever format it was written in (None if absent)."""
    for kind in TRACE_KINDS:
        path = out / "chunks" / f"traces-{k:05d}.{kind}"
        if path.is_file():
            return path
    return None


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
    summary, paths = chunk_files(out, k)
    if traces is not None:
        _write_traces(out, k, traces)
    fan = {name: arrays[name] for name in FAN_ARRAYS}
    with files.writing(paths) as tmp:
        np.savez(tmp, **fan)  # type: ignore[arg-type]
    with files.writing(summary) as tmp:
        write_csv(table, tmp)


def store_chunk(
    out: Path,
    ids: Sequence[str],
    traces: bool,
    fingerprint: str,
    chunk: int,
    k: int,
    table: pd.DataFrame,
    arrays: dict[str, np.ndarray],
) -> int:
    """Write chunk ``k`` as computed (a :data:`sim.running.ensemble.Store`, once partly applied).

    Args:
        out: The ensemble folder.
        ids: Actor ids, in array order (for the traces).
        traces: Write the chunk's trace table too.
        fingerprint: The ensemble's fingerprint (for the chunk's record).
        chunk: Replicates per chunk (chunk ``k`` starts at replicate ``k * chunk``).
        k: The chunk.
        table: Its summary rows (see :func:`sim.running.replicates.run_replicates`).
        arrays: Its paths (the same).

    Returns:
        The number of replicates written.
    """
    first = k * chunk
    table.insert(0, "replicate", np.arange(first, first + len(table), dtype=np.int64))
    trace = None
    if traces:
        trace = trace_table(first, table["seed"].tolist(), ids, arrays["tension"], arrays["rung"])
    _write_chunk(out, k, table, arrays, trace)
    _write_record(out, k, fingerprint, traces)
    return len(table)


def _record_file(out: Path, k: int) -> Path:
    return out / "chunks" / f"record-{k:05d}.json"


def _chunk_paths(out: Path, k: int, traces: bool) -> list[Path]:
    """Chunk ``k``'s data files that exist (summary, paths and, with traces, the trace file)."""
    found = [p for p in chunk_files(out, k) if p.is_file()]
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


def chunk_done(spec: EnsembleSpec, out: Path, k: int, fingerprint: str) -> bool:
    """True when chunk ``k`` of this ensemble is whole in ``out`` (see :func:`chunk_record`)."""
    return chunk_record(spec, out, k, fingerprint) is not None


def replicates_done(spec: EnsembleSpec, out: Path) -> int:
    """How many of the ensemble's replicates are in finished chunks of this ensemble in ``out``."""
    fingerprint = spec.fingerprint()
    return sum(
        spec.span(k)[1] for k in range(spec.chunks) if chunk_done(spec, Path(out), k, fingerprint)
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
    found = trace_files(out)
    if not found:
        raise RunFolderError(f"{out} holds no traces: run the ensemble with --traces")
    # pandas 3 parses floats exactly by default (and deprecates float_precision)
    exact = {"float_precision": "round_trip"} if pd.__version__.startswith("2.") else {}
    frames = [
        pd.read_parquet(path)
        if path.suffix == ".parquet"
        else pd.read_csv(path, keep_default_na=False, na_values=[""], **exact)
        for path in found
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


def _chunk_bytes(out: Path, path: Path) -> bytes:
    return files.read_inside(out, path.relative_to(out), what="ensemble chunk")


def summary_text(spec: EnsembleSpec, out: Path) -> bytes:
    """``summary.csv``: the chunk summaries joined, one header (they are its slices)."""
    header = b""
    bodies = []
    for k in range(spec.chunks):
        text = _chunk_bytes(out, chunk_files(out, k)[0])
        first, _, body = text.partition(b"\n")
        if header and first != header:
            raise RunFolderError(f"{out}: chunk {k} has other columns than chunk 0")
        header = first
        bodies.append(body)
    return b"\n".join([header, b"".join(bodies)])


def chunk_paths(spec: EnsembleSpec, out: Path) -> dict[str, np.ndarray]:
    """Every chunk's fan-chart paths joined, in replicate order."""
    arrays = []
    for k in range(spec.chunks):
        data = _chunk_bytes(out, chunk_files(out, k)[1])
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays.append({name: npz[name] for name in npz.files})
        except (ValueError, OSError, KeyError, EOFError) as exc:
            raise RunFolderError(
                f"{files.shown(chunk_files(out, k)[1])}: not a chunk of sim ({exc}): "
                "run the ensemble again into a new --out"
            ) from None
    return {name: np.concatenate([a[name] for a in arrays]) for name in arrays[0]}


def load_chunks(spec: EnsembleSpec, out: Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """All chunks' summaries and fan-chart paths, in replicate order (see also read_traces)."""
    return pd.read_csv(io.BytesIO(summary_text(spec, out))), chunk_paths(spec, out)
