"""Saving and resuming a game of play mode: the save file on disk.

:func:`save_json` is a save file's content; :func:`write_save` writes it
(whole or not at all, and only ever over another save file of this tool, never
over a folder, a link, a device or another file: :func:`check_save_target`);
:func:`read_save` reads one back and replays its inputs on a fresh game with
the same seed, which reproduces the state exactly because the engine is
deterministic.

Save files are read through :mod:`sim.files` (regular files only, bounded while
reading, strict JSON) and checked against
:class:`~sim.play.savefile.SaveFile` before anything is replayed. Every
problem is a one-line ``file:line:column: field: what is wrong: what to do``.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.files import (
    SAVE_LIMIT,
    FileProblem,
    explain,
    parse_json,
    read_json,
    read_text,
    shown,
    write_atomic,
)
from sim.play.savefile import (
    SAVE_FORMAT,
    SAVE_FORMATS,
    SaveFile,
    save_file_problems,
    what_is_wrong,
)
from sim.play.shapes import Game, PlayError, TurnInput
from sim.play.where import SAVE_ADVICE, Where, brief
from sim.scenario.loader import scenario_hash

StatKey = tuple[str, int, int, int, int]
"""Identity of a regular file: path, device, inode, size, modification time."""


def stat_key(path: Path) -> StatKey | None:
    """Identity of a regular file at ``path`` (None when there is none)."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (os.path.abspath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def check_save_target(path: str | Path) -> bool:
    """Whether a save file of this tool is at ``path``; False when nothing is there.

    A save file may only replace another save file of this tool.

    Raises:
        PlayError: a folder, a symbolic link, a device, FIFO or socket, or a
            file that is not a sim save file is at ``path``.
    """
    path = Path(path)
    name = shown(path)
    if "\0" in str(path):
        raise PlayError(f"{name!r}: the name holds a NUL character: choose another --save")
    _no_file_above(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise PlayError(f"{name}: cannot save the game there: {explain(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise PlayError(
            f"{name} is a symbolic link; a save file is never written through one: "
            "choose another --save"
        )
    if stat.S_ISDIR(info.st_mode):
        raise PlayError(f"{name} is a folder, not a save file: choose another --save (a file)")
    if not stat.S_ISREG(info.st_mode):
        raise PlayError(
            f"{name} is a device, FIFO or socket, not a save file: choose another --save"
        )
    try:
        data = read_json(path, limit=SAVE_LIMIT, what="save file")
    except FileProblem:
        data = None
    if not isinstance(data, dict) or data.get("format") not in SAVE_FORMATS:
        raise PlayError(f"{name} exists and is not a sim save file: choose another --save")
    return True


def _save_folder(path: Path) -> None:
    """Create the folder of ``path`` if needed (a part of it that is a file is refused)."""
    _no_file_above(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlayError(f"{shown(path)}: cannot save the game there: {explain(exc)}") from None


def _no_file_above(path: Path) -> None:
    """Refuse a ``path`` whose folder, or a folder above, is a file."""
    name = shown(path)
    folder = path.parent
    for part in (folder, *folder.parents):
        try:
            info = os.stat(part)
        except (FileNotFoundError, NotADirectoryError):  # look further up
            continue
        except (OSError, ValueError) as exc:
            why = explain(exc) if isinstance(exc, OSError) else "the name holds a NUL character"
            raise PlayError(f"{name}: cannot save the game there: {why}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise PlayError(f"{name}: {shown(part)} is a file, not a folder: choose another --save")
        break


def saved_scenario(path: Path, save: SaveFile, where: Where) -> Path:
    """The scenario file a save file names, checked to be a regular file (nothing is opened).

    ``sim-play/2`` and later: relative to the save file's folder. ``sim-play/1``: as
    given when the game started (relative to that folder), else
    ``scenario_file``, else relative to the save file's folder.
    """
    texts = [save.scenario]
    if save.scenario_file is not None:
        texts.append(save.scenario_file)
    if any("\0" in t for t in texts):
        raise where.problem(("scenario",), "the path holds a NUL character")
    given = Path(save.scenario)
    beside = Path(os.path.normpath(path.parent / given))
    if given.is_absolute():
        candidates = [given]
    elif save.format == "sim-play/1":
        candidates = [given]
        if save.scenario_file is not None:
            candidates.append(Path(save.scenario_file))
        candidates.append(beside)
    else:
        candidates = [beside, path.resolve().parent / given]
    found = next((c for c in candidates if os.path.lexists(c)), None)
    if found is None:
        raise where.problem(
            ("scenario",),
            f"no scenario file {shown(candidates[0])}",
            "put the scenario back there, or start a new game",
        )
    try:
        info = os.stat(found)
    except OSError as exc:
        raise where.problem(
            ("scenario",), f"cannot read {shown(found)}: {explain(exc)}", SAVE_ADVICE
        ) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise where.problem(
            ("scenario",),
            f"{shown(found)} is {kind}, not a scenario file",
            "point it at the scenario file (relative to the save file's folder), "
            "or start a new game",
        )
    return Path(shown(found))


# ---------------------------------------------------------------- writing


def save_json(session: Game, folder: str | Path | None = None) -> dict[str, Any]:
    """The save file's content for ``session`` (resolved turns only).

    Args:
        session: The game.
        folder: The folder the file will be in: ``scenario`` is written
            relative to it (default: the current folder), so a save file
            holds no absolute path of this computer and can move with its
            scenario.
    """
    base = os.path.abspath(folder if folder is not None and str(folder) else ".")
    target = os.path.abspath(session.scenario_path)
    try:
        scenario = Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive: no relative path exists
        scenario = Path(target).as_posix()
    return {
        "format": SAVE_FORMAT,
        "scenario": scenario,
        "scenario_id": session.spec.id,
        "scenario_sha256": scenario_hash(session.spec),
        "overrides": list(session.overrides),
        "seed": session.seed,
        "seed_source": session.seed_source,
        "turns": session.turns,
        "humans": list(session.humans),
        "played": session.played,
        "inputs": [inp.to_json() for inp in session.inputs],
    }


def write_save(session: Game, path: Path, known: StatKey | None = None) -> StatKey | None:
    """Write ``session`` to ``path`` as JSON, whole or not at all; return the file's identity.

    The folder is created if needed. An existing file is replaced only when
    it is a save file of this tool (see :func:`check_save_target`); ``known``
    is the identity of the file this session wrote last, which is not read
    again while it is unchanged.

    Raises:
        PlayError: something other than a save file is at ``path``, or a
            part of its folder is a file.
        FileProblem: the write failed (disk full, read-only ...).
    """
    _save_folder(path)
    if known is None or stat_key(path) != known:
        check_save_target(path)
    text = json.dumps(save_json(session, path.parent), indent=2) + "\n"
    write_atomic(path, text, replace=True)
    return stat_key(path)


# ---------------------------------------------------------------- reading


def read_save[G: Game](path: Path, make: Callable[..., G]) -> G:
    """Resume a saved game: replay its inputs on a fresh game with the same seed.

    ``make`` builds the game as :class:`~sim.play.core.PlaySession` does
    (``make(scenario, humans, seed=, turns=, overrides=)``).

    The file is read bounded (:data:`~sim.files.SAVE_LIMIT`) and checked
    against :class:`~sim.play.savefile.SaveFile` before its scenario is read.

    Raises:
        FileProblem: the file is missing, not a regular file, too large, or
            not strict JSON.
        PlayError: not a save file, a field is wrong (``file:line:column:
            field: what: what to do``), its scenario is missing, not a
            regular file or changed since the game was saved, or an input no
            longer applies.
        ScenarioError: the scenario does not load.
    """
    text = read_text(path, limit=SAVE_LIMIT, what="save file")
    data = parse_json(text, path, "save file")
    where = Where(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("format"), str):
        raise PlayError(f'{where.name}: not a saved game (no "format": "{SAVE_FORMAT}")')
    if data["format"] not in SAVE_FORMATS:
        raise where.problem(
            ("format",),
            f"{brief(data['format'])} is not a save format this version reads "
            f"({', '.join(SAVE_FORMATS)})",
            "update sim, or start a new game",
        )
    try:
        save = SaveFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        extra = first["type"] == "extra_forbidden"
        advice = "remove it, or " + SAVE_ADVICE if extra else SAVE_ADVICE
        if len(errors) > 1:
            advice += f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        raise where.problem(tuple(first["loc"]), what_is_wrong(first), advice, key=extra) from None
    problems = save_file_problems(save)
    if problems:
        loc, what = problems[0]
        raise where.problem(loc, what)
    scenario = saved_scenario(path, save, where)
    try:
        session = make(
            scenario, save.humans, seed=save.seed, turns=save.turns, overrides=save.overrides
        )
    except PlayError as exc:
        raise where.problem(("humans",), str(exc)) from None
    session.seed_source = save.seed_source
    if save.scenario_sha256 and save.scenario_sha256 != scenario_hash(session.spec):
        raise PlayError(
            f"{where.name}: the scenario {scenario} has changed since this game was saved, "
            "so the game cannot be replayed exactly; restore the file or start a new game"
        )
    for inp in save.inputs:
        _replay(session, inp.to_input(), path)
    return session


def _replay(session: Game, inp: TurnInput, origin: Path) -> None:
    """Check one saved turn against the game, then play it."""
    where = f"{shown(origin)}: turn {inp.turn}"
    c = session.model.compiled
    for actor, move in inp.moves.items():
        if actor not in session.humans:
            raise PlayError(f"{where}: {actor} is not a human player of this game")
        if move not in c.move_index or not c.allowed[c.index[actor], c.move_index[move]]:
            raise PlayError(f"{where}: {actor} may not choose '{move}'")
    for key in inp.injects:
        if key not in session.spec.injects:
            raise PlayError(f"{where}: no inject '{key}' in the scenario")
    for k, e in enumerate(inp.events):
        actor, move = str(e.get("actor")), str(e.get("move"))
        if actor not in c.index or move not in c.move_index:
            raise PlayError(f"{where}: bad event {e}")
        if actor in session.humans or any(o.get("actor") == actor for o in inp.events[:k]):
            raise PlayError(
                f"{where}: event for {actor}: only one, and only for a state the computer plays"
            )
    for actor in inp.framings:
        if actor not in inp.moves:
            raise PlayError(f"{where}: a framing for {actor}, which chose no move")
    if set(session.humans) - set(inp.moves):
        missing = ", ".join(sorted(set(session.humans) - set(inp.moves)))
        raise PlayError(f"{where}: no move for {missing}")
    session.replay(inp)
