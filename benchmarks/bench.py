"""Benchmark: model time of the flagship scenario and ``sim run`` end to end.

Run with ``./dev python benchmarks/bench.py`` (add ``--quick`` for fewer
repeats). Prints a table of best-of-N timings next to the targets, measured
in this same run, so a noisy machine shows up as noise rather than as a
regression. Timings are the minimum over repeats (the least-disturbed run).

Rows:
* engine: the turn engine alone (pure functions, no Mesa), 100 turns;
* mesa model: the same run hosted by ``EscalationModel`` (``collect=False``);
* mesa + DataCollector: with Mesa's DataCollector recording every step
  (what ``mesa.batch_run`` needs);
* result tables: building metrics/events/links DataFrames for one run;
* sim run (no figures) / sim run: the command line end to end in a fresh
  process (start-up, load, run, tables, transcript, figures).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLAGSHIP = REPO / "scenarios" / "dec2025_joint_drill.yaml"


def best_of(fn: Callable[[], object], repeats: int, number: int) -> float:
    """Smallest mean time per call over ``repeats`` batches of ``number`` calls (seconds)."""
    best = float("inf")
    fn()  # warm-up
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def cli_time(args: list[str], repeats: int) -> float:
    """Smallest wall time of ``sim run ...`` in a fresh Python process (seconds)."""
    best = float("inf")
    env = dict(os.environ, MPLBACKEND="Agg")
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "sim",
                    "run",
                    str(FLAGSHIP),
                    "--out",
                    f"{tmp}/run",
                    "--quiet",
                    *args,
                ],
                check=True,
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
            )
            best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--turns", type=int, default=100)
    args = parser.parse_args()
    repeats, number = (3, 10) if args.quick else (7, 30)

    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.mesa_model import EscalationModel
    from sim.scenario import load_scenario

    scenario = load_scenario(FLAGSHIP)
    compiled = compile_scenario(scenario)
    turns = args.turns
    seeds = iter(range(10**9))

    rows: list[tuple[str, float, str, float | None]] = []
    engine = best_of(lambda: Engine(compiled, next(seeds)).run(turns), repeats, number)
    rows.append((f"engine, {turns} turns", engine * 1e3, "ms/run", None))
    hosted = best_of(
        lambda: EscalationModel(scenario, rng=next(seeds), turns=turns, collect=False).run(),
        repeats,
        number,
    )
    rows.append((f"mesa model, {turns} turns", hosted * 1e3, "ms/run", 5.0))
    collected = best_of(
        lambda: EscalationModel(scenario, rng=next(seeds), turns=turns, collect=True).run(),
        repeats,
        max(1, number // 3),
    )
    rows.append((f"mesa + DataCollector, {turns} turns", collected * 1e3, "ms/run", None))
    result = EscalationModel(scenario, rng=1, turns=turns, collect=False).run()

    def tables() -> None:
        fresh = type(result)(result.scenario, result.compiled, result.seed, result.records)
        _ = fresh.metrics, fresh.events, fresh.links

    rows.append(
        (
            "result tables (metrics, events, links)",
            best_of(tables, repeats, 3) * 1e3,
            "ms/run",
            None,
        )
    )
    cli_repeats = 2 if args.quick else 3
    rows.append(
        ("sim run --no-figures (fresh process)", cli_time(["--no-figures"], cli_repeats), "s", None)
    )
    rows.append(("sim run (fresh process, 3 figures png+svg)", cli_time([], cli_repeats), "s", 5.0))

    print(
        f"flagship: {FLAGSHIP.relative_to(REPO)} ({len(scenario.actors)} actors, "
        f"{len(scenario.moves)} moves); best of {repeats}; python {sys.version.split()[0]}"
    )
    print(f"{'measure':<45} {'value':>10} {'unit':<7} {'target':>8}  verdict")
    for name, value, unit, target in rows:
        verdict = "" if target is None else ("ok" if value <= target else "OVER")
        shown_target = "" if target is None else f"{target:g}"
        print(f"{name:<45} {value:>10.2f} {unit:<7} {shown_target:>8}  {verdict}")
    print(f"{'mesa hosting overhead over the engine':<45} {100 * (hosted / engine - 1):>10.1f} %")
    print(
        f"{'DataCollector overhead over mesa model':<45} {100 * (collected / hosted - 1):>10.1f} %"
    )


if __name__ == "__main__":
    main()
