"""Scripted turns of play mode: the ``--moves`` file of ``sim play``.

:func:`load_script` reads and checks a ``--moves`` file (YAML or JSON) against
a game; :func:`apply_script` enters one scripted turn's decisions into it.
Every problem is one line, ``file:line:column: turn N, actor: what``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.files import MOVES_LIMIT, read_text, shown
from sim.play.shapes import PlayError
from sim.play.where import Loc, Where, brief, match_name
from sim.scenario import yamlsafe

if TYPE_CHECKING:
    from sim.play.core import PlaySession


@dataclass(slots=True)
class ScriptTurn:
    """One turn of a ``--moves`` file, checked against the game.

    Attributes:
        turn: 1-based turn number.
        moves: Human-played actor id -> move id.
        injects: Inject ids to fire by hand.
        events: ``(actor id, rung, text)`` instructor events.
    """

    turn: int
    moves: dict[str, str] = field(default_factory=dict)
    injects: list[str] = field(default_factory=list)
    events: list[tuple[str, int, str]] = field(default_factory=list)


_INJECT_KEYS = ("inject", "injects")
_EVENT_KEYS = ("event", "events")
_TURN_KEY = re.compile(r"(?:turn)?\s*([0-9]{1,9})")
_EVENT_FIELDS = frozenset({"actor", "rung", "text"})


def _items(value: Any, loc: Loc) -> list[tuple[Any, Loc]]:
    """One value or a list of values, each with its path (None: nothing)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, (*loc, k)) for k, item in enumerate(value)]
    return [(value, loc)]


def _turn_number(raw: Any) -> int | None:
    """The turn a key of a ``--moves`` file names (``3``, ``"3"``, ``turn 3``), or None."""
    if isinstance(raw, bool):
        return None
    match = _TURN_KEY.fullmatch(str(raw).strip().lower())
    if match is None or int(match.group(1)) < 1:
        return None
    return int(match.group(1))


def load_script(path: str | Path, session: PlaySession) -> dict[int, ScriptTurn]:
    """Read and check a ``--moves`` file (YAML or JSON) of scripted turns.

    The file maps turn numbers to what happens in that turn::

        1:
          red: partner_exercise                # actor: move (id, label, menu number)
          blue: statement of concern
          inject: [talks_open]                 # injects fired by hand (one or a list)
          event: "green 4 Green City announces a snap exercise"   # actor rung text
        2: {red: hold, blue: hold}

    A scripted turn must give a move for every human-played state; no prompts
    are read for it. Turns not in the file are played at the keyboard.

    The file is read bounded (:data:`~sim.files.MOVES_LIMIT`, regular files
    only) and parsed by :mod:`sim.scenario.yamlsafe` (JSON is YAML), which
    refuses duplicate keys, aliases and deep nesting. The rules: keys are turn
    numbers 1 to the game's turns, each once; each turn is a mapping of
    human-played actors to one move each (every human needs one), plus
    ``inject``/``injects`` (ids or labels, each once) and ``event``/``events``
    (``"actor rung text"`` or ``{actor, rung, text}``, for states the computer
    plays). The result is one :class:`ScriptTurn` per turn.

    Raises:
        FileProblem: the file is missing, not a regular file, too large, or not UTF-8.
        PlayError: not YAML, or an entry is wrong (``file:line:column: turn N,
            actor: what``).
    """
    path = Path(path)
    name = shown(path)
    text = read_text(path, limit=MOVES_LIMIT, what="moves file")
    try:
        located = yamlsafe.parse(text, name)
    except yamlsafe.YamlProblem as exc:
        at = f":{exc.line}:{exc.column}" if exc.line else ""
        raise PlayError(f"{name}{at}: {exc.message}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a number of thousands of digits
        why = str(exc).split(";")[0]
        raise PlayError(
            f"{name}: cannot read the moves file ({why}): is this a moves file?"
        ) from None
    where = Where(path, text, located)
    data = located.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlayError(
            f"{where.at(())}: expected turn numbers mapped to moves, e.g. {{1: {{red: hold}}}}"
        )
    script: dict[int, ScriptTurn] = {}
    firsts: dict[int, str] = {}
    for raw_turn, entry in data.items():
        turn_at = where.at((raw_turn,), key=True)
        turn = _turn_number(raw_turn)
        if turn is None:
            raise PlayError(f"{turn_at}: {brief(str(raw_turn))} is not a turn number (1, 2, ...)")
        if turn in script:
            raise PlayError(f"{turn_at}: turn {turn}: the turn is given twice{firsts[turn]}")
        first = where.mark((raw_turn,), key=True)
        firsts[turn] = f" (first at line {first.line})" if first is not None else ""
        if turn > session.turns:
            raise PlayError(
                f"{turn_at}: turn {turn}: the game has only {session.turns} turns (see --turns)"
            )
        if not isinstance(entry, dict):
            raise PlayError(
                f"{where.at((raw_turn,))}: turn {turn}: expected 'actor: move' pairs, "
                f"got {brief(entry)}"
            )
        step = ScriptTurn(turn)
        for key, value in entry.items():
            loc: Loc = (raw_turn, key)
            here = f"{where.at(loc)}: turn {turn}"
            label = str(key).strip()
            if label.lower() in _INJECT_KEYS:
                for item, item_loc in _items(value, loc):
                    item_at = f"{where.at(item_loc)}: turn {turn}"
                    if isinstance(item, (dict, list)) or item is None:
                        raise PlayError(f"{item_at}: expected an inject's id or label")
                    step.injects.append(_script_inject(session, str(item), item_at))
            elif label.lower() in _EVENT_KEYS:
                for item, item_loc in _items(value, loc):
                    item_at = f"{where.at(item_loc)}: turn {turn}"
                    step.events.append(_script_event(session, item, item_at))
            else:
                try:
                    actor = session.actor_id(label)
                except PlayError as exc:
                    raise PlayError(f"{where.at(loc, key=True)}: turn {turn}: {exc}") from None
                if actor not in session.humans:
                    raise PlayError(
                        f"{here}, {actor}: not played by a person in this game "
                        f"(add --human {actor}, or use an event)"
                    )
                if actor in step.moves:
                    raise PlayError(f"{here}, {actor}: given twice")
                if value is None or isinstance(value, (dict, list, bool)):
                    raise PlayError(f"{here}, {actor}: expected one move, got {brief(value)}")
                try:
                    step.moves[actor] = session.resolve_move(actor, str(value))
                except PlayError as exc:
                    raise PlayError(f"{here}, {actor}: {exc}") from None
        missing = [a for a in session.humans if a not in step.moves]
        if missing:
            raise PlayError(
                f"{turn_at}: turn {turn}, {missing[0]}: no move given (every human needs one)"
            )
        if len(set(step.injects)) != len(step.injects):
            raise PlayError(f"{turn_at}: turn {turn}: an inject is fired twice")
        script[turn] = step
    return dict(sorted(script.items()))


def _script_inject(session: PlaySession, text: str, where: str) -> str:
    options = {k: [k, str(i.label)] for k, i in session.spec.injects.items()}
    if not options:
        raise PlayError(f"{where}: this scenario defines no injects")
    try:
        return match_name(text, options, "inject")
    except PlayError as exc:
        raise PlayError(f"{where}: {exc}") from None


def _script_event(session: PlaySession, item: Any, where: str) -> tuple[str, int, str]:
    if isinstance(item, dict):
        unknown = sorted(str(k) for k in item if k not in _EVENT_FIELDS)
        if unknown:
            raise PlayError(
                f"{where}: an event has only actor, rung and text, not {brief(unknown[0])}"
            )
        actor, rung, text = item.get("actor"), item.get("rung"), item.get("text", "")
    elif item is None or isinstance(item, list):
        raise PlayError(f"{where}: an event is 'actor rung text', got {brief(item)}")
    else:
        parts = str(item).split(None, 2)
        if len(parts) < 3:
            raise PlayError(f"{where}: an event is 'actor rung text', got {brief(item)}")
        actor, rung, text = parts
    try:
        actor_id = session.actor_id(str(actor))
    except PlayError as exc:
        raise PlayError(f"{where}: event: {exc}") from None
    if actor_id in session.humans:
        raise PlayError(f"{where}, {actor_id}: an event can only move a state the computer plays")
    try:
        level = int(str(rung))
    except ValueError:
        raise PlayError(f"{where}, {actor_id}: event rung must be a whole number") from None
    if not str(text).strip():
        raise PlayError(f"{where}, {actor_id}: the event needs a text")
    return actor_id, level, str(text)


def apply_script(session: PlaySession, step: ScriptTurn) -> None:
    """Enter one scripted turn's decisions into ``session`` (it is not resolved)."""
    for actor in session.humans:
        session.choose(actor, step.moves[actor])
    for key in step.injects:
        session.fire(key)
    for actor, rung, text in step.events:
        session.event(actor, rung, text)
