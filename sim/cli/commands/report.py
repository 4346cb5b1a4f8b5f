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
        "debrief, sources, manifest) that loads nothing from outside and prints cleanly. "
        "With --handout, write RUN_DIR/handout.html instead: the summary, two figures for "
        "projection, the turning points and the debrief questions, on at most four A4 pages.",
    )
    report.add_argument("run_dir", type=Path, help="a run folder made by 'sim run'")
    report.add_argument(
        "--handout",
        action="store_true",
        help="write handout.html, the class handout (report.html is left as it is)",
    )
    report.add_argument(
        "--focus",
        metavar="ACTOR,...",
        help="redraw the figures with only these actors (ids or names, separated by "
        "commas), into the report only: the run folder's figures/ stay as they are "
        "(default: the run's own focus, from manifest.json)",
    )
    report.add_argument(
        "--observer",
        metavar="ACTOR",
        help="redraw the beliefs figure with this actor's beliefs, into the report only",
    )
    report.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Write the report (or the handout) and say where."""
    from sim.outputs.report import read_run_folder
    from sim.outputs.report.refocus import report_focus
    from sim.scenario.loader import display_path

    focus = None
    if args.focus is not None or args.observer is not None:
        manifest, scenario = read_run_folder(args.run_dir)
        focus = report_focus(manifest, scenario, args.focus, args.observer)
    if args.handout:
        from sim.outputs.report.handout import write_handout

        print(f"Wrote {display_path(write_handout(args.run_dir, focus=focus))}")
        return 0
    from sim.outputs.report import write_report

    print(f"Wrote {display_path(write_report(args.run_dir, focus=focus))}")
    return 0
