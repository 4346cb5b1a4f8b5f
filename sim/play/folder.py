"""The run folder a game of play mode ends with: the usual run folder, plus who played what.

:func:`write_play_folder` writes the game so far through
:func:`sim.outputs.run_folder.write_run_folder` (whole, or not at all), adding

* ``play.json``: the game's save file content, paths relative to the folder,
  so the game can be resumed or replayed from it;
* in ``transcript.md``: the instructor's events under their turns, and a
  section "Played by people" listing every person's move;

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
    )
    if not figures:
        return None
    from sim.outputs.report import write_report

    # The game's own run: the report writes the debrief from its data (a folder
    # with play.json cannot be replayed from its seed alone). transcript.md has
    # the instructor's notes and who played what added to it, which the
    # transcript's data does not hold, so the report shows that file as written.
    return write_report(Path(folder), result=result)


def play_files(session: PlaySession, staging: Path) -> list[str]:
    """Write play.json and the instructor's notes in transcript.md into ``staging``."""
    from sim.outputs.transcript import md

    (staging / "play.json").write_text(
        # paths relative to the run folder (its staging sibling sits at the same depth)
        json.dumps(session.to_json(staging), indent=2) + "\n",
        encoding="utf-8",
    )
    transcript = staging / "transcript.md"
    if transcript.is_file():
        text = transcript.read_text(encoding="utf-8")
        for note in session.notes():
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
