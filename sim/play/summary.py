"""What play mode shows around a turn: a state's situation before it, the summary after it.

Two functions read the model of a game (:class:`~sim.play.core.PlaySession`,
seen through :class:`~sim.play.shapes.Game`) and
return plain shapes (:mod:`sim.play.shapes`):

* :func:`situation`: the crisis as one state perceives it, before it chooses;
* :func:`turn`: what a resolved turn did, as the one
  :class:`~sim.play.shapes.TurnSummary` of play mode. The terminal prints it
  (:func:`sim.play.screens.show_summary`) and the browser draws it
  (:mod:`sim.dashboard.app`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.perception import meant
from sim.outputs.transcript import interpretation
from sim.play.shapes import (
    Belief,
    ChosenBy,
    Due,
    Game,
    HumanMove,
    HumanReading,
    MoveSummary,
    OwnMove,
    PlayError,
    Reading,
    Situation,
    TurnInput,
    TurnSummary,
    belief_word,
)

if TYPE_CHECKING:
    from sim.model.engine import TurnRecord


def situation(game: Game, actor: str) -> Situation:
    """The crisis as ``actor`` perceives it now, before it chooses.

    Tension (its own), beliefs about each other state, its reading of each
    other state's move last turn (what it perceived, never what was meant;
    moves it did not see stay unknown), what its own move meant, the
    credibility of its framing in others' eyes (mean of column ``actor`` of
    the credibility matrix, others only), the regime strength, and injects
    due at the start of the coming turn.
    """
    c, s = game.model.compiled, game.model.engine.state
    i = c.index[actor]
    records = game.model.engine.records
    others = [j for j in range(c.n) if j != i]
    before = records[-2].tension[i] if len(records) >= 2 else c.initial_tension[i]
    change = float(s.tension[i] - before) if records else None
    beliefs: list[Belief] = [
        {
            "actor": c.ids[j],
            "name": game.name(c.ids[j]),
            "belief": float(s.belief[i, j]),
            "word": belief_word(float(s.belief[i, j])),
        }
        for j in others
    ]
    own: OwnMove | None = None
    readings: list[Reading] = []
    if records:
        last = records[-1]
        words = texts(game, last.turn)
        m = int(last.move[i])
        own = {
            "move": c.move_ids[m],
            "label": str(game.spec.moves[c.move_ids[m]].label),
            "rung": int(c.rungs[m]),
            "meant": float(last.hostility[i]),
            "framed": framed_value(game, last.turn, actor, float(c.framed[m])),
            "source": source(game, last, i),
            "text": words.get(actor, (None, None))[0],
            "framing": words.get(actor, (None, None))[1],
        }
        for j in others:
            # a state knows only the moves it saw, and only its own reading of them
            mj = int(last.move[j])
            seen = bool(last.seen[i, j])
            perceived = float(last.perceived[i, j]) if seen else None
            readings.append(
                {
                    "actor": c.ids[j],
                    "name": game.name(c.ids[j]),
                    "move": c.move_ids[mj] if seen else None,
                    "label": str(game.spec.moves[c.move_ids[mj]].label) if seen else None,
                    "rung": int(c.rungs[mj]) if seen else None,
                    "seen": seen,
                    "perceived": perceived,
                    "reading": interpretation(perceived) if perceived is not None else "",
                    "text": words.get(c.ids[j], (None, None))[0] if seen else None,
                    "framing": words.get(c.ids[j], (None, None))[1] if seen else None,
                }
            )
    cred = s.credibility[others, i]
    return {
        "turn": game.turn,
        "turns": game.turns,
        "actor": actor,
        "name": game.name(actor),
        "voice": game.voice(actor),
        "tension": float(s.tension[i]),
        "tension_change": change,
        "norms": float(s.norms),
        "credibility": float(cred.mean()) if len(others) else 1.0,
        "beliefs": beliefs,
        "last_turn": game.played,
        "own_move": own,
        "readings": readings,
        "due": game.due_injects(),
    }


def _input(game: Game, turn: int) -> TurnInput:
    """What people decided in resolved turn ``turn`` (an empty input when none is kept)."""
    return game.inputs[turn - 1] if 0 < turn <= len(game.inputs) else TurnInput(turn=turn)


def texts(game: Game, turn: int) -> dict[str, tuple[str | None, str | None]]:
    """Actor id -> (instructor's event text, team's own framing text) in resolved ``turn``."""
    inp = _input(game, turn)
    out: dict[str, tuple[str | None, str | None]] = {
        a: (None, f["text"]) for a, f in inp.framings.items()
    }
    for e in inp.events:
        out[str(e["actor"])] = (str(e["text"]), None)
    return out


def framed_value(game: Game, turn: int, actor: str, default: float) -> float:
    """What ``actor``'s framing claimed in resolved ``turn``: an override, else ``default``."""
    return float(_input(game, turn).overrides().get(actor, {}).get("framed", default))


def source(game: Game, record: TurnRecord, i: int) -> str:
    """A move's ``source`` as in ``events.csv``: ``human``, ``inject`` or the policy's name."""
    if i in record.human:
        return "human"
    if bool(record.forced[i]):
        return "inject"
    return str(game.model.compiled.policy_names[i])


def due(game: Game, key: str) -> Due:
    """An inject due at the start of the coming turn, with the moves it imposes."""
    inj = game.spec.injects[key]
    moves = {e.move.actor: e.move.move for e in inj.effects if e.move is not None}
    return {"inject": key, "label": str(inj.label), "moves": moves}


def chosen_by(actor: str, source: str, inp: TurnInput, event_actors: set[str]) -> ChosenBy:
    """Who decided ``actor``'s move in the turn played with ``inp`` (see :data:`ChosenBy`)."""
    if actor in inp.moves:
        return "player"
    if actor in event_actors:
        return "instructor"
    if source == "inject":
        return "scenario"
    return "computer"


def turn(game: Game, record: TurnRecord | None = None) -> TurnSummary:
    """What a resolved turn did (default: the last one).

    Every actor's move with who decided it (and its event or framing text),
    the injects that fired (by hand or by the scenario), the instructor's
    events, how the others read each move a person chose (a team's move or an
    instructor's event), and mean tension and regime strength before and after.

    Raises:
        PlayError: no turn has been played yet.
    """
    records = game.model.engine.records
    if record is None:
        if not records:
            raise PlayError("no turn has been played yet")
        record = records[-1]
    t = record.turn
    c = game.model.compiled
    before_t = records[t - 2].tension if t >= 2 else c.initial_tension
    norms_before = records[t - 2].norms if t >= 2 else float(game.spec.norms.strength)
    inp = _input(game, t)
    event_actors = {e["actor"] for e in inp.events}
    words = texts(game, t)
    moves: list[MoveSummary] = []
    humans: list[HumanMove] = []
    # What each sender meant toward each observer (docs/model.md 7.5): [observer, sender].
    aimed = meant(np.asarray(record.hostility, dtype=float), np.asarray(record.alignment))
    for i, aid in enumerate(c.ids):
        m = int(record.move[i])
        mid = c.move_ids[m]
        how = source(game, record, i)
        moves.append(
            {
                "actor": aid,
                "name": game.name(aid),
                "move": mid,
                "label": str(game.spec.moves[mid].label),
                "rung": int(c.rungs[m]),
                "source": how,
                "by": chosen_by(aid, how, inp, event_actors),
                "tension_before": float(before_t[i]),
                "tension_after": float(record.tension[i]),
                "text": words.get(aid, (None, None))[0],
                "framing": words.get(aid, (None, None))[1],
            }
        )
        if aid in inp.moves or aid in event_actors:
            readings: list[HumanReading] = []
            unseen: list[str] = []
            for j, oid in enumerate(c.ids):
                if j == i:
                    continue
                if not bool(record.seen[j, i]):
                    unseen.append(game.name(oid))
                    continue
                p = float(record.perceived[j, i])
                toward = float(aimed[j, i])
                readings.append(
                    {
                        "observer": oid,
                        "name": game.name(oid),
                        "perceived": p,
                        "meant": toward,
                        "gap": p - toward,
                        "reading": interpretation(p),
                    }
                )
            humans.append(
                {
                    "actor": aid,
                    "name": game.name(aid),
                    "move": mid,
                    "label": str(game.spec.moves[mid].label),
                    "by": moves[-1]["by"],
                    "text": words.get(aid, (None, None))[0],
                    "framing": words.get(aid, (None, None))[1],
                    "framed": framed_value(game, t, aid, float(c.framed[m])),
                    "meant": float(record.hostility[i]),
                    "readings": readings,
                    "unseen_by": unseen,
                }
            )
    return {
        "turn": t,
        "injects": [
            {
                "inject": k,
                "label": str(game.spec.injects[k].label),
                "by": "hand" if k in inp.injects else "scenario",
            }
            for k in record.injects
        ],
        "events": [dict(e) for e in inp.events],
        "moves": moves,
        "humans": humans,
        "mean_tension_before": float(np.mean(before_t)),
        "mean_tension_after": float(np.mean(record.tension)),
        "norms_before": float(norms_before),
        "norms_after": float(record.norms),
    }
