"""Which role may do what, and reading an action's JSON body.

A page posts ``/api/<token>/<action>`` with a small JSON object. A team may
``submit`` and ``withdraw``; the console may ``close``, ``fire``, ``event``,
``undo_step``, ``undo_turn``, ``reveal``, ``regenerate`` and ``finish``; the
projector may do nothing. An action a role may not take is :class:`NotFound`
(the server answers 404, as for any unknown path); a body or a move the game
cannot accept is a :class:`~sim.play.shapes.PlayError` (400, with a message a
student can act on).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.play.shapes import PlayError
from sim.seminar.room import Room

TEAM_ACTIONS = frozenset({"submit", "withdraw"})
CONSOLE_ACTIONS = frozenset(
    {"close", "fire", "event", "undo_step", "undo_turn", "reveal", "regenerate", "finish"}
)


class NotFound(Exception):
    """No such action for this role (answered like any unknown path)."""


def _text(body: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = body.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise PlayError(f"'{key}' must be text" + (" (not empty)" if required else ""))
    return value


def _number(body: Mapping[str, Any], key: str) -> float | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlayError(f"'{key}' must be a number from 0 to 1")
    return float(value)


def perform(
    room: Room,
    role: str,
    action: str,
    body: Mapping[str, Any],
    finish: Callable[[], str],
) -> dict[str, Any]:
    """Do ``action`` for ``role``; return a small JSON-ready answer.

    Args:
        room: The room.
        role: ``console``, ``projector`` or ``team:<id>``.
        action: The last part of the path.
        body: The request's JSON object.
        finish: Writes the run folder and returns its name (the console's ``finish``).

    Raises:
        NotFound: the role may not take this action.
        PlayError: the body or the move is not acceptable.
    """
    if role.startswith("team:") and action in TEAM_ACTIONS:
        team = role.removeprefix("team:")
        if action == "withdraw":
            return {"ok": room.withdraw(team)}
        move = room.submit(
            team, _text(body, "move"), _text(body, "text", required=False), _number(body, "claims")
        )
        return {"ok": True, "move": move}
    if role != "console" or action not in CONSOLE_ACTIONS:
        raise NotFound(action)
    if action == "close":
        return {"ok": True, "turn": room.close_turn()}
    if action == "fire":
        return {"ok": True, "inject": room.fire(_text(body, "inject"))}
    if action == "event":
        rung = body.get("rung")
        if isinstance(rung, bool) or not isinstance(rung, int | str):
            raise PlayError("'rung' must be a whole number")
        move = room.event(
            _text(body, "actor"), rung, _text(body, "text"), _number(body, "intended")
        )
        return {"ok": True, "move": move}
    if action == "undo_step":
        return {"ok": True, "undone": room.undo_step()}
    if action == "undo_turn":
        return {"ok": True, "played": room.undo_last_turn()}
    if action == "reveal":
        return {"ok": True, "turn": room.reveal()}
    if action == "regenerate":
        token = room.regenerate(_text(body, "team"))
        return {"ok": True, "link": f"/t/{token}"}
    return {"ok": True, "folder": finish()}
