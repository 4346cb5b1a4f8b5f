"""The session folder of a seminar: saved after every change, resumed with the same links.

A session folder holds

* ``play.json``: the game's save file (:meth:`sim.play.core.PlaySession.save`,
  format ``sim-play/2``): ``sim play --resume`` can continue it too;
* ``room.json``: the room (format :data:`ROOM_FORMAT`): the teams, the link
  token of every role, the absent rule, which teams were absent in each
  resolved turn, the reveal, and this turn's unresolved steps
  (submissions, hand-fired injects, events), so a restart mid-turn loses nothing;
* ``run/``: the run folder written when the session ends (:func:`finish`), with
  its ``report.html`` (the full report) and ``handout.html`` (the class handout);
* ``briefs/``: one brief per team (``brief-<actor>.html``), written with the run folder.

Both files are written whole or not at all (:func:`sim.files.write_atomic`).
``room.json`` holds the link tokens: anyone who can read the folder can open
every page, so keep it where the class cannot read it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.files import SAVE_LIMIT, read_json, write_atomic
from sim.play.core import PlaySession
from sim.play.shapes import PlayError
from sim.seminar.room import ABSENT_RULES, Room, Submission

ROOM_FORMAT = "sim-seminar/1"
PLAY_FILE = "play.json"
ROOM_FILE = "room.json"
RUN_FOLDER = "run"
BRIEFS_FOLDER = "briefs"


def room_json(room: Room) -> dict[str, Any]:
    """The content of ``room.json``."""
    pending = room.session.pending()
    return {
        "format": ROOM_FORMAT,
        "teams": list(room.teams),
        "absent": room.absent,
        "tokens": dict(room.tokens),
        "absentees": [list(a) for a in room.absentees],
        "revealed": room.revealed,
        "finished_folder": room.finished_folder,
        "pending": {
            "turn": room.session.turn,
            "submissions": {t: s.to_json() for t, s in room.submissions.items()},
            "injects": list(pending.injects),
            "events": [dict(e) for e in pending.events],
        },
    }


def save(room: Room, folder: Path) -> None:
    """Write ``play.json`` and ``room.json`` into ``folder`` (each whole or not at all)."""
    room.session.save(folder / PLAY_FILE)
    write_atomic(folder / ROOM_FILE, json.dumps(room_json(room), indent=1) + "\n", replace=True)


def saver(folder: Path) -> Any:
    """A :attr:`Room.on_change` that saves the room into ``folder``."""

    def on_change(room: Room) -> None:
        save(room, folder)

    return on_change


def prepare(folder: Path) -> None:
    """Create a new session folder; refuse one that exists and is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "a session" if (folder / ROOM_FILE).is_file() else "something"
        raise PlayError(
            f"{folder} already holds {what}: continue it with --resume {folder}, "
            "or choose another --out"
        )
    folder.mkdir(parents=True, exist_ok=True)


def load(folder: Path) -> Room:
    """Resume the room saved in ``folder``: same game, same teams, same links.

    Raises:
        FileProblem: a file is missing, not a regular file or not JSON.
        PlayError: not a seminar's room file, or the saved game no longer replays.
    """
    data = read_json(folder / ROOM_FILE, limit=SAVE_LIMIT, what="seminar room file")
    if not isinstance(data, dict) or data.get("format") != ROOM_FORMAT:
        raise PlayError(f"{folder / ROOM_FILE}: not a seminar room file (format {ROOM_FORMAT})")
    session = PlaySession.load(folder / PLAY_FILE)
    if list(data.get("teams", [])) != session.humans:
        raise PlayError(f"{folder}: the teams of room.json and play.json differ")
    absent = data.get("absent")
    if absent not in ABSENT_RULES:
        raise PlayError(f"{folder / ROOM_FILE}: absent must be one of {', '.join(ABSENT_RULES)}")
    room = Room(
        session,
        absent=absent,
        tokens={str(k): str(v) for k, v in dict(data.get("tokens", {})).items()},
        absentees=list(data.get("absentees", [])),
        revealed=int(data.get("revealed", 0)),
    )
    room.finished_folder = data.get("finished_folder")
    pending = data.get("pending") or {}
    if pending.get("turn") == session.turn and not session.finished:
        for key in pending.get("injects", []):
            session.fire(str(key))
        for e in pending.get("events", []):
            session.event(
                str(e["actor"]),
                int(e["rung"]),
                str(e["text"]),
                e.get("intended"),
                framed=e.get("framed"),
            )
        for team, sub in dict(pending.get("submissions", {})).items():
            if team in room.teams:
                room.submissions[team] = Submission(
                    str(sub["move"]), str(sub.get("text", "")), sub.get("claims")
                )
    return room


def finish(room: Room, folder: Path, command: Sequence[str], *, figures: bool = True) -> str:
    """Write the class folder of the game so far into ``folder``; return the run folder's name.

    That is the run folder ``folder/run`` with its full report (``report.html``)
    and class handout (``handout.html``), and one brief per team in
    ``folder/briefs`` (:func:`sim.outputs.briefs.write_briefs`). Each is
    replaced when the session is finished again.

    Raises:
        PlayError: no turn has been played yet.
        SimError: a write failed.
    """
    from sim.outputs.briefs import write_briefs
    from sim.outputs.report import write_report
    from sim.outputs.report.handout import write_handout
    from sim.play.folder import write_play_folder

    with room.lock:
        session = room.session
        if not session.played:
            raise PlayError("no turn has been played yet, so there is no run folder to write")
        target = folder / RUN_FOLDER
        report = write_play_folder(
            session,
            target,
            command=list(command),
            force=os.path.lexists(target),
            figures=figures,
        )
        result = session.result()
        if report is None:  # without figures the play folder has no report yet
            write_report(target, result=result)
        write_handout(target, result=result)
        briefs = folder / BRIEFS_FOLDER
        write_briefs(
            session.spec,
            briefs,
            room.teams,
            force=os.path.lexists(briefs),
            command=list(command),
        )
        room.mark_finished(RUN_FOLDER)
        return RUN_FOLDER
