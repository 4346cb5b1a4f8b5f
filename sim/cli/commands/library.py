"""``sim list`` and ``sim new``: the bundled scenarios, and your own variant of one."""

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
        help="write your own editable variant of a scenario",
        description="Write NAME.yaml in --dir (default: the current folder) that extends "
        "SCENARIO, with commented suggestions of the fields most worth changing. A bundled "
        "SCENARIO is named 'bundled:ID' in the file; a scenario file must be in --dir.",
    )
    new.add_argument("name", help="name of the new scenario, e.g. my-scenario")
    new.add_argument(
        "--from", dest="parent", required=True, help="scenario to start from (file or id)"
    )
    new.add_argument(
        "--dir", type=Path, default=None, help="folder to write NAME.yaml in (default: here)"
    )
    new.set_defaults(handler=new_scenario)


def new_scenario(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Write the variant and say how to run it."""
    from sim.cli.library import new_variant
    from sim.scenario.loader import display_path

    path = new_variant(args.name, args.parent, args.dir)
    print(f"Wrote {display_path(path)}: edit it, then run it with")
    print(f"  sim run {display_path(path)}")
    return 0
