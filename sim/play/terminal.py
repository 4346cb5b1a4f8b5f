r"""``sim play``: the terminal interface of play mode (hot-seat, plain text).

Each turn, every human-played state in turn sees the crisis as *it*
perceives it and picks a move from its menu; then the instructor may fire
injects or add an event; then the turn resolves, a summary is printed and the
game is saved. Input comes through ``input()``, so piped input works; output
is plain text at most 100 columns wide, with no colour unless stdout is a
terminal. All game logic lives in :mod:`sim.play.session`.

Use :func:`add_arguments` to build the ``play`` sub-command and
:func:`run_play` to run it, or :func:`main` on its own::

    python -c "from sim.play.terminal import main; raise SystemExit(main())" \\
        dec2025_joint_drill --human china --human united_states --turns 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sim.cli import args as types
from sim.errors import SimError, UsageError
from sim.text import strip_controls

if TYPE_CHECKING:
    from sim.play.session import PlaySession, ScriptTurn, Situation, TurnSummary

EXIT_USAGE = 2
MAX_WIDTH = 100

HELP = """\
How to choose
  3                  the move numbered 3 in your menu
  statement          a move by the start of its name (any case), or its id
  undo               take back the previous choice this turn (the player before you)
  show               show your situation and menu again
  ? or help          this help
  quit               save the game and stop (continue later with --resume)
  quit --finish      save, stop, and write the run folder of the turns played so far

Reading the screen
  tension            how tense your state is, 0 (calm) to 1 (crisis)
  belief             how hostile you think another state is: calm < 0.30 <= wary < 0.60 <= alarmed
  read as            how hostile another state's move looked TO YOU (0-1); you never see
                     what it meant, and the others never see what you meant
  framing believed   how far the others believe your public framing of your moves (0-1)
  regime             strength of arms-control and transparency norms (0-1)
  rung               position on the escalation ladder (0 = most conciliatory)
"""

INSTRUCTOR_HELP = """\
Instructor, before the turn resolves
  Enter              resolve the turn (the computer moves the other states)
  2  or  new_start   fire inject number 2 (or by id / start of its name) this turn
  event ACTOR RUNG TEXT
                     something you make up: ACTOR (a state the computer plays) makes its
                     move nearest RUNG; TEXT is kept as a note, e.g.
                     event russia 4 Moscow announces snap readiness checks
  injects            list the scenario's injects again
  undo               take back the last inject, event or player's choice
  quit               save the game and stop;  quit --finish also writes the run folder
"""

Outcome = Literal["resolve", "quit", "finish"]


# ---------------------------------------------------------------- arguments


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
    parser.add_argument("--seed", type=types.seed, help="root seed (default: the scenario's)")
    parser.add_argument(
        "--turns", type=types.turns, help="number of turns (default: the scenario's)"
    )
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
        help="YAML/JSON of scripted turns, e.g. {1: {china: hold, inject: [x]}}; "
        "no prompts for those turns",
    )
    parser.add_argument(
        "--out", type=Path, help="run folder to write at the end (default: runs/<id>-play-seed<N>)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing --out folder or save file"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip figures (faster)")


# ---------------------------------------------------------------- text helpers


class Screen:
    """Plain-text output and ``input()``-based prompts."""

    def __init__(self) -> None:
        columns = shutil.get_terminal_size((MAX_WIDTH, 24)).columns
        self.width = max(60, min(MAX_WIDTH, columns))
        self.colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        self.echo = not sys.stdin.isatty()

    def say(self, text: str = "") -> None:
        """Print ``text`` (lines longer than the width are wrapped, keeping their indent)."""
        for line in text.split("\n"):
            if len(line) <= self.width:
                print(line)
                continue
            indent = len(line) - len(line.lstrip())
            print(
                textwrap.fill(
                    line.strip(),
                    width=self.width,
                    initial_indent=" " * indent,
                    subsequent_indent=" " * (indent + 2),
                    break_on_hyphens=False,
                    break_long_words=False,  # a path stays whole, so it can be copied
                )
            )

    def bold(self, text: str) -> str:
        """``text`` in bold on a colour terminal, else as it is."""
        return f"\033[1m{text}\033[0m" if self.colour else text

    def rule(self, char: str = "-") -> None:
        """A horizontal line."""
        print(char * self.width)

    def warn(self, text: str) -> None:
        """A problem with the last input (the prompt follows again)."""
        self.say(f"  ! {text}")

    def ask(self, prompt: str) -> str | None:
        """Read one line; None at the end of input. Piped input is echoed after the prompt.

        Control characters and bidirectional overrides are removed from what was
        typed (:func:`sim.text.strip_controls`) before it is echoed, used or saved.
        """
        try:
            line = strip_controls(input(prompt))
        except EOFError:
            print()
            return None
        if self.echo:
            print(line)
        return line


def _num(x: float) -> str:
    value = round(float(x), 2)
    return f"{0.0 if value == 0 else value:.2f}"


def _signed(x: float) -> str:
    value = round(float(x), 2)
    if value == 0:
        return "±0.00"
    return f"+{value:.2f}" if value > 0 else f"-{-value:.2f}"


def _arrow(delta: float) -> str:
    value = round(float(delta), 2)
    return "▲" if value > 0 else ("▼" if value < 0 else "=")


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- screens


def show_situation(screen: Screen, session: PlaySession, actor: str) -> None:
    """The situation as ``actor`` perceives it, then its menu."""
    s: Situation = session.situation(actor)
    me = s["voice"]
    screen.rule("=")
    screen.say(
        screen.bold(f"Turn {s['turn']} of {s['turns']} - {s['name']} ({me}) decides")
        + "   [only this player should look now]"
    )
    screen.rule("=")
    change = ""
    if s["tension_change"] is not None:
        delta = s["tension_change"]
        change = f"   {_arrow(delta)} {_signed(delta)} since last turn"
    screen.say(f"What {me} sees. These are YOUR perceptions; the other players see their own.")
    screen.say(f"  Your tension             {_num(s['tension'])}{change}   (0 calm - 1 crisis)")
    screen.say(
        f"  Your framing believed    {_num(s['credibility'])}   "
        "(how far the others believe what you say your moves mean; 0-1)"
    )
    screen.say(f"  Arms-control regime      {_num(s['norms'])}   (strength of shared norms; 0-1)")
    screen.say("")
    screen.say(f"  How hostile {me} believes each state is (0 = not at all, 1 = openly hostile):")
    for b in s["beliefs"]:
        screen.say(f"    {_fit(b['name'], 18):<18} {_num(b['belief'])}  {b['word']}")
    screen.say("")
    own = s["own_move"]
    if own is None:
        screen.say("  No moves yet: this is the first turn.")
    else:
        screen.say(f"  Last turn (turn {s['last_turn']}), as {me} read it:")
        screen.say(
            f"    You played {own['label']} (rung {own['rung']}): you meant hostility "
            f"{_num(own['meant'])}, and your framing said {_num(own['framed'])}. "
            "How others read it you can only guess."
        )
        screen.say(f"    {'state':<18} {'you read it as':<24} what it did")
        for r in s["readings"]:
            name = f"{_fit(r['name'], 18):<18}"
            if not r["seen"] or r["perceived"] is None:
                screen.say(f"    {name} {'-':<24} (you did not see what it did)")
                continue
            read = f"{_num(r['perceived'])} {r['reading']}"
            screen.say(f"    {name} {read:<24} {r['label']} (rung {r['rung']})")
    for due in s["due"]:
        screen.say("")
        screen.say(f"  Scheduled for this turn: {due['label']}.")
        if actor in due["moves"]:
            move = session.spec.moves[due["moves"][actor]].label
            screen.say(
                f"    The scenario has {me} play '{move}' here; your choice replaces it "
                "(choose it yourself to keep history as it was)."
            )
    screen.say("")
    show_menu(screen, session, actor)


def show_menu(screen: Screen, session: PlaySession, actor: str) -> None:
    """The moves ``actor`` may choose, numbered."""
    screen.say(
        screen.bold(f"Moves {session.name(actor)} may make")
        + " - type a number or the start of a name; '?' for help"
    )
    screen.say("    #  rung  ladder                    move, and how it is framed in public")
    for ch in session.choices(actor):
        head = f"  {ch['number']:>3}  {ch['rung']:>4}  {_fit(ch['rung_label'], 24):<24}  "
        screen.say(head + ch["label"])
        if ch["framing"]:
            pad = " " * len(head)
            framing = textwrap.fill(
                f'"{ch["framing"]}"',
                width=screen.width,
                initial_indent=pad,
                subsequent_indent=pad + " ",
            )
            screen.say(framing)


def show_instructor(screen: Screen, session: PlaySession) -> None:
    """The instructor's menu of injects."""
    screen.rule("-")
    screen.say(
        screen.bold(f"Instructor - turn {session.turn}")
        + ": all players have chosen. Fire injects, add an event, or press Enter."
    )
    injects = session.injects()
    if injects:
        screen.say("  Injects in this scenario (type a number or id to fire it this turn):")
        for inj in injects:
            state = "fired already" if inj["fired"] else inj["when"]
            mark = "  <- will fire this turn" if inj["pending"] else ""
            screen.say(f"  {inj['number']:>3}. {inj['label']} [{inj['inject']}; {state}]{mark}")
    else:
        screen.say("  This scenario defines no injects.")
    for due in session.due_injects():
        screen.say(f"  Fires this turn anyway: {due['label']}")
    screen.say("  Or: event <actor> <rung> <what happens>  ·  Enter resolves  ·  '?' for help")


def show_summary(screen: Screen, session: PlaySession, summary: TurnSummary) -> None:
    """What the turn just played did."""
    screen.rule("=")
    screen.say(screen.bold(f"Turn {summary['turn']} resolved"))
    for inj in summary["injects"]:
        by = "fired by the instructor" if inj["by"] == "hand" else "scenario"
        screen.say(f"  Event: {inj['label']} ({by})")
    for e in summary["events"]:
        move = session.spec.moves[e["move"]].label
        screen.say(
            f'  Instructor\'s event: {session.name(e["actor"])} - "{e["text"]}" '
            f"(played as '{move}', rung {session.spec.moves[e['move']].rung})"
        )
    event_actors = {e["actor"] for e in summary["events"]}
    screen.say("")
    screen.say(f"  {'state':<18} {'move (rung)':<44} {'chosen by':<14} tension")
    for m in summary["moves"]:
        if m["actor"] in session.humans:
            by = "player"
        elif m["actor"] in event_actors:
            by = "instructor"
        elif m["source"] == "inject":
            by = "scenario"
        else:
            by = "computer"
        move = _fit(f"{m['label']} ({m['rung']})", 44)
        delta = m["tension_after"] - m["tension_before"]
        screen.say(
            f"  {_fit(m['name'], 18):<18} {move:<44} {by:<14} "
            f"{_num(m['tension_before'])} -> {_num(m['tension_after'])} {_arrow(delta)}"
        )
    for h in summary["humans"]:
        screen.say("")
        screen.say(
            f"  How the others read {_possessive(h['name'])} {h['label']} "
            f"(meant {_num(h['meant'])}; gap = read - meant):"
        )
        for r in h["readings"]:
            screen.say(
                f"    {_fit(r['name'], 18):<18} read {_num(r['perceived'])}  "
                f"gap {_signed(r['gap']):>6}  {r['reading']}"
            )
        if h["unseen_by"]:
            screen.say(f"    not seen by: {', '.join(h['unseen_by'])}")
    screen.say("")
    screen.say(
        f"  Mean tension {_num(summary['mean_tension_before'])} -> "
        f"{_num(summary['mean_tension_after'])}; arms-control regime "
        f"{_num(summary['norms_before'])} -> {_num(summary['norms_after'])}"
    )


# ---------------------------------------------------------------- one turn


def _split_command(line: str) -> tuple[str, str]:
    word, _, rest = line.strip().partition(" ")
    return word.lower(), rest.strip()


def _quit_kind(word: str, rest: str) -> Outcome | None:
    if word in ("quit", "exit", "q"):
        return "finish" if rest.lower() in ("--finish", "finish") else "quit"
    if word == "finish":
        return "finish"
    return None


def _ask(screen: Screen, prompt: str) -> tuple[str, str, str, Outcome | None]:
    """Read one command: ``(line, word, rest, stop)``.

    ``stop`` is how the game ends if the command ends it (end of input: quit), else None.
    """
    line = screen.ask(prompt)
    if line is None:
        screen.say("(end of input)")
        return "", "", "", "quit"
    word, rest = _split_command(line)
    return line, word, rest, _quit_kind(word, rest)


def interactive_turn(screen: Screen, session: PlaySession) -> Outcome:
    """Prompt every human, then the instructor, until the turn may resolve."""
    shown: str | None = None
    while True:
        waiting = session.waiting()
        if waiting:
            actor = waiting[0]
            if shown != actor:
                show_situation(screen, session, actor)
                shown = actor
            line, word, rest, stop = _ask(screen, f"{session.name(actor)}> ")
            if stop is not None:
                return stop
            if word in ("?", "help", "h"):
                screen.say(HELP)
            elif word in ("show", "look", "menu"):
                shown = None
            elif word == "undo":
                done = session.undo()
                screen.say(f"  {done}." if done else "  Nothing to undo this turn.")
            elif not line.strip():
                screen.warn("type a move's number or name ('?' for help)")
            else:
                try:
                    move = session.choose(actor, line)
                except SimError as exc:
                    screen.warn(str(exc))
                    continue
                label = session.spec.moves[move].label
                screen.say(f"  {session.name(actor)} will play: {label}.")
                nxt = session.waiting()
                if nxt:
                    whose = _possessive(session.name(nxt[0]))
                    screen.say(f"  Now pass the keyboard to {whose} player.")
                    screen.say("\n" * 2)
            continue
        if shown != "":
            show_instructor(screen, session)
            shown = ""
        line, word, rest, stop = _ask(screen, "instructor> ")
        if stop is not None:
            return stop
        if not line.strip():
            return "resolve"
        try:
            if word in ("?", "help", "h"):
                screen.say(INSTRUCTOR_HELP)
            elif word in ("injects", "list", "show"):
                shown = None
            elif word == "undo":
                done = session.undo()
                screen.say(f"  {done}." if done else "  Nothing to undo this turn.")
            elif word == "event":
                parts = rest.split(None, 2)
                if len(parts) < 3:
                    screen.warn("write: event <actor> <rung> <what happens>")
                    continue
                move = session.event(parts[0], parts[1], parts[2])
                actor = session.actor_id(parts[0])
                spec_move = session.spec.moves[move]
                screen.say(
                    f"  Noted. {session.name(actor)} will play '{spec_move.label}' "
                    f"(rung {spec_move.rung}) this turn."
                )
            else:
                key = session.fire(line)
                screen.say(f"  '{session.spec.injects[key].label}' will fire this turn.")
                _warn_overridden(screen, session, key)
        except SimError as exc:
            screen.warn(str(exc))


def _warn_overridden(screen: Screen, session: PlaySession, key: str) -> None:
    for effect in session.spec.injects[key].effects:
        move = effect.move
        if move is not None and move.actor in session.humans:
            screen.say(
                f"  Note: it would make {session.name(move.actor)} play "
                f"'{session.spec.moves[move.move].label}', but "
                "the player's own choice stands."
            )


def scripted_turn(screen: Screen, session: PlaySession, step: ScriptTurn, origin: Path) -> None:
    """Enter a turn from the ``--moves`` file (no prompts)."""
    from sim.play.session import apply_script

    try:
        apply_script(session, step)
    except SimError as exc:
        raise UsageError(f"{origin}: turn {step.turn}: {exc}") from None
    screen.say(f"Turn {step.turn}: moves taken from {origin}.")


# ---------------------------------------------------------------- the game


def _start(args: argparse.Namespace) -> tuple[PlaySession, Path]:
    from sim.paths import resolve_scenario
    from sim.play.session import PlaySession, check_save_target

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
        raise UsageError("name at least one state to play: --human ACTOR (e.g. --human china)")
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
        "picks a move; then the instructor may fire an inject; then everyone moves at once. "
        "Type '?' at any prompt for help."
    )


def _write_folder(
    session: PlaySession, args: argparse.Namespace, command: list[str], screen: Screen
) -> Path:
    from sim.outputs.run_folder import default_folder, write_run_folder
    from sim.scenario.loader import display_path

    folder = args.out or default_folder(Path("runs"), f"{session.spec.id}-play", session.seed)

    def extra(staging: Path) -> list[str]:
        return _play_files(session, staging)

    write_run_folder(
        session.result(),
        folder,
        loaded=session.loaded,
        seed_source=session.seed_source,
        overrides=list(session.overrides),
        command=command,
        force=args.force,
        figures=not args.no_figures,
        extra=extra,
    )
    if not args.no_figures:
        from sim.outputs.report import write_report

        report = write_report(Path(folder))
        screen.say(f"Report: {display_path(report)} (one page, opens offline, prints cleanly)")
    screen.say(f"Wrote {display_path(folder)}/ (open transcript.md and figures/ first)")
    return Path(folder)


def _play_files(session: PlaySession, staging: Path) -> list[str]:
    """play.json (the inputs) and the instructor's notes in transcript.md."""
    import json

    from sim.outputs.transcript import md

    (staging / "play.json").write_text(
        # paths relative to the run folder (its staging sibling sits at the same depth)
        json.dumps(session.to_json(staging), indent=2) + "\n",
        encoding="utf-8",
    )
    transcript = staging / "transcript.md"
    if transcript.is_file():
        text = transcript.read_text(encoding="utf-8")
        notes = session.notes()
        for note in notes:
            heading = f"### Turn {note['turn']}\n"
            line = (
                f"**Instructor's event:** {md(note['text'])} "
                f"({md(session.voice(note['actor']))}: "
                f"{md(session.spec.moves[note['move']].label)})\n"
            )
            text = text.replace(heading, heading + "\n" + line, 1)
        lines = ["", "## Played by people", ""]
        lines.append(
            "States played by people: "
            + ", ".join(md(session.name(a)) for a in session.humans)
            + " (`source` = `human` in events.csv)."
        )
        lines.append("")
        for inp in session.inputs:
            moves = "; ".join(
                f"{md(session.name(a))}: {md(session.spec.moves[m].label)}"
                for a, m in inp.moves.items()
            )
            extras = [f"inject fired by hand: {md(k)}" for k in inp.injects]
            extras += [
                f'event for {md(session.name(e["actor"]))}: "{md(e["text"])}"' for e in inp.events
            ]
            tail = f" ({'; '.join(extras)})" if extras else ""
            lines.append(f"- Turn {inp.turn}: {moves}{tail}")
        transcript.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return ["play.json"]


def run_play(args: argparse.Namespace, argv: Sequence[str] | None = None) -> int:
    """Run ``sim play`` with parsed ``args``; return the exit status.

    Args:
        args: Parsed arguments (see :func:`add_arguments`).
        argv: The command line after ``sim`` (starting with ``play``), for the
            run manifest.

    Raises:
        SimError: bad arguments, scenario, save or moves file (exit status 2).
    """
    from sim.play.session import load_script

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
                outcome: Outcome = "resolve"
            else:
                outcome = interactive_turn(screen, session)
            if outcome != "resolve":
                session.save(save)
                screen.say(f"Game saved after turn {session.played} to {save}.")
                if outcome == "finish" and session.played:
                    _write_folder(session, args, command, screen)
                elif outcome == "finish":
                    screen.say("No turn has been played yet, so there is no run folder to write.")
                screen.say(f"Continue later with: sim play --resume {save}")
                return 0
            record = session.resolve()
            show_summary(screen, session, session.summary(record))
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


def main(argv: Sequence[str] | None = None) -> int:
    """``sim play`` on its own: ``argv`` without 'play'; the same as ``sim play ...``."""
    from sim.cli.main import main as sim_main

    return sim_main(["play", *(sys.argv[1:] if argv is None else argv)])
