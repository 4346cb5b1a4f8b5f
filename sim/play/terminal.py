r"""``sim play``: the terminal face of play mode (hot-seat, plain text).

Each turn, every human-played state in turn sees the crisis as *it*
perceives it and picks a move from its menu (the screen is cleared between
players); then the instructor may fire injects, add an event, or reveal the
last turn; then the turn resolves, the public summary is printed (the full
one, meant against read, only with ``--reveal-each-turn`` or at the
instructor's ``reveal``) and the game is saved. Input comes through
``input()``, so piped input works; output is plain text at most 100
columns wide, with no colour unless stdout is a terminal.

This module only arranges calls: the game is :class:`sim.play.core.PlaySession`
(the same object the browser dashboard plays), the screens are
:mod:`sim.play.screens`, the arguments :mod:`sim.play.arguments`, and the run
folder at the end is written by :mod:`sim.play.folder`. It imports nothing of
``sim.cli``: ``sim play`` calls :func:`add_arguments` and :func:`run_play`,
and :func:`main` runs the same command on its own::

    python -c "from sim.play.terminal import main; raise SystemExit(main())" \\
        SCENARIO --human ACTOR --human OTHER_ACTOR --turns 3
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import ScenarioError, SimError, UsageError
from sim.play.arguments import add_arguments
from sim.play.helptext import HELP, INSTRUCTOR_HELP
from sim.play.screens import (
    MAX_WIDTH,
    Outcome,
    Screen,
    interactive_turn,
    scripted_turn,
    show_instructor,
    show_menu,
    show_situation,
    show_summary,
)

if TYPE_CHECKING:
    from sim.play.core import PlaySession

__all__ = [
    "EXIT_USAGE",
    "HELP",
    "INSTRUCTOR_HELP",
    "MAX_WIDTH",
    "Screen",
    "add_arguments",
    "interactive_turn",
    "main",
    "run_play",
    "scripted_turn",
    "show_instructor",
    "show_menu",
    "show_situation",
    "show_summary",
]

EXIT_USAGE = 2
"""Exit status of a command refused because of its input."""


# ---------------------------------------------------------------- the game


def _start(args: argparse.Namespace) -> tuple[PlaySession, Path]:
    from sim.paths import resolve_scenario
    from sim.play.core import PlaySession
    from sim.play.save import check_save_target

    if args.resume is not None:
        session = PlaySession.load(args.resume)
        if args.scenario is not None:
            given = resolve_scenario(args.scenario).resolve()
            if given != session.scenario_path.resolve():
                raise UsageError(
                    f"{args.resume} is a game of {session.scenario_path}, not {args.scenario}"
                )
        if args.humans:
            named = [session.actor_id(h) for h in args.humans]
            if named != session.humans:
                raise UsageError(
                    f"{args.resume} is played by --human {' --human '.join(session.humans)}; "
                    "leave --human out when resuming"
                )
        if args.seed is not None and args.seed != session.seed:
            raise UsageError(f"{args.resume} was played with seed {session.seed}, not {args.seed}")
        if args.overrides and list(args.overrides) != session.overrides:
            raise UsageError(f"{args.resume} keeps its own --set values; leave --set out")
        if args.turns is not None:
            session.set_turns(args.turns)
        return session, args.save if args.save is not None else args.resume
    if not args.humans:
        raise UsageError(
            "name at least one state to play: --human ACTOR (an actor id of the scenario)"
        )
    session = PlaySession(
        resolve_scenario(args.scenario),
        args.humans,
        seed=args.seed,
        turns=args.turns,
        overrides=args.overrides,
    )
    save = args.save or Path(f"play-{session.spec.id}-seed{session.seed}.json")
    if check_save_target(save) and not args.force:  # refuses anything but a save file
        raise UsageError(
            f"{save} already holds a saved game: continue it with --resume {save}, "
            "or choose another --save, or add --force to start afresh"
        )
    return session, save


def _intro(screen: Screen, session: PlaySession, save: Path) -> None:
    spec = session.spec
    screen.rule("=")
    screen.say(screen.bold(spec.metadata.title))
    screen.rule("=")
    players = ", ".join(f"{session.name(a)} ({session.voice(a)})" for a in session.humans)
    turn_meaning = spec.metadata.turn_meaning or "one round of moves"
    screen.say(f"Played by people: {players}. The computer plays the other states.")
    screen.say(
        f"{session.turns} turns (a turn is {turn_meaning}); seed {session.seed}. "
        f"The game is saved after every turn to {save}."
    )
    if session.played:
        screen.say(f"Resuming after turn {session.played}.")
    screen.say(
        "Each turn every player in turn sees the crisis as their state perceives it and "
        "picks a move (the screen is cleared between players); then the instructor may fire "
        "an inject, add an event or reveal the last turn; then everyone moves at once. "
        "What each move meant and how the others read it is shown only at the reveal. "
        "Type '?' at any prompt for help."
    )


def _write_folder(
    session: PlaySession, args: argparse.Namespace, command: list[str], screen: Screen
) -> Path:
    from sim.play.folder import default_play_folder, write_play_folder
    from sim.scenario.loader import display_path

    folder = Path(args.out) if args.out is not None else default_play_folder(session)
    report = write_play_folder(
        session, folder, command=command, force=args.force, figures=not args.no_figures
    )
    if report is not None:
        screen.say(f"Report: {display_path(report)} (one page, opens offline, prints cleanly)")
    screen.say(f"Wrote {display_path(folder)}/ (open transcript.md and figures/ first)")
    return folder


def run_play(args: argparse.Namespace, argv: Sequence[str] | None = None) -> int:
    """Run ``sim play`` with parsed ``args``; return the exit status.

    Args:
        args: Parsed arguments (see :func:`add_arguments`).
        argv: The command line after ``sim`` (starting with ``play``), for the
            run manifest.

    Raises:
        SimError: bad arguments, scenario, save or moves file (exit status 2).
    """
    from sim.play.script import load_script

    screen = Screen()
    command = ["sim", *(argv if argv is not None else ["play"])]
    session, save = _start(args)
    if args.out is not None and args.out.exists() and not args.force:
        raise UsageError(f"{args.out} already exists: choose another --out, or add --force")
    script = load_script(args.moves, session) if args.moves is not None else {}
    _intro(screen, session, save)
    session.save(save)
    try:
        while not session.finished:
            step = script.get(session.turn)
            if step is not None:
                scripted_turn(screen, session, step, args.moves)
                outcome: Outcome = "play"
            else:
                outcome = interactive_turn(screen, session)
            if outcome != "play":
                session.save(save)
                screen.say(f"Game saved after turn {session.played} to {save}.")
                if outcome == "finish" and session.played:
                    _write_folder(session, args, command, screen)
                elif outcome == "finish":
                    screen.say("No turn has been played yet, so there is no run folder to write.")
                screen.say(f"Continue later with: sim play --resume {save}")
                return 0
            record = session.resolve()
            show_summary(screen, session, session.summary(record), reveal=args.reveal_each_turn)
            session.save(save)
            screen.say(f"  Saved to {save}.")
    except KeyboardInterrupt:
        print()
        screen.say(
            f"Interrupted. The game is saved after turn {session.played} in {save}; "
            f"continue with: sim play --resume {save}"
        )
        return 130
    screen.rule("=")
    screen.say(f"The game is over after {session.played} turns.")
    _write_folder(session, args, command, screen)
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so errors share one exit path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def main(argv: Sequence[str] | None = None) -> int:
    """``sim play`` on its own: ``argv`` without 'play'; the same as ``sim play ...``.

    Errors caused by input print one message and give exit status 2, as ``sim``
    does; Ctrl-C outside a turn gives 130.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _Parser(
        prog="sim play",
        description="Play a scenario turn by turn: each state named with --human is played "
        "by a person who sees the crisis as that state perceives it; the model plays the "
        "rest; an instructor may fire injects or add events. Saved after every turn; "
        "writes a run folder at the end.",
    )
    add_arguments(parser)
    try:
        args = parser.parse_args(args_list)
        return run_play(args, ["play", *args_list])
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_USAGE
    except SimError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sim: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
