"""What each role's page receives: one plain, JSON-ready dict per role, built from a room.

Privacy is the point of this module. Every byte a page gets comes from one of
three functions, so what a role can learn is exactly what they put in:

* :func:`team_view`: the crisis as the team's state perceives it
  (:func:`sim.play.summary.situation`: its own tension and beliefs, its own
  readings of the moves it saw with their public framing and event texts),
  its own pending choice and its repertoire. Never another team's pending choice
  or framing, never what another state meant, never another state's beliefs,
  and never how credible the others find its own framing until the reveal;
* :func:`projector_view`: the turn, the public moves and framings of resolved
  turns, the tension chart, and after the instructor's reveal the reveal
  table (:func:`reveal_table`). Never a pending submission;
* :func:`console_view`: everything the projector sees, plus who has submitted
  (not what), the injects with whether each may fire, the instructor's own
  pending steps, and the teams' links.

Call them with the room's lock held (:attr:`sim.seminar.room.Room.lock`).

:func:`view_for` stamps a view with its ``version``: a digest of the view itself
(:func:`stamp`), not a counter of the room's changes. A long poll waits until its
role's digest differs from the one its page holds, so a page learns of a change
only when what *it* may see has changed: team B's page cannot tell from its own
traffic when team A submitted.
"""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from sim.outputs.figures._common import actor_colours
from sim.seminar.room import TEXT_LIMIT

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.play.core import PlaySession
    from sim.play.shapes import TurnSummary
    from sim.seminar.room import Room

#: Dash patterns (SVG ``stroke-dasharray``) given to actors in turn, so lines differ
#: without colour too (black-and-white print, colour blindness).
DASHES: tuple[str, ...] = (
    "",
    "12 6",
    "3 5",
    "14 5 3 5",
    "7 4",
    "2 3 2 9",
    "20 6",
    "5 3 1 3",
    "1 4",
)
#: Resolved turns whose public moves the projector and console list, newest first.
HISTORY = 3


def styles(session: PlaySession) -> dict[str, dict[str, str]]:
    """Colour and dash pattern of each actor.

    The colour is the one the figures give it (the scenario's, else the
    colour-blind-safe palette of :mod:`sim.outputs.figures`).
    """
    shim = SimpleNamespace(scenario=session.spec, actor_ids=session.actors())
    colours = actor_colours(cast("RunResult", shim))
    return {
        a: {"colour": colours[a], "dash": DASHES[k % len(DASHES)]}
        for k, a in enumerate(session.actors())
    }


def tension_chart(session: PlaySession, actors: list[str]) -> dict[str, Any]:
    """Tension (0-1) of ``actors`` from turn 0 to the last resolved turn, with their styles."""
    c = session.model.compiled
    records = session.model.engine.records
    look = styles(session)
    series = []
    for a in actors:
        i = c.index[a]
        values = [float(c.initial_tension[i])] + [float(r.tension[i]) for r in records]
        series.append(
            {
                "actor": a,
                "name": session.name(a),
                **look[a],
                "values": [round(v, 4) for v in values],
            }
        )
    return {"turns": session.turns, "played": session.played, "series": series}


def _summary(session: PlaySession, turn: int) -> TurnSummary:
    return session.summary(session.model.engine.records[turn - 1])


def public_turn(room: Room, turn: int) -> dict[str, Any]:
    """What everyone saw of a resolved turn: each move, the injects, events and framing texts."""
    session = room.session
    s = _summary(session, turn)
    return {
        "turn": turn,
        "moves": [
            {
                "actor": m["actor"],
                "name": m["name"],
                "label": m["label"],
                "rung": m["rung"],
                "by": m["by"],
                "framing": m["framing"] or "",
            }
            for m in s["moves"]
        ],
        "injects": [i["label"] for i in s["injects"]],
        "events": [{"name": session.name(e["actor"]), "text": e["text"]} for e in s["events"]],
    }


def reveal_table(room: Room) -> dict[str, Any] | None:
    """The teaching moment: each person's move as meant, as framed and as every observer read it.

    For the revealed turn: each team's move and each instructor's event. A
    reading whose gap from what was meant is at least the scenario's
    miscalculation threshold (either way) is flagged. None until the
    instructor reveals.
    """
    if not room.revealing:
        return None
    session = room.session
    turn = room.revealed
    s = _summary(session, turn)
    threshold = float(session.spec.dynamics.miscalculation_threshold)
    rows = []
    for h in s["humans"]:
        rows.append(
            {
                "actor": h["actor"],
                "name": h["name"],
                "label": h["label"],
                "meant": round(h["meant"], 3),
                "framed": round(float(h["framed"]), 3),
                "framing": h["framing"] or "",
                "event": h["text"] or "",
                "readings": [
                    {
                        "observer": r["observer"],
                        "name": r["name"],
                        "perceived": round(r["perceived"], 3),
                        "meant": round(r["meant"], 3),
                        "gap": round(r["gap"], 3),
                        "reading": r["reading"],
                        "flagged": abs(r["gap"]) >= threshold,
                    }
                    for r in h["readings"]
                ],
                "unseen_by": list(h["unseen_by"]),
            }
        )
    return {"turn": turn, "threshold": threshold, "moves": rows}


def _common(room: Room, role: str) -> dict[str, Any]:
    session = room.session
    return {
        "role": role,
        "title": str(session.spec.metadata.title),
        "turn": session.turn,
        "turns": session.turns,
        "played": session.played,
        "game_over": session.finished,
        "ended": room.finished_folder is not None,
        "text_limit": TEXT_LIMIT,
    }


def projector_view(room: Room) -> dict[str, Any]:
    """The public screen: resolved turns only, and the reveal once the instructor shows it."""
    session = room.session
    newest = range(session.played, max(session.played - HISTORY, 0), -1)
    return {
        **_common(room, "projector"),
        "teams": [{"actor": t, "name": session.name(t)} for t in room.teams],
        "history": [public_turn(room, t) for t in newest],
        "chart": tension_chart(session, session.actors()),
        "reveal": reveal_table(room),
    }


def console_view(room: Room) -> dict[str, Any]:
    """The instructor's screen: the projector's, plus who has submitted and the controls."""
    session = room.session
    pending = session.pending()
    injects = [
        {
            "inject": info["inject"],
            "label": info["label"],
            "when": info["when"],
            "fired": info["fired"],
            "can_fire": info["can_fire"],
            "why_not": info["why_not"] or "",
        }
        for info in session.injects()
    ]
    return {
        **projector_view(room),
        "role": "console",
        "absent": room.absent,
        "teams": [
            {
                "actor": t,
                "name": session.name(t),
                "submitted": t in room.submissions,
                "link": f"/t/{room.tokens[f'team:{t}']}",
            }
            for t in room.teams
        ],
        "links": {
            "console": f"/t/{room.tokens['console']}",
            "projector": f"/t/{room.tokens['projector']}",
        },
        "injects": injects,
        "computer_actors": [
            {"actor": a, "name": session.name(a)} for a in session.actors() if a not in room.teams
        ],
        "top_rung": int(session.spec.top_rung),
        "pending": {
            "injects": [str(session.spec.injects[k].label) for k in pending.injects],
            "events": [
                {"name": session.name(e["actor"]), "rung": e["rung"], "text": e["text"]}
                for e in pending.events
            ],
        },
        "ended_folder": room.finished_folder,
        "absent_last_turn": [
            session.name(t) for t in (room.absentees[-1] if room.absentees else [])
        ],
    }


def team_view(room: Room, team: str) -> dict[str, Any]:
    """A team's screen: only what its state perceives, its own choice and its moves."""
    session = room.session
    c = session.model.compiled
    seen = session.situation(team)
    situation: dict[str, Any] = dict(seen)
    if not room.revealing:
        # how credible the others find this team's framing waits for the reveal
        situation.pop("credibility", None)
    # public statements: those of the moves this state saw (the core shows a text with a
    # move only when it was seen), and its own
    framings = [
        {"actor": r["actor"], "name": r["name"], "text": r["framing"]}
        for r in seen["readings"]
        if r["seen"] and r["framing"]
    ]
    own_move = seen["own_move"]
    if own_move is not None and own_move["framing"]:
        framings.insert(0, {"actor": team, "name": session.name(team), "text": own_move["framing"]})
    own = room.submissions.get(team)
    return {
        **_common(room, "team"),
        "team": team,
        "name": session.name(team),
        "situation": situation,
        "framings": framings,
        "pending": None if own is None else own.to_json(),
        "repertoire": [
            {
                "move": ch["move"],
                "label": ch["label"],
                "rung": ch["rung"],
                "rung_label": ch["rung_label"],
                "cost": round(float(c.cost[c.move_index[ch["move"]]]), 3),
            }
            for ch in session.choices(team)
        ]
        if not session.finished
        else [],
        "chart": tension_chart(session, [team]),
        "reveal": reveal_table(room),
    }


def stamp(view: dict[str, Any]) -> dict[str, Any]:
    """``view`` with ``version`` set to a digest of everything else in it.

    Equal views get equal versions, whatever else changed in the room; the
    digest is of the view's own bytes, so it says nothing the view does not.
    """
    body = {k: v for k, v in view.items() if k != "version"}
    raw = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return {**body, "version": hashlib.blake2b(raw, digest_size=12).hexdigest()}


def view_for(room: Room, role: str) -> dict[str, Any]:
    """The view of a role as :meth:`sim.seminar.room.Room.role` names it, :func:`stamp`-ed."""
    if role == "console":
        return stamp(console_view(room))
    if role == "projector":
        return stamp(projector_view(room))
    return stamp(team_view(room, role.removeprefix("team:")))
