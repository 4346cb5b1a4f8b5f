"""``sim sensitivity``: which parameters matter most (Morris or Sobol, with SALib)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import args as types
from sim.cli import options
from sim.cli.commands.sweep import check_outcome


def add(sub: Any) -> None:
    """Add ``sim sensitivity``."""
    sens = sub.add_parser(
        "sensitivity",
        help="which postures matter most (Morris or Sobol, needs SALib)",
        description="Global sensitivity analysis with SALib: Morris screening (mu*, sigma) or "
        "Sobol indices (S1, ST) of an outcome over parameter ranges, with confidence intervals.",
    )
    options.scenario(sens)
    sens.add_argument("--method", choices=["morris", "sobol"], default="morris")
    sens.add_argument(
        "--params",
        nargs="+",
        action="extend",
        required=True,
        metavar="PATH=LOW:HIGH",
        help="parameters and ranges, e.g. actors.ACTOR.posture.restraint=0.1:0.9",
    )
    sens.add_argument("--outcome", default="final_mean_tension", help="a summary column")
    sens.add_argument(
        "--samples",
        type=types.runs,
        default=16,
        help="Morris trajectories, or Sobol base samples (a power of 2); default 16",
    )
    sens.add_argument("--replicates", type=types.runs, default=5, help="seeds averaged per sample")
    options.many_runs(sens, "folder (default: runs/<id>-<method>-...)")
    sens.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Run the analysis, write its folder, print the indices."""
    from sim.files import check_target
    from sim.outputs.manifest import output_manifest
    from sim.outputs.run_folder import default_folder
    from sim.outputs.sensitivity import write_sensitivity_folder
    from sim.paths import resolve_scenario
    from sim.running.seeds import root_seed
    from sim.running.sensitivity import analyse, parse_bound
    from sim.scenario.loader import display_path, load_scenario

    bounds = [parse_bound(p) for p in args.params]
    check_outcome(args.outcome)
    path = resolve_scenario(args.scenario)
    base = load_scenario(path)
    root, _ = root_seed(args.seed, base.seed, fallback=0)
    if args.out is not None:
        check_target(args.out, force=args.force)
    started = time.perf_counter()
    indices, evaluated = analyse(
        path,
        bounds,
        method=args.method,
        outcome=args.outcome,
        samples=args.samples,
        replicates=args.replicates,
        root_seed=root,
        turns=args.turns,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    folder = args.out or default_folder(Path("runs"), f"{base.id}-{args.method}", root)
    manifest = output_manifest(f"sensitivity ({args.method})", root, ["sim", *argv], folder)
    write_sensitivity_folder(
        indices, evaluated, args.method, args.outcome, folder, manifest=manifest, force=args.force
    )
    print(
        f"{args.method} sensitivity of {args.outcome}: {len(evaluated)} parameter sets x "
        f"{args.replicates} seeds in {elapsed:.1f} s"
    )
    print(indices.round(3).to_string(index=False))
    print(f"Wrote {display_path(folder)}/ (indices.csv, sensitivity.png)")
    return 0
