"""The run folder a game of play mode ends with: the usual run folder, plus who played what.

:func:`write_play_folder` writes the game so far through
:func:`sim.outputs.run_folder.write_run_folder` (whole, or not at all), adding

* ``play.json``: the game's save file content, paths relative to the folder,
  so the game can be resumed or replayed from it;
* ``transcript.md`` and ``debrief.md`` written with the moves people chose
  (:func:`played_moves`): each such move is marked "played by a team" or "the
  instructor's event", and told in their own words (a team's framing text, an
  event's text, verbatim and escaped); the transcript ends with a section
  "Played by people" listing every person's move;

then, with figures, the one-page ``report.html`` (given the game's result, so
its debrief is written from data). The terminal only says
where they went.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.outputs.transcript import PlayedMove
    from sim.play.core import PlaySession


def default_play_folder(session: PlaySession, root: Path = Path("runs")) -> Path:
    """``runs/<id>-play-seed<N>`` (with ``-2``, ``-3``... when that exists)."""
    from sim.outputs.run_folder import default_folder

    return default_folder(root, f"{session.spec.id}-play", session.seed)


def write_play_folder(
    session: PlaySession,
    folder: Path,
    *,
    command: Sequence[str],
    force: bool = False,
    figures: bool = True,
) -> Path | None:
    """Write the run folder of the turns played so far; return ``report.html`` (None: no figures).

    Raises:
        SimError: ``folder`` exists and may not be replaced, or a write failed.
    """
    from sim.outputs.run_folder import write_run_folder

    result = session.result()

    def extra(staging: Path) -> list[str]:
        return play_files(session, staging)

    write_run_folder(
        result,
        folder,
        loaded=session.loaded,
        seed_source=session.seed_source,
        overrides=list(session.overrides),
        command=list(command),
        force=force,
        figures=figures,
        extra=extra,
        played=played_moves(session),
    )
    if not figures:
        return None
    from sim.outputs.report import write_report

    # The game's own run: the report writes the debrief from its data (a folder
    # with play.json cannot be replayed from its seed alone). transcript.md has
    # the instructor's notes and who played what added to it, which the
    # transcript's data does not hold, so the report shows that file as written.
    return write_report(Path(folder), result=result)


def played_moves(session: PlaySession) -> dict[tuple[int, str], PlayedMove]:
    """Every move people chose in the resolved turns, with their own words, by (turn, actor)."""
    from sim.outputs.transcript import PlayedMove

    out: dict[tuple[int, str], PlayedMove] = {}
    for inp in session.inputs:
        for actor in inp.moves:
            framing = inp.framings.get(actor)
            out[inp.turn, actor] = PlayedMove("team", framing=framing and framing["text"])
        for e in inp.events:
            out[inp.turn, str(e["actor"])] = PlayedMove(
                "instructor", text=str(e["text"]), rung=int(e["rung"])
            )
    return out


def play_files(session: PlaySession, staging: Path) -> list[str]:
    """Write play.json, and transcript.md and debrief.md with people's moves, into ``staging``."""
    from sim.outputs.debrief import build_debrief, debrief_markdown
    from sim.outputs.transcript import build_transcript, md, transcript_markdown

    (staging / "play.json").write_text(
        # paths relative to the run folder (its staging sibling sits at the same depth)
        json.dumps(session.to_json(staging), indent=2) + "\n",
        encoding="utf-8",
    )
    played = played_moves(session)
    result = session.result()
    debrief = staging / "debrief.md"
    if debrief.is_file():
        text = debrief_markdown(build_debrief(result, played))
        debrief.write_text(text, encoding="utf-8", newline="\n")
    transcript = staging / "transcript.md"
    if transcript.is_file():
        text = transcript_markdown(build_transcript(result, played=played))
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
            extras += [
                f'{md(session.name(a))} framed it as "{md(f["text"])}"'
                for a, f in inp.framings.items()
            ]
            tail = f" ({'; '.join(extras)})" if extras else ""
            lines.append(f"- Turn {inp.turn}: {moves}{tail}")
        transcript.write_text(
            text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8", newline="\n"
        )
    return ["play.json"]
