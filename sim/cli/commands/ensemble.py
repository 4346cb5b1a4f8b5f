"""``sim ensemble``: many replicates of a scenario, resumable, in parallel."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import args as types
from sim.cli import options
from sim.cli.signals import exit_status, interruption, quiet_abandoned_pool

EXIT_USAGE = 2


def add(sub: Any) -> None:
    """Add ``sim ensemble``."""
    ens = sub.add_parser(
        "ensemble",
        help="run many replicates of a scenario",
        description="Run N replicates (seeds spawned from --seed with SeedSequence.spawn) in "
        "chunks, in parallel, resumably; write per-replicate summaries, statistics and fan "
        "charts. Results do not depend on --workers.",
    )
    options.scenario(ens)
    options.runs(ens, "number of replicates", required=True)
    options.workers(ens)
    options.seed(ens)
    options.turns(ens)
    options.out(ens, "ensemble folder (default: runs/<id>-ensemble-...)")
    ens.add_argument("--resume", action="store_true", help="continue an interrupted ensemble")
    ens.add_argument(
        "--traces",
        action="store_true",
        help="also keep every actor's tension and rung per turn, as chunks/traces-<k>.parquet "
        "(.csv without pyarrow)",
    )
    options.overrides(ens)
    options.quiet(ens, "no progress bar")
    where = ens.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run on a Dask cluster (needs the dask extra)",
    )
    where.add_argument(
        "--dask-local",
        type=types.workers,
        metavar="N",
        help="start a local Dask cluster of N worker processes on 127.0.0.1 (dask extra)",
    )
    ens.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Run the ensemble into its folder; on an interruption or a full disk, say what is kept."""
    from sim import files
    from sim.outputs.ensemble_chunks import replicates_done
    from sim.outputs.ensemble_folder import open_folder, run_ensemble
    from sim.outputs.grammar import counted
    from sim.paths import resolve_scenario
    from sim.running.ensemble import EnsembleSpec
    from sim.running.seeds import root_seed
    from sim.scenario.loader import display_path, read_scenario

    path = resolve_scenario(args.scenario)
    loaded = read_scenario(path, args.overrides)
    scenario = loaded.scenario
    root, source = root_seed(args.seed, scenario.seed)
    turns = args.turns or scenario.turns
    spec = EnsembleSpec(scenario, args.runs, root, turns, traces=args.traces)
    out = args.out or Path("runs") / f"{scenario.id}-ensemble-seed{root}-n{args.runs}"
    started = time.perf_counter()
    computed: list[float] = []
    with contextlib.ExitStack() as stack:
        executor, workers = None, args.workers
        if args.scheduler or args.dask_local:  # reach the cluster before writing anything
            from sim.running.distributed import dask_executor

            executor, workers = stack.enter_context(dask_executor(args.scheduler, args.dask_local))
        open_folder(out, resume=args.resume)
        stack.enter_context(files.locked(out, "ensemble folder"))
        again = ["sim", *argv]
        again += ["--seed", str(root)] if args.seed is None else []
        again += ["--out", str(out)] if args.out is None else []
        again += [] if args.resume else ["--resume"]

        def kept(what: str) -> str:
            return (
                f"sim: {what}; {replicates_done(spec, out)} of {args.runs} replicates are "
                f"saved in {display_path(out)}/. Finish them with:\n  {shlex.join(again)}"
            )

        try:
            run_ensemble(
                spec,
                out,
                workers=workers,
                executor=executor,
                resume=True,
                progress=not args.quiet,
                files_read=loaded.files,
                seed_source=source,
                overrides=list(args.overrides),
                command=["sim", *argv],
                on_computed=lambda: computed.append(time.perf_counter() - started),
            )
        except KeyboardInterrupt as exc:
            quiet_abandoned_pool()
            print("\n" + kept(interruption(exc)), file=sys.stderr)
            return exit_status(exc)
        except files.FileProblem as exc:  # a full or read-only disk: what is done is kept
            print(kept(str(exc).removeprefix("sim: ")), file=sys.stderr)
            return EXIT_USAGE
    elapsed = computed[0]
    if args.scheduler:
        where = f"on the Dask cluster at {args.scheduler}"
    elif args.dask_local:
        where = f"on a local Dask cluster of {args.dask_local} workers"
    else:
        where = counted(args.workers, "worker")
    print(
        f"{scenario.metadata.title}: {args.runs} runs of {turns} turns, root seed {root}, "
        f"{where}, {elapsed:.1f} s ({args.runs / elapsed:,.0f} runs/s)"
    )
    print(_stats_text(out))
    shown = "summary.csv, stats.csv, fan_tension.png" + (", chunks/traces-*" if spec.traces else "")
    print(f"Wrote {display_path(out)}/ ({shown})")
    return 0


def _stats_text(out: Path) -> str:
    """The ensemble's stats.csv as an aligned text table."""
    import io

    import pandas as pd

    from sim import files

    text = files.read_inside(out, "stats.csv", what="ensemble statistics")
    stats = pd.read_csv(io.BytesIO(text)).set_index("outcome")
    return str(stats.round(3).to_string())
