"""The one game object of play mode, used by the terminal and the browser alike.

A :class:`PlaySession` wraps an :class:`~sim.model.mesa_model.EscalationModel`.
Each turn:

1. every human-played state looks at :meth:`PlaySession.situation` (the crisis
   *as that state perceives it*) and picks one of :meth:`PlaySession.choices`
   with :meth:`PlaySession.choose` (hot-seat, in the order the players were
   named; :meth:`PlaySession.undo` takes the last step back). In a game with
   ``free_choice`` (the browser dashboard) a person may choose the move of any
   state for one turn, and every state left alone is played by its policy;
2. the instructor may fire scenario injects by hand (:meth:`PlaySession.fire`,
   within the inject's ``repeat:`` and ``limit:``, by the engine's own rule)
   or describe an event of their own (:meth:`PlaySession.event`: a state the
   computer plays makes the allowed move whose rung is nearest the one named,
   with the event's own intended hostility, and the text stands for the move
   in every output);
3. :meth:`PlaySession.resolve` plays the turn: the other states move by their
   policies, everyone reads everyone, beliefs and tension update;
   :meth:`PlaySession.summary` says what it did, as the one
   :class:`~sim.play.shapes.TurnSummary` both faces show.

Every resolved turn's inputs are kept in :attr:`PlaySession.inputs`;
:meth:`PlaySession.save` and :meth:`PlaySession.load` write and replay them
(:mod:`sim.play.save`). Everything a screen needs comes back as plain JSON-ready
dicts and lists (:mod:`sim.play.shapes`). Mistakes a player can make raise
:class:`~sim.play.shapes.PlayError`, whose message can be shown as it is.

This module has no input or output of its own, and imports no face (``sim.cli``,
``sim.dashboard``) and no plotting library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.model.mesa_model import EscalationModel
from sim.model.seeds import SeedSource, root_seed
from sim.play import rules
from sim.play import summary as summaries
from sim.play.joint import refuse_split_joint_moves
from sim.play.save import StatKey, read_save, save_json, write_save
from sim.play.shapes import (
    Choice,
    Due,
    Framing,
    InjectInfo,
    PlayError,
    Situation,
    TurnInput,
    TurnSummary,
)
from sim.play.where import match_name
from sim.scenario.loader import LoadedScenario, read_scenario
from sim.scenario.schema import SEED_MAX, Scenario

if TYPE_CHECKING:
    from sim.model.engine import TurnRecord
    from sim.model.results import RunResult


def play_seed(given: int | None, spec: Scenario) -> tuple[int, SeedSource]:
    """The root seed of a game and how it was chosen: the one rule for every face.

    The seed given wins, else the scenario's ``seed:``, else a fresh seed from
    the OS (``generated``; it is shown and saved, so the game can be repeated).

    Raises:
        PlayError: ``given`` is not a whole number from 0 to :data:`SEED_MAX`.
    """
    if given is not None and not 0 <= given <= SEED_MAX:
        raise PlayError("the seed must be between 0 and 2**63 - 1")
    seed, source = root_seed(None if given is None else int(given), spec.seed)
    return int(seed), source


class PlaySession:
    """A game in play mode: some states played by people, the rest by the model.

    Args:
        scenario: Scenario file (as resolved by the caller).
        humans: Actor ids (or names) played by people every turn, in hot-seat order.
        seed: Root seed; None takes the scenario's, or a new one (:func:`play_seed`).
        turns: Turns in the game; None takes the scenario's.
        overrides: ``--set`` style ``path=value`` overrides.
        free_choice: A person may also choose the move of any other state for
            one turn (:meth:`choose`, :meth:`unchoose`).

    Attributes:
        model: The model being played.
        loaded: The scenario as read (files and merged data, for the run folder).
        humans: Human-played actor ids, in hot-seat order.
        seed: Root seed.
        seed_source: 'given', 'scenario' or 'generated'.
        turns: Turns in the game.
        inputs: One :class:`~sim.play.shapes.TurnInput` per resolved turn.

    Raises:
        ScenarioError: the scenario does not load.
        PlayError: an actor is unknown or named twice, or the seed is out of range.
    """

    def __init__(
        self,
        scenario: str | Path,
        humans: Sequence[str],
        *,
        seed: int | None = None,
        turns: int | None = None,
        overrides: Sequence[str] = (),
        free_choice: bool = False,
    ) -> None:
        self.scenario_path = Path(scenario)
        self.overrides = list(overrides)
        self.loaded: LoadedScenario = read_scenario(self.scenario_path, self.overrides)
        spec = self.loaded.scenario
        self.seed, source = play_seed(seed, spec)
        self.seed_source: str = source
        self.turns = int(turns if turns is not None else spec.turns)
        self.model = EscalationModel(spec, rng=self.seed, turns=self.turns, collect=False)
        self.free_choice = free_choice
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
        # identity of the save file this session last wrote (not checked again while unchanged)
        self._saved: StatKey | None = None

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

    def actors(self) -> list[str]:
        """Every actor id, in scenario order."""
        return list(self.model.compiled.ids)

    def name(self, actor: str) -> str:
        """Display name of an actor."""
        return str(self.spec.actors[actor].name)

    def voice(self, actor: str) -> str:
        """The actor's voice (e.g. 'Red City'), or its name."""
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

    def tensions(self) -> dict[str, float]:
        """Current tension of each actor (0-1), by id."""
        tension = self.model.engine.state.tension
        return {a: float(tension[i]) for i, a in enumerate(self.model.compiled.ids)}

    def _allowed(self, actor: str) -> list[str]:
        """What ``actor`` may choose now: the policies' rule (``Engine.allowed_now``)."""
        c = self.model.compiled
        row = self.model.engine.allowed_now(self.turn)[c.index[actor]]
        return [m for k, m in enumerate(c.move_ids) if row[k]]

    # ------------------------------------------------------------ what a state sees

    def situation(self, actor: str) -> Situation:
        """The crisis as ``actor`` perceives it now, before it chooses.

        See :func:`sim.play.summary.situation`.
        """
        return summaries.situation(self, actor)

    def due_injects(self) -> list[Due]:
        """Injects the scenario will fire at the start of the coming turn (besides hand-fired).

        Scheduled injects for this turn, and conditional ones whose conditions
        hold now (they are tested on the state at the end of the last turn).
        """
        return [summaries.due(self, key) for key in self.model.engine.due(self.turn)]

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

    def injects(self) -> list[InjectInfo]:
        """Every inject of the scenario, numbered from 1, with when it fires and if it has."""
        out: list[InjectInfo] = []
        fired = self.model.engine.fired
        due = {d["inject"] for d in self.due_injects()} if not self.finished else set()
        why_not = [
            rules.why_not_fire(self, key, self._pending.injects, due) for key in self.spec.injects
        ]
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
                    "can_fire": why_not[k - 1] is None,
                    "why_not": why_not[k - 1],
                }
            )
        return out

    # ------------------------------------------------------------ deciding

    def waiting(self) -> list[str]:
        """Human-played actors that have not chosen this turn, in hot-seat order."""
        return [a for a in self.humans if a not in self._pending.moves]

    def pending(self) -> TurnInput:
        """A copy of what has been decided so far this turn."""
        return self._pending.copy()

    def resolve_move(self, actor: str, text: str) -> str:
        """The move id ``text`` names in ``actor``'s menu (:func:`sim.play.rules.menu_move`)."""
        return rules.menu_move(self, actor, self.choices(actor), text)

    def choose(self, actor: str, move: str, framing: Framing | None = None) -> str:
        """Record ``actor``'s move this turn and return its id.

        Args:
            actor: A human-played actor (any actor with ``free_choice``).
            move: Move id, label, menu number or unique prefix.
            framing: The team's own public framing, ``{"text": str, "claims":
                float | None}``. ``text`` alone replaces only the move's framing
                *wording* in every output (whitespace runs become one space; at
                most :data:`~sim.play.shapes.MAX_TEXT` characters): the model
                reads the move exactly as without it. ``claims`` (0-1) also sets
                how hostile the framing claims the move is, this turn: the
                engine's framed value for ``actor``, which pulls the others'
                readings and is what its credibility is judged against.

        Raises:
            PlayError: ``actor`` is not played by a person, the move is not
                one it may choose, the framing is empty, too long or claims a
                value outside 0-1, or the game is over.
        """
        if actor not in self.spec.actors:
            raise PlayError(f"no actor called '{actor}'")
        if actor not in self.humans and not self.free_choice:
            raise PlayError(f"{self.name(actor)} is played by the computer in this game")
        if self.finished:
            raise PlayError("the game is over")
        if any(e["actor"] == actor for e in self._pending.events):
            raise PlayError(f"{self.name(actor)} already has an event this turn: undo it first")
        move_id = self.resolve_move(actor, move)
        checked = None if framing is None else rules.checked_framing(framing)
        if actor in self._pending.moves:
            self._steps.remove(("choose", actor))
        self._pending.moves[actor] = move_id
        self._pending.framings.pop(actor, None)
        if checked is not None:
            self._pending.framings[actor] = checked
        self._steps.append(("choose", actor))
        return move_id

    def unchoose(self, actor: str) -> bool:
        """Take back ``actor``'s choice this turn, wherever it is among the steps; True if made."""
        if actor not in self._pending.moves:
            return False
        del self._pending.moves[actor]
        self._pending.framings.pop(actor, None)
        self._steps.remove(("choose", actor))
        return True

    def fire(self, inject: str) -> str:
        """Fire a scenario inject by hand this turn (by number, id or label); return its id.

        Raises:
            PlayError: no such inject; it is already set or due this turn; or it
                may not fire now: it fired before and does not repeat, or its
                ``limit`` (times, cooldown) forbids it (the rule the engine keeps
                for the scenario's own firings; :meth:`injects` says why).
        """
        if self.finished:
            raise PlayError("the game is over")
        key = rules.inject_key(self, inject)
        why = rules.why_not_fire(
            self, key, self._pending.injects, {d["inject"] for d in self.due_injects()}
        )
        if why is not None:
            raise PlayError(why)
        self._pending.injects.append(key)
        self._steps.append(("fire", key))
        return key

    def nearest_move(self, actor: str, rung: int) -> str:
        """The move ``actor`` may choose whose rung is nearest ``rung``.

        Ties go to the lower rung, then the less hostile move, then file order.
        """
        return rules.nearest(self, actor, self._allowed(actor), rung)

    def event(
        self,
        actor: str,
        rung: int | str,
        text: str,
        intended: float | None = None,
        *,
        framed: float | None = None,
    ) -> str:
        """An instructor's own event: ``actor`` acts at ``rung`` as ``text`` says.

        The event is played with the mechanics (cost, visibility, norm effect,
        targets) of the allowed move whose rung is nearest ``rung``, but with its
        own intended hostility (``intended``; default: that move's) and a framing
        that claims ``framed`` (default: ``intended``): every other state reads
        it like any move. Its rung and text are kept, and the text stands for
        the move in every output (transcript, report, save file). The move
        counts as chosen by a person (``source`` 'human').

        Returns:
            The move id whose mechanics are played.

        Raises:
            PlayError: the actor is unknown or played by a person, the rung is
                not a whole number, the text is empty or too long, a value is
                outside 0-1, or the actor already has an event this turn.
        """
        if self.finished:
            raise PlayError("the game is over")
        actor_id = self.actor_id(actor)
        if actor_id in self.humans or actor_id in self._pending.moves:
            raise PlayError(
                f"{self.name(actor_id)} is played by a person in this game; an event can "
                "only move a state the computer plays"
            )
        if any(e["actor"] == actor_id for e in self._pending.events):
            raise PlayError(f"{self.name(actor_id)} already has an event this turn: undo it first")
        level = rules.whole_rung(rung, self.spec.top_rung)
        note = rules.clean_text(text, "the event")
        if not note:
            raise PlayError("describe the event: event <actor> <rung> <what happens>")
        move = self.nearest_move(actor_id, level)
        own = float(self.model.compiled.intended[self.model.compiled.move_index[move]])
        meant = own if intended is None else rules.share(intended, "the event's intended hostility")
        claim = meant if framed is None else rules.share(framed, "the event's framing claim")
        event = {"actor": actor_id, "rung": level, "move": move, "text": note}
        self._pending.events.append(event | {"intended": meant, "framed": claim})
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
            p.framings.pop(key, None)
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
            PlayError: a state has not chosen, teams split a joint move, or the game is over.
        """
        if self.finished:
            raise PlayError("the game is over")
        if waiting := self.waiting():
            raise PlayError(f"still waiting for {', '.join(self.name(a) for a in waiting)}")
        events = {e["actor"]: e["move"] for e in self._pending.events}
        refuse_split_joint_moves(self.spec, {**self._pending.moves, **events}, self.name)
        return self.replay(self._pending)

    def replay(self, inp: TurnInput) -> TurnRecord:
        """Play one turn with ``inp`` as decided (checked by the caller), and start the next."""
        moves = dict(inp.moves)
        moves.update({e["actor"]: e["move"] for e in inp.events})
        record = self.model.play(
            human_moves=moves, injects=list(inp.injects), overrides=inp.overrides()
        )
        self.inputs.append(inp)
        self._pending = TurnInput(turn=self.turn)
        self._steps = []
        return record

    # ------------------------------------------------------------ after a turn

    def summary(self, record: TurnRecord | None = None) -> TurnSummary:
        """What a resolved turn did (default: the last one); see :func:`sim.play.summary.turn`."""
        return summaries.turn(self, record)

    def result(self) -> RunResult:
        """The game so far as a :class:`~sim.model.results.RunResult`."""
        return self.model.result()

    def notes(self) -> list[dict[str, Any]]:
        """Instructor events of the resolved turns: ``turn``, ``actor``, ``move``, ``text`` ..."""
        return [{"turn": inp.turn, **e} for inp in self.inputs for e in inp.events]

    def framings(self) -> list[dict[str, Any]]:
        """Teams' own framings of the resolved turns: ``turn``, ``actor``, ``text``, ``claims``."""
        return [
            {"turn": inp.turn, "actor": a, **f}
            for inp in self.inputs
            for a, f in inp.framings.items()
        ]

    # ------------------------------------------------------------ save and resume

    def to_json(self, folder: str | Path | None = None) -> dict[str, Any]:
        """The save file's content (resolved turns only); see :func:`sim.play.save.save_json`."""
        return save_json(self, folder)

    def save(self, path: str | Path) -> Path:
        """Write the game to ``path`` as JSON, whole or not at all (temporary file, then rename).

        The folder is created if needed. An existing file is replaced only when
        it is a save file of this tool (see :func:`sim.play.save.check_save_target`).

        Raises:
            PlayError: something other than a save file is at ``path``, or a
                part of its folder is a file.
            FileProblem: the write failed (disk full, read-only ...).
        """
        path = Path(path)
        self._saved = write_save(self, path, self._saved)
        return path

    @classmethod
    def load(cls, path: str | Path) -> PlaySession:
        """Resume a saved game; see :func:`sim.play.save.read_save` (what it raises)."""
        return read_save(Path(path), cls)
