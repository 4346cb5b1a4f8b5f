"""The screens of ``sim play`` in a terminal: plain text out, ``input()`` in.

:class:`Screen` prints text at most 100 columns wide (no colour unless stdout
is a terminal) and reads lines with control characters removed. The
``show_*`` functions print what the game (:class:`~sim.play.core.PlaySession`)
hands them; :func:`interactive_turn` prompts every human-played state and
then the instructor until a turn may resolve, and :func:`scripted_turn`
enters a turn of the ``--moves`` file. All game logic lives in the game.

Hot-seat privacy: between players (and before the instructor) the screen is
cleared, with its scrollback, when stdout is a terminal (else a rule line is
printed); each player sees only its own state's situation; the shared summary
after a turn says only what is public (injects, the instructor's events, the
regime), and what each move meant and how each state read it appears only at
the **reveal** (:func:`show_summary` with ``reveal=True``): the instructor's
``reveal`` command, or after every turn with ``--reveal-each-turn``.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sim.errors import SimError, UsageError
from sim.outputs.grammar import form, is_plural_actor
from sim.play import rules
from sim.play.helptext import HELP, INSTRUCTOR_HELP
from sim.text import strip_controls

if TYPE_CHECKING:
    from sim.play.core import PlaySession
    from sim.play.script import ScriptTurn
    from sim.play.shapes import Framing, Situation, TurnSummary

MAX_WIDTH = 100

Outcome = Literal["play", "quit", "finish"]
"""How a turn's input ends: play the turn, or save and stop (``finish``: also write the folder)."""


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

    def clear(self, next_up: str) -> None:
        """Hide what was on screen before ``next_up`` looks.

        On a terminal: wait for Enter (when input is typed too), then clear the
        screen and its scrollback. Otherwise (piped, or a log) a rule line.
        """
        if sys.stdout.isatty():
            if sys.stdin.isatty():
                self.ask(f"  Press Enter when {next_up} is at the keyboard. ")
            print("\033[3J\033[H\033[2J", end="", flush=True)
        else:
            self.rule("#")

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
    many = is_plural_actor(session.spec.actors[actor])
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
    screen.say(
        f"What {me} {form('sees', many)}. These are YOUR perceptions; "
        "the other players see their own."
    )
    screen.say(f"  Your tension             {_num(s['tension'])}{change}   (0 calm - 1 crisis)")
    screen.say(
        f"  Your framing believed    {_num(s['credibility'])}   "
        "(how far the others believe what you say your moves mean; 0-1)"
    )
    screen.say(f"  Norms regime             {_num(s['norms'])}   (strength of shared norms; 0-1)")
    screen.say("")
    screen.say(
        f"  How hostile {me} {form('believes', many)} each state is "
        "(0 = not at all, 1 = openly hostile):"
    )
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
            if not inj["can_fire"] and not inj["pending"] and inj["why_not"]:
                screen.say(f"         cannot fire now: {inj['why_not']}")
    else:
        screen.say("  This scenario defines no injects.")
    for due in session.due_injects():
        screen.say(f"  Fires this turn anyway: {due['label']}")
    screen.say(
        "  Or: event <actor> <rung> <what happens>  ·  reveal  ·  Enter resolves  ·  '?' for help"
    )


def show_summary(
    screen: Screen, session: PlaySession, summary: TurnSummary, *, reveal: bool = True
) -> None:
    """What the turn just played did.

    ``reveal=False``: only what the whole room may see (injects, the
    instructor's events, the regime); ``reveal=True`` adds every move, who
    chose it, tension, and what each move people chose meant and how each
    state read it.
    """
    screen.rule("=")
    screen.say(screen.bold(f"Turn {summary['turn']} resolved"))
    for inj in summary["injects"]:
        by = "fired by the instructor" if inj["by"] == "hand" else "scenario"
        screen.say(f"  Event: {inj['label']} ({by})")
    for e in summary["events"]:
        screen.say(
            f'  Instructor\'s event: {session.name(e["actor"])} - "{e["text"]}" (rung {e["rung"]})'
        )
    if not reveal:
        screen.say(
            f"  Norms regime {_num(summary['norms_before'])} -> {_num(summary['norms_after'])}."
        )
        screen.say(
            "  What each state did and how it read the others stays private: every player "
            "sees their own state's view at their next turn. Instructor: type 'reveal' at "
            "your prompt to show the room what was meant and how it was read."
        )
        return
    screen.say("")
    screen.say(f"  {'state':<18} {'move (rung)':<44} {'chosen by':<14} tension")
    for m in summary["moves"]:
        by = m["by"]
        move = _fit(f"{m['label']} ({m['rung']})", 44)
        delta = m["tension_after"] - m["tension_before"]
        screen.say(
            f"  {_fit(m['name'], 18):<18} {move:<44} {by:<14} "
            f"{_num(m['tension_before'])} -> {_num(m['tension_after'])} {_arrow(delta)}"
        )
    for h in summary["humans"]:
        screen.say("")
        what = f'"{h["text"]}"' if h["text"] else h["label"]
        framing = f'; framed as "{h["framing"]}"' if h["framing"] else ""
        screen.say(
            f"  How the others read {_possessive(session.voice(h['actor']))} {what} "
            f"({h['by']}; meant {_num(h['meant'])}, framing claimed {_num(h['framed'])}"
            f"{framing}; gap = read - meant toward the reader, less toward a partner):"
        )
        for r in h["readings"]:
            screen.say(
                f"    {_fit(r['name'], 18):<18} meant {_num(r['meant'])}  read "
                f"{_num(r['perceived'])}  gap {_signed(r['gap']):>6}  {r['reading']}"
            )
        if h["unseen_by"]:
            screen.say(f"    not seen by: {', '.join(h['unseen_by'])}")
    screen.say("")
    screen.say(
        f"  Mean tension {_num(summary['mean_tension_before'])} -> "
        f"{_num(summary['mean_tension_after'])}; norms regime "
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


def _valued(text: str) -> tuple[float | None, str]:
    """``@0.8 rest`` -> ``(0.8, 'rest')``; text without a leading ``@value`` -> ``(None, text)``."""
    if not text.startswith("@"):
        return None, text
    value, _, rest = text[1:].partition(" ")
    try:
        return float(value), rest.strip()
    except ValueError:
        raise UsageError(f"'@{value}' is not a number from 0 to 1 (e.g. @0.8)") from None


def interactive_turn(screen: Screen, session: PlaySession) -> Outcome:
    """Prompt every human, then the instructor, until the turn may resolve.

    The screen is cleared before each player's situation and before the
    instructor's menu (:meth:`Screen.clear`), so no player sees another's view.
    """
    shown: str | None = None
    cleared: str | None = None
    framings: dict[str, Framing] = {}
    while True:
        waiting = session.waiting()
        if waiting:
            actor = waiting[0]
            if shown != actor:
                if cleared != actor:
                    screen.clear(f"{_possessive(session.voice(actor))} player")
                    cleared = actor
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
            elif word == "frame":
                try:
                    claims, text = _valued(rest)
                    framings[actor] = rules.checked_framing({"text": text, "claims": claims})
                except SimError as exc:
                    screen.warn(str(exc))
                    continue
                screen.say(f'  Your public words for the move you choose next: "{text}".')
            elif not line.strip():
                screen.warn("type a move's number or name ('?' for help)")
            else:
                try:
                    move = session.choose(actor, line, framings.pop(actor, None))
                except SimError as exc:
                    screen.warn(str(exc))
                    continue
                label = session.spec.moves[move].label
                screen.say(f"  {session.voice(actor)} will play: {label}.")
                nxt = session.waiting()
                if nxt:
                    whose = _possessive(session.voice(nxt[0]))
                    screen.say(f"  Now pass the keyboard to {whose} player.")
            continue
        if shown != "":
            if cleared != "":
                screen.clear("the instructor")
                cleared = ""
            show_instructor(screen, session)
            shown = ""
        line, word, rest, stop = _ask(screen, "instructor> ")
        if stop is not None:
            return stop
        if not line.strip():
            return "play"
        try:
            if word in ("?", "help", "h"):
                screen.say(INSTRUCTOR_HELP)
            elif word in ("injects", "list", "show"):
                shown = None
            elif word == "reveal":
                if not session.played:
                    screen.warn("no turn has been played yet: there is nothing to reveal")
                else:
                    show_summary(screen, session, session.summary(), reveal=True)
            elif word == "undo":
                done = session.undo()
                screen.say(f"  {done}." if done else "  Nothing to undo this turn.")
            elif word == "event":
                parts = rest.split(None, 2)
                if len(parts) < 3:
                    screen.warn("write: event <actor> <rung> <what happens>")
                    continue
                meant, text = _valued(parts[2])
                move = session.event(parts[0], parts[1], text, meant)
                actor = session.actor_id(parts[0])
                spec_move = session.spec.moves[move]
                screen.say(
                    f"  Noted. {session.voice(actor)} acts this turn with the mechanics of "
                    f"'{spec_move.label}' (rung {spec_move.rung}), meant at hostility "
                    f"{_num(session.pending().events[-1]['intended'])}."
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
                f"  Note: it would make {session.voice(move.actor)} play "
                f"'{session.spec.moves[move.move].label}', but "
                "the player's own choice stands."
            )


def scripted_turn(screen: Screen, session: PlaySession, step: ScriptTurn, origin: Path) -> None:
    """Enter a turn from the ``--moves`` file (no prompts)."""
    from sim.play.script import apply_script

    try:
        apply_script(session, step)
    except SimError as exc:
        raise UsageError(f"{origin}: turn {step.turn}: {exc}") from None
    screen.say(f"Turn {step.turn}: moves taken from {origin}.")
