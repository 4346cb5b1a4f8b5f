"""Parameter sweeps: a grid over one or more scenario values, replicates at each point.

``sim sweep SCENARIO --param dotted.path=start:stop:steps [...] --runs N``

Every grid point runs the same N replicate seeds (common random numbers), so
differences along the grid come from the parameter, not from luck. Results
are tidy: one row per (grid point, replicate) with a column per parameter.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UsageError
from sim.running.ensemble import run_chunk
from sim.running.pool import default_executor
from sim.running.replicates import replicate_seeds
from sim.scenario.loader import read_scenario


@dataclass(frozen=True, slots=True)
class Axis:
    """One swept parameter: a dotted path and its values."""

    path: str
    values: tuple[float, ...]


def parse_param(text: str) -> Axis:
    """Parse ``dotted.path=start:stop:steps`` (inclusive, evenly spaced) or ``path=a,b,c``.

    Raises:
        UsageError: the text is malformed.
    """
    if "=" not in text:
        raise UsageError(f"--param {text!r}: expected dotted.path=start:stop:steps")
    path, _, spec = text.partition("=")
    path = path.strip()
    try:
        if ":" in spec:
            start, stop, steps = spec.split(":")
            n = int(steps)
            if n < 1 or n > 1000:
                raise ValueError
            values = tuple(float(v) for v in np.linspace(float(start), float(stop), n))
        else:
            values = tuple(float(v) for v in spec.split(","))
    except ValueError:
        raise UsageError(
            f"--param {text!r}: expected numbers as start:stop:steps (1-1000 steps) or a,b,c"
        ) from None
    if not path:
        raise UsageError(f"--param {text!r}: the path before '=' is empty")
    return Axis(path, tuple(round(v, 10) for v in values))


def refuse_repeats(paths: Sequence[str], option: str) -> None:
    """Refuse a parameter named twice (a grid or a sample needs each once).

    Raises:
        UsageError: naming the repeated parameter.
    """
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise UsageError(f"{option} {path}: this parameter is given twice: give it once")
        seen.add(path)


def run_sweep(
    scenario_path: Path,
    axes: Sequence[Axis],
    *,
    runs: int,
    root_seed: int,
    turns: int | None = None,
    overrides: Sequence[str] = (),
    workers: int = 1,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """Run the grid and return the tidy table (one row per grid point and replicate).

    Every grid point's scenario is validated first, so a value out of range is
    reported (file, field, message) before anything runs.

    Raises:
        UsageError: a parameter is given twice.
    """
    refuse_repeats([axis.path for axis in axes], "--param")
    seeds = replicate_seeds(root_seed, runs)
    points = list(itertools.product(*(axis.values for axis in axes)))
    loaded = read_scenario(scenario_path)
    jobs = []
    for point in points:
        sets = [f"{axis.path}={value!r}" for axis, value in zip(axes, point, strict=True)]
        scenario = loaded.with_overrides([*overrides, *sets])
        jobs.append((point, scenario.model_dump(mode="python"), turns or scenario.turns))
    own = executor is None and workers > 1
    pool = executor if executor is not None else default_executor(workers)
    frames = []
    try:
        if pool is None:
            results = [run_chunk(data, seeds, t, False) for _, data, t in jobs]
        else:
            futures = [pool.submit(run_chunk, data, seeds, t, False) for _, data, t in jobs]
            results = [f.result() for f in futures]
    finally:
        if own and pool is not None:
            pool.shutdown()
    for (point, _, _), (table, _) in zip(jobs, results, strict=True):
        table = table.copy()
        table.insert(0, "replicate", np.arange(len(table)))
        for k, (axis, value) in enumerate(zip(axes, point, strict=True)):
            table.insert(k, axis.path, value)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
