"""``sim briefs``: one printable role brief per team, from a scenario."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import options


def add(sub: Any) -> None:
    """Add ``sim briefs``."""
    briefs = sub.add_parser(
        "briefs",
        help="write one printable role brief per team",
        description="Write one HTML page per team (every actor unless --team is given): who "
        "the team is, its posture in words with the basis of each value, its objectives, its "
        "moves, what it knows that others may not, and how a turn works. Each page loads "
        "nothing from outside and prints on one or two A4 pages.",
    )
    options.scenario(briefs)
    briefs.add_argument(
        "--team",
        action="append",
        default=[],
        metavar="ACTOR",
        help="an actor id to write a brief for (repeatable; default: every actor)",
    )
    options.out(briefs, "folder to create (default: briefs/<id>-briefs)")
    options.overrides(briefs)
    options.force(briefs)
    briefs.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Write the briefs and say where."""
    from sim.files import check_target
    from sim.outputs.briefs import default_folder, write_briefs
    from sim.paths import resolve_scenario
    from sim.scenario.loader import display_path, load_scenario

    scenario = load_scenario(resolve_scenario(args.scenario), args.overrides)
    if args.out is not None:
        check_target(args.out, force=args.force)
    folder = args.out if args.out is not None else default_folder(Path("briefs"), scenario.id)
    written = write_briefs(scenario, folder, args.team, force=args.force, command=["sim", *argv])
    for path in written:
        print(f"Wrote {display_path(path)}")
    return 0
