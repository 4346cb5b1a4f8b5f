"""The game state of play mode, with no input or output of its own.

A :class:`PlaySession` wraps an :class:`~sim.model.mesa_model.EscalationModel`.
Each turn:

1. every human-played state looks at :meth:`PlaySession.situation` (the crisis
   *as that state perceives it*) and picks one of :meth:`PlaySession.choices`
   with :meth:`PlaySession.choose` (hot-seat, in the order the players were
   named; :meth:`PlaySession.undo` takes the last step back);
2. the instructor may fire scenario injects by hand (:meth:`PlaySession.fire`)
   or describe an event of their own (:meth:`PlaySession.event`: a state the
   computer plays makes the allowed move whose rung is nearest the one named,
   and the text is kept as a note);
3. :meth:`PlaySession.resolve` plays the turn: the other states move by their
   policies, everyone reads everyone, beliefs and tension update.

Every resolved turn's inputs are kept in :attr:`PlaySession.inputs`.
:meth:`PlaySession.save` writes them with the scenario path, overrides, seed,
turns and human actors as JSON (atomically); :meth:`PlaySession.load` replays
them on a fresh model with the same seed, which reproduces the state exactly
because the engine is deterministic.

Everything a screen needs comes back as plain JSON-ready dicts and lists.
Mistakes a player can make raise :class:`PlayError` (a
:class:`~sim.errors.SimError`) whose message can be shown as it is.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from sim.errors import SimError
from sim.model.engine import TurnRecord
from sim.model.mesa_model import EscalationModel, new_seed
from sim.model.results import RunResult
from sim.outputs.transcript import interpretation
from sim.scenario.loader import LoadedScenario, read_scenario, scenario_hash
from sim.scenario.schema import Scenario

SAVE_FORMAT = "sim-play/1"
"""Value of the ``format`` field of a save file."""

#: Belief (0-1) at or above the bound gets the word; the first row wins.
BELIEF_WORDS: tuple[tuple[float, str], ...] = ((0.6, "alarmed"), (0.3, "wary"), (0.0, "calm"))


def belief_word(value: float) -> str:
    """``calm`` (below 0.3), ``wary`` (below 0.6) or ``alarmed``, from a rounded belief."""
    rounded = round(float(value), 2)
    for bound, word in BELIEF_WORDS:
        if rounded >= bound:
            return word
    return BELIEF_WORDS[-1][1]


class PlayError(SimError):
    """A choice, inject, event or save file that the game cannot accept."""


# ---------------------------------------------------------------- shapes


class Choice(TypedDict):
    """One entry of a state's menu."""

    number: int
    move: str
    label: str
    rung: int
    rung_label: str
    framing: str


class Belief(TypedDict):
    """What a state believes about another: how hostile it is, 0-1."""

    actor: str
    name: str
    belief: float
    word: str


class Reading(TypedDict):
    """How the viewing state read another state's move last turn."""

    actor: str
    name: str
    move: str | None
    label: str | None
    rung: int | None
    seen: bool
    perceived: float | None
    reading: str


class OwnMove(TypedDict):
    """The viewing state's own move last turn."""

    move: str
    label: str
    rung: int
    meant: float
    framed: float
    source: str


class Due(TypedDict):
    """An inject that will fire at the start of the coming turn."""

    inject: str
    label: str
    moves: dict[str, str]


class Situation(TypedDict):
    """The crisis as one state perceives it, before it chooses."""

    turn: int
    turns: int
    actor: str
    name: str
    voice: str
    tension: float
    tension_change: float | None
    norms: float
    credibility: float
    beliefs: list[Belief]
    last_turn: int
    own_move: OwnMove | None
    readings: list[Reading]
    due: list[Due]


class MoveSummary(TypedDict):
    """One actor's move in a resolved turn."""

    actor: str
    name: str
    move: str
    label: str
    rung: int
    source: str
    tension_before: float
    tension_after: float


class HumanReading(TypedDict):
    """How one observer read a human-played move."""

    observer: str
    name: str
    perceived: float
    gap: float
    reading: str


class HumanMove(TypedDict):
    """A human-played move with everyone's readings of it."""

    actor: str
    name: str
    move: str
    label: str
    meant: float
    readings: list[HumanReading]
    unseen_by: list[str]


class TurnSummary(TypedDict):
    """What a resolved turn did, for the screen after it."""

    turn: int
    injects: list[dict[str, str]]
    events: list[dict[str, Any]]
    moves: list[MoveSummary]
    humans: list[HumanMove]
    mean_tension_before: float
    mean_tension_after: float
    norms_before: float
    norms_after: float


@dataclass(slots=True)
class TurnInput:
    """What people decided in one turn: enough to replay it exactly.

    Attributes:
        turn: 1-based turn number.
        moves: Human-played actor id -> move id.
        injects: Scenario injects fired by hand, in order.
        events: Instructor events: ``{"actor", "rung", "move", "text"}`` each.
    """

    turn: int
    moves: dict[str, str] = field(default_factory=dict)
    injects: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the save file."""
        return {
            "turn": self.turn,
            "moves": dict(self.moves),
            "injects": list(self.injects),
            "events": [dict(e) for e in self.events],
        }


# ---------------------------------------------------------------- matching


def _norm(text: str) -> str:
    """Lower case, with '_' and '-' as spaces and runs of spaces collapsed."""
    return " ".join(re.sub(r"[_\-]+", " ", text.strip().lower()).split())


def match_name(text: str, options: dict[str, list[str]], what: str) -> str:
    """The key of ``options`` that ``text`` names.

    ``options`` maps each key to the names it answers to (id, label ...). An
    exact (case-insensitive) name wins; else a unique prefix of one name.

    Raises:
        PlayError: nothing or more than one key matches.
    """
    wanted = _norm(text)
    if not wanted:
        raise PlayError(f"type the {what}'s number or name")
    exact = [k for k, names in options.items() if any(_norm(n) == wanted for n in names)]
    if len(exact) == 1:
        return exact[0]
    prefix = [k for k, names in options.items() if any(_norm(n).startswith(wanted) for n in names)]
    if len(prefix) == 1:
        return prefix[0]
    if len(prefix) > 1:
        shown = ", ".join(prefix[:6]) + (" ..." if len(prefix) > 6 else "")
        raise PlayError(f"'{text.strip()}' could be any of {shown}: type more of the name")
    every = [n for names in options.values() for n in names]
    close = difflib.get_close_matches(text.strip(), every, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise PlayError(f"no {what} called '{text.strip()}'{hint}")


# ---------------------------------------------------------------- the session


class PlaySession:
    """A game in play mode: some states played by people, the rest by the model.

    Args:
        scenario: Scenario file (as resolved by the caller).
        humans: Actor ids (or names) played by people, in hot-seat order.
        seed: Root seed; None takes the scenario's, or a new one.
        turns: Turns in the game; None takes the scenario's.
        overrides: ``--set`` style ``path=value`` overrides.

    Attributes:
        model: The model being played.
        humans: Human-played actor ids, in hot-seat order.
        seed: Root seed.
        seed_source: 'given', 'scenario' or 'generated'.
        turns: Turns in the game.
        inputs: One :class:`TurnInput` per resolved turn.

    Raises:
        ScenarioError: the scenario does not load.
        PlayError: an actor is unknown or named twice.
    """

    def __init__(
        self,
        scenario: str | Path,
        humans: Sequence[str],
        *,
        seed: int | None = None,
        turns: int | None = None,
        overrides: Sequence[str] = (),
    ) -> None:
        self.scenario_path = Path(scenario)
        self.overrides = list(overrides)
        self.loaded: LoadedScenario = read_scenario(self.scenario_path, self.overrides)
        spec = self.loaded.scenario
        if seed is not None:
            self.seed, self.seed_source = int(seed), "given"
        elif spec.seed is not None:
            self.seed, self.seed_source = int(spec.seed), "scenario"
        else:
            self.seed, self.seed_source = new_seed(), "generated"
        self.turns = int(turns if turns is not None else spec.turns)
        self.model = EscalationModel(spec, rng=self.seed, turns=self.turns, collect=False)
        self.humans: list[str] = []
        for text in humans:
            actor = self.actor_id(text)
            if actor in self.humans:
                raise PlayError(f"{actor} is named twice as a human player")
            self.humans.append(actor)
        self.inputs: list[TurnInput] = []
        self._pending = TurnInput(turn=1)
        # every step of the current turn, newest last: ("choose"|"fire"|"event", key)
        self._steps: list[tuple[str, str]] = []

    # ------------------------------------------------------------ basics

    @property
    def spec(self) -> Scenario:
        """The scenario being played."""
        spec: Scenario = self.model.spec
        return spec

    @property
    def played(self) -> int:
        """Turns resolved so far."""
        return int(self.model.engine.state.turn)

    @property
    def turn(self) -> int:
        """The turn being decided now (1-based)."""
        return self.played + 1

    @property
    def finished(self) -> bool:
        """True once every turn of the game has been played."""
        return self.played >= self.turns

    def set_turns(self, turns: int) -> None:
        """Change the length of the game (not below the turns already played)."""
        if turns < self.played:
            raise PlayError(f"this game has already played {self.played} turns; --turns {turns}")
        self.turns = int(turns)
        self.model.turns = self.turns
        self.model.running = not self.finished

    def name(self, actor: str) -> str:
        """Display name of an actor."""
        return str(self.spec.actors[actor].name)

    def voice(self, actor: str) -> str:
        """The actor's voice (e.g. 'Beijing'), or its name."""
        spec = self.spec.actors[actor]
        return str(spec.voice or spec.name)

    def actor_id(self, text: str) -> str:
        """The actor id that ``text`` names (id or name, any case, or a unique prefix)."""
        options = {a: [a, str(s.name)] for a, s in self.spec.actors.items()}
        return match_name(text, options, "actor")

    def rung_label(self, rung: int) -> str:
        """Ladder label of a rung ('' when the ladder does not name it)."""
        ladder = self.spec.ladder or []
        return str(ladder[rung].label) if 0 <= rung < len(ladder) else ""

    def _allowed(self, actor: str) -> list[str]:
        c = self.model.compiled
        row = c.allowed[c.index[actor]]
        return [m for k, m in enumerate(c.move_ids) if row[k]]

    # ------------------------------------------------------------ what a state sees

    def situation(self, actor: str) -> Situation:
        """The crisis as ``actor`` perceives it now, before it chooses.

        Tension (its own), beliefs about each other state, its reading of each
        other state's move last turn (what it perceived, never what was meant;
        moves it did not see stay unknown), what its own move meant, the
        credibility of its framing in others' eyes (mean of column ``actor`` of
        the credibility matrix, others only), the regime strength, and injects
        due at the start of the coming turn.
        """
        c, s = self.model.compiled, self.model.engine.state
        i = c.index[actor]
        records = self.model.engine.records
        others = [j for j in range(c.n) if j != i]
        before = records[-2].tension[i] if len(records) >= 2 else c.initial_tension[i]
        change = float(s.tension[i] - before) if records else None
        beliefs: list[Belief] = [
            {
                "actor": c.ids[j],
                "name": self.name(c.ids[j]),
                "belief": float(s.belief[i, j]),
                "word": belief_word(float(s.belief[i, j])),
            }
            for j in others
        ]
        own: OwnMove | None = None
        readings: list[Reading] = []
        if records:
            last = records[-1]
            m = int(last.move[i])
            own = {
                "move": c.move_ids[m],
                "label": str(self.spec.moves[c.move_ids[m]].label),
                "rung": int(c.rungs[m]),
                "meant": float(last.hostility[i]),
                "framed": float(c.framed[m]),
                "source": self._source(last, i),
            }
            for j in others:
                # a state knows only the moves it saw, and only its own reading of them
                mj = int(last.move[j])
                seen = bool(last.seen[i, j])
                perceived = float(last.perceived[i, j]) if seen else None
                readings.append(
                    {
                        "actor": c.ids[j],
                        "name": self.name(c.ids[j]),
                        "move": c.move_ids[mj] if seen else None,
                        "label": str(self.spec.moves[c.move_ids[mj]].label) if seen else None,
                        "rung": int(c.rungs[mj]) if seen else None,
                        "seen": seen,
                        "perceived": perceived,
                        "reading": interpretation(perceived) if perceived is not None else "",
                    }
                )
        cred = s.credibility[others, i]
        return {
            "turn": self.turn,
            "turns": self.turns,
            "actor": actor,
            "name": self.name(actor),
            "voice": self.voice(actor),
            "tension": float(s.tension[i]),
            "tension_change": change,
            "norms": float(s.norms),
            "credibility": float(cred.mean()) if len(others) else 1.0,
            "beliefs": beliefs,
            "last_turn": self.played,
            "own_move": own,
            "readings": readings,
            "due": self.due_injects(),
        }

    def _source(self, record: TurnRecord, i: int) -> str:
        if i in record.human:
            return "human"
        if bool(record.forced[i]):
            return "inject"
        return str(self.model.compiled.policy_names[i])

    def due_injects(self) -> list[Due]:
        """Injects the scenario will fire at the start of the coming turn (besides hand-fired).

        Scheduled injects for this turn, and conditional ones whose conditions
        hold now (they are tested on the state at the end of the last turn).
        """
        return [self._inject_info(key) for key in self.model.engine.due(self.turn)]

    def _inject_info(self, key: str) -> Due:
        inj = self.spec.injects[key]
        moves = {e.move.actor: e.move.move for e in inj.effects if e.move is not None}
        return {"inject": key, "label": str(inj.label), "moves": moves}

    def choices(self, actor: str) -> list[Choice]:
        """The moves ``actor`` may choose, numbered from 1, lowest rung first."""
        c = self.model.compiled
        allowed = self._allowed(actor)
        allowed.sort(key=lambda m: (int(c.rungs[c.move_index[m]]), c.move_index[m]))
        out: list[Choice] = []
        for k, m in enumerate(allowed, start=1):
            move = self.spec.moves[m]
            out.append(
                {
                    "number": k,
                    "move": m,
                    "label": str(move.label),
                    "rung": int(move.rung),
                    "rung_label": self.rung_label(int(move.rung)),
                    "framing": str(move.framing),
                }
            )
        return out

    def injects(self) -> list[dict[str, Any]]:
        """Every inject of the scenario, numbered from 1, with when it fires and if it has."""
        out: list[dict[str, Any]] = []
        fired = self.model.engine.fired
        for k, (key, inj) in enumerate(self.spec.injects.items(), start=1):
            when = inj.when
            if when.turn is not None:
                timing = f"scheduled for turn {when.turn}"
            else:
                timing = "fires when its conditions hold"
            out.append(
                {
                    "number": k,
                    "inject": key,
                    "label": str(inj.label),
                    "when": timing,
                    "fired": key in fired,
                    "pending": key in self._pending.injects,
                }
            )
        return out

    # ------------------------------------------------------------ deciding

    def waiting(self) -> list[str]:
        """Human-played actors that have not chosen this turn, in hot-seat order."""
        return [a for a in self.humans if a not in self._pending.moves]

    def pending(self) -> TurnInput:
        """A copy of what has been decided so far this turn."""
        p = self._pending
        return TurnInput(p.turn, dict(p.moves), list(p.injects), [dict(e) for e in p.events])

    def resolve_move(self, actor: str, text: str) -> str:
        """The move id that ``text`` names in ``actor``'s menu.

        ``text`` is a menu number, a move id or label (any case), or a unique
        prefix of one.

        Raises:
            PlayError: nothing in the menu matches, or the move is not one
                ``actor`` may choose.
        """
        menu = self.choices(actor)
        raw = text.strip()
        if raw.isdigit():
            k = int(raw)
            if 1 <= k <= len(menu):
                return menu[k - 1]["move"]
            raise PlayError(f"there is no move number {k}: choose 1 to {len(menu)}")
        options = {ch["move"]: [ch["move"], ch["label"]] for ch in menu}
        try:
            return match_name(raw, options, "move")
        except PlayError as exc:
            if "could be any of" in str(exc) or not raw:
                raise
            every = {m: [m, str(mv.label)] for m, mv in self.spec.moves.items()}
            try:
                other = match_name(raw, every, "move")
            except PlayError:
                other = None
            if other is not None:
                raise PlayError(
                    f"{self.name(actor)} may not choose '{other}' in this scenario; "
                    f"pick one of the {len(menu)} moves in the menu"
                ) from None
            raise PlayError(
                f"no move called '{raw}' for {self.name(actor)}: type a number from 1 to "
                f"{len(menu)} or the start of a move's name"
            ) from None

    def choose(self, actor: str, move: str) -> str:
        """Record ``actor``'s move this turn and return its id.

        Args:
            actor: A human-played actor.
            move: Move id, label, menu number or unique prefix.

        Raises:
            PlayError: ``actor`` is not played by a person, or the move is not
                one it may choose.
        """
        if actor not in self.spec.actors:
            raise PlayError(f"no actor called '{actor}'")
        if actor not in self.humans:
            raise PlayError(f"{self.name(actor)} is played by the computer in this game")
        if self.finished:
            raise PlayError("the game is over")
        move_id = self.resolve_move(actor, move)
        if actor in self._pending.moves:
            self._steps.remove(("choose", actor))
        self._pending.moves[actor] = move_id
        self._steps.append(("choose", actor))
        return move_id

    def fire(self, inject: str) -> str:
        """Fire a scenario inject by hand this turn (by number, id or label); return its id."""
        if self.finished:
            raise PlayError("the game is over")
        keys = list(self.spec.injects)
        if not keys:
            raise PlayError("this scenario defines no injects")
        raw = inject.strip()
        if raw.isdigit():
            k = int(raw)
            if not 1 <= k <= len(keys):
                raise PlayError(f"there is no inject number {k}: choose 1 to {len(keys)}")
            key = keys[k - 1]
        else:
            options = {key: [key, str(self.spec.injects[key].label)] for key in keys}
            key = match_name(raw, options, "inject")
        if key in self._pending.injects:
            raise PlayError(f"'{key}' is already set to fire this turn")
        if any(d["inject"] == key for d in self.due_injects()):
            raise PlayError(f"'{key}' fires this turn anyway (the scenario schedules it)")
        self._pending.injects.append(key)
        self._steps.append(("fire", key))
        return key

    def nearest_move(self, actor: str, rung: int) -> str:
        """The move ``actor`` may choose whose rung is nearest ``rung``.

        Ties go to the lower rung, then the less hostile move, then file order.
        """
        c = self.model.compiled
        allowed = self._allowed(actor)
        if not allowed:
            raise PlayError(f"{self.name(actor)} has no moves to choose from")

        def key(m: str) -> tuple[int, int, float, int]:
            k = c.move_index[m]
            r = int(c.rungs[k])
            return (abs(r - rung), r, float(c.intended[k]), k)

        return min(allowed, key=key)

    def event(self, actor: str, rung: int | str, text: str) -> str:
        """An instructor's own event: ``actor`` makes the allowed move nearest ``rung``.

        The move counts as chosen by a person (``source`` 'human'); ``text`` is
        kept as a note in the save file and the run folder's transcript.

        Returns:
            The move id played.

        Raises:
            PlayError: the actor is unknown or played by a person, the rung is
                not a whole number, or the actor already has an event this turn.
        """
        if self.finished:
            raise PlayError("the game is over")
        actor_id = self.actor_id(actor)
        if actor_id in self.humans:
            raise PlayError(
                f"{self.name(actor_id)} is played by a person in this game; an event can "
                "only move a state the computer plays"
            )
        if any(e["actor"] == actor_id for e in self._pending.events):
            raise PlayError(f"{self.name(actor_id)} already has an event this turn: undo it first")
        try:
            level = int(str(rung).strip())
        except ValueError:
            raise PlayError(
                f"the rung must be a whole number (0 to {self.spec.top_rung}), got '{rung}'"
            ) from None
        note = " ".join(text.split())
        if not note:
            raise PlayError("describe the event: event <actor> <rung> <what happens>")
        move = self.nearest_move(actor_id, level)
        self._pending.events.append({"actor": actor_id, "rung": level, "move": move, "text": note})
        self._steps.append(("event", actor_id))
        return move

    def undo(self) -> str | None:
        """Take back the newest step of this turn (a choice, inject or event).

        Returns:
            A sentence saying what was taken back, or None when nothing was.
        """
        if not self._steps:
            return None
        kind, key = self._steps.pop()
        p = self._pending
        if kind == "choose":
            move = p.moves.pop(key)
            label = self.spec.moves[move].label
            return f"took back the choice of {self.name(key)} ({label}); it chooses again"
        if kind == "fire":
            p.injects.remove(key)
            return f"took back the inject '{key}'"
        p.events = [e for e in p.events if e["actor"] != key]
        return f"took back the event for {self.name(key)}"

    def resolve(self) -> TurnRecord:
        """Play the turn with everything decided, and start the next.

        Raises:
            PlayError: a human-played state has not chosen, or the game is over.
        """
        if self.finished:
            raise PlayError("the game is over")
        waiting = self.waiting()
        if waiting:
            raise PlayError(f"still waiting for {', '.join(self.name(a) for a in waiting)}")
        record = self._apply(self._pending)
        self._pending = TurnInput(turn=self.turn)
        self._steps = []
        return record

    def _apply(self, inp: TurnInput) -> TurnRecord:
        moves = dict(inp.moves)
        moves.update({e["actor"]: e["move"] for e in inp.events})
        record = self.model.play(human_moves=moves, injects=list(inp.injects))
        self.inputs.append(inp)
        return record

    # ------------------------------------------------------------ after a turn

    def summary(self, record: TurnRecord | None = None) -> TurnSummary:
        """What a resolved turn did (default: the last one)."""
        records = self.model.engine.records
        if record is None:
            if not records:
                raise PlayError("no turn has been played yet")
            record = records[-1]
        t = record.turn
        c = self.model.compiled
        before_t = records[t - 2].tension if t >= 2 else c.initial_tension
        norms_before = records[t - 2].norms if t >= 2 else float(self.spec.norms.strength)
        inp = self.inputs[t - 1] if t - 1 < len(self.inputs) else TurnInput(turn=t)
        moves: list[MoveSummary] = []
        humans: list[HumanMove] = []
        for i, aid in enumerate(c.ids):
            m = int(record.move[i])
            mid = c.move_ids[m]
            moves.append(
                {
                    "actor": aid,
                    "name": self.name(aid),
                    "move": mid,
                    "label": str(self.spec.moves[mid].label),
                    "rung": int(c.rungs[m]),
                    "source": self._source(record, i),
                    "tension_before": float(before_t[i]),
                    "tension_after": float(record.tension[i]),
                }
            )
            if aid in self.humans:
                readings: list[HumanReading] = []
                unseen: list[str] = []
                for j, oid in enumerate(c.ids):
                    if j == i:
                        continue
                    if not bool(record.seen[j, i]):
                        unseen.append(self.name(oid))
                        continue
                    p = float(record.perceived[j, i])
                    readings.append(
                        {
                            "observer": oid,
                            "name": self.name(oid),
                            "perceived": p,
                            "gap": p - float(record.hostility[i]),
                            "reading": interpretation(p),
                        }
                    )
                humans.append(
                    {
                        "actor": aid,
                        "name": self.name(aid),
                        "move": mid,
                        "label": str(self.spec.moves[mid].label),
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
                    "label": str(self.spec.injects[k].label),
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

    def result(self) -> RunResult:
        """The game so far as a :class:`~sim.model.results.RunResult`."""
        return self.model.result()

    def notes(self) -> list[dict[str, Any]]:
        """Instructor events of the resolved turns: ``turn``, ``actor``, ``move``, ``text``."""
        return [{"turn": inp.turn, **e} for inp in self.inputs for e in inp.events]

    # ------------------------------------------------------------ save and resume

    def to_json(self) -> dict[str, Any]:
        """The save file's content (resolved turns only)."""
        return {
            "format": SAVE_FORMAT,
            "scenario": str(self.scenario_path),
            "scenario_file": str(self.scenario_path.resolve()),
            "scenario_id": self.spec.id,
            "scenario_sha256": scenario_hash(self.spec),
            "overrides": list(self.overrides),
            "seed": self.seed,
            "seed_source": self.seed_source,
            "turns": self.turns,
            "humans": list(self.humans),
            "played": self.played,
            "inputs": [inp.to_json() for inp in self.inputs],
        }

    def save(self, path: str | Path) -> Path:
        """Write the game to ``path`` as JSON, atomically (temp file, then rename)."""
        path = Path(path)
        text = json.dumps(self.to_json(), indent=2) + "\n"
        folder = path.parent if str(path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise PlayError(f"cannot save the game to {path}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | Path) -> PlaySession:
        """Resume a saved game: replay its inputs on a fresh model with the same seed.

        Raises:
            PlayError: the file is missing, not a save file, its scenario changed
                since it was saved, or an input no longer applies.
        """
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PlayError(f"{path}: no such saved game") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlayError(f"{path}: not a saved game ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise PlayError(f'{path}: not a saved game (no "format": "{SAVE_FORMAT}")')
        try:
            scenario = Path(str(data["scenario"]))
            absolute = Path(str(data.get("scenario_file", scenario)))
            if not scenario.exists() and absolute.exists():
                scenario = absolute
            session = cls(
                scenario,
                [str(h) for h in data["humans"]],
                seed=int(data["seed"]),
                turns=int(data["turns"]),
                overrides=[str(o) for o in data.get("overrides", [])],
            )
            session.seed_source = str(data.get("seed_source", "given"))
            inputs = [
                TurnInput(
                    turn=int(item["turn"]),
                    moves={str(k): str(v) for k, v in item.get("moves", {}).items()},
                    injects=[str(k) for k in item.get("injects", [])],
                    events=[dict(e) for e in item.get("events", [])],
                )
                for item in data["inputs"]
            ]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PlayError(f"{path}: not a saved game (bad or missing field: {exc})") from None
        expected = data.get("scenario_sha256")
        if expected and expected != scenario_hash(session.spec):
            raise PlayError(
                f"{path}: the scenario {scenario} has changed since this game was saved, "
                "so the game cannot be replayed exactly; restore the file or start a new game"
            )
        for k, inp in enumerate(inputs, start=1):
            if inp.turn != k:
                raise PlayError(f"{path}: inputs are out of order at turn {inp.turn}")
            session._replay(inp, path)
        return session

    def _replay(self, inp: TurnInput, origin: Path) -> None:
        where = f"{origin}: turn {inp.turn}"
        c = self.model.compiled
        for actor, move in inp.moves.items():
            if actor not in self.humans:
                raise PlayError(f"{where}: {actor} is not a human player of this game")
            if move not in c.move_index or not c.allowed[c.index[actor], c.move_index[move]]:
                raise PlayError(f"{where}: {actor} may not choose '{move}'")
        for key in inp.injects:
            if key not in self.spec.injects:
                raise PlayError(f"{where}: no inject '{key}' in the scenario")
        for e in inp.events:
            actor, move = str(e.get("actor")), str(e.get("move"))
            if actor not in c.index or move not in c.move_index:
                raise PlayError(f"{where}: bad event {e}")
        if set(self.humans) - set(inp.moves):
            missing = ", ".join(sorted(set(self.humans) - set(inp.moves)))
            raise PlayError(f"{where}: no move for {missing}")
        self._apply(inp)
        self._pending = TurnInput(turn=self.turn)


# ---------------------------------------------------------------- scripted turns


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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def load_script(path: str | Path, session: PlaySession) -> dict[int, ScriptTurn]:
    """Read and check a ``--moves`` file (YAML or JSON) of scripted turns.

    The file maps turn numbers to what happens in that turn::

        1:
          china: sino_russian_md_drill        # actor: move (id, label, menu number)
          united_states: statement of concern
          inject: [new_start_expires]          # injects fired by hand (one or a list)
          event: "russia 4 Moscow announces a snap exercise"   # actor rung text
        2: {china: hold, united_states: hold}

    A scripted turn must give a move for every human-played state; no prompts
    are read for it. Turns not in the file are played at the keyboard.

    Raises:
        PlayError: the file cannot be read, or an entry is wrong (the message
            names the turn and the actor).
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlayError(f"{path}: no such moves file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlayError(f"{path}: cannot read the moves file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML or JSON"
        raise PlayError(f"{path}{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlayError(
            f"{path}: expected turn numbers mapped to moves, e.g. {{1: {{china: hold}}}}"
        )
    script: dict[int, ScriptTurn] = {}
    for raw_turn, entry in data.items():
        text_turn = str(raw_turn).strip().lower().removeprefix("turn").strip()
        if not text_turn.isdigit() or int(text_turn) < 1:
            raise PlayError(f"{path}: '{raw_turn}' is not a turn number (1, 2, ...)")
        turn = int(text_turn)
        where = f"{path}: turn {turn}"
        if turn in script:
            raise PlayError(f"{where}: the turn is given twice")
        if turn > session.turns:
            raise PlayError(f"{where}: the game has only {session.turns} turns (see --turns)")
        if not isinstance(entry, dict):
            raise PlayError(f"{where}: expected 'actor: move' pairs, got {entry!r}")
        step = ScriptTurn(turn)
        for key, value in entry.items():
            name = str(key).strip()
            if name.lower() in _INJECT_KEYS:
                for item in _as_list(value):
                    step.injects.append(_script_inject(session, str(item), where))
            elif name.lower() in _EVENT_KEYS:
                for item in _as_list(value):
                    step.events.append(_script_event(session, item, where))
            else:
                try:
                    actor = session.actor_id(name)
                except PlayError as exc:
                    raise PlayError(f"{where}: {exc}") from None
                if actor not in session.humans:
                    raise PlayError(
                        f"{where}, {actor}: not played by a person in this game "
                        f"(add --human {actor}, or use an event)"
                    )
                if actor in step.moves:
                    raise PlayError(f"{where}, {actor}: given twice")
                if value is None or isinstance(value, (dict, list, bool)):
                    raise PlayError(f"{where}, {actor}: expected one move, got {value!r}")
                try:
                    step.moves[actor] = session.resolve_move(actor, str(value))
                except PlayError as exc:
                    raise PlayError(f"{where}, {actor}: {exc}") from None
        missing = [a for a in session.humans if a not in step.moves]
        if missing:
            raise PlayError(f"{where}, {missing[0]}: no move given (every human needs one)")
        if len(set(step.injects)) != len(step.injects):
            raise PlayError(f"{where}: an inject is fired twice")
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
        actor, rung, text = item.get("actor"), item.get("rung"), item.get("text", "")
    else:
        parts = str(item).split(None, 2)
        if len(parts) < 3:
            raise PlayError(f"{where}: an event is 'actor rung text', got {item!r}")
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
