"""The arguments of ``sim play``, and the two argument types they need.

:func:`add_arguments` builds the ``play`` sub-command (``sim.cli`` calls it,
and so does :func:`sim.play.terminal.main` on its own). The types accept
exactly what ``sim run --seed`` and ``--turns`` accept, with the same messages.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sim.scenario.schema import MAX_TURNS, SEED_MAX


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text):,} characters)"
        if len(text) > 40 and text.strip().lstrip("+-").isdigit():
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {shown}")
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {shown!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


seed = bounded(0, SEED_MAX)
"""A root seed: 0 to :data:`~sim.scenario.schema.SEED_MAX`."""

turns = bounded(1, MAX_TURNS)
"""A number of turns: 1 to :data:`~sim.scenario.schema.MAX_TURNS`."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``sim play`` arguments to ``parser``."""
    parser.add_argument(
        "scenario", nargs="?", help="scenario file or bundled id (default: the flagship)"
    )
    parser.add_argument(
        "--human",
        dest="humans",
        action="append",
        default=[],
        metavar="ACTOR",
        help="a state played by a person (repeat for hot-seat play, in playing order)",
    )
    parser.add_argument("--seed", type=seed, help="root seed (default: the scenario's)")
    parser.add_argument("--turns", type=turns, help="number of turns (default: the scenario's)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one scenario value, as in 'sim run' (repeatable)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="FILE",
        help="save file, rewritten after every turn (default: play-<id>-seed<N>.json here)",
    )
    parser.add_argument("--resume", type=Path, metavar="FILE", help="continue a game saved in FILE")
    parser.add_argument(
        "--moves",
        type=Path,
        metavar="FILE",
        help="YAML/JSON of scripted turns, e.g. {1: {red: hold, inject: [x]}}; "
        "no prompts for those turns",
    )
    parser.add_argument(
        "--out", type=Path, help="run folder to write at the end (default: runs/<id>-play-seed<N>)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing --out folder or save file"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip figures (faster)")
    parser.add_argument(
        "--reveal-each-turn",
        action="store_true",
        help="after every turn show the room what each move people chose meant and how every "
        "state read it (default: only when the instructor types 'reveal')",
    )
