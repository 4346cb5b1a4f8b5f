"""``sim seminar``: serve a live class, every team on its own device (see docs/seminar.md).

The room, its views, its session folder and its HTTP server live in
:mod:`sim.seminar`; this only reads the command line, prints the links and
waits for Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import options
from sim.errors import UsageError


def add(sub: Any) -> None:
    """Add ``sim seminar``."""
    p = sub.add_parser(
        "seminar",
        help="serve a live class: each team plays its state from its own device",
        description="Serve a seminar on this machine: a console for the instructor, a "
        "projector page and one private page per team, each behind its own secret link. "
        "Saved after every change into the session folder; Ctrl-C or the console's Finish "
        "writes the class folder there: the run folder with its report and handout, and "
        "one brief per team. Binds 127.0.0.1 unless --lan is given.",
    )
    options.scenario(p)
    p.add_argument(
        "--team",
        dest="teams",
        action="append",
        default=[],
        metavar="ACTOR",
        help="a state played by a team (repeatable; at least one)",
    )
    p.add_argument("--out", type=Path, help="session folder (default: seminar-<scenario>-seed<N>)")
    p.add_argument("--port", type=int, default=0, help="port (default 0: a free port, printed)")
    p.add_argument(
        "--absent",
        choices=("quiet", "model"),
        default="quiet",
        help="what a team that has not submitted plays when the turn closes: 'quiet' "
        "(no new signal, the default) or 'model' (its state's own policy)",
    )
    p.add_argument(
        "--resume", type=Path, metavar="FOLDER", help="continue a session folder (same links)"
    )
    p.add_argument(
        "--lan",
        metavar="ADDRESS",
        help="serve on this address of the room's network (e.g. 192.168.1.20) instead of "
        "127.0.0.1: anyone on that network with a link can act as that role",
    )
    options.seed(p)
    options.turns(p, "turns in the game (default: the scenario's)")
    p.add_argument("--no-figures", action="store_true", help="write the run folder without figures")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Start (or resume) the room, serve it, and write the run folder at the end."""
    from sim.paths import resolve_scenario
    from sim.play.core import PlaySession
    from sim.seminar import store
    from sim.seminar.room import Room
    from sim.seminar.server import SeminarServer

    command = ["sim", *argv]
    if args.resume is not None:
        folder = Path(args.resume)
        room = store.load(folder)
    else:
        if not args.teams:
            raise UsageError("name at least one team: --team ACTOR (an actor id of the scenario)")
        session = PlaySession(
            resolve_scenario(args.scenario), args.teams, seed=args.seed, turns=args.turns
        )
        folder = args.out or Path(f"seminar-{session.spec.id}-seed{session.seed}")
        store.prepare(folder)
        room = Room(session, absent=args.absent)
    room.on_change = store.saver(folder)
    store.save(room, folder)

    def finish() -> str:
        return store.finish(room, folder, command, figures=not args.no_figures)

    host = args.lan or "127.0.0.1"
    try:
        server = SeminarServer(room, finish, host=host, port=args.port)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{args.port}: {exc.strerror or exc}") from None
    _print_links(server, room, folder, lan=args.lan is not None)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print()
    finally:
        server.stop()
    if room.session.played and room.finished_folder is None:
        name = finish()
        print(
            f"Wrote the run folder {folder / name}/ (with report.html and handout.html) "
            f"and the teams' briefs in {folder / store.BRIEFS_FOLDER}/"
        )
    print(f"Session saved in {folder}/; continue with: sim seminar --resume {folder}")
    return 0


def _print_links(server: Any, room: Any, folder: Path, *, lan: bool) -> None:
    session = room.session
    print(f"{session.spec.metadata.title}: turn {session.turn} of {session.turns}")
    print(f"Session folder: {folder}/ (saved after every change)")
    print(f"  Console (yours):  {server.url(room.tokens['console'])}")
    print(f"  Projector:        {server.url(room.tokens['projector'])}")
    for team in room.teams:
        print(f"  {session.name(team) + ':':<17} {server.url(room.tokens[f'team:{team}'])}")
    if lan:
        print(
            "\nServing on the room's network: anyone on that network who has a link can act "
            "as that role (a team's link plays that team; the console link runs the room). "
            "Hand each team only its own link; 'New link' on the console replaces a leaked one."
        )
        _print_qr_codes(server, room)
    print("\nCtrl-C ends the session and writes the run folder.")
    sys.stdout.flush()


def _print_qr_codes(server: Any, room: Any) -> None:
    try:
        import segno
    except ImportError:
        print("(install segno to draw a QR code per team here)")
        return
    for team in room.teams:
        print(f"\n{room.session.name(team)}:")
        segno.make(server.url(room.tokens[f"team:{team}"]), error="l").terminal(compact=True)
