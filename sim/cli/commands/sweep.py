"""``sim sweep``: a grid over scenario values, the same replicate seeds at every point."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import options
from sim.errors import UsageError


def add(sub: Any) -> None:
    """Add ``sim sweep``."""
    swp = sub.add_parser(
        "sweep",
        help="run a grid over scenario values",
        description="Vary one or more values over a grid (each point runs the same replicate "
        "seeds) and plot the response: a line with bands for one parameter, a heat map for two.",
    )
    options.scenario(swp)
    swp.add_argument(
        "--param",
        dest="params",
        action="append",
        required=True,
        metavar="PATH=START:STOP:STEPS",
        help="e.g. actors.ACTOR.posture.restraint=0:1:6 (repeatable; or PATH=a,b,c)",
    )
    options.runs(swp, "replicates per grid point", default=20)
    swp.add_argument(
        "--outcome", default="final_mean_tension", help="outcome to plot (a summary column)"
    )
    options.overrides(swp)
    options.many_runs(swp, "sweep folder (default: runs/<id>-sweep-...)")
    swp.set_defaults(handler=handle)


def check_outcome(name: str) -> None:
    """Refuse an outcome that is not a summary column.

    Raises:
        UsageError: naming the choices.
    """
    from sim.running.replicates import OUTCOMES

    if name not in OUTCOMES:
        raise UsageError(f"--outcome {name!r}: choose one of {', '.join(OUTCOMES)}")


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Run the grid, write the sweep folder, print the mean outcome per grid point."""
    from sim.files import check_target
    from sim.outputs.manifest import output_manifest
    from sim.outputs.run_folder import default_folder
    from sim.outputs.sweep import write_sweep_folder
    from sim.paths import resolve_scenario
    from sim.running.seeds import root_seed
    from sim.running.sweep import parse_param, run_sweep
    from sim.scenario.loader import display_path, load_scenario

    axes = [parse_param(p) for p in args.params]
    check_outcome(args.outcome)
    path = resolve_scenario(args.scenario)
    base = load_scenario(path, args.overrides)
    root, _ = root_seed(args.seed, base.seed, fallback=0)
    if args.out is not None:
        check_target(args.out, force=args.force)
    started = time.perf_counter()
    table = run_sweep(
        path,
        axes,
        runs=args.runs,
        root_seed=root,
        turns=args.turns,
        overrides=args.overrides,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    folder = args.out or default_folder(Path("runs"), f"{base.id}-sweep", root)
    manifest = output_manifest("sweep", root, ["sim", *argv], folder)
    write_sweep_folder(table, axes, args.outcome, folder, manifest=manifest, force=args.force)
    names = [a.path for a in axes]
    means = table.groupby(names)[args.outcome].mean().round(3)
    print(
        f"{base.metadata.title}: {len(table)} runs ({len(means)} grid points x {args.runs}) "
        f"in {elapsed:.1f} s; mean {args.outcome}:"
    )
    print(means.to_string())
    print(f"Wrote {display_path(folder)}/ (sweep.csv, response.png)")
    return 0
