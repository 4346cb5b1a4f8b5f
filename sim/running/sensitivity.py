"""Global sensitivity analysis (Morris screening or Sobol indices) with SALib.

``sim sensitivity SCENARIO --method morris|sobol --params path=low:high ... --outcome NAME``

SALib (an optional extra: ``pip install -e .[sensitivity]``) draws the
parameter sets; each set is run on the same few replicate seeds and the
outcome averaged, so the indices measure the parameters' effect rather than
seed noise. Morris gives mu* (mean absolute elementary effect: how much a
parameter moves the outcome) and sigma (interactions and non-linearity);
Sobol gives first-order S1 (the share of the outcome's variance a parameter
explains alone) and total ST (including its interactions), with confidence
intervals from bootstrap resampling. All seeds are explicit: the samplers and
the bootstrap take the root seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UsageError
from sim.running.ensemble import run_chunk
from sim.running.pool import default_executor
from sim.running.replicates import replicate_seeds
from sim.running.sweep import refuse_repeats
from sim.scenario.loader import read_scenario


@dataclass(frozen=True, slots=True)
class Bound:
    """A parameter and its range."""

    path: str
    low: float
    high: float


def parse_bound(text: str) -> Bound:
    """Parse ``dotted.path=low:high``.

    Raises:
        UsageError: the text is malformed or low >= high.
    """
    path, _, spec = text.partition("=")
    try:
        low_text, high_text = spec.split(":")
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise UsageError(f"--params {text!r}: expected dotted.path=low:high") from None
    if not path.strip() or not low < high:
        raise UsageError(f"--params {text!r}: expected a path and low < high")
    return Bound(path.strip(), low, high)


def _salib() -> Any:
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise UsageError(
            "sensitivity analysis needs SALib: pip install -e '.[sensitivity]' "
            "(or ./dev pip install SALib)"
        ) from None
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    return morris_sample, morris_analyze, sobol_sample, sobol_analyze


def analyse(
    scenario_path: Path,
    bounds: Sequence[Bound],
    *,
    method: str,
    outcome: str,
    samples: int,
    replicates: int,
    root_seed: int,
    turns: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the analysis; return (indices table, evaluated samples table).

    Args:
        scenario_path: The scenario file.
        bounds: Parameters and ranges.
        method: 'morris' or 'sobol'.
        outcome: A summary column (see :data:`sim.running.ensemble.OUTCOMES`).
        samples: SALib's N (Morris trajectories, or Sobol base samples: a power of 2).
        replicates: Seeds averaged per parameter set.
        root_seed: Root of the replicate seeds and of SALib's sampler and bootstrap.
        turns: Turns per run (default: the scenario's).
        workers: Processes for the default executor.
        executor: Any ``concurrent.futures.Executor``.
    """
    refuse_repeats([b.path for b in bounds], "--params")
    morris_sample, morris_analyze, sobol_sample, sobol_analyze = _salib()
    problem = {
        "num_vars": len(bounds),
        "names": [b.path for b in bounds],
        "bounds": [[b.low, b.high] for b in bounds],
    }
    if method == "morris":
        x = morris_sample.sample(problem, samples, num_levels=4, seed=root_seed)
    elif method == "sobol":
        if samples & (samples - 1):
            raise UsageError("--samples for sobol must be a power of 2 (e.g. 64, 128)")
        x = sobol_sample.sample(problem, samples, calc_second_order=False, seed=root_seed)
    else:
        raise UsageError(f"--method {method!r}: choose morris or sobol")
    seeds = replicate_seeds(root_seed, replicates)
    loaded = read_scenario(scenario_path)
    jobs = []
    for row in x:
        sets = [f"{b.path}={float(v)!r}" for b, v in zip(bounds, row, strict=True)]
        scenario = loaded.with_overrides(sets)
        jobs.append((scenario.model_dump(mode="python"), turns or scenario.turns))
    own = executor is None and workers > 1
    pool = executor if executor is not None else default_executor(workers)
    try:
        if pool is None:
            tables = [run_chunk(data, seeds, t, False)[0] for data, t in jobs]
        else:
            futures = [pool.submit(run_chunk, data, seeds, t, False) for data, t in jobs]
            tables = [f.result()[0] for f in futures]
    finally:
        if own and pool is not None:
            pool.shutdown()
    y = np.array([table[outcome].mean() for table in tables])
    evaluated = pd.DataFrame(x, columns=problem["names"])
    evaluated[outcome] = y
    if method == "morris":
        res = morris_analyze.analyze(problem, x, y, num_levels=4, seed=root_seed)
        indices = pd.DataFrame(
            {
                "parameter": problem["names"],
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
            }
        ).sort_values("mu_star", ascending=False)
    else:
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=root_seed)
        indices = pd.DataFrame(
            {
                "parameter": problem["names"],
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        ).sort_values("ST", ascending=False)
    return indices.reset_index(drop=True), evaluated
