"""``sim play`` and ``sim dashboard``: the two faces of live play.

The terminal game's options and its loop live with the play core
(:mod:`sim.play.terminal`); this only puts them on the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from sim.cli import options
from sim.errors import UsageError


def add_play(sub: Any) -> None:
    """Add ``sim play`` (its options come from :func:`sim.play.terminal.add_arguments`)."""
    from sim.play.terminal import add_arguments  # light import

    play = sub.add_parser(
        "play",
        help="play a scenario: people choose some states' moves (hot-seat)",
        description="Play a scenario turn by turn: each state named with --human is played "
        "by a person who sees the crisis as that state perceives it; the model plays the "
        "rest; an instructor may fire injects or add events. Saved after every turn; "
        "writes a run folder at the end.",
    )
    add_arguments(play)
    play.set_defaults(handler=play_in_terminal)


def play_in_terminal(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Play in this terminal."""
    from sim.play.terminal import run_play

    return run_play(args, argv)


def add_dashboard(sub: Any) -> None:
    """Add ``sim dashboard``."""
    dash = sub.add_parser(
        "dashboard",
        help="play a scenario live in the browser",
        description="Serve a live-play dashboard on 127.0.0.1: step, play, reset, change "
        "postures, choose a state's move, fire injects. Needs the 'dashboard' extra; works "
        "offline.",
    )
    options.scenario(dash)
    dash.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    dash.set_defaults(handler=serve_dashboard)


def serve_dashboard(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Serve the dashboard until stopped."""
    try:
        from sim.dashboard.app import serve
    except ImportError:
        raise UsageError("the dashboard needs its extra: pip install -e '.[dashboard]'") from None
    return serve(args.scenario, port=args.port)
