"""Benchmark: model time of the flagship scenario and ``sim run`` end to end.

Run with ``./dev python benchmarks/bench.py`` (add ``--quick`` for fewer
repeats). Prints a table of best-of-N timings next to the targets, measured
in this same run, so a noisy machine shows up as noise rather than as a
regression. Timings are the minimum over repeats (the least-disturbed run).

Rows:
* engine: the turn engine alone (pure functions, no Mesa), 100 turns: the
  floor for one run;
* mesa model: the same run hosted by ``EscalationModel`` (``collect=False``),
  timed in turn with the engine on the same seeds, and its overhead over it;
* engine, batch: 256 replicates advanced together (``Engine(compiled, seeds)``),
  per run, and the same with summaries (``run_replicates``: what ensembles,
  sweeps and sensitivity analysis pay per replicate), with runs/s per core;
* mesa + DataCollector: with Mesa's DataCollector recording every step
  (what ``mesa.batch_run`` needs);
* result tables: building metrics/events/links DataFrames for one run;
* sim run (no figures) / sim run: the command line end to end in a fresh
  process (start-up, load, run, tables, transcript, figures);
* idiomatic per-agent Mesa: what a user would otherwise write (each agent loops
  over the others' moves in Python, a DataCollector records every step), for
  reference;
* with ``--ensemble RUNS``: ensemble throughput (runs/s) with 1 and 2 workers and
  the speed-up (``--turns`` turns per run), then ``sim ensemble --runs 10000
  --workers 2`` in a fresh process: wall time and peak memory;
* with ``--scaling``: engine time for N actors x T turns (``keep_records=False``:
  memory stays flat) and the fitted growth exponents (N in 10, 50, 200, and
  1000 with ``--full``, which also times 1000 actors keeping every record, and
  ``sim run --no-figures`` of 1000 actors x 100 turns in a fresh process with
  its peak memory).
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for floor.py

REPO = Path(__file__).resolve().parent.parent
FLAGSHIP = REPO / "scenarios" / "dec2025_joint_drill.yaml"
PAIR = REPO / "scenarios" / "jervis_spiral.yaml"  # a 2-actor scenario with the adaptive policy
BATCH = 256  # replicates per batch, as sim.running.replicates.batch_size gives the flagship


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


def best_of_interleaved(
    fns: list[Callable[[int], object]], repeats: int, number: int
) -> list[float]:
    """Like :func:`best_of` for several functions called in turn with the same seeds.

    Interleaving puts every function under the same machine conditions, so the
    ratio of two of them (Mesa hosting over the engine) is not an artefact of
    the order in which they were measured.
    """
    for fn in fns:
        fn(0)  # warm-up
    best = [float("inf")] * len(fns)
    for r in range(repeats):
        spent = [0.0] * len(fns)
        for k in range(number):
            seed = r * number + k + 1
            for i, fn in enumerate(fns):
                start = time.perf_counter()
                fn(seed)
                spent[i] += time.perf_counter() - start
        best = [min(b, t / number) for b, t in zip(best, spent, strict=True)]
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


def idiomatic_mesa_run(turns: int) -> None:
    """A plain per-agent Mesa model of the perception step, for reference only.

    Every agent, every step, loops over every other agent's last move in Python,
    reads it (face value, framing, alignment lens, noise), updates a belief and
    its tension, and a DataCollector records each agent's tension: the way the
    model would usually be written without vectorising.
    """
    import mesa
    import numpy as np

    from sim.scenario import load_scenario

    scenario = load_scenario(FLAGSHIP)
    ids = list(scenario.actors)
    alignment = {(a, b): 0.0 for a in ids for b in ids}
    for a, inner in scenario.relationships.items():
        for b, rel in inner.items():
            alignment[a, b] = alignment[b, a] = rel.alignment
    moves = list(scenario.moves.values())

    class Actor(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: mesa.Model, aid: str) -> None:
            super().__init__(model)
            self.aid = aid
            self.tension = scenario.actors[aid].initial_tension.value
            self.belief = {b: 0.3 - 0.2 * alignment[aid, b] for b in ids if b != aid}
            self.move = moves[1]

        def choose(self) -> None:
            wanted = self.tension
            self.move = min(moves, key=lambda m: abs(m.intended_hostility - wanted))

        def read(self) -> None:
            for other in self.model.agents:
                if other is self:
                    continue
                m = other.move
                face = m.rung / 8
                lens = 0.2 * (0.5 - 0.5 * alignment[self.aid, other.aid])
                p = 0.7 * (0.5 * face + 0.5 * m.framed_hostility) + 0.3 * self.belief[other.aid]
                p = min(1.0, max(0.0, p + lens + self.model.rng.normal(0, 0.06)))
                self.belief[other.aid] += 0.4 * (p - self.belief[other.aid])
            drive = sum(self.belief.values()) / len(self.belief)
            self.tension = min(1.0, max(0.0, self.tension + 0.2 * drive - 0.2 * self.tension))

    class Idiomatic(mesa.Model):  # type: ignore[misc]
        def __init__(self, seed: int) -> None:
            super().__init__(rng=seed)
            for aid in ids:
                Actor(self, aid)
            self.datacollector = mesa.DataCollector(agent_reporters={"tension": "tension"})

        def step(self) -> None:
            self.agents.do("choose")
            self.agents.do("read")
            self.datacollector.collect(self)

    model = Idiomatic(int(np.random.SeedSequence(1).generate_state(1)[0]))
    for _ in range(turns):
        model.step()


_ENSEMBLE_TIMER = """
import sys, tempfile, time
from pathlib import Path
from sim.outputs.ensemble_folder import run_ensemble
from sim.running.ensemble import EnsembleSpec
from sim.scenario import load_scenario
runs, turns, workers = (int(a) for a in sys.argv[2:5])
spec = EnsembleSpec(load_scenario(sys.argv[1]), runs, 1, turns)
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    run_ensemble(spec, Path(tmp) / "e", workers=workers, progress=False, figures=False)
    print(time.perf_counter() - start)
"""


def floor_rows(
    compiled: Any, engine: float, batched: float, turns: int, repeats: int, number: int
) -> list[tuple[str, float, str, float | None]]:
    """The engine against the bare numpy floor (``benchmarks/floor.py``), timed in this run.

    Targets (issue 13): a replicate in a batch at most 1.0x the floor's batched
    replicate (shown against the floor with one generator for the whole batch,
    and against the floor with one generator per replicate, which the engine
    needs so that replicate k equals a single run with its seed); one 9-actor
    run at most 1.3x the floor's single run; a 2-actor run (``jervis_spiral``)
    at most 1.0x the floor at 2 actors.
    """
    from floor import floor_run, make_inputs

    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.scenario import load_scenario

    n, m = compiled.n, len(compiled.move_ids)
    p = make_inputs(n, m)
    seeds = iter(range(10**9))
    one = best_of(lambda: floor_run(p, turns, None, next(seeds)), repeats, number)
    per = best_of(lambda: floor_run(p, turns, BATCH, next(seeds)), repeats, 1) / BATCH
    streamed = (
        best_of(lambda: floor_run(p, turns, BATCH, next(seeds), streams=True), repeats, 1) / BATCH
    )
    pair = compile_scenario(load_scenario(PAIR))
    p2 = make_inputs(pair.n, len(pair.move_ids))
    floor2 = best_of(lambda: floor_run(p2, turns, None, next(seeds)), repeats, number)
    engine2 = best_of(lambda: Engine(pair, next(seeds)).run(turns), repeats, number)
    return [
        (f"numpy floor, {n} actors, {turns} turns (one run)", one * 1e3, "ms/run", None),
        ("engine / floor, one run", engine / one, "ratio", 1.3),
        (f"numpy floor, batch of {BATCH}, per run", per * 1e3, "ms/run", None),
        ("engine / floor, batch, per run", batched / per, "ratio", 1.0),
        ("numpy floor, batch, one stream per replicate", streamed * 1e3, "ms/run", None),
        ("engine / that floor (the engine's reproducibility)", batched / streamed, "ratio", 1.0),
        (f"numpy floor, 2 actors, {turns} turns", floor2 * 1e3, "ms/run", None),
        (f"engine, {PAIR.stem} (2 actors), {turns} turns", engine2 * 1e3, "ms/run", None),
        ("engine / floor, 2 actors", engine2 / floor2, "ratio", 1.0),
    ]


def ensemble_rows(
    runs: int, turns: int, repeats: int
) -> list[tuple[str, float, str, float | None]]:
    """Throughput of ``run_ensemble`` with 1 and 2 workers on the flagship (best of repeats).

    Each measurement runs in a fresh process (imports excluded), as ``sim
    ensemble`` does: one worker is that process alone; two are that process
    and one forked worker, sharing the chunks. The 1- and 2-worker runs
    alternate, so each pair sees the same machine conditions; the median of
    the pairs' speed-ups is shown too, as a measure of how noisy the machine
    was (on a shared VM, the second core is the one disturbed).
    """
    took: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers, times in took.items():
            args = [str(FLAGSHIP), str(runs), str(turns), str(workers)]
            done = subprocess.run(
                [sys.executable, "-c", _ENSEMBLE_TIMER, *args],
                check=True,
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            times.append(float(done.stdout.split()[-1]))
    rates = {workers: runs / min(times) for workers, times in took.items()}
    rows: list[tuple[str, float, str, float | None]] = []
    for workers, rate in rates.items():
        name = f"ensemble, {runs} runs x {turns} turns, {workers} worker(s)"
        rows.append((name, rate, "runs/s", None))
    rows.append(("speed-up of 2 workers over 1", rates[2] / rates[1], "x", 1.7))
    pairs = sorted(one / two for one, two in zip(took[1], took[2], strict=True))
    rows.append((f"  same, median of the {repeats} pairs", pairs[len(pairs) // 2], "x", None))
    return rows


def _big_args(runs: int, tmp: str) -> list[str]:
    return ["--runs", str(runs), "--workers", "2", "--seed", "1", "--quiet", "--out", f"{tmp}/e"]


def big_ensemble_rows(runs: int = 10_000) -> list[tuple[str, float, str, float | None]]:
    """``sim ensemble --runs 10000 --workers 2`` in a fresh process: wall time and peak memory.

    Peak memory is the largest resident set of any process of the ensemble (the
    main process or a worker), from ``getrusage(RUSAGE_CHILDREN)``.
    """
    import resource

    env = dict(os.environ, MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sim", "ensemble", str(FLAGSHIP), *_big_args(runs, tmp)],
            check=True,
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        took = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return [
        (f"sim ensemble --runs {runs} --workers 2 (fresh process)", took, "s", 20.0),
        ("  peak memory of its largest process", peak_mb, "MB", 1024.0),
    ]


def scenario_data(n: int, turns: int = 100) -> dict[str, Any]:
    """A scenario of ``n`` actors, each related to its next three neighbours."""
    import numpy as np

    rng = np.random.default_rng(0)
    actors = {f"a{i}": {"name": f"A{i}"} for i in range(n)}
    rel: dict[str, dict[str, object]] = {}
    for i in range(n):
        for j in range(i + 1, min(n, i + 4)):
            rel.setdefault(f"a{i}", {})[f"a{j}"] = {"alignment": float(rng.uniform(-1, 1))}
    return {"metadata": {"title": "scale"}, "turns": turns, "actors": actors, "relationships": rel}


def large_run_rows(data: dict[str, Any]) -> list[tuple[str, float, str, float | None]]:
    """``sim run --no-figures`` of a large scenario in a fresh process: wall time, peak memory."""
    import resource

    import yaml

    n = len(data["actors"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sim", "run", str(path), "--no-figures", "--quiet",
             "--out", f"{tmp}/run"],
            check=True, cwd=REPO, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        took = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    name = f"sim run --no-figures, {n} actors x {data['turns']} turns"
    return [
        (name, took, "s", 30.0),
        ("  peak memory of a child process so far", peak_mb, "MB", 2048.0),
    ]


def scaling_rows(full: bool) -> list[tuple[str, float, str, float | None]]:
    """Engine time for N actors x T turns, with fitted growth exponents."""
    import numpy as np

    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.scenario.loader import scenario_from_dict

    def scenario(n: int) -> object:
        return scenario_from_dict(scenario_data(n))

    sizes = [10, 50, 200] + ([1000] if full else [])
    rows: list[tuple[str, float, str, float | None]] = []
    times: dict[tuple[int, int], float] = {}
    for n in sizes:
        compiled = compile_scenario(scenario(n))  # type: ignore[arg-type]
        for turns in (100, 1000) if n <= 200 else (100,):
            start = time.perf_counter()
            Engine(compiled, 1, keep_records=False).run(turns)
            times[n, turns] = time.perf_counter() - start
            target = {(200, 100): 0.5, (1000, 100): 5.0}.get((n, turns))
            rows.append((f"engine, {n} actors x {turns} turns", times[n, turns], "s", target))
    if full:
        start = time.perf_counter()
        Engine(compile_scenario(scenario(1000)), 1).run(100)  # type: ignore[arg-type]
        took = time.perf_counter() - start
        rows.append(("same, 1000 x 100, keeping every record", took, "s", None))
    if full:
        rows += large_run_rows(scenario_data(1000))
    ns = [n for n in sizes if (n, 100) in times and n >= 50]
    if len(ns) >= 2:
        slope = np.polyfit(np.log(ns), np.log([times[n, 100] for n in ns]), 1)[0]
        rows.append(("growth exponent in N (T = 100, N >= 50)", float(slope), "", 2.0))
    ts = [n for n in sizes if (n, 1000) in times]
    if ts:
        ratio = np.mean([times[n, 1000] / times[n, 100] for n in ts])
        rows.append(
            ("growth exponent in T (100 -> 1000; linear <= 1.1)", float(np.log10(ratio)), "", 1.1)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument(
        "--ensemble",
        type=int,
        metavar="RUNS",
        default=0,
        help="also measure ensemble throughput with this many runs",
    )
    parser.add_argument("--scaling", action="store_true", help="also measure scaling in N and T")
    parser.add_argument("--full", action="store_true", help="with --scaling: include 1000 actors")
    args = parser.parse_args()
    repeats, number = (3, 10) if args.quick else (7, 30)

    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.mesa_model import EscalationModel
    from sim.running.replicates import replicate_seeds, run_replicates
    from sim.scenario import load_scenario

    scenario = load_scenario(FLAGSHIP)
    compiled = compile_scenario(scenario)
    turns = args.turns
    seeds = iter(range(10**9))

    rows: list[tuple[str, float, str, float | None]] = []
    engine = best_of(lambda: Engine(compiled, next(seeds)).run(turns), repeats, number)
    rows.append((f"engine, {turns} turns (one run)", engine * 1e3, "ms/run", 5.0))
    # Mesa's share is measured against the engine run in turn with it on the same seeds.
    floor, hosted = best_of_interleaved(
        [
            lambda seed: Engine(compiled, seed).run(turns),
            lambda seed: EscalationModel(scenario, rng=seed, turns=turns, collect=False).run(),
        ],
        repeats,
        number,
    )
    rows.append(
        (f"mesa model, {turns} turns (interleaved with the engine)", hosted * 1e3, "ms/run", None)
    )
    rows.append(("mesa hosting overhead over the engine", 100 * (hosted / floor - 1), "%", 30.0))
    batch = [int(s) for s in replicate_seeds(1, BATCH)]
    batched = best_of(lambda: Engine(compiled, batch).run(turns), repeats, 1) / BATCH
    rows.append((f"engine, batch of {BATCH}, {turns} turns, per run", batched * 1e3, "ms/run", 2.5))
    summarised = best_of(lambda: run_replicates(scenario, batch, turns), repeats, 1) / BATCH
    rows.append(("same + summary rows (run_replicates), per run", summarised * 1e3, "ms/run", 2.5))
    rows.append(("replicates per second per core", 1 / summarised, "runs/s", 400.0))
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
    idiomatic = best_of(lambda: idiomatic_mesa_run(turns), max(1, repeats // 2), 1)
    rows.append(
        (f"idiomatic per-agent Mesa, {turns} turns (reference)", idiomatic * 1e3, "ms/run", None)
    )
    cli_repeats = 2 if args.quick else 3
    rows.append(
        ("sim run --no-figures (fresh process)", cli_time(["--no-figures"], cli_repeats), "s", None)
    )
    rows.append(("sim run (fresh process, 6 figures png+svg)", cli_time([], cli_repeats), "s", 2.0))
    rows += floor_rows(compiled, engine, batched, turns, repeats, number)
    if args.ensemble:
        rows += ensemble_rows(args.ensemble, turns, repeats)
        rows += big_ensemble_rows()
    if args.scaling:
        rows += scaling_rows(args.full)

    print(
        f"flagship: {FLAGSHIP.relative_to(REPO)} ({len(scenario.actors)} actors, "
        f"{len(scenario.moves)} moves); best of {repeats}; python {sys.version.split()[0]}"
    )
    print(f"{'measure':<52} {'value':>10} {'unit':<7} {'target':>8}  verdict")
    for name, value, unit, target in rows:
        higher_is_better = unit in ("x", "runs/s")
        if target is None:
            verdict = ""
        elif higher_is_better:
            verdict = "ok" if value >= target else "UNDER"
        else:
            verdict = "ok" if value <= target * 1.0001 else "OVER"
        shown_target = "" if target is None else f"{target:g}"
        print(f"{name:<52} {value:>10.2f} {unit:<7} {shown_target:>8}  {verdict}")
    print(f"{'idiomatic per-agent Mesa / this model':<52} {idiomatic / hosted:>10.1f} x")
    print(
        f"{'DataCollector overhead over mesa model':<52} {100 * (collected / hosted - 1):>10.1f} %"
    )


if __name__ == "__main__":
    main()
