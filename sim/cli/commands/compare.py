"""``sim compare``: what differs between two scenarios or run folders."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import args as types
from sim.cli import options


def add(sub: Any) -> None:
    """Add ``sim compare``."""
    cmp = sub.add_parser(
        "compare",
        help="compare two scenarios or run folders",
        description="Show what differs between A and B in the inputs (the resolved scenarios; "
        "an entry only one side has is one line) and in the outcomes (headline metrics, an "
        "overlay figure of medians). With --runs N, both run on the same N replicate seeds and "
        "the table gives each side's mean ± sd, the paired difference B − A with its 95% "
        "Student's t interval, the seeds where B was lower, tied (to 2 decimals) or higher, "
        "and which side did better in the outcome's own direction.",
    )
    cmp.add_argument("a", help="scenario file, bundled id, or run folder")
    cmp.add_argument("b", help="scenario file, bundled id, or run folder")
    # at most as many seeds a side as turns in a run (10,000), as always
    cmp.add_argument("--runs", type=types.turns, default=1, help="replicate seeds per side")
    options.seed(cmp, "A's seed")
    options.turns(cmp, "turns per run (default: each scenario's)")
    options.out(cmp, "folder for compare.md and the figure")
    options.force(cmp)
    cmp.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Compare, write the folder, print compare.md."""
    from sim.files import check_target
    from sim.outputs.compare import write_compare_folder
    from sim.outputs.manifest import output_manifest
    from sim.outputs.run_folder import default_folder
    from sim.running.compare import compare, load_side
    from sim.scenario.loader import display_path

    if args.out is not None:
        check_target(args.out, force=args.force)
    a, b = load_side(args.a), load_side(args.b)
    result = compare(a, b, runs=args.runs, seed=args.seed, turns=args.turns)
    folder = args.out or default_folder(
        Path("runs"), f"compare-{a.label}-vs-{b.label}", result.seeds[0]
    )
    manifest = output_manifest("compare", result.seeds[0], ["sim", *argv], folder)
    text = write_compare_folder(result, folder, manifest=manifest, force=args.force)
    sys.stdout.write(text)
    print(f"Wrote {display_path(folder)}/ (compare.md, compare_tension.png)")
    return 0
