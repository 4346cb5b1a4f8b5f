"""``sim report``: report.html for a run folder."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def add(sub: Any) -> None:
    """Add ``sim report``."""
    report = sub.add_parser(
        "report",
        help="write report.html for a run folder",
        description="Write RUN_DIR/report.html: one self-contained page (figures, transcript, "
        "debrief, sources, manifest) that loads nothing from outside and prints cleanly.",
    )
    report.add_argument("run_dir", type=Path, help="a run folder made by 'sim run'")
    report.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Write the report and say where."""
    from sim.outputs.report import write_report
    from sim.scenario.loader import display_path

    print(f"Wrote {display_path(write_report(args.run_dir))}")
    return 0
