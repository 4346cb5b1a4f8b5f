"""Options shared by the ``sim`` commands, each defined once.

A command adds the options it takes with these functions, so ``--seed``,
``--turns``, ``--out``, ``--force``, ``--set``, ``--quiet``, ``--workers``
and ``--runs`` mean the same thing, parse the same way (:mod:`sim.cli.args`)
and say the same in ``--help`` everywhere. Where the default differs from
command to command (the seed, the output folder), the command says which.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import args as types

FORCE_HELP = (
    "replace --out if it is a folder that sim wrote (its manifest.json lists every file in it); "
    "anything else is refused"
)
SCENARIO_HELP = "scenario file or bundled id (default: the flagship)"


def scenario(parser: argparse.ArgumentParser, help: str = SCENARIO_HELP) -> None:
    """The optional SCENARIO argument (a file or a bundled id; none: the flagship)."""
    parser.add_argument("scenario", nargs="?", help=help)


def seed(parser: argparse.ArgumentParser, default: str = "the scenario's, or a new one") -> None:
    """``--seed N``: the root seed; ``default`` says what is used without it."""
    parser.add_argument("--seed", type=types.seed, help=f"root seed (default: {default})")


def turns(
    parser: argparse.ArgumentParser, help: str = "turns per run (default: the scenario's)"
) -> None:
    """``--turns N``."""
    parser.add_argument("--turns", type=types.turns, help=help)


def out(parser: argparse.ArgumentParser, help: str) -> None:
    """``--out DIR``: the folder to write; ``help`` names the default."""
    parser.add_argument("--out", type=Path, help=help)


def force(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace a folder that sim wrote."""
    parser.add_argument("--force", action="store_true", help=FORCE_HELP)


def overrides(parser: argparse.ArgumentParser) -> None:
    """``--set PATH=VALUE`` (repeatable), gathered in ``args.overrides``."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one value, e.g. --set actors.ACTOR.posture.resolve=0.9 (repeatable)",
    )


def quiet(parser: argparse.ArgumentParser, help: str) -> None:
    """``--quiet``; ``help`` says what it leaves out."""
    parser.add_argument("--quiet", action="store_true", help=help)


def workers(parser: argparse.ArgumentParser) -> None:
    """``--workers W``: processes to compute with, this one included."""
    parser.add_argument("--workers", type=types.workers, default=1, help="processes (default 1)")


def runs(
    parser: argparse.ArgumentParser,
    help: str,
    *,
    default: int | None = None,
    required: bool = False,
) -> None:
    """``--runs N``: how many replicates (or replicate seeds)."""
    if required:
        parser.add_argument("--runs", type=types.runs, required=True, help=help)
    else:
        parser.add_argument("--runs", type=types.runs, default=default, help=help)


def many_runs(parser: argparse.ArgumentParser, out_help: str) -> None:
    """--workers, --seed, --turns, --out and --force, as sweep and sensitivity take them."""
    workers(parser)
    seed(parser, "the scenario's, or 0")
    turns(parser)
    out(parser, out_help)
    force(parser)
