"""The ``sim`` command line: the entry point, the parser, and one exit path for errors.

Commands (one module each under :mod:`sim.cli.commands`)::

    sim run [SCENARIO] [--seed N] [--turns N] [--out DIR] [--set path=value ...] [--report]
    sim report RUN_DIR
    sim validate FILE...
    sim schema [--variant | --markdown]
    sim ensemble SCENARIO --runs N [--workers W] [--seed S] [--out DIR] [--resume]
    sim sweep SCENARIO --param path=start:stop:steps [...] --runs N [--outcome NAME]
    sim sensitivity SCENARIO --method morris|sobol --params path=low:high [...] --outcome NAME
    sim play SCENARIO --human ACTOR [--human ACTOR ...] [--resume FILE] [--moves FILE]
    sim dashboard [SCENARIO] [--port N]
    sim list
    sim compare A B [--runs N] [--seed N] [--turns N] [--out DIR]
    sim check SCENARIO [--runs N] [--seed S] [--json] [--workers W]
    sim new NAME --from SCENARIO

Options several commands share (``--seed``, ``--out``, ``--force``, ``--set``,
``--quiet``, ``--workers`` …) are defined once, in :mod:`sim.cli.options`.
Errors caused by input (a broken scenario, a bad argument, an existing output
folder) print a message and exit with status 2, never a traceback. Heavy
libraries are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sim.cli.commands import (
    briefs,
    check,
    compare,
    ensemble,
    library,
    play,
    report,
    run,
    scenarios,
    seminar,
    sensitivity,
    sweep,
)
from sim.cli.options import FORCE_HELP
from sim.cli.signals import exit_status, interruption, quiet_abandoned_pool
from sim.cli.signals import install as install_signal_handlers
from sim.errors import ScenarioError, SimError, UsageError

__all__ = ["EXIT_USAGE", "FORCE_HELP", "build_parser", "main"]

EXIT_USAGE = 2

COMMANDS: tuple[Callable[[Any], None], ...] = (
    run.add,
    scenarios.add_validate,
    ensemble.add,
    sweep.add,
    sensitivity.add,
    report.add,
    briefs.add,
    library.add_list,
    library.add_new,
    compare.add,
    check.add,
    scenarios.add_schema,
    play.add_play,
    play.add_dashboard,
    seminar.add,
)
"""Each command's ``add``, in the order ``sim --help`` lists them."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so errors share one exit path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = _Parser(
        prog="sim",
        description="Tabletop strategy-dialogue simulation: signals, perceptions and "
        "responses in a crisis. Models no weapons performance.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        install_signal_handlers()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            from sim import __version__

            print(f"sim {__version__}")
            return 0
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 0
        return int(handler(args, argv))
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_USAGE
    except SimError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        quiet_abandoned_pool()  # an ensemble's worker pool may have been running
        print(f"sim: {interruption(exc)}; nothing was written", file=sys.stderr)
        return exit_status(exc)
    except BrokenPipeError:
        return 0
