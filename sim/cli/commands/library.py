"""``sim list`` and ``sim new``: the bundled scenarios, and a scenario of your own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def add_list(sub: Any) -> None:
    """Add ``sim list``."""
    listing = sub.add_parser(
        "list",
        help="list the bundled scenarios",
        description="List the bundled scenarios: id, turns, actors, title, what happens.",
    )
    listing.set_defaults(handler=list_scenarios)


def list_scenarios(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Print the library as a table."""
    from sim.cli.library import entries, format_entries

    sys.stdout.write(format_entries(entries()))
    return 0


def add_new(sub: Any) -> None:
    """Add ``sim new``."""
    new = sub.add_parser(
        "new",
        help="write a scenario of your own: from nothing, or a variant of one",
        description="Without --from: write NAME.yaml in --out (default: the current folder), a "
        "minimal, commented two-actor scenario on the neutral core move library that runs as "
        "it is, and scenario.schema.json beside it (if absent) for the editor. With --from "
        "SCENARIO: write NAME.yaml that extends SCENARIO, with commented suggestions of the "
        "fields most worth changing; a bundled SCENARIO is named 'bundled:ID' in the file, a "
        "scenario file must be in --out. An existing NAME.yaml is never replaced.",
    )
    new.add_argument("name", help="name of the new scenario, e.g. my-scenario")
    new.add_argument(
        "--from",
        dest="parent",
        default=None,
        help="scenario to write a variant of (file or bundled id); without it, start from nothing",
    )
    new.add_argument(
        "--actors",
        default=None,
        metavar="IDS",
        help="without --from: 2 to 12 actor ids separated by commas (default: red,blue)",
    )
    new.add_argument(
        "--out",
        "--dir",
        dest="dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder to write NAME.yaml in (default: here)",
    )
    new.set_defaults(handler=new_scenario)


def new_scenario(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Write the scenario (or the variant) and say how to check and run it."""
    from sim.cli.library import new_scenario as from_nothing
    from sim.cli.library import new_variant
    from sim.errors import UsageError
    from sim.scenario.loader import display_path

    if args.parent is None:
        path = from_nothing(args.name, args.dir, args.actors)
    elif args.actors is not None:
        raise UsageError("--actors is for a scenario from nothing: a variant keeps its parent's")
    else:
        path = new_variant(args.name, args.parent, args.dir)
    print(f"Wrote {display_path(path)}: edit it, then check and run it with")
    print(f"  sim validate {display_path(path)}")
    print(f"  sim run {display_path(path)}")
    return 0
